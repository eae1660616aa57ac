"""Sankey: gonum/plot's multi-stage flow diagram.

Stocks (labelled quantities) stand in columns, one column per category (stage);
flows run from a stock in one category to a stock in a later one as bands whose
thickness is the flowing amount. Stocks are rectangles, flows are bands bounded by
two cubic Bézier curves — drawn with matplotlib patches. (matplotlib's own
``sankey`` module draws a different diagram: one process with in- and out-arrows.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.patches import Rectangle
from matplotlib.path import Path

from numkit.plot import draw, vg
from numkit.plot.plotter._bars import span

__all__ = ["Flow", "Sankey"]

# gonum/plotutil.SoftColors, the colour of stock i (and of the flows leaving it).
_SOFT = [vg.rgb8(241, 90, 96), vg.rgb8(122, 195, 106), vg.rgb8(90, 155, 212),
         vg.rgb8(250, 167, 91), vg.rgb8(158, 103, 171), vg.rgb8(206, 112, 88),
         vg.rgb8(215, 127, 180)]


@dataclass(frozen=True)
class Flow:
    """An amount moving from one stock to another (gonum's ``plotter.Flow``).

    Parameters
    ----------
    source_label : str
    source_category : int
        The column of the source stock.
    receptor_label : str
    receptor_category : int
        The column of the receiving stock; greater than `source_category`.
    value : float
        The amount, finite and > 0.
    group : str
        Flows of one group share a colour and a legend entry; "" colours a flow by
        its source stock.
    """

    source_label: str
    source_category: int
    receptor_label: str
    receptor_category: int
    value: float
    group: str = ""


class _Bands(PolyCollection):
    """Stocks and flows whose outlines depend on a width in points: built at draw time."""

    def __init__(self, build: Any, **kwargs: Any) -> None:
        super().__init__([], **kwargs)
        self._build = build

    def draw(self, renderer: Any) -> None:
        verts, codes = self._build()
        self.set_verts_and_codes(verts, codes)
        super().draw(renderer)


class Sankey:
    """A flow diagram of stocks in categories linked by flows (gonum's ``Sankey``).

    Parameters
    ----------
    *flows : Flow or tuple
        ``Flow`` objects or tuples ``(source_label, source_category, receptor_label,
        receptor_category, value[, group])``.
    stock_bar_width : float
        The width of a stock's rectangle in points (gonum: 15 pt).
    line_style : draw.LineStyle, optional
        Outline of stocks (default 0.5 pt black).
    text_style : draw.TextStyle, optional
        Stock labels (default 10 pt, centred on the stock).
    colors : sequence of colours, optional
        Cycled over the stocks in order of first appearance (default gonum's
        ``plotutil.SoftColors``); groups use it in order of first appearance.
    flow_alpha : float
        Opacity of the flow bands.

    Attributes
    ----------
    stocks : list of dict
        label, category, value, y_min, y_max of each stock: its value is the larger
        of what flows in and what flows out, and the stocks of one category stack
        from y = 0 in order of first appearance.

    Raises
    ------
    ValueError
        No flows, a malformed flow, a non-positive or non-finite value, a receptor
        category not after the source category.

    Examples
    --------
    >>> from numkit.plot.plotter import Sankey
    >>> s = Sankey(("coal", 0, "power", 1, 3.0), ("gas", 0, "power", 1, 2.0),
    ...            ("power", 1, "homes", 2, 4.0))
    >>> [(st["label"], st["value"]) for st in s.stocks]
    [('coal', 3.0), ('gas', 2.0), ('power', 5.0), ('homes', 4.0)]
    >>> s.data_range()
    (-0.5, 2.5, 0.0, 5.0)
    """

    def __init__(self, *flows: Any, stock_bar_width: float = 15.0,
                 line_style: draw.LineStyle | None = None,
                 text_style: draw.TextStyle | None = None, colors: Any = None,
                 flow_alpha: float = 0.5) -> None:
        name = "Sankey"
        if len(flows) == 1 and isinstance(flows[0], list):
            flows = tuple(flows[0])
        if not flows:
            raise ValueError(f"{name}: no flows; give at least one Flow")
        self.flows = [self._flow(f, i, name) for i, f in enumerate(flows)]
        self.stock_bar_width = vg.check_length(stock_bar_width, "stock_bar_width", name)
        self.line_style = (draw.LineStyle(width=0.5) if line_style is None else line_style)
        self.text_style = draw.TextStyle(size=10) if text_style is None else text_style
        self.colors = [vg.rgba(c) for c in (_SOFT if colors is None else colors)]
        if not self.colors:
            raise ValueError(f"{name}: colors is empty")
        if not 0.0 <= float(flow_alpha) <= 1.0:
            raise ValueError(f"{name}: flow_alpha must be in [0, 1]; got {flow_alpha!r}")
        self.flow_alpha = float(flow_alpha)
        self._layout()

    @staticmethod
    def _flow(f: Any, i: int, name: str) -> Flow:
        if not isinstance(f, Flow):
            try:
                f = Flow(*f)
            except TypeError:
                raise ValueError(f"{name}: flow {i} must be a Flow or a tuple (source_label, "
                                 f"source_category, receptor_label, receptor_category, "
                                 f"value[, group]); got {f!r}") from None
        v = float(f.value)
        if not (np.isfinite(v) and v > 0):
            raise ValueError(f"{name}: flow {i} has value {f.value!r}; values must be "
                             f"finite and > 0")
        sc, rc = int(f.source_category), int(f.receptor_category)
        if rc <= sc:
            raise ValueError(f"{name}: flow {i} runs from category {sc} to {rc}; the "
                             f"receptor category must come after the source category")
        return Flow(str(f.source_label), sc, str(f.receptor_label), rc, v, str(f.group))

    def _layout(self) -> None:
        index: dict[tuple[str, int], int] = {}
        stocks: list[dict[str, Any]] = []
        for f in self.flows:
            for key in ((f.source_label, f.source_category),
                        (f.receptor_label, f.receptor_category)):
                if key not in index:
                    index[key] = len(stocks)
                    stocks.append({"label": key[0], "category": key[1], "in": 0.0,
                                   "out": 0.0})
            stocks[index[f.source_label, f.source_category]]["out"] += f.value
            stocks[index[f.receptor_label, f.receptor_category]]["in"] += f.value
        # by category, then first appearance (a stable sort)
        stocks.sort(key=lambda st: st["category"])
        index = {(st["label"], st["category"]): i for i, st in enumerate(stocks)}
        tops: dict[int, float] = {}
        for st in stocks:
            st["value"] = max(st.pop("in"), st.pop("out"))
            st["y_min"] = tops.get(st["category"], 0.0)
            st["y_max"] = st["y_min"] + st["value"]
            tops[st["category"]] = st["y_max"]
        self.stocks = stocks
        # each flow's band: where it leaves its source and enters its receptor
        out_used = [0.0] * len(stocks)
        in_used = [0.0] * len(stocks)
        groups: dict[str, int] = {}
        self._bands = []
        for f in self.flows:
            s = index[f.source_label, f.source_category]
            r = index[f.receptor_label, f.receptor_category]
            y0 = stocks[s]["y_min"] + out_used[s]
            y1 = stocks[r]["y_min"] + in_used[r]
            out_used[s] += f.value
            in_used[r] += f.value
            if f.group:
                color = self.colors[groups.setdefault(f.group, len(groups)) % len(self.colors)]
            else:
                color = self.colors[s % len(self.colors)]
            self._bands.append((f.source_category, y0, f.receptor_category, y1, f.value,
                                color))
        self.groups = list(groups)

    def data_range(self) -> tuple[float, float, float, float]:
        cats = [st["category"] for st in self.stocks]
        return (min(cats) - 0.5, max(cats) + 0.5, 0.0,
                max(st["y_max"] for st in self.stocks))

    def _stock_polys(self, ax) -> tuple[list, list]:
        cats = np.array([st["category"] for st in self.stocks], dtype=np.float64)
        a, b = span(ax, cats, self.stock_bar_width, "x")
        verts = [np.array([[a[i], st["y_min"]], [b[i], st["y_min"]], [b[i], st["y_max"]],
                           [a[i], st["y_max"]], [a[i], st["y_min"]]])
                 for i, st in enumerate(self.stocks)]
        codes = [[Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY]
                 for _ in verts]
        return verts, codes

    def _band_polys(self, ax) -> tuple[list, list]:
        verts, codes = [], []
        half = self.stock_bar_width / 2.0
        for sc, y0, rc, y1, v, _ in self._bands:
            (_, xs), = np.array(span(ax, [sc], 2 * half, "x")).T
            (xr, _), = np.array(span(ax, [rc], 2 * half, "x")).T
            xm = (xs + xr) / 2.0
            verts.append(np.array([[xs, y0], [xm, y0], [xm, y1], [xr, y1],
                                   [xr, y1 + v], [xm, y1 + v], [xm, y0 + v], [xs, y0 + v],
                                   [xs, y0]]))
            codes.append([Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4, Path.LINETO,
                          Path.CURVE4, Path.CURVE4, Path.CURVE4, Path.CLOSEPOLY])
        return verts, codes

    def plot(self, ax, p: Any = None) -> None:
        lk = self.line_style.mpl_line()
        band_colors = [vg.rgba(c, alpha=self.flow_alpha) for *_, c in self._bands]
        ax.add_collection(_Bands(lambda: self._band_polys(ax), facecolors=band_colors,
                                 edgecolors="none"), autolim=False)
        stock_colors = [self.colors[i % len(self.colors)] for i in range(len(self.stocks))]
        ax.add_collection(_Bands(lambda: self._stock_polys(ax), facecolors=stock_colors,
                                 edgecolors=[lk["color"]], linewidths=lk["linewidth"],
                                 linestyles=lk["linestyle"]), autolim=False)
        text = self.text_style.mpl_text()
        for st in self.stocks:
            ax.text(st["category"], (st["y_min"] + st["y_max"]) / 2.0, st["label"],
                    ha="center", va="center", **text)

    def thumbnailers(self) -> tuple[list[str], list[Any]]:
        """Legend entries, one per flow group (gonum's ``Thumbnailers``)."""
        return list(self.groups), [_GroupSwatch(self.colors[i % len(self.colors)],
                                                self.flow_alpha)
                                   for i in range(len(self.groups))]


class _GroupSwatch:
    def __init__(self, color: Any, alpha: float) -> None:
        self.color, self.alpha = color, alpha

    def thumbnail(self, ax, x: float, y: float, w: float, h: float) -> list:
        return [Rectangle((x, y), w, h, facecolor=vg.rgba(self.color, alpha=self.alpha),
                          edgecolor="none")]
