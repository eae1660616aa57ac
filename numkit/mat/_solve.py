"""Linear solves, the inverse, determinants and condition numbers (Gonum's
``mat/solve.go``, ``Det``, ``LogDet``, ``Cond`` and ``Dense.Inverse``).

The array-level helpers here (:func:`solve_arrays`, :func:`inverse_array`) are what
``Dense.solve``, ``VecDense.solve_vec`` and ``Dense.inverse`` call after checking
their receivers; :func:`det`, :func:`log_det` and :func:`cond` are public.

Storage trick: LAPACK is column-major and numkit row-major. A C-ordered A is, read
column-major, Aᵀ; factoring that copy (a plain memcpy) gives Aᵀ = P L U, and
``getrs(trans=True)`` then solves A x = b. ‖A‖₁ is ‖Aᵀ‖_∞, so dgecon in the
inf-norm on those factors estimates A's 1-norm condition number. This saves the
transposing copy, which at n = 1000 costs as much as the condition estimate.
"""

from __future__ import annotations

import math

import numpy as np

from numkit._errstate import report_condition
from numkit._kernels import _blas, _reduce
from numkit._kernels import _solve as _ksolve
from numkit.errors import ShapeError, SingularError
from numkit.mat._base import as_matrix, check_square, dims_str

__all__ = ["cond", "det", "log_det"]

CONDITION_TOLERANCE = 1e16  # Gonum's ConditionTolerance
_SMALL = 8  # largest order the stack kernel _solve.solve_small handles


def check_finite(op: str, name: str, x: np.ndarray) -> None:
    """Raise ValueError when ``x`` holds NaN or inf (LAPACK must not see them)."""
    if x.size and not np.isfinite(x).all():
        raise ValueError(
            f"{op}: {name} contains NaN or inf; LAPACK cannot factor or solve with "
            f"non-finite values (clean or impute them first)"
        )


def _nonfinite(op: str, name: str) -> ValueError:
    return ValueError(
        f"{op}: {name} contains NaN or inf; LAPACK cannot factor or solve with "
        f"non-finite values (clean or impute them first)"
    )


def singular(op: str, what: str = "a") -> SingularError:
    return SingularError(
        f"{op}: {what} is exactly singular (a zero pivot), so the result does not "
        f"exist; check for linearly dependent rows or columns"
    )


def factor_square(op: str, A: np.ndarray) -> tuple[np.ndarray, np.ndarray, int, bool, float]:
    """LU-factor a copy of the square ``A`` with dgetrf.

    Returns ``(w, ipiv, info, transposed, anorm)``: when ``transposed`` the factors
    are those of Aᵀ (``w`` was a memcpy of a row-major A); ``anorm`` is ‖A‖₁ (which
    is also the finiteness check: NaN or inf anywhere makes it non-finite).
    """
    n = A.shape[0]
    anorm = _reduce.norm1(A) if n else 0.0
    if not math.isfinite(anorm):
        raise _nonfinite(op, "a")
    if A.strides[1] == 8 or n <= 1:
        w = np.array(A, order="C").T
        transposed = True
    else:
        w = np.array(A, order="F")
        transposed = False
    ipiv = np.empty(n, dtype=np.int32)
    info = _blas.getrf(w, ipiv)
    return w, ipiv, info, transposed, anorm


def lu_condition(w: np.ndarray, info: int, anorm: float, one_norm: bool) -> float:
    """The condition number estimate ‖A‖‖A⁻¹‖ from getrf's factors (dgecon); inf for
    an exactly singular matrix."""
    if info > 0:
        return math.inf
    rcond = _blas.gecon(w, anorm, one_norm)
    return math.inf if rcond == 0.0 else 1.0 / rcond


