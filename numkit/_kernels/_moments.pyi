"""Stubs for numkit._kernels._moments (see the .pyx for the algorithms)."""

import numpy as np
from numpy.typing import NDArray

_Float = NDArray[np.float64] | NDArray[np.float32]

def moments(
    x: _Float, weights: _Float | None, order: int, omit: bool, shift: float
) -> tuple[float, float, float, float, float, float, float, float, bool]: ...
def merge(
    a: tuple[float, float, float, float, float, float, float],
    b: tuple[float, float, float, float, float, float, float],
) -> tuple[float, float, float, float, float, float, float]: ...
def transformed_sums(
    x: _Float, weights: _Float | None, kind: int, k: float, center: float, omit: bool
) -> tuple[float, float, float]: ...
def lagged_products(x: _Float, lag: int, shift: float, rel: float, omit: bool) -> float: ...
