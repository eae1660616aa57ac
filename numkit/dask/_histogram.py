"""Histograms of dask arrays: per-block counts from numkit's binning kernels, added in
a tree of tasks; uniform bins take a first pass for the range."""

from __future__ import annotations

import math
import numbers

import dask
import numpy as np

from numkit._kernels import _order
from numkit.dask import _core
from numkit.stat._histogram import _dividers

__all__ = ["histogram"]

_NO_WEIGHTS = np.empty(0)


def _block(x, w):
    x = _core.host_array(x)
    if w is None:
        return x, None, _NO_WEIGHTS
    w = _core.host_array(w)
    return x, w, w


def _raise_first_nan(x, w, offset: int, op: str) -> None:
    i = _core.first_nan(x)
    if i >= 0:
        _core.raise_nan(op, "x", offset + i)
    if w is not None and (i := _core.first_nan(w)) >= 0:
        _core.raise_nan(op, "weights", offset + i)


def _dividers_block(x, w, d, nan_policy: str, offset: int, op: str):
    """``(counts, (global index, value) of the first value outside, NaN seen)``."""
    x, w, wk = _block(x, w)
    if w is not None and (w < 0).any():
        _core.raise_negative(op, w, offset)
    counts = np.zeros(d.shape[0] - 1)
    if x.shape[0] == 0:
        return counts, None, False
    omit = nan_policy == "omit"
    first_bad, nan_count = _order.histogram_dividers(x, wk, w is not None, omit, d, counts)
    bad = None if first_bad < 0 else (offset + first_bad, float(x[first_bad]))
    nan = bool(nan_count and not omit) or bool(
        w is not None and not omit and np.isnan(counts).any())
    if nan and bad is None and nan_policy == "raise":
        _raise_first_nan(x, w, offset, op)
    return counts, bad, nan


def _add_counts(*parts):
    counts = parts[0][0].copy()
    bad, nan = parts[0][1], parts[0][2]
    for c, b, n in parts[1:]:
        counts += c
        bad = bad if bad is not None else b
        nan = nan or n
    return counts, bad, nan


def _scan_block(x, nan_policy: str, offset: int, op: str):
    """``(min, max, NaN count, length, (global index, value) of the first infinity)``."""
    x = _core.host_array(x)
    if x.shape[0] == 0:
        return math.inf, -math.inf, 0, 0, None
    lo, hi, nan_count = _order.scan(x)
    if nan_count and nan_policy == "raise":
        _core.raise_nan(op, "x", offset + _core.first_nan(x))
    first_inf = None
    if math.isinf(lo) or math.isinf(hi):
        inf = np.isinf(x)
        if inf.any():
            i = int(np.argmax(inf))
            first_inf = (offset + i, float(x[i]))
    return lo, hi, nan_count, x.shape[0], first_inf


def _merge_scans(*parts):
    lo, hi, nan_count, n, first_inf = parts[0]
    for a, b, c, m, i in parts[1:]:
        lo, hi, nan_count, n = min(lo, a), max(hi, b), nan_count + c, n + m
        first_inf = first_inf if first_inf is not None else i
    return lo, hi, nan_count, n, first_inf


def _uniform_block(x, w, edges, nan_policy: str, offset: int, op: str):
    x, w, wk = _block(x, w)
    if w is not None and (w < 0).any():
        _core.raise_negative(op, w, offset)
    counts = np.zeros(edges.shape[0] - 1)
    if x.shape[0]:
        omit = nan_policy == "omit"
        _order.histogram_uniform(x, wk, w is not None, omit, edges, counts)
        if w is not None and not omit and np.isnan(counts).any() and nan_policy == "raise":
            _raise_first_nan(np.zeros(0), w, offset, op)
    return counts, None, False


def _map_blocks(func, xd, wd, *args, op: str):
    xs = _core.as_blocks(xd, xd.numblocks[0])
    return [dask.delayed(func, pure=True)(xb, wb, *args, off, op)
            for xb, wb, off in zip(xs, _core.as_blocks(wd, len(xs)), _core.offsets(xd),
                                   strict=True)]


