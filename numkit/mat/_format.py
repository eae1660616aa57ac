"""Text renderings of a matrix: Gonum's ``mat.Formatted`` (gonum/mat/format.go).

Numbers are written the way Go's ``strconv.FormatFloat`` writes them, so a matrix
prints here as it prints in Gonum: ``7`` rather than ``7.0``, ``1e+20``,
``1.234567e+06``, ``NaN``, ``+Inf``.
"""

from __future__ import annotations

import math
import operator
import re

import numpy as np

from numkit.mat._base import as_matrix

__all__ = ["formatted"]

_SYNTAXES = ("default", "matlab", "python")

# A format spec: Go's float verbs with the flags Gonum gives a meaning to, and an
# optional precision (Go's width is omitted: Gonum's aligned output ignores it).
_SPEC = re.compile(r"(?P<flags>[#\- ]*)(?:\.(?P<prec>[0-9]+))?(?P<verb>[vgGeEfF]?)")

# Go's 'g' with the shortest representation switches to an exponent at 1e+06
# (strconv/ftoa.go: "if precision was the shortest possible, use precision 6").
_SHORTEST_G_EXPONENT = 6


def formatted(m, prefix: str = "", squeeze: bool = False, excerpt: int = 0,
              fmt: str = "g", syntax: str = "default") -> str:
    """Render a matrix as text, as Gonum's ``mat.Formatted`` prints it.

    Parameters
    ----------
    m : Matrix or array-like
        Any numkit matrix (a ``VecDense`` is an n×1 column) or a 2-D array-like;
        a 1-D array-like is a column.
    prefix : str, optional
        Written before every line but the first (Gonum's ``Prefix``), so that the
        text lines up after a leading label such as ``"a = "``.
    squeeze : bool, optional
        Make each column only as wide as its own widest entry (Gonum's
        ``Squeeze``). By default all columns share the widest width.
    excerpt : int, optional
        When positive, show only the first and last ``excerpt`` rows and columns
        of a larger matrix, under a ``Dims(r, c)`` header line (Gonum's
        ``Excerpt``). Only the shown elements are formatted, so an excerpt of a
        huge matrix is cheap. ``0`` shows everything.
    fmt : str, optional
        How each number is written: Go's float verb ``"g"`` (default; ``"v"`` is
        the same), ``"G"``, ``"e"``, ``"E"``, ``"f"`` (``"F"`` is the same),
        optionally with a precision (``".3f"``) and flags in front. Without a
        precision each number takes the fewest digits that identify it
        (Go's precision -1): ``"g"`` writes 7 as ``7``, 0.5 as ``0.5`` and 1e20 as
        ``1e+20``; ``"e"`` writes 7 as ``7e+00``. The flags are Gonum's:
        ``" "`` writes zeros as ``.`` (default syntax only), ``"-"`` aligns
        columns left, ``"#"`` selects the multi-line layout of the MATLAB and
        Python syntaxes (Go's ``%#v``).
    syntax : {"default", "matlab", "python"}, optional
        ``"default"``: Gonum's aligned columns in ``⎡ ⎤ ⎢ ⎥ ⎣ ⎦`` brackets (``[ ]``
        for a single row). ``"matlab"`` (Gonum's ``FormatMATLAB``):
        ``[1 2; 3 4]``, or with the ``"#"`` flag one aligned row per line between
        ``[`` and ``]``. ``"python"`` (Gonum's ``FormatPython``):
        ``[[1, 2], [3, 4]]``, or with ``"#"`` one aligned row per line. As in
        Gonum, these two ignore ``excerpt`` and the ``" "`` flag, and their
        one-line forms ignore ``prefix`` and ``squeeze``.

    Returns
    -------
    str
        The text, without a trailing newline.

    Raises
    ------
    ValueError
        If ``syntax`` is not one of the three, ``fmt`` is not a spec as described,
        the ``"#"`` flag is used with the default syntax, or ``excerpt`` is
        negative.
    TypeError
        If ``prefix`` is not a string, ``excerpt`` is not an integer, or ``m`` is
        not a real matrix.
    ShapeError
        If ``m`` has more than two dimensions.

    See Also
    --------
    numpy.array2string : numpy's rendering, with Python's float ``repr``.

    Notes
    -----
    Numbers follow Go's ``strconv.FormatFloat``, not Python's ``format``: without a
    precision they use the shortest digits that round-trip, and ``"g"`` changes to
    exponent form below 1e-4 and from 1e+06 (Python's ``repr`` waits until 1e+16;
    Python's ``"g"`` rounds to 6 digits). NaN and infinities print as ``NaN``,
    ``+Inf`` and ``-Inf`` whatever the verb.

    Where this differs from Gonum: Gonum measures column widths of an excerpt
    without the last row of the top block and panics when that row holds the
    widest entry; here every shown row is measured. Gonum's one-line MATLAB and
    Python forms pass the format through ``fmt.Fprintf``; here they write numbers
    exactly as the aligned forms do. A matrix with no rows prints as the empty
    string in the default syntax, as in Gonum.

    References
    ----------
    gonum/mat/format.go (``Formatted``, ``Prefix``, ``Squeeze``, ``Excerpt``,
    ``FormatMATLAB``, ``FormatPython``) and its examples in
    gonum/mat/format_example_test.go; Go's strconv/ftoa.go.

    Examples
    --------
    Gonum's ``ExampleFormatted``:

    >>> import numpy as np
    >>> from numkit.mat import Dense
    >>> from numkit.mat import formatted
    >>> a = Dense(3, 3, [1, 2, 3, 0, 4, 5, 0, 0, 6])
    >>> print("a = " + formatted(a, prefix="    ", squeeze=True))
    a = ⎡1  2  3⎤
        ⎢0  4  5⎥
        ⎣0  0  6⎦
    >>> print("a = " + formatted(a, prefix="    ", squeeze=True, fmt=" g"))
    a = ⎡1  2  3⎤
        ⎢.  4  5⎥
        ⎣.  .  6⎦
    >>> a.set(0, 2, 123.456)
    >>> print("a = " + formatted(a, prefix="    ", squeeze=True, fmt=".2g"))
    a = ⎡1  2  1.2e+02⎤
        ⎢0  4        5⎥
        ⎣0  0        6⎦

    Gonum's ``ExampleExcerpt``:

    >>> print(formatted(np.arange(100.0), prefix=" ", excerpt=3))
    Dims(100, 1)
     ⎡ 0⎤
     ⎢ 1⎥
     ⎢ 2⎥
      .
      .
      .
     ⎢97⎥
     ⎢98⎥
     ⎣99⎦

    MATLAB and Python syntax (Gonum's ``ExampleFormatted_mATLAB`` and
    ``ExampleFormatted_python``):

    >>> b = [[1, 2, 3], [0, 4, 5], [0, 0, 6]]
    >>> formatted(b, syntax="matlab")
    '[1 2 3; 0 4 5; 0 0 6]'
    >>> print("a = " + formatted(b, prefix="    ", syntax="python", fmt="#g"))
    a = [[1, 2, 3],
         [0, 4, 5],
         [0, 0, 6]]
    """
    a = as_matrix(m, "formatted", "m")
    if not isinstance(prefix, str):
        raise TypeError(
            f"formatted: prefix must be a str; got {type(prefix).__name__}"
        )
    try:
        margin = operator.index(excerpt)
    except TypeError:
        raise TypeError(
            f"formatted: excerpt must be an integer; got {type(excerpt).__name__}"
        ) from None
    if margin < 0:
        raise ValueError(
            f"formatted: excerpt must be 0 (show every element) or a positive count of "
            f"rows and columns to show at each edge; got {margin}"
        )
    if syntax not in _SYNTAXES:
        raise ValueError(
            f"formatted: syntax must be one of 'default', 'matlab', 'python'; "
            f"got {syntax!r}"
        )
    verb, prec, flags = _parse_spec(fmt)
    if syntax == "default":
        if "#" in flags:
            raise ValueError(
                f"formatted: the '#' flag in fmt={fmt!r} selects the multi-line "
                f"layout of syntax 'matlab' or 'python'; the default syntax is "
                f"already laid out"
            )
        return _format_default(a, prefix, squeeze, margin, verb, prec, flags)
    if "#" not in flags:
        return _format_one_line(a, syntax, verb, prec)
    return _format_layout(a, syntax, prefix, squeeze, verb, prec, flags)


