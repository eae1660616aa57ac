"""Plot, axes, ticks and legend (gonum/plot's plot.go, axis.go, legend.go).

A :class:`Plot` holds plotters and the decorations around them; nothing touches
matplotlib until it is drawn. :meth:`Plot.draw` renders into any matplotlib
``Axes``; :meth:`Plot.to_figure` builds a fresh ``matplotlib.figure.Figure``
(never through ``pyplot``) and :meth:`Plot.save` / :meth:`Plot.writer_to` print
it with a format canvas directly, so rendering holds no global state and may run
in several threads at once.
"""

from __future__ import annotations

import datetime as _dt
import io
import math
import os
import re
import tempfile
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from numkit.plot import draw as _draw
from numkit.plot import vg

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

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
    "render_figure",
]

#: Output formats by file extension.
FORMATS: tuple[str, ...] = ("png", "svg", "pdf", "eps", "jpg", "jpeg", "tif", "tiff")

# 4 × 4 in: the size notebooks get from _repr_png_/_repr_svg_.
_REPR_SIZE = 4 * vg.INCH


# --------------------------------------------------------------------------------------
# ticks (gonum's Ticker: Ticks(min, max) []Tick; an empty label marks a minor tick)


@dataclass(frozen=True)
class Tick:
    """A tick mark at `value`; an empty `label` makes it a minor tick (gonum's ``plot.Tick``)."""

    value: float
    label: str = ""

    def is_minor(self) -> bool:
        """Whether the tick is minor (has no label)."""
        return self.label == ""


def _format_tick(v: float, prec: int) -> str:
    if v == 0.0:
        return "0"
    if 1e-4 <= abs(v) < 1e15 and prec <= 15:
        s = f"{v:.{max(prec, 0)}f}"
        return "0" if s.lstrip("-").strip("0.") == "" else s
    return f"{v:g}"


class DefaultTicks:
    """Major ticks at round values with unlabelled minor ticks between (gonum's ``DefaultTicks``).

    gonum's classic algorithm: with three suggested ticks, the major step is a
    multiple 1..8 of a power of ten; minor ticks split it in halves, thirds or
    fifths.

    Examples
    --------
    >>> [t.label for t in DefaultTicks().ticks(0, 10) if not t.is_minor()]
    ['0', '5', '10']
    """

    def ticks(self, vmin: float, vmax: float) -> list[Tick]:
        """Return the ticks for the range [`vmin`, `vmax`]."""
        if not (math.isfinite(vmin) and math.isfinite(vmax)) or vmax <= vmin:
            raise ValueError(f"DefaultTicks: illegal range [{vmin}, {vmax}]")
        suggested = 3
        span = vmax - vmin
        tens = 10.0 ** math.floor(math.log10(span))
        n = span / tens
        while n < suggested - 1:
            tens /= 10.0
            n = span / tens
        mult = int(n / (suggested - 1))
        mult = {7: 6, 9: 8}.get(mult, mult)
        major = mult * tens
        minor = major / {3: 3, 6: 3, 5: 5}.get(mult, 2)
        prec = max(0, -math.floor(math.log10(major)))
        majors = _multiples(vmin, vmax, major).tolist()
        ticks = [Tick(v, _format_tick(v, prec)) for v in majors]
        taken = {t.value for t in ticks}
        ticks += [Tick(float(v)) for v in _multiples(vmin, vmax, minor) if float(v) not in taken]
        return ticks


def _multiples(vmin: float, vmax: float, step: float) -> np.ndarray:
    """Multiples k·step inside [vmin, vmax], computed as products so they do not drift."""
    k = np.arange(math.ceil(vmin / step - 1e-9), math.floor(vmax / step + 1e-9) + 1)
    v = k * step
    # k·step can land one ulp off a round value: round to the step's precision.
    digits = max(0, 15 - math.floor(math.log10(abs(step)))) if step else 0
    if digits < 300:
        v = np.round(v, digits)
    # a range only a few ulps wide makes k·step inexact: keep distinct values inside.
    slack = (vmax - vmin) * 1e-9
    return np.unique(v[(v >= vmin - slack) & (v <= vmax + slack)])


