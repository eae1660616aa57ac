"""TriDense: construction, the zero-triangle invariant, transposed views, receivers,
aliasing and every method, against numpy/scipy as the oracle."""

import warnings

import numpy as np
import pytest
import scipy.linalg
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import numkit
from numkit.errors import (
    AliasingError,
    ConditionError,
    ConditionWarning,
    ShapeError,
    SingularError,
)
from numkit.mat._dense import Dense
from numkit.mat._triangular import TriDense

EPS = np.finfo(float).eps
KINDS = ["upper", "lower"]
SIZES = [0, 1, 2, 5, 30]


def tri(kind, a):
    return np.triu(a) if kind == "upper" else np.tril(a)


def rand_tri(n, kind, seed=0):
    """A well-conditioned triangular matrix: diagonal of modulus in [1, 2], the rest
    standard normal scaled by 1/n (so κ stays small as n grows)."""
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((n, n)) / max(n, 1)
    np.fill_diagonal(a, rng.choice([-1.0, 1.0], n) * rng.uniform(1, 2, n))
    return tri(kind, a)


def assert_triangular(t):
    """The invariant: the other triangle is exactly zero."""
    n, kind = t.triangle()
    a = np.asarray(t)
    other = np.tril(a, -1) if kind == "upper" else np.triu(a, 1)
    assert not other.any(), other


def layouts(a):
    big = np.zeros((2 * a.shape[0] + 1, 2 * a.shape[1] + 1))
    big[1::2, 1::2] = a
    ro = a.copy()
    ro.flags.writeable = False
    return [
        ("C", np.ascontiguousarray(a)),
        ("F", np.asfortranarray(a)),
        ("strided", big[1::2, 1::2]),
        ("read-only", ro),
        ("list", a.tolist()),
    ]


LAYOUT_IDS = ["C", "F", "strided", "read-only", "list"]


def product_tol(a, b):
    # |fl(AB) - AB| <= k eps |A||B| (Higham, Accuracy and Stability, §3.5), for the
    # kernel and for numpy's oracle alike.
    return 2 * (a.shape[1] + 1) * EPS * (np.abs(a) @ np.abs(b)) + 1e-300


# -- construction ---------------------------------------------------------------------


@pytest.mark.parametrize("kind, spelled", [("upper", "upper"), ("lower", "lower"),
                                            ("upper", "Upper"), ("lower", "LOWER")],
                         ids=["upper", "lower", "Upper", "LOWER"])
def test_data_becomes_backing_store_with_the_other_triangle_zeroed(kind, spelled):
    data = np.arange(1.0, 10.0)
    t = TriDense(3, spelled, data)
    assert t.triangle() == (3, kind)
    np.testing.assert_array_equal(data.reshape(3, 3), tri(kind, np.arange(1.0, 10.0).reshape(3, 3)))
    t.set_tri(1, 1, 42.0)
    assert data[4] == 42.0
    assert_triangular(t)


@pytest.mark.parametrize("kind", KINDS)
def test_other_data_is_copied_and_only_the_triangle_read(kind):
    data = [1, 2, 3, 4]
    t = TriDense(2, kind, data)
    np.testing.assert_array_equal(np.asarray(t), tri(kind, np.array([[1.0, 2], [3, 4]])))
    ro = np.arange(4.0)
    ro.flags.writeable = False
    t = TriDense(2, kind, ro)
    assert not np.shares_memory(np.asarray(t), ro)
    np.testing.assert_array_equal(ro, np.arange(4.0))


@pytest.mark.parametrize(
    "args, exc, match",
    [
        ((2, "upper", [1, 2, 3]), ShapeError, "3 elements but a 2×2 matrix needs 4"),
        ((-1,), ValueError, "non-negative"),
        ((2, "diagonal"), ValueError, r"kind must be 'upper' or 'lower'; got 'diagonal'"),
        ((2, True), ValueError, r"kind must be 'upper' or 'lower'; got True"),
        ((2, None), ValueError, r"kind must be 'upper' or 'lower'; got None"),
    ],
    ids=["short-data", "negative", "bad-kind", "bool-kind", "none-kind"],
)
def test_constructor_errors(args, exc, match):
    with pytest.raises(exc, match=match):
        TriDense(*args)


