"""CSV/Parquet readers and in-memory sources; the pyarrow and csv readers agree."""

import numpy as np
import pytest

from numkit.errors import DataError
from numkit.pipeline import _sources
from numkit.pipeline._sources import (
    _sniff,
    from_array,
    from_columns,
    from_dataframe,
    read_csv,
    read_parquet,
)
from numkit.pipeline._stage import Pipeline
from numkit.pipeline._table import Table

NAN = float("nan")

# name, file bytes, names, columns (lists; floats or str/None), lines
FIXTURES = [
    ("plain", b"a,b,c\n1,2.5,x\n3,-4e2,y\n", ("a", "b", "c"),
     [[1.0, 3.0], [2.5, -400.0], ["x", "y"]], [2, 3]),
    ("quotes", b'a,b\n"1","x, y"\n2,"two\nlines"\n3,"say ""hi"""\n', ("a", "b"),
     [[1.0, 2.0, 3.0], ["x, y", "two\nlines", 'say "hi"']], [2, 3, 5]),
    ("bom", "\ufeffh,w\n1,2\n".encode(), ("h", "w"), [[1.0], [2.0]], [2]),
    ("semicolon", b"a;b\n1,5;2\n3;4\n", ("a", "b"), [["1,5", "3"], [2.0, 4.0]], [2, 3]),
    ("tab", b"a\tb\n1\t\n\t2\n", ("a", "b"), [[1.0, NAN], [NAN, 2.0]], [2, 3]),
    ("pipe", b"a|b\n1|2\n", ("a", "b"), [[1.0], [2.0]], [2]),
    ("na-tokens", b"a,b\nNA,x\nnull,NULL\nN/A,n/a\nNaN,\n5,nan\n", ("a", "b"),
     [[NAN, NAN, NAN, NAN, 5.0], ["x", None, None, None, None]], [2, 3, 4, 5, 6]),
    ("text", b"n,s\n1,1\n2,abc\n", ("n", "s"), [[1.0, 2.0], ["1", "abc"]], [2, 3]),
    ("all-nan", b"a,b\n,1\nNA,2\n", ("a", "b"), [[NAN, NAN], [1.0, 2.0]], [2, 3]),
    ("single-row", b"a,b\n1,2\n", ("a", "b"), [[1.0], [2.0]], [2]),
    ("header-only", b"a,b\n", ("a", "b"), [[], []], []),
    ("crlf-blank", b"a,b\r\n1,2\r\n\r\n3,4", ("a", "b"), [[1.0, 3.0], [2.0, 4.0]], [2, 4]),
    ("bool-date", b"t,d\ntrue,2020-01-01\nFalse,2020-01-02\n", ("t", "d"),
     [["true", "False"], ["2020-01-01", "2020-01-02"]], [2, 3]),
    ("spaces-ints", b"a,b\n 1,7\n2 ,8\n", ("a", "b"), [[1.0, 2.0], [7.0, 8.0]], [2, 3]),
    ("empty-name", b"a,\n1,2\n", ("a", "column_2"), [[1.0], [2.0]], [2]),
]
FIXTURE_IDS = [f[0] for f in FIXTURES]
ENGINES = ["python", "pyarrow"]


def engine_param(engine):
    if engine == "pyarrow":
        pytest.importorskip("pyarrow")
    return engine


def write(tmp_path, name, content):
    path = tmp_path / f"{name}.csv"
    path.write_bytes(content)
    return path


def assert_column(got, expected):
    if all(isinstance(v, float) for v in expected):
        assert got.dtype == np.float64
        np.testing.assert_array_equal(got, np.array(expected, dtype=float))
    else:
        assert got.dtype == object
        assert got.tolist() == expected


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name, content, names, columns, lines", FIXTURES, ids=FIXTURE_IDS)
def test_fixture(tmp_path, engine, name, content, names, columns, lines):
    result = read_csv(write(tmp_path, name, content), engine=engine_param(engine))
    assert isinstance(result, Pipeline)
    table = result.table
    assert table.names == names
    for got, expected in zip(table.columns, columns, strict=True):
        assert_column(got, expected)
    assert table.lines.tolist() == lines
    assert table.reader == engine


