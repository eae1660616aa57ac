"""Dense: construction, storage sharing, receivers, views, aliasing and every method,
against numpy as the oracle."""

import numpy as np
import pytest
import scipy.linalg
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from numkit.errors import AliasingError, ShapeError
from numkit.mat import Dense, VecDense

EPS = np.finfo(float).eps


def rand(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def gemm_tol(a, b):
    # |fl(AB) - AB| <= k eps |A||B| elementwise (Higham, Accuracy and Stability, §3.5)
    k = a.shape[1]
    return (k + 1) * EPS * (np.abs(a) @ np.abs(b)) + 1e-300


# -- construction ---------------------------------------------------------------------


def test_data_becomes_backing_store_without_copy():
    data = np.arange(6.0)
    m = Dense(2, 3, data)
    m.set(1, 2, 42.0)
    assert data[5] == 42.0
    assert np.shares_memory(np.asarray(m), data)


@pytest.mark.parametrize(
    "data",
    [list(range(6)), np.arange(6), np.arange(6, dtype=np.float32), (np.arange(12.0) / 2)[::2]],
    ids=["list", "int-array", "float32", "strided"],
)
def test_other_data_is_copied(data):
    m = Dense(2, 3, data)
    np.testing.assert_array_equal(np.asarray(m), np.arange(6.0).reshape(2, 3))
    if isinstance(data, np.ndarray):
        assert not np.shares_memory(np.asarray(m), data)


def test_zero_and_empty():
    assert np.array_equal(np.asarray(Dense(2, 3)), np.zeros((2, 3)))
    assert Dense().is_empty()
    assert not Dense(1, 1).is_empty()
    assert Dense().dims() == (0, 0)


@pytest.mark.parametrize(
    "args, exc, match",
    [
        ((2, 3, [1, 2]), ShapeError, "2 elements but a 2×3 matrix needs 6"),
        ((-1, 3), ValueError, "non-negative"),
        ((2, 2, ["a", "b", "c", "d"]), ValueError, "could not convert"),
    ],
    ids=["short-data", "negative", "strings"],
)
def test_constructor_errors(args, exc, match):
    with pytest.raises(exc, match=match):
        Dense(*args)


def test_from_array_copies():
    a = rand((3, 2))
    m = Dense.from_array(a)
    np.testing.assert_array_equal(np.asarray(m), a)
    a[0, 0] = 99
    assert m.at(0, 0) != 99


def test_from_array_rejects_3d():
    with pytest.raises(ShapeError, match="must be 2-D"):
        Dense.from_array(np.zeros((2, 2, 2)))


def test_at_set_and_index_errors():
    m = Dense(2, 2, [1, 2, 3, 4])
    assert m.at(1, 0) == 3.0
    m.set(0, 1, -1)
    assert m[0, 1] == -1
    with pytest.raises(IndexError, match=r"at: index \(2, 0\) out of range for a 2×2"):
        m.at(2, 0)
    with pytest.raises(IndexError, match="set: index"):
        m.set(0, -1, 1.0)


# -- views ----------------------------------------------------------------------------


def test_slice_shares_memory_and_keeps_capacity():
    m = Dense(4, 5, np.arange(20.0))
    s = m.slice(1, 3, 2, 4)
    assert s.dims() == (2, 2)
    assert s.caps() == (3, 3)
    s.set(0, 0, -7)
    assert m.at(1, 2) == -7
    g = s.grow(1, 1)  # inside capacity: still a view
    g.set(2, 2, -9)
    assert m.at(3, 4) == -9


def test_grow_beyond_capacity_copies():
    m = Dense(2, 2, [1, 2, 3, 4])
    g = m.grow(1, 2)
    assert g.dims() == (3, 4)
    np.testing.assert_array_equal(np.asarray(g)[:2, :2], np.asarray(m))
    assert np.asarray(g)[2:].sum() == 0 and np.asarray(g)[:, 2:].sum() == 0
    g.set(0, 0, 100)
    assert m.at(0, 0) == 1


def test_slice_out_of_range():
    with pytest.raises(IndexError, match=r"slice: \[0:3, 0:1\] is out of range for capacity 2×2"):
        Dense(2, 2).slice(0, 3, 0, 1)


def test_row_col_views_share_memory():
    m = Dense(3, 3, np.arange(9.0))
    r = m.row_view(1)
    c = m.col_view(2)
    assert isinstance(r, VecDense) and isinstance(c, VecDense)
    np.testing.assert_array_equal(np.asarray(r), [3, 4, 5])
    np.testing.assert_array_equal(np.asarray(c), [2, 5, 8])
    m.set(1, 2, -1)
    assert np.asarray(r)[2] == -1 and np.asarray(c)[1] == -1
    raw = m.raw_row_view(0)
    raw[0] = 10
    assert m.at(0, 0) == 10
    with pytest.raises(IndexError, match="row 3 out of range"):
        m.row_view(3)
    with pytest.raises(IndexError, match="column 5 out of range"):
        m.col_view(5)


def test_transpose_is_a_view_and_a_receiver():
    m = Dense(2, 3, np.arange(6.0))
    t = m.T()
    assert t.dims() == (3, 2)
    assert np.shares_memory(np.asarray(t), np.asarray(m))
    a = rand((3, 4), 1)
    b = rand((4, 2), 2)
    t.mul(a, b)  # writes through the transposed view
    np.testing.assert_allclose(np.asarray(m), (a @ b).T, atol=1e-14)


def test_set_row_set_col():
    m = Dense(2, 3)
    m.set_row(1, [1, 2, 3])
    m.set_col(0, VecDense(2, [9, 8]))
    np.testing.assert_array_equal(np.asarray(m), [[9, 0, 0], [8, 2, 3]])
    with pytest.raises(ShapeError, match="set_row: src has length 2 but the matrix has 3 columns"):
        m.set_row(0, [1, 2])
    with pytest.raises(ShapeError, match="set_col: src has length 3 but the matrix has 2 rows"):
        m.set_col(0, [1, 2, 3])


def test_copy_from_returns_copied_dims_and_handles_overlap():
    m = Dense(2, 2)
    assert m.copy_from(np.arange(6.0).reshape(2, 3)) == (2, 2)
    np.testing.assert_array_equal(np.asarray(m), [[0, 1], [3, 4]])
    big = Dense(3, 3, np.arange(9.0))
    # overlapping source and destination: the copy is as if through a buffer
    expected = np.arange(9.0).reshape(3, 3)[:2, :2].copy()
    big.slice(1, 3, 1, 3).copy_from(big.slice(0, 2, 0, 2))
    np.testing.assert_array_equal(np.asarray(big)[1:, 1:], expected)


def test_clone_from_reshapes_and_copies():
    m = Dense(1, 1)
    src = rand((3, 2))
    m.clone_from(src)
    np.testing.assert_array_equal(np.asarray(m), src)
    assert not np.shares_memory(np.asarray(m), src)


def test_reset_reuses_storage():
    m = Dense(3, 3, np.arange(9.0))
    store = np.asarray(m)
    m.reset()
    assert m.is_empty()
    m.add(np.ones((2, 2)), np.ones((2, 2)))  # fits in the old storage
    assert np.shares_memory(np.asarray(m), store)
    np.testing.assert_array_equal(np.asarray(m), 2 * np.ones((2, 2)))


def test_zero():
    m = Dense(2, 2, [1, 2, 3, 4])
    m.zero()
    assert not np.asarray(m).any()


# -- receivers and aliasing -------------------------------------------------------------

BINARY = [
    ("add", np.add),
    ("sub", np.subtract),
    ("mul_elem", np.multiply),
    ("div_elem", np.divide),
]


@pytest.mark.parametrize("name, ufunc", BINARY, ids=[b[0] for b in BINARY])
def test_elementwise_against_numpy(name, ufunc):
    a = rand((4, 5), 1)
    b = rand((4, 5), 2)
    for receiver in (Dense(), Dense(4, 5)):
        getattr(receiver, name)(a, b)
        np.testing.assert_array_equal(np.asarray(receiver), ufunc(a, b))


@pytest.mark.parametrize("name, ufunc", BINARY, ids=[b[0] for b in BINARY])
def test_elementwise_in_place(name, ufunc):
    a = rand((3, 3), 1)
    b = rand((3, 3), 2)
    m = Dense.from_array(a)
    getattr(m, name)(m, b)
    np.testing.assert_array_equal(np.asarray(m), ufunc(a, b))
    m = Dense.from_array(b)
    getattr(m, name)(a, m)
    np.testing.assert_array_equal(np.asarray(m), ufunc(a, b))


@pytest.mark.parametrize("name", [b[0] for b in BINARY])
def test_elementwise_shape_errors(name):
    with pytest.raises(ShapeError, match=f"{name}: a is 2×3 but b is 3×2"):
        getattr(Dense(), name)(np.ones((2, 3)), np.ones((3, 2)))
    with pytest.raises(ShapeError, match=f"{name}: the receiver is 2×2 but the result is 2×3"):
        getattr(Dense(2, 2), name)(np.ones((2, 3)), np.ones((2, 3)))


def test_elementwise_partial_overlap_raises():
    m = Dense(3, 3, np.arange(9.0))
    with pytest.raises(AliasingError, match="add: the receiver partially overlaps"):
        m.slice(0, 2, 0, 2).add(m.slice(1, 3, 1, 3), np.ones((2, 2)))
    with pytest.raises(AliasingError, match="partially overlaps"):
        m.add(m.T(), m)


def test_interleaved_views_are_not_aliases():
    store = np.arange(12.0).reshape(3, 4)
    even = Dense._wrap(store[:, ::2])
    odd = store[:, 1::2].copy()
    even.add(store[:, 1::2], odd)  # disjoint though their address ranges meet
    np.testing.assert_array_equal(store[:, ::2], 2 * odd)


def test_scale():
    a = rand((3, 2))
    m = Dense()
    m.scale(2.5, a)
    np.testing.assert_array_equal(np.asarray(m), 2.5 * a)
    m.scale(-1, m)
    np.testing.assert_array_equal(np.asarray(m), -2.5 * a)


def test_read_only_receiver_is_refused():
    data = np.zeros(4)
    data.flags.writeable = False
    m = Dense(2, 2, data)
    with pytest.raises(ValueError, match="read-only"):
        m.add(np.ones((2, 2)), np.ones((2, 2)))
    with pytest.raises(ValueError, match="read-only"):
        m.mul(np.ones((2, 2)), np.ones((2, 2)))


# -- products -----------------------------------------------------------------------

LAYOUTS = {
    "C": lambda x: x,
    "F": np.asfortranarray,
    "T-view": lambda x: np.ascontiguousarray(x.T).T,
    "strided": lambda x: np.repeat(np.repeat(x, 2, 0), 2, 1)[::2, ::2],
    "readonly": lambda x: _readonly(x),
}


def _readonly(x):
    y = x.copy()
    y.flags.writeable = False
    return y


@pytest.mark.parametrize("shape", [(3, 3, 3), (1, 1, 1), (5, 4, 3), (70, 60, 50), (0, 3, 2), (3, 0, 2)],
                         ids=lambda s: "x".join(map(str, s)))
@pytest.mark.parametrize("la", list(LAYOUTS), ids=lambda s: f"a-{s}")
@pytest.mark.parametrize("lb", ["C", "F", "strided"], ids=lambda s: f"b-{s}")
def test_mul_layouts(shape, la, lb):
    m, k, n = shape
    a, b = rand((m, k), 1), rand((k, n), 2)
    c = Dense()
    c.mul(LAYOUTS[la](a), LAYOUTS[lb](b))
    expected = a @ b
    assert np.all(np.abs(np.asarray(c) - expected) <= gemm_tol(a, b))


def test_mul_shape_errors():
    with pytest.raises(ShapeError, match=r"mul: a is 3×4 but b is 5×2 \(inner dimensions 4 and 5 differ\)"):
        Dense().mul(np.ones((3, 4)), np.ones((5, 2)))
    with pytest.raises(ShapeError, match="mul: the receiver is 3×3 but the result is 3×2"):
        Dense(3, 3).mul(np.ones((3, 4)), np.ones((4, 2)))


@pytest.mark.parametrize("n", [3, 40], ids=["small", "blas"])
def test_mul_receiver_is_operand_uses_workspace(n):
    a = rand((n, n), 3)
    b = rand((n, n), 4)
    m = Dense.from_array(a)
    m.mul(m, b)
    assert np.all(np.abs(np.asarray(m) - a @ b) <= gemm_tol(a, b))
    m = Dense.from_array(b)
    m.mul(a, m)
    assert np.all(np.abs(np.asarray(m) - a @ b) <= gemm_tol(a, b))
    m = Dense.from_array(a)
    m.mul(m, m)
    assert np.all(np.abs(np.asarray(m) - a @ a) <= gemm_tol(a, a))


def test_mul_partial_overlap_raises():
    m = Dense(4, 4, np.arange(16.0))
    with pytest.raises(AliasingError, match="mul: the receiver partially overlaps"):
        m.slice(0, 2, 0, 2).mul(m.slice(1, 3, 1, 3), np.eye(2))


def test_mul_with_vecdense_operand():
    a = rand((3, 4))
    x = VecDense(4, rand(4, 1))
    c = Dense()
    c.mul(a, x)
    np.testing.assert_allclose(np.asarray(c)[:, 0], a @ np.asarray(x), atol=1e-14)


@pytest.mark.parametrize("n", [0, 1, 2, 3, 7])
def test_pow(n):
    a = rand((4, 4), 5) / 2
    m = Dense()
    m.pow(a, n)
    np.testing.assert_allclose(np.asarray(m), np.linalg.matrix_power(a, n), rtol=1e-12, atol=1e-14)


def test_pow_errors():
    with pytest.raises(ShapeError, match="pow: a must be square; got 2×3"):
        Dense().pow(np.ones((2, 3)), 2)
    with pytest.raises(ValueError, match="pow: n must be a non-negative integer"):
        Dense().pow(np.eye(2), -1)
    with pytest.raises(ValueError, match="non-negative integer"):
        Dense().pow(np.eye(2), 1.5)


@pytest.mark.parametrize("scale", [0.0, 1e-3, 1.0, 30.0], ids=["zero", "small", "unit", "large"])
def test_exp_against_scipy(scale):
    a = rand((6, 6), 6) * scale
    m = Dense()
    m.exp(a)
    expected = scipy.linalg.expm(a)
    # both use Padé-13 with scaling and squaring; error grows with ||A|| (Higham 2005)
    np.testing.assert_allclose(np.asarray(m), expected, rtol=1e-11 * max(1, scale), atol=1e-13)


def test_exp_of_rotation_generator():
    t = 0.7
    m = Dense()
    m.exp([[0, -t], [t, 0]])
    np.testing.assert_allclose(np.asarray(m), [[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]],
                               atol=4 * EPS)


def test_exp_errors():
    with pytest.raises(ShapeError, match="exp: a must be square"):
        Dense().exp(np.ones((2, 3)))
    with pytest.raises(ValueError, match="exp: a contains NaN or infinity"):
        Dense().exp([[np.nan, 0], [0, 1]])


def test_product_chain_order_and_value():
    shapes = [(10, 30), (30, 5), (5, 60), (60, 1)]
    mats = [rand(s, i) for i, s in enumerate(shapes)]
    m = Dense()
    m.product(*mats)
    np.testing.assert_allclose(np.asarray(m), np.linalg.multi_dot(mats), rtol=1e-12, atol=1e-12)
    single = Dense()
    single.product(mats[0])
    np.testing.assert_array_equal(np.asarray(single), mats[0])


def test_product_errors():
    with pytest.raises(ValueError, match="product: needs at least one factor"):
        Dense().product()
    with pytest.raises(ShapeError, match=r"product: factors\[0\] is 2×3 but factors\[1\] is 2×2"):
        Dense().product(np.ones((2, 3)), np.ones((2, 2)))


def test_kronecker():
    a, b = rand((2, 3), 1), rand((4, 2), 2)
    m = Dense()
    m.kronecker(a, b)
    np.testing.assert_array_equal(np.asarray(m), np.kron(a, b))


def test_kronecker_aliasing():
    m = Dense(2, 2, [1, 2, 3, 4])
    with pytest.raises(AliasingError, match="kronecker"):
        m.kronecker(m.slice(0, 1, 0, 1), m.slice(0, 2, 0, 2))


def test_outer_and_rank_one():
    x, y = rand(4, 1), rand(3, 2)
    m = Dense()
    m.outer(2.0, x, y)
    np.testing.assert_allclose(np.asarray(m), 2.0 * np.outer(x, y), rtol=1e-15)
    a = rand((4, 3), 3)
    r = Dense.from_array(a)
    r.rank_one(r, -0.5, x, y)
    np.testing.assert_allclose(np.asarray(r), a - 0.5 * np.outer(x, y), rtol=1e-14, atol=1e-15)
    with pytest.raises(ShapeError, match=r"rank_one: a is 4×3 but x yᵀ is 3×3"):
        Dense().rank_one(a, 1.0, y, y)


def test_rank_one_on_transposed_receiver():
    x, y = rand(3, 1), rand(2, 2)
    store = np.zeros((2, 3))
    t = Dense._wrap(store.T)
    t.rank_one(t, 1.0, x, y)
    np.testing.assert_allclose(store, np.outer(x, y).T, rtol=1e-15)


def test_stack_and_augment():
    a, b = rand((2, 3), 1), rand((1, 3), 2)
    m = Dense()
    m.stack(a, b)
    np.testing.assert_array_equal(np.asarray(m), np.vstack([a, b]))
    c = rand((2, 1), 3)
    n = Dense()
    n.augment(a, c)
    np.testing.assert_array_equal(np.asarray(n), np.hstack([a, c]))
    with pytest.raises(ShapeError, match=r"stack: a is 2×3 but b is 2×2 \(column counts 3 and 2 differ\)"):
        Dense().stack(a, np.ones((2, 2)))
    with pytest.raises(ShapeError, match=r"augment: a is 2×3 but b is 3×3 \(row counts 2 and 3 differ\)"):
        Dense().augment(a, np.ones((3, 3)))
    with pytest.raises(AliasingError, match="stack"):
        m.stack(m.slice(0, 1, 0, 3), m.slice(1, 3, 0, 3))


def test_permute_rows_and_cols():
    a = rand((3, 4))
    p = [2, 0, 1]
    m = Dense.from_array(a)
    m.permute_rows(p)
    np.testing.assert_array_equal(np.asarray(m), a[p])
    m.permute_rows(p, inverse=True)
    np.testing.assert_array_equal(np.asarray(m), a)
    q = [3, 1, 0, 2]
    m.permute_cols(q)
    np.testing.assert_array_equal(np.asarray(m), a[:, q])
    m.permute_cols(q, inverse=True)
    np.testing.assert_array_equal(np.asarray(m), a)
    with pytest.raises(ValueError, match=r"permute_rows: p must be a permutation of 0..2"):
        m.permute_rows([0, 0, 1])
    with pytest.raises(ShapeError, match="permute_cols: p must have length 4"):
        m.permute_cols([0, 1])


def test_apply_ufunc_and_index_function():
    a = rand((2, 3))
    m = Dense()
    m.apply(np.abs, a)
    np.testing.assert_array_equal(np.asarray(m), np.abs(a))
    m.apply(lambda i, j, v: v * (i + 1) + j, a)
    np.testing.assert_array_equal(
        np.asarray(m), a * (np.arange(2)[:, None] + 1) + np.arange(3)[None, :]
    )
    with pytest.raises(ShapeError, match=r"apply: fn returned shape \(5,\) for a 2×3 input"):
        m.apply(lambda v: np.zeros(5), a)


# -- operators -------------------------------------------------------------------------


def test_operators_allocate_new_results():
    a, b = rand((3, 3), 1), rand((3, 3), 2)
    A, B = Dense.from_array(a), Dense.from_array(b)
    cases = {
        "add": (A + B, a + b),
        "sub": (A - B, a - b),
        "mul-elem": (A * B, a * b),
        "div": (A / B, a / b),
        "scalar-mul": (2 * A, 2 * a),
        "scalar-div": (A / 4, a / 4),
        "rsub-scalar": (1 - A, 1 - a),
        "neg": (-A, -a),
        "ndarray-left": (a + B, a + b),
        "matmul": (A @ B, a @ b),
        "rmatmul": (a @ B, a @ b),
    }
    for name, (got, want) in cases.items():
        assert isinstance(got, Dense), name
        np.testing.assert_allclose(np.asarray(got), want, rtol=1e-14, atol=1e-15, err_msg=name)
    np.testing.assert_array_equal(np.asarray(A), a)  # operands untouched


def test_in_place_operators_keep_storage():
    A = Dense.from_array(np.ones((2, 2)))
    store = np.asarray(A)
    A += np.ones((2, 2))
    A *= 3
    A -= 1
    assert np.shares_memory(np.asarray(A), store)
    np.testing.assert_array_equal(store, 5 * np.ones((2, 2)))


def test_operator_with_unsupported_type():
    with pytest.raises(TypeError):
        Dense(2, 2) @ "x"


def test_repr():
    assert repr(Dense(2, 3)) == "Dense(2×3)"


# -- properties -----------------------------------------------------------------------

finite = st.floats(-1e6, 1e6, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(
    data=st.data(),
    m=st.integers(0, 9),
    k=st.integers(0, 9),
    n=st.integers(0, 9),
)
def test_mul_matches_numpy_property(data, m, k, n):
    a = data.draw(hnp.arrays(np.float64, (m, k), elements=finite))
    b = data.draw(hnp.arrays(np.float64, (k, n), elements=finite))
    c = Dense()
    c.mul(a, b)
    assert np.all(np.abs(np.asarray(c) - a @ b) <= gemm_tol(a, b))


@settings(max_examples=60, deadline=None)
@given(a=hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, max_side=8), elements=finite))
def test_add_sub_roundtrip_property(a):
    m = Dense.from_array(a)
    m.add(m, a)
    m.sub(m, a)
    # (a + a) - a is exact in binary floating point unless a + a overflows
    np.testing.assert_array_equal(np.asarray(m), a)
