"""Paired statistics: covariance, correlation, Kendall, Spearman, regression, ROC, TOC."""

import math

import numpy as np
import pytest
import scipy.stats as ss
from hypothesis import given, settings
from hypothesis import strategies as st

from numkit._kernels import _openmp
from numkit.stat._pairs import (
    bivariate_moment,
    correlation,
    covariance,
    kendall,
    linear_regression,
    r_nought_squared,
    r_squared,
    r_squared_from,
    roc,
    spearman,
    toc,
)

EPS = np.finfo(np.float64).eps
INF, NAN = math.inf, math.nan


def _xy(n, seed=0, ties=False):
    rng = np.random.default_rng(seed)
    if ties:
        x = rng.integers(0, 15, n).astype(float)
        return x, x + rng.integers(0, 6, n)
    x = rng.standard_normal(n)
    return x, 0.6 * x + rng.standard_normal(n)


@pytest.mark.parametrize("n,seed", [(2, 0), (10, 1), (1000, 2), (100000, 3)],
                         ids=["2", "10", "1000", "1e5"])
def test_covariance_correlation_vs_numpy(n, seed):
    x, y = _xy(n, seed)
    w = np.random.default_rng(seed).integers(1, 4, n)
    # n-term sums: n·eps relative to sqrt(var x var y)
    scale = np.std(x) * np.std(y)
    assert covariance(x, y) == pytest.approx(np.cov(x, y)[0, 1], abs=4 * n * EPS * scale)
    assert covariance(x, y, w) == pytest.approx(np.cov(x, y, fweights=w)[0, 1],
                                                abs=4 * n * EPS * scale)
    assert correlation(x, y, w) == pytest.approx(
        np.corrcoef(np.repeat(x, w), np.repeat(y, w))[0, 1], abs=8 * n * EPS)


def test_huge_offset_keeps_digits():
    x, y = _xy(1000, 4)
    want = np.cov(x, y)[0, 1]
    # the offset data differ from x by the rounding of x + 1e9 (|err| <= ulp/2 = 6e-8)
    xo, yo = x + 1e9, y + 1e9
    exact = np.cov(xo - 1e9, yo - 1e9)[0, 1]
    assert covariance(xo, yo) == pytest.approx(exact, rel=1e-12)
    assert abs(exact - want) < 1e-6


def test_bivariate_moment_vs_numpy():
    x, y = _xy(500, 5)
    w = np.random.default_rng(5).random(500)
    mx, my = np.average(x, weights=w), np.average(y, weights=w)
    want = np.average((x - mx) ** 2 * (y - my), weights=w)
    assert bivariate_moment(2, 1, x, y, w) == pytest.approx(want, rel=1e-12)


@pytest.mark.parametrize("ties", [False, True], ids=["distinct", "ties"])
@pytest.mark.parametrize("n", [2, 3, 17, 1000, 20000], ids=["2", "3", "17", "1000", "20000"])
def test_kendall_vs_scipy(n, ties):
    x, y = _xy(n, n, ties)
    # counts are exact integers: only the final division and sqrt round
    assert kendall(x, y, variant="b") == pytest.approx(
        ss.kendalltau(x, y).statistic, rel=4 * EPS, abs=4 * EPS)
    if not ties:
        assert kendall(x, y) == pytest.approx(
            ss.kendalltau(x, y).statistic, rel=4 * EPS, abs=4 * EPS)


def _kendall_naive(x, y, w, variant):
    n0 = n1 = n2 = num = 0.0
    for i in range(len(x)):
        for j in range(i + 1, len(x)):
            ww = w[i] * w[j]
            sx, sy = np.sign(x[j] - x[i]), np.sign(y[j] - y[i])
            n0 += ww
            n1 += ww * (sx == 0)
            n2 += ww * (sy == 0)
            num += ww * sx * sy
    return num / n0 if variant == "a" else num / math.sqrt((n0 - n1) * (n0 - n2))


@pytest.mark.parametrize("variant", ["a", "b"])
@pytest.mark.parametrize("ties", [False, True], ids=["distinct", "ties"])
def test_weighted_kendall_vs_pairwise_definition(variant, ties):
    x, y = _xy(120, 7, ties)
    w = np.random.default_rng(7).random(120)
    assert kendall(x, y, w, variant=variant) == pytest.approx(
        _kendall_naive(x, y, w, variant), rel=1e-12, abs=1e-14)


def test_kendall_tau_b_weights_equal_repeats_and_gonum_example():
    x, y = _xy(200, 8, ties=True)
    w = np.random.default_rng(8).integers(0, 4, 200)
    assert kendall(x, y, w, variant="b") == pytest.approx(
        ss.kendalltau(np.repeat(x, w), np.repeat(y, w)).statistic, rel=1e-13)
    # Gonum stat_test.go TestKendall (no ties): x, y and the tau-a it publishes
    gx = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    gy = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]
    assert kendall(gx, gy) == -1.0
    assert kendall([1, 2, 3, 4, 5], [2, 3, 4, 5, 6]) == 1.0


