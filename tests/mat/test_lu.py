"""LU: reconstruction, agreement with scipy/numpy, condition warnings, receivers,
workspace reuse and the rank-one update (numkit.mat._lu, Gonum's mat/lu.go)."""

import math
import tracemalloc
import warnings

import numpy as np
import pytest
import scipy.linalg as sla

from numkit._errstate import errstate
from numkit.errors import ConditionError, ConditionWarning, ShapeError, SingularError
from numkit.mat import Dense, TriDense, VecDense
from numkit.mat._lu import LU

EPS = np.finfo(float).eps


def factorize(a):
    lu = LU()
    lu.factorize(a)
    return lu


def factors(lu):
    return np.asarray(lu.l()), np.asarray(lu.u()), lu.pivot()


def random_matrix(n, seed):
    return np.random.default_rng(seed).standard_normal((n, n))


def read_only(a):
    r = a.copy()
    r.setflags(write=False)
    return r


SIZES = [1, 2, 3, 7, 30, 120]


@pytest.mark.parametrize("n", SIZES, ids=lambda n: f"n{n}")
def test_pa_equals_lu_within_backward_error_bound(n):
    a = random_matrix(n, n)
    L, U, p = factors(factorize(a))
    # Higham, Accuracy and Stability, Thm 9.3: |A - P L U| <= γ_n |L||U| elementwise,
    # γ_n = n·eps/(1 - n·eps).
    gamma = n * EPS / (1 - n * EPS)
    assert np.all(np.abs(a - (L @ U)[p]) <= gamma * (np.abs(L) @ np.abs(U))[p] + 1e-300)
    assert np.allclose(np.diag(L), 1.0) and np.array_equal(L, np.tril(L))
    assert np.array_equal(U, np.triu(U))


@pytest.mark.parametrize("n", SIZES, ids=lambda n: f"n{n}")
def test_factors_match_scipy(n):
    a = random_matrix(n, 100 + n)
    lu = factorize(a)
    P, L, U = sla.lu(a)
    # Same algorithm (dgetrf): same pivots, factors equal to rounding.
    assert np.array_equal(lu.pivot(), sla.lu(a, p_indices=True)[0])
    pm = Dense()
    lu.pivot_to(pm)
    assert np.array_equal(np.asarray(pm), P)
    tol = 10 * n * EPS * np.abs(U).max()
    np.testing.assert_allclose(np.asarray(lu.u()), U, atol=tol, rtol=0)
    np.testing.assert_allclose(np.asarray(lu.l()), L, atol=10 * n * EPS, rtol=0)


@pytest.mark.parametrize("n", SIZES, ids=lambda n: f"n{n}")
def test_det_log_det_cond_match_numpy(n):
    a = random_matrix(n, 200 + n)
    lu = factorize(a)
    kappa = np.linalg.cond(a, 1)
    # The determinant's relative error is at most about n·eps·κ (perturbation of A
    # by n·eps·‖A‖); 10× margin for the two computations' different roundings.
    assert lu.det() == pytest.approx(np.linalg.det(a), rel=10 * n * EPS * kappa)
    logabs, sign = lu.log_det()
    ref_sign, ref_log = np.linalg.slogdet(a)
    assert sign == ref_sign
    assert logabs == pytest.approx(ref_log, abs=10 * n * EPS * kappa)
    # dgecon's estimate is a lower bound of the exact κ₁ and in practice within 3×.
    assert kappa / 3 <= lu.cond() <= kappa * (1 + 1e-8)


def test_det_beyond_float_range_uses_the_logarithm():
    d = np.array([1e200, 1e200, 1e-250, -1e-100])
    lu = factorize(np.diag(d))
    assert lu.det() == pytest.approx(-1e50, rel=1e-13)
    logabs, sign = lu.log_det()
    assert sign == -1.0 and logabs == pytest.approx(50 * math.log(10), rel=1e-14)


@pytest.mark.parametrize("trans", [False, True], ids=["A", "AT"])
@pytest.mark.parametrize("n", SIZES, ids=lambda n: f"n{n}")
def test_solve_to_matches_numpy(n, trans):
    rng = np.random.default_rng(300 + n)
    a = rng.standard_normal((n, n))
    b = rng.standard_normal((n, 3))
    lu = factorize(a)
    x = Dense()
    lu.solve_to(x, b, trans=trans)
    ref = np.linalg.solve(a.T if trans else a, b)
    # Forward error ≤ κ·(backward error ≈ n·eps); 10× margin.
    tol = 10 * n * EPS * np.linalg.cond(a, 1) * np.abs(ref).max()
    np.testing.assert_allclose(np.asarray(x), ref, atol=tol, rtol=0)
    v = VecDense()
    lu.solve_vec_to(v, b[:, 0], trans=trans)
    np.testing.assert_allclose(np.asarray(v), ref[:, 0], atol=tol, rtol=0)


