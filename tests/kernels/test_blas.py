"""numkit._kernels._blas against numpy and scipy over every operand layout.

Tolerances: a computed dot product of length k is within γ_k·|x|·|y| of the exact one
(Higham, Accuracy and Stability, §3.1), γ_k ≈ k·u with u = eps/2; numkit and the
oracle each make that error, so they differ by at most k·eps·|x|·|y|. A few more
roundings for alpha and beta add a small constant to k.
"""

import itertools
import threading

import numpy as np
import pytest
import scipy.linalg
import scipy.linalg.blas
from _kernel_cases import (
    ALL_LAYOUTS,
    BLAS_LAYOUTS,
    EPS,
    OTHER_LAYOUTS,
    VECTOR_LAYOUTS,
    arrange,
    padding_intact,
    readonly,
    record_field,
    vector,
)

from numkit._kernels import _blas


def gemm_tolerance(a, b, c0, alpha, beta):
    k = a.shape[1]
    return (k + 3) * EPS * (abs(alpha) * (np.abs(a) @ np.abs(b)) + abs(beta) * np.abs(c0))


# ---------------------------------------------------------------------------
# gemm_into

# (m, k, n): the plain-loop path (m·n·k ≤ 512) and the BLAS path.
GEMM_SIZES = {"small": (3, 4, 5), "blas": (17, 13, 11)}


@pytest.mark.parametrize("size", GEMM_SIZES, ids=list(GEMM_SIZES))
@pytest.mark.parametrize(
    "la, lb, lc",
    list(itertools.product(BLAS_LAYOUTS, repeat=3)),
    ids=["-".join(p) for p in itertools.product(BLAS_LAYOUTS, repeat=3)],
)
def test_gemm_into_layouts(size, la, lb, lc):
    m, k, n = GEMM_SIZES[size]
    rng = np.random.default_rng(1)
    a0, b0, c0 = rng.normal(size=(m, k)), rng.normal(size=(k, n)), rng.normal(size=(m, n))
    a, b, c = arrange(a0, la), arrange(b0, lb), arrange(c0, lc)
    alpha, beta = 1.5, -0.5
    assert _blas.gemm_into(a, b, c, alpha, beta) == 0
    want = alpha * (a0 @ b0) + beta * c0
    assert np.all(np.abs(c - want) <= gemm_tolerance(a0, b0, c0, alpha, beta))
    assert padding_intact(c)


@pytest.mark.parametrize(
    "m, k, n",
    [(0, 3, 4), (3, 0, 4), (3, 4, 0), (0, 0, 0), (1, 1, 1), (1, 600, 1), (600, 1, 1),
     (1, 1, 600), (64, 64, 64)],
    ids=["m0", "k0", "n0", "all0", "1x1", "row-col", "col-row", "outer", "64"],
)
@pytest.mark.parametrize("lc", ["C", "F"])
def test_gemm_into_shapes(m, k, n, lc):
    rng = np.random.default_rng(2)
    a0, b0, c0 = rng.normal(size=(m, k)), rng.normal(size=(k, n)), rng.normal(size=(m, n))
    c = arrange(c0, lc)
    assert _blas.gemm_into(a0, b0, c, 2.0, 0.25) == 0
    want = 2.0 * (a0 @ b0) + 0.25 * c0
    assert np.all(np.abs(c - want) <= gemm_tolerance(a0, b0, c0, 2.0, 0.25))


@pytest.mark.parametrize("size", GEMM_SIZES, ids=list(GEMM_SIZES))
def test_gemm_into_beta_zero_ignores_nan_in_c(size):
    # BLAS: with beta = 0, C need not be set on input (NaN must not propagate).
    m, k, n = GEMM_SIZES[size]
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=(m, k)), rng.normal(size=(k, n))
    c = np.full((m, n), np.nan)
    assert _blas.gemm_into(a, b, c, 1.0, 0.0) == 0
    assert np.all(np.abs(c - a @ b) <= gemm_tolerance(a, b, c * 0, 1.0, 0.0))


