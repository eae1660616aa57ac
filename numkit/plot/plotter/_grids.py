"""Plotters of gridded data: HeatMap, Contour, Image, ColorBar, Field.

A grid follows gonum's ``GridXYZ``: ``dims() -> (c, r)`` columns and rows, ``x(c)``,
``y(r)`` and ``z(c, r)``. numkit also takes a 2-D array ``z[r, c]`` (rows along y,
as an image is laid out bottom-up), with optional coordinate arrays ``x`` (length c)
and ``y`` (length r); by default the cell centres are 0, 1, 2, …. A cell is drawn
around its centre, its edges halfway to the neighbouring centres, as gonum/plot does.

Palettes: anything :func:`colormap` accepts — a :mod:`numkit.plot.palette` palette,
a matplotlib ``Colormap`` or its name, or a sequence of colours.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import Colormap, ListedColormap, Normalize
from matplotlib.patches import Rectangle

from numkit.plot import draw, vg
from numkit.plot.plotter._base import Plotter, as_float_array, check_finite
from numkit.stat import quantile as _stat_quantile

__all__ = ["ColorBar", "Contour", "Field", "HeatMap", "Image", "colormap", "grid_xyz"]

# gonum/plot's Contour default levels: these quantiles of the grid's z values.
_DEFAULT_QUANTILES = np.array([0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99])
_DEFAULT_PALETTE = "viridis"


def colormap(palette: Any, owner: str = "colormap") -> Colormap:
    """A matplotlib ``Colormap`` for `palette`.

    Parameters
    ----------
    palette : palette, Colormap, str, sequence of colours or None
        A :class:`numkit.plot.palette.Palette` (or any object with ``colors()`` or
        ``to_colormap()``), a ``DivergingColorMap`` (sampled at 256 points), a
        matplotlib ``Colormap`` or registered name, or a sequence of colours (evenly
        spaced, in order). None: viridis.
    owner : str
        The plotter named in error messages.

    Raises
    ------
    ValueError
        An unknown name, an empty palette, or something that is not a palette.

    Examples
    --------
    >>> colormap(["black", "white"]).N
    2
    >>> colormap("viridis").name
    'viridis'
    """
    if palette is None:
        return colormaps[_DEFAULT_PALETTE]
    if isinstance(palette, Colormap):
        return palette
    if hasattr(palette, "to_colormap"):
        return palette.to_colormap()
    if callable(getattr(palette, "palette", None)):  # a continuous map (DivergingColorMap)
        return palette.palette(256).to_colormap()
    if isinstance(palette, str):
        try:
            return colormaps[palette]
        except KeyError:
            raise ValueError(f"{owner}: {palette!r} is not a colormap name") from None
    colors = palette.colors() if callable(getattr(palette, "colors", None)) else palette
    if not isinstance(colors, Sequence) and not isinstance(colors, np.ndarray):
        raise ValueError(f"{owner}: palette must be a palette, a Colormap, a colormap name "
                         f"or a sequence of colours; got {type(palette).__name__}")
    rgba = [vg.rgba(c) for c in colors]
    if not rgba:
        raise ValueError(f"{owner}: the palette has no colours")
    return ListedColormap(rgba)


def grid_xyz(grid: Any, owner: str, x: Any = None,
             y: Any = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validated ``(x, y, z)`` of a grid: x (c,), y (r,) increasing; z (r, c) finite.

    Parameters
    ----------
    grid : array_like or GridXYZ
        A 2-D array ``z[r, c]``, or an object with gonum's ``dims()``, ``x(c)``,
        ``y(r)`` and ``z(c, r)`` methods (then `x` and `y` must be None).
    owner : str
        The plotter named in error messages.
    x, y : array_like, optional
        Cell-centre coordinates; default 0, 1, ….

    Raises
    ------
    ValueError
        A non-2-D or empty grid, coordinates of the wrong length or not strictly
        increasing, NaN/inf (naming the index).

    Examples
    --------
    >>> x, y, z = grid_xyz([[1, 2, 3], [4, 5, 6]], "HeatMap")
    >>> x.tolist(), y.tolist(), z.shape
    ([0.0, 1.0, 2.0], [0.0, 1.0], (2, 3))
    """
    if callable(getattr(grid, "dims", None)) and callable(getattr(grid, "z", None)):
        if x is not None or y is not None:
            raise ValueError(f"{owner}: x and y come from the GridXYZ; do not pass them")
        c, r = grid.dims()
        # A callback interface: one call per cell (gonum's GridXYZ is read the same way).
        x = [grid.x(i) for i in range(c)]
        y = [grid.y(j) for j in range(r)]
        grid = [[grid.z(i, j) for i in range(c)] for j in range(r)]
    z = as_float_array(grid, owner, "grid")
    if z.ndim != 2:
        raise ValueError(f"{owner}: the grid must be 2-D (rows along y, columns along x); "
                         f"got shape {z.shape}")
    r, c = z.shape
    if r == 0 or c == 0:
        raise ValueError(f"{owner}: the grid is empty (shape {z.shape})")
    check_finite(z, owner, "grid")
    xs = _coords(x, c, owner, "x", "columns")
    ys = _coords(y, r, owner, "y", "rows")
    return xs, ys, np.array(z)


