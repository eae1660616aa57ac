"""Moment statistics of dask arrays: each block reduced by numkit's moments kernel to a
mergeable partial, partials merged by a tree of tasks (Chan et al., Pébay)."""

from __future__ import annotations

import math

import dask
import numpy as np

from numkit._kernels import _moments as _k
from numkit.dask import _core
from numkit.stat._descriptive import _ex_kurtosis_from, _ratio, _skew_from

__all__ = [
    "ex_kurtosis",
    "mean",
    "mean_variance",
    "moment",
    "skew",
    "std_dev",
    "variance",
]

_NAN = math.nan
_POWER = 0   # transformed_sums kind (numkit/_kernels/_moments.pyx, enum Transform)


def _block_arrays(x, w):
    x = _core.host_array(x)
    if w is not None:
        w = _core.host_array(w)
        if w.dtype != x.dtype:
            x, w = x.astype(np.float64), w.astype(np.float64)
    return x, w


def _check_block(x, w, bad: bool, neg: bool, nan_policy: str, offset: int, op: str):
    """Raise for a negative weight, or for NaN under nan_policy="raise", naming the
    global index."""
    if neg:
        _core.raise_negative(op, w, offset)
    if bad and nan_policy == "raise":
        i = _core.first_nan(x)
        if i >= 0:
            _core.raise_nan(op, "x", offset + i)
        if w is not None and (i := _core.first_nan(w)) >= 0:
            _core.raise_nan(op, "weights", offset + i)


def _moments_block(x, w, order: int, nan_policy: str, offset: int, op: str):
    """One block's ``(shift, w, mean - shift, M2, M3, M4, min, max)``, None if empty."""
    x, w = _block_arrays(x, w)
    if x.shape[0] == 0:
        return None
    tw, shift, rel, m2, m3, m4, lo, hi, neg = _k.moments(
        x, w, order, nan_policy == "omit", _NAN)
    _check_block(x, w, math.isnan(tw + rel + m2 + m4), neg, nan_policy, offset, op)
    if tw == 0.0 and rel == rel:
        return None
    return (shift, tw, rel, m2, m3, m4, lo, hi)


def _merge_moments(*parts):
    """Merge partials in order; means are converted to the first partial's shift
    ((s_b - s_a) is exact when the shifts are close: Sterbenz)."""
    acc = None
    for p in parts:
        if p is None:
            continue
        if acc is None:
            acc = p
            continue
        b = (p[1], (p[0] - acc[0]) + p[2], *p[3:])
        acc = (acc[0], *_k.merge(acc[1:], b))
    return acc


def _reduce(x, weights, order: int, nan_policy: str, op: str):
    """The merged partial ``(w, mean, M2, M3, M4, min, max)`` (mean absolute), or None."""
    _core.check_nan_policy(nan_policy, op)
    xd = _core.as_dask_vector(x, op)
    wd = _core.as_dask_weights(weights, xd, op)
    xs = _core.as_blocks(xd, xd.numblocks[0])
    ws = _core.as_blocks(wd, len(xs))
    parts = [dask.delayed(_moments_block, pure=True)(xb, wb, order, nan_policy, off, op)
             for xb, wb, off in zip(xs, ws, _core.offsets(xd), strict=True)]
    p = _core.compute(_core.tree_reduce(parts, _merge_moments))
    if p is None:
        return None
    return (p[1], p[0] + p[2], *p[3:])


