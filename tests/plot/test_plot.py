"""Tests of the Plot model, rendering, formats, ticks, legend, palettes and align."""

from __future__ import annotations

import math
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from matplotlib.figure import Figure

from numkit.plot import (
    FORMATS,
    ConstantTicks,
    DefaultTicks,
    InvertedScale,
    LogScale,
    LogTicks,
    Plot,
    Tick,
    TimeTicks,
    draw,
    palette,
    vg,
)
from numkit.plot.align import align
from numkit.plot.plotter import Line, Scatter

MAGIC = {
    "png": b"\x89PNG\r\n\x1a\n",
    "svg": b"<?xml",
    "pdf": b"%PDF",
    "eps": b"%!PS-Adobe-3.0 EPSF",
    "jpg": b"\xff\xd8\xff",
    "jpeg": b"\xff\xd8\xff",
    "tif": b"II*\x00",
    "tiff": b"II*\x00",
}


def sample_plot(seed: int = 1) -> Plot:
    rng = np.random.default_rng(seed)
    p = Plot()
    p.title.text = "Title here"
    p.x.label.text = "the x label"
    p.y.label.text = "the y label"
    s = Scatter(rng.random((40, 2)), glyph_style=draw.GlyphStyle(color="red", shape="circle"))
    line = Line([0.0, 0.5, 1.0], [0.0, 1.0, 0.5], line_style=draw.LineStyle(color="blue", width=2))
    p.add(s, line)
    p.legend.add("points", s)
    p.legend.add("a line", line)
    return p


# ------------------------------------------------------------------ import and formats