@pytest.mark.parametrize("ties", [False, True], ids=["distinct", "ties"])
def test_spearman_vs_scipy_and_repeats(ties):
    x, y = _xy(3000, 9, ties)
    assert spearman(x, y) == pytest.approx(ss.spearmanr(x, y).statistic, abs=1e-13)
    w = np.random.default_rng(9).integers(0, 3, 3000)
    assert spearman(x, y, w) == pytest.approx(
        ss.spearmanr(np.repeat(x, w), np.repeat(y, w)).statistic, abs=1e-12)


def test_linear_regression_vs_linregress():
    x, y = _xy(1000, 10)
    lr = ss.linregress(x, y)
    alpha, beta = linear_regression(x, y)
    assert alpha == pytest.approx(lr.intercept, abs=1e-13)
    assert beta == pytest.approx(lr.slope, rel=1e-13)
    assert r_squared(x, y, alpha, beta) == pytest.approx(lr.rvalue ** 2, rel=1e-12)
    assert r_squared_from(alpha + beta * x, y) == pytest.approx(lr.rvalue ** 2, rel=1e-12)
    w = np.random.default_rng(10).integers(1, 4, 1000)
    lw = ss.linregress(np.repeat(x, w), np.repeat(y, w))
    aw, bw = linear_regression(x, y, w)
    assert (aw, bw) == (pytest.approx(lw.intercept, abs=1e-13), pytest.approx(lw.slope, rel=1e-13))
    _, b0 = linear_regression(x, y, origin=True)
    assert b0 == pytest.approx(np.dot(x, y) / np.dot(x, x), rel=1e-14)
    assert r_nought_squared(x, y, b0) == pytest.approx(
        np.sum((b0 * x) ** 2) / np.sum(y ** 2), rel=1e-14)


# Gonum roc_test.go TestROC cases: (y, classes, weights, cutoffs, tpr, fpr, thresholds)
_Y1 = [0, 3, 5, 6, 7.5, 8]
_C1 = [False, True, False, True, True, True]
_W1 = [4, 1, 6, 3, 2, 2]
_Y6 = [0, 3, 6, 6, 6, 8]
_Y12 = [0.1, 0.35, 0.4, 0.8]
_C12 = [True, False, True, False]
ROC_CASES = [
    (_Y1, _C1, None, None, [0, .25, .5, .75, .75, 1, 1], [0, 0, 0, 0, .5, .5, 1],
     [INF, 8, 7.5, 6, 5, 3, 0]),
    (_Y1, _C1, _W1, None, [0, .25, .5, .875, .875, 1, 1], [0, 0, 0, 0, .6, .6, 1],
     [INF, 8, 7.5, 6, 5, 3, 0]),
    (_Y1, _C1, None, [-1, 2, 4, 6, 8], [.25, .75, .75, 1, 1], [0, 0, .5, .5, 1],
     [8, 6, 4, 2, -1]),
    (_Y1, _C1, _W1, [-1, 1, 2, 3, 4, 5, 6, 7, 8], [.25, .5, .875, .875, .875, 1, 1, 1, 1],
     [0, 0, 0, .6, .6, .6, .6, .6, 1], [8, 7, 6, 5, 4, 3, 2, 1, -1]),
    (_Y6, _C1, _W1, None, [0, .25, .875, 1, 1], [0, 0, .6, .6, 1], [INF, 8, 6, 3, 0]),
    (_Y6, _C1, None, [-1, 1, 2, 3, 4, 5, 6, 7, 8], [.25, .25, .75, .75, .75, 1, 1, 1, 1],
     [0, 0, .5, .5, .5, .5, .5, .5, 1], [8, 7, 6, 5, 4, 3, 2, 1, -1]),
    (_Y12, _C12, None, None, [0, 0, .5, .5, 1], [0, .5, .5, 1, 1],
     [INF, .8, .4, .35, .1]),
    ([.01, .02, .03, .04, .05, .06, 10], [False, True, False, False, True, True, False],
     None, [-1, 2.5, 5, 7.5, 10], [0, 0, 0, 0, 1], [.25, .25, .25, .25, 1],
     [10, 7.5, 5, 2.5, -1]),
    ([1, 2], [False, False], None, None, [NAN, NAN, NAN], [0, .5, 1], [INF, 2, 1]),
    ([1], [True], None, None, [0, 1], [NAN, NAN], [INF, 1]),
    (_Y12, _C12, None, [-1, .1, .35, .4, .8, .9, 1, 1.1, 1.2],
     [0, 0, 0, 0, 0, .5, .5, 1, 1], [0, 0, 0, 0, .5, .5, 1, 1, 1],
     [1.2, 1.1, 1, .9, .8, .4, .35, .1, -1]),
    (_Y12, _C12, None, [-INF, .1, .36, .8], [0, .5, 1, 1], [.5, .5, 1, 1],
     [.8, .36, .1, -INF]),
]


