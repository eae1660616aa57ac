"""The pipeline on Dask (numkit.pipeline._dask) against the in-memory pipeline on the
same data: several CSV files (NaN, NA tokens, a text column, a column that is text in
one file only) read partition by partition must clean, compute and write what the
concatenated file gives in memory. Synchronous scheduler throughout.

Tolerances: the dask statistics merge per-partition partials (Chan et al.) where memory
makes one blocked pass, so sums are reassociated: relative differences of a few
n·eps (n ≈ 1e3 rows here, eps = 2.2e-16) for moments and covariances, and the same
over the condition of the small factorisations for PCA and regression (well-
conditioned data): 1e-12 relative bounds all of them with margin. Counts, quantiles
(the same order statistics) and clean reports are exact.
"""

import json

import numpy as np
import pytest

dask = pytest.importorskip("dask", exc_type=ImportError)
pytest.importorskip("dask.array", exc_type=ImportError)

from numkit import pipeline  # noqa: E402
from numkit.errors import DataError  # noqa: E402
from numkit.pipeline import _dask as nkp  # noqa: E402

RTOL = 1e-12
COMPUTE = ("describe", "covariance", "correlation", "pca", "regression", "histogram",
           "quantiles")


@pytest.fixture(autouse=True)
def synchronous():
    with dask.config.set(scheduler="synchronous"):
        yield


def _write_files(folder, n_files=5, seed=1, rows=150):
    """CSV files with NaN ("NA", empty), a text column, a column ("flag") that is text
    in one file only, an outlier per file; and their concatenation for memory."""
    rng = np.random.default_rng(seed)
    header = "a;b;name;c;flag"
    body = []
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n_files):
        n = rows + 17 * i
        a = rng.normal(10.0, 2.0, n)
        b = 3.0 * a + rng.normal(0.0, 1.0, n)
        c = rng.normal(100.0 + i, 5.0, n)
        c[3] = 250.0                                   # an outlier
        lines = []
        for r in range(n):
            fa = "NA" if rng.random() < 0.04 else repr(float(a[r]))
            fc = "" if rng.random() < 0.04 else repr(float(c[r]))
            flag = "yes" if (i == 3 and r == 5) else str(r % 2)
            lines.append(f"{fa};{float(b[r])!r};n{i}_{r};{fc};{flag}")
        (folder / f"part{i:02d}.csv").write_text(header + "\n" + "\n".join(lines) + "\n")
        body += lines
    combined = folder / "memory" / "all.csv"
    combined.parent.mkdir()
    combined.write_text(header + "\n" + "\n".join(body) + "\n")
    return str(folder / "part*.csv"), combined


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return _write_files(tmp_path_factory.mktemp("csv"))


def _close(got, want, what):
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    assert got.shape == want.shape, what
    scale = np.maximum(np.abs(want), np.finfo(float).tiny)
    assert np.all((np.abs(got - want) <= RTOL * scale) | (np.isnan(got) & np.isnan(want))), (
        what, got, want)


def _same_stage(got: dict, want: dict):
    for key, value in want.items():
        if key not in ("seconds",):
            assert got[key] == value, (key, got[key], value)


def _compare_results(got: dict, want: dict, names):
    for column in names:
        for key, value in want["describe"][column].items():
            _close(got["describe"][column][key], value, ("describe", column, key))
    if "covariance" not in want:
        return _compare_columns(got, want, names)
    for key in ("covariance", "correlation"):
        assert got[key]["rows"] == want[key]["rows"]
        _close(got[key]["matrix"], want[key]["matrix"], key)
    pg, pw = got["pca"], want["pca"]
    _close(pg["variances"], pw["variances"], "pca variances")
    _close(pg["explained_variance_ratio"], pw["explained_variance_ratio"], "pca ratio")
    vg, vw = np.asarray(pg["vectors"]), np.asarray(pw["vectors"])
    _close(vg * np.sign(vg[0]) * np.sign(vw[0]), vw, "pca vectors (up to sign)")
    rg, rw = got["regression"], want["regression"]
    for key in ("params", "std_errors"):
        _close(list(rg[key].values()), list(rw[key].values()), key)
        assert list(rg[key]) == list(rw[key])
    for key in ("r_squared", "adj_r_squared", "residual_std", "df_resid", "rows"):
        _close(rg[key], rw[key], key)
    _compare_columns(got, want, names)


