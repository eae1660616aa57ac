"""Shared machinery: validating dask input from its metadata, splitting it into blocks,
and combining per-block partials with a deterministic tree of ``dask.delayed`` tasks."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence

import dask
import dask.array as da
import numpy as np

from numkit.dask._detect import is_dask_array

__all__ = [
    "SPLIT_EVERY",
    "as_blocks",
    "as_dask_vector",
    "as_dask_weights",
    "check_nan_policy",
    "compute",
    "empty_result",
    "first_nan",
    "host_array",
    "known_chunks",
    "offsets",
    "raise_nan",
    "raise_negative",
    "tree_reduce",
]

# Partials per combine task: 8 keeps the tree shallow (log8 of the block count) while
# each combine stays cheap (partials are a few floats or a p×p matrix).
SPLIT_EVERY = 8

NAN_POLICIES = ("propagate", "omit", "raise")
_NATIVE = (np.dtype(np.float64), np.dtype(np.float32))


def check_nan_policy(nan_policy: str, op: str) -> None:
    if nan_policy not in NAN_POLICIES:
        raise ValueError(
            f"The 'nan_policy' parameter of stat.{op} must be one of "
            f"{', '.join(map(repr, NAN_POLICIES))}; got {nan_policy!r}")


def known_chunks(a: da.Array, op: str, name: str) -> None:
    if any(math.isnan(c) for c in a.chunks[0]):
        raise ValueError(
            f"stat.{op}: {name} has unknown chunk sizes (e.g. from a dask DataFrame); "
            f"call {name}.compute_chunk_sizes() or to_dask_array(lengths=True) first")


def as_dask_vector(x, op: str, name: str = "x") -> da.Array:
    """``x`` as a 1-D real dask array with known chunk sizes (checked from metadata)."""
    if not is_dask_array(x):
        x = da.asarray(x)
    if x.dtype.kind not in "biuf":
        raise TypeError(f"stat.{op}: {name} must contain real numbers; got dtype {x.dtype}")
    if x.ndim == 0:
        x = x.reshape(1)
    if x.ndim != 1:
        raise ValueError(f"The '{name}' parameter of stat.{op} must be 1-D; got shape {x.shape}")
    known_chunks(x, op, name)
    return x


def as_dask_weights(weights, x: da.Array, op: str) -> da.Array | None:
    """Weights as a 1-D dask array chunked like ``x`` (rechunked if it is not)."""
    if weights is None:
        return None
    w = as_dask_vector(weights, op, "weights")
    if w.shape[0] != x.shape[0]:
        raise ValueError(
            f"The 'weights' parameter of stat.{op} must be a 1-D array of the same "
            f"length as x ({x.shape[0]}); got shape {w.shape}")
    if w.chunks[0] != x.chunks[0]:
        w = w.rechunk((x.chunks[0],))
    return w


def host_array(block: np.ndarray, contiguous: bool = True) -> np.ndarray:
    """One block as a float32/float64 ndarray (other real dtypes → float64), made
    C-contiguous unless ``contiguous`` is False (for a consumer that reads any strides,
    such as the covariance kernels: a Parquet block is Fortran-ordered)."""
    a = np.asarray(block)
    if a.dtype not in _NATIVE:
        a = a.astype(np.float64)
    return np.ascontiguousarray(a) if contiguous else a


def as_blocks(a: da.Array | None, nblocks: int) -> list:
    """The blocks of ``a`` along its first axis as delayed objects (None when absent).

    A 2-D array must have one block of columns (the caller rechunks)."""
    if a is None:
        return [None] * nblocks
    return list(a.to_delayed().ravel())


def offsets(a: da.Array) -> list[int]:
    """The index of each block's first row."""
    return [0, *np.cumsum(a.chunks[0])[:-1].tolist()]


def tree_reduce(parts: Sequence, combine: Callable, split_every: int = SPLIT_EVERY):
    """Combine delayed partials by a tree of ``combine(*partials)`` tasks in block order.

    The grouping depends only on the number of blocks, so a result does not depend on
    the scheduler or the worker count; ``combine`` must not modify its arguments (a
    retried task may see them again)."""
    parts = list(parts)
    while len(parts) > 1:
        parts = [dask.delayed(combine, pure=True)(*parts[i:i + split_every])
                 for i in range(0, len(parts), split_every)]
    return parts[0]


def compute(obj):
    """Run a (small) reduction graph on the current scheduler and return its value."""
    return dask.compute(obj)[0]


def first_nan(x: np.ndarray) -> int:
    """Index of the first NaN in ``x``, or -1."""
    isnan = np.isnan(x)
    return int(np.argmax(isnan)) if isnan.any() else -1


def raise_nan(op: str, name: str, index: int) -> None:
    raise ValueError(
        f"stat.{op}: {name}[{index}] is NaN and nan_policy='raise'; clean the data or "
        f"pass nan_policy='omit' to skip NaN values")


def raise_negative(op: str, w: np.ndarray, offset: int) -> None:
    neg = w < 0
    i = int(np.argmax(neg))
    raise ValueError(
        f"The 'weights' parameter of stat.{op} must be non-negative; "
        f"weights[{offset + i}] = {float(w[i])!r}")


def empty_result(op: str, value=math.nan):
    """NaN with a RuntimeWarning for empty input, as numkit.stat does."""
    warnings.warn(f"stat.{op}: empty input (or every value omitted); returning NaN",
                  RuntimeWarning, stacklevel=3)
    return value
