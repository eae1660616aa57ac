"""Parquet numeric columns into float64 arrays: pyarrow reads the footer, numkit's
kernel (:mod:`numkit._kernels._parquet`) decodes the pages.

The file is memory-mapped and each column chunk decoded from the page cache straight
into its place in the caller's array — a column of a row-major block, or of
a Fortran-ordered one — converting each value once. pyarrow's ``read_table`` instead
decodes into Arrow buffers, which are then cast and copied into numpy, and copied
again into numkit's block: on the 1e6 × 4 float64 files of ``benchmarks`` a file takes
~6 ms here against ~16 ms for pyarrow's read alone.

The values are those pyarrow gives: integers, floats and booleans become float64 as
``column.cast(pa.float64())`` converts them, nulls become NaN. A column the kernel does
not decode (nested, an encoding such as DELTA_BINARY_PACKED or BYTE_STREAM_SPLIT, the
LZ4 and LZO codecs, …) is read by pyarrow instead, with the same result; a chunk whose
bytes contradict themselves raises :class:`~numkit.errors.DataError` naming the file,
the row group and the column.
"""

from __future__ import annotations

import functools
import mmap
import os
import sys
from collections.abc import Sequence
from concurrent.futures import Executor

import numpy as np

from numkit._kernels import _parquet
from numkit.errors import DataError

__all__ = ["ParquetSource", "arrow_numeric"]

# pyarrow's codec names for the codecs the kernel decompresses through pa.Codec.
# LZ4 (raw or Hadoop-framed; pyarrow reports both as "LZ4") and LZO are left to
# pyarrow's reader: a raw LZ4 block records no length to check a page header against.
_CODECS = {"SNAPPY": "snappy", "GZIP": "gzip", "BROTLI": "brotli", "ZSTD": "zstd"}


def arrow_numeric(t) -> bool:
    """Whether an Arrow type is read as a number (integers, floats, booleans, null)."""
    import pyarrow as pa

    return any(test(t) for test in (pa.types.is_floating, pa.types.is_integer,
                                    pa.types.is_boolean, pa.types.is_null))


def _kind(arrow_type, physical: str) -> int | None:
    """The kernel's value kind for an Arrow type stored as ``physical``, or None."""
    import pyarrow as pa

    k = _parquet
    if physical == "DOUBLE" and pa.types.is_float64(arrow_type):
        return k.KIND_F64
    if physical == "FLOAT" and pa.types.is_float32(arrow_type):
        return k.KIND_F32
    if physical == "INT32" and pa.types.is_integer(arrow_type):
        return k.KIND_U32 if pa.types.is_uint32(arrow_type) else k.KIND_I32
    if physical == "INT64" and pa.types.is_integer(arrow_type):
        return k.KIND_U64 if pa.types.is_uint64(arrow_type) else k.KIND_I64
    if physical == "BOOLEAN" and pa.types.is_boolean(arrow_type):
        return k.KIND_BOOL
    return None


def _map(fh) -> mmap.mmap | None:
    """The open file memory-mapped read-only (None when it is empty): the kernel reads
    the page cache, without a copy. Like pyarrow's ``memory_map=True``, a file
    truncated by another process while it is being read makes the read fail hard
    (SIGBUS)."""
    if os.fstat(fh.fileno()).st_size == 0:
        return None
    return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)


def _unmap(mm: mmap.mmap | None) -> None:
    if mm is not None:
        try:
            mm.close()
        except BufferError:  # a view is still alive (a traceback's): the GC unmaps it
            pass


def _snappy_length(page) -> int:
    """The uncompressed length a raw Snappy block starts with (a varint), -1 if cut."""
    head = bytes(memoryview(page)[:5])
    n = 0
    for k, b in enumerate(head):
        n |= (b & 0x7F) << (7 * k)
        if not b & 0x80:
            return n
    return -1


def _decompressor(codec_name: str):
    import pyarrow as pa

    codec = pa.Codec(_CODECS[codec_name])

    # pa.Codec.decompress returns a buffer of the size asked for even when the page
    # holds less (its tail uninitialised), so the size a header claims is checked
    # against the stream's own: Snappy's preamble, gzip's trailer, brotli's output.
    def decompress(page, size: int):
        return codec.decompress(page, decompressed_size=size)

    def decompress_snappy(page, size: int):
        n = _snappy_length(page)
        if n != size:
            raise ValueError(f"Snappy says {n} bytes, the header {size}")
        return codec.decompress(page, decompressed_size=size)

    def decompress_gzip(page, size: int):
        view = memoryview(page)
        # a gzip member ends with its length mod 2**32 (RFC 1952's ISIZE)
        if (len(view) >= 18 and bytes(view[:2]) == b"\x1f\x8b"
                and int.from_bytes(view[-4:], "little") != size % 2**32):
            raise ValueError(f"gzip says {int.from_bytes(view[-4:], 'little')} bytes, the "
                             f"header {size}")
        return codec.decompress(page, decompressed_size=size)

    def decompress_brotli(page, size: int):
        return pa.CompressedInputStream(pa.BufferReader(page), "brotli").read()

    return {"SNAPPY": decompress_snappy, "GZIP": decompress_gzip,
            "BROTLI": decompress_brotli}.get(codec_name, decompress)


