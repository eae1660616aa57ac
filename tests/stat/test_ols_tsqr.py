"""The TSQR factorisation behind ols (row blocks factorised in cache, their R factors
stacked and factorised again) and the one-pass initial residual: the factors against
the orthogonality identities and numpy, bit-identical results for any thread count
and under power-of-two column scaling, and ols on the paths it opens (several
blocks, NaN/inf found by the factorisation, the LAPACK path for wide designs, huge
and tiny columns)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from numkit._kernels import _openmp
from numkit._kernels._regression import (
    augmented_residuals,
    has_avx2_path,
    initial_residuals,
    tsqr,
    tsqr_apply,
    tsqr_block_count,
)
from numkit.stat._ols import _TSQR_MAX_COLUMNS, ols

EPS = np.finfo(np.float64).eps


def _factor(x, intercept, c=None, simd=True):
    n, k = x.shape
    p = k + int(intercept)
    nb = tsqr_block_count(n, p)
    qb, tau = np.empty(n * p), np.empty((nb + 1) * p)
    s = np.empty((nb * p, p), order="F")
    c = np.zeros(n) if c is None else c
    tsqr(x, intercept, qb, tau, s, c, simd)
    return qb, tau, s, c, nb


def _design(x, intercept):
    return np.column_stack([np.ones(x.shape[0]), x]) if intercept else x


def _layout(x, layout):
    k = x.shape[1] // 2
    return {"C": np.ascontiguousarray(x[:, :k]), "F": np.asfortranarray(x[:, :k]),
            "strided": x[:, ::2]}[layout]


def _apply_bound(n, p, nb):
    """Higham, Lemma 19.3: r reflectors of length m applied in floating point are
    an exact orthogonal map of a vector perturbed by at most r·γ(c·m)·‖c‖; here p
    reflectors of length ≈ n/nb (first level) and p of length nb·p (second)."""
    return 4 * p * (2 * n // nb + nb * p) * EPS


TSQR_CASES = [(0, 9, 3, True, "C"), (1, 1000, 5, False, "F"), (2, 40000, 4, True, "C"),
              (3, 70001, 7, True, "strided"), (4, 5000, 30, False, "C"),
              (5, 64, 63, True, "C")]


@pytest.mark.parametrize("seed,n,k,intercept,layout", TSQR_CASES,
                         ids=[f"{n}x{k}-{i}-{lay}" for _, n, k, i, lay in TSQR_CASES])
def test_tsqr_gives_q_transpose_a_equal_r(seed, n, k, intercept, layout):
    """Qᵀa_j = [R[:, j]; 0] for every column, Q(Qᵀc) = c, and R equals numpy's R up
    to the signs of its rows (both are R of A = QR, unique up to signs)."""
    rng = np.random.default_rng(seed)
    x = _layout(rng.standard_normal((n, 2 * k)), layout)
    a = _design(x, intercept)
    p = a.shape[1]
    qb, tau, s, _, nb = _factor(x, intercept)
    r = np.triu(s[:p])
    tol = _apply_bound(n, p, nb)
    for j in range(p):
        c = a[:, j].copy()
        tsqr_apply(qb, tau, s, c, True)
        size = np.linalg.norm(a[:, j])
        assert np.abs(c[:p] - r[:, j]).max() <= tol * size
        if n > p:
            assert np.abs(c[p:]).max() <= tol * size
        tsqr_apply(qb, tau, s, c, False)
        assert np.abs(c - a[:, j]).max() <= 2 * tol * size
    r0 = np.linalg.qr(a, mode="r")
    signs = np.sign(np.diagonal(r)) * np.sign(np.diagonal(r0))
    cond = np.linalg.cond(a)
    assert np.abs(r - signs[:, None] * r0).max() <= 2 * cond * tol * np.linalg.norm(a)


def test_tsqr_applies_qt_to_c_in_the_same_pass():
    rng = np.random.default_rng(11)
    x = rng.standard_normal((50000, 6))
    y = rng.standard_normal(50000)
    qb, tau, s, qty, _ = _factor(x, True, y.copy())
    c = y.copy()
    tsqr_apply(qb, tau, s, c, True)
    assert np.array_equal(c, qty)


def test_tsqr_and_apply_give_the_same_bits_on_any_thread_count():
    rng = np.random.default_rng(12)
    x = rng.standard_normal((120000, 9))
    y = rng.standard_normal(120000)
    assert tsqr_block_count(120000, 10) > 1
    out = []
    for threads in (1, 2):
        _openmp.set_num_threads(threads)
        try:
            qb, tau, s, c, _ = _factor(x, True, y.copy())
            tsqr_apply(qb, tau, s, c, False)
            out.append((qb, tau, s, c))
        finally:
            _openmp.set_num_threads(0)
    for one, two in zip(out[0], out[1], strict=True):
        assert np.array_equal(one, two)


SIMD_CASES = [(15, 9, 3, True, "C"), (16, 1003, 21, True, "C"), (17, 70001, 6, False, "F"),
              (18, 40000, 13, True, "strided"), (19, 2000, 64, False, "C")]


@pytest.mark.parametrize("seed,n,k,intercept,layout", SIMD_CASES,
                         ids=[f"{n}x{k}-{i}-{lay}" for _, n, k, i, lay in SIMD_CASES])
def test_tsqr_avx2_and_baseline_give_the_same_bits(seed, n, k, intercept, layout):
    """The AVX2 and baseline copies run the same operations in the same order
    (contraction off, fixed lanes), so they agree bit for bit; without AVX2 both
    calls run the baseline and the test is trivially true."""
    if not has_avx2_path():
        pytest.skip("this CPU has no AVX2: only the baseline copy runs")
    rng = np.random.default_rng(seed)
    x = _layout(rng.standard_normal((n, 2 * k)) * 10.0 ** rng.integers(-3, 4, 2 * k), layout)
    y = rng.standard_normal(n)
    out = []
    for simd in (True, False):
        qb, tau, s, c, _ = _factor(x, intercept, y.copy(), simd)
        back = c.copy()
        tsqr_apply(qb, tau, s, back, False, simd)
        out.append((qb, tau, s, c, back))
    for one, two in zip(out[0], out[1], strict=True):
        assert np.array_equal(one, two)


@pytest.mark.parametrize("power", [-100, 60, 300], ids=["2^-100", "2^60", "2^300"])
def test_tsqr_commutes_with_power_of_two_column_scaling(power):
    """Scaling a column by 2^s scales every operation on it exactly and leaves the
    reflectors alone, so R's column is scaled and nothing else changes, bit for bit
    (this is why ols may factorise the unscaled design)."""
    rng = np.random.default_rng(13)
    x = rng.standard_normal((30000, 5)) * [1.0, 1e3, 1e-3, 7.0, 1.0]
    d = np.ldexp(1.0, [power, 0, -power, 3, 1])
    qb1, tau1, s1, _, _ = _factor(x, True)
    qb2, tau2, s2, _, _ = _factor(x * d, True)
    assert np.array_equal(tau1, tau2)
    assert np.array_equal(np.triu(s1[:6]) * np.r_[1.0, d], np.triu(s2[:6]))


def test_tsqr_norm_survives_overflow_and_underflow():
    """Columns whose sums of squares overflow (1e200) or underflow (1e-200) still
    get the right R (the norm is rescaled as dnrm2 would)."""
    rng = np.random.default_rng(14)
    x = rng.standard_normal((2000, 3))
    d = np.array([1e200, 1.0, 1e-200])
    r1 = np.triu(_factor(x, False)[2][:3])
    r2 = np.triu(_factor(x * d, False)[2][:3])
    assert np.isfinite(r2).all()
    np.testing.assert_allclose(r2 / d, r1, rtol=100 * EPS * np.linalg.cond(x),
                               atol=100 * EPS * np.abs(r1).max())


def test_tsqr_block_count():
    """Blocks depend on n and p only, hold at least 8p rows when there are several,
    and stay few enough for the serial second level."""
    assert tsqr_block_count(100, 21) == 1
    assert tsqr_block_count(100_000, 21) == 100_000 // (32768 // 21)
    assert tsqr_block_count(10**9, 3) == 512
    for n, p in [(5000, 64), (70001, 7), (123457, 33)]:
        nb = tsqr_block_count(n, p)
        assert nb == 1 or n // nb >= 8 * p


@pytest.mark.parametrize("call", [
    lambda: tsqr(np.ones((10, 2)), True, np.empty(29), np.empty(6), np.empty((3, 3), order="F"),
                 np.empty(10)),
    lambda: tsqr(np.ones((2, 2)), True, np.empty(6), np.empty(6), np.empty((3, 3), order="F"),
                 np.empty(2)),
    lambda: tsqr(np.ones((10, 2)), True, np.empty(30), np.empty(6), np.empty((3, 3), order="F"),
                 np.empty(9)),
    lambda: tsqr_apply(np.empty(30), np.empty(6), np.empty((3, 3), order="F"), np.empty(11),
                       True),
    lambda: initial_residuals(np.ones((3, 2)), np.ones(3), np.ones(3), np.empty(2), True,
                              np.empty(3), np.empty(3)),
], ids=["qb", "too-few-rows", "c", "apply-length", "initial-r"])
def test_kernels_reject_bad_shapes(call):
    with pytest.raises(ValueError, match="shapes do not match"):
        call()


# --- the initial residual --------------------------------------------------------

INIT_CASES = [(20, 9, 3, True), (21, 40, 0, True), (22, 25, 4, False)]


@pytest.mark.parametrize("seed,n,k,intercept", INIT_CASES,
                         ids=[f"{n}x{k}-{i}" for _, n, k, i in INIT_CASES])
def test_initial_residuals_against_fractions(seed, n, k, intercept):
    """r is y - Ab rounded (Dot2: within 2 ulp, here the correctly rounded value
    for cancellation-free data), f is what the rounding lost, g = -Aᵀr; the FMA and
    Dekker copies agree bit for bit."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, k)) * 1e4
    y = rng.standard_normal(n) * 1e8
    b = rng.standard_normal(k + intercept)
    out = []
    for fma in (True, False):
        r, f, g = np.full(n, np.nan), np.empty(n), np.empty(k + intercept)
        initial_residuals(x, y, b, r, intercept, f, g, fma)
        out.append((r, f, g))
    for one, two in zip(out[0], out[1], strict=True):
        assert np.array_equal(one, two)
    r, f, g = out[0]
    a = _design(x, intercept)
    exact = [Fraction(y[i]) - sum(Fraction(v) * Fraction(bj) for v, bj in
                                  zip(a[i], b, strict=True)) for i in range(n)]
    np.testing.assert_allclose(r, [float(v) for v in exact], rtol=2 * EPS, atol=0)
    # r + f carries the residual to about eps² (Dot2's error bound)
    lost = [float(e - Fraction(ri)) for e, ri in zip(exact, r, strict=True)]
    np.testing.assert_allclose(f, lost, rtol=0, atol=4 * EPS ** 2 * np.abs(y).max() * n)
    exact_g = [-sum(Fraction(a[i][j]) * Fraction(r[i]) for i in range(n))
               for j in range(k + intercept)]
    np.testing.assert_allclose(g, [float(v) for v in exact_g], rtol=2 * EPS, atol=0)


