"""The ``clean`` stage: non-numeric columns, missing values, outliers, duplicate rows.

The steps run in this order, each on what the previous one kept:

1. **non-numeric** columns (text) are dropped, or rejected with a :class:`DataError`;
2. **missing** values (NaN or ±inf) drop rows, drop columns, or are filled;
3. **outliers**: rows where any column holds an outlier are dropped, with the
   statistics computed on the non-missing values left by step 2;
4. **duplicates**: exact duplicate rows are dropped, the first one kept.

The numeric columns form one row-major ``(rows, columns)`` block — the table's own
block when it has one (the CSV readers build it), read without a copy, otherwise the
columns stacked once. The scans, fills, masks and row compaction are one-pass kernels
(``numkit._kernels._clean``); rows are compacted into a new block once, and any later
step compacts that block in place, so the input table never changes. The cleaned table
holds its numeric columns as views of the block, which ``matrix`` then uses as it is.
"""

from __future__ import annotations

import math

import numpy as np

from numkit import stat
from numkit._kernels import _clean as kernels
from numkit.errors import DataError
from numkit.pipeline._table import Table

__all__ = ["clean_table"]

MISSING = ("drop_rows", "drop_cols", "fill_mean", "fill_median", "fill_value")
NON_NUMERIC = ("drop", "error")
OUTLIERS = ("zscore", "iqr")
DUPLICATES = ("keep", "drop")


def clean_table(table: Table, missing: str = "drop_rows", value: float | None = None,
                non_numeric: str = "drop", outliers: tuple[str, float] | None = None,
                duplicates: str = "keep") -> tuple[Table, dict]:
    """Clean a table and say what was done.

    Parameters
    ----------
    table : Table
        The table to clean (not modified).
    missing : {"drop_rows", "drop_cols", "fill_mean", "fill_median", "fill_value"}
        What a missing value (NaN or ±inf) does: drop its row, drop its column, or be
        replaced by its column's mean, its median (the conventional one), or ``value``.
        A column with no values at all cannot be filled: ``fill_*`` drops it.
    value : float, optional
        The fill value for ``missing="fill_value"`` (finite; required there).
    non_numeric : {"drop", "error"}
        What a text column (one with a field that is not a number) does: be dropped,
        or raise :class:`numkit.errors.DataError` naming it and its first
        non-numeric value's line.
    outliers : None or ("zscore", k) or ("iqr", k)
        Drop the rows where some column has ``|x - mean| / std > k`` (sample standard
        deviation), or a value outside ``[q1 - k·IQR, q3 + k·IQR]`` (quartiles as
        numpy's default, R type 7). ``k`` is positive.
    duplicates : {"keep", "drop"}
        Drop rows equal in every kept column to an earlier row (``-0.0`` equals ``0.0``).

    Returns
    -------
    table : Table
        The cleaned table: only numeric columns, ``lines`` following the kept rows.
    entry : dict
        The report: ``rows_in``, ``columns_in``, ``non_numeric_columns_dropped``,
        ``missing`` (``rows_dropped``, ``columns_dropped``, ``filled``: per column the
        value and the number of cells), ``outliers`` (``rows_dropped`` and
        ``values_by_column``: outlying values per column; a row may count in several),
        ``duplicate_rows_dropped``, ``rows_out``, ``columns_out``.

    Raises
    ------
    ValueError
        An option is not one of its choices (the message lists them), ``value`` is
        missing or not finite, or ``k`` is not a positive number.
    DataError
        ``non_numeric="error"`` and a column holds text.

    Notes
    -----
    Step order: non-numeric, missing, outliers, duplicates (module docstring).

    Examples
    --------
    >>> import numpy as np
    >>> from numkit.pipeline._table import Table
    >>> t = Table(("x", "y"), (np.array([1.0, np.nan, 3.0]), np.array([4.0, 5.0, 6.0])))
    >>> cleaned, entry = clean_table(t, missing="fill_mean")
    >>> cleaned.columns[0].tolist(), entry["missing"]["filled"]
    ([1.0, 2.0, 3.0], {'x': {'value': 2.0, 'cells': 1}})
    """
    kind, k = _check_options(missing, value, non_numeric, outliers, duplicates)
    n = table.n_rows
    entry: dict = {"rows_in": n, "columns_in": len(table.names)}

    names, data, text_names = _numeric_block(table, non_numeric)
    entry["non_numeric_columns_dropped"] = list(text_names)
    lines = table.lines

    data, names, lines, entry["missing"] = _missing(data, names, lines, missing, value)
    if kind is not None:
        data, lines, entry["outliers"] = _outliers(data, names, lines, kind, k)
    else:
        entry["outliers"] = None
    if duplicates == "drop":
        before = data.shape[0]
        data, lines = _drop_duplicates(data, lines)
        entry["duplicate_rows_dropped"] = before - data.shape[0]
    else:
        entry["duplicate_rows_dropped"] = 0

    entry["rows_out"] = int(data.shape[0])
    entry["columns_out"] = len(names)
    cleaned = Table.from_block(names, [None] * len(names), data, path=table.path,
                               lines=lines, reader=table.reader)
    return cleaned, entry


