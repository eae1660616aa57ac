"""Type stubs for numkit._kernels._solve (small solves, LU rank-one update)."""

import numpy as np
from numpy.typing import NDArray

_F64 = NDArray[np.float64]
_I32 = NDArray[np.int32]

def solve_small(a: _F64, b: _F64, x: _F64) -> float: ...
def lu_rank_one(lu: _F64, ipiv: _I32, alpha: float, x: _F64, y: _F64) -> float: ...