class ParquetSource:
    """One Parquet file's footer, and the reading of its numeric columns.

    Parameters
    ----------
    path : str
        The file.

    Raises
    ------
    DataError
        The file is missing or not Parquet.
    """

    def __init__(self, path: str) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.path = os.fspath(path)
        try:
            self.file = pq.ParquetFile(self.path)
        except (pa.ArrowInvalid, OSError) as e:
            raise DataError(f"not a readable Parquet file ({e})", path=self.path) from None
        self.metadata = self.file.metadata
        self.schema = self.file.schema_arrow
        self.names = tuple(str(n) for n in self.schema.names)
        self.numeric = tuple(arrow_numeric(self.schema.field(i).type)
                             for i in range(len(self.names)))
        # the kernel decodes column i when the file is flat (one leaf per field)
        # (and the host is little-endian, as Parquet's values are)
        leaves = self.file.schema
        flat = (leaves is not None and len(leaves) == len(self.names)
                and sys.byteorder == "little")
        self._plans: list[tuple[int, int] | None] = []
        for i in range(len(self.names)):
            plan = None
            if flat and self.numeric[i]:
                leaf = leaves.column(i)
                kind = _kind(self.schema.field(i).type, leaf.physical_type)
                if (kind is not None and leaf.max_repetition_level == 0
                        and leaf.max_definition_level <= 1 and leaf.name == self.names[i]):
                    plan = (kind, leaf.max_definition_level)
            self._plans.append(plan)

    @property
    def num_row_groups(self) -> int:
        return self.metadata.num_row_groups

    def rows(self, group: int) -> int:
        return self.metadata.row_group(group).num_rows

    def read_numeric(self, group: int, indices: Sequence[int], out: np.ndarray,
                     pool: Executor | None = None) -> None:
        """Column ``indices[j]`` of row group ``group`` into ``out[:, j]`` (float64, any
        layout), NaN for nulls; every column named must be numeric. With ``pool``,
        the columns are decoded by its threads (the kernel releases the GIL), from
        one mapping of the file."""
        import pyarrow as pa

        jobs = list(enumerate(indices))
        with open(self.path, "rb") as fh:
            mm = _map(fh)
            data = np.frombuffer(mm, dtype=np.uint8) if mm is not None else np.empty(0, np.uint8)
            decode = functools.partial(self._decode, group, out=out, data=data)
            try:
                if pool is None or len(jobs) < 2:
                    done = [decode(j, i) for j, i in jobs]
                else:
                    done = list(pool.map(decode, *zip(*jobs, strict=True)))
            finally:
                del data, decode  # the views of the mapping, before it is closed
                _unmap(mm)
        pending = [job for job, decoded in zip(jobs, done, strict=True) if not decoded]
        if pending:
            try:
                arrow = self.file.read_row_group(group, columns=[self.names[i]
                                                                 for _, i in pending])
            except (pa.ArrowInvalid, OSError) as e:
                names = ", ".join(repr(self.names[i]) for _, i in pending)
                raise DataError(f"row group {group}, column {names}: not readable ({e})",
                                path=self.path) from None
            for (j, _), column in zip(pending, arrow.columns, strict=True):
                out[:, j] = column.cast(pa.float64(), safe=False).to_numpy(zero_copy_only=False)

    def _decode(self, group: int, j: int, i: int, out: np.ndarray, data: np.ndarray) -> bool:
        """Column ``i`` into ``out[:, j]`` by the kernel; False when it is left to
        pyarrow."""
        plan = self._plans[i]
        chunk = self.metadata.row_group(group).column(i)
        codec = chunk.compression
        if plan is None or (codec != "UNCOMPRESSED" and codec not in _CODECS):
            return False
        start = (chunk.dictionary_page_offset if chunk.has_dictionary_page
                 else chunk.data_page_offset)
        stop = start + chunk.total_compressed_size
        if start < 0 or stop > data.shape[0]:
            raise DataError(f"row group {group}, column {self.names[i]!r}: the column "
                            f"lies past the end of the file", path=self.path)
        decompress = None if codec == "UNCOMPRESSED" else _decompressor(codec)
        try:
            _parquet.decode_chunk(data[start:stop], plan[0], plan[1], out[:, j], decompress)
        except _parquet.Unsupported:
            return False
        except _parquet.Corrupt as e:
            raise DataError(f"row group {group}, column {self.names[i]!r}: {e}",
                            path=self.path) from None
        return True

    def read_text(self, group: int | None, index: int) -> np.ndarray:
        """Column ``index`` (of row group ``group``, or all) as text: an object array of
        ``str``, ``None`` for nulls."""
        import pyarrow as pa

        name = self.names[index]
        try:
            arrow = (self.file.read(columns=[name]) if group is None
                     else self.file.read_row_group(group, columns=[name]))
        except (pa.ArrowInvalid, OSError) as e:
            raise DataError(f"not a readable Parquet file ({e})", path=self.path) from None
        return np.array(arrow.column(0).cast(pa.string()).to_pylist(), dtype=object)
