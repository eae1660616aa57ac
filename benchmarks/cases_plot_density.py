"""Benchmark case for numkit.plot's Density: 1e7 points (1e6 with ``quick``) binned
into 256 × 256 and rendered to a 4 × 4 in PNG, against ``np.histogram2d`` plus
matplotlib's ``imshow`` rendered the same way (Figure + Agg canvas, 96 dpi, the same
log colour scale with empty bins masked). Rendering is included on both sides.
"""

import io

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure

from numkit.plot import Plot
from numkit.plot.plotter import Density

BINS = 256
SIZE_IN = 4.0
DPI = 96


def _numkit(xy):
    p = Plot()
    p.add(Density(xy, BINS))
    return p.writer_to(SIZE_IN * 72, SIZE_IN * 72, "png")


def _baseline(xy):
    counts, xe, ye = np.histogram2d(xy[:, 0], xy[:, 1], BINS)
    fig = Figure(figsize=(SIZE_IN, SIZE_IN), dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    img = np.ma.masked_array(counts.T, mask=counts.T <= 0)
    ax.imshow(img, extent=(xe[0], xe[-1], ye[0], ye[-1]), origin="lower", aspect="auto",
              interpolation="nearest", norm=LogNorm(counts[counts > 0].min(), counts.max()))
    buf = io.BytesIO()
    FigureCanvasAgg(fig).print_png(buf)
    return buf.getvalue()


def cases(quick: bool) -> list[dict]:
    n = 1_000_000 if quick else 10_000_000
    xy = np.random.default_rng(20240601).standard_normal((n, 2))
    return [{
        "area": "plot",
        "name": f"Density {BINS}² → 4×4 in PNG",
        "sizes": f"n={n:.0e}",
        "goal": 2.0,
        "numkit": lambda: _numkit(xy),
        "baseline": lambda: _baseline(xy),
    }]
