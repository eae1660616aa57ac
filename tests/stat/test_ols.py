"""ols: agreement with numpy on well-conditioned problems, weights as repetition,
models without intercept, the compensated-residual kernel against exact rationals,
and every rejection path."""

from __future__ import annotations

import ast
import inspect
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from numkit._kernels import _regression
from numkit._kernels._regression import augmented_residuals
from numkit.errors import SingularError
from numkit.stat._ols import OLSResult, ols

EPS = np.finfo(np.float64).eps


def _problem(seed, n, k, noise=1.0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, k)) * 10.0 ** rng.integers(-3, 4, k)
    y = 3.0 + x @ rng.standard_normal(k) + noise * rng.standard_normal(n)
    return x, y


def _reference(x, y, intercept=True, w=None):
    """numpy's lstsq on the explicitly built (weighted) design."""
    a = np.column_stack([np.ones(len(y)), x]) if intercept else x
    sw = np.ones(len(y)) if w is None else np.sqrt(w)
    b = np.linalg.lstsq(a * sw[:, None], y * sw, rcond=None)[0]
    return a, b


CASES = [(0, 50, 3), (1, 200, 1), (2, 1000, 8), (3, 7, 5)]


@pytest.mark.parametrize("seed,n,k", CASES, ids=[f"{n}x{k}" for _, n, k in CASES])
@pytest.mark.parametrize("intercept", [True, False], ids=["intercept", "origin"])
def test_matches_lstsq(seed, n, k, intercept):
    x, y = _problem(seed, n, k)
    fit = ols(x, y, intercept=intercept)
    a, b = _reference(x, y, intercept)
    # error bound of a backward-stable solver: cond(scaled design)·eps, both sides
    tol = 20 * fit.condition * EPS
    scale = np.linalg.norm(a, axis=0)
    np.testing.assert_allclose(fit.params * scale, b * scale, rtol=0,
                               atol=tol * np.linalg.norm(b * scale))
    r = y - a @ b
    df = n - a.shape[1]
    assert fit.df_resid == df
    assert fit.residual_std == pytest.approx(np.sqrt(r @ r / df), rel=tol)
    cov = np.linalg.inv(a.T @ a) * (r @ r / df)
    np.testing.assert_allclose(fit.std_errors, np.sqrt(np.diag(cov)),
                               rtol=20 * fit.condition ** 2 * EPS)
    sst = ((y - y.mean()) ** 2).sum() if intercept else (y ** 2).sum()
    assert fit.r_squared == pytest.approx(1 - (r @ r) / sst, rel=1e-12)
    dfi = int(intercept)
    assert fit.adj_r_squared == pytest.approx(
        1 - (1 - fit.r_squared) * (n - dfi) / df, rel=1e-12)
    # fitted = fl(y - r): one rounding relative to the larger of the two
    gap = np.abs(fit.fitted + fit.residuals - y)
    assert np.all(gap <= 2 * EPS * np.maximum(np.abs(y), np.abs(fit.fitted)))
    np.testing.assert_allclose(fit.predict(x), fit.fitted,
                               atol=1e-12 * np.abs(fit.fitted).max())


def test_frequency_weights_equal_repetition():
    x, y = _problem(5, 40, 3)
    w = np.random.default_rng(6).integers(0, 4, 40).astype(float)
    fit = ols(x, y, weights=w)
    rep = np.repeat(np.arange(40), w.astype(int))
    ref = ols(x[rep], y[rep])
    np.testing.assert_allclose(fit.params, ref.params, rtol=1e-12)
    np.testing.assert_allclose(fit.std_errors, ref.std_errors, rtol=1e-11)
    assert fit.df_resid == ref.df_resid == w.sum() - 4
    assert fit.residual_std == pytest.approx(ref.residual_std, rel=1e-12)
    assert fit.r_squared == pytest.approx(ref.r_squared, rel=1e-12)
    np.testing.assert_allclose(fit.residuals, y - fit.predict(x), atol=1e-12 * np.abs(y).max())


def test_exact_fit_has_zero_residuals():
    x = np.arange(10.0)
    fit = ols(np.column_stack([x, x ** 2]), 1 + 2 * x + 3 * x ** 2)
    assert np.array_equal(fit.params, [1.0, 2.0, 3.0])
    # the refined residual is zero up to rounding of eps² size (NIST scores exact fits
    # by absolute error)
    assert fit.residual_std < 1e-25 and np.all(fit.std_errors < 1e-25)
    assert fit.r_squared == 1.0


def test_zero_response():
    fit = ols([1.0, 2.0, 3.0], [0.0, 0.0, 0.0])
    assert np.array_equal(fit.params, [0.0, 0.0])


def test_result_is_frozen():
    fit = ols([1.0, 2.0, 3.0], [1.0, 2.0, 4.0])
    assert isinstance(fit, OLSResult)
    with pytest.raises(AttributeError):
        fit.params = None


