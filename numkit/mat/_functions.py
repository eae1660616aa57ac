"""Functions of matrices and vectors that return numbers or copies (Gonum's
``mat.Trace``, ``Norm``, ``Max``, ``Min``, ``Sum``, ``Dot``, ``Inner``, ``Equal``,
``EqualApprox``, ``Row``, ``Col``).

Each accepts any numkit matrix or anything ``numpy.asarray`` accepts; a 1-D input is
a column, as Gonum's ``VecDense`` is n×1. Reductions run in the kernels without
temporaries: ``sum`` is pairwise and deterministic (the same bits for any thread
count), norms avoid spurious overflow.

Empty input: ``sum`` and ``trace`` of no elements are 0, every norm of an empty
matrix or vector is 0 (as numpy), ``dot`` and ``inner`` of empty operands are 0, and
``max``/``min`` raise ``ValueError`` (there is no extreme of no elements).
"""

from __future__ import annotations

import builtins
import math
import numbers

import numpy as np

from numkit._kernels import _blas, _reduce
from numkit.errors import ShapeError
from numkit.mat._base import Matrix, as_matrix, as_vector, blas_ready, dims_str
from numkit.mat._vector import VecDense

__all__ = [
    "col",
    "dot",
    "equal",
    "equal_approx",
    "inner",
    "max",
    "min",
    "norm",
    "row",
    "sum",
    "trace",
]

# 2**-1022, the smallest normal float64 (Gonum's floats/scalar minNormalFloat64).
_MIN_NORMAL = np.finfo(np.float64).smallest_normal

_MATRIX_ORDS = "1, 2, inf (numpy.inf or 'inf') and 'fro'"
_VECTOR_ORDS = "1, 2, inf (numpy.inf or 'inf'), 'fro' (= 2) and any real p > 0"


def trace(a) -> float:
    """The sum of the diagonal elements of the square matrix ``a`` (Gonum's
    ``Trace``), summed pairwise.

    Parameters
    ----------
    a : matrix or array-like
        A square matrix. The trace of a 0×0 matrix is 0.

    Returns
    -------
    float

    Raises
    ------
    ShapeError
        If ``a`` is not square.

    Examples
    --------
    >>> from numkit.mat import trace
    >>> trace([[1, 2], [3, 4]])
    5.0
    """
    A = as_matrix(a, "trace", "a")
    if A.shape[0] != A.shape[1]:
        raise ShapeError(f"trace: a must be square; got {dims_str(A.shape)}")
    return _reduce.sum2d(np.diagonal(A)[None, :])


def _is_vector(a) -> bool:
    if isinstance(a, VecDense):
        return True
    if isinstance(a, Matrix):
        return False
    return np.ndim(a) == 1


def _ord_kind(ord) -> str | float:
    """Normalise ``ord`` to ``"fro"``, ``"inf"`` or a float; None when unknown."""
    if isinstance(ord, str):
        return ord if ord in ("fro", "inf") else None
    if isinstance(ord, bool) or not isinstance(ord, numbers.Real):
        return None
    p = float(ord)
    if p == math.inf:
        return "inf"
    return p


