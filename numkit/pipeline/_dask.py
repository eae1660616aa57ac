"""The pipeline on Dask: ``clean → matrix → compute → output`` partition by partition,
for data larger than memory, with the results of the in-memory pipeline.

A dask source (:func:`read_csv_dask`, :func:`read_parquet_dask`) gives a
:class:`Pipeline` holding a :class:`DaskTable`: the column names and kinds, one
``dask.delayed`` :class:`~numkit.pipeline._table.Table` per partition (a CSV file, a
Parquet row group) and each partition's row count. Every stage keeps the partitions
lazy and computes only small things eagerly — counts, per-column statistics,
p×p matrices — so no task holds more than one partition and the client never holds
the data. Each pass re-reads the files (nothing is persisted), so the data may exceed
the cluster's memory.

Same answers as in memory
-------------------------
- **Reading.** Each CSV file is read by :func:`numkit.pipeline.read_csv` itself (the
  same header, NA tokens, quoting and number syntax), with the delimiter sniffed once
  from the first file. A column is numeric when it is numeric in every file, as it
  would be in the files' concatenation; every file's header must equal the first's.
  Parquet row groups are converted as :func:`numkit.pipeline.read_parquet` converts.
- **Clean.** The in-memory order and rules (those of ``numkit._kernels._clean``) per
  partition, with global statistics from a pass first: fill means and z-score
  statistics from merged :class:`numkit.stat.Moments`, medians and quartiles from
  :func:`numkit.dask.median`/:func:`numkit.dask.quantile` (exact). ``duplicates="drop"``
  is refused: exact global de-duplication needs every row compared with all earlier
  rows of every partition (a shuffle), which this engine does not do.
- **Compute.** ``describe``: merged ``Moments`` (count, mean, std, min, max) and exact
  quartiles; ``covariance``/``correlation``: merged
  :class:`numkit.stat.CovarianceAccumulator` (Chan et al.) over the rows without NaN;
  ``pca`` and ``regression``: a TSQR pass — each partition's complete rows
  ``[1, X - c]`` (``c`` the column means, so the R factor keeps the digits of the
  centred data) are reduced to a (p+1)×(p+1) R factor by Householder QR, R factors
  are stacked and factorised again up a tree; PCA is the SVD of the trailing p×p block
  of R (the R factor of the centred data), regression solves with R (never the normal
  equations). ``histogram``/``quantiles``: :func:`numkit.dask.histogram` and
  :func:`numkit.dask.quantile`. Results agree with memory to ~1e-12 relative
  (quantiles and counts exactly); PCA directions agree up to sign.
- **Output.** The same files: histograms from the dask histogram counts (the same
  bins as in memory); the scatter matrix from a uniform random sample of at most
  :data:`SCATTER_SAMPLE` complete rows (seed 0; all rows, hence the in-memory plot,
  when there are fewer).
"""

from __future__ import annotations

import dataclasses
import glob
import math
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, ClassVar

import numpy as np

from numkit import stat
from numkit.errors import DataError
from numkit.pipeline._sources import NA_VALUES
from numkit.pipeline._stage import Pipeline
from numkit.pipeline._table import Table

__all__ = ["DaskTable", "SCATTER_SAMPLE", "clean_dask", "compute_dask", "dask_files",
           "matrix_dask", "read_csv_dask", "read_parquet_dask"]

DASK_EXTRA = 'pip install "numkit[dask]"'
# rows shown in the scatter matrix: beyond a few thousand points the panels saturate
SCATTER_SAMPLE = 2000
SCATTER_SEED = 0
# partials per combine task (as numkit.dask): a shallow tree of cheap merges
_SPLIT_EVERY = 8
_GLOB_CHARS = "*?["


def _dask():
    try:
        import dask
        import dask.array  # noqa: F401
    except ImportError:
        raise ImportError(f"the dask engine needs dask: {DASK_EXTRA}") from None
    return dask


@dataclasses.dataclass(frozen=True)
class DaskTable:
    """A table split into lazily read partitions.

    Attributes
    ----------
    names : tuple of str
        The column names.
    numeric : tuple of bool
        Whether each column is numeric in every partition.
    parts : tuple of dask.delayed.Delayed
        One delayed :class:`~numkit.pipeline._table.Table` per partition (its ``path``
        and ``lines`` locate bad data).
    rows : tuple of int
        Each partition's row count.
    path : str
        The file, folder or glob given.
    files : tuple of str
        The files matched.
    reader : str
        ``"dask-csv"`` or ``"dask-parquet"``.
    """

    is_dask: ClassVar[bool] = True

    names: tuple[str, ...]
    numeric: tuple[bool, ...]
    parts: tuple[Any, ...]
    rows: tuple[int, ...]
    path: str
    files: tuple[str, ...]
    reader: str

    @property
    def n_rows(self) -> int:
        return int(sum(self.rows))

    def is_numeric(self, i: int) -> bool:
        return self.numeric[i]

    def numeric_names(self) -> tuple[str, ...]:
        return tuple(n for n, num in zip(self.names, self.numeric, strict=True) if num)

    def source_info(self) -> dict:
        return {"path": self.path, "reader": self.reader, "rows": self.n_rows,
                "columns": len(self.names), "files": len(self.files),
                "partitions": len(self.parts)}


# -- helpers run inside tasks --------------------------------------------------------


def _tree(parts: Sequence, combine: Callable):
    """Merge delayed partials by a tree of ``combine(*partials)`` tasks in order."""
    import dask

    parts = list(parts)
    while len(parts) > 1:
        parts = [dask.delayed(combine, pure=True)(*parts[i:i + _SPLIT_EVERY])
                 for i in range(0, len(parts), _SPLIT_EVERY)]
    return parts[0]


def _compute(*objs):
    import dask

    return dask.compute(*objs)