def log_det_factors(w: np.ndarray, ipiv: np.ndarray) -> tuple[float, float]:
    """``(log|det|, sign)`` from getrf's factors; ``(-inf, 0.0)`` when singular."""
    n = w.shape[0]
    if n == 0:
        return 0.0, 1.0
    d = w.diagonal()
    if not d.all():
        return -math.inf, 0.0
    swaps = int(np.count_nonzero(ipiv != np.arange(1, n + 1, dtype=np.int32)))
    negatives = int(np.count_nonzero(d < 0.0))
    sign = -1.0 if (swaps + negatives) % 2 else 1.0
    return float(np.log(np.abs(d)).sum()), sign


def det_factors(w: np.ndarray, ipiv: np.ndarray) -> float:
    """The determinant from getrf's factors: the product of U's diagonal, or
    sign·exp(log|det|) when the product under- or overflows but the log does not."""
    n = w.shape[0]
    if n == 0:
        return 1.0
    d = w.diagonal()
    swaps = int(np.count_nonzero(ipiv != np.arange(1, n + 1, dtype=np.int32)))
    with np.errstate(over="ignore", under="ignore"):
        value = float(np.prod(d)) * (-1.0 if swaps % 2 else 1.0)
    if (value == 0.0 or math.isinf(value)) and d.all():
        logabs, sign = log_det_factors(w, ipiv)
        value = sign * math.exp(logabs) if logabs < 709.8 else sign * math.inf
    return value


# -- solves ----------------------------------------------------------------------

def solve_arrays(op: str, A: np.ndarray, B: np.ndarray, X: np.ndarray) -> None:
    """Write the solution of ``A X = B`` into ``X`` by Gonum's rules: square → LU
    (with the condition check), tall → least squares by QR, wide → minimum norm by
    LQ. ``B`` and ``X`` are both 1-D or both 2-D with matching shapes; ``X`` may
    share memory with ``A`` or ``B`` (the operands are read or copied first)."""
    m, n = A.shape
    if m == n and 0 < n <= _SMALL:
        c = _ksolve.solve_small(A, B, X)
        if c >= 0.0:
            if c > CONDITION_TOLERANCE:
                report_condition(op, c, stacklevel=4)
            return
        if c == -2.0:
            raise singular(op)
        if c != c:
            check_finite(op, "a", A)
            raise _nonfinite(op, "b")
        # -1.0: an operand the buffer path does not take (e.g. too many columns).
    if B.ndim == 1:
        B, X = B[:, None], X[:, None]
    if X.size == 0 or m == 0 or n == 0:
        X[...] = 0.0  # an empty system; n > 0 = m gives the minimum-norm x = 0
        return
    check_finite(op, "b", B)
    if m == n:
        condition = _lu_solve(op, A, B, X)
    elif m > n:
        condition = _qr_solve(op, A, B, X)
    else:
        condition = _lq_solve(op, A, B, X)
    if condition > CONDITION_TOLERANCE:
        report_condition(op, condition, stacklevel=4)


def _lu_solve(op: str, A: np.ndarray, B: np.ndarray, X: np.ndarray) -> float:
    w, ipiv, info, transposed, anorm = factor_square(op, A)
    if info > 0:
        raise singular(op)
    condition = lu_condition(w, info, anorm, one_norm=not transposed)
    rhs = np.array(B, order="F")
    _blas.getrs(w, ipiv, rhs, transposed)
    X[...] = rhs
    return condition


def _qr_solve(op: str, A: np.ndarray, B: np.ndarray, X: np.ndarray) -> float:
    m, n = A.shape
    anorm = _reduce.norm1(A)
    if not math.isfinite(anorm):
        raise _nonfinite(op, "a")
    w = np.array(A, order="F")
    tau = np.empty(n)
    _blas.geqrf(w, tau)
    if not w.diagonal().all():
        raise SingularError(
            f"{op}: a ({dims_str(A.shape)}) is rank deficient (R has a zero diagonal "
            f"element), so the least-squares solution is not unique; use SVD.solve_to"
        )
    rcond = _blas.trcon(w, n, True, True)
    rhs = np.array(B, order="F")
    _blas.ormqr(w, tau, rhs, True, True)
    r = np.array(w[:n], order="F")
    top = np.array(rhs[:n], order="F")
    _blas.trtrs(r, top, True, False, False)
    X[...] = top
    return math.inf if rcond == 0.0 else 1.0 / rcond


