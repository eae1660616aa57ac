"""HeatMap, Contour, Image, ColorBar, Field: grid handling, colours in PNGs, SVG
structure, reproducible bytes, every rejection."""

import io
import re

import numpy as np
import pytest
from matplotlib.colors import ListedColormap, Normalize
from matplotlib.figure import Figure
from PIL import Image as PILImage

from numkit.plot import palette
from numkit.plot._plot import Plot, render_figure
from numkit.plot.plotter._grids import (
    ColorBar,
    Contour,
    Field,
    HeatMap,
    Image,
    colormap,
    grid_xyz,
)

RGBW = ["#ff0000", "#00ff00", "#0000ff", "#ffffff"]


def png_pixels(data: bytes) -> np.ndarray:
    return np.asarray(PILImage.open(io.BytesIO(data)).convert("RGB")).astype(int)


def bare(plotter, xlim, ylim, w=3.0, h=2.0, dpi=100):
    fig = Figure(figsize=(w, h), dpi=dpi)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    if plotter is not None:
        plotter.plot(ax, None)
    return fig, ax


class GonumGrid:
    """gonum's GridXYZ interface: dims() -> (c, r), x(c), y(r), z(c, r)."""

    def __init__(self, z, x, y):
        self._z, self._x, self._y = np.asarray(z), x, y

    def dims(self):
        return self._z.shape[1], self._z.shape[0]

    def x(self, c):
        return self._x[c]

    def y(self, r):
        return self._y[r]

    def z(self, c, r):
        return self._z[r, c]


def test_grid_from_gonum_interface_equals_array():
    z = np.arange(6.0).reshape(2, 3)
    x, y = [0.0, 1.0, 3.0], [10.0, 20.0]
    a = grid_xyz(GonumGrid(z, x, y), "HeatMap")
    b = grid_xyz(z, "HeatMap", x=x, y=y)
    for u, v in zip(a, b, strict=True):
        np.testing.assert_array_equal(u, v)


def test_heatmap_range_uses_cell_edges():
    h = HeatMap(np.zeros((2, 3)), x=[0.0, 1.0, 3.0], y=[10.0, 20.0])
    assert h.data_range() == (-0.5, 4.0, 5.0, 25.0)
    assert HeatMap([[7.0]]).data_range() == (-0.5, 0.5, -0.5, 0.5)


def test_heatmap_colours_where_expected():
    z = np.array([[0.0, 1.0], [2.0, 3.0]])  # row 0 at the bottom
    fig, _ = bare(HeatMap(z, RGBW), (-0.5, 1.5), (-0.5, 1.5), w=2, h=2)
    px = png_pixels(render_figure(fig, "png"))
    q = px.shape[0] // 4
    # image rows run top-down: the bottom-left cell (z = 0) is red, top-right white
    np.testing.assert_array_equal(px[3 * q, q], [255, 0, 0])
    np.testing.assert_array_equal(px[3 * q, 3 * q], [0, 255, 0])
    np.testing.assert_array_equal(px[q, q], [0, 0, 255])
    np.testing.assert_array_equal(px[q, 3 * q], [255, 255, 255])


def test_heatmap_equals_hand_built_pcolormesh():
    z = np.random.default_rng(0).random((4, 5))
    fig1, _ = bare(HeatMap(z, "magma"), (-0.5, 4.5), (-0.5, 3.5))
    fig2, ax2 = bare(None, (-0.5, 4.5), (-0.5, 3.5))
    ax2.pcolormesh(np.arange(6) - 0.5, np.arange(5) - 0.5, z, cmap="magma",
                   norm=Normalize(z.min(), z.max()), edgecolors="none", antialiased=False)
    assert render_figure(fig1, "png") == render_figure(fig2, "png")


def test_heatmap_svg_one_path_per_cell_and_min_max():
    p = Plot()
    p.add(HeatMap(np.arange(12.0).reshape(3, 4), palette.heat(8), min=2, max=9,
                  underflow="black", overflow="white"))
    svg = p.writer_to(216, 144, "svg").decode()
    group = svg[svg.index('id="HeatMap0_0"'):]
    group = group[:group.index("</g>")]
    assert group.count("<path") == 12


