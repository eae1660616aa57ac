"""numkit's Parquet page decoder (``numkit._kernels._parquet``) and its glue
(``numkit.pipeline._parquet.ParquetSource``, ``read_parquet``) against pyarrow.

pyarrow is the oracle: every numeric column must equal, bit for bit,
``pq.read_table(f).column(name).cast(pa.float64(), safe=False)`` (nulls → NaN). Most
checks decode each column chunk with the kernel directly (``kernel_column``), so that a
silent fallback to pyarrow cannot hide a decoder bug; the glue is checked separately.
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from numkit._kernels import _parquet  # noqa: E402
from numkit.errors import DataError  # noqa: E402
from numkit.pipeline import read_parquet  # noqa: E402
from numkit.pipeline._parquet import ParquetSource, _decompressor  # noqa: E402

N = 1000


# -- helpers --------------------------------------------------------------------------


def oracle(path, name) -> np.ndarray:
    col = pq.read_table(path, columns=[name]).column(name)
    return col.cast(pa.float64(), safe=False).to_numpy(zero_copy_only=False)


def same(a, b) -> bool:
    """Bit-exact equality, NaN == NaN, and the sign of every zero."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return (a.shape == b.shape and np.array_equal(a, b, equal_nan=True)
            and np.array_equal(np.signbit(a), np.signbit(b)))


def chunk_of(source: ParquetSource, group: int, i: int):
    """(chunk bytes copied into a numpy buffer, kind, max_def, decompress) of column i."""
    meta = source.metadata.row_group(group).column(i)
    start = meta.dictionary_page_offset if meta.has_dictionary_page else meta.data_page_offset
    with open(source.path, "rb") as fh:
        fh.seek(start)
        raw = fh.read(meta.total_compressed_size)
    kind, max_def = source._plans[i]
    codec = meta.compression
    decompress = None if codec == "UNCOMPRESSED" else _decompressor(codec)
    return np.frombuffer(raw, dtype=np.uint8).copy(), kind, max_def, decompress


def kernel_column(path, name, out=None) -> np.ndarray:
    """Column ``name`` decoded by the kernel alone, row group by row group (a fallback
    to pyarrow would raise Unsupported here)."""
    source = ParquetSource(str(path))
    i = source.names.index(name)
    assert source._plans[i] is not None, f"{name}: the kernel would not read this column"
    rows = source.metadata.num_rows
    if out is None:
        out = np.empty(rows)
    start = 0
    for g in range(source.num_row_groups):
        chunk, kind, max_def, decompress = chunk_of(source, g, i)
        n = source.rows(g)
        _parquet.decode_chunk(chunk, kind, max_def, out[start:start + n], decompress)
        start += n
    assert start == rows
    return out


def source_column(path, name, out=None) -> np.ndarray:
    """Column ``name`` through ``ParquetSource.read_numeric`` (kernel or fallback)."""
    source = ParquetSource(str(path))
    i = source.names.index(name)
    if out is None:
        out = np.empty((source.metadata.num_rows, 1))
    start = 0
    for g in range(source.num_row_groups):
        n = source.rows(g)
        source.read_numeric(g, [i], out[start:start + n])
        start += n
    return out[:, 0] if out.ndim == 2 else out


def mixed_floats(rng, n) -> np.ndarray:
    x = rng.standard_normal(n) * 10.0 ** rng.integers(-30, 30, n)
    x[:: 97] = np.nan
    x[1:: 89] = np.inf
    x[2:: 83] = -np.inf
    x[3:: 79] = -0.0
    x[4:: 73] = 0.0
    return x


# -- the kernel's stub ----------------------------------------------------------------


def test_stub_matches_runtime_signature():
    sig = inspect.signature(_parquet.decode_chunk)
    assert list(sig.parameters) == ["chunk", "kind", "max_def", "out", "decompress"]
    assert sig.parameters["decompress"].default is None


# -- 1. writer options ----------------------------------------------------------------

# the codecs the kernel decompresses through pa.Codec (LZ4 and LZO are left to pyarrow)
CODECS = ["none", "snappy", "zstd", "gzip", "brotli"]


@pytest.mark.parametrize("dictionary", [True, False], ids=["dict", "plain"])
@pytest.mark.parametrize("version", ["1.0", "2.0"], ids=["v1", "v2"])
@pytest.mark.parametrize("compression", CODECS)
def test_writer_matrix(tmp_path, compression, version, dictionary):
    rng = np.random.default_rng(1)
    # a few hundred distinct values, so dictionary pages really are used
    x = rng.integers(0, 300, N) * 0.25 - 7.0
    mask = rng.random(N) < 0.2
    i64 = rng.integers(-2**62, 2**62, N)
    t = pa.table({"x": pa.array(x, mask=mask), "i": pa.array(i64), "b": rng.random(N) < 0.3})
    path = tmp_path / "m.parquet"
    pq.write_table(t, path, compression=compression, data_page_version=version,
                   use_dictionary=dictionary, data_page_size=512, row_group_size=300)
    meta = pq.ParquetFile(path).metadata
    assert meta.num_row_groups == 4
    assert meta.row_group(0).column(0).compression == (
        "UNCOMPRESSED" if compression == "none" else compression.upper())
    assert ("RLE_DICTIONARY" in meta.row_group(0).column(0).encodings) == dictionary
    for name in ("x", "i", "b"):
        expected = oracle(path, name)
        assert same(kernel_column(path, name), expected), name
        assert same(source_column(path, name), expected), name


def test_lz4_is_left_to_pyarrow(tmp_path):
    path = tmp_path / "l.parquet"
    x = np.random.default_rng(3).standard_normal(1000)
    pq.write_table(pa.table({"x": pa.array(x, mask=x > 1.5)}), path, compression="lz4")
    source = ParquetSource(str(path))
    assert source.metadata.row_group(0).column(0).compression == "LZ4"
    assert same(source_column(path, "x"), oracle(path, "x"))
    assert same(read_parquet(path).table.column("x"), oracle(path, "x"))


