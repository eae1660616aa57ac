"""Covariance and correlation of dask arrays: each block of rows reduced by numkit's
comoments kernel into a :class:`numkit.stat.CovarianceAccumulator`, accumulators merged
by a tree of tasks (Chan et al.'s pairwise formula)."""

from __future__ import annotations

import math

import dask
import dask.array as da
import numpy as np

from numkit.dask import _core
from numkit.dask._detect import is_dask_array
from numkit.mat import SymDense
from numkit.stat import CovarianceAccumulator

__all__ = ["correlation", "correlation_matrix", "covariance", "covariance_matrix"]


def _rows_block(X, w, p: int, nan_policy: str, offset: int, op: str, what: str):
    """One block's ``(accumulator, rows kept)``."""
    X = _core.host_array(X, contiguous=False)  # CovarianceAccumulator reads any layout
    if w is not None:
        w = np.ascontiguousarray(w, dtype=np.float64)
        if (w < 0).any():
            _core.raise_negative(op, w, offset)
    acc = CovarianceAccumulator(p)
    if X.shape[0] == 0:
        return acc, 0
    if nan_policy == "propagate":
        acc.update(X, w)
        return acc, X.shape[0]
    bad = np.isnan(X).any(axis=1)
    if w is not None:
        bad |= np.isnan(w)
    if bad.any() and nan_policy == "raise":
        i = offset + int(np.argmax(bad))
        raise ValueError(
            f"stat.{op}: {what.format(i=i)} holds NaN and nan_policy='raise'; clean the "
            f"data or pass nan_policy='omit' to drop rows holding NaN")
    keep = ~bad
    if not keep.all():
        X = np.ascontiguousarray(X[keep])
        w = None if w is None else w[keep]
    if X.shape[0]:
        acc.update(X, w)
    return acc, X.shape[0]


def _merge_rows(*parts):
    acc = CovarianceAccumulator(parts[0][0].mean.shape[0])
    rows = 0
    for a, n in parts:
        acc.merge(a)
        rows += n
    return acc, rows


def _accumulate(X, weights, nan_policy: str, op: str, what: str):
    """Validated dask input → merged (CovarianceAccumulator, rows kept)."""
    _core.check_nan_policy(nan_policy, op)
    Xd = X if is_dask_array(X) else da.asarray(X)
    if Xd.dtype.kind not in "biuf":
        raise TypeError(f"stat.{op}: X must contain real numbers; got dtype {Xd.dtype}")
    if Xd.ndim != 2:
        raise ValueError(
            f"The 'X' parameter of stat.{op} must be 2-D (rows are observations, columns "
            f"are variables); got shape {Xd.shape}")
    _core.known_chunks(Xd, op, "X")
    if Xd.numblocks[1] != 1:
        Xd = Xd.rechunk({1: -1})    # blocks of whole rows
    wd = _core.as_dask_weights(weights, Xd, op)
    p = Xd.shape[1]
    xs = _core.as_blocks(Xd, Xd.numblocks[0])
    parts = [dask.delayed(_rows_block, pure=True)(xb, wb, p, nan_policy, off, op, what)
             for xb, wb, off in zip(xs, _core.as_blocks(wd, len(xs)), _core.offsets(Xd),
                                    strict=True)]
    acc, rows = _core.compute(_core.tree_reduce(parts, _merge_rows))
    if rows < 2:
        raise ValueError(
            f"stat.{op}: X needs at least 2 observations (rows) to estimate a covariance; "
            f"got {rows}" + (" after dropping rows with NaN" if nan_policy == "omit" else ""))
    return acc


def covariance_matrix(X, weights=None, *, nan_policy: str = "propagate") -> SymDense:
    """Weighted sample covariance matrix of the columns of a dask array
    (:func:`numkit.stat.covariance_matrix` out of core).

    Parameters
    ----------
    X : dask.array.Array, shape (n, p)
        Rows are observations, chunked along the rows (column blocks are joined).
    weights : dask.array.Array, shape (n,), optional
        Non-negative frequency weights of the rows.
    nan_policy : {"propagate", "omit", "raise"}
        As in :func:`numkit.stat.covariance_matrix` (``"omit"`` drops rows holding
        NaN, block by block).

    Returns
    -------
    SymDense

    Raises
    ------
    ValueError
        X not 2-D or with fewer than 2 rows; bad weights; a NaN under
        ``nan_policy="raise"`` (naming the global row).

    Notes
    -----
    Each block of rows goes through the comoments kernel (an exact two-pass per
    cache block, ``dsyrk``) into a :class:`numkit.stat.CovarianceAccumulator`;
    accumulators merge as ``C = Ca + Cb + (Wa Wb / W) δ δᵀ`` in a tree of tasks in
    block order. Only p×p partials travel.

    Examples
    --------
    >>> import dask.array as da
    >>> from numkit import dask as nkd
    >>> X = da.from_array([[1.0, 2.0], [2.0, 4.0], [3.0, 7.0]], chunks=(2, 2))
    >>> c = nkd.covariance_matrix(X)
    >>> c.at(0, 0), c.at(0, 1), c.at(1, 1)
    (1.0, 2.5, 6.333333333333333)
    """
    return _accumulate(X, weights, nan_policy, "covariance_matrix", "row {i} of X").covariance()


