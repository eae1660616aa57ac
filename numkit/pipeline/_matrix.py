"""The matrix stage: chosen numeric columns of a Table as one ``numkit.mat.Dense``.

A table from a CSV reader or from ``clean`` holds its numeric columns as one row-major
block; choosing all of them, in order, gives a Dense over that block (read-only) with
no copy. Any other choice, or centring, copies the chosen columns.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from numkit import stat
from numkit.errors import DataError
from numkit.mat import Dense
from numkit.pipeline._table import Table

__all__ = ["to_matrix"]


def _choose(table: Table, columns: Sequence[str] | None) -> tuple[str, ...]:
    if columns is None:
        chosen = table.numeric_names()
        if not chosen:
            raise DataError(
                f"matrix: the table has no numeric columns (columns: {', '.join(table.names)}); "
                f"clean with non_numeric=\"drop\" or give numeric data", path=table.path)
        return chosen
    if isinstance(columns, str):
        columns = [columns]
    chosen = tuple(str(c) for c in columns)
    if not chosen:
        raise ValueError("matrix: columns is empty; give at least one column name or None "
                         "for every numeric column")
    unknown = [c for c in chosen if c not in table.names]
    if unknown:
        raise ValueError(f"matrix: unknown column(s) {', '.join(map(repr, unknown))}; the table "
                         f"has: {', '.join(table.names)}")
    duplicated = sorted({c for c in chosen if chosen.count(c) > 1})
    if duplicated:
        raise ValueError(f"matrix: column(s) {', '.join(map(repr, duplicated))} chosen twice")
    text = [c for c in chosen if not table.is_numeric(table.names.index(c))]
    if text:
        raise DataError(
            f"matrix: column(s) {', '.join(map(repr, text))} hold text, not numbers; clean with "
            f"non_numeric=\"drop\" or choose numeric columns ({', '.join(table.numeric_names())})",
            path=table.path, column=text[0])
    return chosen


def to_matrix(table: Table, columns: Sequence[str] | None = None, center: bool = False,
              standardize: bool = False) -> tuple[Dense, tuple[str, ...], dict]:
    """The chosen numeric columns of ``table`` as an n×p :class:`numkit.mat.Dense`.

    Parameters
    ----------
    table : Table
        The (usually cleaned) table.
    columns : sequence of str, optional
        Column names in the order wanted; default every numeric column in table order.
    center : bool
        Subtract each column's mean (NaN values skipped when computing it).
    standardize : bool
        Centre and divide each column by its sample standard deviation; a constant
        column is only centred and named in the report.

    Returns
    -------
    dense : Dense
        n×p, float64, C-ordered; NaN values stay NaN. When the table has a block (the
        CSV readers and ``clean`` make one) and every numeric column is chosen in
        order, without centring, ``dense`` is that block itself: read-only, shared with
        the table, not copied (``Dense.from_array(dense)`` gives a writable copy).
    names : tuple of str
        The column names, one per matrix column.
    entry : dict
        The report entry: rows, columns in and out, the names, the number of NaN
        values, and for centring/standardising the means and deviations used.

    Raises
    ------
    ValueError
        An unknown column (the message lists the available ones), an empty or
        duplicated choice.
    DataError
        A text column was chosen, or the table has no numeric column.

    Examples
    --------
    >>> import numpy as np
    >>> from numkit.pipeline import Table
    >>> t = Table(("a", "b"), (np.array([1.0, 2.0, 3.0]), np.array([2.0, 4.0, 9.0])))
    >>> dense, names, entry = to_matrix(t, columns=["b"], center=True)
    >>> names, np.asarray(dense).ravel().tolist()
    (('b',), [-3.0, -1.0, 4.0])
    """
    names = _choose(table, columns)
    n, p = table.n_rows, len(names)
    if table.block is not None and names == table.numeric_names() and not (
            center or standardize):
        # the table's read-only block is the matrix: no copy
        values = table.block
    else:
        values = np.empty((n, p), dtype=np.float64)
        if table.block is not None and set(names) <= set(table.numeric_names()):
            slot = {name: j for j, name in enumerate(table.numeric_names())}
            np.take(table.block, [slot[name] for name in names], axis=1, out=values)
        else:
            for j, name in enumerate(names):
                values[:, j] = table.column(name)
    entry: dict = {"rows": n, "columns_in": len(table.names), "columns_out": p,
                   "columns": list(names), "nan_values": int(np.count_nonzero(np.isnan(values))),
                   "centered": bool(center or standardize), "standardized": bool(standardize)}
    if (center or standardize) and n > 0:
        means = np.array([stat.mean(values[:, j], nan_policy="omit") for j in range(p)])
        values -= means
        entry["means"] = dict(zip(names, means.tolist(), strict=True))
        if standardize:
            stds = np.array([stat.std_dev(values[:, j], nan_policy="omit") if n > 1 else 0.0
                             for j in range(p)])
            constant = ~(stds > 0)
            values /= np.where(constant, 1.0, stds)
            entry["stds"] = dict(zip(names, stds.tolist(), strict=True))
            entry["constant_columns_not_scaled"] = [names[j] for j in np.flatnonzero(constant)]
    return Dense(n, p, values), names, entry
