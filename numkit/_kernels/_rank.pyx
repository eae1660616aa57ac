"""Rank kernels: average ranks with ties (Spearman) and Kendall's tau counts by
merge-sort discordance counting in O(n log n) (Knight 1966).

``kendall_counts`` takes the data ordered by x (any order among equal x); it sorts y
within each run of equal x, counts the tied pairs in x and in (x, y), then sorts y by
a bottom-up merge sort (insertion sort on short runs first) counting, for each pair
put out of order, the product of the two weights: the discordant pairs. Ties in y are
counted on the sorted y. With integer counts (unweighted) every count is exact; with
weights the counts are sums of products ``w_i w_j``, accumulated in a fixed order.

References
----------
Knight, W. R. (1966). A computer method for calculating Kendall's tau with ungrouped
data. Journal of the American Statistical Association 61(314), 436-439.
"""

from libc.stdlib cimport free, malloc
from libc.string cimport memcpy

cdef enum:
    # runs this short are sorted by insertion before merging
    RUN = 16


cdef inline double _pairs(double s, double s2) noexcept nogil:
    # weight of the pairs inside a group of total weight s and sum of squares s2
    return 0.5 * (s * s - s2)


cdef double _insertion(double* y, double* w, Py_ssize_t lo, Py_ssize_t hi,
                       bint weighted) noexcept nogil:
    """Stable insertion sort of y[lo:hi] (carrying w); returns the weight of the
    inversions it removed (strictly greater elements moved past)."""
    cdef Py_ssize_t i, j
    cdef double v, wv, wsum, disc = 0.0
    for i in range(lo + 1, hi):
        v = y[i]
        wv = w[i] if weighted else 1.0
        j = i
        wsum = 0.0
        while j > lo and y[j - 1] > v:
            y[j] = y[j - 1]
            if weighted:
                w[j] = w[j - 1]
                wsum += w[j]
            else:
                wsum += 1.0
            j -= 1
        y[j] = v
        if weighted:
            w[j] = wv
        disc += wv * wsum
    return disc


cdef double _merge_sort(double* y, double* w, double* ty, double* tw, Py_ssize_t n,
                        bint weighted) noexcept nogil:
    """Sort y (carrying w) ascending, stably; return the weight of the inversions."""
    cdef Py_ssize_t lo, mid, hi, i, j, k, width
    cdef double disc = 0.0, left_w, wr
    cdef double* sy
    cdef double* sw
    cdef double* dy
    cdef double* dw
    lo = 0
    while lo < n:
        hi = lo + RUN if lo + RUN < n else n
        disc += _insertion(y, w, lo, hi, weighted)
        lo = hi
    sy, sw, dy, dw = y, w, ty, tw
    width = RUN
    while width < n:
        lo = 0
        while lo < n:
            mid = lo + width if lo + width < n else n
            hi = lo + 2 * width if lo + 2 * width < n else n
            # weight still waiting in the left run
            left_w = 0.0
            if weighted:
                for i in range(lo, mid):
                    left_w += sw[i]
            else:
                left_w = <double>(mid - lo)
            i, j, k = lo, mid, lo
            while i < mid and j < hi:
                if sy[i] <= sy[j]:
                    dy[k] = sy[i]
                    if weighted:
                        dw[k] = sw[i]
                        left_w -= sw[i]
                    else:
                        left_w -= 1.0
                    i += 1
                else:
                    dy[k] = sy[j]
                    wr = sw[j] if weighted else 1.0
                    if weighted:
                        dw[k] = wr
                    disc += wr * left_w
                    j += 1
                k += 1
            if i < mid:
                memcpy(dy + k, sy + i, (mid - i) * sizeof(double))
                if weighted:
                    memcpy(dw + k, sw + i, (mid - i) * sizeof(double))
                k += mid - i
            if j < hi:
                memcpy(dy + k, sy + j, (hi - j) * sizeof(double))
                if weighted:
                    memcpy(dw + k, sw + j, (hi - j) * sizeof(double))
            lo = hi
        sy, dy = dy, sy
        sw, dw = dw, sw
        width *= 2
    if sy != y:
        memcpy(y, sy, n * sizeof(double))
        if weighted:
            memcpy(w, sw, n * sizeof(double))
    return disc