def _block(table: Table) -> np.ndarray:
    """The (numeric) columns of a partition as a C-ordered ``(n, p)`` array (a copy)."""
    data = np.empty((table.n_rows, len(table.columns)), dtype=np.float64)
    for j, column in enumerate(table.columns):
        data[:, j] = column
    return data


def _with_data(table: Table, names, data: np.ndarray, keep: np.ndarray | None) -> Table:
    lines = table.lines
    if keep is not None and lines is not None:
        lines = lines[keep]
    return Table(names=tuple(names),
                 columns=tuple(np.ascontiguousarray(data[:, j]) for j in range(data.shape[1])),
                 path=table.path, lines=lines, reader=table.reader)


def _compact(table: Table, names, data: np.ndarray, keep: np.ndarray) -> Table:
    if keep.all():
        return _with_data(table, names, data, None)
    return _with_data(table, names, data[keep], keep)


def _new_moments(p: int) -> list:
    return [stat.Moments() for _ in range(p)]


def _part_moments(table: Table, finite: bool) -> list:
    """Per column ``Moments`` of the values that are not NaN (nor ±inf if ``finite``)."""
    out = _new_moments(len(table.columns))
    for m, column in zip(out, table.columns, strict=True):
        values = column[np.isfinite(column)] if finite else column
        if values.shape[0]:
            m.update(values, nan_policy="omit")
    return out


def _merge_moments(*parts):
    out = _new_moments(len(parts[0]))
    for part in parts:
        for m, other in zip(out, part, strict=True):
            if other.n > 0:
                m.merge(other)
    return out


def _moments_pass(table: DaskTable, finite: bool) -> list:
    import dask

    parts = [dask.delayed(_part_moments, pure=True)(part, finite) for part in table.parts]
    return _compute(_tree(parts, _merge_moments))[0]


def _column_of(table: Table, j: int, finite: bool) -> np.ndarray:
    column = np.array(table.columns[j], dtype=np.float64)
    if finite:
        column[np.isinf(column)] = np.nan
    return column


def _column_array(table: DaskTable, j: int, finite: bool = True):
    """Column ``j`` as a 1-D dask array chunked by partition (±inf as NaN if ``finite``)."""
    import dask
    import dask.array as da

    blocks = [da.from_delayed(dask.delayed(_column_of, pure=True)(part, j, finite), (n,),
                              dtype=np.float64) for part, n in zip(table.parts, table.rows,
                                                                   strict=True)]
    return da.concatenate(blocks) if len(blocks) > 1 else blocks[0]


def _first_row(keys: Sequence) -> Any:
    return next((k for k in keys if k is not None), None)


# -- reading -------------------------------------------------------------------------


def _expand(path, kind: str, suffixes: tuple[str, ...]) -> tuple[str, list[str]]:
    text = os.fspath(path)
    if any(c in text for c in _GLOB_CHARS):
        files = sorted(f for f in glob.glob(text, recursive=True) if os.path.isfile(f))
        if not files:
            raise DataError(f"no {kind} file matches the pattern", path=text)
        return text, files
    if os.path.isdir(text):
        files = sorted(f for f in glob.glob(os.path.join(text, "**", "*"), recursive=True)
                       if os.path.isfile(f) and f.lower().endswith(suffixes))
        if not files:
            raise DataError(f"the folder holds no {kind} file ({', '.join(suffixes)})",
                            path=text)
        return text, files
    if not os.path.exists(text):
        raise DataError("no such file", path=text)
    return text, [text]


def _read_csv_part(path: str, delimiter: str, na: tuple[str, ...],
                   columns: Sequence[str] | None) -> Table:
    from numkit.pipeline._sources import read_csv

    return read_csv(path, delimiter=delimiter, na_values=na, columns=columns).table


def _layout(table: Table) -> tuple[tuple[str, ...], tuple[bool, ...], int]:
    return (table.names, tuple(table.is_numeric(i) for i in range(len(table.names))),
            table.n_rows)


def _assemble(pattern: str, files: Sequence[str], parts: list, layouts: list,
              owners: Sequence[str], reader: str) -> Pipeline:
    names = layouts[0][0]
    numeric = [True] * len(names)
    for owner, (these, kinds, _) in zip(owners, layouts, strict=True):
        if these != names:
            raise DataError(f"the columns ({', '.join(these)}) differ from those of "
                            f"{owners[0]} ({', '.join(names)}); every file needs the same "
                            f"header (or give delimiter= if it was sniffed wrongly)",
                            path=owner)
        numeric = [a and b for a, b in zip(numeric, kinds, strict=True)]
    return Pipeline(DaskTable(names=tuple(names), numeric=tuple(numeric), parts=tuple(parts),
                              rows=tuple(int(n) for _, _, n in layouts), path=pattern,
                              files=tuple(files), reader=reader))


