"""Tests of the containers, validation and the simple plotters (numkit.plot.plotter._lines)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from numkit.plot import Plot, draw, vg
from numkit.plot.plotter import (
    Function,
    Grid,
    Labels,
    Line,
    LinePoints,
    Polygon,
    Scatter,
    Values,
    XErrorBars,
    XYs,
    XYZs,
    YErrorBars,
)
from numkit.plot.plotter._base import Plotter, union_range

RNG_SEED = 20240601


def points(n: int = 10, seed: int = RNG_SEED) -> np.ndarray:
    return np.random.default_rng(seed).random((n, 2))


def plot_of(*plotters) -> Plot:
    p = Plot()
    p.add(*plotters)
    return p


# ------------------------------------------------------------------ containers


XY_INPUTS = {
    "array-n2": (lambda a: (a,), True),
    "two-arrays": (lambda a: (a[:, 0], a[:, 1]), True),
    "list-of-pairs": (lambda a: ([tuple(r) for r in a.tolist()],), True),
    "xys": (lambda a: (XYs(a),), True),
    "int-array": (lambda a: ((a * 10).astype(np.int64),), False),
    "fortran": (lambda a: (np.asfortranarray(a),), True),
    "strided": (lambda a: (np.repeat(a, 2, axis=0)[::2],), True),
    "read-only": (lambda a: (np.frombuffer(a.tobytes()).reshape(a.shape),), True),
}


@pytest.mark.parametrize("name", XY_INPUTS, ids=str)
def test_xys_inputs(name):
    a = points(7)
    make, exact = XY_INPUTS[name]
    xy = XYs(*make(a))
    expected = a if exact else (a * 10).astype(np.int64).astype(float)
    np.testing.assert_array_equal(xy.xy, expected)
    np.testing.assert_array_equal(xy.x, expected[:, 0])
    assert len(xy) == 7 and xy[2] == tuple(expected[2])
    assert not xy.xy.flags.writeable
    assert xy.data_range() == (expected[:, 0].min(), expected[:, 0].max(),
                               expected[:, 1].min(), expected[:, 1].max())


def test_xys_copies_input():
    a = points(3)
    xy = XYs(a)
    a[0, 0] = 99.0
    assert xy.x[0] != 99.0
    np.testing.assert_array_equal(np.asarray(xy), xy.xy)


def test_xyzs_and_values():
    a = np.arange(12.0).reshape(4, 3)
    xyz = XYZs(a)
    np.testing.assert_array_equal(xyz.z, a[:, 2])
    np.testing.assert_array_equal(XYZs(a[:, 0], a[:, 1], a[:, 2]).xy, a)
    np.testing.assert_array_equal(XYs(xyz).xy, a[:, :2])  # an XYZs is a valid XYs
    v = Values([3, 1, 2])
    assert len(v) == 3 and v[1] == 1.0 and not v.values.flags.writeable
    assert Values(v).values is v.values


@pytest.mark.parametrize("make,match", [
    (lambda: XYs([]), r"XYs: data must be an \(n, 2\) array .* got shape \(0,\)"),
    (lambda: XYs(np.empty((0, 2))), "XYs: no data points"),
    (lambda: XYs([], []), "XYs: no data points"),
    (lambda: XYs([1, 2, 3], [1, 2]), "XYs: x has 3 values but y has 2"),
    (lambda: XYs(np.ones((3, 3))), r"data must be an \(n, 2\) array"),
    (lambda: XYs(np.ones((2, 2)), np.ones((2, 2))), r"x must be 1-D; got shape \(2, 2\)"),
    (lambda: XYs(["a", "b"], [1, 2]), "XYs: x must be numeric; got dtype <U1"),
    (lambda: XYs([1j, 2], [1, 2]), "XYs: x is complex"),
    (lambda: XYs([[0, 1], [2, np.inf]]), r"XYs: data\[1, 1\] is inf"),
    (lambda: XYZs(np.ones((2, 2))), r"XYZs: data must be an \(n, 3\) array"),
    (lambda: XYZs([1], [2], None), "XYZs: z is missing"),
    (lambda: XYZs(XYs([[0, 1]])), r"XYZs: need 3 columns \(x, y, z\); got XYs"),
    (lambda: Values([]), "Values: no data points"),
    (lambda: Values([[1, 2]]), r"Values: values must be 1-D; got shape \(1, 2\)"),
    (lambda: Values([1, np.nan]), r"Values: values\[1\] is nan"),
], ids=["empty-list", "empty-array", "empty-columns", "lengths", "3-columns", "2d-columns",
        "strings", "complex", "inf", "xyzs-shape", "xyzs-missing", "xyzs-from-xys",
        "values-empty", "values-2d", "values-nan"])
def test_container_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()


# Every plotter taking data rejects NaN/inf naming itself and the index.
NAN_CASES = {
    "Line": lambda d: Line(d),
    "Scatter": lambda d: Scatter(d),
    "LinePoints": lambda d: LinePoints(d),
    "Polygon": lambda d: Polygon(d),
    "Labels": lambda d: Labels(d, ["a"] * len(d)),
    "YErrorBars": lambda d: YErrorBars(d, errors=np.ones(len(d))),
    "XErrorBars": lambda d: XErrorBars(d, errors=np.ones(len(d))),
}


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf], ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize("name", NAN_CASES, ids=str)
def test_plotters_reject_non_finite_naming_plotter_and_index(name, bad):
    d = np.arange(8.0).reshape(4, 2)
    d[2, 1] = bad
    with pytest.raises(ValueError, match=rf"^{name}: data\[2, 1\] is {bad}; NaN and infinite"):
        NAN_CASES[name](d)
    with pytest.raises(ValueError, match=rf"^{name}: no data points"):
        NAN_CASES[name](np.empty((0, 2)))


def test_two_column_inputs_name_the_column():
    with pytest.raises(ValueError, match=r"^Scatter: y\[3\] is nan"):
        Scatter(np.arange(5.0), np.array([0, 1, 2, np.nan, 4]))
    with pytest.raises(ValueError, match=r"^Line: x has 2 values but y has 3"):
        Line([0, 1], [0, 1, 2])


def test_union_range():
    assert union_range([None, (0, 1, 2, 3), (-1, 0.5, 2.5, 4)]) == (-1, 1, 2, 4)
    assert union_range([None]) is None


def test_base_plotter_defaults():
    assert Plotter().data_range() is None
    with pytest.raises(NotImplementedError, match="Plotter.plot is not implemented"):
        Plotter().plot(None, None)


# ------------------------------------------------------------------ SVG structure per plotter


def test_scatter_svg_has_one_glyph_per_point(svg):
    root = svg.render(plot_of(Scatter(points(37))))
    assert svg.count_in(root, "Scatter0_", "use") == 37


def test_line_svg_is_one_path_through_every_point(svg):
    root = svg.render(plot_of(Line(points(12))))
    paths = [p for g in svg.groups(root, "Line0_") for p in g.iter("{http://www.w3.org/2000/svg}path")]
    assert len(paths) == 1 and svg.path_vertices(paths[0]) == 12


@pytest.mark.parametrize("step,vertices", [("none", 6), ("pre", 11), ("post", 11), ("mid", 12)],
                         ids=str)
def test_line_steps(svg, step, vertices):
    p = plot_of(Line(np.arange(6.0), np.array([0, 2, 1, 3, 2, 4.0]), step=step))
    root = svg.render(p)
    path = next(svg.groups(root, "Line0_")[0].iter("{http://www.w3.org/2000/svg}path"))
    assert svg.path_vertices(path) == vertices


def test_line_fill_adds_a_filled_area(png):
    p = plot_of(Line([0, 1, 2], [1, 2, 1], fill_color=vg.rgb8(0, 200, 0)))
    assert png.fraction_near(png.render(p), (0, 200, 0), tol=10) > 0.2


def test_line_points_draws_line_and_glyphs(svg):
    root = svg.render(plot_of(LinePoints(points(9))))
    assert svg.count_in(root, "LinePoints0_", "use") == 9
    assert svg.count_in(root, "LinePoints0_", "path") >= 1


def test_error_bars_svg_counts(svg):
    data = np.column_stack([np.arange(5.0), np.arange(5.0), np.full(5, 0.5)])
    root = svg.render(plot_of(YErrorBars(data), XErrorBars(data)))
    for name in ("YErrorBars0_", "XErrorBars1_"):
        assert svg.count_in(root, name, "use") == 10  # two caps per bar
        assert svg.count_in(root, name, "path") >= 5  # one segment per bar


def test_error_bars_without_caps(svg):
    root = svg.render(plot_of(YErrorBars([[0, 1, 1]], cap_width=0)))
    assert svg.count_in(root, "YErrorBars0_", "use") == 0


def test_labels_svg_texts(svg):
    root = svg.render(plot_of(Labels(points(3), ["first", "second", "third"], offset=(3, -2))))
    assert {"first", "second", "third"} <= set(svg.texts(root))


def test_polygon_one_path_with_hole(png):
    outer = [[0, 0], [4, 0], [4, 4], [0, 4]]
    hole = [[1, 1], [1, 3], [3, 3], [3, 1]]  # opposite winding
    p = plot_of(Polygon(outer, hole, color=vg.rgb8(200, 0, 200)))
    px = png.render(p, 200, 200)
    h, w = px.shape[:2]
    fig = p.to_figure(200, 200)
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig).draw()
    ax = fig.axes[0]
    cx, cy = ax.transData.transform((2.0, 2.0))  # centre of the hole
    rx, ry = ax.transData.transform((0.5, 0.5))  # inside the ring
    assert tuple(px[h - int(cy), int(cx), :3]) == (255, 255, 255)
    assert tuple(px[h - int(ry), int(rx), :3]) == (200, 0, 200)


def test_grid_lines_at_major_ticks(svg):
    p = plot_of(Line([0, 10], [0, 1]), Grid())
    root = svg.render(p)
    # DefaultTicks on [0, 10] → 0, 5, 10; on [0, 1] → 0, 0.5, 1.0
    assert svg.count_in(root, "Grid1_0", "path") == 3
    assert svg.count_in(root, "Grid1_1", "path") == 3
    hidden = plot_of(Line([0, 10], [0, 1]), Grid(vertical=draw.LineStyle(width=0)))
    assert len(svg.groups(svg.render(hidden), "Grid1_")) == 1
    assert Grid().data_range() is None


# ------------------------------------------------------------------ equality with matplotlib


class _HandScatter:
    """What Scatter should amount to, spelt out in plain matplotlib."""

    def __init__(self, a):
        self.a = a

    def data_range(self):
        return (self.a[:, 0].min(), self.a[:, 0].max(), self.a[:, 1].min(), self.a[:, 1].max())

    def plot(self, ax, p):
        ax.plot(self.a[:, 0], self.a[:, 1], linestyle="none", marker="o", markersize=6.0,
                markerfacecolor=(1, 0, 0, 1), markeredgecolor=(1, 0, 0, 1), markeredgewidth=0.0)


class _HandLine(_HandScatter):
    def plot(self, ax, p):
        ax.plot(self.a[:, 0], self.a[:, 1], color=(0, 0, 1, 1), linewidth=2.0, linestyle="solid")


@pytest.mark.parametrize("fmt", ["png", "svg"], ids=str)
def test_scatter_and_line_equal_hand_built_matplotlib(fmt):
    a = points(50)
    ours = plot_of(Scatter(a, glyph_style=draw.GlyphStyle(color="red", radius=3, shape="circle")),
                   Line(a[:10], line_style=draw.LineStyle(color="blue", width=2)))
    hand = plot_of(_HandScatter(a), _HandLine(a[:10]))
    ours_bytes = ours.writer_to(200, 150, fmt)
    hand_bytes = hand.writer_to(200, 150, fmt)
    if fmt == "svg":  # group ids carry the plotter names
        for a_, b_ in ((b"Scatter0_", b"_HandScatter0_"), (b"Line1_", b"_HandLine1_")):
            ours_bytes = ours_bytes.replace(a_, b_)
    assert ours_bytes == hand_bytes


# ------------------------------------------------------------------ pixels


@pytest.mark.parametrize("make,rgb", [
    (lambda: Scatter(points(30), glyph_style=draw.GlyphStyle(color="red", shape="box")),
     (255, 0, 0)),
    (lambda: Line(points(5), line_style=draw.LineStyle(color="blue", width=3)), (0, 0, 255)),
    (lambda: Function(np.sin, x_min=0, x_max=3,
                      line_style=draw.LineStyle(color=vg.rgb8(0, 160, 0), width=3)), (0, 160, 0)),
    (lambda: Polygon([[0, 0], [1, 0], [0, 1]], color=vg.rgb8(255, 128, 0)), (255, 128, 0)),
    (lambda: YErrorBars([[0, 0, 1], [1, 1, 1]],
                        line_style=draw.LineStyle(color="magenta", width=3)), (255, 0, 255)),
], ids=["scatter", "line", "function", "polygon", "errorbars"])
def test_colours_present(png, make, rgb):
    p = plot_of(make())
    if p.x.min == math.inf:  # Function has no data range
        p.x.min, p.x.max, p.y.min, p.y.max = 0, 3, -1, 1
    px = png.render(p)
    assert png.fraction_near(px, rgb, tol=30) > 0.002


# ------------------------------------------------------------------ legend thumbnails


@pytest.mark.parametrize("make", [
    lambda: Line(points(3), fill_color="yellow"),
    lambda: Scatter(points(3)),
    lambda: LinePoints(points(3)),
    lambda: Function(np.cos),
    lambda: Polygon(points(3), color="green"),
    lambda: YErrorBars([[0, 0, 1]]),
    lambda: XErrorBars([[0, 0, 1]]),
], ids=["line", "scatter", "linepoints", "function", "polygon", "yerr", "xerr"])
def test_thumbnails_draw_in_the_legend(svg, make):
    pl = make()
    p = Plot()
    p.add(pl)
    p.x.min, p.x.max, p.y.min, p.y.max = -1, 2, -1, 2
    p.legend.add("entry", pl)
    artists = pl.thumbnail(None, 0.0, 0.0, 20.0, 10.0)
    assert artists and all(a.axes is None for a in artists)
    root = svg.render(p)
    legend = svg.groups(root, "legend")[0]
    assert svg.count(legend, "text") == 1
    assert svg.count(legend, "path") + svg.count(legend, "use") >= len(artists)


# ------------------------------------------------------------------ Function


def test_function_vectorised_and_scalar_agree():
    vec = Function(np.exp, samples=7).sample(0.0, 1.0)
    scalar = Function(math.exp, samples=7).sample(0.0, 1.0)
    np.testing.assert_array_equal(vec[0], scalar[0])
    np.testing.assert_allclose(vec[1], scalar[1], rtol=4 * np.finfo(float).eps)


def test_function_log_axis_samples_log_spaced():
    p = Plot()
    p.x.min, p.x.max = 1.0, 1000.0
    from numkit.plot import LogScale

    p.x.scale = LogScale()
    f = Function(np.log10, samples=4)
    p.add(f)
    xs, ys = f.sample(1.0, 1000.0, log=True)
    np.testing.assert_allclose(xs, [1, 10, 100, 1000])
    np.testing.assert_allclose(ys, [0, 1, 2, 3], atol=1e-15)
    p.writer_to(100, 100, "png")


def test_function_nan_breaks_line(svg):
    p = Plot()
    p.x.min, p.x.max, p.y.min, p.y.max = -1, 1, 0, 2
    p.add(Function(lambda x: np.where(np.abs(x) < 0.3, np.nan, 1.0), samples=21))
    path = next(svg.groups(svg.render(p), "Function0_")[0].iter("{http://www.w3.org/2000/svg}path"))
    d = path.get("d").split()
    assert d.count("M") == 2  # two pieces around the gap


@pytest.mark.parametrize("kwargs,exc,match", [
    ({"fn": 3}, TypeError, "Function: fn must be callable; got int"),
    ({"fn": np.sin, "samples": 1}, ValueError, "samples must be an int ≥ 2; got 1"),
    ({"fn": np.sin, "samples": 2.5}, ValueError, "samples must be an int"),
    ({"fn": np.sin, "x_min": 2, "x_max": 1}, ValueError, r"x_min \(2\) must be less than x_max"),
    ({"fn": np.sin, "x_min": math.nan}, ValueError, "x_min must be finite"),
], ids=["not-callable", "samples-1", "samples-float", "min>max", "nan-min"])
def test_function_errors(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        Function(**kwargs)


def test_function_on_log_axis_rejects_non_positive_x_min():
    from numkit.plot import LogScale

    p = Plot()
    p.x.min, p.x.max = 1, 10
    p.x.scale = LogScale()
    p.add(Function(np.log, x_min=-1, x_max=5))
    with pytest.raises(ValueError, match="Function: x_min is -1 but the x axis uses LogScale"):
        p.writer_to(100, 100, "png")


# ------------------------------------------------------------------ Scatter styles


def test_scatter_glyph_style_func_groups_by_shape(svg):
    shapes = ["circle", "box", "cross"]
    s = Scatter(points(9), glyph_style_func=lambda i: draw.GlyphStyle(
        color=("red", "green", "blue")[i % 3], radius=2 + i, shape=shapes[i % 3]))
    root = svg.render(plot_of(s))
    groups = svg.groups(root, "Scatter0_")
    assert len(groups) == 3
    # sizes differ per point, so matplotlib writes each glyph as its own path
    assert sum(svg.count(g, "use") + svg.count(g, "path") for g in groups) == 9
    with pytest.raises(TypeError, match="glyph_style_func must be callable"):
        Scatter(points(2), glyph_style_func=5)


# ------------------------------------------------------------------ error bars input


@pytest.mark.parametrize("args,kwargs,expected", [
    (([[0, 1, 0.5], [2, 3, 1.0]],), {}, (0.0, 2.0, 0.5, 4.0)),
    (([[0, 1, 0.5, 0.25]],), {}, (0.0, 0.0, 0.5, 1.25)),
    (([[0, 1], [2, 3]],), {"errors": [0.5, 1.0]}, (0.0, 2.0, 0.5, 4.0)),
    (([0, 2], ), {"errors": [[0.5, 0.0], [0.0, 1.0]]}, None),
], ids=["n3", "n4", "errors-1d", "bad-xys"])
def test_y_error_bars_inputs(args, kwargs, expected):
    if expected is None:
        with pytest.raises(ValueError, match=r"YErrorBars: data must be an \(n, 2\) array"):
            YErrorBars(*args, **kwargs)
        return
    assert YErrorBars(*args, **kwargs).data_range() == expected


@pytest.mark.parametrize("args,kwargs,match", [
    (([[0, 1]],), {}, r"YErrorBars: data must be an \(n, 3\) array of \(x, y, error\)"),
    (([[0, 1, -1]],), {}, r"YErrorBars: errors\[0\] is negative"),
    (([[0, 1, np.nan]],), {}, r"YErrorBars: errors\[0, 0\] is nan"),
    ((XYs([[0, 1]]),), {}, "YErrorBars: errors are missing"),
    (([[0, 1]],), {"errors": [1, 2]}, r"errors must have shape \(1,\) or \(1, 2\)"),
    (([[0, 1]],), {"errors": [[1, 2, 3]]}, r"errors must have shape"),
    (([[0, 1, 1]],), {"cap_width": -1}, "YErrorBars: cap_width must not be negative"),
], ids=["2-cols", "negative", "nan", "missing", "length", "3-errors", "cap"])
def test_y_error_bars_errors(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        YErrorBars(*args, **kwargs)


# ------------------------------------------------------------------ other constructor errors


@pytest.mark.parametrize("make,exc,match", [
    (lambda: Line([[0, 0], [1, 1]], step="up"), ValueError,
     "Line: step 'up' is unknown; use one of none, pre, mid, post"),
    (lambda: Polygon(), ValueError, "Polygon: no rings given"),
    (lambda: Polygon([[0, 0], [1, 1]]), ValueError, "Polygon: ring 0 has 2 points; need at least 3"),
    (lambda: Labels([[0, 0]], ["a", "b"]), ValueError, "Labels: 1 points but 2 labels"),
    (lambda: Labels([[0, 0]], ["a"], offset=(math.inf, 0)), ValueError,
     "Labels: offset must be finite"),
], ids=["step", "no-rings", "short-ring", "labels", "offset"])
def test_constructor_errors(make, exc, match):
    with pytest.raises(exc, match=match):
        make()


def test_data_ranges():
    assert Polygon([[0, 0], [2, 0], [1, 3]], [[5, 5], [6, 5], [6, 6]]).data_range() == (0, 6, 0, 6)
    assert LinePoints([[1, 2], [3, 4]]).data_range() == (1, 3, 2, 4)
    assert Labels([[1, 2]], ["a"]).data_range() == (1, 1, 2, 2)
    assert Function(np.sin).data_range() is None
