"""Density: counts equal np.histogram2d exactly, thread-count independence, the
kernel's stub, rendering against a hand-built imshow; ScatterMatrix structure."""

import ast
import inspect
import io
from pathlib import Path

import numpy as np
import pytest
from matplotlib.colors import LogNorm, Normalize
from matplotlib.figure import Figure
from PIL import Image

import numkit
from numkit._kernels import _density
from numkit.plot._plot import Plot, render_figure
from numkit.plot.plotter._base import XYs
from numkit.plot.plotter._density import Density, ScatterMatrix

EPS = np.finfo(float).eps
# above NUMKIT_PARALLEL_THRESHOLD (32768), so the kernels really split the work
N_PARALLEL = 200_000


@pytest.fixture
def restore_threads():
    before = numkit.get_num_threads()
    yield
    numkit.set_num_threads(before)


def points(n, seed=0, dtype=np.float64):
    return np.random.default_rng(seed).normal(size=(n, 2)).astype(dtype)


@pytest.mark.parametrize("n,bins", [(1, 3), (2, (1, 1)), (1000, (7, 5)),
                                    (N_PARALLEL, (64, 48))],
                         ids=["one", "two-one-bin", "small", "parallel"])
def test_counts_equal_histogram2d(n, bins):
    xy = points(n)
    d = Density(xy, bins)
    want, xe, ye = np.histogram2d(xy[:, 0], xy[:, 1], bins)
    np.testing.assert_array_equal(d.counts, want)
    np.testing.assert_array_equal(d.x_edges, xe)
    np.testing.assert_array_equal(d.y_edges, ye)
    assert d.counts.dtype == np.int64 and d.counts.sum() == n


def test_points_on_edges_follow_numpy():
    # values exactly on interior edges and on the maximum
    g = np.linspace(0.0, 1.0, 11)
    xy = np.stack(np.meshgrid(g, g[::-1]), axis=-1).reshape(-1, 2)
    d = Density(xy, 10)
    np.testing.assert_array_equal(d.counts, np.histogram2d(xy[:, 0], xy[:, 1], 10)[0])


@pytest.mark.parametrize("layout", ["float32", "pair", "xys", "strided", "readonly"])
def test_input_layouts(layout):
    xy = points(5000, seed=1)
    want = np.histogram2d(xy[:, 0], xy[:, 1], 16)[0]
    if layout == "float32":
        x32 = xy.astype(np.float32)
        data = x32
        want = np.histogram2d(x32[:, 0].astype(float), x32[:, 1].astype(float), 16)[0]
    elif layout == "pair":
        data = (xy[:, 0].copy(), xy[:, 1].copy())
    elif layout == "xys":
        data = XYs(xy)
    elif layout == "strided":
        big = np.zeros((5000, 5))
        big[:, 1], big[:, 3] = xy[:, 0], xy[:, 1]
        data = (big[:, 1], big[:, 3])
    else:
        data = xy.copy()
        data.flags.writeable = False
    np.testing.assert_array_equal(Density(data, 16).counts, want)


def test_range_skips_outside_and_nan():
    xy = points(3000, seed=2)
    xy[5, 0] = np.nan
    xy[9, 1] = np.inf
    rng_ = ((-1.0, 1.5), (-2.0, 0.5))
    d = Density(xy, (10, 12), range=rng_)
    ok = np.isfinite(xy).all(axis=1)
    want = np.histogram2d(xy[ok, 0], xy[ok, 1], (10, 12), range=rng_)[0]
    np.testing.assert_array_equal(d.counts, want)


def test_weighted_sums():
    xy = points(20_000, seed=3)
    w = np.random.default_rng(4).random(20_000)
    d = Density(xy, 20, weights=w)
    want = np.histogram2d(xy[:, 0], xy[:, 1], 20, weights=w)[0]
    # each bin sums ≤ n weights in [0, 1) in another order: n·eps·Σw bounds the gap
    np.testing.assert_allclose(d.counts, want, rtol=0, atol=20_000 * EPS * w.sum())


