"""Hypothesis tests Gonum lacks: Student's t (one-sample, paired, Welch), the p-values
of the Kolmogorov-Smirnov, chi-square and Pearson-correlation statistics.

Each returns a small frozen result with ``statistic, pvalue, df``. Means and
variances come from numkit's moments kernels (two-pass accuracy); p-values from
``scipy.special`` (``stdtr``, ``chdtrc``, ``betainc``, ``kolmogorov``, ``smirnov``),
never from ``scipy.stats`` objects, whose construction alone costs ~20 µs per call.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.special as sc
from numpy.typing import ArrayLike

from numkit.stat._descriptive import mean_variance
from numkit.stat._validate import as_data, as_weights, check_nan_policy, raise_on_nan

__all__ = ["TestResult", "chi_square", "correlation_test", "kolmogorov_smirnov", "t_test"]

_ALTERNATIVES = ("two-sided", "less", "greater")


@dataclass(frozen=True)
class TestResult:
    """``statistic``, ``pvalue`` and the distribution's degrees of freedom ``df``
    (NaN where the null distribution has none, as for Kolmogorov-Smirnov)."""

    __test__ = False  # not a pytest class

    statistic: float
    pvalue: float
    df: float


def _check_alternative(alternative: str, op: str) -> None:
    if alternative not in _ALTERNATIVES:
        raise ValueError(f"The 'alternative' parameter of stat.{op} must be one of "
                         f"{', '.join(map(repr, _ALTERNATIVES))}; got {alternative!r}")


def _t_pvalue(t: float, df: float, alternative: str) -> float:
    if alternative == "less":
        return float(sc.stdtr(df, t))
    if alternative == "greater":
        return float(sc.stdtr(df, -t))
    return float(2.0 * sc.stdtr(df, -abs(t))) if t == t else math.nan


def _sample(x, op: str, name: str, nan_policy: str) -> np.ndarray:
    x = as_data(x, op, name)
    isnan = np.isnan(x)
    if isnan.any():
        if nan_policy == "raise":
            raise_on_nan(x, op, name)
        if nan_policy == "omit":
            x = x[~isnan]
    return x


def t_test(x: ArrayLike, y: ArrayLike | None = None, *, mu: float = 0.0,
           paired: bool = False, alternative: str = "two-sided",
           nan_policy: str = "propagate") -> TestResult:
    """Student's t test: one-sample, paired, or Welch's two-sample (unequal variances).

    Parameters
    ----------
    x : array_like
        The sample (the first sample for two-sample and paired tests).
    y : array_like, optional
        The second sample. Without it, the test is of ``mean(x) == mu``.
    mu : float
        The hypothesised mean (of ``x``, or of ``x - y`` when ``paired``).
    paired : bool
        Test the mean of the differences ``x - y`` (equal lengths required).
    alternative : {"two-sided", "less", "greater"}
        The alternative hypothesis about ``mean(x) - mu`` or ``mean(x) - mean(y)``.
    nan_policy : {"propagate", "omit", "raise"}
        A NaN gives a NaN result, is dropped (pairwise for ``paired``), or raises.

    Returns
    -------
    TestResult
        ``statistic`` t, ``pvalue``, ``df`` (``n - 1``; Welch-Satterthwaite for two
        samples).

    Raises
    ------
    ValueError
        Fewer than two values in a sample, ``paired`` without ``y`` or with
        samples of different lengths, a bad ``alternative`` or ``nan_policy``, or a
        NaN under ``nan_policy="raise"``.

    Notes
    -----
    One-sample: ``t = (m - mu) / (s / sqrt(n))`` with ``n - 1`` degrees of freedom.
    Welch: ``t = (m_x - m_y) / sqrt(s_x²/n_x + s_y²/n_y)`` with the
    Welch-Satterthwaite degrees of freedom. The p-value is ``scipy.special.stdtr``.
    Matches ``scipy.stats.ttest_1samp``, ``ttest_rel`` and
    ``ttest_ind(equal_var=False)``.

    References
    ----------
    Welch, B. L. (1947). The generalization of "Student's" problem when several
    different population variances are involved. Biometrika 34, 28-35.

    Examples
    --------
    >>> from numkit.stat import t_test
    >>> res = t_test([5.1, 4.9, 5.3, 5.0, 5.2], mu=5.0)
    >>> round(float(res.statistic), 6), res.df
    (1.414214, 4.0)
    """
    op = "t_test"
    check_nan_policy(nan_policy, op)
    _check_alternative(alternative, op)
    x = as_data(x, op, "x")
    if paired:
        if y is None:
            raise ValueError(f"stat.{op}: paired=True needs a second sample y")
        y = as_data(y, op, "y")
        if y.shape != x.shape:
            raise ValueError(f"stat.{op}: paired samples must have the same length; x has "
                             f"{x.shape[0]} values and y {y.shape[0]}")
        d = x.astype(np.float64) - y
        if nan_policy == "raise":
            raise_on_nan(x, op, "x")
            raise_on_nan(y, op, "y")
        return t_test(d, mu=mu, alternative=alternative, nan_policy=nan_policy)
    x = _sample(x, op, "x", nan_policy)
    if y is None:
        n = x.shape[0]
        if n < 2:
            raise ValueError(f"stat.{op}: needs at least two values; x has {n}")
        m, v = mean_variance(x)
        df = float(n - 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            t = float(np.float64(m - mu) / np.sqrt(np.float64(v) / n))
        return TestResult(t, _t_pvalue(t, df, alternative), df)
    y = _sample(y, op, "y", nan_policy)
    nx, ny = x.shape[0], y.shape[0]
    if nx < 2 or ny < 2:
        raise ValueError(f"stat.{op}: Welch's test needs at least two values in each "
                         f"sample; x has {nx} and y {ny}")
    mx, vx = mean_variance(x)
    my, vy = mean_variance(y)
    ex, ey = vx / nx, vy / ny
    with np.errstate(divide="ignore", invalid="ignore"):
        t = float(np.float64(mx - my - mu) / np.sqrt(np.float64(ex + ey)))
        df = float(np.float64(ex + ey) ** 2
                   / (np.float64(ex) ** 2 / (nx - 1) + np.float64(ey) ** 2 / (ny - 1)))
    return TestResult(t, _t_pvalue(t, df, alternative), df)


def _weighted_ecdf_gap(x, wx, y, wy) -> tuple[float, float]:
    """sup(Fx - Fy) and sup(Fy - Fx) over the pooled values (weighted ECDFs)."""
    ox = np.argsort(x, kind="stable")
    oy = np.argsort(y, kind="stable")
    xs, ys = x[ox], y[oy]
    cx = np.concatenate(([0.0], np.cumsum(wx[ox]))) if wx is not None else \
        np.arange(xs.shape[0] + 1, dtype=np.float64)
    cy = np.concatenate(([0.0], np.cumsum(wy[oy]))) if wy is not None else \
        np.arange(ys.shape[0] + 1, dtype=np.float64)
    pooled = np.concatenate((xs, ys))
    fx = cx[np.searchsorted(xs, pooled, side="right")] / cx[-1]
    fy = cy[np.searchsorted(ys, pooled, side="right")] / cy[-1]
    diff = fx - fy
    return max(float(diff.max()), 0.0), max(float(-diff.min()), 0.0)


def kolmogorov_smirnov(x: ArrayLike, y: ArrayLike | Callable,
                       x_weights: ArrayLike | None = None,
                       y_weights: ArrayLike | None = None, *,
                       alternative: str = "two-sided") -> TestResult:
    """Kolmogorov-Smirnov statistic and p-value: two samples (Gonum's
    ``KolmogorovSmirnov``, weights allowed) or one sample against a CDF.

    Parameters
    ----------
    x : array_like
        The sample.
    y : array_like or callable
        The second sample, or a vectorised CDF for the one-sample test.
    x_weights, y_weights : array_like, optional
        Non-negative frequency weights of the samples (two-sample test only).
    alternative : {"two-sided", "less", "greater"}
        ``"greater"`` uses ``D+ = sup(F_x - F_y)``, ``"less"`` ``D- = sup(F_y -
        F_x)``, ``"two-sided"`` their maximum (scipy's conventions).

    Returns
    -------
    TestResult
        ``statistic`` D, ``pvalue``, ``df`` NaN (the null distribution has none).

    Raises
    ------
    ValueError
        An empty sample, NaN in the data, weights of the wrong length or
        negative, or a bad ``alternative``.

    Notes
    -----
    p-values (``scipy.special``): one sample, one-sided: the exact
    ``smirnov(n, D)``; one sample, two-sided: the limiting Kolmogorov distribution
    ``kolmogorov(sqrt(n)·D)`` (scipy's ``kstest(method="asymp")``); two samples,
    with ``n_e = n_x n_y / (n_x + n_y)`` (``Σw`` for weighted samples): two-sided
    ``kolmogorov(sqrt(n_e)·D)``, one-sided Hodges' approximation (scipy's
    ``ks_2samp(method="asymp")``). For small samples these asymptotic p-values
    are approximations; ``scipy.stats.ks_2samp`` has exact ones.

    References
    ----------
    Hodges, J. L. (1958). The significance probability of the Smirnov two-sample
    test. Ark. Mat. 3, 469-486. Marsaglia, Tsang and Wang (2003). Evaluating
    Kolmogorov's distribution. J. Stat. Softw. 8(18).

    Examples
    --------
    >>> from numkit.stat import kolmogorov_smirnov
    >>> res = kolmogorov_smirnov([0.1, 0.4, 0.7], [0.2, 0.3, 0.5, 0.9])
    >>> round(float(res.statistic), 6)
    0.333333
    """
    op = "kolmogorov_smirnov"
    _check_alternative(alternative, op)
    x = as_data(x, op, "x").astype(np.float64, copy=False)
    if x.shape[0] == 0:
        raise ValueError(f"stat.{op}: x is empty")
    if np.isnan(x).any():
        raise_on_nan(x, op, "x")
    if callable(y):
        if x_weights is not None or y_weights is not None:
            raise ValueError(f"stat.{op}: weights are for the two-sample test; y is a CDF")
        n = x.shape[0]
        cdf = np.asarray(y(np.sort(x)), dtype=np.float64)
        i = np.arange(1, n + 1)
        d_plus = max(float((i / n - cdf).max()), 0.0)
        d_minus = max(float((cdf - (i - 1) / n).max()), 0.0)
        d = {"greater": d_plus, "less": d_minus}.get(alternative, max(d_plus, d_minus))
        if alternative == "two-sided":
            p = float(sc.kolmogorov(math.sqrt(n) * d))
        else:
            p = float(sc.smirnov(n, d))
        return TestResult(d, min(max(p, 0.0), 1.0), math.nan)

    y = as_data(y, op, "y").astype(np.float64, copy=False)
    if y.shape[0] == 0:
        raise ValueError(f"stat.{op}: y is empty")
    if np.isnan(y).any():
        raise_on_nan(y, op, "y")
    wx = as_weights(x_weights, x.shape[0], op)
    wy = as_weights(y_weights, y.shape[0], op)
    wx = None if wx is None else wx.astype(np.float64, copy=False)
    wy = None if wy is None else wy.astype(np.float64, copy=False)
    d_plus, d_minus = _weighted_ecdf_gap(x, wx, y, wy)
    d = {"greater": d_plus, "less": d_minus}.get(alternative, max(d_plus, d_minus))
    m = float(x.shape[0]) if wx is None else float(wx.sum())
    n = float(y.shape[0]) if wy is None else float(wy.sum())
    m, n = max(m, n), min(m, n)
    en = m * n / (m + n)
    if alternative == "two-sided":
        p = float(sc.kolmogorov(math.sqrt(en) * d))
    else:
        z = math.sqrt(en) * d
        p = math.exp(-2 * z * z - 2 * z * (m + 2 * n) / math.sqrt(m * n * (m + n)) / 3.0)
    return TestResult(d, min(max(p, 0.0), 1.0), math.nan)


def chi_square(observed: ArrayLike, expected: ArrayLike | None = None, *,
               ddof: int = 0) -> TestResult:
    """Pearson's chi-square statistic ``Σ (o - e)² / e`` (Gonum's ``ChiSquare``) and its
    p-value.

    Parameters
    ----------
    observed : array_like
        Observed frequencies.
    expected : array_like, optional
        Expected frequencies (default: all equal to the mean of ``observed``).
        Their total must equal the observed total to a relative 1e-8, as in scipy.
    ddof : int
        Further degrees of freedom lost (e.g. estimated parameters).

    Returns
    -------
    TestResult
        ``statistic``, ``pvalue`` (``scipy.special.chdtrc``), ``df = k - 1 - ddof``.

    Raises
    ------
    ValueError
        Lengths that differ, fewer than ``2 + ddof`` categories, NaN, a
        non-positive expected frequency, or totals that disagree.

    Examples
    --------
    >>> from numkit.stat import chi_square
    >>> res = chi_square([16, 18, 16, 14, 12, 12])
    >>> round(float(res.statistic), 6), res.df
    (2.0, 5.0)
    """
    op = "chi_square"
    o = as_data(observed, op, "observed").astype(np.float64, copy=False)
    k = o.shape[0]
    if np.isnan(o).any():
        raise_on_nan(o, op, "observed")
    if expected is None:
        e = np.full(k, float(o.mean()) if k else math.nan)
    else:
        e = as_data(expected, op, "expected").astype(np.float64, copy=False)
        if e.shape != o.shape:
            raise ValueError(f"stat.{op}: observed has {k} categories but expected has "
                             f"{e.shape[0]}")
        if np.isnan(e).any():
            raise_on_nan(e, op, "expected")
    df = k - 1 - int(ddof)
    if df < 1:
        raise ValueError(f"stat.{op}: {k} categories leave {df} degrees of freedom with "
                         f"ddof={ddof}; need at least {2 + int(ddof)} categories")
    if (e <= 0).any():
        i = int(np.argmax(e <= 0))
        raise ValueError(f"stat.{op}: expected frequencies must be positive; "
                         f"expected[{i}] = {float(e[i])!r}")
    so, se = math.fsum(o), math.fsum(e)
    if abs(so - se) > 1e-8 * max(abs(so), abs(se)):  # 1e-8: scipy.stats.chisquare's rtol
        raise ValueError(f"stat.{op}: the observed total ({so!r}) and the expected total "
                         f"({se!r}) differ by more than a relative 1e-8")
    d = o - e
    stat = float(np.sum(d * d / e))
    return TestResult(stat, float(sc.chdtrc(df, stat)), float(df))


def correlation_test(x: ArrayLike, y: ArrayLike, *, alternative: str = "two-sided",
                     nan_policy: str = "propagate") -> TestResult:
    """Pearson's correlation coefficient and the p-value of ``correlation == 0``.

    Parameters
    ----------
    x, y : array_like
        Paired samples of the same length (at least 3).
    alternative : {"two-sided", "less", "greater"}
        The alternative about the population correlation.
    nan_policy : {"propagate", "omit", "raise"}
        A NaN gives NaN, drops the pair, or raises.

    Returns
    -------
    TestResult
        ``statistic`` r, ``pvalue``, ``df = n - 2``.

    Raises
    ------
    ValueError
        Lengths that differ, fewer than three pairs, a bad ``alternative`` or
        ``nan_policy``, or a NaN under ``nan_policy="raise"``.

    Warns
    -----
    RuntimeWarning
        A constant sample: r is undefined, statistic and p-value NaN.

    Notes
    -----
    ``r`` is computed from two-pass centred data; under the null hypothesis of
    normal data with no correlation, ``(r + 1)/2`` has a Beta(n/2 - 1, n/2 - 1)
    distribution, so the two-sided p-value is
    ``2·betainc(a, a, (1 - |r|)/2)`` with ``a = n/2 - 1`` (as
    ``scipy.stats.pearsonr``).

    Examples
    --------
    >>> from numkit.stat import correlation_test
    >>> res = correlation_test([1.0, 2.0, 3.0, 4.0], [1.0, 3.0, 2.0, 4.0])
    >>> float(res.statistic), res.df
    (0.8, 2.0)
    """
    op = "correlation_test"
    check_nan_policy(nan_policy, op)
    _check_alternative(alternative, op)
    x = as_data(x, op, "x").astype(np.float64, copy=False)
    y = as_data(y, op, "y").astype(np.float64, copy=False)
    if x.shape != y.shape:
        raise ValueError(f"stat.{op}: x has {x.shape[0]} values but y has {y.shape[0]}")
    bad = np.isnan(x) | np.isnan(y)
    if bad.any():
        if nan_policy == "raise":
            raise_on_nan(x, op, "x")
            raise_on_nan(y, op, "y")
        if nan_policy == "propagate":
            return TestResult(math.nan, math.nan, float(x.shape[0] - 2))
        x, y = x[~bad], y[~bad]
    n = x.shape[0]
    if n < 3:
        raise ValueError(f"stat.{op}: needs at least three pairs; got {n}")
    mx, _ = mean_variance(x)
    my, _ = mean_variance(y)
    dx, dy = x - mx, y - my
    nx, ny = np.linalg.norm(dx), np.linalg.norm(dy)
    if nx == 0.0 or ny == 0.0:
        warnings.warn(f"stat.{op}: a sample is constant; the correlation is undefined",
                      RuntimeWarning, stacklevel=2)
        return TestResult(math.nan, math.nan, float(n - 2))
    r = float(np.dot(dx / nx, dy / ny))
    r = min(max(r, -1.0), 1.0)
    a = n / 2.0 - 1.0
    if alternative == "two-sided":
        p = 2.0 * float(sc.betainc(a, a, 0.5 * (1.0 - abs(r))))
    elif alternative == "greater":
        p = float(sc.betainc(a, a, 0.5 * (1.0 - r)))
    else:
        p = float(sc.betainc(a, a, 0.5 * (1.0 + r)))
    return TestResult(r, min(p, 1.0), float(n - 2))
