"""Plotters: the things a Plot draws (gonum/plot's ``plotter`` package).

The protocol
------------
A plotter has ``plot(ax, p)`` (draw into the matplotlib Axes `ax` for the Plot
`p`, in data coordinates) and ``data_range()`` (``(xmin, xmax, ymin, ymax)`` or
None); for the legend it may have ``thumbnail(ax, x, y, w, h)`` returning
artists that draw a swatch in a box given in points. :class:`Plotter` is the base
class with these defaults; see :mod:`numkit.plot.plotter._base`.

Data
----
:class:`XYs` (x, y pairs), :class:`XYZs` (x, y, z) and :class:`Values` (one
column) accept numpy arrays — an (n, 2) array, two 1-D arrays, a list of pairs —
copy them once into read-only float64 arrays and reject empty data and NaN/inf
with a ``ValueError`` naming the plotter and the index.

Lengths such as line widths, glyph radii, and bar and box widths are in points,
as in gonum/plot.
"""

from numkit.plot.plotter._bars import BarChart, BoxPlot, Histogram, QuartPlot
from numkit.plot.plotter._base import Plotter, Values, XYs, XYZs
from numkit.plot.plotter._density import Density, ScatterMatrix
from numkit.plot.plotter._grids import ColorBar, Contour, Field, HeatMap, Image
from numkit.plot.plotter._lines import (
    Function,
    Grid,
    Labels,
    Line,
    LinePoints,
    Polygon,
    Scatter,
    XErrorBars,
    YErrorBars,
)
from numkit.plot.plotter._sankey import Flow, Sankey

__all__ = [
    "BarChart",
    "BoxPlot",
    "ColorBar",
    "Contour",
    "Density",
    "Field",
    "Flow",
    "Function",
    "Grid",
    "HeatMap",
    "Histogram",
    "Image",
    "Labels",
    "Line",
    "LinePoints",
    "Plotter",
    "Polygon",
    "QuartPlot",
    "Sankey",
    "Scatter",
    "ScatterMatrix",
    "Values",
    "XErrorBars",
    "XYZs",
    "XYs",
    "YErrorBars",
]
