"""Tests of quantile, median, mode and cdf (numkit/stat/_order.py).

Oracles: ``np.quantile``/``np.median`` for R type 7; a line-by-line transcription of
Gonum's ``empiricalQuantile``/``linInterpQuantile``/``CDF`` loops run on ``np.sort``-ed
data for Gonum's kinds; ``np.repeat`` for the frequency meaning of weights;
``collections.Counter`` for the mode. Order statistics are exact, so comparisons are
bit-exact unless a tolerance says why.
"""

import collections
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from numkit._kernels._openmp import set_num_threads
from numkit.stat._order import cdf, median, mode, quantile

KINDS = ["empirical", "lininterp", "linear"]


def gonum_quantile(p, kind, xs, ws=None):
    """Gonum's stat.Quantile on sorted xs, transcribed from gonum/stat/stat.go."""
    total = float(len(xs)) if ws is None else math.fsum(ws)
    fidx = p * total
    cumsum = 0.0
    for i, v in enumerate(xs):
        cumsum += 1.0 if ws is None else ws[i]
        if cumsum >= fidx:
            if kind == "empirical" or i == 0:
                return v
            t = cumsum - fidx
            if ws is not None:
                t /= ws[i]
            return t * xs[i - 1] + (1 - t) * v
    raise AssertionError("impossible")


def gonum_cdf(q, xs, ws=None):
    """Gonum's stat.CDF (Empirical) on sorted xs."""
    if q < xs[0]:
        return 0.0
    if q >= xs[-1]:
        return 1.0
    total = float(len(xs)) if ws is None else sum(ws)
    w = 0.0
    for i, v in enumerate(xs):
        if v > q:
            return w / total
        w += 1.0 if ws is None else ws[i]
    raise AssertionError("impossible")


def oracle(p, kind, x):
    """Unweighted oracle: numpy for type 7, Gonum's loop for types 1 and 4."""
    if kind == "linear":
        return np.quantile(x, p)
    xs = np.sort(x).tolist()
    return np.array([gonum_quantile(float(pi), kind, xs) for pi in np.atleast_1d(p)])