def test_nan_policies():
    x, y = _problem(7, 30, 2)
    y[4] = np.nan
    assert np.isnan(ols(x, y).params).all()
    fit = ols(x, y, nan_policy="omit")
    keep = np.arange(30) != 4
    np.testing.assert_allclose(fit.params, ols(x[keep], y[keep]).params, rtol=1e-13)
    with pytest.raises(ValueError, match=r"row 4 of x, y or weights is NaN"):
        ols(x, y, nan_policy="raise")


BAD = [
    (lambda: ols(np.ones((5, 2)), np.ones(4)), ValueError, r"one value per row of x \(5\)"),
    (lambda: ols(np.ones((2, 3)), np.ones(2)), ValueError,
     r"4 parameters need at least 4 observations; got 2 rows"),
    (lambda: ols(np.ones((3, 1)), np.ones(3), weights=[1, 1]), ValueError,
     r"same length as x \(3\)"),
    (lambda: ols(np.ones((3, 1)), np.ones(3), weights=[1, -1, 1]), ValueError,
     r"non-negative"),
    (lambda: ols([1.0, np.inf, 2.0], [1.0, 2.0, 3.0]), ValueError, r"must be finite"),
    (lambda: ols(np.ones((3, 2, 1)), np.ones(3)), ValueError, r"must be 1-D or 2-D"),
    (lambda: ols(np.array(["a", "b"]), np.ones(2)), TypeError, r"real numbers"),
    (lambda: ols(np.ones((3, 0)), np.ones(3), intercept=False), ValueError,
     r"no parameters"),
    (lambda: ols([1.0, 2.0, 3.0], [1.0, 2.0, 3.0], nan_policy="drop"), ValueError,
     r"nan_policy"),
]


@pytest.mark.parametrize("call,exc,match", BAD, ids=[
    "length", "too-few", "weights-length", "negative-weight", "inf", "3d", "strings",
    "no-params", "bad-policy"])
