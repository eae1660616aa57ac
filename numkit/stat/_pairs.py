"""Statistics of paired data: covariance, correlation, rank correlations, simple
linear regression, R², and the ROC and TOC curves of a classifier.

Gonum's ``stat`` semantics (``stat.go``, ``roc.go``) with Python's argument order: the
data first, then parameters, then ``weights=None`` (frequency weights) and
``nan_policy="propagate"``. ``nan_policy="omit"`` drops every pair in which either
value (or the weight) is NaN.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from numkit._kernels import _covariance as _kc
from numkit._kernels import _rank as _kr
from numkit.stat._validate import as_data, as_weights, check_nan_policy

__all__ = [
    "bivariate_moment",
    "correlation",
    "covariance",
    "kendall",
    "linear_regression",
    "r_nought_squared",
    "r_squared",
    "r_squared_from",
    "roc",
    "spearman",
    "toc",
]

_NAN = math.nan


def _paired(x, y, weights, nan_policy: str, op: str, names=("x", "y"), minimum: int = 1):
    """Validated float64 ``(x, y, w)``; w may be None. Applies nan_policy "omit"/"raise"
    to pairs; raises for mismatched lengths or fewer than ``minimum`` pairs."""
    check_nan_policy(nan_policy, op)
    a = np.ascontiguousarray(as_data(x, op, names[0]), dtype=np.float64)
    b = np.ascontiguousarray(as_data(y, op, names[1]), dtype=np.float64)
    if a.shape[0] != b.shape[0]:
        raise ValueError(
            f"stat.{op}: {names[0]} and {names[1]} must have the same length; got "
            f"{a.shape[0]} and {b.shape[0]}"
        )
    w = as_weights(weights, a.shape[0], op)
    if w is not None:
        w = np.ascontiguousarray(w, dtype=np.float64)
    if nan_policy != "propagate":
        bad = np.isnan(a) | np.isnan(b)
        if w is not None:
            bad |= np.isnan(w)
        if bad.any():
            if nan_policy == "raise":
                i = int(np.argmax(bad))
                raise ValueError(
                    f"stat.{op}: pair {i} holds NaN and nan_policy='raise'; clean the data "
                    f"or pass nan_policy='omit' to drop pairs holding NaN"
                )
            keep = ~bad
            a, b = a[keep], b[keep]
            w = None if w is None else w[keep]
    if a.shape[0] < minimum:
        raise ValueError(
            f"stat.{op}: needs at least {minimum} pair{'s' if minimum > 1 else ''} of "
            f"observations; got {a.shape[0]}"
        )
    return a, b, w


def _ratio(a: float, b: float) -> float:
    if b != 0.0:
        return a / b
    return _NAN if a == 0.0 or a != a else math.copysign(math.inf, a) * math.copysign(1.0, b)


def covariance(x: ArrayLike, y: ArrayLike, weights: ArrayLike | None = None, *,
               nan_policy: str = "propagate") -> float:
    """Weighted sample covariance of ``x`` and ``y`` (Gonum's ``Covariance``).

    Parameters
    ----------
    x, y : array_like
        1-D paired data of equal length (at least 2 pairs).
    weights : array_like, optional
        Non-negative frequency weights.
    nan_policy : {"propagate", "omit", "raise"}
        A NaN gives NaN, drops its pair, or raises.

    Returns
    -------
    float
        ``Σ w (x - x̄)(y - ȳ) / (Σw - 1)``.

    Raises
    ------
    ValueError
        Lengths differ; fewer than 2 pairs; bad weights; NaN under "raise".

    Notes
    -----
    Corrected two-pass (Chan, Golub & LeVeque), the sums of each pass in a fixed number
    of chunks combined in order, with the first pair as a shift for the means.

    Examples
    --------
    >>> from numkit import stat
    >>> stat.covariance([1.0, 2.0, 3.0], [1.0, 3.0, 2.0])
    0.5
    """
    a, b, w = _paired(x, y, weights, nan_policy, "covariance", minimum=2)
    W, _, _, _, _, sxy = _kc.pair_moments(a, b, w)
    return _ratio(sxy, W - 1.0)


def correlation(x: ArrayLike, y: ArrayLike, weights: ArrayLike | None = None, *,
                nan_policy: str = "propagate") -> float:
    """Weighted Pearson correlation of ``x`` and ``y`` (Gonum's ``Correlation``).

    Parameters
    ----------
    x, y, weights, nan_policy
        As for :func:`covariance`.

    Returns
    -------
    float
        ``Sxy / sqrt(Sxx Syy)``; NaN when either variable is constant.

    Raises
    ------
    ValueError
        As for :func:`covariance`.

    Examples
    --------
    >>> from numkit import stat
    >>> stat.correlation([1.0, 2.0, 3.0], [2.0, 4.0, 6.0])
    1.0
    """
    a, b, w = _paired(x, y, weights, nan_policy, "correlation", minimum=2)
    _, _, _, sxx, syy, sxy = _kc.pair_moments(a, b, w)
    r = _ratio(sxy, math.sqrt(sxx * syy)) if sxx * syy >= 0.0 else _NAN
    return max(-1.0, min(1.0, r)) if r == r else r


def bivariate_moment(r: float, s: float, x: ArrayLike, y: ArrayLike,
                     weights: ArrayLike | None = None, *,
                     nan_policy: str = "propagate") -> float:
    """Weighted mixed central moment ``E[(x - μx)^r (y - μy)^s]``, no degrees-of-freedom
    correction (Gonum's ``BivariateMoment``).

    Parameters
    ----------
    r, s : float
        Orders for x and y.
    x, y, weights, nan_policy
        As for :func:`covariance` (at least 1 pair).

    Returns
    -------
    float

    Examples
    --------
    >>> from numkit import stat
    >>> stat.bivariate_moment(1, 1, [1.0, 2.0, 3.0], [1.0, 3.0, 2.0])
    0.3333333333333333
    """
    a, b, w = _paired(x, y, weights, nan_policy, "bivariate_moment")
    W, mx, my, _, _, _ = _kc.pair_moments(a, b, w)
    terms = np.power(a - mx, float(r)) * np.power(b - my, float(s))
    total = float(terms.sum()) if w is None else float(np.dot(w, terms))
    return _ratio(total, W)


def _lexsorted(a: np.ndarray, b: np.ndarray, w):
    """The pairs ordered by a (ties in any order: the kernel sorts b within them)."""
    order = np.argsort(a)
    return (np.ascontiguousarray(a[order]), np.ascontiguousarray(b[order]),
            None if w is None else np.ascontiguousarray(w[order]))


def kendall(x: ArrayLike, y: ArrayLike, weights: ArrayLike | None = None, *,
            variant: str = "a", nan_policy: str = "propagate") -> float:
    """Kendall's rank correlation τ of ``x`` and ``y`` (Gonum's ``Kendall`` is τ-a).

    Parameters
    ----------
    x, y : array_like
        1-D paired data of equal length (at least 2 pairs).
    weights : array_like, optional
        Non-negative weights; pair (i, j) counts ``w_i w_j`` (Gonum's definition).
    variant : {"a", "b"}
        τ-a ``(nc - nd) / n0`` (Gonum) or τ-b ``(nc - nd) / sqrt((n0 - n1)(n0 - n2))``,
        which corrects for ties (scipy's default).
    nan_policy : {"propagate", "omit", "raise"}

    Returns
    -------
    float

    Raises
    ------
    ValueError
        Lengths differ; fewer than 2 pairs; bad weights or variant; NaN under "raise".

    Notes
    -----
    O(n log n) by Knight's algorithm: order by x, sort y within ties of x, then count
    the pairs a merge sort of y puts out of order (the discordant pairs), weighted by
    ``w_i w_j``; tied pairs in x, y and both are counted from the sorted runs. Weighted
    data take the same path (no O(n²) loop).

    A tied pair (equal x or equal y) counts as neither concordant nor discordant.
    Gonum compares ``math.Signbit`` of the differences, which counts a zero difference
    as positive, so with ties its τ-a depends on the order of the pairs; numkit's does
    not (they agree when there are no ties). τ-a's denominator is Gonum's
    ``Σ_{i<j} w_i w_j``, so integer weights are *not* repeated rows for τ-a (the copies'
    pairs are missing from it); τ-b is the same either way.

    References
    ----------
    Knight, W. R. (1966). A computer method for calculating Kendall's tau with
    ungrouped data. JASA 61(314), 436-439.

    Examples
    --------
    >>> from numkit import stat
    >>> stat.kendall([1.0, 2.0, 3.0, 4.0], [1.0, 3.0, 2.0, 4.0])
    0.6666666666666666
    """
    op = "kendall"
    if variant not in ("a", "b"):
        raise ValueError(f"The 'variant' parameter of stat.{op} must be 'a' or 'b'; got "
                         f"{variant!r}")
    a, b, w = _paired(x, y, weights, nan_policy, op, minimum=2)
    if nan_policy == "propagate" and (np.isnan(a).any() or np.isnan(b).any()
                                      or (w is not None and np.isnan(w).any())):
        return _NAN
    n0, n1, n2, n3, nd = _kr.kendall_counts(*_lexsorted(a, b, w))
    num = (n0 - n1 - n2 + n3) - 2.0 * nd
    if variant == "a":
        return _ratio(num, n0)
    den = (n0 - n1) * (n0 - n2)
    return _ratio(num, math.sqrt(den)) if den > 0.0 else _NAN


def _ranks(v: np.ndarray, w) -> np.ndarray:
    order = np.argsort(v, kind="stable")
    out = np.empty(v.shape[0])
    _kr.average_ranks(np.ascontiguousarray(v[order]), order,
                      None if w is None else np.ascontiguousarray(w[order]), out)
    return out


def spearman(x: ArrayLike, y: ArrayLike, weights: ArrayLike | None = None, *,
             nan_policy: str = "propagate") -> float:
    """Spearman's rank correlation: the Pearson correlation of the ranks (ties get
    their average rank).

    Parameters
    ----------
    x, y, weights, nan_policy
        As for :func:`covariance`. With weights a tie group of weight g preceded by
        weight c has rank ``c + (g + 1)/2``, so integer weights equal repeated pairs.

    Returns
    -------
    float
        NaN when either variable is constant.

    Notes
    -----
    Gonum has no Spearman; this is scipy's ``spearmanr`` statistic, with weights.

    Examples
    --------
    >>> from numkit import stat
    >>> stat.spearman([1.0, 2.0, 3.0, 4.0], [1.0, 4.0, 9.0, 16.0])
    1.0
    """
    op = "spearman"
    a, b, w = _paired(x, y, weights, nan_policy, op, minimum=2)
    if nan_policy == "propagate" and (np.isnan(a).any() or np.isnan(b).any()):
        return _NAN
    return correlation(_ranks(a, w), _ranks(b, w), w)


def linear_regression(x: ArrayLike, y: ArrayLike, weights: ArrayLike | None = None,
                      origin: bool = False, *,
                      nan_policy: str = "propagate") -> tuple[float, float]:
    """Weighted least-squares line ``y = alpha + beta x`` (Gonum's
    ``LinearRegression``).

    Parameters
    ----------
    x, y, weights, nan_policy
        As for :func:`covariance`.
    origin : bool
        Force the line through the origin (alpha = 0).

    Returns
    -------
    alpha, beta : float
        Minimise ``Σ w (y - alpha - beta x)²``. ``beta = Sxy / Sxx`` from the corrected
        two-pass sums (``Σ w x y / Σ w x²`` through the origin).

    Examples
    --------
    >>> from numkit import stat
    >>> stat.linear_regression([0.0, 1.0, 2.0], [1.0, 3.0, 5.0])
    (1.0, 2.0)
    """
    op = "linear_regression"
    a, b, w = _paired(x, y, weights, nan_policy, op, minimum=1 if origin else 2)
    if origin:
        wa = a if w is None else w * a
        return 0.0, _ratio(float(np.dot(wa, b)), float(np.dot(wa, a)))
    _, mx, my, sxx, _, sxy = _kc.pair_moments(a, b, w)
    beta = _ratio(sxy, sxx)
    return my - beta * mx, beta


def _weighted_sum(v: np.ndarray, w) -> float:
    return float(v.sum()) if w is None else float(np.dot(w, v))


def r_squared(x: ArrayLike, y: ArrayLike, alpha: float, beta: float,
              weights: ArrayLike | None = None, *, nan_policy: str = "propagate") -> float:
    """Coefficient of determination of the line ``y = alpha + beta x`` (Gonum's
    ``RSquared``): ``1 - Σ w (y - alpha - beta x)² / Σ w (y - ȳ)²``.

    Examples
    --------
    >>> from numkit import stat
    >>> stat.r_squared([0.0, 1.0, 2.0], [1.0, 3.0, 5.0], 1.0, 2.0)
    1.0
    """
    a, b, w = _paired(x, y, weights, nan_policy, "r_squared")
    return _r2(alpha + beta * a, b, w)


def _r2(est: np.ndarray, b: np.ndarray, w) -> float:
    W, _, mb, _, _, _ = _kc.pair_moments(b, b, w)
    res = b - est
    dev = b - mb
    return 1.0 - _ratio(_weighted_sum(res * res, w), _weighted_sum(dev * dev, w))


def r_squared_from(estimates: ArrayLike, values: ArrayLike,
                   weights: ArrayLike | None = None, *,
                   nan_policy: str = "propagate") -> float:
    """Coefficient of determination of ``estimates`` of ``values`` (Gonum's
    ``RSquaredFrom``): ``1 - Σ w (e - v)² / Σ w (v - v̄)²``.

    Examples
    --------
    >>> from numkit import stat
    >>> stat.r_squared_from([1.0, 2.0, 3.0], [1.0, 2.0, 4.0])
    0.7857142857142857
    """
    e, v, w = _paired(estimates, values, weights, nan_policy, "r_squared_from",
                      names=("estimates", "values"))
    return _r2(e, v, w)


def r_nought_squared(x: ArrayLike, y: ArrayLike, beta: float,
                     weights: ArrayLike | None = None, *,
                     nan_policy: str = "propagate") -> float:
    """R₀² of the line through the origin ``y = beta x`` (Gonum's ``RNoughtSquared``):
    ``Σ w (beta x)² / Σ w y²``.

    Examples
    --------
    >>> from numkit import stat
    >>> stat.r_nought_squared([1.0, 2.0], [2.0, 4.0], 2.0)
    1.0
    """
    a, b, w = _paired(x, y, weights, nan_policy, "r_nought_squared")
    f = beta * a
    return _ratio(_weighted_sum(f * f, w), _weighted_sum(b * b, w))


def _classes(classes, n: int | None, op: str) -> np.ndarray:
    c = np.asarray(classes)
    if c.ndim != 1 or (n is not None and c.shape[0] != n):
        raise ValueError(
            f"stat.{op}: classes must be 1-D of the same length as the data ({n}); got "
            f"shape {c.shape}"
        )
    if c.size == 0:
        return c.astype(bool)
    if c.dtype != np.bool_:
        if c.dtype.kind not in "biu" or not np.isin(c, (0, 1)).all():
            raise TypeError(f"stat.{op}: classes must be booleans (or 0/1); got dtype "
                            f"{c.dtype}")
        c = c.astype(bool)
    return c


def roc(y: ArrayLike, classes: ArrayLike, weights: ArrayLike | None = None,
        cutoffs: ArrayLike | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Receiver operating characteristic of the scores ``y`` for the true ``classes``
    (Gonum's ``ROC``).

    Parameters
    ----------
    y : array_like
        Scores; need not be sorted (Gonum requires ascending order; numkit sorts ``y``
        with its classes and weights, stably).
    classes : array_like of bool
        True class of each score.
    weights : array_like, optional
        Non-negative weights.
    cutoffs : array_like, optional
        Ascending thresholds. Without them every distinct value of ``y`` and +inf are
        used.

    Returns
    -------
    tpr, fpr, thresholds : ndarray
        ``tpr[i]``, ``fpr[i]`` are the rates for classifying ``y >= thresholds[i]`` as
        true; thresholds are returned in descending order, as in Gonum. Empty input
        gives three empty arrays.

    Raises
    ------
    ValueError
        Lengths differ; cutoffs not ascending; NaN in y or cutoffs; bad weights.

    Examples
    --------
    >>> from numkit import stat
    >>> tpr, fpr, thr = stat.roc([0.1, 0.4, 0.35, 0.8], [False, False, True, True])
    >>> tpr.tolist(), fpr.tolist(), thr.tolist()
    ([0.0, 0.5, 0.5, 1.0, 1.0], [0.0, 0.0, 0.5, 0.5, 1.0], [inf, 0.8, 0.4, 0.35, 0.1])
    """
    op = "roc"
    yv = np.asarray(as_data(y, op, "y"), dtype=np.float64)
    n = yv.shape[0]
    c = _classes(classes, n, op)
    w = as_weights(weights, n, op)
    if np.isnan(yv).any():
        raise ValueError(f"stat.{op}: y holds NaN; a score must be a number")
    if cutoffs is None:
        cut = None
    else:
        cut = np.array(as_data(cutoffs, op, "cutoffs"), dtype=np.float64)
        if np.isnan(cut).any() or (cut.shape[0] > 1 and (np.diff(cut) < 0).any()):
            raise ValueError(f"stat.{op}: cutoffs must be sorted ascending and free of NaN")
        if cut.shape[0] == 0:
            cut = None
    if n == 0:
        e = np.empty(0)
        return e, e.copy(), e.copy()
    order = np.argsort(yv, kind="stable")
    ys = yv[order]
    cs = c[order]
    ws = np.ones(n) if w is None else np.asarray(w, dtype=np.float64)[order]
    if cut is None:
        cut = np.append(np.unique(ys), np.inf)
    pos = np.where(cs, ws, 0.0)
    neg = np.where(cs, 0.0, ws)
    n_pos = float(pos.sum())
    n_neg = float(neg.sum())
    # Weight of each class strictly below each cutoff: (false negatives, true negatives);
    # Gonum leaves the bins above max(y) at zero before converting, which is what the
    # counts there give too, except that they stay 0 instead of becoming 1 - 0 = 1.
    below = np.searchsorted(ys, cut, side="left")
    cpos = np.concatenate(([0.0], np.cumsum(pos)))
    cneg = np.concatenate(([0.0], np.cumsum(neg)))
    fn = cpos[below]
    tn = cneg[below]
    with np.errstate(divide="ignore", invalid="ignore"):
        # one class absent: 1/0 = inf and 0·inf = NaN rates, as in Gonum
        tpr = 1.0 - fn * (np.float64(1.0) / n_pos)
        fpr = 1.0 - tn * (np.float64(1.0) / n_neg)
    # Gonum's last filled bin is the first cutoff > max(y); later bins stay 0.
    last = int(np.searchsorted(cut, ys[-1], side="right"))
    if last < cut.shape[0] - 1:
        tpr[last + 1:] = 0.0
        fpr[last + 1:] = 0.0
    return tpr[::-1].copy(), fpr[::-1].copy(), cut[::-1].copy()


def toc(classes: ArrayLike, weights: ArrayLike | None = None
        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Total operating characteristic (Gonum's ``TOC``).

    Parameters
    ----------
    classes : array_like of bool
        Classes ordered by ascending score (the rank variable).
    weights : array_like, optional
        Non-negative weights, in the same order.

    Returns
    -------
    min, ntp, max : ndarray, each of length ``len(classes) + 1``
        ``ntp[i]`` is the (weighted) number of true positives when the ``i`` highest
        ranked are classified true; ``min`` and ``max`` bound it. Empty input gives
        three empty arrays.

    Examples
    --------
    >>> from numkit import stat
    >>> lo, ntp, hi = stat.toc([False, True, False, True])
    >>> lo.tolist(), ntp.tolist(), hi.tolist()
    ([0.0, 0.0, 0.0, 1.0, 2.0], [0.0, 1.0, 1.0, 2.0, 2.0], [0.0, 1.0, 2.0, 2.0, 2.0])
    """
    op = "toc"
    c = _classes(classes, None, op)
    n = c.shape[0]
    w = as_weights(weights, n, op)
    if n == 0:
        e = np.empty(0)
        return e, e.copy(), e.copy()
    rev = c[::-1]
    if w is None:
        ntp = np.concatenate(([0.0], np.cumsum(rev, dtype=np.float64)))
        total = ntp[-1]
        i = np.arange(n + 1, dtype=np.float64)
        return np.maximum(0.0, total - (n - i)), ntp, np.minimum(total, i)
    wr = np.asarray(w, dtype=np.float64)[::-1]
    ntp = np.concatenate(([0.0], np.cumsum(np.where(rev, wr, 0.0))))
    cumw = np.concatenate(([0.0], np.cumsum(wr)))
    total = ntp[-1]
    totw = cumw[-1]
    return np.maximum(0.0, total - (totw - cumw)), ntp, np.minimum(total, cumw)