def _coords(v: Any, n: int, owner: str, name: str, what: str) -> np.ndarray:
    if v is None:
        return np.arange(n, dtype=np.float64)
    a = as_float_array(v, owner, name)
    if a.shape != (n,):
        raise ValueError(f"{owner}: {name} must have one value per grid {what[:-1]} "
                         f"({n}); got shape {a.shape}")
    check_finite(a, owner, name)
    if n > 1 and not (np.diff(a) > 0).all():
        i = int(np.argmax(~(np.diff(a) > 0)))
        raise ValueError(f"{owner}: {name} must be strictly increasing; "
                         f"{name}[{i}] = {a[i]!r} >= {name}[{i + 1}] = {a[i + 1]!r}")
    return a


def _edges(c: np.ndarray) -> np.ndarray:
    """Cell edges around centres `c`: midpoints, the ends half a spacing out."""
    if c.shape[0] == 1:
        return np.array([c[0] - 0.5, c[0] + 0.5])
    mid = (c[:-1] + c[1:]) / 2.0
    return np.concatenate([[c[0] - (mid[0] - c[0])], mid, [c[-1] + (c[-1] - mid[-1])]])


def _z_range(z: np.ndarray, zmin: float | None, zmax: float | None,
             owner: str) -> tuple[float, float]:
    lo = float(z.min()) if zmin is None else float(zmin)
    hi = float(z.max()) if zmax is None else float(zmax)
    if not (np.isfinite(lo) and np.isfinite(hi)) or lo > hi:
        raise ValueError(f"{owner}: need finite min <= max for the colour range; "
                         f"got min={lo!r}, max={hi!r}")
    return lo, hi


class HeatMap(Plotter):
    """A grid drawn as coloured cells (gonum's ``HeatMap``).

    Parameters
    ----------
    grid : array_like or GridXYZ
        ``z[r, c]`` or a gonum-style grid; see :func:`grid_xyz`.
    palette : palette, optional
        See :func:`colormap`; default viridis.
    x, y : array_like, optional
        Cell centres (with an array grid).
    min, max : float, optional
        The z range the palette spans (default: the data's). Values below/above
        take `underflow`/`overflow` (default: the end colours).
    underflow, overflow : colour, optional
    rasterized : bool
        Draw the cells as one image inside vector output (gonum's ``Rasterized``).

    Raises
    ------
    ValueError
        See :func:`grid_xyz`; min > max.

    Examples
    --------
    >>> from numkit.plot.plotter import HeatMap
    >>> HeatMap([[1.0, 2.0], [3.0, 4.0]]).data_range()
    (-0.5, 1.5, -0.5, 1.5)
    """

    def __init__(self, grid: Any, palette: Any = None, *, x: Any = None, y: Any = None,
                 min: float | None = None, max: float | None = None,  # noqa: A002
                 underflow: Any = None, overflow: Any = None,
                 rasterized: bool = False) -> None:
        name = "HeatMap"
        self.x, self.y, self.z = grid_xyz(grid, name, x, y)
        self.cmap = colormap(palette, name)
        self.min, self.max = _z_range(self.z, min, max, name)
        self.underflow, self.overflow = underflow, overflow
        self.rasterized = bool(rasterized)

    def _cmap(self) -> Colormap:
        cmap = self.cmap
        if self.underflow is not None or self.overflow is not None:
            cmap = cmap.with_extremes(under=None if self.underflow is None else
                                      vg.rgba(self.underflow),
                                      over=None if self.overflow is None else
                                      vg.rgba(self.overflow))
        return cmap

    def data_range(self) -> tuple[float, float, float, float]:
        ex, ey = _edges(self.x), _edges(self.y)
        return float(ex[0]), float(ex[-1]), float(ey[0]), float(ey[-1])

    def plot(self, ax, p: Any = None) -> None:
        ax.pcolormesh(_edges(self.x), _edges(self.y), self.z, cmap=self._cmap(),
                      norm=Normalize(self.min, self.max), shading="flat",
                      rasterized=self.rasterized, edgecolors="none", antialiased=False)


