"""Type stubs for numkit._kernels._blas (Python-callable BLAS/LAPACK twins)."""

import numpy as np
from numpy.typing import NDArray

_F64 = NDArray[np.float64]

def gemm_into(a: _F64, b: _F64, c: _F64, alpha: float = 1.0, beta: float = 0.0) -> int: ...
def gemv_into(
    a: _F64, x: _F64, y: _F64, alpha: float = 1.0, beta: float = 0.0, trans: bool = False
) -> None: ...
def ger_into(alpha: float, x: _F64, y: _F64, a: _F64) -> None: ...
def syrk_into(
    a: _F64,
    c: _F64,
    alpha: float = 1.0,
    beta: float = 0.0,
    upper: bool = True,
    trans: bool = False,
) -> None: ...
def trsm_into(
    a: _F64,
    b: _F64,
    alpha: float = 1.0,
    left: bool = True,
    upper: bool = True,
    trans: bool = False,
    unit: bool = False,
) -> None: ...
def trmm_into(
    a: _F64,
    b: _F64,
    alpha: float = 1.0,
    left: bool = True,
    upper: bool = True,
    trans: bool = False,
    unit: bool = False,
) -> None: ...
def dot_vec(x: _F64, y: _F64) -> float: ...
def axpy_vec(alpha: float, x: _F64, y: _F64) -> None: ...
def scal_vec(alpha: float, x: _F64) -> None: ...
def nrm2_vec(x: _F64) -> float: ...
def trtri_inplace(a: _F64, upper: bool = True, unit: bool = False) -> int: ...
def singular_values(a: _F64, s: _F64) -> int: ...
def solve_general(a: _F64, b: _F64) -> int: ...