def _lq_solve(op: str, A: np.ndarray, B: np.ndarray, X: np.ndarray) -> float:
    m, n = A.shape
    anorm = _reduce.norm1(A)
    if not math.isfinite(anorm):
        raise _nonfinite(op, "a")
    w = np.array(A, order="F")
    tau = np.empty(m)
    _blas.gelqf(w, tau)
    if not w.diagonal().all():
        raise SingularError(
            f"{op}: a ({dims_str(A.shape)}) is rank deficient (L has a zero diagonal "
            f"element), so the minimum-norm solution is not defined; use SVD.solve_to"
        )
    rcond = _blas.trcon(w, m, False, True)
    low = np.array(w[:, :m], order="F")
    top = np.array(B, order="F")
    _blas.trtrs(low, top, False, False, False)
    full = np.zeros((n, B.shape[1]), order="F")
    full[:m] = top
    _blas.ormlq(w, tau, full, True, True)
    X[...] = full
    return math.inf if rcond == 0.0 else 1.0 / rcond


def inverse_array(op: str, A: np.ndarray, X: np.ndarray) -> None:
    """Write A⁻¹ into ``X`` (which may be ``A`` itself or overlap it): the stack
    kernel for n ≤ 8, else dgetrf + dgecon + dgetri."""
    n = A.shape[0]
    if n == 0:
        return
    if n <= _SMALL:
        c = _ksolve.solve_small(A, np.eye(n), X)
        if c >= 0.0:
            if c > CONDITION_TOLERANCE:
                report_condition(op, c, stacklevel=4)
            return
        if c == -2.0:
            raise singular(op)
        raise _nonfinite(op, "a")
    w, ipiv, info, transposed, anorm = factor_square(op, A)
    if info > 0:
        raise singular(op)
    condition = lu_condition(w, info, anorm, one_norm=not transposed)
    _blas.getri(w, ipiv)
    # inv(Aᵀ) = inv(A)ᵀ: a transposed factorization yields A⁻¹ in row-major order.
    X[...] = w.T if transposed else w
    if condition > CONDITION_TOLERANCE:
        report_condition(op, condition, stacklevel=4)


# -- public functions ---------------------------------------------------------------

def _square_operand(a, op: str) -> np.ndarray:
    A = as_matrix(a, op, "a")
    check_square(op, "a", A, "it is defined for square matrices only")
    return A


def det(a) -> float:
    """The determinant of the square matrix ``a`` (Gonum's ``Det``).

    Parameters
    ----------
    a : matrix or array-like
        A square matrix (numkit type or anything ``numpy.asarray`` accepts).

    Returns
    -------
    float
        det(a); 1.0 for a 0×0 matrix (the empty product, as numpy), 0.0 for an
        exactly singular one.

    Raises
    ------
    ShapeError
        If ``a`` is not square.
    ValueError
        If ``a`` holds NaN or inf.

    See Also
    --------
    log_det : the logarithm, for determinants that over- or underflow.

    Notes
    -----
    The product of U's diagonal from the LU factorization with partial pivoting,
    signed by the row interchanges. Where the product under- or overflows but the
    determinant itself is representable, ``sign·exp(log|det|)`` is returned
    instead (Gonum always uses the latter, which loses a few digits).

    References
    ----------
    LAPACK dgetrf. Golub & Van Loan, *Matrix Computations*, 4th ed., §3.2.

    Examples
    --------
    >>> from numkit.mat import det
    >>> det([[1.0, 2.0], [3.0, 4.0]])
    -2.0
    """
    A = _square_operand(a, "det")
    w, ipiv, _, _, _ = factor_square("det", A)
    return det_factors(w, ipiv)


