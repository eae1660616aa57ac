"""Two-dimensional binning for ``numkit.plot.plotter.Density``: millions of (x, y)
points counted into a grid of uniform bins in O(1) per point.

``bounds2d`` finds the data range and the first non-finite point in one pass.
``count2d`` counts points per bin; ``weight2d`` sums their weights. The bin rule is
numpy's ``histogram2d`` rule for edges ``np.linspace(lo, hi, n + 1)``: bin j holds
``edges[j] <= v < edges[j + 1]`` and the last bin also holds ``hi``; an index
computed by one multiplication is corrected by one step where rounding put a value
across an edge, so the counts equal ``np.histogram2d``'s exactly. Points outside
the ranges, or with a NaN coordinate, are skipped.

Parallelism: the points are split into contiguous chunks, each counted into its own
partial grid, and the partials are added in chunk order. Integer counts are exact
whatever the split, so ``count2d`` uses one chunk per thread (32-bit partials,
which halve the cache footprint of the random increments); ``weight2d`` sums
doubles, so its chunk count depends on n and the bin count only and 1 or 2
threads give the same bits. A kernel trusts its arguments and never raises on
data; the Python side validates and calls these with n >= 1.
"""

from cython.parallel cimport prange
from libc.math cimport isfinite
from libc.stdint cimport int32_t, int64_t

import numpy as np

from numkit._kernels._openmp cimport chunk_count, threads_for

ctypedef fused real_x:
    float
    double

ctypedef fused real_w:
    float
    double

cdef enum:
    # Cap on the partial grids of one weighted call (doubles), so a fine grid does
    # not multiply memory by the chunk count.
    PARTIAL_BUDGET = 1 << 22

# A 32-bit partial holds at most this many points: larger inputs get more chunks.
cdef Py_ssize_t CHUNK_LIMIT = 1 << 30


# --------------------------------------------------------------------------- bounds

cdef void _bounds_chunk(const real_x[:] x, const real_x[:] y, Py_ssize_t a, Py_ssize_t b,
                        double* out, int64_t* bad) noexcept nogil:
    cdef double vx, vy, x0 = out[0], x1 = out[1], y0 = out[2], y1 = out[3]
    cdef Py_ssize_t i
    for i in range(a, b):
        vx = x[i]
        vy = y[i]
        if not (isfinite(vx) and isfinite(vy)):
            bad[0] = i
            return
        if vx < x0:
            x0 = vx
        if vx > x1:
            x1 = vx
        if vy < y0:
            y0 = vy
        if vy > y1:
            y1 = vy
    out[0] = x0
    out[1] = x1
    out[2] = y0
    out[3] = y1