def read_csv_dask(path: str | os.PathLike, delimiter: str | None = None,
                  na_values: Iterable[str] = NA_VALUES,
                  columns: Sequence[str] | None = None) -> Pipeline:
    """Read CSV files (a file, a folder of ``*.csv``, or a glob) as a dask pipeline,
    one partition per file.

    Parameters
    ----------
    path : str or path-like
        A file, a folder (its ``*.csv`` files, recursively) or a glob such as
        ``"data/*.csv"``; files are taken in sorted order.
    delimiter : str, optional
        One character; by default sniffed from the first file as
        :func:`numkit.pipeline.read_csv` sniffs.
    na_values : iterable of str
        Fields meaning "missing" (as :func:`numkit.pipeline.read_csv`).
    columns : sequence of str, optional
        Keep only these columns, in this order.

    Returns
    -------
    Pipeline
        Holding a :class:`DaskTable`; the files were read once (in tasks) for their
        headers, column kinds and row counts.

    Raises
    ------
    DataError
        No file matches; a file is missing, empty, not UTF-8, ragged (the message
        names the file and line) or has a header unlike the first file's.
    ValueError
        A bad ``delimiter``, or a column in ``columns`` that a file lacks.
    ImportError
        dask is not installed (the message names the ``dask`` extra).

    Notes
    -----
    Each file is read by :func:`numkit.pipeline.read_csv` inside a task, so the
    semantics (header row, NA tokens, quoting, numeric or text) are the in-memory
    reader's; a column is numeric when it is numeric in every file. One file is one
    partition: split files larger than a worker's memory.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.csv").write_text("x,y\\n1,2\\n3,NA\\n")
    >>> _ = (d / "b.csv").write_text("x,y\\n5,6\\n")
    >>> p = read_csv_dask(str(d / "*.csv"))
    >>> p.table.names, p.table.rows
    (('x', 'y'), (2, 1))
    """
    dask = _dask()
    from numkit.pipeline._sources import _sample, _sniff

    if delimiter is not None and (not isinstance(delimiter, str) or len(delimiter) != 1
                                  or delimiter in "\"\r\n"):
        raise ValueError(f"read_csv: delimiter must be one character (not a quote or a "
                         f"newline); got {delimiter!r}")
    if isinstance(columns, str):
        raise ValueError(f"read_csv: columns must be a sequence of names; got {columns!r}")
    na = tuple(str(v) for v in na_values)
    pattern, files = _expand(path, "CSV", (".csv", ".csv.gz", ".txt", ".tsv"))
    if delimiter is None:
        delimiter = _sniff(_sample(files[0]))
    cols = None if columns is None else tuple(columns)
    parts = [dask.delayed(_read_csv_part, pure=True)(f, delimiter, na, cols) for f in files]
    layouts = list(_compute(*[dask.delayed(_layout, pure=True)(p) for p in parts]))
    return _assemble(pattern, files, parts, layouts, files, "dask-csv")


def _read_parquet_part(path: str, group: int, columns: Sequence[str] | None) -> Table:
    from numkit.pipeline._parquet import ParquetSource
    from numkit.pipeline._sources import parquet_table

    source = ParquetSource(path)
    names = source.names if columns is None else tuple(columns)
    # one thread: dask runs the partitions in parallel already
    return parquet_table(source, group, [source.names.index(n) for n in names], names,
                         threads=1)


def read_parquet_dask(path: str | os.PathLike, columns: Sequence[str] | None = None) -> Pipeline:
    """Read Parquet files (a file, a folder, or a glob) as a dask pipeline, one partition
    per row group.

    Parameters
    ----------
    path : str or path-like
        A file, a folder (its ``*.parquet`` files, recursively) or a glob.
    columns : sequence of str, optional
        Keep only these columns, in this order.

    Returns
    -------
    Pipeline
        Holding a :class:`DaskTable`; only the files' footers were read.

    Raises
    ------
    DataError
        No file matches, a file is not Parquet, or files have different columns.
    ValueError
        A column in ``columns`` that a file lacks.
    ImportError
        dask or pyarrow is not installed.

    Notes
    -----
    Numeric columns (integers, floats, booleans) become float64 with NaN for nulls,
    the others text, as :func:`numkit.pipeline.read_parquet` converts them; the kinds
    come from the schemas.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import pyarrow as pa, pyarrow.parquet as pq
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> pq.write_table(pa.table({"x": [1.0, None, 3.0]}), str(d / "a.parquet"),
    ...                row_group_size=2)
    >>> read_parquet_dask(str(d)).table.rows
    (2, 1)
    """
    dask = _dask()
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise ImportError('read_parquet needs pyarrow: pip install "numkit[io]"') from None
    from numkit.pipeline._parquet import ParquetSource

    if isinstance(columns, str):
        raise ValueError(f"read_parquet: columns must be a sequence of names; got {columns!r}")
    pattern, files = _expand(path, "Parquet", (".parquet", ".parq"))
    cols = None if columns is None else tuple(columns)
    parts, layouts, owners = [], [], []
    for f in files:
        source = ParquetSource(f)
        names = list(source.names)
        if cols is not None:
            unknown = [c for c in cols if c not in names]
            if unknown:
                raise ValueError(f"read_parquet: no column {unknown[0]!r} in {f}; the columns "
                                 f"are {', '.join(names)}")
            names = list(cols)
        kinds = tuple(source.numeric[source.names.index(n)] for n in names)
        for g in range(source.num_row_groups):
            parts.append(dask.delayed(_read_parquet_part, pure=True)(f, g, cols))
            layouts.append((tuple(names), kinds, source.rows(g)))
            owners.append(f)
    if not parts:
        raise DataError("the Parquet files hold no row group", path=pattern)
    return _assemble(pattern, files, parts, layouts, owners, "dask-parquet")


# -- clean ---------------------------------------------------------------------------


def _numeric_part(table: Table, keep: tuple[int, ...]) -> Table:
    return Table(names=tuple(table.names[i] for i in keep),
                 columns=tuple(np.asarray(table.columns[i], dtype=np.float64) for i in keep),
                 path=table.path, lines=table.lines, reader=table.reader)


def _first_text(table: Table, i: int):
    """``(line or row, field)`` of the partition's first field that is not a number."""
    column = table.columns[i]
    if column.dtype == np.float64:
        return None
    for row, field in enumerate(column):
        if field is None:
            continue
        try:
            float(field)
        except (TypeError, ValueError):
            line = int(table.lines[row]) if table.lines is not None else None
            return table.path, line, row, field
    return None


def _missing_scan(table: Table):
    """Rows with a missing (NaN or ±inf) value, and missing values per column."""
    missing = ~np.isfinite(_block(table))
    return int(np.count_nonzero(missing.any(axis=1))), missing.sum(axis=0, dtype=np.int64)


