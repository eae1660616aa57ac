"""Parquet files as a dask array of float64, one block per row group, decoded by
numkit's kernel."""

from __future__ import annotations

import os
from collections.abc import Sequence

import dask
import dask.array as da
import numpy as np

from numkit.errors import DataError

__all__ = ["read_parquet"]


def _block(path: str, group: int, indices: tuple[int, ...], stamp) -> np.ndarray:
    """Columns ``indices`` of one row group as a Fortran-ordered ``(n, k)`` block
    (``stamp``, the file's size and mtime, only makes the task key change with the
    file)."""
    from numkit.pipeline._parquet import ParquetSource

    source = ParquetSource(path)
    out = np.empty((source.rows(group), len(indices)), dtype=np.float64, order="F")
    source.read_numeric(group, indices, out)
    return out


def read_parquet(path: str | os.PathLike | Sequence[str | os.PathLike],
                 columns: Sequence[str] | None = None) -> da.Array:
    """Numeric columns of Parquet files as a 2-D dask array of float64: one block of
    rows per row group, rows chunked, for numkit's statistics on data larger than
    memory.

    Only the files' footers are read here: each block's length comes from its row
    group's metadata, so the array's chunks are known at once (no pass over the data,
    unlike ``dask.dataframe.read_parquet(...).to_dask_array(lengths=True)``). Each task
    decodes its row group's pages with numkit's kernel straight into a
    Fortran-ordered block (a column per Parquet column, contiguous), so
    :func:`covariance_matrix` and a column's statistics read it without a copy.

    Parameters
    ----------
    path : str, path-like, or a list of them
        A file, a folder (its ``*.parquet`` files, recursively, in name order) or a
        glob; a list gives the files of each in turn.
    columns : sequence of str, optional
        These columns, in this order; by default every numeric column in file order.

    Returns
    -------
    dask.array.Array
        ``(rows, len(columns))`` float64; integers and booleans converted, nulls NaN,
        as :func:`numkit.pipeline.read_parquet` reads them.

    Raises
    ------
    DataError
        No file matches, a file is not Parquet, the files' columns differ, or (when
        the block is computed) a column chunk's bytes are corrupt; the message names
        the file, and the row group and column.
    ValueError
        ``columns`` names a column that is missing or not numeric, or none is numeric.
    ImportError
        pyarrow is not installed.

    See Also
    --------
    numkit.pipeline.read_parquet : ``engine="dask"``: the whole pipeline, with text
        columns.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import numpy as np, pyarrow as pa, pyarrow.parquet as pq
    >>> from numkit import stat
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for i in range(3):
    ...     pq.write_table(pa.table({"x": np.arange(4.0) + 4 * i, "s": list("abcd")}),
    ...                    str(d / f"part-{i}.parquet"))
    >>> x = read_parquet(d)
    >>> x.shape, x.chunks[0]
    ((12, 1), (4, 4, 4))
    >>> float(stat.mean(x[:, 0]))
    5.5
    """
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise ImportError('read_parquet needs pyarrow: pip install "numkit[io]"') from None
    from numkit.pipeline._dask import _expand
    from numkit.pipeline._parquet import ParquetSource

    if isinstance(columns, str):
        raise ValueError(f"read_parquet: columns must be a sequence of names; got {columns!r}")
    paths = list(path) if isinstance(path, (list, tuple)) else [path]
    if not paths:
        raise ValueError("read_parquet: path is an empty list")
    files = []
    for p in paths:
        files += _expand(p, "Parquet", (".parquet", ".parq"))[1]
    first = ParquetSource(files[0])
    if columns is None:
        indices = tuple(i for i, numeric in enumerate(first.numeric) if numeric)
        if not indices:
            raise ValueError(f"read_parquet: {files[0]} has no numeric column; its columns "
                             f"are {', '.join(first.names)}")
    else:
        indices = []
        for c in columns:
            if c not in first.names:
                raise ValueError(f"read_parquet: no column {c!r} in {files[0]}; the columns "
                                 f"are {', '.join(first.names)}")
            i = first.names.index(c)
            if not first.numeric[i]:
                raise ValueError(f"read_parquet: column {c!r} of {files[0]} is not numeric "
                                 f"({first.schema.field(i).type})")
            indices.append(i)
        indices = tuple(indices)
    k = len(indices)
    blocks = []
    for f in files:
        source = first if f == files[0] else ParquetSource(f)
        if source.names != first.names or source.numeric != first.numeric:
            raise DataError(f"the columns ({', '.join(source.names)}) differ from those of "
                            f"{files[0]} ({', '.join(first.names)})", path=f)
        st = os.stat(f)
        for g in range(source.num_row_groups):
            n = source.rows(g)
            task = dask.delayed(_block, pure=True)(f, g, indices, (st.st_size, st.st_mtime_ns))
            blocks.append(da.from_delayed(task, (n, k), dtype=np.float64,
                                          meta=np.empty((0, k), dtype=np.float64, order="F")))
    if not blocks:
        raise DataError("the Parquet files hold no row group", path=os.fspath(paths[0]))
    return da.concatenate(blocks, axis=0) if len(blocks) > 1 else blocks[0]