class Contour(Plotter):
    """Contour lines of a grid at the given levels (gonum's ``Contour``).

    Parameters
    ----------
    grid : array_like or GridXYZ
        ``z[r, c]`` or a gonum-style grid; see :func:`grid_xyz`.
    levels : array_like, optional
        The z values to draw; default the 0.01, 0.05, 0.25, 0.5, 0.75, 0.95 and
        0.99 quantiles of z (gonum's default).
    palette : palette, optional
        Colours the levels from the lowest to the highest; default viridis.
    x, y : array_like, optional
        Cell centres (with an array grid).
    line_style : draw.LineStyle, optional
        Width and dashes of every line (the colour comes from the palette).

    Raises
    ------
    ValueError
        See :func:`grid_xyz`; empty or non-finite levels; a grid smaller than 2×2.

    Notes
    -----
    The lines are matplotlib's marching squares (``Axes.contour``); gonum traces
    the same iso-lines with its own implementation.

    Examples
    --------
    >>> import numpy as np
    >>> from numkit.plot.plotter import Contour
    >>> c = Contour(np.add.outer(np.arange(3.0), np.arange(4.0)), levels=[1.0, 2.0])
    >>> c.levels.tolist(), c.data_range()
    ([1.0, 2.0], (0.0, 3.0, 0.0, 2.0))
    """

    def __init__(self, grid: Any, levels: Any = None, palette: Any = None, *,
                 x: Any = None, y: Any = None,
                 line_style: draw.LineStyle | None = None) -> None:
        name = "Contour"
        self.x, self.y, self.z = grid_xyz(grid, name, x, y)
        if min(self.z.shape) < 2:
            raise ValueError(f"{name}: contours need a grid of at least 2×2; "
                             f"got {self.z.shape[0]}×{self.z.shape[1]}")
        if levels is None:
            lv = np.unique(_stat_quantile(self.z.reshape(-1), _DEFAULT_QUANTILES,
                                          kind="empirical"))
        else:
            lv = as_float_array(levels, name, "levels").reshape(-1)
            if lv.size == 0:
                raise ValueError(f"{name}: levels is empty")
            check_finite(lv, name, "levels")
            lv = np.unique(lv)
        self.levels = lv
        self.cmap = colormap(palette, name)
        self.line_style = draw.LineStyle() if line_style is None else line_style

    def data_range(self) -> tuple[float, float, float, float]:
        return (float(self.x[0]), float(self.x[-1]), float(self.y[0]), float(self.y[-1]))

    def colors(self) -> list:
        """The colour of each level: the palette spread over the levels' range."""
        lo, hi = self.levels[0], self.levels[-1]
        t = np.zeros_like(self.levels) if hi == lo else (self.levels - lo) / (hi - lo)
        return [tuple(float(v) for v in self.cmap(float(f))) for f in t]

    def plot(self, ax, p: Any = None) -> None:
        lk = self.line_style.mpl_line()
        ax.contour(self.x, self.y, self.z, levels=self.levels, colors=self.colors(),
                   linewidths=lk["linewidth"], linestyles=[lk["linestyle"]])


