"""Order statistics: quantile, median, mode and the empirical CDF.

Gonum's ``stat.Quantile`` and ``stat.CDF`` need sorted input; here the data may be in
any order. Unweighted quantiles never sort: the kernel finds the needed order
statistics by histogram narrowing (``numkit._kernels._order.select_ranks``), O(n)
and exact. Weighted quantiles sort once (a stable argsort, O(n log n)) and scan the
cumulative weights in sorted order, as Gonum does.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from numkit._kernels import _order
from numkit.stat._validate import (
    as_data,
    as_weights,
    check_nan_policy,
    empty_result,
    raise_on_nan,
)

__all__ = ["cdf", "median", "mode", "quantile"]

QUANTILE_KINDS = ("empirical", "lininterp", "linear")

_NO_WEIGHTS = np.empty(0)


def _as_p(p, op: str) -> tuple[np.ndarray, bool]:
    """``p`` as a 1-D float64 array, and whether it was a scalar."""
    try:
        arr = np.asarray(p, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"stat.{op}: p must be a real number or an array of them; "
                        f"got {p!r}") from None
    scalar = arr.ndim == 0
    arr = arr.reshape(-1)
    bad = ~((arr >= 0) & (arr <= 1))
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(f"stat.{op}: p must lie in [0, 1]; got p[{i}] = {float(arr[i])!r}"
                         if not scalar else
                         f"stat.{op}: p must lie in [0, 1]; got {float(arr[i])!r}")
    return arr, scalar


def _shape_result(values: np.ndarray, scalar: bool):
    return float(values[0]) if scalar else values


class _Sample:
    """The validated data of one call, able to return order statistics.

    Unweighted, ``at(ranks)`` takes integer 0-based ranks among the n non-NaN values.
    Weighted, ``at(positions)`` takes real positions r of the *expanded* sample (each
    value repeated by its weight): X(r) is the value whose cumulative weight first
    exceeds r, so integer weights give exactly what ``np.repeat`` would.
    """

    def __init__(self, x, weights, nan_policy: str, op: str, assume_sorted: bool = False):
        check_nan_policy(nan_policy, op)
        self.op = op
        self.x = as_data(x, op)
        self.w = as_weights(weights, self.x.shape[0], op)
        self.nan_policy = nan_policy
        self.assume_sorted = assume_sorted
        self.nan = False  # result is NaN (propagated)
        self.empty = False
        n = self.x.shape[0]
        if n == 0:
            self.empty = True
            return
        lo, hi, nan_count = _order.scan(self.x)
        self.lo, self.hi = lo, hi
        self.n_valid = n - nan_count
        if nan_count and nan_policy != "omit":
            self.nan = True
            return
        if self.w is None:
            self.total = float(self.n_valid)
            self.empty = self.n_valid == 0
            return
        if assume_sorted:
            self.order = np.arange(n, dtype=np.intp)
        else:
            self.order = np.argsort(self.x, kind="stable")  # NaN sort last
        self.total = _order.weighted_total(self.w, self.order, self.n_valid,
                                           nan_policy == "omit")
        if np.isnan(self.total):
            self.nan = True
        elif self.total == 0:
            self.empty = True

    def nan_result(self, shape):
        if self.nan_policy == "raise":
            raise_on_nan(self.x, self.op)
            raise_on_nan(self.w, self.op, "weights")
        return np.full(shape, np.nan)

    def at(self, positions: np.ndarray) -> np.ndarray:
        """Values X(r) at the given positions (any order; duplicates allowed)."""
        if self.w is None:
            ranks = positions.astype(np.int64)
            if self.assume_sorted:
                return self.x[ranks].astype(np.float64)
            uniq, inv = np.unique(ranks, return_inverse=True)
            return _order.select_ranks(self.x, self.lo, self.hi, self.n_valid, uniq)[inv]
        return self._pick(positions, strict=True)

    def at_pairs(self, first: np.ndarray, second: np.ndarray):
        """``at`` of two position arrays in one selection (one set of passes)."""
        both = self.at(np.concatenate([first, second]))
        return both[:first.shape[0]], both[first.shape[0]:]

    def _pick(self, thresholds: np.ndarray, strict: bool) -> np.ndarray:
        uniq, inv = np.unique(thresholds, return_inverse=True)
        out = np.empty(uniq.shape[0])
        _order.weighted_pick(self.x, self.w, self.order, self.n_valid, uniq, strict, out)
        return out[inv]

    def empirical(self, p: np.ndarray) -> np.ndarray:
        """R type 1, Gonum's Empirical: the first value whose cumulative weight
        reaches p·W."""
        fidx = p * self.total
        if self.w is None:
            return self.at(np.maximum(np.ceil(fidx) - 1, 0))
        return self._pick(fidx, strict=False)

    def lininterp(self, p: np.ndarray) -> np.ndarray:
        """R type 4, Gonum's LinInterp: with i = ceil(p·W) - 1 and t = i + 1 - p·W,
        t·X(i-1) + (1-t)·X(i) (X(0) when i = 0), Gonum's expression for the bits."""
        fidx = p * self.total
        i = np.maximum(np.ceil(fidx) - 1, 0)
        t = (i + 1) - fidx
        prev, cur = self.at_pairs(np.maximum(i - 1, 0), i)
        return np.where(i == 0, cur, t * prev + (1 - t) * cur)

    def linear(self, p: np.ndarray) -> np.ndarray:
        """R type 7, numpy's default, with numpy's index (n - 1)·p and its
        interpolation formula (so unweighted results equal ``np.quantile`` to the
        bit)."""
        total = self.total
        virtual = (total - 1) * p
        prev = np.floor(virtual)
        above = virtual >= total - 1
        below = virtual < 0
        last = total - 1 if self.w is None else np.inf
        prev_pos = np.where(above, last, np.where(below, 0, prev))
        next_pos = np.where(above, last, np.where(below, 0, prev + 1))
        if self.w is not None:
            # np.inf never reaches the (finite) cumulative weight: the last value.
            prev_pos = np.where(above, np.inf, prev_pos)
            next_pos = np.where(above, np.inf, next_pos)
        a, b = self.at_pairs(prev_pos, next_pos)
        gamma = virtual - prev
        with np.errstate(invalid="ignore"):
            diff = b - a
            res = np.where(gamma >= 0.5, b - diff * (1 - gamma), a + diff * gamma)
        return np.where((a == b) | above | below, a, res)