def _compare_columns(got: dict, want: dict, names):
    for column in names:
        np.testing.assert_array_equal(got["histogram"][column]["counts"],
                                      want["histogram"][column]["counts"])
        np.testing.assert_array_equal(got["histogram"][column]["dividers"],
                                      want["histogram"][column]["dividers"])
        np.testing.assert_array_equal(got["quantiles"]["values"][column],
                                      want["quantiles"]["values"][column])


CLEANS = [
    ({"missing": "drop_rows"}, "drop_rows"),
    ({"missing": "fill_mean", "outliers": ("zscore", 3.0)}, "fill_mean-zscore"),
    ({"missing": "fill_median", "outliers": ("iqr", 1.5)}, "fill_median-iqr"),
    ({"missing": "fill_value", "value": -1.0, "outliers": ("zscore", 2.0)}, "fill_value"),
    ({"missing": "drop_cols"}, "drop_cols"),
]


@pytest.mark.parametrize("options", [c[0] for c in CLEANS], ids=[c[1] for c in CLEANS])
def test_pipeline_matches_memory(files, options):
    pattern, combined = files
    lazy = nkp.read_csv_dask(pattern).clean(**options).matrix()
    memory = pipeline.read_csv(combined).clean(**options).matrix()
    assert lazy.names == memory.names
    _same_stage(lazy.stages[-1], memory.stages[-1])
    clean_lazy, clean_memory = lazy.stages[0], memory.stages[0]
    assert clean_lazy["partitions"] == 5
    _same_stage({k: v for k, v in clean_lazy.items() if k != "partitions"}, clean_memory)
    # drop_cols leaves only "b" (the others hold NaN): no matrix computations then
    what = COMPUTE if len(memory.names) > 1 else ("describe", "histogram", "quantiles")
    options = {"target": "b"} if "regression" in what else {}
    got = lazy.compute(*what, **options).results
    want = memory.compute(*what, **options).results
    assert set(got) == set(what)
    _compare_results(got, want, memory.names)


def test_text_columns_are_global_and_the_report_counts_every_partition(files):
    pattern, combined = files
    p = nkp.read_csv_dask(pattern)
    # "flag" is numeric in four files and text in one: text, as in the concatenation
    assert p.table.numeric == (True, True, False, True, False)
    assert p.table.source_info()["rows"] == pipeline.read_csv(combined).table.n_rows
    entry = p.clean().stages[0]
    assert entry["non_numeric_columns_dropped"] == ["name", "flag"]
    assert entry["rows_in"] == sum(150 + 17 * i for i in range(5))
    assert entry["rows_out"] == entry["rows_in"] - entry["missing"]["rows_dropped"] > 0


@pytest.mark.parametrize("center, standardize", [(True, False), (False, True)],
                         ids=["center", "standardize"])
def test_matrix_centring_matches_memory(files, center, standardize):
    pattern, combined = files
    lazy = nkp.read_csv_dask(pattern).clean().matrix(columns=["c", "a"], center=center,
                                                      standardize=standardize)
    memory = pipeline.read_csv(combined).clean().matrix(columns=["c", "a"], center=center,
                                                         standardize=standardize)
    got, want = lazy.stages[-1], memory.stages[-1]
    for key in ("means", "stds"):
        if key in want:
            _close(list(got[key].values()), list(want[key].values()), key)
    _close(np.asarray(lazy.dense.compute()), np.asarray(memory.dense), "matrix")


def test_pca_of_the_correlation_matrix_matches_memory(files):
    pattern, combined = files
    got = nkp.read_csv_dask(pattern).clean().compute("pca", pca_scale="correlation").results
    want = pipeline.read_csv(combined).clean().compute("pca", pca_scale="correlation").results
    _close(got["pca"]["variances"], want["pca"]["variances"], "variances")
    assert got["pca"]["scale"] == "correlation"