class Image(Plotter):
    """A raster image stretched over a data rectangle (gonum's ``Image``).

    Parameters
    ----------
    img : array_like or PIL.Image
        (h, w) gray, (h, w, 3) RGB or (h, w, 4) RGBA; uint8 or floats in [0, 1].
        Row 0 is the top of the picture, as in an image file.
    xmin, ymin, xmax, ymax : float
        The data rectangle the image fills (gonum's argument order).

    Raises
    ------
    ValueError
        A wrong shape, an empty image, NaN/inf pixels, or a degenerate rectangle.

    Examples
    --------
    >>> import numpy as np
    >>> from numkit.plot.plotter import Image
    >>> Image(np.zeros((4, 6, 3)), 0, 0, 3, 2).data_range()
    (0.0, 3.0, 0.0, 2.0)
    """

    def __init__(self, img: Any, xmin: float, ymin: float, xmax: float,
                 ymax: float) -> None:
        name = "Image"
        a = np.asarray(img)
        if a.dtype.kind not in "biuf":
            raise ValueError(f"{name}: img must be numeric pixels; got dtype {a.dtype}")
        if not (a.ndim == 2 or (a.ndim == 3 and a.shape[2] in (3, 4))):
            raise ValueError(f"{name}: img must be (h, w), (h, w, 3) or (h, w, 4); "
                             f"got shape {a.shape}")
        if a.shape[0] == 0 or a.shape[1] == 0:
            raise ValueError(f"{name}: img is empty (shape {a.shape})")
        if a.dtype.kind == "f":
            check_finite(a, name, "img")
        self.img = np.array(a)
        box = [float(v) for v in (xmin, ymin, xmax, ymax)]
        if not all(np.isfinite(box)) or not (box[0] < box[2] and box[1] < box[3]):
            raise ValueError(f"{name}: need finite xmin < xmax and ymin < ymax; got "
                             f"xmin={xmin!r}, ymin={ymin!r}, xmax={xmax!r}, ymax={ymax!r}")
        self.xmin, self.ymin, self.xmax, self.ymax = box

    def data_range(self) -> tuple[float, float, float, float]:
        return self.xmin, self.xmax, self.ymin, self.ymax

    def plot(self, ax, p: Any = None) -> None:
        extra = {"cmap": "gray", "vmin": 0, "vmax": 255 if self.img.dtype.kind in "iu" else 1}
        ax.imshow(self.img, extent=(self.xmin, self.xmax, self.ymin, self.ymax),
                  origin="upper", aspect="auto", interpolation="nearest",
                  **(extra if self.img.ndim == 2 else {}))


class ColorBar(Plotter):
    """The colours of a palette from `min` to `max` (gonum's ``ColorBar``).

    Parameters
    ----------
    palette : palette, optional
        See :func:`colormap`; default viridis. ``min``/``max`` attributes of a
        colour map (gonum's ``ColorMap``) are used when `min`/`max` are not given.
    vertical : bool
        Run the colours up the y axis (x spans 0..1); otherwise along x.
    min, max : float, optional
        The value range shown (default 0..1).
    colors : int
        The number of colour steps drawn (gonum's ``Colors``; default 255).

    Raises
    ------
    ValueError
        min >= max or non-finite; colors < 1.

    Examples
    --------
    >>> from numkit.plot.plotter import ColorBar
    >>> ColorBar(min=-1, max=1, vertical=True).data_range()
    (0.0, 1.0, -1.0, 1.0)
    """

    def __init__(self, palette: Any = None, vertical: bool = False, *,
                 min: float | None = None, max: float | None = None,  # noqa: A002
                 colors: int = 255) -> None:
        name = "ColorBar"
        self.cmap = colormap(palette, name)
        lo = getattr(palette, "min", 0.0) if min is None else min
        hi = getattr(palette, "max", 1.0) if max is None else max
        lo, hi = float(lo), float(hi)
        if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
            raise ValueError(f"{name}: need finite min < max; got min={lo!r}, max={hi!r}")
        if isinstance(colors, bool) or not isinstance(colors, (int, np.integer)) or colors < 1:
            raise ValueError(f"{name}: colors must be a positive integer; got {colors!r}")
        self.min, self.max, self.vertical, self.colors = lo, hi, bool(vertical), int(colors)

    def data_range(self) -> tuple[float, float, float, float]:
        if self.vertical:
            return 0.0, 1.0, self.min, self.max
        return self.min, self.max, 0.0, 1.0

    def plot(self, ax, p: Any = None) -> None:
        steps = np.linspace(0.0, 1.0, self.colors)[None, :]
        ramp = self.cmap(steps.T if self.vertical else steps)
        x0, x1, y0, y1 = self.data_range()
        ax.imshow(ramp, extent=(x0, x1, y0, y1), origin="lower", aspect="auto",
                  interpolation="nearest")