class LogTicks:
    """Labelled ticks at powers of ten and minor ticks at 2..9 × them (gonum's ``LogTicks``).

    Parameters
    ----------
    prec : int, default -1
        Digits after the decimal point in labels; -1 chooses the shortest form.

    Examples
    --------
    >>> [t.label for t in LogTicks().ticks(1, 1000) if not t.is_minor()]
    ['1', '10', '100', '1000']
    """

    def __init__(self, prec: int = -1) -> None:
        self.prec = prec

    def ticks(self, vmin: float, vmax: float) -> list[Tick]:
        """Return the ticks for the range [`vmin`, `vmax`]; both must be positive."""
        if not vmin > 0 or not vmax > 0:
            raise ValueError(f"LogTicks: a log scale needs positive values; got [{vmin}, {vmax}]")
        lo = math.floor(math.log10(vmin))
        hi = math.ceil(math.log10(vmax))
        decades = 10.0 ** np.arange(lo, hi + 1)
        out = []
        for d in decades:
            for i in range(1, 10):
                v = float(d * i)
                if vmin * (1 - 1e-12) <= v <= vmax * (1 + 1e-12):
                    label = (f"{v:g}" if self.prec < 0 else f"{v:.{self.prec}f}") if i == 1 else ""
                    out.append(Tick(v, label))
        return out


class ConstantTicks:
    """A fixed list of ticks (gonum's ``ConstantTicks``).

    Parameters
    ----------
    ticks : iterable of Tick, (value, label) pairs or numbers
        Numbers are labelled with ``format(value, "g")``.

    Examples
    --------
    >>> ConstantTicks([(0, "a"), 2.5]).ticks(0, 1)
    [Tick(value=0.0, label='a'), Tick(value=2.5, label='2.5')]
    """

    def __init__(self, ticks: Iterable[Any] = ()) -> None:
        out = []
        for t in ticks:
            if isinstance(t, Tick):
                out.append(t)
            elif isinstance(t, tuple):
                value, label = t
                out.append(Tick(float(value), str(label)))
            else:
                out.append(Tick(float(t), f"{float(t):g}"))
        bad = [t.value for t in out if not math.isfinite(t.value)]
        if bad:
            raise ValueError(f"ConstantTicks: tick values must be finite; got {bad[0]}")
        self._ticks = out

    def ticks(self, vmin: float, vmax: float) -> list[Tick]:
        """Return the fixed ticks (the range is ignored, as in gonum)."""
        return list(self._ticks)


class TimeTicks:
    """Ticks on an axis of Unix times in seconds, labelled by `format` (gonum's ``TimeTicks``).

    Parameters
    ----------
    format : str, default "%Y-%m-%d"
        A ``strftime`` format (Python's spelling of Go's time layout).
    ticker : Ticker, default DefaultTicks()
        Places the ticks; its labels are replaced.
    tz : datetime.tzinfo, default UTC
        Time zone of the labels (gonum's ``UTCUnixTime`` by default).

    Examples
    --------
    >>> [t.label for t in TimeTicks("%Y").ticks(0, 4e8) if t.label]
    ['1970', '1976', '1982']
    """

    def __init__(self, format: str = "%Y-%m-%d", ticker: Any = None,
                 tz: _dt.tzinfo = _dt.UTC) -> None:
        self.format = format
        self.ticker = DefaultTicks() if ticker is None else ticker
        self.tz = tz

    def ticks(self, vmin: float, vmax: float) -> list[Tick]:
        """Return the ticker's ticks with its labels replaced by formatted times."""
        out = []
        for t in self.ticker.ticks(vmin, vmax):
            if t.is_minor():
                out.append(t)
            else:
                when = _dt.datetime.fromtimestamp(t.value, self.tz)
                out.append(Tick(t.value, when.strftime(self.format)))
        return out


# --------------------------------------------------------------------------------------
# scales


class LinearScale:
    """A linear axis (gonum's ``LinearScale``)."""

    def __repr__(self) -> str:
        return "LinearScale()"


class LogScale:
    """A base-10 logarithmic axis (gonum's ``LogScale``); the range must be positive."""

    def __repr__(self) -> str:
        return "LogScale()"


