"""TriDense: an upper or lower triangular float64 matrix (Gonum's ``mat.TriDense``).

Storage is a full n×n array whose other triangle every method keeps at zero, so
``numpy.asarray(t)`` is a zero-copy view of the triangular matrix and BLAS/LAPACK
(``dtrmm``, ``dtrsm``, ``dtrtri``) read the named triangle in place.
"""

from __future__ import annotations

import math

import numpy as np

from numkit._errstate import report_condition
from numkit._kernels import _blas, _elementwise, _reduce
from numkit.errors import ShapeError, SingularError
from numkit.mat._base import (
    Matrix,
    alias_guard,
    as_matrix,
    blas_ready,
    check_square,
    dims_str,
    overlap,
)
from numkit.mat._dense import Dense

__all__ = ["TriDense"]

# Gonum's ConditionTolerance: above it a result may have no correct digit.
_CONDITION_TOLERANCE = 1e16


def _check_kind(kind, op: str) -> str:
    """``"upper"`` or ``"lower"`` from those names in any letter case (Gonum spells
    them ``mat.Upper`` and ``mat.Lower``)."""
    if isinstance(kind, str) and kind.lower() in ("upper", "lower"):
        return kind.lower()
    raise ValueError(f"{op}: kind must be 'upper' or 'lower'; got {kind!r}")


def _other_mask(n: int, kind: str) -> np.ndarray:
    """Boolean n×n mask of the triangle that is zero in a ``kind`` triangular matrix."""
    strict_lower = np.tri(n, k=-1, dtype=bool)
    return strict_lower if kind == "upper" else strict_lower.T


def _zero_other(c: np.ndarray, kind: str) -> None:
    n = c.shape[0]
    if n > 1:
        np.copyto(c, 0.0, where=_other_mask(n, kind))


def _off_triangle_worst(a: np.ndarray, kind: str) -> tuple[int, int] | None:
    """Position of the largest |element| (NaN first) in the triangle that must be
    zero for ``kind``, or None when that triangle is all zero."""
    n = a.shape[0]
    if n < 2:
        return None
    off = np.where(_other_mask(n, kind), np.abs(a), 0.0)
    if not np.any(off):
        return None
    return divmod(int(np.argmax(off)), n)


def _tri_operand(x, op: str, name: str, kind: str | None) -> tuple[np.ndarray, str]:
    """``x`` as a square array and its triangle kind.

    A TriDense gives its storage and kind. Another array must be triangular: of
    ``kind`` when given, else whichever kind it is (a diagonal array counts as upper).
    """
    if isinstance(x, TriDense):
        return x._a, x._kind
    a = as_matrix(x, op, name)
    check_square(op, name, a, "triangular")
    kinds = (kind,) if kind is not None else ("upper", "lower")
    for k in kinds:
        if _off_triangle_worst(a, k) is None:
            return a, k
    i, j = _off_triangle_worst(a, kinds[0])
    wanted = f"{kind} triangular" if kind is not None else "triangular"
    raise ValueError(
        f"{op}: {name} is not {wanted}: {name}[{i}, {j}] = {a[i, j]:.17g} lies in the "
        f"triangle that must be zero; pass a TriDense or TriDense.from_array({name}, "
        f"kind) to take one triangle"
    )


def _check_nonsingular(op: str, name: str, a: np.ndarray) -> None:
    zeros = np.flatnonzero(np.diagonal(a) == 0.0)
    if zeros.size:
        k = int(zeros[0])
        raise SingularError(
            f"{op}: {name} is exactly singular: its diagonal element ({k}, {k}) is zero"
        )


