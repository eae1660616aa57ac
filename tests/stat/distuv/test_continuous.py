"""numkit.stat.distuv continuous distributions against scipy.stats (oracle only here),
mpmath tails, Gonum's published values, sampling moments and parameter checks."""

import math
import pickle

import mpmath
import numpy as np
import pytest
from scipy import stats

from numkit.stat import distuv as du

EPS = np.finfo(float).eps

# (numkit distribution, the same distribution in scipy.stats)
CASES = [
    (du.Normal(0.5, 2.0), stats.norm(0.5, 2.0)),
    (du.LogNormal(0.3, 0.8), stats.lognorm(0.8, scale=math.exp(0.3))),
    (du.Uniform(-1.0, 3.0), stats.uniform(-1.0, 4.0)),
    (du.Exponential(2.5), stats.expon(scale=0.4)),
    (du.Gamma(2.5, 4.0), stats.gamma(2.5, scale=0.25)),
    (du.Gamma(0.5, 1.0), stats.gamma(0.5)),
    (du.Beta(2.0, 5.0), stats.beta(2.0, 5.0)),
    (du.Beta(0.5, 0.7), stats.beta(0.5, 0.7)),
    (du.ChiSquared(3.0), stats.chi2(3.0)),
    (du.StudentsT(1.0, 2.0, 5.0), stats.t(5.0, 1.0, 2.0)),
    (du.StudentsT(0.0, 1.0, 9.5), stats.t(9.5)),
    (du.F(5.0, 12.0), stats.f(5.0, 12.0)),
    (du.Weibull(1.7, 3.0), stats.weibull_min(1.7, scale=3.0)),
    (du.Laplace(-1.0, 0.7), stats.laplace(-1.0, 0.7)),
    (du.Logistic(2.0, 1.5), stats.logistic(2.0, 1.5)),
    (du.Pareto(2.0, 5.0), stats.pareto(5.0, scale=2.0)),
    (du.Triangle(1.0, 4.0, 2.0), stats.triang(1.0 / 3.0, 1.0, 3.0)),
    (du.Gumbel(1.0, 2.0), stats.gumbel_r(1.0, 2.0)),
    (du.InverseGamma(5.0, 2.0), stats.invgamma(5.0, scale=2.0)),
]
IDS = [repr(d) for d, _ in CASES]
P_GRID = np.array([1e-12, 1e-6, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 1 - 1e-6])

# scipy.stats and numkit evaluate the same special functions (or closed forms) in
# different association orders; each is accurate to a few ulp of its inputs, so the
# two may differ by ~eps times the condition number of f at x, |x f'(x) / f(x)|
# (up to 5e6 for Pareto's cdf just above xm), plus the special functions' own
# error (~1e-13 relative for the incomplete beta and gamma functions).
SPECIAL_RTOL = 1e-12


def _tolerance(dist, method, x):
    pdf = dist.prob(x)
    value = {"cdf": dist.cdf, "survival": dist.survival}.get(method)
    if value is None:  # prob, log_prob: d/dx log p is the score in x, ~(1 + |z|)/scale
        cond = np.abs(x) * (1 + np.abs(x - dist.mean() if np.isfinite(dist.mean()) else x)
                            ) / dist.std_dev() ** 2 if np.isfinite(dist.variance()) else 1.0
        if method == "log_prob":
            cond = cond / np.maximum(np.abs(dist.log_prob(x)), 1.0)
    else:
        cond = np.abs(x) * pdf / value(x)
    return SPECIAL_RTOL + 16 * EPS * cond


def _points(oracle):
    x = oracle.ppf(P_GRID)
    return x[np.isfinite(x)]


@pytest.mark.parametrize(("dist", "oracle"), CASES, ids=IDS)
@pytest.mark.parametrize("method", ["prob", "log_prob", "cdf", "survival"])
def test_matches_scipy(dist, oracle, method):
    x = _points(oracle)
    want = getattr(oracle, {"prob": "pdf", "log_prob": "logpdf", "cdf": "cdf",
                            "survival": "sf"}[method])(x)
    got = getattr(dist, method)(x)
    rtol = _tolerance(dist, method, x)
    if method == "survival" and isinstance(dist, du.Triangle):
        # scipy's triang.sf is 1 − cdf: its error is eps absolute, not relative
        rtol = rtol + 2 * EPS / want
    assert (np.abs(got - want) <= rtol * np.abs(want)).all(), (got, want, rtol)


