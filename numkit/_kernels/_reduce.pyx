"""Reductions over 2-D float64 blocks with any strides: sum, sum of squares, extrema,
and the operator 1- and inf-norms.

Parallel reductions are deterministic: the flat (row-major) index range is split into
``chunk_count(n)`` chunks, a number that depends on n only; each chunk is summed
pairwise and the partials are combined in chunk order, so the bits do not depend on
the number of threads.
"""

from cython.parallel cimport prange
from libc.math cimport fabs, isnan, sqrt, INFINITY, NAN
from libc.stdlib cimport free, malloc

from numkit._kernels._openmp cimport chunk_count, threads_for

# numpy's pairwise-summation block: below it, 8 accumulators in a plain loop.
cdef enum:
    PW_BLOCK = 128


cdef double _pairwise(const double* x, Py_ssize_t n, Py_ssize_t s, bint square) noexcept nogil:
    """Pairwise sum of x[0], x[s], ... (squared if ``square``); error O(log n · eps)."""
    cdef double r[8]
    cdef double res, v
    cdef Py_ssize_t i, k, h
    if n < 8:
        res = 0.0
        for i in range(n):
            v = x[i * s]
            res += v * v if square else v
        return res
    if n <= PW_BLOCK:
        for k in range(8):
            v = x[k * s]
            r[k] = v * v if square else v
        i = 8
        while i + 8 <= n:
            for k in range(8):
                v = x[(i + k) * s]
                r[k] += v * v if square else v
            i += 8
        res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        while i < n:
            v = x[i * s]
            res += v * v if square else v
            i += 1
        return res
    h = n // 2
    h -= h % 8
    return _pairwise(x, h, s, square) + _pairwise(x + h * s, n - h, s, square)


cdef double _range_sum(const double[:, :] a, Py_ssize_t lo, Py_ssize_t hi,
                       bint square) noexcept nogil:
    """Sum over flat row-major indices [lo, hi) of a, one row segment at a time."""
    cdef Py_ssize_t n = a.shape[1]
    cdef Py_ssize_t s0 = a.strides[0] // 8, s1 = a.strides[1] // 8
    cdef Py_ssize_t i, j0, j1
    cdef double total = 0.0
    cdef const double* base = &a[0, 0]
    while lo < hi:
        i = lo // n
        j0 = lo - i * n
        j1 = n if (hi - i * n) > n else hi - i * n
        total += _pairwise(base + i * s0 + j0 * s1, j1 - j0, s1, square)
        lo = i * n + j1
    return total


cdef double _chunked_sum(const double[:, :] a, bint square) noexcept nogil:
    cdef Py_ssize_t total = a.shape[0] * a.shape[1]
    cdef Py_ssize_t nchunks, c, lo, hi
    cdef double* partial
    cdef double result = 0.0
    if total == 0:
        return 0.0
    nchunks = chunk_count(total)
    if nchunks == 1:
        return _range_sum(a, 0, total, square)
    partial = <double*>malloc(nchunks * sizeof(double))
    if partial == NULL:
        return _range_sum(a, 0, total, square)
    for c in prange(nchunks, schedule="static", num_threads=threads_for(total)):
        lo = total * c // nchunks
        hi = total * (c + 1) // nchunks
        partial[c] = _range_sum(a, lo, hi, square)
    for c in range(nchunks):
        result += partial[c]
    free(partial)
    return result


def sum2d(const double[:, :] a):
    """Sum of all elements (pairwise within chunks, deterministic across threads)."""
    cdef double r
    with nogil:
        r = _chunked_sum(a, False)
    return r


def sumsq2d(const double[:, :] a):
    """Sum of squares of all elements (pairwise, deterministic)."""
    cdef double r
    with nogil:
        r = _chunked_sum(a, True)
    return r


def max_abs2d(const double[:, :] a):
    """max |a_ij| (NaN if any element is NaN); 0 for an empty block."""
    cdef Py_ssize_t i, j, m = a.shape[0], n = a.shape[1]
    cdef double v, best = 0.0
    cdef bint nan = False
    with nogil:
        for i in range(m):
            for j in range(n):
                v = fabs(a[i, j])
                if v > best:
                    best = v
                elif isnan(v):
                    nan = True
    return NAN if nan else best


def frobenius(const double[:, :] a):
    """sqrt(Σ a_ij²) without spurious overflow or underflow.

    The plain pairwise sum of squares is used when it is a normal number; otherwise
    the block is rescaled by its largest magnitude first (as LAPACK's dlassq does).
    """
    cdef double ss, big
    with nogil:
        ss = _chunked_sum(a, True)
    if ss != ss:
        return NAN
    if ss > 1e-290 and ss < 1e290:
        return sqrt(ss)
    big = max_abs2d(a)
    if big == 0.0 or big != big or big == INFINITY:
        return big
    return big * sqrt(_scaled_sumsq(a, 1.0 / big))


cdef double _scaled_sumsq(const double[:, :] a, double inv) noexcept nogil:
    cdef Py_ssize_t i, j
    cdef double v, r = 0.0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            v = a[i, j] * inv
            r += v * v
    return r


def extremum2d(const double[:, :] a, bint want_max):
    """Largest (or smallest) element; NaN if any element is NaN. Caller ensures a is
    not empty."""
    cdef Py_ssize_t i, j, m = a.shape[0], n = a.shape[1]
    cdef double v, best = a[0, 0]
    cdef bint nan = isnan(best)
    with nogil:
        for i in range(m):
            for j in range(n):
                v = a[i, j]
                if want_max:
                    if v > best:
                        best = v
                else:
                    if v < best:
                        best = v
                if isnan(v):
                    nan = True
    return NAN if nan else best


def norm1(const double[:, :] a):
    """max_j Σ_i |a_ij| (maximum absolute column sum); NaN propagates."""
    cdef Py_ssize_t i, j, m = a.shape[0], n = a.shape[1]
    cdef double* col
    cdef double best = 0.0
    if m == 0 or n == 0:
        return 0.0
    col = <double*>malloc(n * sizeof(double))
    if col == NULL:
        raise MemoryError()
    with nogil:
        for j in range(n):
            col[j] = 0.0
        for i in range(m):
            for j in range(n):
                col[j] += fabs(a[i, j])
        for j in range(n):
            if col[j] > best or isnan(col[j]):
                best = col[j]
                if isnan(best):
                    break
    free(col)
    return best


def norm_inf(const double[:, :] a):
    """max_i Σ_j |a_ij| (maximum absolute row sum); NaN propagates."""
    cdef Py_ssize_t i, j, m = a.shape[0], n = a.shape[1]
    cdef double s, best = 0.0
    with nogil:
        for i in range(m):
            s = 0.0
            for j in range(n):
                s += fabs(a[i, j])
            if s > best or isnan(s):
                best = s
                if isnan(best):
                    break
    return best