def _check_options(missing, value, non_numeric, outliers, duplicates):
    for arg, given, choices in (("missing", missing, MISSING),
                                ("non_numeric", non_numeric, NON_NUMERIC),
                                ("duplicates", duplicates, DUPLICATES)):
        if given not in choices:
            raise ValueError(f"clean: {arg} must be one of {', '.join(map(repr, choices))};"
                             f" got {given!r}")
    if missing == "fill_value":
        if value is None:
            raise ValueError("clean: missing='fill_value' needs value= (a finite number)")
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"clean: value must be a finite number; got {value!r}") from None
        if not math.isfinite(value):
            raise ValueError(f"clean: value must be a finite number; got {value!r}")
    if outliers is None:
        return None, None
    if (not isinstance(outliers, (tuple, list)) or len(outliers) != 2
            or outliers[0] not in OUTLIERS):
        raise ValueError("clean: outliers must be None, ('zscore', k) or ('iqr', k);"
                         f" got {outliers!r}")
    kind, k = outliers
    try:
        k = float(k)
    except (TypeError, ValueError):
        raise ValueError(f"clean: the outlier threshold k must be a positive number;"
                         f" got {outliers[1]!r}") from None
    if not (math.isfinite(k) and k > 0):
        raise ValueError(f"clean: the outlier threshold k must be a positive number;"
                         f" got {outliers[1]!r}")
    return kind, k


def _numeric_block(table: Table, non_numeric: str):
    """The numeric columns as an ``(n, p)`` array — the table's read-only block, or a
    new stacked one — and the text column names."""
    text = [i for i in range(len(table.names)) if not table.is_numeric(i)]
    if text and non_numeric == "error":
        i = text[0]
        row, field = _first_non_numeric(table.columns[i])
        name = table.names[i]
        if table.lines is not None and row is not None:
            line = int(table.lines[row])
            where = ""
        else:
            line = None
            where = f" (row {row})" if row is not None else ""
        raise DataError(f"column {name!r} is not numeric: {field!r}{where} is not a number"
                        " (use non_numeric='drop' to drop text columns)",
                        path=table.path, line=line, column=name)
    keep = [i for i in range(len(table.names)) if table.is_numeric(i)]
    if table.block is not None:
        data = table.block
    else:
        data = np.empty((table.n_rows, len(keep)), dtype=np.float64)
        for j, i in enumerate(keep):
            data[:, j] = table.columns[i]
    return [table.names[i] for i in keep], data, [table.names[i] for i in text]


def _first_non_numeric(column: np.ndarray):
    """Row and text of the first field that is not a number (error path only: the
    loop stops at the first failure)."""
    for row, field in enumerate(column):
        if field is None:
            continue
        try:
            float(field)
        except (TypeError, ValueError):
            return row, field
    return None, None


