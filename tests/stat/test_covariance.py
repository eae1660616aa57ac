"""Covariance/correlation matrices, conversions, Mahalanobis, CovarianceAccumulator."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from numkit._kernels import _openmp
from numkit.errors import ShapeError
from numkit.mat import SymDense
from numkit.stat._covariance import (
    CovarianceAccumulator,
    corr_to_cov,
    correlation_matrix,
    cov_to_corr,
    covariance_matrix,
    mahalanobis,
)

EPS = np.finfo(np.float64).eps


def _data(n, p, seed=0, offset=0.0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, p)) @ rng.standard_normal((p, p)) + offset


def _exact_cov(X, w=None):
    """Covariance of the float64 data in exact rational arithmetic."""
    n, p = X.shape
    F = [[Fraction(float(v)) for v in row] for row in X]
    W = [Fraction(1)] * n if w is None else [Fraction(float(v)) for v in w]
    tw = sum(W)
    mu = [sum(W[i] * F[i][j] for i in range(n)) / tw for j in range(p)]
    return np.array([[float(sum(W[i] * (F[i][a] - mu[a]) * (F[i][b] - mu[b])
                                for i in range(n)) / (tw - 1)) for b in range(p)]
                     for a in range(p)])


# tolerance: each entry is a sum of n products of centred values, rounding n·eps relative
# to sqrt(C_aa C_bb) (the Cauchy-Schwarz bound of the entry's magnitude)
def _check_close(got, want, n):
    d = np.sqrt(np.outer(np.diag(want), np.diag(want)))
    assert np.all(np.abs(got - want) <= 4 * n * EPS * d + 1e-300)


@pytest.mark.parametrize(
    "n,p,dtype", [(5, 1, np.float64), (50, 3, np.float64), (3000, 7, np.float64),
                  (20000, 40, np.float64), (2000, 5, np.float32), (700, 300, np.float64)],
    ids=["5x1", "50x3", "3000x7", "20000x40", "float32", "wide"])
def test_covariance_matches_numpy(n, p, dtype):
    X = _data(n, p).astype(dtype)
    got = np.asarray(covariance_matrix(X))
    want = np.cov(X.astype(np.float64), rowvar=False).reshape(p, p)
    _check_close(got, want, n)
    assert np.array_equal(got, got.T)


@pytest.mark.parametrize("seed", [0, 1, 2], ids=["s0", "s1", "s2"])
def test_weighted_matches_numpy_fweights_and_repeats(seed):
    rng = np.random.default_rng(seed)
    X = _data(400, 6, seed)
    w = rng.integers(0, 5, X.shape[0])
    got = np.asarray(covariance_matrix(X, weights=w))
    want = np.cov(X, rowvar=False, fweights=w)
    _check_close(got, want, int(w.sum()))
    rep = np.asarray(covariance_matrix(np.repeat(X, w, axis=0)))
    _check_close(got, rep, int(w.sum()))
    r = np.asarray(correlation_matrix(X, weights=w))
    assert np.allclose(r, np.corrcoef(np.repeat(X, w, axis=0), rowvar=False),
                       rtol=0, atol=100 * EPS * X.shape[0])


@pytest.mark.parametrize("offset", [0.0, 1e8, 1e12], ids=["0", "1e8", "1e12"])
def test_huge_offset_exact(offset):
    rng = np.random.default_rng(3)
    X = offset + rng.integers(-50, 50, (40, 3)) / 8.0  # exactly representable
    w = rng.random(40)
    got = np.asarray(covariance_matrix(X, weights=w))
    want = _exact_cov(X, w)
    # the centred values are exact small numbers: rounding n·eps relative
    _check_close(got, want, 40)


def test_correlation_matches_corrcoef():
    X = _data(5000, 8, 4)
    r = np.asarray(correlation_matrix(X))
    assert np.allclose(r, np.corrcoef(X, rowvar=False), rtol=0, atol=50 * EPS * 5000 ** 0.5)
    assert np.all(np.diag(r) == 1.0)


def test_constant_column_gives_nan_with_warning():
    X = _data(30, 3)
    X[:, 1] = 2.5
    with pytest.warns(RuntimeWarning, match=r"variable\(s\) \[1\] have zero variance"):
        r = np.asarray(correlation_matrix(X))
    assert np.isnan(r[1]).all() and np.isnan(r[:, 1]).all()
    assert r[0, 0] == 1.0 and not np.isnan(r[0, 2])


def test_thread_count_does_not_change_bits():
    X = _data(100000, 12, 5)
    w = np.random.default_rng(5).random(100000)
    out = []
    for nt in (1, 2):
        _openmp.set_num_threads(nt)
        try:
            out.append(np.asarray(covariance_matrix(X, weights=w)).copy())
        finally:
            _openmp.set_num_threads(0)
    assert np.array_equal(out[0], out[1])


# -- the narrow kernel (p <= 4 always; p <= 12 when X is strided or Fortran-ordered) --


def _every_other_column(X):
    Z = np.zeros((X.shape[0], 2 * X.shape[1]))
    Z[:, ::2] = X
    return Z[:, ::2]


LAYOUTS = {
    "C": lambda X: np.ascontiguousarray(X),
    "F": lambda X: np.asfortranarray(X),
    "column-slice": lambda X: _every_other_column(X),
    "reversed-rows": lambda X: np.ascontiguousarray(X[::-1])[::-1],
}


@pytest.mark.parametrize("layout", LAYOUTS, ids=list(LAYOUTS))
@pytest.mark.parametrize("p", [1, 2, 4, 8, 12, 13], ids=lambda p: f"p{p}")
def test_every_layout_matches_numpy(layout, p):
    X = _data(5000, p, p)
    w = np.random.default_rng(p).random(5000)
    Y = LAYOUTS[layout](X)
    assert np.array_equal(Y, X)
    _check_close(np.asarray(covariance_matrix(Y)), np.cov(X, rowvar=False).reshape(p, p), 5000)
    _check_close(np.asarray(covariance_matrix(Y, weights=w)),
                 np.cov(X, rowvar=False, aweights=w, ddof=0).reshape(p, p)
                 * w.sum() / (w.sum() - 1), 5000)


@pytest.mark.parametrize("layout", ["C", "F"])
@pytest.mark.parametrize("offset", [0.0, 1e10], ids=["0", "1e10"])
def test_narrow_kernel_exact_with_offset(layout, offset):
    # more rows than one 1024-row block, so blocks merge; centred values exact
    rng = np.random.default_rng(11)
    X = LAYOUTS[layout](offset + rng.integers(-50, 50, (2500, 3)) / 8.0)
    got = np.asarray(covariance_matrix(X))
    _check_close(got, _exact_cov(X), 2500)


@pytest.mark.parametrize("layout", ["C", "F"])
def test_narrow_kernel_thread_count_does_not_change_bits(layout):
    X = LAYOUTS[layout](_data(300000, 4, 6))
    w = np.random.default_rng(6).random(300000)
    out = []
    for nt in (1, 2):
        _openmp.set_num_threads(nt)
        try:
            out.append(np.asarray(covariance_matrix(X, weights=w)).copy())
        finally:
            _openmp.set_num_threads(0)
    assert np.array_equal(out[0], out[1])


def test_narrow_kernel_float32_fortran():
    X = np.asfortranarray(_data(3000, 3, 8).astype(np.float32))
    want = np.cov(X.astype(np.float64), rowvar=False)
    _check_close(np.asarray(covariance_matrix(X)), want, 3000)


def test_narrow_kernel_rejects_wide_input():
    from numkit._kernels import _covariance as k
    with pytest.raises(ValueError, match="at most 16 columns; got 17"):
        k.comoments_narrow(np.zeros((3, 17)), None, np.zeros(17), np.empty(17),
                           np.empty((17, 17)))


def test_receiver():
    X = _data(20, 3)
    out = SymDense()
    res = covariance_matrix(X, out=out)
    assert res is out and np.array_equal(np.asarray(out), np.asarray(covariance_matrix(X)))
    with pytest.raises(ShapeError, match="the receiver is 2×2 but the result is 3×3"):
        covariance_matrix(X, out=SymDense(2))


def test_nan_policy():
    X = _data(50, 3)
    X[7, 2] = np.nan
    c = np.asarray(covariance_matrix(X))
    assert np.isnan(c[2]).all() and not np.isnan(c[:2, :2]).any()
    omit = np.asarray(covariance_matrix(X, nan_policy="omit"))
    assert np.allclose(omit, np.cov(np.delete(X, 7, axis=0), rowvar=False),
                       rtol=100 * EPS, atol=0)
    with pytest.raises(ValueError, match="row 7 of X .* nan_policy='raise'"):
        covariance_matrix(X, nan_policy="raise")


@pytest.mark.parametrize(
    "X,kw,exc,match",
    [(np.ones(5), {}, ValueError, "must be 2-D"),
     (np.ones((1, 3)), {}, ValueError, "at least 2 observations"),
     (np.ones((4, 2)), {"weights": [1, 1, 1]}, ValueError, r"same length as x \(4\)"),
     (np.ones((4, 2)), {"weights": [1, -1, 1, 1]}, ValueError, "must be non-negative"),
     (np.ones((4, 2)), {"nan_policy": "drop"}, ValueError, "nan_policy"),
     ([["a", "b"], ["c", "d"]], {}, TypeError, "must contain real numbers")],
    ids=["1d", "one-row", "weights-length", "negative-weight", "policy", "strings"])
def test_bad_input(X, kw, exc, match):
    with pytest.raises(exc, match=match):
        covariance_matrix(X, **kw)


def test_conversions_round_trip():
    X = _data(200, 4, 6)
    c = covariance_matrix(X)
    r = cov_to_corr(c)
    sigma = np.sqrt(np.diag(np.asarray(c)))
    back = corr_to_cov(r, sigma)
    assert np.allclose(np.asarray(back), np.asarray(c), rtol=8 * EPS, atol=0)
    assert np.allclose(np.asarray(r), np.corrcoef(X, rowvar=False), rtol=0, atol=1e-14)
    cov_to_corr(c, out=c)  # in place, as Gonum
    assert np.array_equal(np.asarray(c), np.asarray(r))
    with pytest.raises(ShapeError, match="sigma has length 3 but corr is 4×4"):
        corr_to_cov(r, sigma[:3])
    with pytest.raises(ValueError, match="not symmetric"):
        cov_to_corr([[1.0, 0.5], [0.1, 1.0]])


class _Chol:
    """A stand-in factorization: solves with a dense inverse."""

    def __init__(self, a):
        self.inv = np.linalg.inv(np.asarray(a))

    def solve_vec_to(self, dst, b):
        dst._reuse_as(len(b), "solve", np.asarray(b))
        np.asarray(dst)[:] = self.inv @ np.asarray(b)


def _cholesky(a):
    try:
        from numkit.mat._cholesky import Cholesky
    except ImportError:  # pragma: no cover - the decomposition is being written
        return _Chol(a)
    ch = Cholesky()
    ch.factorize(a)
    return ch


def test_mahalanobis():
    rng = np.random.default_rng(7)
    A = rng.standard_normal((4, 4))
    S = A @ A.T + 4 * np.eye(4)
    x, y = rng.standard_normal(4), rng.standard_normal(4)
    want = float(np.sqrt((x - y) @ np.linalg.solve(S, x - y)))
    # cond(S)·eps bounds the relative error of the solve
    assert mahalanobis(x, y, _cholesky(S)) == pytest.approx(
        want, rel=10 * np.linalg.cond(S) * EPS)
    with pytest.raises(ShapeError, match="x has length 4 but y has 3"):
        mahalanobis(x, y[:3], _cholesky(S))


@pytest.mark.parametrize("offset", [0.0, 1e9], ids=["0", "1e9"])
def test_accumulator_chunks_and_merge_equal_one_call(offset):
    rng = np.random.default_rng(8)
    X = _data(3000, 5, 8, offset)
    w = rng.random(3000)
    whole = np.asarray(covariance_matrix(X, weights=w))
    acc = CovarianceAccumulator(5)
    for lo in range(0, 3000, 700):
        acc.update(X[lo:lo + 700], weights=w[lo:lo + 700])
    a, b = CovarianceAccumulator(5), CovarianceAccumulator(5)
    a.update(X[:1234], w[:1234])
    b.update(X[1234:], w[1234:])
    a.merge(b)
    for got in (acc, a):
        assert got.n == pytest.approx(w.sum(), rel=1e-14)
        assert np.allclose(np.asarray(got.covariance()), whole, rtol=1e-13, atol=0)
        # a mean is a sum of n terms: its rounding is bounded by 1e-13 of the largest |x|
        assert np.allclose(got.mean, np.average(X, axis=0, weights=w), rtol=0,
                           atol=1e-13 * np.abs(X).max())
        assert np.allclose(np.asarray(got.correlation()),
                           np.asarray(correlation_matrix(X, weights=w)), rtol=0, atol=1e-13)


def test_accumulator_errors():
    acc = CovarianceAccumulator(3)
    assert np.isnan(acc.mean).all() and np.isnan(np.asarray(acc.covariance())).all()
    with pytest.raises(ShapeError, match="X has 2 columns but the accumulator has 3"):
        acc.update(np.ones((4, 2)))
    with pytest.raises(ShapeError, match="other has 2 variables"):
        acc.merge(CovarianceAccumulator(2))
    with pytest.raises(TypeError, match="must be a CovarianceAccumulator"):
        acc.merge(3)
    with pytest.raises(ValueError, match="p must be a positive integer"):
        CovarianceAccumulator(0)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(2, 60), p=st.integers(1, 6), seed=st.integers(0, 2**32 - 1),
       scale=st.sampled_from([1e-3, 1.0, 1e6]))
def test_property_matches_numpy(n, p, seed, scale):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) * scale
    w = rng.integers(1, 4, n)
    got = np.asarray(covariance_matrix(X, weights=w))
    want = np.cov(X, rowvar=False, fweights=w).reshape(p, p)
    _check_close(got, want, int(w.sum()))