def test_receiver_may_be_b_and_wrong_receivers_raise():
    a = random_matrix(4, 1)
    lu = factorize(a)
    b = Dense.from_array(np.arange(8.0).reshape(4, 2))
    ref = np.linalg.solve(a, np.asarray(b))
    lu.solve_to(b, b)
    np.testing.assert_allclose(np.asarray(b), ref, rtol=1e-12, atol=1e-12)
    with pytest.raises(ShapeError, match=r"receiver is 3×3 but the result is 4×2"):
        lu.solve_to(Dense(3, 3), np.ones((4, 2)))
    with pytest.raises(ShapeError, match=r"LU.solve_to: the factorized matrix is 4×4 but b is 3×2"):
        lu.solve_to(Dense(), np.ones((3, 2)))
    with pytest.raises(ShapeError, match=r"b has length 5"):
        lu.solve_vec_to(VecDense(), np.ones(5))
    with pytest.raises(ShapeError, match=r"receiver has length 3"):
        lu.solve_vec_to(VecDense(3), np.ones(4))
    with pytest.raises(ValueError, match=r"LU.solve_to: b contains NaN"):
        lu.solve_to(Dense(), np.full((4, 1), np.nan))


def test_triangular_receivers():
    lu = factorize(random_matrix(3, 2))
    with pytest.raises(ShapeError, match=r"receiver is 2×2 but the result is 3×3"):
        lu.l_to(TriDense(2, "lower"))
    with pytest.raises(ValueError, match=r"receiver is upper triangular"):
        lu.l_to(TriDense(3, "upper"))
    u = TriDense(3, "upper")
    lu.u_to(u)
    np.testing.assert_array_equal(np.asarray(u), np.asarray(lu.u()))


@pytest.mark.parametrize(
    "a, match",
    [
        (np.ones((2, 3)), r"LU.factorize: a must be square .*; got 2×3"),
        (np.ones(3)[None, :], r"got 1×3"),
    ],
    ids=["2x3", "1x3"],
)
def test_non_square_raises_shape_error(a, match):
    with pytest.raises(ShapeError, match=match):
        LU().factorize(a)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf], ids=["nan", "inf", "-inf"])
def test_non_finite_input_raises(bad):
    a = np.eye(3)
    a[1, 2] = bad
    with pytest.raises(ValueError, match=r"LU.factorize: a contains NaN or inf"):
        LU().factorize(a)


@pytest.mark.parametrize(
    "a",
    [np.zeros((3, 3)), np.array([[1.0, 2.0], [2.0, 4.0]]), np.diag([1.0, 0.0, 3.0])],
    ids=["zero", "rank1", "zero-pivot"],
)
def test_exactly_singular_is_not_an_error_until_solve(a):
    lu = factorize(a)
    assert lu.cond() == math.inf
    assert lu.det() == 0.0
    assert lu.log_det() == (-math.inf, 0.0)
    with pytest.raises(SingularError, match=r"LU.solve_to: the factorized matrix is exactly singular"):
        lu.solve_to(Dense(), np.ones((a.shape[0], 1)))
    with pytest.raises(SingularError, match=r"LU.solve_vec_to"):
        lu.solve_vec_to(VecDense(), np.ones(a.shape[0]))


def test_empty_and_zero_size():
    lu = LU()
    assert lu.is_empty()
    with pytest.raises(ValueError, match=r"LU.det: the LU holds no factorization"):
        lu.det()
    lu.factorize(np.zeros((0, 0)))
    assert not lu.is_empty()
    assert lu.det() == 1.0 and lu.log_det() == (0.0, 1.0) and lu.cond() == 1.0
    x = Dense()
    lu.solve_to(x, np.zeros((0, 2)))
    assert x.shape == (0, 2)
    lu.reset()
    assert lu.is_empty()


def test_one_by_one():
    lu = factorize([[-4.0]])
    assert lu.det() == -4.0 and lu.cond() == 1.0 and lu.pivot().tolist() == [0]
    v = VecDense()
    lu.solve_vec_to(v, [2.0])
    assert v.at_vec(0) == -0.5


@pytest.mark.parametrize(
    "make",
    [
        lambda a: a,
        lambda a: np.asfortranarray(a),
        lambda a: np.lib.stride_tricks.as_strided(
            np.repeat(a, 2, axis=1), a.shape, (a.strides[0] * 2, a.strides[1] * 2)),
        lambda a: Dense.from_array(a.T).T(),
        lambda a: read_only(a),
        lambda a: a.tolist(),
    ],
    ids=["C", "F", "strided", "T-view", "readonly", "list"],
)
def test_operand_layouts_give_the_same_factors(make):
    a = random_matrix(6, 7)
    ref = factorize(a)
    lu = factorize(make(a))
    np.testing.assert_array_equal(np.asarray(lu.u()), np.asarray(ref.u()))
    np.testing.assert_array_equal(lu.pivot(), ref.pivot())