@pytest.mark.parametrize("name, content", [(f[0], f[1]) for f in FIXTURES], ids=FIXTURE_IDS)
def test_engines_agree(tmp_path, name, content):
    pytest.importorskip("pyarrow")
    path = write(tmp_path, name, content)
    a, b = read_csv(path, engine="python").table, read_csv(path, engine="pyarrow").table
    assert a.names == b.names
    np.testing.assert_array_equal(a.lines, b.lines)
    for x, y in zip(a.columns, b.columns, strict=True):
        assert x.dtype == y.dtype
        if x.dtype == np.float64:
            np.testing.assert_array_equal(x, y)
        else:
            assert x.tolist() == y.tolist()


@pytest.mark.parametrize("engine", ENGINES)
def test_engines_agree_on_random_numbers(tmp_path, engine):
    rng = np.random.default_rng(7)
    data = rng.normal(size=(500, 4)) * 10.0 ** rng.integers(-20, 20, size=(500, 4))
    data[rng.random(data.shape) < 0.05] = np.nan
    text = "x0,x1,x2,x3\n" + "\n".join(
        ",".join("NA" if np.isnan(v) else repr(float(v)) for v in row) for row in data)
    path = write(tmp_path, "random", text.encode())
    table = read_csv(path, engine=engine_param(engine)).table
    np.testing.assert_array_equal(np.column_stack(table.columns), data)   # repr round-trips


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("content, match", [
    (b"a,b\n1,2\n3\n4,5\n", r"line 3: expected 2 fields \(as in the header on line 1\), "
                            r"found 1"),
    (b"a,b\n1,2\n3,4,5\n", r"line 3: expected 2 fields .* found 3"),
    (b'a,b\n"x\ny",1\n2,3,4\n', r"line 4: expected 2 fields"),
    (b"", r"the file is empty"),
    (b"\n\n  \n", r"the file is empty"),
    ("a,b\n1,café\n".encode("latin-1"), r"line 2: not UTF-8: byte 0xe9"),
    ("\xe9,b\n1,2\n".encode("latin-1"), r"line 1: not UTF-8"),
    (b"a,a\n1,2\n", r"line 1, column a: column name 'a' appears twice"),
], ids=["short-row", "long-row", "after-quoted-newline", "empty", "blank", "latin-1",
        "latin-1-header", "duplicate-name"])
def test_bad_files(tmp_path, engine, content, match):
    path = write(tmp_path, "bad", content)
    with pytest.raises(DataError, match=match) as info:
        read_csv(path, engine=engine_param(engine))
    assert str(path) in str(info.value) and info.value.path == str(path)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(DataError, match=r"nope.csv: no such file"):
        read_csv(tmp_path / "nope.csv")
    with pytest.raises(DataError, match=r"is a directory"):
        read_csv(tmp_path)


@pytest.mark.parametrize("engine", ENGINES)
def test_options(tmp_path, engine):
    path = write(tmp_path, "opts", b"a;b;c\n1;-;x\n2;3;y\n")
    table = read_csv(path, delimiter=";", na_values=["-"], columns=["c", "b"],
                     engine=engine_param(engine)).table
    assert table.names == ("c", "b")
    assert table.columns[0].tolist() == ["x", "y"]
    np.testing.assert_array_equal(table.columns[1], [NAN, 3.0])
    with pytest.raises(ValueError, match=r"no column 'z' .* the columns are a, b, c"):
        read_csv(path, columns=["z"], engine=engine)


@pytest.mark.parametrize("kwargs, match", [
    ({"engine": "pandas"}, r"engine must be None, 'pyarrow', 'python' or 'dask'"),
    ({"delimiter": ";;"}, r"delimiter must be one character"),
    ({"delimiter": '"'}, r"delimiter must be one character"),
    ({"columns": "a"}, r"columns must be a sequence of names"),
], ids=["engine", "long-delimiter", "quote-delimiter", "columns-str"])
def test_bad_arguments(tmp_path, kwargs, match):
    path = write(tmp_path, "ok", b"a,b\n1,2\n")
    with pytest.raises(ValueError, match=match):
        read_csv(path, **kwargs)