def _parse_spec(fmt) -> tuple[str, int | None, str]:
    """``"# .3f"`` -> ``("f", 3, "# ")``: the verb, the precision (None for the
    shortest representation) and the flags."""
    match = _SPEC.fullmatch(fmt) if isinstance(fmt, str) else None
    if match is None:
        raise ValueError(
            f"formatted: fmt must be a float verb 'g', 'G', 'e', 'E', 'f', 'F' or 'v', "
            f"optionally preceded by a precision ('.3f') and the flags ' ' (zeros as "
            f"'.'), '-' (left-align) or '#' (multi-line MATLAB/Python); got {fmt!r}"
        )
    verb = match["verb"] or "g"
    verb = {"v": "g", "F": "f"}.get(verb, verb)
    prec = None if match["prec"] is None else int(match["prec"])
    return verb, prec, match["flags"]


def _format_float(v: float, verb: str, prec: int | None) -> str:
    """``strconv.FormatFloat(v, verb, prec, 64)`` for verb in g, G, e, E, f;
    ``prec=None`` is Go's -1 (shortest)."""
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "+Inf" if v > 0 else "-Inf"
    if prec is not None:
        # With a precision, Python's correctly rounded e/f/g agree with Go's
        # character for character, including g's trimmed zeros and 2-digit exponents.
        return format(v, f".{prec}{verb}")
    text = repr(v)
    if verb == "g" and not 1e6 <= abs(v) < 1e16:
        # Python's repr already is Go's shortest 'g' here: fixed notation from 1e-4
        # and '1e-05', '1.5e+20' below and above (repr switches at 1e+16, Go at
        # 1e+06), except that repr keeps a '.0' on whole numbers.
        return text.removesuffix(".0")
    sign = ""
    if text[0] == "-":
        sign, text = "-", text[1:]
    digits, point = _shortest_digits(text)
    n = len(digits)
    if verb in "eE":
        return sign + _exponent_form(digits, point, max(n - 1, 0), verb)
    if verb == "f":
        return sign + _fixed_form(digits, point, max(n - point, 0))
    if point - 1 < -4 or point - 1 >= _SHORTEST_G_EXPONENT:
        return sign + _exponent_form(digits, point, max(n - 1, 0), "e" if verb == "g" else "E")
    return sign + _fixed_form(digits, point, max(n - point, 0))


