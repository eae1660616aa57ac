"""Plotters of binned and summarised data: Histogram, BarChart, BoxPlot, QuartPlot.

Widths of bars and boxes are lengths in points, as in gonum/plot. The Plot lays
its figure out (constrained layout) only when it renders, after the plotters have
added their artists, so a width cannot be turned into data units when ``plot`` runs:
the bars and boxes are collections that compute their vertices in ``draw``, through
the Axes transform as it then is. A 20 pt box stays 20 pt wide whatever the figure
size, axis range or scale.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.patches import Rectangle
from matplotlib.transforms import ScaledTranslation

from numkit.plot import draw, vg
from numkit.plot.plotter._base import Plotter, as_float_array, as_values, as_xys
from numkit.stat import histogram as _stat_histogram
from numkit.stat import quantile as _stat_quantile

__all__ = ["BarChart", "BoxPlot", "Histogram", "QuartPlot"]

_GRAY = vg.rgb8(128, 128, 128)  # gonum's color.Gray{128}, the default fill


# ----------------------------------------------------------------- shared helpers

def values_of(values: Any, owner: str) -> np.ndarray:
    """Validated 1-D float64 values (the Values container's rules, naming `owner`)."""
    return np.asarray(as_values(values, owner).values)


def span(ax, loc: Any, width_pt: float, axis: str) -> tuple[np.ndarray, np.ndarray]:
    """Data coordinates of ``loc ∓ width_pt/2`` along `axis` ("x" or "y").

    The conversion goes through the display transform, so it holds on linear, log and
    inverted scales; plotters call it from ``plot``, after the Plot has set the limits.
    """
    return shift(ax, loc, -width_pt / 2.0, axis), shift(ax, loc, width_pt / 2.0, axis)


def shift(ax, loc: Any, by_pt: float, axis: str) -> np.ndarray:
    """Data coordinates of `loc` moved by `by_pt` points along `axis`."""
    loc = np.atleast_1d(np.asarray(loc, dtype=np.float64))
    if not by_pt:
        return loc
    k = 0 if axis == "x" else 1
    pts = np.zeros((loc.size, 2))
    pts[:, k] = loc
    disp = ax.transData.transform(pts)
    disp[:, k] += by_pt * ax.figure.dpi / vg.INCH
    return ax.transData.inverted().transform(disp)[:, k]


class DeferredPolys(PolyCollection):
    """Polygons whose vertices `make_verts()` computes at draw time, in data units."""

    def __init__(self, make_verts: Callable[[], Any], **kwargs: Any) -> None:
        super().__init__([], **kwargs)
        self._make_verts = make_verts

    def draw(self, renderer: Any) -> None:
        self.set_verts(self._make_verts())
        super().draw(renderer)


class DeferredLines(LineCollection):
    """Line segments that `make_segments()` computes at draw time, in data units."""

    def __init__(self, make_segments: Callable[[], Any], **kwargs: Any) -> None:
        super().__init__([], **kwargs)
        self._make_segments = make_segments

    def draw(self, renderer: Any) -> None:
        self.set_segments(self._make_segments())
        super().draw(renderer)


def offset_transform(ax, by_pt: float, axis: str) -> Any:
    """``ax.transData`` followed by a shift of `by_pt` points along `axis`."""
    d = by_pt / vg.INCH
    dx, dy = (d, 0.0) if axis == "x" else (0.0, d)
    return ax.transData + ScaledTranslation(dx, dy, ax.figure.dpi_scale_trans)


def poly_kw(fill: Any, line: draw.LineStyle) -> dict:
    """PolyCollection keywords: a fill colour and a gonum line style for the outline."""
    lk = line.mpl_line()
    return {"facecolors": [vg.rgba(fill)], "edgecolors": [lk["color"]],
            "linewidths": lk["linewidth"], "linestyles": lk["linestyle"]}


def line_kw(line: draw.LineStyle) -> dict:
    """LineCollection keywords for a gonum line style."""
    lk = line.mpl_line()
    return {"colors": [lk["color"]], "linewidths": lk["linewidth"],
            "linestyles": lk["linestyle"]}


def swatch(fill: Any, line: draw.LineStyle, x: float, y: float, w: float,
           h: float) -> list:
    """A legend swatch: a filled, outlined rectangle (the Legend sets its transform)."""
    lk = line.mpl_line()
    return [Rectangle((x, y), w, h, facecolor=vg.rgba(fill), edgecolor=lk["color"],
                      linewidth=lk["linewidth"], linestyle=lk["linestyle"])]


# ------------------------------------------------------------------ Histogram

class Histogram(Plotter):
    """A histogram: values (or the x of weighted points) counted into uniform bins.

    Parameters
    ----------
    values : array_like or XYs
        1-D values (gonum's ``NewHist(vs, n)``), or an (n, 2) array / ``XYs`` whose
        x are binned with their y as weights (gonum's ``NewHistogram(xy, n)``).
    bins : int, optional
        The number of uniform bins over [min, max]; the maximum goes in the last bin.
        Default ⌈√n⌉ (gonum's choice when n <= 0).
    normalize : float, optional
        Scale the bins so that their areas sum to this (gonum's ``Normalize``); 1
        gives a probability density.
    fill_color : colour, default gray 128
    line_style : draw.LineStyle, default 1 pt black

    Attributes
    ----------
    counts : numpy.ndarray
        The weight of each bin (after any normalisation).
    dividers : numpy.ndarray
        The ``bins + 1`` bin edges.

    Raises
    ------
    ValueError
        Empty values, NaN/inf (naming the index), a bin count below 1, negative
        weights, a non-positive `normalize`.
    TypeError
        A bin count that is not an integer.

    Notes
    -----
    Counting is :func:`numkit.stat.histogram`: O(1) per value, numpy's bin rule.

    Examples
    --------
    >>> from numkit.plot.plotter import Histogram
    >>> h = Histogram([1.0, 2.0, 2.0, 4.0], bins=3)
    >>> h.counts
    array([1., 2., 1.])
    >>> h.data_range()
    (1.0, 4.0, 0.0, 2.0)
    >>> Histogram([1.0, 2.0, 2.0, 4.0], bins=3, normalize=1).counts.sum()
    np.float64(1.0)
    """

    def __init__(self, values: Any, bins: int | None = None, normalize: float | None = None,
                 *, fill_color: Any = _GRAY, line_style: draw.LineStyle | None = None) -> None:
        name = "Histogram"
        weights = None
        if not hasattr(values, "ndim") and not hasattr(values, "xy"):
            values = as_float_array(values, name, "values")
        if getattr(values, "xy", None) is not None or np.ndim(values) == 2:
            xy = as_xys(values, name)
            xs, weights = np.asarray(xy.x), np.asarray(xy.y)
            if (weights < 0).any():
                i = int(np.argmax(weights < 0))
                raise ValueError(f"{name}: weights[{i}] (the y of point {i}) is "
                                 f"{weights[i]!r}; weights must be >= 0")
        else:
            xs = values_of(values, name)
        if bins is None:
            bins = int(np.ceil(np.sqrt(xs.shape[0])))
        if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)):
            raise TypeError(f"{name}: bins must be an integer; got {bins!r}")
        if bins < 1:
            raise ValueError(f"{name}: bins must be at least 1; got {bins}")
        self.counts, self.dividers = _stat_histogram(xs, int(bins), weights=weights)
        self.fill_color = fill_color
        self.line_style = draw.LineStyle() if line_style is None else line_style
        if normalize is not None:
            self.normalize(normalize)

    def normalize(self, total: float) -> None:
        """Scale the bins so that their areas sum to `total` (gonum's ``Normalize``)."""
        total = float(total)
        if not (np.isfinite(total) and total > 0):
            raise ValueError(f"Histogram.normalize: total must be finite and > 0; "
                             f"got {total!r}")
        area = float(np.sum(self.counts * np.diff(self.dividers)))
        if area > 0:
            self.counts = self.counts * (total / area)

    def data_range(self) -> tuple[float, float, float, float]:
        return (float(self.dividers[0]), float(self.dividers[-1]), 0.0,
                float(self.counts.max()))

    def plot(self, ax, p: Any = None) -> None:
        d, c = self.dividers, self.counts
        z = np.zeros_like(c)
        verts = np.stack([np.stack([d[:-1], z], 1), np.stack([d[:-1], c], 1),
                          np.stack([d[1:], c], 1), np.stack([d[1:], z], 1)], axis=1)
        ax.add_collection(PolyCollection(verts, **poly_kw(self.fill_color, self.line_style)),
                          autolim=False)

    def thumbnail(self, ax, x: float, y: float, w: float, h: float) -> list:
        return swatch(self.fill_color, self.line_style, x, y, w, h)


