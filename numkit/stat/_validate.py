"""Input checks shared by every statistic: data, weights, nan_policy, empty input.

Validation happens here, once, at the public boundary; the kernels trust what they
are given. Messages follow one voice: "The 'weights' parameter of stat.mean must be
a 1-D array of the same length as x (5); got shape (4,)."
"""

from __future__ import annotations

import warnings

import numpy as np

__all__ = [
    "NAN_POLICIES",
    "as_data",
    "as_weights",
    "check_nan_policy",
    "empty_result",
    "raise_on_nan",
]

NAN_POLICIES = ("propagate", "omit", "raise")

# dtypes the kernels read directly; anything else real is converted to float64.
_NATIVE = (np.dtype(np.float64), np.dtype(np.float32))


def as_data(x, op: str, name: str = "x", *, native=_NATIVE) -> np.ndarray:
    """``x`` as a 1-D real ndarray, without a copy when it already is one.

    float64 and float32 arrays pass through (the kernels accumulate float32 in
    float64); integers, booleans and other real dtypes become float64, so sums of
    large integers cannot overflow. Complex, object and string data raise TypeError.
    """
    arr = x if isinstance(x, np.ndarray) else None
    if arr is None:
        try:
            arr = np.asarray(x)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"stat.{op}: {name} must be an array of real numbers; {exc}") from None
    if arr.dtype not in native:
        if arr.dtype.kind not in "biuf":
            raise TypeError(
                f"stat.{op}: {name} must contain real numbers; got dtype {arr.dtype}"
            )
        arr = arr.astype(np.float64)
    if arr.ndim != 1:
        if arr.ndim == 0:
            arr = arr.reshape(1)
        else:
            raise ValueError(
                f"The '{name}' parameter of stat.{op} must be 1-D; got shape {arr.shape}"
            )
    return arr


def as_weights(weights, n: int, op: str, *, native=_NATIVE) -> np.ndarray | None:
    """Validated frequency weights for data of length ``n`` (None stays None).

    Weights must be 1-D, of length ``n``, real, and non-negative; a NaN weight is
    treated like a NaN value under ``nan_policy``. Negative weights raise ValueError
    naming the first offending index.
    """
    if weights is None:
        return None
    w = as_data(weights, op, "weights", native=native)
    if w.shape[0] != n:
        raise ValueError(
            f"The 'weights' parameter of stat.{op} must be a 1-D array of the same "
            f"length as x ({n}); got shape {w.shape}"
        )
    neg = w < 0
    if neg.any():
        i = int(np.argmax(neg))
        raise ValueError(
            f"The 'weights' parameter of stat.{op} must be non-negative; "
            f"weights[{i}] = {float(w[i])!r}"
        )
    return w


def check_nan_policy(nan_policy: str, op: str) -> None:
    if nan_policy not in NAN_POLICIES:
        raise ValueError(
            f"The 'nan_policy' parameter of stat.{op} must be one of "
            f"{', '.join(map(repr, NAN_POLICIES))}; got {nan_policy!r}"
        )


def raise_on_nan(x: np.ndarray, op: str, name: str = "x") -> None:
    """For ``nan_policy="raise"``: raise ValueError naming the first NaN's index.

    Called only after a kernel has produced NaN, so clean data pay nothing.
    """
    isnan = np.isnan(x)
    if isnan.any():
        i = int(np.argmax(isnan))
        raise ValueError(
            f"stat.{op}: {name}[{i}] is NaN and nan_policy='raise'; clean the data or "
            f"pass nan_policy='omit' to skip NaN values"
        )


def empty_result(op: str, value=np.nan):
    """The documented result for empty input: NaN with a RuntimeWarning, like numpy."""
    warnings.warn(f"stat.{op}: empty input (or every value omitted); returning NaN",
                  RuntimeWarning, stacklevel=3)
    return value