def quantile(x: ArrayLike, p: ArrayLike,
             kind: Literal["empirical", "lininterp", "linear"] = "empirical",
             weights: ArrayLike | None = None, assume_sorted: bool = False,
             nan_policy: str = "propagate") -> float | np.ndarray:
    """Quantiles of a sample, exactly, without sorting it.

    Parameters
    ----------
    x : array_like
        The sample, 1-D, in any order.
    p : float or array_like
        Probabilities in [0, 1]. A scalar gives a float; an array gives an array.
    kind : {"empirical", "lininterp", "linear"}
        ``"empirical"`` (Gonum's ``Empirical``, R type 1): the smallest value whose
        cumulative weight reaches p·W. ``"lininterp"`` (Gonum's ``LinInterp``, R type
        4): linear interpolation of the empirical CDF. ``"linear"`` (R type 7, numpy's
        default): interpolation at position p·(W - 1).
    weights : array_like, optional
        Non-negative frequency weights: integer weights give exactly the quantiles
        of the sample with each value repeated that many times (``np.repeat``).
    assume_sorted : bool
        Trust that ``x`` is sorted ascending (NaN, if any, last), as Gonum requires.
        Not checked.
    nan_policy : {"propagate", "omit", "raise"}
        NaN in x (or in weights) gives NaN, is skipped, or raises ValueError.

    Returns
    -------
    float or numpy.ndarray
        The quantile(s), shaped like ``p``.

    Raises
    ------
    ValueError
        If p lies outside [0, 1], kind or nan_policy is unknown, the weights are
        negative or of the wrong length, or NaN is met under ``nan_policy="raise"``.
    TypeError
        If x is not real.

    Warns
    -----
    RuntimeWarning
        On empty input (or every value omitted, or zero total weight): NaN returned.

    Notes
    -----
    Unweighted, the needed order statistics are found at once by histogram
    narrowing: one parallel pass counts the values into 4096 uniform value bins and
    4096 uniform bins of their order-preserving bit keys (the latter suit heavy
    tails); each target takes the smaller bin holding its rank; a crowded bin is
    split again, and a final pass gathers the few values of each target bin and
    partitions them. O(n), exact, the input is neither copied nor reordered, and the
    thread count does not change the result (all counts are exact integers).

    Weighted, one stable argsort (O(n log n)) orders the data and the cumulative
    weights are scanned in that order. Zero weights count as absent values, so
    unlike Gonum (which returns x[0] for p = 0 even when its weight is zero) the
    result is always a value of positive weight. For ``"lininterp"`` with weights,
    Gonum interpolates across the whole weight of a value (t = (C_i − p·W)/w_i);
    numkit follows the frequency meaning instead — the type-4 quantile of the
    repeated sample — so that integer weights equal repetition; for unit weights the
    two agree. Interpolating kinds measure positions in units of weight, so scaling
    the weights changes them (as repetition would); ``"empirical"`` does not.

    References
    ----------
    .. [1] R. J. Hyndman and Y. Fan, "Sample quantiles in statistical packages",
       The American Statistician 50(4), 361–365, 1996.
    .. [2] Gonum, ``stat.Quantile``, gonum.org/v1/gonum/stat.

    Examples
    --------
    >>> from numkit.stat import quantile
    >>> x = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0]
    >>> quantile(x, 0.5)
    3.0
    >>> quantile(x, [0.25, 0.5, 0.75], kind="linear")
    array([1.75, 3.5 , 5.25])
    >>> quantile([1.0, 2.0], 0.5, weights=[1, 3])
    2.0
    """
    op = "quantile"
    if kind not in QUANTILE_KINDS:
        raise ValueError(f"The 'kind' parameter of stat.{op} must be one of "
                         f"{', '.join(map(repr, QUANTILE_KINDS))}; got {kind!r}")
    pa, scalar = _as_p(p, op)
    sample = _Sample(x, weights, nan_policy, op, assume_sorted)
    if sample.nan:
        return _shape_result(sample.nan_result(pa.shape), scalar)
    if sample.empty:
        return _shape_result(empty_result(op, np.full(pa.shape, np.nan)), scalar)
    values = getattr(sample, kind)(pa)
    return _shape_result(np.asarray(values, dtype=np.float64), scalar)


