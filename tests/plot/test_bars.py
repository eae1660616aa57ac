"""Histogram, BarChart, BoxPlot and QuartPlot: statistics against numpy, geometry in
points, SVG structure, PNG pixels, reproducible bytes, every rejection."""

import io
import re

import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from numkit.plot import draw
from numkit.plot._plot import Plot, render_figure
from numkit.plot.plotter._bars import BarChart, BoxPlot, Histogram, QuartPlot

EPS = np.finfo(float).eps


def png_pixels(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)


def svg_paths_in(svg: bytes, gid: str) -> int:
    """Number of <path> elements inside the group with id `gid`."""
    text = svg.decode()
    start = text.index(f'id="{gid}"')
    depth, i, count = 0, text.rfind("<g", 0, start), 0
    for m in re.finditer(r"<g[ >]|</g>|<path", text[i:]):
        tok = m.group(0)
        if tok.startswith("<g"):
            depth += 1
        elif tok == "</g>":
            depth -= 1
            if depth == 0:
                return count
        else:
            count += 1
    raise AssertionError("unterminated group")


def bare_axes(w_in=3.0, h_in=2.0, dpi=100, xlim=(0, 1), ylim=(0, 1)):
    """A figure whose one Axes fills it, no decorations: plotter pixels only."""
    fig = Figure(figsize=(w_in, h_in), dpi=dpi)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    return fig, ax


# ------------------------------------------------------------------ Histogram

@pytest.mark.parametrize("n,bins", [(1, 1), (50, 7), (1000, 30)], ids=["one", "small", "big"])
def test_histogram_matches_numpy(n, bins):
    x = np.random.default_rng(n).normal(size=n)
    h = Histogram(x, bins)
    counts, edges = np.histogram(x, bins)
    np.testing.assert_array_equal(h.counts, counts)
    np.testing.assert_array_equal(h.dividers, np.histogram_bin_edges(x, bins))
    assert h.data_range() == (edges[0], edges[-1], 0.0, counts.max())


def test_histogram_weighted_points_and_default_bins():
    rng = np.random.default_rng(1)
    xy = np.column_stack([rng.normal(size=200), rng.random(200)])
    h = Histogram(xy)
    assert h.counts.shape == (15,)  # ceil(sqrt(200)), gonum's default
    want, _ = np.histogram(xy[:, 0], 15, weights=xy[:, 1])
    # both sum the same ≤200 weights in [0, 1) in some order: 200·eps·Σw bounds it
    np.testing.assert_allclose(h.counts, want, rtol=0, atol=200 * EPS * xy[:, 1].sum())


@pytest.mark.parametrize("total", [1.0, 3.5], ids=["density", "scaled"])
def test_histogram_normalize_area(total):
    x = np.random.default_rng(2).normal(size=300)
    h = Histogram(x, 12, normalize=total)
    area = np.sum(h.counts * np.diff(h.dividers))
    assert area == pytest.approx(total, rel=50 * EPS)


def test_histogram_svg_one_path_per_bin():
    p = Plot()
    p.add(Histogram(np.random.default_rng(3).normal(size=100), 9))
    assert svg_paths_in(p.writer_to(216, 144, "svg"), "Histogram0_0") == 9


# ------------------------------------------------------------------- BarChart

def test_barchart_stacking_and_ranges():
    a = BarChart([1.0, 2.0, 3.0], 10, x_min=2)
    b = BarChart([1.0, -4.0, 0.5], 10, stack_on=a)
    np.testing.assert_array_equal(b.bottoms(), [1.0, 2.0, 3.0])
    assert b.data_range() == (2.0, 4.0, -2.0, 3.5)
    hb = BarChart([1.0, 5.0], 10, horizontal=True)
    assert hb.data_range() == (0.0, 5.0, 0.0, 1.0)