LAYOUT_CASES = [
    # (id, writer keyword arguments)
    ("default-pages", {}),
    ("tiny-pages-rg-divides", {"data_page_size": 64, "row_group_size": 250}),
    ("rg-not-dividing", {"row_group_size": 333}),
    ("rg-of-one-row", {"row_group_size": 1, "data_page_size": 64}),
    ("no-statistics", {"write_statistics": False, "data_page_size": 512}),
    ("page-index", {"write_page_index": True, "data_page_size": 512}),
    ("page-checksum", {"write_page_checksum": True, "data_page_size": 512}),
    ("v2-uncompressed-pages", {"data_page_version": "2.0", "compression": "none",
                               "data_page_size": 512}),
    ("rows-per-page", {"write_batch_size": 7, "data_page_size": 1,
                       "data_page_version": "2.0", "compression": "zstd"}),
]


@pytest.mark.parametrize("kwargs", [c[1] for c in LAYOUT_CASES],
                         ids=[c[0] for c in LAYOUT_CASES])
def test_page_and_row_group_layouts(tmp_path, kwargs):
    rng = np.random.default_rng(2)
    n = 777 if kwargs.get("row_group_size") != 1 else 40
    x = mixed_floats(rng, n)
    t = pa.table({"x": pa.array(x, mask=rng.random(n) < 0.1),
                  "y": pa.array(rng.integers(0, 5, n).astype(np.int32))})
    path = tmp_path / "l.parquet"
    pq.write_table(t, path, **kwargs)
    if "row_group_size" in kwargs:
        size = kwargs["row_group_size"]
        assert pq.ParquetFile(path).metadata.num_row_groups == -(-n // size)
    for name in ("x", "y"):
        expected = oracle(path, name)
        assert same(kernel_column(path, name), expected), name
        assert same(source_column(path, name), expected), name


# -- 2. types, nulls, special values --------------------------------------------------


def _values(rng, dtype: str, n: int) -> np.ndarray:
    if dtype == "bool":
        return rng.random(n) < 0.5
    if dtype.startswith("float"):
        return mixed_floats(rng, n).astype(dtype)
    info = np.iinfo(dtype)
    v = rng.integers(info.min, info.max, n, dtype=dtype, endpoint=True)
    v[0], v[-1] = info.min, info.max
    return v


TYPES = ["float64", "float32", "int8", "int16", "int32", "int64", "uint8", "uint16",
         "uint32", "uint64", "bool"]

MASKS = {
    "no-nulls": lambda rng, n: None,
    "random": lambda rng, n: rng.random(n) < 0.3,
    "all-null": lambda rng, n: np.ones(n, bool),
    "first-null": lambda rng, n: np.arange(n) == 0,
    "last-null": lambda rng, n: np.arange(n) == n - 1,
}


@pytest.mark.parametrize("version", ["1.0", "2.0"], ids=["v1", "v2"])
@pytest.mark.parametrize("mask", list(MASKS))
@pytest.mark.parametrize("dtype", TYPES)
def test_types_and_nulls(tmp_path, dtype, mask, version):
    rng = np.random.default_rng(TYPES.index(dtype))
    n = 300
    v = _values(rng, dtype, n)
    m = MASKS[mask](rng, n)
    t = pa.table({"opt": pa.array(v, mask=m), "req": pa.array(v)},
                 schema=pa.schema([pa.field("opt", pa.from_numpy_dtype(v.dtype)),
                                   pa.field("req", pa.from_numpy_dtype(v.dtype),
                                            nullable=False)]))
    path = tmp_path / "t.parquet"
    pq.write_table(t, path, data_page_version=version, data_page_size=256,
                   compression="snappy")
    leaves = pq.ParquetFile(path).schema
    assert (leaves.column(0).max_definition_level, leaves.column(1).max_definition_level) \
        == (1, 0)
    for name in ("opt", "req"):
        expected = oracle(path, name)
        got = kernel_column(path, name)
        assert same(got, expected), name
        assert same(source_column(path, name), expected), name
    # the oracle is numpy's conversion of the stored values
    assert same(kernel_column(path, "req"), v.astype(np.float64))
    if m is not None:
        assert np.array_equal(np.isnan(kernel_column(path, "opt")),
                              m | np.isnan(v.astype(np.float64)))


def test_integer_extremes_round_to_nearest(tmp_path):
    """uint32 ≥ 2**31, uint64 ≥ 2**63, |int64| > 2**53: float64 rounded to nearest."""
    i64 = np.array([2**53 + 1, -(2**53 + 1), 2**63 - 1, -2**63, 2**62 + 2**9 + 1, 0, -1],
                   dtype=np.int64)
    u64 = np.array([2**63, 2**64 - 1, 2**63 + 2**10 + 1, 2**53 + 3, 0, 1, 2**63 - 1],
                   dtype=np.uint64)
    u32 = np.array([2**31, 2**32 - 1, 2**31 + 7, 0, 1, 2**31 - 1, 3], dtype=np.uint32)
    path = tmp_path / "x.parquet"
    for dictionary in (True, False):
        pq.write_table(pa.table({"i64": i64, "u64": u64, "u32": u32}), path,
                       use_dictionary=dictionary)
        for name, v in (("i64", i64), ("u64", u64), ("u32", u32)):
            got = kernel_column(path, name)
            assert same(got, oracle(path, name)), name
            assert same(got, v.astype(np.float64)), name
        assert kernel_column(path, "u64")[1] == 2.0**64
        assert kernel_column(path, "u32")[0] == 2.0**31


@pytest.mark.parametrize("dictionary", [True, False], ids=["dict", "plain"])
def test_negative_zero_nan_inf_survive(tmp_path, dictionary):
    nan_payload = np.frombuffer(np.uint64(0x7FF8_0000_0000_1234).tobytes(), np.float64)[0]
    x = np.array([-0.0, 0.0, np.nan, np.inf, -np.inf, -0.0, 5e-324, -1.7976931348623157e308,
                  nan_payload, 0.0], dtype=np.float64)
    path = tmp_path / "z.parquet"
    f = np.array([-0.0, 0.0, np.nan, np.inf, -np.inf, -0.0, 1e-45, -3.4028235e38, np.nan,
                  0.0], dtype=np.float32)
    pq.write_table(pa.table({"x": x, "f": f}), path, use_dictionary=dictionary)
    for name, v in (("x", x), ("f", f.astype(np.float64))):
        got = kernel_column(path, name)
        assert same(got, oracle(path, name))
        assert np.array_equal(np.signbit(got), np.signbit(v))
        assert same(got, v)
    # the float64 NaN payload is carried through unchanged (a bit copy)
    assert kernel_column(path, "x").view(np.uint64)[8] == 0x7FF8_0000_0000_1234


def test_all_null_typed_and_null_type_columns(tmp_path):
    n = 50
    t = pa.table({"f": pa.nulls(n, pa.float64()), "i": pa.nulls(n, pa.int64()),
                  "z": pa.nulls(n)})
    path = tmp_path / "n.parquet"
    pq.write_table(t, path)
    for name in ("f", "i"):
        assert np.isnan(kernel_column(path, name)).all()
    # a pa.null() column is not decodable by the kernel: pyarrow's NaNs
    assert ParquetSource(str(path))._plans[2] is None
    assert np.isnan(source_column(path, "z")).all() and source_column(path, "z").shape == (n,)


# -- 3. dictionary edge cases ---------------------------------------------------------


def test_dictionary_of_one_value_bit_width_zero(tmp_path):
    n = 500
    mask = np.zeros(n, bool)
    mask[::7] = True
    path = tmp_path / "one.parquet"
    pq.write_table(pa.table({"x": pa.array(np.full(n, 3.25), mask=mask),
                             "r": np.full(n, -2, np.int64)}), path, data_page_size=128)
    meta = pq.ParquetFile(path).metadata.row_group(0).column(0)
    assert "RLE_DICTIONARY" in meta.encodings
    for name in ("x", "r"):
        assert same(kernel_column(path, name), oracle(path, name))
    assert np.array_equal(np.isnan(kernel_column(path, "x")), mask)


@pytest.mark.parametrize("version", ["1.0", "2.0"], ids=["v1", "v2"])
def test_dictionary_falls_back_to_plain_midway(tmp_path, version):
    rng = np.random.default_rng(3)
    n = 5000
    x = rng.standard_normal(n)  # all distinct: the dictionary fills quickly
    path = tmp_path / "fb.parquet"
    pq.write_table(pa.table({"x": pa.array(x, mask=rng.random(n) < 0.05)}), path,
                   dictionary_pagesize_limit=1024, data_page_size=512,
                   data_page_version=version, compression="zstd")
    encodings = pq.ParquetFile(path).metadata.row_group(0).column(0).encodings
    assert "RLE_DICTIONARY" in encodings and "PLAIN" in encodings
    assert same(kernel_column(path, "x"), oracle(path, "x"))


def test_many_distinct_dictionary_values(tmp_path):
    rng = np.random.default_rng(4)
    n = 60000
    x = rng.permutation(np.arange(n) % 40000).astype(np.float64) - 20000.5  # 17-bit indices
    path = tmp_path / "many.parquet"
    pq.write_table(pa.table({"x": x, "i": (x * 2).astype(np.int32)}), path,
                   dictionary_pagesize_limit=1 << 22)
    meta = pq.ParquetFile(path).metadata.row_group(0).column(0)
    assert meta.encodings.count("PLAIN") <= 1 and "RLE_DICTIONARY" in meta.encodings
    for name in ("x", "i"):
        assert same(kernel_column(path, name), oracle(path, name))


# -- 4. strides and layouts of out ----------------------------------------------------


@pytest.fixture
def three_columns(tmp_path):
    rng = np.random.default_rng(5)
    n = 400
    t = pa.table({"a": pa.array(mixed_floats(rng, n), mask=rng.random(n) < 0.2),
                  "s": [f"s{i}" for i in range(n)],
                  "b": pa.array(rng.integers(-9, 9, n).astype(np.int16)),
                  "c": pa.array(rng.random(n) < 0.5, mask=rng.random(n) < 0.5)})
    path = tmp_path / "three.parquet"
    pq.write_table(t, path, row_group_size=150, data_page_size=256)
    return path


@pytest.mark.parametrize("layout", ["row-major", "fortran", "negative", "every-third"])
def test_out_layouts(three_columns, layout):
    path = three_columns
    expected = oracle(path, "a")
    n = expected.shape[0]
    if layout == "row-major":
        block = np.full((n, 5), -1.0)
        out = block[:, 3]
    elif layout == "fortran":
        block = np.full((n, 5), -1.0, order="F")
        out = block[:, 3]
    elif layout == "negative":
        block = np.full(n, -1.0)
        out = block[::-1]
    else:
        block = np.full(3 * n, -1.0)
        out = block[::3]
    kernel_column(path, "a", out)
    assert same(out, expected)
    # nothing outside the column was written
    if layout in ("row-major", "fortran"):
        assert (np.delete(block, 3, axis=1) == -1.0).all()
    elif layout == "negative":
        assert same(block, expected[::-1])
    else:
        assert (block[1::3] == -1.0).all() and (block[2::3] == -1.0).all()


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("names", [["a", "b", "c"], ["c", "a"], ["b"], ["c", "b", "a"]],
                         ids=["all", "perm2", "one", "reversed"])
def test_read_numeric_subsets_and_permutations(three_columns, names, order):
    source = ParquetSource(str(three_columns))
    indices = [source.names.index(c) for c in names]
    out = np.empty((source.metadata.num_rows, len(names)), order=order)
    start = 0
    for g in range(source.num_row_groups):
        n = source.rows(g)
        source.read_numeric(g, indices, out[start:start + n])
        start += n
    for j, name in enumerate(names):
        assert same(out[:, j], oracle(three_columns, name)), name


# -- 5. fallback to pyarrow -----------------------------------------------------------

FALLBACK_CASES = [
    # (id, table column, writer kwargs, message of the kernel's Unsupported)
    ("byte-stream-split-f64", "f", {"use_dictionary": False,
                                    "column_encoding": {"f": "BYTE_STREAM_SPLIT"}},
     "value encoding other than PLAIN"),
    ("delta-binary-packed-i64", "i", {"use_dictionary": False,
                                      "column_encoding": {"i": "DELTA_BINARY_PACKED"}},
     "value encoding other than PLAIN"),
    ("delta-binary-packed-i32-v2", "j", {"use_dictionary": False, "data_page_version": "2.0",
                                         "column_encoding": {"j": "DELTA_BINARY_PACKED"}},
     "value encoding other than PLAIN"),
]


@pytest.mark.parametrize("column,kwargs,message", [c[1:] for c in FALLBACK_CASES],
                         ids=[c[0] for c in FALLBACK_CASES])
def test_unsupported_encoding_falls_back(tmp_path, column, kwargs, message):
    rng = np.random.default_rng(6)
    n = 500
    t = pa.table({"f": pa.array(mixed_floats(rng, n), mask=rng.random(n) < 0.1),
                  "i": rng.integers(-2**60, 2**60, n),
                  "j": pa.array(rng.integers(-100, 100, n).astype(np.int32),
                                mask=rng.random(n) < 0.1)})
    path = tmp_path / "fb.parquet"
    pq.write_table(t, path, **kwargs)
    with pytest.raises(_parquet.Unsupported, match=message):
        kernel_column(path, column)
    assert same(source_column(path, column), oracle(path, column))
    table = read_parquet(path).table
    assert same(table.column(column), oracle(path, column))


def test_nested_and_non_numeric_columns_are_not_planned(tmp_path):
    path = tmp_path / "nested.parquet"
    t = pa.table({"x": [1.0, 2.0, None], "l": [[1], [], None],
                  "h": pa.array([1.5, None, -2.0], pa.float16()),
                  "d": pa.array([1, 2, 3], pa.int32()).cast(pa.date32())})
    pq.write_table(t, path)
    source = ParquetSource(str(path))
    # the list, the float16 (FIXED_LEN_BYTE_ARRAY) and the date are not the kernel's
    assert [p is None for p in source._plans] == [False, True, True, True]
    assert source.numeric == (True, False, True, False)
    out = np.empty((3, 2))
    source.read_numeric(0, [0, 2], out)
    assert same(out[:, 0], oracle(path, "x")) and same(out[:, 1], oracle(path, "h"))


# -- 6. corrupt input -----------------------------------------------------------------


def _varint(v: int) -> bytes:
    out = bytearray()
    while True:
        b, v = v & 0x7F, v >> 7
        if not v:
            out.append(b)
            return bytes(out)
        out.append(b | 0x80)


def _zigzag(v: int) -> bytes:
    return _varint((v << 1) ^ (v >> 63))


def _struct(items) -> bytes:
    """A Thrift compact struct of i32 fields and nested structs (``bytes`` values)."""
    out, last = bytearray(), 0
    for fid, value in items:
        if isinstance(value, bytes):
            out.append(((fid - last) << 4) | 12)
            out += value
        else:
            out.append(((fid - last) << 4) | 5)
            out += _zigzag(value)
        last = fid
    out.append(0)
    return bytes(out)


def _page(ptype: int, body: bytes, sub, *, size=None) -> bytes:
    field = {0: 5, 2: 7, 3: 8}.get(ptype, 5)
    size = len(body) if size is None else size
    return _struct([(1, ptype), (2, size), (3, size), (field, _struct(sub))]) + body


def _dict_page(values: np.ndarray, count=None) -> bytes:
    count = len(values) if count is None else count
    return _page(2, values.tobytes(), [(1, count), (2, 0)])


def _v1(body: bytes, rows: int, encoding: int, def_encoding: int = 3) -> bytes:
    return _page(0, body, [(1, rows), (2, encoding), (3, def_encoding), (4, 3)])


def _rle(value: int, count: int, width_bytes: int = 1) -> bytes:
    return _varint(count << 1) + value.to_bytes(width_bytes, "little")


def _decode(chunk: bytes, kind=_parquet.KIND_F64, max_def=0, rows=5, out=None):
    out = np.full(rows, -1.0) if out is None else out
    _parquet.decode_chunk(np.frombuffer(chunk, np.uint8).copy(), kind, max_def, out)
    return out


TWO = np.array([1.5, -2.5])
CRAFTED_OK = [
    ("dict-rle-run", _dict_page(TWO) + _v1(b"\x01" + _rle(1, 5), 5, 8), [-2.5] * 5),
    ("dict-bitpacked", _dict_page(TWO) + _v1(b"\x01" + _varint(3) + b"\x15", 5, 8),
     [-2.5, 1.5, -2.5, 1.5, -2.5]),
    ("plain-two-pages", _v1(TWO.tobytes(), 2, 0) + _v1(np.arange(3.0).tobytes(), 3, 0),
     [1.5, -2.5, 0.0, 1.0, 2.0]),
    ("bit-width-0-rle", _dict_page(TWO[:1]) + _v1(b"\x00" + _rle(0, 5, 0), 5, 8),
     [1.5] * 5),
    ("bit-width-0-bitpacked", _dict_page(TWO[:1]) + _v1(b"\x00" + _varint(3), 5, 8),
     [1.5] * 5),
    ("index-page-skipped", _page(1, b"junk", []) + _v1(np.arange(5.0).tobytes(), 5, 0),
     [0.0, 1.0, 2.0, 3.0, 4.0]),
]


@pytest.mark.parametrize("chunk,expected", [c[1:] for c in CRAFTED_OK],
                         ids=[c[0] for c in CRAFTED_OK])
def test_crafted_pages_decode(chunk, expected):
    assert same(_decode(chunk), expected)


def test_crafted_optional_levels():
    # levels 1,0,1,1,0 bit-packed (one group of 8), then 3 PLAIN values
    levels = _varint(3) + bytes([0b01101])
    body = len(levels).to_bytes(4, "little") + levels + np.array([1.0, 2.0, 3.0]).tobytes()
    assert same(_decode(_v1(body, 5, 0), max_def=1), [1.0, np.nan, 2.0, 3.0, np.nan])


CRAFTED_BAD = [
    # (id, chunk, kind, max_def, rows, exception, message)
    ("dict-index-out-of-range", _dict_page(TWO) + _v1(b"\x02" + _rle(2, 5), 5, 8),
     _parquet.KIND_F64, 0, 5, _parquet.Corrupt, "dictionary index is out of range"),
    ("dict-index-out-of-range-bitpacked",
     _dict_page(TWO) + _v1(b"\x02" + _varint(3) + b"\x01\x02", 5, 8),
     _parquet.KIND_F64, 0, 5, _parquet.Corrupt, "dictionary index is out of range"),
    ("page-more-rows-than-group", _v1(np.arange(10.0).tobytes(), 10, 0),
     _parquet.KIND_F64, 0, 5, _parquet.Corrupt,
     "row 0: a page holds 10 rows, more than the 5 left in the row group"),
    ("second-page-too-many", _v1(np.arange(3.0).tobytes(), 3, 0)
     + _v1(np.arange(3.0).tobytes(), 3, 0), _parquet.KIND_F64, 0, 5, _parquet.Corrupt,
     "row 3: a page holds 3 rows, more than the 2 left"),
    ("chunk-ends-early", _v1(np.arange(3.0).tobytes(), 3, 0), _parquet.KIND_F64, 0, 5,
     _parquet.Corrupt, "the chunk ends after 3 of its 5 rows"),
    ("empty-chunk", b"", _parquet.KIND_F64, 0, 5, _parquet.Corrupt,
     "the chunk ends after 0 of its 5 rows"),
    ("values-cut-short", _v1(np.arange(5.0).tobytes()[:-1], 5, 0), _parquet.KIND_F64, 0, 5,
     _parquet.Corrupt, "fewer values than its header says"),
    ("page-past-chunk", _v1(np.arange(5.0).tobytes(), 5, 0)[:-3], _parquet.KIND_F64, 0, 5,
     _parquet.Corrupt, "page runs past the end of the column chunk"),
    ("dict-before-dictionary", _v1(b"\x01" + _rle(0, 5), 5, 8), _parquet.KIND_F64, 0, 5,
     _parquet.Corrupt, "comes before its dictionary"),
    ("dict-count-overflows", _dict_page(TWO.astype(np.float32), count=2**62)
     + _v1(b"\x01" + _rle(1, 5), 5, 8), _parquet.KIND_F32, 0, 5, _parquet.Corrupt,
     "dictionary page holds fewer values"),
    ("dict-count-overflows-f64", _dict_page(TWO, count=2**61)
     + _v1(b"\x01" + _rle(1, 5), 5, 8), _parquet.KIND_F64, 0, 5, _parquet.Corrupt,
     "dictionary page holds fewer values"),
    ("index-wider-than-32", _dict_page(TWO) + _v1(b"\x21" + _rle(1, 5), 5, 8),
     _parquet.KIND_F64, 0, 5, _parquet.Corrupt, "wider than 32 bits"),
    ("zero-length-run", _dict_page(TWO) + _v1(b"\x01" + _rle(1, 0), 5, 8),
     _parquet.KIND_F64, 0, 5, _parquet.Corrupt, "run has a bad length"),
    ("level-out-of-range", _v1(b"\x02\x00\x00\x00" + _rle(2, 5) + bytes(40), 5, 0),
     _parquet.KIND_F64, 1, 5, _parquet.Corrupt, "row 0: a definition level is out of range"),
    ("levels-past-page", _v1(b"\xff\x00\x00\x00" + b"\x00" * 8, 5, 0), _parquet.KIND_F64,
     1, 5, _parquet.Corrupt, "levels run past the page"),
    ("header-cut-short", _v1(np.arange(5.0).tobytes(), 5, 0)[:3], _parquet.KIND_F64, 0, 5,
     _parquet.Corrupt, "page header is cut short"),
    ("header-lacks-sizes", _struct([(1, 0)]), _parquet.KIND_F64, 0, 5, _parquet.Corrupt,
     "lacks its type or sizes"),
    ("field-wrong-type", bytes([0x1D]) + b"\x00" * 4, _parquet.KIND_F64, 0, 5,
     _parquet.Corrupt, "field has the wrong type"),
    ("header-lacks-subheader", _struct([(1, 0), (2, 0), (3, 0)]), _parquet.KIND_F64, 0, 5,
     _parquet.Corrupt, "lacks the header of its page type"),
    ("unknown-thrift-type", bytes([0x4D]) + b"\x00" * 4, _parquet.KIND_F64, 0, 5,
     _parquet.Corrupt, "unknown Thrift type"),
    ("negative-count", _v1(b"", -1, 0), _parquet.KIND_F64, 0, 5, _parquet.Corrupt,
     "negative value count"),
    ("bool-dictionary", _dict_page(np.array([1], np.uint8)) + _v1(b"", 0, 0),
     _parquet.KIND_BOOL, 0, 5, _parquet.Unsupported, "a dictionary of booleans"),
    ("delta-encoding", _v1(b"\x00" * 40, 5, 5), _parquet.KIND_F64, 0, 5,
     _parquet.Unsupported, "value encoding other than PLAIN"),
    ("bit-packed-levels", _v1(b"\x00" * 40, 5, 0, def_encoding=4), _parquet.KIND_F64, 1, 5,
     _parquet.Unsupported, "definition levels not in the RLE encoding"),
    ("data-page-type-7", _page(7, b"", [(1, 5)]), _parquet.KIND_F64, 0, 5,
     _parquet.Unsupported, "page type 7"),
    ("v2-repetition-levels",
     _page(3, b"\x00" * 48, [(1, 5), (2, 0), (3, 5), (4, 0), (5, 0), (6, 8)]),
     _parquet.KIND_F64, 0, 5, _parquet.Unsupported, "repetition levels"),
    ("v2-null-count-disagrees",
     _page(3, _rle(1, 5) + np.arange(5.0).tobytes(), [(1, 5), (2, 1), (3, 5), (4, 0), (5, 2),
                                                      (6, 0)]),
     _parquet.KIND_F64, 1, 5, _parquet.Corrupt, "null count disagrees"),
]


@pytest.mark.parametrize("chunk,kind,max_def,rows,exc,message", [c[1:] for c in CRAFTED_BAD],
                         ids=[c[0] for c in CRAFTED_BAD])
def test_crafted_corrupt_and_unsupported(chunk, kind, max_def, rows, exc, message):
    with pytest.raises(exc, match=message):
        _decode(chunk, kind=kind, max_def=max_def, rows=rows)


def _fuzz_file(tmp_path, compression: str, version: str):
    rng = np.random.default_rng(7)
    n = 120
    t = pa.table({"x": pa.array(rng.integers(0, 9, n) * 0.5, mask=rng.random(n) < 0.3),
                  "p": pa.array(rng.standard_normal(n), mask=rng.random(n) < 0.3),
                  "b": pa.array(rng.random(n) < 0.5, mask=rng.random(n) < 0.3),
                  "u": pa.array(rng.integers(0, 2**32, n, dtype=np.uint32))})
    path = tmp_path / f"fuzz-{compression}-{version}.parquet"
    pq.write_table(t, path, compression=compression, data_page_version=version,
                   data_page_size=128, use_dictionary=["x", "u"])
    return ParquetSource(str(path)), n


def _decode_or_reject(chunk, kind, max_def, out, decompress) -> bool:
    try:
        _parquet.decode_chunk(chunk, kind, max_def, out, decompress)
    except (_parquet.Corrupt, _parquet.Unsupported):
        return False
    return True


@pytest.mark.parametrize("version", ["1.0", "2.0"], ids=["v1", "v2"])
@pytest.mark.parametrize("compression", ["none", "snappy"])
def test_fuzz_corrupt_bytes_never_crash(tmp_path, compression, version):
    source, n = _fuzz_file(tmp_path, compression, version)
    rng = np.random.default_rng(8)
    rejected = 0
    tried = 0
    for i in range(len(source.names)):
        chunk, kind, max_def, decompress = chunk_of(source, 0, i)
        out = np.empty(n)
        assert _decode_or_reject(chunk, kind, max_def, out, decompress)
        assert same(out, oracle(source.path, source.names[i]))
        # every truncation
        for stop in range(chunk.shape[0]):
            rejected += not _decode_or_reject(chunk[:stop].copy(), kind, max_def, out,
                                              decompress)
            tried += 1
        # flipped bits, overwritten bytes and short random runs at random places
        for _ in range(300):
            bad = chunk.copy()
            pos = int(rng.integers(0, bad.shape[0]))
            how = rng.integers(0, 3)
            if how == 0:
                bad[pos] ^= np.uint8(1 << int(rng.integers(0, 8)))
            elif how == 1:
                bad[pos] = rng.choice([0x00, 0xFF, 0x7F, 0x80, 0x15, 0x1C])
            else:
                k = min(4, bad.shape[0] - pos)
                bad[pos:pos + k] = rng.integers(0, 256, k, dtype=np.uint8)
            rejected += not _decode_or_reject(bad, kind, max_def, out, decompress)
            tried += 1
    # every truncation is rejected (a chunk without its end lacks rows), so at least those
    assert rejected >= tried - 4 * 300


def test_fuzz_every_header_byte(tmp_path):
    """Every byte of every page header of an uncompressed chunk, set to each of a few
    values: decoded or rejected, never a crash."""
    source, n = _fuzz_file(tmp_path, "none", "1.0")
    chunk, kind, max_def, _ = chunk_of(source, 0, 0)
    out = np.empty(n)
    outcomes = set()
    for pos in range(min(chunk.shape[0], 400)):
        for value in (0x00, 0x01, 0x15, 0x19, 0x1C, 0x7F, 0x80, 0xFF):
            bad = chunk.copy()
            bad[pos] = value
            outcomes.add(_decode_or_reject(bad, kind, max_def, out, None))
    assert outcomes == {True, False}


def test_corrupt_file_through_source_names_group_and_column(tmp_path):
    rng = np.random.default_rng(9)
    n = 200
    path = tmp_path / "bad.parquet"
    pq.write_table(pa.table({"a": rng.standard_normal(n), "bad col": rng.standard_normal(n)}),
                   path, row_group_size=100, use_dictionary=False, compression="none")
    meta = pq.ParquetFile(path).metadata.row_group(1).column(1)
    raw = bytearray(path.read_bytes())
    # the first data page of row group 1, column "bad col": claim 5000 rows
    header = bytes(raw[meta.data_page_offset:meta.data_page_offset + 40])
    rows = _zigzag(100)
    at = header.index(bytes([0x15]) + rows, header.index(b"\x2c"))  # DataPageHeader field 1
    raw[meta.data_page_offset + at + 1:meta.data_page_offset + at + 1 + len(rows)] = \
        _zigzag(5000)[:len(rows)]
    path.write_bytes(bytes(raw))
    source = ParquetSource(str(path))
    out = np.empty((100, 2))
    source.read_numeric(0, [0, 1], out)  # row group 0 is intact
    with pytest.raises(DataError, match=r"bad\.parquet.*row group 1, column 'bad col': "
                                        r"row 0: a page holds \d+ rows, more than the 100"):
        source.read_numeric(1, [0, 1], out)
    with pytest.raises(DataError, match="row group 1, column 'bad col'"):
        read_parquet(path)
    # the intact column is still readable alone
    assert same(read_parquet(path, columns=["a"]).table.column("a"), oracle(path, "a"))


@pytest.mark.parametrize("codec", [
    "snappy", "gzip", "brotli",
    "lz4",  # left to pyarrow's reader, which checks the size
])
def test_page_decompressing_short_is_data_error(tmp_path, codec):
    """A header claiming more uncompressed bytes than the page holds: pyarrow says
    "didn't decompress to expected size"; numkit must not read past the real data."""
    path = tmp_path / "short.parquet"
    pq.write_table(pa.table({"x": np.arange(1.0, 6.0)}), path, compression=codec,
                   use_dictionary=False, data_page_version="1.0")
    raw = bytearray(path.read_bytes())
    at = pq.ParquetFile(path).metadata.row_group(0).column(0).data_page_offset
    assert raw[at:at + 3] == b"\x15\x00\x15" and raw[at + 3] < 0x70  # type 0, size
    raw[at + 3] += 16  # the uncompressed size, zigzag-coded, 8 bytes larger
    path.write_bytes(bytes(raw))
    with pytest.raises(OSError, match="decompress to expected size"):
        pq.read_table(path)
    with pytest.raises(DataError, match=r"row group 0, column 'x': .*(decompress|size)"):
        source_column(path, "x")


def test_column_past_end_of_file_is_data_error(tmp_path):
    path = tmp_path / "short.parquet"
    pq.write_table(pa.table({"a": np.arange(100.0)}), path)
    source = ParquetSource(str(path))
    # the footer says where the chunk lies; make it claim to lie further than the file
    meta = source.metadata.row_group(0).column(0)
    source.metadata = _FakeMeta(source.metadata, offset=meta.data_page_offset + 10**9)
    with pytest.raises(DataError, match="row group 0, column 'a': the column lies past"):
        source.read_numeric(0, [0], np.empty((100, 1)))


class _FakeMeta:
    """A file's metadata with column chunks moved (to test the bounds check)."""

    def __init__(self, meta, offset):
        self._meta, self._offset = meta, offset

    def row_group(self, g):
        meta, offset = self._meta.row_group(g), self._offset

        class Group:
            def column(self, i):
                c = meta.column(i)

                class Chunk:
                    compression = c.compression
                    has_dictionary_page = False
                    data_page_offset = offset
                    total_compressed_size = c.total_compressed_size
                return Chunk()
        return Group()


# -- 7. a property --------------------------------------------------------------------

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=40, deadline=None, derandomize=True)
@given(data=st.data(), n=st.integers(0, 400),
       compression=st.sampled_from(CODECS), version=st.sampled_from(["1.0", "2.0"]),
       dictionary=st.booleans(), page=st.sampled_from([64, 512, 1 << 20]),
       null_rate=st.sampled_from([0.0, 0.1, 0.9, 1.0]), distinct=st.integers(1, 50))
