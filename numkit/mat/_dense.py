"""Dense: a general float64 matrix in row-major storage (Gonum's ``mat.Dense``)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from numkit._kernels import _blas, _elementwise
from numkit.errors import AliasingError, ShapeError
from numkit.mat._base import (
    Matrix,
    alias_guard,
    as_matrix,
    as_vector,
    blas_ready,
    check_no_overlap,
    dims_str,
    overlap,
    really_shares,
)
from numkit.mat._solve import inverse_array, solve_arrays
from numkit.mat._vector import VecDense

__all__ = ["Dense"]






def _gemm(op: str, a: np.ndarray, b: np.ndarray, c: np.ndarray,
          alpha: float = 1.0, beta: float = 0.0) -> None:
    """``c = alpha a b + beta c``; a receiver equal to an operand uses a workspace
    (as Gonum's isolatedWorkspace); other overlap raises AliasingError."""
    status = _blas.gemm_into(a, b, c, alpha, beta)
    if status == 0:
        return
    if status == 1:
        _gemm(op, blas_ready(a), blas_ready(b), c, alpha, beta)
        return
    if not (really_shares(c, a) or really_shares(c, b)):
        work = np.empty_like(c) if beta == 0.0 else c.copy()
        _gemm(op, a, b, work, alpha, beta)
        c[...] = work
        return
    if overlap(c, a) == 1 or overlap(c, b) == 1:
        work = np.empty(c.shape) if beta == 0.0 else c.copy()
        _gemm(op, a, b, work, alpha, beta)
        c[...] = work
        return
    raise AliasingError(
        f"{op}: the receiver partially overlaps an operand; use a separate receiver "
        f"(Gonum: mat: aliasing)"
    )


class Dense(Matrix):
    """A dense float64 matrix stored row-major (Gonum's ``mat.Dense``).

    Parameters
    ----------
    r, c : int
        Rows and columns. ``Dense()`` is an empty matrix, which takes the shape of
        the first result written into it.
    data : array-like, optional
        ``r*c`` values in row-major order. A C-contiguous float64 ndarray of that
        size becomes the backing store without a copy (as Gonum's ``NewDense``);
        anything else is copied. Without data the matrix is zero.

    Notes
    -----
    Methods that write into the receiver return ``None``: ``c.mul(a, b)`` sets
    ``c = a @ b``. An empty receiver takes the needed shape; a receiver of another
    shape raises :class:`~numkit.errors.ShapeError`. Views (``slice``, ``row_view``,
    ``col_view``, ``T``) share memory with the matrix they come from and can be
    receivers themselves. Operators (``+ - * / @``, unary ``-``) return new matrices.

    Examples
    --------
    >>> from numkit.mat import Dense
    >>> a = Dense(2, 2, [1, 2, 3, 4])
    >>> c = Dense()
    >>> c.mul(a, a)
    >>> print(c)
    ⎡ 7  10⎤
    ⎣15  22⎦
    """

    __slots__ = ("_a", "_cap", "_spare", "__weakref__")

    def __init__(self, r: int = 0, c: int = 0, data=None):
        self._cap = None
        self._spare = None
        if r < 0 or c < 0:
            raise ValueError(f"Dense: dimensions must be non-negative; got {r}×{c}")
        if data is None:
            self._a = np.zeros((r, c))
            return
        if (
            type(data) is np.ndarray
            and data.dtype == np.float64
            and data.flags.c_contiguous
            and data.size == r * c
        ):
            self._a = data.reshape(r, c)
            return
        arr = np.array(data, dtype=np.float64)
        if arr.size != r * c:
            raise ShapeError(
                f"Dense: data has {arr.size} elements but a {r}×{c} matrix needs {r * c}"
            )
        self._a = arr.reshape(r, c)

    @classmethod
    def from_array(cls, a) -> Dense:
        """A new Dense holding a copy of the 2-D array-like ``a``.

        Examples
        --------
        >>> Dense.from_array([[1, 2], [3, 4]]).at(1, 0)
        3.0
        """
        arr = np.array(as_matrix(a, "Dense.from_array", "a"), dtype=np.float64, order="C")
        return cls._wrap(arr)

    @classmethod
    def _wrap(cls, view: np.ndarray, cap: np.ndarray | None = None) -> Dense:
        """A Dense over an existing 2-D float64 view (no copy)."""
        m = cls.__new__(cls)
        m._a = view
        m._cap = cap
        m._spare = None
        return m

    # -- storage and receivers ---------------------------------------------------

    def _reuse_as(self, r: int, c: int, op: str) -> np.ndarray:
        """The receiver's storage as an r×c array: allocate if empty, else the shapes
        must agree."""
        a = self._a
        if a.shape == (r, c):
            if not a.flags.writeable:
                raise ValueError(f"{op}: the receiver's storage is read-only")
            return a
        if a.size == 0:
            spare = self._spare
            if spare is not None and spare.size >= r * c:
                self._a = spare[: r * c].reshape(r, c)
            else:
                self._a = np.empty((r, c))
            self._cap = None
            return self._a
        raise ShapeError(
            f"{op}: the receiver is {dims_str(a.shape)} but the result is {r}×{c}; "
            f"pass an empty Dense() or one of the result's shape"
        )

    def is_empty(self) -> bool:
        """Whether the matrix has no elements (and so takes any shape as a receiver)."""
        return self._a.size == 0

    def caps(self) -> tuple[int, int]:
        """Row and column capacity (Gonum's ``Caps``): how far ``grow`` and ``slice``
        can extend without a copy."""
        return (self._cap if self._cap is not None else self._a).shape

    def reset(self) -> None:
        """Make the matrix empty, keeping its storage for reuse by a later result of
        no greater size (Gonum's ``Reset``)."""
        a = self._a
        if a.size and a.flags.c_contiguous and a.flags.writeable:
            self._spare = a.reshape(-1)
        self._a = np.empty((0, 0))
        self._cap = None

    def zero(self) -> None:
        """Set every element to zero."""
        self._a[...] = 0.0

    def set(self, i: int, j: int, v: float) -> None:
        """Set the element at row ``i``, column ``j`` to ``v``."""
        a = self._a
        r, c = a.shape
        if not (0 <= i < r and 0 <= j < c):
            raise IndexError(f"set: index ({i}, {j}) out of range for a {r}×{c} matrix")
        a[i, j] = v

    def copy_from(self, a) -> tuple[int, int]:
        """Copy as much of ``a`` as fits into the receiver, from the top left; return
        the (rows, cols) copied (Gonum's ``Copy``). Overlapping storage is handled."""
        src = as_matrix(a, "copy_from", "a")
        dst = self._a
        r = min(dst.shape[0], src.shape[0])
        c = min(dst.shape[1], src.shape[1])
        np.copyto(dst[:r, :c], src[:r, :c])
        return r, c

    def clone_from(self, a) -> None:
        """Make the receiver an independent copy of ``a``, of ``a``'s shape."""
        src = as_matrix(a, "clone_from", "a")
        self._a = np.array(src, dtype=np.float64, order="C")
        self._cap = None

    def grow(self, r: int, c: int) -> Dense:
        """A matrix r rows and c columns larger that starts with this one's values,
        sharing its storage when the capacity allows (Gonum's ``Grow``)."""
        if r < 0 or c < 0:
            raise ValueError(f"grow: r and c must be non-negative; got {r}, {c}")
        rows, cols = self._a.shape
        nr, nc = rows + r, cols + c
        cap = self._cap if self._cap is not None else self._a
        if nr <= cap.shape[0] and nc <= cap.shape[1]:
            return Dense._wrap(cap[:nr, :nc], cap)
        out = np.zeros((nr, nc))
        out[:rows, :cols] = self._a
        return Dense._wrap(out)

    def slice(self, i: int, k: int, j: int, l: int) -> Dense:
        """The view of rows ``i:k`` and columns ``j:l``; it shares memory and keeps
        the capacity beyond it (Gonum's ``Slice``)."""
        cap = self._cap if self._cap is not None else self._a
        cr, cc = cap.shape
        if not (0 <= i <= k <= cr and 0 <= j <= l <= cc):
            raise IndexError(
                f"slice: [{i}:{k}, {j}:{l}] is out of range for capacity {cr}×{cc}"
            )
        sub = cap[i:, j:]
        return Dense._wrap(sub[: k - i, : l - j], sub)

    def row_view(self, i: int) -> VecDense:
        """Row ``i`` as a VecDense sharing memory with the matrix."""
        self._check_row(i, "row_view")
        return VecDense._wrap(self._a[i])

    def col_view(self, j: int) -> VecDense:
        """Column ``j`` as a VecDense sharing memory with the matrix."""
        self._check_col(j, "col_view")
        return VecDense._wrap(self._a[:, j])

    def raw_row_view(self, i: int) -> np.ndarray:
        """Row ``i`` as a 1-D ndarray sharing memory (Gonum's ``RawRowView``)."""
        self._check_row(i, "raw_row_view")
        return self._a[i]

    def set_row(self, i: int, src) -> None:
        """Copy the vector ``src`` (length = columns) into row ``i``."""
        self._check_row(i, "set_row")
        v = as_vector(src, "set_row", "src")
        if v.shape[0] != self._a.shape[1]:
            raise ShapeError(
                f"set_row: src has length {v.shape[0]} but the matrix has "
                f"{self._a.shape[1]} columns"
            )
        self._a[i] = v

    def set_col(self, j: int, src) -> None:
        """Copy the vector ``src`` (length = rows) into column ``j``."""
        self._check_col(j, "set_col")
        v = as_vector(src, "set_col", "src")
        if v.shape[0] != self._a.shape[0]:
            raise ShapeError(
                f"set_col: src has length {v.shape[0]} but the matrix has "
                f"{self._a.shape[0]} rows"
            )
        self._a[:, j] = v

    def _check_row(self, i: int, op: str) -> None:
        if not 0 <= i < self._a.shape[0]:
            raise IndexError(f"{op}: row {i} out of range for {self._a.shape[0]} rows")

    def _check_col(self, j: int, op: str) -> None:
        if not 0 <= j < self._a.shape[1]:
            raise IndexError(
                f"{op}: column {j} out of range for {self._a.shape[1]} columns"
            )

    def T(self) -> Dense:  # noqa: N802 - Gonum's name
        """The transpose as a view sharing memory (no copy)."""
        return Dense._wrap(self._a.T)

    # -- arithmetic into the receiver ---------------------------------------------

    def _binary(self, kernel, op: str, a, b) -> None:
        A = a._a if type(a) is Dense else as_matrix(a, op, "a")
        B = b._a if type(b) is Dense else as_matrix(b, op, "b")
        if A.shape != B.shape:
            raise ShapeError(
                f"{op}: a is {dims_str(A.shape)} but b is {dims_str(B.shape)}; "
                f"the shapes must be equal"
            )
        C = self._a
        if C.shape != A.shape or not C.flags.writeable:
            C = self._reuse_as(A.shape[0], A.shape[1], op)
        # The kernel reports a partial overlap (status 2) without writing; interleaved
        # views can meet without sharing an element, which alias_guard decides.
        if kernel(A, B, C, True):
            alias_guard(op, C, A, B)
            kernel(A, B, C)

    def add(self, a, b) -> None:
        """Set the receiver to ``a + b``.

        Examples
        --------
        >>> m = Dense(1, 2, [1, 2])
        >>> m.add(m, m)      # in place is fine
        >>> m.raw_row_view(0)
        array([2., 4.])
        """
        self._binary(_elementwise.add, "add", a, b)

    def sub(self, a, b) -> None:
        """Set the receiver to ``a - b``."""
        self._binary(_elementwise.sub, "sub", a, b)

    def mul_elem(self, a, b) -> None:
        """Set the receiver to the elementwise product of ``a`` and ``b``."""
        self._binary(_elementwise.mul_elem, "mul_elem", a, b)

    def div_elem(self, a, b) -> None:
        """Set the receiver to the elementwise quotient ``a / b`` (IEEE rules:
        division by zero gives ±inf or NaN, as in numpy, without a warning)."""
        self._binary(_elementwise.div_elem, "div_elem", a, b)

    def scale(self, f: float, a) -> None:
        """Set the receiver to ``f * a``."""
        A = as_matrix(a, "scale", "a")
        C = self._reuse_as(A.shape[0], A.shape[1], "scale")
        alias_guard("scale", C, A)
        _elementwise.scale(float(f), A, C)

    def mul(self, a, b) -> None:
        """Set the receiver to the matrix product ``a @ b`` (BLAS dgemm; tiny
        products use a plain loop that costs less than the BLAS call).

        A receiver that *is* ``a`` or ``b`` is handled through a workspace, as Gonum
        does; a receiver that partially overlaps one raises AliasingError.

        Raises
        ------
        ShapeError
            If the inner dimensions differ, or a non-empty receiver has the wrong
            shape.

        Examples
        --------
        >>> a = Dense(2, 3, [1, 2, 3, 4, 5, 6])
        >>> c = Dense(2, 2)
        >>> c.mul(a, a.T())
        >>> c.raw_row_view(1)
        array([32., 77.])
        """
        A = a._a if type(a) is Dense else as_matrix(a, "mul", "a")
        B = b._a if type(b) is Dense else as_matrix(b, "mul", "b")
        r, k = A.shape
        k2, c = B.shape
        if k != k2:
            raise ShapeError(
                f"mul: a is {r}×{k} but b is {k2}×{c} (inner dimensions {k} and {k2} "
                f"differ)"
            )
        C = self._a
        if C.shape != (r, c) or not C.flags.writeable:
            C = self._reuse_as(r, c, "mul")
        if _blas.gemm_into(A, B, C):
            _gemm("mul", A, B, C)

    def apply(self, fn: Callable, a) -> None:
        """Set the receiver to ``fn`` applied to ``a``.

        ``fn`` is called once, vectorised: a numpy ufunc (or any function of one
        array) is called as ``fn(values)``; a function of three arguments as
        ``fn(i, j, values)`` with broadcast row and column index arrays (Gonum's
        ``Apply(fn(i, j, v))``, without a Python call per element).

        Examples
        --------
        >>> import numpy as np
        >>> m = Dense(2, 2, [0, 1, 2, 3])
        >>> m.apply(np.sqrt, Dense(2, 2, [1, 4, 9, 16]))
        >>> m.raw_row_view(1)
        array([3., 4.])
        >>> m.apply(lambda i, j, v: v + 10 * i + j, Dense(2, 2))
        >>> m.raw_row_view(1)
        array([10., 11.])
        """
        A = as_matrix(a, "apply", "a")
        C = self._reuse_as(A.shape[0], A.shape[1], "apply")
        alias_guard("apply", C, A)
        if isinstance(fn, np.ufunc) and fn.nin == 1:
            fn(A, out=C)
            return
        try:
            import inspect

            nargs = len(inspect.signature(fn).parameters)
        except (TypeError, ValueError):
            nargs = 1
        if nargs == 3:
            i = np.arange(A.shape[0])[:, None]
            j = np.arange(A.shape[1])[None, :]
            res = fn(i, j, A)
        else:
            res = fn(A)
        res = np.asarray(res, dtype=np.float64)
        if res.shape != A.shape:
            try:
                res = np.broadcast_to(res, A.shape)
            except ValueError:
                raise ShapeError(
                    f"apply: fn returned shape {res.shape} for a {dims_str(A.shape)} "
                    f"input; it must work elementwise on arrays"
                ) from None
        np.copyto(C, res)

    def pow(self, a, n: int) -> None:
        """Set the receiver to the matrix power ``a**n`` for an integer ``n >= 0``,
        by repeated squaring (``a**0`` is the identity)."""
        A = as_matrix(a, "pow", "a")
        if A.shape[0] != A.shape[1]:
            raise ShapeError(f"pow: a must be square; got {dims_str(A.shape)}")
        if not isinstance(n, (int, np.integer)) or n < 0:
            raise ValueError(f"pow: n must be a non-negative integer; got {n!r}")
        size = A.shape[0]
        result = np.eye(size)
        base = np.array(A, order="C")
        tmp = np.empty((size, size))
        n = int(n)
        first = True
        while n:
            if n & 1:
                if first:
                    result[...] = base
                    first = False
                else:
                    _gemm("pow", result, base, tmp)
                    result, tmp = tmp, result
            n >>= 1
            if n:
                _gemm("pow", base, base, tmp)
                base, tmp = tmp, base
        C = self._reuse_as(size, size, "pow")
        C[...] = result

    def exp(self, a) -> None:
        """Set the receiver to the matrix exponential ``e**a``.

        Scaling and squaring with a degree-13 Padé approximant (Higham 2005), the
        algorithm of Gonum's ``Exp`` and of ``scipy.linalg.expm``.

        References
        ----------
        N. J. Higham, "The scaling and squaring method for the matrix exponential
        revisited", SIAM J. Matrix Anal. Appl. 26(4), 2005.

        Examples
        --------
        >>> m = Dense()
        >>> m.exp(Dense(2, 2, [0, 0, 0, 0]))
        >>> m.raw_row_view(0)
        array([1., 0.])
        """
        A = as_matrix(a, "exp", "a")
        if A.shape[0] != A.shape[1]:
            raise ShapeError(f"exp: a must be square; got {dims_str(A.shape)}")
        if not np.isfinite(A).all():
            raise ValueError("exp: a contains NaN or infinity")
        result = _expm(np.array(A, order="C"))
        C = self._reuse_as(A.shape[0], A.shape[1], "exp")
        C[...] = result

    def product(self, *factors) -> None:
        """Set the receiver to the product of ``factors``, multiplied in the order
        that needs the fewest flops (the matrix-chain dynamic programme, as Gonum's
        ``Product``)."""
        if not factors:
            raise ValueError("product: needs at least one factor")
        mats = [as_matrix(f, "product", f"factors[{i}]") for i, f in enumerate(factors)]
        for i in range(len(mats) - 1):
            if mats[i].shape[1] != mats[i + 1].shape[0]:
                raise ShapeError(
                    f"product: factors[{i}] is {dims_str(mats[i].shape)} but "
                    f"factors[{i + 1}] is {dims_str(mats[i + 1].shape)}"
                )
        result = _chain_product(mats)
        C = self._reuse_as(result.shape[0], result.shape[1], "product")
        C[...] = result

    def kronecker(self, a, b) -> None:
        """Set the receiver to the Kronecker product ``a ⊗ b``."""
        A = as_matrix(a, "kronecker", "a")
        B = as_matrix(b, "kronecker", "b")
        ar, ac = A.shape
        br, bc = B.shape
        C = self._reuse_as(ar * br, ac * bc, "kronecker")
        check_no_overlap("kronecker", C, A, B)
        # Row (i, j), column (k, l) of the product is A[i, k] * B[j, l].
        C[...] = np.multiply(A[:, None, :, None], B[None, :, None, :]).reshape(C.shape)

    def outer(self, alpha: float, x, y) -> None:
        """Set the receiver to ``alpha * x yᵀ`` (Gonum's ``Outer``)."""
        xv = as_vector(x, "outer", "x")
        yv = as_vector(y, "outer", "y")
        C = self._reuse_as(xv.shape[0], yv.shape[0], "outer")
        alias_guard("outer", C, xv[:, None], yv[:, None])
        C[...] = 0.0
        if C.size:
            _blas.ger_into(float(alpha), np.ascontiguousarray(xv),
                           np.ascontiguousarray(yv), _writable_blas(C))

    def rank_one(self, a, alpha: float, x, y) -> None:
        """Set the receiver to ``a + alpha * x yᵀ`` (BLAS dger; Gonum's ``RankOne``).
        The receiver may be ``a``."""
        A = as_matrix(a, "rank_one", "a")
        xv = as_vector(x, "rank_one", "x")
        yv = as_vector(y, "rank_one", "y")
        if A.shape != (xv.shape[0], yv.shape[0]):
            raise ShapeError(
                f"rank_one: a is {dims_str(A.shape)} but x yᵀ is "
                f"{xv.shape[0]}×{yv.shape[0]}"
            )
        C = self._reuse_as(A.shape[0], A.shape[1], "rank_one")
        alias_guard("rank_one", C, A)
        if overlap(C, xv[:, None]) or overlap(C, yv[:, None]):
            xv, yv = xv.copy(), yv.copy()
        if overlap(C, A) != 1:
            np.copyto(C, A)
        if C.size:
            _blas.ger_into(float(alpha), xv, yv, _writable_blas(C))

    def solve(self, a, b) -> None:
        """Set the receiver to the solution X of ``a X = b`` (Gonum's ``Solve``).

        Gonum's rules: a square ``a`` is solved by LU with partial pivoting and a
        1-norm condition estimate; a tall ``a`` (m > n) gives the least-squares
        solution by QR; a wide one (m < n) the minimum-norm solution by LQ.

        Parameters
        ----------
        a : matrix or array-like
            The m×n coefficient matrix (any strides or order; not modified).
        b : matrix or array-like
            The m×k right-hand sides (a 1-D ``b`` is one column).

        Raises
        ------
        ShapeError
            If ``b`` does not have m rows, or a non-empty receiver is not n×k.
        SingularError
            If ``a`` is exactly singular (square) or rank deficient (R or L with a
            zero diagonal element).
        ValueError
            If ``a`` or ``b`` holds NaN or inf.

        Warns
        -----
        ConditionWarning
            If the condition number estimate (of ``a``, or of R or L) exceeds 1e16;
            the result is written first. See :func:`numkit.errstate`.

        Notes
        -----
        The receiver may be ``a`` or ``b`` (or overlap them): the operands are read
        or copied before it is written. Systems of order ≤ 8 are solved by one call
        of a stack kernel that also computes the exact 1-norm condition number.

        References
        ----------
        LAPACK dgetrf, dgecon, dgetrs; dgeqrf, dormqr, dtrtrs, dtrcon; dgelqf, dormlq.

        Examples
        --------
        >>> x = Dense()
        >>> x.solve(Dense(2, 2, [2, 0, 0, 4]), Dense(2, 1, [2, 8]))
        >>> x.raw_row_view(1)
        array([2.])
        >>> x = Dense()
        >>> x.solve(Dense(3, 1, [1, 1, 1]), Dense(3, 1, [1, 2, 3]))   # least squares
        >>> x.at(0, 0)
        2.0
        """
        A = a._a if type(a) is Dense else as_matrix(a, "solve", "a")
        B = b._a if type(b) is Dense else as_matrix(b, "solve", "b")
        if A.shape[0] != B.shape[0]:
            raise ShapeError(
                f"solve: a is {dims_str(A.shape)} but b is {dims_str(B.shape)} (b needs "
                f"{A.shape[0]} rows)"
            )
        X = self._a
        if X.shape != (A.shape[1], B.shape[1]) or not X.flags.writeable:
            X = self._reuse_as(A.shape[1], B.shape[1], "solve")
        solve_arrays("solve", A, B, X)

    def inverse(self, a) -> None:
        """Set the receiver to the inverse of the square matrix ``a`` (Gonum's
        ``Inverse``). The receiver may be ``a`` itself.

        Raises
        ------
        ShapeError
            If ``a`` is not square, or a non-empty receiver has another shape.
        SingularError
            If ``a`` is exactly singular.
        ValueError
            If ``a`` holds NaN or inf.

        Warns
        -----
        ConditionWarning
            If the 1-norm condition number estimate exceeds 1e16 (the inverse is
            written first). See :func:`numkit.errstate`.

        Notes
        -----
        LU with partial pivoting, the condition estimate, then the inverse from the
        factors; order ≤ 8 uses a stack kernel with the exact condition number.

        References
        ----------
        LAPACK dgetrf, dgecon, dgetri.

        Examples
        --------
        >>> m = Dense(2, 2, [2, 1, 1, 1])
        >>> m.inverse(m)
        >>> print(m)
        ⎡ 1  -1⎤
        ⎣-1   2⎦
        """
        A = a._a if type(a) is Dense else as_matrix(a, "inverse", "a")
        if A.shape[0] != A.shape[1]:
            raise ShapeError(
                f"inverse: a must be square (only square matrices have an inverse); "
                f"got {dims_str(A.shape)}"
            )
        X = self._reuse_as(A.shape[0], A.shape[1], "inverse")
        inverse_array("inverse", A, X)

    def stack(self, a, b) -> None:
        """Set the receiver to ``a`` on top of ``b`` (equal column counts)."""
        A = as_matrix(a, "stack", "a")
        B = as_matrix(b, "stack", "b")
        if A.shape[1] != B.shape[1]:
            raise ShapeError(
                f"stack: a is {dims_str(A.shape)} but b is {dims_str(B.shape)} "
                f"(column counts {A.shape[1]} and {B.shape[1]} differ)"
            )
        C = self._reuse_as(A.shape[0] + B.shape[0], A.shape[1], "stack")
        check_no_overlap("stack", C, A, B)
        C[: A.shape[0]] = A
        C[A.shape[0]:] = B

    def augment(self, a, b) -> None:
        """Set the receiver to ``a`` beside ``b`` (equal row counts)."""
        A = as_matrix(a, "augment", "a")
        B = as_matrix(b, "augment", "b")
        if A.shape[0] != B.shape[0]:
            raise ShapeError(
                f"augment: a is {dims_str(A.shape)} but b is {dims_str(B.shape)} "
                f"(row counts {A.shape[0]} and {B.shape[0]} differ)"
            )
        C = self._reuse_as(A.shape[0], A.shape[1] + B.shape[1], "augment")
        check_no_overlap("augment", C, A, B)
        C[:, : A.shape[1]] = A
        C[:, A.shape[1]:] = B

    def permute_rows(self, p: Sequence[int], inverse: bool = False) -> None:
        """Permute the rows in place: row i becomes row ``p[i]`` of the original
        (``inverse=True`` applies the inverse permutation), as Gonum's
        ``PermuteRows``."""
        perm = _check_permutation("permute_rows", p, self._a.shape[0])
        if inverse:
            self._a[perm] = self._a.copy()
        else:
            self._a[...] = self._a[perm]

    def permute_cols(self, p: Sequence[int], inverse: bool = False) -> None:
        """Permute the columns in place: column j becomes column ``p[j]`` of the
        original (``inverse=True`` applies the inverse)."""
        perm = _check_permutation("permute_cols", p, self._a.shape[1])
        if inverse:
            self._a[:, perm] = self._a.copy()
        else:
            self._a[...] = self._a[:, perm]

    # -- operators: allocate and return new matrices --------------------------------

    def _new(self, r: int, c: int) -> Dense:
        return Dense._wrap(np.empty((r, c)))

    def __matmul__(self, other):
        B = _operand(other)
        if B is None:
            return NotImplemented
        out = Dense()
        out.mul(self, B)
        return out

    def __rmatmul__(self, other):
        A = _operand(other)
        if A is None:
            return NotImplemented
        out = Dense()
        out.mul(A, self)
        return out

    def __add__(self, other):
        return self._operator(other, "add", np.add)

    __radd__ = __add__

    def __sub__(self, other):
        return self._operator(other, "sub", np.subtract)

    def __rsub__(self, other):
        if np.isscalar(other):
            return Dense._wrap(np.subtract(float(other), self._a))
        B = _operand(other)
        if B is None:
            return NotImplemented
        out = Dense()
        out.sub(B, self)
        return out

    def __mul__(self, other):
        if np.isscalar(other):
            out = Dense()
            out.scale(float(other), self)
            return out
        return self._operator(other, "mul_elem", np.multiply)

    __rmul__ = __mul__

    def __truediv__(self, other):
        if np.isscalar(other):
            return Dense._wrap(self._a / float(other))
        return self._operator(other, "div_elem", np.divide)

    def __neg__(self):
        out = Dense()
        out.scale(-1.0, self)
        return out

    def _operator(self, other, name: str, scalar_ufunc):
        if np.isscalar(other):
            return Dense._wrap(scalar_ufunc(self._a, float(other)))
        B = _operand(other)
        if B is None:
            return NotImplemented
        out = Dense()
        getattr(out, name)(self, B)
        return out

    def __iadd__(self, other):
        # Python rebinds the name to the return value; keep the storage in place.
        if np.isscalar(other):
            self._a += float(other)
        else:
            self.add(self, other)
        return self

    def __isub__(self, other):
        if np.isscalar(other):
            self._a -= float(other)
        else:
            self.sub(self, other)
        return self

    def __imul__(self, other):
        if np.isscalar(other):
            self.scale(float(other), self)
        else:
            self.mul_elem(self, other)
        return self

    def __getitem__(self, key):
        """``m[i, j]`` reads an element (numpy indexing on the view otherwise)."""
        return self._a[key]

    def __setitem__(self, key, value) -> None:
        self._a[key] = value


def _operand(x):
    """A 2-D float64 array for an operator's other operand, or None."""
    if isinstance(x, Matrix):
        return x
    if isinstance(x, (np.ndarray, list, tuple)):
        return as_matrix(x, "operator", "operand")
    return None


def _writable_blas(C: np.ndarray) -> np.ndarray:
    """C itself if BLAS can write it in place (callers copy back otherwise)."""
    if blas_ready(C) is C:
        return C
    raise AliasingError("internal: receiver without a unit stride")  # pragma: no cover




def _check_permutation(op: str, p, n: int) -> np.ndarray:
    perm = np.asarray(p)
    if perm.ndim != 1 or perm.shape[0] != n:
        raise ShapeError(f"{op}: p must have length {n}; got shape {perm.shape}")
    if perm.size and (perm.dtype.kind not in "iu" or
                      not np.array_equal(np.sort(perm), np.arange(n))):
        raise ValueError(f"{op}: p must be a permutation of 0..{n - 1}; got {list(p)}")
    return perm.astype(np.intp)


def _chain_product(mats: list[np.ndarray]) -> np.ndarray:
    """Multiply the chain in the cheapest order (Cormen et al., §15.2)."""
    n = len(mats)
    if n == 1:
        return np.array(mats[0], order="C")
    dims = [mats[0].shape[0]] + [m.shape[1] for m in mats]
    cost = [[0] * n for _ in range(n)]
    split = [[0] * n for _ in range(n)]
    for length in range(2, n + 1):
        for i in range(n - length + 1):
            j = i + length - 1
            cost[i][j] = math.inf
            for s in range(i, j):
                q = cost[i][s] + cost[s + 1][j] + dims[i] * dims[s + 1] * dims[j + 1]
                if q < cost[i][j]:
                    cost[i][j] = q
                    split[i][j] = s

    def build(i: int, j: int) -> np.ndarray:
        if i == j:
            return mats[i]
        left = build(i, split[i][j])
        right = build(split[i][j] + 1, j)
        out = np.empty((left.shape[0], right.shape[1]))
        _gemm("product", left, right, out)
        return out

    return build(0, n - 1)


# Padé coefficients b_0..b_13 and the 1-norm thresholds theta_m of Higham (2005),
# Table 2.3 (the same values scipy.linalg.expm and Gonum's Exp use).
_PADE13 = (
    64764752532480000.0, 32382376266240000.0, 7771770303897600.0, 1187353796428800.0,
    129060195264000.0, 10559470521600.0, 670442572800.0, 33522128640.0, 1323241920.0,
    40840800.0, 960960.0, 16380.0, 182.0, 1.0,
)
_THETA13 = 5.371920351148152


def _expm(A: np.ndarray) -> np.ndarray:
    n = A.shape[0]
    if n == 0:
        return np.empty((0, 0))
    norm1 = np.abs(A).sum(axis=0).max()
    s = 0
    if norm1 > _THETA13:
        s = max(0, int(math.ceil(math.log2(norm1 / _THETA13))))
    A = A / (2.0 ** s)
    b = _PADE13
    ident = np.eye(n)
    A2 = np.empty((n, n))
    _gemm("exp", A, A, A2)
    A4 = np.empty((n, n))
    _gemm("exp", A2, A2, A4)
    A6 = np.empty((n, n))
    _gemm("exp", A4, A2, A6)
    inner_u = b[13] * A6 + b[11] * A4 + b[9] * A2
    tmp = np.empty((n, n))
    _gemm("exp", A6, inner_u, tmp)
    tmp += b[7] * A6 + b[5] * A4 + b[3] * A2 + b[1] * ident
    U = np.empty((n, n))
    _gemm("exp", A, tmp, U)
    inner_v = b[12] * A6 + b[10] * A4 + b[8] * A2
    V = np.empty((n, n))
    _gemm("exp", A6, inner_v, V)
    V += b[6] * A6 + b[4] * A4 + b[2] * A2 + b[0] * ident
    # Solve (V - U) R = (V + U) with LAPACK dgesv on column-major work arrays.
    P = np.asfortranarray(V - U)
    R = np.asfortranarray(V + U)
    _blas.solve_general(P, R)
    R = np.ascontiguousarray(R)
    for _ in range(s):
        _gemm("exp", R, R, tmp)
        R, tmp = tmp, R
    return R