class InvertedScale:
    """`inner` scale running from maximum to minimum (gonum's ``InvertedScale``).

    Examples
    --------
    >>> InvertedScale(LogScale())
    InvertedScale(LogScale())
    """

    def __init__(self, inner: LinearScale | LogScale | None = None) -> None:
        inner = LinearScale() if inner is None else inner
        if not isinstance(inner, (LinearScale, LogScale)):
            raise ValueError(
                f"InvertedScale: inner must be LinearScale() or LogScale(); got {inner!r}"
            )
        self.inner = inner

    def __repr__(self) -> str:
        return f"InvertedScale({self.inner!r})"


# --------------------------------------------------------------------------------------
# decorations


@dataclass
class Text:
    """A piece of text and its style (gonum's ``Title``/``Axis.Label`` fields)."""

    text: str = ""
    text_style: _draw.TextStyle = field(default_factory=_draw.TextStyle)
    padding: float = 5.0


@dataclass
class AxisTick:
    """The ticks of an axis (gonum's ``Axis.Tick``)."""

    marker: Any = field(default_factory=DefaultTicks)
    label: _draw.TextStyle = field(default_factory=lambda: _draw.TextStyle(size=10.0))
    line_style: _draw.LineStyle = field(default_factory=lambda: _draw.LineStyle(width=0.5))
    #: Length of major ticks in points; minor ticks are half as long (gonum's 8 pt).
    length: float = 8.0


class Axis:
    """One axis of a Plot (gonum's ``plot.Axis``).

    Attributes
    ----------
    min, max : float
        The range; ``Plot.add`` widens it to cover each plotter's data. Start as
        +inf and -inf; an axis without data shows [-1, 1], as in gonum.
    scale : LinearScale | LogScale | InvertedScale
    label : Text
        ``label.text`` and ``label.text_style``.
    tick : AxisTick
        ``tick.marker`` (a Ticker), ``tick.label`` (style), ``tick.line_style``,
        ``tick.length``.
    line_style : LineStyle
        The axis line (0.5 pt black).
    padding : float
        Distance in points between the axis line and the data (gonum's 5 pt).
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.min = math.inf
        self.max = -math.inf
        self.scale: Any = LinearScale()
        self.label = Text(text_style=_draw.TextStyle(rotation=90.0 if name == "y" else 0.0))
        self.tick = AxisTick()
        self.line_style = _draw.LineStyle(width=0.5)
        self.padding = 5.0

    def __repr__(self) -> str:
        return f"Axis({self.name!r}, min={self.min}, max={self.max}, scale={self.scale!r})"

    def _limits(self) -> tuple[float, float, bool, bool]:
        """Sanitised (lo, hi, log, inverted), as gonum's ``sanitizeRange``; validates."""
        scale = self.scale
        inverted = isinstance(scale, InvertedScale)
        base = scale.inner if inverted else scale
        if not isinstance(base, (LinearScale, LogScale)):
            raise ValueError(
                f"Plot: the {self.name} axis scale must be LinearScale(), LogScale() or "
                f"InvertedScale(...); got {scale!r}"
            )
        log = isinstance(base, LogScale)
        lo = 0.0 if math.isinf(self.min) else float(self.min)
        hi = 0.0 if math.isinf(self.max) else float(self.max)
        if math.isnan(lo) or math.isnan(hi):
            raise ValueError(f"Plot: the {self.name} axis range is [{lo}, {hi}]; it must be finite")
        if lo > hi:
            lo, hi = hi, lo
        if log:
            if math.isinf(self.min) and math.isinf(self.max):
                lo, hi = 1.0, 10.0
            if lo <= 0.0:
                raise ValueError(
                    f"Plot: the {self.name} axis uses LogScale but its range includes the "
                    f"non-positive value {lo}; a log scale needs positive values"
                )
            if lo == hi:
                lo, hi = lo / 10.0, hi * 10.0
        elif lo == hi:
            lo, hi = lo - 1.0, hi + 1.0
        return lo, hi, log, inverted


@dataclass
class _LegendEntry:
    label: str
    thumbnailers: tuple[Any, ...]
    ax: Any = None


