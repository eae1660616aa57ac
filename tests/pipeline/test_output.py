"""The output stage: files, their contents, determinism and atomicity."""

import csv
import json
import os

import numpy as np
import pytest

from numkit import datasets
from numkit.pipeline import Pipeline, Table, _output

EPS = np.finfo(np.float64).eps


def longley():
    d = datasets.load_longley()
    return Pipeline(Table(d.names, tuple(np.ascontiguousarray(c) for c in d.data.T))), d


def snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_files_and_json_keys(tmp_path):
    p, d = longley()
    out = tmp_path / "a" / "b"
    r = p.compute("describe", "covariance", "correlation", "pca").output(out, ("json", "csv", "png"))
    names = sorted(os.listdir(out))
    assert names == sorted(["summary.json", "report.json", "covariance.csv", "correlation.csv",
                            "pca.json", "correlation.png", "scatter_matrix.png", "pca_scree.png",
                            *(f"histogram_{n}.png" for n in d.names)])
    assert sorted(os.path.basename(f) for f in r.files) == names
    summary = json.loads((out / "summary.json").read_text())
    assert summary["rows"] == 16
    assert set(summary["columns"]["gnp"]) == {"count", "mean", "std", "min", "q1", "median",
                                              "q3", "max"}
    for j, name in enumerate(d.names):
        col = d.data[:, j]
        s = summary["columns"][name]
        assert s["mean"] == pytest.approx(col.mean(), abs=16 * EPS * abs(col).max())
        assert s["std"] == pytest.approx(col.std(ddof=1), rel=1e-12)
        assert s["q1"] == pytest.approx(np.quantile(col, 0.25), rel=4 * EPS)
    report = json.loads((out / "report.json").read_text())
    assert [s["stage"] for s in report["stages"]] == ["matrix", "compute", "output"]
    assert report["stages"][-1]["files"][-1] == "report.json"
    pca = json.loads((out / "pca.json").read_text())
    assert set(pca) == {"columns", "rows", "variances", "explained_variance_ratio", "vectors",
                        "scale"}
    assert pca["scale"] == "covariance"
    assert np.array(pca["vectors"]).shape == (7, 7)
    assert sum(pca["explained_variance_ratio"]) == pytest.approx(1.0)
    for png in out.glob("*.png"):
        assert png.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize("name, oracle", [
    ("covariance", lambda x: np.cov(x, rowvar=False)),
    ("correlation", lambda x: np.corrcoef(x, rowvar=False)),
], ids=["covariance", "correlation"])
def test_matrix_csv_against_numpy(tmp_path, name, oracle):
    p, d = longley()
    p.compute(name).output(tmp_path, ("csv",))
    rows = list(csv.reader((tmp_path / f"{name}.csv").open()))
    assert rows[0] == ["", *d.names] and [r[0] for r in rows[1:]] == list(d.names)
    got = np.array([[float(v) for v in r[1:]] for r in rows[1:]])
    want = oracle(d.data)
    # Longley's columns are nearly collinear; 16 rows · eps relative to the largest entry
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=16 * 16 * EPS * abs(want).max())
    # describe was computed for summary.json only if json was asked for
    assert not (tmp_path / "summary.json").exists()


def test_describe_computed_when_absent_and_nan_becomes_null(tmp_path):
    t = Table(("a", "b"), (np.array([1.0, 2.0, np.nan]), np.array([np.nan] * 3)))
    Pipeline(t).matrix().compute("quantiles").output(tmp_path, ("json",))
    s = json.loads((tmp_path / "summary.json").read_text())["columns"]
    assert s["a"]["count"] == 2 and s["a"]["mean"] == 1.5
    assert s["b"]["count"] == 0 and s["b"]["mean"] is None


def test_svg_and_deterministic(tmp_path):
    p, _ = longley()
    q = p.matrix(columns=["gnp", "year"]).compute("describe", "correlation", "pca")
    q.output(tmp_path / "one", ("svg",))
    q.output(tmp_path / "two", ("svg",))
    one, two = snapshot(tmp_path / "one"), snapshot(tmp_path / "two")
    assert one.keys() == two.keys() and "correlation.svg" in one
    assert one["correlation.svg"].startswith(b"<?xml")
    assert all(one[k] == two[k] for k in one if k.endswith(".svg"))


def test_unknown_format(tmp_path):
    p, _ = longley()
    with pytest.raises(ValueError, match=r"unknown format\(s\) 'pdf'; choose from json, csv, png, svg"):
        p.compute("describe").output(tmp_path / "x", ("json", "pdf"))
    assert not (tmp_path / "x").exists()


# -- atomicity ---------------------------------------------------------------------


def existing(tmp_path):
    out = tmp_path / "report"
    out.mkdir()
    (out / "summary.json").write_text("old summary")
    (out / "keep.txt").write_text("mine")
    return out


def test_failing_callable_leaves_folder_as_it_was(tmp_path):
    out = existing(tmp_path)
    before = snapshot(out)

    def explode(dense, names):
        raise ValueError("boom")

    p, _ = longley()
    with pytest.raises(ValueError, match="boom"):
        p.compute("describe", explode).output(out)
    assert snapshot(out) == before


@pytest.mark.parametrize("fresh", [False, True], ids=["existing-folder", "new-folder"])
def test_plot_failure_removes_temporaries(tmp_path, monkeypatch, fresh):
    out = tmp_path / "new" / "deeper" if fresh else existing(tmp_path)
    before = None if fresh else snapshot(out)
    calls = []

    def failing_plot(name, col, fmt):
        calls.append(sorted(os.listdir(out)))  # temporaries of earlier files exist now
        raise RuntimeError("renderer broke")

    monkeypatch.setattr(_output, "_histogram_plot", failing_plot)
    p, _ = longley()
    with pytest.raises(RuntimeError, match="renderer broke"):
        p.compute("describe", "correlation", "pca").output(out, ("json", "csv", "png"))
    assert any(n.startswith(".numkit-") for n in calls[0])
    if fresh:
        assert not (tmp_path / "new").exists()
    else:
        assert snapshot(out) == before


def test_rename_failure_restores_replaced_files(tmp_path, monkeypatch):
    out = existing(tmp_path)
    before = snapshot(out)
    real = os.replace
    count = {"n": 0}

    def flaky(src, dst):
        count["n"] += 1
        if count["n"] == 4:
            raise OSError("disk full")
        return real(src, dst)

    monkeypatch.setattr(_output.os, "replace", flaky)
    p, _ = longley()
    with pytest.raises(OSError, match="disk full"):
        p.compute("describe", "correlation").output(out, ("json", "csv"))
    monkeypatch.setattr(_output.os, "replace", real)
    assert snapshot(out) == before


def test_written_files_have_ordinary_permissions(tmp_path):
    p, _ = longley()
    r = p.compute("describe").output(tmp_path, ("json",))
    mask = os.umask(0)
    os.umask(mask)
    for f in r.files:
        assert os.stat(f).st_mode & 0o777 == 0o666 & ~mask