@pytest.mark.parametrize("bad", OTHER_LAYOUTS)
@pytest.mark.parametrize("which", ["a", "b", "c"])
def test_gemm_into_non_unit_stride(bad, which):
    rng = np.random.default_rng(4)
    ops = {"a": rng.normal(size=(17, 13)), "b": rng.normal(size=(13, 11)),
           "c": rng.normal(size=(17, 11))}
    want_small = ops["a"][:3, :4] @ ops["b"][:4, :5]
    before = ops["c"].copy()
    ops[which] = arrange(ops[which], bad)
    # Too big for the plain loop: the caller must copy the operand (status 1) and
    # nothing is written.
    assert _blas.gemm_into(ops["a"], ops["b"], ops["c"]) == 1
    np.testing.assert_array_equal(ops["c"], before)
    # Small enough for the plain loop, which takes any strides.
    small = {"a": ops["a"][:3, :4], "b": ops["b"][:4, :5], "c": ops["c"][:3, :5]}
    assert _blas.gemm_into(small["a"], small["b"], small["c"]) == 0
    tol = gemm_tolerance(small["a"], small["b"], want_small * 0, 1.0, 0.0)
    assert np.all(np.abs(small["c"] - want_small) <= tol)


@pytest.mark.parametrize("size", [4, 12], ids=["small", "blas"])
@pytest.mark.parametrize("case", ["c-is-a", "c-is-b", "c-overlaps-a", "c-overlaps-b"])
def test_gemm_into_overlap_writes_nothing(case, size):
    x = np.arange(4.0 * size * size).reshape(2 * size, 2 * size)
    other = np.ones((size, size))
    block = x[:size, :size]
    shifted = x[1 : size + 1, 1 : size + 1]
    a, b, c = {
        "c-is-a": (block, other, block),
        "c-is-b": (other, block, block),
        "c-overlaps-a": (block, other, shifted),
        "c-overlaps-b": (other, block, shifted),
    }[case]
    before = x.copy()
    assert _blas.gemm_into(a, b, c) == 2
    np.testing.assert_array_equal(x, before)


def test_gemm_into_record_field_strides():
    # A float64 field of a packed record array: byte strides that are not multiples
    # of 8. The plain loop takes them; the BLAS path asks for a copy.
    small = record_field(3, 4)
    c = np.empty((3, 3))
    assert _blas.gemm_into(small, small.T, c) == 0
    np.testing.assert_array_equal(c, np.asarray(small) @ np.asarray(small).T)  # exact ints
    big = record_field(20, 30)
    assert _blas.gemm_into(big, np.ones((30, 2)), np.empty((20, 2))) == 1


def test_gemm_into_read_only_and_memmap(tmp_path):
    rng = np.random.default_rng(5)
    a0, b0 = rng.normal(size=(20, 30)), rng.normal(size=(30, 10))
    a = np.memmap(tmp_path / "a.bin", dtype=np.float64, mode="w+", shape=a0.shape)
    a[...] = a0
    a.flush()
    a = np.memmap(tmp_path / "a.bin", dtype=np.float64, mode="r", shape=a0.shape)
    b = b0.copy()
    b.flags.writeable = False
    c = np.memmap(tmp_path / "c.bin", dtype=np.float64, mode="w+", shape=(20, 10))
    assert _blas.gemm_into(a, b, c) == 0
    assert np.all(np.abs(c - a0 @ b0) <= gemm_tolerance(a0, b0, c * 0, 1.0, 0.0))


@pytest.mark.parametrize(
    "args, error, match",
    [
        ((np.ones((2, 3)), np.ones((4, 2)), np.ones((2, 2))), ValueError, "shapes do not match"),
        ((np.ones((2, 3)), np.ones((3, 2)), np.ones((3, 2))), ValueError, "shapes do not match"),
        ((np.ones((2, 3), np.float32), np.ones((3, 2)), np.ones((2, 2))), TypeError,
         "2-D float64"),
        ((np.ones(3), np.ones((3, 2)), np.ones((1, 2))), TypeError, "2-D float64"),
        ((np.ones((2, 3)), np.ones((3, 2)), np.ones((2, 2), np.int64)), TypeError,
         "2-D float64"),
        ((np.ones((2, 3)), np.ones((3, 2)), np.ones((2, 2))[None]), TypeError, "2-D float64"),
        ((np.ones((2, 3)), np.ones((3, 2)), None), TypeError, "bytes-like object"),
    ],
    ids=["inner", "c-shape", "float32", "1-D", "int-c", "3-D", "None-c"],
)
def test_gemm_into_rejects(args, error, match):
    with pytest.raises(error, match=match):
        _blas.gemm_into(*args)


