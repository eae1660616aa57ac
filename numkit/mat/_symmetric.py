"""SymDense: a symmetric float64 matrix (Gonum's ``mat.SymDense``).

Storage is a full n×n row-major array whose two triangles every method keeps equal,
so ``numpy.asarray(s)`` is a zero-copy view and BLAS reads either triangle. Updates
that BLAS computes on one triangle (``dsyrk``, ``dger``) are followed by a mirror of
that triangle, never by recomputing the other, so symmetry is exact, bit for bit.
"""

from __future__ import annotations

import numpy as np

from numkit._kernels import _blas, _elementwise
from numkit.errors import AliasingError, ShapeError
from numkit.mat._base import (
    Matrix,
    alias_guard,
    as_matrix,
    as_vector,
    blas_ready,
    check_square,
    dims_str,
    overlap,
    really_shares,
)

__all__ = ["SymDense"]

# sqrt(eps): an operand computed as a symmetric product in k-term sums carries an
# asymmetry of order k·eps·max|a|, far below this for any k < 1/sqrt(eps) ≈ 6.7e7;
# an asymmetry above it is a wrong input, not roundoff.
SYMMETRY_RTOL = float(np.sqrt(np.finfo(np.float64).eps))


# -- helpers shared by the structured matrix types (_triangular imports them) -------






