"""Stubs for numkit._kernels._regression (see the .pyx for the algorithm)."""

import numpy as np
from numpy.typing import NDArray

_F64 = NDArray[np.float64]

def has_fma_path() -> bool: ...
def augmented_residuals(
    x: _F64, y: _F64, b: _F64, r: _F64, intercept: bool, f: _F64, g: _F64, fma: bool = True
) -> None: ...
def scaled_design(x: _F64, scale: _F64, intercept: bool, a: _F64) -> None: ...