@pytest.mark.parametrize("text, expected", [
    ("a,b,c\n1,2,3\n", ","), ("a;b\n1,5;2\n", ";"), ("a\tb\n1\t2\n", "\t"),
    ("a|b\n1|2\n", "|"), ("a\n1\n", ","), ("a;b\n", ";"),
], ids=["comma", "semicolon-decimal-comma", "tab", "pipe", "one-column", "header-only"])
def test_sniff(text, expected):
    assert _sniff(text.encode()) == expected


def test_pyarrow_missing_names_the_extra(tmp_path, monkeypatch):
    import builtins
    real_import = builtins.__import__

    def no_pyarrow(name, *args, **kwargs):
        if name.startswith("pyarrow"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    path = write(tmp_path, "ok", b"a,b\n1,2\n")
    with pytest.raises(ImportError, match=r'pip install "numkit\[io\]"'):
        read_parquet(tmp_path / "x.parquet")
    with pytest.raises(ImportError, match=r'pip install "numkit\[io\]"'):
        read_csv(path, engine="pyarrow")
    assert read_csv(path).table.reader == "python"          # the fallback


def test_parquet_round_trip(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq
    path = str(tmp_path / "d.parquet")
    pq.write_table(pa.table({"x": [1.5, None, 3.0], "i": [1, 2, None],
                             "b": [True, False, None], "s": ["a", None, "c"]}), path)
    table = read_parquet(path).table
    assert table.names == ("x", "i", "b", "s")
    np.testing.assert_array_equal(np.column_stack(table.columns[:3]),
                                  [[1.5, 1.0, 1.0], [NAN, 2.0, 0.0], [3.0, NAN, NAN]])
    assert table.columns[3].tolist() == ["a", None, "c"]
    with pytest.raises(DataError, match="no such file"):
        read_parquet(tmp_path / "none.parquet")
    bad = write(tmp_path, "notparquet", b"a,b\n")
    with pytest.raises(DataError, match="not a readable Parquet file"):
        read_parquet(bad)


def test_from_array():
    rng = np.random.default_rng(8)
    a = rng.normal(size=(6, 3)).astype(np.float32)
    table = from_array(a).table
    assert table.names == ("x0", "x1", "x2")
    np.testing.assert_array_equal(np.column_stack(table.columns), a.astype(np.float64))
    assert from_array(np.arange(3), names=["n"]).table.columns[0].tolist() == [0.0, 1.0, 2.0]
    view = np.arange(12.0).reshape(3, 4)
    t = from_array(view).table
    t.columns[0][0] = 99.0
    assert view[0, 0] == 0.0                                  # copied


@pytest.mark.parametrize("args, match", [
    ((np.zeros((2, 2, 2)),), r"from_array: a must be 1-D or 2-D; got shape \(2, 2, 2\)"),
    ((np.array([["a"]]),), r"must hold real numbers"),
    ((np.zeros((2, 2)), ["a"]), r"names has 1 entries for 2 columns"),
    ((np.zeros((2, 2)), ["a", "a"]), r"column name 'a' appears twice"),
], ids=["3d", "strings", "names-length", "names-repeat"])
def test_from_array_errors(args, match):
    with pytest.raises(ValueError, match=match):
        from_array(*args)


def test_from_columns():
    table = from_columns({"x": [1, 2, 3], "f": np.array([1.0, NAN, 2.0]),
                          "num": ["1", "NaN", "2.5"], "s": ["a", None, "c"],
                          "o": np.array([1.0, None, 3.0], dtype=object)}).table
    assert table.names == ("x", "f", "num", "s", "o")
    np.testing.assert_array_equal(table.columns[0], [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(table.columns[1], [1.0, NAN, 2.0])
    np.testing.assert_array_equal(table.columns[2], [1.0, NAN, 2.5])
    assert table.columns[3].tolist() == ["a", None, "c"]
    np.testing.assert_array_equal(table.columns[4], [1.0, NAN, 3.0])


@pytest.mark.parametrize("columns, match", [
    ({}, r"non-empty dict"),
    ({"a": [1, 2], "b": [1]}, r"equal lengths; got a: 2, b: 1"),
    ({"a": [[1, 2]]}, r"column 'a' must be 1-D"),
], ids=["empty", "lengths", "2d"])
def test_from_columns_errors(columns, match):
    with pytest.raises(ValueError, match=match):
        from_columns(columns)


class Series:
    def __init__(self, values):
        self.values = values

    def to_numpy(self):
        return np.asarray(self.values)


class Frame:
    """A minimal stand-in for a pandas DataFrame."""

    def __init__(self, data):
        self.data = data
        self.columns = list(data)

    def __getitem__(self, name):
        return Series(self.data[name])


def test_from_dataframe_duck_typed():
    frame = Frame({"w": [1.0, NAN], 3: [4, 5], "s": np.array(["p", None], dtype=object)})
    table = from_dataframe(frame).table
    assert table.names == ("w", "3", "s")
    np.testing.assert_array_equal(table.columns[0], [1.0, NAN])
    np.testing.assert_array_equal(table.columns[1], [4.0, 5.0])
    assert table.columns[2].tolist() == ["p", None]
    with pytest.raises(TypeError, match=r"from_dataframe: df must have .columns"):
        from_dataframe([1, 2])


# -- streaming: batches, types decided late, the block ------------------------------


def late_types_file(tmp_path, rows=60):
    """Columns whose type shows only after the first batches: a (ints, then one
    float), b (empty, then numbers), c (numbers, then one word), d (empty, then text),
    e (numbers throughout)."""
    a = [str(i) for i in range(rows)]
    a[50] = "2.5"
    b = ["" if i < 40 else repr(i * 0.5) for i in range(rows)]
    c = [repr(i * 0.25) for i in range(rows)]
    c[45] = "x"
    d = ["" if i < 40 else "t" for i in range(rows)]
    e = [repr(i / 7) for i in range(rows)]
    body = "".join(",".join(r) + "\n" for r in zip(a, b, c, d, e, strict=True))
    path = write(tmp_path, "late", ("a,b,c,d,e\n" + body).encode())
    expected = {
        "a": [float(v) for v in a],
        "b": [NAN if v == "" else float(v) for v in b],
        "c": c,
        "d": [None if v == "" else v for v in d],
        "e": [float(v) for v in e],
    }
    return path, expected


@pytest.fixture(params=["pieces", "stream"])
def small_batches(monkeypatch, request):
    # a few rows per batch, so that types change between batches; pyarrow reads a file
    # without quotes in pieces (read_csv), else with its streaming reader (open_csv)
    monkeypatch.setattr(_sources, "ARROW_BLOCK_BYTES", 128)
    monkeypatch.setattr(_sources, "ARROW_PIECE_BYTES",
                        150 if request.param == "pieces" else 1 << 30)
    monkeypatch.setattr(_sources, "PYTHON_CHUNK_ROWS", 7)


@pytest.mark.parametrize("engine", ENGINES)
def test_types_decided_after_the_first_batch(tmp_path, engine, small_batches):
    path, expected = late_types_file(tmp_path)
    table = read_csv(path, engine=engine_param(engine)).table
    assert table.names == tuple(expected) and table.reader == engine
    for got, want in zip(table.columns, expected.values(), strict=True):
        assert_column(got, want)
    assert table.lines.tolist() == list(range(2, 62))
    assert table.numeric_names() == ("a", "b", "e")
    np.testing.assert_array_equal(table.block, np.column_stack(
        [expected["a"], expected["b"], expected["e"]]))


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("columns", [None, ["e", "c", "a"]], ids=["all", "chosen"])
def test_batches_agree_with_one_read(tmp_path, engine, columns, monkeypatch):
    path, _ = late_types_file(tmp_path, rows=300)
    whole = read_csv(path, engine=engine_param(engine), columns=columns).table
    monkeypatch.setattr(_sources, "ARROW_BLOCK_BYTES", 200)
    monkeypatch.setattr(_sources, "ARROW_PIECE_BYTES", 300)
    monkeypatch.setattr(_sources, "PYTHON_CHUNK_ROWS", 3)
    batched = read_csv(path, engine=engine, columns=columns).table
    assert batched.names == whole.names
    for x, y in zip(batched.columns, whole.columns, strict=True):
        assert x.dtype == y.dtype
        if x.dtype == np.float64:
            np.testing.assert_array_equal(x, y)
        else:
            assert x.tolist() == y.tolist()
    np.testing.assert_array_equal(batched.lines, whole.lines)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("every", [9, 1000], ids=["blank-lines", "no-blank-line"])
def test_piece_ends_crlf_blank_and_long_lines(tmp_path, engine, every, small_batches,
                                              monkeypatch):
    # the streaming reader needs a row to fit in a block (a longer one goes to the csv
    # reader); pieces grow to hold a row
    monkeypatch.setattr(_sources, "ARROW_BLOCK_BYTES", 1024)
    rows = [[float(i), i / 3.0] for i in range(40)]
    lines = [f"{a!r},{b!r}" for a, b in rows]
    lines[10] = f"{'1' * 400}.5,2.0"                 # longer than a piece
    rows[10] = [float("1" * 400 + ".5"), 2.0]
    text = "\ufeffx,y\r\n" + "\r\n".join(ln + ("\r\n" if i % every == 4 else "")
                                     for i, ln in enumerate(lines))
    path = write(tmp_path, "ends", text.encode())
    table = read_csv(path, engine=engine_param(engine)).table
    assert table.reader == engine and table.names == ("x", "y")
    np.testing.assert_array_equal(table.block, rows)
    expected_lines, line = [], 2
    for i in range(40):
        expected_lines.append(line)
        line += 2 if i % every == 4 else 1
    assert table.lines.tolist() == expected_lines


@pytest.mark.parametrize("engine", ENGINES)
def test_quoted_line_ends_across_pieces(tmp_path, engine, small_batches, monkeypatch):
    monkeypatch.setattr(_sources, "ARROW_BLOCK_BYTES", 1024)
    words = [f"w{i}\nline {i}, more" for i in range(30)]
    text = "n,s\n" + "".join(f'{i},"{w}"\n' for i, w in enumerate(words))
    path = write(tmp_path, "quoted", text.encode())
    table = read_csv(path, engine=engine_param(engine)).table
    assert table.reader == engine
    np.testing.assert_array_equal(table.columns[0], np.arange(30.0))
    assert table.columns[1].tolist() == words
    assert table.lines.tolist() == list(range(2, 62, 2))


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("fault, match", [
    (b"7,caf\xe9\n", r"line 52: not UTF-8: byte 0xe9 at byte 6 of the line"),
    (b"7,8,9\n", r"line 52: expected 2 fields \(as in the header on line 1\), found 3"),
    (b'"7,8\n', r"line 52: expected 2 fields .* found 1"),    # the quote runs to the end
], ids=["latin-1", "long-row", "open-quote"])
def test_late_faults_name_their_line(tmp_path, engine, fault, match, small_batches):
    body = b"".join(b"%d,w%d\n" % (i, i) for i in range(50))
    path = write(tmp_path, "late-fault", b"n,s\n" + body + fault + b"1,2\n")
    with pytest.raises(DataError, match=match):
        read_csv(path, engine=engine_param(engine))


@pytest.mark.parametrize("engine", ENGINES)
def test_numeric_columns_are_read_only_views_of_one_block(tmp_path, engine):
    path = write(tmp_path, "block", b"a,s,b\n1,x,2\n3,y,NA\n5,z,6\n")
    table = read_csv(path, engine=engine_param(engine)).table
    assert table.block.shape == (3, 2) and table.block.flags.c_contiguous
    np.testing.assert_array_equal(table.block, [[1.0, 2.0], [3.0, NAN], [5.0, 6.0]])
    for j, i in enumerate((0, 2)):
        assert np.shares_memory(table.columns[i], table.block[:, j])
    with pytest.raises(ValueError, match="read-only"):
        table.columns[0][0] = 9.0


def test_table_checks_its_block():
    block = np.arange(6.0).reshape(3, 2)
    block.flags.writeable = False
    Table(("a", "b"), (block[:, 0], block[:, 1]), block=block)       # consistent
    with pytest.raises(ValueError, match=r"numeric column 0 is not column 0 of block"):
        Table(("a", "b"), (block[:, 1], block[:, 0]), block=block)
    with pytest.raises(ValueError, match=r"one column per numeric column \(1\)"):
        Table(("a",), (block[:, 0],), block=block)
    with pytest.raises(ValueError, match=r"read-only C-contiguous"):
        Table(("a", "b"), (block[:, 0], block[:, 1]), block=np.arange(6.0).reshape(3, 2))
    with pytest.raises(ValueError, match=r"has 2 rows but block has 3"):
        Table(("a", "b"), (block[:2, 0], block[:2, 1]), block=block)


@pytest.mark.parametrize("values, type_name, offset", [
    ([1.5, None, -3.0, 4.0, None], "float64", 0),
    ([1.5, None, -3.0, 4.0, None, 7.0, 8.0, None, 9.0, 10.0], "float64", 3),
    ([1, None, 2**53 + 1, -7], "int64", 1),
    ([5, 6, 7], "int32", 0),
    ([None, None], "null", 0),
], ids=["float-nulls", "float-offset", "int64-rounding", "int32", "null"])
def test_arrow_arrays_into_the_block(values, type_name, offset):
    pa = pytest.importorskip("pyarrow")
    array = pa.array(values, type=getattr(pa, type_name)()).slice(offset)
    out = np.full((len(array), 2), -1.0)
    _sources._put_float64(pa, array, out[:, 1])
    # Python's float() rounds an integer to the nearest double, as numpy's cast does
    expected = [NAN if v is None else float(v) for v in values[offset:]]
    np.testing.assert_array_equal(out[:, 1], expected)
    assert (out[:, 0] == -1.0).all()


def test_parquet_columns_and_engine(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq
    path = str(tmp_path / "c.parquet")
    pq.write_table(pa.table({"x": [1.0, 2.0], "y": [3.0, None], "s": ["a", "b"]}), path)
    table = read_parquet(path, columns=["s", "y"]).table
    assert table.names == ("s", "y") and table.columns[0].tolist() == ["a", "b"]
    np.testing.assert_array_equal(table.columns[1], [3.0, NAN])
    assert read_parquet(path, engine="pyarrow").table.names == ("x", "y", "s")
    with pytest.raises(ValueError, match=r"read_parquet: no column 'z' .* x, y, s"):
        read_parquet(path, columns=["z"])
    with pytest.raises(ValueError, match=r"read_parquet: engine must be None, 'pyarrow' or "
                                         r"'dask'; got 'python'"):
        read_parquet(path, engine="python")


def test_dask_engine_dispatches_before_any_check(monkeypatch):
    import sys
    import types

    calls = []
    fake = types.ModuleType("numkit.pipeline._dask")
    fake.read_csv_dask = lambda path, **kw: calls.append(("csv", path, kw)) or "csv"
    fake.read_parquet_dask = lambda path, **kw: calls.append(("parquet", path, kw)) or "pq"
    monkeypatch.setitem(sys.modules, "numkit.pipeline._dask", fake)
    # a glob that is no file: nothing else looks at it first
    assert read_csv("data/*.csv", engine="dask", delimiter=";", columns=["a"]) == "csv"
    assert read_parquet("parts/*.parquet", engine="dask", columns=["b"]) == "pq"
    assert calls == [
        ("csv", "data/*.csv", {"delimiter": ";", "na_values": _sources.NA_VALUES,
                               "columns": ["a"]}),
        ("parquet", "parts/*.parquet", {"columns": ["b"]}),
    ]


def test_type_escalation_float_then_text(tmp_path, monkeypatch):
    # b: integers in the first block, a word later: read again as float64, which the
    # (now first) block holding the word rejects, then as text — never the csv reader
    pytest.importorskip("pyarrow")
    monkeypatch.setattr(_sources, "ARROW_BLOCK_BYTES", 128)
    rows = [f"{i},{i if i != 30 else 'x'}" for i in range(40)]
    path = write(tmp_path, "escalate", ("a,b\n" + "\n".join(rows) + "\n").encode())
    passes = []
    real = _sources._read_arrow_pass

    def spy(*args):
        passes.append({k: str(v) for k, v in args[-1].items()})
        return real(*args)

    monkeypatch.setattr(_sources, "_read_arrow_pass", spy)
    table = read_csv(path, engine="pyarrow").table
    assert passes == [{}, {"b": "double"}, {"b": "string"}]
    assert table.reader == "pyarrow"
    assert table.columns[1].tolist() == [str(i) if i != 30 else "x" for i in range(40)]