class TriDense(Matrix):
    """A triangular float64 matrix in dense storage (Gonum's ``mat.TriDense``).

    Parameters
    ----------
    n : int
        Rows and columns. ``TriDense()`` is empty and takes the size and kind of the
        first result written into it.
    kind : {"upper", "lower"}
        Which triangle holds the elements (Gonum's ``mat.Upper``/``mat.Lower``; the
        names are accepted in any letter case).
    data : array-like, optional
        ``n*n`` values in row-major order, of which only the ``kind`` triangle
        (diagonal included) is read, as in Gonum's ``NewTriDense``. A writeable
        C-contiguous float64 ndarray of that size becomes the backing store without
        a copy, **and its other triangle is overwritten with zeros**; anything else
        is copied. Without data the matrix is zero.

    Notes
    -----
    The other triangle is stored as zeros and every method keeps it so;
    ``numpy.asarray(t)`` is a zero-copy view. Receivers follow
    :class:`~numkit.mat.Dense`; in addition a non-empty receiver must be of the
    result's kind (ValueError, Gonum's ``ErrTriangle``). Operands that are not
    TriDense must be triangular arrays (ValueError names the first offending element).

    Examples
    --------
    >>> t = TriDense(2, "upper", [2, 1,
    ...                           9, 4])     # 9 is in the lower triangle: not read
    >>> t.at(1, 0), t.at(0, 1)
    (0.0, 1.0)
    >>> t.triangle()
    (2, 'upper')
    """

    __slots__ = ("_a", "_kind", "__weakref__")

    def __init__(self, n: int = 0, kind: str = "upper", data=None):
        self._kind = _check_kind(kind, "TriDense")
        if n < 0:
            raise ValueError(f"TriDense: n must be non-negative; got {n}")
        if data is None:
            self._a = np.zeros((n, n))
            return
        if (
            type(data) is np.ndarray
            and data.dtype == np.float64
            and data.flags.c_contiguous
            and data.flags.writeable
            and data.size == n * n
        ):
            a = data.reshape(n, n)
        else:
            arr = np.array(data, dtype=np.float64)
            if arr.size != n * n:
                raise ShapeError(
                    f"TriDense: data has {arr.size} elements but a {n}×{n} matrix "
                    f"needs {n * n}"
                )
            a = arr.reshape(n, n)
        _zero_other(a, self._kind)
        self._a = a

    @classmethod
    def from_array(cls, a, kind: str = "upper") -> TriDense:
        """A new TriDense holding a copy of the ``kind`` triangle of the square
        array-like ``a`` (the other triangle is ignored, as ``numpy.triu``/``tril``).

        Raises
        ------
        ShapeError
            If ``a`` is not square.
        ValueError
            If ``kind`` is not "upper" or "lower".

        Examples
        --------
        >>> t = TriDense.from_array([[1, 2], [3, 4]], kind="lower")
        >>> t.at(1, 0), t.at(0, 1)
        (3.0, 0.0)
        """
        op = "TriDense.from_array"
        kind = _check_kind(kind, op)
        arr = as_matrix(a, op, "a")
        check_square(op, "a", arr, "triangular")
        out = np.array(arr, dtype=np.float64, order="C")
        _zero_other(out, kind)
        return cls._wrap(out, kind)

    @classmethod
    def _wrap(cls, view: np.ndarray, kind: str) -> TriDense:
        """A TriDense over an existing n×n float64 view whose other triangle is zero
        (no copy, no check)."""
        t = cls.__new__(cls)
        t._a = view
        t._kind = kind
        return t

    # -- storage and receivers ---------------------------------------------------

    def _check_receiver(self, n: int, kind: str, op: str) -> bool:
        """Whether the receiver can hold an n×n ``kind`` result as it is (False: it is
        empty and must be allocated); raise when it cannot hold it at all."""
        a = self._a
        if a.size == 0:
            return a.shape == (n, n) and self._kind == kind
        if a.shape != (n, n):
            raise ShapeError(
                f"{op}: the receiver is {dims_str(a.shape)} but the result is {n}×{n}; "
                f"pass an empty TriDense() or one of the result's size"
            )
        if self._kind != kind:
            raise ValueError(
                f"{op}: the receiver is {self._kind} triangular but the result is "
                f"{kind} triangular; pass an empty TriDense() or one of kind {kind!r}"
            )
        if not a.flags.writeable:
            raise ValueError(f"{op}: the receiver's storage is read-only")
        return True

    def _reuse_as(self, n: int, kind: str, op: str) -> np.ndarray:
        if not self._check_receiver(n, kind, op):
            self._a = np.zeros((n, n))
            self._kind = kind
        return self._a

    def _kind_hint(self, *operands) -> str | None:
        """The kind an operand array should have: the receiver's when non-empty,
        else that of the first TriDense operand."""
        if self._a.size:
            return self._kind
        for x in operands:
            if isinstance(x, TriDense):
                return x._kind
        return None

    def is_empty(self) -> bool:
        """Whether the matrix has no elements (and so takes any size as a receiver)."""
        return self._a.size == 0

    def reset(self) -> None:
        """Make the matrix empty, so that it takes the size and kind of the next
        result written into it (Gonum's ``Reset``)."""
        self._a = np.empty((0, 0))

    def zero(self) -> None:
        """Set every element to zero."""
        self._a[...] = 0.0

    def triangle(self) -> tuple[int, str]:
        """``(n, kind)``: the size and which triangle holds the elements (Gonum's
        ``Triangle``)."""
        return self._a.shape[0], self._kind

    def T(self) -> TriDense:  # noqa: N802 - Gonum's name
        """The transpose as a view: the transpose of an upper TriDense is a lower one
        sharing its memory (Gonum's ``TTri``).

        Examples
        --------
        >>> t = TriDense(2, "upper", [1, 2, 0, 3])
        >>> u = t.T()
        >>> u.triangle(), u.at(1, 0)
        ((2, 'lower'), 2.0)
        >>> u.set_tri(1, 0, 5.0)
        >>> t.at(0, 1)
        5.0
        """
        return TriDense._wrap(self._a.T, "lower" if self._kind == "upper" else "upper")

    def set_tri(self, i: int, j: int, v: float) -> None:
        """Set the element at row ``i``, column ``j`` to ``v``.

        Raises
        ------
        IndexError
            If ``(i, j)`` is out of range.
        ValueError
            If ``(i, j)`` lies in the triangle that is always zero.
        """
        n = self._a.shape[0]
        if not (0 <= i < n and 0 <= j < n):
            raise IndexError(f"set_tri: index ({i}, {j}) out of range for a {n}×{n} matrix")
        if (i > j) if self._kind == "upper" else (i < j):
            side = "below" if self._kind == "upper" else "above"
            raise ValueError(
                f"set_tri: ({i}, {j}) is {side} the diagonal of a {self._kind} "
                f"triangular matrix, where the elements are always zero"
            )
        self._a[i, j] = v

    def copy_tri(self, a) -> tuple[int, int]:
        """Copy the elements of ``a`` that fall in the receiver's triangle, over the
        leading block that fits; return the (rows, cols) of that block (Gonum's
        ``TriDense.Copy``). ``a`` may be any matrix; the receiver's other triangle
        stays zero. Overlapping storage is handled.

        Examples
        --------
        >>> t = TriDense(2, "lower")
        >>> t.copy_tri([[1, 2, 3], [4, 5, 6]])
        (2, 2)
        >>> t.at(1, 0), t.at(0, 1)
        (4.0, 0.0)
        """
        A = as_matrix(a, "copy_tri", "a")
        n = self._a.shape[0]
        r, c = min(n, A.shape[0]), min(n, A.shape[1])
        if r == 0 or c == 0:
            return 0, 0
        k = -1 if self._kind == "upper" else 0
        inside = np.tri(r, c, k=k, dtype=bool)
        if self._kind == "upper":
            inside = ~inside
        np.copyto(self._a[:r, :c], A[:r, :c], where=inside)
        return r, c

    # -- arithmetic ----------------------------------------------------------------

    def scale_tri(self, f: float, a) -> None:
        """Set the receiver to ``f * a`` for a triangular ``a``; it may be ``a``.

        Examples
        --------
        >>> t = TriDense(2, "upper", [1, 2, 0, 3])
        >>> t.scale_tri(2, t)
        >>> t.at(0, 1)
        4.0
        """
        A, kind = _tri_operand(a, "scale_tri", "a", self._kind_hint(a))
        C = self._reuse_as(A.shape[0], kind, "scale_tri")
        alias_guard("scale_tri", C, A)
        _elementwise.scale(float(f), A, C)
        if not math.isfinite(f):
            _zero_other(C, kind)  # inf * 0 is NaN; the triangle stays exactly zero

    def mul_tri(self, a, b) -> None:
        """Set the receiver to the product ``a @ b`` of two triangular matrices of the
        same kind (Gonum's ``MulTri``; BLAS ``dtrmm``). The receiver may be ``a`` or
        ``b`` (a workspace is used); a partial overlap raises AliasingError.

        Raises
        ------
        ShapeError
            If the sizes differ, or a non-empty receiver has another size.
        ValueError
            If ``a`` and ``b`` (or the receiver) are of different kinds.

        Notes
        -----
        ``dtrmm`` multiplies ``a`` by all of ``b``, so an inf in ``a`` meets the
        stored zeros of ``b`` and gives NaN (as the dense product ``a @ b`` in numpy
        does) where Gonum's loop, which skips those zeros, gives a number. The zero
        triangle of the result is always exactly zero.

        Examples
        --------
        >>> t = TriDense()
        >>> t.mul_tri(TriDense(2, "upper", [1, 2, 0, 3]), [[1, 1], [0, 2]])
        >>> t.at(0, 1), t.at(1, 1)
        (5.0, 6.0)
        """
        op = "mul_tri"
        A, ka = _tri_operand(a, op, "a", self._kind_hint(a, b))
        B, kb = _tri_operand(b, op, "b", ka)
        if A.shape != B.shape:
            raise ShapeError(
                f"{op}: a is {dims_str(A.shape)} but b is {dims_str(B.shape)}; the "
                f"sizes must be equal"
            )
        if ka != kb:
            raise ValueError(
                f"{op}: a is {ka} triangular but b is {kb} triangular; both must be "
                f"of the same kind (Gonum: mat: triangle mismatch)"
            )
        C = self._reuse_as(A.shape[0], ka, op)
        alias_guard(op, C, A, B)
        upper = ka == "upper"
        if overlap(C, A) == 1:
            work = np.array(B, order="C")
            _blas.trmm_into(C, work, 1.0, True, upper, False, False)
            np.copyto(C, work)
        else:
            if overlap(C, B) != 1:
                np.copyto(C, B)
            _blas.trmm_into(blas_ready(A), C, 1.0, True, upper, False, False)
        # An inf or NaN in a reaches the zero triangle as inf * 0; keep it exactly zero.
        _zero_other(C, ka)

    def inverse_tri(self, a) -> None:
        """Set the receiver to the inverse of the triangular ``a`` (Gonum's
        ``InverseTri``; LAPACK ``dtrtri``). The receiver may be ``a``.

        The condition number ``‖a‖₁‖a⁻¹‖₁`` is computed from the result; above 1e16
        (Gonum's ``ConditionTolerance``) a :class:`~numkit.errors.ConditionWarning`
        is emitted (see :func:`numkit.errstate`).

        Raises
        ------
        SingularError
            If a diagonal element of ``a`` is exactly zero; the receiver is then not
            touched.
        ValueError
            If ``a`` is not triangular, or is of another kind than a non-empty
            receiver.

        Warns
        -----
        ConditionWarning
            If the condition number exceeds 1e16.

        Examples
        --------
        >>> t = TriDense()
        >>> t.inverse_tri(TriDense(2, "upper", [2, 1, 0, 4]))
        >>> t.at(0, 0), t.at(0, 1), t.at(1, 1)
        (0.5, -0.125, 0.25)
        """
        op = "inverse_tri"
        A, kind = _tri_operand(a, op, "a", self._kind_hint(a))
        n = A.shape[0]
        self._check_receiver(n, kind, op)
        alias_guard(op, self._a, A)
        _check_nonsingular(op, "a", A)
        norm_a = _reduce.norm1(A)
        C = self._reuse_as(n, kind, op)
        if overlap(C, A) != 1:
            np.copyto(C, A)
        info = _blas.trtri_inplace(C, kind == "upper", False)
        if info > 0:  # pragma: no cover - a zero diagonal was refused above
            raise SingularError(f"{op}: a is exactly singular (LAPACK dtrtri info={info})")
        cond = norm_a * _reduce.norm1(C)
        if cond > _CONDITION_TOLERANCE:
            report_condition(op, cond)

    def solve_tri(self, b) -> Dense:
        """A new Dense ``X`` with ``self @ X = b`` (BLAS ``dtrsm``).

        numkit's addition: Gonum solves triangular systems through ``Dense.Solve``
        and ``VecDense.SolveVec``. ``b`` is an n×k matrix or a vector of length n
        (the result is then n×1). The ratio max|t_ii| / min|t_ii| is a lower bound
        of the condition number; above 1e16 (Gonum's ``ConditionTolerance``) a
        :class:`~numkit.errors.ConditionWarning` is emitted.

        Raises
        ------
        ShapeError
            If ``b`` does not have n rows.
        SingularError
            If a diagonal element is exactly zero.

        Examples
        --------
        >>> t = TriDense(2, "lower", [2, 0, 1, 4])
        >>> x = t.solve_tri([2, 9])
        >>> x.at(0, 0), x.at(1, 0)
        (1.0, 2.0)
        """
        op = "solve_tri"
        B = as_matrix(b, op, "b")
        n = self._a.shape[0]
        if B.shape[0] != n:
            raise ShapeError(
                f"{op}: the matrix is {n}×{n} but b is {dims_str(B.shape)}; b must "
                f"have {n} rows"
            )
        _check_nonsingular(op, "the matrix", self._a)
        X = np.array(B, dtype=np.float64, order="C")
        _blas.trsm_into(self._a, X, 1.0, True, self._kind == "upper", False, False)
        if n:
            d = np.abs(np.diagonal(self._a))
            bound = float(d.max() / d.min())
            if bound > _CONDITION_TOLERANCE:
                report_condition(op, bound)
        return Dense._wrap(X)
