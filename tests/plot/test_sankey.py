"""Sankey: stock layout, flow conservation, SVG structure, pixels, reproducible
bytes, every rejection."""

import io

import numpy as np
import pytest
from PIL import Image

from numkit.plot._plot import Plot
from numkit.plot.plotter._sankey import Flow, Sankey

FLOWS = [("coal", 0, "power", 1, 3.0), ("gas", 0, "power", 1, 2.0),
         ("power", 1, "homes", 2, 4.0), ("power", 1, "loss", 2, 1.0),
         ("gas", 0, "heat", 2, 1.5, "direct")]


def group_paths(svg: str, gid: str) -> int:
    g = svg[svg.index(f'id="{gid}"'):]
    return g[:g.index("</g>")].count("<path")


def test_stock_values_and_stacking():
    s = Sankey(*FLOWS)
    got = [(st["label"], st["category"], st["value"], st["y_min"], st["y_max"])
           for st in s.stocks]
    assert got == [("coal", 0, 3.0, 0.0, 3.0), ("gas", 0, 3.5, 3.0, 6.5),
                   ("power", 1, 5.0, 0.0, 5.0), ("homes", 2, 4.0, 0.0, 4.0),
                   ("loss", 2, 1.0, 4.0, 5.0), ("heat", 2, 1.5, 5.0, 6.5)]
    assert s.data_range() == (-0.5, 2.5, 0.0, 6.5)


def test_flows_fit_inside_their_stocks():
    s = Sankey(*FLOWS)
    by_cat = {}
    for st in s.stocks:
        by_cat.setdefault(st["category"], []).append(st)
    for sc, y0, rc, y1, v, _ in s._bands:
        assert any(st["y_min"] <= y0 and y0 + v <= st["y_max"] for st in by_cat[sc])
        assert any(st["y_min"] <= y1 and y1 + v <= st["y_max"] for st in by_cat[rc])


def test_flow_objects_list_and_groups():
    a = Sankey([Flow(*f) for f in FLOWS])
    b = Sankey(*FLOWS)
    assert a.stocks == b.stocks
    labels, thumbs = a.thumbnailers()
    assert labels == ["direct"] and len(thumbs) == 1
    p = Plot()
    p.add(a)
    p.legend.add(labels[0], *thumbs)
    assert b"direct" in p.writer_to(216, 144, "svg")


def test_svg_structure():
    p = Plot()
    p.add(Sankey(*FLOWS))
    svg = p.writer_to(288, 216, "svg").decode()
    assert group_paths(svg, "Sankey0_0") == len(FLOWS)   # one band per flow
    assert group_paths(svg, "Sankey0_1") == 6            # one rectangle per stock
    for label in ("coal", "gas", "power", "homes", "loss", "heat"):
        assert f">{label}<" in svg


def test_png_stock_colours_and_bytes():
    def render():
        p = Plot()
        p.add(Sankey(*FLOWS, colors=["#ff0000", "#0000ff"], flow_alpha=0.2))
        return p.writer_to(288, 216, "png")
    a = render()
    assert a == render()
    px = np.asarray(Image.open(io.BytesIO(a)).convert("RGB")).astype(int)
    red = (px[..., 0] > 230) & (px[..., 1] < 30) & (px[..., 2] < 30)
    blue = (px[..., 2] > 230) & (px[..., 0] < 30) & (px[..., 1] < 30)
    assert red.sum() > 300 and blue.sum() > 300


def test_stock_width_is_in_points():
    def red_columns(width_pt):
        p = Plot()
        p.add(Sankey(("a", 0, "b", 1, 1.0), colors=["#ff0000"], stock_bar_width=width_pt,
                     flow_alpha=0.0))
        px = np.asarray(Image.open(io.BytesIO(p.writer_to(288, 216, "png"))).convert("RGB"))
        red = (px[..., 0] > 200) & (px[..., 1] < 80) & (px[..., 2] < 80)
        return np.flatnonzero(red.any(axis=0)).size
    # two stocks; vg.DPI 96: 1 pt = 4/3 px, give or take an antialiased column a side
    assert abs(red_columns(30) - 2 * 30 * 96 / 72) <= 4
    assert abs(red_columns(12) - 2 * 12 * 96 / 72) <= 4


@pytest.mark.parametrize("args,kw,match", [
    ((), {}, "Sankey: no flows"),
    ((("a", 0, "b"),), {}, "flow 0 must be a Flow or a tuple"),
    ((("a", 0, "b", 1, 0.0),), {}, "flow 0 has value 0.0"),
    ((("a", 0, "b", 1, np.nan),), {}, "flow 0 has value nan"),
    ((("a", 1, "b", 1, 1.0),), {}, "must come after the source category"),
    ((("a", 0, "b", 1, 1.0),), {"stock_bar_width": -1}, "stock_bar_width must not be"),
    ((("a", 0, "b", 1, 1.0),), {"colors": []}, "colors is empty"),
    ((("a", 0, "b", 1, 1.0),), {"flow_alpha": 2}, r"flow_alpha must be in \[0, 1\]"),
], ids=["empty", "short", "zero", "nan", "backwards", "width", "colors", "alpha"])
def test_rejections(args, kw, match):
    with pytest.raises(ValueError, match=match):
        Sankey(*args, **kw)