def bounds2d(const real_x[:] x, const real_x[:] y):
    """(xmin, xmax, ymin, ymax, first_bad): the range of the points and the index of
    the first point with a NaN or infinite coordinate (-1 when all are finite; the
    range is then meaningless)."""
    cdef Py_ssize_t n = x.shape[0], nch = chunk_count(n), c
    cdef int nt = threads_for(n)
    cdef double[:, ::1] part = np.empty((nch, 4))
    cdef int64_t[::1] bad = np.full(nch, -1, dtype=np.int64)
    cdef double inf = float("inf")
    cdef int64_t first = -1
    for c in range(nch):
        part[c, 0] = inf
        part[c, 1] = -inf
        part[c, 2] = inf
        part[c, 3] = -inf
    for c in prange(nch, nogil=True, num_threads=nt, schedule="static"):
        _bounds_chunk(x, y, c * n // nch, (c + 1) * n // nch, &part[c, 0], &bad[c])
    cdef double x0 = inf, x1 = -inf, y0 = inf, y1 = -inf
    for c in range(nch):
        if bad[c] >= 0:
            first = bad[c]
            break
        x0 = min(x0, part[c, 0])
        x1 = max(x1, part[c, 1])
        y0 = min(y0, part[c, 2])
        y1 = max(y1, part[c, 3])
    return x0, x1, y0, y1, first


# ---------------------------------------------------------------------------- bins

cdef inline Py_ssize_t _bin(double v, double lo, double scale, const double* e,
                            Py_ssize_t nb) noexcept nogil:
    """numpy's bin of v (lo <= v <= hi): an O(1) index, then one step of correction."""
    cdef Py_ssize_t j = <Py_ssize_t>((v - lo) * scale)
    if j >= nb:
        j = nb - 1
    if v < e[j]:
        j -= 1
    elif j != nb - 1 and v >= e[j + 1]:
        j += 1
    return j


cdef void _count_chunk(const real_x[:] x, const real_x[:] y, Py_ssize_t a, Py_ssize_t b,
                       const double* ex, Py_ssize_t nx, const double* ey, Py_ssize_t ny,
                       int32_t* h) noexcept nogil:
    cdef double vx, vy
    cdef double x0 = ex[0], x1 = ex[nx], y0 = ey[0], y1 = ey[ny]
    cdef double sx = nx / (x1 - x0), sy = ny / (y1 - y0)
    cdef Py_ssize_t i
    for i in range(a, b):
        vx = x[i]
        vy = y[i]
        # written so that NaN fails the test and is skipped
        if not (vx >= x0 and vx <= x1 and vy >= y0 and vy <= y1):
            continue
        h[_bin(vx, x0, sx, ex, nx) * ny + _bin(vy, y0, sy, ey, ny)] += 1


def count2d(const real_x[:] x, const real_x[:] y, const double[::1] xedges,
            const double[::1] yedges, int64_t[:, ::1] counts):
    """Add to counts[i, j] the number of points in x bin i and y bin j (uniform
    edges, numpy's rule). NaN coordinates and points outside the edges are skipped."""
    cdef Py_ssize_t n = x.shape[0], nx = counts.shape[0], ny = counts.shape[1]
    cdef Py_ssize_t nb = nx * ny, c, k
    cdef int nt = threads_for(n)
    cdef Py_ssize_t nch = max(<Py_ssize_t>nt, n // CHUNK_LIMIT + 1)
    cdef int32_t[:, ::1] part = np.zeros((nch, nb), dtype=np.int32)
    cdef int64_t* out = &counts[0, 0]
    for c in prange(nch, nogil=True, num_threads=nt, schedule="static"):
        _count_chunk(x, y, c * n // nch, (c + 1) * n // nch, &xedges[0], nx, &yedges[0],
                     ny, &part[c, 0])
    with nogil:
        for c in range(nch):
            for k in range(nb):
                out[k] += part[c, k]


cdef void _weight_chunk(const real_x[:] x, const real_x[:] y, const real_w[:] w,
                        Py_ssize_t a, Py_ssize_t b, const double* ex, Py_ssize_t nx,
                        const double* ey, Py_ssize_t ny, double* h) noexcept nogil:
    cdef double vx, vy
    cdef double x0 = ex[0], x1 = ex[nx], y0 = ey[0], y1 = ey[ny]
    cdef double sx = nx / (x1 - x0), sy = ny / (y1 - y0)
    cdef Py_ssize_t i
    for i in range(a, b):
        vx = x[i]
        vy = y[i]
        if not (vx >= x0 and vx <= x1 and vy >= y0 and vy <= y1):
            continue
        h[_bin(vx, x0, sx, ex, nx) * ny + _bin(vy, y0, sy, ey, ny)] += w[i]


def weight2d(const real_x[:] x, const real_x[:] y, const real_w[:] w,
             const double[::1] xedges, const double[::1] yedges, double[:, ::1] sums):
    """Add to sums[i, j] the weights of the points in x bin i and y bin j; the same
    bits on any thread count (fixed chunks, summed in chunk order)."""
    cdef Py_ssize_t n = x.shape[0], nx = sums.shape[0], ny = sums.shape[1]
    cdef Py_ssize_t nb = nx * ny, c, k
    cdef int nt = threads_for(n)
    cdef Py_ssize_t nch = chunk_count(n), cap = PARTIAL_BUDGET // nb
    if cap < 1:
        cap = 1
    if nch > cap:
        nch = cap
    cdef double[:, ::1] part = np.zeros((nch, nb))
    cdef double* out = &sums[0, 0]
    for c in prange(nch, nogil=True, num_threads=nt, schedule="static"):
        _weight_chunk(x, y, w, c * n // nch, (c + 1) * n // nch, &xedges[0], nx,
                      &yedges[0], ny, &part[c, 0])
    with nogil:
        for c in range(nch):
            for k in range(nb):
                out[k] += part[c, k]