def median(x: ArrayLike, weights: ArrayLike | None = None,
           nan_policy: str = "propagate") -> float:
    """The conventional median: the middle value, or the mean of the two middle
    values when the count is even.

    Parameters
    ----------
    x : array_like
        The sample, 1-D, in any order.
    weights : array_like, optional
        Non-negative frequency weights: the median of the sample with each value
        repeated by its weight (integer weights equal ``np.repeat``).
    nan_policy : {"propagate", "omit", "raise"}
        NaN gives NaN, is skipped, or raises ValueError.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        Bad weights or nan_policy, or NaN under ``nan_policy="raise"``.
    TypeError
        If x is not real.

    Warns
    -----
    RuntimeWarning
        On empty input: NaN returned.

    Notes
    -----
    Gonum has no conventional median (``Quantile(0.5, Empirical, ...)`` is the
    lower middle value). The middle order statistics come from the same O(n)
    selection as :func:`quantile`; the two middle values are averaged as
    ``(a + b) / 2``, like ``np.median``. With weights of total W the middle
    positions are (W − 1)/2 rounded down and up in the repeated sample; a total that
    is not a whole or half number interpolates between them.

    Examples
    --------
    >>> from numkit.stat import median
    >>> median([5.0, 1.0, 4.0, 2.0])
    3.0
    >>> median([1.0, 2.0, 10.0], weights=[2, 1, 1])
    1.5
    """
    op = "median"
    sample = _Sample(x, weights, nan_policy, op)
    if sample.nan:
        return float(sample.nan_result(1)[0])
    if sample.empty:
        return float(empty_result(op))
    half = (sample.total - 1) / 2
    lo = np.floor(half)
    frac = half - lo
    if frac == 0:
        return float(sample.at(np.array([max(lo, 0.0)]))[0])
    a, b = (float(v) for v in sample.at(np.array([max(lo, 0.0), lo + 1])))
    if frac == 0.5:
        mid = (a + b) / 2
        if math.isinf(mid) and math.isfinite(a) and math.isfinite(b):
            mid = a / 2 + b / 2  # a + b overflowed
        return float(mid)
    return float(a + frac * (b - a))


