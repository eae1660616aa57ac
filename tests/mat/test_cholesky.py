"""Tests of numkit.mat.Cholesky against numpy/scipy and exact arithmetic.

Tolerances: a backward-stable Cholesky satisfies ‖UᵀU - A‖ <= c·n·eps·‖A‖ (Higham,
Accuracy and Stability of Numerical Algorithms, Thm 10.3, c small); solutions and
inverses agree with another stable method within c·n·eps·cond(A) relative error; we
take c = 4 (two backward-stable computations compared with each other). Rank-one
updates by rotations are backward stable in the same sense (Stewart 1979).
"""

from __future__ import annotations

import math
import tracemalloc
import warnings
from fractions import Fraction

import numpy as np
import pytest
import scipy.linalg as sl
from hypothesis import given, settings
from hypothesis import strategies as st

import numkit
from numkit.errors import (
    ConditionError,
    ConditionWarning,
    NotPositiveDefiniteError,
    ShapeError,
)
from numkit.mat import Dense, SymDense, TriDense, VecDense
from numkit.mat._cholesky import Cholesky

EPS = np.finfo(np.float64).eps
C = 4.0


def spd(n, seed, shift=1.0):
    rng = np.random.default_rng(seed)
    g = rng.standard_normal((n, n))
    return g @ g.T + shift * n * np.eye(n)


def factor(a):
    c = Cholesky()
    c.factorize(a)
    return c


def recon_tol(a):
    n = a.shape[0]
    return C * max(n, 1) * EPS * max(np.linalg.norm(a, 1), 1e-300)


def solve_tol(a):
    n = a.shape[0]
    return C * max(n, 1) * EPS * np.linalg.cond(a, 1)


SIZES = [0, 1, 2, 5, 33, 100]


# -- factorize -----------------------------------------------------------------------


@pytest.mark.parametrize("n", SIZES, ids=[f"n{n}" for n in SIZES])
def test_factor_reconstructs_and_matches_numpy(n):
    a = spd(n, n)
    c = factor(a)
    L = np.asarray(c.l())
    U = np.asarray(c.u())
    assert np.array_equal(L, U.T)
    assert np.array_equal(np.tril(L), L)
    assert np.abs(L @ L.T - a).max() <= recon_tol(a) if n else L.shape == (0, 0)
    if n:
        # Cholesky factors are forward stable up to cond(A)·eps relative (Higham 10.4).
        ref = np.linalg.cholesky(a)
        assert np.abs(L - ref).max() <= solve_tol(a) * np.abs(ref).max()
    s = SymDense()
    c.to(s)
    assert np.array_equal(np.asarray(s), np.asarray(s).T)
    if n:
        assert np.abs(np.asarray(s) - a).max() <= recon_tol(a)
    assert c.symmetric() == n


@pytest.mark.parametrize("n", SIZES[1:], ids=[f"n{n}" for n in SIZES[1:]])
def test_scalars_match_numpy(n):
    a = spd(n, 10 + n)
    c = factor(a)
    sign, logdet = np.linalg.slogdet(a)
    assert sign == 1.0
    assert abs(c.log_det() - logdet) <= C * n * EPS * (abs(logdet) + n)
    assert math.isclose(c.det(), math.exp(logdet), rel_tol=C * n * EPS * (abs(logdet) + n))
    exact = np.linalg.cond(a, 1)
    # dpocon is an estimate: a lower bound, in practice within a factor 3 (Higham 15.3).
    assert exact / 3 <= c.cond() <= exact * (1 + 1e-8)


