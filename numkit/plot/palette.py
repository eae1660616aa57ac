"""Colour palettes (gonum/plot's ``palette``, ``palette/moreland`` and ``palette/brewer``).

A :class:`Palette` is an ordered list of RGBA colours (gonum's ``palette.Palette``);
a :class:`DivergingColorMap` maps values in [min, max] to colours continuously
(gonum's ``palette.ColorMap``) and makes palettes of any length.

- :func:`heat` — red → yellow → white, R's ``heat.colors`` (gonum's ``Heat``).
- :func:`radial` — a diverging palette between two hues through white (gonum's ``Radial``).
- :func:`smooth_blue_red` and friends — Moreland's smooth diverging maps,
  interpolated in his Msh colour space so lightness changes evenly.
- :func:`brewer` — ColorBrewer's qualitative sets (Set1, Set2, Set3, Dark2,
  Paired, Accent, Pastel1, Pastel2).

Examples
--------
>>> from numkit.plot import palette
>>> len(palette.heat(5, 1.0))
5
>>> palette.brewer("Set1", 3)[0]
(0.8941176470588236, 0.10196078431372549, 0.10980392156862745, 1.0)
>>> [round(c, 3) for c in palette.smooth_blue_red().at(0.5)]
[0.865, 0.865, 0.865, 1.0]
"""

from __future__ import annotations

import colorsys
import math
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from numkit.plot import vg

__all__ = [
    "BLUE",
    "BREWER_SETS",
    "CYAN",
    "GREEN",
    "MAGENTA",
    "RED",
    "YELLOW",
    "DivergingColorMap",
    "Palette",
    "brewer",
    "heat",
    "radial",
    "smooth_blue_red",
    "smooth_blue_tan",
    "smooth_green_purple",
    "smooth_green_red",
    "smooth_purple_orange",
]

# gonum's palette.Hue values: fractions of the colour wheel.
RED, YELLOW, GREEN, CYAN, BLUE, MAGENTA = (i / 6 for i in range(6))


class Palette(Sequence[vg.Color]):
    """An ordered list of RGBA colours (gonum's ``palette.Palette``).

    Examples
    --------
    >>> p = Palette(["red", "blue"])
    >>> len(p), p[1]
    (2, (0.0, 0.0, 1.0, 1.0))
    """

    def __init__(self, colors: Sequence[Any]) -> None:
        self._colors = tuple(vg.rgba(c) for c in colors)

    def colors(self) -> list[vg.Color]:
        """The colours, as a new list (gonum's ``Colors()``)."""
        return list(self._colors)

    def __getitem__(self, i: Any) -> Any:
        return self._colors[i]

    def __len__(self) -> int:
        return len(self._colors)

    def __iter__(self) -> Iterator[vg.Color]:
        return iter(self._colors)

    def __repr__(self) -> str:
        return f"Palette(n={len(self)})"

    def to_colormap(self, name: str = "numkit") -> Any:
        """A matplotlib ``ListedColormap`` of these colours."""
        from matplotlib.colors import ListedColormap

        return ListedColormap(np.asarray(self._colors), name=name)


def _check_n(n: int, owner: str) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"palette.{owner}: the number of colours must be an int ≥ 0; got {n!r}")
    return int(n)


def _check_alpha(alpha: float, owner: str) -> float:
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"palette.{owner}: alpha must be in [0, 1]; got {alpha!r}")
    return float(alpha)


def heat(n: int, alpha: float = 1.0) -> Palette:
    """Return `n` colours from red through yellow to white (gonum's ``Heat``).

    The construction of R's ``heat.colors``: the first n − ⌊n/4⌋ colours run in hue
    from red to yellow at full saturation, the last ⌊n/4⌋ are yellow fading towards
    white.

    Raises
    ------
    ValueError
        If `n` is negative or `alpha` outside [0, 1].

    Examples
    --------
    >>> heat(4, 0.5)[0]
    (1.0, 0.0, 0.0, 0.5)
    """
    n = _check_n(n, "heat")
    alpha = _check_alpha(alpha, "heat")
    j = n // 4
    i = n - j
    hsv = [(h, 1.0) for h in np.linspace(0.0, 1 / 6, i)] if i > 1 else [(0.0, 1.0)] * i
    if j:
        hsv += [(1 / 6, s) for s in np.linspace(1 - 1 / (2 * j), 1 / (2 * j), j)]
    return Palette([(*colorsys.hsv_to_rgb(h, s, 1.0), alpha) for h, s in hsv])


