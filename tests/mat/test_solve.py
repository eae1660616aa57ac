"""Dense.solve, Dense.inverse, VecDense.solve_vec and the functions det, log_det,
cond (numkit.mat._solve; Gonum's mat/solve.go, Inverse, Det, LogDet, Cond)."""

import math
import warnings

import numpy as np
import pytest
import scipy.linalg as sla

from numkit._errstate import errstate
from numkit.errors import ConditionError, ConditionWarning, ShapeError, SingularError
from numkit.mat import Dense, VecDense
from numkit.mat._solve import cond, det, log_det

EPS = np.finfo(float).eps


def read_only(a):
    r = np.array(a)
    r.setflags(write=False)
    return r


def strided(a):
    """The same values as a view with non-unit strides in both axes."""
    big = np.zeros((a.shape[0] * 2, a.shape[1] * 3))
    big[::2, ::3] = a
    return big[::2, ::3]


LAYOUTS = [
    ("C", lambda a: a),
    ("F", np.asfortranarray),
    ("strided", strided),
    ("T-view", lambda a: Dense.from_array(a.T).T()),
    ("Dense", Dense.from_array),
    ("readonly", read_only),
    ("list", lambda a: a.tolist()),
]


def solve_ref(a, b):
    """numpy's answer by Gonum's rules: solve when square, else lstsq (which is the
    least-squares solution for tall and the minimum-norm one for wide)."""
    if a.shape[0] == a.shape[1]:
        return np.linalg.solve(a, b)
    return np.linalg.lstsq(a, b, rcond=None)[0]


def forward_tol(a, ref):
    """Forward error bound κ₂(A)·c·n·eps·‖x‖ with c = 10 (backward stable solvers)."""
    n = max(a.shape)
    return 10 * n * EPS * np.linalg.cond(a) * max(np.abs(ref).max(), 1.0)


SHAPES = [(1, 1, 1), (3, 3, 1), (3, 3, 4), (8, 8, 2), (9, 9, 3), (50, 50, 10),
          (40, 7, 3), (7, 40, 2), (5, 1, 1), (1, 5, 2)]


@pytest.mark.parametrize("m, n, k", SHAPES, ids=lambda v: str(v))
def test_solve_matches_numpy(m, n, k):
    rng = np.random.default_rng(m * 100 + n * 10 + k)
    a, b = rng.standard_normal((m, n)), rng.standard_normal((m, k))
    x = Dense()
    x.solve(a, b)
    ref = solve_ref(a, b)
    np.testing.assert_allclose(np.asarray(x), ref, atol=forward_tol(a, ref), rtol=0)
    v = VecDense()
    v.solve_vec(a, b[:, 0])
    np.testing.assert_allclose(np.asarray(v), ref[:, 0], atol=forward_tol(a, ref), rtol=0)


@pytest.mark.parametrize("m, n", [(3, 3), (12, 12), (15, 4), (4, 15)], ids=str)
@pytest.mark.parametrize("layout_a", LAYOUTS, ids=lambda t: t[0])
@pytest.mark.parametrize("layout_b", LAYOUTS[:4], ids=lambda t: "b-" + t[0])
def test_conformance_of_operand_layouts(m, n, layout_a, layout_b):
    rng = np.random.default_rng(7)
    a, b = rng.standard_normal((m, n)), rng.standard_normal((m, 2))
    x = Dense()
    x.solve(layout_a[1](a), layout_b[1](b))
    ref = solve_ref(a, b)
    np.testing.assert_allclose(np.asarray(x), ref, atol=forward_tol(a, ref), rtol=0)


@pytest.mark.parametrize("n", [1, 2, 3, 8, 9, 40], ids=lambda n: f"n{n}")
@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda t: t[0])
def test_inverse_matches_numpy(n, layout):
    a = np.random.default_rng(n).standard_normal((n, n))
    inv = Dense()
    inv.inverse(layout[1](a))
    ref = np.linalg.inv(a)
    tol = 10 * n * EPS * np.linalg.cond(a, 1) * np.abs(ref).max()
    np.testing.assert_allclose(np.asarray(inv), ref, atol=tol, rtol=0)


