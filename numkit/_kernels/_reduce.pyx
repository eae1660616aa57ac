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

# What a sum adds up: the values, their squares, or the squares of value / scale.
cdef enum Term:
    PLAIN = 0
    SQUARE = 1
    SCALED_SQUARE = 2


cdef inline double _term(double v, int term, double scale) noexcept nogil:
    if term == PLAIN:
        return v
    if term == SCALED_SQUARE:
        # Divide rather than multiply by 1/scale: 1/scale overflows for a subnormal
        # scale. Only the rare rescaling path of frobenius comes here.
        v = v / scale
    return v * v


cdef double _pairwise(const double* x, Py_ssize_t n, Py_ssize_t s, int term,
                      double scale) noexcept nogil:
    """Pairwise sum of the terms of x[0], x[s], ...; error O(log n · eps)."""
    cdef double r[8]
    cdef double res
    cdef Py_ssize_t i, k, h
    if n < 8:
        res = 0.0
        for i in range(n):
            res += _term(x[i * s], term, scale)
        return res
    if n <= PW_BLOCK:
        for k in range(8):
            r[k] = _term(x[k * s], term, scale)
        i = 8
        while i + 8 <= n:
            for k in range(8):
                r[k] += _term(x[(i + k) * s], term, scale)
            i += 8
        res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        while i < n:
            res += _term(x[i * s], term, scale)
            i += 1
        return res
    h = n // 2
    h -= h % 8
    return _pairwise(x, h, s, term, scale) + _pairwise(x + h * s, n - h, s, term, scale)


cdef struct Block:
    const double* base
    Py_ssize_t n        # row length
    Py_ssize_t s0, s1   # strides in elements


cdef double _range_sum(const Block* b, Py_ssize_t lo, Py_ssize_t hi, int term,
                       double scale) noexcept nogil:
    """Pairwise sum over the flat row-major indices [lo, hi) of a block.

    A range inside one row, or in a block whose rows abut (C-contiguous, or a single
    column), is one strided run. Otherwise the range is halved until it lies in one
    row or is at most PW_BLOCK long, so a tall, narrow, non-contiguous block is still
    summed pairwise rather than one row after another.
    """
    cdef Py_ssize_t n = b.n, i, j0, j1
    cdef double total
    if lo >= hi:
        return 0.0
    i = lo // n
    if hi - i * n <= n:
        return _pairwise(b.base + i * b.s0 + (lo - i * n) * b.s1, hi - lo, b.s1, term,
                         scale)
    if n == 1:
        return _pairwise(b.base + lo * b.s0, hi - lo, b.s0, term, scale)
    if b.s0 == n * b.s1:
        return _pairwise(b.base + i * b.s0 + (lo - i * n) * b.s1, hi - lo, b.s1, term,
                         scale)
    if hi - lo > PW_BLOCK:
        j0 = lo + (hi - lo) // 2
        return _range_sum(b, lo, j0, term, scale) + _range_sum(b, j0, hi, term, scale)
    total = 0.0
    while lo < hi:
        i = lo // n
        j0 = lo - i * n
        j1 = n if (hi - i * n) > n else hi - i * n
        total += _pairwise(b.base + i * b.s0 + j0 * b.s1, j1 - j0, b.s1, term, scale)
        lo = i * n + j1
    return total


cdef double _chunked_sum(const double[:, :] a, int term, double scale) noexcept nogil:
    """Deterministic, parallel sum of the terms of all elements of ``a``."""
    cdef Py_ssize_t total = a.shape[0] * a.shape[1]
    cdef Py_ssize_t nchunks, c, lo, hi
    cdef double* partial
    cdef double result = 0.0
    cdef int threads
    cdef Block b
    if total == 0:
        return 0.0
    b.base = &a[0, 0]
    b.n = a.shape[1]
    b.s0 = a.strides[0] // 8
    b.s1 = a.strides[1] // 8
    # Walk the block in memory order: a column-major block is summed as its
    # transpose (so a and a.T give the same bits).
    if b.s0 == 1 and b.s1 != 1 and a.shape[0] > 1 and a.shape[1] > 1:
        b.n = a.shape[0]
        b.s0 = a.strides[1] // 8
        b.s1 = 1
    nchunks = chunk_count(total)
    if nchunks == 1:
        return _range_sum(&b, 0, total, term, scale)
    partial = <double*>malloc(nchunks * sizeof(double))
    if partial == NULL:
        return _range_sum(&b, 0, total, term, scale)
    threads = threads_for(total)
    if threads == 1:  # the same chunks without entering a parallel region
        for c in range(nchunks):
            partial[c] = _range_sum(&b, total * c // nchunks, total * (c + 1) // nchunks,
                                    term, scale)
    else:
        for c in prange(nchunks, schedule="static", num_threads=threads):
            lo = total * c // nchunks
            hi = total * (c + 1) // nchunks
            partial[c] = _range_sum(&b, lo, hi, term, scale)
    for c in range(nchunks):
        result += partial[c]
    free(partial)
    return result


cdef int _check_strides(const double[:, :] a, str name) except -1:
    # A float64 field of a record array can have strides that are not a multiple of
    # 8 bytes; the sums count strides in elements.
    if a.strides[0] % 8 or a.strides[1] % 8:
        raise ValueError(f"{name}: strides must be multiples of 8 bytes; got "
                         f"({a.strides[0]}, {a.strides[1]})")
    return 0


def sum2d(const double[:, :] a not None):
    """Sum of all elements (pairwise within chunks, deterministic across threads)."""
    cdef double r
    _check_strides(a, "sum2d")
    with nogil:
        r = _chunked_sum(a, PLAIN, 1.0)
    return r


def sumsq2d(const double[:, :] a not None):
    """Sum of squares of all elements (pairwise, deterministic)."""
    cdef double r
    _check_strides(a, "sumsq2d")
    with nogil:
        r = _chunked_sum(a, SQUARE, 1.0)
    return r


def max_abs2d(const double[:, :] a not None):
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


def frobenius(const double[:, :] a not None):
    """sqrt(Σ a_ij²) without spurious overflow or underflow.

    The plain pairwise sum of squares is used when it is a normal number; otherwise
    the squares of a_ij / max|a_ij| are summed (the scaling of LAPACK's dlassq).
    """
    cdef double ss, big
    _check_strides(a, "frobenius")
    with nogil:
        ss = _chunked_sum(a, SQUARE, 1.0)
    if ss != ss:
        return NAN
    # Inside (1e-290, 1e290) no square overflowed, and the squares that underflowed
    # (each below 2.3e-308, kept to 5e-324 absolute) are far below eps · ss.
    if ss > 1e-290 and ss < 1e290:
        return sqrt(ss)
    big = max_abs2d(a)
    if big == 0.0 or big != big or big == INFINITY:
        return big
    with nogil:
        ss = _chunked_sum(a, SCALED_SQUARE, big)
    return big * sqrt(ss)


def extremum2d(const double[:, :] a not None, bint want_max):
    """Largest (or smallest) element; NaN if any element is NaN. An empty block has
    no extremum: ValueError."""
    cdef Py_ssize_t i, j, m = a.shape[0], n = a.shape[1]
    cdef double v, best
    cdef bint nan
    if m == 0 or n == 0:
        raise ValueError("extremum2d: the block is empty")
    best = a[0, 0]
    nan = isnan(best)
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


def norm1(const double[:, :] a not None):
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


def norm_inf(const double[:, :] a not None):
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