@pytest.mark.parametrize("width_pt,dpi", [(36, 100), (18, 72), (50, 150)],
                         ids=["36pt@100", "18pt@72", "50pt@150"])
def test_bar_width_is_in_points(width_pt, dpi):
    p = Plot()
    p.add(BarChart([1.0], width_pt, color="red", line_style=draw.LineStyle(width=0)))
    p.x.min, p.x.max = -1.0, 1.0
    fig = p.to_figure(216, 144, dpi=dpi)
    px = png_pixels(render_figure(fig, "png"))
    red = (px[..., 0] > 200) & (px[..., 1] < 60) & (px[..., 2] < 60)
    cols = np.flatnonzero(red.any(axis=0))
    # antialiasing adds at most one partial column on each side
    assert abs(cols.size - width_pt * dpi / 72) <= 2


def test_barchart_equals_hand_built_bars():
    vals = np.array([1.0, 3.0, 2.0])
    fig1, ax1 = bare_axes(xlim=(-1, 3), ylim=(0, 4))
    BarChart(vals, 36, color="tab:blue", line_style=draw.LineStyle(width=0)).plot(ax1, None)
    fig2, ax2 = bare_axes(xlim=(-1, 3), ylim=(0, 4))
    width_data = 36 / (3.0 * 72) * 4.0  # 36 pt of a 3 in axis spanning 4 units
    ax2.bar(np.arange(3.0), vals, width=width_data, color="tab:blue", linewidth=0)
    a = png_pixels(render_figure(fig1, "png"))
    b = png_pixels(render_figure(fig2, "png"))
    # the same rectangles drawn by a PolyCollection and by Rectangle patches: at most
    # a rounding step of antialiasing along the edges
    assert np.abs(a - b).max() <= 2


def test_barchart_svg_one_path_per_bar():
    p = Plot()
    p.add(BarChart(np.arange(1.0, 6.0), 8))
    assert svg_paths_in(p.writer_to(216, 144, "svg"), "BarChart0_0") == 5


# ------------------------------------------------------------ BoxPlot, QuartPlot

@pytest.mark.parametrize("n", [1, 2, 7, 100], ids=["n1", "n2", "n7", "n100"])
def test_boxplot_summary_matches_numpy(n):
    x = np.random.default_rng(n).standard_t(2, size=n)
    b = BoxPlot(20, 1.0, x)
    # gonum/plot's quartiles are stat.Quantile(p, Empirical): numpy's inverted_cdf
    q1, med, q3 = np.quantile(x, [0.25, 0.5, 0.75], method="inverted_cdf")
    assert (b.quartile1, b.median, b.quartile3) == (q1, med, q3)
    lo, hi = q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)
    inside = x[(x >= lo) & (x <= hi)]
    assert (b.adj_low, b.adj_high) == (inside.min(), inside.max())
    np.testing.assert_array_equal(b.outside, np.flatnonzero((x < lo) | (x > hi)))
    assert b.data_range() == (1.0, 1.0, x.min(), x.max())


def test_boxplot_orientation_and_outliers_flag():
    x = np.array([1.0, 2.0, 3.0, 4.0, 100.0])
    assert BoxPlot(10, 2, x, horizontal=True).data_range() == (1.0, 100.0, 2.0, 2.0)
    assert BoxPlot(10, 2, x, outliers=False).data_range() == (2.0, 2.0, 1.0, 4.0)
    q = QuartPlot(0.5, x, horizontal=True)
    assert q.data_range() == (1.0, 100.0, 0.5, 0.5)


def test_boxplot_svg_structure():
    x = np.array([1.0, 2.0, 3.0, 4.0, 100.0, -80.0])
    p = Plot()
    p.add(BoxPlot(20, 0, x), BoxPlot(20, 1, x, outliers=False))
    svg = p.writer_to(216, 144, "svg")
    assert svg_paths_in(svg, "BoxPlot0_0") == 1      # box outline
    assert svg_paths_in(svg, "BoxPlot0_1") == 1      # median
    assert svg_paths_in(svg, "BoxPlot0_2") == 4      # two whiskers, two caps
    assert svg.count(b'id="BoxPlot0_3"') == 1        # outside glyphs
    assert svg.count(b'id="BoxPlot1_3"') == 0        # outliers=False: none


