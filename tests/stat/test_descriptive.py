"""Tests for numkit.stat._descriptive against numpy/scipy and exact Fraction arithmetic.

Tolerances: a blocked two-pass sum of n terms has error below about
n·eps·sum|terms| in the worst case; we use RTOL = 1e-12 for n <= 1e5 with data of
spread ~1 (n·eps ≈ 2e-11 is the loose worst case; the observed error is ~1e-15), and
bounds derived from the data where stated.
"""

from __future__ import annotations

import math
import warnings
from fractions import Fraction

import numpy as np
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import numkit._kernels._openmp as omp
from numkit.stat import _descriptive as d

EPS = np.finfo(np.float64).eps
RTOL = 1e-12

SAMPLE_FUNCS = {
    "mean": (d.mean, lambda x: np.mean(x)),
    "variance": (d.variance, lambda x: np.var(x, ddof=1)),
    "std_dev": (d.std_dev, lambda x: np.std(x, ddof=1)),
    "pop_variance": (d.pop_variance, lambda x: np.var(x)),
    "pop_std_dev": (d.pop_std_dev, lambda x: np.std(x)),
    "skew": (d.skew, lambda x: scipy.stats.skew(x, bias=False)),
    "ex_kurtosis": (d.ex_kurtosis, lambda x: scipy.stats.kurtosis(x, bias=False)),
    "geometric_mean": (d.geometric_mean, lambda x: scipy.stats.gmean(x)),
    "harmonic_mean": (d.harmonic_mean, lambda x: scipy.stats.hmean(x)),
    "circular_mean": (d.circular_mean, lambda x: math.atan2(np.sin(x).sum(), np.cos(x).sum())),
}
PAIR_FUNCS = {
    "mean_variance": (d.mean_variance, lambda x: (np.mean(x), np.var(x, ddof=1))),
    "mean_std_dev": (d.mean_std_dev, lambda x: (np.mean(x), np.std(x, ddof=1))),
    "pop_mean_variance": (d.pop_mean_variance, lambda x: (np.mean(x), np.var(x))),
    "pop_mean_std_dev": (d.pop_mean_std_dev, lambda x: (np.mean(x), np.std(x))),
}
ALL_WEIGHTED = {**{k: v[0] for k, v in SAMPLE_FUNCS.items()},
                **{k: v[0] for k, v in PAIR_FUNCS.items()}}
SIZES = [5, 100, 2049, 70_001]   # below one block, one block, two blocks, many chunks


def _data(n, seed, positive=False):
    rng = np.random.default_rng(seed)
    x = rng.gamma(2.0, 1.5, n) if positive else rng.standard_normal(n) * 3 + 1
    return x


@pytest.mark.parametrize("n", SIZES, ids=[f"n{n}" for n in SIZES])
@pytest.mark.parametrize("name", list(SAMPLE_FUNCS), ids=list(SAMPLE_FUNCS))
def test_against_oracle(name, n):
    ours, oracle = SAMPLE_FUNCS[name]
    x = _data(n, 1, positive=name in ("geometric_mean", "harmonic_mean"))
    assert ours(x) == pytest.approx(oracle(x), rel=RTOL, abs=1e-14)


@pytest.mark.parametrize("n", SIZES, ids=[f"n{n}" for n in SIZES])
@pytest.mark.parametrize("name", list(PAIR_FUNCS), ids=list(PAIR_FUNCS))
def test_pairs_against_oracle(name, n):
    ours, oracle = PAIR_FUNCS[name]
    x = _data(n, 2)
    np.testing.assert_allclose(ours(x), oracle(x), rtol=RTOL)


@pytest.mark.parametrize("name", list(ALL_WEIGHTED), ids=list(ALL_WEIGHTED))
def test_integer_weights_equal_repetition(name):
    f = ALL_WEIGHTED[name]
    rng = np.random.default_rng(3)
    x = np.abs(rng.standard_normal(3000)) + 0.5
    w = rng.integers(0, 4, x.shape[0])
    np.testing.assert_allclose(f(x, weights=w), f(np.repeat(x, w)), rtol=1e-11)


@pytest.mark.parametrize("name", list(ALL_WEIGHTED), ids=list(ALL_WEIGHTED))
def test_unit_weights_equal_unweighted(name):
    f = ALL_WEIGHTED[name]
    x = np.abs(_data(5000, 4)) + 0.1
    np.testing.assert_allclose(f(x, weights=np.ones_like(x)), f(x), rtol=1e-13)