def _shortest_digits(text: str) -> tuple[str, int]:
    """Python's shortest ``repr`` of a non-negative finite float -> ``(digits,
    point)`` with value ``0.digits × 10**point`` and no leading or trailing zeros
    (Go's ``decimalSlice``; zero is ``("", 0)``)."""
    mantissa, _, exponent = text.partition("e")
    whole, _, fraction = mantissa.partition(".")
    all_digits = whole + fraction
    digits = all_digits.lstrip("0")
    point = len(whole) + int(exponent or 0) - (len(all_digits) - len(digits))
    digits = digits.rstrip("0")
    return (digits, point) if digits else ("", 0)


def _exponent_form(digits: str, point: int, prec: int, e: str) -> str:
    """Go's ``fmtE``: d.ddd e±dd with ``prec`` digits after the point."""
    text = digits[:1] or "0"
    if prec > 0:
        text += "." + digits[1:prec + 1].ljust(prec, "0")
    exponent = point - 1 if digits else 0
    return f"{text}{e}{'-' if exponent < 0 else '+'}{abs(exponent):02d}"


def _fixed_form(digits: str, point: int, prec: int) -> str:
    """Go's ``fmtF``: ddd.ddd with ``prec`` digits after the point."""
    text = digits[:point].ljust(point, "0") if point > 0 else "0"
    if prec > 0:
        fraction = "".join(
            digits[point + i] if 0 <= point + i < len(digits) else "0" for i in range(prec)
        )
        text += "." + fraction
    return text


def _shown(n: int, margin: int) -> tuple[list[int], bool]:
    """Indices shown along an axis of length ``n`` and whether some are elided."""
    if margin > 0 and n > 2 * margin:
        return [*range(margin), *range(n - margin, n)], True
    return list(range(n)), False