def test_output_writes_the_in_memory_files(files, tmp_path):
    pattern, combined = files
    chain = ("describe", "covariance", "correlation", "pca", "regression")
    got = nkp.read_csv_dask(pattern).clean().compute(*chain, target="b").output(tmp_path / "d")
    want = pipeline.read_csv(combined).clean().compute(*chain, target="b").output(
        tmp_path / "m")
    names = sorted(p.name for p in (tmp_path / "m").iterdir())
    assert sorted(p.name for p in (tmp_path / "d").iterdir()) == names
    # fewer complete rows than SCATTER_SAMPLE: the plots are the in-memory ones, bytes too
    for name in names:
        if name.endswith(".png"):
            assert (tmp_path / "d" / name).read_bytes() == (tmp_path / "m" / name).read_bytes()
    summary = json.loads((tmp_path / "d" / "summary.json").read_text())
    expected = json.loads((tmp_path / "m" / "summary.json").read_text())
    assert summary["rows"] == expected["rows"]
    for column, row in expected["columns"].items():
        _close(list(summary["columns"][column].values()), list(row.values()), column)
    report = json.loads((tmp_path / "d" / "report.json").read_text())
    assert report["source"]["files"] == 5 and report["source"]["reader"] == "dask-csv"
    assert [s["stage"] for s in report["stages"]] == ["clean", "matrix", "compute", "output"]
    assert got.files and len(got.files) == len(want.files)


def test_scatter_matrix_uses_a_fixed_random_sample(files, tmp_path, monkeypatch):
    pattern, _ = files
    monkeypatch.setattr(nkp, "SCATTER_SAMPLE", 40)
    p = nkp.read_csv_dask(pattern).clean().compute("describe")
    x = p.dense
    counts = [int(np.isfinite(b).all(axis=1).sum()) for b in
              dask.compute(*x.to_delayed().ravel())]
    first, total = nkp._scatter_sample(x, counts, 40)
    again, _ = nkp._scatter_sample(x, counts, 40)
    rows = np.asarray(x.compute())
    assert first.shape == (40, 3) and total == rows.shape[0]
    np.testing.assert_array_equal(first, again)                     # seeded
    # every sampled row is a row of the data, in data order
    index = [int(np.flatnonzero((rows == r).all(axis=1))[0]) for r in first]
    assert index == sorted(index)
    result = p.output(tmp_path / "o", formats=("json", "png"))
    note = result.report["stages"][-1]["notes"]
    assert any("random sample of 40 of" in n for n in note)


