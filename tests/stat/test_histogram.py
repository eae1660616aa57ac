"""Tests of histogram (numkit/stat/_histogram.py).

Oracles: ``np.histogram`` for integer bin counts (numkit uses numpy's bin rule, so
counts and dividers agree exactly); ``np.searchsorted(dividers, x, "right") - 1`` with
``np.bincount`` for Gonum's rule ``dividers[j] <= x < dividers[j+1]``.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from numkit._kernels._openmp import set_num_threads
from numkit.stat._histogram import histogram

EPS = np.finfo(np.float64).eps


def gonum_counts(x, d, w=None):
    j = np.searchsorted(d, x, side="right") - 1
    return np.bincount(j, weights=w, minlength=len(d) - 1).astype(np.float64)


def sample(name, n, rng):
    return {"uniform": lambda: rng.random(n),
            "normal": lambda: rng.standard_normal(n),
            "lognormal3": lambda: rng.lognormal(0, 3, n),
            "ties": lambda: rng.integers(0, 7, n).astype(np.float64)}[name]()


@pytest.mark.parametrize("bins", [1, 7, 100, 4096], ids=lambda b: f"bins{b}")
@pytest.mark.parametrize("n", [1, 10, 200_000], ids=lambda n: f"n{n}")
@pytest.mark.parametrize("dist", ["uniform", "normal", "lognormal3", "ties"])
def test_bins_match_numpy(dist, n, bins):
    rng = np.random.default_rng(n + bins)
    x = sample(dist, n, rng)
    counts, dividers = histogram(x, bins)
    expect_counts, expect_dividers = np.histogram(x, bins)
    np.testing.assert_array_equal(dividers, expect_dividers)
    np.testing.assert_array_equal(counts, expect_counts)
    assert counts.dtype == np.float64


def test_bins_integer_weights_exact():
    rng = np.random.default_rng(1)
    x = rng.standard_normal(100_000)
    w = rng.integers(0, 5, 100_000)
    counts, _ = histogram(x, 50, weights=w)
    np.testing.assert_array_equal(counts, np.histogram(x, 50, weights=w)[0])
    repeated = np.histogram(np.repeat(x, w), 50, range=(x.min(), x.max()))[0]
    np.testing.assert_array_equal(counts, repeated)


def test_bins_real_weights_close():
    rng = np.random.default_rng(2)
    x = rng.standard_normal(100_000)
    w = rng.random(100_000)
    counts, _ = histogram(x, 30, weights=w)
    expect = np.histogram(x, 30, weights=w)[0]
    # sums of positive terms in another order: error at most n·eps·sum
    np.testing.assert_allclose(counts, expect, rtol=0, atol=100_000 * EPS * w.sum())


def test_constant_sample_spans_unit_interval():
    counts, dividers = histogram([2.0, 2.0, 2.0], 4)
    np.testing.assert_array_equal(dividers, np.histogram([2.0] * 3, 4)[1])
    np.testing.assert_array_equal(counts, np.histogram([2.0] * 3, 4)[0])


@pytest.mark.parametrize("n", [5, 200_000], ids=["small", "large"])
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_dividers_gonum_rule(n, weighted):
    rng = np.random.default_rng(n)
    x = np.round(rng.random(n) * 10, 1)  # many values sit exactly on a divider
    d = np.array([0.0, 0.5, 1.0, 2.5, 7.0, 10.5])
    w = rng.integers(0, 4, n).astype(np.float64) if weighted else None
    np.testing.assert_array_equal(histogram(x, d, weights=w), gonum_counts(x, d, w))


def test_dividers_value_on_divider_goes_up():
    np.testing.assert_array_equal(histogram([1.0, 2.0], [0.0, 1.0, 2.0, 3.0]), [0, 1, 1])


def test_dividers_many_bins_binary_search():
    rng = np.random.default_rng(3)
    d = np.sort(rng.random(1001)) * 10
    x = rng.uniform(d[0], d[-1], 50_000)
    np.testing.assert_array_equal(histogram(x, d), gonum_counts(x, d))


@pytest.mark.parametrize("convert", [
    lambda x: x.astype(np.float32),
    lambda x: (x * 100).astype(np.int32),
    lambda x: np.repeat(x, 3)[::3],
], ids=["float32", "int32", "strided"])
def test_input_types(convert):
    rng = np.random.default_rng(4)
    x = convert(rng.standard_normal(50_001))
    x.flags.writeable = False
    counts, dividers = histogram(x, 64)
    expect_counts, expect_dividers = np.histogram(x.astype(np.float64), 64)
    np.testing.assert_array_equal(counts, expect_counts)
    np.testing.assert_array_equal(dividers, expect_dividers)
    w = np.ones(x.shape[0], dtype=np.float32)
    np.testing.assert_array_equal(histogram(x, 64, weights=w)[0], expect_counts)


def test_nan_policies_bins():
    x = np.array([1.0, np.nan, 2.0, 3.0])
    counts, dividers = histogram(x, 2)
    assert np.isnan(counts).all() and np.isnan(dividers).all()
    counts, dividers = histogram(x, 2, nan_policy="omit")
    np.testing.assert_array_equal(counts, [1, 2])
    with pytest.raises(ValueError, match=r"x\[1\] is NaN"):
        histogram(x, 2, nan_policy="raise")
    w = np.array([1.0, 1.0, np.nan, 1.0])
    counts, _ = histogram([1.0, 2.0, 2.5, 3.0], 2, weights=w, nan_policy="omit")
    np.testing.assert_array_equal(counts, [1, 2])  # 2.5 and its NaN weight skipped
    with pytest.raises(ValueError, match=r"weights\[2\] is NaN"):
        histogram([1.0, 2.0, 2.5, 3.0], 2, weights=w, nan_policy="raise")


def test_nan_policies_dividers():
    x = np.array([0.5, np.nan, 1.5])
    d = [0.0, 1.0, 2.0]
    assert np.isnan(histogram(x, d)).all()
    np.testing.assert_array_equal(histogram(x, d, nan_policy="omit"), [1, 1])
    with pytest.raises(ValueError, match=r"x\[1\] is NaN"):
        histogram(x, d, nan_policy="raise")
    w = [1.0, 1.0, np.nan]
    assert np.isnan(histogram([0.5, 0.7, 1.5], d, weights=w)).all()
    np.testing.assert_array_equal(histogram([0.5, 0.7, 1.5], d, weights=w,
                                            nan_policy="omit"), [2, 0])


def test_empty():
    np.testing.assert_array_equal(histogram([], [0.0, 1.0, 2.0]), [0, 0])
    with pytest.warns(RuntimeWarning, match="empty input"):
        counts, dividers = histogram([], 3)
    assert counts.shape == (3,) and np.isnan(counts).all() and dividers.shape == (4,)


def test_errors():
    with pytest.raises(ValueError, match=r"x\[2\] = 5.0 lies outside the dividers"):
        histogram([0.5, 1.0, 5.0, -1.0], [0.0, 1.0, 2.0])
    with pytest.raises(ValueError, match=r"x\[0\] = 2.0 lies outside"):
        histogram([2.0], [0.0, 1.0, 2.0])  # the last divider is exclusive
    rng = np.random.default_rng(5)
    big = rng.random(300_000)
    big[123_457] = 7.0
    with pytest.raises(ValueError, match=r"x\[123457\] = 7.0"):
        histogram(big, [0.0, 0.5, 1.0])
    with pytest.raises(ValueError, match=r"strictly increasing; dividers\[1\] = 1.0, dividers\[2\] = 1.0"):
        histogram([0.5], [0.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="strictly increasing"):
        histogram([0.5], [np.nan, 1.0])
    with pytest.raises(ValueError, match="at least two values"):
        histogram([0.5], [0.0])
    with pytest.raises(ValueError, match="bin count must be at least 1; got 0"):
        histogram([0.5], 0)
    with pytest.raises(TypeError, match="integer bin count or an array"):
        histogram([0.5], 2.5)
    with pytest.raises(TypeError, match="integer bin count or an array"):
        histogram([0.5], True)
    with pytest.raises(ValueError, match=r"x\[1\] = inf is infinite"):
        histogram([0.5, np.inf], 3)
    with pytest.raises(ValueError, match="same length as x"):
        histogram([0.5, 1.0], 3, weights=[1.0])
    with pytest.raises(ValueError, match="'nan_policy' parameter of stat.histogram"):
        histogram([0.5], 3, nan_policy="skip")
    with pytest.raises(TypeError, match="real numbers"):
        histogram(["a"], 3)


def test_threads_do_not_change_bits():
    rng = np.random.default_rng(6)
    x = rng.standard_normal(1_000_000)
    w = rng.random(1_000_000)
    d = np.linspace(-6, 6, 37)
    try:
        set_num_threads(1)
        one = histogram(x, 100, weights=w)[0], histogram(x, d, weights=w)
        set_num_threads(2)
        two = histogram(x, 100, weights=w)[0], histogram(x, d, weights=w)
    finally:
        set_num_threads(0)
    np.testing.assert_array_equal(one[0], two[0])
    np.testing.assert_array_equal(one[1], two[1])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=80), st.integers(1, 20))
def test_property_bins_match_numpy_and_sum_to_n(values, bins):
    x = np.array(values)
    counts, dividers = histogram(x, bins)
    expect_counts, expect_dividers = np.histogram(x, bins)
    np.testing.assert_array_equal(counts, expect_counts)
    np.testing.assert_array_equal(dividers, expect_dividers)
    assert counts.sum() == x.shape[0]
    # explicit dividers that surely span the data give Gonum's counts
    d = np.r_[dividers[:-1], np.nextafter(dividers[-1], np.inf)]
    np.testing.assert_array_equal(histogram(x, d), gonum_counts(x, d))
