"""Histogram: Gonum's ``stat.Histogram`` on unsorted data, plus uniform bins from a
bin count (numpy's ``np.histogram(x, bins)`` rule)."""

from __future__ import annotations

import numbers

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

__all__ = ["histogram"]

_NO_WEIGHTS = np.empty(0)


def _dividers(d, op: str) -> np.ndarray:
    d = np.ascontiguousarray(as_data(d, op, "dividers"), dtype=np.float64)
    if d.shape[0] < 2:
        raise ValueError(f"stat.{op}: dividers must hold at least two values; "
                         f"got {d.shape[0]}")
    step = np.diff(d)
    bad = ~(step > 0)
    if bad.any() or np.isnan(d[0]):
        i = int(np.argmax(bad)) if bad.any() else 0
        raise ValueError(f"stat.{op}: dividers must be strictly increasing; "
                         f"dividers[{i}] = {float(d[i])!r}, "
                         f"dividers[{i + 1}] = {float(d[i + 1])!r}")
    return d


def histogram(x: ArrayLike, dividers_or_bins: ArrayLike | int,
              weights: ArrayLike | None = None, nan_policy: str = "propagate"):
    """Count (or sum the weights of) the values of x in bins.

    Parameters
    ----------
    x : array_like
        The sample, 1-D, in any order (Gonum requires it sorted; numkit does not).
    dividers_or_bins : int or array_like
        An integer: that many uniform bins spanning [min(x), max(x)], the maximum in
        the last bin (numpy's rule; a constant sample spans [v − 0.5, v + 0.5]).
        An array: strictly increasing dividers, with Gonum's rule that bin j holds
        ``dividers[j] <= v < dividers[j + 1]``; every value must fall inside.
    weights : array_like, optional
        Non-negative weights; a bin then holds the sum of its values' weights.
    nan_policy : {"propagate", "omit", "raise"}
        NaN in x (or weights) makes every count NaN (and, with a bin count, the
        dividers too), is skipped, or raises ValueError.

    Returns
    -------
    counts : numpy.ndarray
        float64 counts or weight sums, one per bin (Gonum's ``[]float64``).
    dividers : numpy.ndarray
        Only with an integer bin count: the ``bins + 1`` edges, ``np.linspace(min,
        max, bins + 1)``; the result is then ``(counts, dividers)``.

    Raises
    ------
    ValueError
        Dividers not strictly increasing or fewer than two; a bin count below 1; a
        value outside the dividers (Gonum panics; the message names its index);
        infinite values with a bin count; a bin count whose uniform bins are not
        finite-sized (a span that overflows, or too many bins for a span of a few
        ulps: numpy's check); bad weights or nan_policy; NaN under
        ``nan_policy="raise"``.
    TypeError
        If x is not real or the bin count not an integer.

    Warns
    -----
    RuntimeWarning
        With a bin count and no values to span: NaN counts and dividers.

    Notes
    -----
    Uniform bins cost O(1) per value: the bin coordinate (v − lo)·bins/(hi − lo),
    computed for blocks of values in vector registers (AVX2 or AVX-512 where the
    CPU has them). A block holding a value whose coordinate lies within rounding
    error of an integer (a value on or beside a divider, NaN, or out of range) is
    binned again by numpy's own rule — its index formula, then one step of
    correction against the dividers — so the counts agree with ``np.histogram``
    exactly. Unweighted counts of up to 108 bins are tallied two values per
    increment, in a table of bin pairs. Arbitrary dividers cost a binary search per
    value. Everything runs in parallel; weighted sums are added per fixed chunk in
    chunk order, so they have the same bits on any number of threads (integer
    counts are exact in any order).

    Examples
    --------
    >>> from numkit.stat import histogram
    >>> histogram([0.5, 1.0, 1.5, 2.5], [0.0, 1.0, 2.0, 3.0])
    array([1., 2., 1.])
    >>> counts, dividers = histogram([1.0, 2.0, 2.0, 4.0], 3)
    >>> counts
    array([1., 2., 1.])
    >>> dividers
    array([1., 2., 3., 4.])
    """
    op = "histogram"
    check_nan_policy(nan_policy, op)
    xa = as_data(x, op)
    w = as_weights(weights, xa.shape[0], op)
    weighted = w is not None
    wk = w if weighted else _NO_WEIGHTS
    omit = nan_policy == "omit"
    if isinstance(dividers_or_bins, numbers.Integral) and not isinstance(
            dividers_or_bins, bool):
        return _uniform(xa, w, wk, int(dividers_or_bins), nan_policy, op)
    if np.ndim(dividers_or_bins) == 0:
        raise TypeError(f"stat.{op}: dividers_or_bins must be an integer bin count or "
                        f"an array of dividers; got {dividers_or_bins!r}")
    d = _dividers(dividers_or_bins, op)
    counts = np.zeros(d.shape[0] - 1)
    if xa.shape[0] == 0:
        return counts
    first_bad, nan_count = _order.histogram_dividers(xa, wk, weighted, omit, d, counts)
    if first_bad >= 0:
        raise ValueError(
            f"stat.{op}: x[{first_bad}] = {float(xa[first_bad])!r} lies outside the dividers "
            f"[{float(d[0])!r}, {float(d[-1])!r}) (bin j holds dividers[j] <= x < dividers[j+1])")
    if (nan_count and not omit) or (weighted and not omit and np.isnan(counts).any()):
        if nan_policy == "raise":
            raise_on_nan(xa, op)
            raise_on_nan(w, op, "weights")
        counts[:] = np.nan
    return counts


def _uniform(xa, w, wk, bins: int, nan_policy: str, op: str):
    if bins < 1:
        raise ValueError(f"stat.{op}: the bin count must be at least 1; got {bins}")
    omit = nan_policy == "omit"
    if xa.shape[0] == 0:
        return empty_result(op, (np.full(bins, np.nan), np.full(bins + 1, np.nan)))
    lo, hi, nan_count = _order.scan(xa)
    if nan_count and not omit:
        if nan_policy == "raise":
            raise_on_nan(xa, op)
        return np.full(bins, np.nan), np.full(bins + 1, np.nan)
    if nan_count == xa.shape[0]:
        return empty_result(op, (np.full(bins, np.nan), np.full(bins + 1, np.nan)))
    if not (np.isfinite(lo) and np.isfinite(hi)):
        i = int(np.argmax(np.isinf(xa)))
        raise ValueError(f"stat.{op}: x[{i}] = {float(xa[i])!r} is infinite, so no uniform "
                         f"bins span the data; pass finite dividers instead")
    if lo == hi:
        lo, hi = lo - 0.5, hi + 0.5  # numpy's span for a constant sample
    with np.errstate(over="ignore", invalid="ignore"):  # refused just below
        edges = np.linspace(lo, hi, bins + 1)
    if not (edges[1:] > edges[:-1]).all():
        # numpy's check: a span that overflows (NaN edges) or too narrow for the bins
        raise ValueError(f"stat.{op}: {bins} uniform bins over [{lo!r}, {hi!r}] are not "
                         f"finite-sized (the span overflows or is too narrow); pass fewer "
                         f"bins or explicit dividers")
    counts = np.zeros(bins)
    _order.histogram_uniform(xa, wk, w is not None, omit, edges, counts)
    if w is not None and not omit and np.isnan(counts).any():
        if nan_policy == "raise":
            raise_on_nan(w, op, "weights")
        return np.full(bins, np.nan), np.full(bins + 1, np.nan)
    return counts, edges
