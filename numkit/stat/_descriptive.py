"""Descriptive statistics built on moments: means, variances, skew, kurtosis.

Gonum's ``stat`` semantics (``stat.go``) with Python's argument order. Weights are
frequency weights: the sample variance divides by ``sum(weights) - 1`` and integer
weights give the same answer as repeating values. Every function reads its data once
through one kernel call (``numkit._kernels._moments``): a cache-blocked two-pass on
data shifted by a representative value, so the result has two-pass accuracy at the
cost of one read of memory, in parallel, without temporaries.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from numkit._kernels import _moments as _k
from numkit.stat._validate import (
    as_data,
    as_weights,
    check_nan_policy,
    empty_result,
    raise_on_nan,
)

__all__ = [
    "autocorrelation",
    "circular_mean",
    "ex_kurtosis",
    "geometric_mean",
    "harmonic_mean",
    "mean",
    "mean_std_dev",
    "mean_variance",
    "moment",
    "moment_about",
    "pop_mean_std_dev",
    "pop_mean_variance",
    "pop_std_dev",
    "pop_variance",
    "skew",
    "std_dev",
    "std_err",
    "std_score",
    "variance",
]

_NAN = math.nan

# transformed_sums kinds (numkit/_kernels/_moments.pyx, enum Transform)
_POWER, _LOG, _RECIPROCAL, _SINCOS = 0, 1, 2, 3


def _ratio(a: float, b: float) -> float:
    """a / b with IEEE semantics (0/0 is NaN, a/0 is ±inf) instead of an exception."""
    if b != 0.0:
        return a / b
    if a == 0.0 or a != a:
        return _NAN
    return math.copysign(math.inf, a) * math.copysign(1.0, b)


def _prepare(x, weights, nan_policy: str, op: str, *, kernel_checks_sign: bool = False):
    """Validated (x, weights) of one floating dtype; weights may be None.

    With ``kernel_checks_sign`` the weights' sign is left to the moments kernel, which
    flags a negative weight during its one read (checking it here would read the
    weights a second time: a third of the weighted mean_variance's time); the caller
    then passes the flag to ``_check_sign``.
    """
    check_nan_policy(nan_policy, op)
    x = as_data(x, op)
    if kernel_checks_sign and weights is not None:
        w = as_data(weights, op, "weights")
        if w.shape[0] != x.shape[0]:
            as_weights(w, x.shape[0], op)   # raises the length error
    else:
        w = as_weights(weights, x.shape[0], op)
    if w is not None and w.dtype != x.dtype:
        # the kernels take one dtype for both; float64 loses nothing
        x = x.astype(np.float64, copy=False)
        w = w.astype(np.float64, copy=False)
    return x, w


def _check_sign(negative: bool, w, n: int, op: str) -> None:
    """Raise as_weights' error for a negative weight the kernel flagged."""
    if negative:
        as_weights(w, n, op)


def _check_raise(value: float, x: np.ndarray, w, nan_policy: str, op: str) -> None:
    """For nan_policy="raise": a NaN result that came from a NaN in the input raises."""
    if nan_policy == "raise" and value != value:
        raise_on_nan(x, op)
        if w is not None:
            raise_on_nan(w, op, "weights")


def _partial(x, weights, order: int, nan_policy: str, op: str):
    """The kernel's ``(w, mean, M2, M3, M4, min, max)`` or None for empty input.

    The mean is absolute (shift added back). None means empty input, every value
    omitted, or zero total weight: the caller returns ``empty_result``.
    """
    x, w = _prepare(x, weights, nan_policy, op, kernel_checks_sign=True)
    if x.shape[0] == 0:
        return None
    tw, shift, rel, m2, m3, m4, lo, hi, neg = _k.moments(x, w, order, nan_policy == "omit",
                                                         _NAN)
    _check_sign(neg, w, x.shape[0], op)
    if tw == 0.0 and rel == rel:
        return None
    mu = shift + rel
    _check_raise(mu if order == 1 else mu + m2, x, w, nan_policy, op)
    return tw, mu, m2, m3, m4, lo, hi


def mean(x: ArrayLike, weights: ArrayLike | None = None, *,
         nan_policy: str = "propagate") -> float:
    """Weighted mean of ``x`` (Gonum's ``Mean``).

    Parameters
    ----------
    x : array_like
        1-D real data (float32 is read directly, other real dtypes become float64).
    weights : array_like, optional
        Non-negative frequency weights of the same length as ``x``.
    nan_policy : {"propagate", "omit", "raise"}
        What a NaN in ``x`` or ``weights`` does: give NaN, be skipped with its weight,
        or raise ValueError naming its index.

    Returns
    -------
    float
        ``sum(w x) / sum(w)``; NaN with a RuntimeWarning for empty input.

    Raises
    ------
    ValueError
        Weights of the wrong length or negative; a bad ``nan_policy``; a NaN under
        ``nan_policy="raise"``.
    TypeError
        Non-numeric data.

    Notes
    -----
    The values are summed shifted by the first finite value, in cache-sized blocks
    with eight accumulators and the block sums merged in a fixed order, so data with a
    large offset (1e12 + small spread) keep their digits and the result does not
    depend on the thread count.

    Examples
    --------
    >>> from numkit import stat
    >>> stat.mean([1.0, 2.0, 3.0, 4.0])
    2.5
    >>> stat.mean([1.0, 2.0, 3.0, 4.0], weights=[1, 1, 1, 5])
    3.25
    """
    p = _partial(x, weights, 1, nan_policy, "mean")
    if p is None:
        return empty_result("mean")
    return p[1]


def _mean_var(x, weights, nan_policy: str, op: str, sample: bool):
    p = _partial(x, weights, 2, nan_policy, op)
    if p is None:
        return None
    tw, mu, m2 = p[0], p[1], p[2]
    return mu, _ratio(m2, tw - 1.0 if sample else tw)


def mean_variance(x: ArrayLike, weights: ArrayLike | None = None, *,
                  nan_policy: str = "propagate") -> tuple[float, float]:
    """Weighted mean and unbiased sample variance in one read (Gonum's
    ``MeanVariance``).

    Parameters
    ----------
    x : array_like
        1-D real data.
    weights : array_like, optional
        Non-negative frequency weights of the same length as ``x``.
    nan_policy : {"propagate", "omit", "raise"}
        What a NaN in ``x`` or ``weights`` does.

    Returns
    -------
    mean, variance : float
        The variance is ``sum(w (x - mean)^2) / (sum(w) - 1)``: NaN for a single
        value, and (as in Gonum) not clipped when ``sum(w) < 1``. ``(nan, nan)`` with
        a RuntimeWarning for empty input.

    Raises
    ------
    ValueError
        Weights of the wrong length or negative; a bad ``nan_policy``; a NaN under
        ``nan_policy="raise"``.
    TypeError
        Non-numeric data.

    Notes
    -----
    A cache-blocked two-pass (DESIGN.md, ``reduce``): each block of 2048 values gets
    exact central sums while it is in cache, corrected as in Chan, Golub & LeVeque
    (1983), and blocks merge with Chan et al.'s pairwise update; all on data shifted
    by one representative value, so memory is read once at two-pass accuracy.

    References
    ----------
    T. F. Chan, G. H. Golub, R. J. LeVeque, "Algorithms for computing the sample
    variance: analysis and recommendations", The American Statistician 37 (1983).

    Examples
    --------
    >>> from numkit import stat
    >>> stat.mean_variance([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0])
    (5.0, 4.571428571428571)
    >>> stat.mean_variance([1e12 + 1, 1e12 + 2, 1e12 + 3])
    (1000000000002.0, 1.0)
    """
    r = _mean_var(x, weights, nan_policy, "mean_variance", True)
    if r is None:
        return empty_result("mean_variance", (_NAN, _NAN))
    return r


def mean_std_dev(x: ArrayLike, weights: ArrayLike | None = None, *,
                 nan_policy: str = "propagate") -> tuple[float, float]:
    """Weighted mean and sample standard deviation in one read (Gonum's
    ``MeanStdDev``).

    Parameters, Raises and Notes are those of :func:`mean_variance`; the second
    value is the square root of the sample variance.

    Examples
    --------
    >>> from numkit import stat
    >>> stat.mean_std_dev([1.0, 2.0, 3.0, 4.0, 5.0])
    (3.0, 1.5811388300841898)
    """
    r = _mean_var(x, weights, nan_policy, "mean_std_dev", True)
    if r is None:
        return empty_result("mean_std_dev", (_NAN, _NAN))
    return r[0], math.sqrt(r[1]) if r[1] >= 0.0 else _NAN


def pop_mean_variance(x: ArrayLike, weights: ArrayLike | None = None, *,
                      nan_policy: str = "propagate") -> tuple[float, float]:
    """Weighted mean and population variance ``sum(w (x - mean)^2) / sum(w)``
    (Gonum's ``PopMeanVariance``).

    Parameters, Raises and Notes are those of :func:`mean_variance`.

    Examples
    --------
    >>> from numkit import stat
    >>> stat.pop_mean_variance([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0])
    (5.0, 4.0)
    """
    r = _mean_var(x, weights, nan_policy, "pop_mean_variance", False)
    if r is None:
        return empty_result("pop_mean_variance", (_NAN, _NAN))
    return r


def pop_mean_std_dev(x: ArrayLike, weights: ArrayLike | None = None, *,
                     nan_policy: str = "propagate") -> tuple[float, float]:
    """Weighted mean and population standard deviation (Gonum's ``PopMeanStdDev``).

    Parameters, Raises and Notes are those of :func:`mean_variance`.

    Examples
    --------
    >>> from numkit import stat
    >>> stat.pop_mean_std_dev([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0])
    (5.0, 2.0)
    """
    r = _mean_var(x, weights, nan_policy, "pop_mean_std_dev", False)
    if r is None:
        return empty_result("pop_mean_std_dev", (_NAN, _NAN))
    return r[0], math.sqrt(r[1]) if r[1] >= 0.0 else _NAN


def variance(x: ArrayLike, weights: ArrayLike | None = None, *,
             nan_policy: str = "propagate") -> float:
    """Unbiased weighted sample variance ``sum(w (x - mean)^2) / (sum(w) - 1)``
    (Gonum's ``Variance``).

    Parameters, Raises and Notes are those of :func:`mean_variance`.

    Examples
    --------
    >>> from numkit import stat
    >>> stat.variance([1.0, 2.0, 3.0, 4.0, 5.0])
    2.5
    >>> stat.variance([1.0, 2.0, 3.0], weights=[2, 1, 1])  # = variance([1, 1, 2, 3])
    0.9166666666666666
    """
    r = _mean_var(x, weights, nan_policy, "variance", True)
    if r is None:
        return empty_result("variance")
    return r[1]


def std_dev(x: ArrayLike, weights: ArrayLike | None = None, *,
            nan_policy: str = "propagate") -> float:
    """Sample standard deviation, the square root of :func:`variance` (Gonum's
    ``StdDev``).

    Parameters, Raises and Notes are those of :func:`mean_variance`.

    Examples
    --------
    >>> from numkit import stat
    >>> stat.std_dev([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0])
    2.138089935299395
    """
    r = _mean_var(x, weights, nan_policy, "std_dev", True)
    if r is None:
        return empty_result("std_dev")
    return math.sqrt(r[1]) if r[1] >= 0.0 else _NAN


def pop_variance(x: ArrayLike, weights: ArrayLike | None = None, *,
                 nan_policy: str = "propagate") -> float:
    """Population variance ``sum(w (x - mean)^2) / sum(w)`` (Gonum's
    ``PopVariance``).

    Parameters, Raises and Notes are those of :func:`mean_variance`.

    Examples
    --------
    >>> from numkit import stat
    >>> stat.pop_variance([1.0, 2.0, 3.0, 4.0])
    1.25
    """
    r = _mean_var(x, weights, nan_policy, "pop_variance", False)
    if r is None:
        return empty_result("pop_variance")
    return r[1]


def pop_std_dev(x: ArrayLike, weights: ArrayLike | None = None, *,
                nan_policy: str = "propagate") -> float:
    """Population standard deviation (Gonum's ``PopStdDev``).

    Parameters, Raises and Notes are those of :func:`mean_variance`.

    Examples
    --------
    >>> from numkit import stat
    >>> stat.pop_std_dev([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0])
    2.0
    """
    r = _mean_var(x, weights, nan_policy, "pop_std_dev", False)
    if r is None:
        return empty_result("pop_std_dev")
    return math.sqrt(r[1]) if r[1] >= 0.0 else _NAN


def std_err(std: float, sample_size: float) -> float:
    """Standard error of the mean, ``std / sqrt(sample_size)`` (Gonum's ``StdErr``).

    Parameters
    ----------
    std : float
        Standard deviation of the sample.
    sample_size : float
        Number of observations (or total frequency weight).

    Returns
    -------
    float

    Examples
    --------
    >>> from numkit import stat
    >>> stat.std_err(2.0, 16)
    0.5
    """
    return _ratio(float(std), math.sqrt(sample_size)) if sample_size >= 0 else _NAN


def std_score(x: ArrayLike, mean: float, std: float):
    """Standard score (z-score) ``(x - mean) / std`` (Gonum's ``StdScore``).

    Parameters
    ----------
    x : float or array_like
        A value, or an array of values (scored elementwise).
    mean, std : float
        Mean and standard deviation to score against.

    Returns
    -------
    float or numpy.ndarray
        A float for scalar ``x``, otherwise a float64 array of ``x``'s shape.

    Examples
    --------
    >>> from numkit import stat
    >>> stat.std_score(7.0, 5.0, 2.0)
    1.0
    >>> stat.std_score([3.0, 5.0], 5.0, 2.0)
    array([-1.,  0.])
    """
    if np.ndim(x) == 0:
        return _ratio(float(x) - mean, float(std))
    with np.errstate(divide="ignore", invalid="ignore"):
        return (np.asarray(x, dtype=np.float64) - mean) / std


def _transformed(x, weights, kind: int, nan_policy: str, op: str, k=0.0, center=0.0):
    x, w = _prepare(x, weights, nan_policy, op)
    if x.shape[0] == 0:
        return None
    tw, s1, s2 = _k.transformed_sums(x, w, kind, float(k), float(center),
                                     nan_policy == "omit")
    if tw == 0.0 and s1 == s1:
        return None
    _check_raise(s1 + s2 + tw, x, w, nan_policy, op)
    return tw, s1, s2


def geometric_mean(x: ArrayLike, weights: ArrayLike | None = None, *,
                   nan_policy: str = "propagate") -> float:
    """Weighted geometric mean ``exp(sum(w log x) / sum(w))`` (Gonum's
    ``GeometricMean``).

    Parameters
    ----------
    x : array_like
        1-D positive data: a zero gives 0, a negative value NaN (log of a negative).
    weights : array_like, optional
        Non-negative frequency weights of the same length as ``x``.
    nan_policy : {"propagate", "omit", "raise"}
        What a NaN in ``x`` or ``weights`` does.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        Weights of the wrong length or negative; a bad ``nan_policy``; a NaN under
        ``nan_policy="raise"``.
    TypeError
        Non-numeric data.

    Examples
    --------
    >>> from numkit import stat
    >>> round(stat.geometric_mean([1.0, 10.0, 100.0]), 12)
    10.0
    """
    r = _transformed(x, weights, _LOG, nan_policy, "geometric_mean")
    if r is None:
        return empty_result("geometric_mean")
    return math.exp(_ratio(r[1], r[0]))


def harmonic_mean(x: ArrayLike, weights: ArrayLike | None = None, *,
                  nan_policy: str = "propagate") -> float:
    """Weighted harmonic mean ``sum(w) / sum(w / x)`` (Gonum's ``HarmonicMean``).

    Parameters, Returns and Raises as :func:`geometric_mean`; a zero in ``x`` gives 0.

    Examples
    --------
    >>> from numkit import stat
    >>> stat.harmonic_mean([1.0, 2.0, 4.0])
    1.7142857142857142
    """
    r = _transformed(x, weights, _RECIPROCAL, nan_policy, "harmonic_mean")
    if r is None:
        return empty_result("harmonic_mean")
    return _ratio(r[0], r[1])


def circular_mean(x: ArrayLike, weights: ArrayLike | None = None, *,
                  nan_policy: str = "propagate") -> float:
    """Weighted circular mean of angles in radians, ``atan2(sum w sin x, sum w cos x)``
    (Gonum's ``CircularMean``).

    Parameters, Raises as :func:`geometric_mean`.

    Returns
    -------
    float
        An angle in ``[-pi, pi]``.

    Examples
    --------
    >>> import math
    >>> from numkit import stat
    >>> round(stat.circular_mean([0.1, 2 * math.pi - 0.1]), 12)
    0.0
    """
    r = _transformed(x, weights, _SINCOS, nan_policy, "circular_mean")
    if r is None:
        return empty_result("circular_mean")
    return math.atan2(r[1], r[2])


def _check_order(k, op: str) -> float:
    if isinstance(k, bool) or not isinstance(k, int | float | np.integer | np.floating):
        raise TypeError(f"stat.{op}: k must be a real number; got {type(k).__name__}")
    k = float(k)
    if not math.isfinite(k):
        raise ValueError(f"stat.{op}: k must be finite; got {k}")
    return k


def moment(x: ArrayLike, k: float, weights: ArrayLike | None = None, *,
           nan_policy: str = "propagate") -> float:
    """Weighted ``k``-th central moment ``sum(w (x - mean)^k) / sum(w)`` (Gonum's
    ``Moment``).

    Parameters
    ----------
    x : array_like
        1-D real data.
    k : float
        The order; need not be an integer (``(x - mean)^k`` is NaN for a negative
        base and a non-integer ``k``, as ``math.pow``).
    weights : array_like, optional
        Non-negative frequency weights of the same length as ``x``.
    nan_policy : {"propagate", "omit", "raise"}
        What a NaN in ``x`` or ``weights`` does.

    Returns
    -------
    float

    Raises
    ------
    TypeError
        ``k`` not a real number; non-numeric data.
    ValueError
        ``k`` not finite; weights of the wrong length or negative; a bad
        ``nan_policy``; a NaN under ``nan_policy="raise"``.

    Notes
    -----
    Orders 2, 3 and 4 come from the blocked two-pass central sums (Pébay's merge);
    other orders from the mean and a second, chunked pass.

    Examples
    --------
    >>> from numkit import stat
    >>> stat.moment([1.0, 2.0, 3.0, 4.0], 2)
    1.25
    >>> stat.moment([1.0, 2.0, 3.0, 4.0], 4)
    2.5625
    """
    k = _check_order(k, "moment")
    if k in (2.0, 3.0, 4.0):
        p = _partial(x, weights, 2 if k == 2.0 else 4, nan_policy, "moment")
        if p is None:
            return empty_result("moment")
        return _ratio(p[int(k)], p[0])
    p = _partial(x, weights, 1, nan_policy, "moment")
    if p is None:
        return empty_result("moment")
    r = _transformed(x, weights, _POWER, nan_policy, "moment", k, p[1])
    return _ratio(r[1], r[0])


def moment_about(x: ArrayLike, k: float, mean: float,
                 weights: ArrayLike | None = None, *,
                 nan_policy: str = "propagate") -> float:
    """Weighted ``k``-th moment about a given ``mean``, ``sum(w (x - mean)^k) /
    sum(w)`` (Gonum's ``MomentAbout``).

    Parameters
    ----------
    x : array_like
        1-D real data.
    k : float
        The order (any finite real).
    mean : float
        The point the moment is taken about.
    weights : array_like, optional
        Non-negative frequency weights of the same length as ``x``.
    nan_policy : {"propagate", "omit", "raise"}
        What a NaN in ``x`` or ``weights`` does.

    Returns
    -------
    float

    Raises
    ------
    TypeError
        ``k`` not a real number; non-numeric data.
    ValueError
        ``k`` not finite; weights of the wrong length or negative; a bad
        ``nan_policy``; a NaN under ``nan_policy="raise"``.

    Examples
    --------
    >>> from numkit import stat
    >>> stat.moment_about([1.0, 2.0, 3.0], 2, 0.0)
    4.666666666666667
    """
    k = _check_order(k, "moment_about")
    r = _transformed(x, weights, _POWER, nan_policy, "moment_about", k, float(mean))
    if r is None:
        return empty_result("moment_about")
    return _ratio(r[1], r[0])


def _skew_from(tw: float, m2: float, m3: float) -> float:
    """Gonum's Skew: sum(w z^3) n / ((n - 1)(n - 2)) with z from the sample std."""
    std = math.sqrt(m2 / (tw - 1.0)) if tw != 1.0 and m2 >= 0.0 else _NAN
    s = _ratio(m3, std * std * std)
    return s * _ratio(tw, (tw - 1.0) * (tw - 2.0))


def _ex_kurtosis_from(tw: float, m2: float, m4: float) -> float:
    """Gonum's ExKurtosis: sum(w z^4) mul - offset (unbiased excess kurtosis)."""
    var = _ratio(m2, tw - 1.0)
    e = _ratio(m4, var * var)
    mul = _ratio((tw + 1.0) * tw, (tw - 1.0) * (tw - 2.0) * (tw - 3.0))
    offset = 3.0 * _ratio((tw - 1.0) * (tw - 1.0), (tw - 2.0) * (tw - 3.0))
    return e * mul - offset


def skew(x: ArrayLike, weights: ArrayLike | None = None, *,
         nan_policy: str = "propagate") -> float:
    """Sample skewness, corrected for bias as Gonum's ``Skew`` (equal to
    ``scipy.stats.skew(x, bias=False)``).

    Parameters
    ----------
    x : array_like
        1-D real data.
    weights : array_like, optional
        Non-negative frequency weights of the same length as ``x``.
    nan_policy : {"propagate", "omit", "raise"}
        What a NaN in ``x`` or ``weights`` does.

    Returns
    -------
    float
        ``M3 / s^3 * n / ((n - 1)(n - 2))`` with ``s`` the sample standard deviation
        and ``n = sum(w)``; NaN for constant data or ``n <= 2``.

    Raises
    ------
    ValueError
        Weights of the wrong length or negative; a bad ``nan_policy``; a NaN under
        ``nan_policy="raise"``.
    TypeError
        Non-numeric data.

    Notes
    -----
    M2 and M3 come from one blocked two-pass read, blocks merged with Pébay's (2008)
    formulas. Correction from Doane & Seward (2011), J. Stat. Educ. 19(2), p. 7.

    Examples
    --------
    >>> from numkit import stat
    >>> round(stat.skew([1.0, 2.0, 3.0, 10.0]), 12)
    1.763632614804
    """
    p = _partial(x, weights, 4, nan_policy, "skew")
    if p is None:
        return empty_result("skew")
    return _skew_from(p[0], p[2], p[3])


def ex_kurtosis(x: ArrayLike, weights: ArrayLike | None = None, *,
                nan_policy: str = "propagate") -> float:
    """Sample excess kurtosis, corrected for bias as Gonum's ``ExKurtosis`` (equal to
    ``scipy.stats.kurtosis(x, bias=False)``).

    Parameters
    ----------
    x : array_like
        1-D real data.
    weights : array_like, optional
        Non-negative frequency weights of the same length as ``x``.
    nan_policy : {"propagate", "omit", "raise"}
        What a NaN in ``x`` or ``weights`` does.

    Returns
    -------
    float
        ``M4 / s^4 * (n+1) n / ((n-1)(n-2)(n-3)) - 3 (n-1)^2 / ((n-2)(n-3))``;
        NaN for constant data or ``n <= 3``.

    Raises
    ------
    ValueError
        Weights of the wrong length or negative; a bad ``nan_policy``; a NaN under
        ``nan_policy="raise"``.
    TypeError
        Non-numeric data.

    Notes
    -----
    M2 and M4 come from one blocked two-pass read (Pébay's merge).

    Examples
    --------
    >>> from numkit import stat
    >>> round(stat.ex_kurtosis([1.0, 2.0, 3.0, 4.0, 10.0]), 12)
    3.152
    """
    p = _partial(x, weights, 4, nan_policy, "ex_kurtosis")
    if p is None:
        return empty_result("ex_kurtosis")
    return _ex_kurtosis_from(p[0], p[2], p[4])


def autocorrelation(x: ArrayLike, lag: int = 1, *, nan_policy: str = "propagate") -> float:
    """Lag-``lag`` autocorrelation as NIST StRD defines it for lag 1:
    ``sum_i (x_i - m)(x_{i+lag} - m) / sum_i (x_i - m)^2``.

    Parameters
    ----------
    x : array_like
        1-D real data, a series in order.
    lag : int
        Non-negative lag; a lag of ``len(x)`` or more has no pairs and gives 0.
    nan_policy : {"propagate", "omit", "raise"}
        With "omit", the mean and the denominator use the non-NaN values and the
        numerator the pairs without a NaN (pairwise-complete).

    Returns
    -------
    float
        NaN for constant data (zero denominator).

    Raises
    ------
    TypeError
        ``lag`` not an integer; non-numeric data.
    ValueError
        Negative ``lag``; a bad ``nan_policy``; a NaN under ``nan_policy="raise"``.

    Notes
    -----
    The mean and the denominator come from the blocked two-pass; the numerator from
    one chunked pass of lagged products of deviations.

    References
    ----------
    NIST Statistical Reference Datasets, univariate summary statistics:
    https://www.itl.nist.gov/div898/strd/univ/homepage.html

    Examples
    --------
    >>> from numkit import stat
    >>> stat.autocorrelation([1.0, 2.0, 3.0, 4.0])
    0.25
    """
    if isinstance(lag, bool) or not isinstance(lag, int | np.integer):
        raise TypeError(f"stat.autocorrelation: lag must be an integer; got {lag!r}")
    if lag < 0:
        raise ValueError(f"stat.autocorrelation: lag must be non-negative; got {lag}")
    x, _ = _prepare(x, None, nan_policy, "autocorrelation")
    if x.shape[0] == 0:
        return empty_result("autocorrelation")
    omit = nan_policy == "omit"
    tw, shift, rel, m2 = _k.moments(x, None, 2, omit, _NAN)[:4]
    if tw == 0.0:
        return empty_result("autocorrelation")
    mu = shift + rel
    num = _k.lagged_products(x, int(lag), shift, rel, omit)
    r = _ratio(num, m2)
    _check_raise(mu + m2, x, None, nan_policy, "autocorrelation")
    return r