def _drop_missing_rows(table: Table) -> Table:
    data = _block(table)
    return _compact(table, table.names, data, np.isfinite(data).all(axis=1))


def _fill_part(table: Table, keep: tuple[int, ...], fills: np.ndarray) -> Table:
    data = _block(table)[:, list(keep)]
    data = np.where(np.isfinite(data), data, fills)
    return _with_data(table, [table.names[i] for i in keep], data, None)


def _select_part(table: Table, keep: tuple[int, ...]) -> Table:
    return Table(names=tuple(table.names[i] for i in keep),
                 columns=tuple(table.columns[i] for i in keep), path=table.path,
                 lines=table.lines, reader=table.reader)


def _outlier_mask(table: Table, kind: str, k: float, a, b):
    """The data and its outlier flags, by the in-memory kernels' rules
    (``numkit._kernels._clean``): ``|x - mean| / std > k`` where the column's mean and
    std are finite and std > 0, or ``x < low`` or ``x > high``; NaN is never flagged."""
    data = _block(table)
    with np.errstate(invalid="ignore", divide="ignore"):
        if kind == "zscore":
            usable = np.isfinite(a) & np.isfinite(b) & (b > 0.0)
            flags = usable & (np.abs(data - a) / b > k)
        else:
            flags = (data < a) | (data > b)
    return data, flags


def _outlier_scan(table: Table, kind: str, k: float, a, b):
    _, flags = _outlier_mask(table, kind, k, a, b)
    return int(np.count_nonzero(flags.any(axis=1))), flags.sum(axis=0, dtype=np.int64)


def _drop_outliers(table: Table, kind: str, k: float, a, b) -> Table:
    data, flags = _outlier_mask(table, kind, k, a, b)
    return _compact(table, table.names, data, ~flags.any(axis=1))


def _rows_after(table: DaskTable, dropped: list[int]) -> tuple[int, ...]:
    return tuple(n - d for n, d in zip(table.rows, dropped, strict=True))


def clean_dask(table: DaskTable, missing: str = "drop_rows", value: float | None = None,
               non_numeric: str = "drop", outliers: tuple[str, float] | None = None,
               duplicates: str = "keep") -> tuple[DaskTable, dict]:
    """The ``clean`` stage on a :class:`DaskTable` (options and report as
    :func:`numkit.pipeline._clean.clean_table`, rows counted across partitions).

    Raises
    ------
    ValueError
        As in memory, and for ``duplicates="drop"``, which this engine does not do.
    DataError
        ``non_numeric="error"`` and a column holds text (file, line and column named).
    """
    import dask

    from numkit.pipeline._clean import _check_options

    if duplicates == "drop":
        raise ValueError("clean: duplicates='drop' is not available with the dask engine: "
                         "exact de-duplication compares every row with all earlier rows of "
                         "every partition; use duplicates='keep', or read the data in "
                         "memory (engine=None)")
    kind, k = _check_options(missing, value, non_numeric, outliers, duplicates)
    entry: dict = {"rows_in": table.n_rows, "columns_in": len(table.names),
                   "partitions": len(table.parts)}

    # 1. text columns
    text = [i for i in range(len(table.names)) if not table.numeric[i]]
    if text and non_numeric == "error":
        i = text[0]
        name = table.names[i]
        found = _first_row(_compute(*[dask.delayed(_first_text, pure=True)(p, i)
                                      for p in table.parts]))
        path, line, row, field = found if found is not None else (table.path, None, None, None)
        where = f" (row {row})" if line is None and row is not None else ""
        raise DataError(f"column {name!r} is not numeric: {field!r}{where} is not a number"
                        " (use non_numeric='drop' to drop text columns)",
                        path=path, line=line, column=name)
    keep = tuple(i for i in range(len(table.names)) if table.numeric[i])
    entry["non_numeric_columns_dropped"] = [table.names[i] for i in text]
    names = [table.names[i] for i in keep]
    current = DaskTable(names=tuple(names), numeric=(True,) * len(names),
                        parts=tuple(dask.delayed(_numeric_part, pure=True)(p, keep)
                                    for p in table.parts),
                        rows=table.rows, path=table.path, files=table.files,
                        reader=table.reader)

    # 2. missing values
    current, entry["missing"] = _clean_missing(current, missing, value)

    # 3. outliers
    if kind is not None:
        current, entry["outliers"] = _clean_outliers(current, kind, k)
    else:
        entry["outliers"] = None
    entry["duplicate_rows_dropped"] = 0
    entry["rows_out"] = current.n_rows
    entry["columns_out"] = len(current.names)
    return current, entry


def _clean_missing(table: DaskTable, missing: str, value) -> tuple[DaskTable, dict]:
    import dask

    scans = [dask.delayed(_missing_scan, pure=True)(p) for p in table.parts]
    per_part = _compute(*scans)
    counts = np.sum([c for _, c in per_part], axis=0) if per_part else np.zeros(0, np.int64)
    counts = np.asarray(counts, dtype=np.int64).reshape(len(table.names))
    n = table.n_rows
    report = {"strategy": missing, "values_missing": int(counts.sum()), "rows_dropped": 0,
              "columns_dropped": [], "filled": {}}
    names = list(table.names)
    if missing == "drop_rows":
        rows = _rows_after(table, [r for r, _ in per_part])
        report["rows_dropped"] = n - sum(rows)
        return dataclasses.replace(
            table, parts=tuple(dask.delayed(_drop_missing_rows, pure=True)(p)
                               for p in table.parts), rows=rows), report
    keep_cols = counts == 0 if missing == "drop_cols" else (
        counts < n if n > 0 else np.ones(len(names), dtype=bool))
    report["columns_dropped"] = [nm for nm, kept in zip(names, keep_cols, strict=True)
                                 if not kept]
    keep = tuple(int(j) for j in np.flatnonzero(keep_cols))
    kept_names = tuple(names[j] for j in keep)
    needs = [j for j in keep if counts[j]]
    if missing == "drop_cols" or not needs:
        parts = tuple(dask.delayed(_select_part, pure=True)(p, keep) for p in table.parts)
        return dataclasses.replace(table, names=kept_names, numeric=(True,) * len(keep),
                                   parts=parts), report
    fills = np.zeros(len(keep))
    if missing == "fill_value":
        fills[[keep.index(j) for j in needs]] = value
    elif missing == "fill_mean":
        moments = _moments_pass(table, finite=True)
        for j in needs:
            fills[keep.index(j)] = moments[j].mean
    else:
        from numkit import dask as nkd

        for j in needs:
            fills[keep.index(j)] = nkd.median(_column_array(table, j), nan_policy="omit")
    parts = tuple(dask.delayed(_fill_part, pure=True)(p, keep, fills) for p in table.parts)
    report["filled"] = {names[j]: {"value": float(fills[keep.index(j)]), "cells": int(counts[j])}
                        for j in needs}
    return dataclasses.replace(table, names=kept_names, numeric=(True,) * len(keep),
                               parts=parts), report