def mode(x: ArrayLike, weights: ArrayLike | None = None,
         nan_policy: str = "propagate") -> tuple[float, float]:
    """The most common value and its (weighted) count, as Gonum's ``Mode``.

    Parameters
    ----------
    x : array_like
        The sample, 1-D. Values are compared exactly (floating-point equality).
    weights : array_like, optional
        Non-negative frequency weights; a value's count is the sum of its weights.
    nan_policy : {"propagate", "omit", "raise"}
        NaN gives ``(nan, nan)``, is skipped, or raises ValueError.

    Returns
    -------
    value : float
        The most common value; among ties, the smallest (Gonum returns any).
    count : float
        Its count, or its total weight.

    Raises
    ------
    ValueError
        Bad weights or nan_policy, or NaN under ``nan_policy="raise"``.
    TypeError
        If x is not real.

    Warns
    -----
    RuntimeWarning
        On empty input or zero total weight: ``(nan, 0.0)`` (Gonum returns (0, 0)).

    Notes
    -----
    Sorts the values once (``np.unique``), O(n log n), and sums the counts or
    weights of each distinct value.

    Examples
    --------
    >>> from numkit.stat import mode
    >>> mode([2.0, 1.0, 2.0, 3.0, 1.0])
    (1.0, 2.0)
    >>> mode([2.0, 1.0, 2.0, 3.0, 1.0], weights=[1, 1, 1, 5, 1])
    (3.0, 5.0)
    """
    op = "mode"
    check_nan_policy(nan_policy, op)
    xa = as_data(x, op)
    w = as_weights(weights, xa.shape[0], op)
    bad = np.isnan(xa)
    if w is not None:
        bad |= np.isnan(w)
    if bad.any():
        if nan_policy == "raise":
            raise_on_nan(xa, op)
            raise_on_nan(w, op, "weights")
        if nan_policy == "propagate":
            return (np.nan, np.nan)
        xa = xa[~bad]
        w = None if w is None else w[~bad]
    if w is not None:
        keep = w > 0
        xa, w = xa[keep], w[keep]
    if xa.shape[0] == 0:
        return (float(empty_result(op)), 0.0)
    if w is None:
        values, counts = np.unique(xa, return_counts=True)
    else:
        values, inverse = np.unique(xa, return_inverse=True)
        counts = np.bincount(inverse, weights=w, minlength=values.shape[0])
    best = int(np.argmax(counts))  # first maximum: the smallest value among ties
    return (float(values[best]), float(counts[best]))


def cdf(q: ArrayLike, x: ArrayLike, kind: Literal["empirical"] = "empirical",
        weights: ArrayLike | None = None,
        nan_policy: str = "propagate") -> float | np.ndarray:
    """The empirical CDF of x at q: the fraction of the weight at or below q.

    Parameters
    ----------
    q : float or array_like
        Where to evaluate; a scalar gives a float, an array an array.
    x : array_like
        The sample, 1-D, in any order.
    kind : {"empirical"}
        Gonum's ``Empirical``, the only kind Gonum's ``CDF`` defines.
    weights : array_like, optional
        Non-negative frequency weights.
    nan_policy : {"propagate", "omit", "raise"}
        NaN in x (or weights) gives NaN, is skipped, or raises ValueError. NaN in q
        gives NaN at that q.

    Returns
    -------
    float or numpy.ndarray

    Raises
    ------
    ValueError
        Unknown kind or nan_policy, bad weights, NaN under ``nan_policy="raise"``.
    TypeError
        If x or q is not real.

    Warns
    -----
    RuntimeWarning
        On empty input or zero total weight: NaN.

    Notes
    -----
    One parallel pass over x, whatever the number of q: each value's weight goes to
    the first q (sorted) at or above it, and a cumulative sum gives the weight at
    or below each q. Counts are exact; weighted sums combine per-chunk partials in
    chunk order, so the thread count does not change the bits. Gonum's ``CDF``
    needs sorted x; here no sorting is done.

    Examples
    --------
    >>> from numkit.stat import cdf
    >>> cdf(2.0, [1.0, 2.0, 2.0, 3.0])
    0.75
    >>> cdf([0.0, 1.5, 3.0], [1.0, 2.0, 2.0, 3.0], weights=[1, 1, 1, 5])
    array([0.   , 0.125, 1.   ])
    """
    op = "cdf"
    if kind != "empirical":
        raise ValueError(f"The 'kind' parameter of stat.{op} must be 'empirical' "
                         f"(Gonum's CDF defines no other); got {kind!r}")
    check_nan_policy(nan_policy, op)
    xa = as_data(x, op)
    w = as_weights(weights, xa.shape[0], op)
    qa = as_data(q, op, "q").astype(np.float64, copy=False)
    scalar = np.ndim(q) == 0
    if xa.shape[0] == 0:
        return _shape_result(empty_result(op, np.full(qa.shape, np.nan)), scalar)
    order = np.argsort(qa)  # NaN last; the kernel's search must not see them
    m = qa.shape[0] - int(np.count_nonzero(np.isnan(qa)))
    qs = np.ascontiguousarray(qa[order[:m]])
    buckets = np.zeros(m + 1)
    nan_count = _order.weight_at_or_below(
        xa, _NO_WEIGHTS if w is None else w, w is not None, nan_policy == "omit",
        qs, buckets)
    cum = np.cumsum(buckets)
    total = cum[-1]
    if (nan_count and nan_policy != "omit") or np.isnan(total):
        if nan_policy == "raise":
            raise_on_nan(xa, op)
            raise_on_nan(w, op, "weights")
        return _shape_result(np.full(qa.shape, np.nan), scalar)
    if total == 0:
        return _shape_result(empty_result(op, np.full(qa.shape, np.nan)), scalar)
    out = np.full(qa.shape[0], np.nan)
    out[order[:m]] = cum[:-1] / total
    return _shape_result(out, scalar)