def test_gemm_into_read_only_receiver():
    with pytest.raises(ValueError, match="read-only"):
        _blas.gemm_into(np.ones((2, 3)), np.ones((3, 2)), readonly(np.zeros((2, 2))))


# ---------------------------------------------------------------------------
# gemv_into and ger_into


@pytest.mark.parametrize("lx", VECTOR_LAYOUTS)
@pytest.mark.parametrize("trans", [False, True], ids=["N", "T"])
@pytest.mark.parametrize("la", BLAS_LAYOUTS)
def test_gemv_into(la, trans, lx):
    rng = np.random.default_rng(6)
    a0 = rng.normal(size=(7, 5))
    op = a0.T if trans else a0
    x0, y0 = rng.normal(size=op.shape[1]), rng.normal(size=op.shape[0])
    x, y = vector(x0, lx), vector(y0, lx)
    _blas.gemv_into(arrange(a0, la), x, y, 1.5, -2.0, trans)
    want = 1.5 * op @ x0 - 2.0 * y0
    k = op.shape[1]
    tol = (k + 3) * EPS * (1.5 * np.abs(op) @ np.abs(x0) + 2.0 * np.abs(y0))
    assert np.all(np.abs(y - want) <= tol)


@pytest.mark.parametrize(
    "shape, trans, want",
    [((0, 3), False, []), ((3, 0), False, [1.0, 2.0, 3.0]), ((0, 3), True, [1.0, 2.0, 3.0]),
     ((1, 1), False, [4.0 * 3.0 + 1.0])],
    ids=["no-rows", "no-cols", "no-cols-T", "1x1"],
)
def test_gemv_into_edge_shapes(shape, trans, want):
    # want: y = a @ x + 0.5 * y0 with a all 4, x all 3, y0 = [2, 4, 6, ...].
    a = np.full(shape, 4.0)
    x = np.full(shape[0] if trans else shape[1], 3.0)
    y = 2.0 * np.arange(1.0, (shape[1] if trans else shape[0]) + 1)
    _blas.gemv_into(a, x, y, 1.0, 0.5, trans)
    np.testing.assert_array_equal(y, want)


@pytest.mark.parametrize(
    "a, x, y, match",
    [
        (np.ones((3, 2)), np.ones(3), np.ones(3), "shapes do not match"),
        (np.ones((3, 2)), np.ones(2), np.ones(2), "shapes do not match"),
        (arrange(np.ones((3, 2)), "strided"), np.ones(2), np.ones(3), "no unit stride"),
        (np.ones((3, 2)), np.broadcast_to(1.0, (2,)), np.ones(3), "no unit stride"),
        (np.ones((3, 4)), record_field(1, 4)[0], np.ones(3), "multiple of 8"),
        (np.ones((3, 2), np.float32), np.ones(2), np.ones(3), "dtype mismatch"),
        (np.ones(3), np.ones(2), np.ones(3), "wrong number of dimensions"),
    ],
    ids=["x-len", "y-len", "strided-a", "zero-stride-x", "record-x", "float32", "1-D-a"],
)
def test_gemv_into_rejects(a, x, y, match):
    with pytest.raises(ValueError, match=match):
        _blas.gemv_into(a, x, y)


def test_gemv_into_rejects_none():
    with pytest.raises(TypeError, match="must not be None"):
        _blas.gemv_into(None, np.ones(2), np.ones(3))


@pytest.mark.parametrize("lx", VECTOR_LAYOUTS)
@pytest.mark.parametrize("la", BLAS_LAYOUTS)
def test_ger_into(la, lx):
    rng = np.random.default_rng(7)
    a0, x0, y0 = rng.normal(size=(6, 4)), rng.normal(size=6), rng.normal(size=4)
    a = arrange(a0, la)
    _blas.ger_into(-0.75, vector(x0, lx), vector(y0, lx), a)
    want = a0 - 0.75 * np.outer(x0, y0)
    # One product, one scaling and one addition per element: 3 roundings.
    assert np.all(np.abs(a - want) <= 3 * EPS * (np.abs(a0) + 0.75 * np.abs(np.outer(x0, y0))))
    assert padding_intact(a)


