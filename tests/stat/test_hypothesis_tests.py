"""t_test, kolmogorov_smirnov, chi_square and correlation_test against scipy.stats
(the oracle: agreement to 1e-12 relative, the accuracy of both sides' special
functions on these arguments), and their rejection paths."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.stats as st
from scipy import special

from numkit.stat._tests import chi_square, correlation_test, kolmogorov_smirnov, t_test

RTOL = 1e-12
ALTS = ["two-sided", "less", "greater"]


def _close(res, statistic, pvalue, df=None):
    assert res.statistic == pytest.approx(statistic, rel=RTOL, abs=1e-300)
    assert res.pvalue == pytest.approx(pvalue, rel=RTOL, abs=1e-300)
    if df is not None:
        assert res.df == pytest.approx(df, rel=RTOL)


@pytest.mark.parametrize("alternative", ALTS)
@pytest.mark.parametrize("seed,n", [(0, 5), (1, 40), (2, 1000)], ids=["5", "40", "1000"])
def test_t_tests(seed, n, alternative):
    rng = np.random.default_rng(seed)
    x, y = rng.normal(0.2, 1.0, n), rng.normal(0.0, 2.0, n + 3)
    ref = st.ttest_1samp(x, 0.1, alternative=alternative)
    _close(t_test(x, mu=0.1, alternative=alternative), ref.statistic, ref.pvalue, n - 1)
    ref = st.ttest_rel(x, y[:n], alternative=alternative)
    _close(t_test(x, y[:n], paired=True, alternative=alternative), ref.statistic,
           ref.pvalue, n - 1)
    ref = st.ttest_ind(x, y, equal_var=False, alternative=alternative)
    _close(t_test(x, y, alternative=alternative), ref.statistic, ref.pvalue, ref.df)


def test_t_test_nan_policies():
    x = np.array([1.0, 2.0, np.nan, 4.0])
    assert math.isnan(t_test(x).statistic)
    ref = st.ttest_1samp([1.0, 2.0, 4.0], 0.0)
    _close(t_test(x, nan_policy="omit"), ref.statistic, ref.pvalue)
    with pytest.raises(ValueError, match=r"x\[2\] is NaN"):
        t_test(x, nan_policy="raise")


@pytest.mark.parametrize("alternative", ALTS)
@pytest.mark.parametrize("n,m", [(30, 45), (200, 150)], ids=["30-45", "200-150"])
def test_ks_two_sample(n, m, alternative):
    rng = np.random.default_rng(n)
    x, y = rng.normal(0, 1, n), rng.normal(0.3, 1.2, m)
    ref = st.ks_2samp(x, y, alternative=alternative, method="asymp")
    res = kolmogorov_smirnov(x, y, alternative=alternative)
    assert res.statistic == pytest.approx(ref.statistic, rel=RTOL)
    if alternative == "two-sided":
        # the limiting Kolmogorov distribution of sqrt(n_e)·D
        en = n * m / (n + m)
        assert res.pvalue == pytest.approx(st.kstwobign.sf(math.sqrt(en) * res.statistic),
                                           rel=RTOL)
    else:
        assert res.pvalue == pytest.approx(ref.pvalue, rel=RTOL)


def test_ks_weights_equal_repetition():
    rng = np.random.default_rng(4)
    x, y = rng.normal(size=20), rng.normal(size=15)
    wx = rng.integers(1, 4, 20).astype(float)
    res = kolmogorov_smirnov(x, y, x_weights=wx)
    ref = st.ks_2samp(np.repeat(x, wx.astype(int)), y)
    assert res.statistic == pytest.approx(ref.statistic, rel=RTOL)


@pytest.mark.parametrize("alternative", ALTS)
def test_ks_one_sample(alternative):
    x = np.random.default_rng(5).normal(0.1, 1, 60)
    res = kolmogorov_smirnov(x, special.ndtr, alternative=alternative)
    method = "asymp" if alternative == "two-sided" else "exact"
    ref = st.kstest(x, "norm", alternative=alternative, method=method)
    _close(res, ref.statistic, ref.pvalue)


@pytest.mark.parametrize("ddof", [0, 1])
def test_chi_square(ddof):
    obs = np.array([16, 18, 16, 14, 12, 12.0])
    exp = np.array([15, 15, 15, 15, 15, 15.0]) * obs.sum() / 90
    for e in (None, exp):
        ref = st.chisquare(obs, e, ddof=ddof)
        _close(chi_square(obs, e, ddof=ddof), ref.statistic, ref.pvalue, 5 - ddof)


@pytest.mark.parametrize("alternative", ALTS)
@pytest.mark.parametrize("n", [3, 25, 500])
def test_correlation_test(n, alternative):
    rng = np.random.default_rng(n)
    x = rng.normal(size=n) + 1e6
    y = 0.3 * x + rng.normal(size=n)
    ref = st.pearsonr(x, y, alternative=alternative)
    _close(correlation_test(x, y, alternative=alternative), ref.statistic, ref.pvalue,
           n - 2)


def test_correlation_constant_warns():
    with pytest.warns(RuntimeWarning, match="constant"):
        res = correlation_test([1.0, 1.0, 1.0], [1.0, 2.0, 3.0])
    assert math.isnan(res.statistic) and math.isnan(res.pvalue)


BAD = [
    (lambda: t_test([1.0]), r"at least two values; x has 1"),
    (lambda: t_test([1.0, 2.0], [1.0]), r"at least two values in each sample"),
    (lambda: t_test([1.0, 2.0], paired=True), r"paired=True needs a second sample"),
    (lambda: t_test([1.0, 2.0], [1.0, 2.0, 3.0], paired=True), r"same length"),
    (lambda: t_test([1.0, 2.0], alternative="two"), r"alternative"),
    (lambda: kolmogorov_smirnov([], [1.0]), r"x is empty"),
    (lambda: kolmogorov_smirnov([1.0, np.nan], [1.0]), r"x\[1\] is NaN"),
    (lambda: kolmogorov_smirnov([1.0], [1.0], x_weights=[1.0, 2.0]), r"same length"),
    (lambda: kolmogorov_smirnov([1.0], special.ndtr, x_weights=[1.0]),
     r"weights are for the two-sample test"),
    (lambda: chi_square([1.0, 2.0], [1.0, 2.0, 3.0]), r"2 categories but expected has 3"),
    (lambda: chi_square([1.0]), r"leave 0 degrees of freedom"),
    (lambda: chi_square([1.0, 2.0], [0.0, 3.0]), r"expected\[0\] = 0.0"),
    (lambda: chi_square([1.0, 2.0], [1.0, 3.0]), r"differ by more than a relative 1e-8"),
    (lambda: correlation_test([1.0, 2.0], [1.0, 2.0]), r"at least three pairs"),
    (lambda: correlation_test([1.0, 2.0, 3.0], [1.0, 2.0]), r"x has 3 values but y has 2"),
]


@pytest.mark.parametrize("call,match", BAD, ids=[
    "t-one", "welch-one", "paired-no-y", "paired-length", "alternative", "ks-empty",
    "ks-nan", "ks-weights", "ks-cdf-weights", "chi-length", "chi-df", "chi-zero",
    "chi-totals", "corr-few", "corr-length"])
def test_rejections(call, match):
    with pytest.raises(ValueError, match=match):
        call()
