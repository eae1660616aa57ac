"""DiagDense: construction, storage sharing (including strided views of a Dense's
diagonal), numpy interop, and every method, against numpy as the oracle."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.lib.stride_tricks import as_strided

from numkit.errors import ShapeError
from numkit.mat._dense import Dense
from numkit.mat._diagonal import DiagDense
from numkit.mat._symmetric import SymDense
from numkit.mat._vector import VecDense

SIZES = [0, 1, 2, 7]


def stored(d):
    """The stored diagonal, through the public view."""
    return np.asarray(d.diag_view())


def diagonal_view(m):
    """A writeable strided view of the diagonal of the 2-D array ``m``."""
    n = min(m.shape)
    return as_strided(m, shape=(n,), strides=(m.strides[0] + m.strides[1],))


# -- construction ---------------------------------------------------------------------


def test_data_becomes_backing_store_without_copy():
    data = np.arange(3.0)
    d = DiagDense(3, data)
    d.set_diag(2, 42.0)
    assert data[2] == 42.0
    assert np.shares_memory(stored(d), data)


@pytest.mark.parametrize(
    "data",
    [[0, 1, 2], np.arange(3), np.arange(3, dtype=np.float32), (np.arange(6.0) / 2)[::2],
     np.arange(3.0).reshape(3, 1)],
    ids=["list", "int-array", "float32", "strided", "column"],
)
def test_other_data_is_copied(data):
    d = DiagDense(3, data)
    np.testing.assert_array_equal(np.asarray(d), np.diag([0.0, 1.0, 2.0]))
    if isinstance(data, np.ndarray):
        assert not np.shares_memory(stored(d), data)


@pytest.mark.parametrize(
    "args, exc, match",
    [
        ((3, [1, 2]), ShapeError, "data has 2 elements but n is 3"),
        ((-1,), ValueError, "non-negative"),
        ((2, ["a", "b"]), ValueError, "could not convert"),
    ],
    ids=["short-data", "negative", "strings"],
)
def test_constructor_errors(args, exc, match):
    with pytest.raises(exc, match=match):
        DiagDense(*args)


@pytest.mark.parametrize("n", SIZES, ids=[f"n{n}" for n in SIZES])
def test_introspection(n):
    d = DiagDense(n, np.arange(1.0, n + 1))
    assert d.shape == d.dims() == (n, n)
    assert d.diag() == d.symmetric() == n
    assert d.triangle() == (n, "upper")
    assert d.T() is d
    assert d.is_empty() == (n == 0)
    assert repr(d) == f"DiagDense({n}×{n})"


# -- from_array -----------------------------------------------------------------------


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
        ("Dense", Dense.from_array(a)),
        ("list", a.tolist()),
    ]


LAYOUT_IDS = ["C", "F", "strided", "read-only", "Dense", "list"]


@pytest.mark.parametrize("idx", range(len(LAYOUT_IDS)), ids=LAYOUT_IDS)
def test_from_array_copies_the_diagonal(idx):
    values = np.array([1.5, -2.0, 0.0, 3.0])
    src = layouts(np.diag(values))[idx][1]
    d = DiagDense.from_array(src)
    np.testing.assert_array_equal(stored(d), values)
    src_array = np.asarray(src)
    assert not np.shares_memory(stored(d), src_array)


@pytest.mark.parametrize(
    "a, exc, match",
    [
        ([[1, 0, 3], [0, 2, 0], [0, 0, 1]], ValueError,
         r"a is not diagonal: a\[0, 2\] = 3 is off the diagonal and not zero"),
        ([[1, 0], [-5, 2]], ValueError, r"a\[1, 0\] = -5"),
        ([[1, np.nan], [0, 2]], ValueError, r"a\[0, 1\] = nan"),
        (np.ones((2, 3)), ShapeError, r"a must be square .diagonal.; got 2×3"),
        (np.arange(3.0), ShapeError, r"a must be square .diagonal.; got 3×1"),
        (np.zeros((2, 2, 2)), ShapeError, "must be 2-D"),
    ],
    ids=["upper", "lower-largest", "nan", "non-square", "1-D", "3-D"],
)
def test_from_array_errors(a, exc, match):
    with pytest.raises(exc, match=match):
        DiagDense.from_array(a)


def test_from_array_names_the_largest_off_diagonal_element():
    a = np.diag([1.0, 2.0, 3.0])
    a[0, 1], a[2, 0] = 1e-3, -4.0
    with pytest.raises(ValueError, match=r"a\[2, 0\] = -4 "):
        DiagDense.from_array(a)


# -- numpy interop --------------------------------------------------------------------


@pytest.mark.parametrize("n", SIZES, ids=[f"n{n}" for n in SIZES])
def test_array_is_a_new_full_matrix(n):
    values = np.random.default_rng(n).standard_normal(n)
    d = DiagDense(n, values)
    a = np.asarray(d)
    np.testing.assert_array_equal(a, np.diag(values))
    assert a.shape == (n, n) and a.dtype == np.float64
    a[...] = 9.0  # a copy: the DiagDense does not see it
    np.testing.assert_array_equal(stored(d), values)
    np.testing.assert_array_equal(np.asarray(d, dtype=np.float32), np.diag(values).astype(np.float32))


def test_array_without_copy_is_refused():
    with pytest.raises(ValueError, match=r"cannot be seen as an n×n array without a copy"):
        np.asarray(DiagDense(2), copy=False)


def test_works_as_an_operand_of_other_types():
    d = DiagDense(3, [1.0, 2.0, 3.0])
    x = np.random.default_rng(1).standard_normal((3, 3))
    c = Dense()
    c.mul(d, Dense.from_array(x))
    np.testing.assert_array_equal(np.asarray(c), np.diag([1.0, 2.0, 3.0]) @ x)
    np.testing.assert_array_equal(np.asarray(SymDense.from_array(d)), np.diag([1.0, 2.0, 3.0]))


# -- elements and views -----------------------------------------------------------------


def test_at_and_set_diag():
    d = DiagDense(3, [1.0, 2.0, 3.0])
    assert [d.at(i, j) for i in range(3) for j in range(3)] == list(np.diag([1.0, 2.0, 3.0]).ravel())
    d.set_diag(0, -1.0)
    assert d.at(0, 0) == -1.0


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda d: d.at(3, 3), r"at: index \(3, 3\) out of range for a 3×3 matrix"),
        (lambda d: d.at(0, -1), r"at: index \(0, -1\) out of range"),
        (lambda d: d.set_diag(3, 1.0), r"set_diag: index 3 out of range for a 3×3 matrix"),
        (lambda d: d.set_diag(-1, 1.0), r"set_diag: index -1 out of range"),
    ],
    ids=["at-past-end", "at-negative", "set-past-end", "set-negative"],
)
def test_index_errors(call, match):
    with pytest.raises(IndexError, match=match):
        call(DiagDense(3))


def test_diag_view_shares_memory_both_ways():
    d = DiagDense(3, [1.0, 2.0, 3.0])
    v = d.diag_view()
    assert isinstance(v, VecDense) and len(v) == 3
    np.asarray(v)[1] = 20.0
    assert d.at(1, 1) == 20.0
    d.set_diag(2, 30.0)
    assert np.asarray(v)[2] == 30.0


def test_wrap_of_a_dense_diagonal_writes_through():
    m = np.arange(1.0, 17.0).reshape(4, 4)
    before = m.copy()
    d = DiagDense._wrap(diagonal_view(m))
    np.testing.assert_array_equal(np.asarray(d), np.diag(np.diag(before)))
    d.set_diag(1, -6.0)
    assert m[1, 1] == -6.0
    d.zero()
    expect = before.copy()
    np.fill_diagonal(expect, 0.0)
    np.testing.assert_array_equal(m, expect)  # only the diagonal changed
    # A transposed (Fortran-ordered) host.
    f = np.asfortranarray(before)
    DiagDense._wrap(diagonal_view(f)).set_diag(3, 0.5)
    assert f[3, 3] == 0.5


def test_reset_and_zero():
    data = np.array([1.0, 2.0])
    d = DiagDense(2, data)
    d.zero()
    np.testing.assert_array_equal(data, [0.0, 0.0])
    d.reset()
    assert d.is_empty() and d.dims() == (0, 0)
    np.testing.assert_array_equal(data, [0.0, 0.0])  # reset does not write


@settings(max_examples=40, deadline=None)
@given(values=hnp.arrays(np.float64, st.integers(0, 10),
                         elements=st.floats(allow_nan=True, allow_infinity=True)))
def test_round_trip_through_a_full_matrix(values):
    # Any diagonal, including NaN and inf, survives DiagDense -> n×n -> DiagDense.
    d = DiagDense.from_array(np.asarray(DiagDense(values.size, values)))
    np.testing.assert_array_equal(stored(d), values)
    for i in range(values.size):
        np.testing.assert_array_equal(d.at(i, i), values[i])
