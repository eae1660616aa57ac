"""QR and LQ against their defining identities, numpy's answers and the error model.

Tolerances follow LAPACK's own test suite (dqrt01, dlqt01): the residual ratios
‖A − QR‖₁ / (m·eps·‖A‖₁) and ‖I − QᵀQ‖₁ / (m·eps) must stay below THRESH = 30
(LAPACK's testing/dtest.in), which Householder QR's backward stability guarantees
(Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., Thm 19.4).
"""

from __future__ import annotations

import tracemalloc
import warnings

import numpy as np
import pytest

import numkit
from numkit.errors import ConditionError, ConditionWarning, ShapeError, SingularError
from numkit.mat import Dense, VecDense
from numkit.mat._qr import LQ, QR

EPS = np.finfo(np.float64).eps
THRESH = 30.0  # LAPACK testing/dtest.in


def _layout(a: np.ndarray, kind: str):
    """The same values as ``a`` in another memory layout or container."""
    if kind == "c":
        return a.copy()
    if kind == "fortran":
        return np.asfortranarray(a)
    if kind == "strided":
        big = np.zeros((2 * a.shape[0] + 1, 3 * a.shape[1] + 1))
        big[1::2, 2::3] = a
        return big[1::2, 2::3]
    if kind == "transposed":
        return np.ascontiguousarray(a.T).T
    if kind == "readonly":
        r = a.copy()
        r.setflags(write=False)
        return r
    if kind == "dense":
        return Dense.from_array(a)
    if kind == "dense_T":
        return Dense.from_array(np.ascontiguousarray(a.T)).T()
    raise AssertionError(kind)


LAYOUTS = ["c", "fortran", "strided", "transposed", "readonly", "dense", "dense_T"]
TALL = [(5, 3), (4, 4), (1, 1), (0, 0), (6, 0), (40, 25)]


def _norm1(x) -> float:
    x = np.asarray(x)
    return float(np.abs(x).sum(axis=0).max()) if x.size else 0.0


