"""The numkit command: exit codes, messages and files, through a real subprocess."""

import json
import subprocess
import sys

import numpy as np
import pytest

from numkit import __version__
from numkit.cli import main


def numkit(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "numkit", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, timeout=120)


@pytest.fixture
def data(tmp_path):
    rng = np.random.default_rng(7)
    x = rng.normal(size=(40, 3)) @ np.array([[1.0, 0.5, 0.0], [0.0, 1.0, 0.3], [0.0, 0.0, 1.0]])
    lines = ["height,weight,age,name"]
    lines += [f"{a:.17g},{b:.17g},{c:.17g},n{i}" for i, (a, b, c) in enumerate(x)]
    lines[5] = "NA," + lines[5].split(",", 1)[1]      # one missing value, row of file line 6
    lines[9] = ",".join(lines[9].split(",")[:2] + ["99", "n8"])  # an outlier in age
    path = tmp_path / "data.csv"
    path.write_text("\n".join(lines) + "\n")
    return path, x


def test_demo_writes_the_report(tmp_path):
    r = numkit("demo", "--out", tmp_path / "demo")
    assert r.returncode == 0, r.stderr
    assert "16 rows x 7 columns" in r.stdout and "wrote 15 files" in r.stdout
    out = tmp_path / "demo"
    reg = json.loads((out / "regression.json").read_text())
    assert reg["target"] == "employment"
    assert reg["r_squared"] == pytest.approx(0.995479004577296, rel=1e-10)  # NIST certified
    for name in ("summary.json", "report.json", "correlation.csv", "pca.json",
                 "correlation.png", "scatter_matrix.png", "pca_scree.png"):
        assert (out / name).stat().st_size > 0


def test_run_with_options_in_process(data, tmp_path, capsys):
    path, x = data
    out = tmp_path / "r"
    code = main(["run", str(path), "--out", str(out), "--columns", "height,weight,age",
                 "--missing", "drop_rows", "--outliers", "zscore:4",
                 "--compute", "describe,covariance,regression", "--no-plots", "--quiet"])
    assert code == 0 and capsys.readouterr().out == ""
    summary = json.loads((out / "summary.json").read_text())["columns"]
    # row of line 6 dropped for NA, the age-99 row for its z-score: 38 rows left
    keep = np.ones(40, bool)
    keep[[4, 8]] = False  # data rows 4 and 8 (file lines 6 and 10)
    assert summary["weight"]["count"] == 38
    assert summary["weight"]["mean"] == pytest.approx(x[keep, 1].mean(), rel=1e-13)
    reg = json.loads((out / "regression.json").read_text())
    assert reg["target"] == "age" and set(reg["params"]) == {"intercept", "height", "weight"}
    assert sorted(p.name for p in out.iterdir()) == ["covariance.csv", "regression.json",
                                                     "report.json", "summary.json"]


def test_run_prints_summary_and_svg(data, tmp_path):
    path, _ = data
    r = numkit("run", path, "--out", tmp_path / "s", "--compute", "describe", "--format", "svg")
    assert r.returncode == 0, r.stderr
    assert "39 rows x 3 columns (height, weight, age)" in r.stdout
    assert (tmp_path / "s" / "histogram_age.svg").read_bytes().startswith(b"<?xml")


def test_version_and_help():
    r = numkit("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"numkit {__version__}"
    r = numkit("--help")
    assert r.returncode == 0 and "run" in r.stdout and "demo" in r.stdout


@pytest.mark.parametrize("args, match", [
    (["run", "x.csv", "--out", "o", "--missing", "bogus"], "argument --missing: invalid choice: 'bogus'"),
    (["run", "x.csv", "--out", "o", "--outliers", "zscore"], "expected zscore:K or iqr:K"),
    (["run", "x.csv", "--out", "o", "--outliers", "iqr:-1"], "must be positive"),
    (["run", "x.csv", "--out", "o", "--compute", "describe,mode"], "unknown computation"),
    (["run", "x.csv"], "the following arguments are required: --out"),
    ([], "required: COMMAND"),
], ids=["missing", "outliers-form", "outliers-k", "compute", "no-out", "no-command"])
def test_bad_usage_exits_2(args, match, capsys):
    assert main(args) == 2
    assert match in capsys.readouterr().err


def test_bad_usage_exits_2_as_a_process(tmp_path):
    r = numkit("run", "x.csv", "--out", tmp_path, "--missing", "bogus")
    assert r.returncode == 2 and "invalid choice" in r.stderr


@pytest.mark.parametrize("content, extra, match", [
    (None, [], r"nope\.csv: no such file"),
    ("a,b\n1,2\n3\n", [], r"data\.csv, line 3: expected 2 fields"),
    ("a,b\n1,x\n3,y\n", ["--columns", "a,b"], r"data\.csv, line 2, column b: column 'b' is not numeric"),
    ("a,b\n1,2\n3,4\n", ["--columns", "a,q"], r"no column 'q'.*the columns are a, b"),
], ids=["missing-file", "ragged", "text-column", "unknown-column"])
def test_bad_data_exits_1_with_one_line(tmp_path, content, extra, match):
    path = tmp_path / ("nope.csv" if content is None else "data.csv")
    if content is not None:
        path.write_text(content)
    r = numkit("run", path, "--out", tmp_path / "out", *extra)
    assert r.returncode == 1
    assert r.stdout == "" and "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("numkit: error: ")
    import re
    assert re.search(match, lines[0]), lines[0]
    assert not (tmp_path / "out").exists()


def test_run_on_a_parquet_file_agrees_with_the_csv(data, tmp_path, capsys):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    from numkit.pipeline import read_csv

    path, _ = data
    t = read_csv(path).table
    pq.write_table(pa.table({n: t.column(n) for n in t.names}), tmp_path / "data.parquet")
    for source, out in ((tmp_path / "data.parquet", "p"), (path, "c")):
        assert main(["run", str(source), "--out", str(tmp_path / out), "--compute",
                     "describe,correlation", "--no-plots", "--quiet"]) == 0
    got = json.loads((tmp_path / "p" / "summary.json").read_text())["columns"]
    want = json.loads((tmp_path / "c" / "summary.json").read_text())["columns"]
    assert got["age"]["count"] == 39                 # the NA row dropped, as from the CSV
    for column, row in want.items():
        for key, value in row.items():
            assert got[column][key] == pytest.approx(value, rel=1e-14, abs=1e-300)


def test_run_on_a_corrupt_parquet_file_exits_1(tmp_path):
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"PAR1 not really parquet PAR1")
    r = numkit("run", bad, "--out", tmp_path / "out")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "bad.parquet: not a readable Parquet file" in r.stderr
    assert not (tmp_path / "out").exists()
