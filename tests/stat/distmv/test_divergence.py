"""kullback_leibler, bhattacharyya and hellinger between distmv distributions:
closed forms written out independently with numpy, and Monte Carlo estimates with a
tolerance of Z standard errors of the estimate."""

import math

import numpy as np
import pytest
from scipy import special

from numkit.errors import ShapeError
from numkit.stat.distmv import (
    Dirichlet,
    Normal,
    StudentsT,
    Uniform,
    bhattacharyya,
    hellinger,
    kullback_leibler,
)

EPS = np.finfo(float).eps
Z = 5.0
N_MC = 200_000

# Gonum stat/distmv/statdist_test.go's pairs.
NORMAL_P = ([2.0, 3.0], [[3.0, -1.0], [-1.0, 2.0]])
NORMAL_Q = ([-1.0, 1.0], [[1.5, 0.2], [0.2, 0.9]])


def random_normal(d, seed):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((d, d))
    s = a @ a.T + d * np.eye(d)
    return rng.standard_normal(d), 0.5 * (s + s.T)


NORMALS = {"gonum-2d": (NORMAL_P, NORMAL_Q),
           "6d": (random_normal(6, 1), random_normal(6, 2)),
           "same": (NORMAL_P, NORMAL_P)}


def kl_normal_numpy(p, q):
    (mp, sp), (mq, sq) = p, q
    mp, sp, mq, sq = map(np.asarray, (mp, sp, mq, sq))
    iq = np.linalg.inv(sq)
    diff = mp - mq
    return 0.5 * (np.linalg.slogdet(sq)[1] - np.linalg.slogdet(sp)[1] + diff @ iq @ diff
                  + np.trace(iq @ sp) - mp.size)


def bhatt_normal_numpy(p, q):
    (mp, sp), (mq, sq) = p, q
    mp, sp, mq, sq = map(np.asarray, (mp, sp, mq, sq))
    s = 0.5 * (sp + sq)
    diff = mp - mq
    return (diff @ np.linalg.solve(s, diff) / 8 + 0.5 * np.linalg.slogdet(s)[1]
            - 0.25 * (np.linalg.slogdet(sp)[1] + np.linalg.slogdet(sq)[1]))


def tol_for(*sigmas):
    return 64 * max(np.asarray(s).shape[0] * np.linalg.cond(s) for s in sigmas) * EPS


@pytest.mark.parametrize("name", NORMALS, ids=list(NORMALS))
def test_normal_closed_forms_against_numpy(name):
    pp, qq = NORMALS[name]
    p, q = Normal(*pp), Normal(*qq)
    tol = tol_for(pp[1], qq[1])
    kl = kl_normal_numpy(pp, qq)
    assert kullback_leibler(p, q) == pytest.approx(kl, rel=tol, abs=tol)
    db = bhatt_normal_numpy(pp, qq)
    assert bhattacharyya(p, q) == pytest.approx(db, rel=tol, abs=tol)
    assert bhattacharyya(q, p) == pytest.approx(bhattacharyya(p, q), rel=tol, abs=tol)
    assert hellinger(p, q) == pytest.approx(math.sqrt(1 - math.exp(-db)), rel=tol, abs=tol)
    if name == "same":
        assert abs(kullback_leibler(p, q)) <= tol and hellinger(p, q) <= math.sqrt(tol)


@pytest.mark.parametrize("name", ["gonum-2d", "6d"], ids=["gonum-2d", "6d"])
def test_normal_divergences_monte_carlo(name):
    pp, qq = NORMALS[name]
    p, q = Normal(*pp), Normal(*qq)
    x = p.rand(N_MC, rng=21)
    log_ratio = p.log_prob(x) - q.log_prob(x)
    se = log_ratio.std() / math.sqrt(N_MC)
    assert abs(kullback_leibler(p, q) - log_ratio.mean()) <= Z * se
    # BC = E_p[sqrt(q/p)]: compare in coefficient space, where the estimate is a mean.
    w = np.exp(-0.5 * log_ratio)
    assert abs(math.exp(-bhattacharyya(p, q)) - w.mean()) <= Z * w.std() / math.sqrt(N_MC)


DIRICHLETS = {"gonum-3": ([2.0, 3.0, 4.0], [4.0, 2.0, 1.1]),
              "gonum-5": ([2.0, 3.0, 4.0, 0.1, 8.0], [2.0, 2.0, 6.0, 0.5, 9.0])}


@pytest.mark.parametrize("name", DIRICHLETS, ids=list(DIRICHLETS))
def test_dirichlet_divergences(name):
    a, b = map(np.asarray, DIRICHLETS[name])
    p, q = Dirichlet(a), Dirichlet(b)
    # KL = E_p[log p − log q] with E_p[log x_i] = ψ(a_i) − ψ(a_0).
    elog = special.digamma(a) - special.digamma(a.sum())
    log_norm = [special.gammaln(v.sum()) - special.gammaln(v).sum() for v in (a, b)]
    kl = log_norm[0] - log_norm[1] + np.dot((a - 1) - (b - 1), elog)
    scale = 64 * EPS * (1 + special.gammaln(np.concatenate([a, b])).__abs__().sum())
    assert kullback_leibler(p, q) == pytest.approx(kl, rel=0, abs=scale)
    x = p.rand(N_MC, rng=4)
    log_ratio = p.log_prob(x) - q.log_prob(x)
    se = log_ratio.std() / math.sqrt(N_MC)
    assert abs(kullback_leibler(p, q) - log_ratio.mean()) <= Z * se
    w = np.exp(-0.5 * log_ratio)
    assert abs(math.exp(-bhattacharyya(p, q)) - w.mean()) <= Z * w.std() / math.sqrt(N_MC)
    assert hellinger(p, q) == pytest.approx(math.sqrt(1 - math.exp(-bhattacharyya(p, q))),
                                            rel=1e-14)


