"""numkit.stat.distmv.Dirichlet and Uniform against scipy.stats and sample moments."""

import math

import numpy as np
import pytest
from scipy import special, stats

from numkit.errors import ShapeError
from numkit.mat import SymDense
from numkit.stat.distmv import Dirichlet, Uniform

EPS = np.finfo(float).eps
Z = 5.0  # standard errors allowed for a sample moment (false failure < 1e-6)


def moment_tols(x):
    """Z standard errors of the sample mean and of each sample covariance entry
    (CLT for (xi−mi)(xj−mj), its variance taken from the sample)."""
    n = x.shape[0]
    c = x - x.mean(axis=0)
    prod = c[:, :, None] * c[:, None, :]
    return Z * x.std(axis=0) / math.sqrt(n), Z * prod.std(axis=0) / math.sqrt(n)


ALPHAS = {"flat3": [1.0, 1.0, 1.0], "gonum3": [2.0, 3.0, 4.0],
          "gonum5": [2.0, 3.0, 4.0, 0.1, 8.0], "big": [50.0, 70.0, 0.7, 3.0]}


@pytest.mark.parametrize("name", ALPHAS, ids=list(ALPHAS))
def test_dirichlet_log_prob_matches_scipy(name):
    alpha = np.array(ALPHAS[name])
    x = np.random.default_rng(1).dirichlet(alpha, 50)
    x = np.clip(x, 1e-300, None)
    x /= x.sum(axis=1, keepdims=True)
    want = stats.dirichlet(alpha).logpdf(x.T)
    d = Dirichlet(alpha)
    # log-gamma and xlogy terms each carry a few eps of their magnitude.
    scale = special.gammaln(alpha).sum() + np.abs((alpha - 1) * np.log(x)).sum(axis=1)
    np.testing.assert_allclose(d.log_prob(x), want, rtol=0, atol=(64 * EPS * (1 + scale)).max())
    assert d.log_prob(x[0]) == pytest.approx(want[0], rel=0, abs=64 * EPS * (1 + scale[0]))
    np.testing.assert_allclose(d.prob(x), np.exp(d.log_prob(x)), rtol=4 * EPS)


def test_dirichlet_support_and_nan():
    d = Dirichlet([2.0, 3.0, 0.5])
    got = d.log_prob([[0.2, 0.3, 0.5], [0.2, 0.3, 0.6], [-0.1, 0.6, 0.5],
                      [1.2, -0.2, 0.0], [np.nan, 0.5, 0.5], [0.0, 0.5, 0.5]])
    assert np.isfinite(got[0])
    assert (got[[1, 2, 3, 5]] == -np.inf).all()   # off the simplex / x0 = 0 with α0 = 2
    assert np.isnan(got[4])
    assert d.prob([0.2, 0.3, 0.6]) == 0.0
    assert d.log_prob([0.5, 0.5, 0.0]) == np.inf  # α = 0.5 < 1 at a face: density blows up


@pytest.mark.parametrize("name", ["gonum3", "gonum5"], ids=["3", "5"])
def test_dirichlet_moments(name):
    alpha = np.array(ALPHAS[name])
    d = Dirichlet(alpha)
    a0 = alpha.sum()
    np.testing.assert_allclose(d.mean(), alpha / a0, rtol=2 * EPS)
    cov = d.cov()
    assert isinstance(cov, SymDense)
    # scipy's dirichlet.cov (since 1.10) as the oracle.
    np.testing.assert_allclose(np.asarray(cov), stats.dirichlet(alpha).cov(), rtol=0,
                               atol=8 * EPS)
    x = d.rand(100_000, rng=3)
    assert x.shape == (100_000, alpha.size)
    np.testing.assert_allclose(x.sum(axis=1), 1.0, rtol=0, atol=alpha.size * EPS)
    mean_tol, cov_tol = moment_tols(x)
    assert (np.abs(x.mean(axis=0) - d.mean()) <= mean_tol).all()
    assert (np.abs(np.cov(x.T) - np.asarray(cov)) <= cov_tol).all()
    assert d.rand().shape == (alpha.size,) and d.rand((2, 3), rng=1).shape == (2, 3, alpha.size)
    assert d.dim() == alpha.size and repr(d) == f"Dirichlet(dim={alpha.size})"


BOUNDS = {"1d": [[-1.0, 3.0]], "2d": [[-3.0, 2.0], [-5.0, 8.0]],
          "4d": [[0.0, 1.0], [10.0, 10.5], [-1e3, 1e3], [2.0, 7.0]]}