def norm(a, ord) -> float:
    """The norm of a matrix or vector (Gonum's ``Norm``, numpy's orders).

    Parameters
    ----------
    a : matrix, vector or array-like
        A :class:`VecDense` or 1-D input takes a vector norm; anything else is a
        matrix (a 1-D input is not read as an n×1 matrix here, as in numpy).
    ord : {1, 2, numpy.inf, "inf", "fro"} or float
        For a matrix: 1 is the largest absolute column sum, 2 the spectral norm
        (largest singular value), inf the largest absolute row sum, ``"fro"`` the
        Frobenius norm. For a vector: ``(Σ|x_i|^p)^(1/p)`` for any real ``p > 0``,
        inf is ``max |x_i|``, and ``"fro"`` is the 2-norm (the vector as an n×1
        matrix).

    Returns
    -------
    float
        0 for empty input; NaN when an element is NaN.

    Raises
    ------
    ValueError
        If ``ord`` is not one of the accepted orders.
    numpy.linalg.LinAlgError
        If the SVD behind the matrix 2-norm does not converge (LAPACK dgesdd).

    Notes
    -----
    For a matrix, ``ord=2`` is the spectral norm, as in numpy; Gonum's
    ``Norm(a, 2)`` is the Frobenius norm instead. The spectral norm comes from
    LAPACK dgesdd (singular values only); the Frobenius and vector 2-norms are
    computed without spurious overflow or underflow (scaled as LAPACK's dlassq and
    BLAS dnrm2), and so is the general vector p-norm (scaled by ``max|x_i|``).

    Examples
    --------
    >>> import numpy as np
    >>> from numkit.mat import Dense, VecDense, norm
    >>> a = Dense(2, 2, [3, 0, 0, 4])
    >>> norm(a, 1), norm(a, 2), norm(a, np.inf), norm(a, "fro")
    (4.0, 4.0, 4.0, 5.0)
    >>> norm(VecDense(2, [3, -4]), 1), norm([3, -4], 2), norm([3, -4], "inf")
    (7.0, 5.0, 4.0)
    """
    kind = _ord_kind(ord)
    if _is_vector(a):
        x = as_vector(a, "norm", "a")
        if kind is None or (isinstance(kind, float) and not kind > 0):
            raise ValueError(
                f"norm: ord must be one of {_VECTOR_ORDS} for a vector; got {ord!r}"
            )
        return _vector_norm(x, kind)
    A = as_matrix(a, "norm", "a")
    if kind not in ("fro", "inf", 1.0, 2.0):
        raise ValueError(f"norm: ord must be one of {_MATRIX_ORDS} for a matrix; got {ord!r}")
    if kind == "fro":
        return _reduce.frobenius(A)
    if kind == "inf":
        return _reduce.norm_inf(A)
    if kind == 1.0:
        return _reduce.norm1(A)
    return _spectral_norm(A)


def _spectral_norm(A: np.ndarray) -> float:
    if A.size == 0:
        return 0.0
    # dgesdd does not return NaN for NaN input (it fails or loops); decide here.
    big = _reduce.max_abs2d(A)
    if not math.isfinite(big):
        return big
    s = np.empty(builtins.min(A.shape))  # min is shadowed here by Gonum's Min
    info = _blas.singular_values(A, s)
    if info != 0:
        raise np.linalg.LinAlgError(
            f"norm: the SVD did not converge (LAPACK dgesdd info={info})"
        )
    return float(s[0])


def _vector_norm(x: np.ndarray, kind: str | float) -> float:
    if x.shape[0] == 0:
        return 0.0
    col = x[:, None]
    if kind == "inf":
        return _reduce.max_abs2d(col)
    if kind == 1.0:
        return _reduce.norm1(col)  # the single column's absolute sum
    if kind in ("fro", 2.0):
        return _blas.nrm2_vec(x)
    big = _reduce.max_abs2d(col)
    if big == 0.0 or not math.isfinite(big):
        return big
    # Scale by the largest magnitude so |x_i|^p neither overflows nor underflows
    # to zero for all i (the largest term is 1).
    scaled = np.abs(x) / big
    np.power(scaled, kind, out=scaled)
    return big * _reduce.sum2d(scaled[:, None]) ** (1.0 / kind)


def _nonempty(a, op: str) -> np.ndarray:
    A = as_matrix(a, op, "a")
    if A.size == 0:
        raise ValueError(
            f"{op}: a is empty ({dims_str(A.shape)}); there is no {op} of no elements"
        )
    return A


def max(a) -> float:
    """The largest element of ``a`` (Gonum's ``Max``); NaN if any element is NaN.

    Raises
    ------
    ValueError
        If ``a`` has no elements.

    Examples
    --------
    >>> from numkit.mat import max
    >>> max([[1, 5], [-7, 2]])
    5.0
    """
    return _reduce.extremum2d(_nonempty(a, "max"), True)


