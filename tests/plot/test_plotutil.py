"""plotutil: gonum's default colours, dashes and shapes; the add_* shortcuts."""

import numpy as np
import pytest

from numkit.plot import plotutil, vg
from numkit.plot._plot import Plot
from numkit.plot.plotter._bars import BoxPlot
from numkit.plot.plotter._lines import XErrorBars, YErrorBars

XY = [[0.0, 1.0], [1.0, 2.0], [2.0, 0.5]]


def test_gonum_defaults():
    # gonum/plotutil: SoftColors[0] = rgb(241, 90, 96), DarkColors[2] = rgb(24, 90, 169)
    assert plotutil.DEFAULT_COLORS[0] == vg.rgb8(241, 90, 96)
    assert plotutil.DARK_COLORS[2] == vg.rgb8(24, 90, 169)
    assert len(plotutil.SOFT_COLORS) == 7 and len(plotutil.DEFAULT_GLYPH_SHAPES) == 8


@pytest.mark.parametrize("fn,table", [
    (plotutil.color, plotutil.DEFAULT_COLORS),
    (plotutil.dashes, plotutil.DEFAULT_DASHES),
    (plotutil.shape, plotutil.DEFAULT_GLYPH_SHAPES),
], ids=["color", "dashes", "shape"])
def test_cycling(fn, table):
    n = len(table)
    assert [fn(i) for i in range(2 * n)] == list(table) * 2


@pytest.mark.parametrize("fn", [plotutil.color, plotutil.dashes, plotutil.shape],
                         ids=["color", "dashes", "shape"])
def test_index_rejections(fn):
    with pytest.raises(ValueError, match="i must be >= 0"):
        fn(-1)
    with pytest.raises(TypeError, match="i must be an integer"):
        fn(1.5)


def test_add_lines_styles_and_legend():
    p = Plot()
    lines = plotutil.add_lines(p, "a", XY, XY, "c", XY)
    assert len(p.plotters) == 3 and len(p.legend) == 2
    for i, line in enumerate(lines):
        assert line.line_style.color == plotutil.color(i)
        assert tuple(line.line_style.dashes) == plotutil.dashes(i)
    svg = p.writer_to(216, 144, "svg")
    assert b">a<" in svg and b">c<" in svg


def test_add_scatters_and_line_points():
    p = Plot()
    sc = plotutil.add_scatters(p, "s", XY, np.array(XY) + 1)
    lp = plotutil.add_line_points(p, XY, "lp", XY)
    assert [s.glyph_style.shape for s in sc] == ["ring", "square"]
    assert lp[1].line.line_style.color == plotutil.color(1)
    assert lp[1].scatter.glyph_style.shape == "square"
    assert len(p.legend) == 2 and len(p.plotters) == 4
    assert p.writer_to(216, 144, "png")[:4] == b"\x89PNG"


def test_add_error_bars():
    p = Plot()
    x = XErrorBars(XY, errors=[0.1, 0.2, 0.3])
    bars = plotutil.add_error_bars(p, [[0.0, 1.0, 0.5], [1.0, 2.0, 0.1]], "named", x)
    assert isinstance(bars[0], YErrorBars) and bars[1] is x
    assert p.y.min == 0.5 and len(p.legend) == 0


def test_add_box_plots_locations_and_names():
    p = Plot()
    rng = np.random.default_rng(0)
    boxes = plotutil.add_box_plots(p, 20, "a", rng.normal(size=30), rng.normal(size=30),
                                   "c", rng.normal(size=30))
    assert all(isinstance(b, BoxPlot) for b in boxes)
    assert [b.location for b in boxes] == [0.0, 1.0, 2.0]
    svg = p.writer_to(216, 144, "svg")
    assert b">a<" in svg and b">c<" in svg


@pytest.mark.parametrize("call,err,match", [
    (lambda p: plotutil.add_lines(p), ValueError, "add_lines: no data sets"),
    (lambda p: plotutil.add_lines(p, XY, "dangling"), ValueError, "'dangling' is not followed"),
    (lambda p: plotutil.add_scatters(p, "a", "b", XY), ValueError, "two names in a row"),
    (lambda p: plotutil.add_lines(p, [[0.0, np.nan]]), ValueError, r"Line: data\[0, 1\]"),
    (lambda p: plotutil.add_box_plots(p, 10, []), ValueError, "BoxPlot: no data"),
    (lambda p: plotutil.add_error_bars(p, XY), ValueError, r"\(n, 3\)"),
    (lambda p: plotutil.add_lines("not a plot", XY), TypeError, "p must be a Plot"),
], ids=["empty", "dangling", "two-names", "nan", "box-empty", "errbar-shape", "not-plot"])
def test_rejections(call, err, match):
    with pytest.raises(err, match=match):
        call(Plot())
