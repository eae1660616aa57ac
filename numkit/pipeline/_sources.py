"""Sources of a pipeline: CSV and Parquet files, numpy arrays, data frames, dicts.

Every source gives a :class:`~numkit.pipeline._table.Table`: numeric columns as
float64 (NaN where missing), the others as object arrays of ``str`` (``None`` where
missing). A CSV column is numeric when every field that is not an NA token parses as a
number (Python's ``float`` syntax).

CSV has two readers giving the same table: pyarrow's multi-threaded streaming reader
(``pyarrow.csv.open_csv``) when pyarrow is installed (the ``io`` extra), and the
standard ``csv`` module otherwise. pyarrow's type inference decides only the easy
cases: a column it reads as numbers is numeric; a column it does not is read as text
and converted as the ``csv`` reader would, so both readers agree field by field.
When pyarrow rejects a file the ``csv`` reader reads it, which locates the fault
(file, line, column) in a :class:`~numkit.errors.DataError`.

Memory: both readers count the file's lines first (a bound on the rows) and convert
the numeric columns a batch of rows at a time straight into one preallocated
row-major float64 block, releasing each batch, so reading peaks near the parsed data
plus a few batches (pyarrow: 256 KiB of text per batch, up to 32 read ahead; ``csv``:
``PYTHON_CHUNK_ROWS`` rows of Python strings). The table's numeric columns are
read-only views of the block, which ``clean`` reads as it is. Types are decided by
the first batch (pyarrow) or by the values seen so far (``csv``); a column that a
later batch shows to be text is read again as text from the start, so the result is
the same as reading the whole file at once.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, NamedTuple

import numpy as np

from numkit._kernels._openmp import get_num_threads
from numkit.errors import DataError
from numkit.pipeline._stage import Pipeline
from numkit.pipeline._table import Table

__all__ = ["from_array", "from_columns", "from_dataframe", "read_csv", "read_parquet"]

NA_VALUES = ("", "NA", "NaN", "nan", "null", "NULL", "N/A", "n/a")
DELIMITERS = ",;\t|"
ENGINES = ("pyarrow", "python")
SNIFF_BYTES = 64 * 1024
# CSV text per Arrow record batch. The streaming reader reads up to 32 blocks ahead of
# the parser (its background queue), so the block size bounds the text in flight: 8 MiB
# here (128 MiB at 4 MiB). Smaller blocks cost ~2 µs per column per batch; the first
# block decides the types (a later block that disagrees restarts the read, see
# _read_arrow).
ARROW_BLOCK_BYTES = 256 << 10
# a file without quotes is read in pieces this large, cut at line ends, each by
# pyarrow.csv.read_csv (parallel over its 1 MiB blocks; faster than the streaming reader)
ARROW_PIECE_BYTES = 4 << 20
# rows the csv reader holds as Python strings before converting them into the block
PYTHON_CHUNK_ROWS = 1 << 13
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
    engine : {None, "pyarrow", "python", "dask"}
        The reader: pyarrow when installed (None) or required ("pyarrow"), the
        standard ``csv`` module ("python"), or Dask ("dask", the ``dask`` extra:
        ``path`` may then be a glob of several files; see
        ``numkit.pipeline._dask.read_csv_dask``).

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

    Notes
    -----
    Both readers stream: the numeric columns go straight into one preallocated
    row-major float64 block (its rows bounded by the file's line count), a batch of
    rows at a time, so the peak memory stays near the parsed data (see the module
    notes). The table's numeric columns are read-only views of that block.

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
    if engine == "dask":
        from numkit.pipeline._dask import read_csv_dask
        return read_csv_dask(path, delimiter=delimiter, na_values=na_values, columns=columns)
    if engine not in (None, *ENGINES):
        raise ValueError("read_csv: engine must be None, 'pyarrow', 'python' or 'dask'; got "
                         f"{engine!r}")
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
    """The ``csv`` module's reader, streaming: rows are parsed and converted
    ``PYTHON_CHUNK_ROWS`` at a time straight into the numeric block, so memory stays
    near the parsed data. A column found to hold text after some chunks were converted
    as numbers is read again as text from the start (each restart adds a text
    column)."""
    counts = _scan(path, check_utf8=True)
    text_columns: set[int] = set()
    while True:
        try:
            return _read_python_pass(path, delimiter, na, columns, counts.row_bound,
                                     text_columns)
        except _LateText as late:
            text_columns.add(late.column)


class _LateText(Exception):
    """Column ``column`` held text after chunks of it were converted as numbers (or,
    for pyarrow, values its first type ``first_type`` cannot hold)."""

    def __init__(self, column, first_type: str = "number"):
        super().__init__(column)
        self.column = column
        self.first_type = first_type


def _read_python_pass(path: str, delimiter: str, na: tuple[str, ...],
                      columns: Sequence[str] | None, row_bound: int,
                      text_columns: set[int]) -> Table:
    capacity = row_bound
    na_array = np.array(na, dtype=np.str_)
    header: list[str] | None = None
    header_line = 1
    layout: tuple | None = None                   # names, kept, slots, block, lines, text
    pending: Exception | None = None              # a header fault, raised after the rows
    rows: list[list[str]] = []
    starts: list[int] = []
    done = 0

    def flush() -> None:
        nonlocal done
        names, keep, slots, block, lines, text = layout
        r0, r1 = done, done + len(rows)
        fields = list(zip(*rows, strict=True))
        for i in keep:
            arr = np.array(fields[i], dtype=np.str_)
            missing = np.isin(arr, na_array) if na else np.zeros(arr.shape, dtype=bool)
            if i in text:
                part = arr.astype(object)
                part[missing] = None
                text[i].append(part)
                continue
            try:
                block[r0:r1, slots[i]] = np.where(missing, "nan", arr).astype(np.float64)
            except ValueError:
                raise _LateText(i) from None
        lines[r0:r1] = starts
        done = r1
        rows.clear()
        starts.clear()

    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f, delimiter=delimiter)
        end = 0
        try:
            for record in reader:
                start = end + 1
                end = reader.line_num
                if not record:
                    continue                      # blank line (pyarrow skips them too)
                if header is None:
                    header, header_line = record, start
                    try:
                        names = _names(header, path, header_line)
                        keep = _selection(names, columns, path)
                    except (DataError, ValueError) as e:
                        pending = e
                        continue
                    slots = {i: s for s, i in enumerate(i for i in keep
                                                        if i not in text_columns)}
                    block = np.empty((capacity, len(slots)), dtype=np.float64)
                    layout = (names, keep, slots, block, np.empty(capacity, dtype=np.int64),
                              {i: [] for i in keep if i in text_columns})
                    continue
                if len(record) != len(header):
                    raise DataError(f"expected {len(header)} fields (as in the header on line "
                                    f"{header_line}), found {len(record)}",
                                    path=path, line=start)
                if pending is not None:
                    continue
                rows.append(record)
                starts.append(start)
                if len(rows) == PYTHON_CHUNK_ROWS:
                    flush()
        except csv.Error as e:
            raise DataError(f"malformed CSV ({e})", path=path, line=reader.line_num) from None
    if header is None:
        raise DataError("the file is empty (a header row is needed)", path=path)
    if pending is not None:
        raise pending
    if rows:
        flush()
    names, keep, slots, block, lines, text = layout
    block = block[:done]
    out = [None if i in slots else
           (np.concatenate(text[i]) if text[i] else np.empty(0, dtype=object)) for i in keep]
    return Table.from_block([names[i] for i in keep], out, block, path=path,
                            lines=lines[:done], reader="python")


class _FileCounts(NamedTuple):
    lines: int          # lines, a last one without a line end included
    row_bound: int      # no more rows than this (a row ends at \n, \r or both)


def _scan(path: str, check_utf8: bool = False) -> _FileCounts:
    """Count the file's lines and line ends, 1 MiB at a time; with ``check_utf8`` a
    file that is not UTF-8 raises the :class:`DataError` naming the line and byte of
    the first bad byte."""
    newlines = returns = 0
    last = b"\n"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                # numpy's vectorised compare: bytes.count of one byte is a scalar loop
                newlines += int(np.count_nonzero(np.frombuffer(chunk, np.uint8) == 10))
                if b"\r" in chunk:                   # memchr: most files have none
                    returns += chunk.count(b"\r")
                last = chunk[-1:]
                if check_utf8:
                    decoder.decode(chunk)
            if check_utf8:
                decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        _raise_not_utf8(path)
    except OSError as e:
        raise DataError(f"cannot read the file ({e.strerror or e})", path=path) from None
    unterminated = last not in (b"\n", b"\r")
    return _FileCounts(lines=newlines + (last != b"\n"),
                       row_bound=newlines + returns + unterminated)


def _raise_not_utf8(path: str) -> None:
    """The error path: where the first byte that is not UTF-8 is."""
    with open(path, "rb") as f:
        raw = f.read()
    try:
        codecs.decode(raw, "utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        offset = e.start - (raw.rfind(b"\n", 0, e.start) + 1)
        raise DataError(f"not UTF-8: byte 0x{raw[e.start]:02x} at byte {offset + 1} of the "
                        "line (save the file as UTF-8)", path=path, line=line) from None
    raise DataError("not UTF-8 (save the file as UTF-8)", path=path)


def _names(header: list[str], path: str, line: int) -> list[str]:
    names = [h.strip() or f"column_{i + 1}" for i, h in enumerate(header)]
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        if name in seen:
            raise DataError(f"column name {name!r} appears twice (fields {seen[name] + 1} and "
                            f"{i + 1} of the header)", path=path, line=line, column=name)
        seen[name] = i
    return names


def _selection(names: Sequence[str], columns: Sequence[str] | None, path,
               where: str = "read_csv") -> list[int]:
    if columns is None:
        return list(range(len(names)))
    if isinstance(columns, str):
        raise ValueError(f"{where}: columns must be a sequence of names; got {columns!r}")
    unknown = [c for c in columns if c not in names]
    if unknown:
        raise ValueError(f"{where}: no column {unknown[0]!r} in {path}; the columns are "
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
    """pyarrow, record batch by record batch: each batch's numeric columns are copied
    into their slice of one preallocated row-major block and the batch released, so
    memory stays near the parsed data.

    A file without quote characters is cut at line ends into pieces of
    ``ARROW_PIECE_BYTES``, each read by ``pyarrow.csv.read_csv`` (which parses a
    piece's blocks in parallel); otherwise (a quoted field may hold a line end) the
    streaming reader ``pyarrow.csv.open_csv`` reads it. The types come from the first
    piece or block; later pieces are read as float64 (numeric columns) and text. A
    column that a later piece or block cannot convert is read again from the start as
    float64 (when it began as integers or empty) or else as text (converted as the
    ``csv`` reader would); text pyarrow cannot read (not UTF-8, a malformed row) goes
    to the ``csv`` reader, which names the line."""
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv
    except ImportError:
        raise ImportError(f"read_csv(engine='pyarrow') needs pyarrow: {IO_EXTRA}") from None
    pieces = os.path.getsize(path) > ARROW_PIECE_BYTES
    forced: dict[str, Any] = {}
    while True:
        try:
            return _read_arrow_pass(pa, pacsv, path, delimiter, na, columns, pieces, forced)
        except _Quoted:
            pieces = False                      # a quoted field may hold a line end
        except _ArrowFallback:
            # the csv reader reads it or says exactly where it is wrong
            return _read_python(path, delimiter, na, columns)
        except _LateText as late:
            # integers or nothing at first, then something else: try float64 (still the
            # block, no conversion of text), then text (converted as the csv reader would)
            forced[late.column] = (pa.float64() if late.column not in forced
                                   and late.first_type == "number" else pa.string())
        finally:
            # the allocators keep freed batches for reuse; hand them back before the
            # next stage allocates its own block (mimalloc's collect, glibc's malloc_trim)
            pa.default_memory_pool().release_unused()
            pa.system_memory_pool().release_unused()


class _ArrowFallback(Exception):
    """pyarrow cannot read the file as the csv reader would."""


class _Quoted(Exception):
    """The file has a quote character: it cannot be cut at just any line end."""


def _read_arrow_pass(pa, pacsv, path: str, delimiter: str, na: tuple[str, ...],
                     columns: Sequence[str] | None, pieces: bool,
                     forced: dict[str, Any]) -> Table:
    parse = pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True)

    def convert(types):
        return pacsv.ConvertOptions(null_values=list(na), strings_can_be_null=True,
                                    quoted_strings_can_be_null=True, true_values=["\x00"],
                                    false_values=["\x01"], timestamp_parsers=[],
                                    check_utf8=True, column_types=types)

    errors = (pa.ArrowInvalid, pa.ArrowNotImplementedError, UnicodeDecodeError)
    # pieces: the lines are counted piece by piece, and the block, sized from the first
    # piece's rows per byte, grows if it must; otherwise one pass counts them first
    size = os.path.getsize(path)
    ends = _LineEnds() if pieces else None
    counts = None if pieces else _scan(path)
    piece_iter = _pieces(path, ends) if pieces else None
    try:
        if pieces:
            piece = next(piece_iter)
            first = pacsv.read_csv(pa.py_buffer(piece), read_options=pacsv.ReadOptions(
                use_threads=True), parse_options=parse, convert_options=convert(forced))
            schema = first.schema
            batches = iter(first.to_batches())
            # generous: pages of the block never written are never backed by memory
            capacity = int(first.num_rows * 1.25 * size / len(piece)) + 1024
            piece = first = None
        else:
            stream = pacsv.open_csv(path, read_options=pacsv.ReadOptions(
                use_threads=True, block_size=ARROW_BLOCK_BYTES), parse_options=parse,
                convert_options=convert(forced))
            schema = stream.schema
            batches = stream
    except errors as e:
        raise _late_or_fallback(pa, e, path, delimiter, schema=None, forced=forced) from None
    if any(pa.types.is_binary(t) or pa.types.is_large_binary(t) for t in schema.types):
        raise _ArrowFallback    # bytes that are not UTF-8: the csv reader locates them
    try:
        names = _names(list(schema.names), path, 1)
    except (DataError, UnicodeDecodeError):
        raise _ArrowFallback from None
    keep = _selection(names, columns, path)
    numeric_types = (pa.types.is_floating, pa.types.is_integer, pa.types.is_null)
    is_numeric = [any(test(t) for test in numeric_types) for t in schema.types]
    slots = {i: s for s, i in enumerate(i for i in keep if is_numeric[i])}
    block = np.empty((capacity if pieces else counts.row_bound, len(slots)), dtype=np.float64)
    text: dict[int, list] = {i: [] for i in keep if not is_numeric[i]}
    # later pieces: no inference, numbers as float64 and the rest as text, under names
    # of our own (the header's may be empty or repeated)
    own = [f"c{i}" for i in range(len(schema.names))]
    later_types = {own[i]: pa.float64() if is_numeric[i] else pa.string()
                   for i in range(len(own))}
    types_now = list(schema.types)
    done = 0

    def take(batch) -> None:
        nonlocal done
        r0, r1 = done, done + batch.num_rows
        if r1 > block.shape[0]:
            if not pieces:                      # cannot happen: a row ends at a line end
                raise _ArrowFallback
            # no view of the block is alive here: realloc (mremap) moves no data
            block.resize((max(r1, block.shape[0] * 5 // 4), block.shape[1]), refcheck=False)
        for i, s in slots.items():
            _put_float64(pa, batch.column(i), block[r0:r1, s])
        for i, parts in text.items():
            parts.append(batch.column(i).cast(pa.string()))
        done = r1

    try:
        for batch in batches:
            take(batch)
        batch = batches = None
        if pieces:
            types_now = [later_types[n] for n in own]
            options = pacsv.ReadOptions(use_threads=True, column_names=own)
            for piece in piece_iter:
                table = pacsv.read_csv(pa.py_buffer(piece), read_options=options,
                                       parse_options=parse,
                                       convert_options=convert(later_types))
                del piece
                for batch in table.to_batches():
                    take(batch)
                batch = table = None
    except errors as e:
        raise _late_or_fallback(pa, e, path, delimiter, schema=schema, forced=forced,
                                types=types_now) from None
    finally:
        if not pieces:
            stream.close()
    converted = {}
    for i in list(text):
        chunks = pa.chunked_array(text.pop(i), type=pa.string())
        # text (or a type the csv reader would not infer): convert as it would
        fields = chunks.fill_null(na[0] if na else "")
        del chunks
        converted[i] = _convert(fields.to_numpy(zero_copy_only=False).astype(np.str_), na)
    block = block[:done]
    if any(c.dtype == np.float64 for c in converted.values()):
        # numbers pyarrow read as text (e.g. " 1"): the block takes them too, in order
        numeric = [i for i in keep if i in slots or converted[i].dtype == np.float64]
        wider = np.empty((done, len(numeric)), dtype=np.float64)
        for j, i in enumerate(numeric):
            wider[:, j] = block[:, slots[i]] if i in slots else converted.pop(i)
        block = wider
    out = [converted.get(i) for i in keep]
    lines = _arrow_lines(path, delimiter, done, ends.lines() if pieces else counts.lines)
    return Table.from_block([names[i] for i in keep], out, block, path=path,
                            lines=lines, reader="pyarrow")


def _header(path: str, delimiter: str) -> list[str]:
    """The header's fields as the csv reader reads them (an error path only)."""
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as f:
        return next((r for r in csv.reader(f, delimiter=delimiter) if r), [])


def _late_or_fallback(pa, error, path, delimiter, schema, forced, types=None) -> Exception:
    """What a pyarrow error means: a column whose type must change (``_LateText``), or
    a file for the csv reader (``_ArrowFallback``)."""
    late = _CONVERSION_ERROR.match(str(error))
    if late is None:
        return _ArrowFallback()
    k = int(late.group(1))
    if schema is None:
        # the first block failed a type forced on it: which column is in the header
        header = _header(path, delimiter)
        if k >= len(header) or header[k] not in forced:
            return _ArrowFallback()
        column, kind = header[k], forced[header[k]]
    else:
        column = schema.names[k]
        kind = types[k] if types is not None else schema.types[k]
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return _ArrowFallback()      # text that is not UTF-8: the csv reader says where
    number = pa.types.is_integer(kind) or pa.types.is_null(kind)
    return _LateText(column, "number" if number else "other")


class _LineEnds:
    """The file's line ends (``\n``), counted piece by piece."""

    def __init__(self):
        self.newlines = 0
        self.last = b"\n"

    def add(self, raw: bytes, end: int) -> None:
        # numpy's vectorised compare: 2× bytes.count, 5× a search for b"\n\n"
        self.newlines += int(np.count_nonzero(np.frombuffer(raw, np.uint8, count=end) == 10))
        self.last = raw[end - 1:end]

    def lines(self) -> int:
        """The number of lines, a last one without a line end included."""
        return self.newlines + (self.last != b"\n")


def _pieces(path: str, ends: _LineEnds):
    """The file in pieces of about ``ARROW_PIECE_BYTES``, each ending at a line end
    (memoryviews of the bytes read: no copy), counted into ``ends``; ``_Quoted`` at
    the first piece holding a quote character."""
    with open(path, "rb") as f:
        while raw := f.read(ARROW_PIECE_BYTES):
            end = len(raw)
            if end == ARROW_PIECE_BYTES:
                end = raw.rfind(b"\n") + 1
                if end == 0:
                    raw += f.readline()          # a line longer than a piece
                    end = len(raw)
                else:
                    f.seek(end - len(raw), os.SEEK_CUR)
            if raw.find(b'"', 0, end) >= 0:
                raise _Quoted
            ends.add(raw, end)
            yield memoryview(raw)[:end]


_CONVERSION_ERROR = re.compile(r"In CSV column #(\d+): CSV conversion error")


def _put_float64(pa, array, out: np.ndarray) -> None:
    """Write a numeric Arrow array into ``out`` as float64, NaN where null, reading its
    buffers directly (``Array.to_numpy`` of an array with nulls leaves tens of MB
    behind in the allocators over a large file)."""
    if pa.types.is_null(array.type):
        out[...] = np.nan
        return
    validity, data = array.buffers()[:2]
    dtype = np.dtype(array.type.to_pandas_dtype())
    out[...] = np.frombuffer(data, dtype=dtype, count=len(array),
                             offset=array.offset * dtype.itemsize)
    if array.null_count:
        bits = np.unpackbits(np.frombuffer(validity, dtype=np.uint8), bitorder="little")
        out[bits[array.offset:array.offset + len(array)] == 0] = np.nan


def _arrow_lines(path: str, delimiter: str, n_rows: int, physical: int) -> np.ndarray:
    """The line of each row: 2, 3, … when the file has one line per row; otherwise
    (blank lines, newlines inside quotes) from a pass of the csv reader."""
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


def read_parquet(path: str | os.PathLike, columns: Sequence[str] | None = None,
                 engine: str | None = None) -> Pipeline:
    """Read a Parquet file (needs pyarrow: the ``io`` extra).

    Numeric columns (integers, floats, booleans) become float64 with NaN for nulls
    (64-bit integers beyond 2**53 rounded to nearest, as numpy's ``astype``); the
    others become text (``None`` for nulls). numkit's kernel decodes the numeric
    columns' pages straight into one row-major block (the Table's ``block``, as the
    CSV readers build it), each value converted once (an uncompressed 1e6 × 4 file
    decodes in ~8 ms, against ~14 ms for pyarrow's ``read_table`` before any
    conversion to numpy); columns it does not decode are read by pyarrow.

    Parameters
    ----------
    path : str or path-like
        The file (with ``engine="dask"``, a glob of files may be given).
    columns : sequence of str, optional
        Keep only these columns, in this order.
    engine : {None, "pyarrow", "dask"}
        pyarrow (None, "pyarrow"), or Dask ("dask", the ``dask`` extra; see
        ``numkit.pipeline._dask.read_parquet_dask``).

    Returns
    -------
    Pipeline
        Holding the table.

    Raises
    ------
    ImportError
        pyarrow is not installed (the message says ``pip install "numkit[io]"``).
    DataError
        The file is missing or not Parquet.
    ValueError
        ``engine`` or ``columns`` is not valid.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import pyarrow as pa, pyarrow.parquet as pq
    >>> f = str(pathlib.Path(tempfile.mkdtemp()) / "d.parquet")
    >>> pq.write_table(pa.table({"x": [1.0, None], "s": ["a", "b"]}), f)
    >>> read_parquet(f).table.columns[0].tolist()
    [1.0, nan]
    """
    if engine == "dask":
        from numkit.pipeline._dask import read_parquet_dask
        return read_parquet_dask(path, columns=columns)
    if engine not in (None, "pyarrow"):
        raise ValueError("read_parquet: engine must be None, 'pyarrow' or 'dask'; got "
                         f"{engine!r}")
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise ImportError(f"read_parquet needs pyarrow: {IO_EXTRA}") from None
    from numkit.pipeline._parquet import ParquetSource

    path = os.fspath(path)
    if not os.path.exists(path):
        raise DataError("no such file", path=path)
    source = ParquetSource(path)
    keep = _selection(list(source.names), columns, path, "read_parquet")
    names = _names([source.names[i] for i in keep], path, None)
    return Pipeline(parquet_table(source, None, keep, names))


def parquet_table(source, group: int | None, keep: Sequence[int],
                  names: Sequence[str], threads: int | None = None) -> Table:
    """Columns ``keep`` of a :class:`~numkit.pipeline._parquet.ParquetSource` (one row
    group, or all with ``group=None``) as a Table: the numeric ones in one row-major
    block (as the CSV readers build it), the others text.

    Parquet stores a row group column by column, so the numeric columns are decoded
    into a column-major slab, one column per thread of numkit's thread count
    (:func:`numkit.get_num_threads`; the kernel releases the GIL), and the slab is
    copied into the block once: decoding straight into the row-major block would
    write each column with a stride of the row length, touching every cache line of
    the block once per column. ``threads`` overrides the thread count (the dask
    partitions pass 1: dask already runs them in parallel)."""
    groups = range(source.num_row_groups) if group is None else (group,)
    rows = [source.rows(g) for g in groups]
    numeric = [i for i in keep if source.numeric[i]]
    k = len(numeric)
    block = np.empty((sum(rows), k), dtype=np.float64)
    threads = max(1, min(k, get_num_threads() if threads is None else threads))
    start = 0
    with contextlib.ExitStack() as stack:
        pool = (stack.enter_context(ThreadPoolExecutor(threads)) if threads > 1 else None)
        for g, n in zip(groups, rows, strict=True):
            if k <= 1:
                source.read_numeric(g, numeric, block[start:start + n])
            else:
                slab = np.empty((n, k), dtype=np.float64, order="F")
                source.read_numeric(g, numeric, slab, pool)
                block[start:start + n] = slab
                del slab
            start += n
    columns = [None if source.numeric[i] else source.read_text(group, i) for i in keep]
    return Table.from_block(names, columns, block, path=source.path, reader="parquet")


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
