"""numkit.stat.distmv.Normal and StudentsT against scipy.stats, explicit numpy
formulas (Schur complements) and Gonum's published values."""

import math

import numpy as np
import pytest
from scipy import stats

from numkit.errors import NotPositiveDefiniteError, ShapeError
from numkit.mat import SymDense
from numkit.stat import distuv
from numkit.stat.distmv import Normal, StudentsT

EPS = np.finfo(float).eps
Z = 5.0  # 5 standard errors: a false failure has probability < 1e-6 per check


def random_spd(d, seed, cond=None):
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    ev = np.geomspace(1.0, cond, d) if cond else rng.uniform(0.5, 3.0, d)
    s = (q * ev) @ q.T
    return 0.5 * (s + s.T), rng.standard_normal(d)  # exactly symmetric


CASES = {
    "2d": (np.array([2.0, 3.0]), np.array([[3.0, -1.0], [-1.0, 2.0]])),
    "1d": (np.array([-1.5]), np.array([[0.25]])),
    "5d": random_spd(5, 1)[::-1],
    "10d-cond1e6": random_spd(10, 2, cond=1e6)[::-1],
}


def lp_tol(sigma, lp):
    """Absolute error bound of a log-density: the Mahalanobis term carries
    d·eps·cond(Σ) relative error, the rest a few eps."""
    d = sigma.shape[0]
    return 16 * d * EPS * np.linalg.cond(sigma) * (1 + np.abs(lp))


def sample_cov_tol(x):
    """Z standard errors of the sample mean and of each sample covariance entry,
    the latter from the sample's own fourth moments (CLT for (xi−mi)(xj−mj))."""
    n = x.shape[0]
    c = x - x.mean(axis=0)
    prod = c[:, :, None] * c[:, None, :]
    return Z * x.std(axis=0) / math.sqrt(n), Z * prod.std(axis=0) / math.sqrt(n)


# -- log_prob ---------------------------------------------------------------------

@pytest.mark.parametrize("name", CASES, ids=list(CASES))
def test_normal_log_prob_matches_scipy(name):
    mu, sigma = CASES[name]
    d = mu.size
    x = np.random.default_rng(3).multivariate_normal(mu, sigma, 200) * 1.5
    dist = Normal(mu, sigma)
    want = stats.multivariate_normal(mu, sigma).logpdf(x)
    got = dist.log_prob(x)
    assert got.shape == (200,)
    np.testing.assert_allclose(got, want, rtol=0, atol=lp_tol(sigma, want).max())
    single = dist.log_prob(x[0])
    assert isinstance(single, float) and abs(single - want[0]) <= lp_tol(sigma, want[0])
    np.testing.assert_allclose(dist.prob(x), np.exp(got), rtol=4 * EPS)
    stacked = dist.log_prob(x[:6].reshape(2, 3, d))
    np.testing.assert_array_equal(stacked, got[:6].reshape(2, 3))
    assert dist.log_prob(np.empty((0, d))).shape == (0,)


@pytest.mark.parametrize("loc, logprob", [
    (([0.0, 0.0], np.eye(2)), ([0.0, 0.0], -1.837877066409345)),
    (([6.0, 7.0], [[8.0, 2.0], [2.0, 4.0]]), ([6.0, 7.0], -3.503979321496947)),
    (([6.0, 7.0], [[8.0, 2.0], [2.0, 4.0]]), ([1.0, 2.0], -7.075407892925519)),
], ids=["standard", "at-mean", "off-mean"])
def test_normal_gonum_published_log_prob(loc, logprob):
    # Gonum stat/distmv/normal_test.go, TestNormProbs.
    x, want = logprob
    assert Normal(*loc).log_prob(x) == pytest.approx(want, rel=1e-14)


def test_normal_nan_point_propagates_by_row():
    dist = Normal([0.0, 0.0], [[2.0, 0.5], [0.5, 1.0]])
    got = dist.log_prob([[0.0, 0.0], [np.nan, 0.0], [1.0, 1.0]])
    assert np.isnan(got[1]) and np.isfinite(got[[0, 2]]).all()


