"""Residuals of a least-squares problem in twice the working precision.

Iterative refinement of a least-squares solution (Björck 1967) needs the residuals of
the augmented system

    [ I   A ] [r]   [y]
    [ Aᵀ  0 ] [b] = [0],      f = y - r - A b,   g = -Aᵀ r,

computed more accurately than the working precision, or the refinement only
reproduces the rounding errors it is meant to remove. Each dot product here is
Ogita, Rump and Oishi's ``Dot2``: every product is split exactly into a double and
its rounding error by Dekker's TwoProduct (Veltkamp's splitting, so no FMA is
needed and the result does not depend on whether the compiler contracts), every
sum by Knuth's TwoSum, and the errors are accumulated beside the sum. The result
is as accurate as if computed in about 106-bit arithmetic and then rounded.

``A`` is ``x`` with an optional implicit leading column of ones (the intercept), so
the caller never materialises the design. Rows are split into a fixed number of
chunks (``chunk_count``, a function of the row count only); ``f`` is written per
row, and the per-chunk column sums of ``g`` are merged in chunk order with TwoSum,
so one or two threads give the same bits.

References
----------
Ogita, T., Rump, S. M. and Oishi, S. (2005). Accurate sum and dot product. SIAM J.
Sci. Comput. 26(6), 1955-1988.
Dekker, T. J. (1971). A floating-point technique for extending the available
precision. Numer. Math. 18, 224-242.
Björck, Å. (1967). Iterative refinement of linear least squares solutions I. BIT 7,
257-278.
"""

from cython.parallel cimport prange
from libc.stdlib cimport calloc, free

from numkit._kernels._openmp cimport chunk_count, threads_for

# 2^27 + 1: Veltkamp's constant that splits a binary64 into two 26-bit halves.
cdef double _SPLITTER = 134217729.0


cdef inline double _hi(double a) noexcept nogil:
    cdef double c = _SPLITTER * a
    return c - (c - a)


cdef inline double _two_prod_err(double a, double ah, double b, double bh,
                                 double p) noexcept nogil:
    """The rounding error of ``p = fl(a*b)`` (Dekker), given the high halves."""
    cdef double al = a - ah, bl = b - bh
    return ((ah * bh - p) + ah * bl + al * bh) + al * bl


cdef inline double _two_sum_err(double a, double b, double s) noexcept nogil:
    """The rounding error of ``s = fl(a+b)`` (Knuth's TwoSum)."""
    cdef double z = s - a
    return (a - (s - z)) + (b - z)


cdef void _rows(const double[:, :] x, const double[::1] y, const double[::1] b,
                const double* bh, const double[::1] r, bint intercept,
                Py_ssize_t lo, Py_ssize_t hi, double[::1] f,
                double* gs, double* gc) noexcept nogil:
    """f for rows [lo, hi) and this chunk's compensated column sums of A^T r."""
    cdef Py_ssize_t i, j, k = x.shape[1], off = 1 if intercept else 0
    cdef double s, c, p, e, t, xi, xh, ri, rh
    for i in range(lo, hi):
        ri = r[i]
        rh = _hi(ri)
        s = y[i] - ri
        c = _two_sum_err(y[i], -ri, s)
        if intercept:
            t = s - b[0]
            c = c + _two_sum_err(s, -b[0], t)
            s = t
            p = gs[0] + ri
            gc[0] = gc[0] + _two_sum_err(gs[0], ri, p)
            gs[0] = p
        for j in range(k):
            xi = x[i, j]
            xh = _hi(xi)
            p = xi * b[j + off]
            e = _two_prod_err(xi, xh, b[j + off], bh[j + off], p)
            t = s - p
            c = c + (_two_sum_err(s, -p, t) - e)
            s = t
            p = xi * ri
            e = _two_prod_err(xi, xh, ri, rh, p)
            t = gs[j + off] + p
            gc[j + off] = gc[j + off] + (_two_sum_err(gs[j + off], p, t) + e)
            gs[j + off] = t
        f[i] = s + c


def augmented_residuals(const double[:, :] x not None, const double[::1] y not None,
                        const double[::1] b not None, const double[::1] r not None,
                        bint intercept, double[::1] f not None, double[::1] g not None):
    """Write ``f = y - r - A b`` and ``g = -Aᵀ r`` for ``A = [1, x]`` (or ``x`` when
    ``intercept`` is false), each dot product in twice-working precision (Dot2).

    ``x`` is n×k with any strides, ``y``, ``r`` and ``f`` have length n, ``b`` and
    ``g`` length k + intercept. Shapes are the caller's responsibility (checked here
    only to keep memory safe).
    """
    cdef Py_ssize_t n = x.shape[0], k = x.shape[1], p = k + (1 if intercept else 0)
    cdef Py_ssize_t nchunks, c, j, lo, hi
    cdef int threads
    cdef double* gs
    cdef double* gc
    cdef double* bh
    cdef double s, t, e
    if y.shape[0] != n or r.shape[0] != n or f.shape[0] != n or b.shape[0] != p \
            or g.shape[0] != p:
        raise ValueError("augmented_residuals: shapes do not match")
    nchunks = chunk_count(n * max(k, 1))
    if nchunks > n:
        nchunks = max(n, 1)
    gs = <double*>calloc((2 * nchunks + 1) * max(p, 1), sizeof(double))
    if gs == NULL:
        raise MemoryError()
    gc = gs + nchunks * max(p, 1)
    bh = gc + nchunks * max(p, 1)
    for j in range(p):
        bh[j] = _hi(b[j])
    threads = threads_for(n * max(k, 1))
    with nogil:
        if threads == 1 or nchunks == 1:
            for c in range(nchunks):
                _rows(x, y, b, bh, r, intercept, n * c // nchunks, n * (c + 1) // nchunks,
                      f, gs + c * p, gc + c * p)
        else:
            for c in prange(nchunks, schedule="static", num_threads=threads):
                lo = n * c // nchunks
                hi = n * (c + 1) // nchunks
                _rows(x, y, b, bh, r, intercept, lo, hi, f, gs + c * p, gc + c * p)
        # merge the chunks in order: the bits do not depend on the thread count
        for j in range(p):
            s = 0.0
            e = 0.0
            for c in range(nchunks):
                t = s + gs[c * p + j]
                e = e + (_two_sum_err(s, gs[c * p + j], t) + gc[c * p + j])
                s = t
            g[j] = -(s + e)
    free(gs)