def test_introspection():
    t = TriDense(3, "lower")
    assert t.triangle() == (3, "lower") and t.dims() == (3, 3) and t.shape == (3, 3)
    assert repr(t) == "TriDense(3×3)"
    assert TriDense().is_empty() and not t.is_empty()
    np.testing.assert_array_equal(np.asarray(t), np.zeros((3, 3)))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name, idx", [(n, i) for i, n in enumerate(LAYOUT_IDS)], ids=LAYOUT_IDS)
def test_from_array_takes_the_named_triangle(kind, name, idx):
    a = np.random.default_rng(1).standard_normal((4, 4))
    src = layouts(a)[idx][1]
    t = TriDense.from_array(src, kind=kind)
    np.testing.assert_array_equal(np.asarray(t), tri(kind, a))
    assert t.triangle() == (4, kind)
    if isinstance(src, np.ndarray):
        assert not np.shares_memory(np.asarray(t), src)


@pytest.mark.parametrize(
    "a, kind, exc, match",
    [
        (np.ones((2, 3)), "upper", ShapeError, r"a must be square .triangular.; got 2×3"),
        (np.ones((2, 2)), "both", ValueError, r"kind must be 'upper' or 'lower'"),
    ],
    ids=["non-square", "bad-kind"],
)
def test_from_array_errors(a, kind, exc, match):
    with pytest.raises(exc, match=match):
        TriDense.from_array(a, kind)


# -- elements and views -----------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, i, j, exc, match",
    [
        ("upper", 1, 0, ValueError, r"set_tri: \(1, 0\) is below the diagonal of a upper"),
        ("lower", 0, 2, ValueError, r"set_tri: \(0, 2\) is above the diagonal of a lower"),
        ("upper", 0, 3, IndexError, r"set_tri: index \(0, 3\) out of range for a 3×3"),
        ("lower", -1, 0, IndexError, r"set_tri: index \(-1, 0\) out of range"),
    ],
    ids=["upper-below", "lower-above", "out-of-range", "negative"],
)
def test_set_tri_errors(kind, i, j, exc, match):
    t = TriDense(3, kind)
    with pytest.raises(exc, match=match):
        t.set_tri(i, j, 1.0)
    assert_triangular(t)
    assert not np.asarray(t).any()


@pytest.mark.parametrize("kind", KINDS)
def test_transpose_is_a_view_of_the_other_kind(kind):
    a = rand_tri(4, kind, 2)
    t = TriDense.from_array(a, kind)
    u = t.T()
    assert u.triangle() == (4, "lower" if kind == "upper" else "upper")
    np.testing.assert_array_equal(np.asarray(u), a.T)
    assert np.shares_memory(np.asarray(u), np.asarray(t))
    i, j = (3, 1) if kind == "upper" else (1, 3)  # in u's triangle
    u.set_tri(i, j, 77.0)
    assert t.at(j, i) == 77.0
    assert np.shares_memory(np.asarray(u.T()), np.asarray(t))
    np.testing.assert_array_equal(np.asarray(u.T()), np.asarray(t))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("shape", [(2, 2), (4, 4), (6, 6), (3, 5), (5, 2)],
                         ids=["smaller", "equal", "larger", "wide", "tall"])
def test_copy_tri_copies_the_receivers_triangle(kind, shape):
    a = np.random.default_rng(3).standard_normal(shape)
    t = TriDense(4, kind)
    r, c = t.copy_tri(a)
    assert (r, c) == (min(4, shape[0]), min(4, shape[1]))
    expect = np.zeros((4, 4))
    expect[:r, :c] = a[:r, :c]
    np.testing.assert_array_equal(np.asarray(t), tri(kind, expect))
    assert_triangular(t)


def test_copy_tri_from_itself_shifted_and_into_empty():
    t = TriDense.from_array(rand_tri(4, "upper", 4), "upper")
    before = np.asarray(t).copy()
    assert t.copy_tri(np.asarray(t)[:, 1:]) == (4, 3)
    expect = before.copy()
    expect[:4, :3] = np.triu(before[:, 1:])
    expect[:, 3] = before[:, 3]
    np.testing.assert_array_equal(np.asarray(t), expect)
    assert TriDense().copy_tri(np.ones((2, 2))) == (0, 0)


