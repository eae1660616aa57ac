"""numkit.dask.read_parquet: Parquet files as a dask array (one block per row group,
lengths from the footers), against pyarrow's reading of the same files, and numkit's
statistics on it against the in-memory calls."""

import os

import numpy as np
import pytest

pytest.importorskip("dask", exc_type=ImportError)
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
import dask  # noqa: E402

from numkit import dask as nkd  # noqa: E402
from numkit import stat  # noqa: E402
from numkit.errors import DataError  # noqa: E402

NAMES = ("a", "b", "label", "c")


@pytest.fixture(autouse=True)
def synchronous():
    with dask.config.set(scheduler="synchronous"):
        yield


def _table(rng, n: int, offset: float = 0.0):
    b = rng.integers(-1000, 1000, n)
    return pa.table({
        "a": rng.normal(offset, 2.0, n),
        "b": pa.array(b, mask=rng.random(n) < 0.1),
        "label": pa.array([f"r{i}" for i in range(n)]),
        "c": rng.random(n).astype(np.float32),
    })


@pytest.fixture
def folder(tmp_path):
    """Three files of 3 row groups (sizes 400/400/200, 1000 rows each) in a folder,
    with various writer options, and the numeric data pyarrow reads from them."""
    rng = np.random.default_rng(7)
    options = [dict(compression="none"), dict(compression="snappy", data_page_version="2.0"),
               dict(compression="zstd", use_dictionary=False)]
    expected = []
    for i, opts in enumerate(options):
        path = tmp_path / f"part-{i}.parquet"
        pq.write_table(_table(rng, 1000, 100.0 * i), path, row_group_size=400, **opts)
        t = pq.read_table(path)
        expected.append(np.column_stack([
            t.column(n).cast(pa.float64()).to_numpy(zero_copy_only=False)
            for n in ("a", "b", "c")]))
    return tmp_path, np.concatenate(expected)


def test_blocks_are_row_groups_and_values_are_pyarrows(folder):
    path, expected = folder
    x = nkd.read_parquet(path)
    assert x.shape == (3000, 3) and x.dtype == np.float64
    assert x.chunks == ((400, 400, 200) * 3, (3,))
    np.testing.assert_array_equal(x.compute(), expected)   # nulls as NaN, equal NaN


def _layout(block):
    return np.array([[block.flags.f_contiguous, block.shape[0]]])


def test_the_tasks_see_fortran_ordered_blocks(folder):
    # (compute() of the array itself assembles a C-ordered result on the client)
    path, _ = folder
    x = nkd.read_parquet(path)
    seen = x.map_blocks(_layout, chunks=((1,) * 9, (2,)), dtype=np.int64).compute()
    np.testing.assert_array_equal(seen, [[1, 400], [1, 400], [1, 200]] * 3)


@pytest.mark.parametrize("form", ["folder", "glob", "file", "list"])
def test_paths(folder, form):
    path, expected = folder
    arg = {"folder": path, "glob": str(path / "part-*.parquet"),
           "file": path / "part-1.parquet",
           "list": [path / "part-2.parquet", str(path / "part-1.parquet")]}[form]
    x = nkd.read_parquet(arg)
    want = {"file": expected[1000:2000],
            "list": np.concatenate([expected[2000:], expected[1000:2000]])}.get(form, expected)
    np.testing.assert_array_equal(x.compute(), want)


def test_columns_choose_and_order(folder):
    path, expected = folder
    x = nkd.read_parquet(path, columns=["c", "a"])
    np.testing.assert_array_equal(x.compute(), expected[:, [2, 0]])


def test_statistics_equal_the_in_memory_calls(folder):
    path, expected = folder
    x = nkd.read_parquet(path, columns=["a", "c"])
    full = expected[:, [0, 2]]
    got = np.asarray(stat.covariance_matrix(x))
    want = np.asarray(stat.covariance_matrix(full))
    # an entry's rounding error scales with σ_i σ_j (the off-diagonal is near zero)
    scale = 1e-12 * np.sqrt(np.outer(np.diag(want), np.diag(want)))
    np.testing.assert_array_less(np.abs(got - want), scale)
    np.testing.assert_array_less(np.abs(got - np.cov(full, rowvar=False)), scale)
    m, v = stat.mean_variance(x[:, 0])
    m0, v0 = stat.mean_variance(full[:, 0])
    assert abs(m - m0) <= 1e-12 * abs(m0) and abs(v - v0) <= 1e-12 * v0
    # the column with nulls: NaN propagates, or is omitted
    b = nkd.read_parquet(path, columns=["b"])[:, 0]
    assert np.isnan(stat.mean(b))
    assert stat.mean(b, nan_policy="omit") == pytest.approx(np.nanmean(expected[:, 1]),
                                                           rel=1e-13)