# ------------------------------------------------------------------- BarChart

class BarChart(Plotter):
    """Bars of the given heights at x = x_min, x_min + 1, … (gonum's ``BarChart``).

    Parameters
    ----------
    values : array_like
        1-D bar heights (negative heights grow down).
    width : float
        The bar width in points (> 0).
    stack_on : BarChart, optional
        Draw these bars on top of another chart's (same length and orientation);
        gonum's ``StackOn``. The bars take its location, offset and width.
    offset : float
        Shift along the category axis, in points (to set bar groups side by side).
    horizontal : bool
        Bars grow along x, at y = x_min, x_min + 1, ….
    x_min : float
        Location of the first bar (gonum's ``XMin``).
    color : colour, default gray 128
        The fill.
    line_style : draw.LineStyle, default 1 pt black

    Raises
    ------
    ValueError
        Empty values, NaN/inf (naming the index), a non-positive width, a
        `stack_on` chart of another length or orientation.

    Examples
    --------
    >>> from numkit.plot.plotter import BarChart
    >>> a = BarChart([1.0, 2.0, 3.0], width=10)
    >>> b = BarChart([1.0, -1.0, 1.0], width=10, stack_on=a)
    >>> b.bottoms()
    array([1., 2., 3.])
    >>> b.data_range()
    (0.0, 2.0, 1.0, 4.0)
    """

    def __init__(self, values: Any, width: float, *, stack_on: BarChart | None = None,
                 offset: float = 0.0, horizontal: bool = False, x_min: float = 0.0,
                 color: Any = _GRAY, line_style: draw.LineStyle | None = None) -> None:
        name = "BarChart"
        self.values = values_of(values, name)
        self.width = vg.check_length(width, "width", name, positive=True)
        self.offset = float(offset)
        self.horizontal = bool(horizontal)
        self.x_min = float(x_min)
        self.color = color
        self.line_style = draw.LineStyle() if line_style is None else line_style
        self.stacked_on: BarChart | None = None
        if stack_on is not None:
            self.stack_on(stack_on)

    def stack_on(self, other: BarChart) -> None:
        """Draw these bars on top of `other`'s (gonum's ``StackOn``)."""
        if not isinstance(other, BarChart):
            raise TypeError(f"BarChart.stack_on: expected a BarChart; got "
                            f"{type(other).__name__}")
        if other.values.shape != self.values.shape:
            raise ValueError(f"BarChart.stack_on: this chart has {self.values.shape[0]} bars "
                             f"but the one below has {other.values.shape[0]}")
        if other.horizontal != self.horizontal:
            raise ValueError("BarChart.stack_on: both charts must have the same orientation")
        self.x_min, self.offset, self.width = other.x_min, other.offset, other.width
        self.stacked_on = other

    def bottoms(self) -> np.ndarray:
        """The base of each bar: the tops of the charts below (0 if none)."""
        if self.stacked_on is None:
            return np.zeros_like(self.values)
        return self.stacked_on.bottoms() + self.stacked_on.values

    def data_range(self) -> tuple[float, float, float, float]:
        lo = self.bottoms()
        hi = lo + self.values
        cat = (self.x_min, self.x_min + self.values.shape[0] - 1)
        val = (float(min(lo.min(), hi.min())), float(max(lo.max(), hi.max())))
        return (*val, *cat) if self.horizontal else (*cat, *val)

    def _rects(self, ax) -> np.ndarray:
        axis = "y" if self.horizontal else "x"
        loc = shift(ax, self.x_min + np.arange(self.values.shape[0], dtype=np.float64),
                    self.offset, axis)
        a, b = span(ax, loc, self.width, axis)
        lo = self.bottoms()
        hi = lo + self.values
        if self.horizontal:
            return np.stack([np.stack([lo, a], 1), np.stack([hi, a], 1),
                             np.stack([hi, b], 1), np.stack([lo, b], 1)], axis=1)
        return np.stack([np.stack([a, lo], 1), np.stack([a, hi], 1),
                         np.stack([b, hi], 1), np.stack([b, lo], 1)], axis=1)

    def plot(self, ax, p: Any = None) -> None:
        ax.add_collection(DeferredPolys(lambda: self._rects(ax),
                                        **poly_kw(self.color, self.line_style)),
                          autolim=False)

    def thumbnail(self, ax, x: float, y: float, w: float, h: float) -> list:
        return swatch(self.color, self.line_style, x, y, w, h)


