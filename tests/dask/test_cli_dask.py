"""``numkit run --engine dask``: one real run on a LocalCluster through a subprocess, and
the exit codes in process (a synchronous scheduler standing in for the cluster)."""

import contextlib
import json
import subprocess
import sys

import numpy as np
import pytest

dask = pytest.importorskip("dask", exc_type=ImportError)
pytest.importorskip("distributed", exc_type=ImportError)

from numkit import cli  # noqa: E402


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli")
    rng = np.random.default_rng(5)
    body = []
    for i in range(4):
        x = rng.normal(size=(60, 3)) + [0.0, 10.0, 100.0]
        lines = [f"{a!r},{b!r},{c!r},t{i}" for a, b, c in x.tolist()]
        lines[2] = "NA," + lines[2].split(",", 1)[1]
        (d / f"part{i}.csv").write_text("u,v,w,label\n" + "\n".join(lines) + "\n")
        body += lines
    (d / "all").mkdir()
    (d / "all" / "all.csv").write_text("u,v,w,label\n" + "\n".join(body) + "\n")
    return d


@pytest.fixture
def no_cluster(monkeypatch):
    """The dask engine in process on the synchronous scheduler (no cluster start)."""
    monkeypatch.setattr(cli, "_dask_client", lambda address: contextlib.nullcontext())
    with dask.config.set(scheduler="synchronous"):
        yield


def _summary(out):
    return json.loads((out / "summary.json").read_text())


def test_run_on_a_local_cluster_matches_memory(folder, tmp_path):
    r = subprocess.run([sys.executable, "-m", "numkit", "run", str(folder / "part*.csv"),
                        "--engine", "dask", "--out", str(tmp_path / "d"), "--missing",
                        "fill_mean", "--compute", "describe,correlation", "--no-plots"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""                      # the cluster's logs stay quiet
    assert "240 rows x 3 columns" in r.stdout   # fill_mean keeps every row
    assert cli.main(["run", str(folder / "all" / "all.csv"), "--engine", "python", "--out",
                     str(tmp_path / "m"), "--missing", "fill_mean", "--compute",
                     "describe,correlation", "--no-plots", "--quiet"]) == 0
    got, want = _summary(tmp_path / "d"), _summary(tmp_path / "m")
    for column, row in want["columns"].items():
        for key, value in row.items():
            # merged partials vs one pass: a few n·eps (module notes of test_pipeline.py)
            assert got["columns"][column][key] == pytest.approx(value, rel=1e-12, abs=1e-300)
    report = json.loads((tmp_path / "d" / "report.json").read_text())
    assert report["source"]["partitions"] == 4


@pytest.mark.parametrize("engine", ["python", "pyarrow", "dask"])
def test_engines_agree(folder, tmp_path, no_cluster, engine, capsys):
    pytest.importorskip("pyarrow")
    data = folder / ("part*.csv" if engine == "dask" else "all/all.csv")
    assert cli.main(["run", str(data), "--engine", engine, "--out", str(tmp_path / engine),
                     "--compute", "describe", "--no-plots"]) == 0
    # 4 files × 60 rows, one NA row each dropped: 236 rows whatever the reader
    assert "236 rows x 3 columns (u, v, w)" in capsys.readouterr().out
    assert _summary(tmp_path / engine)["columns"]["w"]["count"] == 236


@pytest.mark.parametrize("engine", ["pyarrow", "dask"])
def test_parquet_data_agree_with_the_csv_run(folder, tmp_path, no_cluster, engine, capsys):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    from numkit.pipeline import read_csv

    pq_dir = tmp_path / "pq"
    pq_dir.mkdir()
    for i in range(4):   # the CSV partitions as Parquet files, NA as null
        t = read_csv(folder / f"part{i}.csv").table
        pq.write_table(pa.table({n: t.column(n) for n in t.names}), pq_dir / f"p{i}.parquet")
    data = pq_dir if engine == "dask" else pq_dir / "p0.parquet"
    assert cli.main(["run", str(data), "--engine", engine, "--out", str(tmp_path / "p"),
                     "--compute", "describe", "--no-plots"]) == 0
    rows = 236 if engine == "dask" else 59
    assert f"{rows} rows x 3 columns (u, v, w)" in capsys.readouterr().out
    csv = folder / ("part*.csv" if engine == "dask" else "part0.csv")
    assert cli.main(["run", str(csv), "--engine", engine, "--out", str(tmp_path / "c"),
                     "--compute", "describe", "--no-plots", "--quiet"]) == 0
    got, want = _summary(tmp_path / "p"), _summary(tmp_path / "c")
    for column, row in want["columns"].items():
        for key, value in row.items():
            assert got["columns"][column][key] == pytest.approx(value, rel=1e-14, abs=1e-300)


def test_bad_partition_exits_1_with_one_line(tmp_path, no_cluster, capsys):
    for i in range(3):
        rows = ["1,2", "3,4"] if i != 1 else ["1,2", "3,4,5"]
        (tmp_path / f"f{i}.csv").write_text("a,b\n" + "\n".join(rows) + "\n")
    code = cli.main(["run", str(tmp_path / "f*.csv"), "--engine", "dask", "--out",
                     str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1
    assert "f1.csv, line 3: expected 2 fields" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("args, match", [
    (["--scheduler", "tcp://127.0.0.1:8786"], "--scheduler needs --engine dask"),
    (["--engine", "spark"], "invalid choice: 'spark'"),
], ids=["scheduler-without-dask", "engine"])
def test_bad_usage_exits_2(folder, tmp_path, args, match, capsys):
    code = cli.main(["run", str(folder / "all" / "all.csv"), "--out", str(tmp_path / "o"),
                     *args])
    assert code == 2 and match in capsys.readouterr().err


def test_engine_dask_without_dask_exits_2(folder, tmp_path, monkeypatch, capsys):
    # None in sys.modules makes ``import distributed`` raise ImportError
    monkeypatch.setitem(sys.modules, "distributed", None)
    code = cli.main(["run", str(folder / "part*.csv"), "--engine", "dask", "--out",
                     str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2
    assert 'needs distributed (not installed): pip install "numkit[dask]"' in err
