"""Several plots tiled on one canvas (gonum/plot's ``plot.Align``).

Examples
--------
>>> from numkit.plot import Plot, draw, vg
>>> from numkit.plot.align import align
>>> plots = [[Plot(), Plot()], [Plot(), None]]
>>> tiled = align(draw.Tiles(rows=2, cols=2, pad_x=10, pad_y=10), plots, 6 * vg.INCH, 4 * vg.INCH)
>>> len(tiled.figure.axes)
3
>>> tiled.writer_to("svg")[:5]
b'<?xml'
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from numkit.plot import vg
from numkit.plot._plot import Plot, _check_format, render_figure, write_atomically
from numkit.plot.draw import Tiles

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["TiledFigure", "align"]


class TiledFigure:
    """A matplotlib Figure holding tiled plots, with gonum-style saving.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
    axes : list of list of Axes or None
        ``axes[row][col]`` is the Axes a plot was drawn into (None for empty tiles).
    """

    def __init__(self, figure: Figure, axes: list[list[Any]]) -> None:
        self.figure = figure
        self.axes = axes

    def writer_to(self, fmt: str) -> bytes:
        """Return the tiled figure rendered in format `fmt` (see ``FORMATS``)."""
        return render_figure(self.figure, _check_format(fmt, "TiledFigure.writer_to"))

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the tiled figure to `path`, the format taken from the extension."""
        path = Path(path)
        fmt = _check_format(path.suffix.lstrip("."), "TiledFigure.save", path=path)
        write_atomically(path, render_figure(self.figure, fmt))


def align(tiles: Tiles, plots: Sequence[Sequence[Plot | None]], width: float, height: float,
          *, dpi: float = vg.DPI) -> TiledFigure:
    """Draw `plots` in the tiles of a `width` × `height` canvas with aligned data areas.

    Parameters
    ----------
    tiles : Tiles
        Grid shape and pads (points).
    plots : sequence of sequences of Plot or None
        ``plots[row][col]``; ``tiles.rows`` rows of ``tiles.cols`` entries. None leaves a
        tile empty.
    width, height : float
        Canvas size in points.
    dpi : float, default 96
        Raster resolution.

    Returns
    -------
    TiledFigure

    Raises
    ------
    ValueError
        If the shape of `plots` differs from the tiles', a size or pad is invalid, or
        the pads leave no room for the tiles.
    TypeError
        If an entry is neither a Plot nor None.

    Notes
    -----
    gonum's ``Align`` shrinks every tile's data area so axes line up across rows and
    columns; matplotlib's constrained layout does the same within one grid, inside
    the rectangle the outer pads leave, with `pad_x`/`pad_y` between tiles. The
    layout is computed once, here, and then fixed, so later changes to the plots'
    decorations through ``figure`` are not re-laid out.
    """
    from matplotlib.figure import Figure
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    owner = "align"
    if not isinstance(tiles, Tiles):
        raise TypeError(f"{owner}: tiles must be a draw.Tiles; got {type(tiles).__name__}")
    tiles.validate(owner)
    w = vg.check_length(width, "width", owner, positive=True)
    h = vg.check_length(height, "height", owner, positive=True)
    rows = [list(r) for r in plots]
    if len(rows) != tiles.rows or any(len(r) != tiles.cols for r in rows):
        shape = f"{len(rows)} rows of lengths {[len(r) for r in rows]}"
        raise ValueError(f"{owner}: plots must be {tiles.rows}×{tiles.cols} to match the tiles; "
                         f"got {shape}")
    for i, r in enumerate(rows):
        for j, pl in enumerate(r):
            if pl is not None and not isinstance(pl, Plot):
                raise TypeError(f"{owner}: plots[{i}][{j}] must be a Plot or None; "
                                f"got {type(pl).__name__}")
    inner_w = w - tiles.pad_left - tiles.pad_right - (tiles.cols - 1) * tiles.pad_x
    inner_h = h - tiles.pad_top - tiles.pad_bottom - (tiles.rows - 1) * tiles.pad_y
    if inner_w <= 0 or inner_h <= 0:
        raise ValueError(f"{owner}: the pads leave no room for the tiles on a {w}×{h} pt canvas")
    fig = Figure(figsize=(w / vg.INCH, h / vg.INCH), dpi=dpi)
    rect = (tiles.pad_left / w, tiles.pad_bottom / h,
            (w - tiles.pad_left - tiles.pad_right) / w, (h - tiles.pad_top - tiles.pad_bottom) / h)
    fig.set_layout_engine(ConstrainedLayoutEngine(
        w_pad=3 / vg.INCH, h_pad=3 / vg.INCH, wspace=tiles.pad_x / w, hspace=tiles.pad_y / h,
        rect=rect))
    gs = fig.add_gridspec(tiles.rows, tiles.cols)
    axes: list[list[Any]] = []
    for i, r in enumerate(rows):
        axes.append([])
        for j, pl in enumerate(r):
            if pl is None:
                axes[i].append(None)
                continue
            ax = fig.add_subplot(gs[i, j])
            pl.draw(ax)
            axes[i].append(ax)
    _freeze_layout(fig)
    return TiledFigure(fig, axes)


def _freeze_layout(fig: Figure) -> None:
    """Run constrained layout once and fix the result, rounded to 1e-9 of the canvas.

    kiwisolver's solution for several cells varies in the last bits from process to
    process (it depends on hash order); rounding and then switching the engine off
    keeps every render of the figure byte-for-byte the same.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    fig.get_layout_engine().execute(fig)
    for ax in fig.axes:
        ax.set_position([round(v, 9) for v in ax.get_position().bounds])
    fig.set_layout_engine("none")