def test_hilbert_warning_appears_exactly_past_1e16():
    warned_orders, numpy_orders = [], []
    for n in range(2, 15):
        h = sla.hilbert(n)
        lu = factorize(h)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            lu.solve_to(Dense(), np.ones((n, 1)))
        cw = [w for w in caught if issubclass(w.category, ConditionWarning)]
        assert bool(cw) == (lu.cond() > 1e16), n
        if cw:
            assert cw[0].message.condition == lu.cond()
            warned_orders.append(n)
        if np.linalg.cond(h, 1) > 1e16:
            numpy_orders.append(n)
    # κ₁(H_12) ≈ 4.0e16 is the first past Gonum's tolerance, for numpy's exact value too.
    assert warned_orders[0] == numpy_orders[0] == 12


def test_errstate_controls_the_condition_report():
    lu = factorize(sla.hilbert(13))
    with errstate(condition="raise"):
        with pytest.raises(ConditionError, match=r"LU.solve_to: matrix is ill-conditioned"):
            lu.solve_to(Dense(), np.ones((13, 1)))
    with errstate(condition="ignore"), warnings.catch_warnings():
        warnings.simplefilter("error")
        lu.solve_to(Dense(), np.ones((13, 1)))


def test_factorize_reuses_its_workspace():
    rng = np.random.default_rng(5)
    mats = [rng.standard_normal((200, 200)) for _ in range(3)]
    lu = LU()
    lu.factorize(mats[0])
    lu.factorize(mats[1])
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        for a in mats * 3:
            lu.factorize(a)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # A new 200×200 workspace would be 320 kB; steady state allocates only small
    # Python objects (numpy's copy loop buffers are bounded, not O(n²)).
    assert peak < 200 * 200 * 8 // 8


RANK_ONE_CASES = [(1, 0.5), (3, -1.0), (10, 2.5), (60, 0.1), (200, -0.3)]


@pytest.mark.parametrize("n, alpha", RANK_ONE_CASES, ids=lambda v: str(v))
def test_rank_one_matches_refactorization(n, alpha):
    rng = np.random.default_rng(400 + n)
    a = rng.standard_normal((n, n)) + n * np.eye(n) * 0.1
    x, y = rng.standard_normal(n), rng.standard_normal(n)
    orig = factorize(a)
    upd = LU()
    upd.rank_one(orig, alpha, x, y)
    target = a + alpha * np.outer(x, y)
    L, U, p = factors(upd)
    # Bennett's update keeps orig's pivots, so the bound involves the new factors'
    # |L||U| (no pivoting growth guarantee); 4n·eps of it, 4× margin on γ_n.
    bound = 4 * n * EPS * (np.abs(L) @ np.abs(U))[p] + 4 * n * EPS * np.abs(target)
    assert np.all(np.abs(target - (L @ U)[p]) <= bound)
    ref = factorize(target)
    kappa = np.linalg.cond(target, 1)
    assert upd.det() == pytest.approx(ref.det(), rel=100 * n * EPS * kappa)
    # ‖L‖₁‖U‖₁ ≥ ‖A‖₁, so the estimate can only be larger than a fresh one's.
    assert upd.cond() >= ref.cond() * (1 - 1e-8)
    xs, xr = Dense(), Dense()
    b = rng.standard_normal((n, 2))
    upd.solve_to(xs, b)
    ref.solve_to(xr, b)
    np.testing.assert_allclose(np.asarray(xs), np.asarray(xr),
                               atol=100 * n * EPS * kappa * np.abs(np.asarray(xr)).max())
    # orig is untouched.
    np.testing.assert_array_equal(np.asarray(orig.u()), np.asarray(factorize(a).u()))


def test_rank_one_in_place_and_errors():
    a = np.array([[4.0, 1.0, 0.0], [2.0, 3.0, 1.0], [0.0, 1.0, 5.0]])
    lu = factorize(a)
    lu.rank_one(lu, -1.0, [1.0, 0.0, 0.0], [1.0, 1.0, 1.0])
    assert lu.det() == pytest.approx(np.linalg.det(a - np.outer([1, 0, 0], [1, 1, 1])),
                                     rel=1e-13)
    with pytest.raises(ShapeError, match=r"LU.rank_one: the factorized matrix is 3×3 but y has length 2"):
        lu.rank_one(lu, 1.0, np.ones(3), np.ones(2))
    with pytest.raises(ValueError, match=r"LU.rank_one: x contains NaN"):
        lu.rank_one(lu, 1.0, [np.nan, 0, 0], np.ones(3))
    with pytest.raises(ValueError, match=r"alpha must be finite"):
        lu.rank_one(lu, np.inf, np.ones(3), np.ones(3))
    with pytest.raises(ValueError, match=r"LU.rank_one: the LU holds no factorization"):
        LU().rank_one(LU(), 1.0, np.ones(3), np.ones(3))


def test_rank_one_of_a_singular_factorization_refactors():
    a = np.array([[1.0, 2.0], [2.0, 4.0]])
    lu = factorize(a)
    upd = LU()
    upd.rank_one(lu, 1.0, [1.0, 0.0], [1.0, 0.0])
    assert upd.det() == pytest.approx(4.0, rel=1e-14)
    assert upd.cond() < math.inf