@pytest.mark.parametrize(("dist", "oracle"), CASES, ids=IDS)
def test_quantile_matches_scipy_and_round_trips(dist, oracle):
    got = dist.quantile(P_GRID)
    np.testing.assert_allclose(got, oracle.ppf(P_GRID), rtol=1e-10)
    # cdf(quantile(p)) = p up to the inverses' tolerance (~1e-12 for the iterative
    # ones) plus the rounding of x amplified by cdf's condition number |x f / F|.
    cond = np.abs(got) * dist.prob(got) / P_GRID
    assert (np.abs(dist.cdf(got) - P_GRID) <= (1e-11 + 16 * EPS * cond) * P_GRID).all()


@pytest.mark.parametrize(("dist", "oracle"), CASES, ids=IDS)
def test_scalar_path_equals_array_path(dist, oracle):
    x = _points(oracle)
    for method in ("prob", "log_prob", "cdf", "survival"):
        scalar = [getattr(dist, method)(float(v)) for v in x]
        assert all(type(v) is float for v in scalar)
        np.testing.assert_array_equal(scalar, getattr(dist, method)(x))
    scalar_q = [dist.quantile(float(p)) for p in P_GRID]
    np.testing.assert_array_equal(scalar_q, dist.quantile(P_GRID))
    # numpy scalars and 0-d arrays take the array path and still return floats
    assert type(dist.cdf(np.float64(x[0]))) is float


@pytest.mark.parametrize(("dist", "oracle"), CASES, ids=IDS)
def test_array_shape_and_layout(dist, oracle):
    x = _points(oracle)[:4]
    grid = np.asfortranarray(np.stack([x, x[::-1]]))
    out = dist.cdf(grid)
    assert out.shape == (2, 4)
    np.testing.assert_array_equal(out[1], dist.cdf(x[::-1]))
    strided = np.repeat(x, 2)[::2]
    np.testing.assert_array_equal(dist.log_prob(strided), dist.log_prob(x))
    ro = x.copy()
    ro.flags.writeable = False
    np.testing.assert_array_equal(dist.survival(ro), dist.survival(x))
    assert np.isnan(dist.cdf(np.nan)) and np.isnan(dist.quantile([1.5, -0.1, np.nan])).all()


@pytest.mark.parametrize(("dist", "oracle"), CASES, ids=IDS)
def test_moments_and_entropy_match_scipy(dist, oracle):
    mean, var, skew, kurt = (float(v) for v in oracle.stats(moments="mvsk"))
    # closed forms on both sides; Weibull's go through Γ(1 + i/k) and cancel in the
    # kurtosis (≈ 1e3 amplification), hence 1e-11.
    np.testing.assert_allclose([dist.mean(), dist.variance(), dist.skewness(),
                                dist.ex_kurtosis()], [mean, var, skew, kurt],
                               rtol=1e-11, atol=1e-13)
    np.testing.assert_allclose(dist.std_dev(), math.sqrt(var), rtol=1e-14)
    np.testing.assert_allclose(dist.entropy(), oracle.entropy(), rtol=1e-11, atol=1e-13)
    np.testing.assert_allclose(dist.median(), oracle.median(), rtol=1e-11)


@pytest.mark.parametrize(("dist", "oracle"), CASES, ids=IDS)
def test_mode_maximises_density(dist, oracle):
    m = dist.mode()
    if math.isnan(m):  # Uniform (every point) and Beta with a shape ≤ 1, as Gonum
        return
    lo, hi = oracle.support()
    step = 1e-4 * max(dist.std_dev(), 1e-300)
    near = np.clip([m - step, m + step], lo, hi)
    assert (dist.prob(near) <= dist.prob(m) * (1 + 1e-12)).all()


@pytest.mark.parametrize(("dist", "oracle"), CASES, ids=IDS)
def test_rand_moments_within_five_standard_errors(dist, oracle):
    n = 200_000
    x = dist.rand(n, rng=np.random.default_rng(7))
    assert x.shape == (n,) and x.dtype == np.float64
    sd = dist.std_dev()
    # standard error of the sample mean σ/√n; of the sample variance σ²√((κ + 2)/n)
    assert abs(x.mean() - dist.mean()) <= 5 * sd / math.sqrt(n)
    kurt = dist.ex_kurtosis()
    if math.isfinite(kurt):
        se_var = dist.variance() * math.sqrt((kurt + 2) / n)
        assert abs(x.var() - dist.variance()) <= 5 * se_var
    # seeded runs repeat; a scalar draw is a float
    np.testing.assert_array_equal(dist.rand(5, rng=3), dist.rand(5, rng=3))
    assert type(dist.rand(rng=1)) is float


