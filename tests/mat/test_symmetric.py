"""SymDense: construction, storage sharing, the symmetry invariant, receivers,
aliasing and every method, against numpy as the oracle."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from numkit.errors import AliasingError, ShapeError
from numkit.mat._dense import Dense
from numkit.mat._diagonal import DiagDense
from numkit.mat._symmetric import SymDense
from numkit.mat._vector import VecDense

EPS = np.finfo(float).eps


def rand(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def rand_sym(n, seed=0):
    a = rand((n, n), seed)
    return (a + a.T) / 2  # fl(x + y) = fl(y + x): exactly symmetric


def assert_symmetric(s):
    """The invariant every method keeps: both stored triangles equal, bit for bit."""
    a = np.asarray(s)
    assert a.shape[0] == a.shape[1]
    np.testing.assert_array_equal(a, a.T)


def update_tol(a, alpha, x):
    # syrk/ger + the copy of a: each element of a + alpha X Xᵀ is a k-term dot product
    # plus one addition, so |error| <= (k + 2) eps (|a| + |alpha| |X||X|ᵀ) (Higham,
    # Accuracy and Stability, §3.1); numpy's oracle makes errors of the same bound.
    k = x.shape[1]
    return 2 * (k + 2) * EPS * (np.abs(a) + abs(alpha) * (np.abs(x) @ np.abs(x).T)) + 1e-300


def layouts(a):
    """The same values as C-ordered, Fortran-ordered, strided, transposed and read-only
    arrays, and a list."""
    big = np.zeros((2 * a.shape[0] + 1, 2 * a.shape[1] + 1))
    big[1::2, 1::2] = a
    ro = a.copy()
    ro.flags.writeable = False
    return [
        ("C", np.ascontiguousarray(a)),
        ("F", np.asfortranarray(a)),
        ("strided", big[1::2, 1::2]),
        ("transposed", np.ascontiguousarray(a.T).T),
        ("read-only", ro),
        ("list", a.tolist()),
    ]


LAYOUT_IDS = ["C", "F", "strided", "transposed", "read-only", "list"]
SIZES = [0, 1, 2, 5, 33]


# -- construction ---------------------------------------------------------------------


def test_data_becomes_backing_store_and_its_lower_triangle_is_mirrored():
    data = np.array([1.0, 2.0, 3.0, 9.0, 4.0, 5.0, 9.0, 9.0, 6.0])
    s = SymDense(3, data)
    np.testing.assert_array_equal(data.reshape(3, 3), [[1, 2, 3], [2, 4, 5], [3, 5, 6]])
    s.set_sym(0, 2, 42.0)
    assert data[2] == 42.0 and data[6] == 42.0
    assert np.shares_memory(np.asarray(s), data)


@pytest.mark.parametrize(
    "data",
    [
        [1, 2, -7, 3],
        np.array([1, 2, -7, 3]),
        np.array([1, 2, -7, 3], dtype=np.float32),
        np.arange(8.0)[::2] * 0 + np.array([1, 2, -7, 3]),
    ],
    ids=["list", "int-array", "float32", "computed"],
)
def test_other_data_is_copied_and_only_the_upper_triangle_read(data):
    s = SymDense(2, data)
    np.testing.assert_array_equal(np.asarray(s), [[1, 2], [2, 3]])


def test_read_only_data_is_copied_not_modified():
    data = np.array([1.0, 2.0, -7.0, 3.0])
    data.flags.writeable = False
    s = SymDense(2, data)
    assert data[2] == -7.0
    np.testing.assert_array_equal(np.asarray(s), [[1, 2], [2, 3]])


@pytest.mark.parametrize(
    "args, exc, match",
    [
        ((2, [1, 2, 3]), ShapeError, "3 elements but a 2×2 matrix needs 4"),
        ((-1,), ValueError, "non-negative"),
    ],
    ids=["short-data", "negative"],
)
def test_constructor_errors(args, exc, match):
    with pytest.raises(exc, match=match):
        SymDense(*args)


def test_zero_empty_and_introspection():
    s = SymDense(3)
    np.testing.assert_array_equal(np.asarray(s), np.zeros((3, 3)))
    assert s.symmetric() == 3 and s.dims() == (3, 3) and s.shape == (3, 3)
    assert s.T() is s
    assert repr(s) == "SymDense(3×3)"
    assert SymDense().is_empty() and not s.is_empty()


def test_array_interop_is_zero_copy():
    s = SymDense(2, [1, 2, 2, 3])
    view = np.asarray(s)
    assert view.dtype == np.float64
    view[1, 1] = 7.0  # a view, not a copy (keeping symmetry is then the caller's job)
    assert s.at(1, 1) == 7.0


@pytest.mark.parametrize("name, a", layouts(rand_sym(4, 1)), ids=LAYOUT_IDS)
def test_from_array_copies_every_layout(name, a):
    s = SymDense.from_array(a)
    np.testing.assert_array_equal(np.asarray(s), rand_sym(4, 1))
    assert_symmetric(s)
    if isinstance(a, np.ndarray):
        assert not np.shares_memory(np.asarray(s), a)


def test_from_array_accepts_roundoff_asymmetry_and_keeps_the_upper_triangle():
    x = rand((6, 40), 2)
    a = x @ x.T  # gemm: the triangles may differ in the last bits
    a[4, 1] = a[1, 4] * (1 + 4 * EPS)
    s = SymDense.from_array(a)
    assert_symmetric(s)
    np.testing.assert_array_equal(np.triu(np.asarray(s)), np.triu(a))


@pytest.mark.parametrize(
    "a, kwargs, exc, match",
    [
        ([[1, 2, 3], [2, 1, 2], [3.5, 2, 1]], {}, ValueError,
         r"a is not symmetric: \|a\[0, 2\] - a\[2, 0\]\| = \|3 - 3.5\| = 0.5"),
        ([[1, np.nan], [1, 1]], {}, ValueError, r"\|a\[0, 1\] - a\[1, 0\]\| = \|nan - 1\|"),
        ([[1, np.inf], [1, 1]], {}, ValueError, r"\|a\[0, 1\] - a\[1, 0\]\| = \|inf - 1\|"),
        ([[1, 1 + 1e-9], [1, 1]], {"rtol": 1e-12}, ValueError, r"exceeds rtol"),
        ([[1, 2, 3], [4, 5, 6]], {}, ShapeError, "a must be square .symmetric.; got 2×3"),
        (np.zeros((2, 2, 2)), {}, ShapeError, "must be 2-D"),
    ],
    ids=["asymmetric", "nan-vs-number", "inf-vs-finite", "custom-rtol", "non-square", "3-D"],
)
def test_from_array_errors(a, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        SymDense.from_array(a, **kwargs)


def test_from_array_accepts_matching_nan_and_inf():
    a = np.array([[1.0, np.nan, np.inf], [np.nan, 2.0, 0.0], [np.inf, 0.0, 3.0]])
    np.testing.assert_array_equal(np.asarray(SymDense.from_array(a)), a)


# -- elements and views ---------------------------------------------------------------


def test_set_sym_sets_both_triangles_and_at_reads_them():
    s = SymDense(3)
    s.set_sym(2, 0, -1.5)
    assert s.at(0, 2) == s.at(2, 0) == -1.5
    assert_symmetric(s)


@pytest.mark.parametrize("call", [lambda s: s.set_sym(0, 3, 1.0), lambda s: s.set_sym(-1, 0, 1.0),
                                  lambda s: s.at(3, 0)], ids=["set-col", "set-negative", "at"])
def test_index_errors(call):
    with pytest.raises(IndexError, match=r"out of range for a 3×3 matrix"):
        call(SymDense(3))


def test_slice_sym_is_a_view_sharing_memory():
    s = SymDense.from_array(rand_sym(5, 3))
    v = s.slice_sym(1, 4)
    np.testing.assert_array_equal(np.asarray(v), rand_sym(5, 3)[1:4, 1:4])
    v.set_sym(2, 0, 99.0)
    assert s.at(3, 1) == s.at(1, 3) == 99.0
    assert_symmetric(s)
    before = np.asarray(s).copy()
    v.scale_sym(2.0, v)  # a view is a receiver too
    expect = before.copy()
    expect[1:4, 1:4] *= 2
    np.testing.assert_array_equal(np.asarray(s), expect)
    assert_symmetric(s)
    assert s.slice_sym(2, 2).is_empty()


@pytest.mark.parametrize("i, k", [(-1, 2), (2, 1), (0, 6)], ids=["negative", "reversed", "past-end"])
def test_slice_sym_out_of_range(i, k):
    with pytest.raises(IndexError, match=rf"slice_sym: \[{i}:{k}\] is out of range for a 5×5"):
        SymDense(5).slice_sym(i, k)


@pytest.mark.parametrize("m", [2, 4, 6], ids=["smaller", "equal", "larger"])
def test_copy_sym_copies_the_leading_block(m):
    src = rand_sym(m, 4)
    s = SymDense(4)
    n = s.copy_sym(src)
    assert n == min(m, 4)
    expect = np.zeros((4, 4))
    expect[:n, :n] = src[:n, :n]
    np.testing.assert_array_equal(np.asarray(s), expect)
    assert_symmetric(s)


def test_copy_sym_handles_overlap_and_empty_receiver():
    s = SymDense.from_array(rand_sym(4, 5))
    before = np.asarray(s).copy()
    assert s.copy_sym(s.slice_sym(1, 4)) == 3
    np.testing.assert_array_equal(np.asarray(s)[:3, :3], before[1:4, 1:4])
    assert_symmetric(s)
    assert SymDense().copy_sym(s) == 0


def test_reset_empties_and_reuses_storage():
    s = SymDense(3)
    old = np.asarray(s)
    s.reset()
    assert s.is_empty() and s.dims() == (0, 0)
    s.sym_outer(1.0, [1.0, 2.0])
    assert np.shares_memory(np.asarray(s), old)
    np.testing.assert_array_equal(np.asarray(s), [[1, 2], [2, 4]])


def test_zero():
    s = SymDense.from_array(rand_sym(3))
    s.zero()
    np.testing.assert_array_equal(np.asarray(s), np.zeros((3, 3)))


# -- outer products and rank updates ----------------------------------------------------


@pytest.mark.parametrize("n", SIZES, ids=[f"n{n}" for n in SIZES])
@pytest.mark.parametrize("alpha", [1.0, -2.5, 0.0], ids=["a1", "a-2.5", "a0"])
def test_sym_outer(n, alpha):
    x = rand(n, n)
    s = SymDense()
    s.sym_outer(alpha, x)
    np.testing.assert_allclose(np.asarray(s), alpha * np.outer(x, x), rtol=4 * EPS, atol=0)
    assert_symmetric(s)


@pytest.mark.parametrize(
    "x",
    [np.arange(10.0)[::2], np.arange(5.0)[::-1], np.broadcast_to(2.0, 5), VecDense(5, np.arange(5.0)),
     Dense(5, 1, np.arange(5.0)), Dense(1, 5, np.arange(5.0))],
    ids=["strided", "negative-stride", "zero-stride", "VecDense", "column", "row"],
)
def test_sym_outer_vector_layouts(x):
    xv = np.asarray(x, dtype=float).reshape(-1)
    s = SymDense(5)
    s.sym_outer(3.0, x)
    np.testing.assert_allclose(np.asarray(s), 3.0 * np.outer(xv, xv), rtol=4 * EPS, atol=0)
    assert_symmetric(s)


def test_sym_outer_with_x_a_row_of_the_receiver():
    s = SymDense.from_array(rand_sym(4, 6))
    x = np.asarray(s)[1].copy()
    s.sym_outer(1.0, np.asarray(s)[1])
    np.testing.assert_allclose(np.asarray(s), np.outer(x, x), rtol=4 * EPS, atol=0)
    assert_symmetric(s)


@pytest.mark.parametrize("shape", [(0, 3), (3, 0), (1, 1), (5, 3), (40, 7)],
                         ids=["0x3", "3x0", "1x1", "5x3", "40x7"])
@pytest.mark.parametrize("name, idx", [(n, i) for i, n in enumerate(LAYOUT_IDS)], ids=LAYOUT_IDS)
def test_sym_outer_k(shape, name, idx):
    x = rand(shape, 7)
    xin = layouts(x)[idx][1]
    s = SymDense()
    s.sym_outer_k(-1.5, xin)
    oracle = -1.5 * (x @ x.T)
    np.testing.assert_array_less(np.abs(np.asarray(s) - oracle),
                                 update_tol(np.zeros_like(oracle), 1.5, x) + 1e-300)
    assert_symmetric(s)


def test_sym_outer_k_of_a_transposed_dense_view():
    x = rand((3, 6), 8)
    s = SymDense()
    s.sym_outer_k(1.0, Dense.from_array(x).T())  # X Xᵀ for X = xᵀ: xᵀ x
    np.testing.assert_array_less(np.abs(np.asarray(s) - x.T @ x),
                                 update_tol(np.zeros((6, 6)), 1.0, x.T))
    assert_symmetric(s)


def test_sym_outer_k_receiver_is_x():
    a = rand_sym(5, 9)
    s = SymDense.from_array(a)
    s.sym_outer_k(2.0, s)
    np.testing.assert_array_less(np.abs(np.asarray(s) - 2 * a @ a), update_tol(0 * a, 2.0, a))
    assert_symmetric(s)


@pytest.mark.parametrize("n", SIZES, ids=[f"n{n}" for n in SIZES])
def test_sym_rank_one(n):
    a, x = rand_sym(n, 10), rand(n, 11)
    s = SymDense()
    s.sym_rank_one(a, 0.75, x)
    oracle = a + 0.75 * np.outer(x, x)
    np.testing.assert_array_less(np.abs(np.asarray(s) - oracle), update_tol(a, 0.75, x[:, None]))
    assert_symmetric(s)


@pytest.mark.parametrize("name, idx", [(n, i) for i, n in enumerate(LAYOUT_IDS)], ids=LAYOUT_IDS)
def test_sym_rank_one_operand_layouts_and_in_place(name, idx):
    a, x = rand_sym(6, 12), rand(6, 13)
    s = SymDense.from_array(a)
    s.sym_rank_one(layouts(a)[idx][1], -1.0, x)
    oracle = a - np.outer(x, x)
    np.testing.assert_array_less(np.abs(np.asarray(s) - oracle), update_tol(a, 1.0, x[:, None]))
    s2 = SymDense.from_array(a)
    s2.sym_rank_one(s2, -1.0, x)  # the receiver is a
    np.testing.assert_array_equal(np.asarray(s2), np.asarray(s))
    assert_symmetric(s2)


def test_sym_rank_one_with_x_a_column_of_the_receiver():
    a = rand_sym(4, 14)
    s = SymDense.from_array(a)
    s.sym_rank_one(s, 1.0, np.asarray(s)[:, 2])
    oracle = a + np.outer(a[:, 2], a[:, 2])
    np.testing.assert_array_less(np.abs(np.asarray(s) - oracle), update_tol(a, 1.0, a[:, 2:3]))
    assert_symmetric(s)


def test_sym_rank_one_reads_the_upper_triangle_of_a_nearly_symmetric_array():
    x = rand((4, 30), 15)
    a = x @ x.T
    a[3, 0] = a[0, 3] * (1 - 8 * EPS)
    s = SymDense()
    s.sym_rank_one(a, 0.0, np.zeros(4))
    np.testing.assert_array_equal(np.triu(np.asarray(s)), np.triu(a))
    assert_symmetric(s)


@pytest.mark.parametrize("n", SIZES, ids=[f"n{n}" for n in SIZES])
def test_rank_two(n):
    a, x, y = rand_sym(n, 16), rand(n, 17), rand(n, 18)
    s = SymDense()
    s.rank_two(a, 1.25, x, y)
    oracle = a + 1.25 * (np.outer(x, y) + np.outer(y, x))
    xy = np.column_stack([x, y])
    np.testing.assert_array_less(np.abs(np.asarray(s) - oracle),
                                 update_tol(a, 1.25, np.abs(xy)) + 1e-300)
    assert_symmetric(s)


def test_rank_two_in_place_with_strided_vectors_from_the_receiver():
    a = rand_sym(5, 19)
    s = SymDense.from_array(a)
    x, y = np.asarray(s)[0], np.asarray(s)[::-1, 4]  # a row and a reversed column
    s.rank_two(s, -0.5, x, y)
    xo, yo = a[0], a[::-1, 4]
    oracle = a - 0.5 * (np.outer(xo, yo) + np.outer(yo, xo))
    np.testing.assert_array_less(np.abs(np.asarray(s) - oracle),
                                 update_tol(a, 0.5, np.column_stack([xo, yo])))
    assert_symmetric(s)


@pytest.mark.parametrize("shape", [(4, 0), (4, 1), (4, 6), (33, 5)], ids=["k0", "k1", "k6", "33x5"])
@pytest.mark.parametrize("name, idx", [(n, i) for i, n in enumerate(LAYOUT_IDS)], ids=LAYOUT_IDS)
def test_sym_rank_k(shape, name, idx):
    n = shape[0]
    a, x = rand_sym(n, 20), rand(shape, 21)
    s = SymDense()
    s.sym_rank_k(a, -0.25, layouts(x)[idx][1])
    oracle = a - 0.25 * (x @ x.T)
    np.testing.assert_array_less(np.abs(np.asarray(s) - oracle), update_tol(a, 0.25, x))
    assert_symmetric(s)


def test_sym_rank_k_receiver_is_a_and_x():
    a = rand_sym(4, 22)
    s = SymDense.from_array(a)
    s.sym_rank_k(s, 1.0, s)
    np.testing.assert_array_less(np.abs(np.asarray(s) - (a + a @ a)), update_tol(a, 1.0, a))
    assert_symmetric(s)


# -- elementwise arithmetic -------------------------------------------------------------


@pytest.mark.parametrize(
    "method, oracle",
    [
        ("add_sym", lambda a, b: a + b),
        ("sub_sym", lambda a, b: a - b),
    ],
    ids=["add", "sub"],
)
@pytest.mark.parametrize("n", SIZES, ids=[f"n{n}" for n in SIZES])
def test_add_sub_sym(method, oracle, n):
    a, b = rand_sym(n, 23), rand_sym(n, 24)
    s = SymDense()
    getattr(s, method)(a, SymDense.from_array(b))
    # One IEEE operation per element: numpy's result, exactly.
    np.testing.assert_array_equal(np.asarray(s), oracle(a, b))
    assert_symmetric(s)
    getattr(s, method)(s, s)  # in place, the receiver is both operands
    np.testing.assert_array_equal(np.asarray(s), oracle(oracle(a, b), oracle(a, b)))
    assert_symmetric(s)


@pytest.mark.parametrize("name, idx", [(n, i) for i, n in enumerate(LAYOUT_IDS)], ids=LAYOUT_IDS)
def test_scale_sym_layouts_and_in_place(name, idx):
    a = rand_sym(5, 25)
    s = SymDense()
    s.scale_sym(-3.0, layouts(a)[idx][1])
    np.testing.assert_array_equal(np.asarray(s), -3.0 * a)
    s.scale_sym(0.5, s)
    np.testing.assert_array_equal(np.asarray(s), 0.5 * (-3.0 * a))
    assert_symmetric(s)


def test_diagonal_and_dense_operands():
    a = rand_sym(3, 26)
    s = SymDense()
    s.add_sym(DiagDense(3, [1.0, 2.0, 3.0]), Dense.from_array(a))
    np.testing.assert_array_equal(np.asarray(s), np.diag([1.0, 2.0, 3.0]) + a)
    assert_symmetric(s)


# -- receivers, shapes and aliasing ------------------------------------------------------


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda s: s.sym_outer(1.0, np.ones(4)), r"sym_outer: the receiver is 3×3 but the result is 4×4"),
        (lambda s: s.sym_outer_k(1.0, np.ones((2, 5))),
         r"sym_outer_k: the receiver is 3×3 but the result is 2×2"),
        (lambda s: s.sym_rank_one(np.eye(2), 1.0, np.ones(2)),
         r"sym_rank_one: the receiver is 3×3 but the result is 2×2"),
        (lambda s: s.rank_two(np.eye(2), 1.0, np.ones(2), np.ones(2)),
         r"rank_two: the receiver is 3×3 but the result is 2×2"),
        (lambda s: s.sym_rank_k(np.eye(2), 1.0, np.ones((2, 3))),
         r"sym_rank_k: the receiver is 3×3 but the result is 2×2"),
        (lambda s: s.add_sym(np.eye(2), np.eye(2)), r"add_sym: the receiver is 3×3 but the result is 2×2"),
        (lambda s: s.sub_sym(np.eye(4), np.eye(4)), r"sub_sym: the receiver is 3×3 but the result is 4×4"),
        (lambda s: s.scale_sym(2.0, np.eye(1)), r"scale_sym: the receiver is 3×3 but the result is 1×1"),
    ],
    ids=["sym_outer", "sym_outer_k", "sym_rank_one", "rank_two", "sym_rank_k", "add_sym", "sub_sym",
         "scale_sym"],
)
def test_wrong_size_receiver(call, match):
    s = SymDense(3)
    with pytest.raises(ShapeError, match=match):
        call(s)
    np.testing.assert_array_equal(np.asarray(s), np.zeros((3, 3)))


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda s: s.sym_rank_one(np.eye(3), 1.0, np.ones(2)), ShapeError,
         r"sym_rank_one: a is 3×3 but x has length 2"),
        (lambda s: s.rank_two(np.eye(2), 1.0, np.ones(2), np.ones(3)), ShapeError,
         r"rank_two: x has length 2 but y has length 3"),
        (lambda s: s.rank_two(np.eye(3), 1.0, np.ones(2), np.ones(2)), ShapeError,
         r"rank_two: a is 3×3 but x and y have length 2"),
        (lambda s: s.sym_rank_k(np.eye(3), 1.0, np.ones((2, 4))), ShapeError,
         r"sym_rank_k: a is 3×3 but x is 2×4"),
        (lambda s: s.add_sym(np.eye(3), np.eye(2)), ShapeError, r"add_sym: a is 3×3 but b is 2×2"),
        (lambda s: s.add_sym(np.ones((2, 3)), np.eye(2)), ShapeError,
         r"add_sym: a must be square .symmetric.; got 2×3"),
        (lambda s: s.sub_sym(np.eye(2), [[0, 1], [2, 0]]), ValueError,
         r"sub_sym: b is not symmetric: \|b\[0, 1\] - b\[1, 0\]\| = \|1 - 2\|"),
        (lambda s: s.sym_rank_one([[0, 1], [0, 0]], 1.0, [1, 1]), ValueError,
         r"sym_rank_one: a is not symmetric"),
        (lambda s: s.copy_sym([[0, 1], [0, 0]]), ValueError, r"copy_sym: a is not symmetric"),
        (lambda s: s.sym_outer(1.0, np.ones((2, 2))), ShapeError,
         r"sym_outer: x must be a vector; got shape 2×2"),
        (lambda s: s.sym_outer(1.0, ["a", "b"]), TypeError, r"sym_outer: x must be a real vector"),
        (lambda s: s.sym_outer_k(1.0, np.ones((2, 2, 2))), ShapeError, r"sym_outer_k: x must be 2-D"),
    ],
    ids=["rank-one-length", "rank-two-lengths", "rank-two-a", "rank-k-rows", "add-sizes",
         "add-non-square", "sub-asymmetric", "rank-one-asymmetric", "copy-asymmetric",
         "outer-not-vector", "outer-strings", "outer-k-3d"],
)
def test_operand_errors(call, exc, match):
    with pytest.raises(exc, match=match):
        call(SymDense())


def test_partial_overlap_raises_aliasing_error():
    storage = np.zeros((5, 5))
    big = SymDense._wrap(storage)
    s = big.slice_sym(0, 4)  # the receiver: rows/cols 0:4
    shifted = big.slice_sym(1, 5)  # an operand: rows/cols 1:5, overlapping partially
    x4 = np.ones(4)
    calls = {
        "add_sym": lambda: s.add_sym(shifted, np.eye(4)),
        "sub_sym": lambda: s.sub_sym(np.eye(4), shifted),
        "scale_sym": lambda: s.scale_sym(2.0, shifted),
        "sym_rank_one": lambda: s.sym_rank_one(shifted, 1.0, x4),
        "rank_two": lambda: s.rank_two(shifted, 1.0, x4, x4),
        "sym_rank_k": lambda: s.sym_rank_k(shifted, 1.0, np.ones((4, 2))),
        "sym_outer_k": lambda: s.sym_outer_k(1.0, storage[1:, :3]),
        "sym_rank_k-x": lambda: s.sym_rank_k(np.eye(4), 1.0, storage[1:, :3]),
    }
    for name, call in calls.items():
        with pytest.raises(AliasingError, match=r"partially overlaps an operand"):
            call()
        assert not storage.any(), name  # nothing was written


def test_interleaved_views_are_not_aliased():
    storage = np.zeros((4, 8))
    s = SymDense._wrap(storage[:, ::2])
    other = storage[:, 1::2]  # same extent, disjoint elements
    other[...] = rand_sym(4, 27)
    s.add_sym(other, other)
    np.testing.assert_array_equal(np.asarray(s), 2 * rand_sym(4, 27))


# -- properties ---------------------------------------------------------------------------

finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(
    data=st.data(),
    n=st.integers(0, 8),
    alpha=st.floats(-10, 10, allow_nan=False),
)
def test_rank_one_then_its_negation_restores_a(data, n, alpha):
    half = data.draw(hnp.arrays(np.float64, (n, n), elements=finite))
    a = (half + half.T) / 2
    x = data.draw(hnp.arrays(np.float64, n, elements=finite))
    s = SymDense.from_array(a)
    s.sym_rank_one(s, alpha, x)
    assert_symmetric(s)
    s.sym_rank_one(s, -alpha, x)
    assert_symmetric(s)
    # Two updates, each one product (2 roundings) and one sum: the error is at most
    # about 6 eps (|a| + |alpha| |x||x|ᵀ); 8 leaves room for the intermediate's size.
    tol = 8 * EPS * (np.abs(a) + abs(alpha) * np.outer(np.abs(x), np.abs(x)))
    assert np.all(np.abs(np.asarray(s) - a) <= tol)


@settings(max_examples=40, deadline=None)
@given(
    x=hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, max_side=7), elements=finite),
    alpha=st.floats(-10, 10, allow_nan=False),
)
def test_sym_outer_k_matches_numpy(x, alpha):
    s = SymDense()
    s.sym_outer_k(alpha, x)
    assert_symmetric(s)
    oracle = alpha * (x @ x.T)
    assert np.all(np.abs(np.asarray(s) - oracle) <= update_tol(0 * oracle, alpha, x))
