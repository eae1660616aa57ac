"""What every matrix type shares: conversion of operands, receiver checks, overlap
tests and the error messages' voice. Private to numkit.mat."""

from __future__ import annotations

import numpy as np

from numkit._kernels._memory import overlap
from numkit.errors import AliasingError, ShapeError

__all__ = [
    "Matrix",
    "alias_guard",
    "as_matrix",
    "as_vector",
    "blas_ready",
    "check_no_overlap",
    "check_square",
    "dims_str",
    "overlap",
    "really_shares",
]

_FLOAT = np.float64


def dims_str(shape) -> str:
    """``(3, 4)`` -> ``"3×4"``; ``(5,)`` -> ``"length 5"``."""
    if len(shape) == 1:
        return f"length {shape[0]}"
    return "×".join(str(s) for s in shape)


class Matrix:
    """Base of numkit's matrix types: numpy interop, shape, printing.

    A subclass keeps its elements in ``self._a``, a 2-D float64 ndarray (usually a
    view into shared storage), or overrides :meth:`_view`.
    """

    __slots__ = ()
    # Make numpy defer mixed binary operations (ndarray + Dense) to numkit's
    # operators; pass np.asarray(m) to ufuncs.
    __array_ufunc__ = None
    __array_priority__ = 10.0

    def _view(self) -> np.ndarray:
        return self._a

    def __array__(self, dtype=None, copy=None):
        a = self._view()
        if copy:
            a = a.copy()
        if dtype is not None and np.dtype(dtype) != a.dtype:
            if copy is False:
                raise ValueError("cannot convert without a copy")
            a = a.astype(dtype)
        return a

    @property
    def shape(self) -> tuple[int, int]:
        """``(rows, cols)`` as numpy spells it."""
        return self._view().shape

    def dims(self) -> tuple[int, int]:
        """``(rows, cols)`` (Gonum's ``Dims``)."""
        return self._view().shape

    def at(self, i: int, j: int) -> float:
        """The element at row ``i``, column ``j``; IndexError when out of range."""
        a = self._view()
        r, c = a.shape
        if not (0 <= i < r and 0 <= j < c):
            raise IndexError(
                f"at: index ({i}, {j}) out of range for a {dims_str(a.shape)} matrix"
            )
        return float(a[i, j])

    def __repr__(self) -> str:
        return f"{type(self).__name__}({dims_str(self.shape)})"

    def __str__(self) -> str:
        from numkit.mat._format import formatted

        return formatted(self)


def as_matrix(x, op: str, name: str) -> np.ndarray:
    """Return ``x`` as a 2-D float64 ndarray, sharing memory whenever possible.

    numkit matrices give their storage; other array-likes go through
    ``numpy.asarray``. A 1-D input is a column vector (Gonum's VecDense is n×1).
    """
    if isinstance(x, Matrix):
        a = x._view()
        if a.ndim == 1:
            a = a[:, None]
        return a
    try:
        a = np.asarray(x, dtype=_FLOAT)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"{op}: {name} must be a real matrix (a numkit matrix or an array-like of "
            f"numbers); got {type(x).__name__}: {exc}"
        ) from None
    if a.ndim == 1:
        return a[:, None]
    if a.ndim != 2:
        raise ShapeError(f"{op}: {name} must be 2-D; got an array of shape {a.shape}")
    return a


def as_vector(x, op: str, name: str) -> np.ndarray:
    """Return ``x`` as a 1-D float64 ndarray (an n×1 or 1×n matrix is accepted)."""
    if isinstance(x, Matrix):
        a = x._view()
    else:
        try:
            a = np.asarray(x, dtype=_FLOAT)
        except (TypeError, ValueError) as exc:
            raise TypeError(
                f"{op}: {name} must be a real vector; got {type(x).__name__}: {exc}"
            ) from None
    if a.ndim == 2 and (a.shape[1] == 1 or a.shape[0] == 1):
        return a[:, 0] if a.shape[1] == 1 else a[0]
    if a.ndim != 1:
        raise ShapeError(
            f"{op}: {name} must be a vector; got shape {dims_str(a.shape)}"
        )
    return a


def blas_ready(a: np.ndarray) -> np.ndarray:
    """``a`` itself when BLAS can read it (one unit stride, non-negative strides);
    otherwise a C-contiguous copy."""
    s0, s1 = a.strides
    r, c = a.shape
    if (s1 == 8 or c <= 1) and s0 >= 8 * c and s0 % 8 == 0:
        return a
    if (s0 == 8 or r <= 1) and s1 >= 8 * r and s1 % 8 == 0:
        return a
    return np.ascontiguousarray(a)


def really_shares(x: np.ndarray, y: np.ndarray) -> bool:
    """Whether x and y share an element. Extents that meet may still be disjoint
    (``a[:, ::2]`` and ``a[:, 1::2]``); numpy decides exactly for small problems and
    sharing is assumed otherwise."""
    try:
        return bool(np.shares_memory(x, y, max_work=100_000))
    except np.exceptions.TooHardError:
        return True


def alias_guard(op: str, dst: np.ndarray, *operands: np.ndarray) -> None:
    """Allow ``dst`` to *be* an operand (the same view: elementwise work in place is
    safe); refuse any other sharing of memory (Gonum's ``checkOverlap``)."""
    for x in operands:
        if overlap(dst, x) == 2 and really_shares(dst, x):
            raise AliasingError(
                f"{op}: the receiver partially overlaps an operand (e.g. a shifted or "
                f"transposed view of the same storage); use a separate receiver "
                f"(Gonum: mat: aliasing)"
            )


def check_no_overlap(op: str, dst: np.ndarray, *operands: np.ndarray) -> None:
    """Raise AliasingError when ``dst`` shares any element with an operand (for
    operations that read an operand after writing part of the result)."""
    for x in operands:
        if overlap(dst, x) and really_shares(dst, x):
            raise AliasingError(
                f"{op}: the receiver shares memory with an operand; use a separate "
                f"receiver (Gonum: mat: aliasing)"
            )


def check_square(op: str, name: str, a: np.ndarray, what: str) -> None:
    """Raise ShapeError unless ``a`` is square; ``what`` says why it must be."""
    if a.shape[0] != a.shape[1]:
        raise ShapeError(f"{op}: {name} must be square ({what}); got {dims_str(a.shape)}")
