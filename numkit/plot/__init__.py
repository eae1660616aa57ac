"""numkit.plot: gonum/plot's object model, rendered by matplotlib.

Overview
--------
A :class:`Plot` (gonum's ``plot.New()``) holds a title, an x and a y :class:`Axis`,
a :class:`Legend` and a list of plotters. Plotters (:mod:`numkit.plot.plotter`)
are small objects that know their data range and how to draw themselves; adding
one widens the axes to its data. Nothing touches matplotlib until the plot is
drawn, so building plots is cheap and plots can be drawn many times.

Rendering
---------
:meth:`Plot.draw` draws into any matplotlib ``Axes``; :meth:`Plot.to_figure`
builds a new ``matplotlib.figure.Figure``; :meth:`Plot.save` and
:meth:`Plot.writer_to` print it in png, svg, pdf, eps, jpg/jpeg or tif/tiff with
that format's canvas directly. ``pyplot`` is never imported and no backend is
selected, so there is no global figure state: plots render in servers, without a
display, and from several threads at once. Output is byte-for-byte reproducible:
the SVG hash salt is fixed and no dates or software stamps are written.

Units and styles
----------------
As in gonum/plot, lengths — sizes of the canvas, line widths, glyph radii,
paddings, bar widths — are in points (:mod:`numkit.plot.vg`: ``POINT``, ``INCH``,
``CENTIMETER``, ``MILLIMETER``); colours are RGBA tuples or any matplotlib colour.
:mod:`numkit.plot.draw` holds the styles (``LineStyle``, ``GlyphStyle`` with
gonum's shapes, ``TextStyle``) and ``Tiles`` for :func:`numkit.plot.align.align`.
:mod:`numkit.plot.palette` holds gonum's palettes, Moreland's diverging maps and
ColorBrewer's qualitative sets.

Axes
----
``Axis.min``/``max`` start empty and grow with each plotter's ``data_range()``;
set them to fix the range. ``scale`` is ``LinearScale()``, ``LogScale()`` or
``InvertedScale(inner)``; ``tick.marker`` is any object with ``ticks(min, max)``
returning :class:`Tick` s (``DefaultTicks``, ``LogTicks``, ``ConstantTicks``,
``TimeTicks``); a tick with an empty label is minor. ``padding`` is the gap in
points between the axis line and the data.

Errors
------
Data with NaN or infinite values is rejected when a plotter is built, with a
``ValueError`` naming the plotter and the index (gonum/plot's choice). A log axis
whose range reaches zero or below, an unknown output format, or a non-positive
size raise ``ValueError`` when drawing or saving.

Examples
--------
>>> import numpy as np
>>> from numkit.plot import Plot, vg
>>> from numkit.plot.plotter import Line
>>> p = Plot()
>>> p.title.text = "Squares"
>>> p.x.label.text = "x"
>>> x = np.arange(5.0)
>>> p.add(Line(x, x**2))
>>> p.legend.add("x²", p.plotters[0])
>>> png = p.writer_to(4 * vg.INCH, 3 * vg.INCH, "png")
"""

from numkit.plot import align, draw, palette, plotter, plotutil, vg
from numkit.plot._plot import (
    FORMATS,
    Axis,
    ConstantTicks,
    DefaultTicks,
    InvertedScale,
    Legend,
    LinearScale,
    LogScale,
    LogTicks,
    Plot,
    Tick,
    TimeTicks,
)

__all__ = [
    "FORMATS",
    "Axis",
    "ConstantTicks",
    "DefaultTicks",
    "InvertedScale",
    "Legend",
    "LinearScale",
    "LogScale",
    "LogTicks",
    "Plot",
    "Tick",
    "TimeTicks",
    "align",
    "draw",
    "palette",
    "plotter",
    "plotutil",
    "vg",
]