def test_weighted_mean_variance_against_numpy():
    rng = np.random.default_rng(5)
    x, w = rng.standard_normal(100_000), rng.random(100_000)
    m = np.average(x, weights=w)
    v = np.sum(w * (x - m) ** 2) / (w.sum() - 1)
    np.testing.assert_allclose(d.mean_variance(x, w), (m, v), rtol=RTOL)


OFFSETS = [1e8, 1e10, 1e12, 1e14]


def _exact_moments(x, w):
    fx = [Fraction(v) for v in x.tolist()]
    fw = [Fraction(v) for v in w.tolist()]
    sw = sum(fw)
    mu = sum(a * b for a, b in zip(fw, fx, strict=True)) / sw
    m = [sum(b * (a - mu) ** k for a, b in zip(fx, fw, strict=True)) for k in (2, 3, 4)]
    return sw, mu, m


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("offset", OFFSETS, ids=[f"{o:.0e}" for o in OFFSETS])
def test_large_offset_against_fractions(offset, weighted):
    # 5000 values: three blocks, so the block merge is exercised
    rng = np.random.default_rng(6)
    x = offset + rng.random(5000)
    w = rng.integers(1, 5, x.shape[0]).astype(float) if weighted else np.ones_like(x)
    sw, mu, (m2, m3, m4) = _exact_moments(x, w)
    got_mean, got_var = d.mean_variance(x, w if weighted else None)
    # the mean is exact to its last ulp or so; the variance of spread-1 data to
    # ~n·eps relative (two-pass accuracy), independent of the offset
    assert abs(Fraction(got_mean) - mu) <= 2 * EPS * offset
    var = m2 / (sw - 1)
    assert abs(Fraction(got_var) - var) <= 1e-13 * var
    # skew and kurtosis: the deviations x - mean carry an absolute error of about
    # ulp(offset) (the data's own resolution); relative to the spread s ~ 0.29 that is
    # δ = ulp(offset)/s, and M3/M4 move by ~k·δ of their scale: bound 10·δ + 1e-12
    s = math.sqrt(float(var))
    delta = float(np.spacing(offset)) / s
    g1 = float(m3 / (sw - 1) / Fraction(s) ** 3)  # scale of the skew sum
    skew_exact = float(m3 / Fraction(float(var)) ** 1 / Fraction(s) * sw / ((sw - 1) * (sw - 2)))
    assert d.skew(x, w if weighted else None) == pytest.approx(
        skew_exact, abs=10 * delta + 1e-12 + 1e-12 * abs(g1))
    n = float(sw)
    e = float(m4 / (var * var))
    kurt_exact = e * (n + 1) * n / ((n - 1) * (n - 2) * (n - 3)) - 3 * (n - 1) ** 2 / ((n - 2) * (n - 3))
    assert d.ex_kurtosis(x, w if weighted else None) == pytest.approx(
        kurt_exact, abs=10 * delta + 1e-12)


def test_large_offset_beats_numpy():
    # the DESIGN's example: 1e12 + small spread
    rng = np.random.default_rng(7)
    x = 1e12 + rng.random(100_000)
    exact = _exact_moments(x[:20000], np.ones(20000))
    var = float(exact[2][0] / (exact[0] - 1))
    assert d.variance(x[:20000]) == pytest.approx(var, rel=1e-13)


@pytest.mark.parametrize("dtype", [np.float32, np.int64, np.int32, np.bool_],
                         ids=["float32", "int64", "int32", "bool"])
def test_other_dtypes(dtype):
    x = (np.arange(1000) % 7).astype(dtype)
    ref = x.astype(np.float64)
    assert d.variance(x) == pytest.approx(np.var(ref, ddof=1), rel=1e-13)
    assert d.skew(x) == pytest.approx(scipy.stats.skew(ref, bias=False), rel=1e-12)


def test_float32_with_float64_weights():
    x = np.linspace(0, 1, 1001, dtype=np.float32)
    w = np.linspace(1, 2, 1001)
    m = np.average(x.astype(np.float64), weights=w)
    assert d.mean(x, w) == pytest.approx(m, rel=1e-14)


def test_large_integers_do_not_overflow():
    x = np.array([2**62, 2**62 + 2, 2**62 + 4], dtype=np.int64)
    assert d.mean(x) == pytest.approx(2.0**62, rel=1e-15)


def test_strided_and_readonly():
    x = _data(20000, 8)
    ro = x.copy()
    ro.flags.writeable = False
    assert d.variance(ro) == pytest.approx(np.var(x, ddof=1), rel=RTOL)
    s = x[::3]
    assert d.variance(s) == pytest.approx(np.var(s, ddof=1), rel=RTOL)
    w = np.linspace(0.5, 1.5, x.shape[0])
    np.testing.assert_allclose(d.mean_variance(x[::2], w[::2]),
                               d.mean_variance(x[::2].copy(), w[::2].copy()), rtol=1e-14)
    assert d.skew(x[::-1]) == pytest.approx(scipy.stats.skew(x, bias=False), rel=1e-12)


