"""DiagDense: a diagonal float64 matrix (Gonum's ``mat.DiagDense``).

Only the n diagonal values are stored, in a 1-D array that may be a strided view
(for instance the diagonal of a Dense), so writes reach whatever owns that memory.
"""

from __future__ import annotations

import numpy as np

from numkit.errors import ShapeError
from numkit.mat._base import Matrix, as_matrix, check_square
from numkit.mat._vector import VecDense

__all__ = ["DiagDense"]


class DiagDense(Matrix):
    """A diagonal float64 matrix storing only its diagonal (Gonum's ``mat.DiagDense``).

    Parameters
    ----------
    n : int
        Rows and columns. ``DiagDense()`` is empty.
    data : array-like, optional
        The ``n`` diagonal values. A C-contiguous 1-D float64 ndarray of length
        ``n`` becomes the backing store without a copy (as Gonum's
        ``NewDiagDense``); anything else is copied. Without data the matrix is zero.

    Notes
    -----
    A diagonal matrix is symmetric and triangular: :meth:`symmetric` gives ``n`` and
    :meth:`triangle` gives ``(n, "upper")`` as Gonum's ``DiagDense.Triangle`` does.

    ``numpy.asarray(d)`` builds a **new** n×n array (the off-diagonal zeros are not
    stored), so writes into it do not reach the DiagDense, and
    ``numpy.asarray(d, copy=False)`` raises ValueError. Use :meth:`diag_view` for a
    view of the stored diagonal.

    Examples
    --------
    >>> import numpy as np
    >>> d = DiagDense(3, [1, 2, 3])
    >>> d.at(1, 1), d.at(1, 2)
    (2.0, 0.0)
    >>> np.asarray(d)
    array([[1., 0., 0.],
           [0., 2., 0.],
           [0., 0., 3.]])
    """

    __slots__ = ("_d", "__weakref__")

    def __init__(self, n: int = 0, data=None):
        if n < 0:
            raise ValueError(f"DiagDense: n must be non-negative; got {n}")
        if data is None:
            self._d = np.zeros(n)
            return
        if (
            type(data) is np.ndarray
            and data.dtype == np.float64
            and data.ndim == 1
            and data.flags.c_contiguous
            and data.size == n
        ):
            self._d = data
            return
        arr = np.array(data, dtype=np.float64).reshape(-1)
        if arr.size != n:
            raise ShapeError(f"DiagDense: data has {arr.size} elements but n is {n}")
        self._d = arr

    @classmethod
    def from_array(cls, a) -> DiagDense:
        """A new DiagDense holding a copy of the diagonal of the square array-like
        ``a``, whose off-diagonal elements must all be zero.

        Raises
        ------
        ShapeError
            If ``a`` is not square (a ValueError).
        ValueError
            If an off-diagonal element is not zero; the message names the largest.

        Examples
        --------
        >>> DiagDense.from_array([[1, 0], [0, 5]]).at(1, 1)
        5.0
        >>> DiagDense.from_array([[1, 2], [0, 5]])  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: DiagDense.from_array: a is not diagonal: a[0, 1] = 2 ...
        """
        op = "DiagDense.from_array"
        arr = as_matrix(a, op, "a")
        check_square(op, "a", arr, "diagonal")
        off = np.abs(arr)
        np.fill_diagonal(off, 0.0)
        if np.any(off):
            i, j = divmod(int(np.argmax(off)), arr.shape[1])
            raise ValueError(
                f"{op}: a is not diagonal: a[{i}, {j}] = {arr[i, j]:.17g} is off the "
                f"diagonal and not zero; pass the diagonal values to DiagDense(n, "
                f"values) if the rest should be ignored"
            )
        return cls._wrap(np.diagonal(arr).copy())

    @classmethod
    def _wrap(cls, view: np.ndarray) -> DiagDense:
        """A DiagDense over an existing 1-D float64 view, possibly strided (no copy)."""
        d = cls.__new__(cls)
        d._d = view
        return d

    # -- numpy interop: the n×n form is built, not stored ---------------------------

    def _view(self) -> np.ndarray:
        """A new n×n array holding the matrix."""
        return np.diag(self._d)

    def __array__(self, dtype=None, copy=None):
        if copy is False:
            raise ValueError(
                "DiagDense stores only its diagonal, so it cannot be seen as an n×n "
                "array without a copy; use diag_view() for the stored values"
            )
        a = self._view()
        if dtype is not None and np.dtype(dtype) != a.dtype:
            a = a.astype(dtype)
        return a

    @property
    def shape(self) -> tuple[int, int]:
        """``(n, n)``."""
        n = self._d.shape[0]
        return n, n

    def dims(self) -> tuple[int, int]:
        """``(n, n)`` (Gonum's ``Dims``)."""
        n = self._d.shape[0]
        return n, n

    # -- elements --------------------------------------------------------------------

    def at(self, i: int, j: int) -> float:
        """The element at row ``i``, column ``j`` (zero off the diagonal)."""
        n = self._d.shape[0]
        if not (0 <= i < n and 0 <= j < n):
            raise IndexError(f"at: index ({i}, {j}) out of range for a {n}×{n} matrix")
        return float(self._d[i]) if i == j else 0.0

    def set_diag(self, i: int, v: float) -> None:
        """Set the diagonal element ``(i, i)`` to ``v`` (Gonum's ``SetDiag``).

        Examples
        --------
        >>> d = DiagDense(2)
        >>> d.set_diag(1, 4.0)
        >>> d.at(1, 1)
        4.0
        """
        n = self._d.shape[0]
        if not 0 <= i < n:
            raise IndexError(f"set_diag: index {i} out of range for a {n}×{n} matrix")
        self._d[i] = v

    def diag(self) -> int:
        """The number of diagonal elements, ``n`` (Gonum's ``Diag``)."""
        return self._d.shape[0]

    def diag_view(self) -> VecDense:
        """The diagonal as a VecDense sharing memory with the matrix (Gonum's
        ``DiagView``).

        Examples
        --------
        >>> d = DiagDense(2, [1, 2])
        >>> v = d.diag_view()
        >>> np.asarray(v)[0] = 7.0
        >>> d.at(0, 0)
        7.0
        """
        return VecDense._wrap(self._d)

    def symmetric(self) -> int:
        """``n``: a diagonal matrix is symmetric (Gonum's ``Symmetric``)."""
        return self._d.shape[0]

    def triangle(self) -> tuple[int, str]:
        """``(n, "upper")``: a diagonal matrix is triangular; Gonum reports ``Upper``."""
        return self._d.shape[0], "upper"

    def T(self) -> DiagDense:  # noqa: N802 - Gonum's name
        """The transpose, which is the matrix itself."""
        return self

    def is_empty(self) -> bool:
        """Whether the matrix has no elements."""
        return self._d.shape[0] == 0

    def reset(self) -> None:
        """Make the matrix empty (Gonum's ``Reset``)."""
        self._d = np.empty(0)

    def zero(self) -> None:
        """Set every diagonal element to zero (through to any storage it views)."""
        self._d[...] = 0.0
