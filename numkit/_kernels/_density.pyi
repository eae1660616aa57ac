import numpy as np
import numpy.typing as npt

_Real = npt.NDArray[np.float32] | npt.NDArray[np.float64]
_F64 = npt.NDArray[np.float64]
_I64 = npt.NDArray[np.int64]

def bounds2d(x: _Real, y: _Real) -> tuple[float, float, float, float, int]: ...
def count2d(x: _Real, y: _Real, xedges: _F64, yedges: _F64, counts: _I64) -> None: ...
def weight2d(
    x: _Real, y: _Real, w: _Real, xedges: _F64, yedges: _F64, sums: _F64
) -> None: ...