def _missing(data, names, lines, missing, value):
    n, p = data.shape
    row_missing = np.empty(n, dtype=np.uint8)
    counts = np.empty(p, dtype=np.int64)
    kernels.missing_scan(data, row_missing, counts)
    report = {"strategy": missing, "values_missing": int(counts.sum()),
              "rows_dropped": 0, "columns_dropped": [], "filled": {}}
    if missing == "drop_rows":
        keep = row_missing == 0
        data, lines = _compact(data, keep, lines)
        report["rows_dropped"] = n - data.shape[0]
        return data, names, lines, report
    if missing == "drop_cols":
        keep_cols = counts == 0
    else:
        keep_cols = counts < n if n > 0 else np.ones(p, dtype=bool)
    report["columns_dropped"] = [nm for nm, kept in zip(names, keep_cols, strict=True) if not kept]
    if not keep_cols.all():
        data = np.ascontiguousarray(data[:, keep_cols])
        counts = counts[keep_cols]
        names = [nm for nm, kept in zip(names, keep_cols, strict=True) if kept]
    if missing == "drop_cols":
        return data, names, lines, report
    needs = np.flatnonzero(counts)
    if needs.size == 0:
        return data, names, lines, report
    fills = np.zeros(data.shape[1])
    for j in needs:
        column = data[:, j]
        if missing == "fill_value":
            fills[j] = value
        else:
            finite = column[np.isfinite(column)]
            fills[j] = (stat.mean(finite) if missing == "fill_mean" else stat.median(finite))
    if not _owned(data):
        data = data.copy()
    kernels.fill_missing(data, fills)
    report["filled"] = {names[j]: {"value": float(fills[j]), "cells": int(counts[j])}
                        for j in needs}
    return data, names, lines, report


def _outliers(data, names, lines, kind, k):
    n, p = data.shape
    row_outlier = np.empty(n, dtype=np.uint8)
    counts = np.empty(p, dtype=np.int64)
    a = np.full(p, np.nan)
    b = np.full(p, np.nan)
    for j in range(p):
        column = data[:, j]
        finite = column[np.isfinite(column)]
        if finite.size < 2:
            # too few values for a spread: nothing counts as an outlier
            a[j], b[j] = (np.nan, np.nan) if kind == "zscore" else (-np.inf, np.inf)
            continue
        if kind == "zscore":
            a[j], b[j] = stat.mean_std_dev(finite)
        else:
            q1, q3 = stat.quantile(finite, [0.25, 0.75], kind="linear")
            a[j] = q1 - k * (q3 - q1)
            b[j] = q3 + k * (q3 - q1)
    if kind == "zscore":
        kernels.zscore_mask(data, a, b, k, row_outlier, counts)
    else:
        kernels.range_mask(data, a, b, row_outlier, counts)
    kept, lines = _compact(data, row_outlier == 0, lines)
    report = {"method": kind, "k": k, "rows_dropped": n - kept.shape[0],
              "values_by_column": {names[j]: int(counts[j]) for j in range(p) if counts[j]}}
    return kept, lines, report


def _drop_duplicates(data, lines):
    n, p = data.shape
    if n < 2:
        return data, lines
    # rows as byte strings; + 0.0 turns -0.0 into 0.0 so the two compare equal
    rows = data + 0.0
    keys = rows.view(np.dtype((np.void, 8 * p))).ravel() if p else np.zeros(n, np.int8)
    _, first = np.unique(keys, return_index=True)
    keep = np.zeros(n, dtype=bool)
    keep[first] = True
    return _compact(data, keep, lines)


def _compact(data, keep: np.ndarray, lines):
    """The kept rows (``keep`` a boolean row mask), and their lines: moved to the front
    of ``data`` in place when this stage made ``data`` (nothing else sees it), else
    copied into a new block."""
    m = int(np.count_nonzero(keep))
    if m == data.shape[0]:
        return data, lines
    if _owned(data):
        kernels.compact_rows(data, keep.view(np.uint8), data)
        # no view of data exists yet (the table's views are made at the end), so its
        # buffer can shrink to the kept rows (realloc: no copy)
        data.resize((m, data.shape[1]), refcheck=False)
        out = data
    else:
        out = np.empty((m, data.shape[1]), dtype=np.float64)
        kernels.compact_rows(data, keep.view(np.uint8), out)
    return out, (None if lines is None else lines[keep])


def _owned(data: np.ndarray) -> bool:
    """Whether ``data`` was made by this stage: writable and owning its memory (a
    table's block is read-only, so the input table is never written)."""
    return data.base is None and data.flags.writeable