def histogram(x, dividers_or_bins, weights=None, nan_policy: str = "propagate"):
    """Count (or sum the weights of) the values of a dask array in bins
    (:func:`numkit.stat.histogram` out of core).

    Parameters
    ----------
    x : dask.array.Array
        The sample, 1-D, chunked along its length.
    dividers_or_bins : int or array_like
        A bin count (uniform bins spanning [min(x), max(x)], numpy's rule) or strictly
        increasing dividers (Gonum's rule), as in :func:`numkit.stat.histogram`.
    weights : dask.array.Array, optional
        Non-negative weights of x's length.
    nan_policy : {"propagate", "omit", "raise"}
        As in :func:`numkit.stat.histogram`.

    Returns
    -------
    counts : numpy.ndarray
    dividers : numpy.ndarray
        Only with a bin count: the result is then ``(counts, dividers)``.

    Raises
    ------
    ValueError, TypeError
        As :func:`numkit.stat.histogram`; indices in messages are global.

    Warns
    -----
    RuntimeWarning
        With a bin count and no values to span: NaN counts and dividers.

    Notes
    -----
    Each block is binned by the kernel of :func:`numkit.stat.histogram` (O(1) per
    value for uniform bins); the per-block counts are added in a tree of tasks in
    block order. A bin count takes one more pass first, for min and max. Counts are
    exact; weighted sums agree with the in-memory call to rounding.

    Examples
    --------
    >>> import dask.array as da
    >>> from numkit import dask as nkd
    >>> x = da.from_array([0.5, 1.0, 1.5, 2.5], chunks=2)
    >>> nkd.histogram(x, [0.0, 1.0, 2.0, 3.0])
    array([1., 2., 1.])
    >>> counts, dividers = nkd.histogram(da.from_array([1.0, 2.0, 2.0, 4.0], chunks=3), 3)
    >>> counts, dividers
    (array([1., 2., 1.]), array([1., 2., 3., 4.]))
    """
    op = "histogram"
    _core.check_nan_policy(nan_policy, op)
    xd = _core.as_dask_vector(x, op)
    wd = _core.as_dask_weights(weights, xd, op)
    if isinstance(dividers_or_bins, numbers.Integral) and not isinstance(dividers_or_bins, bool):
        return _uniform(xd, wd, int(dividers_or_bins), nan_policy, op)
    if np.ndim(dividers_or_bins) == 0:
        raise TypeError(f"stat.{op}: dividers_or_bins must be an integer bin count or "
                        f"an array of dividers; got {dividers_or_bins!r}")
    d = _dividers(dividers_or_bins, op)
    parts = _map_blocks(_dividers_block, xd, wd, d, nan_policy, op=op)
    counts, bad, nan = _core.compute(_core.tree_reduce(parts, _add_counts))
    if bad is not None:
        raise ValueError(
            f"stat.{op}: x[{bad[0]}] = {bad[1]!r} lies outside the dividers "
            f"[{float(d[0])!r}, {float(d[-1])!r}) (bin j holds dividers[j] <= x < dividers[j+1])")
    if nan:
        counts[:] = np.nan
    return counts


def _uniform(xd, wd, bins: int, nan_policy: str, op: str):
    if bins < 1:
        raise ValueError(f"stat.{op}: the bin count must be at least 1; got {bins}")
    nan_result = (np.full(bins, np.nan), np.full(bins + 1, np.nan))
    if xd.shape[0] == 0:
        return _core.empty_result(op, nan_result)
    xs = _core.as_blocks(xd, xd.numblocks[0])
    scans = [dask.delayed(_scan_block, pure=True)(xb, nan_policy, off, op)
             for xb, off in zip(xs, _core.offsets(xd), strict=True)]
    lo, hi, nan_count, n, first_inf = _core.compute(_core.tree_reduce(scans, _merge_scans))
    if nan_count and nan_policy != "omit":
        return nan_result
    if nan_count == n:
        return _core.empty_result(op, nan_result)
    if first_inf is not None:
        raise ValueError(f"stat.{op}: x[{first_inf[0]}] = {first_inf[1]!r} is infinite, so no "
                         f"uniform bins span the data; pass finite dividers instead")
    if lo == hi:
        lo, hi = lo - 0.5, hi + 0.5  # numpy's span for a constant sample
    edges = np.linspace(lo, hi, bins + 1)
    parts = _map_blocks(_uniform_block, xd, wd, edges, nan_policy, op=op)
    counts = _core.compute(_core.tree_reduce(parts, _add_counts))[0]
    if wd is not None and nan_policy != "omit" and np.isnan(counts).any():
        return nan_result
    return counts, edges