@pytest.mark.parametrize(("dist", "oracle"), CASES, ids=IDS)
def test_score_is_gradient_of_log_prob(dist, oracle):
    x = oracle.ppf([0.1, 0.35, 0.6, 0.9])
    got = dist.score(x)
    assert got.shape == (4, dist.num_parameters())
    base = dist._params
    for j in range(dist.num_parameters()):
        h = 1e-6 * max(abs(base[j]), 1.0)
        up = list(base)
        down = list(base)
        up[j] += h
        down[j] -= h
        numeric = (type(dist)(*up).log_prob(x) - type(dist)(*down).log_prob(x)) / (2 * h)
        # central difference: truncation O(h²) plus rounding eps·|log p|/h ≈ 1e-10
        np.testing.assert_allclose(got[:, j], numeric, rtol=1e-6, atol=1e-6)
    assert dist.score(float(x[0])).shape == (dist.num_parameters(),)


def test_tails_against_mpmath():
    mpmath.mp.dps = 50
    checks = []
    n = du.Normal(0.0, 1.0)
    for z in (-37.0, -20.0, -8.0, 5.0):
        checks.append((n.cdf(z), mpmath.ncdf(z)))
    for z in (37.0, 20.0, 8.0):
        checks.append((n.survival(z), mpmath.ncdf(-z)))
    e = du.Exponential(2.0)
    checks.append((e.survival(345.0), mpmath.exp(-690)))
    checks.append((e.cdf(1e-300), -mpmath.expm1(-2e-300)))
    g = du.Gamma(3.0, 1.0)
    checks.append((g.survival(600.0), mpmath.gammainc(3, 600, mpmath.inf, regularized=True)))
    checks.append((g.cdf(1e-100), mpmath.gammainc(3, 0, 1e-100, regularized=True)))
    lg = du.Logistic(0.0, 1.0)
    checks.append((lg.survival(690.0), 1 / (1 + mpmath.exp(690))))
    gu = du.Gumbel(0.0, 1.0)
    checks.append((gu.survival(690.0), -mpmath.expm1(-mpmath.exp(-690))))
    wb = du.Weibull(2.0, 1.0)
    checks.append((wb.survival(26.0), mpmath.exp(-676)))
    lp = du.Laplace(0.0, 1.0)
    checks.append((lp.cdf(-690.0), 0.5 * mpmath.exp(-690)))
    tr = du.Triangle(1.0, 4.0, 2.0)
    checks.append((tr.survival(4.0 - 2.0 ** -40), mpmath.mpf(2.0 ** -80) / 6))
    pa = du.Pareto(1.0, 3.0)
    checks.append((pa.survival(1e100), mpmath.mpf(1e100) ** -3))
    got = np.array([c[0] for c in checks])
    want = np.array([float(c[1]) for c in checks])
    assert (want > 1e-308).all()
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_log_prob_finite_where_prob_underflows():
    assert du.Normal(0.0, 1.0).log_prob(1e3) == pytest.approx(-0.5e6 - 0.5 * math.log(2 * math.pi),
                                                              rel=1e-15)
    assert du.Normal(0.0, 1.0).prob(1e3) == 0.0
    assert du.Gamma(2.0, 1.0).log_prob(1e5) == pytest.approx(math.log(1e5) - 1e5, rel=1e-15)
    assert du.StudentsT(0.0, 1.0, 3.0).log_prob(1e200) > -2000
    # −(d2/2 + 1)·log(1e300) + log-normaliser: finite, though prob underflows
    assert du.F(3.0, 4.0).log_prob(1e300) == pytest.approx(
        stats.f(3.0, 4.0).logpdf(1e10) - 3.0 * math.log(1e290), rel=1e-9)


# Gonum's published values: stat/distuv/studentst_test.go (TestStudentsTProb, compared
# there with scipy) and norm_test.go's quantile table (standard normal).
GONUM_STUDENTS_T = [
    (0.01, 0, 1, 2.74, 0.364778548181318),
    (-0.01, 0, 1, 2.74, 0.364778548181318),
    (0.4, 0, 1, 1.6, 0.30376391362582678),
    (-0.4, 0, 1, 1.6, 0.30376391362582678),
    (0.2, 15, 5, 10, 0.0024440848858034393),
]