def sample(name, n, rng):
    if name == "uniform":
        return rng.random(n)
    if name == "normal":
        return rng.standard_normal(n)
    if name == "lognormal3":
        return rng.lognormal(0.0, 3.0, n)
    if name == "ties":
        return rng.integers(0, 4, n).astype(np.float64)
    if name == "cluster":
        # all but one value within 1e-12 of 1: every first-level bin is crowded, so
        # the kernel narrows in key space several times.
        x = 1.0 + 1e-12 * rng.random(n)
        x[n // 2] = 1e300
        return x
    if name == "signed_zeros":
        x = rng.standard_normal(n)
        x[::3] = 0.0
        x[1::3] = -0.0
        return x
    raise ValueError(name)


DISTS = ["uniform", "normal", "lognormal3", "ties", "cluster", "signed_zeros"]
PS = np.array([0.0, 1e-6, 0.01, 0.25, 0.5, 0.75, 0.99, 1.0])


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("n", [1, 2, 3, 8, 1000, 100_000], ids=lambda n: f"n{n}")
@pytest.mark.parametrize("dist", DISTS)
def test_quantile_unweighted_matches_oracle(dist, n, kind):
    rng = np.random.default_rng(n + len(dist))
    x = sample(dist, n, rng)
    np.testing.assert_array_equal(quantile(x, PS, kind), oracle(PS, kind, x))


@pytest.mark.parametrize("kind", KINDS)
def test_quantile_many_random_p(kind):
    rng = np.random.default_rng(7)
    x = rng.standard_normal(60_000)
    p = rng.random(200)
    np.testing.assert_array_equal(quantile(x, p, kind), oracle(p, kind, x))


@pytest.mark.parametrize("kind", KINDS)
def test_quantile_scalar_p_gives_float(kind):
    x = np.array([4.0, 1.0, 3.0, 2.0])
    got = quantile(x, 0.3, kind)
    assert isinstance(got, float)
    assert got == oracle(np.array([0.3]), kind, x)[0]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("n", [5, 50_000], ids=["small", "large"])
def test_integer_weights_equal_repetition(kind, n):
    rng = np.random.default_rng(11 + n)
    x = rng.standard_normal(n)
    w = rng.integers(0, 4, n)  # zeros included: a frequency of 0 is no observation
    w[0] = 2
    p = np.r_[PS, rng.random(10)]
    got = quantile(x, p, kind, weights=w)
    expect = oracle(p, kind, np.repeat(x, w))
    np.testing.assert_array_equal(got, expect)


@pytest.mark.parametrize("kind", KINDS)
def test_unit_weights_equal_unweighted(kind):
    rng = np.random.default_rng(3)
    x = rng.standard_normal(1001)
    np.testing.assert_array_equal(quantile(x, PS, kind, weights=np.ones(1001)),
                                  quantile(x, PS, kind))


def test_weighted_empirical_matches_gonum_with_real_weights():
    rng = np.random.default_rng(5)
    x = rng.standard_normal(500)
    w = rng.random(500) + 0.1
    order = np.argsort(x, kind="stable")
    xs, ws = x[order].tolist(), w[order].tolist()
    p = rng.random(30)
    expect = [gonum_quantile(float(pi), "empirical", xs, ws) for pi in p]
    np.testing.assert_array_equal(quantile(x, p, weights=w), expect)


def test_weighted_quantile_ignores_scale_for_empirical():
    rng = np.random.default_rng(9)
    x = rng.standard_normal(300)
    w = rng.integers(1, 5, 300)
    p = np.array([0.1, 0.5, 0.9])
    np.testing.assert_array_equal(quantile(x, p, weights=w),
                                  quantile(x, p, weights=w / w.sum()))


def test_zero_weight_value_is_never_returned():
    # Gonum would return x[0] = 0.0 for p = 0 although its weight is 0.
    assert quantile([0.0, 1.0, 2.0], 0.0, weights=[0, 1, 1]) == 1.0


@pytest.mark.parametrize("kind", KINDS)
def test_assume_sorted(kind):
    rng = np.random.default_rng(2)
    x = np.sort(rng.standard_normal(999))
    w = rng.integers(1, 3, 999)
    np.testing.assert_array_equal(quantile(x, PS, kind, assume_sorted=True),
                                  quantile(x, PS, kind))
    np.testing.assert_array_equal(quantile(x, PS, kind, weights=w, assume_sorted=True),
                                  quantile(x, PS, kind, weights=w))


@pytest.mark.parametrize("convert", [
    lambda x: x.astype(np.float32),
    lambda x: np.round(x * 100).astype(np.int64),
    lambda x: np.repeat(x, 2)[::2],
    lambda x: np.require(x, requirements="C").copy().view(),
], ids=["float32", "int64", "strided", "view"])
def test_quantile_input_types(convert):
    rng = np.random.default_rng(4)
    x = convert(rng.standard_normal(40_001))
    x.flags.writeable = False
    expect = np.quantile(x.astype(np.float64), PS)
    np.testing.assert_array_equal(quantile(x, PS, "linear"), expect)
    assert median(x) == np.median(x.astype(np.float64))


def test_quantile_list_input():
    assert quantile([3, 1, 2], 0.5) == 2.0


@pytest.mark.parametrize("kind", KINDS)
def test_nan_policies(kind):
    x = np.array([3.0, 1.0, 2.0, np.nan, 5.0])
    assert np.isnan(quantile(x, 0.5, kind))
    assert np.isnan(quantile(x, [0.2, 0.5], kind)).all()
    clean = x[~np.isnan(x)]
    np.testing.assert_array_equal(quantile(x, PS, kind, nan_policy="omit"),
                                  oracle(PS, kind, clean))
    with pytest.raises(ValueError, match=r"x\[3\] is NaN"):
        quantile(x, 0.5, kind, nan_policy="raise")


def test_nan_weights():
    x = np.array([1.0, 2.0, 3.0, 4.0])
    w = np.array([1.0, np.nan, 1.0, 1.0])
    assert np.isnan(quantile(x, 0.5, weights=w))
    assert quantile(x, 0.5, weights=w, nan_policy="omit") == 3.0
    with pytest.raises(ValueError, match=r"weights\[1\] is NaN"):
        quantile(x, 0.5, weights=w, nan_policy="raise")


def test_omit_large_with_nan():
    rng = np.random.default_rng(6)
    x = rng.lognormal(0, 3, 200_000)
    x[::5] = np.nan
    clean = x[~np.isnan(x)]
    np.testing.assert_array_equal(quantile(x, PS, "linear", nan_policy="omit"),
                                  np.quantile(clean, PS))


@pytest.mark.parametrize("x, w", [
    ([], None),
    ([np.nan, np.nan], None),
    ([1.0, 2.0], [0.0, 0.0]),
], ids=["empty", "all-nan-omitted", "zero-weight"])
def test_empty_warns_nan(x, w):
    with pytest.warns(RuntimeWarning, match="empty input"):
        assert np.isnan(quantile(x, 0.5, weights=w, nan_policy="omit"))
    with pytest.warns(RuntimeWarning, match="empty input"):
        assert np.isnan(median(x, weights=w, nan_policy="omit"))


def test_quantile_errors():
    with pytest.raises(ValueError, match=r"p must lie in \[0, 1\]; got 1.5"):
        quantile([1.0], 1.5)
    with pytest.raises(ValueError, match=r"p\[1\] = -0.1"):
        quantile([1.0], [0.5, -0.1])
    with pytest.raises(ValueError, match=r"p must lie in \[0, 1\]; got nan"):
        quantile([1.0], np.nan)
    with pytest.raises(TypeError, match="p must be a real number"):
        quantile([1.0], "half")
    with pytest.raises(ValueError, match="'kind' parameter of stat.quantile"):
        quantile([1.0], 0.5, kind="nearest")
    with pytest.raises(ValueError, match="'nan_policy' parameter"):
        quantile([1.0], 0.5, nan_policy="ignore")
    with pytest.raises(ValueError, match="same length as x"):
        quantile([1.0, 2.0], 0.5, weights=[1.0])
    with pytest.raises(ValueError, match="non-negative"):
        quantile([1.0, 2.0], 0.5, weights=[1.0, -1.0])
    with pytest.raises(TypeError, match="real numbers"):
        quantile(["a", "b"], 0.5)
    with pytest.raises(ValueError, match="must be 1-D"):
        quantile(np.ones((2, 2)), 0.5)


def test_threads_do_not_change_results():
    rng = np.random.default_rng(8)
    x = rng.lognormal(0, 3, 1_000_000)
    w = rng.random(1_000_000)
    p = np.linspace(0, 1, 21)
    try:
        set_num_threads(1)
        one = [quantile(x, p, k) for k in KINDS] + [median(x), cdf(p, x, weights=w)]
        set_num_threads(2)
        two = [quantile(x, p, k) for k in KINDS] + [median(x), cdf(p, x, weights=w)]
    finally:
        set_num_threads(0)
    for a, b in zip(one, two, strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(one[2], np.quantile(x, p))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=60),
       st.lists(st.floats(0, 1), min_size=1, max_size=5))