@pytest.mark.parametrize("case", ROC_CASES, ids=[f"gonum{i}" for i in range(len(ROC_CASES))])
def test_roc_gonum_cases(case):
    y, c, w, cut, tpr, fpr, thr = case
    got = roc(y, c, weights=w, cutoffs=cut)
    for g, want in zip(got, (tpr, fpr, thr), strict=True):
        np.testing.assert_allclose(g, want, rtol=0, atol=1e-14)  # Gonum's own tolerance


def test_roc_sorts_unsorted_input():
    rng = np.random.default_rng(11)
    perm = rng.permutation(6)
    got = roc(np.array(_Y1)[perm], np.array(_C1)[perm], np.array(_W1, float)[perm])
    want = roc(_Y1, _C1, _W1)
    for g, v in zip(got, want, strict=True):
        assert np.array_equal(g, v)
    assert all(a.size == 0 for a in roc([], []))


TOC_CASES = [
    ([True] * 5, None, [0, 1, 2, 3, 4, 5], [0, 1, 2, 3, 4, 5], [0, 1, 2, 3, 4, 5]),
    ([False] * 5, None, [0] * 6, [0] * 6, [0] * 6),
    ([False, False, False, True, False, True], [2, 2, 3, 6, 1, 4], [0, 0, 0, 3, 6, 8, 10],
     [0, 4, 4, 10, 10, 10, 10], [0, 4, 5, 10, 10, 10, 10]),
]


@pytest.mark.parametrize("case", TOC_CASES, ids=["all-true", "all-false", "weighted"])
def test_toc_gonum_cases(case):
    c, w, lo, ntp, hi = case
    got = toc(c, w)
    for g, want in zip(got, (lo, ntp, hi), strict=True):
        assert np.array_equal(g, want)
    assert all(a.size == 0 for a in toc([]))


def test_thread_count_does_not_change_bits():
    x, y = _xy(200000, 12)
    out = []
    for nt in (1, 2):
        _openmp.set_num_threads(nt)
        try:
            out.append((covariance(x, y), correlation(x, y), linear_regression(x, y)))
        finally:
            _openmp.set_num_threads(0)
    assert out[0] == out[1]


def test_nan_policy():
    x, y = _xy(50, 13)
    x[4] = np.nan
    assert math.isnan(covariance(x, y)) and math.isnan(kendall(x, y))
    assert math.isnan(spearman(x, y))
    keep = ~np.isnan(x)
    assert correlation(x, y, nan_policy="omit") == pytest.approx(
        np.corrcoef(x[keep], y[keep])[0, 1], abs=1e-14)
    assert kendall(x, y, nan_policy="omit") == pytest.approx(
        ss.kendalltau(x[keep], y[keep]).statistic, rel=4 * EPS)
    with pytest.raises(ValueError, match="pair 4 holds NaN"):
        covariance(x, y, nan_policy="raise")


@pytest.mark.parametrize(
    "call,exc,match",
    [(lambda: covariance([1, 2, 3], [1, 2]), ValueError, "same length; got 3 and 2"),
     (lambda: correlation([1.0], [2.0]), ValueError, "at least 2 pairs"),
     (lambda: kendall([1, 2], [1, 2], variant="c"), ValueError, "'a' or 'b'"),
     (lambda: covariance([1, 2], [1, 2], [1, -1]), ValueError, "non-negative"),
     (lambda: spearman([[1, 2]], [[1, 2]]), ValueError, "must be 1-D"),
     (lambda: linear_regression([1, 2], [1, 2], [1, 2, 3]), ValueError, "same length as x"),
     (lambda: roc([1, 2], [True]), ValueError, "classes must be 1-D of the same length"),
     (lambda: roc([1, 2], [True, False], cutoffs=[2, 1]), ValueError, "sorted ascending"),
     (lambda: roc([1, np.nan], [True, False]), ValueError, "y holds NaN"),
     (lambda: toc([0, 2]), TypeError, "booleans")],
    ids=["length", "one-pair", "variant", "negative", "2d", "weights", "roc-len",
         "cutoffs", "roc-nan", "toc-class"])
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


@pytest.mark.filterwarnings("ignore::scipy.stats.ConstantInputWarning")
@settings(max_examples=60, deadline=None)
@given(n=st.integers(2, 40), seed=st.integers(0, 2**32 - 1), levels=st.integers(2, 10))
def test_property_kendall_spearman_vs_scipy(n, seed, levels):
    rng = np.random.default_rng(seed)
    x = rng.integers(0, levels, n).astype(float)
    y = rng.integers(0, levels, n).astype(float)
    tb = ss.kendalltau(x, y).statistic
    got = kendall(x, y, variant="b")
    assert (math.isnan(got) and math.isnan(tb)) or got == pytest.approx(tb, abs=1e-14)
    rs = ss.spearmanr(x, y).statistic
    got = spearman(x, y)
    assert (math.isnan(got) and math.isnan(rs)) or got == pytest.approx(rs, abs=1e-13)