@pytest.mark.parametrize("n", SIZES[1:], ids=[f"n{n}" for n in SIZES[1:]])
def test_solves_match_scipy(n):
    a = spd(n, 20 + n)
    c = factor(a)
    rng = np.random.default_rng(n)
    b = rng.standard_normal((n, 3))
    ref = sl.cho_solve(sl.cho_factor(a), b)
    x = Dense()
    c.solve_to(x, b)
    assert np.abs(np.asarray(x) - ref).max() <= solve_tol(a) * np.abs(ref).max()
    v = VecDense()
    c.solve_vec_to(v, b[:, 0])
    assert np.abs(np.asarray(v) - ref[:, 0]).max() <= solve_tol(a) * np.abs(ref).max()
    inv = SymDense()
    c.inverse_to(inv)
    ref_inv = np.linalg.inv(a)
    assert np.array_equal(np.asarray(inv), np.asarray(inv).T)
    assert np.abs(np.asarray(inv) - ref_inv).max() <= solve_tol(a) * np.abs(ref_inv).max()


def test_solve_in_place_and_strided_receivers():
    a = spd(6, 3)
    c = factor(a)
    b = np.random.default_rng(1).standard_normal((6, 2))
    ref = np.linalg.solve(a, b)
    x = Dense.from_array(b)
    c.solve_to(x, x)
    assert np.allclose(np.asarray(x), ref, rtol=0, atol=solve_tol(a) * np.abs(ref).max())
    big = VecDense(12)
    view = VecDense._wrap(np.asarray(big)[::2])
    c.solve_vec_to(view, b[:, 0])
    assert np.allclose(np.asarray(big)[::2], ref[:, 0], rtol=0, atol=1e-12)
    assert np.all(np.asarray(big)[1::2] == 0)


def test_inverse_into_a_strided_symdense_view():
    a = spd(3, 6)
    big = SymDense(5)
    view = big.slice_sym(1, 4)
    factor(a).inverse_to(view)
    ref = np.linalg.inv(a)
    assert np.abs(np.asarray(view) - ref).max() <= solve_tol(a) * np.abs(ref).max()
    assert np.all(np.asarray(big)[0] == 0) and np.all(np.asarray(big)[4] == 0)


def test_solve_chol_to_matches_inverse_times_b():
    a, bmat = spd(7, 1), spd(7, 2)
    ca, cb = factor(a), factor(bmat)
    x = Dense()
    ca.solve_chol_to(x, cb)
    ref = np.linalg.solve(a, bmat)
    assert np.abs(np.asarray(x) - ref).max() <= solve_tol(a) * np.abs(ref).max() * 4


INPUTS = {
    "C": lambda a: np.ascontiguousarray(a),
    "fortran": lambda a: np.asfortranarray(a),
    "transposed": lambda a: np.ascontiguousarray(a).T,
    "strided": lambda a: np.repeat(np.repeat(a, 2, 0), 2, 1)[::2, ::2],
    "read_only": lambda a: _read_only(a),
    "list": lambda a: a.tolist(),
    "SymDense": lambda a: SymDense.from_array(a),
    "Dense": lambda a: Dense.from_array(a),
}


def _read_only(a):
    a = a.copy()
    a.flags.writeable = False
    return a


@pytest.mark.parametrize("kind", list(INPUTS), ids=list(INPUTS))
def test_input_layouts_give_the_same_bits(kind):
    a = spd(9, 4)
    ref = np.asarray(factor(a).u())
    got = np.asarray(factor(INPUTS[kind](a)).u())
    assert np.array_equal(got, ref)


def test_only_upper_triangle_of_symdense_is_used():
    a = spd(4, 5)
    raw = a.copy()
    raw[np.tril_indices(4, -1)] = 1e9       # lower triangle is not read by SymDense()
    got = np.asarray(factor(SymDense(4, raw.ravel().copy())).u())
    assert np.array_equal(got, np.asarray(factor(a).u()))