class Legend:
    """The legend of a Plot (gonum's ``plot.Legend``).

    Attributes
    ----------
    top, left : bool
        Corner of the data area it sits in (default bottom right, as gonum).
    x_offs, y_offs : float
        Offsets in points from that corner.
    text_style : TextStyle
    thumbnail_width : float
        Width of the swatches in points (gonum's 20 pt).
    """

    def __init__(self) -> None:
        self.top = False
        self.left = False
        self.x_offs = 0.0
        self.y_offs = 0.0
        self.text_style = _draw.TextStyle()
        self.thumbnail_width = 20.0
        self._entries: list[_LegendEntry] = []

    def add(self, label: str, *thumbnailers: Any) -> None:
        """Add an entry `label` whose swatch draws every thumbnailer, in order.

        Raises
        ------
        TypeError
            If `label` is not a str or a thumbnailer has no ``thumbnail`` method.
        """
        if not isinstance(label, str):
            raise TypeError(f"Legend.add: label must be a str; got {type(label).__name__}")
        for i, t in enumerate(thumbnailers):
            if not callable(getattr(t, "thumbnail", None)):
                raise TypeError(
                    f"Legend.add: thumbnailer {i} ({type(t).__name__}) has no "
                    f"thumbnail(ax, x, y, w, h) method"
                )
        self._entries.append(_LegendEntry(label, thumbnailers))

    def __len__(self) -> int:
        return len(self._entries)


# --------------------------------------------------------------------------------------
# the plot


