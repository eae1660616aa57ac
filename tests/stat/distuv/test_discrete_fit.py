"""numkit.stat.distuv discrete distributions, discrete quantiles, and ``fit``."""

import math

import numpy as np
import pytest
from scipy import special, stats

from numkit.stat import distuv as du

EPS = np.finfo(float).eps

DISCRETE = [
    (du.Poisson(3.7), stats.poisson(3.7)),
    (du.Poisson(1e4), stats.poisson(1e4)),
    (du.Binomial(20, 0.3), stats.binom(20, 0.3)),
    (du.Binomial(1000, 0.01), stats.binom(1000, 0.01)),
    (du.Bernoulli(0.3), stats.bernoulli(0.3)),
]
IDS = [repr(d) for d, _ in DISCRETE]


@pytest.mark.parametrize(("dist", "oracle"), DISCRETE, ids=IDS)
def test_discrete_matches_scipy(dist, oracle):
    lo, hi = oracle.ppf([1e-9, 1 - 1e-9])
    k = np.arange(lo, hi + 1.0)
    # pmf is exp of a sum of terms as large as k·log λ and log k! that cancel: its
    # relative error is ~eps times their magnitude (2e5 for λ = 1e4, so 1e-10);
    # gammaincc/betainc are accurate to ~1e-13.
    n = getattr(dist, "n", 0.0)
    terms = (np.abs(k) + dist.mean()) * 10 + special.gammaln(k + 1) + special.gammaln(n + 1)
    rtol = 1e-13 + 8 * EPS * terms
    assert (np.abs(dist.prob(k) - oracle.pmf(k)) <= rtol * oracle.pmf(k)).all()
    np.testing.assert_allclose(dist.cdf(k + 0.5), oracle.cdf(k), rtol=1e-12)
    np.testing.assert_allclose(dist.survival(k), oracle.sf(k), rtol=1e-12)
    assert (dist.prob(k + 0.5) == 0).all() and dist.prob(-1.0) == 0.0
    assert dist.log_prob(2.5) == -math.inf


@pytest.mark.parametrize(("dist", "oracle"), DISCRETE, ids=IDS)
def test_discrete_quantile_is_smallest_k_with_cdf_at_least_p(dist, oracle):
    p = np.concatenate((np.linspace(0, 1, 101), [1e-12, 1 - 1e-12, 0.5 + 1e-15]))
    k = dist.quantile(p)
    if not isinstance(dist, du.Bernoulli):  # ties at p = 1 − p_success round either way
        # scipy's ppf(0) is one below the support; the smallest k with cdf(k) ≥ 0 is 0
        np.testing.assert_array_equal(k, np.where(p == 0, 0.0, oracle.ppf(p)))
    inner = (p > 0) & (p < 1)
    assert (dist.cdf(k[inner]) >= p[inner] * (1 - 4 * EPS)).all()
    assert (dist.cdf(k[inner] - 1) < p[inner]).all()
    assert [dist.quantile(float(v)) for v in p] == k.tolist()


def test_discrete_quantile_edges():
    assert du.Poisson(2.0).quantile(1.0) == math.inf
    assert du.Poisson(2.0).quantile(0.0) == 0.0
    assert du.Binomial(7, 0.4).quantile(1.0) == 7.0
    assert du.Binomial(7, 0.0).quantile(0.5) == 0.0 and du.Binomial(7, 1.0).quantile(0.5) == 7.0
    assert du.Bernoulli(0.0).quantile(1.0) == 0.0
    assert math.isnan(du.Poisson(2.0).quantile(1.5))


# Gonum's published values: stat/distuv/poisson_test.go (TestPoissonProb, TestPoissonCDF).
GONUM_POISSON = [
    (0, 1, 3.678794411714423e-01, 0.367879441171442),
    (3, 1, 6.131324019524039e-02, 0.981011843123846),
    (9, 1, 1.013777119630298e-06, 0.999999888574522),
    (0, 2.5, 8.208499862389880e-02, 0.082084998623899),
    (4, 2.5, 1.336018857810853e-01, 0.891178018914151),
    (9, 2.5, 8.629007379834082e-04, 0.999722647905379),
]


