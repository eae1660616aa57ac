"""Tests for numkit.mat._format.formatted (Gonum's mat.Formatted).

Oracles: the expected strings of gonum/mat/format_test.go (TestFormat) and
gonum/mat/format_example_test.go (ExampleFormatted, ExampleFormatted_mATLAB,
ExampleFormatted_python, ExampleExcerpt); the table of Go's
src/strconv/ftoa_test.go for single numbers; numpy's Dragon4 shortest-digit
formatters (np.format_float_scientific / np.format_float_positional with
unique=True) as an independent source of shortest digits.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import numkit.mat._format as format_module
from numkit.errors import ShapeError
from numkit.mat import Dense, VecDense
from numkit.mat._format import formatted

SQRT_2x3 = np.sqrt(np.arange(6.0)).reshape(2, 3)
SQRT_3x2 = np.sqrt(np.arange(6.0)).reshape(3, 2)
IDENTITY_10 = np.eye(10)

# gonum/mat/format_test.go, TestFormat: (matrix, options, Go verb -> fmt, output).
# Go's "%v" is fmt="g", "% f" is fmt=" f", "%.2f" is fmt=".2f", "%#v" is fmt="#g".
GONUM_TEST_FORMAT = [
    ("zeros-v", np.zeros((3, 3)), {}, "g", "⎡0  0  0⎤\n⎢0  0  0⎥\n⎣0  0  0⎦"),
    ("zeros-dot", np.zeros((3, 3)), {}, " f", "⎡.  .  .⎤\n⎢.  .  .⎥\n⎣.  .  .⎦"),
    ("ones-v", np.ones((3, 3)), {}, "g", "⎡1  1  1⎤\n⎢1  1  1⎥\n⎣1  1  1⎦"),
    ("ones-dot", np.ones((3, 3)), {}, " f", "⎡1  1  1⎤\n⎢1  1  1⎥\n⎣1  1  1⎦"),
    ("ones-prefix-v", np.ones((3, 3)), {"prefix": "\t"}, "g",
     "⎡1  1  1⎤\n\t⎢1  1  1⎥\n\t⎣1  1  1⎦"),
    ("ones-prefix-dot", np.ones((3, 3)), {"prefix": "\t"}, " f",
     "⎡1  1  1⎤\n\t⎢1  1  1⎥\n\t⎣1  1  1⎦"),
    ("eye-v", np.eye(3), {}, "g", "⎡1  0  0⎤\n⎢0  1  0⎥\n⎣0  0  1⎦"),
    ("eye-dot", np.eye(3), {}, " f", "⎡1  .  .⎤\n⎢.  1  .⎥\n⎣.  .  1⎦"),
    ("2x3-v", [[1, 2, 3], [4, 5, 6]], {}, "g", "⎡1  2  3⎤\n⎣4  5  6⎦"),
    ("2x3-dot", [[1, 2, 3], [4, 5, 6]], {}, " f", "⎡1  2  3⎤\n⎣4  5  6⎦"),
    ("3x2-v", [[1, 2], [3, 4], [5, 6]], {}, "g", "⎡1  2⎤\n⎢3  4⎥\n⎣5  6⎦"),
    ("sqrt2x3-v", SQRT_2x3, {}, "g",
     "⎡                 0                   1  1.4142135623730951⎤\n"
     "⎣1.7320508075688772                   2    2.23606797749979⎦"),
    ("sqrt2x3-.2f", SQRT_2x3, {}, ".2f", "⎡0.00  1.00  1.41⎤\n⎣1.73  2.00  2.24⎦"),
    ("sqrt2x3-dot", SQRT_2x3, {}, " f",
     "⎡                 .                   1  1.4142135623730951⎤\n"
     "⎣1.7320508075688772                   2    2.23606797749979⎦"),
    ("sqrt3x2-v", SQRT_3x2, {}, "g",
     "⎡                 0                   1⎤\n"
     "⎢1.4142135623730951  1.7320508075688772⎥\n"
     "⎣                 2    2.23606797749979⎦"),
    ("sqrt3x2-.2f", SQRT_3x2, {}, ".2f", "⎡0.00  1.00⎤\n⎢1.41  1.73⎥\n⎣2.00  2.24⎦"),
    ("sqrt2x3-squeeze-v", SQRT_2x3, {"squeeze": True}, "g",
     "⎡                 0  1  1.4142135623730951⎤\n"
     "⎣1.7320508075688772  2    2.23606797749979⎦"),
    ("sqrt2x3-squeeze-.2f", SQRT_2x3, {"squeeze": True}, ".2f",
     "⎡0.00  1.00  1.41⎤\n⎣1.73  2.00  2.24⎦"),
    ("sqrt2x3-squeeze-dot", SQRT_2x3, {"squeeze": True}, " f",
     "⎡                 .  1  1.4142135623730951⎤\n"
     "⎣1.7320508075688772  2    2.23606797749979⎦"),
    ("row-excerpt3", np.arange(1.0, 11.0)[None, :], {"excerpt": 3}, "g",
     "Dims(1, 10)\n[ 1   2   3  ...  ...   8   9  10]"),
    ("col-excerpt3", np.arange(1.0, 11.0)[:, None], {"excerpt": 3}, "g",
     "Dims(10, 1)\n⎡ 1⎤\n⎢ 2⎥\n⎢ 3⎥\n .\n .\n .\n⎢ 8⎥\n⎢ 9⎥\n⎣10⎦"),
    ("eye10-excerpt3", IDENTITY_10, {"excerpt": 3}, "g",
     "Dims(10, 10)\n⎡1  0  0  ...  ...  0  0  0⎤\n⎢0  1  0            0  0  0⎥\n"
     "⎢0  0  1            0  0  0⎥\n .\n .\n .\n⎢0  0  0            1  0  0⎥\n"
     "⎢0  0  0            0  1  0⎥\n⎣0  0  0  ...  ...  0  0  1⎦"),
]

COL_9 = np.arange(1.0, 10.0)[:, None]
COL_9_NEG = COL_9 * np.array([1, -1, 1, 1, 1, 1, 1, 1, 1.0])[:, None]
SQUARE_9 = np.arange(1.0, 10.0).reshape(3, 3)
SQUARE_9_NEG = SQUARE_9 * np.array([[1, -1, 1], [1, 1, 1], [1, 1, 1.0]])

# gonum/mat/format_test.go, TestFormat, FormatMATLAB() and FormatPython() cases.
GONUM_FOREIGN = [
    ("matlab-col", COL_9, "matlab", "g", "[1; 2; 3; 4; 5; 6; 7; 8; 9]"),
    ("matlab-col#", COL_9, "matlab", "#g", "[\n 1\n 2\n 3\n 4\n 5\n 6\n 7\n 8\n 9\n]"),
    ("matlab-row", COL_9.T, "matlab", "g", "[1 2 3 4 5 6 7 8 9]"),
    ("matlab-row#", COL_9.T, "matlab", "#g", "[1 2 3 4 5 6 7 8 9]"),
    ("matlab-3x3", SQUARE_9, "matlab", "g", "[1 2 3; 4 5 6; 7 8 9]"),
    ("matlab-3x3#", SQUARE_9, "matlab", "#g", "[\n 1 2 3\n 4 5 6\n 7 8 9\n]"),
    ("matlab-colneg", COL_9_NEG, "matlab", "g", "[1; -2; 3; 4; 5; 6; 7; 8; 9]"),
    ("matlab-colneg#", COL_9_NEG, "matlab", "#g",
     "[\n  1\n -2\n  3\n  4\n  5\n  6\n  7\n  8\n  9\n]"),
    ("matlab-rowneg", COL_9_NEG.T, "matlab", "g", "[1 -2 3 4 5 6 7 8 9]"),
    ("matlab-rowneg#", COL_9_NEG.T, "matlab", "#g", "[ 1 -2  3  4  5  6  7  8  9]"),
    ("matlab-3x3neg", SQUARE_9_NEG, "matlab", "g", "[1 -2 3; 4 5 6; 7 8 9]"),
    ("matlab-3x3neg#", SQUARE_9_NEG, "matlab", "#g", "[\n  1 -2  3\n  4  5  6\n  7  8  9\n]"),
    ("python-col", COL_9, "python", "g", "[[1], [2], [3], [4], [5], [6], [7], [8], [9]]"),
    ("python-col#", COL_9, "python", "#g",
     "[[1],\n [2],\n [3],\n [4],\n [5],\n [6],\n [7],\n [8],\n [9]]"),
    ("python-row", COL_9.T, "python", "g", "[1, 2, 3, 4, 5, 6, 7, 8, 9]"),
    ("python-row#", COL_9.T, "python", "#g", "[1, 2, 3, 4, 5, 6, 7, 8, 9]"),
    ("python-3x3", SQUARE_9, "python", "g", "[[1, 2, 3], [4, 5, 6], [7, 8, 9]]"),
    ("python-3x3#", SQUARE_9, "python", "#g", "[[1, 2, 3],\n [4, 5, 6],\n [7, 8, 9]]"),
    ("python-colneg", COL_9_NEG, "python", "g",
     "[[1], [-2], [3], [4], [5], [6], [7], [8], [9]]"),
    ("python-colneg#", COL_9_NEG, "python", "#g",
     "[[ 1],\n [-2],\n [ 3],\n [ 4],\n [ 5],\n [ 6],\n [ 7],\n [ 8],\n [ 9]]"),
    ("python-rowneg", COL_9_NEG.T, "python", "g", "[1, -2, 3, 4, 5, 6, 7, 8, 9]"),
    ("python-rowneg#", COL_9_NEG.T, "python", "#g", "[ 1, -2,  3,  4,  5,  6,  7,  8,  9]"),
    ("python-3x3neg", SQUARE_9_NEG, "python", "g", "[[1, -2, 3], [4, 5, 6], [7, 8, 9]]"),
    ("python-3x3neg#", SQUARE_9_NEG, "python", "#g",
     "[[ 1, -2,  3],\n [ 4,  5,  6],\n [ 7,  8,  9]]"),
]

BELOW_1E23 = 99999999999999974834176.0
ABOVE_1E23 = 100000000000000008388608.0

# Go's src/strconv/ftoa_test.go (ftoatests; the 'x', 'X', 'b' and 'y' rows are
# verbs Gonum does not use). prec -1 is Go's shortest, numkit's "no precision".
GO_FTOA = [
    (1, "e", 5, "1.00000e+00"), (1, "f", 5, "1.00000"), (1, "g", 5, "1"), (1, "g", -1, "1"),
    (20, "g", -1, "20"), (1234567.8, "g", -1, "1.2345678e+06"), (200000, "g", -1, "200000"),
    (2000000, "g", -1, "2e+06"),
    (400, "g", 2, "4e+02"), (40, "g", 2, "40"), (4, "g", 2, "4"), (0.4, "g", 2, "0.4"),
    (0.04, "g", 2, "0.04"), (0.004, "g", 2, "0.004"), (0.0004, "g", 2, "0.0004"),
    (0.00004, "g", 2, "4e-05"), (0.000004, "g", 2, "4e-06"),
    (0, "e", 5, "0.00000e+00"), (0, "f", 5, "0.00000"), (0, "g", 5, "0"), (0, "g", -1, "0"),
    (-1, "e", 5, "-1.00000e+00"), (-1, "f", 5, "-1.00000"), (-1, "g", 5, "-1"),
    (-1, "g", -1, "-1"),
    (12, "e", 5, "1.20000e+01"), (12, "f", 5, "12.00000"), (12, "g", 5, "12"),
    (12, "g", -1, "12"),
    (123456700, "e", 5, "1.23457e+08"), (123456700, "f", 5, "123456700.00000"),
    (123456700, "g", 5, "1.2346e+08"), (123456700, "g", -1, "1.234567e+08"),
    (1.2345e6, "e", 5, "1.23450e+06"), (1.2345e6, "f", 5, "1234500.00000"),
    (1.2345e6, "g", 5, "1.2345e+06"),
    (1e23, "e", 17, "9.99999999999999916e+22"),
    (1e23, "f", 17, "99999999999999991611392.00000000000000000"),
    (1e23, "g", 17, "9.9999999999999992e+22"),
    (1e23, "e", -1, "1e+23"), (1e23, "f", -1, "100000000000000000000000"),
    (1e23, "g", -1, "1e+23"),
    (BELOW_1E23, "e", 17, "9.99999999999999748e+22"),
    (BELOW_1E23, "f", 17, "99999999999999974834176.00000000000000000"),
    (BELOW_1E23, "g", 17, "9.9999999999999975e+22"),
    (BELOW_1E23, "e", -1, "9.999999999999997e+22"),
    (BELOW_1E23, "f", -1, "99999999999999970000000"),
    (BELOW_1E23, "g", -1, "9.999999999999997e+22"),
    (ABOVE_1E23, "e", 17, "1.00000000000000008e+23"),
    (ABOVE_1E23, "f", 17, "100000000000000008388608.00000000000000000"),
    (ABOVE_1E23, "g", 17, "1.0000000000000001e+23"),
    (ABOVE_1E23, "e", -1, "1.0000000000000001e+23"),
    (ABOVE_1E23, "f", -1, "100000000000000010000000"),
    (ABOVE_1E23, "g", -1, "1.0000000000000001e+23"),
    (5e-324, "g", -1, "5e-324"), (-5e-324, "g", -1, "-5e-324"),
    (32, "g", -1, "32"), (32, "g", 0, "3e+01"),
    (math.nan, "g", -1, "NaN"), (-math.nan, "g", -1, "NaN"), (math.inf, "g", -1, "+Inf"),
    (-math.inf, "g", -1, "-Inf"),
    (0.9, "f", 1, "0.9"), (0.09, "f", 1, "0.1"), (0.0999, "f", 1, "0.1"),
    (0.05, "f", 1, "0.1"), (0.05, "f", 0, "0"), (0.5, "f", 1, "0.5"), (0.5, "f", 0, "0"),
    (1.5, "f", 0, "2"),
    (2.2250738585072012e-308, "g", -1, "2.2250738585072014e-308"),
    (2.2250738585072011e-308, "g", -1, "2.225073858507201e-308"),
    (383260575764816448, "f", 0, "383260575764816448"),
    (383260575764816448, "g", -1, "3.8326057576481645e+17"),
    (498484681984085570, "f", -1, "498484681984085570"),
    (-5.8339553793802237e+23, "g", -1, "-5.8339553793802237e+23"),
]


def _ftoa_id(case):
    value, verb, prec, _ = case
    return f"{value!r}-{verb}{prec}"


def _spec(verb: str, prec: int) -> str:
    return verb if prec < 0 else f".{prec}{verb}"


@pytest.mark.parametrize(("m", "options", "fmt", "want"),
                         [case[1:] for case in GONUM_TEST_FORMAT],
                         ids=[case[0] for case in GONUM_TEST_FORMAT])
def test_gonum_format_table(m, options, fmt, want):
    assert formatted(m, fmt=fmt, **options) == want


@pytest.mark.parametrize(("m", "syntax", "fmt", "want"),
                         [case[1:] for case in GONUM_FOREIGN],
                         ids=[case[0] for case in GONUM_FOREIGN])
def test_gonum_matlab_python_table(m, syntax, fmt, want):
    assert formatted(m, syntax=syntax, fmt=fmt) == want


@pytest.mark.parametrize(("value", "verb", "prec", "want"), GO_FTOA,
                         ids=[_ftoa_id(case) for case in GO_FTOA])
def test_numbers_as_go_strconv_writes_them(value, verb, prec, want):
    # A 1×1 matrix is a single cell between '[' and ']' in every syntax.
    cell = np.array([[value]], dtype=float)
    assert formatted(cell, fmt=_spec(verb, prec)) == f"[{want}]"
    assert formatted(cell, fmt=_spec(verb, prec), syntax="matlab") == f"[{want}]"
    assert formatted(cell, fmt=_spec(verb, prec), syntax="python") == f"[{want}]"


@pytest.mark.parametrize(("fmt", "want"), [
    ("G", "[1.5E-07     -Inf]"),
    ("E", "[1.5E-07     -Inf]"),
    (".3G", "[1.5E-07     -Inf]"),
    ("v", "[1.5e-07     -Inf]"),
    ("F", "[0.00000015        -Inf]"),
], ids=["G", "E", ".3G", "v", "F"])
def test_upper_case_and_synonym_verbs(fmt, want):
    assert formatted([[1.5e-7, -np.inf]], fmt=fmt) == want


# -- Gonum's published examples (gonum/mat/format_example_test.go) ------------------


def test_example_formatted():
    a = Dense(3, 3, [1, 2, 3, 0, 4, 5, 0, 0, 6])
    assert "a = " + formatted(a, prefix="    ", squeeze=True) == (
        "a = ⎡1  2  3⎤\n    ⎢0  4  5⎥\n    ⎣0  0  6⎦")
    assert "a = " + formatted(a, prefix="    ", squeeze=True, fmt=" v") == (
        "a = ⎡1  2  3⎤\n    ⎢.  4  5⎥\n    ⎣.  .  6⎦")
    a.set(0, 2, 0)
    assert "a = " + formatted(a, prefix="    ", squeeze=True, fmt=" v") == (
        "a = ⎡1  2  .⎤\n    ⎢.  4  5⎥\n    ⎣.  .  6⎦")
    a.set(0, 2, 123.456)
    assert "a = " + formatted(a, prefix="    ", squeeze=True, fmt=".2g") == (
        "a = ⎡1  2  1.2e+02⎤\n    ⎢0  4        5⎥\n    ⎣0  0        6⎦")


def test_example_formatted_matlab():
    a = Dense(3, 3, [1, 2, 3, 0, 4, 5, 0, 0, 6])
    assert formatted(a, syntax="matlab") == "[1 2 3; 0 4 5; 0 0 6]"
    assert "a = " + formatted(a, syntax="matlab", fmt="#v") == (
        "a = [\n 1 2 3\n 0 4 5\n 0 0 6\n]")


def test_example_formatted_python():
    a = Dense(3, 3, [1, 2, 3, 0, 4, 5, 0, 0, 6])
    assert formatted(a, prefix="    ", syntax="python") == "[[1, 2, 3], [0, 4, 5], [0, 0, 6]]"
    assert "a = " + formatted(a, prefix="    ", syntax="python", fmt="#v") == (
        "a = [[1, 2, 3],\n     [0, 4, 5],\n     [0, 0, 6]]")


def test_example_excerpt():
    big = Dense(100, 100)
    for i in range(100):
        big.set(i, i, 1)
    assert formatted(big, prefix=" ", excerpt=3) == (
        "Dims(100, 100)\n"
        " ⎡1  0  0  ...  ...  0  0  0⎤\n"
        " ⎢0  1  0            0  0  0⎥\n"
        " ⎢0  0  1            0  0  0⎥\n"
        "  .\n  .\n  .\n"
        " ⎢0  0  0            1  0  0⎥\n"
        " ⎢0  0  0            0  1  0⎥\n"
        " ⎣0  0  0  ...  ...  0  0  1⎦")
    long = VecDense(100, np.arange(100.0))
    assert formatted(long, prefix=" ", excerpt=3) == (
        "Dims(100, 1)\n ⎡ 0⎤\n ⎢ 1⎥\n ⎢ 2⎥\n  .\n  .\n  .\n ⎢97⎥\n ⎢98⎥\n ⎣99⎦")
    long_t = Dense.from_array(np.arange(100.0)[:, None]).T()
    assert formatted(long_t, prefix=" ", excerpt=3) == (
        "Dims(1, 100)\n [ 0   1   2  ...  ...  97  98  99]")


# -- shapes, views and input kinds ---------------------------------------------------


@pytest.mark.parametrize(("m", "syntax", "fmt", "want"), [
    (np.zeros((0, 0)), "default", "g", ""),
    (np.zeros((0, 0)), "matlab", "g", "[]"),
    (np.zeros((0, 0)), "python", "g", "[]"),
    (np.zeros((0, 0)), "matlab", "#g", ""),
    (np.zeros((0, 0)), "python", "#g", ""),
    (np.zeros((0, 3)), "default", "g", ""),
    (np.zeros((2, 0)), "default", "g", "⎡⎤\n⎣⎦"),
    (np.zeros((2, 0)), "matlab", "g", "[; ]"),
    (np.zeros((2, 0)), "python", "g", "[[], []]"),
    ([[-2.5]], "default", "g", "[-2.5]"),
    ([[-2.5]], "matlab", "#g", "[-2.5]"),
    ([[1, -20, 300]], "default", "g", "[  1  -20  300]"),
    ([[1], [-20], [300]], "default", "g", "⎡  1⎤\n⎢-20⎥\n⎣300⎦"),
    ([1, -20, 300], "default", "g", "⎡  1⎤\n⎢-20⎥\n⎣300⎦"),
    ([[np.nan, np.inf], [-np.inf, -0.0]], "default", "g", "⎡ NaN  +Inf⎤\n⎣-Inf    -0⎦"),
    ([[np.nan, np.inf], [-np.inf, -0.0]], "default", " g", "⎡ NaN  +Inf⎤\n⎣-Inf     .⎦"),
    ([[np.nan, np.inf], [-np.inf, -0.0]], "python", "g", "[[NaN, +Inf], [-Inf, -0]]"),
    ([[1e20, 1.5e-7], [7, 0.5]], "default", "g", "⎡  1e+20  1.5e-07⎤\n⎣      7      0.5⎦"),
    ([[1e20, 1.5e-7], [7, 0.5]], "default", "e",
     "⎡  1e+20  1.5e-07⎤\n⎣  7e+00    5e-01⎦"),
], ids=["0x0", "0x0-matlab", "0x0-python", "0x0-matlab#", "0x0-python#", "0x3", "2x0",
        "2x0-matlab", "2x0-python", "1x1", "1x1-matlab#", "1xn", "nx1", "1-d-column",
        "nan-inf", "nan-inf-dot", "nan-inf-python", "go-shortest-g", "go-shortest-e"])
def test_shapes_and_special_values(m, syntax, fmt, want):
    assert formatted(m, syntax=syntax, fmt=fmt) == want


def _views():
    base = np.arange(1.0, 25.0).reshape(4, 6)
    dense = Dense.from_array(base)
    return [
        ("dense-T", dense.T(), base.T),
        ("dense-slice", dense.slice(1, 3, 2, 5), base[1:3, 2:5]),
        ("col-view", dense.col_view(4), base[:, 4:5]),
        ("row-view", dense.row_view(2), base[2][:, None]),
        ("numpy-strided", base[::2, ::3], base[::2, ::3]),
        ("numpy-fortran", np.asfortranarray(base), base),
        ("numpy-negative-strides", base[::-1, ::-1], base[::-1, ::-1]),
    ]


@pytest.mark.parametrize(("m", "expected"), [v[1:] for v in _views()],
                         ids=[v[0] for v in _views()])
def test_views_format_like_their_contiguous_copies(m, expected):
    copy = np.ascontiguousarray(expected)
    rows = [" ".join(repr(v).removesuffix(".0") for v in row) for row in copy.tolist()]
    assert formatted(m, syntax="matlab") == "[" + "; ".join(rows) + "]"
    assert formatted(m, excerpt=1) == formatted(copy, excerpt=1)


def test_read_only_input():
    a = np.arange(6.0).reshape(2, 3)
    a.flags.writeable = False
    assert formatted(a) == "⎡0  1  2⎤\n⎣3  4  5⎦"


def test_str_of_a_matrix_is_formatted():
    assert str(Dense(2, 2, [1, 2, 3, 4.5])) == "⎡  1    2⎤\n⎣  3  4.5⎦"


def test_integer_and_list_input():
    assert formatted(np.array([[1, 2], [3, 4]], dtype=np.int64)) == "⎡1  2⎤\n⎣3  4⎦"
    assert formatted([[True, False]]) == "[1  0]"


# -- options ---------------------------------------------------------------------------


@pytest.mark.parametrize(("options", "want"), [
    ({}, "⎡    1  -2000⎤\n⎣   30      4⎦"),
    ({"squeeze": True}, "⎡ 1  -2000⎤\n⎣30      4⎦"),
    ({"fmt": "-g"}, "⎡1      -2000⎤\n⎣30     4    ⎦"),
    ({"fmt": "-g", "squeeze": True}, "⎡1   -2000⎤\n⎣30  4    ⎦"),
    ({"prefix": ">> "}, "⎡    1  -2000⎤\n>> ⎣   30      4⎦"),
], ids=["uniform", "squeeze", "left", "left-squeeze", "prefix"])
def test_alignment_options(options, want):
    assert formatted([[1, -2000], [30, 4]], **options) == want


@pytest.mark.parametrize(("syntax", "options", "want"), [
    ("matlab", {"squeeze": True, "fmt": "#g"}, "[\n  1 -2000\n 30     4\n]"),
    ("matlab", {"prefix": "  ", "fmt": "#g"}, "[\n       1 -2000\n      30     4\n  ]"),
    ("python", {"squeeze": True, "fmt": "#g"}, "[[ 1, -2000],\n [30,     4]]"),
    # Gonum pads a left-aligned cell before its comma.
    ("python", {"fmt": "-#g"}, "[[1    , -2000],\n [30   , 4    ]]"),
    # One-line forms ignore prefix, squeeze, excerpt and the ' ' flag (Gonum).
    ("matlab", {"prefix": "xx", "squeeze": True, "excerpt": 1, "fmt": " g"}, "[1 -2000; 30 4]"),
    ("python", {"prefix": "xx", "squeeze": True, "excerpt": 1, "fmt": " g"},
     "[[1, -2000], [30, 4]]"),
    # Layout forms ignore excerpt and the ' ' flag too.
    ("python", {"excerpt": 1, "fmt": "# g"}, "[[    1, -2000],\n [   30,     4]]"),
    ("matlab", {"fmt": ".1f"}, "[1.0 -2000.0; 30.0 4.0]"),
], ids=["matlab-squeeze", "matlab-prefix", "python-squeeze", "python-left",
        "matlab-ignores", "python-ignores", "python#-ignores-excerpt", "matlab-precision"])
def test_matlab_python_options(syntax, options, want):
    assert formatted([[1, -2000], [30, 4]], syntax=syntax, **options) == want


@pytest.mark.parametrize(("shape", "excerpt", "header"), [
    ((6, 6), 3, False),   # 2·excerpt rows and columns: everything shown, no header
    ((7, 6), 3, True),
    ((6, 7), 3, True),
    ((3, 10), 3, True),   # only columns elided
    ((10, 3), 1, True),   # only rows elided, one at each edge
    ((5, 5), 0, False),
], ids=["exact-fit", "rows-over", "cols-over", "cols-only", "rows-only-1", "no-excerpt"])
def test_excerpt_header_and_shown_elements(shape, excerpt, header):
    rng = np.random.default_rng(7)
    a = rng.integers(-99, 100, size=shape).astype(float)
    text = formatted(a, excerpt=excerpt, prefix="# ")
    lines = text.split("\n")
    assert (lines[0] == f"Dims({shape[0]}, {shape[1]})") is header
    body = lines[1:] if header else lines
    prefixed = body if header else body[1:]
    assert all(line.startswith("# ") for line in prefixed)
    assert header or not body[0].startswith("#")
    shown_rows = [line for line in body if line.strip("# ") != "."]
    r, c = shape
    keep_rows = (list(range(excerpt)) + list(range(r - excerpt, r))
                 if excerpt and r > 2 * excerpt else list(range(r)))
    keep_cols = (list(range(excerpt)) + list(range(c - excerpt, c))
                 if excerpt and c > 2 * excerpt else list(range(c)))
    assert len(shown_rows) == len(keep_rows)
    for line, i in zip(shown_rows, keep_rows, strict=True):
        numbers = [float(t) for t in line.strip("# ⎡⎤⎢⎥⎣⎦[]").split() if t != "..."]
        assert numbers == a[i, keep_cols].tolist()
    # every shown line has the same printed width: columns are aligned
    assert len({len(line.removeprefix("# ")) for line in shown_rows}) == 1


def test_excerpt_measures_the_last_row_of_the_top_block():
    # Gonum's maxCellWidth skips row excerpt-1 and panics when that row holds the
    # widest entry; here it is measured and the columns stay aligned.
    a = np.zeros((10, 10))
    a[2, 1] = -123456.5
    text = formatted(a, excerpt=3)
    lines = text.split("\n")[1:]
    assert "-123456.5" in lines[2]
    widths = {len(line) for line in lines if line.strip() != "."}
    assert widths == {len("⎡") + 6 * 9 + 5 * 2 + 10 + len("⎤")}


def test_excerpt_of_a_huge_matrix_formats_only_the_corners(monkeypatch):
    # 10**6 × 10**6 with zero strides: formatting every element is impossible.
    huge = np.broadcast_to(np.float64(2.5), (10**6, 10**6))
    calls = []
    real = format_module._format_float
    monkeypatch.setattr(format_module, "_format_float",
                        lambda v, verb, prec: calls.append(v) or real(v, verb, prec))
    text = formatted(huge, excerpt=2)
    assert text.split("\n")[0] == "Dims(1000000, 1000000)"
    assert len(calls) == (2 * 2) ** 2
    assert text.split("\n")[1] == "⎡2.5  2.5  ...  ...  2.5  2.5⎤"


# -- properties ------------------------------------------------------------------------

finite = st.floats(allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(finite)
def test_shortest_digits_agree_with_numpy_dragon4(v):
    # numpy's Dragon4 (unique=True) is an independent shortest-digit generator.
    sci = np.format_float_scientific(v, unique=True, trim="-", exp_digits=2)
    pos = np.format_float_positional(v, unique=True, trim="-")
    assert formatted([[v]], fmt="e") == f"[{sci}]"
    assert formatted([[v]], fmt="f") == f"[{pos}]"
    exponent = int(sci.partition("e")[2])
    # Go's shortest 'g': exponent form when the exponent is < -4 or >= 6.
    want = sci if exponent < -4 or exponent >= 6 else pos
    assert formatted([[v]], fmt="g") == f"[{want}]"


@settings(max_examples=300, deadline=None)
@given(finite, st.integers(0, 20))
def test_with_precision_agree_with_numpy_dragon4(v, prec):
    # unique=False: digits of the exact binary value, correctly rounded (Go's
    # strconv with a precision does the same).
    trim = "-" if prec == 0 else "k"
    sci = np.format_float_scientific(v, precision=prec, unique=False, trim=trim,
                                     exp_digits=2)
    pos = np.format_float_positional(v, precision=prec, unique=False, fractional=True,
                                     trim=trim)
    assert formatted([[v]], fmt=f".{prec}e") == f"[{sci}]"
    assert formatted([[v]], fmt=f".{prec}f") == f"[{pos}]"


@pytest.mark.parametrize("seed", [0, 1, 2], ids=["seed0", "seed1", "seed2"])
@pytest.mark.parametrize("syntax", ["default", "matlab", "python"])
def test_random_matrices_round_trip(seed, syntax):
    # Shortest digits identify each float64 exactly, so parsing the text back gives
    # the matrix bit for bit, whatever the layout.
    rng = np.random.default_rng(seed)
    r, c = rng.integers(2, 7, size=2)
    a = rng.standard_normal((r, c)) * 10.0 ** rng.integers(-8, 9, size=(r, c))
    text = formatted(a, syntax=syntax, squeeze=bool(seed % 2))
    for bracket in "⎡⎤⎢⎥⎣⎦[];,":
        text = text.replace(bracket, " ")
    back = np.array([float(t) for t in text.split()]).reshape(r, c)
    np.testing.assert_array_equal(back, a)


# -- rejections --------------------------------------------------------------------------


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"syntax": "numpy"}, ValueError,
     r"formatted: syntax must be one of 'default', 'matlab', 'python'; got 'numpy'"),
    ({"syntax": "MATLAB"}, ValueError, r"syntax must be one of .*got 'MATLAB'"),
    ({"excerpt": -1}, ValueError, r"formatted: excerpt must be 0 .*got -1"),
    ({"excerpt": 2.5}, TypeError, r"formatted: excerpt must be an integer; got float"),
    ({"prefix": 3}, TypeError, r"formatted: prefix must be a str; got int"),
    ({"fmt": "d"}, ValueError, r"formatted: fmt must be a float verb .*got 'd'"),
    ({"fmt": "10.3f"}, ValueError, r"fmt must be a float verb .*got '10.3f'"),
    ({"fmt": ".3"}, None, None),
    ({"fmt": ".f3"}, ValueError, r"fmt must be a float verb .*got '.f3'"),
    ({"fmt": "+g"}, ValueError, r"fmt must be a float verb .*got '\+g'"),
    ({"fmt": 3}, ValueError, r"fmt must be a float verb .*got 3"),
    ({"fmt": "#g"}, ValueError,
     r"formatted: the '#' flag in fmt='#g' selects the multi-line layout of syntax "
     r"'matlab' or 'python'"),
], ids=["syntax", "syntax-case", "excerpt-negative", "excerpt-float", "prefix-type",
        "fmt-int-verb", "fmt-width", "fmt-precision-only-ok", "fmt-garbled", "fmt-plus",
        "fmt-type", "fmt-hash-default"])
def test_rejections(kwargs, error, match):
    if error is None:
        assert formatted([[1.23456]], **kwargs) == "[1.23]"
        return
    with pytest.raises(error, match=match):
        formatted([[1.0]], **kwargs)


@pytest.mark.parametrize(("m", "error", "match"), [
    (np.zeros((2, 2, 2)), ShapeError, r"formatted: m must be 2-D; got an array of shape"),
    ([["a", "b"]], TypeError, r"formatted: m must be a real matrix"),
    (object(), TypeError, r"formatted: m must be a real matrix"),
], ids=["3-d", "strings", "object"])
def test_bad_matrix(m, error, match):
    with pytest.raises(error, match=match):
        formatted(m)