def test_normal_accepts_symdense_and_ignores_nothing():
    sigma = np.array([[4.0, 1.0], [1.0, 3.0]])
    a = Normal([1.0, 2.0], SymDense(2, sigma.ravel().copy()))
    b = Normal([1.0, 2.0], sigma)
    assert a.log_prob([0.5, 0.5]) == b.log_prob([0.5, 0.5])
    np.testing.assert_array_equal(np.asarray(a.cov()), sigma)


@pytest.mark.parametrize("name", CASES, ids=list(CASES))
def test_normal_entropy_mean_cov(name):
    mu, sigma = CASES[name]
    dist = Normal(mu, sigma)
    want = stats.multivariate_normal(mu, sigma).entropy()
    assert dist.entropy() == pytest.approx(want, rel=0, abs=lp_tol(sigma, want))
    np.testing.assert_array_equal(dist.mean(), mu)
    cov = dist.cov()
    assert isinstance(cov, SymDense)
    np.testing.assert_allclose(np.asarray(cov), sigma, rtol=0, atol=4 * EPS * np.abs(sigma).max())
    assert dist.dim() == mu.size and repr(dist) == f"Normal(dim={mu.size})"


# -- rand -------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["2d", "5d"], ids=["2d", "5d"])
def test_normal_rand_moments(name):
    mu, sigma = CASES[name]
    x = Normal(mu, sigma).rand(100_000, rng=7)
    assert x.shape == (100_000, mu.size)
    mean_tol, cov_tol = sample_cov_tol(x)
    assert (np.abs(x.mean(axis=0) - mu) <= mean_tol).all()
    assert (np.abs(np.cov(x.T) - sigma) <= cov_tol).all()


def test_rand_shapes_and_rng():
    dist = Normal([0.0, 1.0, 2.0], np.eye(3))
    assert dist.rand().shape == (3,)
    assert dist.rand((4, 5)).shape == (4, 5, 3)
    np.testing.assert_array_equal(dist.rand(3, rng=11), dist.rand(3, rng=11))
    g1, g2 = np.random.default_rng(5), np.random.default_rng(5)
    np.testing.assert_array_equal(dist.rand(2, rng=g1), dist.rand(2, rng=g2))
    state = np.random.get_state()[1].copy()  # noqa: NPY002 - checks it is untouched
    dist.rand(10)
    np.testing.assert_array_equal(np.random.get_state()[1], state)  # noqa: NPY002


# -- marginal and conditional -----------------------------------------------------

def schur(mu, sigma, ob, values):
    """The conditional mean and covariance written out with numpy."""
    un = [i for i in range(mu.size) if i not in ob]
    s11, s12, s22 = sigma[np.ix_(un, un)], sigma[np.ix_(un, ob)], sigma[np.ix_(ob, ob)]
    diff = np.asarray(values) - mu[ob]
    return (mu[un] + s12 @ np.linalg.solve(s22, diff),
            s11 - s12 @ np.linalg.solve(s22, s12.T),
            diff @ np.linalg.solve(s22, diff))


COND = [([0], [1.9]), ([3, 1], [2.9, -0.4]), ([4, 0, 2], [0.1, 0.2, 3.0])]


@pytest.mark.parametrize("ob, values", COND, ids=["one", "two-unsorted", "three"])
def test_conditional_normal_matches_schur_complement(ob, values):
    sigma, mu = random_spd(5, 9)
    cond = Normal(mu, sigma).conditional_normal(ob, values)
    want_mu, want_cov, _ = schur(mu, sigma, ob, values)
    tol = 16 * 5 * EPS * np.linalg.cond(sigma) * np.abs(sigma).max()
    np.testing.assert_allclose(cond.mean(), want_mu, rtol=0, atol=tol * (1 + np.abs(values).max()))
    np.testing.assert_allclose(np.asarray(cond.cov()), want_cov, rtol=0, atol=tol)


