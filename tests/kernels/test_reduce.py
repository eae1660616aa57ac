"""numkit._kernels._reduce against exact sums (math.fsum, mpmath) and numpy.

Error bound for sum2d: the flat range is cut into at most 64 chunks whose partials are
added in order (≤ 63 additions on any path), each chunk is halved pairwise down to
runs of at most 128 elements (≤ ⌈log2 N⌉ levels), and a run is summed by 8
accumulators of ≤ 16 terms and a 3-level tree (< 128 additions). Every term therefore
goes through at most d = 192 + ⌈log2 N⌉ roundings, and |sum2d − Σx| ≤ γ_d·Σ|x| with
γ_d = d·u/(1 − d·u), u = eps/2 (Higham, Accuracy and Stability, §4.2). sumsq2d adds
one rounding per square.
"""

import math

import mpmath
import numpy as np
import pytest
from _kernel_cases import ALL_LAYOUTS, EPS, arrange, readonly, record_field

import numkit
from numkit._kernels import _reduce

U = EPS / 2


def gamma_bound(n, extra=0):
    d = 192 + math.ceil(math.log2(max(n, 2))) + extra
    return d * U / (1 - d * U)


SHAPES = {
    "0x0": (0, 0), "0x4": (0, 4), "4x0": (4, 0), "1x1": (1, 1), "row": (1, 3000),
    "col": (3000, 1), "square": (70, 70), "tall": (5000, 3), "wide": (3, 5000),
    "chunked": (300, 300),  # 90000 elements: 21 chunks, parallel
}


@pytest.mark.parametrize("layout", ALL_LAYOUTS)
@pytest.mark.parametrize("shape", SHAPES.values(), ids=list(SHAPES))
def test_sum2d_and_sumsq2d_against_fsum(shape, layout):
    x0 = np.random.default_rng(0).normal(loc=0.3, size=shape)
    x = arrange(x0, layout)
    flat = x0.ravel().tolist()
    n = x0.size
    assert abs(_reduce.sum2d(x) - math.fsum(flat)) <= gamma_bound(n) * math.fsum(map(abs, flat))
    sq = math.fsum(v * v for v in flat)  # the squares rounded, as the kernel does
    assert abs(_reduce.sumsq2d(x) - sq) <= gamma_bound(n, 1) * sq


@pytest.mark.parametrize("layout", ["column-of-C", "F-row", "C-col"])
def test_sum2d_is_pairwise_on_narrow_blocks(layout):
    # 1 followed by 65535 copies of 2^-54 (below half an ulp of 1): a sum that adds
    # them to the running total one at a time loses all of those inside 1's chunk
    # (4095·2^-54 ≈ 2.3e-13), which exceeds the pairwise bound (≈ 2.3e-14).
    n = 2**16
    values = np.full(n, 2.0**-54)
    values[0] = 1.0
    if layout == "column-of-C":  # stride 3 elements, not contiguous
        big = np.zeros((n, 3))
        big[:, 1] = values
        x = big[:, 1:2]
    elif layout == "F-row":
        x = np.asfortranarray(np.zeros((2, n)))[1:2, :]
        x[0] = values
    else:
        x = values.reshape(n, 1)
    exact = math.fsum(values.tolist())
    assert abs(_reduce.sum2d(x) - exact) <= gamma_bound(n) * exact


@pytest.mark.parametrize("layout", ["C", "F", "slice", "slice_F"])
def test_sum2d_transpose_gives_the_same_bits(layout):
    # A block with a unit stride is summed in memory order, whichever way it is viewed.
    x = arrange(np.random.default_rng(1).normal(size=(123, 457)), layout)
    assert _reduce.sum2d(x.T) == _reduce.sum2d(x)
    assert _reduce.sumsq2d(x.T) == _reduce.sumsq2d(x)


@pytest.mark.parametrize(
    "shape, scale",
    [((40, 30), 2.0**664), ((40, 30), 2.0**-664), ((3, 2), 2.0**1020),
     ((2, 2), 2.0**-1030), ((500, 400), 2.0**700)],
    ids=["1e200", "1e-200", "near-max", "subnormal", "1e210-parallel"],
)
@pytest.mark.parametrize("layout", ["C", "F", "reversed"])
def test_frobenius_without_overflow_or_underflow(shape, scale, layout):
    # y in [-1, 1] times a power of two: the scaling is exact (also for subnormals at
    # 2^-1030, which keep 22 bits: y is rounded to them first), so
    # scale · ‖y‖ is the oracle. Both are within (d + 1)·u of it (sqrt adds one).
    y = np.random.default_rng(2).uniform(-1, 1, size=shape)
    if scale < 2.0**-1022:
        y = (y * scale) / scale  # keep only what survives as subnormals
    got = _reduce.frobenius(arrange(y * scale, layout))
    want = scale * np.linalg.norm(y)
    assert np.isfinite(got) and got > 0
    assert abs(got - want) <= (gamma_bound(y.size, 2) + EPS) * want


@pytest.mark.parametrize(
    "values",
    [[[1e200, 1e-200]], [[3e-200, 4e-200]], [[1e300, 1e300], [-1e300, 1e-300]],
     [[1e-160, 1e-170, 1e-150]]],
    ids=["huge-tiny", "3-4-5", "near-overflow", "underflow-mix"],
)
def test_frobenius_against_mpmath(values):
    with mpmath.workprec(300):
        exact = mpmath.sqrt(mpmath.fsum(mpmath.mpf(v) ** 2 for row in values for v in row))
        want = float(exact)
    got = _reduce.frobenius(np.array(values))
    assert abs(got - want) <= 4 * EPS * want