@pytest.mark.parametrize(
    "x, y, a, match",
    [
        (np.ones(2), np.ones(2), np.ones((3, 2)), "shapes do not match"),
        (np.ones(3), np.ones(3), np.ones((3, 2)), "shapes do not match"),
        (np.ones(3), np.ones(2), arrange(np.ones((3, 2)), "reversed"), "no unit stride"),
        (record_field(1, 3)[0], np.ones(2), np.ones((3, 2)), "multiple of 8"),
        (np.ones(3), np.ones(2), readonly(np.ones((3, 2))), "read-only"),
    ],
    ids=["x-len", "y-len", "reversed-a", "record-x", "read-only-a"],
)
def test_ger_into_rejects(x, y, a, match):
    with pytest.raises(ValueError, match=match):
        _blas.ger_into(1.0, x, y, a)


def test_ger_into_empty_is_a_no_op():
    a = np.empty((0, 3))
    _blas.ger_into(1.0, np.empty(0), np.ones(3), a)
    assert a.shape == (0, 3)


# ---------------------------------------------------------------------------
# syrk_into

SENTINEL = 777.0


@pytest.mark.parametrize("trans", [False, True], ids=["AAt", "AtA"])
@pytest.mark.parametrize("upper", [True, False], ids=["upper", "lower"])
@pytest.mark.parametrize("lc", BLAS_LAYOUTS)
@pytest.mark.parametrize("la", BLAS_LAYOUTS)
def test_syrk_into(la, lc, upper, trans):
    rng = np.random.default_rng(8)
    a0 = rng.normal(size=(6, 9))
    n = a0.shape[1] if trans else a0.shape[0]
    c0 = rng.normal(size=(n, n))
    tri = np.triu if upper else np.tril
    other = ~tri(np.ones((n, n), dtype=bool))
    c0[other] = SENTINEL
    c = arrange(c0, lc)
    _blas.syrk_into(arrange(a0, la), c, 0.5, 2.0, upper, trans)
    full = a0.T @ a0 if trans else a0 @ a0.T
    want = 0.5 * full + 2.0 * c0
    k = a0.shape[0] if trans else a0.shape[1]
    absprod = np.abs(a0).T @ np.abs(a0) if trans else np.abs(a0) @ np.abs(a0).T
    tol = (k + 3) * EPS * (0.5 * absprod + 2.0 * np.abs(c0))
    mine = tri(np.ones((n, n), dtype=bool))
    assert np.all(np.abs(c - want)[mine] <= tol[mine])
    # The other triangle is neither read nor written.
    np.testing.assert_array_equal(c[other], SENTINEL)
    assert padding_intact(c)


def test_syrk_into_matches_scipy_blas():
    # An independent wrapper of the same routine: scipy's dsyrk (column-major).
    rng = np.random.default_rng(9)
    a = rng.normal(size=(5, 8))
    c = np.zeros((5, 5))
    _blas.syrk_into(a, c, 1.0, 0.0, True, False)
    ref = scipy.linalg.blas.dsyrk(1.0, a, lower=0)
    tol = 11 * EPS * (np.abs(a) @ np.abs(a).T)
    assert np.all(np.abs(np.triu(c) - np.triu(ref)) <= np.triu(tol))


@pytest.mark.parametrize("trans", [False, True], ids=["AAt", "AtA"])
def test_syrk_into_k_zero_scales_c(trans):
    a = np.empty((3, 0)) if not trans else np.empty((0, 3))
    c = np.full((3, 3), 4.0)
    _blas.syrk_into(a, c, 1.0, 0.5, True, trans)
    np.testing.assert_array_equal(c, np.where(np.triu(np.ones((3, 3))) > 0, 2.0, 4.0))


def test_syrk_into_empty():
    c = np.empty((0, 0))
    _blas.syrk_into(np.empty((0, 4)), c)
    assert c.shape == (0, 0)


@pytest.mark.parametrize(
    "a, c, match",
    [
        (np.ones((3, 2)), np.ones((2, 2)), "shapes do not match"),
        (np.ones((3, 2)), np.ones((3, 4)), "shapes do not match"),
        (arrange(np.ones((3, 2)), "strided"), np.ones((3, 3)), "no unit stride"),
        (np.ones((3, 2)), arrange(np.ones((3, 3)), "reversed"), "no unit stride"),
        (np.ones((3, 2), np.float32), np.ones((3, 3)), "dtype mismatch"),
    ],
    ids=["c-rows", "c-square", "strided-a", "reversed-c", "float32"],
)
def test_syrk_into_rejects(a, c, match):
    with pytest.raises(ValueError, match=match):
        _blas.syrk_into(a, c)