@pytest.mark.parametrize("n", [3, 20], ids=lambda n: f"n{n}")
def test_inverse_in_place_and_receivers(n):
    a = np.random.default_rng(n).standard_normal((n, n))
    m = Dense.from_array(a)
    m.inverse(m)
    np.testing.assert_allclose(np.asarray(m), np.linalg.inv(a), rtol=0,
                               atol=10 * n * EPS * np.linalg.cond(a, 1) * np.abs(a).max())
    with pytest.raises(ShapeError, match=rf"inverse: the receiver is 2×2 but the result is {n}×{n}"):
        Dense(2, 2).inverse(a)
    with pytest.raises(ShapeError, match=r"inverse: a must be square .*got 2×3"):
        Dense().inverse(np.ones((2, 3)))


@pytest.mark.parametrize("n", [3, 20], ids=lambda n: f"n{n}")
def test_receiver_may_be_an_operand(n):
    rng = np.random.default_rng(11)
    a, b = rng.standard_normal((n, n)), rng.standard_normal((n, n))
    ref = np.linalg.solve(a, b)
    tol = forward_tol(a, ref)
    for target in ("a", "b"):
        A, B = Dense.from_array(a), Dense.from_array(b)
        dst = A if target == "a" else B
        dst.solve(A, B)
        np.testing.assert_allclose(np.asarray(dst), ref, atol=tol, rtol=0)
    # A receiver that is the transpose of b's storage (partial overlap) is fine too:
    # operands are read before the receiver is written.
    B = Dense.from_array(b)
    B.T().solve(a, B)
    np.testing.assert_allclose(np.asarray(B).T, ref, atol=tol, rtol=0)


def test_solve_shape_errors():
    with pytest.raises(ShapeError, match=r"solve: a is 3×3 but b is 4×1 \(b needs 3 rows\)"):
        Dense().solve(np.eye(3), np.ones((4, 1)))
    with pytest.raises(ShapeError, match=r"solve: the receiver is 2×2 but the result is 3×1"):
        Dense(2, 2).solve(np.eye(3), np.ones((3, 1)))
    with pytest.raises(ShapeError, match=r"solve_vec: a is 3×2 but b has length 2"):
        VecDense().solve_vec(np.ones((3, 2)), np.ones(2))
    with pytest.raises(ShapeError, match=r"solve_vec: the receiver has length 3"):
        VecDense(3).solve_vec(np.ones((4, 2)), np.ones(4))


SINGULAR = [
    ("square-small", np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]])),
    ("square-zero-8", np.zeros((8, 8))),
    ("square-large", np.hstack([np.eye(20)[:, :19], np.zeros((20, 1))])),
    ("tall-zero-column", np.hstack([np.zeros((6, 1)), np.ones((6, 2)) * [1, 2]])),
    ("wide-zero-row", np.vstack([np.zeros((1, 6)), np.arange(6.0)])),
]


@pytest.mark.parametrize("a", [s[1] for s in SINGULAR], ids=[s[0] for s in SINGULAR])
def test_singular_and_rank_deficient_raise(a):
    with pytest.raises(SingularError, match=r"solve: a .*(exactly singular|rank deficient)"):
        Dense().solve(a, np.ones((a.shape[0], 1)))
    with pytest.raises(SingularError, match=r"solve_vec"):
        VecDense().solve_vec(a, np.ones(a.shape[0]))
    if a.shape[0] == a.shape[1]:
        with pytest.raises(SingularError, match=r"inverse: a is exactly singular"):
            Dense().inverse(a)