def test_reset_takes_a_new_kind_and_zero():
    t = TriDense.from_array(rand_tri(3, "upper"), "upper")
    t.zero()
    assert not np.asarray(t).any()
    t.reset()
    assert t.is_empty()
    t.scale_tri(2.0, TriDense.from_array(rand_tri(2, "lower"), "lower"))
    assert t.triangle() == (2, "lower")
    np.testing.assert_array_equal(np.asarray(t), 2.0 * rand_tri(2, "lower"))


# -- inverse_tri --------------------------------------------------------------------------


def operand_variants(a, kind):
    """``a`` as a TriDense, as the transposed view of a TriDense of the other kind,
    and as arrays of several layouts."""
    other = "lower" if kind == "upper" else "upper"
    out = [("TriDense", TriDense.from_array(a, kind)),
           ("T-view", TriDense.from_array(a.T, other).T())]
    out += layouts(a)
    return out


VARIANT_IDS = ["TriDense", "T-view"] + LAYOUT_IDS


def expected_kind(operand, kind):
    # An array that is both upper and lower triangular (n < 2) is taken as upper.
    if isinstance(operand, TriDense) or len(operand) >= 2:
        return kind
    return "upper"


def inverse_tol(a):
    # Both dtrtri and the oracle are backward stable: each is within about
    # n eps κ₁(a) ‖a⁻¹‖ of the exact inverse (Higham, ch. 14), so they agree to twice that.
    n = a.shape[0]
    if n == 0:
        return 0.0
    inv = np.linalg.inv(a)
    kappa = np.abs(a).sum(0).max() * np.abs(inv).sum(0).max()
    return 4 * (n + 1) * EPS * kappa * np.abs(inv).max()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("n", SIZES, ids=[f"n{n}" for n in SIZES])
@pytest.mark.parametrize("vid", range(len(VARIANT_IDS)), ids=VARIANT_IDS)
def test_inverse_tri(kind, n, vid):
    a = rand_tri(n, kind, n)
    operand = operand_variants(a, kind)[vid][1]
    if n == 0 and isinstance(operand, list):
        pytest.skip("[] is a 1-D array-like, not a 0×0 matrix")
    t = TriDense()
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConditionWarning)
        t.inverse_tri(operand)
    assert t.triangle() == (n, expected_kind(operand, kind))
    assert_triangular(t)
    if n:
        oracle = scipy.linalg.solve_triangular(a, np.eye(n), lower=kind == "lower")
        assert np.abs(np.asarray(t) - oracle).max() <= inverse_tol(a)


@pytest.mark.parametrize("kind", KINDS)
def test_inverse_tri_in_place_and_into_a_transposed_view(kind):
    a = rand_tri(6, kind, 5)
    t = TriDense.from_array(a, kind)
    t.inverse_tri(t)
    oracle = np.linalg.inv(a)
    assert np.abs(np.asarray(t) - oracle).max() <= inverse_tol(a)
    assert_triangular(t)
    # The receiver is a transposed view (Fortran-ordered storage).
    other = "lower" if kind == "upper" else "upper"
    host = TriDense(6, other)
    view = host.T()
    view.inverse_tri(a)
    # dtrtri runs on the other triangle of the transposed storage: other roundings.
    assert np.abs(np.asarray(host).T - oracle).max() <= inverse_tol(a)
    assert_triangular(host)


@pytest.mark.parametrize("kind", KINDS)
def test_inverse_tri_singular_leaves_the_receiver_untouched(kind):
    a = rand_tri(4, kind, 6)
    a[2, 2] = 0.0
    t = TriDense.from_array(rand_tri(4, kind, 7), kind)
    before = np.asarray(t).copy()
    with pytest.raises(SingularError, match=r"inverse_tri: a is exactly singular: its diagonal "
                                            r"element \(2, 2\) is zero"):
        t.inverse_tri(a)
    np.testing.assert_array_equal(np.asarray(t), before)
    s = TriDense.from_array(a, kind)
    with pytest.raises(SingularError, match="exactly singular"):
        s.inverse_tri(s)
    np.testing.assert_array_equal(np.asarray(s), a)
    e = TriDense()
    with pytest.raises(SingularError):
        e.inverse_tri(s)
    assert e.is_empty()