@pytest.mark.parametrize("mu, sigma, ob, values, new_mu, new_sigma", [
    ([2, 3], [[2, 0], [0, 5]], [0], [10], [3], [[5]]),
    ([2, 3], [[2, 0], [0, 5]], [1], [10], [2], [[2]]),
    ([2, 3, 4], np.diag([2, 5, 10]), [1], [10], [2, 4], [[2, 0], [0, 10]]),
    ([2, 3, 4], np.diag([2, 5, 10]), [0, 1], [10, 15], [4], [[10]]),
    ([2, 3, 4, 5], [[2, .5, 0, 0], [.5, 5, 0, 0], [0, 0, 10, 2], [0, 0, 2, 3]],
     [0, 1], [10, 15], [4, 5], [[10, 2], [2, 3]]),
], ids=["obs0", "obs1", "3d-obs1", "3d-obs01", "4d-blocks"])
def test_conditional_normal_gonum_cases(mu, sigma, ob, values, new_mu, new_sigma):
    # Gonum stat/distmv/normal_test.go, TestConditionNormal (tolerance 1e-12 there).
    cond = Normal(mu, sigma).conditional_normal(ob, values)
    np.testing.assert_allclose(cond.mean(), new_mu, rtol=0, atol=1e-12)
    np.testing.assert_allclose(np.asarray(cond.cov()), new_sigma, rtol=0, atol=1e-12)


@pytest.mark.parametrize("rho", [0.9, -0.9], ids=["rho+", "rho-"])
def test_conditional_normal_bivariate_analytic(rho):
    # Gonum's analytic bivariate case: mean μ0 + ρ(σ0/σ1)(v − μ1), var (1 − ρ²)σ0².
    std, mu, v = [3.0, 5.0], [2.0, 3.0], 1000.0
    cov = [[9.0, 15.0 * rho], [15.0 * rho, 25.0]]
    c = Normal(mu, cov).conditional_normal([1], [v])
    assert c.mean()[0] == pytest.approx(mu[0] + rho * std[0] / std[1] * (v - mu[1]), rel=1e-14)
    assert c.cov().at(0, 0) == pytest.approx((1 - rho * rho) * 9.0, rel=1e-13)


@pytest.mark.parametrize("vars_", [[0], [3, 1], [0, 2, 4], [4, 3, 2, 1, 0]],
                         ids=["one", "two", "three", "all-reversed"])
def test_marginal_normal(vars_):
    sigma, mu = random_spd(5, 4)
    m = Normal(mu, sigma).marginal_normal(vars_)
    np.testing.assert_array_equal(m.mean(), mu[vars_])
    np.testing.assert_array_equal(np.asarray(m.cov()), sigma[np.ix_(vars_, vars_)])
    single = Normal(mu, sigma).marginal_normal_single(vars_[0])
    assert isinstance(single, distuv.Normal)
    assert single.mean() == mu[vars_[0]]
    assert single.std_dev() == pytest.approx(math.sqrt(sigma[vars_[0], vars_[0]]), rel=EPS)


# -- StudentsT --------------------------------------------------------------------

@pytest.mark.parametrize("nu", [0.5, 3.0, 30.0], ids=["nu0.5", "nu3", "nu30"])
@pytest.mark.parametrize("name", ["2d", "5d", "10d-cond1e6"], ids=["2d", "5d", "10d"])
def test_students_t_log_prob_matches_scipy(name, nu):
    mu, sigma = CASES[name]
    x = np.random.default_rng(5).multivariate_normal(mu, sigma, 100) * 2.0
    dist = StudentsT(mu, sigma, nu)
    want = stats.multivariate_t(mu, sigma, df=nu).logpdf(x)
    np.testing.assert_allclose(dist.log_prob(x), want, rtol=0, atol=lp_tol(sigma, want).max())
    assert dist.log_prob(x[1]) == pytest.approx(want[1], rel=0, abs=lp_tol(sigma, want[1]))
    np.testing.assert_allclose(dist.prob(x), np.exp(dist.log_prob(x)), rtol=4 * EPS)


def test_students_t_moments_and_rand():
    mu, sigma = CASES["5d"]
    dist = StudentsT(mu, sigma, 10.0)
    x = dist.rand(200_000, rng=13)
    want_cov = sigma * 10.0 / 8.0
    np.testing.assert_allclose(np.asarray(dist.cov()), want_cov, rtol=4 * EPS)
    np.testing.assert_array_equal(dist.mean(), mu)
    mean_tol, cov_tol = sample_cov_tol(x)
    assert (np.abs(x.mean(axis=0) - mu) <= mean_tol).all()
    assert (np.abs(np.cov(x.T) - want_cov) <= cov_tol).all()
    assert dist.nu == 10.0 and dist.rand().shape == (5,)


