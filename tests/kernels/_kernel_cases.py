"""Operand layouts shared by the kernel tests.

Every layout holds the same values in different memory. Padding around sliced and
strided views is NaN, so a kernel that reads outside its view poisons its result and
one that writes outside it is caught by ``padding_intact``.
"""

import numpy as np

# Layouts BLAS takes as they are (one unit stride), and layouts it cannot.
BLAS_LAYOUTS = ["C", "F", "T", "slice", "slice_F"]
OTHER_LAYOUTS = ["strided", "reversed"]
ALL_LAYOUTS = BLAS_LAYOUTS + OTHER_LAYOUTS

EPS = np.finfo(np.float64).eps


def arrange(values, layout):
    """``values`` (2-D) copied into memory of the given layout; returns the view."""
    a = np.asarray(values, dtype=np.float64)
    m, n = a.shape
    if layout == "C":
        return np.array(a, order="C")
    if layout == "F":
        return np.array(a, order="F")
    if layout == "T":  # a transposed view of a C-ordered array
        return np.array(a.T, order="C").T
    if layout in ("slice", "slice_F"):  # interior block, leading dimension > width
        big = np.full((m + 3, n + 2), np.nan, order="C" if layout == "slice" else "F")
        big[2 : m + 2, 1 : n + 1] = a
        return big[2 : m + 2, 1 : n + 1]
    if layout == "strided":  # no unit stride in either direction
        big = np.full((2 * m + 1, 3 * n + 1), np.nan)
        big[1::2, 1::3][:m, :n] = a
        return big[1::2, 1::3][:m, :n]
    if layout == "reversed":  # negative strides in both directions
        big = np.array(a[::-1, ::-1], order="C")
        return big[::-1, ::-1]
    raise AssertionError(layout)


def root(view):
    """The array that owns ``view``'s memory."""
    while isinstance(view.base, np.ndarray):
        view = view.base
    return view


def padding_intact(view):
    """The NaN padding that ``arrange`` put around ``view`` is untouched (valid while
    ``view`` itself holds no NaN)."""
    r = root(view)
    return int(np.isnan(r).sum()) == r.size - view.size


def vector(values, layout):
    """A 1-D float64 view of ``values`` with the given stride layout."""
    x = np.asarray(values, dtype=np.float64)
    n = x.shape[0]
    if layout == "contiguous":
        return x.copy()
    if layout == "stride2":
        big = np.full(2 * n + 1, np.nan)
        big[1::2][:n] = x
        return big[1::2][:n]
    if layout == "reversed":
        return x[::-1].copy()[::-1]
    if layout == "reversed3":
        big = np.full(3 * n + 1, np.nan)
        big[::-3][:n] = x
        return big[::-3][:n]
    raise AssertionError(layout)


VECTOR_LAYOUTS = ["contiguous", "stride2", "reversed", "reversed3"]


def record_field(m, n):
    """A float64 view whose strides are not multiples of 8 bytes (a record field)."""
    rec = np.zeros((m, n), dtype=[("x", "f8"), ("y", "f4")])
    rec["x"] = np.arange(m * n, dtype=np.float64).reshape(m, n)
    return rec["x"]


def readonly(x):
    """``x`` with its write flag cleared."""
    x = np.asarray(x)
    x.flags.writeable = False
    return x