@pytest.mark.parametrize(
    "values, want",
    [([[1.0, np.inf]], np.inf), ([[np.nan, 1.0]], np.nan), ([[np.inf, np.nan]], np.nan),
     ([[1e300, np.nan]], np.nan), ([[0.0, 0.0]], 0.0)],
    ids=["inf", "nan", "inf-nan", "big-nan", "zeros"],
)
def test_frobenius_special_values(values, want):
    np.testing.assert_array_equal(_reduce.frobenius(np.array(values)), want)


@pytest.mark.parametrize("shape", [(0, 0), (0, 3), (3, 0)], ids=["0x0", "0x3", "3x0"])
def test_empty_reductions(shape):
    a = np.empty(shape)
    assert _reduce.sum2d(a) == 0.0
    assert _reduce.sumsq2d(a) == 0.0
    assert _reduce.frobenius(a) == 0.0
    assert _reduce.max_abs2d(a) == 0.0
    assert _reduce.norm1(a) == 0.0
    assert _reduce.norm_inf(a) == 0.0
    with pytest.raises(ValueError, match="empty"):
        _reduce.extremum2d(a, True)


@pytest.mark.parametrize("layout", ALL_LAYOUTS)
@pytest.mark.parametrize("shape", [(1, 1), (7, 5), (1, 9), (9, 1)],
                         ids=["1x1", "7x5", "row", "col"])
def test_extrema_and_norms(shape, layout):
    x0 = np.random.default_rng(3).normal(size=shape)
    x = arrange(x0, layout)
    assert _reduce.max_abs2d(x) == np.abs(x0).max()
    assert _reduce.extremum2d(x, True) == x0.max()
    assert _reduce.extremum2d(x, False) == x0.min()
    # Column and row sums of |x|: both sides within m·u·(the sum) of the exact value.
    n1, ninf = np.linalg.norm(x0, 1), np.linalg.norm(x0, np.inf)
    assert abs(_reduce.norm1(x) - n1) <= shape[0] * EPS * n1
    assert abs(_reduce.norm_inf(x) - ninf) <= shape[1] * EPS * ninf


@pytest.mark.parametrize("where", [(0, 0), (2, 3), (4, 4)], ids=["first", "middle", "last"])
@pytest.mark.parametrize(
    "func",
    [_reduce.sum2d, _reduce.sumsq2d, _reduce.frobenius, _reduce.max_abs2d,
     lambda a: _reduce.extremum2d(a, True), lambda a: _reduce.extremum2d(a, False),
     _reduce.norm1, _reduce.norm_inf],
    ids=["sum2d", "sumsq2d", "frobenius", "max_abs2d", "max", "min", "norm1", "norm_inf"],
)
def test_nan_propagates(func, where):
    x = np.random.default_rng(4).normal(size=(5, 5))
    x[where] = np.nan
    assert math.isnan(func(x))


def test_read_only_and_memmap(tmp_path):
    x0 = np.random.default_rng(5).normal(size=(60, 50))
    mm = np.memmap(tmp_path / "x.bin", dtype=np.float64, mode="w+", shape=x0.shape)
    mm[...] = x0
    mm.flush()
    x = np.memmap(tmp_path / "x.bin", dtype=np.float64, mode="r", shape=x0.shape)
    for view in (x, readonly(x0.copy())):
        assert _reduce.sum2d(view) == _reduce.sum2d(x0)
        assert _reduce.frobenius(view) == _reduce.frobenius(x0)
        assert _reduce.extremum2d(view, True) == x0.max()
        assert _reduce.norm1(view) == _reduce.norm1(x0)


@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_reductions_do_not_depend_on_the_thread_count(layout, restore_threads):
    # 1.2e6 elements: 64 chunks on the parallel path.
    x = arrange(np.random.default_rng(6).normal(size=(1200, 1000)), layout)
    results = []
    for threads in (1, 2):
        numkit.set_num_threads(threads)
        results.append((_reduce.sum2d(x), _reduce.sumsq2d(x), _reduce.frobenius(x)))
    assert results[0] == results[1]  # bit-identical, not merely close


FUNCS_2D = {
    "sum2d": _reduce.sum2d, "sumsq2d": _reduce.sumsq2d, "frobenius": _reduce.frobenius,
    "max_abs2d": _reduce.max_abs2d, "norm1": _reduce.norm1, "norm_inf": _reduce.norm_inf,
    "extremum2d": lambda a: _reduce.extremum2d(a, True),
}


@pytest.mark.parametrize(
    "arg, error, match",
    [
        (np.ones((2, 2), np.float32), ValueError, "dtype mismatch"),
        (np.ones(3), ValueError, "wrong number of dimensions"),
        (np.ones((2, 2, 2)), ValueError, "wrong number of dimensions"),
        (None, TypeError, "must not be None"),
        ([[1.0, 2.0]], TypeError, "bytes-like object"),
    ],
    ids=["float32", "1-D", "3-D", "None", "list"],
)
@pytest.mark.parametrize("name", FUNCS_2D)
def test_rejects(name, arg, error, match):
    with pytest.raises(error, match=match):
        FUNCS_2D[name](arg)


@pytest.mark.parametrize("name", ["sum2d", "sumsq2d", "frobenius"])
def test_rejects_strides_not_a_multiple_of_8(name):
    with pytest.raises(ValueError, match="multiples of 8 bytes"):
        FUNCS_2D[name](record_field(3, 4))


@pytest.mark.parametrize("name", ["max_abs2d", "norm1", "norm_inf", "extremum2d"])
def test_indexing_kernels_handle_record_strides(name):
    # These index the memoryview (byte strides), so odd strides are fine.
    x = record_field(3, 4)
    want = {"max_abs2d": 11.0, "norm1": 3 + 7 + 11.0, "norm_inf": 8 + 9 + 10 + 11.0,
            "extremum2d": 11.0}[name]
    assert FUNCS_2D[name](x) == want