def radial(n: int, start: float, end: float, alpha: float = 1.0) -> Palette:
    """Return `n` colours diverging from hue `start` through white to hue `end`.

    gonum's ``Radial``.

    Saturation falls linearly from 1 at the `start` end to 0 in the middle and rises
    to 1 at the `end` end; an odd `n` has white in the middle.

    Parameters
    ----------
    n : int
    start, end : float
        Hues as fractions of the colour wheel (``RED``, ``BLUE``, …).
    alpha : float, default 1

    Examples
    --------
    >>> [tuple(round(c, 2) for c in col) for col in radial(3, BLUE, RED)]
    [(0.0, 0.0, 1.0, 1.0), (1.0, 1.0, 1.0, 1.0), (1.0, 0.0, 0.0, 1.0)]
    """
    n = _check_n(n, "radial")
    alpha = _check_alpha(alpha, "radial")
    for name, h in (("start", start), ("end", end)):
        if not 0.0 <= h <= 1.0:
            raise ValueError(f"palette.radial: {name} hue must be in [0, 1]; got {h!r}")
    t = np.linspace(-1.0, 1.0, n) if n > 1 else np.zeros(n)
    return Palette([(*colorsys.hsv_to_rgb(start if v < 0 else end, abs(v), 1.0), alpha)
                    for v in t])


# --------------------------------------------------------------------------------------
# Moreland's smooth diverging colour maps

_WHITE_D65 = np.array([0.95047, 1.0, 1.08883])
_RGB_TO_XYZ = np.array([[0.4124, 0.3576, 0.1805],
                        [0.2126, 0.7152, 0.0722],
                        [0.0193, 0.1192, 0.9505]])
_XYZ_TO_RGB = np.linalg.inv(_RGB_TO_XYZ)


def _rgb_to_msh(rgb: np.ndarray) -> np.ndarray:
    lin = np.where(rgb > 0.04045, ((rgb + 0.055) / 1.055) ** 2.4, rgb / 12.92)
    xyz = lin @ _RGB_TO_XYZ.T / _WHITE_D65
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    lab = np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]),
                    200 * (f[..., 1] - f[..., 2])], axis=-1)
    m = np.sqrt((lab**2).sum(-1))
    s = np.where(m > 0, np.arccos(np.clip(lab[..., 0] / np.where(m > 0, m, 1), -1, 1)), 0.0)
    h = np.arctan2(lab[..., 2], lab[..., 1])
    return np.stack([m, s, h], axis=-1)


def _msh_to_rgb(msh: np.ndarray) -> np.ndarray:
    m, s, h = msh[..., 0], msh[..., 1], msh[..., 2]
    lab = np.stack([m * np.cos(s), m * np.sin(s) * np.cos(h), m * np.sin(s) * np.sin(h)], -1)
    fy = (lab[..., 0] + 16) / 116
    f = np.stack([fy + lab[..., 1] / 500, fy, fy - lab[..., 2] / 200], axis=-1)
    xyz = np.where(f > 0.206893, f**3, (f - 16 / 116) / 7.787) * _WHITE_D65
    lin = xyz @ _XYZ_TO_RGB.T
    rgb = np.where(lin > 0.0031308, 1.055 * np.abs(lin) ** (1 / 2.4) - 0.055, 12.92 * lin)
    return np.clip(rgb, 0.0, 1.0)


