import numpy as np
import numpy.typing as npt

_Real = npt.NDArray[np.float32] | npt.NDArray[np.float64]
_F64 = npt.NDArray[np.float64]
_Index = npt.NDArray[np.intp]

def scan(x: _Real) -> tuple[float, float, int]: ...
def select_ranks(
    x: _Real, lo: float, hi: float, n_valid: int, ranks: npt.ArrayLike
) -> _F64: ...
def weighted_total(w: _Real, order: _Index, n_valid: int, omit: bool) -> float: ...
def weighted_pick(
    x: _Real,
    w: _Real,
    order: _Index,
    n_valid: int,
    thresholds: _F64,
    strict: bool,
    out: _F64,
) -> None: ...
def histogram_uniform(
    x: _Real,
    w: _Real,
    weighted: bool,
    omit_w: bool,
    edges: _F64,
    counts: _F64,
) -> None: ...
def histogram_dividers(
    x: _Real, w: _Real, weighted: bool, omit_w: bool, dividers: _F64, counts: _F64
) -> tuple[int, int]: ...
def weight_at_or_below(
    x: _Real, w: _Real, weighted: bool, omit_w: bool, q: _F64, out: _F64
) -> int: ...