def test_contour_default_levels_are_gonum_quantiles():
    z = np.add.outer(np.linspace(0, 1, 30), np.linspace(0, 2, 40))
    c = Contour(z)
    want = np.unique(np.quantile(z, [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99],
                                 method="inverted_cdf"))
    np.testing.assert_array_equal(c.levels, want)
    cols = c.colors()
    assert cols[0] == tuple(colormap(None)(0.0)) and cols[-1] == tuple(colormap(None)(1.0))


def test_contour_draws_each_level():
    z = np.add.outer(np.linspace(0, 1, 20), np.linspace(0, 1, 20))
    p = Plot()
    p.add(Contour(z, levels=[0.5, 1.0, 1.5], palette=RGBW[:3]))
    px = png_pixels(p.writer_to(216, 216, "png"))
    for rgb in ([255, 0, 0], [0, 0, 255]):
        close = (np.abs(px - rgb) < 60).all(axis=-1)
        assert close.sum() > 20, rgb


def test_image_pixels_and_orientation():
    img = np.zeros((2, 2, 3), dtype=np.uint8)
    img[0, :, 0] = 255  # top row red
    img[1, :, 2] = 255  # bottom row blue
    fig, _ = bare(Image(img, 0, 0, 1, 1), (0, 1), (0, 1), w=2, h=2)
    px = png_pixels(render_figure(fig, "png"))
    np.testing.assert_array_equal(px[px.shape[0] // 4, 100], [255, 0, 0])
    np.testing.assert_array_equal(px[3 * px.shape[0] // 4, 100], [0, 0, 255])


def test_gray_image_float_and_int():
    for a in (np.full((3, 3), 0.5), np.full((3, 3), 128, np.uint8)):
        fig, _ = bare(Image(a, 0, 0, 1, 1), (0, 1), (0, 1))
        px = png_pixels(render_figure(fig, "png"))
        assert abs(px[100, 150, 0] - 128) <= 1


@pytest.mark.parametrize("vertical", [False, True], ids=["horizontal", "vertical"])
def test_colorbar_ends(vertical):
    cb = ColorBar(ListedColormap(["#ff0000", "#0000ff"]), vertical, min=-2, max=2)
    fig, _ = bare(cb, *(((0, 1), (-2, 2)) if vertical else ((-2, 2), (0, 1))), w=2, h=2)
    px = png_pixels(render_figure(fig, "png"))
    low = px[190, 100] if vertical else px[100, 10]
    high = px[10, 100] if vertical else px[100, 190]
    np.testing.assert_array_equal(low, [255, 0, 0])
    np.testing.assert_array_equal(high, [0, 0, 255])


def test_colorbar_takes_colormap_range():
    cmap = palette.smooth_blue_red()
    cmap.min, cmap.max = 3.0, 7.0
    assert ColorBar(cmap).data_range() == (3.0, 7.0, 0.0, 1.0)


def test_field_function_equals_array():
    x, y = np.linspace(-1, 1, 4), np.linspace(0, 2, 3)
    f1 = Field(lambda gx, gy: (-gy, gx), x=x, y=y)
    gx, gy = np.meshgrid(x, y)
    f2 = Field(np.stack([-gy, gx], axis=-1), x=x, y=y)
    np.testing.assert_array_equal(f1.u, f2.u)
    np.testing.assert_array_equal(f1.v, f2.v)
    p = Plot()
    p.add(f1)
    svg = p.writer_to(216, 144, "svg").decode()
    group = svg[svg.index('id="Field0_0"'):]
    assert group[:group.index("</g>")].count("<path") == 12


@pytest.mark.parametrize("make", [
    lambda: HeatMap(np.arange(6.0).reshape(2, 3)),
    lambda: Contour(np.arange(12.0).reshape(3, 4), levels=[3.0, 6.0]),
    lambda: Image(np.arange(12.0).reshape(3, 4) / 12, 0, 0, 1, 1),
    lambda: ColorBar(),
    lambda: Field(np.ones((2, 2, 2))),
], ids=["heatmap", "contour", "image", "colorbar", "field"])
@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_renders_non_blank_and_reproducibly(make, fmt):
    def render(with_data=True):
        p = Plot()
        pl = make()
        if with_data:
            p.add(pl)
        else:  # the same axes, no data: what the plotter adds is the difference
            p.x.min, p.x.max, p.y.min, p.y.max = pl.data_range()
        return p.writer_to(216, 144, fmt)
    a = render()
    assert a == render()
    if fmt == "png":
        inked = (png_pixels(a) != 255).any(axis=-1)
        empty = (png_pixels(render(False)) != 255).any(axis=-1)
        assert (inked & ~empty).sum() > 200
    else:
        assert len(re.findall(rb"<path|<image", a)) > 3


@pytest.mark.parametrize("make,err,match", [
    (lambda: HeatMap([1.0, 2.0]), ValueError, r"HeatMap: the grid must be 2-D"),
    (lambda: HeatMap(np.zeros((0, 3))), ValueError, r"HeatMap: the grid is empty"),
    (lambda: HeatMap([[1.0, np.nan]]), ValueError, r"HeatMap: grid\[0, 1\] is nan"),
    (lambda: HeatMap([[1.0, 2.0]], x=[0.0]), ValueError, r"x must have one value per grid"),
    (lambda: HeatMap([[1.0, 2.0]], x=[1.0, 1.0]), ValueError, "strictly increasing"),
    (lambda: HeatMap([[1.0]], x=[np.inf]), ValueError, r"HeatMap: x\[0\] is inf"),
    (lambda: HeatMap([[1.0]], min=2, max=1), ValueError, "finite min <= max"),
    (lambda: HeatMap([[1.0]], "no-such-map"), ValueError, "not a colormap name"),
    (lambda: HeatMap([[1.0]], []), ValueError, "palette has no colours"),
    (lambda: HeatMap([[1.0]], 3), ValueError, "palette must be a palette"),
    (lambda: HeatMap(GonumGrid([[1.0]], [0.0], [0.0]), x=[0.0]), ValueError,
     "come from the GridXYZ"),
    (lambda: Contour([[1.0, 2.0]]), ValueError, "at least 2×2"),
    (lambda: Contour(np.eye(3), levels=[]), ValueError, "levels is empty"),
    (lambda: Contour(np.eye(3), levels=[np.nan]), ValueError, r"levels\[0\] is nan"),
    (lambda: Image(np.zeros((2, 2, 2)), 0, 0, 1, 1), ValueError, r"\(h, w, 3\)"),
    (lambda: Image(np.zeros((0, 2)), 0, 0, 1, 1), ValueError, "img is empty"),
    (lambda: Image(np.zeros((2, 2)), 1, 0, 1, 1), ValueError, "xmin < xmax"),
    (lambda: Image(np.full((1, 1), np.nan), 0, 0, 1, 1), ValueError, r"img\[0, 0\] is nan"),
    (lambda: Image(np.array([["a"]]), 0, 0, 1, 1), ValueError, "numeric pixels"),
    (lambda: ColorBar(min=1, max=1), ValueError, "finite min < max"),
    (lambda: ColorBar(colors=0), ValueError, "colors must be a positive integer"),
    (lambda: Field(lambda x, y: (x, y)), ValueError, "needs the grid's x and y"),
    (lambda: Field(np.ones((2, 2, 3))), ValueError, r"\(r, c, 2\)"),
    (lambda: Field(np.zeros((2, 2, 2))), ValueError, "every vector is zero"),
    (lambda: Field(np.full((1, 1, 2), np.inf)), ValueError, r"Field: vectors\[0, 0, 0\]"),
], ids=lambda v: v if isinstance(v, str) else "")
def test_rejections(make, err, match):
    with pytest.raises(err, match=match):
        make()