@pytest.mark.parametrize("n", [3, 30], ids=lambda n: f"n{n}")
@pytest.mark.parametrize("where", ["a", "b"])
@pytest.mark.parametrize("bad", [np.nan, np.inf], ids=["nan", "inf"])
def test_non_finite_input_raises(n, where, bad):
    a, b = np.eye(n) * 2, np.ones((n, 2))
    (a if where == "a" else b)[n - 1, 1] = bad
    with pytest.raises(ValueError, match=rf"solve: {where} contains NaN or inf"):
        Dense().solve(a, b)
    if where == "a":
        with pytest.raises(ValueError, match=r"inverse: a contains NaN or inf"):
            Dense().inverse(a)
        for f in (det, log_det, cond):
            with pytest.raises(ValueError, match=rf"{f.__name__}: a contains NaN or inf"):
                f(a)


def test_zero_size_systems():
    x = Dense()
    x.solve(np.zeros((0, 0)), np.zeros((0, 2)))
    assert x.shape == (0, 2)
    x = Dense()
    x.solve(np.zeros((0, 3)), np.zeros((0, 1)))  # minimum norm of nothing: zero
    np.testing.assert_array_equal(np.asarray(x), np.zeros((3, 1)))
    inv = Dense()
    inv.inverse(np.zeros((0, 0)))
    assert inv.shape == (0, 0)
    assert det(np.zeros((0, 0))) == 1.0 and log_det(np.zeros((0, 0))) == (0.0, 1.0)


