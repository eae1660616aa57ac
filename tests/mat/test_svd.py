"""SVD against its defining identity, numpy's answers, Gonum's example and the error
model.

Tolerances follow LAPACK's SVD tests (dbdt01/dort01 in dchkbd, ddrvbd): the ratios
‖A − UΣVᵀ‖₁ / (max(m, n)·eps·‖A‖₁) and ‖I − UᵀU‖₁ / (m·eps) stay below THRESH = 30.
Singular values move by at most ‖E‖₂ under a perturbation E (Weyl), so they agree
with numpy's to THRESH·max(m, n)·eps·σ_max.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from numkit._kernels import _blas
from numkit.errors import ConvergenceError, ShapeError
from numkit.mat import Dense, VecDense
from numkit.mat._svd import SVD

EPS = np.finfo(np.float64).eps
THRESH = 30.0  # LAPACK testing/dtest.in

SHAPES = [(5, 3), (3, 5), (4, 4), (1, 1), (0, 0), (0, 3), (3, 0), (40, 25), (25, 40)]


def _layout(a: np.ndarray, kind: str):
    if kind == "c":
        return a.copy()
    if kind == "fortran":
        return np.asfortranarray(a)
    if kind == "strided":
        big = np.zeros((2 * a.shape[0] + 1, 3 * a.shape[1] + 1))
        big[1::2, 2::3] = a
        return big[1::2, 2::3]
    if kind == "readonly":
        r = a.copy()
        r.setflags(write=False)
        return r
    if kind == "dense_T":
        return Dense.from_array(np.ascontiguousarray(a.T)).T()
    raise AssertionError(kind)


LAYOUTS = ["c", "fortran", "strided", "readonly", "dense_T"]


def _norm1(x) -> float:
    x = np.asarray(x)
    return float(np.abs(x).sum(axis=0).max()) if x.size else 0.0


def _random(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


@pytest.mark.parametrize("kind", ["thin", "full"])
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_svd_reconstructs_with_orthonormal_vectors(shape, layout, kind):
    a = _random(shape)
    m, n = shape
    k = min(m, n)
    svd = SVD()
    svd.factorize(_layout(a, layout), kind=kind)
    s, u, v = svd.values(), np.asarray(svd.u()), np.asarray(svd.v())
    assert u.shape == ((m, k) if kind == "thin" else (m, m))
    assert v.shape == ((n, k) if kind == "thin" else (n, n))
    assert np.all(np.diff(s) <= 0) and np.all(s >= 0)
    mn = max(m, n, 1)
    assert _norm1(a - (u[:, :k] * s) @ v[:, :k].T) <= THRESH * mn * EPS * _norm1(a)
    assert _norm1(np.eye(u.shape[1]) - u.T @ u) <= THRESH * mn * EPS
    assert _norm1(np.eye(v.shape[1]) - v.T @ v) <= THRESH * mn * EPS
    s_np = np.linalg.svd(a, compute_uv=False)
    np.testing.assert_allclose(s, s_np, rtol=0,
                               atol=THRESH * mn * EPS * (s_np[0] if k else 0.0))


@pytest.mark.parametrize("shape", [(8, 5), (5, 8), (6, 6)], ids=str)
def test_svd_vectors_agree_with_numpy_up_to_sign(shape):
    a = _random(shape, seed=1)
    svd = SVD()
    svd.factorize(a)
    u_np, s_np, vt_np = np.linalg.svd(a, full_matrices=False)
    u, v = np.asarray(svd.u()), np.asarray(svd.v())
    # Wedin: a singular vector moves by at most ‖E‖₂ / gap.
    gaps = np.abs(np.diff(s_np))
    gap = np.minimum(np.r_[gaps, np.inf], np.r_[np.inf, gaps])
    tol = THRESH * max(shape) * EPS * s_np[0] / gap
    signs = np.sign(np.sum(u * u_np, axis=0))
    assert np.all(np.abs(u - signs * u_np).max(axis=0) <= tol)
    assert np.all(np.abs(v - signs * vt_np.T).max(axis=0) <= tol)


def test_svd_none_computes_values_only():
    a = _random((6, 4), seed=2)
    svd = SVD()
    svd.factorize(a, kind="none")
    assert svd.kind() == "none"
    s_np = np.linalg.svd(a, compute_uv=False)
    np.testing.assert_allclose(svd.values(), s_np, rtol=0, atol=THRESH * 6 * EPS * s_np[0])
    for call in (svd.u, svd.v, lambda: svd.u_to(Dense()), lambda: svd.v_to(Dense()),
                 lambda: svd.solve_to(Dense(), np.ones((6, 1)))):
        with pytest.raises(ValueError, match="were not computed; factorize with kind='thin'"):
            call()


# Gonum's ExampleSVD_SolveTo (mat/svd_example_test.go), rank-deficient 5×3.
GONUM_A = np.array([
    [-1.7854591879711257, -0.42687285925779594, -0.12730256811265162],
    [-0.5728984211439724, -0.10093393134001777, -0.1181901192353067],
    [1.2484316018707418, 0.5646683943038734, -0.48229492403243485],
    [0.10174927665169475, -0.5805410929482445, 1.3054473231942054],
    [-1.134174808195733, -0.4732430202414438, 0.3528489486370508],
])
GONUM_B = np.array([[-2.318, -4.35], [-0.715, 1.451], [1.836, -0.119],
                    [-0.357, 3.094], [-1.636, 0.021]])
GONUM_X = np.array([[1.2120643135523468, 1.5074674510939299],
                    [0.4154007382647741, -0.624498607705372],
                    [-0.18318444225528013, 2.2213341936891244]])


@pytest.mark.parametrize("kind", ["thin", "full"])
def test_svd_solve_matches_gonum_example(kind):
    svd = SVD()
    svd.factorize(GONUM_A, kind=kind)
    s = svd.values()
    np.testing.assert_allclose(s[:2], [2.685, 1.526], atol=5e-4)   # Gonum prints %.4g
    assert s[2] < 1e-15
    assert svd.rank(1e-15) == 2
    # The truncated solution's sensitivity is governed by σ₁/σ_r (Hansen,
    # Rank-Deficient and Discrete Ill-Posed Problems, §3.2), ≈ 1.8 here.
    tol = THRESH * 5 * EPS * (s[0] / s[1]) * np.linalg.norm(GONUM_X)
    for how in ({"rcond": 1e-15}, {"rank": 2}):
        x = Dense()
        svd.solve_to(x, GONUM_B, **how)
        np.testing.assert_allclose(np.asarray(x), GONUM_X, rtol=0, atol=tol)
    v = VecDense()
    svd.solve_vec_to(v, GONUM_B[:, 1], rcond=1e-15)
    np.testing.assert_allclose(np.asarray(v), GONUM_X[:, 1], rtol=0, atol=tol)


@pytest.mark.parametrize("shape, r", [((8, 6), 3), ((6, 8), 2), ((7, 7), 1), ((5, 5), 0)],
                         ids=str)
def test_svd_rank_and_minimum_norm_solve_of_rank_deficient(shape, r):
    rng = np.random.default_rng(3)
    a = rng.standard_normal((shape[0], r)) @ rng.standard_normal((r, shape[1]))
    svd = SVD()
    svd.factorize(a)
    assert svd.rank() == r == np.linalg.matrix_rank(a)
    b = rng.standard_normal((shape[0], 2))
    x = Dense()
    svd.solve_to(x, b)
    x_np = np.linalg.pinv(a) @ b
    s = svd.values()
    kappa_r = s[0] / s[r - 1] if r else 1.0
    np.testing.assert_allclose(np.asarray(x), x_np, rtol=0,
                               atol=THRESH * max(shape) * EPS * kappa_r**2
                               * max(np.linalg.norm(x_np), 1.0))
    assert svd.cond() == np.inf or svd.cond() > 1e14


@pytest.mark.parametrize("shape", [(6, 4), (5, 5)], ids=str)
def test_svd_cond_matches_numpy(shape):
    a = _random(shape, seed=4)
    svd = SVD()
    svd.factorize(a, kind="none")
    kappa = np.linalg.cond(a)
    # σ_max/σ_min computed from values each within THRESH·n·eps·σ_max (Weyl).
    assert abs(svd.cond() - kappa) <= THRESH * max(shape) * EPS * kappa**2


def test_svd_edge_values():
    svd = SVD()
    svd.factorize(np.zeros((0, 0)))
    assert svd.cond() == 1.0 and svd.rank() == 0 and svd.values().shape == (0,)
    svd.factorize(np.zeros((3, 2)))
    assert svd.cond() == np.inf and svd.rank() == 0
    x = Dense()
    svd.solve_to(x, np.ones((3, 1)))
    assert np.all(np.asarray(x) == 0.0)


def test_svd_receivers():
    svd = SVD()
    svd.factorize(_random((5, 3), seed=5))
    u = Dense(5, 3)
    storage = np.asarray(u)
    svd.u_to(u)
    assert np.shares_memory(np.asarray(u), storage)
    np.testing.assert_array_equal(np.asarray(u), np.asarray(svd.u()))
    v = Dense()
    svd.v_to(v)
    np.testing.assert_array_equal(np.asarray(v), np.asarray(svd.v()))
    out = np.empty(3)
    assert svd.values(out) is out
    np.testing.assert_array_equal(out, svd.values())


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda s: s.u_to(Dense(3, 3)), ShapeError, "receiver is 3×3 but the result is 5×3"),
        (lambda s: s.v_to(Dense(5, 3)), ShapeError, "result is 3×3"),
        (lambda s: s.u_to(np.empty((5, 3))), TypeError, "numkit.mat.Dense"),
        (lambda s: s.values(np.empty(4)), ShapeError, "dst has shape length 4"),
        (lambda s: s.values(np.empty(3, dtype=np.float32)), TypeError, "float64 ndarray"),
        (lambda s: s.rank(-1.0), ValueError, "SVD.rank: rcond must be a non-negative"),
        (lambda s: s.rank(float("nan")), ValueError, "rcond must be a non-negative"),
        (lambda s: s.solve_to(Dense(), np.ones((4, 1))), ShapeError, "b must have 5 rows"),
        (lambda s: s.solve_to(Dense(), np.ones((5, 1)), rank=4), ValueError,
         r"rank must be in \[0, 3\]"),
        (lambda s: s.solve_to(Dense(), np.full((5, 1), np.inf)), ValueError,
         "b contains NaN or infinity"),
        (lambda s: s.solve_vec_to(Dense(), np.ones(5)), TypeError, "VecDense"),
    ],
    ids=["u-shape", "v-shape", "u-type", "values-shape", "values-dtype", "rcond-neg",
         "rcond-nan", "b-rows", "rank-range", "b-inf", "vec-type"],
)
def test_svd_errors(call, exc, match):
    svd = SVD()
    svd.factorize(_random((5, 3), seed=6))
    with pytest.raises(exc, match=match):
        call(svd)


@pytest.mark.parametrize(
    "a, kind, match",
    [
        (np.ones((2, 2)), "economic", "kind must be one of 'none', 'thin', 'full'"),
        (np.array([[1.0, np.nan]]), "thin", "SVD.factorize: a contains NaN or infinity"),
    ],
    ids=["kind", "nan"],
)
def test_svd_factorize_rejects(a, kind, match):
    with pytest.raises(ValueError, match=match):
        SVD().factorize(a, kind=kind)


def test_svd_before_factorize():
    with pytest.raises(ValueError, match="call SVD.factorize first"):
        SVD().values()


def test_svd_convergence_failure_is_linalg_error(monkeypatch):
    monkeypatch.setattr(_blas, "gesdd", lambda *args: 2)
    svd = SVD()
    with pytest.raises(ConvergenceError, match="dgesdd did not converge") as info:
        svd.factorize(np.eye(3))
    assert isinstance(info.value, np.linalg.LinAlgError)
    with pytest.raises(ValueError, match="call SVD.factorize first"):
        svd.values()


def test_svd_factorize_reuses_workspace_without_allocating():
    rng = np.random.default_rng(7)
    a, a2 = rng.standard_normal((200, 150)), rng.standard_normal((200, 150))
    svd = SVD()
    svd.factorize(a)
    buffers = (svd._work, svd._s, svd._v_f, svd._ut_f)
    tracemalloc.start()
    try:
        svd.factorize(a2)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert all(x is y for x, y in zip(buffers, (svd._work, svd._s, svd._v_f, svd._ut_f),
                                      strict=True))
    assert peak < 0.05 * a.nbytes
    np.testing.assert_allclose(svd.values(), np.linalg.svd(a2, compute_uv=False), rtol=0,
                               atol=THRESH * 200 * EPS * np.linalg.norm(a2, 2))