# ------------------------------------------------------------ BoxPlot, QuartPlot

class _FiveStat(Plotter):
    """gonum/plot's ``fiveStatPlot``: the summary behind box and quartile plots.

    Median and quartiles are ``stat.quantile(kind="empirical")`` at 0.5, 0.25 and
    0.75 (gonum/plot's ``stat.Quantile(p, stat.Empirical, …)``); the fences lie 1.5
    IQR beyond the quartiles; the adjacent values are the extreme values inside the
    fences, and `outside` lists the indices of the values beyond them.
    """

    horizontal = False
    offset = 0.0

    def _summarise(self, values: Any, location: float, name: str) -> None:
        self.values = values_of(values, name)
        loc = float(location)
        if not np.isfinite(loc):
            raise ValueError(f"{name}: location must be finite; got {location!r}")
        self.location = loc
        q1, med, q3 = _stat_quantile(self.values, np.array([0.25, 0.5, 0.75]),
                                     kind="empirical")
        self.quartile1, self.median, self.quartile3 = float(q1), float(med), float(q3)
        self.min = float(self.values.min())
        self.max = float(self.values.max())
        iqr = self.quartile3 - self.quartile1
        low, high = self.quartile1 - 1.5 * iqr, self.quartile3 + 1.5 * iqr
        out = (self.values < low) | (self.values > high)
        self.outside = np.flatnonzero(out)
        inside = self.values[~out]
        self.adj_low = float(inside.min())
        self.adj_high = float(inside.max())

    @property
    def _axis(self) -> str:
        return "y" if self.horizontal else "x"

    def _xy(self, along: Any, across: Any) -> np.ndarray:
        """Points with `along` on the value axis and `across` on the category axis."""
        along, across = np.broadcast_arrays(np.asarray(along, float), np.asarray(across, float))
        if self.horizontal:
            return np.stack([along, across], axis=-1)
        return np.stack([across, along], axis=-1)

    def _outside_glyphs(self, ax, style: draw.GlyphStyle) -> None:
        if self.outside.size:
            pts = self._xy(self.values[self.outside], self.location)
            ax.scatter(pts[:, 0], pts[:, 1], transform=offset_transform(
                ax, self.offset, self._axis), **style.mpl_scatter())


