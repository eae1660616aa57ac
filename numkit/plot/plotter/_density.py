"""Density: a 2-D histogram image of millions of points; ScatterMatrix: every pair
of columns of a data matrix, tiled.

gonum/plot has neither. A scatter plot of 10⁷ points draws 10⁷ glyphs that hide
each other; Density counts the points into a grid of bins with the
``numkit._kernels._density`` kernel (O(1) per point, parallel, exact integer counts)
and draws the grid as one image, so the cost of rendering no longer grows with n.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.colors import LogNorm, Normalize
from matplotlib.patches import Rectangle

from numkit._kernels import _density
from numkit.plot import draw, vg
from numkit.plot.plotter._base import Plotter, XYs, as_float_array, check_finite
from numkit.plot.plotter._grids import colormap

__all__ = ["Density", "ScatterMatrix"]

_NORMS = ("log", "linear")


def _bin_counts(bins: Any, owner: str) -> tuple[int, int]:
    b = bins if isinstance(bins, (tuple, list, np.ndarray)) else (bins, bins)
    if len(b) != 2:
        raise ValueError(f"{owner}: bins must be an int or a pair (nx, ny); got {bins!r}")
    out = []
    for v in b:
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
            raise TypeError(f"{owner}: bins must be integers; got {bins!r}")
        if v < 1:
            raise ValueError(f"{owner}: bins must be at least 1; got {bins!r}")
        out.append(int(v))
    return out[0], out[1]


def _columns(xy: Any, owner: str) -> tuple[np.ndarray, np.ndarray]:
    """x and y as 1-D float arrays without copying an (n, 2) float array."""
    if isinstance(xy, XYs):
        return np.asarray(xy.x), np.asarray(xy.y)
    if isinstance(xy, tuple) and len(xy) == 2:
        x = as_float_array(xy[0], owner, "x") if not _is_real(xy[0]) else np.asarray(xy[0])
        y = as_float_array(xy[1], owner, "y") if not _is_real(xy[1]) else np.asarray(xy[1])
        if x.ndim != 1 or y.ndim != 1:
            raise ValueError(f"{owner}: x and y must be 1-D; got shapes {x.shape} and {y.shape}")
        if x.shape != y.shape:
            raise ValueError(f"{owner}: x has {x.shape[0]} values but y has {y.shape[0]}")
        if x.dtype != y.dtype:
            x, y = x.astype(np.float64), y.astype(np.float64)
        return x, y
    a = np.asarray(xy) if _is_real(xy) else as_float_array(xy, owner, "xy")
    if a.ndim != 2 or a.shape[1] != 2:
        raise ValueError(f"{owner}: xy must be an (n, 2) array of (x, y) rows, XYs or a "
                         f"pair (x, y); got shape {a.shape}")
    return a[:, 0], a[:, 1]


def _is_real(a: Any) -> bool:
    return isinstance(a, np.ndarray) and a.dtype in (np.float32, np.float64)


class Density(Plotter):
    """A 2-D histogram of many points, drawn as an image (numkit; not in gonum/plot).

    Parameters
    ----------
    xy : array_like, XYs or (x, y)
        An (n, 2) array of points, ``XYs``, or a pair of 1-D arrays. float32 and
        float64 arrays are read in place (strided columns included), never copied.
    bins : int or (int, int)
        Bins along x and y (default 256 × 256).
    weights : array_like, optional
        A non-negative weight per point; a bin then shows the sum of its weights.
    range : ((xmin, xmax), (ymin, ymax)), optional
        The binned rectangle (default: the data's extent). Points outside are not
        counted.
    palette : palette, optional
        See :func:`numkit.plot.plotter.colormap`; default viridis.
    norm : {"log", "linear"}
        How counts map to colours; ``"log"`` shows sparse tails and dense cores at
        once. Empty bins are transparent in either case.

    Attributes
    ----------
    counts : numpy.ndarray
        int64 counts (float64 weight sums with `weights`), shape (nx, ny), laid out
        as ``np.histogram2d``'s: ``counts[i, j]`` is x bin i, y bin j.
    x_edges, y_edges : numpy.ndarray
        The bin edges, ``np.linspace(min, max, bins + 1)``.

    Raises
    ------
    ValueError
        Empty data, a NaN/inf coordinate (naming the index), mismatched lengths,
        negative or non-finite weights, a bad range, bins below 1, an unknown norm.

    Notes
    -----
    One pass finds the extent and the first non-finite point (skipped with an
    explicit `range`: points outside, NaN included, are then just not counted);
    one pass bins, O(1) per point with numpy's edge rule, so the counts equal
    ``np.histogram2d``'s exactly. Both passes run on OpenMP threads over
    contiguous chunks with private count grids added afterwards; integer counts
    are exact, so any thread count gives the same counts, and weighted sums use a
    fixed chunking, so they have the same bits on any thread count.

    Examples
    --------
    >>> import numpy as np
    >>> from numkit.plot.plotter import Density
    >>> d = Density(np.array([[0.0, 0.0], [1.0, 1.0], [1.0, 0.9]]), bins=2)
    >>> d.counts
    array([[1, 0],
           [0, 2]])
    >>> d.data_range()
    (0.0, 1.0, 0.0, 1.0)
    """

    def __init__(self, xy: Any, bins: Any = 256, *, weights: Any = None,
                 range: Any = None, palette: Any = None,  # noqa: A002
                 norm: str = "log") -> None:
        name = "Density"
        x, y = _columns(xy, name)
        n = x.shape[0]
        if n == 0:
            raise ValueError(f"{name}: no data points")
        nx, ny = _bin_counts(bins, name)
        if norm not in _NORMS:
            raise ValueError(f"{name}: norm must be one of {', '.join(_NORMS)}; got {norm!r}")
        if range is None:
            x0, x1, y0, y1, bad = _density.bounds2d(x, y)
            if bad >= 0:
                which, v = ("x", x[bad]) if not np.isfinite(x[bad]) else ("y", y[bad])
                raise ValueError(f"{name}: {which}[{bad}] (point {bad}) is {float(v)}; NaN "
                                 f"and infinite values cannot be plotted (remove them first)")
        else:
            try:
                (x0, x1), (y0, y1) = ((float(a), float(b)) for a, b in range)
            except (TypeError, ValueError):
                raise ValueError(f"{name}: range must be ((xmin, xmax), (ymin, ymax)); "
                                 f"got {range!r}") from None
            if not (np.isfinite([x0, x1, y0, y1]).all() and x0 < x1 and y0 < y1):
                raise ValueError(f"{name}: range needs finite min < max on both axes; "
                                 f"got {range!r}")
        # numpy's rule for a zero-width extent: widen it by 0.5 each way.
        if x0 == x1:
            x0, x1 = x0 - 0.5, x1 + 0.5
        if y0 == y1:
            y0, y1 = y0 - 0.5, y1 + 0.5
        self.x_edges = np.linspace(x0, x1, nx + 1)
        self.y_edges = np.linspace(y0, y1, ny + 1)
        if weights is None:
            self.counts = np.zeros((nx, ny), dtype=np.int64)
            _density.count2d(x, y, self.x_edges, self.y_edges, self.counts)
        else:
            w = as_float_array(weights, name, "weights")
            if w.shape != (n,):
                raise ValueError(f"{name}: weights must be 1-D with one weight per point "
                                 f"({n}); got shape {w.shape}")
            check_finite(w, name, "weights")
            if (w < 0).any():
                i = int(np.argmax(w < 0))
                raise ValueError(f"{name}: weights[{i}] is {w[i]}; weights must be >= 0")
            self.counts = np.zeros((nx, ny))
            _density.weight2d(x, y, w, self.x_edges, self.y_edges, self.counts)
        self.cmap = colormap(palette, name)
        self.norm = norm

    def data_range(self) -> tuple[float, float, float, float]:
        return (float(self.x_edges[0]), float(self.x_edges[-1]),
                float(self.y_edges[0]), float(self.y_edges[-1]))

    def image(self) -> np.ma.MaskedArray:
        """The counts as an image: rows along y (bottom first), empty bins masked."""
        c = self.counts.T
        return np.ma.masked_array(c, mask=c <= 0)

    def _norm(self) -> Normalize:
        top = float(self.counts.max())
        if self.norm == "log":
            pos = self.counts[self.counts > 0]
            lo = float(pos.min()) if pos.size else 1.0
            return LogNorm(lo, max(top, lo))
        return Normalize(0.0, top if top > 0 else 1.0)

    def plot(self, ax, p: Any = None) -> None:
        x0, x1, y0, y1 = self.data_range()
        ax.imshow(self.image(), extent=(x0, x1, y0, y1), origin="lower", aspect="auto",
                  interpolation="nearest", cmap=self.cmap, norm=self._norm())

    def thumbnail(self, ax, x: float, y: float, w: float, h: float) -> list:
        return [Rectangle((x, y), w, h, facecolor=self.cmap(0.75), edgecolor="none")]


class _UnlabelledTicks:
    """DefaultTicks' positions without their labels, for the inner panels of a grid."""

    def ticks(self, vmin: float, vmax: float) -> list:
        from numkit.plot._plot import DefaultTicks, Tick

        return [Tick(t.value) for t in DefaultTicks().ticks(vmin, vmax)]


class ScatterMatrix:
    """Every pair of columns of a data matrix, one small plot each, tiled.

    Off the diagonal, plot (i, j) shows column j against column i (x = column j)
    as a scatter, or as a :class:`Density` image above `density_above` points; the
    diagonal shows each column's histogram. Built from ordinary :class:`Plot` s, so
    each can be restyled before rendering.

    Parameters
    ----------
    X : array_like
        (n, p) data, p >= 2 columns, n >= 1 rows, all finite.
    names : sequence of str, optional
        Column names, shown on the outer axes; default ``x0, x1, …``.
    bins : int
        Histogram bins on the diagonal and Density bins off it.
    density_above : int
        Above this many rows the off-diagonal plots are Density images.
    glyph_style : draw.GlyphStyle, optional
        The scatter glyphs (default: gonum's ring, radius 1 pt).

    Attributes
    ----------
    plots : list of list of Plot
        ``plots[i][j]``, row i from the top, column j from the left.

    Raises
    ------
    ValueError
        A non-2-D matrix, fewer than two columns, no rows, NaN/inf (naming the
        index), a wrong number of names.

    Examples
    --------
    >>> import numpy as np
    >>> from numkit.plot.plotter import ScatterMatrix
    >>> m = ScatterMatrix(np.arange(12.0).reshape(4, 3), names=["a", "b", "c"])
    >>> len(m.plots), len(m.plots[0]), m.plots[2][0].x.label.text
    (3, 3, 'a')
    >>> m.writer_to(200, 200, "png")[:4]
    b'\\x89PNG'
    """

    def __init__(self, X: Any, names: Sequence[str] | None = None, *, bins: int = 20,
                 density_above: int = 20_000,
                 glyph_style: draw.GlyphStyle | None = None) -> None:
        from numkit.plot._plot import Plot
        from numkit.plot.plotter._bars import Histogram
        from numkit.plot.plotter._lines import Scatter

        name = "ScatterMatrix"
        a = as_float_array(X, name, "X")
        if a.ndim != 2:
            raise ValueError(f"{name}: X must be a 2-D (rows, columns) matrix; got shape {a.shape}")
        n, k = a.shape
        if k < 2:
            raise ValueError(f"{name}: X needs at least 2 columns; got {k}")
        if n == 0:
            raise ValueError(f"{name}: X has no rows")
        check_finite(a, name, "X")
        if names is None:
            names = [f"x{i}" for i in range(k)]
        names = [str(s) for s in names]
        if len(names) != k:
            raise ValueError(f"{name}: got {len(names)} names for {k} columns")
        self.names = names
        style = glyph_style if glyph_style is not None else draw.GlyphStyle(radius=1.0)
        self.plots: list[list[Any]] = []
        for i in range(k):
            row = []
            for j in range(k):
                p = Plot()
                if i == j:
                    p.add(Histogram(a[:, i], bins=bins))
                elif n > density_above:
                    p.add(Density((a[:, j], a[:, i]), bins=bins * 4))
                else:
                    p.add(Scatter(np.column_stack([a[:, j], a[:, i]]), glyph_style=style))
                # Only the outer panels carry numbers (as a scatter-plot matrix
                # usually does): inner ones keep the tick marks, unlabelled.
                if i == k - 1:
                    p.x.label.text = names[j]
                    p.x.label.text_style.size = 9.0
                    p.x.tick.label.size = 8.0
                else:
                    p.x.tick.marker = _UnlabelledTicks()
                if j == 0:
                    p.y.label.text = names[i]
                    p.y.label.text_style.size = 9.0
                    p.y.tick.label.size = 8.0
                else:
                    p.y.tick.marker = _UnlabelledTicks()
                row.append(p)
            self.plots.append(row)

    def tiled(self, width: float, height: float, *, pad: float = 4.0,
              dpi: float = vg.DPI) -> Any:
        """The plots drawn by :func:`numkit.plot.align.align` on a `width` × `height`
        point canvas, `pad` points apart; a ``TiledFigure`` (``figure``, ``axes``,
        ``save``, ``writer_to``)."""
        from numkit.plot.align import align

        k = len(self.plots)
        tiles = draw.Tiles(rows=k, cols=k, pad_x=pad, pad_y=pad)
        return align(tiles, self.plots, width, height, dpi=dpi)

    def to_figure(self, width: float, height: float, *, dpi: float = vg.DPI) -> Any:
        """A new matplotlib Figure of `width` × `height` points holding every plot."""
        return self.tiled(width, height, dpi=dpi).figure

    def writer_to(self, width: float, height: float, fmt: str) -> bytes:
        """The matrix rendered at `width` × `height` points in format `fmt`."""
        return self.tiled(width, height).writer_to(fmt)

    def save(self, width: float, height: float, path: Any) -> None:
        """Write the matrix to `path`, the format from its extension (atomically)."""
        self.tiled(width, height).save(path)
