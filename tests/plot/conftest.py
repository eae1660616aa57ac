"""Helpers for checking rendered plots without stored images.

SVG output (``svg.fonttype`` "none") keeps text as ``<text>`` elements and gives
each plotter's artists a group ``<g id="{Plotter}{index}_{artist}">``, so tests count
elements per plotter and read titles, labels and legend entries. PNG output is
checked through pixel statistics.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image

SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


class SvgTools:
    """Parsing helpers, exposed to tests through the ``svg`` fixture."""

    @staticmethod
    def render(p, width=300.0, height=200.0) -> ET.Element:
        return ET.fromstring(p.writer_to(width, height, "svg"))

    @staticmethod
    def texts(root: ET.Element) -> list[str]:
        return [t.text or "" for t in root.iter(SVG + "text")]

    @staticmethod
    def groups(root: ET.Element, prefix: str) -> list[ET.Element]:
        """Groups whose id starts with `prefix` (e.g. "Scatter0_")."""
        return [g for g in root.iter(SVG + "g") if g.get("id", "").startswith(prefix)]

    @staticmethod
    def count(elem: ET.Element, tag: str) -> int:
        return sum(1 for _ in elem.iter(SVG + tag))

    @staticmethod
    def count_in(root: ET.Element, prefix: str, tag: str) -> int:
        return sum(SvgTools.count(g, tag) for g in SvgTools.groups(root, prefix))

    @staticmethod
    def path_vertices(path: ET.Element) -> int:
        """Number of M/L commands in a path's ``d`` (matplotlib writes one per vertex)."""
        return sum(1 for tok in path.get("d", "").split() if tok in ("M", "L"))


class PngTools:
    """Pixel statistics, exposed through the ``png`` fixture."""

    @staticmethod
    def pixels(data: bytes) -> np.ndarray:
        return np.asarray(Image.open(io.BytesIO(data)).convert("RGBA"))

    @staticmethod
    def render(p, width=300.0, height=200.0) -> np.ndarray:
        return PngTools.pixels(p.writer_to(width, height, "png"))

    @staticmethod
    def fraction_near(px: np.ndarray, rgb: tuple[int, int, int], tol: int = 40) -> float:
        """Fraction of pixels within `tol` (per channel) of `rgb`."""
        d = np.abs(px[..., :3].astype(int) - np.array(rgb)).max(axis=-1)
        return float((d <= tol).mean())


@pytest.fixture(scope="session")
def svg() -> type[SvgTools]:
    return SvgTools


@pytest.fixture(scope="session")
def png() -> type[PngTools]:
    return PngTools