class BoxPlot(_FiveStat):
    """A Tukey box plot of the distribution of values (gonum's ``BoxPlot``).

    Parameters
    ----------
    width : float
        The box width in points (>= 0); the whisker caps are 3/4 of it.
    location : float
        Position of the box along the category axis.
    values : array_like
        1-D data, at least one value, all finite.
    horizontal : bool
        Draw the box along x at y = location (gonum's ``HorizBoxPlot``).
    outliers : bool, default True
        Draw the values beyond the fences as glyphs.
    offset : float
        Shift along the category axis, in points.
    fill_color : colour, optional
        The box's fill (none by default, as gonum).
    box_style, median_style, whisker_style : draw.LineStyle
        gonum's defaults: 1 pt black; the whiskers 0.5 pt dashed 4–2.
    glyph_style : draw.GlyphStyle
        The outside points (gonum's default ring).

    Raises
    ------
    ValueError
        Empty values, NaN/inf (naming the index), a negative width, a non-finite
        location.

    Examples
    --------
    >>> from numkit.plot.plotter import BoxPlot
    >>> b = BoxPlot(20, 0.0, [1.0, 2.0, 3.0, 4.0, 100.0])
    >>> b.quartile1, b.median, b.quartile3
    (2.0, 3.0, 4.0)
    >>> b.adj_low, b.adj_high, b.outside.tolist()
    (1.0, 4.0, [4])
    """

    def __init__(self, width: float, location: float, values: Any, *,
                 horizontal: bool = False, outliers: bool = True, offset: float = 0.0,
                 fill_color: Any = None, box_style: draw.LineStyle | None = None,
                 median_style: draw.LineStyle | None = None,
                 whisker_style: draw.LineStyle | None = None,
                 glyph_style: draw.GlyphStyle | None = None) -> None:
        name = "BoxPlot"
        self.width = vg.check_length(width, "width", name)
        self.cap_width = 3.0 * self.width / 4.0
        self._summarise(values, location, name)
        self.horizontal = bool(horizontal)
        self.outliers = bool(outliers)
        self.offset = float(offset)
        self.fill_color = fill_color
        self.box_style = draw.LineStyle() if box_style is None else box_style
        self.median_style = draw.LineStyle() if median_style is None else median_style
        self.whisker_style = (draw.LineStyle(width=0.5, dashes=(4.0, 2.0))
                              if whisker_style is None else whisker_style)
        self.glyph_style = draw.GlyphStyle() if glyph_style is None else glyph_style

    def data_range(self) -> tuple[float, float, float, float]:
        lo = self.min if self.outliers else self.adj_low
        hi = self.max if self.outliers else self.adj_high
        if self.horizontal:
            return lo, hi, self.location, self.location
        return self.location, self.location, lo, hi

    def _geometry(self, ax) -> dict[str, np.ndarray]:
        """The box, median and whiskers in data units for the current transform."""
        (c,) = shift(ax, self.location, self.offset, self._axis)
        (a,), (b,) = span(ax, c, self.width, self._axis)
        (ca,), (cb,) = span(ax, c, self.cap_width, self._axis)
        q1, q3, lo, hi = self.quartile1, self.quartile3, self.adj_low, self.adj_high
        return {
            "box": self._xy([q1, q3, q3, q1, q1], [a, a, b, b, a]),
            "median": self._xy([self.median, self.median], [a, b])[None],
            "whiskers": np.stack([self._xy([q3, hi], c), self._xy([hi, hi], [ca, cb]),
                                  self._xy([q1, lo], c), self._xy([lo, lo], [ca, cb])]),
        }

    def plot(self, ax, p: Any = None) -> None:
        if self.fill_color is not None:
            ax.add_collection(DeferredPolys(lambda: [self._geometry(ax)["box"][:4]],
                                            facecolors=[vg.rgba(self.fill_color)],
                                            edgecolors="none"), autolim=False)
        for part, style in (("box", self.box_style), ("median", self.median_style),
                            ("whiskers", self.whisker_style)):
            def segments(part: str = part) -> Any:
                g = self._geometry(ax)[part]
                return [g] if part == "box" else list(g)
            ax.add_collection(DeferredLines(segments, **line_kw(style)), autolim=False)
        if self.outliers:
            self._outside_glyphs(ax, self.glyph_style)

    def thumbnail(self, ax, x: float, y: float, w: float, h: float) -> list:
        return swatch(self.fill_color, self.box_style, x, y, w, h)