def caught_condition_warnings(fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn()
    return [w.message for w in caught if issubclass(w.category, ConditionWarning)]


@pytest.mark.parametrize("n", range(2, 15), ids=lambda n: f"H{n}")
def test_hilbert_warns_exactly_past_1e16(n):
    h = sla.hilbert(n)
    estimate = cond(h, 1)
    found = caught_condition_warnings(lambda: Dense().solve(h, np.ones((n, 1))))
    # numpy's exact κ₁ first passes 1e16 at n = 12 (4.0e16), as the estimate does.
    assert bool(found) == (n >= 12)
    assert bool(found) == (np.linalg.cond(h, 1) > 1e16 or n > 12)
    if found:
        assert found[0].condition == pytest.approx(estimate, rel=1e-12)
    inv_found = caught_condition_warnings(lambda: Dense().inverse(h))
    assert bool(inv_found) == (n >= 12)


def test_small_path_condition_is_exact_and_warns():
    # Order ≤ 8 uses the stack kernel's exact κ₁ = ‖A‖₁‖A⁻¹‖₁.
    a = np.array([[1.0, 1.0], [1.0, 1.0 + 1e-17 * 4]])  # 1 + 4e-17 rounds to 1: singular
    with pytest.raises(SingularError):
        Dense().solve(a, np.ones((2, 1)))
    a = np.diag([1.0, 1e-17])
    found = caught_condition_warnings(lambda: Dense().solve(a, np.ones((2, 1))))
    assert len(found) == 1 and found[0].condition == pytest.approx(1e17, rel=1e-15)


def test_errstate_raise_and_ignore():
    h = sla.hilbert(13)
    for solve in (lambda: Dense().solve(h, np.ones((13, 1))), lambda: Dense().inverse(h),
                  lambda: Dense().solve(np.diag([1.0, 1e-17]), np.ones((2, 1)))):
        with errstate(condition="raise"), pytest.raises(ConditionError, match="ill-conditioned"):
            solve()
        with errstate(condition="ignore"), warnings.catch_warnings():
            warnings.simplefilter("error")
            solve()


@pytest.mark.parametrize("shape", ["tall", "wide"])
def test_rectangular_condition_uses_the_triangular_factor(shape):
    # Two equal columns: R's diagonal gets a rounding-level element, κ(R) ≈ 2.4e16.
    t = np.linspace(0, 1, 30)
    a = np.column_stack([t, t, np.ones(30)])
    a = a if shape == "tall" else a.T
    found = caught_condition_warnings(lambda: Dense().solve(a, np.ones((a.shape[0], 1))))
    assert len(found) == 1 and found[0].condition > 1e16
    well = np.column_stack([t, t**2, np.ones(30)])
    well = well if shape == "tall" else well.T
    assert caught_condition_warnings(
        lambda: Dense().solve(well, np.ones((well.shape[0], 1)))) == []


MATRICES = [
    ("1x1", np.array([[-3.0]])),
    ("random5", np.random.default_rng(3).standard_normal((5, 5))),
    ("random60", np.random.default_rng(4).standard_normal((60, 60))),
    ("F-order", np.asfortranarray(np.random.default_rng(5).standard_normal((9, 9)))),
    ("T-view", np.random.default_rng(6).standard_normal((9, 9)).T),
]


@pytest.mark.parametrize("a", [m[1] for m in MATRICES], ids=[m[0] for m in MATRICES])
def test_det_log_det_cond_match_numpy(a):
    n = a.shape[0]
    kappa = np.linalg.cond(a, 1)
    assert det(a) == pytest.approx(np.linalg.det(a), rel=10 * n * EPS * kappa)
    sign, logabs = np.linalg.slogdet(a)
    got = log_det(a)
    assert got[1] == sign and got[0] == pytest.approx(logabs, abs=10 * n * EPS * kappa)
    assert cond(a, 2) == pytest.approx(np.linalg.cond(a), rel=10 * n * EPS * kappa)
    for o in (1, np.inf):
        exact = np.linalg.cond(a, o)
        assert exact / 3 <= cond(a, o) <= exact * (1 + 1e-8)


def test_det_of_singular_and_huge():
    assert det(np.ones((4, 4))) == 0.0
    assert log_det(np.ones((4, 4))) == (-math.inf, 0.0)
    assert cond(np.ones((4, 4)), 1) == math.inf and cond(np.ones((4, 4)), 2) > 1e16
    d = np.diag([1e300, 1e300, 1e-300, -1e-290])
    assert det(d) == pytest.approx(-1e10, rel=1e-12)


@pytest.mark.parametrize("shape", [(5, 3), (3, 5)], ids=str)
def test_cond_two_norm_of_non_square(shape):
    a = np.random.default_rng(9).standard_normal(shape)
    assert cond(a) == pytest.approx(np.linalg.cond(a), rel=1e-12)
    with pytest.raises(ShapeError, match=rf"cond: a must be square .*got {shape[0]}×{shape[1]}"):
        cond(a, 1)


def test_function_errors():
    for f in (det, log_det):
        with pytest.raises(ShapeError, match=rf"{f.__name__}: a must be square .*got 2×3"):
            f(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"cond: ord must be 1, 2 or inf; got 'fro'"):
        cond(np.eye(2), "fro")
    with pytest.raises(ShapeError, match=r"cond: a is 0×0"):
        cond(np.zeros((0, 0)))


def test_solve_kernel_stub_matches_runtime():
    # tests/kernels/test_stubs.py's MODULES does not list _solve yet; same check here.
    import ast
    import inspect
    from pathlib import Path

    from numkit._kernels import _solve as kernel

    tree = ast.parse(Path(kernel.__file__).with_name("_solve.pyi").read_text())
    stubs = {f.name: [a.arg for a in f.args.args] for f in tree.body
             if isinstance(f, ast.FunctionDef)}
    runtime = {name: [p for p in inspect.signature(f).parameters]
               for name, f in vars(kernel).items()
               if callable(f) and not name.startswith("_") and hasattr(f, "__name__")
               and type(f).__name__ in ("cython_function_or_method", "builtin_function_or_method")}
    assert stubs == runtime


def test_small_kernel_declines_what_it_cannot_take():
    from numkit._kernels import _solve as kernel

    x = np.empty((9, 1))
    assert kernel.solve_small(np.eye(9), np.ones((9, 1)), x) == -1.0  # n > 8
    x = np.empty((2, 200))
    assert kernel.solve_small(np.eye(2), np.ones((2, 200)), x) == -1.0  # n·k > 256
    x = np.empty((2, 1), dtype=np.float32)
    assert kernel.solve_small(np.eye(2), np.ones((2, 1)), x) == -1.0  # not float64
    # The Python side falls back to LAPACK for the 2×200 case.
    out = Dense()
    out.solve(np.eye(2) * 2, np.ones((2, 200)))
    np.testing.assert_array_equal(np.asarray(out), np.full((2, 200), 0.5))