def correlation_matrix(X, weights=None, *, nan_policy: str = "propagate") -> SymDense:
    """Weighted Pearson correlation matrix of the columns of a dask array
    (:func:`numkit.stat.correlation_matrix` out of core).

    Parameters, Raises and Notes are those of :func:`covariance_matrix`.

    Warns
    -----
    RuntimeWarning
        A constant column: its row and column are NaN.

    Examples
    --------
    >>> import dask.array as da
    >>> from numkit import dask as nkd
    >>> X = da.from_array([[1.0, 2.0], [2.0, 4.0], [3.0, 6.5]], chunks=(2, 2))
    >>> round(nkd.correlation_matrix(X).at(0, 1), 6)
    0.997949
    """
    return _accumulate(X, weights, nan_policy, "correlation_matrix",
                       "row {i} of X").correlation()


def _pair_matrix(x, y, op: str):
    xd = _core.as_dask_vector(x, op, "x")
    yd = _core.as_dask_vector(y, op, "y")
    if xd.shape[0] != yd.shape[0]:
        raise ValueError(f"stat.{op}: x and y must have the same length; got "
                         f"{xd.shape[0]} and {yd.shape[0]}")
    if yd.chunks != xd.chunks:
        yd = yd.rechunk(xd.chunks)
    dtype = np.result_type(xd.dtype, yd.dtype, np.float32)
    return da.stack([xd.astype(dtype), yd.astype(dtype)], axis=1)


def covariance(x, y, weights=None, *, nan_policy: str = "propagate") -> float:
    """Weighted sample covariance of two dask arrays (:func:`numkit.stat.covariance`
    out of core).

    Parameters
    ----------
    x, y : dask.array.Array
        1-D paired data of equal length (at least 2 pairs); y is rechunked like x.
    weights : dask.array.Array, optional
        Non-negative frequency weights.
    nan_policy : {"propagate", "omit", "raise"}
        A NaN gives NaN, drops its pair, or raises.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        Lengths differ; fewer than 2 pairs; bad weights; NaN under "raise".

    Notes
    -----
    The 2-column matrix ``[x y]`` through :func:`covariance_matrix`'s reduction.

    Examples
    --------
    >>> import dask.array as da
    >>> from numkit import dask as nkd
    >>> nkd.covariance(da.from_array([1.0, 2.0, 3.0], chunks=2),
    ...                da.from_array([1.0, 3.0, 2.0], chunks=2))
    0.5
    """
    op = "covariance"
    acc = _accumulate(_pair_matrix(x, y, op), weights, nan_policy, op, "pair {i}")
    return float(np.asarray(acc.covariance())[0, 1])


def correlation(x, y, weights=None, *, nan_policy: str = "propagate") -> float:
    """Weighted Pearson correlation of two dask arrays
    (:func:`numkit.stat.correlation` out of core).

    Parameters, Raises and Notes are those of :func:`covariance`.

    Returns
    -------
    float
        NaN when either variable is constant.

    Examples
    --------
    >>> import dask.array as da
    >>> from numkit import dask as nkd
    >>> nkd.correlation(da.from_array([1.0, 2.0, 3.0], chunks=2),
    ...                 da.from_array([2.0, 4.0, 6.0], chunks=2))
    1.0
    """
    op = "correlation"
    acc = _accumulate(_pair_matrix(x, y, op), weights, nan_policy, op, "pair {i}")
    c = np.asarray(acc.covariance())
    d = c[0, 0] * c[1, 1]
    if not d > 0.0:
        return math.nan
    r = float(c[0, 1] / math.sqrt(d))
    return max(-1.0, min(1.0, r)) if r == r else r