@pytest.mark.parametrize("name", BOUNDS, ids=list(BOUNDS))
def test_uniform(name):
    b = np.array(BOUNDS[name])
    u = Uniform(b)
    w = b[:, 1] - b[:, 0]
    inside = b[:, 0] + 0.3 * w
    assert u.log_prob(inside) == pytest.approx(-np.log(w).sum(), rel=4 * EPS)
    assert u.prob(inside) == pytest.approx(1 / np.prod(w), rel=8 * EPS)
    assert u.log_prob(b[:, 0]) == u.log_prob(b[:, 1]) == u.log_prob(inside)  # closed box
    outside = inside.copy()
    outside[-1] = b[-1, 1] + 1e-9
    nan = inside.copy()
    nan[0] = np.nan
    got = u.log_prob(np.stack([inside, outside, nan]))
    assert got[1] == -np.inf and np.isnan(got[2]) and np.isfinite(got[0])
    assert u.entropy() == pytest.approx(np.log(w).sum(), rel=4 * EPS)
    np.testing.assert_array_equal(u.mean(), b.mean(axis=1))
    np.testing.assert_allclose(np.asarray(u.cov()), np.diag(w ** 2 / 12), rtol=2 * EPS)
    x = u.rand(100_000, rng=9)
    assert ((x >= b[:, 0]) & (x <= b[:, 1])).all()
    mean_tol, cov_tol = moment_tols(x)
    assert (np.abs(x.mean(axis=0) - u.mean()) <= mean_tol).all()
    assert (np.abs(np.atleast_2d(np.cov(x.T)) - np.asarray(u.cov())) <= cov_tol).all()
    np.testing.assert_array_equal(u.bounds, b)
    assert u.dim() == b.shape[0] and repr(u) == f"Uniform(dim={b.shape[0]})"


@pytest.mark.parametrize("alpha, exc, match", [
    ([1.0, 0.0, 2.0], ValueError, r"Dirichlet: alpha must be positive; alpha\[1\] is 0.0"),
    ([1.0, -2.0], ValueError, r"alpha\[1\] is -2.0"),
    ([1.0, np.inf], ValueError, r"Dirichlet: alpha must be finite; alpha\[1\] is inf"),
    ([[1.0, 2.0]], ShapeError, r"Dirichlet: alpha must be a non-empty 1-D array; got shape "
     r"\(1, 2\)"),
    ([], ShapeError, r"alpha must be a non-empty 1-D array"),
    ("ab", TypeError, r"Dirichlet: alpha must be a real array-like"),
], ids=["zero", "negative", "inf", "2d", "empty", "text"])
def test_dirichlet_errors(alpha, exc, match):
    with pytest.raises(exc, match=match):
        Dirichlet(alpha)


@pytest.mark.parametrize("bounds, exc, match", [
    ([[0.0, 1.0], [2.0, 2.0]], ValueError, r"Uniform: bounds\[1\] = \(2.0, 2.0\) needs min < max"),
    ([[3.0, 1.0]], ValueError, r"bounds\[0\] = \(3.0, 1.0\) needs min < max"),
    ([[0.0, np.nan]], ValueError, r"Uniform: bounds must be finite; bounds\[0, 1\] is nan"),
    ([0.0, 1.0], ShapeError, r"Uniform: bounds must have shape \(d, 2\).*got shape \(2,\)"),
    ([[0.0, 1.0, 2.0]], ShapeError, r"got shape \(1, 3\)"),
    (np.empty((0, 2)), ShapeError, r"got shape \(0, 2\)"),
    ([["a", "b"]], TypeError, r"Uniform: bounds must be a real \(d, 2\) array"),
], ids=["empty-interval", "reversed", "nan", "1d", "3cols", "zero-dim", "text"])
def test_uniform_errors(bounds, exc, match):
    with pytest.raises(exc, match=match):
        Uniform(bounds)


@pytest.mark.parametrize("dist", [Dirichlet([1.0, 2.0, 3.0]), Uniform([[0, 1]] * 3)],
                         ids=["dirichlet", "uniform"])
def test_point_shape_errors(dist):
    with pytest.raises(ShapeError, match=r"log_prob: x must have shape \(3,\) or \(n, 3\)"):
        dist.log_prob([0.5, 0.5])
    with pytest.raises(ShapeError, match=r"got shape \(\)"):
        dist.prob(0.5)