@pytest.mark.parametrize(("k", "lam", "prob", "cdf"), GONUM_POISSON,
                         ids=[f"k={c[0]},lambda={c[1]}" for c in GONUM_POISSON])
def test_gonum_poisson_values(k, lam, prob, cdf):
    d = du.Poisson(lam)
    # Gonum's tolerance, 1e-10 absolute
    assert d.prob(float(k)) == pytest.approx(prob, abs=1e-10)
    assert d.cdf(float(k)) == pytest.approx(cdf, abs=1e-10)
    assert d.prob(k + 0.5) == 0.0


@pytest.mark.filterwarnings("ignore:expect\\(\\). sum did not converge")
@pytest.mark.parametrize(("dist", "oracle"), DISCRETE, ids=IDS)
def test_discrete_moments_and_entropy(dist, oracle):
    m, v, s, k = (float(t) for t in oracle.stats(moments="mvsk"))
    np.testing.assert_allclose([dist.mean(), dist.variance(), dist.skewness(),
                                dist.ex_kurtosis()], [m, v, s, k], rtol=1e-12)
    want = oracle.entropy()
    if isinstance(dist, du.Poisson) and dist.lambda_ > 1e3:
        # scipy truncates its sum here (6.0216 for λ = 1e4); the asymptotic series
        # ½log(2πeλ) − 1/(12λ) − 1/(24λ²) − … is exact to O(λ⁻³)
        lam = dist.lambda_
        want = 0.5 * math.log(2 * math.pi * math.e * lam) - 1 / (12 * lam) - 1 / (24 * lam**2)
    # each pmf carries ~eps·10·(k + λ) relative error (see test_discrete_matches_scipy)
    np.testing.assert_allclose(dist.entropy(), want, rtol=1e-12 + 8 * EPS * 20 * dist.mean())
    np.testing.assert_allclose(dist.median(), oracle.median())
    x = dist.rand(100_000, rng=11)
    assert abs(x.mean() - m) <= 5 * math.sqrt(v / x.size)
    assert (x == np.floor(x)).all()
    # an integer λ has two modes of equal mass: allow the pmf's rounding (1e-10)
    pmf_mode = dist.prob(dist.mode()) * (1 + 1e-10)
    assert pmf_mode >= dist.prob(dist.mode() + 1) and pmf_mode >= dist.prob(dist.mode() - 1)


def test_poisson_entropy_asymptotic_branch():
    lam = 1e7
    series = du.Poisson(lam).entropy()
    want = 0.5 * math.log(2 * math.pi * math.e * lam) - 1 / (12 * lam) - 1 / (24 * lam**2)
    assert series == pytest.approx(want, rel=1e-15)
    # and the summed branch agrees with the series where both apply
    lam = 1e5
    want = 0.5 * math.log(2 * math.pi * math.e * lam) - 1 / (12 * lam) - 1 / (24 * lam**2)
    assert du.Poisson(lam).entropy() == pytest.approx(want, rel=8 * EPS * 20 * lam)