def test_initial_residuals_equal_augmented_residuals_of_their_r():
    """g is the same -Aᵀr as augmented_residuals computes from that r, and its f
    (y - r - Ab) agrees with the rounding error to within the Dot2 bound."""
    rng = np.random.default_rng(23)
    x = rng.standard_normal((70001, 6))
    y, b = rng.standard_normal(70001) * 1e3, rng.standard_normal(7)
    r, f, g = np.empty(70001), np.empty(70001), np.empty(7)
    initial_residuals(x, y, b, r, True, f, g)
    f2, g2 = np.empty(70001), np.empty(7)
    augmented_residuals(x, y, b, r, True, f2, g2)
    assert np.array_equal(g, g2)
    np.testing.assert_allclose(f, f2, rtol=0, atol=8 * EPS ** 2 * 1e3 * 10)


# --- ols on the new paths --------------------------------------------------------

def _lstsq_check(fit, x, y, intercept=True):
    a = _design(x, intercept)
    b = np.linalg.lstsq(a, y, rcond=None)[0]
    tol = 20 * fit.condition * EPS
    scale = np.linalg.norm(a, axis=0)
    np.testing.assert_allclose(fit.params * scale, b * scale, rtol=0,
                               atol=tol * np.linalg.norm(b * scale))


@pytest.mark.parametrize("n,k", [(60000, 6), (300, _TSQR_MAX_COLUMNS + 6)],
                         ids=["several-blocks", "wide-lapack-path"])