# -- errors --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "a, minor",
    [
        ([[1.0, 2.0], [2.0, 1.0]], 2),
        ([[-1.0]], 1),
        ([[0.0, 0.0], [0.0, 1.0]], 1),
        ([[4.0, 0, 0], [0, 1.0, 2.0], [0, 2.0, 1.0]], 3),
    ],
    ids=["indefinite2", "negative1", "zero_pivot", "minor3"],
)
def test_not_positive_definite_names_the_minor(a, minor):
    c = factor(np.eye(len(a)))
    with pytest.raises(NotPositiveDefiniteError, match=rf"leading {minor}×{minor} minor"):
        c.factorize(a)
    assert c.is_empty()
    with pytest.raises(ValueError, match="holds no factorization"):
        c.det()


@pytest.mark.parametrize(
    "bad, where", [(np.nan, r"\[0, 1\]"), (np.inf, r"\[0, 1\]")], ids=["nan", "inf"]
)
def test_nonfinite_input_is_rejected(bad, where):
    a = np.eye(3)
    a[0, 1] = a[1, 0] = bad
    with pytest.raises(ValueError, match=rf"Cholesky.factorize: a contains .* at {where}"):
        factor(a)
    with pytest.raises(ValueError, match="contains"):
        factor(SymDense.from_array(a))


def test_nan_in_lower_triangle_only_is_asymmetric():
    a = np.eye(3)
    a[2, 0] = np.nan
    with pytest.raises(ValueError, match=r"not symmetric: \|a\[0, 2\] - a\[2, 0\]\|"):
        factor(a)


@pytest.mark.parametrize(
    "a, exc, match",
    [
        (np.ones((2, 3)), ShapeError, "must be square"),
        ([[2.0, 1.0], [0.0, 2.0]], ValueError, "not symmetric"),
        (np.ones((2, 2, 2)), ShapeError, "must be 2-D"),
    ],
    ids=["rectangular", "asymmetric", "3d"],
)
def test_bad_shapes(a, exc, match):
    with pytest.raises(exc, match=match):
        factor(a)


def test_receivers_and_operand_shapes():
    c = factor(spd(3, 1))
    with pytest.raises(ShapeError, match=r"b is 2×1 but the factorized matrix is 3×3"):
        c.solve_to(Dense(), np.ones(2))
    with pytest.raises(ShapeError, match="receiver"):
        c.solve_to(Dense(2, 2), np.ones((3, 2)))
    with pytest.raises(ShapeError, match="length 2"):
        c.solve_vec_to(VecDense(), np.ones(2))
    with pytest.raises(ShapeError, match="receiver"):
        c.solve_vec_to(VecDense(2), np.ones(3))
    with pytest.raises(ShapeError, match="receiver"):
        c.inverse_to(SymDense(2))
    with pytest.raises(ShapeError, match="receiver"):
        c.to(SymDense(4))
    with pytest.raises(ValueError, match="lower"):
        c.u_to(TriDense(3, "lower"))
    with pytest.raises(ShapeError, match="receiver"):
        c.l_to(TriDense(2, "lower"))
    with pytest.raises(ValueError, match="contains nan"):
        c.solve_to(Dense(), np.full((3, 1), np.nan))
    with pytest.raises(ShapeError, match="b_chol a 2×2"):
        c.solve_chol_to(Dense(), factor(np.eye(2)))
    with pytest.raises(ShapeError, match="receiver holds a 2×2"):
        factor(np.eye(2)).sym_rank_one(c, 1.0, np.ones(3))
    with pytest.raises(ShapeError, match="x has length 2"):
        c.sym_rank_one(c, 1.0, np.ones(2))
    with pytest.raises(ValueError, match="alpha must be finite"):
        c.sym_rank_one(c, np.nan, np.ones(3))
    with pytest.raises(ValueError, match="f must be positive"):
        c.scale(0.0, c)
    with pytest.raises(ShapeError, match="v needs length 4"):
        c.extend_vec_sym(c, np.ones(3))
    with pytest.raises(ValueError, match="orig holds no factorization"):
        c.sym_rank_one(Cholesky(), 1.0, np.ones(3))