class Field(Plotter):
    """Arrows of a vector field on a grid (gonum's ``Field``).

    Parameters
    ----------
    vectors : array_like or callable
        An (r, c, 2) array of (u, v) per cell, or a function ``fn(x, y) -> (u, v)``
        evaluated on the grid of `x` × `y` (it receives 2-D arrays).
    x, y : array_like, optional
        Cell centres; required with a function, default 0, 1, … with an array.
    line_style : draw.LineStyle, optional
        The arrows' stroke (default 1 pt black).

    Notes
    -----
    As gonum does, arrows are scaled so the longest one spans one cell; the others
    keep their relative lengths.

    Raises
    ------
    ValueError
        A wrong shape, NaN/inf vectors (naming the index), a function without `x`
        and `y`, a field of zero vectors only.

    Examples
    --------
    >>> import numpy as np
    >>> from numkit.plot.plotter import Field
    >>> f = Field(lambda x, y: (-y, x), x=np.arange(3.0), y=np.arange(2.0))
    >>> f.u.shape, f.data_range()
    ((2, 3), (-0.5, 2.5, -0.5, 1.5))
    """

    def __init__(self, vectors: Any | Callable[[np.ndarray, np.ndarray], Any], *,
                 x: Any = None, y: Any = None,
                 line_style: draw.LineStyle | None = None) -> None:
        name = "Field"
        if callable(vectors):
            if x is None or y is None:
                raise ValueError(f"{name}: a vector function needs the grid's x and y")
            xs = as_float_array(x, name, "x").reshape(-1)
            ys = as_float_array(y, name, "y").reshape(-1)
            gx, gy = np.meshgrid(xs, ys)
            u, v = vectors(gx, gy)
            uv = np.stack([np.broadcast_to(np.asarray(u, float), gx.shape),
                           np.broadcast_to(np.asarray(v, float), gx.shape)], axis=-1)
        else:
            uv = as_float_array(vectors, name, "vectors")
        if uv.ndim != 3 or uv.shape[2] != 2 or uv.shape[0] == 0 or uv.shape[1] == 0:
            raise ValueError(f"{name}: vectors must be an (r, c, 2) array of (u, v); "
                             f"got shape {uv.shape}")
        check_finite(uv, name, "vectors")
        r, c = uv.shape[:2]
        self.x = _coords(x, c, name, "x", "columns")
        self.y = _coords(y, r, name, "y", "rows")
        self.u, self.v = np.array(uv[..., 0]), np.array(uv[..., 1])
        if not (np.hypot(self.u, self.v) > 0).any():
            raise ValueError(f"{name}: every vector is zero; there is nothing to draw")
        self.line_style = draw.LineStyle() if line_style is None else line_style

    def data_range(self) -> tuple[float, float, float, float]:
        ex, ey = _edges(self.x), _edges(self.y)
        return float(ex[0]), float(ex[-1]), float(ey[0]), float(ey[-1])

    def plot(self, ax, p: Any = None) -> None:
        cell = min(np.diff(_edges(self.x)).min(), np.diff(_edges(self.y)).min())
        longest = float(np.hypot(self.u, self.v).max())
        gx, gy = np.meshgrid(self.x, self.y)
        lk = self.line_style.mpl_line()
        ax.quiver(gx, gy, self.u, self.v, angles="xy", scale_units="xy",
                  scale=longest / (0.9 * cell), pivot="middle", color=lk["color"],
                  width=lk["linewidth"] / 72.0, units="inches", headwidth=4,
                  headlength=5, headaxislength=4.5)

    def thumbnail(self, ax, x: float, y: float, w: float, h: float) -> list:
        lk = self.line_style.mpl_line()
        return [Rectangle((x, y + h / 2), w, 0, edgecolor=lk["color"],
                          linewidth=lk["linewidth"], fill=False)]