cdef void _group_pairs(const double* v, const double* w, Py_ssize_t n, bint weighted,
                       double* out) noexcept nogil:
    """Weight of the pairs tied in the sorted v (runs of equal values)."""
    cdef Py_ssize_t a = 0, b, k
    cdef double s, s2, tot = 0.0
    while a < n:
        b = a + 1
        while b < n and v[b] == v[a]:
            b += 1
        if b - a > 1:
            if weighted:
                s = 0.0
                s2 = 0.0
                for k in range(a, b):
                    s += w[k]
                    s2 += w[k] * w[k]
                tot += _pairs(s, s2)
            else:
                tot += 0.5 * <double>(b - a) * <double>(b - a - 1)
        a = b
    out[0] = tot


def kendall_counts(const double[::1] xs not None, const double[::1] ys not None,
                   const double[::1] ws):
    """Pair weights for Kendall's tau from data ordered by ``xs`` (ascending).

    Returns ``(n0, n1, n2, n3, nd)``: all pairs, pairs tied in x, tied in y, tied in
    both, and discordant pairs, each pair weighted by ``w_i w_j`` (1 unweighted).
    """
    cdef Py_ssize_t n = xs.shape[0], a, b, k
    cdef bint weighted = ws is not None
    cdef double n0 = 0.0, n1 = 0.0, n2 = 0.0, n3 = 0.0, nd = 0.0, s = 0.0, s2 = 0.0
    cdef double t
    cdef double* buf
    cdef double* y
    cdef double* w
    cdef double* ty
    cdef double* tw
    if ys.shape[0] != n or (weighted and ws.shape[0] != n):
        raise ValueError("kendall_counts: lengths differ")
    if n < 2:
        return (0.0, 0.0, 0.0, 0.0, 0.0)
    buf = <double*>malloc(4 * n * sizeof(double))
    if buf == NULL:
        raise MemoryError()
    y, w, ty, tw = buf, buf + n, buf + 2 * n, buf + 3 * n
    with nogil:
        memcpy(y, &ys[0], n * sizeof(double))
        if weighted:
            memcpy(w, &ws[0], n * sizeof(double))
            for k in range(n):
                s += w[k]
                s2 += w[k] * w[k]
            n0 = _pairs(s, s2)
        else:
            n0 = 0.5 * <double>n * <double>(n - 1)
        # sort y inside each run of equal x; count ties in x and in (x, y)
        a = 0
        while a < n:
            b = a + 1
            while b < n and xs[b] == xs[a]:
                b += 1
            if b - a > 1:
                _merge_sort(y + a, w + a, ty, tw, b - a, weighted)
                _group_pairs(&xs[a], w + a, b - a, weighted, &t)
                n1 += t
                _group_pairs(y + a, w + a, b - a, weighted, &t)
                n3 += t
            a = b
        nd = _merge_sort(y, w, ty, tw, n, weighted)
        _group_pairs(y, w, n, weighted, &n2)
    free(buf)
    return (n0, n1, n2, n3, nd)


def average_ranks(const double[::1] v not None, const Py_ssize_t[::1] order not None,
                  const double[::1] w, double[::1] out not None):
    """Ranks (1-based, ties averaged) of the data whose sorted values are ``v`` and
    whose sort permutation is ``order``: ``out[order[k]]`` is the rank of ``v[k]``.

    With weights ``w`` (in sorted order) a tie group of weight ``g`` preceded by weight
    ``c`` gets rank ``c + (g + 1) / 2``: integer weights give the ranks of the data
    with each value repeated.
    """
    cdef Py_ssize_t n = v.shape[0], a, b, k
    cdef bint weighted = w is not None
    cdef double c = 0.0, g, r
    if order.shape[0] != n or out.shape[0] != n or (weighted and w.shape[0] != n):
        raise ValueError("average_ranks: lengths differ")
    with nogil:
        a = 0
        while a < n:
            b = a + 1
            while b < n and v[b] == v[a]:
                b += 1
            if weighted:
                g = 0.0
                for k in range(a, b):
                    g += w[k]
            else:
                g = <double>(b - a)
            r = c + 0.5 * (g + 1.0)
            for k in range(a, b):
                out[order[k]] = r
            c += g
            a = b