def _isolate(op: str, dst: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``x`` for an operation that reads ``x`` while writing ``dst``: a copy when it is
    the same view as ``dst`` (Gonum's isolated workspace), AliasingError when it
    partially overlaps, ``x`` itself otherwise."""
    share = overlap(dst, x)
    if share == 1:
        return np.array(x, order="C")
    if share == 2 and really_shares(dst, x):
        raise AliasingError(
            f"{op}: the receiver partially overlaps an operand; use a separate "
            f"receiver (Gonum: mat: aliasing)"
        )
    return x


def _blas_vector(v: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """``v`` as a BLAS vector that stays valid while ``dst`` is written: copied when
    it shares memory with ``dst`` or has a stride BLAS cannot take."""
    s = v.strides[0] if v.shape[0] > 1 else 8
    if s == 0 or s % 8 or overlap(dst, v):
        return np.array(v)
    return v


def _mirror_upper(c: np.ndarray) -> None:
    """Copy the strict upper triangle of the square ``c`` onto its strict lower one."""
    n = c.shape[0]
    if n > 1:
        # Writes touch only (i, j) with i > j and read c[j, i], which is never written.
        np.copyto(c, c.T, where=np.tri(n, k=-1, dtype=bool))




def _check_symmetric(op: str, name: str, a: np.ndarray, rtol: float) -> None:
    """Raise ValueError naming the largest ``|a[i, j] - a[j, i]|`` when it exceeds
    ``rtol * max|a|`` (NaN against a number, or inf against a finite number, always
    counts as asymmetric)."""
    at = a.T
    with np.errstate(invalid="ignore"):
        diff = np.abs(a - at)
    diff[(a == at) | (np.isnan(a) & np.isnan(at))] = 0.0
    diff[np.isnan(diff)] = np.inf
    if diff.size == 0:
        return
    k = int(np.argmax(diff))
    worst = float(diff.flat[k])
    finite = np.abs(a[np.isfinite(a)])
    scale = float(finite.max()) if finite.size else 0.0
    tol = rtol * scale
    if worst > tol:
        i, j = divmod(k, a.shape[1])
        raise ValueError(
            f"{op}: {name} is not symmetric: |{name}[{i}, {j}] - {name}[{j}, {i}]| = "
            f"|{a[i, j]:.17g} - {a[j, i]:.17g}| = {worst:.3g} exceeds rtol·max|{name}| "
            f"= {rtol:.3g}·{scale:.3g}; symmetrise it first (e.g. (a + a.T) / 2)"
        )


def _symmetric_operand(x, op: str, name: str, rtol: float = SYMMETRY_RTOL) -> np.ndarray:
    """``x`` as an exactly symmetric 2-D float64 array.

    A SymDense gives its storage; an exactly symmetric array is used as it is;
    another array must be symmetric within ``rtol`` and is replaced by a copy whose
    lower triangle mirrors its upper one (Gonum reads the upper triangle).
    """
    if isinstance(x, SymDense):
        return x._a
    a = as_matrix(x, op, name)
    check_square(op, name, a, "symmetric")
    if np.array_equal(a, a.T, equal_nan=True):
        return a
    _check_symmetric(op, name, a, rtol)
    s = np.array(a, order="C")
    _mirror_upper(s)
    return s


class SymDense(Matrix):
    """A symmetric float64 matrix in dense storage (Gonum's ``mat.SymDense``).

    Parameters
    ----------
    n : int
        Rows and columns. ``SymDense()`` is empty and takes the size of the first
        result written into it.
    data : array-like, optional
        ``n*n`` values in row-major order, of which only the upper triangle (j >= i)
        is read, as in Gonum's ``NewSymDense``. A writeable C-contiguous float64
        ndarray of that size becomes the backing store without a copy, **and its
        lower triangle is overwritten with the mirror of the upper one**; anything
        else is copied. Without data the matrix is zero.

    Notes
    -----
    Both triangles are stored and every method keeps them equal, so
    ``numpy.asarray(s)`` is a zero-copy view of a symmetric array. Writing into that
    view (rather than through :meth:`set_sym`) can break the symmetry; numkit does
    not check it again.

    Receivers follow :class:`~numkit.mat.Dense`: methods that write into the
    receiver return ``None``; an empty receiver takes the result's size, a non-empty
    one of another size raises :class:`~numkit.errors.ShapeError`; a receiver that
    *is* an operand is handled, one that partially overlaps an operand raises
    :class:`~numkit.errors.AliasingError`.

    Operands that are not SymDense (numpy arrays, Dense, ...) must be square and
    symmetric within a relative tolerance ``sqrt(eps)`` of their largest element
    (ValueError otherwise); their upper triangle is what is used.

    Examples
    --------
    >>> s = SymDense(2, [1, 2,
    ...                  0, 3])      # the lower triangle is not read
    >>> s.at(1, 0)
    2.0
    >>> s.sym_rank_one(s, 1.0, [1, 1])
    >>> s.at(0, 1), s.at(1, 0)
    (3.0, 3.0)
    """

    __slots__ = ("_a", "_spare", "__weakref__")

    def __init__(self, n: int = 0, data=None):
        self._spare = None
        if n < 0:
            raise ValueError(f"SymDense: n must be non-negative; got {n}")
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
                    f"SymDense: data has {arr.size} elements but a {n}×{n} matrix "
                    f"needs {n * n}"
                )
            a = arr.reshape(n, n)
        _mirror_upper(a)
        self._a = a

    @classmethod
    def from_array(cls, a, rtol: float = SYMMETRY_RTOL) -> SymDense:
        """A new SymDense holding a copy of the square, symmetric array-like ``a``.

        Parameters
        ----------
        a : array-like
            A square matrix, symmetric within ``rtol``. Its upper triangle is copied
            and mirrored, so the result is exactly symmetric.
        rtol : float, optional
            Largest accepted ``|a[i, j] - a[j, i]|`` relative to ``max|a|``. The
            default, ``sqrt(eps) ≈ 1.5e-8``, accepts the roundoff of any symmetric
            product of fewer than ~6.7e7 terms.

        Raises
        ------
        ShapeError
            If ``a`` is not square.
        ValueError
            If ``a`` is not symmetric within ``rtol``; the message names the largest
            asymmetry.

        Examples
        --------
        >>> SymDense.from_array([[2, 1], [1, 2]]).at(0, 1)
        1.0
        >>> SymDense.from_array([[2, 1], [0, 2]])  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: SymDense.from_array: a is not symmetric: |a[0, 1] - a[1, 0]| = ...
        """
        op = "SymDense.from_array"
        arr = as_matrix(a, op, "a")
        check_square(op, "a", arr, "symmetric")
        _check_symmetric(op, "a", arr, float(rtol))
        out = np.array(arr, dtype=np.float64, order="C")
        _mirror_upper(out)
        return cls._wrap(out)

    @classmethod
    def _wrap(cls, view: np.ndarray) -> SymDense:
        """A SymDense over an existing symmetric n×n float64 view (no copy, no check)."""
        s = cls.__new__(cls)
        s._a = view
        s._spare = None
        return s

    # -- storage and receivers ---------------------------------------------------

    def _reuse_as(self, n: int, op: str) -> np.ndarray:
        a = self._a
        if a.shape == (n, n):
            if not a.flags.writeable:
                raise ValueError(f"{op}: the receiver's storage is read-only")
            return a
        if a.size == 0:
            spare = self._spare
            if spare is not None and spare.size >= n * n:
                self._a = spare[: n * n].reshape(n, n)
            else:
                self._a = np.empty((n, n))
            return self._a
        raise ShapeError(
            f"{op}: the receiver is {dims_str(a.shape)} but the result is {n}×{n}; "
            f"pass an empty SymDense() or one of the result's size"
        )

    def is_empty(self) -> bool:
        """Whether the matrix has no elements (and so takes any size as a receiver)."""
        return self._a.size == 0

    def reset(self) -> None:
        """Make the matrix empty, keeping its storage for reuse by a later result of
        no greater size (Gonum's ``Reset``)."""
        a = self._a
        if a.size and a.flags.c_contiguous and a.flags.writeable and a.base is None:
            self._spare = a.reshape(-1)
        self._a = np.empty((0, 0))

    def zero(self) -> None:
        """Set every element to zero."""
        self._a[...] = 0.0

    def symmetric(self) -> int:
        """The number of rows (= columns), Gonum's ``Symmetric``."""
        return self._a.shape[0]

    def T(self) -> SymDense:  # noqa: N802 - Gonum's name
        """The transpose, which is the matrix itself (as Gonum's ``SymDense.T``)."""
        return self

    def set_sym(self, i: int, j: int, v: float) -> None:
        """Set the elements ``(i, j)`` and ``(j, i)`` to ``v``.

        Examples
        --------
        >>> s = SymDense(2)
        >>> s.set_sym(0, 1, 5.0)
        >>> s.at(1, 0)
        5.0
        """
        n = self._a.shape[0]
        if not (0 <= i < n and 0 <= j < n):
            raise IndexError(f"set_sym: index ({i}, {j}) out of range for a {n}×{n} matrix")
        self._a[i, j] = v
        self._a[j, i] = v

    def copy_sym(self, a) -> int:
        """Copy the leading block of the symmetric ``a`` that fits into the receiver;
        return its size ``min(n, a's n)`` (Gonum's ``CopySym``). Overlapping storage
        is handled. An empty receiver copies nothing.

        Examples
        --------
        >>> s = SymDense(1)
        >>> s.copy_sym([[4, 1], [1, 9]])
        1
        >>> s.at(0, 0)
        4.0
        """
        A = _symmetric_operand(a, "copy_sym", "a")
        n = min(A.shape[0], self._a.shape[0])
        if n:
            np.copyto(self._a[:n, :n], A[:n, :n])
        return n

    def slice_sym(self, i: int, k: int) -> SymDense:
        """The view of rows and columns ``i:k`` (a principal submatrix, so symmetric);
        it shares memory with the receiver (Gonum's ``SliceSym``).

        Examples
        --------
        >>> s = SymDense(3)
        >>> v = s.slice_sym(1, 3)
        >>> v.set_sym(0, 1, 7.0)
        >>> s.at(1, 2), s.at(2, 1)
        (7.0, 7.0)
        """
        n = self._a.shape[0]
        if not (0 <= i <= k <= n):
            raise IndexError(f"slice_sym: [{i}:{k}] is out of range for a {n}×{n} matrix")
        return SymDense._wrap(self._a[i:k, i:k])

    # -- arithmetic ----------------------------------------------------------------

    def _apply_elementwise(self, kernel, op: str, *operands) -> None:
        mats = [_symmetric_operand(x, op, name) for x, name in zip(operands, "ab", strict=False)]
        if len(mats) == 2 and mats[0].shape != mats[1].shape:
            raise ShapeError(
                f"{op}: a is {dims_str(mats[0].shape)} but b is "
                f"{dims_str(mats[1].shape)}; the sizes must be equal"
            )
        C = self._reuse_as(mats[0].shape[0], op)
        alias_guard(op, C, *mats)
        # One IEEE operation per element on equal mirrored inputs gives mirrored
        # outputs, so no triangle needs copying afterwards.
        kernel(*mats, C)

    def add_sym(self, a, b) -> None:
        """Set the receiver to ``a + b`` (Gonum's ``AddSym``); it may be ``a`` or ``b``.

        Examples
        --------
        >>> s = SymDense(2, [1, 2, 2, 3])
        >>> s.add_sym(s, s)
        >>> s.at(1, 0)
        4.0
        """
        self._apply_elementwise(_elementwise.add, "add_sym", a, b)

    def sub_sym(self, a, b) -> None:
        """Set the receiver to ``a - b``; it may be ``a`` or ``b``.

        Examples
        --------
        >>> s = SymDense()
        >>> s.sub_sym([[1, 2], [2, 1]], [[1, 1], [1, 1]])
        >>> s.at(0, 1)
        1.0
        """
        self._apply_elementwise(_elementwise.sub, "sub_sym", a, b)

    def scale_sym(self, f: float, a) -> None:
        """Set the receiver to ``f * a`` (Gonum's ``ScaleSym``); it may be ``a``.

        Examples
        --------
        >>> s = SymDense(2, [1, 2, 2, 3])
        >>> s.scale_sym(-2, s)
        >>> s.at(1, 1)
        -6.0
        """
        self._apply_elementwise(lambda A, C: _elementwise.scale(float(f), A, C), "scale_sym", a)

    def sym_outer(self, alpha: float, x) -> None:
        """Set the receiver to ``alpha * x xᵀ`` for a vector ``x``.

        One triangle is computed by BLAS ``dsyrk`` (with k = 1) and mirrored.

        Examples
        --------
        >>> s = SymDense()
        >>> s.sym_outer(2.0, [1, 3])
        >>> s.at(0, 1), s.at(1, 1)
        (6.0, 18.0)
        """
        xv = as_vector(x, "sym_outer", "x")
        C = self._reuse_as(xv.shape[0], "sym_outer")
        xv = _blas_vector(xv, C)
        _blas.syrk_into(blas_ready(xv[:, None]), C, float(alpha), 0.0, True, False)
        _mirror_upper(C)

    def sym_outer_k(self, alpha: float, x) -> None:
        """Set the receiver to ``alpha * X Xᵀ`` for an n×k matrix ``X`` (Gonum's
        ``SymOuterK``; BLAS ``dsyrk`` on the upper triangle, then mirrored).

        A receiver that *is* ``X`` is handled through a copy of ``X``; a partial
        overlap raises AliasingError.

        Raises
        ------
        ShapeError
            If a non-empty receiver is not n×n.

        Examples
        --------
        >>> s = SymDense()
        >>> s.sym_outer_k(1.0, [[1, 2], [3, 4]])
        >>> s.at(0, 1), s.at(1, 1)
        (11.0, 25.0)
        """
        X = as_matrix(x, "sym_outer_k", "x")
        C = self._reuse_as(X.shape[0], "sym_outer_k")
        X = _isolate("sym_outer_k", C, X)
        _blas.syrk_into(blas_ready(X), C, float(alpha), 0.0, True, False)
        _mirror_upper(C)

    def _update_start(self, a, op: str, n_update: int,
                      what: str) -> tuple[np.ndarray, np.ndarray]:
        """Shared start of the rank updates: check ``a``'s size against the update's,
        take the receiver and refuse a partial overlap of it with ``a``; return
        ``(a, receiver storage)``."""
        A = _symmetric_operand(a, op, "a")
        if A.shape[0] != n_update:
            raise ShapeError(f"{op}: a is {dims_str(A.shape)} but {what}")
        C = self._reuse_as(n_update, op)
        alias_guard(op, C, A)
        return A, C

    def sym_rank_one(self, a, alpha: float, x) -> None:
        """Set the receiver to ``a + alpha * x xᵀ`` (Gonum's ``SymRankOne``; BLAS
        ``dsyrk`` with k = 1 on the upper triangle, then mirrored). The receiver may
        be ``a``; ``x`` may share memory with it.

        Raises
        ------
        ShapeError
            If ``a`` is not n×n for ``x`` of length n, or a non-empty receiver has
            another size.

        Examples
        --------
        >>> s = SymDense(2, [1, 0, 0, 1])
        >>> s.sym_rank_one(s, -1.0, [1, 1])
        >>> s.at(0, 0), s.at(0, 1)
        (0.0, -1.0)
        """
        op = "sym_rank_one"
        xv = as_vector(x, op, "x")
        n = xv.shape[0]
        A, C = self._update_start(a, op, n, f"x has length {n}")
        xv = _blas_vector(xv, C)
        if overlap(C, A) != 1:
            np.copyto(C, A)
        _blas.syrk_into(blas_ready(xv[:, None]), C, float(alpha), 1.0, True, False)
        _mirror_upper(C)

    def rank_two(self, a, alpha: float, x, y) -> None:
        """Set the receiver to ``a + alpha (x yᵀ + y xᵀ)`` (Gonum's ``RankTwo``, BLAS
        ``dsyr2``; here two ``dger`` updates, then the upper triangle is mirrored).
        The receiver may be ``a``; ``x`` and ``y`` may share memory with it.

        Examples
        --------
        >>> s = SymDense(2)
        >>> s.rank_two(s, 1.0, [1, 0], [0, 1])
        >>> s.at(0, 1), s.at(1, 0), s.at(0, 0)
        (1.0, 1.0, 0.0)
        """
        op = "rank_two"
        xv = as_vector(x, op, "x")
        yv = as_vector(y, op, "y")
        n = xv.shape[0]
        if yv.shape[0] != n:
            raise ShapeError(f"{op}: x has length {n} but y has length {yv.shape[0]}")
        A, C = self._update_start(a, op, n, f"x and y have length {n}")
        xv = _blas_vector(xv, C)
        yv = _blas_vector(yv, C)
        if overlap(C, A) != 1:
            np.copyto(C, A)
        if n:
            _blas.ger_into(float(alpha), xv, yv, C)
            _blas.ger_into(float(alpha), yv, xv, C)
        _mirror_upper(C)

    def sym_rank_k(self, a, alpha: float, x) -> None:
        """Set the receiver to ``a + alpha * X Xᵀ`` for an n×k matrix ``X`` (Gonum's
        ``SymRankK``; BLAS ``dsyrk`` with beta = 1 on the upper triangle, then
        mirrored). The receiver may be ``a``; a receiver that *is* ``X`` is handled
        through a copy; a partial overlap raises AliasingError.

        Examples
        --------
        >>> s = SymDense(2, [1, 0, 0, 1])
        >>> s.sym_rank_k(s, 2.0, [[1, 0], [1, 1]])
        >>> s.at(0, 1), s.at(1, 1)
        (2.0, 5.0)
        """
        op = "sym_rank_k"
        X = as_matrix(x, op, "x")
        A, C = self._update_start(a, op, X.shape[0], f"x is {dims_str(X.shape)} "
                                  f"(a's size must equal x's row count)")
        X = _isolate(op, C, X)
        if overlap(C, A) != 1:
            np.copyto(C, A)
        _blas.syrk_into(blas_ready(X), C, float(alpha), 1.0, True, False)
        _mirror_upper(C)