# ---------------------------------------------------------------------------
# trsm_into, trmm_into, trtri_inplace

FLAGS = list(itertools.product([True, False], repeat=4))
FLAG_IDS = ["{}-{}-{}-{}".format("L" if f[0] else "R", "U" if f[1] else "Lo",
                                 "T" if f[2] else "N", "unit" if f[3] else "diag")
            for f in FLAGS]
# Layout pairs (a, b) for the flag sweep; the full layout grid runs with one flag set.
PAIRS = [("C", "C"), ("F", "C"), ("C", "F"), ("T", "slice"), ("slice_F", "T")]


def triangular(n, upper, unit, rng):
    """A well-conditioned triangular matrix; the unused triangle (and, for unit, the
    diagonal) is NaN so that reading it shows."""
    t = rng.uniform(-1, 1, size=(n, n)) + np.diag(n + rng.uniform(1, 2, size=n))
    keep = np.triu(np.ones((n, n), dtype=bool), 1 if unit else 0) if upper else \
        np.tril(np.ones((n, n), dtype=bool), -1 if unit else 0)
    stored = np.where(keep, t, np.nan)
    effective = np.where(keep, t, 0.0) + (np.eye(n) if unit else 0.0)
    return stored, effective


def _arrange_keep(values, layout):
    """``arrange`` for values that hold NaN on purpose."""
    view = arrange(np.zeros_like(values), layout)
    view[...] = values
    return view


def trsm_case(left, upper, trans, unit, la, lb, seed=10):
    rng = np.random.default_rng(seed)
    m, n = 6, 4
    na = m if left else n
    stored, t = triangular(na, upper, unit, rng)
    b0 = rng.normal(size=(m, n))
    return _arrange_keep(stored, la), t, arrange(b0, lb), b0


def check_trsm(a, t, b, b0, left, trans, alpha):
    op = t.T if trans else t
    if left:
        want = scipy.linalg.solve_triangular(op, alpha * b0, lower=np.allclose(op, np.tril(op)))
    else:
        want = scipy.linalg.solve_triangular(op.T, alpha * b0.T,
                                             lower=np.allclose(op.T, np.tril(op.T))).T
    # Forward error of a triangular solve: n·u·cond(T)·|x| for each of the two
    # solvers (Higham §8.2); cond here is under 3.
    n = t.shape[0]
    tol = 2 * n * EPS * np.linalg.cond(t, np.inf) * np.abs(want).max()
    assert np.abs(b - want).max() <= tol
    assert padding_intact(b)


@pytest.mark.parametrize("la, lb", PAIRS, ids=["-".join(p) for p in PAIRS])
@pytest.mark.parametrize("left, upper, trans, unit", FLAGS, ids=FLAG_IDS)
def test_trsm_into_flags(left, upper, trans, unit, la, lb):
    a, t, b, b0 = trsm_case(left, upper, trans, unit, la, lb)
    _blas.trsm_into(a, b, -1.5, left, upper, trans, unit)
    check_trsm(a, t, b, b0, left, trans, -1.5)


@pytest.mark.parametrize(
    "la, lb",
    list(itertools.product(BLAS_LAYOUTS, repeat=2)),
    ids=["-".join(p) for p in itertools.product(BLAS_LAYOUTS, repeat=2)],
)
def test_trsm_into_layouts(la, lb):
    a, t, b, b0 = trsm_case(False, False, True, False, la, lb, seed=11)
    _blas.trsm_into(a, b, 1.0, False, False, True, False)
    check_trsm(a, t, b, b0, False, True, 1.0)


@pytest.mark.parametrize("la, lb", PAIRS, ids=["-".join(p) for p in PAIRS])
@pytest.mark.parametrize("left, upper, trans, unit", FLAGS, ids=FLAG_IDS)
def test_trmm_into_flags(left, upper, trans, unit, la, lb):
    a, t, b, b0 = trsm_case(left, upper, trans, unit, la, lb, seed=12)
    _blas.trmm_into(a, b, 0.5, left, upper, trans, unit)
    op = t.T if trans else t
    want = 0.5 * (op @ b0 if left else b0 @ op)
    absw = np.abs(op) @ np.abs(b0) if left else np.abs(b0) @ np.abs(op)
    assert np.all(np.abs(b - want) <= (t.shape[0] + 3) * EPS * 0.5 * absw)
    assert padding_intact(b)