def ill_conditioned():
    # κ₁ ≈ 1e20: the inverse's (0, 1) element is -1e20.
    return np.array([[1.0, 1.0], [0.0, 1e-20]])


def test_inverse_tri_warns_when_ill_conditioned():
    t = TriDense()
    with pytest.warns(ConditionWarning, match=r"inverse_tri: matrix is ill-conditioned") as rec:
        t.inverse_tri(ill_conditioned())
    assert rec[0].message.condition > 1e16
    np.testing.assert_allclose(np.asarray(t), [[1, -1e20], [0, 1e20]], rtol=4 * EPS)
    with numkit.errstate(condition="raise"), pytest.raises(ConditionError, match="ill-conditioned"):
        t.inverse_tri(ill_conditioned())
    with numkit.errstate(condition="ignore"), warnings.catch_warnings():
        warnings.simplefilter("error")
        t.inverse_tri(ill_conditioned())


def test_inverse_tri_propagates_nan():
    t = TriDense()
    t.inverse_tri([[1.0, np.nan], [0.0, 2.0]])
    assert np.isnan(t.at(0, 1)) and t.at(1, 1) == 0.5 and t.at(1, 0) == 0.0


# -- mul_tri -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("n", SIZES, ids=[f"n{n}" for n in SIZES])
@pytest.mark.parametrize("vid", range(len(VARIANT_IDS)), ids=VARIANT_IDS)
def test_mul_tri(kind, n, vid):
    a, b = rand_tri(n, kind, 10 + n), rand_tri(n, kind, 20 + n)
    a_in, b_in = operand_variants(a, kind)[vid][1], operand_variants(b, kind)[vid][1]
    if n == 0 and isinstance(a_in, list):
        pytest.skip("[] is a 1-D array-like, not a 0×0 matrix")
    t = TriDense()
    t.mul_tri(a_in, b_in)
    assert t.triangle() == (n, expected_kind(a_in, kind))
    assert_triangular(t)
    assert np.all(np.abs(np.asarray(t) - a @ b) <= product_tol(a, b))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("which", ["a", "b", "both"])
def test_mul_tri_receiver_is_an_operand(kind, which):
    a, b = rand_tri(5, kind, 30), rand_tri(5, kind, 31)
    t = TriDense.from_array(a if which != "b" else b, kind)
    if which == "a":
        t.mul_tri(t, b)
        oracle, tol = a @ b, product_tol(a, b)
    elif which == "b":
        t.mul_tri(a, t)
        oracle, tol = a @ b, product_tol(a, b)
    else:
        t.mul_tri(t, t)
        oracle, tol = a @ a, product_tol(a, a)
    assert np.all(np.abs(np.asarray(t) - oracle) <= tol)
    assert_triangular(t)


def test_mul_tri_keeps_the_zero_triangle_with_infinite_elements():
    # dtrmm forms a_11 * b_10 = inf * 0 = NaN below the diagonal; it must stay zero.
    a = np.array([[1.0, 2.0], [0.0, np.inf]])
    b = np.array([[1.0, 1.0], [0.0, 1.0]])
    t = TriDense()
    t.mul_tri(a, b)
    assert_triangular(t)
    with np.errstate(invalid="ignore"):
        oracle = np.triu(a @ b)
    np.testing.assert_array_equal(np.asarray(t), oracle)


# -- scale_tri ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("vid", range(len(VARIANT_IDS)), ids=VARIANT_IDS)
def test_scale_tri(kind, vid):
    a = rand_tri(5, kind, 40)
    t = TriDense()
    t.scale_tri(-2.5, operand_variants(a, kind)[vid][1])
    np.testing.assert_array_equal(np.asarray(t), -2.5 * a)  # one multiply: exact match
    t.scale_tri(0.5, t)
    np.testing.assert_array_equal(np.asarray(t), 0.5 * (-2.5 * a))
    assert_triangular(t)