def _clean_outliers(table: DaskTable, kind: str, k: float) -> tuple[DaskTable, dict]:
    import dask

    p = len(table.names)
    a = np.full(p, np.nan)
    b = np.full(p, np.nan)
    # after the missing step every kept value is finite, so each column has n values
    if kind == "zscore":
        moments = _moments_pass(table, finite=True) if table.n_rows >= 2 else []
        for j, m in enumerate(moments):
            if m.n >= 2:
                a[j], b[j] = m.mean, m.std_dev
    else:
        from numkit import dask as nkd

        a[:], b[:] = -np.inf, np.inf
        for j in range(p):
            if table.n_rows >= 2:
                q1, q3 = nkd.quantile(_column_array(table, j), [0.25, 0.75], kind="linear",
                                      nan_policy="omit")
                a[j] = q1 - k * (q3 - q1)
                b[j] = q3 + k * (q3 - q1)
    per_part = _compute(*[dask.delayed(_outlier_scan, pure=True)(part, kind, k, a, b)
                          for part in table.parts])
    counts = np.sum([c for _, c in per_part], axis=0).reshape(p) if per_part else np.zeros(p)
    rows = _rows_after(table, [r for r, _ in per_part])
    report = {"method": kind, "k": k, "rows_dropped": table.n_rows - sum(rows),
              "values_by_column": {table.names[j]: int(counts[j]) for j in range(p)
                                   if counts[j]}}
    parts = tuple(dask.delayed(_drop_outliers, pure=True)(part, kind, k, a, b)
                  for part in table.parts)
    return dataclasses.replace(table, parts=parts, rows=rows), report


# -- matrix --------------------------------------------------------------------------


def _matrix_block(table: Table, idx: tuple[int, ...]) -> np.ndarray:
    out = np.empty((table.n_rows, len(idx)), dtype=np.float64)
    for j, i in enumerate(idx):
        out[:, j] = table.columns[i]
    return out


def _center_block(block: np.ndarray, means: np.ndarray, stds: np.ndarray | None) -> np.ndarray:
    out = block - means
    if stds is not None:
        out /= stds
    return out


def _matrix_table(x, names, table: DaskTable) -> DaskTable:
    """A dask matrix seen as a DaskTable (columns as partitions' Tables), for passes."""
    import dask

    blocks = x.to_delayed().ravel()
    parts = tuple(dask.delayed(_block_table, pure=True)(blk, names) for blk in blocks)
    return dataclasses.replace(table, names=tuple(names), numeric=(True,) * len(names),
                               parts=parts, rows=tuple(int(c) for c in x.chunks[0]))


def _block_table(block: np.ndarray, names) -> Table:
    return Table(names=tuple(names), columns=tuple(np.ascontiguousarray(block[:, j])
                                                   for j in range(block.shape[1])))


def matrix_dask(table: DaskTable, columns: Sequence[str] | None = None, center: bool = False,
                standardize: bool = False):
    """The ``matrix`` stage on a :class:`DaskTable`: a 2-D ``dask.array.Array`` of the
    chosen numeric columns, rows chunked by partition (report as in memory).

    Returns
    -------
    matrix : dask.array.Array
    names : tuple of str
    entry : dict
    """
    import dask
    import dask.array as da

    from numkit.pipeline._matrix import _choose

    names = _choose(table, columns)
    idx = tuple(table.names.index(n) for n in names)
    p = len(names)
    blocks = [da.from_delayed(dask.delayed(_matrix_block, pure=True)(part, idx), (n, p),
                              dtype=np.float64)
              for part, n in zip(table.parts, table.rows, strict=True)]
    x = da.concatenate(blocks, axis=0) if len(blocks) > 1 else blocks[0]
    view = _matrix_table(x, names, table)
    moments = _moments_pass(view, finite=False)
    n = table.n_rows
    entry: dict = {"rows": n, "columns_in": len(table.names), "columns_out": p,
                   "columns": list(names),
                   "nan_values": int(sum(n - int(m.n) for m in moments)),
                   "centered": bool(center or standardize), "standardized": bool(standardize)}
    if (center or standardize) and n > 0:
        means = np.array([m.mean if m.n > 0 else np.nan for m in moments])
        entry["means"] = dict(zip(names, means.tolist(), strict=True))
        stds = None
        if standardize:
            centred = _matrix_table(x.map_blocks(_center_block, means, None,
                                                 dtype=np.float64), names, table)
            cm = _moments_pass(centred, finite=False)
            stds = np.array([m.std_dev if n > 1 and m.n > 1 else (0.0 if n <= 1 else np.nan)
                             for m in cm])
            constant = ~(stds > 0)
            entry["stds"] = dict(zip(names, stds.tolist(), strict=True))
            entry["constant_columns_not_scaled"] = [names[j] for j in np.flatnonzero(constant)]
            stds = np.where(constant, 1.0, stds)
        x = x.map_blocks(_center_block, means, stds, dtype=np.float64)
    return x, tuple(names), entry