def min(a) -> float:
    """The smallest element of ``a`` (Gonum's ``Min``); NaN if any element is NaN.

    Raises
    ------
    ValueError
        If ``a`` has no elements.

    Examples
    --------
    >>> from numkit.mat import min
    >>> min([[1, 5], [-7, 2]])
    -7.0
    """
    return _reduce.extremum2d(_nonempty(a, "min"), False)


def sum(a) -> float:
    """The sum of the elements of ``a`` (Gonum's ``Sum``); 0 for no elements.

    Pairwise summation in fixed chunks combined in a fixed order, so the error is
    O(log n · eps · Σ|a_ij|) and the bits do not depend on the thread count.

    Examples
    --------
    >>> from numkit.mat import sum
    >>> sum([[1, 2], [3, 4]])
    10.0
    """
    return _reduce.sum2d(as_matrix(a, "sum", "a"))


def dot(x, y) -> float:
    """The dot product ``Σ x_i y_i`` of two vectors of equal length (Gonum's
    ``Dot``, BLAS ddot); 0 for empty vectors.

    Raises
    ------
    ShapeError
        If the lengths differ or an operand is not a vector.

    Examples
    --------
    >>> from numkit.mat import VecDense, dot
    >>> dot(VecDense(3, [1, 2, 3]), [4, 5, 6])
    32.0
    """
    xv = as_vector(x, "dot", "x")
    yv = as_vector(y, "dot", "y")
    if xv.shape[0] != yv.shape[0]:
        raise ShapeError(
            f"dot: x has length {xv.shape[0]} but y has length {yv.shape[0]}; the "
            f"lengths must be equal"
        )
    return _blas.dot_vec(xv, yv)


def inner(x, a, y) -> float:
    """The bilinear form ``xᵀ A y`` (Gonum's ``Inner``) for an m×n matrix ``a``, a
    length-m ``x`` and a length-n ``y``: one BLAS dgemv and one ddot, no copy of
    ``a`` unless it lacks a unit stride.

    Raises
    ------
    ShapeError
        If ``x``'s length is not ``a``'s row count or ``y``'s is not its column
        count.

    Examples
    --------
    >>> from numkit.mat import Dense, inner
    >>> inner([1, 1], Dense(2, 3, [1, 2, 3, 4, 5, 6]), [1, 0, 0])
    5.0
    """
    xv = as_vector(x, "inner", "x")
    A = as_matrix(a, "inner", "a")
    yv = as_vector(y, "inner", "y")
    m, n = A.shape
    if xv.shape[0] != m or yv.shape[0] != n:
        raise ShapeError(
            f"inner: x has length {xv.shape[0]}, a is {dims_str(A.shape)} and y has "
            f"length {yv.shape[0]}; need x of length {m} and y of length {n}"
        )
    if m == 0:
        return 0.0
    if n and yv.strides[0] == 0:
        yv = np.ascontiguousarray(yv)  # a broadcast vector: BLAS needs an increment
    ay = np.empty(m)
    _blas.gemv_into(blas_ready(A) if n else A, yv, ay)
    return _blas.dot_vec(xv, ay)


def equal(a, b) -> bool:
    """Whether ``a`` and ``b`` have the same shape and exactly equal elements
    (Gonum's ``Equal``); NaN equals nothing, not even NaN.

    Examples
    --------
    >>> from numkit.mat import Dense, equal
    >>> equal(Dense(1, 2, [1, 2]), [[1, 2]]), equal([1, 2], [[1, 2]])
    (True, False)
    """
    A = as_matrix(a, "equal", "a")
    B = as_matrix(b, "equal", "b")
    return A.shape == B.shape and bool(np.array_equal(A, B))