class Plot:
    """A plot: title, two axes, a legend and the plotters drawn in it (gonum's ``plot.New()``).

    Examples
    --------
    >>> from numkit.plot import Plot, vg
    >>> from numkit.plot.plotter import Scatter
    >>> p = Plot()
    >>> p.title.text = "Points"
    >>> p.add(Scatter([[0, 0], [1, 2], [2, 1]]))
    >>> (p.x.min, p.x.max, p.y.min, p.y.max)
    (0.0, 2.0, 0.0, 2.0)
    >>> p.writer_to(3 * vg.INCH, 2 * vg.INCH, "png")[:8]
    b'\\x89PNG\\r\\n\\x1a\\n'
    """

    def __init__(self) -> None:
        self.title = Text()
        self.x = Axis("x")
        self.y = Axis("y")
        self.legend = Legend()
        self.background_color: Any = vg.WHITE
        self._plotters: list[Any] = []

    def __repr__(self) -> str:
        return f"Plot(title={self.title.text!r}, plotters={len(self._plotters)})"

    @property
    def plotters(self) -> tuple[Any, ...]:
        """The plotters added so far, in drawing order."""
        return tuple(self._plotters)

    def add(self, *plotters: Any) -> None:
        """Add plotters, widening the axes to cover each one's ``data_range()``.

        Raises
        ------
        TypeError
            If an argument has no ``plot(ax, p)`` method.
        """
        for i, pl in enumerate(plotters):
            if not callable(getattr(pl, "plot", None)):
                raise TypeError(
                    f"Plot.add: argument {i} ({type(pl).__name__}) is not a plotter "
                    f"(it has no plot(ax, p) method)"
                )
        for pl in plotters:
            ranger = getattr(pl, "data_range", None)
            r = ranger() if callable(ranger) else None
            if r is not None:
                xmin, xmax, ymin, ymax = (float(v) for v in r)
                self.x.min = min(self.x.min, xmin)
                self.x.max = max(self.x.max, xmax)
                self.y.min = min(self.y.min, ymin)
                self.y.max = max(self.y.max, ymax)
            self._plotters.append(pl)

    def hide_x(self) -> None:
        """Hide the x axis line, ticks and tick labels (gonum's ``HideX``)."""
        _hide(self.x)

    def hide_y(self) -> None:
        """Hide the y axis line, ticks and tick labels (gonum's ``HideY``)."""
        _hide(self.y)

    def hide_axes(self) -> None:
        """Hide both axes (gonum's ``HideAxes``)."""
        self.hide_x()
        self.hide_y()

    def nominal_x(self, *names: str) -> None:
        """Label x = 0, 1, … with `names` and hide the axis line (gonum's ``NominalX``)."""
        _nominal(self.x, names)

    def nominal_y(self, *names: str) -> None:
        """Label y = 0, 1, … with `names` and hide the axis line (gonum's ``NominalY``)."""
        _nominal(self.y, names)

    # ------------------------------------------------------------------ drawing

    def draw(self, ax: Axes) -> None:
        """Draw the plot into the matplotlib Axes `ax` (gonum's ``Plot.Draw``).

        Raises
        ------
        TypeError
            If `ax` is not a matplotlib Axes.
        ValueError
            If an axis range is invalid for its scale (e.g. log of a non-positive value).
        """
        from matplotlib.axes import Axes as _Axes

        if not isinstance(ax, _Axes):
            raise TypeError(f"Plot.draw: ax must be a matplotlib Axes; got {type(ax).__name__}")
        xlim = self.x._limits()
        ylim = self.y._limits()
        ax.set_autoscale_on(False)
        ax.set_facecolor(vg.rgba(self.background_color))
        for axis, lim, setter in ((self.x, xlim, _set_x), (self.y, ylim, _set_y)):
            setter(ax, axis, lim)
        clip = _padded_clip(ax, self.y.padding, self.x.padding)
        for i, pl in enumerate(self._plotters):
            before = {id(a) for a in ax.get_children()}
            pl.plot(ax, self)
            name = type(pl).__name__
            new = [a for a in ax.get_children() if id(a) not in before]
            for j, artist in enumerate(new):
                if artist.get_gid() is None:
                    artist.set_gid(f"{name}{i}_{j}")
                artist.set_in_layout(False)
                if artist.get_clip_on():
                    artist.set_clip_path(None)
                    artist.set_clip_box(clip)
        # plotters may not move the limits: gonum's axes are the model's, not the artists'.
        for axis, lim in ((self.x, xlim), (self.y, ylim)):
            _apply_limits(ax, axis.name, lim)
            _apply_ticks(ax, axis, lim)
        # gonum draws one line per axis, at the bottom and on the left.
        ax.spines["top"].set_visible(False)
        ax.spines["right"].set_visible(False)
        _style_spine(ax.spines["bottom"], self.x)
        _style_spine(ax.spines["left"], self.y)
        if self.x.label.text:
            ax.set_xlabel(self.x.label.text, labelpad=self.x.label.padding,
                          **self.x.label.text_style.mpl_text())
        if self.y.label.text:
            ax.set_ylabel(self.y.label.text, labelpad=self.y.label.padding,
                          **self.y.label.text_style.mpl_text())
        if self.title.text:
            ax.set_title(self.title.text, pad=self.title.padding,
                         **self.title.text_style.mpl_text())
        if self.legend._entries:
            _draw_legend(ax, self.legend)

    def to_figure(self, width: float = _REPR_SIZE, height: float = _REPR_SIZE,
                  *, dpi: float = vg.DPI) -> Figure:
        """Return a new matplotlib Figure of `width` × `height` points holding the plot.

        Raises
        ------
        ValueError
            If a size is not a positive finite length.
        """
        from matplotlib.figure import Figure as _Figure

        w = vg.check_length(width, "width", "Plot.to_figure", positive=True)
        h = vg.check_length(height, "height", "Plot.to_figure", positive=True)
        fig = _Figure(figsize=(w / vg.INCH, h / vg.INCH), dpi=dpi,
                      facecolor=vg.rgba(self.background_color), layout="constrained")
        # 3 pt around the canvas edge, as close to gonum's tight layout as matplotlib allows.
        fig.get_layout_engine().set(w_pad=3 / vg.INCH, h_pad=3 / vg.INCH, wspace=0, hspace=0)
        self.draw(fig.add_subplot())
        return fig

    def writer_to(self, width: float, height: float, fmt: str) -> bytes:
        """Return the plot rendered at `width` × `height` points in format `fmt`.

        Parameters
        ----------
        width, height : float
            Lengths in points (e.g. ``4 * vg.INCH``).
        fmt : str
            One of ``FORMATS``.

        Raises
        ------
        ValueError
            For an unknown format or a non-positive size.
        """
        fmt = _check_format(fmt, "Plot.writer_to")
        return render_figure(self.to_figure(width, height), fmt)

    def save(self, width: float, height: float, path: str | os.PathLike[str]) -> None:
        """Write the plot to `path`, the format taken from its extension (gonum's ``Save``).

        The file is written atomically (a temporary file renamed into place).

        Raises
        ------
        ValueError
            For an unsupported extension (the message lists the supported ones) or a
            non-positive size.
        """
        path = Path(path)
        fmt = _check_format(path.suffix.lstrip("."), "Plot.save", path=path)
        data = self.writer_to(width, height, fmt)
        write_atomically(path, data)

    def _repr_png_(self) -> bytes:
        return self.writer_to(_REPR_SIZE, _REPR_SIZE, "png")

    def _repr_svg_(self) -> str:
        return self.writer_to(_REPR_SIZE, _REPR_SIZE, "svg").decode("utf-8")