def _random(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


# -- QR ---------------------------------------------------------------------------


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", TALL, ids=lambda s: f"{s[0]}x{s[1]}")
def test_qr_reconstructs_and_q_is_orthogonal(shape, layout):
    a = _random(shape)
    qr = QR()
    qr.factorize(_layout(a, layout))
    m, n = shape
    q, r = np.asarray(qr.q()), np.asarray(qr.r())
    assert q.shape == (m, m) and r.shape == (m, n)
    assert np.all(np.tril(r, -1) == 0.0)
    assert _norm1(a - q @ r) <= THRESH * max(m, 1) * EPS * _norm1(a)
    assert _norm1(np.eye(m) - q.T @ q) <= THRESH * max(m, 1) * EPS
    # Thin factors reproduce A too.
    q1, r1 = np.asarray(qr.q(thin=True)), np.asarray(qr.r(thin=True))
    assert q1.shape == (m, n) and r1.shape == (n, n)
    assert _norm1(a - q1 @ r1) <= THRESH * max(m, 1) * EPS * _norm1(a)


@pytest.mark.parametrize("shape", [(6, 4), (5, 5), (30, 12)], ids=str)
def test_qr_r_agrees_with_numpy_up_to_row_signs(shape):
    a = _random(shape, seed=1)
    qr = QR()
    qr.factorize(a)
    r_np = np.linalg.qr(a, mode="r")
    kappa = np.linalg.cond(a)
    # R is unique up to the signs of its rows for full-rank A; its perturbation is
    # bounded by κ(A) times the backward error.
    tol = THRESH * shape[0] * EPS * kappa * np.linalg.norm(a, 1)
    r = np.asarray(qr.r(thin=True))
    signs = np.sign(np.diag(r)) * np.sign(np.diag(r_np))
    np.testing.assert_allclose(r, signs[:, None] * r_np, rtol=0, atol=tol)


def _lstsq_tol(a, x, resid) -> float:
    """Golub & Van Loan, Thm 5.3.1: relative error of a backward-stable least-squares
    solve ≲ u·(κ + κ²·‖r‖/(‖A‖‖x‖)), with u = THRESH·m·eps."""
    kappa = np.linalg.cond(a)
    u = THRESH * a.shape[0] * EPS
    xn = max(np.linalg.norm(x), np.finfo(float).tiny)
    ratio = np.linalg.norm(resid) / (np.linalg.norm(a, 2) * xn)
    return u * (kappa + kappa**2 * ratio) * xn


@pytest.mark.parametrize("layout", ["c", "strided", "dense_T"])
@pytest.mark.parametrize("shape", [(6, 4), (5, 5), (30, 12), (1, 1)], ids=str)
def test_qr_solve_is_least_squares(shape, layout):
    a = _random(shape, seed=2)
    b = _random((shape[0], 3), seed=3)
    qr = QR()
    qr.factorize(a)
    x = Dense()
    qr.solve_to(x, _layout(b, layout))
    x_np, *_ = np.linalg.lstsq(a, b, rcond=None)
    np.testing.assert_allclose(np.asarray(x), x_np, rtol=0,
                               atol=_lstsq_tol(a, x_np, b - a @ x_np))
    v = VecDense()
    qr.solve_vec_to(v, b[:, 0])
    np.testing.assert_allclose(np.asarray(v), x_np[:, 0], rtol=0,
                               atol=_lstsq_tol(a, x_np[:, 0], b[:, 0] - a @ x_np[:, 0]))


@pytest.mark.parametrize("shape", [(6, 4), (5, 5), (30, 12)], ids=str)
def test_qr_solve_trans_is_minimum_norm(shape):
    a = _random(shape, seed=4)
    b = _random((shape[1], 2), seed=5)
    qr = QR()
    qr.factorize(a)
    x = Dense()
    qr.solve_to(x, b, trans=True)
    x_np = np.linalg.pinv(a.T) @ b
    kappa = np.linalg.cond(a)
    np.testing.assert_allclose(np.asarray(x), x_np, rtol=0,
                               atol=THRESH * shape[0] * EPS * kappa * np.linalg.norm(x_np))
    v = VecDense()
    qr.solve_vec_to(v, b[:, 1], trans=True)
    np.testing.assert_allclose(np.asarray(v), x_np[:, 1], rtol=0,
                               atol=THRESH * shape[0] * EPS * kappa * np.linalg.norm(x_np))


def test_qr_receivers_are_reused_and_may_alias_b():
    a = _random((4, 4), seed=6)
    qr = QR()
    qr.factorize(a)
    q = Dense(4, 4)
    storage = np.asarray(q)
    qr.q_to(q)
    assert np.shares_memory(np.asarray(q), storage)
    b = Dense.from_array(_random((4, 2), seed=7))
    expected = np.linalg.solve(a, np.asarray(b))
    qr.solve_to(b, b)                          # dst is b
    np.testing.assert_allclose(np.asarray(b), expected, rtol=0,
                               atol=THRESH * 4 * EPS * np.linalg.cond(a) * 10)


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda qr: qr.q_to(Dense(2, 2)), ShapeError, "receiver is 2×2 but the result is 5×5"),
        (lambda qr: qr.q_to(Dense(2, 2), thin=True), ShapeError, "result is 5×3"),
        (lambda qr: qr.r_to(Dense(3, 3)), ShapeError, "result is 5×3"),
        (lambda qr: qr.q_to(np.empty((5, 5))), TypeError, "dst must be a numkit.mat.Dense"),
        (lambda qr: qr.solve_to(Dense(), np.ones((4, 1))), ShapeError, "b must have 5 rows"),
        (lambda qr: qr.solve_to(Dense(), np.ones((5, 1)), trans=True), ShapeError,
         "b must have 3 rows"),
        (lambda qr: qr.solve_to(Dense(2, 2), np.ones((5, 1))), ShapeError, "result is 3×1"),
        (lambda qr: qr.solve_vec_to(Dense(), np.ones(5)), TypeError, "VecDense"),
        (lambda qr: qr.solve_to(Dense(), np.full((5, 1), np.nan)), ValueError,
         "b contains NaN"),
    ],
    ids=["q-shape", "thin-q-shape", "r-shape", "q-type", "b-rows", "b-rows-trans",
         "x-shape", "vec-type", "b-nan"],
)
def test_qr_errors(call, exc, match):
    qr = QR()
    qr.factorize(_random((5, 3), seed=8))
    with pytest.raises(exc, match=match):
        call(qr)