def test_ols_matches_lstsq_on_both_factorisations(n, k):
    rng = np.random.default_rng(30)
    x = rng.standard_normal((n, k)) * 10.0 ** rng.integers(-2, 3, k)
    y = 2.0 + x @ rng.standard_normal(k) + rng.standard_normal(n)
    fit = ols(x, y)
    _lstsq_check(fit, x, y)
    r = y - _design(x, True) @ fit.params
    np.testing.assert_allclose(fit.residuals, r, rtol=0,
                               atol=20 * fit.condition * EPS * np.abs(y).max())


def test_ols_threads_give_the_same_bits():
    rng = np.random.default_rng(31)
    x = rng.standard_normal((90000, 8))
    y = x @ rng.standard_normal(8) + rng.standard_normal(90000)
    fits = []
    for threads in (1, 2):
        _openmp.set_num_threads(threads)
        try:
            fits.append(ols(x, y))
        finally:
            _openmp.set_num_threads(0)
    assert np.array_equal(fits[0].params, fits[1].params)
    assert np.array_equal(fits[0].residuals, fits[1].residuals)
    assert np.array_equal(fits[0].std_errors, fits[1].std_errors)


@pytest.mark.parametrize("row", [3, 45000], ids=["first-block", "later-block"])
@pytest.mark.parametrize("intercept", [True, False], ids=["intercept", "origin"])
def test_ols_finds_nan_in_x_through_the_factorisation(row, intercept):
    rng = np.random.default_rng(32)
    x = rng.standard_normal((50000, 3))
    y = x @ [1.0, 2.0, 3.0] + rng.standard_normal(50000)
    x[row, 1] = np.nan
    fit = ols(x, y, intercept=intercept)
    assert np.isnan(fit.params).all() and np.isnan(fit.residuals).all()
    keep = np.arange(50000) != row
    omitted = ols(x, y, intercept=intercept, nan_policy="omit")
    clean = ols(x[keep], y[keep], intercept=intercept)
    assert np.array_equal(omitted.params, clean.params)
    with pytest.raises(ValueError, match=rf"row {row} of x, y or weights is NaN"):
        ols(x, y, intercept=intercept, nan_policy="raise")
    x[row, 1] = -np.inf
    with pytest.raises(ValueError, match=r"x and y must be finite"):
        ols(x, y, intercept=intercept)


