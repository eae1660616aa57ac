"""Exact quantiles and medians of dask arrays by histogram narrowing over blocks.

Every value is mapped to an order-preserving 64-bit key; each target (a rank, or a
cumulative-weight threshold) owns a key bracket known to hold it. One pass counts,
per block and per target, the values of the bracket in 4096 bins of two kinds —
uniform in value (good for light tails) and uniform in key (good for heavy tails,
where a few passes exhaust the 64 bits) — and the client keeps, per target, the
smaller bin holding it. When every bracket holds at most ``GATHER`` values, one last
pass ships them to the client, which selects the target exactly. Passes: one scan
(range, counts, total weight), usually one or two counting passes, one gather.
"""

from __future__ import annotations

import math
from typing import Literal

import dask
import numpy as np

from numkit._kernels import _order
from numkit.dask import _core
from numkit.stat._order import QUANTILE_KINDS, _as_p, _Sample, _shape_result

__all__ = ["median", "quantile"]

BINS = 4096             # per level and kind, as the in-memory kernel (stat._order)
GATHER = 1 << 16        # a bracket this small is shipped to the client and selected
MAX_PASSES = 12         # key bins alone exhaust 64 bits in 6 passes (12 bits each)
_SIGN = np.uint64(1 << 63)
_NO_WEIGHTS = np.empty(0)


def _to_keys(v: np.ndarray) -> np.ndarray:
    """Order-preserving uint64 keys of float64 values without NaN (-0.0 as +0.0):
    flip every bit of a negative value, only the sign bit of a positive one."""
    i = (np.asarray(v, dtype=np.float64) + 0.0).view(np.int64)
    flip = (i >> 63).view(np.uint64)      # arithmetic shift: all ones when negative
    flip |= _SIGN
    return i.view(np.uint64) ^ flip


def _from_key(k: int) -> float:
    k = np.uint64(k)
    u = np.uint64(k & ~_SIGN) if k & _SIGN else np.uint64(~k)
    return float(np.array([u]).view(np.float64)[0])


def _valid(x, w, weighted: bool):
    """The block's values that count (and their weights): NaN and zero weights out."""
    x = _core.host_array(x).astype(np.float64, copy=False)
    if not weighted:
        return x[~np.isnan(x)], None
    w = np.asarray(w, dtype=np.float64)
    keep = ~np.isnan(x) & (w > 0)      # NaN weights fail w > 0
    return x[keep], w[keep]


def _scan_block(x, w, nan_policy: str, offset: int, op: str):
    """``(min, max, NaN count, total weight)`` of one block; raises for bad input."""
    x = _core.host_array(x)
    if w is not None:
        w = _core.host_array(w)
        if (w < 0).any():
            _core.raise_negative(op, w, offset)
    if x.shape[0] == 0:
        return math.inf, -math.inf, 0, 0.0
    lo, hi, nan_count = _order.scan(x)
    if nan_policy == "raise":
        if nan_count:
            _core.raise_nan(op, "x", offset + _core.first_nan(x))
        if w is not None and (i := _core.first_nan(w)) >= 0:
            _core.raise_nan(op, "weights", offset + i)
    total = 0.0
    if w is not None:
        keep = ~np.isnan(x)
        if nan_policy == "omit":
            keep &= ~np.isnan(w)
        total = float(np.sum(w[keep], dtype=np.float64))
    return lo, hi, nan_count, total


def _merge_scans(*parts):
    lo, hi, nan_count, total = parts[0]
    for a, b, c, t in parts[1:]:
        lo, hi, nan_count, total = min(lo, a), max(hi, b), nan_count + c, total + t
    return lo, hi, nan_count, total


