import numpy as np
from numpy.typing import NDArray

def kendall_counts(
    xs: NDArray[np.float64], ys: NDArray[np.float64], ws: NDArray[np.float64] | None
) -> tuple[float, float, float, float, float]: ...
def average_ranks(
    v: NDArray[np.float64],
    order: NDArray[np.intp],
    w: NDArray[np.float64] | None,
    out: NDArray[np.float64],
) -> None: ...