def log_det(a) -> tuple[float, float]:
    """``(log|det(a)|, sign)`` for the square matrix ``a`` (Gonum's ``LogDet``).

    Parameters
    ----------
    a : matrix or array-like
        A square matrix.

    Returns
    -------
    logabs : float
        The natural logarithm of ``|det(a)|``; ``-inf`` when ``a`` is exactly
        singular; 0.0 for 0×0.
    sign : float
        +1.0 or -1.0; 0.0 when ``a`` is singular (numpy's ``slogdet`` convention;
        Gonum returns ±1 there).

    Raises
    ------
    ShapeError
        If ``a`` is not square.
    ValueError
        If ``a`` holds NaN or inf.

    Notes
    -----
    Sums log|u_ii| over U's diagonal from the LU factorization, so determinants far
    outside the float64 range come out right.

    References
    ----------
    LAPACK dgetrf.

    Examples
    --------
    >>> from numkit.mat import log_det
    >>> import numpy as np
    >>> logabs, sign = log_det(np.diag([1e200, 1e200, -1e200]))
    >>> round(logabs / np.log(10)), sign
    (600, -1.0)
    """
    A = _square_operand(a, "log_det")
    w, ipiv, _, _, _ = factor_square("log_det", A)
    return log_det_factors(w, ipiv)


def cond(a, ord: float = 2) -> float:  # noqa: A002 - numpy's name
    """The condition number of ``a`` in the 1-, 2- or inf-norm (Gonum's ``Cond``).

    Parameters
    ----------
    a : matrix or array-like
        The matrix; square for ``ord`` 1 and inf, any shape for 2.
    ord : {1, 2, inf}
        The norm. 2 (the default, as numpy) is σ_max/σ_min from the singular values
        (for a non-square ``a`` too, as numpy); 1 and inf are LAPACK's estimate.

    Returns
    -------
    float
        The condition number, ≥ 1; inf for an exactly singular matrix.

    Raises
    ------
    ShapeError
        If ``a`` is empty, or not square with ``ord`` 1 or inf.
    ValueError
        If ``ord`` is not 1, 2 or inf, or ``a`` holds NaN or inf.

    Notes
    -----
    For ``ord`` 1 and inf this is the estimate ‖A‖·est(‖A⁻¹‖) of dgecon on the LU
    factors (Hager's method as refined by Higham), which Gonum uses and which
    ``solve`` compares with 1e16. It never exceeds the exact value that
    ``numpy.linalg.cond`` computes from the explicit inverse, and is nearly always
    equal to it or within a small factor, at O(n²) extra cost instead of O(n³).

    References
    ----------
    LAPACK dgecon, dgesdd. N. J. Higham, "FORTRAN codes for estimating the one-norm
    of a real or complex matrix", ACM TOMS 14 (1988).

    Examples
    --------
    >>> from numkit.mat import cond
    >>> cond([[1.0, 0.0], [0.0, 1e-3]])
    1000.0
    >>> cond([[1.0, 2.0], [3.0, 4.0]], 1)
    21.0
    """
    op = "cond"
    if ord not in (1, 2, math.inf):
        raise ValueError(f"cond: ord must be 1, 2 or inf; got {ord!r}")
    A = as_matrix(a, op, "a")
    if A.size == 0:
        raise ShapeError(
            f"cond: a is {dims_str(A.shape)}; the condition number of an empty matrix "
            f"is not defined"
        )
    if ord == 2:
        check_finite(op, "a", A)
        s = np.empty(min(A.shape))
        _blas.singular_values(A, s)
        return math.inf if s[-1] == 0.0 else float(s[0] / s[-1])
    check_square(op, "a", A, f"the {ord}-norm condition number needs a square matrix")
    w, _, info, transposed, anorm = factor_square(op, A)
    one_norm = ord == 1
    if not one_norm:
        anorm = _reduce.norm_inf(A)
    return lu_condition(w, info, anorm, one_norm != transposed)