def _count_block(x, w, weighted: bool, brackets, edges):
    """Per bracket: counts (and weight sums) of its values in each bin kind, shaped
    (2, BINS) each. Value bins by numkit's O(1) uniform-bin kernel (numpy's rule:
    ``edges[j] <= v < edges[j + 1]``), key bins by one integer division."""
    v, wv = _valid(x, w, weighted)
    keys = _to_keys(v)
    out = []
    for (klo, khi), (value_edges, key_edges) in zip(brackets, edges, strict=True):
        inside = (keys >= np.uint64(klo)) & (keys <= np.uint64(khi))
        k = keys[inside]
        counts = np.zeros((2, BINS))
        sums = np.zeros((2, BINS)) if weighted else None
        wk = None if wv is None else np.ascontiguousarray(wv[inside])
        if value_edges is not None:
            vi = np.ascontiguousarray(v[inside])
            _order.histogram_uniform(vi, _NO_WEIGHTS, False, False, value_edges[0], counts[0])
            if weighted:
                _order.histogram_uniform(vi, wk, True, False, value_edges[0], sums[0])
        j = np.minimum((k - np.uint64(klo)) // np.uint64(key_edges[0]), BINS - 1)
        counts[1] = np.bincount(j, minlength=BINS)
        if weighted:
            sums[1] = np.bincount(j, weights=wk, minlength=BINS)
        out.append((counts, sums))
    return out


def _add_count_lists(*parts):
    out = [(c.copy(), None if s is None else s.copy()) for c, s in parts[0]]
    for part in parts[1:]:
        for (c, s), (c2, s2) in zip(out, part, strict=True):
            c += c2
            if s is not None:
                s += s2
    return out


def _gather_block(x, w, weighted: bool, brackets):
    v, wv = _valid(x, w, weighted)
    keys = _to_keys(v)
    out = []
    for klo, khi in brackets:
        inside = (keys >= np.uint64(klo)) & (keys <= np.uint64(khi))
        out.append((v[inside], None if wv is None else wv[inside]))
    return out


def _concat_lists(*parts):
    out = []
    for i in range(len(parts[0])):
        vs = [p[i][0] for p in parts]
        ws = [p[i][1] for p in parts]
        out.append((np.concatenate(vs), None if ws[0] is None else np.concatenate(ws)))
    return out


def _edges(klo: int, khi: int):
    """A bracket's two bin kinds, each ``(payload, key edges)``: uniform in value
    (payload the float edges for the kernel; None when the bracket's values are not
    finite or all equal) and uniform in key (payload the key step)."""
    span = khi - klo + 1
    step = max(1, span // BINS)
    key_edges = np.minimum(np.uint64(klo) + np.arange(BINS, dtype=np.uint64) * np.uint64(step),
                           np.uint64(khi))
    a, b = _from_key(klo), _from_key(khi)
    value = None
    if math.isfinite(a) and math.isfinite(b) and a < b:
        ev = np.linspace(a, b, BINS + 1)
        if np.isfinite(ev).all():
            value_keys = np.maximum.accumulate(_to_keys(ev[:-1]))
            value_keys[0] = np.uint64(klo)
            value = (ev, value_keys)
    return (value, (step, key_edges))


class _Target:
    """One threshold's bracket [klo, khi] of keys, the weight (or count) below it, and
    the number of values inside."""

    __slots__ = ("t", "strict", "klo", "khi", "below", "count")

    def __init__(self, t: float, strict: bool, klo: int, khi: int, count: float):
        self.t, self.strict = t, strict
        self.klo, self.khi, self.below, self.count = klo, khi, 0.0, count

    def done(self) -> bool:
        return self.count <= GATHER or self.klo == self.khi

    def narrow(self, counts, sums, edges) -> None:
        best = None
        for s, kind in enumerate(edges):
            if kind is None:
                continue
            e = kind[1]
            cnt = counts[s]
            cum = self.below + np.cumsum(cnt if sums is None else sums[s])
            ok = ((cum > self.t) if self.strict else (cum >= self.t)) & (cnt > 0)
            j = int(np.argmax(ok)) if ok.any() else int(np.flatnonzero(cnt)[-1])
            if best is None or cnt[j] < best[0]:
                hi = int(e[j + 1]) - 1 if j + 1 < BINS and e[j + 1] > e[j] else self.khi
                below = cum[j - 1] if j > 0 else self.below   # the prefix itself, unrounded
                best = (cnt[j], int(e[j]), min(hi, self.khi), below)
        self.count, self.klo, self.khi, self.below = best

    def select(self, values: np.ndarray, weights) -> float:
        if weights is None:
            i = int(self.t - self.below)
            return float(np.partition(values, i)[i])
        order = np.argsort(values, kind="stable")
        cum = self.below + np.cumsum(weights[order])
        ok = (cum > self.t) if self.strict else (cum >= self.t)
        i = int(np.argmax(ok)) if ok.any() else values.shape[0] - 1
        return float(values[order][i])


class _DaskSample(_Sample):
    """numkit.stat's quantile formulas over a dask array: ``at`` and ``_pick`` (the
    order statistics) run the narrowing passes over the blocks."""

    def __init__(self, x, weights, nan_policy: str, op: str):
        _core.check_nan_policy(nan_policy, op)
        self.op = op
        self.nan_policy = nan_policy
        self.assume_sorted = False
        self.nan = False
        self.empty = False
        self.xd = _core.as_dask_vector(x, op)
        self.wd = _core.as_dask_weights(weights, self.xd, op)
        self.w = self.wd
        self.xs = _core.as_blocks(self.xd, self.xd.numblocks[0])
        self.ws = _core.as_blocks(self.wd, len(self.xs))
        if self.xd.shape[0] == 0:
            self.empty = True
            return
        scans = [dask.delayed(_scan_block, pure=True)(xb, wb, nan_policy, off, op)
                 for xb, wb, off in zip(self.xs, self.ws, _core.offsets(self.xd),
                                        strict=True)]
        lo, hi, nan_count, total = _core.compute(_core.tree_reduce(scans, _merge_scans))
        self.lo, self.hi = lo, hi
        self.n_valid = self.xd.shape[0] - nan_count
        if nan_count and nan_policy != "omit":
            self.nan = True
            return
        self.total = float(self.n_valid) if self.wd is None else total
        if math.isnan(self.total):
            self.nan = True
        elif self.total == 0:
            self.empty = True

    def nan_result(self, shape):
        return np.full(shape, np.nan)

    def _blocks(self, func, *args):
        parts = [dask.delayed(func, pure=True)(xb, wb, self.wd is not None, *args)
                 for xb, wb in zip(self.xs, self.ws, strict=True)]
        return parts

    def _run(self, thresholds: np.ndarray, strict: bool) -> np.ndarray:
        klo = int(_to_keys(np.array([self.lo]))[0])
        khi = int(_to_keys(np.array([self.hi]))[0])
        count = float(self.n_valid)
        targets = [_Target(float(t), strict, klo, khi, count) for t in thresholds]
        for _ in range(MAX_PASSES):
            active = [t for t in targets if not t.done()]
            if not active:
                break
            brackets = sorted({(t.klo, t.khi) for t in active})   # targets may share
            edges = [_edges(*b) for b in brackets]
            parts = self._blocks(_count_block, brackets, edges)
            merged = dict(zip(brackets, zip(_core.compute(
                _core.tree_reduce(parts, _add_count_lists)), edges, strict=True), strict=True))
            for t in active:
                (counts, sums), e = merged[(t.klo, t.khi)]
                t.narrow(counts, sums, e)
        parts = self._blocks(_gather_block, [(t.klo, t.khi) for t in targets])
        gathered = _core.compute(_core.tree_reduce(parts, _concat_lists))
        return np.array([t.select(v, w) for t, (v, w) in zip(targets, gathered, strict=True)])

    def at(self, positions: np.ndarray) -> np.ndarray:
        if self.wd is None:
            uniq, inv = np.unique(positions.astype(np.int64), return_inverse=True)
            return self._run(uniq.astype(np.float64), True)[inv]
        return self._pick(positions, strict=True)

    def _pick(self, thresholds: np.ndarray, strict: bool) -> np.ndarray:
        uniq, inv = np.unique(thresholds, return_inverse=True)
        return self._run(uniq, strict)[inv]


def quantile(x, p, kind: Literal["empirical", "lininterp", "linear"] = "empirical",
             weights=None, nan_policy: str = "propagate"):
    """Quantiles of a dask array, exactly (:func:`numkit.stat.quantile` out of core).

    Parameters
    ----------
    x : dask.array.Array
        The sample, 1-D, chunked along its length, in any order.
    p : float or array_like
        Probabilities in [0, 1]; a scalar gives a float, an array an array.
    kind : {"empirical", "lininterp", "linear"}
        As in :func:`numkit.stat.quantile` (R types 1, 4 and 7).
    weights : dask.array.Array, optional
        Non-negative frequency weights of x's length.
    nan_policy : {"propagate", "omit", "raise"}
        As in :func:`numkit.stat.quantile`.

    Returns
    -------
    float or numpy.ndarray

    Raises
    ------
    ValueError, TypeError
        As :func:`numkit.stat.quantile`; indices in messages are global.

    Warns
    -----
    RuntimeWarning
        On empty input: NaN.

    Notes
    -----
    Histogram narrowing over the blocks (see the module notes): a scan pass, counting
    passes until each target's bracket holds at most 65536 values (one pass for
    normal data of up to ~1e8 values, rarely more than two), and a gather
    pass; only bin counts and the final few values travel to the client. Unweighted
    results equal the in-memory :func:`numkit.stat.quantile` exactly (the same order
    statistics, then the same interpolation code). Weighted, the cumulative weights
    are summed per bin rather than in sorted order, so a threshold that falls exactly
    on a cumulative weight can resolve differently when the sums round differently;
    integer weights (exact sums) give the in-memory result.

    Examples
    --------
    >>> import dask.array as da
    >>> from numkit import dask as nkd
    >>> x = da.from_array([3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0], chunks=3)
    >>> nkd.quantile(x, 0.5)
    3.0
    >>> nkd.quantile(x, [0.25, 0.5, 0.75], kind="linear")
    array([1.75, 3.5 , 5.25])
    """
    op = "quantile"
    if kind not in QUANTILE_KINDS:
        raise ValueError(f"The 'kind' parameter of stat.{op} must be one of "
                         f"{', '.join(map(repr, QUANTILE_KINDS))}; got {kind!r}")
    pa, scalar = _as_p(p, op)
    sample = _DaskSample(x, weights, nan_policy, op)
    if sample.nan:
        return _shape_result(sample.nan_result(pa.shape), scalar)
    if sample.empty:
        return _shape_result(_core.empty_result(op, np.full(pa.shape, np.nan)), scalar)
    values = getattr(sample, kind)(pa)
    return _shape_result(np.asarray(values, dtype=np.float64), scalar)


def median(x, weights=None, nan_policy: str = "propagate") -> float:
    """The conventional median of a dask array (:func:`numkit.stat.median` out of
    core).

    Parameters, Raises and Warns as :func:`quantile`; the two middle order
    statistics come from one narrowing and are averaged as in
    :func:`numkit.stat.median`.

    Examples
    --------
    >>> import dask.array as da
    >>> from numkit import dask as nkd
    >>> nkd.median(da.from_array([5.0, 1.0, 4.0, 2.0], chunks=3))
    3.0
    """
    op = "median"
    sample = _DaskSample(x, weights, nan_policy, op)
    if sample.nan:
        return math.nan
    if sample.empty:
        return float(_core.empty_result(op))
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