def test_categorical():
    d = du.Categorical([1.0, 0.0, 3.0, 4.0])
    p = np.array([0.125, 0.0, 0.375, 0.5])
    k = np.arange(4.0)
    np.testing.assert_array_equal(d.prob(k), p)
    assert d.prob(1.5) == 0.0 and d.prob(7.0) == 0.0 and type(d.prob(2.0)) is float
    np.testing.assert_allclose(d.cdf(k), np.cumsum(p))
    np.testing.assert_allclose(d.survival(k), 1 - np.cumsum(p), atol=1e-16)
    assert d.quantile([0.0, 0.125, 0.13, 1.0]).tolist() == [0.0, 0.0, 2.0, 3.0]
    assert d.mean() == pytest.approx(np.dot(p, k), rel=1e-15)
    assert d.variance() == pytest.approx(np.dot(p, (k - d.mean()) ** 2), rel=1e-15)
    assert d.entropy() == pytest.approx(stats.entropy(p), rel=1e-15)
    assert d.mode() == 3.0 and d.num_parameters() == 4
    x = d.rand(50_000, rng=5)
    assert abs(x.mean() - d.mean()) <= 5 * d.std_dev() / math.sqrt(x.size)
    np.testing.assert_allclose(du.Categorical.fit(x).weights, p, atol=5 * 0.5 / math.sqrt(5e4))
    for bad, msg in (([], "non-empty 1-D"), ([1.0, -1.0], "non-negative"),
                     ([0.0, 0.0], "sum to zero")):
        with pytest.raises(ValueError, match=msg):
            du.Categorical(bad)
    with pytest.raises(NotImplementedError, match="Categorical.score"):
        d.score(1.0)


def test_discrete_invalid_parameters():
    with pytest.raises(ValueError, match=r"Binomial: n must be a non-negative integer; got 2\.5"):
        du.Binomial(2.5, 0.5)
    with pytest.raises(ValueError, match=r"Binomial: p must be a probability in \[0, 1\]"):
        du.Binomial(3, 1.5)
    with pytest.raises(ValueError, match=r"Poisson: lambda_ must be positive"):
        du.Poisson(0.0)
    with pytest.raises(ValueError, match=r"Bernoulli: p must be a probability"):
        du.Bernoulli(-0.1)


# --- fit -------------------------------------------------------------------------

N_FIT = 20_000
FIT_CASES = [
    du.Normal(1.0, 2.0), du.LogNormal(0.5, 0.4), du.Exponential(3.0), du.Gamma(2.5, 4.0),
    du.Gamma(0.3, 1.0), du.Beta(2.0, 5.0), du.ChiSquared(4.5), du.StudentsT(1.0, 2.0, 6.0),
    du.F(6.0, 15.0), du.Weibull(1.7, 3.0), du.Laplace(-1.0, 0.7), du.Logistic(2.0, 1.5),
    du.Pareto(2.0, 5.0), du.Gumbel(1.0, 2.0), du.InverseGamma(5.0, 2.0),
    du.Uniform(-1.0, 3.0), du.Triangle(1.0, 4.0, 2.0), du.Poisson(3.5), du.Bernoulli(0.3),
]


@pytest.mark.parametrize("dist", FIT_CASES, ids=repr)
def test_fit_recovers_parameters(dist):
    x = dist.rand(N_FIT, rng=np.random.default_rng(99))
    fitted = type(dist).fit(x)
    assert type(fitted) is type(dist)
    # MLEs have standard errors c·θ/√n with c = O(1) (up to ~4 for StudentsT's ν and
    # F's d2): 10/√n ≈ 7 % relative bounds every parameter here at > 5 σ.
    np.testing.assert_allclose(fitted._params, dist._params, rtol=10 / math.sqrt(N_FIT),
                               atol=10 / math.sqrt(N_FIT))


# scipy's numerical fit with the location (and scale) fixed as numkit's parameterisation
# fixes them; numkit's MLE must reach at least scipy's log-likelihood.
SCIPY_FIT = [
    (du.Gamma(2.5, 4.0), lambda x: stats.gamma(*stats.gamma.fit(x, floc=0))),
    (du.Beta(0.8, 3.0), lambda x: stats.beta(*stats.beta.fit(x, floc=0, fscale=1))),
    (du.Weibull(1.7, 3.0), lambda x: stats.weibull_min(*stats.weibull_min.fit(x, floc=0))),
    (du.Gumbel(1.0, 2.0), lambda x: stats.gumbel_r(*stats.gumbel_r.fit(x))),
    (du.Logistic(2.0, 1.5), lambda x: stats.logistic(*stats.logistic.fit(x))),
    (du.StudentsT(1.0, 2.0, 4.0), lambda x: stats.t(*stats.t.fit(x))),
    (du.InverseGamma(5.0, 2.0), lambda x: stats.invgamma(*stats.invgamma.fit(x, floc=0))),
    (du.ChiSquared(4.5), lambda x: stats.chi2(*stats.chi2.fit(x, floc=0, fscale=1))),
]