def test_solve_receiver_partially_overlapping_b_is_refused():
    c = factor(spd(3, 2))
    store = np.arange(12.0).reshape(4, 3)
    dst = Dense._wrap(store[1:, :])
    with pytest.raises(numkit.errors.AliasingError):
        c.solve_to(dst, store[:3, :])


# -- condition -----------------------------------------------------------------------


def hilbert_cond1(n):
    """Exact 1-norm condition number of the Hilbert matrix (exact inverse from scipy)."""
    inv = sl.invhilbert(n, exact=True)
    norm = max(sum(Fraction(1, i + j + 1) for i in range(n)) for j in range(n))
    inv_norm = max(sum(abs(int(inv[i, j])) for i in range(n)) for j in range(n))
    return float(norm * inv_norm)


@pytest.mark.parametrize("n", [8, 10, 11, 12, 13], ids=lambda n: f"hilbert{n}")
def test_hilbert_warns_exactly_above_1e16(n):
    exact = hilbert_cond1(n)
    # The estimate is within a factor 3 (see above): sizes within that band of 1e16
    # would be ambiguous, and there are none among these.
    assert exact < 1e16 / 3 or exact > 3e16
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        c = factor(sl.hilbert(n))  # the estimate is made, and reported, by the solve
        c.solve_vec_to(VecDense(), np.ones(n))
    warned = [x for x in w if issubclass(x.category, ConditionWarning)]
    assert bool(warned) == (exact > 1e16)
    if warned:
        assert warned[0].message.condition == c.cond()
        assert warned[0].filename == __file__


def test_hilbert_14_is_numerically_not_positive_definite():
    with pytest.raises(NotPositiveDefiniteError, match="minor"):
        factor(sl.hilbert(14))


def test_errstate_raise_and_ignore():
    h = sl.hilbert(12)
    with numkit.errstate(condition="raise"):
        c = factor(h)  # factorize alone does not estimate the condition
        with pytest.raises(ConditionError, match="ill-conditioned") as info:
            c.solve_vec_to(VecDense(), np.ones(12))
        assert info.value.condition > 1e16
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with numkit.errstate(condition="ignore"):
            c = factor(h)
            c.solve_vec_to(VecDense(), np.ones(12))
    with pytest.warns(ConditionWarning) as record:
        c.solve_vec_to(VecDense(), np.ones(12))
    assert record[0].filename == __file__


# -- updates -------------------------------------------------------------------------


def check_factor_of(c, a):
    L = np.asarray(c.l())
    assert np.all(np.diagonal(L) > 0)
    assert np.abs(L @ L.T - a).max() <= recon_tol(a) * 4


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 30),
    seed=st.integers(0, 2**32 - 1),
    alpha=st.floats(0.01, 100.0),
    down=st.booleans(),
    in_place=st.booleans(),
)
def test_sym_rank_one_matches_refactorization(n, seed, alpha, down, in_place):
    a = spd(n, seed)
    x = np.random.default_rng(seed + 1).standard_normal(n)
    if down:
        # Keep A - alpha x xᵀ safely definite: alpha·xᵀA⁻¹x <= 1/2.
        alpha = -min(alpha, 0.5 / float(x @ np.linalg.solve(a, x)))
    orig = factor(a)
    dst = orig if in_place else Cholesky()
    dst.sym_rank_one(orig, alpha, x)
    target = a + alpha * np.outer(x, x)
    check_factor_of(dst, target)
    exact = np.linalg.cond(target, 1)
    assert exact / 3 <= dst.cond() <= exact * 3 * n


def test_update_then_downdate_returns_the_factor():
    a = spd(50, 8)
    x = np.random.default_rng(0).standard_normal(50)
    c = factor(a)
    u0 = np.asarray(c.u()).copy()
    c.sym_rank_one(c, 3.0, x)
    c.sym_rank_one(c, -3.0, x)
    assert np.abs(np.asarray(c.u()) - u0).max() <= solve_tol(a) * np.abs(u0).max()