def test_parquet_row_groups_match_memory(files, tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    rng = np.random.default_rng(3)
    tables = []
    for i in range(3):
        x = rng.normal(size=(300, 2))
        x[rng.random(300) < 0.05, 0] = np.nan
        t = pa.table({"x": x[:, 0], "y": x[:, 1] + x[:, 0], "k": np.arange(300) % 7,
                      "s": [f"s{j}" for j in range(300)]})
        pq.write_table(t, tmp_path / f"p{i}.parquet", row_group_size=128)
        tables.append(t)
    pq.write_table(pa.concat_tables(tables), tmp_path / "all.pq")
    lazy = nkp.read_parquet_dask(tmp_path)
    assert len(lazy.table.parts) == 9 and lazy.table.numeric == (True, True, True, False)
    got = lazy.clean().compute("describe", "correlation", "quantiles").results
    want = pipeline.read_parquet(tmp_path / "all.pq").clean().compute(
        "describe", "correlation", "quantiles").results
    for column, row in want["describe"].items():
        _close(list(got["describe"][column].values()), list(row.values()), column)
    _close(got["correlation"]["matrix"], want["correlation"]["matrix"], "correlation")
    only = nkp.read_parquet_dask(str(tmp_path / "p*.parquet"), columns=["y", "x"])
    assert only.table.names == ("y", "x")


def test_malformed_partition_names_file_and_line_and_writes_nothing(tmp_path):
    for i in range(20):
        rows = [f"{i},{j},{i * j}" for j in range(30)]
        if i == 13:
            rows[7] = "1,2,3,4"                       # ragged: file line 9
        (tmp_path / f"f{i:02d}.csv").write_text("x,y,z\n" + "\n".join(rows) + "\n")
    out = tmp_path / "out"
    with pytest.raises(DataError, match=r"f13\.csv, line 9: expected 3 fields"):
        nkp.read_csv_dask(str(tmp_path / "*.csv")).clean().compute().output(out)
    assert not out.exists()


def test_non_numeric_error_names_file_line_and_column(files):
    pattern, _ = files
    with pytest.raises(DataError, match=r"part00\.csv, line 2, column name: column 'name' is "
                                        r"not numeric: 'n0_0'"):
        nkp.read_csv_dask(pattern).clean(non_numeric="error")
    with pytest.raises(DataError, match=r"part03\.csv, line 7, column flag: .*'yes'"):
        nkp.read_csv_dask(pattern, columns=["a", "flag"]).clean(non_numeric="error")


def test_matrix_of_a_text_column_is_a_data_error(files):
    pattern, _ = files
    with pytest.raises(DataError, match="column name.*hold text"):
        nkp.read_csv_dask(pattern).matrix(columns=["a", "name"])


@pytest.mark.parametrize("call, error, match", [
    (lambda p: p.clean(duplicates="drop"), ValueError,
     "duplicates='drop' is not available with the dask engine"),
    (lambda p: p.clean(missing="nope"), ValueError, "clean: missing must be one of"),
    (lambda p: p.clean().compute("regression"), ValueError, "regression needs target="),
    (lambda p: p.clean().compute("regression", target="zz"), ValueError, "'zz' is not a column"),
    (lambda p: p.clean().compute("histogram", bins=0), ValueError, "bins must be a positive"),
    (lambda p: p.clean().compute("quantiles", probabilities=[2.0]), ValueError,
     "probabilities must be"),
    (lambda p: p.clean().compute("pca", pca_scale="x"), ValueError, "pca_scale must be one of"),
    (lambda p: p.clean().matrix(columns=["zz"]), ValueError, "unknown column"),
], ids=["duplicates", "missing", "no-target", "bad-target", "bins", "probabilities",
        "pca-scale", "column"])
def test_errors(files, call, error, match):
    with pytest.raises(error, match=match):
        call(nkp.read_csv_dask(files[0]))


def test_too_few_complete_rows(tmp_path):
    (tmp_path / "a.csv").write_text("x,y\n1,NA\n2,3\n")
    (tmp_path / "b.csv").write_text("x,y\nNA,1\n")
    p = nkp.read_csv_dask(str(tmp_path / "*.csv"))
    with pytest.raises(ValueError, match=r"covariance needs at least 2 rows without NaN; the "
                                         r"matrix has 1 \(of 3\)"):
        p.compute("covariance")


@pytest.mark.parametrize("setup, path, kwargs, error, match", [
    (lambda d: None, "*.csv", {}, DataError, "no CSV file matches"),
    (lambda d: None, "missing.csv", {}, DataError, "no such file"),
    (lambda d: (d / "a.csv").write_text("x,y\n1,2\n") and (d / "b.csv").write_text("x,z\n1,2\n"),
     "*.csv", {}, DataError, r"b\.csv: the columns \(x, z\) differ"),
    (lambda d: (d / "a.csv").write_text("x,y\n1,2\n"), "*.csv", {"columns": ["q"]}, ValueError,
     "no column 'q'"),
    (lambda d: (d / "a.csv").write_text("x,y\n1,2\n"), "*.csv", {"delimiter": ";;"},
     ValueError, "delimiter must be one character"),
    (lambda d: (d / "a.csv").write_text(""), "*.csv", {}, DataError, "the file is empty"),
], ids=["no-match", "missing", "headers-differ", "unknown-column", "delimiter", "empty"])
def test_read_errors(tmp_path, setup, path, kwargs, error, match):
    setup(tmp_path)
    with pytest.raises(error, match=match):
        nkp.read_csv_dask(str(tmp_path / path), **kwargs)


def test_parquet_errors(tmp_path):
    pytest.importorskip("pyarrow")
    (tmp_path / "bad.parquet").write_text("not parquet")
    with pytest.raises(DataError, match="not a readable Parquet file"):
        nkp.read_parquet_dask(tmp_path)
    with pytest.raises(DataError, match="no Parquet file matches"):
        nkp.read_parquet_dask(str(tmp_path / "*.pq"))


def test_engine_dask_dispatch_from_read_csv(files):
    import inspect

    from numkit.pipeline import _sources

    if '"dask"' not in inspect.getsource(_sources.read_csv):
        pytest.skip("read_csv(engine='dask') is not wired yet (numkit/pipeline/_sources.py)")
    p = pipeline.read_csv(files[0], engine="dask")
    assert isinstance(p.table, nkp.DaskTable)