@pytest.mark.parametrize("f", [np.inf, np.nan], ids=["inf", "nan"])
def test_scale_tri_by_a_non_finite_factor_keeps_the_zero_triangle(f):
    a = rand_tri(3, "upper", 41)
    t = TriDense()
    t.scale_tri(f, a)
    assert_triangular(t)
    with np.errstate(invalid="ignore"):
        oracle = np.triu(f * a)
    np.testing.assert_array_equal(np.triu(np.asarray(t)), oracle)


# -- solve_tri -------------------------------------------------------------------------------


def solve_tol(a, x):
    # dtrsm is backward stable: (a + Δa) x = b with |Δa| <= n eps |a| (Higham, Thm 8.5);
    # the residual computed by numpy adds n eps |a||x| more.
    return 2 * (a.shape[0] + 1) * EPS * (np.abs(a) @ np.abs(x)) + 1e-300


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("n", SIZES, ids=[f"n{n}" for n in SIZES])
@pytest.mark.parametrize("k", [None, 1, 4], ids=["vector", "k1", "k4"])
def test_solve_tri(kind, n, k):
    a = rand_tri(n, kind, 50 + n)
    b = np.random.default_rng(51).standard_normal(n if k is None else (n, k))
    t = TriDense.from_array(a, kind)
    x = t.solve_tri(b)
    assert isinstance(x, Dense)
    xa = np.asarray(x)
    b2 = b.reshape(n, 1 if k is None else k)
    assert xa.shape == b2.shape
    assert np.all(np.abs(a @ xa - b2) <= solve_tol(a, xa))
    if n:
        oracle = scipy.linalg.solve_triangular(a, b2, lower=kind == "lower")
        kappa = np.linalg.cond(a, 1)
        assert np.abs(xa - oracle).max() <= 4 * (n + 1) * EPS * kappa * np.abs(oracle).max()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name, idx", [(n, i) for i, n in enumerate(LAYOUT_IDS)], ids=LAYOUT_IDS)
def test_solve_tri_b_layouts_and_transposed_matrix(kind, name, idx):
    a = rand_tri(6, kind, 52)
    b = np.random.default_rng(53).standard_normal((6, 3))
    src = layouts(b)[idx][1]
    snapshot = np.array(src, dtype=float)
    other = "lower" if kind == "upper" else "upper"
    for t in (TriDense.from_array(a, kind), TriDense.from_array(a.T, other).T()):
        x = np.asarray(t.solve_tri(src))
        assert np.all(np.abs(a @ x - b) <= solve_tol(a, x))
    np.testing.assert_array_equal(np.asarray(src, dtype=float), snapshot)  # b not modified


def test_solve_tri_errors_and_warnings():
    t = TriDense(3, "upper", [1, 2, 3, 0, 0, 4, 0, 0, 5])
    with pytest.raises(SingularError, match=r"solve_tri: the matrix is exactly singular: its "
                                            r"diagonal element \(1, 1\) is zero"):
        t.solve_tri(np.ones(3))
    with pytest.raises(ShapeError, match=r"solve_tri: the matrix is 3×3 but b is 2×1; b must have 3"):
        t.solve_tri(np.ones(2))
    w = TriDense(2, "lower", [1, 0, 1, 1e-17])
    with pytest.warns(ConditionWarning, match=r"solve_tri: matrix is ill-conditioned"):
        w.solve_tri([1.0, 1.0])