def test_property_quantiles_match_oracles(values, p):
    x = np.array(values)
    p = np.array(p)
    for kind in KINDS:
        np.testing.assert_array_equal(quantile(x, p, kind), oracle(p, kind, x))
    e = quantile(x, np.sort(p))
    assert np.all(np.diff(e) >= 0)  # monotone in p
    assert np.isin(e, x).all()  # the empirical kind returns sample values


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(-100, 100), st.integers(0, 4)), min_size=1,
                max_size=30),
       st.floats(0, 1))
def test_property_integer_weights_equal_repetition(pairs, p):
    x = np.array([v for v, _ in pairs])
    w = np.array([k for _, k in pairs])
    if w.sum() == 0:
        return
    rep = np.repeat(x, w)
    for kind in KINDS:
        assert quantile(x, p, kind, weights=w) == quantile(rep, p, kind)
    assert median(x, weights=w) == np.median(rep)


# ------------------------------------------------------------------ median

@pytest.mark.parametrize("n", [1, 2, 7, 10, 99_999, 100_000], ids=lambda n: f"n{n}")
@pytest.mark.parametrize("dist", ["normal", "lognormal3", "ties"])
def test_median_matches_numpy(dist, n):
    rng = np.random.default_rng(n)
    x = sample(dist, n, rng)
    assert median(x) == np.median(x)


def test_median_weighted_equals_repetition():
    rng = np.random.default_rng(12)
    x = rng.standard_normal(2000)
    w = rng.integers(0, 5, 2000)
    assert median(x, weights=w) == np.median(np.repeat(x, w))


def test_median_large_values_do_not_overflow():
    assert median([1e308, 1.5e308]) == 1.25e308


def test_median_nan_policies():
    x = [2.0, np.nan, 1.0]
    assert np.isnan(median(x))
    assert median(x, nan_policy="omit") == 1.5
    with pytest.raises(ValueError, match=r"x\[1\] is NaN"):
        median(x, nan_policy="raise")