@pytest.mark.parametrize("func", [_blas.trsm_into, _blas.trmm_into], ids=["trsm", "trmm"])
@pytest.mark.parametrize(
    "a, b, kwargs, match",
    [
        (np.eye(3), np.ones((2, 4)), {}, "shapes do not match"),
        (np.eye(3), np.ones((4, 2)), {"left": False}, "shapes do not match"),
        (np.ones((3, 2)), np.ones((3, 2)), {}, "shapes do not match"),
        (arrange(np.eye(3), "strided"), np.ones((3, 2)), {}, "no unit stride"),
        (np.eye(3), arrange(np.ones((3, 2)), "reversed"), {}, "no unit stride"),
        (np.eye(3, dtype=np.float32), np.ones((3, 2)), {}, "dtype mismatch"),
    ],
    ids=["left-shape", "right-shape", "a-square", "strided-a", "reversed-b", "float32"],
)
def test_tri_into_rejects(func, a, b, kwargs, match):
    with pytest.raises(ValueError, match=match):
        func(a, b, **kwargs)


@pytest.mark.parametrize("func", [_blas.trsm_into, _blas.trmm_into], ids=["trsm", "trmm"])
@pytest.mark.parametrize("shape", [(0, 3), (3, 0)], ids=["no-rows", "no-cols"])
def test_tri_into_empty(func, shape):
    b = np.empty(shape)
    func(np.empty((shape[0], shape[0])), b)
    assert b.shape == shape


@pytest.mark.parametrize("unit", [False, True], ids=["diag", "unit"])
@pytest.mark.parametrize("upper", [True, False], ids=["upper", "lower"])
@pytest.mark.parametrize("la", BLAS_LAYOUTS)
def test_trtri_inplace(la, upper, unit):
    rng = np.random.default_rng(13)
    n = 7
    stored, t = triangular(n, upper, unit, rng)
    a = _arrange_keep(stored, la)
    assert _blas.trtri_inplace(a, upper, unit) == 0
    want = np.linalg.inv(t)
    keep = ~np.isnan(stored)
    # Inverse error: n·u·cond(T)·|inv(T)| for each side (Higham §14.2).
    tol = 2 * n * EPS * np.linalg.cond(t, np.inf) * np.abs(want).max()
    assert np.abs(a[keep] - want[keep]).max() <= tol
    # The other triangle (and a unit diagonal) is left as it was.
    assert np.isnan(a[~keep]).all()


@pytest.mark.parametrize("upper", [True, False], ids=["upper", "lower"])
def test_trtri_inplace_singular(upper):
    a = np.triu(np.ones((4, 4))) if upper else np.tril(np.ones((4, 4)))
    a[2, 2] = 0.0
    assert _blas.trtri_inplace(a, upper, False) == 3  # LAPACK info: 1-based index


def test_trtri_inplace_edge_shapes():
    assert _blas.trtri_inplace(np.empty((0, 0))) == 0
    a = np.array([[4.0]])
    assert _blas.trtri_inplace(a) == 0
    assert a[0, 0] == 0.25


@pytest.mark.parametrize(
    "a, match",
    [
        (np.ones((3, 2)), "not square"),
        (arrange(np.eye(3), "strided"), "no unit stride"),
        (np.eye(3)[None], "wrong number of dimensions"),
        (np.broadcast_to(np.eye(3), (3, 3)), "read-only"),
    ],
    ids=["non-square", "strided", "3-D", "read-only"],
)
def test_trtri_inplace_rejects(a, match):
    with pytest.raises(ValueError, match=match):
        _blas.trtri_inplace(a)


# ---------------------------------------------------------------------------
# singular_values and solve_general


@pytest.mark.parametrize("ls", VECTOR_LAYOUTS)
@pytest.mark.parametrize("la", ALL_LAYOUTS)
@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (1, 1), (0, 3), (3, 0)],
                         ids=["tall", "wide", "1x1", "no-rows", "no-cols"])
def test_singular_values(shape, la, ls):
    rng = np.random.default_rng(14)
    a0 = rng.normal(size=shape)
    a = arrange(a0, la)
    before = a.copy()
    s = vector(np.zeros(min(shape)), ls)
    assert _blas.singular_values(a, s) == 0
    want = np.linalg.svd(a0, compute_uv=False)
    # Backward-stable SVD: each value within p(m, n)·u·σ_max (Weyl); both solvers.
    tol = 4 * max(shape) * EPS * (want.max() if want.size else 0.0)
    assert np.all(np.abs(s - want) <= tol)
    np.testing.assert_array_equal(a, before)
    assert padding_intact(s)


