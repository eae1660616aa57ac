"""Tests for numkit.stat.Moments: chunked updates and merges equal one call.

Tolerance 1e-13 relative (the brief's contract): a merge adds O(eps) relative error
per level to each moment; a few dozen merges stay far below it.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from numkit.stat import _descriptive as d
from numkit.stat._accumulator import Moments

RTOL = 1e-13
STATS = ["n", "mean", "variance", "std_dev", "skew", "ex_kurtosis", "min", "max"]


def _one_call(x, w=None):
    """The same statistics from the one-call functions and numpy (the oracle)."""
    xs = x if w is None else np.repeat(x, w.astype(int))
    return {
        "n": float(xs.size),
        "mean": d.mean(x, w),
        "variance": d.variance(x, w),
        "std_dev": d.std_dev(x, w),
        "skew": d.skew(x, w),
        "ex_kurtosis": d.ex_kurtosis(x, w),
        "min": float(xs.min()),
        "max": float(xs.max()),
    }


def _check(acc, want, rtol=RTOL):
    for name in STATS:
        assert getattr(acc, name) == pytest.approx(want[name], rel=rtol, abs=1e-300), name


SPLITS = [[10], [1, 2, 3], [2047, 2049, 5], [70_000], [1000] * 50]
OFFSETS = [0.0, 1e12]


@pytest.mark.parametrize("offset", OFFSETS, ids=["no-offset", "offset1e12"])
@pytest.mark.parametrize("sizes", SPLITS, ids=["one", "tiny", "blocks", "chunks", "fifty"])
def test_chunked_updates_equal_one_call(sizes, offset):
    rng = np.random.default_rng(sum(sizes))
    x = offset + rng.gamma(2.0, 1.0, sum(sizes))
    acc = Moments()
    for part in np.split(x, np.cumsum(sizes)[:-1]):
        acc.update(part)
    _check(acc, _one_call(x))
    if offset == 0.0:
        assert acc.skew == pytest.approx(scipy.stats.skew(x, bias=False), rel=1e-12)
        assert acc.ex_kurtosis == pytest.approx(scipy.stats.kurtosis(x, bias=False), rel=1e-12)


@pytest.mark.parametrize("offset", OFFSETS, ids=["no-offset", "offset1e12"])
def test_merge_tree_equals_one_call(offset):
    rng = np.random.default_rng(1)
    x = offset + rng.standard_normal(40_000)
    w = rng.integers(0, 4, x.size).astype(float)
    parts = np.array_split(np.arange(x.size), 16)
    accs = []
    for idx in parts:
        a = Moments()
        a.update(x[idx], weights=w[idx])
        accs.append(a)
    while len(accs) > 1:   # pairwise, as workers would
        nxt = []
        for a, b in zip(accs[::2], accs[1::2], strict=True):
            a.merge(b)
            nxt.append(a)
        accs = nxt
    _check(accs[0], _one_call(x, w))


def test_merge_with_different_shifts():
    # each accumulator picks its own shift; the merge converts without losing digits
    rng = np.random.default_rng(2)
    a_data = 1e12 + rng.random(5000)
    b_data = 1e12 + 3.0 + rng.random(5000)
    a, b = Moments(), Moments()
    a.update(a_data)
    b.update(b_data)
    a.merge(b)
    _check(a, _one_call(np.concatenate([a_data, b_data])))


def test_merge_leaves_other_unchanged_and_empty_cases():
    a, b, e = Moments(), Moments(), Moments()
    b.update([1.0, 2.0, 4.0])
    a.merge(b)
    assert (a.n, a.mean, a.variance) == (b.n, b.mean, b.variance)
    assert b.n == 3.0
    assert b.mean == pytest.approx(7 / 3, rel=1e-15)
    assert b.variance == pytest.approx(7 / 3, rel=1e-15)   # (16/9 + 1/9 + 25/9) / 2
    a.merge(e)
    assert a.n == 3.0
    e.merge(Moments())
    assert e.n == 0.0
    a.update([])
    assert a.n == 3.0


def test_weighted_and_nan_policies():
    x = np.array([1.0, np.nan, 3.0, 10.0, 4.0])
    w = np.array([1.0, 2.0, 0.0, 2.0, 1.0])
    acc = Moments()
    acc.update(x, w, nan_policy="omit")
    keep = ~np.isnan(x)
    _check(acc, _one_call(x[keep], w[keep]))
    assert acc.min == 1.0 and acc.max == 10.0   # 3.0 has zero weight: not seen
    with pytest.raises(ValueError, match=r"x\[1\] is NaN"):
        acc.update(x, w, nan_policy="raise")
    assert acc.n == 4.0   # unchanged by the failed update
    acc.update(x)
    assert math.isnan(acc.mean) and math.isnan(acc.variance)
    assert math.isnan(acc.min) and math.isnan(acc.max)


def test_float32_strided_readonly():
    x = np.linspace(-1, 3, 10_001, dtype=np.float32)
    ro = x[::2]
    ro.flags.writeable = False
    acc = Moments()
    acc.update(ro)
    ref = ro.astype(np.float64)
    assert acc.variance == pytest.approx(np.var(ref, ddof=1), rel=1e-13)
    assert acc.min == -1.0 and acc.max == 3.0


def test_empty_accumulator_warns():
    acc = Moments()
    assert acc.n == 0.0
    for name in STATS[1:]:
        with pytest.warns(RuntimeWarning, match=f"Moments.{name}: empty input"):
            assert math.isnan(getattr(acc, name))
    assert repr(acc) == "Moments(n=0)"


def test_errors():
    acc = Moments()
    with pytest.raises(TypeError, match="other must be a Moments accumulator; got list"):
        acc.merge([1.0])
    with pytest.raises(ValueError, match=r"same length as x \(2\); got shape \(1,\)"):
        acc.update([1.0, 2.0], weights=[1.0])
    with pytest.raises(ValueError, match="must be non-negative"):
        acc.update([1.0, 2.0], weights=[1.0, -2.0])
    with pytest.raises(ValueError, match="'nan_policy' parameter"):
        acc.update([1.0], nan_policy="drop")
    with pytest.raises(TypeError, match="must contain real numbers"):
        acc.update(["a"])
    assert acc.n == 0.0


def test_repr():
    acc = Moments()
    acc.update([1.0, 2.0, 3.0])
    assert repr(acc) == "Moments(n=3, mean=2, variance=1)"


@settings(max_examples=50, deadline=None)
@given(hnp.arrays(np.float64, st.integers(4, 400), elements=st.floats(-1e3, 1e3)),
       st.lists(st.integers(1, 100), min_size=1, max_size=6))
def test_property_any_split(x, cuts):
    cuts = sorted({c % x.size for c in cuts} - {0})
    acc = Moments()
    for part in np.split(x, cuts):
        acc.update(part)
    m, v = d.mean_variance(x)
    scale = np.max(np.abs(x)) + 1.0
    assert acc.mean == pytest.approx(m, rel=1e-12, abs=1e-13 * scale)
    assert acc.variance == pytest.approx(v, rel=1e-11, abs=1e-12 * scale**2)
    assert acc.min == x.min() and acc.max == x.max()


def test_negative_weight_leaves_accumulator_unchanged():
    acc = Moments()
    acc.update([1.0, 2.0])
    with pytest.raises(ValueError, match=r"Moments.update must be non-negative; weights\[4999\]"):
        acc.update(np.ones(5000), weights=np.r_[np.ones(4999), -1.0])
    assert acc.n == 2.0 and acc.mean == 1.5
