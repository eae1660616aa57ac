"""Uniform bins from a bin count: numkit's counts and dividers agree exactly with
``np.histogram(x, bins)`` (numpy's rule), on data built to defeat a fast path.

The kernel bins most values by a rounded coordinate and applies numpy's exact rule
only to blocks with a value near an edge, NaN or out of range; so these cases put
values exactly on the edges and beside them, use spans where rounding is coarse
(large offsets, subnormals, ±0), and run on every vector level the CPU has (portable
C, AVX2, AVX-512), on both counting layouts (pairs for few bins and long inputs, four
sub-histograms otherwise). Oracle: numpy itself on the float64 values, bin for bin.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from numkit._kernels import _order
from numkit._kernels._openmp import set_num_threads
from numkit.stat._histogram import histogram

# 0: portable loops, 1: AVX2 + FMA, 2: AVX-512F (capped at what the CPU has)
LEVELS = [0, 1, 2]
# >= 16·(nb + 1)² values with nb <= 108 take the pair table; fewer, the sub-histograms
PAIRS_N = 200_003


@pytest.fixture(params=LEVELS, ids=lambda v: f"simd{v}")
def simd(request):
    _order._simd_level(request.param)
    yield request.param
    _order._simd_level(-1)


def on_edges(bins, n, rng, lo=-3.0, hi=7.0):
    """Every edge, its neighbours one ulp either side (inside [lo, hi]), and n
    uniform values, shuffled; min and max are lo and hi, so numpy's edges are
    linspace(lo, hi, bins + 1)."""
    e = np.linspace(lo, hi, bins + 1)
    x = np.r_[e, np.nextafter(e[:-1], np.inf), np.nextafter(e[1:], -np.inf),
              rng.uniform(lo, hi, n)]
    rng.shuffle(x)
    return x


def assert_matches_numpy(x, bins, weights=None):
    """The same counts and dividers as numpy, or the same refusal (too many bins)."""
    try:
        with np.errstate(over="ignore", invalid="ignore"):  # numpy's edges overflow
            expect_counts, expect_dividers = np.histogram(np.asarray(x, dtype=np.float64),
                                                          bins, weights=weights)
    except ValueError:
        with pytest.raises(ValueError, match="not finite-sized"):
            histogram(x, bins, weights=weights)
        return
    counts, dividers = histogram(x, bins, weights=weights)
    np.testing.assert_array_equal(dividers, expect_dividers)
    np.testing.assert_array_equal(counts, expect_counts)


@pytest.mark.parametrize("bins", [1, 3, 100, 108, 109, 1000, 65536],
                         ids=lambda b: f"bins{b}")
@pytest.mark.parametrize("n", [13, PAIRS_N], ids=["short", "long"])
def test_values_on_and_beside_edges(simd, bins, n):
    rng = np.random.default_rng(bins + n)
    assert_matches_numpy(on_edges(bins, n, rng), bins)


def _offset(off):
    def make(rng, n):
        return off + rng.random(n) * (abs(off) * 1e-12 + 1.0)
    return make


CASES = {
    # coordinates computed from a large |lo|: the rounding tolerance is widest here
    "offset+1e15": _offset(1e15),
    "offset-1e15": _offset(-1e15),
    "offset+1e17": _offset(1e17),
    "offset+1e300": _offset(1e300),
    "tiny-range": lambda rng, n: rng.standard_normal(n) * 1e-200,
    # subnormal spans: bins / (hi - lo) overflows to inf, numpy's formula still works
    "subnormal": lambda rng, n: rng.random(n) * 1e-310,
    "subnormal-steps": lambda rng, n: rng.integers(0, 50, n) * 5e-324,
    "signed-zeros": lambda rng, n: np.r_[np.zeros(1000), -np.zeros(1000),
                                         rng.standard_normal(n)],
    "only-signed-zeros": lambda rng, n: np.r_[np.zeros(n // 2), -np.zeros(n // 2)],
    "neg-zero-min": lambda rng, n: np.r_[-np.zeros(n), 1.0],
    # integers: many values exactly on edges when the bins align with them
    "integers": lambda rng, n: rng.integers(-5, 6, n).astype(np.float64),
    "rounded": lambda rng, n: np.round(rng.random(n) * 10, 1),
    "normal": lambda rng, n: rng.standard_normal(n),
    "lognormal3": lambda rng, n: rng.lognormal(0.0, 3.0, n),
}


@pytest.mark.parametrize("bins", [5, 10, 20, 100], ids=lambda b: f"bins{b}")
@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_hard_spans(simd, case, bins):
    rng = np.random.default_rng(len(case) * 1000 + bins)
    x = CASES[case](rng, PAIRS_N)
    assert_matches_numpy(x, bins)


@pytest.mark.parametrize("case", ["subnormal", "subnormal-steps", "offset+1e15",
                                  "signed-zeros"])
def test_hard_spans_weighted(case):
    """Unit weights give the counts (the weighted loop has its own index formula)."""
    rng = np.random.default_rng(7)
    x = CASES[case](rng, 50_001)
    assert_matches_numpy(x, 10, weights=np.ones(x.shape[0]))


@pytest.mark.parametrize("convert", [
    lambda x: x.astype(np.float32),
    lambda x: np.repeat(x, 3)[::3],
    lambda x: np.repeat(x.astype(np.float32), 2)[::2],
], ids=["float32", "strided", "float32-strided"])
@pytest.mark.parametrize("bins", [100, 1000], ids=lambda b: f"bins{b}")
def test_converted_blocks(simd, convert, bins):
    """float32 and strided input go through a block buffer of doubles."""
    rng = np.random.default_rng(bins)
    x = convert(on_edges(bins, PAIRS_N, rng))
    assert_matches_numpy(x, bins)


@pytest.mark.parametrize("n", [17, PAIRS_N], ids=["short", "long"])
def test_nan_omitted(simd, n):
    rng = np.random.default_rng(n)
    x = on_edges(100, n, rng)
    x[rng.integers(0, x.shape[0], 50)] = np.nan
    counts, dividers = histogram(x, 100, nan_policy="omit")
    expect_counts, expect_dividers = np.histogram(x[~np.isnan(x)], 100)
    np.testing.assert_array_equal(dividers, expect_dividers)
    np.testing.assert_array_equal(counts, expect_counts)


@pytest.mark.parametrize("bins", [7, 100, 1000], ids=lambda b: f"bins{b}")
def test_kernel_skips_values_outside_the_edges(simd, bins):
    """Callers with their own edges (numkit.dask) pass values outside them and NaN:
    those are skipped, the rest binned as np.histogram does with those edges."""
    rng = np.random.default_rng(bins)
    edges = np.linspace(-1.0, 2.5, bins + 1)
    x = np.r_[rng.uniform(-3.0, 4.0, PAIRS_N), edges, np.nextafter(edges, -np.inf),
              np.nextafter(edges, np.inf), np.nan, -np.inf, np.inf, 1e308, -1e308]
    rng.shuffle(x)
    counts = np.zeros(bins)
    _order.histogram_uniform(x, np.empty(0), False, False, edges, counts)
    np.testing.assert_array_equal(counts, np.histogram(x[~np.isnan(x)], edges)[0])


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["f64", "f32"])
@pytest.mark.parametrize("n", [1, 7, 9, 100_003], ids=lambda n: f"n{n}")
@pytest.mark.parametrize("nans", ["none", "some", "all"])
def test_scan_min_max_nan_count(simd, dtype, n, nans):
    """The scan behind the bin range: NaN skipped by min and max, and counted."""
    rng = np.random.default_rng(n)
    x = (rng.standard_normal(n) * 1e3).astype(dtype)
    if nans == "some":
        x[rng.integers(0, n, max(1, n // 100))] = np.nan
    elif nans == "all":
        x[:] = np.nan
    v = x[~np.isnan(x)]
    expect = ((float(v.min()), float(v.max())) if v.size else (np.inf, -np.inf)) + (
        int(np.isnan(x).sum()),)
    assert _order.scan(x) == expect
    assert _order.scan(x[::-1]) == expect  # strided (negative step): the portable loop


@pytest.mark.parametrize("bins", [100, 1000], ids=lambda b: f"bins{b}")
def test_threads_do_not_change_counts(bins):
    rng = np.random.default_rng(8)
    x = on_edges(bins, 1_000_000, rng)
    try:
        set_num_threads(1)
        one = histogram(x, bins)[0]
        set_num_threads(2)
        two = histogram(x, bins)[0]
    finally:
        set_num_threads(0)
    np.testing.assert_array_equal(one, two)
    np.testing.assert_array_equal(one, np.histogram(x, bins)[0])


@pytest.mark.parametrize("x, bins", [
    (np.array([-1.7e308, 0.0, 1.7e308]), 100),  # hi - lo overflows: NaN edges
    (np.array([0.0, 5e-324, 1e-323]), 3),         # 2 ulps of span for 3 bins
], ids=["span-overflows", "span-too-narrow"])
def test_bins_not_finite_sized(x, bins):
    with pytest.raises(ValueError, match="Too many bins"), np.errstate(all="ignore"):
        np.histogram(x, bins)
    with pytest.raises(ValueError, match=f"stat.histogram: {bins} uniform bins over .* "
                                         "are not finite-sized"):
        histogram(x, bins)


def test_simd_level_is_capped_and_restored():
    top = _order._simd_level(-1)
    assert top in (0, 1, 2)
    try:
        assert _order._simd_level(0) == 0
        assert _order._simd_level(5) == top
    finally:
        _order._simd_level(-1)


# |x| <= 1e300: spans that overflow are refused (test above); near overflow numpy
# itself fails with an IndexError, so it cannot serve as the oracle there
finite = st.floats(-1e300, 1e300, allow_nan=False, allow_infinity=False, width=64)


@settings(max_examples=150, deadline=None)
@given(st.lists(finite, min_size=1, max_size=40), st.integers(1, 300),
       st.integers(0, 40), st.sampled_from(LEVELS))
def test_property_matches_numpy(values, bins, copies, level):
    """Any finite sample (tiled so the vector loops see whole blocks): the same
    counts and dividers as numpy, or the same refusal."""
    x = np.tile(np.array(values), copies + 1)
    try:
        _order._simd_level(level)
        assert_matches_numpy(x, bins)
    finally:
        _order._simd_level(-1)
