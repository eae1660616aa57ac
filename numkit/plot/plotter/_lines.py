"""Lines, points, functions, polygons, grids, labels and error bars.

gonum/plot's line.go, scatter.go, johnson.go (LinePoints), functions.go,
polygon.go, grid.go, labels.go and errbars.go, drawn with one matplotlib
artist per plotter wherever matplotlib allows (the markers of one ``Line2D``
for 10⁵ points, a ``LineCollection`` for error bars), so numkit adds nothing to
matplotlib's own cost.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from numkit.plot import draw, vg
from numkit.plot.plotter._base import (
    DataRange,
    Plotter,
    XYs,
    as_float_array,
    as_xys,
    check_finite,
    union_range,
)

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes

__all__ = [
    "Function",
    "Grid",
    "Labels",
    "Line",
    "LinePoints",
    "Polygon",
    "STEP_KINDS",
    "Scatter",
    "XErrorBars",
    "YErrorBars",
]

#: gonum's StepKind values: none, pre (vertical first), mid, post (horizontal first).
STEP_KINDS = {"none": "default", "pre": "steps-pre", "mid": "steps-mid", "post": "steps-post"}

# 5 pt: gonum's plotter.DefaultCapWidth.
_CAP_WIDTH = 5.0


def _line2d(x: Any, y: Any, **kw: Any) -> Any:
    from matplotlib.lines import Line2D

    return Line2D(np.asarray(x, dtype=float), np.asarray(y, dtype=float), **kw)


def _rect(x: float, y: float, w: float, h: float, **kw: Any) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle((x, y), w, h, **kw)


class Line(Plotter):
    """Points joined by a line, optionally stepped and filled (gonum's ``plotter.Line``).

    Parameters
    ----------
    xys : array_like
        An (n, 2) array, a list of (x, y) pairs or an ``XYs``; or the x values with `y`.
    y : array_like, optional
        The y values when `xys` holds the x values.
    line_style : LineStyle, optional
        Default: black, 1 pt.
    step : {"none", "pre", "mid", "post"}, default "none"
        gonum's StepStyle: ``pre`` goes vertically first, ``post`` horizontally first.
    fill_color : colour, optional
        Fills the area between the line and the bottom of the y range.

    Raises
    ------
    ValueError
        Empty data, mismatched lengths, NaN/inf (naming ``Line`` and the index), an
        unknown step kind.

    Examples
    --------
    >>> Line([0, 1, 2], [1, 3, 2]).data_range()
    (0.0, 2.0, 1.0, 3.0)
    """

    def __init__(self, xys: Any, y: Any = None, *, line_style: draw.LineStyle | None = None,
                 step: str = "none", fill_color: Any = None) -> None:
        self.xys = as_xys(xys, self._name, y)
        self.line_style = draw.LineStyle() if line_style is None else line_style
        if step not in STEP_KINDS:
            raise ValueError(
                f"{self._name}: step {step!r} is unknown; use one of {', '.join(STEP_KINDS)}"
            )
        self.step = step
        self.fill_color = fill_color

    def data_range(self) -> DataRange:
        """The extent of the points (gonum's ``XYRange``)."""
        return self.xys.data_range()

    def plot(self, ax: Axes, p: Any) -> None:
        """Draw the fill, then the line."""
        x, y = self.xys.x, self.xys.y
        if self.fill_color is not None:
            bottom = min(ax.get_ylim())
            ax.fill_between(x, y, bottom, step=None if self.step == "none" else self.step,
                            color=vg.rgba(self.fill_color), linewidth=0)
        if self.line_style.visible():
            ax.plot(x, y, drawstyle=STEP_KINDS[self.step], **self.line_style.mpl_line())

    def thumbnail(self, ax: Axes, x: float, y: float, w: float, h: float) -> list[Artist]:
        """A filled box (if filled) under a horizontal line through the middle."""
        out = []
        if self.fill_color is not None:
            out.append(_rect(x, y, w, h, facecolor=vg.rgba(self.fill_color), linewidth=0))
        if self.line_style.visible():
            out.append(_line2d([x, x + w], [y + h / 2, y + h / 2], **self.line_style.mpl_line()))
        return out


class Scatter(Plotter):
    """A glyph at every point (gonum's ``plotter.Scatter``).

    Parameters
    ----------
    xys, y
        As for :class:`Line`.
    glyph_style : GlyphStyle, optional
        Default: a black ring of radius 2.5 pt.
    glyph_style_func : callable, optional
        ``i -> GlyphStyle`` for per-point styles (gonum's ``GlyphStyleFunc``);
        called once per point at draw time.

    Examples
    --------
    >>> s = Scatter(np.array([[0.0, 1.0], [2.0, -1.0]]))
    >>> s.data_range()
    (0.0, 2.0, -1.0, 1.0)
    """

    def __init__(self, xys: Any, y: Any = None, *, glyph_style: draw.GlyphStyle | None = None,
                 glyph_style_func: Callable[[int], draw.GlyphStyle] | None = None) -> None:
        self.xys = as_xys(xys, self._name, y)
        self.glyph_style = draw.GlyphStyle() if glyph_style is None else glyph_style
        if glyph_style_func is not None and not callable(glyph_style_func):
            raise TypeError(f"{self._name}: glyph_style_func must be callable")
        self.glyph_style_func = glyph_style_func

    def data_range(self) -> DataRange:
        """The extent of the points (gonum's ``XYRange``)."""
        return self.xys.data_range()

    def plot(self, ax: Axes, p: Any) -> None:
        """Draw the glyphs as the markers of one ``Line2D``, or one collection per shape.

        One style for all points goes through matplotlib's marker path (a glyph
        rasterised once and stamped), about 5× faster than ``ax.scatter``'s
        ``PathCollection`` for 10⁵ points; per-point styles need the collection.
        """
        x, y = self.xys.x, self.xys.y
        if self.glyph_style_func is None:
            ax.plot(x, y, linestyle="none", **self.glyph_style.mpl_marker())
            return
        styles = [self.glyph_style_func(i) for i in range(len(self.xys))]
        shapes = np.array([s.shape for s in styles])
        for shape in dict.fromkeys(shapes.tolist()):
            idx = np.flatnonzero(shapes == shape)
            kws = [styles[i].mpl_scatter() for i in idx]
            kw = dict(kws[0])
            kw["s"] = [k["s"] for k in kws]
            for key in ("facecolors", "edgecolors"):
                if key in kw and not isinstance(kw[key], str):
                    kw[key] = [k[key][0] for k in kws]
            ax.scatter(x[idx], y[idx], **kw)

    def thumbnail(self, ax: Axes, x: float, y: float, w: float, h: float) -> list[Artist]:
        """One glyph in the middle of the box."""
        return [_line2d([x + w / 2], [y + h / 2], linestyle="none",
                        **self.glyph_style.mpl_marker())]


class LinePoints(Plotter):
    """A line with a glyph at every point (gonum's ``plotter.NewLinePoints``).

    ``line`` and ``scatter`` are the parts, styled as :class:`Line` and
    :class:`Scatter`.

    Examples
    --------
    >>> lp = LinePoints([[0, 0], [1, 1]])
    >>> lp.line.xys is lp.scatter.xys
    True
    """

    def __init__(self, xys: Any, y: Any = None, *, line_style: draw.LineStyle | None = None,
                 glyph_style: draw.GlyphStyle | None = None) -> None:
        data = as_xys(xys, self._name, y)
        self.line = Line(data, line_style=line_style)
        self.scatter = Scatter(data, glyph_style=glyph_style)

    def data_range(self) -> DataRange:
        """The extent of the points."""
        return self.line.data_range()

    def plot(self, ax: Axes, p: Any) -> None:
        """Draw the line, then the glyphs."""
        self.line.plot(ax, p)
        self.scatter.plot(ax, p)

    def thumbnail(self, ax: Axes, x: float, y: float, w: float, h: float) -> list[Artist]:
        """The line's swatch with a glyph on it."""
        return self.line.thumbnail(ax, x, y, w, h) + self.scatter.thumbnail(ax, x, y, w, h)


class Function(Plotter):
    """A function y = f(x) sampled across the x range (gonum's ``plotter.Function``).

    Parameters
    ----------
    fn : callable
        Called once with an ndarray of sample points when it returns an array of the
        same shape (numpy-style); otherwise called once per sample with a float.
    samples : int, default 50
        Number of samples (gonum's default); at least 2.
    x_min, x_max : float, optional
        Sample range; default: the plot's x range.
    line_style : LineStyle, optional

    Notes
    -----
    Samples are evenly spaced in the axis' scale (log-spaced on a log axis). Points
    where `fn` is NaN or infinite break the line, as gonum does: they are where the
    function is undefined, not bad data. A Function has no data range of its own.

    Examples
    --------
    >>> f = Function(np.sin, samples=5, x_min=0, x_max=np.pi)
    >>> np.round(f.sample(0, np.pi)[1], 3).tolist()
    [0.0, 0.707, 1.0, 0.707, 0.0]
    """

    def __init__(self, fn: Callable[..., Any], *, samples: int = 50, x_min: float | None = None,
                 x_max: float | None = None, line_style: draw.LineStyle | None = None) -> None:
        if not callable(fn):
            raise TypeError(f"{self._name}: fn must be callable; got {type(fn).__name__}")
        if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)) or samples < 2:
            raise ValueError(f"{self._name}: samples must be an int ≥ 2; got {samples!r}")
        for name, v in (("x_min", x_min), ("x_max", x_max)):
            if v is not None and not math.isfinite(v):
                raise ValueError(f"{self._name}: {name} must be finite; got {v}")
        if x_min is not None and x_max is not None and not x_min < x_max:
            raise ValueError(f"{self._name}: x_min ({x_min}) must be less than x_max ({x_max})")
        self.fn = fn
        self.samples = int(samples)
        self.x_min = x_min
        self.x_max = x_max
        self.line_style = draw.LineStyle() if line_style is None else line_style

    def sample(self, lo: float, hi: float, log: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Return the sample points and the function's values over [`lo`, `hi`]."""
        lo = lo if self.x_min is None else self.x_min
        hi = hi if self.x_max is None else self.x_max
        if log:
            xs = np.logspace(math.log10(lo), math.log10(hi), self.samples)
        else:
            xs = np.linspace(lo, hi, self.samples)
        try:
            ys = np.asarray(self.fn(xs), dtype=np.float64)
        except (TypeError, ValueError):
            ys = None
        if ys is None or ys.shape != xs.shape:
            ys = np.array([float(self.fn(float(v))) for v in xs])
        return xs, ys

    def plot(self, ax: Axes, p: Any) -> None:
        """Sample across the plot's x range and draw the line."""
        lo, hi, log, _ = p.x._limits()
        if log and self.x_min is not None and self.x_min <= 0:
            raise ValueError(
                f"{self._name}: x_min is {self.x_min} but the x axis uses LogScale"
            )
        xs, ys = self.sample(lo, hi, log)
        ys = np.where(np.isfinite(ys), ys, np.nan)
        ax.plot(xs, ys, **self.line_style.mpl_line())

    def thumbnail(self, ax: Axes, x: float, y: float, w: float, h: float) -> list[Artist]:
        """A horizontal line through the middle."""
        return [_line2d([x, x + w], [y + h / 2, y + h / 2], **self.line_style.mpl_line())]


class Polygon(Plotter):
    """A filled polygon of one or more rings (gonum's ``plotter.Polygon``).

    Rings wound opposite to the outer ring cut holes (non-zero winding, as gonum).

    Parameters
    ----------
    *rings : array_like
        Each an (n, 2) array, list of pairs or ``XYs``; at least one, ≥ 3 points each.
    color : colour, optional
        Fill colour; None draws only the outline.
    line_style : LineStyle, optional
        Outline; default black 1 pt.

    Examples
    --------
    >>> Polygon([[0, 0], [2, 0], [1, 3]], color="red").data_range()
    (0.0, 2.0, 0.0, 3.0)
    """

    def __init__(self, *rings: Any, color: Any = None,
                 line_style: draw.LineStyle | None = None) -> None:
        if not rings:
            raise ValueError(f"{self._name}: no rings given")
        self.rings = [as_xys(r, self._name) for r in rings]
        for i, r in enumerate(self.rings):
            if len(r) < 3:
                raise ValueError(f"{self._name}: ring {i} has {len(r)} points; need at least 3")
        self.color = color
        self.line_style = draw.LineStyle() if line_style is None else line_style

    def data_range(self) -> DataRange | None:
        """The extent of all rings."""
        return union_range([r.data_range() for r in self.rings])

    def _path(self) -> Any:
        from matplotlib.path import Path

        verts, codes = [], []
        for r in self.rings:
            n = len(r)
            verts.append(np.vstack([r.xy, r.xy[:1]]))
            c = np.full(n + 1, Path.LINETO, dtype=Path.code_type)
            c[0], c[-1] = Path.MOVETO, Path.CLOSEPOLY
            codes.append(c)
        return Path(np.vstack(verts), np.concatenate(codes))

    def plot(self, ax: Axes, p: Any) -> None:
        """Draw one ``PathPatch``."""
        from matplotlib.patches import PathPatch

        line = self.line_style.mpl_line()
        ax.add_patch(PathPatch(
            self._path(), facecolor=vg.rgba(self.color) if self.color is not None else "none",
            edgecolor=line["color"], linewidth=line["linewidth"], linestyle=line["linestyle"],
        ))

    def thumbnail(self, ax: Axes, x: float, y: float, w: float, h: float) -> list[Artist]:
        """A filled, outlined box."""
        line = self.line_style.mpl_line()
        return [_rect(x, y, w, h,
                      facecolor=vg.rgba(self.color) if self.color is not None else "none",
                      edgecolor=line["color"], linewidth=line["linewidth"])]


class Grid(Plotter):
    """Lines across the data area at the major ticks (gonum's ``plotter.Grid``).

    Parameters
    ----------
    vertical, horizontal : LineStyle, optional
        Styles of the lines at x ticks and y ticks; default gray (128) 0.25 pt (gonum's
        ``DefaultGridLineStyle``). A style of width 0 hides that direction.

    Examples
    --------
    >>> Grid().data_range() is None
    True
    """

    def __init__(self, vertical: draw.LineStyle | None = None,
                 horizontal: draw.LineStyle | None = None) -> None:
        gray = vg.rgb8(128, 128, 128)
        self.vertical = draw.LineStyle(color=gray, width=0.25) if vertical is None else vertical
        self.horizontal = (draw.LineStyle(color=gray, width=0.25) if horizontal is None
                           else horizontal)

    def plot(self, ax: Axes, p: Any) -> None:
        """Draw a ``LineCollection`` per direction, spanning the data area."""
        from matplotlib.collections import LineCollection

        for axis, style, trans in ((p.x, self.vertical, ax.get_xaxis_transform()),
                                   (p.y, self.horizontal, ax.get_yaxis_transform())):
            if not style.visible():
                continue
            lo, hi, _, _ = axis._limits()
            v = np.array([t.value for t in axis.tick.marker.ticks(lo, hi)
                          if not t.is_minor() and lo <= t.value <= hi], dtype=np.float64)
            if v.size == 0:
                continue
            span = np.array([0.0, 1.0])
            if axis is p.x:
                segs = np.stack([np.column_stack([v, v]), np.tile(span, (v.size, 1))], axis=-1)
            else:
                segs = np.stack([np.tile(span, (v.size, 1)), np.column_stack([v, v])], axis=-1)
            line = style.mpl_line()
            ax.add_collection(LineCollection(
                segs, colors=[line["color"]], linewidths=line["linewidth"],
                linestyles=[line["linestyle"]], transform=trans), autolim=False)


class Labels(Plotter):
    """Text at points (gonum's ``plotter.Labels``).

    Parameters
    ----------
    xys, labels
        The anchor points and one string per point.
    text_style : TextStyle, optional
        Default: 10 pt black, left-aligned at the point.
    offset : (float, float), default (0, 0)
        Shift of every label in points.

    Examples
    --------
    >>> Labels([[0, 0], [1, 1]], ["a", "b"]).labels
    ('a', 'b')
    >>> Labels([[0, 0]], ["a", "b"])
    Traceback (most recent call last):
    ...
    ValueError: Labels: 1 points but 2 labels
    """

    def __init__(self, xys: Any, labels: Sequence[str], *,
                 text_style: draw.TextStyle | None = None,
                 offset: tuple[float, float] = (0.0, 0.0)) -> None:
        self.xys = as_xys(xys, self._name)
        labels = tuple(str(s) for s in labels)
        if len(labels) != len(self.xys):
            raise ValueError(f"{self._name}: {len(self.xys)} points but {len(labels)} labels")
        self.labels = labels
        self.text_style = (draw.TextStyle(size=10.0, x_align="left") if text_style is None
                           else text_style)
        dx, dy = (float(v) for v in offset)
        if not (math.isfinite(dx) and math.isfinite(dy)):
            raise ValueError(f"{self._name}: offset must be finite; got {offset!r}")
        self.offset = (dx, dy)

    def data_range(self) -> DataRange:
        """The extent of the anchor points."""
        return self.xys.data_range()

    def plot(self, ax: Axes, p: Any) -> None:
        """One ``Text`` per label, offset in points."""
        from matplotlib.transforms import ScaledTranslation

        trans = ax.transData + ScaledTranslation(self.offset[0] / vg.INCH,
                                                 self.offset[1] / vg.INCH,
                                                 ax.figure.dpi_scale_trans)
        style = self.text_style.mpl_text()
        for (x, y), s in zip(self.xys.xy.tolist(), self.labels, strict=True):
            ax.text(x, y, s, transform=trans, ha=self.text_style.x_align,
                    va=self.text_style.y_align, **style)


class _ErrorBars(Plotter):
    """Shared by X/YErrorBars: data, per-point (low, high) errors, style, caps."""

    _axis = "y"

    def __init__(self, data: Any, errors: Any = None, *,
                 line_style: draw.LineStyle | None = None,
                 cap_width: float = _CAP_WIDTH) -> None:
        owner = self._name
        if errors is None and not isinstance(data, XYs):
            a = as_float_array(data, owner, "data")
            if a.ndim != 2 or a.shape[1] not in (3, 4):
                raise ValueError(
                    f"{owner}: data must be an (n, 3) array of (x, y, error) or (n, 4) of "
                    f"(x, y, low, high), or points with errors=; got shape {a.shape}"
                )
            self.xys = as_xys(a[:, :2], owner)
            err = a[:, 2:]
        else:
            if errors is None:
                raise ValueError(f"{owner}: errors are missing (pass errors= with the points)")
            self.xys = as_xys(data, owner)
            err = as_float_array(errors, owner, "errors")
            if err.ndim == 1:
                err = err[:, None]
            if err.ndim != 2 or err.shape[1] not in (1, 2) or err.shape[0] != len(self.xys):
                raise ValueError(
                    f"{owner}: errors must have shape ({len(self.xys)},) or "
                    f"({len(self.xys)}, 2) for (low, high); got {np.shape(errors)}"
                )
        check_finite(err, owner, "errors")
        if (err < 0).any():
            i = int(np.flatnonzero((err < 0).any(axis=1))[0])
            raise ValueError(f"{owner}: errors[{i}] is negative; errors are distances ≥ 0")
        err = np.broadcast_to(err, (len(self.xys), 2)) if err.shape[1] == 1 else err
        self.low = np.array(err[:, 0])
        self.high = np.array(err[:, 1])
        self.line_style = draw.LineStyle() if line_style is None else line_style
        self.cap_width = vg.check_length(cap_width, "cap_width", owner)

    def _ends(self) -> tuple[np.ndarray, np.ndarray]:
        v = self.xys.y if self._axis == "y" else self.xys.x
        return v - self.low, v + self.high

    def data_range(self) -> DataRange:
        """The extent of the points and their error bars."""
        lo, hi = self._ends()
        x, y = self.xys.x, self.xys.y
        if self._axis == "y":
            return (float(x.min()), float(x.max()), float(lo.min()), float(hi.max()))
        return (float(lo.min()), float(hi.max()), float(y.min()), float(y.max()))

    def plot(self, ax: Axes, p: Any) -> None:
        """A ``LineCollection`` of bars and one ``Line2D`` of cap markers."""
        from matplotlib.collections import LineCollection

        lo, hi = self._ends()
        x, y = self.xys.x, self.xys.y
        if self._axis == "y":
            a, b = np.column_stack([x, lo]), np.column_stack([x, hi])
            marker = "_"
        else:
            a, b = np.column_stack([lo, y]), np.column_stack([hi, y])
            marker = "|"
        line = self.line_style.mpl_line()
        ax.add_collection(LineCollection(np.stack([a, b], axis=1), colors=[line["color"]],
                                         linewidths=line["linewidth"],
                                         linestyles=[line["linestyle"]]), autolim=False)
        if self.cap_width > 0:
            ends = np.vstack([a, b])
            ax.plot(ends[:, 0], ends[:, 1], linestyle="none", marker=marker,
                    markersize=self.cap_width, markeredgewidth=line["linewidth"],
                    markeredgecolor=line["color"])

    def thumbnail(self, ax: Axes, x: float, y: float, w: float, h: float) -> list[Artist]:
        """A capped bar across the middle of the box."""
        line = self.line_style.mpl_line()
        cx, cy = x + w / 2, y + h / 2
        half = min(w, h) / 2
        if self._axis == "y":
            bar = _line2d([cx, cx], [cy - half, cy + half], **line)
            caps = _line2d([cx, cx], [cy - half, cy + half], linestyle="none", marker="_",
                           markersize=self.cap_width, markeredgewidth=line["linewidth"],
                           markeredgecolor=line["color"])
        else:
            bar = _line2d([x, x + w], [cy, cy], **line)
            caps = _line2d([x, x + w], [cy, cy], linestyle="none", marker="|",
                           markersize=self.cap_width, markeredgewidth=line["linewidth"],
                           markeredgecolor=line["color"])
        return [bar, caps]


class YErrorBars(_ErrorBars):
    """Vertical error bars (gonum's ``plotter.YErrorBars``).

    Parameters
    ----------
    data : array_like
        An (n, 3) array of (x, y, error) (symmetric), an (n, 4) array of
        (x, y, low, high), or points (as for :class:`Line`) with `errors`.
    errors : array_like, optional
        Shape (n,) (symmetric) or (n, 2) (low, high), with points in `data`.
    line_style : LineStyle, optional
    cap_width : float, default 5 pt
        Width of the caps (gonum's ``DefaultCapWidth``).

    Raises
    ------
    ValueError
        Wrong shapes, empty data, NaN/inf (naming the plotter and the index) or
        negative errors.

    Examples
    --------
    >>> YErrorBars([[0, 1, 0.5], [1, 2, 0.25]]).data_range()
    (0.0, 1.0, 0.5, 2.25)
    """

    _axis = "y"


class XErrorBars(_ErrorBars):
    """Horizontal error bars (gonum's ``plotter.XErrorBars``); arguments as :class:`YErrorBars`.

    Examples
    --------
    >>> XErrorBars([[0, 1], [1, 2]], errors=[[0.5, 1.0], [0.0, 0.0]]).data_range()
    (-0.5, 1.0, 1.0, 2.0)
    """

    _axis = "x"