def equal_approx(a, b, tol: float) -> bool:
    """Whether ``a`` and ``b`` have the same shape and every pair of elements is
    equal within ``tol`` absolutely or relatively (Gonum's ``EqualApprox``).

    Elements ``x`` and ``y`` agree when ``x == y``, or ``|x - y| <= tol``, or
    ``|x - y| <= tol * max(|x|, |y|)`` (Gonum's ``floats.EqualWithinAbsOrRel`` with
    both tolerances ``tol``; a difference below the smallest normal number is
    compared with ``tol`` times that number). Infinities of the same sign agree; NaN
    agrees with nothing.

    Raises
    ------
    ValueError
        If ``tol`` is negative or NaN.

    Examples
    --------
    >>> from numkit.mat import equal_approx
    >>> equal_approx([1.0, 1e6], [1.05, 1e6 + 1], 0.1)
    True
    >>> equal_approx([1.0], [1.2], 0.1)
    False
    """
    tol = float(tol)
    if not tol >= 0:
        raise ValueError(f"equal_approx: tol must be a non-negative number; got {tol}")
    A = as_matrix(a, "equal_approx", "a")
    B = as_matrix(b, "equal_approx", "b")
    if A.shape != B.shape:
        return False
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        delta = np.abs(A - B)
        ok = (A == B) | (delta <= tol)
        if ok.all():
            return True
        # Relative test where the absolute one failed, dividing as Gonum does: inf
        # against inf of the other sign, or NaN anywhere, gives NaN and fails.
        rel = np.where(
            delta <= _MIN_NORMAL,
            delta <= tol * _MIN_NORMAL,
            delta / np.maximum(np.abs(A), np.abs(B)) <= tol,
        )
        return bool((ok | rel).all())


def _out_vector(dst, n: int, op: str) -> np.ndarray:
    if dst is None:
        return np.empty(n)
    if not isinstance(dst, np.ndarray) or dst.ndim != 1 or dst.dtype != np.float64:
        raise TypeError(
            f"{op}: dst must be None or a 1-D float64 ndarray; got "
            f"{type(dst).__name__}"
            + (f" of dtype {dst.dtype}, shape {dst.shape}" if isinstance(dst, np.ndarray)
               else "")
        )
    if dst.shape[0] != n:
        raise ShapeError(f"{op}: dst has length {dst.shape[0]} but the result has length {n}")
    return dst


def row(dst: np.ndarray | None, i: int, a) -> np.ndarray:
    """Copy row ``i`` of ``a`` into ``dst`` and return it (Gonum's ``mat.Row``).

    Parameters
    ----------
    dst : ndarray or None
        A 1-D float64 array with one element per column of ``a``, or None to
        allocate one.
    i : int
        The row, ``0 <= i < rows``.
    a : matrix or array-like

    Raises
    ------
    IndexError
        If ``i`` is out of range.
    ShapeError
        If ``dst`` has the wrong length.
    TypeError
        If ``dst`` is not None or a 1-D float64 ndarray.

    Examples
    --------
    >>> from numkit.mat import row
    >>> row(None, 1, [[1, 2], [3, 4]])
    array([3., 4.])
    """
    A = as_matrix(a, "row", "a")
    if not 0 <= i < A.shape[0]:
        raise IndexError(f"row: row {i} out of range for {A.shape[0]} rows")
    out = _out_vector(dst, A.shape[1], "row")
    np.copyto(out, A[i])
    return out


def col(dst: np.ndarray | None, j: int, a) -> np.ndarray:
    """Copy column ``j`` of ``a`` into ``dst`` and return it (Gonum's ``mat.Col``).

    Parameters
    ----------
    dst : ndarray or None
        A 1-D float64 array with one element per row of ``a``, or None to allocate
        one.
    j : int
        The column, ``0 <= j < cols``.
    a : matrix or array-like

    Raises
    ------
    IndexError
        If ``j`` is out of range.
    ShapeError
        If ``dst`` has the wrong length.
    TypeError
        If ``dst`` is not None or a 1-D float64 ndarray.

    Examples
    --------
    >>> import numpy as np
    >>> from numkit.mat import col
    >>> out = np.empty(2)
    >>> col(out, 0, [[1, 2], [3, 4]]) is out
    True
    >>> out
    array([1., 3.])
    """
    A = as_matrix(a, "col", "a")
    if not 0 <= j < A.shape[1]:
        raise IndexError(f"col: column {j} out of range for {A.shape[1]} columns")
    out = _out_vector(dst, A.shape[0], "col")
    np.copyto(out, A[:, j])
    return out
