"""The plotter protocol, the data containers and input validation.

Protocol (gonum/plot's ``Plotter``, ``DataRanger`` and ``Thumbnailer``)
----------------------------------------------------------------------
A plotter is any object with

``plot(self, ax, p) -> None``
    Draw into the matplotlib ``Axes`` `ax` for the :class:`~numkit.plot.Plot` `p`.
    Draw in data coordinates (``ax.transData``): the Plot has already set the
    axes' scales and limits before any plotter draws. Lengths (line widths, glyph
    radii, bar widths) are points, as in gonum/plot. The Plot clips, tags and
    excludes from layout whatever artists the call adds, so a plotter only draws.
``data_range(self) -> (xmin, xmax, ymin, ymax) | None``
    The extent of the data, finite, used by ``Plot.add`` for auto-ranging;
    ``None`` for plotters without data (``Grid``).

and optionally

``thumbnail(self, ax, x, y, w, h) -> list[Artist]``
    New, unattached artists drawing a legend swatch inside the box whose lower
    left corner is (`x`, `y`) and whose size is `w` × `h`, in points. The legend
    sets their transform and adds them; `ax` is the axes the plot is drawn in.
``glyph_boxes(self, p) -> list``
    Reserved for gonum's ``GlyphBoxer``; the Plot pads its axes by
    ``Axis.padding`` instead, so no plotter needs it today.

:class:`Plotter` is a convenient base with these defaults and helpers.

Containers and validation
-------------------------
:class:`XYs` (x, y pairs), :class:`XYZs` (x, y, z triples) and :class:`Values`
(one column) copy their input into read-only float64 arrays and reject NaN/inf
with a ``ValueError`` that names the plotter and the index — gonum/plot's choice
(``plotter.ErrNaN`` / ``ErrInfinity``), made once for every plotter.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

from numkit.plot import draw

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes

__all__ = [
    "DataRange",
    "Plotter",
    "PlotterProtocol",
    "Thumbnailer",
    "Values",
    "XYZs",
    "XYs",
    "as_float_array",
    "as_values",
    "as_xys",
    "check_finite",
    "line_style_or_default",
    "union_range",
]

DataRange = tuple[float, float, float, float]


@runtime_checkable
class PlotterProtocol(Protocol):
    """What ``Plot.add`` accepts (gonum's ``plot.Plotter``)."""

    def plot(self, ax: Axes, p: Any) -> None: ...


@runtime_checkable
class Thumbnailer(Protocol):
    """What ``Legend.add`` accepts (gonum's ``plot.Thumbnailer``)."""

    def thumbnail(self, ax: Axes, x: float, y: float, w: float, h: float) -> list[Artist]: ...


class Plotter:
    """Base class for plotters: the protocol's defaults and shared helpers."""

    def plot(self, ax: Axes, p: Any) -> None:  # pragma: no cover - abstract
        raise NotImplementedError(f"{type(self).__name__}.plot is not implemented")

    def data_range(self) -> DataRange | None:
        """Return ``(xmin, xmax, ymin, ymax)`` of the data, or None without data."""
        return None

    @property
    def _name(self) -> str:
        return type(self).__name__


# --------------------------------------------------------------------------------------
# validation


def as_float_array(data: Any, owner: str, what: str) -> np.ndarray:
    """Return `data` as a float64 ndarray or raise ``ValueError`` naming `owner`.

    Examples
    --------
    >>> as_float_array([1, 2], "Line", "x").dtype
    dtype('float64')
    """
    try:
        a = np.asarray(data)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{owner}: {what} is not numeric ({exc})") from None
    if a.dtype.kind == "c":
        raise ValueError(f"{owner}: {what} is complex; plot its real or imaginary part")
    if a.dtype.kind not in "biuf":
        raise ValueError(f"{owner}: {what} must be numeric; got dtype {a.dtype}")
    return np.asarray(a, dtype=np.float64)


def check_finite(a: np.ndarray, owner: str, what: str) -> None:
    """Raise ``ValueError`` naming `owner`, `what` and the first non-finite index.

    Examples
    --------
    >>> check_finite(np.array([1.0, np.nan]), "Scatter", "y")
    Traceback (most recent call last):
    ...
    ValueError: Scatter: y[1] is nan; NaN and infinite values cannot be plotted (remove them first)
    """
    if a.size and not np.isfinite(a).all():
        bad = np.flatnonzero(~np.isfinite(a.reshape(-1)))[0]
        idx = np.unravel_index(bad, a.shape)
        where = ", ".join(str(int(i)) for i in idx)
        raise ValueError(
            f"{owner}: {what}[{where}] is {a.reshape(-1)[bad]}; NaN and infinite values "
            f"cannot be plotted (remove them first)"
        )


def _readonly(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


def union_range(ranges: Sequence[DataRange | None]) -> DataRange | None:
    """Return the smallest range covering all non-None `ranges`, or None."""
    rs = [r for r in ranges if r is not None]
    if not rs:
        return None
    arr = np.asarray(rs, dtype=np.float64)
    return (float(arr[:, 0].min()), float(arr[:, 1].max()),
            float(arr[:, 2].min()), float(arr[:, 3].max()))


# --------------------------------------------------------------------------------------
# containers


class XYs:
    """x, y pairs (gonum's ``plotter.XYs``), copied and checked once.

    Parameters
    ----------
    x : array_like
        An (n, 2) array, a list of (x, y) pairs, another ``XYs``, or the x values
        when `y` is given.
    y : array_like, optional
        The y values, of the same length as `x`.
    owner : str, default "XYs"
        Name used in error messages (the plotter being built).

    Raises
    ------
    ValueError
        If the data are empty, not numeric, of the wrong shape, of mismatched
        lengths, or contain NaN/inf (the message names `owner` and the index).

    Examples
    --------
    >>> xy = XYs([[0, 1], [2, 3]])
    >>> len(xy), xy.x.tolist(), xy.y.tolist()
    (2, [0.0, 2.0], [1.0, 3.0])
    >>> XYs([1, 2, 3], [4, 5]).x
    Traceback (most recent call last):
    ...
    ValueError: XYs: x has 3 values but y has 2
    """

    __slots__ = ("_xy",)
    _columns = 2
    _names = ("x", "y")

    def __init__(self, x: Any, y: Any = None, *, owner: str | None = None) -> None:
        owner = owner or type(self).__name__
        self._xy = _columns(self, x, y, owner)

    @property
    def xy(self) -> np.ndarray:
        """The data as a read-only (n, k) float64 array."""
        return self._xy

    @property
    def x(self) -> np.ndarray:
        """The x column (read-only view)."""
        return self._xy[:, 0]

    @property
    def y(self) -> np.ndarray:
        """The y column (read-only view)."""
        return self._xy[:, 1]

    def __len__(self) -> int:
        return self._xy.shape[0]

    def __getitem__(self, i: int) -> tuple[float, ...]:
        return tuple(float(v) for v in self._xy[i])

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        a = self._xy if dtype is None else self._xy.astype(dtype)
        return a.copy() if copy else a

    def __repr__(self) -> str:
        return f"{type(self).__name__}(n={len(self)})"

    def data_range(self) -> DataRange:
        """``(xmin, xmax, ymin, ymax)`` of the points (gonum's ``plotter.XYRange``)."""
        return (float(self.x.min()), float(self.x.max()),
                float(self.y.min()), float(self.y.max()))


class XYZs(XYs):
    """x, y, z triples (gonum's ``plotter.XYZs``); an (n, 3) array or three columns.

    Examples
    --------
    >>> XYZs([[0, 1, 2]]).z.tolist()
    [2.0]
    """

    __slots__ = ()
    _columns = 3
    _names = ("x", "y", "z")

    def __init__(self, x: Any, y: Any = None, z: Any = None, *, owner: str | None = None) -> None:
        owner = owner or type(self).__name__
        self._xy = _columns(self, x, None if y is None else (y, z), owner)

    @property
    def z(self) -> np.ndarray:
        """The z column (read-only view)."""
        return self._xy[:, 2]


class Values:
    """One column of values (gonum's ``plotter.Values``).

    Examples
    --------
    >>> Values([3, 1, 2]).values.tolist()
    [3.0, 1.0, 2.0]
    >>> Values([])
    Traceback (most recent call last):
    ...
    ValueError: Values: no data points
    """

    __slots__ = ("_v",)

    def __init__(self, values: Any, *, owner: str | None = None) -> None:
        owner = owner or type(self).__name__
        if isinstance(values, Values):
            self._v = values._v
            return
        v = as_float_array(values, owner, "values")
        if v.ndim != 1:
            raise ValueError(f"{owner}: values must be 1-D; got shape {v.shape}")
        if v.size == 0:
            raise ValueError(f"{owner}: no data points")
        check_finite(v, owner, "values")
        self._v = _readonly(np.array(v, copy=True))

    @property
    def values(self) -> np.ndarray:
        """The values (read-only)."""
        return self._v

    def __len__(self) -> int:
        return self._v.shape[0]

    def __getitem__(self, i: int) -> float:
        return float(self._v[i])

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        a = self._v if dtype is None else self._v.astype(dtype)
        return a.copy() if copy else a

    def __repr__(self) -> str:
        return f"Values(n={len(self)})"


def _columns(obj: XYs, first: Any, rest: Any, owner: str) -> np.ndarray:
    k, names = obj._columns, obj._names
    if rest is None:
        if isinstance(first, XYs):
            if first._xy.shape[1] < k:
                raise ValueError(f"{owner}: need {k} columns ({', '.join(names)}); "
                                 f"got {type(first).__name__}")
            return first._xy[:, :k] if first._xy.shape[1] != k else first._xy
        a = as_float_array(first, owner, "data")
        if a.ndim != 2 or a.shape[1] != k:
            raise ValueError(
                f"{owner}: data must be an (n, {k}) array of ({', '.join(names)}) rows "
                f"or {k} 1-D arrays; got shape {a.shape}"
            )
        if a.shape[0] == 0:
            raise ValueError(f"{owner}: no data points")
        check_finite(a, owner, "data")
        a = np.array(a, dtype=np.float64, order="C", copy=True)
        return _readonly(a)
    parts = (first, rest) if k == 2 else (first, *rest)
    cols = []
    for name, part in zip(names, parts, strict=True):
        if part is None:
            raise ValueError(f"{owner}: {name} is missing")
        c = as_float_array(part, owner, name)
        if c.ndim != 1:
            raise ValueError(f"{owner}: {name} must be 1-D; got shape {c.shape}")
        cols.append(c)
    for name, c in zip(names[1:], cols[1:], strict=True):
        if c.shape[0] != cols[0].shape[0]:
            raise ValueError(
                f"{owner}: x has {cols[0].shape[0]} values but {name} has {c.shape[0]}"
            )
    if cols[0].shape[0] == 0:
        raise ValueError(f"{owner}: no data points")
    for name, c in zip(names, cols, strict=True):
        check_finite(c, owner, name)
    return _readonly(np.column_stack(cols))


def as_xys(data: Any, owner: str, y: Any = None) -> XYs:
    """Return `data` (or `data`, `y`) as validated :class:`XYs` naming `owner` in errors."""
    if y is None and isinstance(data, XYs):
        return data if type(data) is XYs else XYs(data, owner=owner)
    return XYs(data, y, owner=owner)


def as_values(data: Any, owner: str) -> Values:
    """Return `data` as validated :class:`Values` naming `owner` in errors."""
    return data if isinstance(data, Values) else Values(data, owner=owner)


def line_style_or_default(style: draw.LineStyle | None) -> draw.LineStyle:
    """A fresh default line style when `style` is None (so instances never share one)."""
    return draw.LineStyle() if style is None else style