class QuartPlot(_FiveStat):
    """Tufte's quartile plot (gonum's ``QuartPlot``): a dot at the median, lines from
    the adjacent values to the quartiles, glyphs for the values beyond the fences.

    Parameters
    ----------
    location : float
        Position along the category axis.
    values : array_like
        1-D data, at least one value, all finite.
    horizontal : bool
        Draw along x at y = location.
    offset : float
        Shift along the category axis, in points.
    median_style : draw.GlyphStyle
        gonum's default: a filled circle of radius 1.5 pt.
    whisker_style : draw.LineStyle
        gonum's default: 1 pt black.
    glyph_style : draw.GlyphStyle
        The outside points (gonum's default ring).

    Raises
    ------
    ValueError
        Empty values, NaN/inf (naming the index), a non-finite location.

    Examples
    --------
    >>> from numkit.plot.plotter import QuartPlot
    >>> q = QuartPlot(1.0, [3.0, 1.0, 2.0])
    >>> q.median, q.data_range()
    (2.0, (1.0, 1.0, 1.0, 3.0))
    """

    def __init__(self, location: float, values: Any, *, horizontal: bool = False,
                 offset: float = 0.0, median_style: draw.GlyphStyle | None = None,
                 whisker_style: draw.LineStyle | None = None,
                 glyph_style: draw.GlyphStyle | None = None) -> None:
        self._summarise(values, location, "QuartPlot")
        self.horizontal = bool(horizontal)
        self.offset = float(offset)
        self.median_style = (draw.GlyphStyle(radius=1.5, shape="circle")
                             if median_style is None else median_style)
        self.whisker_style = draw.LineStyle() if whisker_style is None else whisker_style
        self.glyph_style = draw.GlyphStyle() if glyph_style is None else glyph_style

    def data_range(self) -> tuple[float, float, float, float]:
        if self.horizontal:
            return self.min, self.max, self.location, self.location
        return self.location, self.location, self.min, self.max

    def plot(self, ax, p: Any = None) -> None:
        c = self.location
        shifted = offset_transform(ax, self.offset, self._axis)
        q1, q3, lo, hi = self.quartile1, self.quartile3, self.adj_low, self.adj_high
        segs = [self._xy([lo, q1], c), self._xy([q3, hi], c)]
        ax.add_collection(LineCollection(segs, transform=shifted,
                                         **line_kw(self.whisker_style)), autolim=False)
        med = self._xy([self.median], c)
        ax.scatter(med[:, 0], med[:, 1], transform=shifted, **self.median_style.mpl_scatter())
        self._outside_glyphs(ax, self.glyph_style)

    def thumbnail(self, ax, x: float, y: float, w: float, h: float) -> list:
        from matplotlib.lines import Line2D
        mk = self.median_style.mpl_marker()
        return [Line2D([x + w / 2], [y + h / 2], linestyle="none", **mk)]
