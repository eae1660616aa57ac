"""Lengths and colours, after gonum/plot's ``vg`` package.

Lengths are plain floats in PostScript points, so ``4 * vg.INCH`` is 288.0 and
matplotlib, whose line widths, marker sizes and font sizes are also points, takes
them unchanged. Colours are RGBA tuples of floats in [0, 1]: the form matplotlib
takes everywhere. :func:`rgba` accepts anything matplotlib understands
(``"tab:blue"``, ``"#1f77b4"``, ``(0.1, 0.2, 0.3)``) and 8-bit integer tuples as
Go's ``color.RGBA`` spells them, through :func:`rgb8`.

Examples
--------
>>> from numkit.plot import vg
>>> 4 * vg.INCH
288.0
>>> vg.rgb8(255, 0, 0)
(1.0, 0.0, 0.0, 1.0)
>>> vg.rgba("white")
(1.0, 1.0, 1.0, 1.0)
"""

from __future__ import annotations

from typing import Any

from matplotlib import colors as _mcolors

__all__ = [
    "BLACK",
    "CENTIMETER",
    "DPI",
    "INCH",
    "MILLIMETER",
    "POINT",
    "TRANSPARENT",
    "WHITE",
    "Color",
    "Length",
    "check_length",
    "rgb8",
    "rgba",
]

Length = float
Color = tuple[float, float, float, float]

#: One PostScript point, 1/72 inch (gonum's ``vg.Points(1)``).
POINT: Length = 1.0
#: One inch, 72 points (gonum's ``vg.Inch``).
INCH: Length = 72.0
#: One centimetre (gonum's ``vg.Centimeter``).
CENTIMETER: Length = INCH / 2.54
#: One millimetre (gonum's ``vg.Millimeter``).
MILLIMETER: Length = CENTIMETER / 10.0
#: Dots per inch of raster output; 96 is gonum/plot's ``vgimg.DefaultDPI``.
DPI: float = 96.0

BLACK: Color = (0.0, 0.0, 0.0, 1.0)
WHITE: Color = (1.0, 1.0, 1.0, 1.0)
TRANSPARENT: Color = (0.0, 0.0, 0.0, 0.0)


def rgba(color: Any, alpha: float | None = None) -> Color:
    """Return `color` as an RGBA tuple of floats in [0, 1].

    Parameters
    ----------
    color : matplotlib colour specification or None
        A name, hex string, or 3-/4-tuple of floats in [0, 1]; ``None`` means
        transparent.
    alpha : float, optional
        Replaces the colour's alpha when given.

    Returns
    -------
    tuple of 4 floats

    Raises
    ------
    ValueError
        If `color` is not a colour.

    Examples
    --------
    >>> rgba("#ff0000", alpha=0.5)
    (1.0, 0.0, 0.0, 0.5)
    """
    if color is None:
        return TRANSPARENT
    try:
        r, g, b, a = _mcolors.to_rgba(color)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"vg.rgba: {color!r} is not a colour ({exc})") from None
    if alpha is not None:
        if not 0.0 <= alpha <= 1.0:
            raise ValueError(f"vg.rgba: alpha must be in [0, 1]; got {alpha!r}")
        a = float(alpha)
    return (float(r), float(g), float(b), float(a))


def rgb8(r: int, g: int, b: int, a: int = 255) -> Color:
    """Return the colour with 8-bit channels `r`, `g`, `b`, `a` (Go's ``color.RGBA``).

    Raises
    ------
    ValueError
        If a channel is outside 0..255.

    Examples
    --------
    >>> rgb8(0, 0, 255, 0)
    (0.0, 0.0, 1.0, 0.0)
    """
    channels = (r, g, b, a)
    if any(not 0 <= c <= 255 for c in channels):
        raise ValueError(f"vg.rgb8: channels must be in 0..255; got {channels}")
    return tuple(c / 255.0 for c in channels)  # type: ignore[return-value]


def check_length(value: float, name: str, owner: str, *, positive: bool = False) -> float:
    """Return `value` as a float length, or raise naming `owner` and `name`.

    Lengths must be finite and non-negative (strictly positive with `positive`).

    Examples
    --------
    >>> check_length(2 * INCH, "width", "Plot.save", positive=True)
    144.0
    """
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{owner}: {name} must be a length in points; got {value!r}") from None
    if v != v or v in (float("inf"), float("-inf")):
        raise ValueError(f"{owner}: {name} must be finite; got {v}")
    if positive and v <= 0.0:
        raise ValueError(f"{owner}: {name} must be positive; got {v}")
    if v < 0.0:
        raise ValueError(f"{owner}: {name} must not be negative; got {v}")
    return v
