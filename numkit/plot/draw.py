"""Drawing styles, after gonum/plot's ``draw`` package.

:class:`LineStyle`, :class:`GlyphStyle` and :class:`TextStyle` are small mutable
records (as gonum's structs are: ``s.line_style.width = 2``) holding lengths in
points and RGBA colours; the ``mpl_*`` methods translate them into the keyword
arguments matplotlib's artists take, so every plotter speaks matplotlib the same
way. :class:`Tiles` describes a grid of plots for :func:`numkit.plot.align.align`.

Glyph shapes are gonum's: ``circle`` (filled), ``ring`` (outline), ``square``
(outline), ``box`` (filled square), ``triangle`` (outline), ``pyramid`` (filled
triangle), ``plus`` and ``cross`` (strokes). A glyph's `radius` is half its
width, as in gonum.

Examples
--------
>>> from numkit.plot import draw, vg
>>> s = draw.GlyphStyle(color="red", radius=3 * vg.POINT, shape="box")
>>> s.mpl_marker()["marker"], s.mpl_marker()["markersize"]
('s', 6.0)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from numkit.plot import vg

__all__ = [
    "GLYPH_SHAPES",
    "GlyphStyle",
    "LineStyle",
    "TextStyle",
    "Tiles",
    "default_glyph_style",
    "default_line_style",
]

# shape -> (matplotlib marker, filled). Outline glyphs are stroked with their colour
# and a transparent face, as gonum's RingGlyph/SquareGlyph/TriangleGlyph are.
_SHAPES: dict[str, tuple[str, bool]] = {
    "circle": ("o", True),
    "ring": ("o", False),
    "square": ("s", False),
    "box": ("s", True),
    "triangle": ("^", False),
    "pyramid": ("^", True),
    "plus": ("+", False),
    "cross": ("x", False),
}
GLYPH_SHAPES: tuple[str, ...] = tuple(_SHAPES)

# 0.5 pt: the stroke width gonum's outline glyphs use (draw/canvas.go).
_GLYPH_STROKE = 0.5


def _color_field(default: vg.Color) -> Any:
    return field(default=default)


@dataclass
class LineStyle:
    """How a line is stroked (gonum's ``draw.LineStyle``).

    Parameters
    ----------
    color : colour, default black
    width : float, default 1 pt
        Line width in points; 0 draws nothing.
    dashes : sequence of float, optional
        On/off lengths in points; empty for a solid line.
    dash_offset : float, default 0
        Offset into the dash pattern in points.

    Examples
    --------
    >>> LineStyle(color="blue", width=2, dashes=(4, 2)).mpl_line()["linestyle"]
    (0.0, (2.0, 1.0))
    """

    color: Any = vg.BLACK
    width: float = 1.0
    dashes: tuple[float, ...] = ()
    dash_offset: float = 0.0

    def mpl_line(self) -> dict[str, Any]:
        """Keyword arguments for a matplotlib ``Line2D`` or collection stroke.

        matplotlib scales dash lengths by the line width; they are divided by it
        here so the pattern is in absolute points, as gonum draws it.
        """
        width = vg.check_length(self.width, "width", "LineStyle")
        dashes = tuple(vg.check_length(d, "dashes", "LineStyle") for d in self.dashes)
        if dashes and any(d > 0 for d in dashes):
            scale = width if width > 0 else 1.0
            linestyle: Any = (self.dash_offset / scale, tuple(d / scale for d in dashes))
        else:
            linestyle = "solid"
        return {"color": vg.rgba(self.color), "linewidth": width, "linestyle": linestyle}

    def visible(self) -> bool:
        """Whether the style draws anything (width and alpha both non-zero)."""
        return self.width > 0 and vg.rgba(self.color)[3] > 0


@dataclass
class GlyphStyle:
    """How a point is marked (gonum's ``draw.GlyphStyle``).

    Parameters
    ----------
    color : colour, default black
    radius : float, default 2.5 pt
        Half the glyph's width, in points (gonum's default ``vg.Points(2.5)``).
    shape : str, default "ring"
        One of ``GLYPH_SHAPES``.
    """

    color: Any = vg.BLACK
    radius: float = 2.5
    shape: str = "ring"

    def _marker(self) -> tuple[str, bool]:
        try:
            return _SHAPES[self.shape]
        except (KeyError, TypeError):
            raise ValueError(
                f"GlyphStyle: shape {self.shape!r} is unknown; use one of "
                f"{', '.join(GLYPH_SHAPES)}"
            ) from None

    def mpl_marker(self) -> dict[str, Any]:
        """Keyword arguments for the markers of a matplotlib ``Line2D``."""
        marker, filled = self._marker()
        radius = vg.check_length(self.radius, "radius", "GlyphStyle")
        color = vg.rgba(self.color)
        return {
            "marker": marker,
            "markersize": 2.0 * radius,
            "markerfacecolor": color if filled else vg.TRANSPARENT,
            "markeredgecolor": color,
            "markeredgewidth": 0.0 if filled else _GLYPH_STROKE,
        }

    def mpl_scatter(self) -> dict[str, Any]:
        """Keyword arguments for ``Axes.scatter`` (marker area ``s`` in points²)."""
        marker, filled = self._marker()
        radius = vg.check_length(self.radius, "radius", "GlyphStyle")
        color = vg.rgba(self.color)
        kw: dict[str, Any] = {"marker": marker, "s": (2.0 * radius) ** 2}
        if marker in "+x":
            # stroke-only markers: matplotlib strokes them with the face colour.
            kw.update(facecolors=[color], linewidths=_GLYPH_STROKE)
        elif filled:
            kw.update(facecolors=[color], edgecolors="none", linewidths=0.0)
        else:
            kw.update(facecolors="none", edgecolors=[color], linewidths=_GLYPH_STROKE)
        return kw


@dataclass
class TextStyle:
    """How text is set (gonum's ``draw.TextStyle``).

    Parameters
    ----------
    color : colour, default black
    size : float, default 12 pt
        Font size in points (gonum's default font size).
    family : str, default "DejaVu Sans"
        Font family; the default ships with matplotlib, so output does not depend
        on the fonts installed.
    rotation : float, default 0
        Degrees counter-clockwise.
    x_align, y_align : str
        ``"left" | "center" | "right"`` and ``"bottom" | "center" | "top" |
        "baseline"``.
    """

    color: Any = vg.BLACK
    size: float = 12.0
    family: str = "DejaVu Sans"
    rotation: float = 0.0
    x_align: str = "center"
    y_align: str = "baseline"

    def mpl_text(self) -> dict[str, Any]:
        """Keyword arguments for a matplotlib ``Text``."""
        return {
            "color": vg.rgba(self.color),
            "fontsize": vg.check_length(self.size, "size", "TextStyle"),
            "fontfamily": self.family,
            "rotation": self.rotation,
        }


@dataclass
class Tiles:
    """A grid of equal tiles for several plots on one canvas (gonum's ``draw.Tiles``).

    All pads are lengths in points: `pad_top` etc. around the grid, `pad_x`
    between columns and `pad_y` between rows.

    Examples
    --------
    >>> t = Tiles(rows=2, cols=3, pad_x=10)
    >>> t.rows * t.cols
    6
    """

    rows: int = 1
    cols: int = 1
    pad_top: float = 0.0
    pad_bottom: float = 0.0
    pad_left: float = 0.0
    pad_right: float = 0.0
    pad_x: float = 0.0
    pad_y: float = 0.0

    def validate(self, owner: str) -> None:
        """Raise ``ValueError`` naming `owner` if the grid or a pad is invalid."""
        for name in ("rows", "cols"):
            v = getattr(self, name)
            if not isinstance(v, int) or isinstance(v, bool) or v < 1:
                raise ValueError(f"{owner}: Tiles.{name} must be a positive int; got {v!r}")
        for name in ("pad_top", "pad_bottom", "pad_left", "pad_right", "pad_x", "pad_y"):
            vg.check_length(getattr(self, name), f"Tiles.{name}", owner)


def default_line_style() -> LineStyle:
    """gonum's ``plotter.DefaultLineStyle``: black, 1 pt, solid."""
    return LineStyle()


def default_glyph_style() -> GlyphStyle:
    """gonum's ``plotter.DefaultGlyphStyle``: black ring of radius 2.5 pt."""
    return GlyphStyle()