def test_rejections(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


SINGULAR = [
    (np.column_stack([np.arange(6.0), 2 * np.arange(6.0)]), True, r"x column 1 is a linear"),
    (np.column_stack([np.arange(6.0), np.ones(6)]), True, r"x column 1 is a linear"),
    (np.column_stack([np.arange(6.0), np.zeros(6)]), True, r"x column 1 is zero"),
    (np.column_stack([np.ones(6), np.arange(6.0), np.arange(6.0) + 1]), False,
     r"x column 2 is a linear"),
]


@pytest.mark.parametrize("x,intercept,match", SINGULAR,
                         ids=["multiple", "constant", "zero", "sum"])
def test_singular_design_names_the_column(x, intercept, match):
    with pytest.raises(SingularError, match=match):
        ols(x, np.arange(6.0) ** 2, intercept=intercept)


@pytest.mark.parametrize("gap,singular", [(1e-9, False), (1e-17, True)],
                         ids=["nearly-dependent", "dependent-to-working-precision"])
def test_nearly_dependent_columns(gap, singular):
    """A column that differs from another by ``gap`` relative: ill-conditioned but
    solved (condition reported ~1/gap), or, below n·eps, rejected by name."""
    rng = np.random.default_rng(8)
    t = rng.standard_normal(40)
    x = np.column_stack([t, t + gap * rng.standard_normal(40)])
    y = 1 + t + rng.standard_normal(40)
    if singular:
        with pytest.raises(SingularError, match=r"x column 1 is a linear combination"):
            ols(x, y)
    else:
        fit = ols(x, y)
        assert 0.1 / gap < fit.condition < 100 / gap


def test_predict_rejects_wrong_width():
    fit = ols(np.ones((4, 2)) + np.eye(4)[:, :2], np.arange(4.0))
    with pytest.raises(ValueError, match=r"2 predictor column\(s\); x has shape \(3, 3\)"):
        fit.predict(np.ones((3, 3)))


# --- the kernel ------------------------------------------------------------------

KERNEL_CASES = [(0, 9, 3, True), (1, 40, 0, True), (2, 25, 4, False)]


@pytest.mark.parametrize("seed,n,k,intercept", KERNEL_CASES,
                         ids=[f"{n}x{k}-{i}" for _, n, k, i in KERNEL_CASES])
def test_kernel_is_correctly_rounded(seed, n, k, intercept):
    """Dot2 is accurate to ~2 ulp of the result plus eps² of the terms: with
    cancellation-free data of this size that is the correctly rounded value."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, k)) * 1e4
    y = rng.standard_normal(n) * 1e8
    b = rng.standard_normal(k + intercept)
    r = rng.standard_normal(n)
    f, g = np.empty(n), np.empty(k + intercept)
    augmented_residuals(x, y, b, r, intercept, f, g)
    a = [([1.0] if intercept else []) + list(row) for row in x]
    exact_f = [Fraction(y[i]) - Fraction(r[i]) - sum(Fraction(v) * Fraction(bj)
               for v, bj in zip(a[i], b, strict=True)) for i in range(n)]
    exact_g = [-sum(Fraction(a[i][j]) * Fraction(r[i]) for i in range(n))
               for j in range(k + intercept)]
    np.testing.assert_allclose(f, [float(v) for v in exact_f], rtol=2 * EPS, atol=0)
    np.testing.assert_allclose(g, [float(v) for v in exact_g], rtol=2 * EPS, atol=0)


def test_kernel_threads_give_the_same_bits():
    from numkit._kernels import _openmp
    rng = np.random.default_rng(3)
    x = rng.standard_normal((60000, 3))
    y, r, b = rng.standard_normal(60000), rng.standard_normal(60000), np.ones(4)
    out = []
    for t in (1, 2):
        _openmp.set_num_threads(t)
        try:
            f, g = np.empty(60000), np.empty(4)
            augmented_residuals(x, y, b, r, True, f, g)
            out.append((f, g))
        finally:
            _openmp.set_num_threads(0)
    assert np.array_equal(out[0][0], out[1][0]) and np.array_equal(out[0][1], out[1][1])


TWO_PATH_CASES = [(4, 9, 3, True, "C"), (5, 1003, 21, True, "C"), (6, 517, 6, False, "F"),
                  (7, 70001, 20, True, "C"), (8, 333, 5, True, "strided")]


@pytest.mark.parametrize("seed,n,k,intercept,layout", TWO_PATH_CASES,
                         ids=[f"{n}x{k}-{i}-{lay}" for _, n, k, i, lay in TWO_PATH_CASES])
def test_kernel_fma_and_dekker_give_the_same_bits(seed, n, k, intercept, layout):
    """Both TwoProducts are exact, so the FMA and Dekker copies of the loop agree bit
    for bit (a compiler that contracted ``s - a*b`` would break this); and the
    Dekker path still meets the Fraction oracle's 2-eps bound."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 2 * k)) * 1e3
    x = {"C": x[:, :k].copy(), "F": np.asfortranarray(x[:, :k]), "strided": x[:, ::2]}[layout]
    y = rng.standard_normal(n) * 1e6
    b = rng.standard_normal(k + intercept)
    r = rng.standard_normal(n)
    out = []
    for fma in (True, False):
        f, g = np.empty(n), np.empty(k + intercept)
        augmented_residuals(x, y, b, r, intercept, f, g, fma)
        out.append((f, g))
    assert np.array_equal(out[0][0], out[1][0]) and np.array_equal(out[0][1], out[1][1])
    if n < 600:
        a = np.column_stack([np.ones(n), x]) if intercept else x
        exact_g = [-sum(Fraction(v) * Fraction(ri) for v, ri in zip(a[:, j], r, strict=True))
                   for j in range(k + intercept)]
        np.testing.assert_allclose(out[1][1], [float(v) for v in exact_g], rtol=2 * EPS,
                                   atol=0)


@pytest.mark.parametrize("intercept", [True, False], ids=["intercept", "no-intercept"])
@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_scaled_design_matches_numpy(intercept, layout):
    rng = np.random.default_rng(9)
    x = rng.standard_normal((1000, 14))
    x = {"C": x[:, :7].copy(), "F": np.asfortranarray(x[:, :7]), "strided": x[:, ::2]}[layout]
    scale = np.exp2(rng.integers(-5, 5, 7 + intercept).astype(float))
    a = np.empty((1000, 7 + intercept), order="F")
    _regression.scaled_design(x, scale, intercept, a)
    design = np.column_stack([np.ones(1000), x]) if intercept else x
    assert np.array_equal(a, design * scale)  # powers of two: exact, so equal bits


def test_scaled_design_rejects_bad_shapes():
    with pytest.raises(ValueError, match="shapes do not match"):
        _regression.scaled_design(np.ones((3, 2)), np.ones(2), True,
                                  np.empty((3, 3), order="F"))


def test_ols_accepts_a_misaligned_design():
    """A float64 view at an odd byte offset is copied before the kernels see it."""
    rng = np.random.default_rng(10)
    xa = rng.standard_normal((50, 2))
    raw = bytearray(2000)
    x = np.ndarray((50, 2), dtype=np.float64, buffer=raw, offset=1, strides=(17, 8))
    x[...] = xa
    y = xa @ [1.0, -2.0] + 3.0 + 1e-3 * rng.standard_normal(50)
    np.testing.assert_array_equal(ols(x, y).params, ols(xa, y).params)


def test_kernel_rejects_bad_shapes():
    with pytest.raises(ValueError, match="shapes do not match"):
        augmented_residuals(np.ones((3, 2)), np.ones(3), np.ones(2), np.ones(3), True,
                            np.empty(3), np.empty(3))


def test_kernel_stub_matches_runtime():
    stub = ast.parse(Path(_regression.__file__).with_name("_regression.pyi").read_text())
    stubs = {f.name: [a.arg for a in f.args.args] for f in stub.body
             if isinstance(f, ast.FunctionDef)}
    runtime = {name: [p for p in inspect.signature(obj).parameters]
               for name, obj in vars(_regression).items()
               if callable(obj) and not name.startswith("_") and not inspect.isclass(obj)
               and getattr(obj, "__module__", "") == _regression.__name__}
    assert stubs == runtime