def test_property_float64_round_trip(tmp_path_factory, data, n, compression, version,
                                     dictionary, page, null_rate, distinct):
    seed = data.draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    pool = np.concatenate([rng.standard_normal(distinct), [np.nan, -0.0, np.inf]])
    x = rng.choice(pool, n)
    mask = rng.random(n) < null_rate
    path = tmp_path_factory.mktemp("prop") / "p.parquet"
    pq.write_table(pa.table({"x": pa.array(x, mask=mask)}), path, compression=compression,
                   data_page_version=version, use_dictionary=dictionary, data_page_size=page,
                   row_group_size=max(1, n // 2 + 1))
    expected = oracle(path, "x")
    assert same(kernel_column(path, "x"), expected)
    assert same(read_parquet(path).table.column("x"), expected)


# -- 8. read_parquet ------------------------------------------------------------------


@pytest.fixture
def mixed_file(tmp_path):
    rng = np.random.default_rng(10)
    n = 500
    t = pa.table({"f": pa.array(mixed_floats(rng, n), mask=rng.random(n) < 0.1),
                  "name": pa.array([f"r{i}" if i % 9 else None for i in range(n)]),
                  "i": rng.integers(-2**60, 2**60, n),
                  "b": rng.random(n) < 0.5,
                  "u": pa.array(rng.integers(0, 2**32, n, dtype=np.uint32),
                                mask=rng.random(n) < 0.1),
                  "code": pa.array(rng.integers(0, 4, n)).cast(pa.string())})
    path = tmp_path / "mixed.parquet"
    pq.write_table(t, path, row_group_size=128, data_page_size=300)
    return path


def test_read_parquet_mixed_table(mixed_file):
    table = read_parquet(mixed_file).table
    arrow = pq.read_table(mixed_file)
    assert table.names == tuple(arrow.column_names)
    for name in ("f", "i", "b", "u"):
        assert same(table.column(name), oracle(mixed_file, name)), name
    for name in ("name", "code"):
        assert table.column(name).tolist() == arrow.column(name).to_pylist(), name
    block = table.block
    assert block.flags.c_contiguous and block.flags.writeable is False
    assert block.shape == (500, 4)
    for j, name in enumerate(("f", "i", "b", "u")):
        col = table.column(name)
        assert np.shares_memory(col, block) and same(col, block[:, j])
        assert col.flags.writeable is False
    with pytest.raises(ValueError, match="read-only"):
        table.column("f")[0] = 1.0


@pytest.mark.parametrize("columns", [["u", "f"], ["code", "b", "i"], ["name"], ["i"]],
                         ids=["numeric-swap", "mixed-order", "text-only", "one"])
def test_read_parquet_column_selection(mixed_file, columns):
    table = read_parquet(mixed_file, columns=columns).table
    assert table.names == tuple(columns)
    arrow = pq.read_table(mixed_file)
    numeric = [c for c in columns if c not in ("name", "code")]
    assert table.block.shape == (500, len(numeric))
    for c in columns:
        if c in numeric:
            assert same(table.column(c), oracle(mixed_file, c))
            assert same(table.block[:, numeric.index(c)], oracle(mixed_file, c))
        else:
            assert table.column(c).tolist() == arrow.column(c).to_pylist()


def test_read_parquet_row_groups_concatenate_in_order(tmp_path):
    n = 1001
    x = np.arange(n, dtype=np.float64) * 1.5
    path = tmp_path / "rg.parquet"
    pq.write_table(pa.table({"x": x, "k": np.arange(n) % 7}), path, row_group_size=97)
    assert pq.ParquetFile(path).metadata.num_row_groups == 11
    table = read_parquet(path).table
    assert same(table.column("x"), x)
    assert same(table.column("k"), (np.arange(n) % 7).astype(np.float64))


@pytest.mark.parametrize("threads", [1, 2], ids=["1-thread", "2-threads"])
def test_read_parquet_threads_give_the_same_block(three_columns, threads):
    # read_parquet decodes the columns of a row group on numkit's threads (a pool)
    import numkit

    path = three_columns
    before = numkit.get_num_threads()
    numkit.set_num_threads(threads)
    try:
        table = read_parquet(path).table
    finally:
        numkit.set_num_threads(before)
    for name in ("a", "b", "c"):
        assert same(table.column(name), oracle(path, name)), name
    assert table.block.shape == (400, 3) and table.column("s")[7] == "s7"


def test_read_numeric_with_a_pool_equals_without_and_raises_the_same(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    rng = np.random.default_rng(12)
    path = tmp_path / "p.parquet"
    cols = {f"c{j}": pa.array(rng.standard_normal(3000), mask=rng.random(3000) < 0.05)
            for j in range(5)}
    cols["d"] = pa.array(rng.integers(0, 9, 3000))
    pq.write_table(pa.table(cols), path, row_group_size=1000,
                   column_encoding={"d": "DELTA_BINARY_PACKED"}, use_dictionary=False)
    source = ParquetSource(str(path))
    order = [5, 0, 3, 1, 4, 2]                     # with a column left to pyarrow ("d")
    with ThreadPoolExecutor(2) as pool:
        for g in range(3):
            serial = np.empty((1000, 6), order="F")
            pooled = np.empty((1000, 6), order="F")
            source.read_numeric(g, order, serial)
            source.read_numeric(g, order, pooled, pool)
            assert same(pooled.ravel(), serial.ravel())
            assert same(serial[:, 0], oracle(path, "d")[1000 * g:1000 * (g + 1)])
        # the first column in order is "d" (its encoding is found unsupported only in
        # its pages, so the bounds are checked first)
        with pytest.raises(DataError, match="row group 0, column 'd': the column lies past"):
            source.metadata = _FakeMeta(source.metadata, offset=10**9)
            source.read_numeric(0, order, np.empty((1000, 6)), pool)


def test_read_parquet_empty_table(tmp_path):
    path = tmp_path / "empty.parquet"
    pq.write_table(pa.table({"x": pa.array([], pa.float64()), "s": pa.array([], pa.string())}),
                   path)
    table = read_parquet(path).table
    assert table.column("x").shape == (0,) and table.block.shape == (0, 1)


# -- 9. decode_chunk argument errors --------------------------------------------------

PLAIN5 = _v1(np.arange(5.0).tobytes(), 5, 0)


@pytest.mark.parametrize("kind,max_def", [(-1, 0), (7, 0), (0, 2), (0, -1)],
                         ids=["kind-negative", "kind-7", "max-def-2", "max-def-negative"])
def test_decode_chunk_kind_and_max_def_out_of_range(kind, max_def):
    with pytest.raises(ValueError, match=f"decode_chunk: kind {kind} or max_def {max_def} "
                                         "out of range"):
        _decode(PLAIN5, kind=kind, max_def=max_def)


def test_decode_chunk_stride_not_multiple_of_8():
    rec = np.zeros(5, dtype=np.dtype([("a", "<f8"), ("b", "u1")], align=False))
    out = rec["a"]
    assert out.strides == (9,)
    with pytest.raises(ValueError, match="stride must be a multiple of 8"):
        _decode(PLAIN5, out=out)
    raw = np.zeros(5 * 12 + 8, np.uint8)
    out = np.ndarray((5,), np.float64, buffer=raw, offset=0, strides=(12,))
    with pytest.raises(ValueError, match="stride must be a multiple of 8"):
        _decode(PLAIN5, out=out)


def test_decode_chunk_out_longer_than_chunk():
    with pytest.raises(_parquet.Corrupt, match="the chunk ends after 5 of its 6 rows"):
        _decode(PLAIN5, rows=6)
    assert same(_decode(PLAIN5), np.arange(5.0))
    assert same(_decode(PLAIN5, rows=0, out=np.empty(0)), np.empty(0))


def test_decompressor_failures_are_corrupt():
    def broken(page, size):
        raise OSError("bad block")

    def short(page, size):
        return bytes(size - 1)

    with pytest.raises(_parquet.Corrupt, match=r"does not decompress \(bad block\)"):
        _parquet.decode_chunk(np.frombuffer(PLAIN5, np.uint8).copy(), 0, 0, np.empty(5),
                              broken)
    with pytest.raises(_parquet.Corrupt, match="decompresses to a size other than"):
        _parquet.decode_chunk(np.frombuffer(PLAIN5, np.uint8).copy(), 0, 0, np.empty(5),
                              short)
