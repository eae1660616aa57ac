"""Sources of a pipeline: CSV and Parquet files, numpy arrays, data frames, dicts.

Every source gives a :class:`~numkit.pipeline._table.Table`: numeric columns as
float64 (NaN where missing), the others as object arrays of ``str`` (``None`` where
missing). A CSV column is numeric when every field that is not an NA token parses as a
number (Python's ``float`` syntax).

CSV has two readers giving the same table: pyarrow's multi-threaded
``pyarrow.csv.read_csv`` when pyarrow is installed (the ``io`` extra), and the
standard ``csv`` module otherwise. pyarrow's type inference decides only the easy
cases: a column it reads as numbers is numeric; a column it does not is re-read as
text and converted as the ``csv`` reader would, so both readers agree field by field.
When pyarrow rejects a file the ``csv`` reader reads it, which locates the fault
(file, line, column) in a :class:`~numkit.errors.DataError`.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from numkit.errors import DataError
from numkit.pipeline._stage import Pipeline
from numkit.pipeline._table import Table

__all__ = ["from_array", "from_columns", "from_dataframe", "read_csv", "read_parquet"]

NA_VALUES = ("", "NA", "NaN", "nan", "null", "NULL", "N/A", "n/a")
DELIMITERS = ",;\t|"
ENGINES = ("pyarrow", "python")
SNIFF_BYTES = 64 * 1024
IO_EXTRA = 'pip install "numkit[io]"'


# -- CSV ----------------------------------------------------------------------------


def read_csv(path: str | os.PathLike, delimiter: str | None = None,
             na_values: Iterable[str] = NA_VALUES, columns: Sequence[str] | None = None,
             engine: str | None = None) -> Pipeline:
    """Read a CSV file with a header row into a pipeline.

    Parameters
    ----------
    path : str or path-like
        The file, UTF-8 with or without a byte-order mark.
    delimiter : str, optional
        One character; by default sniffed from the first 64 KiB among ``, ; tab |``
        (``csv.Sniffer``, then the candidate found equally often on every sampled line).
    na_values : iterable of str
        Fields meaning "missing" (quoted or not): NaN in numeric columns, ``None`` in
        text columns.
    columns : sequence of str, optional
        Keep only these columns, in this order.
    engine : {None, "pyarrow", "python"}
        The reader: pyarrow when installed (None) or required ("pyarrow"), or the
        standard ``csv`` module ("python").

    Returns
    -------
    Pipeline
        Holding the table, with the 1-based file line of each row.

    Raises
    ------
    DataError
        The file is missing, unreadable, empty, not UTF-8, has a row with a different
        number of fields than the header (the message names its line), or a repeated
        column name.
    ValueError
        ``engine``, ``delimiter`` or ``columns`` is not valid.
    ImportError
        ``engine="pyarrow"`` without pyarrow (install the ``io`` extra).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from numkit import pipeline
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "m.csv"
    >>> _ = f.write_text("h;w;name\\n1.5;NA;a\\n2;3;b\\n")
    >>> t = read_csv(f).table
    >>> t.names, t.columns[1].tolist(), t.columns[2].tolist()
    (('h', 'w', 'name'), [nan, 3.0], ['a', 'b'])
    """
    if engine not in (None, *ENGINES):
        raise ValueError(f"read_csv: engine must be None, 'pyarrow' or 'python'; got {engine!r}")
    if delimiter is not None and (not isinstance(delimiter, str) or len(delimiter) != 1
                                  or delimiter in "\"\r\n"):
        raise ValueError(f"read_csv: delimiter must be one character (not a quote or a "
                         f"newline); got {delimiter!r}")
    na = tuple(str(v) for v in na_values)
    path = os.fspath(path)
    sample = _sample(path)
    if delimiter is None:
        delimiter = _sniff(sample)
    use_arrow = engine == "pyarrow"
    if engine is None:
        try:
            import pyarrow.csv  # noqa: F401
            use_arrow = True
        except ImportError:
            pass
    if use_arrow:
        table = _read_arrow(path, delimiter, na, columns)
    else:
        table = _read_python(path, delimiter, na, columns)
    return Pipeline(table)


def _sample(path: str) -> bytes:
    """The first bytes of the file; the missing/unreadable/empty checks."""
    try:
        with open(path, "rb") as f:
            sample = f.read(SNIFF_BYTES)
    except FileNotFoundError:
        raise DataError("no such file", path=path) from None
    except IsADirectoryError:
        raise DataError("is a directory, not a CSV file", path=path) from None
    except OSError as e:
        raise DataError(f"cannot read the file ({e.strerror or e})", path=path) from None
    if not sample.strip(b"\xef\xbb\xbf \t\r\n"):
        raise DataError("the file is empty (a header row is needed)", path=path)
    return sample


def _sniff(sample: bytes) -> str:
    text = sample.decode("utf-8-sig", errors="replace")
    if len(sample) == SNIFF_BYTES:
        # drop the partial last line
        text = text[:max(text.rfind("\n"), 0)] or text
    try:
        return csv.Sniffer().sniff(text, delimiters=DELIMITERS).delimiter
    except csv.Error:
        pass
    lines = [ln for ln in text.splitlines() if ln.strip()][:20]
    for candidate in DELIMITERS:
        counts = {ln.count(candidate) for ln in lines}
        if len(counts) == 1 and counts.pop() > 0:
            return candidate
    # one column, or nothing consistent: the header decides
    header = lines[0] if lines else ""
    found = [(header.count(d), d) for d in DELIMITERS if d in header]
    return max(found)[1] if found else ","


def _read_python(path: str, delimiter: str, na: tuple[str, ...],
                 columns: Sequence[str] | None) -> Table:
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise DataError(f"cannot read the file ({e.strerror or e})", path=path) from None
    try:
        text = codecs.decode(raw, "utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        offset = e.start - (raw.rfind(b"\n", 0, e.start) + 1)
        raise DataError(f"not UTF-8: byte 0x{raw[e.start]:02x} at byte {offset + 1} of the "
                        "line (save the file as UTF-8)", path=path, line=line) from None
    del raw
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    starts: list[int] = []
    header: list[str] | None = None
    header_line = 1
    end = 0
    try:
        for record in reader:
            start = end + 1
            end = reader.line_num
            if not record:
                continue                          # blank line (pyarrow skips them too)
            if header is None:
                header, header_line = record, start
                continue
            if len(record) != len(header):
                raise DataError(f"expected {len(header)} fields (as in the header on line "
                                f"{header_line}), found {len(record)}",
                                path=path, line=start)
            rows.append(record)
            starts.append(start)
    except csv.Error as e:
        raise DataError(f"malformed CSV ({e})", path=path, line=reader.line_num) from None
    if header is None:
        raise DataError("the file is empty (a header row is needed)", path=path)
    names = _names(header, path, header_line)
    keep = _selection(names, columns, path)
    fields = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    out = tuple(_convert(np.array(fields[i], dtype=np.str_) if rows
                         else np.empty(0, dtype=np.str_), na) for i in keep)
    return Table(names=tuple(names[i] for i in keep), columns=out, path=path,
                 lines=np.asarray(starts, dtype=np.int64), reader="python")


def _names(header: list[str], path: str, line: int) -> list[str]:
    names = [h.strip() or f"column_{i + 1}" for i, h in enumerate(header)]
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        if name in seen:
            raise DataError(f"column name {name!r} appears twice (fields {seen[name] + 1} and "
                            f"{i + 1} of the header)", path=path, line=line, column=name)
        seen[name] = i
    return names


def _selection(names: Sequence[str], columns: Sequence[str] | None, path) -> list[int]:
    if columns is None:
        return list(range(len(names)))
    if isinstance(columns, str):
        raise ValueError(f"read_csv: columns must be a sequence of names; got {columns!r}")
    unknown = [c for c in columns if c not in names]
    if unknown:
        raise ValueError(f"read_csv: no column {unknown[0]!r} in {path}; the columns are "
                         f"{', '.join(names)}")
    return [names.index(c) for c in columns]


def _convert(fields: np.ndarray, na: tuple[str, ...]) -> np.ndarray:
    """A column of strings → float64 with NaN for NA tokens, or object text with None."""
    missing = np.isin(fields, np.array(na, dtype=np.str_)) if na else np.zeros(
        fields.shape, dtype=bool)
    try:
        values = np.where(missing, "nan", fields).astype(np.float64)
    except ValueError:
        text = fields.astype(object)
        text[missing] = None
        return text
    return values


def _read_arrow(path: str, delimiter: str, na: tuple[str, ...],
                columns: Sequence[str] | None) -> Table:
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv
    except ImportError:
        raise ImportError(f"read_csv(engine='pyarrow') needs pyarrow: {IO_EXTRA}") from None
    parse = pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True)
    convert = pacsv.ConvertOptions(null_values=list(na), strings_can_be_null=True,
                                   quoted_strings_can_be_null=True, true_values=["\x00"],
                                   false_values=["\x01"], timestamp_parsers=[],
                                   check_utf8=True)
    try:
        arrow = pacsv.read_csv(path, parse_options=parse, convert_options=convert)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, UnicodeDecodeError):
        # the csv reader reads it or says exactly where it is wrong
        return _read_python(path, delimiter, na, columns)
    not_utf8 = any(pa.types.is_binary(t) or pa.types.is_large_binary(t)
                   for t in arrow.schema.types)
    try:
        names = _names(list(arrow.column_names), path, 1)
    except (DataError, UnicodeDecodeError):
        not_utf8 = True
    if not_utf8:
        # bytes that are not UTF-8, or a bad header: the csv reader locates the fault
        return _read_python(path, delimiter, na, columns)
    keep = _selection(names, columns, path)
    numeric = (pa.types.is_floating, pa.types.is_integer, pa.types.is_null)
    out = []
    for i in keep:
        column = arrow.column(i)
        if any(test(column.type) for test in numeric):
            out.append(column.cast(pa.float64()).to_numpy(zero_copy_only=False)
                       .astype(np.float64, copy=False))
        else:
            # text (or a type the csv reader would not infer): convert as it would
            fields = column.cast(pa.string()).fill_null(na[0] if na else "")
            out.append(_convert(fields.to_numpy(zero_copy_only=False).astype(np.str_), na))
    lines = _arrow_lines(path, delimiter, arrow.num_rows)
    return Table(names=tuple(names[i] for i in keep), columns=tuple(out), path=path,
                 lines=lines, reader="pyarrow")


def _arrow_lines(path: str, delimiter: str, n_rows: int) -> np.ndarray:
    """The line of each row: 2, 3, … when the file has one line per row; otherwise
    (blank lines, newlines inside quotes) from a pass of the csv reader."""
    newlines = 0
    last = b"\n"
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            newlines += chunk.count(b"\n")
            last = chunk[-1:]
    physical = newlines + (last != b"\n")
    if physical == n_rows + 1:
        return np.arange(2, n_rows + 2, dtype=np.int64)
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f, delimiter=delimiter)
        starts, end, header = [], 0, False
        for record in reader:
            start, end = end + 1, reader.line_num
            if not record:
                continue
            if header:
                starts.append(start)
            header = True
    return np.asarray(starts, dtype=np.int64)


# -- Parquet ------------------------------------------------------------------------


def read_parquet(path: str | os.PathLike) -> Pipeline:
    """Read a Parquet file (needs pyarrow: the ``io`` extra).

    Numeric columns (integers, floats, booleans) become float64 with NaN for nulls;
    the others become text (``None`` for nulls).

    Raises
    ------
    ImportError
        pyarrow is not installed (the message says ``pip install "numkit[io]"``).
    DataError
        The file is missing or not Parquet.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import pyarrow as pa, pyarrow.parquet as pq
    >>> f = str(pathlib.Path(tempfile.mkdtemp()) / "d.parquet")
    >>> pq.write_table(pa.table({"x": [1.0, None], "s": ["a", "b"]}), f)
    >>> read_parquet(f).table.columns[0].tolist()
    [1.0, nan]
    """
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ImportError(f"read_parquet needs pyarrow: {IO_EXTRA}") from None
    path = os.fspath(path)
    if not os.path.exists(path):
        raise DataError("no such file", path=path)
    try:
        arrow = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as e:
        raise DataError(f"not a readable Parquet file ({e})", path=path) from None
    numeric = (pa.types.is_floating, pa.types.is_integer, pa.types.is_boolean,
               pa.types.is_null)
    out = []
    for column in arrow.columns:
        if any(test(column.type) for test in numeric):
            out.append(column.cast(pa.float64()).to_numpy(zero_copy_only=False)
                       .astype(np.float64, copy=False))
        else:
            values = column.cast(pa.string()).to_pylist()
            out.append(np.array(values, dtype=object))
    names = _names([str(n) for n in arrow.column_names], path, None)
    return Pipeline(Table(names=tuple(names), columns=tuple(out), path=path,
                          reader="parquet"))


# -- in-memory sources --------------------------------------------------------------


def from_array(a: Any, names: Sequence[str] | None = None) -> Pipeline:
    """A pipeline over the columns of a 2-D array (rows are observations).

    Parameters
    ----------
    a : array_like
        2-D real data (a 1-D array is one column). Copied to float64.
    names : sequence of str, optional
        Column names; by default ``x0, x1, …``.

    Raises
    ------
    ValueError
        ``a`` is not 1-D or 2-D real data, or ``names`` has the wrong length or repeats.

    Examples
    --------
    >>> from_array([[1, 2], [3, 4]], names=["a", "b"]).table.columns[1].tolist()
    [2.0, 4.0]
    """
    arr = np.asarray(a)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2:
        raise ValueError(f"from_array: a must be 1-D or 2-D; got shape {arr.shape}")
    if arr.dtype.kind not in "biuf":
        raise ValueError(f"from_array: a must hold real numbers; got dtype {arr.dtype}")
    if names is None:
        names = [f"x{j}" for j in range(arr.shape[1])]
    names = _check_names(names, arr.shape[1], "from_array")
    columns = tuple(np.array(arr[:, j], dtype=np.float64) for j in range(arr.shape[1]))
    return Pipeline(Table(names=names, columns=columns))


def from_columns(columns: Mapping[str, Any]) -> Pipeline:
    """A pipeline over a dict of equal-length columns.

    Real columns become float64 (NaN stays missing); a column of strings becomes text
    unless every non-missing string parses as a number (then float64, as in a CSV);
    ``None`` is missing.

    Raises
    ------
    ValueError
        Columns of different lengths, a column that is not 1-D, or no columns.

    Examples
    --------
    >>> t = from_columns({"x": [1, 2], "s": ["a", None]}).table
    >>> t.columns[0].dtype, t.columns[1].tolist()
    (dtype('float64'), ['a', None])
    """
    if not isinstance(columns, Mapping) or not columns:
        raise ValueError("from_columns: columns must be a non-empty dict of name -> values")
    names = _check_names([str(n) for n in columns], len(columns), "from_columns")
    out = tuple(_column(v, n, "from_columns") for n, v in zip(names, columns.values(), strict=True))
    lengths = {len(c) for c in out}
    if len(lengths) > 1:
        sizes = ", ".join(f"{n}: {len(c)}" for n, c in zip(names, out, strict=True))
        raise ValueError(f"from_columns: columns must have equal lengths; got {sizes}")
    return Pipeline(Table(names=names, columns=out))


def from_dataframe(df: Any) -> Pipeline:
    """A pipeline over a data frame: anything with ``.columns`` and
    ``df[name].to_numpy()`` (pandas, and look-alikes; pandas is not needed).

    Raises
    ------
    TypeError
        ``df`` does not look like a data frame.

    Examples
    --------
    >>> class Frame:
    ...     columns = ["x"]
    ...     def __getitem__(self, name):
    ...         return type("S", (), {"to_numpy": lambda self: [1.0, 2.0]})()
    >>> from_dataframe(Frame()).table.columns[0].tolist()
    [1.0, 2.0]
    """
    if not hasattr(df, "columns") or not hasattr(df, "__getitem__"):
        raise TypeError("from_dataframe: df must have .columns and df[name].to_numpy() "
                        f"(like a pandas DataFrame); got {type(df).__name__}")
    names = [str(n) for n in df.columns]
    names_t = _check_names(names, len(names), "from_dataframe")
    out = tuple(_column(df[key].to_numpy(), name, "from_dataframe")
                for key, name in zip(df.columns, names_t, strict=True))
    return Pipeline(Table(names=names_t, columns=out, reader="dataframe"))


def _check_names(names: Sequence[str], count: int, where: str) -> tuple[str, ...]:
    names = tuple(str(n) for n in names)
    if len(names) != count:
        raise ValueError(f"{where}: names has {len(names)} entries for {count} columns")
    if len(set(names)) != len(names):
        dup = next(n for i, n in enumerate(names) if n in names[:i])
        raise ValueError(f"{where}: column name {dup!r} appears twice")
    return names


def _column(values: Any, name: str, where: str) -> np.ndarray:
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise ValueError(f"{where}: column {name!r} must be 1-D; got shape {arr.shape}")
    if arr.dtype.kind in "biuf":
        return np.array(arr, dtype=np.float64)
    if arr.dtype.kind in "US":
        return _convert(arr.astype(np.str_), ())
    if arr.dtype.kind == "O":
        # None, or a value unequal to itself (NaN), is missing
        missing = np.asarray((arr == None) | (arr != arr), dtype=bool)  # noqa: E711
        try:
            return np.where(missing, np.nan, arr).astype(np.float64)
        except (TypeError, ValueError):
            text = arr.astype(np.str_).astype(object)
            text[missing] = None
            return text
    raise ValueError(f"{where}: column {name!r} has unsupported dtype {arr.dtype}")
