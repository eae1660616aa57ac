"""Render one small PNG per plotter into docs/gallery/ (deterministic).

Run ``python docs/gallery.py``: every image is 3 × 2 in at 72 dpi, drawn from
seeded data, so rerunning it rewrites the same bytes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

from numkit.plot import Plot, draw, palette, plotutil
from numkit.plot._plot import render_figure, write_atomically
from numkit.plot.plotter import (
    BarChart,
    ColorBar,
    Contour,
    Density,
    Field,
    Function,
    Grid,
    HeatMap,
    Histogram,
    Image,
    Labels,
    Line,
    Polygon,
    QuartPlot,
    Sankey,
    Scatter,
    ScatterMatrix,
    XErrorBars,
    YErrorBars,
)

OUT = Path(__file__).with_name("gallery")
WIDTH, HEIGHT, DPI = 3 * 72.0, 2 * 72.0, 72.0


def rng() -> np.random.Generator:
    return np.random.default_rng(2024)


def walk(n: int = 40) -> np.ndarray:
    x = np.arange(n, dtype=float)
    return np.column_stack([x, np.cumsum(rng().normal(size=n))])


def surface(r: int = 40, c: int = 60) -> np.ndarray:
    y, x = np.mgrid[-2:2:r * 1j, -3:3:c * 1j]
    return np.exp(-(x ** 2 + y ** 2)) - 0.7 * np.exp(-((x - 1.5) ** 2 + (y - 1) ** 2) * 2)


def widen_x(p: Plot) -> None:
    """Half a category of room on each side (gonum gets it from glyph boxes)."""
    p.x.min, p.x.max = p.x.min - 0.5, p.x.max + 0.5


def line(p: Plot) -> None:
    p.add(Line(walk()), Grid())


def scatter(p: Plot) -> None:
    p.add(Scatter(rng().normal(size=(150, 2))))


def line_points(p: Plot) -> None:
    plotutil.add_line_points(p, "a", walk(15), "b", walk(15) + [0, 2])


def function(p: Plot) -> None:
    p.add(Function(np.sin, x_min=0, x_max=2 * np.pi, samples=100))
    p.x.min, p.x.max, p.y.min, p.y.max = 0, 2 * np.pi, -1.1, 1.1


def polygon(p: Plot) -> None:
    t = np.linspace(0, 2 * np.pi, 6)[:-1]
    p.add(Polygon(np.column_stack([np.cos(t), np.sin(t)]), color=plotutil.color(2)))


def labels(p: Plot) -> None:
    xy = np.array([[0.0, 0.0], [1.0, 1.5], [2.0, 0.5]])
    p.add(Scatter(xy), Labels(xy, ["first", "second", "third"]))


def error_bars(p: Plot) -> None:
    xy = walk(10)
    err = np.abs(rng().normal(size=10)) * 0.5
    p.add(Scatter(xy), YErrorBars(xy, errors=err), XErrorBars(xy, errors=err / 2))


def histogram(p: Plot) -> None:
    p.add(Histogram(rng().normal(size=1000), 25, normalize=1))


def bar_chart(p: Plot) -> None:
    a = BarChart([3.0, 5.0, 2.0, 4.0], 14, color=plotutil.color(0), offset=-7)
    b = BarChart([2.0, 3.0, 4.0, 1.0], 14, color=plotutil.color(2), offset=7)
    c = BarChart([1.0, 1.0, 2.0, 1.0], 14, color=plotutil.color(1), stack_on=b)
    p.add(a, b, c)
    p.nominal_x("Q1", "Q2", "Q3", "Q4")
    widen_x(p)


def box_plot(p: Plot) -> None:
    r = rng()
    plotutil.add_box_plots(p, 20, "normal", r.normal(size=100), "t(2)",
                           r.standard_t(2, size=100), "uniform", r.uniform(-2, 2, size=100))
    widen_x(p)


def quart_plot(p: Plot) -> None:
    r = rng()
    p.add(QuartPlot(0, r.normal(size=100)), QuartPlot(1, r.standard_t(2, size=100)))
    p.nominal_x("normal", "t(2)")
    widen_x(p)


def heat_map(p: Plot) -> None:
    p.add(HeatMap(surface(12, 18), palette.heat(16)))


def contour(p: Plot) -> None:
    p.add(Contour(surface(), palette=palette.smooth_blue_red()))


def image(p: Plot) -> None:
    y, x = np.mgrid[0:1:32j, 0:1:48j]
    p.add(Image(np.dstack([x, y, 1 - x * y]), 0, 0, 3, 2))


def color_bar(p: Plot) -> None:
    p.add(ColorBar(palette.smooth_blue_red(), min=-1, max=1))
    p.hide_y()


def field(p: Plot) -> None:
    g = np.linspace(-1, 1, 9)
    p.add(Field(lambda x, y: (-y, x), x=g, y=g[::2]))


def sankey(p: Plot) -> None:
    p.add(Sankey(("coal", 0, "power", 1, 3.0), ("gas", 0, "power", 1, 2.0),
                 ("gas", 0, "heat", 2, 1.5), ("power", 1, "homes", 2, 3.5),
                 ("power", 1, "loss", 2, 1.5), text_style=draw.TextStyle(size=8)))
    p.hide_axes()


def density(p: Plot) -> None:
    r = rng()
    a = r.normal(size=(400_000, 2)) * [1.0, 0.5]
    b = r.normal(size=(200_000, 2)) * 0.4 + [1.5, 1.0]
    p.add(Density(np.vstack([a, b]), 120))


PLOTS: dict[str, Callable[[Plot], None]] = {
    "line": line, "scatter": scatter, "line_points": line_points, "function": function,
    "polygon": polygon, "labels": labels, "error_bars": error_bars,
    "histogram": histogram, "bar_chart": bar_chart, "box_plot": box_plot,
    "quart_plot": quart_plot, "heat_map": heat_map, "contour": contour, "image": image,
    "color_bar": color_bar, "field": field, "sankey": sankey, "density": density,
}


def main() -> int:
    OUT.mkdir(exist_ok=True)
    for name, build in PLOTS.items():
        p = Plot()
        p.title.text = name.replace("_", " ").title().replace(" ", "")
        build(p)
        write_atomically(OUT / f"{name}.png",
                         render_figure(p.to_figure(WIDTH, HEIGHT, dpi=DPI), "png"))
    X = rng().normal(size=(300, 3)) @ np.array([[1, 0.8, 0], [0, 0.6, 0.5], [0, 0, 0.8]])
    m = ScatterMatrix(X, names=["a", "b", "c"], bins=12)
    write_atomically(OUT / "scatter_matrix.png",
                     m.tiled(WIDTH, WIDTH, dpi=DPI).writer_to("png"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