def test_list_and_scalar_input():
    assert d.mean([1, 2, 3]) == 2.0
    assert d.mean(4.0) == 4.0
    assert math.isnan(d.variance([4.0]))   # n - 1 = 0, as Gonum


@pytest.mark.parametrize("name", list(ALL_WEIGHTED), ids=list(ALL_WEIGHTED))
def test_nan_policies(name):
    f = ALL_WEIGHTED[name]
    x = np.abs(_data(3000, 9)) + 0.1
    xn = x.copy()
    xn[[5, 2500]] = np.nan
    res = f(xn)
    assert np.all(np.isnan(res)) if isinstance(res, tuple) else math.isnan(res)
    np.testing.assert_allclose(f(xn, nan_policy="omit"), f(x[~np.isnan(xn)]), rtol=1e-13)
    with pytest.raises(ValueError, match=r"x\[5\] is NaN and nan_policy='raise'"):
        f(xn, nan_policy="raise")
    # a NaN weight is omitted with its value
    w = np.ones_like(x)
    w[7] = np.nan
    keep = np.ones(x.shape[0], bool)
    keep[7] = False
    np.testing.assert_allclose(f(x, w, nan_policy="omit"), f(x[keep]), rtol=1e-13)
    with pytest.raises(ValueError, match=r"weights\[7\] is NaN"):
        f(x, w, nan_policy="raise")
    assert f(x, nan_policy="raise") == f(x)


def test_nan_with_zero_weight_still_propagates():
    assert math.isnan(d.mean([1.0, np.nan, 3.0], weights=[1, 0, 1]))


def test_inf():
    assert d.mean([1.0, np.inf]) == np.inf
    m, v = d.mean_variance([1.0, np.inf, 2.0])
    assert m == np.inf and math.isnan(v)
    assert math.isnan(d.variance([np.inf, 1.0], nan_policy="raise"))  # not a NaN input


@pytest.mark.parametrize("name", list(ALL_WEIGHTED), ids=list(ALL_WEIGHTED))
def test_empty_warns_nan(name):
    f = ALL_WEIGHTED[name]
    with pytest.warns(RuntimeWarning, match="empty input"):
        r = f([])
    assert np.all(np.isnan(r))
    with pytest.warns(RuntimeWarning, match="empty input"):
        r = f([np.nan, np.nan], nan_policy="omit")
    assert np.all(np.isnan(r))
    with pytest.warns(RuntimeWarning, match="empty input"):
        f([1.0, 2.0], weights=[0.0, 0.0])


@pytest.mark.parametrize("name", list(ALL_WEIGHTED), ids=list(ALL_WEIGHTED))
def test_errors(name):
    f = ALL_WEIGHTED[name]
    with pytest.raises(ValueError, match=r"same length as x \(3\); got shape \(2,\)"):
        f([1.0, 2.0, 3.0], weights=[1.0, 1.0])
    with pytest.raises(ValueError, match=r"non-negative; weights\[1\] = .*-1\.0"):
        f([1.0, 2.0, 3.0], weights=[1.0, -1.0, 1.0])
    with pytest.raises(ValueError, match="'nan_policy' parameter of stat.* must be one of"):
        f([1.0, 2.0], nan_policy="ignore")
    with pytest.raises(TypeError, match="must contain real numbers"):
        f(np.array(["a", "b"]))
    with pytest.raises(ValueError, match="must be 1-D"):
        f(np.ones((2, 2)))


def test_small_cases():
    # frequency weights: the same as the repeated list, divided by sum(w) - 1 = 7
    rep = [8, 8, -3, 7, 7, 8, 8, -4]
    assert d.variance([8, -3, 7, 8, -4], weights=[2, 1, 2, 2, 1]) == pytest.approx(
        np.var(rep, ddof=1), rel=1e-14)
    assert d.mean([8.2, -6, 5, 7], weights=[2, 6, 7, 5]) == pytest.approx(
        (8.2 * 2 - 36 + 35 + 35) / 20, rel=1e-15)
    assert d.std_err(2.0, 4) == 1.0
    assert d.std_score(3.0, 1.0, 2.0) == 1.0