def _adjust_hue(m: float, s: float, h: float, unsat_m: float) -> float:
    if m >= unsat_m:
        return h
    spin = s * math.sqrt(unsat_m**2 - m**2) / (m * math.sin(s))
    return h + spin if h > -math.pi / 3 else h - spin


class DivergingColorMap:
    """Moreland's smooth diverging colour map between two colours (gonum's ``moreland``).

    Parameters
    ----------
    start, end : colour
        The colours at `min` and `max`.
    min, max : float, default 0 and 1
        The value range.
    alpha : float, default 1

    References
    ----------
    K. Moreland, "Diverging Color Maps for Scientific Visualization", ISVC 2009.

    Examples
    --------
    >>> cm = smooth_blue_red()
    >>> cm.at(0.0)[:3] == vg.rgb8(59, 76, 192)[:3]
    True
    """

    def __init__(self, start: Any, end: Any, *, min: float = 0.0, max: float = 1.0,
                 alpha: float = 1.0) -> None:
        if not (math.isfinite(min) and math.isfinite(max)) or not min < max:
            raise ValueError(f"DivergingColorMap: need finite min < max; got [{min}, {max}]")
        self.start = vg.rgba(start)
        self.end = vg.rgba(end)
        self.min = float(min)
        self.max = float(max)
        self.alpha = _check_alpha(alpha, "DivergingColorMap")
        self._msh = _rgb_to_msh(np.array([self.start[:3], self.end[:3]]))

    def _interp(self, t: np.ndarray) -> np.ndarray:
        (m1, s1, h1), (m2, s2, h2) = self._msh.tolist()
        out = np.empty((t.size, 3))
        halves = [(t < 0.5, (m1, s1, h1), None, 2 * t), (t >= 0.5, None, (m2, s2, h2), 2 * t - 1)]
        if not (s1 > 0.05 and s2 > 0.05 and abs(h1 - h2) > math.pi / 3):
            halves = [(np.ones(t.size, bool), (m1, s1, h1), (m2, s2, h2), t)]
        mid = (max(m1, m2, 88.0), 0.0, 0.0)
        for mask, a, b, u in halves:
            a = a or mid
            b = b or mid
            ha, hb = a[2], b[2]
            if a[1] < 0.05 and b[1] > 0.05:
                ha = _adjust_hue(b[0], b[1], b[2], a[0])
            elif b[1] < 0.05 and a[1] > 0.05:
                hb = _adjust_hue(a[0], a[1], a[2], b[0])
            uu = u[mask][:, None]
            out[mask] = (1 - uu) * np.array([a[0], a[1], ha]) + uu * np.array([b[0], b[1], hb])
        return _msh_to_rgb(out)

    def at(self, v: Any) -> Any:
        """Return the colour of value `v` (a tuple), or an (n, 4) array for array input.

        Raises
        ------
        ValueError
            If a value is NaN or outside [min, max] (gonum's ErrUnderflow/ErrOverflow).
        """
        a = np.asarray(v, dtype=np.float64)
        flat = a.reshape(-1)
        bad = ~((flat >= self.min) & (flat <= self.max))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"DivergingColorMap.at: value {flat[i]} is outside [{self.min}, {self.max}]"
            )
        t = (flat - self.min) / (self.max - self.min)
        rgb = self._interp(t)
        # the ends are the given colours exactly, not their round trip through Msh.
        rgb[t == 0.0] = self.start[:3]
        rgb[t == 1.0] = self.end[:3]
        rgba = np.column_stack([rgb, np.full(t.size, self.alpha)])
        if a.ndim == 0:
            return tuple(float(c) for c in rgba[0])
        return rgba.reshape(*a.shape, 4)

    def palette(self, n: int) -> Palette:
        """Return `n` colours evenly spaced over [min, max] (gonum's ``Palette(n)``)."""
        n = _check_n(n, "DivergingColorMap.palette")
        v = np.linspace(self.min, self.max, n) if n > 1 else np.full(n, self.min)
        return Palette([tuple(row) for row in self.at(v).tolist()])