# -- receivers, kinds, shapes and aliasing -----------------------------------------------------


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda t: t.inverse_tri(np.eye(2)), ShapeError,
         r"inverse_tri: the receiver is 3×3 but the result is 2×2"),
        (lambda t: t.mul_tri(np.eye(4), np.eye(4)), ShapeError,
         r"mul_tri: the receiver is 3×3 but the result is 4×4"),
        (lambda t: t.scale_tri(2.0, np.eye(1)), ShapeError,
         r"scale_tri: the receiver is 3×3 but the result is 1×1"),
        (lambda t: t.inverse_tri(TriDense(3, "lower", np.eye(3).ravel())), ValueError,
         r"inverse_tri: the receiver is upper triangular but the result is lower"),
        (lambda t: t.scale_tri(1.0, TriDense(3, "lower")), ValueError,
         r"scale_tri: the receiver is upper triangular but the result is lower"),
        (lambda t: t.inverse_tri(np.tril(np.ones((3, 3)))), ValueError,
         r"inverse_tri: a is not upper triangular: a\[1, 0\] = 1 lies in the triangle"),
        (lambda t: t.mul_tri(np.eye(3), np.tril(np.ones((3, 3)))), ValueError,
         r"mul_tri: b is not upper triangular: b\[1, 0\] = 1"),
    ],
    ids=["inverse-size", "mul-size", "scale-size", "inverse-kind", "scale-kind", "inverse-array-kind",
         "mul-array-kind"],
)
def test_wrong_receiver(call, exc, match):
    t = TriDense(3, "upper")
    with pytest.raises(exc, match=match):
        call(t)
    assert not np.asarray(t).any()


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda t: t.mul_tri(TriDense(2, "upper"), TriDense(2, "lower")), ValueError,
         r"mul_tri: a is upper triangular but b is lower triangular"),
        (lambda t: t.mul_tri(TriDense(2), TriDense(3)), ShapeError, r"mul_tri: a is 2×2 but b is 3×3"),
        (lambda t: t.inverse_tri(np.ones((2, 2))), ValueError,
         r"inverse_tri: a is not triangular: a\[1, 0\] = 1"),
        (lambda t: t.scale_tri(1.0, np.ones((2, 3))), ShapeError,
         r"scale_tri: a must be square .triangular.; got 2×3"),
        (lambda t: t.inverse_tri([[1.0, 0.0], [np.nan, 1.0]]), None, None),
    ],
    ids=["mul-kinds", "mul-sizes", "not-triangular", "non-square", "nan-lower-is-lower"],
)
def test_operand_errors(call, exc, match):
    t = TriDense()
    if exc is None:  # a NaN in the lower triangle makes a lower triangular matrix
        call(t)
        assert t.triangle() == (2, "lower")
        return
    with pytest.raises(exc, match=match):
        call(t)


def test_array_kind_follows_the_other_operand():
    # A diagonal array is both upper and lower: it takes the TriDense operand's kind.
    t = TriDense()
    lower = rand_tri(3, "lower", 60)
    t.mul_tri(np.diag([1.0, 2.0, 3.0]), TriDense.from_array(lower, "lower"))
    assert t.triangle() == (3, "lower")
    np.testing.assert_array_equal(np.asarray(t), np.diag([1.0, 2.0, 3.0]) @ lower)


def test_partial_overlap_raises_aliasing_error():
    n = 4
    storage = np.zeros(n * n + 1)
    t = TriDense(n, "upper", storage[: n * n])
    shifted = storage[1:].reshape(n, n)  # overlaps t's storage, shifted by one element
    shifted[np.arange(n), np.arange(n)] = 1.0  # upper triangular, unit diagonal
    before = storage.copy()
    calls = {
        "inverse_tri": lambda: t.inverse_tri(shifted),
        "mul_tri-a": lambda: t.mul_tri(shifted, np.eye(n)),
        "mul_tri-b": lambda: t.mul_tri(np.eye(n), shifted),
        "scale_tri": lambda: t.scale_tri(2.0, shifted),
    }
    for name, call in calls.items():
        with pytest.raises(AliasingError, match=r"partially overlaps an operand"):
            call()
        np.testing.assert_array_equal(storage, before, err_msg=name)


# -- properties ---------------------------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(
    data=st.data(),
    n=st.integers(1, 8),
    kind=st.sampled_from(KINDS),
)
def test_inverse_times_matrix_is_identity(data, n, kind):
    off = data.draw(hnp.arrays(np.float64, (n, n), elements=st.floats(-1, 1)))
    diag = data.draw(hnp.arrays(np.float64, n, elements=st.floats(1, 4)))
    a = tri(kind, off)
    np.fill_diagonal(a, diag)
    inv, prod = TriDense(), TriDense()
    inv.inverse_tri(a)
    prod.mul_tri(a, inv)
    x = np.asarray(inv)
    # |a x - I| <= c n eps |a||x| for dtrtri's result (Higham, §14.2) plus the product's
    # own rounding n eps |a||x|.
    tol = 4 * (n + 1) * EPS * (np.abs(a) @ np.abs(x))
    assert np.all(np.abs(np.asarray(prod) - np.eye(n)) <= tol + 1e-300)
    assert_triangular(inv)
    assert_triangular(prod)
