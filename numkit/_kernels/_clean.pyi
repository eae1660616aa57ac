"""Stubs for numkit._kernels._clean (see the .pyx for the algorithms); ``data`` is a
C-contiguous ``(n, p)`` array, one row per observation."""

import numpy as np
from numpy.typing import NDArray

def missing_scan(
    data: NDArray[np.float64], row_missing: NDArray[np.uint8], counts: NDArray[np.int64]
) -> None: ...
def fill_missing(data: NDArray[np.float64], values: NDArray[np.float64]) -> None: ...
def zscore_mask(
    data: NDArray[np.float64],
    mean: NDArray[np.float64],
    std: NDArray[np.float64],
    k: float,
    row_outlier: NDArray[np.uint8],
    counts: NDArray[np.int64],
) -> None: ...
def range_mask(
    data: NDArray[np.float64],
    low: NDArray[np.float64],
    high: NDArray[np.float64],
    row_outlier: NDArray[np.uint8],
    counts: NDArray[np.int64],
) -> None: ...
def compact_rows(
    data: NDArray[np.float64], keep: NDArray[np.uint8], out: NDArray[np.float64]
) -> None: ...
def columns_into(data: NDArray[np.float64], first: int, out: NDArray[np.float64]) -> None: ...