def test_moment():
    x = _data(10_000, 10)
    for k in (1, 2, 3, 4, 2.5, 6):
        c = x - x.mean()
        want = np.mean(np.power(c, k)) if k == int(k) else np.mean(np.power(c.astype(complex), k)).real
        got = d.moment(x, k)
        if k == 2.5:
            assert math.isnan(got)  # negative base, non-integer power: NaN as math.pow
        else:
            assert got == pytest.approx(want, rel=1e-11, abs=1e-13)
    z = np.abs(x) + 10.0   # every deviation from the mean > -mean: base stays positive
    assert d.moment_about(z, 2.5, 0.0) == pytest.approx(np.mean(z**2.5), rel=1e-13)
    y = np.array([1.0, 2.0, 5.0])
    assert d.moment_about(y, 3, 0.0) == pytest.approx(np.mean(y**3), rel=1e-15)
    assert d.moment_about(y, 0.5, 0.0, weights=[1, 2, 3]) == pytest.approx(
        np.average(np.sqrt(y), weights=[1, 2, 3]), rel=1e-15)


def test_moment_errors():
    with pytest.raises(TypeError, match="k must be a real number"):
        d.moment([1.0, 2.0], "2")
    with pytest.raises(ValueError, match="k must be finite"):
        d.moment_about([1.0, 2.0], math.inf, 0.0)
    with pytest.warns(RuntimeWarning, match="empty"):
        assert math.isnan(d.moment([], 2.5))


def test_skew_kurtosis_degenerate():
    assert math.isnan(d.skew([2.0, 2.0, 2.0, 2.0]))
    assert math.isnan(d.ex_kurtosis([1.0, 2.0, 3.0]))  # n - 3 = 0


def test_geometric_harmonic_edges():
    assert d.geometric_mean([0.0, 4.0]) == 0.0
    assert math.isnan(d.geometric_mean([-1.0, 4.0]))
    assert d.harmonic_mean([0.0, 4.0]) == 0.0


LAGS = [0, 1, 2, 7, 5000]


@pytest.mark.parametrize("lag", LAGS, ids=[f"lag{k}" for k in LAGS])
def test_autocorrelation(lag):
    x = np.cumsum(_data(100_000, 11))
    c = x - x.mean()
    want = np.sum(c[: c.size - lag] * c[lag:]) / np.sum(c * c)
    assert d.autocorrelation(x, lag) == pytest.approx(want, rel=1e-12)


def test_autocorrelation_edges():
    assert d.autocorrelation([1.0, 2.0, 3.0], 3) == 0.0
    assert math.isnan(d.autocorrelation([1.0, 1.0, 1.0]))
    x = np.array([1.0, 3.0, np.nan, 2.0, 5.0, 4.0])
    assert math.isnan(d.autocorrelation(x))
    m = np.nanmean(x)
    c = x - m
    num = np.nansum(c[:-1] * c[1:])
    assert d.autocorrelation(x, nan_policy="omit") == pytest.approx(
        num / np.nansum(c * c), rel=1e-14)
    with pytest.raises(ValueError, match=r"x\[2\] is NaN"):
        d.autocorrelation(x, nan_policy="raise")
    with pytest.raises(ValueError, match="lag must be non-negative"):
        d.autocorrelation([1.0, 2.0], -1)
    with pytest.raises(TypeError, match="lag must be an integer"):
        d.autocorrelation([1.0, 2.0], 1.5)
    with pytest.warns(RuntimeWarning, match="empty"):
        d.autocorrelation([])


@pytest.mark.parametrize("name", ["variance", "skew", "mean", "autocorrelation"])
def test_thread_count_does_not_change_bits(name):
    f = getattr(d, name)
    rng = np.random.default_rng(12)
    x = rng.standard_normal(1_200_000) + 1e6
    w = rng.random(x.shape[0])
    xn = x.copy()
    xn[::1000] = np.nan
    x32 = x.astype(np.float32) - np.float32(1e6)
    calls = [((x,), {}), ((xn,), {"nan_policy": "omit"}), ((x32,), {}), ((x[::3],), {})]
    if name != "autocorrelation":
        calls.append(((x, w), {}))
    try:
        for a, kw in calls:
            omp.set_num_threads(1)
            one = f(*a, **kw)
            omp.set_num_threads(2)
            two = f(*a, **kw)
            assert one == two
    finally:
        omp.set_num_threads(0)


finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(np.float64, st.integers(2, 300), elements=finite),
       st.floats(-1e9, 1e9, allow_nan=False))
