"""trace, norm, max, min, sum, dot, inner, equal, equal_approx, row, col: against
numpy (and math.fsum) over square, non-square, 1×1, empty, strided, Fortran-ordered
and read-only input, with the error paths."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import numkit
from numkit.errors import ShapeError
from numkit.mat import Dense, VecDense
from numkit.mat._functions import (
    col,
    dot,
    equal,
    equal_approx,
    inner,
    norm,
    row,
    trace,
)
from numkit.mat._functions import max as mat_max
from numkit.mat._functions import min as mat_min
from numkit.mat._functions import sum as mat_sum

EPS = np.finfo(float).eps


def rand(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def readonly(a):
    a = np.array(a, dtype=float)
    a.flags.writeable = False
    return a


def gamma(n):
    # gamma_n = n eps / (1 - n eps): the bound on the relative error of any sum of n+1
    # terms in any order (Higham, Accuracy and Stability, 2nd ed., Lemma 3.1, §4.2).
    return n * EPS / (1 - n * EPS)


# The conformance cases: (what the function receives, the numpy array it equals).
def _cases():
    sq = rand((4, 4), 1)
    wide = rand((3, 5), 2)
    big = rand((9, 12), 3)
    tall = rand((6, 2), 4)
    return {
        "square": (sq, sq),
        "wide": (wide, wide),
        "tall": (tall, tall),
        "1×1": (np.array([[-2.5]]), np.array([[-2.5]])),
        "0×0": (np.zeros((0, 0)), np.zeros((0, 0))),
        "0×3": (np.zeros((0, 3)), np.zeros((0, 3))),
        "3×0": (np.zeros((3, 0)), np.zeros((3, 0))),
        "strided": (big[::2, ::3], big[::2, ::3]),
        "negative-stride": (big[::-3, ::-2], big[::-3, ::-2]),
        "fortran": (np.asfortranarray(wide), wide),
        "readonly": (readonly(sq), sq),
        "dense": (Dense.from_array(wide), wide),
        "dense-T": (Dense.from_array(wide).T(), wide.T),
        "dense-slice": (Dense.from_array(big).slice(1, 4, 2, 7), big[1:4, 2:7]),
        "list": (sq.tolist(), sq),
    }


CASES = _cases()
IDS = list(CASES)


# -- trace ----------------------------------------------------------------------------


@pytest.mark.parametrize("case", IDS, ids=IDS)
def test_trace_against_numpy(case):
    a, ref = CASES[case]
    if ref.shape[0] != ref.shape[1]:
        with pytest.raises(ShapeError, match=r"trace: a must be square; got \d+×\d+"):
            trace(a)
        return
    d = np.diagonal(ref)
    assert abs(trace(a) - np.trace(ref)) <= gamma(max(len(d) - 1, 0)) * np.abs(d).sum()


def test_trace_of_vector_and_of_empty():
    assert trace(VecDense(1, [3.0])) == 3.0
    assert trace(np.zeros((0, 0))) == 0.0
    with pytest.raises(ShapeError, match="trace: a must be square; got 3×1"):
        trace(VecDense(3))


# -- matrix norms ---------------------------------------------------------------------


def _norm_tol(ref, ord):
    m, n = ref.shape
    if ref.size == 0:
        return 0.0
    value = np.linalg.norm(ref, ord)
    if ord == 1:
        return gamma(m) * value           # a column sum of m absolute values
    if ord in (np.inf, "inf"):
        return gamma(n) * value
    if ord == "fro":
        # sum of m·n squares (gamma_{mn}), one square root (eps/2 relative, halved
        # by the root), twice for numpy's own rounding
        return 2 * gamma(m * n + 1) * value
    # ord 2: both SVDs are backward stable, ‖E‖ <= p(m, n) eps ‖A‖ with p a modest
    # multiple of max(m, n) (LAPACK Users' Guide §4.9), and by Weyl's theorem the
    # largest singular value moves by at most ‖E‖; p = 10 max(m, n) for each of the two.
    return 20 * max(m, n) * EPS * value


@pytest.mark.parametrize("ord", [1, 2, np.inf, "inf", "fro", 1.0, 2.0], ids=["1", "2", "inf", "inf-str", "fro", "1.0", "2.0"])
@pytest.mark.parametrize("case", IDS, ids=IDS)
def test_matrix_norm_against_numpy(case, ord):
    a, ref = CASES[case]
    got = norm(a, ord)
    expected = np.linalg.norm(ref, np.inf if ord == "inf" else ord) if ref.size else 0.0
    assert isinstance(got, float)
    assert abs(got - expected) <= _norm_tol(ref, np.inf if ord == "inf" else ord)


def test_matrix_2_norm_is_spectral_not_frobenius():
    # Gonum's Norm(a, 2) would give the Frobenius norm sqrt(2); numpy and numkit give 1.
    a = Dense(2, 2, [1, 0, 0, 1])
    assert norm(a, 2) == pytest.approx(1.0, abs=4 * EPS)
    assert norm(a, "fro") == pytest.approx(math.sqrt(2), abs=4 * EPS)


@pytest.mark.parametrize("ord", [1, 2, np.inf, "fro"], ids=["1", "2", "inf", "fro"])
def test_matrix_norm_nan_and_inf(ord):
    a = np.ones((3, 3))
    a[1, 2] = np.nan
    assert math.isnan(norm(a, ord))
    a[1, 2] = -np.inf
    assert norm(a, ord) == np.inf


def test_frobenius_without_overflow_or_underflow():
    for scale in (1e200, 1e-200):
        a = np.full((3, 3), scale)
        assert norm(a, "fro") == pytest.approx(3 * scale, rel=4 * EPS)


# -- vector norms ---------------------------------------------------------------------


def _vec_cases():
    x = rand(9, 5)
    buf = rand(30, 6)
    return {
        "contiguous": (x, x),
        "vecdense": (VecDense(9, x.copy()), x),
        "strided-vecdense": (VecDense._wrap(buf[::3]), buf[::3]),
        "reversed": (x[::-1], x[::-1]),
        "dense-row": (Dense.from_array(buf.reshape(5, 6)).row_view(2), buf.reshape(5, 6)[2]),
        "dense-col": (Dense.from_array(buf.reshape(5, 6)).col_view(4), buf.reshape(5, 6)[:, 4]),
        "broadcast": (np.broadcast_to(-1.5, (7,)), np.full(7, -1.5)),
        "readonly": (readonly(x), x),
        "length-1": (np.array([-3.0]), np.array([-3.0])),
        "list": (x.tolist(), x),
    }


VCASES = _vec_cases()
VIDS = list(VCASES)


@pytest.mark.parametrize("ord", [1, 2, np.inf, 3, 0.5, 7.25], ids=["1", "2", "inf", "3", "0.5", "7.25"])
@pytest.mark.parametrize("case", VIDS, ids=VIDS)
def test_vector_norm_against_numpy(case, ord):
    x, ref = VCASES[case]
    n = len(ref)
    # n terms summed (gamma_n), each |x|^p and the final root within a few eps;
    # p-norms with p not in {1, 2, inf} are scaled first: 8 more roundings at most.
    tol = (gamma(n) + 8 * EPS) * np.linalg.norm(ref, ord)
    assert abs(norm(x, ord) - np.linalg.norm(ref, ord)) <= tol


def test_vector_fro_is_the_2_norm():
    x = rand(6, 9)
    assert norm(VecDense(6, x), "fro") == norm(x, 2)


@pytest.mark.parametrize("ord", [1, 2, np.inf, 3, "fro"], ids=["1", "2", "inf", "3", "fro"])
def test_norms_of_empty_are_zero(ord):
    assert norm(np.zeros(0), ord) == 0.0
    assert norm(VecDense(), ord) == 0.0


@pytest.mark.parametrize("ord", [1, 2, np.inf, 3], ids=["1", "2", "inf", "3"])
def test_vector_norm_nan_and_inf(ord):
    assert math.isnan(norm([1.0, np.nan, 2.0], ord))
    assert norm([1.0, -np.inf, 2.0], ord) == np.inf


@pytest.mark.parametrize("ord, exact", [(2, math.sqrt(2)), (3, 2 ** (1 / 3)), (1, 2.0)], ids=["2", "3", "1"])
@pytest.mark.parametrize("scale", [1e200, 1e-200], ids=["huge", "tiny"])
def test_vector_norm_without_overflow_or_underflow(ord, exact, scale):
    # numpy's p = 3 norm of [1e200, 1e200] overflows to inf; numkit scales first.
    assert norm([scale, scale], ord) == pytest.approx(exact * scale, rel=8 * EPS)


def test_n_by_1_dense_takes_matrix_norms():
    x = rand(5, 2)
    d = Dense(5, 1, x)
    # an n×1 matrix: 1-norm is the column sum, inf-norm the largest row, 2 = Euclid
    assert norm(d, 1) == pytest.approx(np.abs(x).sum(), rel=gamma(5))
    assert norm(d, np.inf) == np.abs(x).max()
    assert norm(d, 2) == pytest.approx(np.linalg.norm(x), rel=50 * EPS)
    r = Dense(1, 5, x)
    assert norm(r, 1) == np.abs(x).max()


@pytest.mark.parametrize(
    "a, ord, match",
    [(np.eye(2), 3, r"norm: ord must be one of 1, 2, inf \(numpy.inf or 'inf'\) and 'fro' for a matrix; got 3"),
     (np.eye(2), "nuc", "for a matrix; got 'nuc'"),
     (np.eye(2), -1, "for a matrix; got -1"),
     (np.eye(2), None, "for a matrix; got None"),
     (np.eye(2), True, "for a matrix; got True"),
     (Dense(2, 2), 0, "for a matrix; got 0"),
     ([1.0, 2.0], 0, r"norm: ord must be one of 1, 2, inf \(numpy.inf or 'inf'\), 'fro' \(= 2\) and any real p > 0 for a vector; got 0"),
     ([1.0, 2.0], -2, "for a vector; got -2"),
     ([1.0, 2.0], -np.inf, "for a vector; got -inf"),
     ([1.0, 2.0], np.nan, "for a vector; got nan"),
     (VecDense(2), "nuc", "for a vector; got 'nuc'"),
     (VecDense(2), [1], r"for a vector; got \[1\]")],
    ids=["mat-3", "mat-nuc", "mat-neg", "mat-none", "mat-bool", "dense-0", "vec-0", "vec-neg",
         "vec-neginf", "vec-nan", "vec-nuc", "vec-list"],
)
def test_norm_bad_ord(a, ord, match):
    with pytest.raises(ValueError, match=match):
        norm(a, ord)


def test_norm_rejects_3d_input():
    with pytest.raises(ShapeError, match=r"norm: a must be 2-D; got an array of shape \(2, 2, 2\)"):
        norm(np.zeros((2, 2, 2)), 1)


# -- max, min, sum --------------------------------------------------------------------


@pytest.mark.parametrize("case", IDS, ids=IDS)
def test_max_min_sum_against_numpy(case):
    a, ref = CASES[case]
    if ref.size == 0:
        with pytest.raises(ValueError, match=r"max: a is empty \(\d+×\d+\); there is no max of no elements"):
            mat_max(a)
        with pytest.raises(ValueError, match=r"min: a is empty \(\d+×\d+\); there is no min of no elements"):
            mat_min(a)
        assert mat_sum(a) == 0.0
        return
    assert mat_max(a) == ref.max()
    assert mat_min(a) == ref.min()
    assert abs(mat_sum(a) - math.fsum(ref.ravel())) <= gamma(ref.size - 1) * np.abs(ref).sum()


def test_max_min_sum_of_vectors():
    x = rand(10, 3)
    for v in (VecDense(10, x), x, x.tolist()):
        assert mat_max(v) == x.max() and mat_min(v) == x.min()
        assert abs(mat_sum(v) - math.fsum(x)) <= gamma(9) * np.abs(x).sum()
    with pytest.raises(ValueError, match=r"max: a is empty \(0×1\)"):
        mat_max(VecDense())


@pytest.mark.parametrize("fn", [mat_max, mat_min, mat_sum], ids=["max", "min", "sum"])
@pytest.mark.parametrize("where", [0, 5, 11], ids=["first", "middle", "last"])
def test_nan_propagates(fn, where):
    a = rand((3, 4), 8)
    a.flat[where] = np.nan
    assert math.isnan(fn(a))


def test_sum_pairwise_bound_and_determinism():
    # One long row: pairwise blocks of at most 16 sequential additions per
    # accumulator, 3 + 7 more to combine a 128-block, and one level per halving
    # above 128, summed over the row's chunks: far below the recursive n - 1.
    x = np.random.default_rng(4).uniform(0.5, 1.5, 100_000)
    depth = 16 + 10 + math.ceil(math.log2(len(x) / 128)) + 64
    assert abs(mat_sum(x[None, :]) - math.fsum(x)) <= gamma(depth) * np.abs(x).sum()
    try:
        numkit.set_num_threads(1)
        one = mat_sum(x)
        numkit.set_num_threads(2)
        two = mat_sum(x)
    finally:
        numkit.set_num_threads(0)  # back to OpenMP's default
    assert one == two


# -- dot and inner --------------------------------------------------------------------


@pytest.mark.parametrize("ykind", VIDS, ids=VIDS)
@pytest.mark.parametrize("xkind", ["contiguous", "strided-vecdense", "reversed", "broadcast"])
def test_dot_against_numpy(xkind, ykind):
    x, xr = VCASES[xkind]
    y, yr = VCASES[ykind]
    n = min(len(xr), len(yr))
    if len(xr) != len(yr):
        with pytest.raises(ShapeError, match=f"dot: x has length {len(xr)} but y has length {len(yr)}; the lengths must be equal"):
            dot(x, y)
        xr, yr = xr[:n], yr[:n]
        x, y = xr, yr
    # n products and n - 1 additions: |error| <= gamma_n Σ|x_i y_i| (Higham §3.1)
    # for each of numkit's and numpy's results, so twice that between them
    assert abs(dot(x, y) - np.dot(xr, yr)) <= 2 * gamma(n) * np.abs(xr * yr).sum()


def test_dot_of_empty_and_matrix_input():
    assert dot([], VecDense()) == 0.0
    assert dot(Dense(3, 1, [1, 2, 3]), Dense(1, 3, [1, 1, 1])) == 6.0
    with pytest.raises(ShapeError, match="dot: x must be a vector; got shape 2×2"):
        dot(np.eye(2), [1, 2])
    with pytest.raises(ShapeError, match="dot: y must be a vector; got shape 2×2"):
        dot([1, 2], np.eye(2))


@pytest.mark.parametrize("case", IDS, ids=IDS)
def test_inner_against_numpy(case):
    a, ref = CASES[case]
    m, n = ref.shape
    x, y = rand(m, 11), rand(n, 12)
    # one gemv (gamma_n per row) then a dot of m terms (gamma_m): the bound on
    # |xᵀAy - fl(xᵀAy)| is gamma_{m+n} |x|ᵀ|A||y|, doubled for numpy's own error
    tol = 2 * gamma(m + n) * (np.abs(x) @ np.abs(ref) @ np.abs(y))
    assert abs(inner(x, a, y) - x @ ref @ y) <= tol


def test_inner_with_strided_and_broadcast_vectors():
    a = rand((4, 5), 13)
    x = VecDense._wrap(rand(8, 14)[::2])
    y = np.broadcast_to(0.5, (5,))
    expected = np.asarray(x) @ a @ np.full(5, 0.5)
    tol = 2 * gamma(9) * (np.abs(np.asarray(x)) @ np.abs(a) @ np.full(5, 0.5))
    assert abs(inner(x, Dense.from_array(a), y) - expected) <= tol


@pytest.mark.parametrize(
    "x, a, y, match",
    [([1, 2, 3], np.zeros((2, 3)), [1, 2, 3], "inner: x has length 3, a is 2×3 and y has length 3; need x of length 2 and y of length 3"),
     ([1, 2], np.zeros((2, 3)), [1, 2], "inner: x has length 2, a is 2×3 and y has length 2; need x of length 2 and y of length 3"),
     (np.eye(2), np.eye(2), [1, 2], "inner: x must be a vector; got shape 2×2"),
     ([1, 2], np.eye(2), np.eye(2), "inner: y must be a vector; got shape 2×2"),
     ([1, 2], np.zeros((2, 2, 1)), [1, 2], r"inner: a must be 2-D; got an array of shape \(2, 2, 1\)")],
    ids=["x-length", "y-length", "x-matrix", "y-matrix", "a-3d"],
)
def test_inner_shape_errors(x, a, y, match):
    with pytest.raises(ShapeError, match=match):
        inner(x, a, y)


# -- equal and equal_approx ----------------------------------------------------------------


@pytest.mark.parametrize("case", IDS, ids=IDS)
def test_equal_to_its_numpy_copy(case):
    a, ref = CASES[case]
    assert equal(a, ref.copy())
    if ref.size:
        changed = ref.copy()
        changed.flat[-1] = np.nextafter(changed.flat[-1], np.inf)
        assert not equal(a, changed)
        assert not equal_approx(a, changed, 0.0)
        assert equal_approx(a, changed, EPS)


@pytest.mark.parametrize(
    "a, b, expected",
    [([1.0, np.nan], [1.0, np.nan], False),
     ([[1, 2]], [1, 2], False),           # 1×2 against a column of length 2
     (VecDense(2, [1, 2]), [1, 2], True),
     (Dense(2, 1, [1, 2]), VecDense(2, [1, 2]), True),
     (np.zeros((0, 3)), np.zeros((0, 3)), True),
     (np.zeros((0, 3)), np.zeros((3, 0)), False),
     ([0.0], [-0.0], True),
     ([np.inf], [np.inf], True)],
    ids=["nan", "row-vs-col", "vec-vs-list", "dense-vs-vec", "empty", "empty-shapes", "signed-zero", "inf"],
)
def test_equal_table(a, b, expected):
    assert equal(a, b) is expected


def _gonum_equal_within_abs_or_rel(a, b, tol):
    # Gonum's floats/scalar.EqualWithinAbsOrRel, transcribed element by element.
    if a == b or abs(a - b) <= tol:
        return True
    delta = abs(a - b)
    if delta <= 2.0 ** -1022:
        return delta <= tol * 2.0 ** -1022
    try:
        return delta / max(abs(a), abs(b)) <= tol
    except (ZeroDivisionError, OverflowError):  # pragma: no cover - not reachable
        return False


SPECIAL = [0.0, -0.0, 1.0, -1.0, 1e-310, -1e-310, 5e-324, 1e308, -1e308, np.inf, -np.inf,
           np.nan, 1.0 + 1e-9, 2.0, 1e-300]


@pytest.mark.parametrize("tol", [0.0, 1e-9, 1e-3, 0.5, 1.0, 2.0], ids=lambda t: f"tol{t:g}")
def test_equal_approx_matches_gonum_on_special_values(tol):
    for x in SPECIAL:
        for y in SPECIAL:
            with np.errstate(all="ignore"):
                expected = _gonum_equal_within_abs_or_rel(float(x), float(y), tol)
            assert equal_approx([x], [y], tol) is expected, (x, y, tol)


@settings(max_examples=200, deadline=None)
@given(
    pair=st.integers(1, 6).flatmap(lambda n: st.tuples(
        hnp.arrays(np.float64, n, elements=st.floats(allow_nan=True, allow_infinity=True)),
        hnp.arrays(np.float64, n, elements=st.floats(allow_nan=True, allow_infinity=True)))),
    tol=st.floats(0, 10, allow_nan=False),
)
def test_equal_approx_property(pair, tol):
    a, b = pair
    with np.errstate(all="ignore"):
        expected = all(_gonum_equal_within_abs_or_rel(float(x), float(y), tol) for x, y in zip(a, b, strict=True))
    assert equal_approx(a, b, tol) is expected


def test_equal_approx_shapes_and_bad_tol():
    assert not equal_approx(np.zeros((2, 3)), np.zeros((3, 2)), 1.0)
    assert equal_approx(Dense(2, 2, [1, 2, 3, 4]), Dense(2, 2, [1, 2, 3, 4]).T().T(), 0.0)
    for bad in (-1e-12, np.nan):
        with pytest.raises(ValueError, match="equal_approx: tol must be a non-negative number; got"):
            equal_approx([1.0], [1.0], bad)


# -- row and col ---------------------------------------------------------------------


@pytest.mark.parametrize("case", IDS, ids=IDS)
def test_row_col_against_numpy(case):
    a, ref = CASES[case]
    m, n = ref.shape
    for i in range(m):
        got = row(None, i, a)
        assert got.dtype == np.float64 and got.flags.writeable
        np.testing.assert_array_equal(got, ref[i])
        dst = np.full(n, np.nan)
        assert row(dst, i, a) is dst
        np.testing.assert_array_equal(dst, ref[i])
    for j in range(n):
        np.testing.assert_array_equal(col(None, j, a), ref[:, j])
        dst = np.full(2 * m, np.nan)[::2]     # a strided destination works too
        assert col(dst, j, a) is dst
        np.testing.assert_array_equal(dst, ref[:, j])
    with pytest.raises(IndexError, match=f"row: row {m} out of range for {m} rows"):
        row(None, m, a)
    with pytest.raises(IndexError, match=f"col: column {n} out of range for {n} columns"):
        col(None, n, a)


def test_row_col_copy_not_view():
    a = Dense(2, 2, [1, 2, 3, 4])
    r = row(None, 0, a)
    r[0] = 99
    assert a.at(0, 0) == 1.0


@pytest.mark.parametrize(
    "call, exc, match",
    [(lambda: row(np.empty(3), 0, np.eye(2)), ShapeError, "row: dst has length 3 but the result has length 2"),
     (lambda: col(np.empty(1), 0, np.zeros((3, 2))), ShapeError, "col: dst has length 1 but the result has length 3"),
     (lambda: row([0.0, 0.0], 0, np.eye(2)), TypeError, "row: dst must be None or a 1-D float64 ndarray; got list"),
     (lambda: col(np.empty(2, dtype=np.float32), 0, np.eye(2)), TypeError, "col: dst must be None or a 1-D float64 ndarray; got ndarray of dtype float32"),
     (lambda: row(np.empty((1, 2)), 0, np.eye(2)), TypeError, r"shape \(1, 2\)"),
     (lambda: row(None, -1, np.eye(2)), IndexError, "row: row -1 out of range for 2 rows"),
     (lambda: col(None, -1, np.eye(2)), IndexError, "col: column -1 out of range for 2 columns"),
     (lambda: row(readonly([0.0, 0.0]), 0, np.eye(2)), ValueError, "read-only")],
    ids=["row-length", "col-length", "list-dst", "float32-dst", "2d-dst", "row-neg", "col-neg", "readonly-dst"],
)
def test_row_col_errors(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


# -- hypothesis: norm properties ---------------------------------------------------------

matrices = st.tuples(st.integers(1, 6), st.integers(1, 6)).flatmap(
    lambda s: hnp.arrays(np.float64, s, elements=st.floats(-1e3, 1e3, allow_nan=False)))


@settings(max_examples=100, deadline=None)
@given(pair=st.tuples(st.integers(1, 6), st.integers(1, 6)).flatmap(
    lambda s: st.tuples(*[hnp.arrays(np.float64, s, elements=st.floats(-1e3, 1e3))] * 2)),
    ord=st.sampled_from([1, 2, np.inf, "fro"]))
def test_norm_triangle_inequality(pair, ord):
    a, b = pair
    na, nb, nab = norm(a, ord), norm(b, ord), norm(a + b, ord)
    # each norm carries a relative error below p eps (see _norm_tol: p <= 20·6 here)
    assert nab <= (na + nb) * (1 + 240 * EPS) + 1e-300


@settings(max_examples=100, deadline=None)
@given(a=matrices)
def test_spectral_frobenius_sandwich(a):
    # ‖A‖₂ <= ‖A‖_F <= sqrt(rank) ‖A‖₂, with rank <= min(m, n)
    two, fro = norm(a, 2), norm(a, "fro")
    slack = 240 * EPS * fro + 1e-300
    assert two <= fro + slack
    assert fro <= math.sqrt(min(a.shape)) * two + slack


@settings(max_examples=100, deadline=None)
@given(x=hnp.arrays(np.float64, st.integers(1, 40), elements=st.floats(-1e3, 1e3)),
       p=st.floats(0.25, 8))
def test_vector_p_norm_between_inf_and_1(x, p):
    # ‖x‖_inf <= ‖x‖_p <= ‖x‖_1 for p >= 1, and p-norms shrink as p grows
    ninf, n1, npv = norm(x, np.inf), norm(x, 1), norm(x, p)
    rel = (len(x) + 8) * EPS
    assert ninf <= npv * (1 + rel) + 1e-300
    if p >= 1:
        assert npv <= n1 * (1 + rel) + 1e-300
    # oracle: numpy on x scaled by its largest magnitude (unscaled, numpy's sum of
    # |x_i|^p underflows for subnormal x)
    big = np.abs(x).max()
    expected = big * np.linalg.norm(x / big, p) if big > 0 else 0.0
    assert abs(npv - expected) <= rel * 4 * npv


@settings(max_examples=100, deadline=None)
@given(a=hnp.arrays(np.float64, st.tuples(st.integers(0, 30), st.integers(0, 30)),
                    elements=st.floats(-1e100, 1e100)))
def test_sum_matches_fsum(a):
    # any summation order: |error| <= gamma_{N-1} Σ|a_ij| (Higham §4.2)
    exact = math.fsum(a.ravel())
    bound = gamma(max(a.size - 1, 0)) * math.fsum(np.abs(a).ravel())
    assert abs(mat_sum(a) - exact) <= bound
