"""Ordinary (and frequency-weighted) least squares that passes NIST's hardest sets.

The design is never squared into normal equations. Its columns are scaled by powers
of two to unit-order 2-norms (exact: no rounding is introduced), factorised by
Householder QR (LAPACK ``dgeqrf``), and the solution is then refined on the augmented
system (Björck 1967) with residuals computed in twice-working precision by the
``_regression`` kernel. That refinement removes both the ``cond·eps`` and the
``cond²·eps·‖r‖`` terms that limit a plain QR solve, so the parameters are as
accurate as the float64 data allow on Filip, Longley and Wampler 1-5.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from numkit._errstate import report_condition
from numkit._kernels import _blas
from numkit._kernels._regression import augmented_residuals, scaled_design
from numkit.errors import SingularError
from numkit.stat._validate import as_weights, check_nan_policy

__all__ = ["OLSResult", "ols"]

_EPS = float(np.finfo(np.float64).eps)
_TINY = float(np.finfo(np.float64).tiny)
# refinement steps after the first solve; Björck's analysis: each step gains
# about -log10(cond·eps) digits, so 2-3 suffice up to cond ~ 1e12.
_MAX_REFINE = 6


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
    solved is the one given), then factorised ``A = QR`` (``dgeqrf``). The
    solution and residual are refined on the augmented system
    ``[I A; Aᵀ 0][r; b] = [y; 0]``: each step computes ``f = y - r - Ab`` and
    ``g = -Aᵀr`` with Ogita-Rump-Oishi compensated dot products, then solves for
    the correction with the same QR (``dtrtrs``, ``dormqr``) until the
    correction no longer shrinks. Standard errors come from
    ``(RᵀR)⁻¹ = R⁻¹R⁻ᵀ`` (``dtrtri``). A diagonal element of ``R`` below
    ``n·eps`` (the scaled columns have unit norm) marks a column as dependent.
    Weighted fits with zero weights keep the row in ``residuals``/``fitted``
    but it does not count towards ``df_resid``.

    References
    ----------
    Björck, Å. (1967). Iterative refinement of linear least squares solutions I.
    BIT 7, 257-278. Björck, Å. (1996). *Numerical Methods for Least Squares
    Problems*, SIAM, §2.9. Ogita, Rump, Oishi (2005), Accurate sum and dot
    product, SIAM J. Sci. Comput. 26(6). LAPACK ``dgeqrf``, ``dormqr``, ``dtrtrs``,
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

    bad = _nan_rows(x, y, w)
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
    return _fit(x, y, w, intercept, df, total, op)


def _nan_result(n: int, p: int, intercept: bool) -> OLSResult:
    nan = float("nan")
    return OLSResult(np.full(p, nan), np.full(p, nan), nan, nan, nan, np.full(n, nan),
                     np.full(n, nan), nan, intercept, nan)


def _fit(x, y, w, intercept, df, total, op) -> OLSResult:
    n, k = x.shape
    p = k + int(intercept)
    if w is None:
        kx, ky, kint = x, y, intercept
        norms = np.empty(p)
        if intercept:
            norms[0] = math.sqrt(n)
        norms[int(intercept):] = np.sqrt(np.einsum("ij,ij->j", x, x))
    else:
        # rows scaled by sqrt(w): the kernel then sees an ordinary problem
        sw = np.sqrt(w)
        kx = np.empty((n, p))
        if intercept:
            kx[:, 0] = sw
        np.multiply(x, sw[:, None], out=kx[:, int(intercept):])
        ky, kint = y * sw, False
        norms = np.sqrt(np.einsum("ij,ij->j", kx, kx))
    zero = np.flatnonzero(norms == 0.0)
    if zero.size:
        names = ", ".join(_column_name(int(j), intercept) for j in zero)
        raise SingularError(f"stat.{op}: the design is rank deficient: {names} is zero "
                            f"(on the rows with positive weight); drop it")
    # powers of two: scaling is exact, so the problem solved is the one given
    scale = np.ldexp(1.0, -np.frexp(norms)[1] + 1)
    scale[norms * scale >= 1.4142135623730951] *= 0.5

    a = np.empty((n, p), order="F")
    scaled_design(kx, scale, kint, a)
    tau = np.empty(p)
    _blas.geqrf(a, tau)
    diag = np.abs(np.diagonal(a[:p]))
    # unit-norm columns: a diagonal element below n·eps is rounding noise
    dependent = np.flatnonzero(diag <= max(n, p) * _EPS * diag.max())
    if dependent.size:
        names = ", ".join(_column_name(int(j), intercept) for j in dependent)
        raise SingularError(f"stat.{op}: the design is rank deficient: {names} is a linear "
                            f"combination of the columns before it (to working "
                            f"precision); drop it or combine the columns")
    condition = 1.0 / _blas.trcon(a, p, True, True)
    if condition > 1e16:  # 1e16: Gonum's ConditionTolerance
        report_condition(f"stat.{op}", condition)

    z, r = _refine(a, tau, kx, ky, kint, scale, n, p, condition)
    params = z * scale

    if w is None:
        residuals = r
    else:
        residuals = np.empty(n)
        augmented_residuals(x, y, params, np.zeros(n), intercept, residuals, np.empty(p))
    fitted = y - residuals
    ssr = float(np.dot(r, r))
    residual_std = math.sqrt(ssr / df) if df > 0 else float("nan")

    rinv = np.array(a[:p], order="F")  # only the upper triangle is read
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


def _refine(a, tau, kx, ky, kint, scale, n, p, condition):
    """Björck's refinement on the augmented system; returns (z, r) for the scaled
    design ``A = a``'s original (``kx`` with ``scale``), ``params = z·scale``."""
    z = np.zeros(p)
    r = np.zeros(n)
    f = np.array(ky, dtype=np.float64).reshape(n, 1, order="F")
    g = np.zeros((p, 1), order="F")
    graw = np.empty(p)
    fcol = np.empty(n)
    r_upper = np.array(a[:p], order="F")  # trtrs takes the leading dimension from the shape
    previous = 1.0
    for step in range(_MAX_REFINE + 1):  # step 0 is the plain QR solve
        # solve [I A; Aᵀ 0][dr; dz] = [f; g] with A = QR:
        #   Rᵀh = g, d = Qᵀf, dz = R⁻¹(d₁ - h), dr = Q[h; d₂]
        h = g
        _blas.trtrs(r_upper, h, True, True, False)
        _blas.ormqr(a, tau, f, True, True)
        d1 = f[:p, 0] - h[:, 0]
        dz = d1.reshape(p, 1).copy(order="F")
        _blas.trtrs(r_upper, dz, True, False, False)
        f[:p, 0] = h[:, 0]
        _blas.ormqr(a, tau, f, True, False)
        dz = dz[:, 0]
        z += dz
        r += f[:, 0]
        # componentwise, but a parameter near zero is judged against the largest
        floor = max(_EPS * float(np.max(np.abs(z))), _TINY)
        size = float(np.max(np.abs(dz) / np.maximum(np.abs(z), floor)))
        if step > 0:
            # Refinement converges linearly at a rate of about cond·eps (Björck);
            # size·rate estimates the error left after this step. The observed
            # ratio of corrections can underestimate the rate on the first step.
            observed = size / previous if previous > 0 else 0.0
            rate = min(1.0, max(observed, 10.0 * condition * _EPS))
            if size * rate <= 0.5 * _EPS or observed >= 0.5 or step == _MAX_REFINE:
                break
        previous = size
        augmented_residuals(kx, ky, z * scale, r, kint, fcol, graw)
        f = fcol.reshape(n, 1, order="F").copy(order="F")
        g = (graw * scale).reshape(p, 1).copy(order="F")
    return z, r