def mean(x, weights=None, *, nan_policy: str = "propagate") -> float:
    """Weighted mean of a dask array (:func:`numkit.stat.mean` out of core).

    Parameters
    ----------
    x : dask.array.Array
        1-D real data, chunked along its length (anything ``dask.array.asarray``
        takes is accepted).
    weights : dask.array.Array, optional
        Non-negative frequency weights of x's length (rechunked to x's chunks if they
        differ).
    nan_policy : {"propagate", "omit", "raise"}
        As in :func:`numkit.stat.mean`.

    Returns
    -------
    float
        NaN with a RuntimeWarning for empty input.

    Raises
    ------
    ValueError
        Weights of the wrong length (at once) or negative (when the block holding
        the first negative weight is computed; the message names its global index);
        a bad ``nan_policy``; a NaN under ``nan_policy="raise"``.
    TypeError
        Non-numeric data.

    Notes
    -----
    Each block is reduced by the kernel of :func:`numkit.stat.mean` to a partial
    (weight, mean relative to the block's first finite value); partials merge by
    Chan et al.'s formula in a tree of tasks (eight per combine) in block order, so
    the result agrees with the in-memory call to a few ulps and does not depend on
    the scheduler. Only partials travel; the data are never gathered.

    Examples
    --------
    >>> import dask.array as da
    >>> from numkit import dask as nkd
    >>> x = da.from_array([1.0, 2.0, 3.0, 4.0], chunks=2)
    >>> nkd.mean(x)
    2.5
    >>> nkd.mean(x, weights=da.from_array([1.0, 1.0, 1.0, 5.0], chunks=2))
    3.25
    """
    p = _reduce(x, weights, 1, nan_policy, "mean")
    if p is None:
        return _core.empty_result("mean")
    return p[1]


def _mean_var(x, weights, nan_policy: str, op: str):
    p = _reduce(x, weights, 2, nan_policy, op)
    if p is None:
        return None
    return p[1], _ratio(p[2], p[0] - 1.0)


def mean_variance(x, weights=None, *, nan_policy: str = "propagate") -> tuple[float, float]:
    """Weighted mean and unbiased sample variance of a dask array in one pass
    (:func:`numkit.stat.mean_variance` out of core).

    Parameters, Raises and Notes are those of :func:`mean`; blocks carry M2 as well,
    merged with Chan et al.'s pairwise update.

    Examples
    --------
    >>> import dask.array as da
    >>> from numkit import dask as nkd
    >>> nkd.mean_variance(da.from_array([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0], chunks=3))
    (5.0, 4.571428571428571)
    """
    r = _mean_var(x, weights, nan_policy, "mean_variance")
    return _core.empty_result("mean_variance", (_NAN, _NAN)) if r is None else r


def variance(x, weights=None, *, nan_policy: str = "propagate") -> float:
    """Unbiased weighted sample variance of a dask array
    (:func:`numkit.stat.variance` out of core).

    Parameters, Raises and Notes are those of :func:`mean_variance`.

    Examples
    --------
    >>> import dask.array as da
    >>> from numkit import dask as nkd
    >>> nkd.variance(da.from_array([1.0, 2.0, 3.0, 4.0, 5.0], chunks=2))
    2.5
    """
    r = _mean_var(x, weights, nan_policy, "variance")
    return _core.empty_result("variance") if r is None else r[1]


def std_dev(x, weights=None, *, nan_policy: str = "propagate") -> float:
    """Sample standard deviation of a dask array (:func:`numkit.stat.std_dev` out of
    core).

    Parameters, Raises and Notes are those of :func:`mean_variance`.

    Examples
    --------
    >>> import dask.array as da
    >>> from numkit import dask as nkd
    >>> nkd.std_dev(da.from_array([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0], chunks=3))
    2.138089935299395
    """
    r = _mean_var(x, weights, nan_policy, "std_dev")
    if r is None:
        return _core.empty_result("std_dev")
    return math.sqrt(r[1]) if r[1] >= 0.0 else _NAN


def skew(x, weights=None, *, nan_policy: str = "propagate") -> float:
    """Bias-corrected sample skewness of a dask array (:func:`numkit.stat.skew` out of
    core).

    Parameters and Raises are those of :func:`mean`.

    Notes
    -----
    Blocks carry M2 and M3, merged with Pébay's (2008) formulas.

    Examples
    --------
    >>> import dask.array as da
    >>> from numkit import dask as nkd
    >>> round(nkd.skew(da.from_array([1.0, 2.0, 3.0, 10.0], chunks=2)), 12)
    1.763632614804
    """
    p = _reduce(x, weights, 4, nan_policy, "skew")
    if p is None:
        return _core.empty_result("skew")
    return _skew_from(p[0], p[2], p[3])