def test_singular_values_rejects_length():
    with pytest.raises(ValueError, match=r"length min\(m, n\)"):
        _blas.singular_values(np.ones((3, 2)), np.empty(3))


@pytest.mark.parametrize("nrhs", [0, 1, 3], ids=["rhs0", "rhs1", "rhs3"])
@pytest.mark.parametrize("n", [1, 2, 6], ids=["n1", "n2", "n6"])
@pytest.mark.parametrize("b_order", ["C", "F"])
def test_solve_general(n, nrhs, b_order):
    rng = np.random.default_rng(15)
    a0 = rng.normal(size=(n, n)) + n * np.eye(n)
    b0 = rng.normal(size=(n, nrhs))
    a = np.array(a0, order="F")
    # A single right-hand side is both C- and F-contiguous; its column stride is 8.
    b = np.array(b0, order=b_order if nrhs == 1 else "F")
    assert _blas.solve_general(a, b) == 0
    if nrhs:
        want = np.linalg.solve(a0, b0)
        tol = 4 * n * EPS * np.linalg.cond(a0) * np.abs(want).max()
        assert np.abs(b - want).max() <= tol


def test_solve_general_singular():
    a = np.asfortranarray([[1.0, 2.0], [2.0, 4.0]])
    b = np.asfortranarray([[1.0], [1.0]])
    assert _blas.solve_general(a, b) == 2


@pytest.mark.parametrize(
    "a, b, match",
    [
        (np.ones((3, 3), order="F"), np.ones((2, 1), order="F"), "shapes do not match"),
        (np.ones((3, 2), order="F"), np.ones((3, 1), order="F"), "shapes do not match"),
        (np.ones((3, 3)), np.ones((3, 2), order="F"), "not Fortran contiguous"),
    ],
    ids=["b-rows", "a-square", "C-order-a"],
)
def test_solve_general_rejects(a, b, match):
    with pytest.raises(ValueError, match=match):
        _blas.solve_general(a, b)


# ---------------------------------------------------------------------------
# Level-1: dot_vec, axpy_vec, scal_vec, nrm2_vec

LENGTHS = [0, 1, 7, 100]


@pytest.mark.parametrize("ly", VECTOR_LAYOUTS)
@pytest.mark.parametrize("lx", VECTOR_LAYOUTS)
@pytest.mark.parametrize("n", LENGTHS)
def test_dot_vec(n, lx, ly):
    rng = np.random.default_rng(16)
    x0, y0 = rng.normal(size=n), rng.normal(size=n)
    got = _blas.dot_vec(vector(x0, lx), vector(y0, ly))
    assert abs(got - x0 @ y0) <= (n + 1) * EPS * (np.abs(x0) @ np.abs(y0))


def test_dot_vec_odd_and_zero_strides():
    x = record_field(1, 5)[0]  # stride 12 bytes: values 0..4
    assert _blas.dot_vec(x, x) == 30.0
    assert _blas.dot_vec(np.broadcast_to(2.0, (4,)), np.arange(4.0)) == 12.0


@pytest.mark.parametrize("ly", VECTOR_LAYOUTS)
@pytest.mark.parametrize("lx", VECTOR_LAYOUTS)
@pytest.mark.parametrize("n", LENGTHS)
def test_axpy_vec(n, lx, ly):
    rng = np.random.default_rng(17)
    x0, y0 = rng.normal(size=n), rng.normal(size=n)
    y = vector(y0, ly)
    _blas.axpy_vec(-3.0, vector(x0, lx), y)
    want = y0 - 3.0 * x0
    assert np.all(np.abs(y - want) <= 2 * EPS * (np.abs(y0) + 3.0 * np.abs(x0)))
    assert padding_intact(y)


@pytest.mark.parametrize("lx", VECTOR_LAYOUTS)
@pytest.mark.parametrize("n", LENGTHS)
def test_scal_vec(n, lx):
    x0 = np.random.default_rng(18).normal(size=n)
    x = vector(x0, lx)
    _blas.scal_vec(2.5, x)
    np.testing.assert_array_equal(x, 2.5 * x0)  # one rounding, the same in both


