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


def test_kernels_thread_count_independent_and_large():
    # above NUMKIT_PARALLEL_THRESHOLD so the prange paths run
    rng = np.random.default_rng(6)
    data = rng.normal(size=(5, 40_000))
    data[rng.random(data.shape) < 0.01] = np.nan
    flags = np.empty(40_000, np.uint8)
    counts = np.empty(5, np.int64)
    kernels.missing_scan(data, flags, counts)
    np.testing.assert_array_equal(flags, np.isnan(data).any(axis=0))
    np.testing.assert_array_equal(counts, np.isnan(data).sum(axis=1))
    keep = (flags == 0).astype(np.uint8)
    out = np.empty((5, int(keep.sum())))
    kernels.compact_rows(data, keep, out)
    np.testing.assert_array_equal(out, data[:, keep.astype(bool)])
    low, high = np.full(5, -2.0), np.full(5, 2.0)
    kernels.range_mask(data, low, high, flags, counts)
    np.testing.assert_array_equal(flags, ((data < -2) | (data > 2)).any(axis=0))
    np.testing.assert_array_equal(counts, ((data < -2) | (data > 2)).sum(axis=1))
    filled = data.copy()
    kernels.fill_missing(filled, np.arange(5.0))
    expected = np.where(np.isnan(data), np.arange(5.0)[:, None], data)
    np.testing.assert_array_equal(filled, expected)


def test_kernels_accept_read_only_input():
    data = np.array([[1.0, np.nan, 3.0]])
    data.flags.writeable = False
    flags = np.empty(3, np.uint8)
    counts = np.empty(1, np.int64)
    kernels.missing_scan(data, flags, counts)
    assert flags.tolist() == [0, 1, 0] and counts.tolist() == [1]