@pytest.mark.parametrize("factor", [2.0 ** 600, 2.0 ** -600, 1e250, 1e-250],
                         ids=["2^600", "2^-600", "1e250", "1e-250"])
def test_ols_huge_and_tiny_columns(factor):
    """A column scaled by ``factor`` gets its parameter divided by it (exactly, for a
    power of two, up to the refinement's last bit otherwise)."""
    rng = np.random.default_rng(33)
    x = rng.standard_normal((500, 3))
    y = 1.0 + x @ [1.0, -2.0, 0.5] + 0.1 * rng.standard_normal(500)
    base = ols(x, y)
    d = np.array([1.0, factor, 1.0])
    fit = ols(x * d, y)
    np.testing.assert_allclose(fit.params * np.r_[1.0, d], base.params, rtol=4 * EPS)
    np.testing.assert_allclose(fit.std_errors * np.r_[1.0, d], base.std_errors,
                               rtol=16 * EPS * base.condition)
    if np.frexp(factor)[0] == 0.5:  # a power of two: the same scaled design
        assert fit.condition == base.condition
    else:  # scaled to a norm in [0.7, 1.4) either way: within a factor of two
        assert 0.5 <= fit.condition / base.condition <= 2.0


def test_ols_weighted_matches_repetition_on_several_blocks():
    """Frequency weights on a design large enough for several blocks."""
    rng = np.random.default_rng(34)
    x = rng.standard_normal((40000, 4))
    y = x @ [1.0, 2.0, 3.0, 4.0] + rng.standard_normal(40000)
    w = rng.integers(1, 3, 40000).astype(float)
    fit = ols(x, y, weights=w)
    rep = np.repeat(np.arange(40000), w.astype(int))
    ref = ols(x[rep], y[rep])
    np.testing.assert_allclose(fit.params, ref.params, rtol=0,
                               atol=20 * ref.condition * EPS * np.abs(ref.params).max())
    assert fit.df_resid == ref.df_resid