# -- compute -------------------------------------------------------------------------


def _complete(block: np.ndarray) -> np.ndarray:
    bad = np.isnan(block).any(axis=1)
    return block[~bad] if bad.any() else block


def _part_covariance(block: np.ndarray):
    kept = np.ascontiguousarray(_complete(block))
    acc = stat.CovarianceAccumulator(block.shape[1])
    if kept.shape[0]:
        acc.update(kept)
    return acc, int(kept.shape[0])


def _merge_covariance(*parts):
    acc = stat.CovarianceAccumulator(parts[0][0].mean.shape[0])
    rows = 0
    for a, n in parts:
        if n:
            acc.merge(a)
        rows += n
    return acc, rows


def _r_factor(a: np.ndarray) -> np.ndarray:
    """The (c×c) R factor of ``a`` (Householder QR, LAPACK ``dgeqrf``); short
    matrices are padded with zero rows, which leave ``RᵀR = aᵀa`` unchanged."""
    from numkit.mat import QR

    c = a.shape[1]
    if a.shape[0] < c:
        a = np.vstack([a, np.zeros((c - a.shape[0], c))])
    qr = QR()
    qr.factorize(a)
    return np.asarray(qr.r(thin=True))


def _part_r(block: np.ndarray, shift: np.ndarray, scale: np.ndarray) -> np.ndarray:
    kept = _complete(block)
    a = np.empty((kept.shape[0], kept.shape[1] + 1))
    a[:, 0] = 1.0
    np.subtract(kept, shift, out=a[:, 1:])
    a[:, 1:] /= scale
    return _r_factor(a)


def _merge_r(*parts):
    return _r_factor(np.vstack(parts))


class _Passes:
    """The passes a compute call shares, each run at most once."""

    def __init__(self, x, names):
        self.x = x
        self.names = names
        self._moments = None
        self._cov = None

    def moments(self) -> list:
        if self._moments is None:
            import dask

            blocks = self.x.to_delayed().ravel()
            parts = [dask.delayed(_part_moments, pure=True)(
                dask.delayed(_block_table, pure=True)(b, self.names), False) for b in blocks]
            self._moments = _compute(_tree(parts, _merge_moments))[0]
        return self._moments

    def covariance(self, op: str):
        if self._cov is None:
            import dask

            parts = [dask.delayed(_part_covariance, pure=True)(b)
                     for b in self.x.to_delayed().ravel()]
            self._cov = _compute(_tree(parts, _merge_covariance))[0]
        acc, rows = self._cov
        if rows < 2:
            raise ValueError(f"compute: {op} needs at least 2 rows without NaN; the matrix has "
                             f"{rows} (of {self.x.shape[0]}); clean with "
                             f"missing=\"drop_rows\" or a fill first")
        return acc, rows

    def r_factor(self, op: str, scale: np.ndarray) -> np.ndarray:
        import dask

        acc, _ = self.covariance(op)
        parts = [dask.delayed(_part_r, pure=True)(b, np.asarray(acc.mean), scale)
                 for b in self.x.to_delayed().ravel()]
        return _compute(_tree(parts, _merge_r))[0]

    def column(self, j: int):
        return self.x[:, j]


def _describe(passes: _Passes, options: dict) -> dict:
    from numkit import dask as nkd

    out = {}
    for j, (name, m) in enumerate(zip(passes.names, passes.moments(), strict=True)):
        count = int(m.n)
        row = {"count": count,
               **dict.fromkeys(("mean", "std", "min", "q1", "median", "q3", "max"), math.nan)}
        if count:
            q1, med, q3 = nkd.quantile(passes.column(j), [0.25, 0.5, 0.75], kind="linear",
                                       nan_policy="omit")
            row.update(mean=m.mean, std=m.std_dev if count > 1 else math.nan, min=m.min,
                       q1=float(q1), median=float(med), q3=float(q3), max=m.max)
        out[name] = row
    return out


def _matrix_result(passes: _Passes, op: str) -> dict:
    acc, rows = passes.covariance(op)
    matrix = acc.covariance() if op == "covariance" else acc.correlation()
    return {"names": tuple(passes.names), "matrix": matrix, "rows": rows}


def _pca(passes: _Passes, options: dict) -> dict:
    from numkit.mat import SVD
    from numkit.pipeline._compute import PCA_SCALES

    scale = options.get("pca_scale", "covariance")
    if scale not in PCA_SCALES:
        raise ValueError(f"compute: pca_scale must be one of {', '.join(PCA_SCALES)}; "
                         f"got {scale!r}")
    acc, rows = passes.covariance("pca")
    p = len(passes.names)
    sd = np.ones(p)
    if scale == "correlation":
        sd = np.sqrt(np.diag(np.asarray(acc.covariance())))
        if not np.all(sd > 0):
            j = int(np.argmin(sd > 0))
            raise ValueError(f"compute: pca_scale='correlation' needs columns that vary; "
                             f"{passes.names[j]!r} is constant")
    r = passes.r_factor("pca", sd)
    svd = SVD()
    svd.factorize(np.ascontiguousarray(r[1:, 1:]), "thin")
    k = min(rows, p)
    s = np.asarray(svd.values())[:k]
    v = np.asarray(svd.v())[:, :k]
    variances = s * s / (rows - 1.0)
    from numkit.mat import Dense

    return {"names": tuple(passes.names), "vectors": Dense.from_array(v),
            "variances": variances, "explained_variance_ratio": variances / variances.sum(),
            "scale": scale, "rows": rows}