@pytest.mark.parametrize("lx", VECTOR_LAYOUTS)
@pytest.mark.parametrize("n", LENGTHS)
def test_nrm2_vec(n, lx):
    x0 = np.random.default_rng(19).normal(size=n)
    got = _blas.nrm2_vec(vector(x0, lx))
    assert abs(got - np.linalg.norm(x0)) <= (n + 2) * EPS * np.linalg.norm(x0)


@pytest.mark.parametrize("scale", [2.0**700, 2.0**-700], ids=["1e210", "1e-210"])
def test_nrm2_vec_no_overflow_or_underflow(scale):
    # Power-of-two scaling is exact, so scale · ‖y‖ is the oracle.
    y = np.random.default_rng(20).normal(size=50)
    got = _blas.nrm2_vec(y * scale)
    want = scale * np.linalg.norm(y)
    assert np.isfinite(got) and got > 0
    assert abs(got - want) <= 52 * EPS * want


def test_nrm2_vec_zero_stride():
    assert _blas.nrm2_vec(np.broadcast_to(3.0, (4,))) == 6.0


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: _blas.dot_vec(np.ones(3), np.ones(2)), "lengths differ"),
        (lambda: _blas.axpy_vec(1.0, np.ones(3), np.ones(2)), "lengths differ"),
        (lambda: _blas.axpy_vec(1.0, np.broadcast_to(1.0, (3,)), np.ones(3)), "zero stride"),
        (lambda: _blas.axpy_vec(1.0, record_field(1, 3)[0], np.ones(3)), "multiple of 8"),
        (lambda: _blas.scal_vec(1.0, record_field(1, 3)[0]), "multiple of 8"),
        (lambda: _blas.nrm2_vec(record_field(1, 3)[0]), "multiple of 8"),
        (lambda: _blas.dot_vec(np.ones((2, 2)), np.ones(2)), "wrong number of dimensions"),
        (lambda: _blas.nrm2_vec(np.ones(3, np.float32)), "dtype mismatch"),
        (lambda: _blas.scal_vec(2.0, readonly(np.ones(3))), "read-only"),
        (lambda: _blas.scal_vec(2.0, np.lib.stride_tricks.as_strided(
            np.zeros(1), shape=(3,), strides=(0,))), "zero stride"),
    ],
    ids=["dot-len", "axpy-len", "axpy-zero", "axpy-record", "scal-record",
         "nrm2-record", "dot-2-D", "nrm2-float32", "scal-read-only", "scal-zero"],
)
def test_level1_rejects(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize(
    "call",
    [lambda: _blas.dot_vec(None, np.ones(1)), lambda: _blas.axpy_vec(1.0, np.ones(1), None),
     lambda: _blas.scal_vec(1.0, None), lambda: _blas.nrm2_vec(None),
     lambda: _blas.ger_into(1.0, None, np.ones(1), np.ones((1, 1))),
     lambda: _blas.syrk_into(None, np.ones((1, 1))),
     lambda: _blas.trsm_into(np.ones((1, 1)), None),
     lambda: _blas.trtri_inplace(None),
     lambda: _blas.singular_values(None, np.ones(1)),
     lambda: _blas.solve_general(None, np.ones((1, 1), order="F"))],
    ids=["dot", "axpy", "scal", "nrm2", "ger", "syrk", "trsm", "trtri", "svd", "solve"],
)
def test_none_is_rejected(call):
    with pytest.raises(TypeError, match="must not be None"):
        call()


def test_gemm_into_from_four_threads():
    # The BLAS call runs without the GIL; four Python threads multiply distinct data at
    # once and each gets what it gets alone (OpenBLAS splits C by blocks, so every
    # element is the same dot product in the same order whatever the threading).
    rng = np.random.default_rng(21)
    data = [(rng.normal(size=(150, 120)), rng.normal(size=(120, 130))) for _ in range(4)]
    alone = []
    for a, b in data:
        c = np.empty((150, 130))
        assert _blas.gemm_into(a, b, c) == 0
        alone.append(c)
    outs = [np.empty((150, 130)) for _ in data]
    statuses = [[] for _ in data]
    barrier = threading.Barrier(4)

    def work(i):
        barrier.wait()
        for _ in range(30):
            statuses[i].append(_blas.gemm_into(data[i][0], data[i][1], outs[i]))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [[0] * 30] * 4
    for got, want in zip(outs, alone, strict=True):
        np.testing.assert_array_equal(got, want)
