import numpy as np
from numpy.typing import NDArray

def comoments(
    x: NDArray[np.floating],
    w: NDArray[np.float64] | None,
    shift: NDArray[np.float64],
    mean: NDArray[np.float64],
    c: NDArray[np.float64],
) -> float: ...
def comoments_narrow(
    x: NDArray[np.floating],
    w: NDArray[np.float64] | None,
    shift: NDArray[np.float64],
    mean: NDArray[np.float64],
    c: NDArray[np.float64],
) -> float: ...
def pair_moments(
    x: NDArray[np.float64], y: NDArray[np.float64], w: NDArray[np.float64] | None
) -> tuple[float, float, float, float, float, float]: ...