def _regression(passes: _Passes, options: dict) -> dict:
    from scipy.linalg import solve_triangular

    names = passes.names
    target = options.get("target")
    if target is None:
        raise ValueError(f"compute: regression needs target=<column name>; the columns are: "
                         f"{', '.join(names)}")
    if target not in names:
        raise ValueError(f"compute: regression target {target!r} is not a column; the columns "
                         f"are: {', '.join(names)}")
    if len(names) < 2:
        raise ValueError(f"compute: regression of {target!r} needs at least one other column")
    t = list(names).index(target)
    pred = [j for j in range(len(names)) if j != t]
    predictors = tuple(names[j] for j in pred)
    acc, rows = passes.covariance("regression")
    k = len(pred) + 1                                   # parameters, the intercept first
    if rows < k:
        raise ValueError(f"stat.ols: {k} parameters need at least {k} observations; got {rows}")
    shift = np.asarray(acc.mean)
    r = passes.r_factor("regression", np.ones(len(names)))
    # R of [1, X_pred - c, y - c_y]: re-factorise R with its columns in that order
    rr = _r_factor(r[:, [0, *(1 + j for j in pred), 1 + t]])
    r11, r12, last = rr[:k, :k], rr[:k, k], rr[k, k]
    if np.any(np.diag(r11) == 0.0):
        from numkit.errors import SingularError

        raise SingularError("stat.ols: the design is rank deficient (a predictor is constant "
                            "or a linear combination of the others)")
    b = solve_triangular(r11, r12)
    rss = float(last * last)
    tss = float(np.sum(rr[1:k + 1, k] ** 2))
    df = float(rows - k)
    sigma2 = rss / df if df > 0 else math.nan
    rinv = solve_triangular(r11, np.eye(k))
    cov = sigma2 * (rinv @ rinv.T)
    # back from the shifted coordinates: intercept = b0 + c_y - Σ b_j c_j
    g = np.concatenate([[1.0], -shift[pred]])
    params = b.copy()
    params[0] = b[0] + shift[t] - float(b[1:] @ shift[pred])
    se = np.sqrt(np.diag(cov))
    se[0] = math.sqrt(float(g @ cov @ g))
    r2 = 1.0 - rss / tss if tss > 0 else math.nan
    labels = ("intercept", *predictors)
    return {"target": target, "predictors": predictors,
            "params": dict(zip(labels, params.tolist(), strict=True)),
            "std_errors": dict(zip(labels, se.tolist(), strict=True)),
            "r_squared": r2, "adj_r_squared": 1.0 - (1.0 - r2) * (rows - 1) / df,
            "residual_std": math.sqrt(sigma2), "df_resid": df, "rows": rows}


def _histogram(passes: _Passes, options: dict) -> dict:
    from numkit import dask as nkd
    from numkit.pipeline._compute import _MAX_DEFAULT_BINS

    bins = options.get("bins")
    if bins is not None and (isinstance(bins, bool) or not isinstance(bins, int | np.integer)
                             or bins < 1):
        raise ValueError(f"compute: histogram bins must be a positive integer; got {bins!r}")
    out = {}
    for j, (name, m) in enumerate(zip(passes.names, passes.moments(), strict=True)):
        count = int(m.n)
        if count == 0:
            out[name] = {"counts": np.zeros(0), "dividers": np.zeros(0)}
            continue
        k = int(bins) if bins is not None else min(_MAX_DEFAULT_BINS, math.ceil(math.sqrt(count)))
        counts, dividers = nkd.histogram(passes.column(j), k, nan_policy="omit")
        out[name] = {"counts": counts, "dividers": dividers}
    return out


def _quantiles(passes: _Passes, options: dict) -> dict:
    from numkit import dask as nkd
    from numkit.pipeline._compute import DEFAULT_PROBABILITIES

    p = np.asarray(options.get("probabilities", DEFAULT_PROBABILITIES), dtype=np.float64)
    if p.ndim != 1 or p.size == 0 or not ((p >= 0) & (p <= 1)).all():
        raise ValueError(f"compute: quantiles probabilities must be a non-empty 1-D sequence in "
                         f"[0, 1]; got {options.get('probabilities')!r}")
    out = {}
    for j, (name, m) in enumerate(zip(passes.names, passes.moments(), strict=True)):
        if int(m.n) == 0:
            out[name] = np.full(p.shape, np.nan)
        else:
            out[name] = np.asarray(nkd.quantile(passes.column(j), p, kind="linear",
                                                nan_policy="omit"))
    return {"probabilities": tuple(p.tolist()), "values": out}


_NAMED: dict[str, Callable[[_Passes, dict], Any]] = {
    "describe": _describe,
    "covariance": lambda passes, options: _matrix_result(passes, "covariance"),
    "correlation": lambda passes, options: _matrix_result(passes, "correlation"),
    "pca": _pca, "regression": _regression, "histogram": _histogram, "quantiles": _quantiles,
}


def compute_dask(x, names: Sequence[str], what: Sequence[str | Callable],
                 **options: Any) -> tuple[dict, dict]:
    """The ``compute`` stage on a dask matrix (results and report as
    :func:`numkit.pipeline._compute.compute`; a callable receives the dask array).

    The names and options were validated by the caller."""
    import time

    names = tuple(names)
    passes = _Passes(x, names)
    results: dict = {}
    timings = []
    for item in what:
        start = time.perf_counter()
        if callable(item):
            key = getattr(item, "__name__", type(item).__name__)
            results[key] = item(x, names)
        else:
            key = item
            results[key] = _NAMED[item](passes, options)
        timings.append({"name": key, "seconds": round(time.perf_counter() - start, 6)})
    entry = {"rows": int(x.shape[0]), "columns": len(names), "computations": timings}
    if options:
        entry["options"] = {k: (list(v) if isinstance(v, tuple | list | np.ndarray) else v)
                            for k, v in options.items()}
    return results, entry