# -------------------------------------------------------------------- mode

def counter_mode(x, w=None):
    counts = collections.defaultdict(float)
    for i, v in enumerate(x):
        counts[v] += 1.0 if w is None else w[i]
    best = max(counts.values())
    return min(v for v, c in counts.items() if c == best), best


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_mode_matches_counter(weighted):
    rng = np.random.default_rng(13)
    x = rng.integers(0, 20, 5000).astype(np.float64)
    w = rng.integers(0, 3, 5000).astype(np.float64) if weighted else None
    assert mode(x, weights=w) == counter_mode(x.tolist(), None if w is None else w.tolist())


def test_mode_ties_give_smallest():
    assert mode([3.0, 1.0, 3.0, 1.0, 2.0]) == (1.0, 2.0)


def test_mode_nan_and_empty():
    assert all(np.isnan(mode([1.0, np.nan])))
    assert mode([1.0, np.nan, 1.0], nan_policy="omit") == (1.0, 2.0)
    with pytest.raises(ValueError, match=r"x\[1\] is NaN"):
        mode([1.0, np.nan], nan_policy="raise")
    with pytest.raises(ValueError, match=r"weights\[0\] is NaN"):
        mode([1.0, 2.0], weights=[np.nan, 1.0], nan_policy="raise")
    with pytest.warns(RuntimeWarning, match="empty input"):
        value, count = mode([])
    assert np.isnan(value) and count == 0.0
    with pytest.warns(RuntimeWarning, match="empty input"):
        mode([1.0, 2.0], weights=[0.0, 0.0])


def test_mode_errors():
    with pytest.raises(ValueError, match="same length as x"):
        mode([1.0, 2.0], weights=[1.0])
    with pytest.raises(ValueError, match="'nan_policy' parameter of stat.mode"):
        mode([1.0], nan_policy="drop")


# --------------------------------------------------------------------- cdf

@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("n", [1, 10, 50_000], ids=lambda n: f"n{n}")
def test_cdf_matches_gonum(weighted, n):
    rng = np.random.default_rng(n + weighted)
    x = np.round(rng.standard_normal(n), 2)  # rounding makes ties and exact hits
    w = rng.integers(0, 4, n).astype(np.float64) if weighted else None
    if weighted:
        w[0] = 1.0
    q = np.r_[np.quantile(x, [0, 0.3, 0.5]), -10.0, 10.0, 0.0]
    order = np.argsort(x, kind="stable")
    xs = x[order].tolist()
    ws = None if w is None else w[order].tolist()
    expect = [gonum_cdf(float(qi), xs, ws) for qi in q]
    # integer weights: every partial sum is exact, so the ratios are bit-equal
    np.testing.assert_array_equal(cdf(q, x, weights=w), expect)
    assert cdf(float(q[1]), x, weights=w) == expect[1]


def test_cdf_real_weights_close_to_gonum():
    rng = np.random.default_rng(21)
    x = rng.standard_normal(10_000)
    w = rng.random(10_000)
    order = np.argsort(x)
    q = np.array([-1.0, 0.0, 0.5])
    expect = [gonum_cdf(qi, x[order].tolist(), w[order].tolist()) for qi in q]
    # partial sums in another order: relative error at most n·eps
    np.testing.assert_allclose(cdf(q, x, weights=w), expect, rtol=10_000 * 2.2e-16)


def test_cdf_nan():
    x = [1.0, np.nan, 3.0]
    assert np.isnan(cdf(2.0, x))
    assert cdf(2.0, x, nan_policy="omit") == 0.5
    with pytest.raises(ValueError, match=r"x\[1\] is NaN"):
        cdf(2.0, x, nan_policy="raise")
    got = cdf([np.nan, 2.0], [1.0, 3.0])
    assert np.isnan(got[0]) and got[1] == 0.5


def test_cdf_errors_and_empty():
    with pytest.raises(ValueError, match="'kind' parameter of stat.cdf must be 'empirical'"):
        cdf(0.0, [1.0], kind="lininterp")
    with pytest.raises(ValueError, match="same length as x"):
        cdf(0.0, [1.0], weights=[1.0, 2.0])
    with pytest.raises(TypeError, match="q must contain real numbers"):
        cdf("a", [1.0])
    with pytest.warns(RuntimeWarning, match="empty input"):
        assert np.isnan(cdf(0.0, []))