def test_property_shift_invariance_and_bounds(x, shift):
    m, v = d.mean_variance(x)
    assert x.min() - 1e-9 * (1 + abs(x.min())) <= m <= x.max() + 1e-9 * (1 + abs(x.max()))
    assert v >= 0.0
    ref = np.var(x, ddof=1)
    # two-pass error bound: (n + 2)·eps·sum|x - mean|^2-scale plus the rounding of the mean
    scale = np.sum((x - x.mean()) ** 2) / (len(x) - 1) + EPS * np.max(np.abs(x)) ** 2
    assert abs(v - ref) <= 10 * len(x) * EPS * scale + 1e-300


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(np.float64, st.integers(1, 200), elements=st.floats(-100, 100)),
       st.data())
def test_property_weights_vs_repeat(x, data):
    w = data.draw(hnp.arrays(np.int64, x.shape, elements=st.integers(0, 3)))
    if w.sum() == 0:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            assert math.isnan(d.mean(x, w))
        return
    rep = np.repeat(x, w)
    bound = 8 * len(rep) * EPS * (np.max(np.abs(x)) + 1)
    assert abs(d.mean(x, w) - d.mean(rep)) <= bound


NEG_CASES = [
    ("float64", np.float64, 1, "propagate"),
    ("float32", np.float32, 1, "propagate"),
    ("strided", np.float64, 2, "propagate"),
    ("omit", np.float64, 1, "omit"),
    ("float32-omit", np.float32, 1, "omit"),
]


@pytest.mark.parametrize(("dtype", "step", "policy"), [c[1:] for c in NEG_CASES],
                         ids=[c[0] for c in NEG_CASES])
@pytest.mark.parametrize("pos", [0, 2047, 2048, 99_999], ids=lambda p: f"at{p}")
@pytest.mark.parametrize("name", ["mean", "variance", "skew"])
def test_negative_weight_found_by_the_kernel(name, pos, dtype, step, policy):
    # the moments kernel checks the sign during its read: every block and pass kind
    f = getattr(d, name)
    x = np.linspace(0, 1, 100_000 * step).astype(dtype)[::step]
    w = np.ones(100_000 * step, dtype=dtype)[::step]
    w[pos] = -0.5
    with pytest.raises(ValueError, match=rf"must be non-negative; weights\[{pos}\] = .*-0\.5"):
        f(x, w, nan_policy=policy)


def test_negative_weights_summing_to_zero_raise_not_warn():
    with pytest.raises(ValueError, match="must be non-negative"):
        d.mean([1.0, 2.0], weights=[-1.0, 1.0])


DRIFTS = ["trend", "random-walk", "step"]


@pytest.mark.parametrize("kind", DRIFTS, ids=DRIFTS)
def test_drifting_data_against_fractions(kind):
    # each block starts from the previous block's mean; drifting data make that guess
    # poor and exercise the in-cache rerun. Bound: two-pass accuracy, 1e-13 relative
    # (n·eps ≈ 2e-12 is the worst case; the rerun keeps the observed error at ~1e-15)
    rng = np.random.default_rng(13)
    n = 12_000
    if kind == "trend":
        x = 1e6 + np.arange(n) * 10.0 + rng.random(n)
    elif kind == "random-walk":
        x = np.cumsum(rng.standard_normal(n)) * 100.0
    else:
        x = np.where(np.arange(n) < n // 2, 0.0, 1e9) + rng.random(n)
    w = rng.random(n)
    for weights in (None, w):
        ww = np.ones(n) if weights is None else weights
        sw, mu, (m2, m3, _) = _exact_moments(x, ww)
        got_mean, got_var = d.mean_variance(x, weights)
        assert abs(Fraction(got_mean) - mu) <= 4 * EPS * abs(mu)
        var = m2 / (sw - 1)
        assert abs(Fraction(got_var) - var) <= 1e-13 * var


NONFINITE_AT = [0, 100, 2500, 5000, 9999]   # first block, later blocks, second chunk, last


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf], ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize("pos", NONFINITE_AT, ids=lambda p: f"at{p}")
def test_nonfinite_anywhere_propagates(pos, value):
    # as numpy: the mean is the inf (or NaN), the variance and higher moments NaN
    x = 1.0 + np.arange(10_000) * 1e-3
    x[pos] = value
    m, v = d.mean_variance(x)
    np.testing.assert_equal(m, np.mean(x))
    assert math.isnan(v) and math.isnan(d.skew(x)) and math.isnan(d.ex_kurtosis(x))
    np.testing.assert_equal(d.mean(x), np.mean(x))


def test_plus_and_minus_inf_give_nan_mean():
    x = np.ones(10_000)
    x[100], x[6000] = np.inf, -np.inf
    assert math.isnan(d.mean(x)) and math.isnan(d.mean_variance(x)[0])