# --------------------------------------------------------------------------------------
# helpers


def _hide(axis: Axis) -> None:
    axis.line_style.width = 0.0
    axis.tick.length = 0.0
    axis.tick.marker = ConstantTicks([])


def _nominal(axis: Axis, names: Sequence[str]) -> None:
    for i, n in enumerate(names):
        if not isinstance(n, str):
            raise TypeError(f"Plot.nominal_{axis.name}: name {i} must be a str; got {n!r}")
    axis.line_style.width = 0.0
    axis.tick.length = 0.0
    axis.tick.marker = ConstantTicks([(i, n) for i, n in enumerate(names)])


def _set_x(ax: Axes, axis: Axis, lim: tuple[float, float, bool, bool]) -> None:
    ax.set_xscale("log" if lim[2] else "linear")
    _apply_limits(ax, "x", lim)


def _set_y(ax: Axes, axis: Axis, lim: tuple[float, float, bool, bool]) -> None:
    ax.set_yscale("log" if lim[2] else "linear")
    _apply_limits(ax, "y", lim)


def _apply_limits(ax: Axes, name: str, lim: tuple[float, float, bool, bool]) -> None:
    lo, hi, _, inverted = lim
    setter = ax.set_xlim if name == "x" else ax.set_ylim
    setter((hi, lo) if inverted else (lo, hi), auto=False)


def _apply_ticks(ax: Axes, axis: Axis, lim: tuple[float, float, bool, bool]) -> None:
    lo, hi = lim[0], lim[1]
    marker = axis.tick.marker
    if not callable(getattr(marker, "ticks", None)):
        raise ValueError(
            f"Plot: the {axis.name} axis tick.marker must have a ticks(min, max) method; "
            f"got {type(marker).__name__}"
        )
    ticks = marker.ticks(lo, hi)
    slack = (hi - lo) * 1e-9
    inside = [t for t in ticks if lo - slack <= t.value <= hi + slack]
    major = [t for t in inside if not t.is_minor()]
    minor = [t for t in inside if t.is_minor()]
    mpl_axis = ax.xaxis if axis.name == "x" else ax.yaxis
    mpl_axis.set_ticks([t.value for t in major], [t.label for t in major])
    mpl_axis.set_ticks([t.value for t in minor], minor=True)
    line = axis.tick.line_style.mpl_line()
    text = axis.tick.label.mpl_text()
    common = {"direction": "out", "width": line["linewidth"], "color": line["color"]}
    ax.tick_params(axis=axis.name, which="major", length=axis.tick.length,
                   labelsize=text["fontsize"], labelcolor=text["color"],
                   labelfontfamily=text["fontfamily"], labelrotation=text["rotation"], **common)
    ax.tick_params(axis=axis.name, which="minor", length=axis.tick.length / 2, **common)


def _style_spine(spine: Any, axis: Axis) -> None:
    line = axis.line_style.mpl_line()
    spine.set_position(("outward", axis.padding))
    spine.set_visible(axis.line_style.visible())
    spine.set_color(line["color"])
    spine.set_linewidth(line["linewidth"])


def _padded_clip(ax: Axes, pad_x: float, pad_y: float) -> Any:
    """The axes' box grown by pad_x/pad_y points: gonum draws data in the padding too."""
    from matplotlib.transforms import BboxBase

    class _PaddedBbox(BboxBase):
        def __init__(self) -> None:
            super().__init__()
            self.set_children(ax.bbox)

        def get_points(self) -> np.ndarray:
            pts = ax.bbox.get_points()
            scale = ax.figure.dpi / vg.INCH
            d = np.array([pad_x * scale, pad_y * scale])
            return np.array([pts[0] - d, pts[1] + d])

    return _PaddedBbox()