@pytest.mark.parametrize(
    "a, exc, match",
    [
        (np.ones((2, 3)), ShapeError, r"a is 2×3; QR needs .* \(m ≥ n"),
        (np.array([[1.0], [np.nan]]), ValueError, "QR.factorize: a contains NaN or infinity"),
        (np.array([[1.0], [np.inf]]), ValueError, "NaN or infinity"),
        (np.ones((2, 2, 2)), ShapeError, "must be 2-D"),
    ],
    ids=["wide", "nan", "inf", "3d"],
)
def test_qr_factorize_rejects(a, exc, match):
    with pytest.raises(exc, match=match):
        QR().factorize(a)


@pytest.mark.parametrize("method", ["q", "r", "cond"])
def test_qr_before_factorize(method):
    with pytest.raises(ValueError, match="call QR.factorize first"):
        getattr(QR(), method)()


def test_qr_rank_deficient_raises_singular():
    a = np.array([[1.0, 0.0], [2.0, 0.0], [3.0, 0.0]])   # exact zero column
    qr = QR()
    qr.factorize(a)
    assert qr.cond() == np.inf
    with pytest.raises(SingularError, match="QR.solve_to: .*rank-deficient"):
        qr.solve_to(Dense(), np.ones((3, 1)))
    with pytest.raises(SingularError, match="rank-deficient"):
        qr.solve_to(Dense(), np.ones((2, 1)), trans=True)


def _ill_conditioned(m, n, smallest, seed=9):
    rng = np.random.default_rng(seed)
    u, _ = np.linalg.qr(rng.standard_normal((m, n)))
    v, _ = np.linalg.qr(rng.standard_normal((n, n)))
    s = np.geomspace(1.0, smallest, n)
    return (u * s) @ v.T


def test_qr_condition_reported_above_1e16():
    qr = QR()
    qr.factorize(_ill_conditioned(6, 4, 1e-18))
    assert 1e16 < qr.cond() < np.inf
    b = np.ones((6, 1))
    with pytest.warns(ConditionWarning, match="QR.solve_to: matrix is ill-conditioned") as rec:
        qr.solve_to(Dense(), b)
    assert rec[0].message.condition == qr.cond()
    with numkit.errstate(condition="raise"), pytest.raises(ConditionError):
        qr.solve_to(Dense(), b)
    with numkit.errstate(condition="ignore"), warnings.catch_warnings():
        warnings.simplefilter("error")
        qr.solve_to(Dense(), b)


def test_qr_well_conditioned_is_silent_and_cond_matches_numpy():
    a = _ill_conditioned(8, 5, 1e-6)
    qr = QR()
    qr.factorize(a)
    # dtrcon estimates κ_∞(R) within a factor of n either way (Higham, §15.3), and
    # κ_∞ is within a factor of n of κ₂.
    kappa2 = np.linalg.cond(a)
    assert kappa2 / 5**2 <= qr.cond() <= kappa2 * 5**2
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        qr.solve_to(Dense(), np.ones((8, 1)))


def test_qr_factorize_reuses_workspace_without_allocating():
    rng = np.random.default_rng(10)
    a, a2 = rng.standard_normal((300, 200)), rng.standard_normal((300, 200))
    qr = QR()
    qr.factorize(a)
    work = qr._qr
    tracemalloc.start()
    try:
        qr.factorize(a2)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert qr._qr is work
    assert peak < 0.05 * a.nbytes
    q, r = np.asarray(qr.q(thin=True)), np.asarray(qr.r(thin=True))
    assert _norm1(a2 - q @ r) <= THRESH * 300 * EPS * _norm1(a2)


# -- LQ ---------------------------------------------------------------------------

