"""VecDense: construction, storage sharing, receivers, views, aliasing, every method
and the operators, against numpy as the oracle."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from numkit.errors import AliasingError, ShapeError
from numkit.mat import Dense, VecDense

EPS = np.finfo(float).eps


def rand(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def readonly(a):
    a = np.array(a, dtype=float)
    a.flags.writeable = False
    return a


def gemv_tol(a, x):
    # |fl(Ax) - Ax| <= gamma_n |A||x| elementwise (Higham, Accuracy and Stability of
    # Numerical Algorithms, 2nd ed., §3.5), gamma_n ~ n eps; +1 for the slack term.
    n = a.shape[1]
    return (n + 1) * EPS * (np.abs(a) @ np.abs(x)) + 1e-300


# -- operand kinds: each makes a vector equal to `values` from different storage ------


def _contiguous(v):
    return VecDense(len(v), np.array(v))


def _strided(v):
    buf = np.full(3 * len(v) + 1, np.nan)
    buf[1::3] = v
    return VecDense._wrap(buf[1::3])


def _reversed(v):
    return VecDense._wrap(np.array(v[::-1])[::-1])


def _fortran_column(v):
    # column 1 of a Fortran-ordered n×3 matrix: unit stride in a transposed layout
    m = np.asfortranarray(np.zeros((len(v), 3)))
    m[:, 1] = v
    return Dense._wrap(m).col_view(1)


def _dense_row(v):
    m = Dense(3, len(v))
    m.set_row(2, v)
    return m.row_view(2)


KINDS = {
    "contiguous": _contiguous,
    "strided": _strided,
    "reversed": _reversed,
    "fortran-col": _fortran_column,
    "dense-row": _dense_row,
    "ndarray": lambda v: np.array(v),
    "readonly": readonly,
    "list": lambda v: list(v),
    "n×1-dense": lambda v: Dense(len(v), 1, np.array(v)),
    "1×n-array": lambda v: np.array(v)[None, :],
}


# -- construction ---------------------------------------------------------------------


def test_data_becomes_backing_store_without_copy():
    data = np.arange(4.0)
    v = VecDense(4, data)
    v.set_vec(3, 42.0)
    assert data[3] == 42.0
    assert np.shares_memory(np.asarray(v), data)


@pytest.mark.parametrize(
    "data",
    [[0, 1, 2], np.arange(3), np.arange(3, dtype=np.float32), (np.arange(6.0) / 2)[::2],
     np.arange(3.0)[:, None]],
    ids=["list", "int-array", "float32", "strided", "column-2d"],
)
def test_other_data_is_copied(data):
    v = VecDense(3, data)
    np.testing.assert_array_equal(np.asarray(v), [0.0, 1.0, 2.0])
    if isinstance(data, np.ndarray):
        assert not np.shares_memory(np.asarray(v), data)


@pytest.mark.parametrize(
    "args, exc, match",
    [
        ((-1,), ValueError, "n must be non-negative; got -1"),
        ((3, [1, 2]), ShapeError, "data has 2 elements but n is 3"),
        ((2, np.arange(3.0)), ShapeError, "data has 3 elements but n is 2"),
    ],
    ids=["negative", "short-list", "long-array"],
)
def test_construction_errors(args, exc, match):
    with pytest.raises(exc, match=match):
        VecDense(*args)


@pytest.mark.parametrize(
    "src",
    [[1, 2, 3], np.array([[1], [2], [3]]), np.array([[1, 2, 3]]), VecDense(3, [1, 2, 3]),
     Dense(3, 1, [1, 2, 3]), readonly([1, 2, 3]), np.arange(1.0, 7.0)[::2][[0, 1, 2]]],
    ids=["list", "n×1", "1×n", "vecdense", "dense-col", "readonly", "fancy"],
)
def test_from_array_copies(src):
    v = VecDense.from_array(src)
    np.testing.assert_array_equal(np.asarray(v), np.asarray(src, dtype=float).reshape(-1))
    v.set_vec(0, -5.0)
    assert np.asarray(src, dtype=float).reshape(-1)[0] == 1.0  # the source is untouched


@pytest.mark.parametrize(
    "src, match",
    [(np.zeros((2, 3)), "from_array: a must be a vector; got shape 2×3"),
     (np.zeros((2, 2, 2)), "from_array: a must be a vector"),
     (Dense(2, 2), "from_array: a must be a vector; got shape 2×2")],
    ids=["2×3", "3-d", "dense-2×2"],
)
def test_from_array_rejects_non_vectors(src, match):
    with pytest.raises(ShapeError, match=match):
        VecDense.from_array(src)


def test_from_array_rejects_non_numbers():
    with pytest.raises(TypeError, match="from_array: a must be a real vector"):
        VecDense.from_array(["a", "b"])


def test_shape_dims_and_array_interop():
    v = VecDense(3, [1, 2, 3])
    assert v.shape == (3,)             # numpy's vector shape
    assert v.dims() == (3, 1)          # Gonum's Dims: a column
    assert len(v) == v.len() == 3
    a = np.asarray(v)
    assert a.shape == (3,) and np.shares_memory(a, np.asarray(v))
    assert np.array(v, dtype=np.float32).dtype == np.float32
    assert not np.shares_memory(np.array(v, copy=True), a)
    assert repr(v) == "VecDense(length 3)"
    assert v.at(2, 0) == 3.0


def test_array_conversion_without_copy_refused():
    v = VecDense(2, [1, 2])
    with pytest.raises(ValueError, match="cannot convert without a copy"):
        v.__array__(dtype=np.float32, copy=False)


# -- element access, capacity, reset, slicing ----------------------------------------


def test_at_set_and_index_errors():
    v = VecDense(3)
    v.set_vec(1, 2.5)
    assert v.at_vec(1) == 2.5 and v[1] == 2.5
    v[2] = 7
    assert v.at_vec(2) == 7.0
    for bad in (-1, 3):
        with pytest.raises(IndexError, match=f"at_vec: index {bad} out of range for a vector of length 3"):
            v.at_vec(bad)
        with pytest.raises(IndexError, match=f"set_vec: index {bad} out of range"):
            v.set_vec(bad, 0.0)


def test_empty_zero_and_is_empty():
    assert VecDense().is_empty() and VecDense().len() == 0
    v = VecDense(3, [1, 2, 3])
    assert not v.is_empty()
    v.zero()
    np.testing.assert_array_equal(np.asarray(v), np.zeros(3))


def test_reset_keeps_storage_for_reuse():
    v = VecDense(4, [1, 2, 3, 4])
    old = np.asarray(v)
    v.reset()
    assert v.is_empty() and v.dims() == (0, 1)
    v.add_vec([1, 1], [2, 2])
    assert np.shares_memory(np.asarray(v), old)
    np.testing.assert_array_equal(np.asarray(v), [3.0, 3.0])


def test_reset_storage_not_reused_when_it_overlaps_an_operand():
    v = VecDense(3, [1, 2, 3])
    x = v.slice_vec(0, 3)     # a view of the storage v is about to give up
    v.reset()
    v.scale_vec(2.0, x)
    np.testing.assert_array_equal(np.asarray(v), [2.0, 4.0, 6.0])
    np.testing.assert_array_equal(np.asarray(x), [1.0, 2.0, 3.0])
    assert not np.shares_memory(np.asarray(v), np.asarray(x))


def test_reset_does_not_reuse_a_view():
    m = Dense(2, 3)
    r = m.row_view(0)
    r.reset()
    r.add_vec([1, 2, 3], [1, 1, 1])
    assert not np.shares_memory(np.asarray(r), np.asarray(m))
    np.testing.assert_array_equal(np.asarray(m), np.zeros((2, 3)))


def test_slice_vec_shares_memory_and_reaches_capacity():
    v = VecDense(6, np.arange(6.0))
    s = v.slice_vec(1, 3)
    assert s.len() == 2 and s.cap() == 5 and v.cap() == 6
    s.set_vec(1, 20.0)
    assert v.at_vec(2) == 20.0
    t = s.slice_vec(1, 5)     # beyond s's length, inside its capacity
    np.testing.assert_array_equal(np.asarray(t), [20.0, 3.0, 4.0, 5.0])
    assert np.shares_memory(np.asarray(t), np.asarray(v))
    assert v.slice_vec(2, 2).len() == 0


def test_slice_vec_of_strided_view():
    m = Dense(4, 3, np.arange(12.0))
    c = m.col_view(1)
    np.testing.assert_array_equal(np.asarray(c.slice_vec(1, 3)), [4.0, 7.0])


@pytest.mark.parametrize("i, k", [(-1, 2), (2, 1), (0, 7), (7, 7)], ids=["neg", "reversed", "past-cap", "start-past-cap"])
def test_slice_vec_out_of_range(i, k):
    v = VecDense(6)
    with pytest.raises(IndexError, match=rf"slice_vec: \[{i}:{k}\] is out of range for capacity 6"):
        v.slice_vec(i, k)


@pytest.mark.parametrize("dst_len, src_len", [(3, 5), (5, 3), (4, 4), (0, 2)], ids=["short-dst", "short-src", "equal", "empty"])
def test_copy_vec(dst_len, src_len):
    v = VecDense(dst_len, np.full(dst_len, -1.0))
    src = rand(src_len)
    n = v.copy_vec(src)
    assert n == min(dst_len, src_len)
    np.testing.assert_array_equal(np.asarray(v)[:n], src[:n])
    np.testing.assert_array_equal(np.asarray(v)[n:], -1.0)


def test_copy_vec_overlapping_shift():
    buf = np.arange(6.0)
    dst = VecDense._wrap(buf[1:])
    n = dst.copy_vec(VecDense._wrap(buf[:5]))
    assert n == 5
    np.testing.assert_array_equal(buf, [0, 0, 1, 2, 3, 4])  # as memmove


def test_clone_from_vec_is_independent():
    src = VecDense(3, [1, 2, 3])
    v = VecDense(7)
    v.clone_from_vec(_strided([1.0, 2.0, 3.0]))
    assert v.len() == 3
    v.clone_from_vec(src)
    v.set_vec(0, 9)
    assert src.at_vec(0) == 1.0


# -- elementwise arithmetic ----------------------------------------------------------

OPS = {
    "add_vec": (lambda v, a, b: v.add_vec(a, b), lambda a, b: a + b),
    "sub_vec": (lambda v, a, b: v.sub_vec(a, b), lambda a, b: a - b),
    "mul_elem_vec": (lambda v, a, b: v.mul_elem_vec(a, b), lambda a, b: a * b),
    "div_elem_vec": (lambda v, a, b: v.div_elem_vec(a, b), lambda a, b: a / b),
}


@pytest.mark.parametrize("n", [0, 1, 7], ids=["n0", "n1", "n7"])
@pytest.mark.parametrize("kind", list(KINDS), ids=list(KINDS))
@pytest.mark.parametrize("op", list(OPS), ids=list(OPS))
def test_binary_ops_against_numpy(op, kind, n):
    # One IEEE operation per element: the result is exactly numpy's.
    a, b = rand(n, 1), rand(n, 2) + 3.0
    method, ref = OPS[op]
    v = VecDense()
    method(v, KINDS[kind](a), KINDS["strided"](b))
    np.testing.assert_array_equal(np.asarray(v), ref(a, b))
    w = KINDS["strided"](np.zeros(n))        # a strided receiver of the right length
    method(w, KINDS["contiguous"](a), KINDS[kind](b))
    np.testing.assert_array_equal(np.asarray(w), ref(a, b))


@pytest.mark.parametrize("kind", list(KINDS), ids=list(KINDS))
def test_scale_and_add_scaled_against_numpy(kind):
    a, b, alpha = rand(9, 3), rand(9, 4), -1.7
    v = VecDense()
    v.scale_vec(alpha, KINDS[kind](a))
    np.testing.assert_array_equal(np.asarray(v), alpha * a)
    w = VecDense(9)
    w.add_scaled_vec(KINDS[kind](a), alpha, KINDS["reversed"](b))
    # two roundings (the product, the sum; one if the compiler fuses them)
    tol = 2 * EPS * (np.abs(a) + np.abs(alpha * b))
    assert np.all(np.abs(np.asarray(w) - (a + alpha * b)) <= tol)


def test_add_scaled_with_zero_alpha_copies_a():
    v = VecDense()
    v.add_scaled_vec([1.0, 2.0], 0.0, [np.inf, np.nan])
    np.testing.assert_array_equal(np.asarray(v), [1.0, 2.0])


def test_div_elem_by_zero_follows_ieee():
    v = VecDense()
    with np.errstate(all="raise"):
        v.div_elem_vec([1.0, -1.0, 0.0], [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(np.asarray(v), [np.inf, -np.inf, np.nan])


@pytest.mark.parametrize(
    "name, ref",
    [("add-self", lambda b: b + b), ("sub-b", lambda b: 1 - b), ("mul-a", lambda b: b * 2),
     ("div-a", lambda b: b / 2), ("scale", lambda b: 3 * b), ("add-scaled-both", lambda b: b + 2 * b)],
    ids=lambda x: x if isinstance(x, str) else "",
)
def test_in_place_results(name, ref):
    calls = {
        "add-self": lambda v: v.add_vec(v, v), "sub-b": lambda v: v.sub_vec([1, 1, 1], v),
        "mul-a": lambda v: v.mul_elem_vec(v, [2, 2, 2]), "div-a": lambda v: v.div_elem_vec(v, [2, 2, 2]),
        "scale": lambda v: v.scale_vec(3.0, v), "add-scaled-both": lambda v: v.add_scaled_vec(v, 2.0, v),
    }
    base = np.array([1.0, 2.0, 4.0])
    v = _strided(base)               # a strided view works in place as well
    storage = np.asarray(v)
    calls[name](v)
    assert np.asarray(v).__array_interface__["data"] == storage.__array_interface__["data"]
    np.testing.assert_array_equal(np.asarray(v), ref(base))


def test_receiver_takes_length_and_checks_it():
    v = VecDense()
    v.add_vec([1, 2, 3], [1, 1, 1])
    assert v.len() == 3
    with pytest.raises(ShapeError, match="add_vec: the receiver has length 3 but the result has length 2; pass an empty VecDense"):
        v.add_vec([1, 2], [1, 1])


@pytest.mark.parametrize(
    "call, match",
    [(lambda v: v.add_vec([1, 2, 3], [1, 2]), "add_vec: a has length 3 but b has length 2"),
     (lambda v: v.sub_vec([1], [1, 2]), "sub_vec: a has length 1 but b has length 2"),
     (lambda v: v.mul_elem_vec([1, 2], [1, 2, 3]), "mul_elem_vec: a has length 2 but b has length 3"),
     (lambda v: v.div_elem_vec([1, 2], [1]), "div_elem_vec: a has length 2 but b has length 1"),
     (lambda v: v.add_scaled_vec([1, 2], 2.0, [1]), "add_scaled_vec: a has length 2 but b has length 1"),
     (lambda v: v.add_vec(np.zeros((2, 2)), [1, 2]), "add_vec: a must be a vector; got shape 2×2"),
     (lambda v: v.scale_vec(2.0, np.zeros((2, 3))), "scale_vec: a must be a vector; got shape 2×3")],
    ids=["add", "sub", "mul", "div", "add-scaled", "matrix-a", "scale-matrix"],
)
def test_length_errors(call, match):
    with pytest.raises(ShapeError, match=match):
        call(VecDense())


def test_read_only_receiver_refused():
    v = VecDense._wrap(readonly([1, 2]))
    with pytest.raises(ValueError, match="add_vec: the receiver's storage is read-only"):
        v.add_vec([1, 1], [1, 1])


@pytest.mark.parametrize(
    "call",
    [lambda r, o: r.add_vec(o, [1, 1, 1]), lambda r, o: r.sub_vec([1, 1, 1], o),
     lambda r, o: r.mul_elem_vec(o, o), lambda r, o: r.div_elem_vec(o, [1, 1, 1]),
     lambda r, o: r.scale_vec(2.0, o), lambda r, o: r.add_scaled_vec([1, 1, 1], 2.0, o)],
    ids=["add", "sub", "mul", "div", "scale", "add-scaled"],
)
@pytest.mark.parametrize("shift", ["shifted", "reversed"])
def test_partial_overlap_raises(call, shift):
    buf = np.arange(4.0)
    receiver = VecDense._wrap(buf[:3])
    operand = VecDense._wrap(buf[1:] if shift == "shifted" else buf[2::-1])
    with pytest.raises(AliasingError, match="partially overlaps an operand"):
        call(receiver, operand)


def test_interleaved_views_are_not_aliased():
    buf = np.arange(6.0)
    even, odd = VecDense._wrap(buf[::2]), VecDense._wrap(buf[1::2])
    even.add_vec(odd, odd)
    np.testing.assert_array_equal(buf[::2], [2.0, 6.0, 10.0])


# -- mul_vec ---------------------------------------------------------------------------


def _mat_kinds():
    a = rand((5, 4), 7)
    f = np.asfortranarray(a)
    big = rand((10, 8), 8)
    return {
        "c-order": (a, a),
        "fortran": (f, a),
        "dense": (Dense.from_array(a), a),
        "dense-T": (Dense.from_array(a.T).T(), a),
        "no-unit-stride": (big[::2, ::2], big[::2, ::2]),
        "negative-stride": (a[::-1], a[::-1]),
        "readonly": (readonly(a), a),
        "list": (a.tolist(), a),
    }


@pytest.mark.parametrize("xkind", ["contiguous", "strided", "reversed", "readonly", "list"])
@pytest.mark.parametrize("akind", list(_mat_kinds()))
def test_mul_vec_against_numpy(akind, xkind):
    A, ref = _mat_kinds()[akind]
    x = rand(4, 9)
    v = VecDense()
    v.mul_vec(A, KINDS[xkind](x))
    expected = ref @ x
    assert np.all(np.abs(np.asarray(v) - expected) <= gemv_tol(ref, x))


@pytest.mark.parametrize(
    "shape", [(1, 1), (0, 3), (3, 0), (0, 0), (1, 6), (6, 1)],
    ids=["1×1", "0×3", "3×0", "0×0", "1×6", "6×1"],
)
def test_mul_vec_small_and_empty(shape):
    A = rand(shape, 3)
    x = rand(shape[1], 4)
    v = VecDense()
    v.mul_vec(A, x)
    assert v.len() == shape[0]
    assert np.all(np.abs(np.asarray(v) - A @ x) <= gemv_tol(A, x))


def test_mul_vec_into_strided_receiver_and_zero_stride_x():
    A = rand((4, 3), 5)
    x = np.broadcast_to(2.0, (3,))            # zero stride: BLAS needs a copy
    v = _strided(np.zeros(4))
    v.mul_vec(Dense.from_array(A), x)
    assert np.all(np.abs(np.asarray(v) - A @ np.full(3, 2.0)) <= gemv_tol(A, np.full(3, 2.0)))


def test_mul_vec_receiver_is_x_uses_workspace():
    A = rand((4, 4), 11)
    x0 = rand(4, 12)
    x = VecDense(4, x0.copy())
    x.mul_vec(A, x)
    assert np.all(np.abs(np.asarray(x) - A @ x0) <= gemv_tol(A, x0))


def test_mul_vec_receiver_is_the_n_by_1_matrix():
    # Gonum: v.MulVec(v, b) with v n×1 and b of length 1 goes through a workspace.
    v = VecDense(3, [1.0, 2.0, 3.0])
    v.mul_vec(v, [2.0])
    np.testing.assert_array_equal(np.asarray(v), [2.0, 4.0, 6.0])


def test_mul_vec_receiver_inside_a_raises():
    m = Dense.from_array(rand((3, 3), 1))
    with pytest.raises(AliasingError, match="mul_vec: the receiver shares memory with a or x"):
        m.col_view(0).mul_vec(m, [1, 2, 3])
    x = m.col_view(1)
    with pytest.raises(AliasingError, match="mul_vec: the receiver shares memory with a or x"):
        x.mul_vec(m, x)


def test_mul_vec_receiver_partially_overlapping_x_raises():
    buf = np.arange(5.0)
    r, x = VecDense._wrap(buf[:4]), VecDense._wrap(buf[1:])
    with pytest.raises(AliasingError, match="mul_vec: the receiver shares memory"):
        r.mul_vec(np.eye(4), x)


@pytest.mark.parametrize(
    "receiver, a, x, match",
    [(VecDense(), np.zeros((2, 3)), [1, 2], r"mul_vec: a is 2×3 but x has length 2 \(a's column count must equal x's length\)"),
     (VecDense(5), np.zeros((2, 3)), [1, 2, 3], "mul_vec: the receiver has length 5 but the result has length 2"),
     (VecDense(), np.zeros((2, 3)), np.zeros((3, 2)), "mul_vec: x must be a vector; got shape 3×2"),
     (VecDense(), np.zeros((2, 3, 1)), [1], r"mul_vec: a must be 2-D; got an array of shape \(2, 3, 1\)")],
    ids=["inner-dims", "receiver-length", "x-matrix", "a-3d"],
)
def test_mul_vec_shape_errors(receiver, a, x, match):
    with pytest.raises(ShapeError, match=match):
        receiver.mul_vec(a, x)


def test_mul_vec_rejects_non_numbers():
    with pytest.raises(TypeError, match="mul_vec: a must be a real matrix"):
        VecDense().mul_vec([["a"]], [1])


# -- operators ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "expr, ref",
    [(lambda v, w: v + w, lambda a, b: a + b), (lambda v, w: v - w, lambda a, b: a - b),
     (lambda v, w: v * w, lambda a, b: a * b), (lambda v, w: v / w, lambda a, b: a / b),
     (lambda v, w: v + 2, lambda a, b: a + 2), (lambda v, w: 2 + v, lambda a, b: 2 + a),
     (lambda v, w: v - 2, lambda a, b: a - 2), (lambda v, w: 2 - v, lambda a, b: 2 - a),
     (lambda v, w: v * 3, lambda a, b: a * 3), (lambda v, w: 3 * v, lambda a, b: 3 * a),
     (lambda v, w: v / 4, lambda a, b: a / 4), (lambda v, w: -v, lambda a, b: -a),
     (lambda v, w: v + np.asarray(w), lambda a, b: a + b),
     (lambda v, w: np.asarray(w) + v, lambda a, b: b + a),
     (lambda v, w: np.asarray(w) - v, lambda a, b: b - a),
     (lambda v, w: list(np.asarray(w)) * v, lambda a, b: b * a)],
    ids=["add", "sub", "mul", "div", "add-s", "radd-s", "sub-s", "rsub-s", "mul-s", "rmul-s",
         "div-s", "neg", "add-nd", "radd-nd", "rsub-nd", "rmul-list"],
)
def test_operators_return_new_vectors(expr, ref):
    a, b = rand(5, 1), rand(5, 2) + 3
    v, w = VecDense(5, a.copy()), _strided(b)
    out = expr(v, w)
    assert isinstance(out, VecDense)
    assert not np.shares_memory(np.asarray(out), np.asarray(v))
    np.testing.assert_array_equal(np.asarray(out), ref(a, b))
    np.testing.assert_array_equal(np.asarray(v), a)   # operands untouched


@pytest.mark.parametrize(
    "op, ref",
    [("+=", lambda a, b: a + b), ("-=", lambda a, b: a - b), ("*=", lambda a, b: a * b)],
    ids=["iadd", "isub", "imul"],
)
@pytest.mark.parametrize("scalar", [False, True], ids=["vector", "scalar"])
def test_in_place_operators_keep_storage(op, ref, scalar):
    a, b = rand(4, 1), (2.5 if scalar else rand(4, 2))
    v = VecDense(4, a.copy())
    storage = np.asarray(v)
    other = b if scalar else VecDense(4, b)
    if op == "+=":
        v += other
    elif op == "-=":
        v -= other
    else:
        v *= other
    assert np.asarray(v) is storage
    np.testing.assert_array_equal(storage, ref(a, b))


def test_operator_length_mismatch_and_unsupported_types():
    v = VecDense(3)
    with pytest.raises(ShapeError, match="add_vec: a has length 3 but b has length 2"):
        v + VecDense(2)
    with pytest.raises(ShapeError, match="sub_vec: a has length 2 but b has length 3"):
        [1, 2] - v
    with pytest.raises(TypeError):
        v + object()
    with pytest.raises(TypeError):
        v - {1: 2}


# -- hypothesis: arbitrary views of one buffer ------------------------------------------

view_specs = st.tuples(st.integers(0, 8), st.sampled_from([1, 2, 3, -1, -2]))  # start, step


def _view(buf, spec, n):
    start, step = spec
    if step < 0:
        start = len(buf) - 1 - start
    stop = start + step * n
    return buf[start:stop if stop >= 0 else None:step]


@settings(max_examples=300, deadline=None)
@given(n=st.integers(0, 5), spec_r=view_specs, spec_a=view_specs, spec_b=view_specs,
       op=st.sampled_from(["add_vec", "sub_vec", "mul_elem_vec", "div_elem_vec"]))
def test_views_of_one_buffer_raise_or_match_numpy(n, spec_r, spec_a, spec_b, op):
    # Any three views of one 24-element buffer: the receiver may be an operand, be
    # disjoint from it (interleaved too), or overlap it partially (must raise).
    buf = np.arange(1.0, 25.0)
    r, a, b = (_view(buf, spec, n) for spec in (spec_r, spec_a, spec_b))
    assert len(r) == len(a) == len(b) == n
    expected = OPS[op][1](a.copy(), b.copy())

    def partial(x, y):
        same = (x.__array_interface__["data"][0] == y.__array_interface__["data"][0]
                and (x.strides == y.strides or len(x) <= 1))
        return np.shares_memory(x, y) and not same

    receiver = VecDense._wrap(r)
    if partial(r, a) or partial(r, b):
        with pytest.raises(AliasingError):
            getattr(receiver, op)(VecDense._wrap(a), VecDense._wrap(b))
        return
    getattr(receiver, op)(VecDense._wrap(a), VecDense._wrap(b))
    np.testing.assert_array_equal(r, expected)


@settings(max_examples=100, deadline=None)
@given(n=st.integers(1, 12), m=st.integers(0, 12), seed=st.integers(0, 2**32 - 1),
       trans=st.booleans())
def test_mul_vec_property(n, m, seed, trans):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n, m)) if not trans else rng.standard_normal((m, n)).T
    x = rng.standard_normal(m)
    v = VecDense()
    v.mul_vec(A, x)
    assert np.all(np.abs(np.asarray(v) - A @ x) <= gemv_tol(A, x))
