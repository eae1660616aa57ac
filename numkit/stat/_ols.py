"""Ordinary (and frequency-weighted) least squares that passes NIST's hardest sets.

The design is never squared into normal equations. Its columns are scaled by powers
of two to unit-order 2-norms (exact: no rounding is introduced), factorised by
Householder QR, and the solution is then refined on the augmented system (Björck
1967) with residuals computed in twice-working precision by the ``_regression``
kernel. That refinement removes both the ``cond·eps`` and the ``cond²·eps·‖r‖``
terms that limit a plain QR solve, so the parameters are as accurate as the float64
data allow on Filip, Longley and Wampler 1-5.

The QR of a design with up to ``_TSQR_MAX_COLUMNS`` columns is the kernel's TSQR:
row blocks of about 256 KB are copied out of ``x`` and factorised while in cache, in
parallel on numkit's threads, and their R factors are factorised again. LAPACK's
``dgeqrf`` on such a design is unblocked (it has fewer columns than its block size),
so it is a sequence of BLAS-2 calls that OpenBLAS threads one by one, each waking
and joining its pool: for 100000×21, 9 ms on one thread here but 17-20 ms and
erratic on two (a median near 60 ms when other processes load the machine). TSQR
calls no BLAS, gives the same bits on any thread count, and its R doubles as the
NaN/inf scan of ``x`` (R is finite iff the design is). Wider designs go to
``dgeqrf``, whose blocked level-3 updates pay off there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from numkit._errstate import report_condition
from numkit._kernels import _blas
from numkit._kernels._regression import (
    augmented_residuals,
    initial_residuals,
    scaled_design,
    tsqr,
    tsqr_apply,
    tsqr_block_count,
)
from numkit.errors import SingularError
from numkit.stat._validate import as_weights, check_nan_policy

__all__ = ["OLSResult", "ols"]

_EPS = float(np.finfo(np.float64).eps)
_TINY = float(np.finfo(np.float64).tiny)
# refinement steps after the first solve; Björck's analysis: each step gains
# about -log10(cond·eps) digits, so 2-3 suffice up to cond ~ 1e12.
_MAX_REFINE = 6
# Designs up to this many columns are factorised by the kernel's TSQR (row blocks that
# stay in cache, in parallel, no BLAS threads); wider ones by LAPACK's blocked dgeqrf,
# whose level-3 updates pay off there.
_TSQR_MAX_COLUMNS = 64


@dataclass(frozen=True, eq=False)
class OLSResult:
    """The fit of :func:`ols`.

    Attributes
    ----------
    params : ndarray, shape (p,)
        Coefficients; the intercept first when the model has one.
    std_errors : ndarray, shape (p,)
        Standard errors of ``params``: ``residual_std · sqrt(diag((XᵀWX)⁻¹))``.
    residual_std : float
        ``sqrt(Σ w r² / df_resid)``.
    r_squared, adj_r_squared : float
        ``1 - SSres/SStot`` with ``SStot`` centred about the weighted mean of ``y``
        when the model has an intercept and uncentred (``Σ w y²``) when it has not,
        as NIST and R define it; adjusted by the degrees of freedom.
    residuals, fitted : ndarray, shape (n,)
        ``y - X·params`` (computed in twice-working precision) and ``X·params``.
    df_resid : float
        ``Σw - p`` (``n - p`` unweighted).
    intercept : bool
        Whether ``params[0]`` is an intercept.
    condition : float
        LAPACK's estimate (``dtrcon``) of the 1-norm condition number of the
        column-scaled design.
    """

    params: np.ndarray
    std_errors: np.ndarray
    residual_std: float
    r_squared: float
    adj_r_squared: float
    residuals: np.ndarray = field(repr=False)
    fitted: np.ndarray = field(repr=False)
    df_resid: float
    intercept: bool
    condition: float

    def predict(self, x: ArrayLike) -> np.ndarray:
        """Predictions ``[1, x] · params`` (or ``x · params``) for new rows ``x``.

        Raises
        ------
        ValueError
            ``x`` with a number of columns other than the fitted model's.
        """
        k = self.params.shape[0] - int(self.intercept)
        x = np.asarray(x, dtype=np.float64)
        if x.ndim == 1:
            x = x.reshape(-1, 1) if k == 1 else x.reshape(1, -1)
        if x.ndim != 2 or x.shape[1] != k:
            raise ValueError(f"OLSResult.predict: the model has {k} predictor column(s); "
                             f"x has shape {x.shape}")
        out = x @ self.params[int(self.intercept):]
        if self.intercept:
            out += self.params[0]
        return out


def _design(x, op: str) -> np.ndarray:
    try:
        a = np.asarray(x)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"stat.{op}: x must be an array of real numbers; {exc}") from None
    if a.dtype.kind not in "biuf":
        raise TypeError(f"stat.{op}: x must contain real numbers; got dtype {a.dtype}")
    if a.ndim == 1:
        a = a.reshape(-1, 1)
    if a.ndim != 2:
        raise ValueError(f"The 'x' parameter of stat.{op} must be 1-D or 2-D; got shape "
                         f"{a.shape}")
    a = a.astype(np.float64, copy=False)
    if a.strides[0] % 8 or a.strides[1] % 8:  # the kernels step through whole doubles
        a = np.ascontiguousarray(a)
    return a


def _response(y, n: int, op: str) -> np.ndarray:
    b = np.asarray(y)
    if b.dtype.kind not in "biuf":
        raise TypeError(f"stat.{op}: y must contain real numbers; got dtype {b.dtype}")
    if b.ndim != 1 or b.shape[0] != n:
        raise ValueError(f"The 'y' parameter of stat.{op} must be a 1-D array with one value "
                         f"per row of x ({n}); got shape {b.shape}")
    return np.ascontiguousarray(b, dtype=np.float64)


def _column_name(j: int, intercept: bool) -> str:
    if intercept and j == 0:
        return "the intercept"
    return f"x column {j - int(intercept)}"


def _nan_rows(x, y, w) -> np.ndarray | None:
    """Mask of rows holding a NaN, or None when every value is finite.

    A row sum by BLAS (``dgemv``, a fraction of a read of ``x``) is finite when the
    row is; only when some is not are the rows looked at one by one.
    """
    total = x @ np.ones(x.shape[1]) + y
    if w is not None:
        total += w
    if np.isfinite(total).all():
        return None
    bad = np.isnan(y) | np.isnan(x).any(axis=1)
    if w is not None:
        bad |= np.isnan(w)
    return bad


def ols(x: ArrayLike, y: ArrayLike, weights: ArrayLike | None = None,
        intercept: bool = True, *, nan_policy: str = "propagate") -> OLSResult:
    """Least-squares fit of ``y ≈ [1, x] · params`` by scaled Householder QR with
    iterative refinement.

    Parameters
    ----------
    x : array_like, shape (n, k) or (n,)
        Predictors, one row per observation (a 1-D ``x`` is one predictor).
    y : array_like, shape (n,)
        Responses.
    weights : array_like, shape (n,), optional
        Non-negative frequency weights: integer weights give the fit of the data
        with each row repeated that many times (rows scaled by ``sqrt(w)``).
    intercept : bool
        Prepend a column of ones (default True).
    nan_policy : {"propagate", "omit", "raise"}
        A NaN in ``x``, ``y`` or ``weights``: every field of the result NaN,
        drop the row (listwise deletion, as R's ``na.omit``), or ValueError.

    Returns
    -------
    OLSResult
        ``params, std_errors, residual_std, r_squared, adj_r_squared, residuals,
        fitted, df_resid, condition`` and ``predict(x)``.

    Raises
    ------
    ValueError
        Shapes that do not match, fewer (weighted) observations than parameters,
        infinite values, negative weights, a bad ``nan_policy``, or a NaN under
        ``nan_policy="raise"``.
    SingularError
        A rank-deficient design: the message names the column(s) that are (to
        working precision) linear combinations of the columns before them.

    Warns
    -----
    ConditionWarning
        The scaled design's condition number exceeds 1e16 (Gonum's
        ``ConditionTolerance``); under ``numkit.errstate(condition="raise")`` a
        ``ConditionError``.

    Notes
    -----
    Each column ``j`` of the design is multiplied by a power of two ``s_j`` so its
    2-norm lies in [0.7, 1.4) (exact in binary floating point, so the problem
    solved is the one given), then factorised ``A = QR``: by TSQR (Householder QR
    of row blocks in parallel, then of their stacked R factors; the scaling is
    applied to R afterwards, which commutes with Householder QR exactly) for up to
    64 columns, by LAPACK's ``dgeqrf`` beyond. The plain QR solution ``b₀`` and its
    residual ``r₀ = fl(y - Ab₀)`` (from a twice-working-precision sum) start a
    refinement on the augmented system ``[I A; Aᵀ 0][r; b] = [y; 0]``: each step
    computes ``f = y - r - Ab`` and ``g = -Aᵀr`` with Ogita-Rump-Oishi compensated
    dot products, then solves for the correction with the same QR (``dtrtrs`` and
    ``Q``, ``Qᵀ``) until the correction no longer shrinks. Standard errors come from
    ``(RᵀR)⁻¹ = R⁻¹R⁻ᵀ`` (``dtrtri``). A diagonal element of ``R`` below
    ``n·eps`` (the scaled columns have unit norm) marks a column as dependent.
    Weighted fits with zero weights keep the row in ``residuals``/``fitted``
    but it does not count towards ``df_resid``.

    References
    ----------
    Björck, Å. (1967). Iterative refinement of linear least squares solutions I.
    BIT 7, 257-278. Björck, Å. (1996). *Numerical Methods for Least Squares
    Problems*, SIAM, §2.9. Ogita, Rump, Oishi (2005), Accurate sum and dot
    product, SIAM J. Sci. Comput. 26(6). Demmel, Grigori, Hoemmen, Langou (2012),
    Communication-optimal parallel and sequential QR and LU factorizations, SIAM J.
    Sci. Comput. 34(1) (TSQR). LAPACK ``dgeqrf``, ``dormqr``, ``dtrtrs``,
    ``dtrtri``, ``dtrcon``. McCullough (1998), Assessing the reliability of
    statistical software, Am. Stat. 52(4) (the NIST StRD scores).

    Examples
    --------
    >>> import numpy as np
    >>> from numkit.stat import ols
    >>> x = np.array([0.0, 1.0, 2.0, 3.0])
    >>> fit = ols(x, 1.0 + 2.0 * x)
    >>> fit.params
    array([1., 2.])
    >>> float(fit.r_squared), float(fit.df_resid)
    (1.0, 2.0)
    >>> fit.predict([4.0])
    array([9.])
    """
    op = "ols"
    check_nan_policy(nan_policy, op)
    x = _design(x, op)
    n, k = x.shape
    y = _response(y, n, op)
    w = as_weights(weights, n, op) if weights is not None else None
    if w is not None:
        w = np.ascontiguousarray(w, dtype=np.float64)
    intercept = bool(intercept)
    p = k + int(intercept)
    if p == 0:
        raise ValueError(f"stat.{op}: the model has no parameters (x has no columns and "
                         f"intercept=False)")

    factor = None
    if w is None and p <= _TSQR_MAX_COLUMNS and n >= p and np.isfinite(y).all():
        # the factorisation doubles as the NaN/inf scan: its R is finite iff x is
        # (barring overflow, which _fit redoes on the scaled design)
        factor = _Tsqr(x, intercept, y)
        if not factor.finite:
            factor = None
    bad = None if factor is not None else _nan_rows(x, y, w)
    if bad is not None and bad.any():
        if nan_policy == "raise":
            i = int(np.argmax(bad))
            raise ValueError(f"stat.{op}: row {i} of x, y or weights is NaN and "
                             f"nan_policy='raise'; clean the data or pass "
                             f"nan_policy='omit' to drop such rows")
        if nan_policy == "propagate":
            return _nan_result(n, p, intercept)
        keep = ~bad
        x, y = x[keep], y[keep]
        w = None if w is None else w[keep]
        n = x.shape[0]
    if bad is not None:
        if not (np.isfinite(y).all() and np.isfinite(x).all()):
            raise ValueError(f"stat.{op}: x and y must be finite; found an infinite value")
        if w is not None and not np.isfinite(w).all():
            raise ValueError(f"stat.{op}: weights must be finite; found an infinite value")

    total = float(n) if w is None else float(w.sum())
    if n < p or total < p:
        raise ValueError(f"stat.{op}: {p} parameters need at least {p} observations; got "
                         f"{n} rows (total weight {total:g}); x has shape {x.shape}")
    df = total - p
    return _fit(x, y, w, intercept, df, total, op, factor)


def _nan_result(n: int, p: int, intercept: bool) -> OLSResult:
    nan = float("nan")
    return OLSResult(np.full(p, nan), np.full(p, nan), nan, nan, nan, np.full(n, nan),
                     np.full(n, nan), nan, intercept, nan)


class _Tsqr:
    """R and Q of the unscaled design ``A = [1, x]`` (or ``x``) by the kernel's TSQR.

    Scaling columns by powers of two commutes with Householder QR exactly (every
    operation on column j is scaled by the same power of two, the reflectors not at
    all), so the QR of the scaled design is ``Q · R·diag(scale)``: ``scale`` is
    chosen afterwards from R's column norms, which are the design's.
    """

    def __init__(self, kx: np.ndarray, kint: bool, ky: np.ndarray):
        n, k = kx.shape
        p = k + int(kint)
        nb = tsqr_block_count(n, p)
        self.qb = np.empty(n * p)
        self.tau = np.empty((nb + 1) * p)
        self.s = np.empty((nb * p, p), order="F")
        self.qty = np.array(ky, dtype=np.float64)
        tsqr(kx, kint, self.qb, self.tau, self.s, self.qty)
        self.r = np.triu(self.s[:p])
        self.finite = bool(np.isfinite(self.r).all())

    def norms(self) -> np.ndarray:
        """Column 2-norms of the design (those of R), safe from overflow."""
        big = np.max(np.abs(self.r), axis=0)
        big[big == 0.0] = 1.0
        return big * np.sqrt(np.einsum("ij,ij->j", self.r / big, self.r / big))

    def apply(self, c: np.ndarray, trans: bool) -> None:
        tsqr_apply(self.qb, self.tau, self.s, c, trans)


class _Lapack:
    """QR of the scaled design by LAPACK (dgeqrf, dormqr)."""

    def __init__(self, kx: np.ndarray, kint: bool, ky: np.ndarray, scale: np.ndarray):
        n, k = kx.shape
        p = k + int(kint)
        self.a = np.empty((n, p), order="F")
        scaled_design(kx, scale, kint, self.a)
        self.tau = np.empty(p)
        _blas.geqrf(self.a, self.tau)
        self.r = np.triu(self.a[:p])
        self.qty = np.array(ky, dtype=np.float64)
        self.apply(self.qty, True)

    def apply(self, c: np.ndarray, trans: bool) -> None:
        _blas.ormqr(self.a, self.tau, c.reshape(-1, 1, order="F"), True, trans)


def _fit(x, y, w, intercept, df, total, op, factor=None) -> OLSResult:
    n, k = x.shape
    p = k + int(intercept)
    if w is None:
        kx, ky, kint = x, y, intercept
    else:
        # rows scaled by sqrt(w): the kernel then sees an ordinary problem
        sw = np.sqrt(w)
        kx = np.empty((n, p))
        if intercept:
            kx[:, 0] = sw
        np.multiply(x, sw[:, None], out=kx[:, int(intercept):])
        ky, kint = y * sw, False
    if factor is None and p <= _TSQR_MAX_COLUMNS:
        factor = _Tsqr(kx, kint, ky)
        if not factor.finite:  # overflow of the unscaled design: factorise it scaled
            factor = None
    if factor is not None:
        norms = factor.norms()
    elif w is None:
        norms = np.empty(p)
        if intercept:
            norms[0] = math.sqrt(n)
        norms[int(intercept):] = np.sqrt(np.einsum("ij,ij->j", x, x))
    else:
        norms = np.sqrt(np.einsum("ij,ij->j", kx, kx))
    zero = np.flatnonzero(norms == 0.0)
    if zero.size:
        names = ", ".join(_column_name(int(j), intercept) for j in zero)
        raise SingularError(f"stat.{op}: the design is rank deficient: {names} is zero "
                            f"(on the rows with positive weight); drop it")
    # powers of two: scaling is exact, so the problem solved is the one given
    scale = np.ldexp(1.0, -np.frexp(norms)[1] + 1)
    scale[norms * scale >= 1.4142135623730951] *= 0.5

    if factor is None:
        factor = _Lapack(kx, kint, ky, scale)
        r_upper = np.asfortranarray(factor.r)
    else:
        r_upper = np.asfortranarray(factor.r * scale)  # exact: powers of two
    diag = np.abs(np.diagonal(r_upper))
    # unit-norm columns: a diagonal element below n·eps is rounding noise
    dependent = np.flatnonzero(diag <= max(n, p) * _EPS * diag.max())
    if dependent.size:
        names = ", ".join(_column_name(int(j), intercept) for j in dependent)
        raise SingularError(f"stat.{op}: the design is rank deficient: {names} is a linear "
                            f"combination of the columns before it (to working "
                            f"precision); drop it or combine the columns")
    condition = 1.0 / _blas.trcon(r_upper, p, True, True)
    if condition > 1e16:  # 1e16: Gonum's ConditionTolerance
        report_condition(f"stat.{op}", condition)

    z, r = _refine(r_upper, factor, kx, ky, kint, scale, n, p, condition)
    params = z * scale

    if w is None:
        residuals = r
    else:
        residuals = np.empty(n)
        augmented_residuals(x, y, params, np.zeros(n), intercept, residuals, np.empty(p))
    fitted = y - residuals
    ssr = float(np.dot(r, r))
    residual_std = math.sqrt(ssr / df) if df > 0 else float("nan")

    rinv = r_upper.copy(order="F")
    _blas.trtri_inplace(rinv, True, False)
    rinv = np.triu(rinv)
    std_errors = residual_std * np.sqrt(np.einsum("ij,ij->i", rinv, rinv)) * scale

    if intercept:
        if w is None:
            ybar = float(np.mean(y))
            sst = float(np.dot(y - ybar, y - ybar))
        else:
            ybar = float(np.dot(w, y) / total)
            sst = float(np.dot(w, (y - ybar) ** 2))
    else:
        sst = float(np.dot(ky, ky))
    r_squared = 1.0 - ssr / sst if sst > 0 else float("nan")
    adj = (1.0 - (1.0 - r_squared) * (total - int(intercept)) / df if df > 0
           else float("nan"))
    return OLSResult(params, std_errors, residual_std, r_squared, adj, residuals, fitted,
                     df, intercept, condition)


def _refine(r_upper, factor, kx, ky, kint, scale, n, p, condition):
    """Björck's refinement on the augmented system; returns (z, r) for the scaled
    design ``A = kx·diag(scale) = QR`` (``R = r_upper``; ``factor.apply(c, trans)``
    overwrites c with ``Qᵀc`` or ``Qc``, ``factor.qty`` is ``Qᵀ·ky``);
    ``params = z·scale``."""
    # step 0, the plain QR solve z = R⁻¹(Qᵀy)₁; the residual r = y - Az is rounded
    # from its twice-working-precision value, which also gives the first right side
    # f = y - r - Az (r's rounding error) and g = -Aᵀr in the same pass
    z = factor.qty[:p].reshape(p, 1).copy(order="F")
    _blas.trtrs(r_upper, z, True, False, False)
    z = z[:, 0]
    r = np.empty(n)
    f = np.empty(n)
    graw = np.empty(p)
    initial_residuals(kx, ky, z * scale, r, kint, f, graw)
    previous = 1.0 if np.any(z) else 0.0
    for step in range(1, _MAX_REFINE + 1):
        # solve [I A; Aᵀ 0][dr; dz] = [f; g] with A = QR:
        #   Rᵀh = g, d = Qᵀf, dz = R⁻¹(d₁ - h), dr = Q[h; d₂]
        h = (graw * scale).reshape(p, 1).copy(order="F")
        _blas.trtrs(r_upper, h, True, True, False)
        factor.apply(f, True)
        dz = (f[:p] - h[:, 0]).reshape(p, 1).copy(order="F")
        _blas.trtrs(r_upper, dz, True, False, False)
        f[:p] = h[:, 0]
        factor.apply(f, False)
        dz = dz[:, 0]
        z += dz
        r += f
        # componentwise, but a parameter near zero is judged against the largest
        floor = max(_EPS * float(np.max(np.abs(z))), _TINY)
        size = float(np.max(np.abs(dz) / np.maximum(np.abs(z), floor)))
        # Refinement converges linearly at a rate of about cond·eps (Björck);
        # size·rate estimates the error left after this step. The observed ratio of
        # corrections can underestimate the rate on the first step.
        observed = size / previous if previous > 0 else 0.0
        rate = min(1.0, max(observed, 10.0 * condition * _EPS))
        if size * rate <= 0.5 * _EPS or observed >= 0.5 or step == _MAX_REFINE:
            break
        previous = size
        augmented_residuals(kx, ky, z * scale, r, kint, f, graw)
    return z, r