@pytest.mark.parametrize("nu, mean_nan, cov_value", [
    (1.0, True, np.nan), (1.5, False, np.inf), (2.0, False, np.inf),
], ids=["nu1", "nu1.5", "nu2"])
def test_students_t_undefined_moments(nu, mean_nan, cov_value):
    dist = StudentsT([1.0, 2.0], np.eye(2), nu)
    assert np.isnan(dist.mean()).all() == mean_nan
    np.testing.assert_array_equal(np.asarray(dist.cov()), np.full((2, 2), cov_value))


@pytest.mark.parametrize("ob, values", COND, ids=["one", "two-unsorted", "three"])
def test_conditional_students_t_matches_roth(ob, values):
    sigma, mu = random_spd(5, 9)
    nu = 4.5
    cond = StudentsT(mu, sigma, nu).conditional_student_t(ob, values)
    m, s, beta = schur(mu, sigma, ob, values)
    k = len(ob)
    tol = 16 * 5 * EPS * np.linalg.cond(sigma) * np.abs(sigma).max() * (1 + beta)
    assert cond.nu == nu + k
    np.testing.assert_allclose(cond.mu, m, rtol=0, atol=tol * (1 + np.abs(values).max()))
    scale = (nu + beta) / (nu + k)
    np.testing.assert_allclose(np.asarray(cond.cov()) * (nu + k - 2) / (nu + k), s * scale,
                               rtol=0, atol=tol)
    # The conditional density is the ratio joint / marginal of the observed part.
    full = StudentsT(mu, sigma, nu)
    un = [i for i in range(5) if i not in ob]
    point = np.empty(5)
    point[ob] = values
    point[un] = np.array([0.3, -0.2, 0.1, 0.5][:len(un)])
    ratio = full.log_prob(point) - full.marginal_student_t(ob).log_prob(values)
    assert cond.log_prob(point[un]) == pytest.approx(ratio, rel=0, abs=1e-11)


def test_marginal_students_t():
    sigma, mu = random_spd(4, 6)
    dist = StudentsT(mu, sigma, 7.0)
    m = dist.marginal_student_t([2, 0])
    np.testing.assert_array_equal(m.mu, mu[[2, 0]])
    assert m.nu == 7.0
    single = dist.marginal_student_t_single(1)
    assert isinstance(single, distuv.StudentsT)
    x = np.array([-1.0, 0.2, 3.0])
    np.testing.assert_allclose(single.log_prob(x),
                               dist.marginal_student_t([1]).log_prob(x[:, None]),
                               rtol=0, atol=64 * EPS)


# -- errors -----------------------------------------------------------------------

@pytest.mark.parametrize("args, exc, match", [
    (([0.0, 0.0], [[1.0, 2.0], [2.0, 1.0]]), NotPositiveDefiniteError,
     r"Normal: sigma is not positive definite"),
    (([0.0, 0.0], np.zeros((2, 2))), NotPositiveDefiniteError, r"not positive definite"),
    (([0.0, 0.0], np.eye(3)), ShapeError, r"sigma has shape \(3, 3\) but mu has length 2"),
    (([0.0, 0.0], [1.0, 1.0]), ShapeError, r"sigma must be 2×2"),
    (([[0.0, 0.0]], np.eye(2)), ShapeError, r"mu must be a non-empty 1-D array"),
    (([], np.eye(0)), ShapeError, r"mu must be a non-empty 1-D array; got shape \(0,\)"),
    (([0.0, np.nan], np.eye(2)), ValueError, r"mu must be finite; mu\[1\] is nan"),
    (([0.0, 0.0], [[1.0, np.inf], [0.0, 1.0]]), ValueError, r"sigma\[0, 1\] is inf"),
    (([0.0, 0.0], [[1.0, 0.5], [0.0, 1.0]]), ValueError, r"Normal: sigma is not a valid "
     r"covariance: .*not symmetric"),
    ((["a", "b"], np.eye(2)), TypeError, r"Normal: mu must be a real array-like"),
    (([0.0, 0.0], "x"), TypeError, r"Normal: sigma must be a real matrix"),
], ids=["indefinite", "singular", "sigma-size", "sigma-1d", "mu-2d", "empty", "mu-nan",
        "sigma-inf", "asymmetric", "mu-text", "sigma-text"])