def ex_kurtosis(x, weights=None, *, nan_policy: str = "propagate") -> float:
    """Bias-corrected sample excess kurtosis of a dask array
    (:func:`numkit.stat.ex_kurtosis` out of core).

    Parameters and Raises are those of :func:`mean`; Notes those of :func:`skew`.

    Examples
    --------
    >>> import dask.array as da
    >>> from numkit import dask as nkd
    >>> round(nkd.ex_kurtosis(da.from_array([1.0, 2.0, 3.0, 4.0, 10.0], chunks=2)), 12)
    3.152
    """
    p = _reduce(x, weights, 4, nan_policy, "ex_kurtosis")
    if p is None:
        return _core.empty_result("ex_kurtosis")
    return _ex_kurtosis_from(p[0], p[2], p[4])


def _power_block(x, w, k: float, center: float, nan_policy: str):
    x, w = _block_arrays(x, w)
    if x.shape[0] == 0:
        return (0.0, 0.0)
    tw, s1, _ = _k.transformed_sums(x, w, _POWER, k, center, nan_policy == "omit")
    return (tw, s1)


def _add_sums(*parts):
    tw, s1 = 0.0, 0.0
    for a, b in parts:
        tw += a
        s1 += b
    return (tw, s1)


def moment(x, k: float, weights=None, *, nan_policy: str = "propagate") -> float:
    """Weighted ``k``-th central moment of a dask array (:func:`numkit.stat.moment`
    out of core).

    Parameters
    ----------
    x : dask.array.Array
        1-D real data.
    k : float
        The order (any finite real).
    weights : dask.array.Array, optional
        Non-negative frequency weights.
    nan_policy : {"propagate", "omit", "raise"}
        As in :func:`numkit.stat.moment`.

    Returns
    -------
    float

    Raises
    ------
    TypeError
        ``k`` not a real number; non-numeric data.
    ValueError
        ``k`` not finite; otherwise as :func:`mean`.

    Notes
    -----
    Orders 2, 3 and 4 come from the merged central sums (one pass); other orders
    from the mean (first pass) and the per-block sums of ``w (x - mean)^k`` added in
    a tree (second pass).

    Examples
    --------
    >>> import dask.array as da
    >>> from numkit import dask as nkd
    >>> nkd.moment(da.from_array([1.0, 2.0, 3.0, 4.0], chunks=2), 4)
    2.5625
    """
    if isinstance(k, bool) or not isinstance(k, int | float | np.integer | np.floating):
        raise TypeError(f"stat.moment: k must be a real number; got {type(k).__name__}")
    k = float(k)
    if not math.isfinite(k):
        raise ValueError(f"stat.moment: k must be finite; got {k}")
    if k in (2.0, 3.0, 4.0):
        p = _reduce(x, weights, 2 if k == 2.0 else 4, nan_policy, "moment")
        if p is None:
            return _core.empty_result("moment")
        return _ratio(p[int(k)], p[0])
    p = _reduce(x, weights, 1, nan_policy, "moment")
    if p is None:
        return _core.empty_result("moment")
    xd = _core.as_dask_vector(x, "moment")
    wd = _core.as_dask_weights(weights, xd, "moment")
    xs = _core.as_blocks(xd, xd.numblocks[0])
    parts = [dask.delayed(_power_block, pure=True)(xb, wb, k, p[1], nan_policy)
             for xb, wb in zip(xs, _core.as_blocks(wd, len(xs)), strict=True)]
    tw, s1 = _core.compute(_core.tree_reduce(parts, _add_sums))
    return _ratio(s1, tw)
