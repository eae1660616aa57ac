"""CSV/Parquet readers and in-memory sources; the pyarrow and csv readers agree."""

import numpy as np
import pytest

from numkit.errors import DataError
from numkit.pipeline._sources import (
    _sniff,
    from_array,
    from_columns,
    from_dataframe,
    read_csv,
    read_parquet,
)
from numkit.pipeline._stage import Pipeline

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
    ({"engine": "pandas"}, r"engine must be None, 'pyarrow' or 'python'"),
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