WIDE = [(3, 5), (4, 4), (1, 1), (0, 0), (0, 6), (25, 40)]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", WIDE, ids=lambda s: f"{s[0]}x{s[1]}")
def test_lq_reconstructs_and_q_is_orthogonal(shape, layout):
    a = _random(shape, seed=11)
    lq = LQ()
    lq.factorize(_layout(a, layout))
    m, n = shape
    low, q = np.asarray(lq.l()), np.asarray(lq.q())
    assert low.shape == (m, n) and q.shape == (n, n)
    assert np.all(np.triu(low, 1) == 0.0)
    assert _norm1(a - low @ q) <= THRESH * max(n, 1) * EPS * _norm1(a)
    assert _norm1(np.eye(n) - q @ q.T) <= THRESH * max(n, 1) * EPS
    l1, q1 = np.asarray(lq.l(thin=True)), np.asarray(lq.q(thin=True))
    assert l1.shape == (m, m) and q1.shape == (m, n)
    assert _norm1(a - l1 @ q1) <= THRESH * max(n, 1) * EPS * _norm1(a)


@pytest.mark.parametrize("shape", [(4, 6), (5, 5), (12, 30)], ids=str)
def test_lq_solve_is_minimum_norm(shape):
    a = _random(shape, seed=12)
    b = _random((shape[0], 2), seed=13)
    lq = LQ()
    lq.factorize(a)
    x = Dense()
    lq.solve_to(x, b)
    x_np = np.linalg.pinv(a) @ b
    kappa = np.linalg.cond(a)
    np.testing.assert_allclose(np.asarray(x), x_np, rtol=0,
                               atol=THRESH * shape[1] * EPS * kappa * np.linalg.norm(x_np))
    v = VecDense()
    lq.solve_vec_to(v, b[:, 0])
    np.testing.assert_allclose(np.asarray(v), x_np[:, 0], rtol=0,
                               atol=THRESH * shape[1] * EPS * kappa * np.linalg.norm(x_np))


@pytest.mark.parametrize("shape", [(4, 6), (5, 5), (12, 30)], ids=str)
def test_lq_solve_trans_is_least_squares(shape):
    a = _random(shape, seed=14)
    b = _random((shape[1], 2), seed=15)
    lq = LQ()
    lq.factorize(a)
    x = Dense()
    lq.solve_to(x, b, trans=True)
    x_np, *_ = np.linalg.lstsq(a.T, b, rcond=None)
    np.testing.assert_allclose(np.asarray(x), x_np, rtol=0,
                               atol=_lstsq_tol(a.T, x_np, b - a.T @ x_np))


@pytest.mark.parametrize(
    "a, exc, match",
    [
        (np.ones((3, 2)), ShapeError, r"a is 3×2; LQ needs .* \(m ≤ n"),
        (np.array([[1.0, np.nan]]), ValueError, "LQ.factorize: a contains NaN"),
    ],
    ids=["tall", "nan"],
)
def test_lq_factorize_rejects(a, exc, match):
    with pytest.raises(exc, match=match):
        LQ().factorize(a)


def test_lq_errors_and_singular():
    lq = LQ()
    with pytest.raises(ValueError, match="call LQ.factorize first"):
        lq.l()
    lq.factorize(np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]))   # zero row
    assert lq.cond() == np.inf
    with pytest.raises(SingularError, match="LQ.solve_to: .*rank-deficient"):
        lq.solve_to(Dense(), np.ones((2, 1)))
    with pytest.raises(ShapeError, match="b must have 2 rows"):
        lq.solve_to(Dense(), np.ones((3, 1)))
    with pytest.raises(ShapeError, match="result is 3×3"):
        lq.q_to(Dense(2, 2))
    with pytest.raises(ShapeError, match="result is 2×2"):
        lq.l_to(Dense(2, 3), thin=True)


def test_lq_condition_reported_above_1e16():
    lq = LQ()
    lq.factorize(_ill_conditioned(6, 4, 1e-18).T)
    assert 1e16 < lq.cond() < np.inf
    with pytest.warns(ConditionWarning, match="LQ.solve_to"):
        lq.solve_to(Dense(), np.ones((4, 1)))


def test_lq_factorize_reuses_workspace_without_allocating():
    rng = np.random.default_rng(16)
    a, a2 = rng.standard_normal((200, 300)), rng.standard_normal((200, 300))
    lq = LQ()
    lq.factorize(a)
    work = lq._lq
    tracemalloc.start()
    try:
        lq.factorize(a2)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert lq._lq is work
    assert peak < 0.05 * a.nbytes
