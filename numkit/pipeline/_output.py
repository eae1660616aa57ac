"""The output stage: JSON, CSV and plot files written all-or-nothing.

Every file is first written under a temporary name (``.numkit-*.tmp``) in the target
folder, so the final renames stay on one file system; only when every file was
written are they renamed into place. Files they replace are set aside first and put
back if a rename fails, and a folder this stage created is removed again, so a
failure leaves the folder as it was.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from numkit.dask import is_dask_array
from numkit.mat import Dense

__all__ = ["FORMATS", "write_outputs"]

FORMATS = ("json", "csv", "png", "svg")
_POINTS_PER_INCH = 72.0
# a scatter matrix of more columns than this is unreadable at any size
_MAX_SCATTER_COLUMNS = 8
_MAX_HISTOGRAM_BINS = 100


def _plain(obj: Any) -> Any:
    """``obj`` with numpy scalars/arrays and matrices turned into JSON values
    (NaN and ±inf become null)."""
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    if isinstance(obj, Dense) or (hasattr(obj, "__array__") and not isinstance(obj, np.generic)):
        return _plain(np.asarray(obj).tolist())
    if isinstance(obj, np.generic):
        obj = obj.item()
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if obj is None or isinstance(obj, bool | int | float | str):
        return obj
    return repr(obj)


def _json(obj: Any) -> bytes:
    return (json.dumps(_plain(obj), indent=2, allow_nan=False) + "\n").encode("utf-8")


def _matrix_csv(names: Sequence[str], matrix: Any) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["", *names])
    for name, row in zip(names, np.asarray(matrix), strict=True):
        writer.writerow([name, *(repr(float(v)) for v in row)])
    return buf.getvalue().encode("utf-8")


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("._") or "column"


# -- plots -------------------------------------------------------------------------


def _histogram_plot(name: str, col: np.ndarray, fmt: str) -> bytes:
    from numkit.plot import Plot
    from numkit.plot.plotter import Histogram

    p = Plot()
    p.title.text = name
    p.x.label.text = name
    p.y.label.text = "count"
    bins = max(1, min(_MAX_HISTOGRAM_BINS, math.ceil(math.sqrt(col.shape[0]))))
    p.add(Histogram(col, bins=bins))
    return p.writer_to(4 * _POINTS_PER_INCH, 3 * _POINTS_PER_INCH, fmt)


def _heat_map_plot(names: Sequence[str], corr: np.ndarray, fmt: str) -> bytes:
    from numkit.plot import Plot, draw, palette
    from numkit.plot.align import align
    from numkit.plot.plotter import ColorBar, HeatMap

    colors = palette.smooth_blue_red()
    heat = Plot()
    heat.title.text = "correlation"
    # row 0 of the matrix at the top, as it is printed
    heat.add(HeatMap(np.nan_to_num(corr[::-1], nan=0.0), colors, min=-1.0, max=1.0))
    heat.nominal_x(*names)
    heat.nominal_y(*reversed(names))
    heat.x.tick.label.rotation = 90.0  # long names side by side would overlap
    bar = Plot()
    bar.add(ColorBar(colors, vertical=True, min=-1.0, max=1.0))
    bar.hide_x()
    width, height = 7 * _POINTS_PER_INCH, 5.5 * _POINTS_PER_INCH
    tiled = align(draw.Tiles(rows=1, cols=2, pad_x=12), [[heat, bar]], width, height)
    # Tiles are equal; give the colour bar a narrow strip beside the map
    (hx, hy, hw, hh) = tiled.axes[0][0].get_position().bounds
    (bx, _, bw, _) = tiled.axes[0][1].get_position().bounds
    right = bx + bw
    strip = 0.04
    lift = 0.06  # room below the map for the rotated column names
    tiled.axes[0][1].set_position([right - strip, hy + lift, strip, hh - lift])
    tiled.axes[0][0].set_position([hx, hy + lift, right - strip - 0.1 - hx, hh - lift])
    return tiled.writer_to(fmt)


def _scatter_matrix_plot(names: Sequence[str], values: np.ndarray, fmt: str) -> bytes:
    from numkit.plot.plotter import ScatterMatrix

    side = max(6.0, 1.1 * len(names)) * _POINTS_PER_INCH
    return ScatterMatrix(values, names=list(names)).writer_to(side, side, fmt)


def _scree_plot(ratio: np.ndarray, fmt: str) -> bytes:
    from numkit.plot import Plot
    from numkit.plot.plotter import LinePoints

    p = Plot()
    p.title.text = "PCA scree"
    p.x.label.text = "component"
    p.y.label.text = "explained variance ratio"
    k = np.arange(1, ratio.shape[0] + 1, dtype=np.float64)
    p.add(LinePoints(np.column_stack([k, ratio])))
    p.y.min = 0.0
    return p.writer_to(4 * _POINTS_PER_INCH, 3 * _POINTS_PER_INCH, fmt)


# -- what to write -----------------------------------------------------------------


def _files(pipeline: Any, results: dict, formats: tuple[str, ...],
           notes: list[str]) -> Iterator[tuple[str, Callable[[], bytes]]]:
    """(file name, producer of its bytes) for every output, in writing order."""
    names = tuple(pipeline.names)
    values = np.asarray(pipeline.dense)
    if "json" in formats:
        yield "summary.json", lambda: _json({"rows": int(values.shape[0]),
                                             "columns": results["describe"]})
        if "pca" in results:
            pca = results["pca"]
            yield "pca.json", lambda: _json({
                "columns": list(pca["names"]), "rows": pca["rows"],
                "variances": pca["variances"],
                "explained_variance_ratio": pca["explained_variance_ratio"],
                "scale": pca.get("scale", "covariance"),
                "vectors": pca["vectors"]})
        if "regression" in results:
            yield "regression.json", lambda: _json(results["regression"])
    if "csv" in formats:
        for key in ("covariance", "correlation"):
            if key in results:
                r = results[key]
                yield f"{key}.csv", lambda r=r: _matrix_csv(r["names"], r["matrix"])
    for fmt in (f for f in ("png", "svg") if f in formats):
        used: set[str] = set()
        for j, name in enumerate(names):
            col = values[:, j]
            col = col[np.isfinite(col)]
            if col.shape[0] == 0:
                notes.append(f"no histogram of {name!r}: no finite values")
                continue
            stem = f"histogram_{_safe(name)}"
            if stem in used:
                stem = f"{stem}_{j}"
            used.add(stem)
            yield f"{stem}.{fmt}", lambda n=name, c=col, f=fmt: _histogram_plot(n, c, f)
        if "correlation" in results and len(names) >= 1:
            r = results["correlation"]
            yield f"correlation.{fmt}", lambda r=r, f=fmt: _heat_map_plot(
                r["names"], np.asarray(r["matrix"]), f)
        complete = values[np.isfinite(values).all(axis=1)]
        shown = names[:_MAX_SCATTER_COLUMNS]
        if len(shown) >= 2 and complete.shape[0] > 0:
            if len(names) > len(shown):
                notes.append(f"scatter matrix shows the first {len(shown)} of {len(names)} "
                             f"columns")
            yield f"scatter_matrix.{fmt}", lambda f=fmt, s=shown, c=complete: _scatter_matrix_plot(
                s, c[:, :len(s)], f)
        if "pca" in results:
            ratio = np.asarray(results["pca"]["explained_variance_ratio"])
            yield f"pca_scree.{fmt}", lambda f=fmt, r=ratio: _scree_plot(r, f)


# -- writing -----------------------------------------------------------------------


def _make_directory(directory: Path) -> list[Path]:
    """Create ``directory`` and missing parents; return those created, deepest last."""
    missing = []
    d = directory
    while not d.exists():
        missing.append(d)
        d = d.parent
    directory.mkdir(parents=True, exist_ok=True)
    return missing[::-1]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write_temp(directory: Path, data: bytes, mode: int) -> Path:
    fd, name = tempfile.mkstemp(prefix=".numkit-", suffix=".tmp", dir=directory)
    try:
        # mkstemp makes the file private (0600); give it the mode open() would
        os.chmod(name, mode)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
    return Path(name)


def _commit(pending: list[tuple[Path, Path]]) -> None:
    """Rename every temporary into place; on failure undo the renames done."""
    directory = pending[0][1].parent
    done: list[tuple[Path, Path | None]] = []  # (target, its set-aside previous version)
    try:
        for temp, target in pending:
            backup = None
            if target.exists():
                backup = Path(tempfile.mkstemp(prefix=".numkit-", suffix=".old",
                                               dir=directory)[1])
                os.replace(target, backup)
            done.append((target, backup))
            os.replace(temp, target)
    except BaseException:
        for target, backup in reversed(done):
            with contextlib.suppress(OSError):
                if backup is not None:
                    os.replace(backup, target)
                elif target.exists():
                    os.unlink(target)
        raise
    for _, backup in done:
        if backup is not None:
            with contextlib.suppress(OSError):
                os.unlink(backup)


def write_outputs(directory: str | os.PathLike[str], pipeline: Any,
                  formats: Sequence[str]) -> tuple[list[str], dict]:
    """Write the pipeline's results into ``directory``, all files or none.

    Parameters
    ----------
    directory : str or path
        The target folder, created (with its parents) if missing.
    pipeline : Pipeline
        A pipeline with a matrix; ``describe`` is computed if it is not among its
        results (``summary.json`` needs it).
    formats : sequence of str
        Any of ``"json"`` (``summary.json``, ``pca.json`` and ``regression.json``
        when computed), ``"csv"`` (``covariance.csv``, ``correlation.csv`` when
        computed), ``"png"``/``"svg"`` (per-column histograms, the correlation heat
        map with its colour bar when correlation was computed, the scatter matrix of
        the complete rows, the PCA scree plot when PCA was computed).
        ``report.json`` — the report including this stage — is always written.

    Returns
    -------
    paths : list of str
        The files written, in writing order.
    entry : dict
        The report entry: the folder, the file names, the formats and notes on what
        was left out.

    Raises
    ------
    ValueError
        An unknown format (the message lists the choices).
    OSError
        The folder cannot be created or written; nothing is left behind.
    Exception
        Whatever a computation or a plot raised; nothing is left behind.

    Examples
    --------
    >>> import tempfile, numpy as np
    >>> from numkit.pipeline import Pipeline, Table
    >>> t = Table(("a", "b"), (np.array([1.0, 2.0, 4.0]), np.array([2.0, 3.0, 1.0])))
    >>> p = Pipeline(t).compute("describe", "correlation")
    >>> with tempfile.TemporaryDirectory() as d:
    ...     paths, entry = write_outputs(d, p, ("json", "csv"))
    >>> entry["files"]
    ['summary.json', 'correlation.csv', 'report.json']
    """
    import time

    start = time.perf_counter()
    formats = tuple(str(f).lower() for f in formats)
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise ValueError(f"output: unknown format(s) {', '.join(map(repr, bad))}; choose from "
                         f"{', '.join(FORMATS)}")
    if pipeline.dense is None:
        pipeline = pipeline.matrix()
    results = dict(pipeline.results)
    if "describe" not in results:
        from numkit.pipeline._compute import compute

        results.update(compute(pipeline.dense, pipeline.names, ("describe",))[0])
    target = Path(directory)
    created = _make_directory(target)
    pending: list[tuple[Path, Path]] = []
    notes: list[str] = []
    mode = 0o666 & ~_umask()
    files = _files
    if is_dask_array(pipeline.dense):
        from numkit.pipeline._dask import dask_files as files
    try:
        for name, produce in files(pipeline, results, formats, notes):
            pending.append((_write_temp(target, produce(), mode), target / name))
        written = [t.name for _, t in pending] + ["report.json"]
        entry = {"directory": str(target), "formats": list(formats), "files": written,
                 "notes": notes}
        report = pipeline.report()
        report["stages"].append({"stage": "output", **entry,
                                 "seconds": round(time.perf_counter() - start, 6)})
        pending.append((_write_temp(target, _json(report), mode), target / "report.json"))
        _commit(pending)
    except BaseException:
        for temp, _ in pending:
            with contextlib.suppress(OSError):
                temp.unlink()
        for d in reversed(created):
            with contextlib.suppress(OSError):
                d.rmdir()
        raise
    return [str(t) for _, t in pending], entry
