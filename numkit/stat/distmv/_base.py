"""Input checks shared by numkit.stat.distmv's distributions.

Parameters are validated here, once, in the constructors; the evaluation methods
only check the shape of the points they are given.
"""

from __future__ import annotations

import operator
from typing import Any

import numpy as np
import numpy.typing as npt

from numkit.errors import ShapeError

__all__ = ["RngLike", "as_points", "finite_vector", "generator", "index_list",
           "sample_shape"]

RngLike = np.random.Generator | int | np.random.SeedSequence | None


def generator(rng: RngLike) -> np.random.Generator:
    """A numpy Generator from ``rng`` (a Generator is used as is; never global state)."""
    return rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)


def finite_vector(op: str, name: str, value: npt.ArrayLike) -> np.ndarray:
    """``value`` as a new, non-empty, finite 1-D float64 array (ShapeError or
    ValueError naming ``op`` and ``name`` otherwise)."""
    try:
        v = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{op}: {name} must be a real array-like; got {value!r}") from None
    if v.ndim != 1 or v.size == 0:
        raise ShapeError(f"{op}: {name} must be a non-empty 1-D array; got shape {v.shape}")
    bad = ~np.isfinite(v)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"{op}: {name} must be finite; {name}[{i}] is {float(v[i])!r}")
    v.flags.writeable = False
    return v


def as_points(op: str, x: npt.ArrayLike, dim: int) -> np.ndarray:
    """``x`` as a float64 array whose last axis has length ``dim``: one point of
    shape (dim,) or a stack of points of shape (..., dim)."""
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim == 0 or arr.shape[-1] != dim:
        raise ShapeError(f"{op}: x must have shape ({dim},) or (n, {dim}) for a "
                         f"{dim}-dimensional distribution; got shape {arr.shape}")
    return arr


def sample_shape(size: int | tuple[int, ...] | None, dim: int) -> tuple[int, ...]:
    """The shape of ``rand``'s result: ``size + (dim,)`` (``(dim,)`` for None)."""
    if size is None:
        return (dim,)
    if isinstance(size, (int, np.integer)):
        return (int(size), dim)
    return (*tuple(int(s) for s in size), dim)


def index_list(op: str, name: str, value: Any, dim: int,
               *, allow_all: bool = True) -> np.ndarray:
    """``value`` as a non-empty 1-D array of distinct variable indices in [0, dim)."""
    try:
        idx = np.array([operator.index(v) for v in np.ravel(np.asarray(value))],
                       dtype=np.intp)
    except TypeError:
        raise TypeError(f"{op}: {name} must be a sequence of integer indices; "
                        f"got {value!r}") from None
    if np.ndim(value) != 1 or idx.size == 0:
        raise ValueError(f"{op}: {name} must be a non-empty 1-D sequence of indices; "
                         f"got {value!r}")
    out = (idx < 0) | (idx >= dim)
    if out.any():
        raise IndexError(f"{op}: {name} holds {int(idx[out][0])}, outside [0, {dim}) "
                         f"for a {dim}-dimensional distribution")
    if np.unique(idx).size != idx.size:
        raise ValueError(f"{op}: {name} repeats an index: {idx.tolist()}")
    if not allow_all and idx.size == dim:
        raise ValueError(f"{op}: {name} lists all {dim} variables; at least one must "
                         f"remain unobserved")
    return idx
