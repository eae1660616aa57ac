"""VecDense: a float64 column vector with any stride (Gonum's ``mat.VecDense``)."""

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
    dims_str,
    overlap,
    really_shares,
)
from numkit.mat._solve import solve_arrays

__all__ = ["VecDense"]






class VecDense(Matrix):
    """A dense float64 column vector (n×1), possibly a strided view into a matrix.

    Parameters
    ----------
    n : int
        Length. ``VecDense()`` is empty and takes the length of the first result
        written into it.
    data : array-like, optional
        ``n`` values. A contiguous float64 ndarray of length ``n`` becomes the
        backing store without a copy (as Gonum's ``NewVecDense``); anything else is
        copied. Without data the vector is zero.

    Notes
    -----
    Shape: :meth:`dims` is ``(n, 1)`` as Gonum's ``Dims`` (a vector is a column),
    while :attr:`shape` is ``(n,)`` and ``numpy.asarray(v)`` is 1-D, as numpy users
    expect of a vector. An empty vector's ``dims()`` is ``(0, 1)`` (Gonum's reset
    vector reports ``(0, 0)``).

    Methods that write into the receiver return ``None``: ``v.add_vec(a, b)`` sets
    ``v = a + b``. An empty receiver takes the result's length; a receiver of another
    length raises :class:`~numkit.errors.ShapeError`. Elementwise operations work in
    place (the receiver may *be* an operand); a receiver that partially overlaps an
    operand raises :class:`~numkit.errors.AliasingError`. Views (``slice_vec``,
    ``Dense.row_view``, ``Dense.col_view``) share memory and can be receivers.
    Operators (``+ - * /``, unary ``-``) return new vectors.

    Examples
    --------
    >>> from numkit.mat import Dense, VecDense
    >>> a = Dense(2, 3, [1, 2, 3, 4, 5, 6])
    >>> v = VecDense()
    >>> v.mul_vec(a, VecDense(3, [1, 1, 1]))
    >>> v.dims(), v.shape
    ((2, 1), (2,))
    >>> import numpy as np
    >>> np.asarray(v)
    array([ 6., 15.])
    """

    __slots__ = ("_v", "_cap", "_spare", "__weakref__")

    def __init__(self, n: int = 0, data=None):
        self._cap = None
        self._spare = None
        if n < 0:
            raise ValueError(f"VecDense: n must be non-negative; got {n}")
        if data is None:
            self._v = np.zeros(n)
            return
        if (type(data) is np.ndarray and data.dtype == np.float64 and data.ndim == 1
                and data.flags.c_contiguous and data.size == n):
            self._v = data
            return
        arr = np.array(data, dtype=np.float64)
        if arr.ndim != 1:
            arr = arr.reshape(-1).copy()  # own the storage, so reset() can keep it
        if arr.size != n:
            raise ShapeError(f"VecDense: data has {arr.size} elements but n is {n}")
        self._v = arr

    @classmethod
    def from_array(cls, a) -> VecDense:
        """A new VecDense holding a copy of ``a``: a 1-D array-like, or an n×1 or 1×n
        matrix.

        Raises
        ------
        ShapeError
            If ``a`` is not a vector (e.g. a 2×3 matrix).

        Examples
        --------
        >>> VecDense.from_array([[1], [2], [3]]).at_vec(2)
        3.0
        """
        src = as_vector(a, "VecDense.from_array", "a")
        return cls._wrap(np.array(src, dtype=np.float64, order="C"))

    @classmethod
    def _wrap(cls, view: np.ndarray, cap: np.ndarray | None = None) -> VecDense:
        """A VecDense over an existing 1-D float64 view (no copy); ``cap`` is the
        longer view, starting at the same element, that ``slice_vec`` may reach."""
        v = cls.__new__(cls)
        v._v = view
        v._cap = cap
        v._spare = None
        return v

    def _view(self) -> np.ndarray:
        return self._v[:, None]

    def __array__(self, dtype=None, copy=None):
        a = self._v
        if copy:
            a = a.copy()
        if dtype is not None and np.dtype(dtype) != a.dtype:
            if copy is False:
                raise ValueError("cannot convert without a copy")
            a = a.astype(dtype)
        return a

    @property
    def shape(self) -> tuple[int]:
        """``(n,)`` as numpy spells a vector's shape (:meth:`dims` is Gonum's
        ``(n, 1)``)."""
        return self._v.shape

    # -- storage and receivers ---------------------------------------------------

    def len(self) -> int:
        """The number of elements (Gonum's ``Len``)."""
        return self._v.shape[0]

    def __len__(self) -> int:
        return self._v.shape[0]

    def cap(self) -> int:
        """How far :meth:`slice_vec` can reach without a copy (Gonum's ``Cap``)."""
        return (self._cap if self._cap is not None else self._v).shape[0]

    def is_empty(self) -> bool:
        """Whether the vector has no elements (and so takes any length as a
        receiver)."""
        return self._v.shape[0] == 0

    def reset(self) -> None:
        """Make the vector empty, keeping its storage for reuse by a later result of
        no greater length (Gonum's ``Reset``).

        Examples
        --------
        >>> v = VecDense(3, [1, 2, 3])
        >>> v.reset()
        >>> v.len()
        0
        >>> v.scale_vec(2, [1, 2])    # an empty receiver takes the length
        >>> v.len()
        2
        """
        v = self._v
        if v.size and v.flags.c_contiguous and v.flags.writeable and v.base is None:
            self._spare = v
        self._v = np.empty(0)
        self._cap = None

    def zero(self) -> None:
        """Set every element to zero."""
        self._v[...] = 0.0

    def _reuse_as(self, n: int, op: str, *operands: np.ndarray) -> np.ndarray:
        """The receiver's storage as a length-n array: allocate if empty, else the
        lengths must agree. Kept storage that overlaps an operand is not reused."""
        v = self._v
        if v.shape[0] == n:
            if n and not v.flags.writeable:
                raise ValueError(f"{op}: the receiver's storage is read-only")
            return v
        if v.shape[0] == 0:
            spare = self._spare
            if (spare is not None and spare.shape[0] >= n
                    and not any(overlap(spare, x) for x in operands)):
                self._v = spare[:n]
            else:
                self._v = np.empty(n)
            self._cap = None
            return self._v
        raise ShapeError(
            f"{op}: the receiver has length {v.shape[0]} but the result has length "
            f"{n}; pass an empty VecDense() or one of length {n}"
        )

    def _check_index(self, i: int, op: str) -> None:
        if not 0 <= i < self._v.shape[0]:
            raise IndexError(
                f"{op}: index {i} out of range for a vector of length {self._v.shape[0]}"
            )

    def at_vec(self, i: int) -> float:
        """Element ``i`` (Gonum's ``AtVec``); IndexError when out of range."""
        self._check_index(i, "at_vec")
        return float(self._v[i])

    def set_vec(self, i: int, v: float) -> None:
        """Set element ``i`` to ``v`` (Gonum's ``SetVec``)."""
        self._check_index(i, "set_vec")
        self._v[i] = v

    def slice_vec(self, i: int, k: int) -> VecDense:
        """The view of elements ``i:k``; it shares memory and may reach beyond the
        length up to :meth:`cap` (Gonum's ``SliceVec``).

        Examples
        --------
        >>> v = VecDense(4, [1, 2, 3, 4])
        >>> s = v.slice_vec(1, 3)
        >>> s.set_vec(0, 20)
        >>> v.at_vec(1)
        20.0
        """
        cap = self._cap if self._cap is not None else self._v
        n = cap.shape[0]
        if not 0 <= i <= k <= n:
            raise IndexError(f"slice_vec: [{i}:{k}] is out of range for capacity {n}")
        sub = cap[i:]
        return VecDense._wrap(sub[: k - i], sub)

    def copy_vec(self, a) -> int:
        """Copy as many leading elements of ``a`` as fit into the receiver and return
        how many were copied (Gonum's ``CopyVec``). Overlapping storage is handled.

        Examples
        --------
        >>> v = VecDense(2)
        >>> v.copy_vec([7, 8, 9])
        2
        """
        src = as_vector(a, "copy_vec", "a")
        n = min(self._v.shape[0], src.shape[0])
        np.copyto(self._v[:n], src[:n])
        return n

    def clone_from_vec(self, a) -> None:
        """Make the receiver an independent copy of ``a``, of ``a``'s length
        (Gonum's ``CloneFromVec``)."""
        src = as_vector(a, "clone_from_vec", "a")
        self._v = np.array(src, dtype=np.float64, order="C")
        self._cap = None

    # -- arithmetic into the receiver ---------------------------------------------

    def _binary(self, kernel, op: str, a, b, alpha: float | None = None) -> None:
        x = as_vector(a, op, "a")
        y = as_vector(b, op, "b")
        if x.shape[0] != y.shape[0]:
            raise ShapeError(
                f"{op}: a has length {x.shape[0]} but b has length {y.shape[0]}; the "
                f"lengths must be equal"
            )
        out = self._reuse_as(x.shape[0], op, x, y)
        alias_guard(op, out, x, y)
        if alpha is None:
            kernel(x[:, None], y[:, None], out[:, None])
        else:
            kernel(x[:, None], alpha, y[:, None], out[:, None])

    def add_vec(self, a, b) -> None:
        """Set the receiver to ``a + b`` (Gonum's ``AddVec``).

        Raises
        ------
        ShapeError
            If the lengths differ, or a non-empty receiver has another length.
        AliasingError
            If the receiver partially overlaps ``a`` or ``b``.

        Examples
        --------
        >>> v = VecDense(2, [1, 2])
        >>> v.add_vec(v, [10, 20])      # in place is fine
        >>> v.at_vec(1)
        22.0
        """
        self._binary(_elementwise.add, "add_vec", a, b)

    def sub_vec(self, a, b) -> None:
        """Set the receiver to ``a - b`` (Gonum's ``SubVec``)."""
        self._binary(_elementwise.sub, "sub_vec", a, b)

    def mul_elem_vec(self, a, b) -> None:
        """Set the receiver to the elementwise product of ``a`` and ``b``."""
        self._binary(_elementwise.mul_elem, "mul_elem_vec", a, b)

    def div_elem_vec(self, a, b) -> None:
        """Set the receiver to the elementwise quotient ``a / b`` (IEEE rules:
        division by zero gives ±inf or NaN, as in numpy, without a warning)."""
        self._binary(_elementwise.div_elem, "div_elem_vec", a, b)

    def scale_vec(self, alpha: float, a) -> None:
        """Set the receiver to ``alpha * a`` (Gonum's ``ScaleVec``)."""
        x = as_vector(a, "scale_vec", "a")
        out = self._reuse_as(x.shape[0], "scale_vec", x)
        alias_guard("scale_vec", out, x)
        _elementwise.scale(float(alpha), x[:, None], out[:, None])

    def add_scaled_vec(self, a, alpha: float, b) -> None:
        """Set the receiver to ``a + alpha * b`` (Gonum's ``AddScaledVec``, BLAS
        axpy).

        Examples
        --------
        >>> v = VecDense()
        >>> v.add_scaled_vec([1, 1], 0.5, [2, 4])
        >>> v.at_vec(1)
        3.0
        """
        self._binary(_elementwise.add_scaled, "add_scaled_vec", a, b, float(alpha))

    def mul_vec(self, a, x) -> None:
        """Set the receiver to the matrix-vector product ``a @ x`` (BLAS dgemv;
        Gonum's ``MulVec``).

        ``a`` is any numkit matrix or 2-D array-like, including a transposed view
        (``Dense.T()``, a Fortran-ordered array), which BLAS reads without a copy.
        A receiver that *is* ``x`` is handled through a workspace, as Gonum does; a
        receiver that otherwise shares memory with ``a`` or ``x`` raises.

        Raises
        ------
        ShapeError
            If ``a`` has a column count other than the length of ``x``, or a
            non-empty receiver's length is not ``a``'s row count.
        AliasingError
            If the receiver overlaps ``a``, or partially overlaps ``x``.

        Examples
        --------
        >>> from numkit.mat import Dense
        >>> a = Dense(2, 2, [1, 2, 3, 4])
        >>> x = VecDense(2, [1, 1])
        >>> x.mul_vec(a.T(), x)         # x = aᵀ x, through a workspace
        >>> x.at_vec(0), x.at_vec(1)
        (4.0, 6.0)
        """
        A = as_matrix(a, "mul_vec", "a")
        xv = as_vector(x, "mul_vec", "x")
        r, c = A.shape
        if c != xv.shape[0]:
            raise ShapeError(
                f"mul_vec: a is {dims_str(A.shape)} but x has length {xv.shape[0]} "
                f"(a's column count must equal x's length)"
            )
        y = self._reuse_as(r, "mul_vec", A, xv)
        work = None
        # Gonum's isolatedWorkspace: a receiver that is x (or is the n×1 matrix a
        # itself) gets the product in scratch space first.
        for operand in (xv, A):
            kind = overlap(y, operand) if operand.ndim == 1 else overlap(y[:, None], operand)
            if kind == 1:
                work = np.empty(r)
            elif kind == 2 and really_shares(y, operand):
                raise AliasingError(
                    "mul_vec: the receiver shares memory with a or x; use a separate "
                    "receiver (Gonum: mat: aliasing)"
                )
        if xv.shape[0] and xv.strides[0] == 0:
            xv = np.ascontiguousarray(xv)  # a broadcast vector: BLAS needs an increment
        A = blas_ready(A) if r and c else A
        target = y if work is None else work
        if target.shape[0] and target.strides[0] == 0:  # pragma: no cover - defensive
            raise AliasingError("mul_vec: the receiver has zero stride")
        _blas.gemv_into(A, xv, target)
        if work is not None:
            y[...] = work

    def solve_vec(self, a, b) -> None:
        """Set the receiver to the solution x of ``a x = b`` (Gonum's ``SolveVec``):
        LU for a square ``a``, least squares by QR for a tall one, minimum norm by
        LQ for a wide one, as :meth:`Dense.solve <numkit.mat.Dense.solve>`.

        Raises
        ------
        ShapeError
            If ``b``'s length is not ``a``'s row count, or a non-empty receiver's
            length is not its column count.
        SingularError
            If ``a`` is exactly singular or rank deficient.
        ValueError
            If ``a`` or ``b`` holds NaN or inf.

        Warns
        -----
        ConditionWarning
            If the condition number estimate exceeds 1e16 (the result is written).

        Examples
        --------
        >>> x = VecDense()
        >>> x.solve_vec([[2.0, 1.0], [1.0, 3.0]], [3.0, 5.0])
        >>> x.at_vec(0), x.at_vec(1)
        (0.8, 1.4)
        """
        A = as_matrix(a, "solve_vec", "a")
        bv = as_vector(b, "solve_vec", "b")
        if A.shape[0] != bv.shape[0]:
            raise ShapeError(
                f"solve_vec: a is {dims_str(A.shape)} but b has length {bv.shape[0]} "
                f"(b needs length {A.shape[0]})"
            )
        x = self._reuse_as(A.shape[1], "solve_vec")
        solve_arrays("solve_vec", A, bv, x)

    # -- element access by indexing -----------------------------------------------

    def __getitem__(self, key):
        """``v[i]`` reads an element (numpy indexing on the 1-D view otherwise)."""
        return self._v[key]

    def __setitem__(self, key, value) -> None:
        self._v[key] = value

    # -- operators: allocate and return new vectors ---------------------------------

    def __add__(self, other):
        return self._operator(other, "add_vec", np.add)

    __radd__ = __add__

    def __sub__(self, other):
        return self._operator(other, "sub_vec", np.subtract)

    def __rsub__(self, other):
        if np.isscalar(other):
            return VecDense._wrap(np.subtract(float(other), self._v))
        b = _operand(other)
        if b is None:
            return NotImplemented
        out = VecDense()
        out.sub_vec(b, self)
        return out

    def __mul__(self, other):
        if np.isscalar(other):
            out = VecDense()
            out.scale_vec(float(other), self)
            return out
        return self._operator(other, "mul_elem_vec", np.multiply)

    __rmul__ = __mul__

    def __truediv__(self, other):
        if np.isscalar(other):
            return VecDense._wrap(self._v / float(other))
        return self._operator(other, "div_elem_vec", np.divide)

    def __neg__(self):
        out = VecDense()
        out.scale_vec(-1.0, self)
        return out

    def _operator(self, other, name: str, scalar_ufunc):
        if np.isscalar(other):
            return VecDense._wrap(scalar_ufunc(self._v, float(other)))
        b = _operand(other)
        if b is None:
            return NotImplemented
        out = VecDense()
        getattr(out, name)(self, b)
        return out

    def __iadd__(self, other):
        # Python rebinds the name to the return value; keep the storage in place.
        if np.isscalar(other):
            self._v += float(other)
        else:
            self.add_vec(self, other)
        return self

    def __isub__(self, other):
        if np.isscalar(other):
            self._v -= float(other)
        else:
            self.sub_vec(self, other)
        return self

    def __imul__(self, other):
        if np.isscalar(other):
            self.scale_vec(float(other), self)
        else:
            self.mul_elem_vec(self, other)
        return self


def _operand(x):
    """The other operand of a vector operator, or None (→ NotImplemented)."""
    if isinstance(x, (Matrix, np.ndarray, list, tuple)):
        return x
    return None