def test_one_and_two_threads_identical(restore_threads):
    if not numkit.has_openmp():
        pytest.skip("kernels built without OpenMP")
    xy = points(N_PARALLEL, seed=5)
    w = np.random.default_rng(6).random(N_PARALLEL)
    out = []
    for t in (1, 2):
        numkit.set_num_threads(t)
        out.append((Density(xy, 50).counts, Density(xy, 50, weights=w).counts,
                    _density.bounds2d(xy[:, 0], xy[:, 1])))
    np.testing.assert_array_equal(out[0][0], out[1][0])
    assert out[0][1].tobytes() == out[1][1].tobytes()   # same bits
    assert out[0][2] == out[1][2]


@pytest.mark.parametrize("where,value", [(0, np.nan), (77, np.inf), (N_PARALLEL - 1, -np.inf)],
                         ids=["first", "middle", "last"])
@pytest.mark.parametrize("col", [0, 1], ids=["x", "y"])
def test_non_finite_point_is_named(where, value, col):
    xy = points(N_PARALLEL, seed=7)
    xy[where, col] = value
    xy[N_PARALLEL // 2, col] = np.nan  # a later bad point must not hide the first
    first = min(where, N_PARALLEL // 2)
    name = "xy"[col]
    with pytest.raises(ValueError, match=rf"Density: {name}\[{first}\] \(point {first}\)"):
        Density(xy, 8)


def test_constant_data_widens_like_numpy():
    xy = np.full((10, 2), 3.0)
    d = Density(xy, 4)
    want, xe, _ = np.histogram2d(xy[:, 0], xy[:, 1], 4)
    np.testing.assert_array_equal(d.counts, want)
    np.testing.assert_array_equal(d.x_edges, xe)


@pytest.mark.parametrize("norm", ["log", "linear"])
def test_render_equals_hand_built_imshow(norm):
    xy = points(50_000, seed=8)
    counts, xe, ye = np.histogram2d(xy[:, 0], xy[:, 1], 40)

    def bare():
        fig = Figure(figsize=(3, 3), dpi=80)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_axis_off()
        ax.set_xlim(xe[0], xe[-1])
        ax.set_ylim(ye[0], ye[-1])
        return fig, ax

    fig1, ax1 = bare()
    Density(xy, 40, norm=norm).plot(ax1, None)
    fig2, ax2 = bare()
    img = np.ma.masked_array(counts.T, mask=counts.T <= 0)
    nrm = (LogNorm(counts[counts > 0].min(), counts.max()) if norm == "log"
           else Normalize(0, counts.max()))
    ax2.imshow(img, extent=(xe[0], xe[-1], ye[0], ye[-1]), origin="lower", aspect="auto",
               interpolation="nearest", cmap="viridis", norm=nrm)
    assert render_figure(fig1, "png") == render_figure(fig2, "png")


def test_png_svg_reproducible_and_inked():
    def render(fmt):
        p = Plot()
        p.add(Density(points(10_000, seed=9), 30))
        return p.writer_to(216, 216, fmt)
    png = render("png")
    assert png == render("png") and render("svg") == render("svg")
    px = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    assert ((px != 255).any(axis=-1)).mean() > 0.2
    assert b"<image" in render("svg")


@pytest.mark.parametrize("make,err,match", [
    (lambda: Density(np.zeros((0, 2))), ValueError, "Density: no data points"),
    (lambda: Density(np.zeros((3, 3))), ValueError, r"xy must be an \(n, 2\) array"),
    (lambda: Density(([1.0, 2.0], [1.0])), ValueError, "x has 2 values but y has 1"),
    (lambda: Density(([[1.0]], [[1.0]])), ValueError, "x and y must be 1-D"),
    (lambda: Density(np.zeros((3, 2)), 0), ValueError, "bins must be at least 1"),
    (lambda: Density(np.zeros((3, 2)), (2, 2, 2)), ValueError, r"pair \(nx, ny\)"),
    (lambda: Density(np.zeros((3, 2)), 2.5), TypeError, "bins must be integers"),
    (lambda: Density(np.zeros((3, 2)), norm="sqrt"), ValueError, "norm must be one of"),
    (lambda: Density(np.zeros((3, 2)), range=(0, 1)), ValueError, "range must be"),
    (lambda: Density(np.zeros((3, 2)), range=((1, 0), (0, 1))), ValueError, "finite min < max"),
    (lambda: Density(np.zeros((3, 2)), weights=[1.0]), ValueError, r"one weight per point \(3\)"),
    (lambda: Density(np.zeros((3, 2)), weights=[1.0, -1.0, 1.0]), ValueError,
     r"weights\[1\] is -1.0"),
    (lambda: Density(np.zeros((3, 2)), weights=[1.0, np.nan, 1.0]), ValueError,
     r"Density: weights\[1\] is nan"),
    (lambda: Density([["a", "b"]]), ValueError, "Density: xy must be numeric"),
], ids=lambda v: v if isinstance(v, str) else "")
def test_rejections(make, err, match):
    with pytest.raises(err, match=match):
        make()


# ------------------------------------------------------------- ScatterMatrix

def test_scatter_matrix_structure():
    X = np.random.default_rng(10).normal(size=(200, 3))
    m = ScatterMatrix(X, names=["a", "b", "c"], bins=8)
    kinds = [[type(p.plotters[0]).__name__ for p in row] for row in m.plots]
    assert kinds == [["Histogram", "Scatter", "Scatter"], ["Scatter", "Histogram", "Scatter"],
                     ["Scatter", "Scatter", "Histogram"]]
    # plot (i, j) shows column j along x and column i along y
    np.testing.assert_array_equal(m.plots[2][0].plotters[0].xys.xy, X[:, [0, 2]])
    assert [p.x.label.text for p in m.plots[2]] == ["a", "b", "c"]
    # every row is named at the left, the histogram row too (its y axis shows counts)
    assert [row[0].y.label.text for row in m.plots] == ["a", "b", "c"]
    # only the outer panels carry tick labels
    assert all(t.label == "" for t in m.plots[0][1].x.tick.marker.ticks(0.0, 1.0))
    assert all(t.label == "" for t in m.plots[1][1].y.tick.marker.ticks(0.0, 1.0))
    tiled = m.tiled(300, 300)
    assert sum(a is not None for r in tiled.axes for a in r) == 9
    assert m.writer_to(300, 300, "png") == m.writer_to(300, 300, "png")


def test_scatter_matrix_uses_density_for_many_rows(tmp_path: Path):
    X = np.random.default_rng(11).normal(size=(500, 2))
    m = ScatterMatrix(X, density_above=100)
    assert type(m.plots[0][1].plotters[0]).__name__ == "Density"
    m.save(200, 200, tmp_path / "m.svg")
    assert (tmp_path / "m.svg").read_bytes().startswith(b"<?xml")


@pytest.mark.parametrize("X,names,match", [
    (np.zeros(3), None, "X must be a 2-D"),
    (np.zeros((3, 1)), None, "at least 2 columns"),
    (np.zeros((0, 2)), None, "X has no rows"),
    (np.array([[1.0, np.nan]]), None, r"ScatterMatrix: X\[0, 1\] is nan"),
    (np.zeros((3, 2)), ["a"], "got 1 names for 2 columns"),
], ids=["1d", "one-col", "no-rows", "nan", "names"])
def test_scatter_matrix_rejections(X, names, match):
    with pytest.raises(ValueError, match=match):
        ScatterMatrix(X, names)


# ------------------------------------------------------------- kernel stub

def test_kernel_stub_matches_runtime():
    stub = Path(_density.__file__).with_name("_density.pyi")
    tree = ast.parse(stub.read_text())
    stubs = {n.name: [a.arg for a in n.args.args] for n in tree.body
             if isinstance(n, ast.FunctionDef)}
    runtime = {name: list(inspect.signature(f).parameters)
               for name, f in vars(_density).items()
               if callable(f) and not name.startswith("_") and
               getattr(f, "__module__", None) == _density.__name__}
    assert stubs == runtime