def test_import_does_not_import_pyplot():
    code = ("import sys, numkit.plot, numkit.plot.plotter; "
            "p = numkit.plot.Plot(); p.add(numkit.plot.plotter.Line([0, 1], [0, 1])); "
            "p.writer_to(100, 100, 'png'); p.writer_to(100, 100, 'svg'); "
            "print('matplotlib.pyplot' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("fmt", FORMATS, ids=FORMATS)
def test_render_is_deterministic_without_stamps(fmt):
    a = sample_plot().writer_to(200, 150, fmt)
    b = sample_plot().writer_to(200, 150, fmt)
    assert a.startswith(MAGIC[fmt])
    assert a == b
    for stamp in (b"CreationDate", b"Matplotlib v", b"matplotlib.org", b"<dc:date>",
                  b"Software"):
        assert stamp not in a


@pytest.mark.parametrize("ext", ["png", "svg", "jpeg", "tif", "PNG"], ids=str)
def test_save_takes_format_from_extension(tmp_path, ext):
    path = tmp_path / f"plot.{ext}"
    sample_plot().save(3 * vg.INCH, 2 * vg.INCH, path)
    assert path.read_bytes().startswith(MAGIC[ext.lower()])
    assert [f.name for f in tmp_path.iterdir()] == [path.name]  # no temporary left over


@pytest.mark.parametrize("name", ["plot.gif", "plot", "plot.svgz"], ids=str)
def test_save_rejects_unknown_extension(tmp_path, name):
    with pytest.raises(ValueError, match=r"Plot.save: the extension .* is not supported; "
                                         r"use one of png, svg, pdf, eps, jpg"):
        sample_plot().save(100, 100, tmp_path / name)
    assert not list(tmp_path.iterdir())


def test_writer_to_rejects_unknown_format():
    with pytest.raises(ValueError, match="Plot.writer_to: format 'bmp' is not supported"):
        sample_plot().writer_to(100, 100, "bmp")


@pytest.mark.parametrize("w,h,match", [
    (0, 100, "width must be positive; got 0.0"),
    (100, -1, "height must be positive; got -1.0"),
    (math.nan, 100, "width must be finite"),
    (100, math.inf, "height must be finite"),
    ("big", 100, "width must be a length in points"),
], ids=["zero-width", "negative-height", "nan-width", "inf-height", "str-width"])
def test_sizes_must_be_positive(w, h, match):
    with pytest.raises(ValueError, match=match):
        sample_plot().writer_to(w, h, "png")


def test_to_figure_size_and_dpi():
    fig = sample_plot().to_figure(4 * vg.INCH, 3 * vg.INCH)
    assert isinstance(fig, Figure)
    assert tuple(fig.get_size_inches()) == (4.0, 3.0)
    assert fig.dpi == vg.DPI
    png = sample_plot().writer_to(4 * vg.INCH, 3 * vg.INCH, "png")
    import io

    from PIL import Image
    assert Image.open(io.BytesIO(png)).size == (384, 288)  # 4 in × 96 dpi


def test_repr_png_and_svg():
    p = sample_plot()
    assert p._repr_png_().startswith(MAGIC["png"])
    svg_text = p._repr_svg_()
    assert isinstance(svg_text, str) and "Title here" in svg_text


def test_draw_into_existing_axes():
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = Figure(figsize=(3, 2))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    sample_plot().draw(ax)
    assert ax.get_title() == "Title here"
    assert ax.get_xlabel() == "the x label"
    assert ax.get_xlim() == (0.0, 1.0) or ax.get_xlim()[0] < ax.get_xlim()[1]
    fig.canvas.draw()


def test_draw_rejects_non_axes():
    with pytest.raises(TypeError, match="Plot.draw: ax must be a matplotlib Axes; got Figure"):
        sample_plot().draw(Figure())


def test_threads_render_identical_bytes():
    expected = {fmt: sample_plot().writer_to(150, 100, fmt) for fmt in ("png", "svg", "pdf")}
    jobs = ["png", "svg", "pdf", "svg", "png", "svg"]
    barrier = threading.Barrier(len(jobs))

    def job(fmt):
        barrier.wait()
        return fmt, sample_plot().writer_to(150, 100, fmt)

    with ThreadPoolExecutor(len(jobs)) as pool:
        results = list(pool.map(job, jobs))
    for fmt, data in results:
        assert data == expected[fmt], fmt


# ------------------------------------------------------------------ structure


@pytest.fixture(scope="module")
def sample_svg(svg):
    return svg.render(sample_plot())


@pytest.fixture(scope="module")
def sample_png(png):
    return png.render(sample_plot())


def test_svg_text_of_title_labels_legend(svg, sample_svg):
    texts = svg.texts(sample_svg)
    for t in ("Title here", "the x label", "the y label", "points", "a line"):
        assert t in texts


def test_background_colour_fills_canvas(png):
    p = sample_plot()
    p.background_color = vg.rgb8(10, 200, 30)
    px = png.render(p)
    assert tuple(px[0, 0, :3]) == (10, 200, 30)
    assert tuple(px[-1, -1, :3]) == (10, 200, 30)


def test_png_has_the_plotters_colours(png, sample_png):
    px = sample_png
    assert png.fraction_near(px, (255, 0, 0)) > 0.002  # the red points
    assert png.fraction_near(px, (0, 0, 255)) > 0.002  # the blue line
    assert png.fraction_near(px, (255, 255, 255)) > 0.5  # mostly background


def test_empty_plot_renders(png, svg):
    p = Plot()
    px = png.render(p)
    assert px.shape[2] == 4
    assert "-1" in svg.texts(svg.render(p))  # gonum's [-1, 1] for an empty axis


def test_hide_axes_removes_ticks_and_lines(svg):
    p = sample_plot()
    p.hide_axes()
    texts = svg.texts(svg.render(p))
    assert "0.5" not in texts and "1.0" not in texts
    assert "the x label" in texts  # gonum keeps the label
    fig = p.to_figure(200, 150)
    assert not fig.axes[0].spines["bottom"].get_visible()


def test_hide_x_only(svg):
    p = sample_plot()
    p.hide_x()
    fig = p.to_figure(200, 150)
    ax = fig.axes[0]
    assert list(ax.get_xticks()) == [] and len(ax.get_yticks()) > 0


def test_nominal_x_labels(svg):
    p = Plot()
    p.add(Line([0, 1, 2], [1, 3, 2]))
    p.nominal_x("alpha", "beta", "gamma")
    p.nominal_y("lo")
    texts = svg.texts(svg.render(p))
    assert {"alpha", "beta", "gamma"} <= set(texts)
    ax = p.to_figure(200, 150).axes[0]
    assert list(ax.get_xticks()) == [0.0, 1.0, 2.0]


def test_nominal_rejects_non_str():
    with pytest.raises(TypeError, match="Plot.nominal_x: name 1 must be a str"):
        Plot().nominal_x("a", 2)


# ------------------------------------------------------------------ axes and scales


def test_add_widens_axes_to_data_range():
    p = Plot()
    assert (p.x.min, p.x.max) == (math.inf, -math.inf)
    p.add(Line([1, 2], [5, 6]))
    p.add(Line([-3, 0], [7, 8]))
    assert (p.x.min, p.x.max, p.y.min, p.y.max) == (-3.0, 2.0, 5.0, 8.0)


def test_user_range_wins_over_data():
    p = sample_plot()
    p.x.min, p.x.max = -2.0, 3.0
    ax = p.to_figure(200, 150).axes[0]
    assert ax.get_xlim() == (-2.0, 3.0)


@pytest.mark.parametrize("lo,hi,expected", [
    (math.inf, -math.inf, (-1.0, 1.0)),
    (2.0, 2.0, (1.0, 3.0)),
    (5.0, 1.0, (1.0, 5.0)),
], ids=["empty", "single-value", "reversed"])
def test_sanitize_range_as_gonum(lo, hi, expected):
    p = Plot()
    p.x.min, p.x.max = lo, hi
    assert p.to_figure(100, 100).axes[0].get_xlim() == expected


def test_inverted_scale_reverses_axis():
    p = sample_plot()
    p.x.scale = InvertedScale()
    ax = p.to_figure(200, 150).axes[0]
    assert ax.get_xlim() == (1.0, 0.0)


def test_log_scale_sets_log_axis_and_ticks(svg):
    p = Plot()
    p.add(Line([1, 10, 1000], [1, 2, 3]))
    p.x.scale = LogScale()
    p.x.tick.marker = LogTicks()
    ax = p.to_figure(200, 150).axes[0]
    assert ax.get_xscale() == "log"
    assert {"1", "10", "100", "1000"} <= set(svg.texts(svg.render(p)))


def test_inverted_log_scale():
    p = Plot()
    p.add(Line([1, 100], [1, 2]))
    p.y.scale = InvertedScale(LogScale())
    p.y.min, p.y.max = 0.1, 10
    ax = p.to_figure(200, 150).axes[0]
    assert ax.get_yscale() == "log" and ax.get_ylim() == (10.0, 0.1)


@pytest.mark.parametrize("axis,scale", [("x", LogScale()), ("y", LogScale()),
                                        ("y", InvertedScale(LogScale()))], ids=str)
def test_log_scale_rejects_non_positive(axis, scale):
    p = Plot()
    p.add(Line([-1, 2], [0, 3]))
    getattr(p, axis).scale = scale
    value = "-1.0" if axis == "x" else "0.0"
    with pytest.raises(ValueError, match=rf"the {axis} axis uses LogScale but its range "
                                         rf"includes the non-positive value {value}"):
        p.writer_to(100, 100, "png")


def test_unknown_scale_and_marker():
    p = sample_plot()
    p.x.scale = "log"
    with pytest.raises(ValueError, match="the x axis scale must be LinearScale"):
        p.writer_to(100, 100, "png")
    p = sample_plot()
    p.y.tick.marker = [1, 2]
    with pytest.raises(ValueError, match="the y axis tick.marker must have a ticks"):
        p.writer_to(100, 100, "png")
    with pytest.raises(ValueError, match="InvertedScale: inner must be"):
        InvertedScale("linear")


# ------------------------------------------------------------------ ticks


@pytest.mark.parametrize("lo,hi", [(0, 10), (0, 1), (-3.7, 12.2), (1e-6, 3e-6), (1e6, 1e6 + 7),
                                   (-1, 1), (0.1, 0.35), (100, 1000)], ids=str)
def test_default_ticks_are_round_and_inside(lo, hi):
    ticks = DefaultTicks().ticks(lo, hi)
    major = [t for t in ticks if not t.is_minor()]
    minor = [t for t in ticks if t.is_minor()]
    assert 2 <= len(major) <= 8
    assert all(lo - 1e-9 * (hi - lo) <= t.value <= hi + 1e-9 * (hi - lo) for t in ticks)
    step = np.diff([t.value for t in major])
    np.testing.assert_allclose(step, step[0], rtol=1e-9)  # evenly spaced
    # the step is a multiple 1..8 of a power of ten (gonum's rule)
    mant = step[0] / 10 ** math.floor(math.log10(step[0]))
    assert min(abs(mant - k) for k in range(1, 9)) < 1e-9
    assert not {t.value for t in major} & {t.value for t in minor}
    assert len({t.label for t in major}) == len(major)  # labels distinguish ticks


def test_default_ticks_labels():
    major = [t.label for t in DefaultTicks().ticks(0, 1) if not t.is_minor()]
    assert major == ["0", "0.5", "1.0"]


@pytest.mark.parametrize("lo,hi", [(1, 1), (2, 1), (0, math.nan), (0, math.inf)], ids=str)
def test_default_ticks_reject_bad_range(lo, hi):
    with pytest.raises(ValueError, match="DefaultTicks: illegal range"):
        DefaultTicks().ticks(lo, hi)


def test_log_ticks():
    ticks = LogTicks().ticks(2, 300)
    assert [t.label for t in ticks if not t.is_minor()] == ["10", "100"]
    assert [t.value for t in ticks if t.is_minor()][:3] == [2.0, 3.0, 4.0]
    assert LogTicks(prec=1).ticks(1, 10)[0].label == "1.0"
    with pytest.raises(ValueError, match="LogTicks: a log scale needs positive values"):
        LogTicks().ticks(0, 10)


def test_constant_ticks():
    t = ConstantTicks([Tick(1.0, "one"), (2, "two"), 3.5, Tick(4.0)])
    assert [(x.value, x.label) for x in t.ticks(0, 1)] == [
        (1.0, "one"), (2.0, "two"), (3.5, "3.5"), (4.0, "")]
    with pytest.raises(ValueError, match="ConstantTicks: tick values must be finite"):
        ConstantTicks([math.nan])


def test_time_ticks():
    day = 86400.0
    ticks = TimeTicks("%Y-%m-%d").ticks(0, 10 * day)
    labels = [t.label for t in ticks if t.label]
    assert labels[0] == "1970-01-01"
    assert all(len(s) == 10 for s in labels)


def test_custom_ticker_is_used(svg):
    class Every:
        def ticks(self, lo, hi):
            return [Tick(v, f"<{v:g}>") for v in np.linspace(lo, hi, 3)]

    p = sample_plot()
    p.x.tick.marker = Every()
    assert {"<0>", "<0.5>", "<1>"} <= set(svg.texts(svg.render(p)))


# ------------------------------------------------------------------ legend


@pytest.mark.parametrize("top,left", [(False, False), (True, False), (False, True), (True, True)],
                         ids=["bottom-right", "top-right", "bottom-left", "top-left"])
def test_legend_corner_and_offsets(top, left):
    def extents(x_offs, y_offs):
        p = sample_plot()
        p.legend.top, p.legend.left = top, left
        p.legend.x_offs, p.legend.y_offs = x_offs, y_offs
        fig = p.to_figure(300, 200)
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        FigureCanvasAgg(fig).draw()
        ax = fig.axes[0]
        return ax.get_legend().get_window_extent(), ax.bbox

    leg, box = extents(0, 0)
    cx, cy = (leg.x0 + leg.x1) / 2, (leg.y0 + leg.y1) / 2
    assert (cy > (box.y0 + box.y1) / 2) == top
    assert (cx < (box.x0 + box.x1) / 2) == left
    moved, _ = extents(-10, 7)
    px = vg.DPI / vg.INCH
    assert moved.x0 - leg.x0 == pytest.approx(-10 * px, abs=0.6)
    assert moved.y0 - leg.y0 == pytest.approx(7 * px, abs=0.6)


def test_legend_with_several_thumbnailers(svg):
    p = sample_plot()
    p.legend.add("both", *p.plotters)
    root = svg.render(p)
    assert "both" in svg.texts(root)
    legend = svg.groups(root, "legend")[0]
    assert svg.count(legend, "text") == 3


def test_legend_add_rejects_bad_input():
    with pytest.raises(TypeError, match="Legend.add: label must be a str; got int"):
        Plot().legend.add(3)
    with pytest.raises(TypeError, match=r"thumbnailer 1 \(object\) has no thumbnail"):
        Plot().legend.add("x", Line([0, 1], [0, 1]), object())


def test_add_rejects_non_plotter():
    with pytest.raises(TypeError, match=r"Plot.add: argument 1 \(int\) is not a plotter"):
        Plot().add(Line([0, 1], [0, 1]), 5)


# ------------------------------------------------------------------ vg and draw


def test_vg_lengths():
    assert vg.INCH == 72 * vg.POINT
    assert vg.CENTIMETER == pytest.approx(72 / 2.54)
    assert vg.MILLIMETER * 10 == pytest.approx(vg.CENTIMETER)


@pytest.mark.parametrize("call,match", [
    (lambda: vg.rgba("notacolour"), "vg.rgba: 'notacolour' is not a colour"),
    (lambda: vg.rgba("red", alpha=2), r"alpha must be in \[0, 1\]"),
    (lambda: vg.rgb8(256, 0, 0), r"channels must be in 0..255"),
    (lambda: vg.check_length(-1, "radius", "X"), "X: radius must not be negative"),
    (lambda: draw.GlyphStyle(shape="star").mpl_marker(), "shape 'star' is unknown; use one of"),
    (lambda: draw.LineStyle(width=-1).mpl_line(), "LineStyle: width must not be negative"),
], ids=["colour", "alpha", "rgb8", "length", "shape", "width"])
def test_vg_and_draw_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# gonum's glyphs: which are filled (draw/canvas.go)
@pytest.mark.parametrize("shape,marker,filled", [
    ("circle", "o", True), ("ring", "o", False), ("square", "s", False), ("box", "s", True),
    ("triangle", "^", False), ("pyramid", "^", True), ("plus", "+", False),
    ("cross", "x", False)], ids=lambda v: str(v))
def test_glyph_shapes(png, shape, marker, filled):
    style = draw.GlyphStyle(color="red", radius=6, shape=shape)
    kw = style.mpl_marker()
    assert kw["marker"] == marker and kw["markersize"] == 12.0
    assert (kw["markerfacecolor"][3] > 0) == filled
    p = Plot()
    p.add(Scatter([[0, 0], [1, 1]], glyph_style=style))
    p.x.min, p.x.max, p.y.min, p.y.max = -1, 2, -1, 2
    px = png.render(p, 100, 100).astype(int)
    red = float(((px[..., 0] - px[..., 1:3].max(axis=-1)) > 50).mean())  # reddish pixels
    # measured: filled glyphs cover ≥ 1.6% of the canvas, 0.5 pt outlines ≤ 0.75%
    assert (red > 0.012) == filled and red > 0.002


def test_line_style_dashes_in_points():
    kw = draw.LineStyle(width=2, dashes=(6, 2), dash_offset=1).mpl_line()
    assert kw["linestyle"] == (0.5, (3.0, 1.0))
    assert draw.LineStyle(dashes=()).mpl_line()["linestyle"] == "solid"


def test_tiles_validation():
    with pytest.raises(ValueError, match="align: Tiles.rows must be a positive int"):
        draw.Tiles(rows=0).validate("align")
    with pytest.raises(ValueError, match="align: Tiles.pad_x must not be negative"):
        draw.Tiles(pad_x=-1).validate("align")


# ------------------------------------------------------------------ align


def test_align_renders_grid(tmp_path, svg):
    plots = [[sample_plot(1), sample_plot(2)], [None, sample_plot(3)]]
    tiled = align(draw.Tiles(rows=2, cols=2, pad_x=10, pad_y=10, pad_left=5), plots,
                  6 * vg.INCH, 4 * vg.INCH)
    assert len(tiled.figure.axes) == 3 and tiled.axes[1][0] is None
    # constrained layout aligns the data areas of a column
    a, b = tiled.axes[0][1], tiled.axes[1][1]
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(tiled.figure).draw()
    assert a.get_position().x0 == pytest.approx(b.get_position().x0)
    fresh = [align(draw.Tiles(rows=2, cols=2, pad_x=10, pad_y=10, pad_left=5), plots,
                   6 * vg.INCH, 4 * vg.INCH).writer_to("svg") for _ in range(2)]
    assert fresh[0] == fresh[1]
    tiled.save(tmp_path / "grid.png")
    assert (tmp_path / "grid.png").read_bytes().startswith(MAGIC["png"])
    with pytest.raises(ValueError, match="TiledFigure.save: the extension"):
        tiled.save(tmp_path / "grid.xyz")


@pytest.mark.parametrize("tiles,plots,exc,match", [
    (draw.Tiles(rows=2), [[None]], ValueError, r"plots must be 2×1 to match the tiles"),
    (draw.Tiles(cols=2), [[None]], ValueError, r"plots must be 1×2"),
    (draw.Tiles(), [[3]], TypeError, r"plots\[0\]\[0\] must be a Plot or None; got int"),
    (draw.Tiles(pad_left=500), [[None]], ValueError, "the pads leave no room"),
    ("tiles", [[None]], TypeError, "tiles must be a draw.Tiles"),
], ids=["rows", "cols", "entry", "pads", "tiles"])
def test_align_errors(tiles, plots, exc, match):
    with pytest.raises(exc, match=match):
        align(tiles, plots, 300, 200)


# ------------------------------------------------------------------ palettes


def test_heat_matches_r_heat_colors():
    # R: heat.colors(4) == c("#FF0000", "#FF8000", "#FFFF00", "#FFFF80")
    got = ["#" + "".join(f"{round(c * 255):02X}" for c in col[:3]) for col in palette.heat(4)]
    assert got == ["#FF0000", "#FF8000", "#FFFF00", "#FFFF80"]
    assert palette.heat(3, 0.25)[2][3] == 0.25
    assert len(palette.heat(0)) == 0


def test_radial_diverges_through_white():
    p = palette.radial(5, palette.BLUE, palette.RED)
    assert p[0][:3] == (0.0, 0.0, 1.0) and p[4][:3] == (1.0, 0.0, 0.0)
    assert p[2][:3] == (1.0, 1.0, 1.0)


def test_brewer_sets():
    assert len(palette.brewer("Paired", 12)) == 12
    assert palette.brewer("Set1", 2)[1] == vg.rgba("#377eb8")
    with pytest.raises(ValueError, match="scheme 'Viridis' is unknown; use one of Set1"):
        palette.brewer("Viridis", 3)
    with pytest.raises(ValueError, match="Dark2 has at most 8 colours; asked for 9"):
        palette.brewer("Dark2", 9)


def _lightness(rgb: np.ndarray) -> np.ndarray:
    lin = np.where(rgb > 0.04045, ((rgb + 0.055) / 1.055) ** 2.4, rgb / 12.92)
    y = lin @ np.array([0.2126, 0.7152, 0.0722])
    return 116 * np.cbrt(y) - 16


@pytest.mark.parametrize("cmap", [palette.smooth_blue_red, palette.smooth_purple_orange,
                                  palette.smooth_green_purple, palette.smooth_blue_tan,
                                  palette.smooth_green_red], ids=lambda f: f.__name__)
def test_moreland_maps_are_smooth_and_diverging(cmap):
    cm = cmap()
    rgb = np.array(cm.palette(65).colors())[:, :3]
    assert tuple(rgb[0]) == cm.start[:3] and tuple(rgb[-1]) == cm.end[:3]
    lightness = _lightness(rgb)
    # Moreland's construction: lightness rises to a near-white middle, then falls.
    assert np.all(np.diff(lightness[:33]) > 0) and np.all(np.diff(lightness[32:]) < 0)
    assert lightness[32] > 85


def test_moreland_blue_red_midpoint():
    # Moreland (2009), table: the cool-warm map's midpoint is RGB (221, 221, 221).
    mid = palette.smooth_blue_red().at(0.5)
    np.testing.assert_allclose(np.array(mid[:3]) * 255, 221, atol=0.5)


def test_colormap_errors_and_arrays():
    cm = palette.smooth_blue_red()
    assert cm.at(np.array([0.0, 1.0])).shape == (2, 4)
    with pytest.raises(ValueError, match=r"value 1.5 is outside \[0.0, 1.0\]"):
        cm.at([0.2, 1.5])
    with pytest.raises(ValueError, match=r"value nan is outside"):
        cm.at(math.nan)
    with pytest.raises(ValueError, match=r"need finite min < max"):
        palette.DivergingColorMap("blue", "red", min=1, max=1)
    with pytest.raises(ValueError, match=r"the number of colours must be an int"):
        palette.heat(-1)
    with pytest.raises(ValueError, match=r"start hue must be in \[0, 1\]"):
        palette.radial(3, 2.0, 0.0)
    assert palette.brewer("Set2", 3).to_colormap().N == 3


# ------------------------------------------------------------------ properties

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(lo=st.floats(-1e12, 1e12), span=st.floats(1e-6, 1e12))
def test_default_ticks_property(lo, span):
    hi = lo + span
    if not hi > lo:
        return
    ticks = DefaultTicks().ticks(lo, hi)
    major = [t.value for t in ticks if not t.is_minor()]
    slack = 1e-9 * (hi - lo)
    # a span of a few ulps has no room for round values; otherwise there are 1..9 (gonum)
    resolvable = span > 1e6 * np.spacing(abs(lo) + abs(hi))
    assert len(major) <= 9 and (len(major) >= 1 or not resolvable)
    assert all(lo - slack <= t.value <= hi + slack for t in ticks)
    assert len(set(major)) == len(major)


def test_plot_draws_into_two_axes_alike(svg):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    p = sample_plot()
    fig = Figure(figsize=(6, 3))
    FigureCanvasAgg(fig)
    left, right = fig.subplots(1, 2)
    p.draw(left)
    p.draw(right)
    assert left.get_xlim() == right.get_xlim()
    assert [t.get_text() for t in left.get_xticklabels()] == \
        [t.get_text() for t in right.get_xticklabels()]
    assert len(left.get_lines()) == len(right.get_lines())


def test_time_ticks_time_zone():
    tz = __import__("datetime").timezone(__import__("datetime").timedelta(hours=5))
    label = TimeTicks("%H", ticker=ConstantTicks([(0, "x")]), tz=tz).ticks(0, 1)[0].label
    assert label == "05"