def smooth_blue_red(alpha: float = 1.0) -> DivergingColorMap:
    """Moreland's cool-to-warm blue → red map (gonum's ``moreland.SmoothBlueRed``)."""
    return DivergingColorMap(vg.rgb8(59, 76, 192), vg.rgb8(180, 4, 38), alpha=alpha)


def smooth_purple_orange(alpha: float = 1.0) -> DivergingColorMap:
    """Moreland's purple → orange map (gonum's ``moreland.SmoothPurpleOrange``)."""
    return DivergingColorMap((0.436, 0.308, 0.631), (0.759, 0.334, 0.046), alpha=alpha)


def smooth_green_purple(alpha: float = 1.0) -> DivergingColorMap:
    """Moreland's green → purple map (gonum's ``moreland.SmoothGreenPurple``)."""
    return DivergingColorMap((0.085, 0.532, 0.201), (0.436, 0.308, 0.631), alpha=alpha)


def smooth_blue_tan(alpha: float = 1.0) -> DivergingColorMap:
    """Moreland's blue → tan map (gonum's ``moreland.SmoothBlueTan``)."""
    return DivergingColorMap((0.217, 0.525, 0.910), (0.677, 0.492, 0.093), alpha=alpha)


def smooth_green_red(alpha: float = 1.0) -> DivergingColorMap:
    """Moreland's green → red map (gonum's ``moreland.SmoothGreenRed``)."""
    return DivergingColorMap((0.085, 0.532, 0.201), (0.758, 0.214, 0.233), alpha=alpha)


# --------------------------------------------------------------------------------------
# ColorBrewer qualitative sets (Cynthia Brewer, colorbrewer2.org, Apache-2.0). For
# these sets the n-colour scheme is the first n colours of the largest one.

BREWER_SETS: dict[str, tuple[str, ...]] = {
    "Set1": ("e41a1c 377eb8 4daf4a 984ea3 ff7f00 ffff33 a65628 f781bf 999999").split(),
    "Set2": ("66c2a5 fc8d62 8da0cb e78ac3 a6d854 ffd92f e5c494 b3b3b3").split(),
    "Set3": ("8dd3c7 ffffb3 bebada fb8072 80b1d3 fdb462 b3de69 fccde5 d9d9d9 bc80bd "
             "ccebc5 ffed6f").split(),
    "Dark2": ("1b9e77 d95f02 7570b3 e7298a 66a61e e6ab02 a6761d 666666").split(),
    "Paired": ("a6cee3 1f78b4 b2df8a 33a02c fb9a99 e31a1c fdbf6f ff7f00 cab2d6 6a3d9a "
               "ffff99 b15928").split(),
    "Accent": ("7fc97f beaed4 fdc086 ffff99 386cb0 f0027f bf5b17 666666").split(),
    "Pastel1": ("fbb4ae b3cde3 ccebc5 decbe4 fed9a6 ffffcc e5d8bd fddaec f2f2f2").split(),
    "Pastel2": ("b3e2cd fdcdac cbd5e8 f4cae4 e6f5c9 fff2ae f1e2cc cccccc").split(),
}


def brewer(name: str, n: int, alpha: float = 1.0) -> Palette:
    """Return the `n`-colour ColorBrewer qualitative scheme `name` (gonum's ``brewer``).

    Raises
    ------
    ValueError
        For an unknown scheme (the message lists them) or `n` beyond its size.

    Examples
    --------
    >>> len(brewer("Dark2", 8))
    8
    """
    if name not in BREWER_SETS:
        raise ValueError(f"palette.brewer: scheme {name!r} is unknown; use one of "
                         f"{', '.join(BREWER_SETS)}")
    n = _check_n(n, "brewer")
    colors = BREWER_SETS[name]
    if n > len(colors):
        raise ValueError(f"palette.brewer: {name} has at most {len(colors)} colours; asked for {n}")
    alpha = _check_alpha(alpha, "brewer")
    return Palette([vg.rgba("#" + c, alpha) for c in colors[:n]])
