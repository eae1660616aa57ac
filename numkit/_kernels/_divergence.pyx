"""One-pass sums behind the information-theoretic functions of numkit.stat.

Each function reads p (and q) once, with any stride, float32 or float64, and returns
``(total, saw_negative)``: the sum of one term per index, and whether any entry of p
or q is negative (the Python side then names the first one; a kernel never raises on
data). No temporary arrays are made.

The sum is deterministic: [0, n) is split into ``chunk_count(n)`` chunks (a function
of n only), each chunk is summed pairwise (plain loops of at most PW_BLOCK terms at
the leaves), and the partials are added in chunk order, so 1 and 2 threads give the
same bits. The error of the sum is at most about (PW_BLOCK + log2 n) eps Σ|term|.
"""

from cython.parallel cimport prange
from libc.float cimport DBL_MAX, DBL_MIN
from libc.math cimport isnan, log, sqrt
from libc.stdlib cimport free, malloc

from numkit._kernels._openmp cimport chunk_count, threads_for

ctypedef fused real_p:
    float
    double

ctypedef fused real_q:
    float
    double

# Leaves of the pairwise sum: plain loops of at most this many terms.
cdef enum:
    PW_BLOCK = 64

# The term summed at index i.
cdef enum Kind:
    ENTROPY = 0         # -p log p
    CROSS_ENTROPY = 1   # -p log q
    KULLBACK = 2        # p log(p / q)
    JENSEN = 3          # (p log(2p / (p+q)) + q log(2q / (p+q))) / 2
    BHATTACHARYYA = 4   # sqrt(p q)


cdef inline double _p_log_ratio(double a, double b) noexcept nogil:
    """a log(a / b) for a > 0: one log of the correctly rounded ratio (accurate when
    a ≈ b), or log a − log b when the ratio under- or overflows (b = 0 gives +inf)."""
    cdef double r = a / b
    if DBL_MIN <= r <= DBL_MAX:
        return a * log(r)
    return a * (log(a) - log(b))


cdef inline double _term(int kind, double a, double b) noexcept nogil:
    # 0 log 0 = 0: a zero p contributes nothing, but a NaN q beside it still
    # propagates (NaN in -> NaN out). A NaN p fails `a == 0` and propagates.
    cdef double s
    if kind == ENTROPY:
        if a == 0.0:
            return 0.0
        return -a * log(a)
    if kind == CROSS_ENTROPY:
        if a == 0.0:
            return b if isnan(b) else 0.0
        return -a * log(b)
    if kind == KULLBACK:
        if a == 0.0:
            return b if isnan(b) else 0.0
        return _p_log_ratio(a, b)
    if kind == JENSEN:
        # KL(p‖m) + KL(q‖m) with m = (p+q)/2, as a/m = 2a/(a+b): two logs, not three.
        s = 0.5 * (a + b)
        if a == 0.0:
            return 0.0 if b == 0.0 else 0.5 * _p_log_ratio(b, s)
        if b == 0.0:
            return 0.5 * _p_log_ratio(a, s)
        return 0.5 * (_p_log_ratio(a, s) + _p_log_ratio(b, s))
    # sqrt(p q) is one correctly rounded root; where the product underflows
    # (p, q < 1e-154) or overflows, sqrt(p) sqrt(q) keeps the digits.
    s = a * b
    if DBL_MIN <= s <= DBL_MAX:
        return sqrt(s)
    return sqrt(a) * sqrt(b)


cdef double _pairwise(int kind, const real_p* p, Py_ssize_t ps, const real_q* q,
                      Py_ssize_t qs, Py_ssize_t n, bint* negative) noexcept nogil:
    """Pairwise sum of the terms of n entries; ps, qs are strides in bytes."""
    cdef Py_ssize_t i, h
    cdef double a, b, total = 0.0
    cdef bint neg = False
    if n <= PW_BLOCK:
        for i in range(n):
            a = (<const real_p*>((<const char*>p) + i * ps))[0]
            b = (<const real_q*>((<const char*>q) + i * qs))[0]
            neg |= (a < 0.0) | (b < 0.0)
            total += _term(kind, a, b)
        if neg:
            negative[0] = True
        return total
    h = n // 2
    return (_pairwise(kind, p, ps, q, qs, h, negative)
            + _pairwise(kind, <const real_p*>((<const char*>p) + h * ps), ps,
                        <const real_q*>((<const char*>q) + h * qs), qs, n - h, negative))


cdef tuple _chunked(int kind, const real_p[:] p, const real_q[:] q):
    """(Σ term, saw_negative) over all n = len(p) = len(q) entries."""
    cdef Py_ssize_t n = p.shape[0]
    cdef Py_ssize_t ps = p.strides[0], qs = q.strides[0]
    cdef Py_ssize_t nchunks, c, lo, hi
    cdef const real_p* pp
    cdef const real_q* qq
    cdef double* partial
    cdef bint* negs
    cdef double total = 0.0
    cdef bint negative = False
    if n == 0:
        return 0.0, False
    pp = &p[0]
    qq = &q[0]
    nchunks = chunk_count(n)
    partial = <double*>malloc(nchunks * sizeof(double))
    negs = <bint*>malloc(nchunks * sizeof(bint))
    if partial == NULL or negs == NULL:
        free(partial)
        free(negs)
        raise MemoryError()
    with nogil:
        for c in prange(nchunks, schedule="static", num_threads=threads_for(n)):
            lo = n * c // nchunks
            hi = n * (c + 1) // nchunks
            negs[c] = False
            partial[c] = _pairwise(kind, <const real_p*>((<const char*>pp) + lo * ps), ps,
                                   <const real_q*>((<const char*>qq) + lo * qs), qs,
                                   hi - lo, &negs[c])
        for c in range(nchunks):
            total += partial[c]
            negative |= negs[c]
    free(partial)
    free(negs)
    return total, bool(negative)


def entropy_sum(const real_p[:] p):
    """(Σ −p log p with 0 log 0 = 0, any p < 0)."""
    return _chunked(ENTROPY, p, p)


def cross_entropy_sum(const real_p[:] p, const real_q[:] q):
    """(Σ −p log q over p ≠ 0, any entry < 0); len(p) == len(q) is trusted."""
    return _chunked(CROSS_ENTROPY, p, q)


def kullback_leibler_sum(const real_p[:] p, const real_q[:] q):
    """(Σ p log(p/q) over p ≠ 0, any entry < 0); len(p) == len(q) is trusted."""
    return _chunked(KULLBACK, p, q)


def jensen_shannon_sum(const real_p[:] p, const real_q[:] q):
    """(½ Σ [p log(p/m) + q log(q/m)], m = (p+q)/2, any entry < 0)."""
    return _chunked(JENSEN, p, q)


def bhattacharyya_coeff(const real_p[:] p, const real_q[:] q):
    """(Σ sqrt(p) sqrt(q), any entry < 0); len(p) == len(q) is trusted."""
    return _chunked(BHATTACHARYYA, p, q)