def _draw_legend(ax: Axes, legend: Legend) -> None:
    from matplotlib.legend_handler import HandlerBase
    from matplotlib.transforms import ScaledTranslation

    class _Handler(HandlerBase):
        def create_artists(self, lg: Any, entry: Any, xdescent: float, ydescent: float,
                           width: float, height: float, fontsize: float,
                           trans: Any) -> list[Any]:
            out = []
            for t in entry.thumbnailers:
                for artist in t.thumbnail(entry.ax, -xdescent, -ydescent, width, height):
                    artist.set_transform(trans)
                    out.append(artist)
            return out

    for e in legend._entries:
        e.ax = ax
    style = legend.text_style.mpl_text()
    loc = f"{'upper' if legend.top else 'lower'} {'left' if legend.left else 'right'}"
    anchor = (0.0 if legend.left else 1.0, 1.0 if legend.top else 0.0)
    offset = ScaledTranslation(legend.x_offs / vg.INCH, legend.y_offs / vg.INCH,
                               ax.figure.dpi_scale_trans)
    ax.legend(
        handles=legend._entries, labels=[e.label for e in legend._entries],
        handler_map={_LegendEntry: _Handler()}, loc=loc, bbox_to_anchor=anchor,
        bbox_transform=ax.transAxes + offset, frameon=False,
        prop={"size": style["fontsize"], "family": style["fontfamily"]},
        labelcolor=[style["color"]] * len(legend._entries),
        handlelength=legend.thumbnail_width / style["fontsize"], borderaxespad=0.5,
    )


def _check_format(fmt: str, owner: str, path: Path | None = None) -> str:
    f = str(fmt).lower().lstrip(".")
    if f not in FORMATS:
        what = f"the extension of {str(path)!r}" if path is not None else f"format {fmt!r}"
        raise ValueError(f"{owner}: {what} is not supported; use one of {', '.join(FORMATS)}")
    return f


# svg.hashsalt and svg.fonttype live in the global rcParams: hold this lock while they
# are overridden so concurrent SVG renders cannot restore each other's settings.
_SVG_LOCK = threading.Lock()
_EPS_DATE = re.compile(rb"^%%CreationDate:[^\n]*\n", re.MULTILINE)


def render_figure(fig: Figure, fmt: str) -> bytes:
    """Return `fig` printed in format `fmt` with no dates or software stamps.

    Prints with the format's canvas directly (no ``pyplot``); output is byte-for-byte
    reproducible: SVG ids use a fixed hash salt, PDF/PNG carry no dates or producer,
    EPS has its ``%%CreationDate`` comment removed.

    Raises
    ------
    ValueError
        For an unknown format.
    """
    fmt = _check_format(fmt, "render_figure")
    buf = io.BytesIO()
    if fmt == "svg":
        import matplotlib
        from matplotlib.backends.backend_svg import FigureCanvasSVG

        canvas = FigureCanvasSVG(fig)
        with _SVG_LOCK, matplotlib.rc_context({"svg.hashsalt": "numkit", "svg.fonttype": "none"}):
            canvas.print_svg(buf, metadata={"Date": None, "Creator": None})
    elif fmt == "pdf":
        from matplotlib.backends.backend_pdf import FigureCanvasPdf

        FigureCanvasPdf(fig).print_pdf(
            buf, metadata={"CreationDate": None, "Creator": None, "Producer": None})
    elif fmt == "eps":
        from matplotlib.backends.backend_ps import FigureCanvasPS

        FigureCanvasPS(fig).print_eps(buf, metadata={"Creator": "numkit"})
        return _EPS_DATE.sub(b"", buf.getvalue(), count=1)
    else:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        canvas = FigureCanvasAgg(fig)
        if fmt == "png":
            canvas.print_png(buf, metadata={"Software": None})
        else:
            from PIL import Image

            canvas.draw()
            rgba = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(),
                                    "raw", "RGBA", 0, 1)
            dpi = (fig.dpi, fig.dpi)
            if fmt in ("jpg", "jpeg"):
                # JPEG has no alpha: composite on white, as matplotlib does.
                white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
                Image.alpha_composite(white, rgba).convert("RGB").save(
                    buf, format="jpeg", quality=95, dpi=dpi)
            else:
                rgba.save(buf, format="tiff", dpi=dpi)
    return buf.getvalue()


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same directory."""
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