def test_only_the_footers_are_read_when_the_array_is_built(folder, monkeypatch):
    path, _ = folder
    from numkit.pipeline import _parquet

    def fail(*args, **kwargs):
        raise AssertionError("a page was decoded while building the array")

    monkeypatch.setattr(_parquet._parquet, "decode_chunk", fail)
    x = nkd.read_parquet(path)
    assert x.shape == (3000, 3)
    with pytest.raises(AssertionError, match="decoded while building"):
        x.compute()


def test_the_task_keys_change_when_a_file_changes(tmp_path):
    f = tmp_path / "d.parquet"
    pq.write_table(pa.table({"x": np.arange(5.0)}), f)
    before = nkd.read_parquet(f)
    assert nkd.read_parquet(f).name == before.name       # same file: same keys
    pq.write_table(pa.table({"x": np.arange(5.0) * 2}), f)
    os.utime(f, ns=(1, 1))                                # a different mtime for sure
    after = nkd.read_parquet(f)
    assert after.name != before.name
    np.testing.assert_array_equal(after.compute()[:, 0], np.arange(5.0) * 2)


def test_empty_row_groups_and_files(tmp_path):
    pq.write_table(pa.table({"x": pa.array([], pa.float64())}), tmp_path / "a.parquet")
    pq.write_table(pa.table({"x": [1.0, 2.0]}), tmp_path / "b.parquet")
    x = nkd.read_parquet(tmp_path)
    assert x.shape == (2, 1)
    np.testing.assert_array_equal(x.compute()[:, 0], [1.0, 2.0])


# -- errors -------------------------------------------------------------------------


def test_no_file_matches(tmp_path):
    with pytest.raises(DataError, match="no Parquet file matches"):
        nkd.read_parquet(str(tmp_path / "*.parquet"))
    with pytest.raises(DataError, match="holds no Parquet file"):
        nkd.read_parquet(tmp_path)
    with pytest.raises(DataError, match="no such file"):
        nkd.read_parquet(tmp_path / "missing.parquet")
    with pytest.raises(ValueError, match="path is an empty list"):
        nkd.read_parquet([])


def test_not_parquet(tmp_path):
    f = tmp_path / "x.parquet"
    f.write_text("a,b\n1,2\n")
    with pytest.raises(DataError, match="not a readable Parquet file"):
        nkd.read_parquet(f)


@pytest.mark.parametrize("columns, message", [
    (["label"], "column 'label' of .* is not numeric"),
    (["zz"], "no column 'zz'"),
    ("a", "columns must be a sequence of names"),
], ids=["text", "unknown", "string"])
def test_bad_columns(folder, columns, message):
    path, _ = folder
    with pytest.raises(ValueError, match=message):
        nkd.read_parquet(path, columns=columns)


def test_no_numeric_column(tmp_path):
    pq.write_table(pa.table({"s": ["a", "b"]}), tmp_path / "t.parquet")
    with pytest.raises(ValueError, match="has no numeric column; its columns are s"):
        nkd.read_parquet(tmp_path)


def test_files_with_different_columns(tmp_path):
    pq.write_table(pa.table({"x": [1.0]}), tmp_path / "a.parquet")
    pq.write_table(pa.table({"y": [1.0]}), tmp_path / "b.parquet")
    with pytest.raises(DataError, match=r"the columns \(y\) differ from those of"):
        nkd.read_parquet(tmp_path)


def test_a_corrupt_page_names_the_file_row_group_and_column(tmp_path):
    good = tmp_path / "a.parquet"
    bad = tmp_path / "b.parquet"
    pq.write_table(pa.table({"x": np.arange(1000.0)}), good, compression="none",
                   use_dictionary=False)
    pq.write_table(pa.table({"x": np.arange(1000.0)}), bad, compression="none",
                   use_dictionary=False)
    chunk = pq.ParquetFile(bad).metadata.row_group(0).column(0)
    data = bytearray(bad.read_bytes())
    data[chunk.data_page_offset:chunk.data_page_offset + 6] = b"\xff" * 6  # its header
    bad.write_bytes(bytes(data))
    x = nkd.read_parquet(tmp_path)              # the footers are intact
    assert x.shape == (2000, 1)
    with pytest.raises(DataError, match=r"b\.parquet.*row group 0, column 'x'"):
        stat.mean(x[:, 0])