def test_boxplot_fill_colour_in_png():
    p = Plot()
    p.add(BoxPlot(40, 0, np.arange(10.0), fill_color="red"))
    px = png_pixels(p.writer_to(216, 144, "png"))
    red = (px[..., 0] > 200) & (px[..., 1] < 60) & (px[..., 2] < 60)
    assert red.sum() > 500


def test_quartplot_renders_median_dot():
    p = Plot()
    p.add(QuartPlot(0, np.arange(20.0)))
    svg = p.writer_to(216, 144, "svg")
    assert b'id="QuartPlot0_0"' in svg and b'id="QuartPlot0_1"' in svg


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_two_renders_identical(fmt):
    def build():
        rng = np.random.default_rng(9)
        p = Plot()
        p.add(Histogram(rng.normal(size=100), 10), BoxPlot(15, 0.0, rng.normal(size=30)))
        return p.writer_to(216, 144, fmt)
    assert build() == build()


# ------------------------------------------------------------------ rejections

@pytest.mark.parametrize("make,err,match", [
    (lambda: Histogram([]), ValueError, "Histogram: no data"),
    (lambda: Histogram([1.0, np.nan]), ValueError, r"Histogram: values\[1\] is nan"),
    (lambda: Histogram([[0.0, 1.0], [1.0, np.inf]]), ValueError, r"Histogram: data\[1, 1\]"),
    (lambda: Histogram([[0.0, 1.0], [1.0, -1.0]]), ValueError, r"weights\[1\].*>= 0"),
    (lambda: Histogram([[0.0, 1.0, 2.0]]), ValueError, r"Histogram: data must be an \(n, 2\)"),
    (lambda: Histogram([1.0, 2.0], 0), ValueError, "bins must be at least 1"),
    (lambda: Histogram([1.0, 2.0], 2.5), TypeError, "bins must be an integer"),
    (lambda: Histogram([1.0], 1, normalize=0), ValueError, "total must be finite and > 0"),
    (lambda: Histogram(["a"]), ValueError, "Histogram: values must be numeric"),
    (lambda: BarChart([], 10), ValueError, "BarChart: no data"),
    (lambda: BarChart([1.0, np.inf], 10), ValueError, r"BarChart: values\[1\] is inf"),
    (lambda: BarChart([1.0], 0), ValueError, "BarChart: width must be positive"),
    (lambda: BarChart([1.0], float("nan")), ValueError, "BarChart: width must be finite"),
    (lambda: BarChart([1.0, 2.0], 5, stack_on=BarChart([1.0], 5)), ValueError,
     "has 2 bars but the one below has 1"),
    (lambda: BarChart([1.0], 5, stack_on=BarChart([1.0], 5, horizontal=True)), ValueError,
     "same orientation"),
    (lambda: BarChart([1.0], 5, stack_on="x"), TypeError, "expected a BarChart"),
    (lambda: BoxPlot(-1, 0, [1.0]), ValueError, "BoxPlot: width must not be negative"),
    (lambda: BoxPlot(5, 0, []), ValueError, "BoxPlot: no data"),
    (lambda: BoxPlot(5, np.nan, [1.0]), ValueError, "location must be finite"),
    (lambda: BoxPlot(5, 0, [[1.0, 2.0]]), ValueError, "values must be 1-D"),
    (lambda: QuartPlot(0, [1.0, np.nan]), ValueError, r"QuartPlot: values\[1\] is nan"),
], ids=lambda v: v if isinstance(v, str) else "")
def test_rejections(make, err, match):
    with pytest.raises(err, match=match):
        make()
