"""Benchmark cases for numkit.plot's core: a Scatter of 1e5 points to PNG.

The baseline is matplotlib's own object-oriented way of making the same picture: a
``Figure`` of the same size and dpi, ``ax.scatter`` with the same glyphs, ``savefig``
to PNG (goal 0.9×: numkit adds no overhead). numkit's Scatter draws its glyphs as the
markers of one ``Line2D``, which matplotlib stamps from one rasterised glyph, so it
beats ``ax.scatter``; the informative rows compare with ``ax.plot`` markers and lines,
where the difference is numkit's own cost: constrained layout (~60 ms) and a larger
data area (gonum's tight layout), which a long line pays for in pixels drawn.
"""

import io

import numpy as np

from numkit.plot import Plot, draw, vg
from numkit.plot.plotter import Line, Scatter

SIZE = 4 * vg.INCH


def _points(n):
    rng = np.random.default_rng(20240601)
    return rng.standard_normal((n, 2))


def _numkit_scatter(xy):
    p = Plot()
    p.title.text = "Scatter"
    p.add(Scatter(xy, glyph_style=draw.GlyphStyle(color="black", radius=1.5, shape="circle")))
    return p.writer_to(SIZE, SIZE, "png")


def _matplotlib_scatter(xy):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4, 4), dpi=vg.DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_title("Scatter")
    ax.scatter(xy[:, 0], xy[:, 1], marker="o", s=9.0, facecolors="black", edgecolors="none",
               linewidths=0.0)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def _matplotlib_markers(xy):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4, 4), dpi=vg.DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_title("Scatter")
    ax.plot(xy[:, 0], xy[:, 1], linestyle="none", marker="o", markersize=3.0,
            markerfacecolor="black", markeredgewidth=0.0)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def _numkit_line(xy):
    p = Plot()
    p.add(Line(np.arange(xy.shape[0], dtype=float), xy[:, 1]))
    return p.writer_to(SIZE, SIZE, "png")


def _matplotlib_line(xy):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4, 4), dpi=vg.DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.plot(np.arange(xy.shape[0], dtype=float), xy[:, 1], color="black", linewidth=1.0)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def cases(quick: bool) -> list[dict]:
    n = 20_000 if quick else 100_000
    xy = _points(n)
    sizes = f"n={n:.0e}, 4×4 in PNG"
    return [
        {
            "area": "plot",
            "name": "Scatter to PNG vs ax.scatter",
            "sizes": sizes,
            "goal": 0.9,
            "numkit": lambda: _numkit_scatter(xy),
            "baseline": lambda: _matplotlib_scatter(xy),
        },
        {
            "area": "plot",
            "name": "Scatter to PNG vs ax.plot markers",
            "sizes": sizes,
            "goal": None,
            "numkit": lambda: _numkit_scatter(xy),
            "baseline": lambda: _matplotlib_markers(xy),
        },
        {
            "area": "plot",
            "name": "Line to PNG vs ax.plot",
            "sizes": sizes,
            "goal": None,
            "numkit": lambda: _numkit_line(xy),
            "baseline": lambda: _matplotlib_line(xy),
        },
    ]