def _cells(a: np.ndarray, rows: list[int], cols: list[int], verb: str,
           prec: int | None) -> list[list[str]]:
    # Only the shown elements are read and formatted (an excerpt of a huge matrix
    # must stay cheap); .tolist() hands over Python floats in one call.
    values = a[np.ix_(rows, cols)].tolist() if rows and cols else [[] for _ in rows]
    return [[_format_float(v, verb, prec) for v in row] for row in values]


def _widths(cells: list[list[str]], ncols: int, squeeze: bool) -> list[int]:
    """Each column's width: its own widest entry (squeeze) or the widest of all."""
    widths = [max((len(row[j]) for row in cells), default=0) for j in range(ncols)]
    if not squeeze:
        widths = [max(widths, default=0)] * ncols
    return widths


def _justify(text: str, width: int, left: bool) -> str:
    return text.ljust(width) if left else text.rjust(width)


def _join_lines(lines: list[str], prefix: str) -> str:
    """Lines joined by newlines, ``prefix`` before each line but the first."""
    return ("\n" + prefix).join(lines)


def _format_default(a: np.ndarray, prefix: str, squeeze: bool, margin: int, verb: str,
                    prec: int | None, flags: str) -> str:
    """Gonum's ``format``: aligned columns in ⎡ ⎤ brackets, optionally excerpted."""
    r, c = a.shape
    rows, rows_elided = _shown(r, margin)
    cols, cols_elided = _shown(c, margin)
    cells = _cells(a, rows, cols, verb, prec)
    widths = _widths(cells, len(cols), squeeze)
    left = "-" in flags
    if " " in flags:
        # Gonum's DotByte: zeros (also -0) written as '.', padded like the number.
        values = a[np.ix_(rows, cols)] if rows and cols else np.empty((len(rows), 0))
        for row, value_row in zip(cells, values == 0, strict=True):
            for j in np.flatnonzero(value_row):
                row[j] = "."

    lines = []
    if rows_elided or cols_elided:
        lines.append(f"Dims({r}, {c})")
    for k, i in enumerate(rows):
        texts = [_justify(t, w, left) for t, w in zip(cells[k], widths, strict=True)]
        if cols_elided:
            gap = "...  ..." if i in (0, r - 1) else "        "
            texts.insert(margin, gap)
        body = "  ".join(texts)
        if r == 1:
            lines.append(f"[{body}]")
        elif i == 0:
            lines.append(f"⎡{body}⎤")
        elif i < r - 1:
            lines.append(f"⎢{body}⎥")
        else:
            lines.append(f"⎣{body}⎦")
        if rows_elided and k == margin - 1:
            lines.extend([" ."] * 3)
    return _join_lines(lines, prefix)


def _format_one_line(a: np.ndarray, syntax: str, verb: str, prec: int | None) -> str:
    """Gonum's ``formatMATLAB``/``formatPython`` with ``%v``: the whole matrix on
    one line, ``[1 2; 3 4]`` or ``[[1, 2], [3, 4]]``."""
    r, c = a.shape
    cells = _cells(a, list(range(r)), list(range(c)), verb, prec)
    if syntax == "matlab":
        return "[" + "; ".join(" ".join(row) for row in cells) + "]"
    body = "], [".join(", ".join(row) for row in cells)
    return f"[[{body}]]" if r > 1 else f"[{body}]"


def _format_layout(a: np.ndarray, syntax: str, prefix: str, squeeze: bool, verb: str,
                   prec: int | None, flags: str) -> str:
    """Gonum's ``formatMATLAB``/``formatPython`` with ``%#v``: one aligned row a line."""
    r, c = a.shape
    cells = _cells(a, list(range(r)), list(range(c)), verb, prec)
    widths = _widths(cells, c, squeeze)
    left = "-" in flags
    sep = " " if syntax == "matlab" else ", "
    bodies = [
        sep.join(_justify(t, w, left) for t, w in zip(row, widths, strict=True))
        for row in cells
    ]
    if r == 1:
        return f"[{bodies[0]}]"
    if r == 0:
        return ""
    if syntax == "matlab":
        lines = ["[", *(" " + body for body in bodies), "]"]
    else:
        lines = [f"[[{bodies[0]}],", *(f" [{body}]," for body in bodies[1:-1]),
                 f" [{bodies[-1]}]]"]
    return _join_lines(lines, prefix)
