"""clean_table against independent numpy computations of each option."""

import numpy as np
import pytest

from numkit._kernels import _clean as kernels
from numkit.errors import DataError
from numkit.pipeline._clean import clean_table
from numkit.pipeline._table import Table


def make_table(n=200, p=4, seed=0, nan_rate=0.05, text=False):
    rng = np.random.default_rng(seed)
    data = rng.normal(size=(n, p)) * [1.0, 10.0, 0.1, 3.0][:p] + np.arange(p)
    data[rng.random((n, p)) < nan_rate] = np.nan
    data[rng.integers(0, n, 3), 0] = 25.0           # planted outliers
    names = tuple(f"c{j}" for j in range(p))
    columns = tuple(data[:, j].copy() for j in range(p))
    if text:
        names += ("label",)
        columns += (np.array(["a", None, "b"] * (n // 3) + ["c"] * (n % 3), dtype=object),)
    table = Table(names, columns, path="f.csv", lines=np.arange(2, n + 2), reader="python")
    return table, data


def as_array(table):
    return np.column_stack(table.columns) if table.columns else np.empty((table.n_rows, 0))


def test_drop_rows_matches_numpy():
    table, data = make_table()
    cleaned, entry = clean_table(table, missing="drop_rows")
    keep = np.isfinite(data).all(axis=1)
    np.testing.assert_array_equal(as_array(cleaned), data[keep])
    np.testing.assert_array_equal(cleaned.lines, np.arange(2, 202)[keep])
    assert entry["missing"]["rows_dropped"] == int((~keep).sum()) > 0
    assert entry["missing"]["values_missing"] == int(np.isnan(data).sum())
    assert (entry["rows_in"], entry["rows_out"]) == (200, int(keep.sum()))


def test_drop_cols_matches_numpy():
    table, data = make_table(nan_rate=0.0)
    cols = [np.array(c) for c in table.columns]
    cols[2][5] = np.inf                              # ±inf counts as missing
    cols[3][7] = np.nan
    cleaned, entry = clean_table(Table(table.names, tuple(cols)), missing="drop_cols")
    assert cleaned.names == ("c0", "c1")
    np.testing.assert_array_equal(as_array(cleaned), data[:, :2])
    assert entry["missing"]["columns_dropped"] == ["c2", "c3"]


@pytest.mark.parametrize("missing, oracle", [
    ("fill_mean", lambda col: np.mean(col[np.isfinite(col)])),
    ("fill_median", lambda col: np.median(col[np.isfinite(col)])),
    ("fill_value", lambda col: -7.5),
], ids=["mean", "median", "value"])
def test_fill_matches_numpy(missing, oracle):
    table, data = make_table(seed=1)
    cleaned, entry = clean_table(table, missing=missing, value=-7.5)
    expected = data.copy()
    filled = {}
    for j in range(data.shape[1]):
        bad = ~np.isfinite(data[:, j])
        fill = oracle(data[:, j])
        expected[bad, j] = fill
        filled[f"c{j}"] = (fill, int(bad.sum()))
    # a mean of n values is exact to n·eps·max|x| (summation bound)
    tol = 200 * np.finfo(float).eps * np.nanmax(np.abs(data))
    np.testing.assert_allclose(as_array(cleaned), expected, rtol=0, atol=tol)
    got = {k: (v["value"], v["cells"]) for k, v in entry["missing"]["filled"].items()}
    assert got.keys() == filled.keys()
    for name, (fill, cells) in filled.items():
        assert got[name][1] == cells
        assert got[name][0] == pytest.approx(fill, rel=0, abs=tol)
    assert table.columns[0][np.isnan(data[:, 0])].size > 0      # input untouched


def test_fill_drops_column_without_values():
    cols = (np.array([1.0, np.nan, 3.0]), np.full(3, np.nan))
    cleaned, entry = clean_table(Table(("x", "empty"), cols), missing="fill_median")
    assert cleaned.names == ("x",)
    assert cleaned.columns[0].tolist() == [1.0, 2.0, 3.0]
    assert entry["missing"]["columns_dropped"] == ["empty"]


@pytest.mark.parametrize("k", [1.5, 2.0, 3.0], ids=["k1.5", "k2", "k3"])
def test_zscore_matches_numpy(k):
    table, data = make_table(seed=2, nan_rate=0.0)
    cleaned, entry = clean_table(table, outliers=("zscore", k))
    z = np.abs(data - data.mean(axis=0)) / data.std(axis=0, ddof=1)
    out = z > k
    np.testing.assert_array_equal(as_array(cleaned), data[~out.any(axis=1)])
    assert entry["outliers"]["rows_dropped"] == int(out.any(axis=1).sum())
    assert entry["outliers"]["values_by_column"] == {
        f"c{j}": int(out[:, j].sum()) for j in range(data.shape[1]) if out[:, j].any()}


@pytest.mark.parametrize("k", [0.5, 1.5, 3.0], ids=["k0.5", "k1.5", "k3"])
def test_iqr_matches_numpy(k):
    table, data = make_table(seed=3, nan_rate=0.0)
    cleaned, entry = clean_table(table, outliers=("iqr", k))
    q1, q3 = np.quantile(data, [0.25, 0.75], axis=0)
    out = (data < q1 - k * (q3 - q1)) | (data > q3 + k * (q3 - q1))
    np.testing.assert_array_equal(as_array(cleaned), data[~out.any(axis=1)])
    assert entry["outliers"]["rows_dropped"] == int(out.any(axis=1).sum()) > 0


def test_outlier_statistics_use_values_left_by_missing_step():
    table, data = make_table(seed=4, nan_rate=0.1)
    cleaned, _ = clean_table(table, missing="drop_rows", outliers=("zscore", 2.0))
    kept = data[np.isfinite(data).all(axis=1)]
    z = np.abs(kept - kept.mean(axis=0)) / kept.std(axis=0, ddof=1)
    np.testing.assert_array_equal(as_array(cleaned), kept[~(z > 2.0).any(axis=1)])


def test_constant_column_has_no_zscore_outliers():
    cols = (np.full(5, 3.0), np.array([1.0, 2.0, 3.0, 4.0, 100.0]))
    cleaned, entry = clean_table(Table(("c", "x"), cols), outliers=("zscore", 1.5))
    assert entry["outliers"]["values_by_column"] == {"x": 1}
    assert cleaned.n_rows == 4


def test_duplicates_drop_keeps_first():
    rng = np.random.default_rng(5)
    base = rng.integers(0, 3, size=(60, 2)).astype(float)
    base[0, 0] = -0.0
    base[1] = [0.0, base[0, 1]]                      # equal to row 0 (-0.0 == 0.0)
    table = Table(("a", "b"), (base[:, 0].copy(), base[:, 1].copy()), lines=np.arange(60) + 2)
    cleaned, entry = clean_table(table, duplicates="drop")
    _, first = np.unique(base + 0.0, axis=0, return_index=True)
    keep = np.sort(first)
    np.testing.assert_array_equal(as_array(cleaned), base[keep])
    np.testing.assert_array_equal(cleaned.lines, keep + 2)
    assert entry["duplicate_rows_dropped"] == 60 - keep.size
    assert 1 not in keep


def test_text_columns_dropped_and_reported():
    table, data = make_table(text=True, nan_rate=0.0)
    cleaned, entry = clean_table(table)
    assert cleaned.names == ("c0", "c1", "c2", "c3")
    assert entry["non_numeric_columns_dropped"] == ["label"]
    assert (entry["columns_in"], entry["columns_out"]) == (5, 4)


def test_text_column_error_names_column_and_line():
    cols = (np.array([1.0, 2.0, 3.0]), np.array([None, "7", "abc"], dtype=object))
    table = Table(("x", "s"), cols, path="data.csv", lines=np.array([2, 3, 5]))
    with pytest.raises(DataError, match=r"data.csv, line 5, column s: .*'abc'") as info:
        clean_table(table, non_numeric="error")
    assert (info.value.line, info.value.column) == (5, "s")
    with pytest.raises(DataError, match=r"'abc' \(row 2\)"):
        clean_table(Table(("x", "s"), cols), non_numeric="error")


def test_order_and_full_report():
    cols = (np.array([1.0, 1.0, np.nan, 2.0, 50.0, 2.0, 3.0, 1.0, 2.0, 3.0]),
            np.array(["a"] * 10, dtype=object))
    cleaned, entry = clean_table(Table(("x", "t"), cols), missing="fill_median",
                                 outliers=("iqr", 1.5), duplicates="drop")
    assert cleaned.columns[0].tolist() == [1.0, 2.0, 3.0]
    assert entry == {
        "rows_in": 10, "columns_in": 2, "non_numeric_columns_dropped": ["t"],
        "missing": {"strategy": "fill_median", "values_missing": 1, "rows_dropped": 0,
                    "columns_dropped": [], "filled": {"x": {"value": 2.0, "cells": 1}}},
        "outliers": {"method": "iqr", "k": 1.5, "rows_dropped": 1,
                     "values_by_column": {"x": 1}},
        "duplicate_rows_dropped": 6, "rows_out": 3, "columns_out": 1}


@pytest.mark.parametrize("kwargs, match", [
    ({"missing": "drop"}, r"missing must be one of 'drop_rows', 'drop_cols'"),
    ({"non_numeric": "keep"}, r"non_numeric must be one of 'drop', 'error'"),
    ({"duplicates": "yes"}, r"duplicates must be one of 'keep', 'drop'"),
    ({"missing": "fill_value"}, r"needs value="),
    ({"missing": "fill_value", "value": float("nan")}, r"finite number"),
    ({"missing": "fill_value", "value": "x"}, r"finite number"),
    ({"outliers": "zscore"}, r"\('zscore', k\) or \('iqr', k\)"),
    ({"outliers": ("mad", 3)}, r"\('zscore', k\) or \('iqr', k\)"),
    ({"outliers": ("zscore", -1)}, r"positive number"),
    ({"outliers": ("iqr", "x")}, r"positive number"),
], ids=["missing", "non_numeric", "duplicates", "no-value", "nan-value", "str-value",
        "outliers-str", "outliers-kind", "k-negative", "k-str"])
def test_bad_options(kwargs, match):
    table, _ = make_table(n=6)
    with pytest.raises(ValueError, match=match):
        clean_table(table, **kwargs)


@pytest.mark.parametrize("threads", [1, 2], ids=["1-thread", "2-threads"])
def test_kernels_row_major_large(threads):
    # above NUMKIT_PARALLEL_THRESHOLD so the prange paths run; data is (n, p) row-major
    import numkit

    rng = np.random.default_rng(6)
    data = rng.normal(size=(40_000, 5))
    data[rng.random(data.shape) < 0.01] = np.nan
    data[7, 2] = np.inf
    flags = np.empty(40_000, np.uint8)
    counts = np.empty(5, np.int64)
    before = numkit.get_num_threads()
    numkit.set_num_threads(threads)
    try:
        kernels.missing_scan(data, flags, counts)
        bad = ~np.isfinite(data)
        np.testing.assert_array_equal(flags, bad.any(axis=1))
        np.testing.assert_array_equal(counts, bad.sum(axis=0))
        keep = (flags == 0).astype(np.uint8)
        out = np.empty((int(keep.sum()), 5))
        kernels.compact_rows(data, keep, out)
        np.testing.assert_array_equal(out, data[keep.astype(bool)])
        low, high = np.full(5, -2.0), np.full(5, 2.0)
        kernels.range_mask(data, low, high, flags, counts)
        outside = (data < -2) | (data > 2)
        np.testing.assert_array_equal(flags, outside.any(axis=1))
        np.testing.assert_array_equal(counts, outside.sum(axis=0))
        mean, std = np.zeros(5), np.array([1.0, 2.0, 0.0, np.nan, 0.5])
        kernels.zscore_mask(data, mean, std, 2.5, flags, counts)
        with np.errstate(invalid="ignore", divide="ignore"):
            z = np.abs(data - mean) / std > 2.5
        z[:, 2:4] = False                          # zero and NaN deviations: no outliers
        np.testing.assert_array_equal(flags, z.any(axis=1))
        np.testing.assert_array_equal(counts, z.sum(axis=0))
        filled = data.copy()
        kernels.fill_missing(filled, np.arange(5.0))
        expected = np.where(np.isfinite(data), data, np.arange(5.0))
        np.testing.assert_array_equal(filled, expected)
    finally:
        numkit.set_num_threads(before)


@pytest.mark.parametrize("pattern", ["alternate", "none", "all", "first", "last", "random"])
def test_compact_rows_in_place(pattern):
    rng = np.random.default_rng(8)
    n = 50_000
    data = rng.normal(size=(n, 3))
    keep = {"alternate": np.arange(n) % 2 == 0, "none": np.zeros(n, bool),
            "all": np.ones(n, bool), "first": np.arange(n) > 0,
            "last": np.arange(n) < n - 1, "random": rng.random(n) < 0.7}[pattern]
    expected = data[keep].copy()
    kernels.compact_rows(data, keep.view(np.uint8), data)
    np.testing.assert_array_equal(data[:expected.shape[0]], expected)


@pytest.mark.parametrize("call, match", [
    (lambda: kernels.missing_scan(np.zeros((4, 2)), np.empty(3, np.uint8),
                                  np.empty(2, np.int64)), "missing_scan: per-row"),
    (lambda: kernels.fill_missing(np.zeros((4, 2)), np.zeros(3)), "fill_missing"),
    (lambda: kernels.range_mask(np.zeros((4, 2)), np.zeros(1), np.zeros(2),
                                np.empty(4, np.uint8), np.empty(2, np.int64)), "outlier"),
    (lambda: kernels.compact_rows(np.zeros((4, 2)), np.ones(4, np.uint8), np.empty((5, 2))),
     "out has 5 rows"),
    (lambda: kernels.compact_rows(np.zeros((4, 2)), np.ones(4, np.uint8), np.empty((4, 3))),
     "compact_rows: per-row"),
], ids=["scan", "fill", "mask", "compact-rows", "compact-cols"])
def test_kernels_reject_wrong_lengths(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_kernels_accept_read_only_input():
    data = np.array([[1.0], [np.nan], [3.0]])
    data.flags.writeable = False
    flags = np.empty(3, np.uint8)
    counts = np.empty(1, np.int64)
    kernels.missing_scan(data, flags, counts)
    assert flags.tolist() == [0, 1, 0] and counts.tolist() == [1]


# -- the row-major block: read without a copy, never written --------------------------


def block_table(table):
    """``table`` with its numeric columns as views of one read-only block (as the CSV
    readers make it)."""
    numeric = [c for c in table.columns if c.dtype == np.float64]
    block = np.column_stack(numeric) if numeric else np.empty((table.n_rows, 0))
    return Table.from_block(table.names, [None if c.dtype == np.float64 else c
                                          for c in table.columns], block, path=table.path,
                            lines=table.lines, reader=table.reader)


STEPS = [
    ({"missing": "drop_rows"}, "drop-rows"),
    ({"missing": "drop_rows", "outliers": ("zscore", 2.0), "duplicates": "drop"}, "all-drops"),
    ({"missing": "fill_mean", "outliers": ("iqr", 1.0)}, "fill-iqr"),
    ({"missing": "drop_cols", "duplicates": "drop"}, "drop-cols-dups"),
]


def oracle(data, lines, missing, outliers=None, duplicates="keep"):
    """The steps in numpy, on an (n, p) array."""
    if missing == "drop_rows":
        keep = np.isfinite(data).all(axis=1)
        data, lines = data[keep], lines[keep]
    elif missing == "drop_cols":
        data = data[:, np.isfinite(data).all(axis=0)]
    else:
        means = np.array([c[np.isfinite(c)].mean() for c in data.T])
        data = np.where(np.isfinite(data), data, means)
    if outliers is not None:
        kind, k = outliers
        if kind == "zscore":
            out = np.abs(data - data.mean(axis=0)) / data.std(axis=0, ddof=1) > k
        else:
            q1, q3 = np.quantile(data, [0.25, 0.75], axis=0)
            out = (data < q1 - k * (q3 - q1)) | (data > q3 + k * (q3 - q1))
        data, lines = data[~out.any(axis=1)], lines[~out.any(axis=1)]
    if duplicates == "drop":
        _, first = np.unique(data + 0.0, axis=0, return_index=True)
        keep = np.sort(first)
        data, lines = data[keep], lines[keep]
    return data, lines


@pytest.mark.parametrize("options", [s[0] for s in STEPS], ids=[s[1] for s in STEPS])
@pytest.mark.parametrize("layout", ["columns", "block"])
def test_steps_on_either_layout_against_numpy(options, layout):
    table, data = make_table(n=3000, seed=11, nan_rate=0.01, text=True)
    data[::97] = data[::89][:data[::97].shape[0]]     # some duplicate rows
    table = Table(table.names, tuple(np.ascontiguousarray(data[:, j]) for j in range(4))
                  + table.columns[4:], lines=table.lines)
    if layout == "block":
        table = block_table(table)
    before = [c.copy() for c in table.columns]
    cleaned, _ = clean_table(table, **options)
    want, want_lines = oracle(data, np.arange(2, 3002), **options)
    # exact but for fill values: means of up to n values, whose rounding error is at most
    # n·eps·max|x| (the summation bound), computed here by numpy and there by stat.mean
    tol = data.shape[0] * np.finfo(float).eps * np.nanmax(np.abs(data))
    np.testing.assert_allclose(cleaned.block, want, rtol=0, atol=tol)
    np.testing.assert_array_equal(cleaned.lines, want_lines)
    assert not cleaned.block.flags.writeable
    for j in range(want.shape[1]):
        assert np.shares_memory(cleaned.columns[j], cleaned.block)
    for got, was in zip(table.columns, before, strict=True):   # the input is untouched
        assert got.tolist() == was.tolist() or np.array_equal(got, was, equal_nan=True)


def test_block_read_without_copy_and_kept_when_nothing_changes():
    table, _ = make_table(n=500, seed=12, nan_rate=0.0)
    table = block_table(table)
    cleaned, _ = clean_table(table, missing="drop_rows")
    assert cleaned.block is table.block                     # read-only, safe to share
    table, _ = make_table(n=500, seed=12, nan_rate=0.02)
    table = block_table(table)
    cleaned, _ = clean_table(table, missing="drop_rows")
    assert not np.shares_memory(cleaned.block, table.block)
    assert table.block.shape == (500, 4) and np.isnan(table.block).any()


# -- columns_into: the compute stage's cache-blocked column copy ---------------------


@pytest.mark.parametrize("n, p, first, k", [
    (0, 3, 0, 3), (1, 1, 0, 1), (511, 5, 1, 3), (512, 4, 0, 4), (513, 10, 6, 4),
    (5000, 7, 3, 1), (100_003, 10, 0, 10),
], ids=lambda v: str(v))
def test_columns_into_copies_the_columns(n, p, first, k):
    data = np.random.default_rng(n + p).normal(size=(n, p))
    data[::97, first] = np.nan
    out = np.full((k, n), -1.0)
    kernels.columns_into(data, first, out)
    np.testing.assert_array_equal(out, data[:, first:first + k].T)


@pytest.mark.parametrize("first, shape, message", [
    (2, (2, 10), r"columns 2\.\.3 are outside 0\.\.2"),
    (-1, (1, 10), r"columns -1\.\.-1 are outside"),
    (0, (2, 9), r"out has 9 columns; data has 10 rows"),
], ids=["past-the-end", "negative", "wrong-length"])
def test_columns_into_rejects_bad_arguments(first, shape, message):
    with pytest.raises(ValueError, match=message):
        kernels.columns_into(np.zeros((10, 3)), first, np.empty(shape))