UNIFORMS = {
    # Gonum's pairs; the second pair of each is disjoint in the first coordinate.
    "contained": ([[-4.0, 1.0], [-7.0, 10.0]], [[-5.0, 2.0], [-7.0, 12.0]]),
    "overlap": ([[-3.0, 2.0], [-5.0, 8.0]], [[-4.0, 1.0], [-7.0, 10.0]]),
    "disjoint": ([[-3.0, 2.0], [-5.0, 8.0]], [[-9.0, -6.0], [-7.0, 10.0]]),
}


@pytest.mark.parametrize("name", UNIFORMS, ids=list(UNIFORMS))
def test_uniform_divergences(name):
    bp, bq = map(np.asarray, UNIFORMS[name])
    p, q = Uniform(bp), Uniform(bq)
    vol_p, vol_q = np.prod(np.diff(bp)), np.prod(np.diff(bq))
    lo, hi = np.maximum(bp[:, 0], bq[:, 0]), np.minimum(bp[:, 1], bq[:, 1])
    overlap = np.prod(np.clip(hi - lo, 0, None))
    contained = (bp[:, 0] >= bq[:, 0]).all() and (bp[:, 1] <= bq[:, 1]).all()
    kl = math.log(vol_q / vol_p) if contained else math.inf
    assert kullback_leibler(p, q) == pytest.approx(kl, rel=8 * EPS)
    bc = overlap / math.sqrt(vol_p * vol_q)
    db = -math.log(bc) if bc > 0 else math.inf
    assert bhattacharyya(p, q) == pytest.approx(db, rel=8 * EPS, abs=8 * EPS)
    assert bhattacharyya(q, p) == pytest.approx(db, rel=8 * EPS, abs=8 * EPS)
    assert hellinger(p, q) == pytest.approx(math.sqrt(1 - bc), rel=8 * EPS)
    if contained:  # Monte Carlo as a second check: the log-ratio is constant on p.
        x = p.rand(1000, rng=2)
        np.testing.assert_allclose(p.log_prob(x) - q.log_prob(x), kl, rtol=8 * EPS)


def test_hellinger_of_nearby_normals_keeps_relative_accuracy():
    # D_B = δ²/8 for unit variances: H = sqrt(1 − exp(−δ²/8)) ≈ δ/√8 without cancellation.
    delta = 1e-7
    h = hellinger(Normal([0.0], [[1.0]]), Normal([delta], [[1.0]]))
    assert h == pytest.approx(math.sqrt(-math.expm1(-delta * delta / 8)), rel=1e-12)


PAIRS = [
    (kullback_leibler, Normal([0.0], [[1.0]]), Uniform([[0.0, 1.0]]), "Normal–Uniform"),
    (kullback_leibler, StudentsT([0.0], [[1.0]], 3.0), StudentsT([0.0], [[1.0]], 3.0),
     "StudentsT–StudentsT"),
    (bhattacharyya, Dirichlet([1.0, 2.0]), Normal([0.0, 0.0], np.eye(2)), "Dirichlet–Normal"),
    (hellinger, Uniform([[0.0, 1.0]]), "x", "Uniform–str"),
    (kullback_leibler, np.zeros(2), np.zeros(2), "ndarray–ndarray"),
]


@pytest.mark.parametrize("func, p, q, names", PAIRS,
                         ids=["kl-mixed", "kl-t", "bhatt-mixed", "hell-str", "kl-arrays"])
def test_unsupported_pairs(func, p, q, names):
    with pytest.raises(TypeError, match=rf"{func.__name__}: no closed form for {names}; "
                                        r"supported pairs are Normal–Normal"):
        func(p, q)


@pytest.mark.parametrize("func", [kullback_leibler, bhattacharyya, hellinger],
                         ids=["kl", "bhattacharyya", "hellinger"])
@pytest.mark.parametrize("p, q", [
    (Normal([0.0], [[1.0]]), Normal([0.0, 0.0], np.eye(2))),
    (Dirichlet([1.0, 2.0]), Dirichlet([1.0, 2.0, 3.0])),
    (Uniform([[0.0, 1.0]]), Uniform([[0.0, 1.0], [0.0, 1.0]])),
], ids=["normal", "dirichlet", "uniform"])
def test_dimension_mismatch(func, p, q):
    with pytest.raises(ShapeError, match=rf"{func.__name__}: p has dimension \d but q has "
                                         r"dimension \d; they must match"):
        func(p, q)