@pytest.mark.parametrize("in_place", [True, False], ids=["in_place", "other"])
def test_failed_downdate_leaves_factor_bit_identical(in_place):
    a = spd(20, 9)
    x = np.random.default_rng(2).standard_normal(20)
    alpha = -1.0001 / float(x @ np.linalg.solve(a, x))   # A + alpha x xᵀ is indefinite
    orig = factor(a)
    dst = orig if in_place else factor(spd(20, 10))
    before = np.asarray(dst.u()).copy(), dst.cond()
    with pytest.raises(NotPositiveDefiniteError, match="unchanged"):
        dst.sym_rank_one(orig, alpha, x)
    assert np.array_equal(np.asarray(dst.u()), before[0])
    assert dst.cond() == before[1]


def test_zero_alpha_and_empty_receiver_copy():
    a = spd(4, 1)
    orig = factor(a)
    dst = Cholesky()
    dst.sym_rank_one(orig, 0.0, np.ones(4))
    assert np.array_equal(np.asarray(dst.u()), np.asarray(orig.u()))


@pytest.mark.parametrize("in_place", [True, False], ids=["in_place", "other"])
def test_scale(in_place):
    a = spd(6, 2)
    orig = factor(a)
    dst = orig if in_place else Cholesky()
    cond = orig.cond()
    dst.scale(2.5, orig)
    check_factor_of(dst, 2.5 * a)
    assert dst.cond() == cond


@pytest.mark.parametrize("n", [0, 1, 7], ids=["n0", "n1", "n7"])
def test_extend_vec_sym(n):
    big = spd(n + 1, 3)
    orig = factor(big[:n, :n])
    for dst in (Cholesky(), orig):
        dst.extend_vec_sym(orig, big[:, n])
        check_factor_of(dst, big)
    assert dst.symmetric() == n + 1


def test_extend_vec_sym_not_positive_definite_leaves_receiver():
    a = spd(3, 4)
    c = factor(a)
    u0 = np.asarray(c.u()).copy()
    w = a[:, 0]
    k = float(w @ np.linalg.solve(a, w))       # the Schur complement is 0
    with pytest.raises(NotPositiveDefiniteError, match="does not exceed"):
        c.extend_vec_sym(c, np.append(w, k))
    assert np.array_equal(np.asarray(c.u()), u0)


# -- workspace -----------------------------------------------------------------------


def test_factorize_reuses_workspace_without_allocating():
    n = 200
    a, b = SymDense.from_array(spd(n, 1)), spd(n, 2)
    c = factor(a)
    x = np.random.default_rng(0).standard_normal(n)
    for _ in range(2):                       # warm up caches of numpy and the object
        c.factorize(b)
        c.sym_rank_one(c, 1.0, x)
    tracemalloc.start()
    try:
        base, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        for _ in range(3):
            c.factorize(b)
            c.factorize(a)
            c.sym_rank_one(c, 1.0, x)
        now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Not one n×n array (320 kB) or length-n vector (1.6 kB) is allocated.
    assert peak - base < 8 * n
    assert now - base < 8 * n


def test_reset_then_reuse_and_repr():
    c = factor(np.eye(3))
    assert repr(c) == "Cholesky(3×3)" and not c.is_empty()
    c.reset()
    assert c.is_empty() and repr(c) == "Cholesky(empty)" and c.symmetric() == 0
    c.factorize(np.eye(2) * 4)
    assert c.det() == pytest.approx(16.0, rel=4 * EPS)


def test_zero_by_zero():
    c = factor(np.empty((0, 0)))
    assert c.is_empty() and c.det() == 1.0 and c.log_det() == 0.0
    x = Dense()
    c.solve_to(x, np.empty((0, 2)))
    assert x.shape == (0, 2)
    s = SymDense()
    c.inverse_to(s)
    assert s.shape == (0, 0)