@pytest.mark.parametrize(("x", "mu", "sigma", "nu", "want"), GONUM_STUDENTS_T,
                         ids=[f"x={c[0]},nu={c[3]}" for c in GONUM_STUDENTS_T])
def test_gonum_students_t_prob(x, mu, sigma, nu, want):
    assert du.StudentsT(mu, sigma, nu).prob(x) == pytest.approx(want, rel=1e-10, abs=1e-10)


def test_students_t_variance_special_cases_as_gonum():
    assert math.isnan(du.StudentsT(0, 1, 1).variance())
    assert du.StudentsT(0, 1, 2).variance() == math.inf
    assert math.isnan(du.StudentsT(0, 1, 1).mean())


INVALID = [
    (du.Normal, (0.0, -1.0), ValueError, r"Normal: sigma must be positive and finite; got -1\.0"),
    (du.Normal, (math.nan, 1.0), ValueError, r"Normal: mu must be finite; got nan"),
    (du.Normal, ("a", 1.0), TypeError, r"Normal: mu must be a real number"),
    (du.LogNormal, (0.0, 0.0), ValueError, r"LogNormal: sigma must be positive"),
    (du.Uniform, (2.0, 1.0), ValueError, r"Uniform: min must be less than max"),
    (du.Uniform, (-1e308, 1e308), ValueError, r"Uniform: max - min overflows"),
    (du.Exponential, (0.0,), ValueError, r"Exponential: rate must be positive"),
    (du.Gamma, (1.0, math.inf), ValueError, r"Gamma: beta must be positive and finite; got inf"),
    (du.Gamma, (-2.0, 1.0), ValueError, r"Gamma: alpha must be positive"),
    (du.Beta, (1.0, 0.0), ValueError, r"Beta: beta must be positive"),
    (du.ChiSquared, (-1.0,), ValueError, r"ChiSquared: k must be positive"),
    (du.StudentsT, (0.0, 1.0, 0.0), ValueError, r"StudentsT: nu must be positive"),
    (du.F, (0.0, 1.0), ValueError, r"F: d1 must be positive"),
    (du.Weibull, (1.0, -2.0), ValueError, r"Weibull: lambda_ must be positive"),
    (du.Laplace, (0.0, 0.0), ValueError, r"Laplace: scale must be positive"),
    (du.Logistic, (0.0, -1.0), ValueError, r"Logistic: s must be positive"),
    (du.Pareto, (0.0, 1.0), ValueError, r"Pareto: xm must be positive"),
    (du.Triangle, (0.0, 1.0, 2.0), ValueError, r"Triangle: need a <= c <= b"),
    (du.Gumbel, (0.0, 0.0), ValueError, r"Gumbel: beta must be positive"),
    (du.InverseGamma, (1.0, 0.0), ValueError, r"InverseGamma: beta must be positive"),
    (du.Bernoulli, (True,), TypeError, r"Bernoulli: p must be a real number"),
]


@pytest.mark.parametrize(("cls", "args", "error", "match"), INVALID,
                         ids=[f"{c[0].__name__}{c[1]}" for c in INVALID])
def test_invalid_parameters(cls, args, error, match):
    with pytest.raises(error, match=match):
        cls(*args)


def test_value_semantics():
    d = du.Gamma(2.0, 3.0)
    assert d == du.Gamma(2, 3) and d != du.Gamma(2.0, 4.0) and d != du.Normal(2.0, 3.0)
    assert hash(d) == hash(du.Gamma(2.0, 3.0))
    assert pickle.loads(pickle.dumps(d)) == d
    assert repr(d) == "Gamma(alpha=2.0, beta=3.0)"
    assert (d.alpha, d.beta, d.num_parameters()) == (2.0, 3.0, 2)
    with pytest.raises(AttributeError):
        d.alpha = 5.0
    chi = du.ChiSquared(4.0)
    assert chi.k == 4.0 and chi.cdf(3.0) == du.Gamma(2.0, 0.5).cdf(3.0)


def test_keyword_names():
    assert du.Weibull(k=2.0, lambda_=3.0) == du.Weibull(2.0, 3.0)
    assert du.Triangle(a=0.0, b=2.0, c=0.5).mode() == 0.5
    assert du.Uniform(min=0.0, max=2.0).mean() == 1.0