@pytest.mark.parametrize(("dist", "scipy_fit"), SCIPY_FIT, ids=[repr(c[0]) for c in SCIPY_FIT])
def test_fit_likelihood_at_least_scipys(dist, scipy_fit):
    x = dist.rand(2_000, rng=np.random.default_rng(5))
    ours = type(dist).fit(x).log_prob(x).sum()
    theirs = scipy_fit(x).logpdf(x).sum()
    # the maximum is flat: a relative 1e-12 of the total covers rounding in the sums
    assert ours >= theirs - 1e-12 * abs(theirs)
    # and it is a stationary point: the mean score vanishes
    score = type(dist).fit(x).score(x).mean(axis=0)
    np.testing.assert_allclose(score, 0.0, atol=1e-6)


@pytest.mark.parametrize("dist", [du.Normal(1.0, 2.0), du.Gamma(2.0, 1.0), du.Beta(2.0, 3.0),
                                  du.Weibull(2.0, 1.0), du.Laplace(0.0, 1.0),
                                  du.Exponential(2.0), du.Gumbel(0.0, 1.0)], ids=repr)
def test_fit_integer_weights_equal_repetition(dist):
    x = dist.rand(300, rng=3)
    w = np.random.default_rng(4).integers(0, 4, x.size)
    a = type(dist).fit(x, weights=w)
    b = type(dist).fit(np.repeat(x, w))
    np.testing.assert_allclose(a._params, b._params, rtol=1e-9)


def test_fit_closed_forms():
    x = np.array([1.0, 2.0, 4.0, 8.0])
    assert du.Normal.fit(x) == du.Normal(3.75, math.sqrt(np.var(x)))
    assert du.Exponential.fit(x).rate == pytest.approx(1 / 3.75, rel=1e-15)
    assert du.Pareto.fit(x) == du.Pareto(1.0, 4.0 / np.log(x).sum())
    assert du.Uniform.fit(x) == du.Uniform(1.0, 8.0)
    assert du.Binomial.fit([0.0, 3.0, 5.0], n=10).p == pytest.approx(8 / 30, rel=1e-15)


@pytest.mark.parametrize(("call", "match"), [
    (lambda: du.Normal.fit([]), r"Normal\.fit: x is empty"),
    (lambda: du.Normal.fit([[1.0, 2.0]]), r"Normal\.fit: x must be 1-D"),
    (lambda: du.Normal.fit([1.0, np.nan]), r"NaN or infinity \(first at index 1\)"),
    (lambda: du.Normal.fit([1.0, 1.0]), r"all samples are equal"),
    (lambda: du.Gamma.fit([1.0, -1.0]), r"Gamma\.fit: x\[1\] = -1\.0 is outside the support"),
    (lambda: du.Beta.fit([0.5, 1.0]), r"outside the support \(0\.0, 1\.0\)"),
    (lambda: du.Normal.fit([1.0, 2.0], weights=[1.0]), r"same length as x \(2\)"),
    (lambda: du.Normal.fit([1.0, 2.0], weights=[1.0, -1.0]), r"non-negative"),
    (lambda: du.Normal.fit([1.0, 2.0], weights=[0.0, 0.0]), r"weights sum to zero"),
    (lambda: du.Poisson.fit([1.0, 2.5]), r"x\[1\] = 2\.5 is not an integer"),
    (lambda: du.Binomial.fit([1.0, 2.0]), r"pass the number of trials n="),
    (lambda: du.Triangle.fit([1.0]), r"at least two distinct samples"),
], ids=["empty", "2-D", "nan", "constant", "support", "open-support", "weights-length",
        "weights-negative", "weights-zero", "poisson-integer", "binomial-n", "triangle"])
def test_fit_rejects_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