def test_normal_constructor_errors(args, exc, match):
    with pytest.raises(exc, match=match):
        Normal(*args)


@pytest.mark.parametrize("nu, exc, match", [
    (0.0, ValueError, r"StudentsT: nu must be positive and finite; got 0.0"),
    (-1.0, ValueError, r"nu must be positive"),
    (np.inf, ValueError, r"nu must be positive and finite; got inf"),
    ("x", TypeError, r"StudentsT: nu must be a real number"),
], ids=["zero", "negative", "inf", "text"])
def test_students_t_nu_errors(nu, exc, match):
    with pytest.raises(exc, match=match):
        StudentsT([0.0], [[1.0]], nu)


def test_students_t_sigma_error_names_students_t():
    with pytest.raises(NotPositiveDefiniteError, match=r"StudentsT: sigma is not positive"):
        StudentsT([0.0, 0.0], [[1.0, 2.0], [2.0, 1.0]], 3.0)


@pytest.mark.parametrize("method", ["log_prob", "prob"], ids=["log_prob", "prob"])
@pytest.mark.parametrize("x", [[1.0, 2.0, 3.0], np.ones((4, 3)), 1.0],
                         ids=["vector", "matrix", "scalar"])
def test_log_prob_shape_errors(method, x):
    for dist in (Normal([0.0, 0.0], np.eye(2)), StudentsT([0.0, 0.0], np.eye(2), 3.0)):
        with pytest.raises(ShapeError, match=r"log_prob: x must have shape \(2,\) or "
                                             r"\(n, 2\) for a 2-dimensional distribution"):
            getattr(dist, method)(x)


CONDITION_ERRORS = [
    (([], []), ValueError, r"observed must be a non-empty 1-D sequence"),
    (([0, 1, 2], [1, 2, 3]), ValueError, r"observed lists all 3 variables"),
    (([0, 0], [1, 2]), ValueError, r"observed repeats an index: \[0, 0\]"),
    (([3], [1.0]), IndexError, r"observed holds 3, outside \[0, 3\)"),
    (([-1], [1.0]), IndexError, r"observed holds -1"),
    (([0.5], [1.0]), TypeError, r"observed must be a sequence of integer indices"),
    (([0, 1], [1.0]), ShapeError, r"values has length 1 but observed has 2 indices"),
    (([0], [np.nan]), ValueError, r"values must be finite"),
]


@pytest.mark.parametrize("args, exc, match", CONDITION_ERRORS,
                         ids=["empty", "all", "repeat", "high", "negative", "float",
                              "length", "nan"])
def test_conditional_errors(args, exc, match):
    sigma, mu = random_spd(3, 2)
    with pytest.raises(exc, match=r"Normal.conditional_normal: " + match):
        Normal(mu, sigma).conditional_normal(*args)
    with pytest.raises(exc, match=r"StudentsT.conditional_student_t: " + match):
        StudentsT(mu, sigma, 3.0).conditional_student_t(*args)


@pytest.mark.parametrize("vars_, exc, match", [
    ([], ValueError, r"vars must be a non-empty"),
    ([1, 1], ValueError, r"vars repeats an index"),
    ([5], IndexError, r"vars holds 5, outside \[0, 3\)"),
    (1, ValueError, r"vars must be a non-empty 1-D sequence"),
], ids=["empty", "repeat", "range", "scalar"])
def test_marginal_errors(vars_, exc, match):
    sigma, mu = random_spd(3, 2)
    with pytest.raises(exc, match=r"Normal.marginal_normal: " + match):
        Normal(mu, sigma).marginal_normal(vars_)
    with pytest.raises(exc, match=r"StudentsT.marginal_student_t: " + match):
        StudentsT(mu, sigma, 3.0).marginal_student_t(vars_)
    with pytest.raises(IndexError, match=r"marginal_normal_single: i holds 7"):
        Normal(mu, sigma).marginal_normal_single(7)
    with pytest.raises(IndexError, match=r"marginal_student_t_single: i holds -4"):
        StudentsT(mu, sigma, 3.0).marginal_student_t_single(-4)
