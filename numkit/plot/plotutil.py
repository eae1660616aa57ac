"""Shortcuts for common plots, and gonum's default colours, dashes and glyphs
(gonum/plot's ``plotutil`` package).

The ``add_*`` functions take a :class:`~numkit.plot.Plot` and a sequence of data
sets, each optionally preceded by a name: ``add_lines(p, "first", xy1, "second",
xy2, xy3)``. The i-th data set gets ``color(i)`` (and ``dashes(i)`` or
``shape(i)``); a named one also gets a legend entry. Data sets are anything the
plotter takes: (n, 2) arrays, ``XYs``, or existing plotters for ``add_error_bars``.

Examples
--------
>>> import numpy as np
>>> from numkit.plot import plotutil
>>> from numkit.plot import Plot
>>> p = Plot()
>>> lines = plotutil.add_lines(p, "up", [[0, 0], [1, 1]], "down", [[0, 1], [1, 0]])
>>> [line.line_style.color == plotutil.color(i) for i, line in enumerate(lines)]
[True, True]
>>> len(p.legend)
2
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from numkit.plot import draw, vg
from numkit.plot.plotter._bars import BoxPlot
from numkit.plot.plotter._lines import Line, LinePoints, Scatter, XErrorBars, YErrorBars

__all__ = [
    "DARK_COLORS",
    "DEFAULT_COLORS",
    "DEFAULT_DASHES",
    "DEFAULT_GLYPH_SHAPES",
    "SOFT_COLORS",
    "add_box_plots",
    "add_error_bars",
    "add_line_points",
    "add_lines",
    "add_scatters",
    "color",
    "dashes",
    "shape",
]

#: gonum's ``plotutil.SoftColors``.
SOFT_COLORS: tuple[vg.Color, ...] = (
    vg.rgb8(241, 90, 96), vg.rgb8(122, 195, 106), vg.rgb8(90, 155, 212),
    vg.rgb8(250, 167, 91), vg.rgb8(158, 103, 171), vg.rgb8(206, 112, 88),
    vg.rgb8(215, 127, 180),
)
#: gonum's ``plotutil.DarkColors``.
DARK_COLORS: tuple[vg.Color, ...] = (
    vg.rgb8(238, 46, 47), vg.rgb8(0, 140, 72), vg.rgb8(24, 90, 169),
    vg.rgb8(244, 125, 35), vg.rgb8(102, 44, 145), vg.rgb8(162, 29, 33),
    vg.rgb8(180, 56, 148),
)
#: gonum's ``plotutil.DefaultColors`` (the soft set).
DEFAULT_COLORS: tuple[vg.Color, ...] = SOFT_COLORS
#: gonum's ``plotutil.DefaultGlyphShapes``.
DEFAULT_GLYPH_SHAPES: tuple[str, ...] = (
    "ring", "square", "triangle", "cross", "plus", "circle", "box", "pyramid",
)
#: gonum's ``plotutil.DefaultDashes``: on/off lengths in points, () is solid.
DEFAULT_DASHES: tuple[tuple[float, ...], ...] = (
    (),
    (6.0, 2.0),
    (2.0, 2.0),
    (1.0, 1.0),
    (5.0, 2.0, 1.0, 2.0),
    (10.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0),
    (10.0, 2.0, 2.0, 2.0),
    (5.0, 2.0, 5.0, 2.0, 2.0, 2.0, 2.0, 2.0),
    (4.0, 2.0, 4.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0),
)


def _index(i: int, what: str) -> int:
    if isinstance(i, bool) or not isinstance(i, (int, np.integer)):
        raise TypeError(f"plotutil.{what}: i must be an integer; got {i!r}")
    if i < 0:
        raise ValueError(f"plotutil.{what}: i must be >= 0; got {i}")
    return int(i)


def color(i: int) -> vg.Color:
    """The i-th default colour, cycling (gonum's ``plotutil.Color``).

    Examples
    --------
    >>> color(7) == color(0)
    True
    """
    return DEFAULT_COLORS[_index(i, "color") % len(DEFAULT_COLORS)]


def dashes(i: int) -> tuple[float, ...]:
    """The i-th default dash pattern, cycling (gonum's ``plotutil.Dashes``).

    Examples
    --------
    >>> dashes(1)
    (6.0, 2.0)
    """
    return DEFAULT_DASHES[_index(i, "dashes") % len(DEFAULT_DASHES)]


def shape(i: int) -> str:
    """The i-th default glyph shape, cycling (gonum's ``plotutil.Shape``).

    Examples
    --------
    >>> shape(0), shape(8)
    ('ring', 'ring')
    """
    return DEFAULT_GLYPH_SHAPES[_index(i, "shape") % len(DEFAULT_GLYPH_SHAPES)]


def _named(args: Sequence[Any], what: str) -> list[tuple[str | None, Any]]:
    """Pair each data set with the name just before it (or None)."""
    out: list[tuple[str | None, Any]] = []
    name: str | None = None
    for a in args:
        if isinstance(a, str):
            if name is not None:
                raise ValueError(f"plotutil.{what}: two names in a row ({name!r}, {a!r}); "
                                 f"a name must be followed by its data")
            name = a
            continue
        out.append((name, a))
        name = None
    if name is not None:
        raise ValueError(f"plotutil.{what}: the name {name!r} is not followed by data")
    if not out:
        raise ValueError(f"plotutil.{what}: no data sets given")
    return out


def _check_plot(p: Any, what: str) -> None:
    if not (callable(getattr(p, "add", None)) and hasattr(p, "legend")):
        raise TypeError(f"plotutil.{what}: p must be a Plot; got {type(p).__name__}")


def add_lines(p: Any, *args: Any) -> list[Line]:
    """Add a line per data set with the default colours and dashes (gonum's ``AddLines``).

    Returns
    -------
    list of Line
        The plotters added, to restyle.

    Raises
    ------
    ValueError
        No data, a dangling name, or data a Line refuses.
    """
    _check_plot(p, "add_lines")
    out = []
    for i, (name, data) in enumerate(_named(args, "add_lines")):
        line = Line(data, line_style=draw.LineStyle(color=color(i), dashes=dashes(i)))
        p.add(line)
        if name is not None:
            p.legend.add(name, line)
        out.append(line)
    return out


def add_scatters(p: Any, *args: Any) -> list[Scatter]:
    """Add a scatter per data set with the default colours and glyph shapes (gonum's
    ``AddScatters``).

    Raises
    ------
    ValueError
        No data, a dangling name, or data a Scatter refuses.
    """
    _check_plot(p, "add_scatters")
    out = []
    for i, (name, data) in enumerate(_named(args, "add_scatters")):
        s = Scatter(data, glyph_style=draw.GlyphStyle(color=color(i), shape=shape(i)))
        p.add(s)
        if name is not None:
            p.legend.add(name, s)
        out.append(s)
    return out


def add_line_points(p: Any, *args: Any) -> list[LinePoints]:
    """Add a line with glyphs per data set (gonum's ``AddLinePoints``).

    Raises
    ------
    ValueError
        No data, a dangling name, or data a LinePoints refuses.
    """
    _check_plot(p, "add_line_points")
    out = []
    for i, (name, data) in enumerate(_named(args, "add_line_points")):
        lp = LinePoints(data, line_style=draw.LineStyle(color=color(i), dashes=dashes(i)),
                        glyph_style=draw.GlyphStyle(color=color(i), shape=shape(i)))
        p.add(lp)
        if name is not None:
            p.legend.add(name, lp)
        out.append(lp)
    return out


def add_error_bars(p: Any, *args: Any) -> list[Any]:
    """Add error bars (gonum's ``AddErrorBars``).

    Each data set is an ``XErrorBars``/``YErrorBars`` (added as is), an (n, 3)
    array of (x, y, error) or an (n, 4) array of (x, y, low, high) (vertical bars).
    Names are accepted and ignored, as gonum does (error bars have no legend).

    Raises
    ------
    ValueError
        No data or data YErrorBars refuses.
    """
    _check_plot(p, "add_error_bars")
    out = []
    for _, data in _named(args, "add_error_bars"):
        bars = data if isinstance(data, (XErrorBars, YErrorBars)) else YErrorBars(data)
        p.add(bars)
        out.append(bars)
    return out


def add_box_plots(p: Any, width: float, *args: Any) -> list[BoxPlot]:
    """Add a box plot per data set at x = 0, 1, … (gonum's ``AddBoxPlots``).

    Names label the boxes on the x axis (``p.nominal_x``); when some are missing
    the unnamed boxes get an empty label.

    Parameters
    ----------
    p : Plot
    width : float
        Box width in points.
    *args : str or array_like
        Data sets, each optionally preceded by its name.

    Raises
    ------
    ValueError
        No data, a dangling name, or data a BoxPlot refuses.
    """
    _check_plot(p, "add_box_plots")
    out = []
    pairs = _named(args, "add_box_plots")
    for i, (_, data) in enumerate(pairs):
        b = BoxPlot(width, float(i), data)
        p.add(b)
        out.append(b)
    if any(name is not None for name, _ in pairs):
        p.nominal_x(*[name or "" for name, _ in pairs])
    return out