# -- output --------------------------------------------------------------------------


def _finite_scan(block: np.ndarray):
    finite = np.isfinite(block)
    return finite.sum(axis=0), int(np.count_nonzero(finite.all(axis=1)))


def _sample_rows(block: np.ndarray, local: np.ndarray) -> np.ndarray:
    return block[np.isfinite(block).all(axis=1)][local]


def _histogram_plot(name: str, counts: np.ndarray, dividers: np.ndarray, fmt: str) -> bytes:
    from numkit.pipeline._output import _POINTS_PER_INCH
    from numkit.plot import Plot
    from numkit.plot.plotter import Histogram

    p = Plot()
    p.title.text = name
    p.x.label.text = name
    p.y.label.text = "count"
    # binning the dividers into as many uniform bins recreates those bins exactly;
    # the counts are then the dask histogram's
    h = Histogram(dividers, bins=counts.shape[0])
    h.counts = np.asarray(counts, dtype=np.float64)
    h.dividers = np.asarray(dividers, dtype=np.float64)
    p.add(h)
    return p.writer_to(4 * _POINTS_PER_INCH, 3 * _POINTS_PER_INCH, fmt)


def _scatter_sample(x, counts_by_part: Sequence[int], size: int) -> tuple[np.ndarray, int]:
    """A uniform random sample (seed :data:`SCATTER_SEED`, in row order) of at most
    ``size`` complete rows, and how many complete rows there are."""
    import dask

    total = int(sum(counts_by_part))
    if total <= size:
        chosen = np.arange(total)
    else:
        chosen = np.sort(np.random.default_rng(SCATTER_SEED).choice(total, size, replace=False))
    starts = np.concatenate([[0], np.cumsum(counts_by_part)])
    tasks = []
    for i, block in enumerate(x.to_delayed().ravel()):
        lo, hi = np.searchsorted(chosen, [starts[i], starts[i + 1]])
        if hi > lo:
            tasks.append(dask.delayed(_sample_rows, pure=True)(block, chosen[lo:hi] - starts[i]))
    rows = _compute(*tasks)
    sample = np.vstack(rows) if rows else np.empty((0, x.shape[1]))
    return sample, total


def dask_files(pipeline: Any, results: dict, formats: tuple[str, ...],
               notes: list[str]) -> Iterator[tuple[str, Callable[[], bytes]]]:
    """(file name, producer of its bytes) for a dask pipeline: the files of
    :func:`numkit.pipeline._output._files`, from passes over the partitions."""
    import dask

    from numkit.pipeline._output import (
        _MAX_SCATTER_COLUMNS,
        _heat_map_plot,
        _json,
        _matrix_csv,
        _safe,
        _scatter_matrix_plot,
        _scree_plot,
    )

    names = tuple(pipeline.names)
    x = pipeline.dense
    if "json" in formats:
        yield "summary.json", lambda: _json({"rows": int(x.shape[0]),
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
    plots = [f for f in ("png", "svg") if f in formats]
    if not plots:
        return
    from numkit import dask as nkd
    from numkit.pipeline._output import _MAX_HISTOGRAM_BINS

    scans = _compute(*[dask.delayed(_finite_scan, pure=True)(b)
                       for b in x.to_delayed().ravel()])
    finite = np.sum([s[0] for s in scans], axis=0).reshape(len(names))
    complete_by_part = [s[1] for s in scans]
    histograms: dict[int, tuple] = {}

    def histogram(j: int) -> tuple:
        if j not in histograms:
            bins = max(1, min(_MAX_HISTOGRAM_BINS, math.ceil(math.sqrt(int(finite[j])))))
            col = x[:, j].map_blocks(_inf_to_nan, dtype=np.float64)
            histograms[j] = nkd.histogram(col, bins, nan_policy="omit")
        return histograms[j]

    shown = names[:_MAX_SCATTER_COLUMNS]
    sample: list = []

    def scatter(fmt: str) -> bytes:
        if not sample:
            rows, total = _scatter_sample(x, complete_by_part, SCATTER_SAMPLE)
            sample.append(rows)
            if total > rows.shape[0]:
                notes.append(f"scatter matrix shows a random sample of {rows.shape[0]} of "
                             f"{total} complete rows (seed {SCATTER_SEED})")
        return _scatter_matrix_plot(shown, sample[0][:, :len(shown)], fmt)

    for fmt in plots:
        used: set[str] = set()
        for j, name in enumerate(names):
            if finite[j] == 0:
                notes.append(f"no histogram of {name!r}: no finite values")
                continue
            stem = f"histogram_{_safe(name)}"
            if stem in used:
                stem = f"{stem}_{j}"
            used.add(stem)
            yield f"{stem}.{fmt}", lambda n=name, j=j, f=fmt: _histogram_plot(
                n, *histogram(j), f)
        if "correlation" in results and len(names) >= 1:
            r = results["correlation"]
            yield f"correlation.{fmt}", lambda r=r, f=fmt: _heat_map_plot(
                r["names"], np.asarray(r["matrix"]), f)
        if len(shown) >= 2 and sum(complete_by_part) > 0:
            if len(names) > len(shown):
                notes.append(f"scatter matrix shows the first {len(shown)} of {len(names)} "
                             f"columns")
            yield f"scatter_matrix.{fmt}", lambda f=fmt: scatter(f)
        if "pca" in results:
            ratio = np.asarray(results["pca"]["explained_variance_ratio"])
            yield f"pca_scree.{fmt}", lambda f=fmt, r=ratio: _scree_plot(r, f)


def _inf_to_nan(block: np.ndarray) -> np.ndarray:
    out = np.array(block, dtype=np.float64)
    out[np.isinf(out)] = np.nan
    return out
