"""VecDense: a float64 column vector with any stride (Gonum's ``mat.VecDense``)."""

from __future__ import annotations

import numpy as np

from numkit.errors import ShapeError
from numkit.mat._base import Matrix

__all__ = ["VecDense"]


class VecDense(Matrix):
    """A dense float64 column vector (n×1), possibly a strided view into a matrix.

    Parameters
    ----------
    n : int
        Length. ``VecDense()`` is empty and takes the length of the first result
        written into it.
    data : array-like, optional
        ``n`` values. A contiguous float64 ndarray of length ``n`` becomes the
        backing store without a copy; anything else is copied.
    """

    __slots__ = ("_v", "__weakref__")

    def __init__(self, n: int = 0, data=None):
        if n < 0:
            raise ValueError(f"VecDense: n must be non-negative; got {n}")
        if data is None:
            self._v = np.zeros(n)
            return
        if (type(data) is np.ndarray and data.dtype == np.float64 and data.ndim == 1
                and data.flags.c_contiguous and data.size == n):
            self._v = data
            return
        arr = np.array(data, dtype=np.float64).reshape(-1)
        if arr.size != n:
            raise ShapeError(f"VecDense: data has {arr.size} elements but n is {n}")
        self._v = arr

    @classmethod
    def _wrap(cls, view: np.ndarray) -> VecDense:
        """A VecDense over an existing 1-D float64 view (no copy)."""
        v = cls.__new__(cls)
        v._v = view
        return v

    def _view(self) -> np.ndarray:
        return self._v[:, None]

    def __array__(self, dtype=None, copy=None):
        a = self._v
        if copy:
            a = a.copy()
        if dtype is not None and np.dtype(dtype) != a.dtype:
            a = a.astype(dtype)
        return a

    def len(self) -> int:
        """The number of elements."""
        return self._v.shape[0]

    def __len__(self) -> int:
        return self._v.shape[0]
