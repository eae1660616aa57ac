"""Order statistics and binning: exact selection by histogram narrowing, weighted
picks over a sorted order, histograms with uniform bins or arbitrary dividers, and
the counts behind an empirical CDF.

Selection (``select_ranks``) finds several order statistics at once without sorting
or copying the input. A counting pass over a fine histogram of the value range
finds the bin that holds each target rank; a target bin that is still crowded is
narrowed again, and the few values left in each target bin are gathered and
partitioned. Narrowing past the first level works on the order-preserving integer
*keys* of the doubles (the bit pattern with the sign folded in), so a bin is an exact
key interval: heavy tails or ties cannot stall it, and after at most six levels a
bin holds a single value. Counts are exact integers, so the thread count changes
nothing; the gathered multisets, and so the results, are the same on any number of
threads.

Histograms and CDF counts sum per chunk (``chunk_count(n)`` chunks, a function of n
and the bin count only) and combine the partials in chunk order, so weighted sums
have the same bits on 1 or 2 threads.

Every kernel takes strided, read-only float32 or float64 arrays; NaN values are
skipped and counted, never binned. A kernel trusts its arguments and never raises
on data: the Python side validates, and calls these only with n >= 1.
"""

from cython.parallel cimport prange, threadid
from libc.math cimport fabs, floor, isfinite
from libc.stdint cimport int64_t, uint64_t
from libc.string cimport memcpy

import numpy as np

from numkit._kernels._openmp cimport chunk_count, threads_for

ctypedef fused real_x:
    float
    double

ctypedef fused real_w:
    float
    double

cdef enum:
    # Bins per narrowing level: 4096 int64 counters (32 KiB) stay in L1/L2 per thread.
    LEVEL_BITS = 12
    LEVEL_BINS = 4096
    # A target bin with at most this many values is gathered and partitioned;
    # above it, one more counting pass is cheaper than partitioning it.
    GATHER_LIMIT = 32768
    # Cap on the partial histograms of one call (doubles): keeps huge bin counts
    # from multiplying memory by the chunk count.
    PARTIAL_BUDGET = 1 << 22

cdef uint64_t SIGN = 0x8000000000000000ULL


cdef inline uint64_t key_of(double v) noexcept nogil:
    """Order-preserving key of a double: a < b (as numbers) implies key(a) < key(b).

    -0.0 is folded onto +0.0 (they compare equal, so they must share a key); NaN keys
    lie outside the keys of every number, below key(-inf) or above key(+inf).
    """
    cdef uint64_t b, mask
    v = v + 0.0
    memcpy(&b, &v, 8)
    # Branch-free (a sign branch mispredicts on mixed-sign data): negative numbers
    # flip every bit, the others only the sign bit.
    mask = <uint64_t>((<int64_t>b) >> 63)
    return b ^ (mask | SIGN)


cdef inline double value_of(uint64_t k) noexcept nogil:
    cdef uint64_t b
    cdef double v
    if k & SIGN:
        b = k & ~SIGN
    else:
        b = ~k
    memcpy(&v, &b, 8)
    return v


cdef inline double _load(const real_x* p, Py_ssize_t stride, Py_ssize_t i) noexcept nogil:
    return <double>(<const real_x*>((<const char*>p) + i * stride))[0]


cdef inline Py_ssize_t _value_bin(double v, double lo, double scale, Py_ssize_t nb) noexcept nogil:
    """First-level bin of v in [lo, hi]: monotone in v, hence a key interval per bin."""
    cdef Py_ssize_t j = <Py_ssize_t>((v - lo) * scale)
    if j >= nb:
        j = nb - 1
    return j


# ---------------------------------------------------------------------------- scan

cdef void _scan_chunk(const real_x* p, Py_ssize_t stride, Py_ssize_t a, Py_ssize_t b,
                      double* lo, double* hi, int64_t* nan) noexcept nogil:
    cdef double v, mn = lo[0], mx = hi[0]
    cdef int64_t nn = 0
    cdef Py_ssize_t i
    for i in range(a, b):
        v = _load(p, stride, i)
        nn += v != v
        if v < mn:
            mn = v
        if v > mx:
            mx = v
    lo[0] = mn
    hi[0] = mx
    nan[0] = nn


def scan(const real_x[:] x):
    """(min, max, NaN count) of x, NaN ignored by min and max (inf, -inf if all NaN)."""
    cdef Py_ssize_t n = x.shape[0], nch = chunk_count(n), c
    cdef int nt = threads_for(n)
    cdef double[::1] lo = np.full(nch, np.inf)
    cdef double[::1] hi = np.full(nch, -np.inf)
    cdef int64_t[::1] nan = np.zeros(nch, dtype=np.int64)
    cdef const real_x* p = &x[0]
    cdef Py_ssize_t stride = x.strides[0]
    for c in prange(nch, nogil=True, num_threads=nt, schedule="static"):
        _scan_chunk(p, stride, c * n // nch, (c + 1) * n // nch, &lo[c], &hi[c], &nan[c])
    return float(np.min(lo)), float(np.max(hi)), int(np.sum(nan))


# ------------------------------------------------------------------ selection

cdef void _first_level_chunk(const real_x* p, Py_ssize_t stride, Py_ssize_t a,
                             Py_ssize_t b, double lo, double scale, Py_ssize_t nb,
                             bint by_value, uint64_t klo, int64_t kshift, int64_t* hv,
                             int64_t* hk) noexcept nogil:
    cdef double v
    cdef Py_ssize_t i
    for i in range(a, b):
        v = _load(p, stride, i)
        if v >= lo:  # false for NaN
            if by_value:
                hv[_value_bin(v, lo, scale, nb)] += 1
            hk[<Py_ssize_t>((key_of(v) - klo) >> kshift)] += 1


cdef void _key_chunk(const real_x* p, Py_ssize_t stride, Py_ssize_t a, Py_ssize_t b,
                     const uint64_t* klo, const uint64_t* khi, const int64_t* shift,
                     const int64_t* hoff, const int64_t* goff, const int64_t* table,
                     uint64_t gklo, uint64_t gkhi, int64_t cshift, int64_t* h,
                     double* g, int64_t* gcnt) noexcept nogil:
    """One narrowing pass: count crowded intervals' sub-bins, gather small ones.

    The intervals are sorted and disjoint within [gklo, gkhi]; ``table`` maps a coarse
    key bin of that range to the first interval ending in or after it, so finding a
    value's interval costs a lookup and (rarely) a step, never a search.
    """
    cdef double v
    cdef uint64_t k, gspan = gkhi - gklo
    cdef Py_ssize_t i, j
    for i in range(a, b):
        v = _load(p, stride, i)
        k = key_of(v)
        # One unsigned comparison, not two: with an interval around 0, "below" and
        # "above" alternate at random and a short-circuit test mispredicts half the
        # time. NaN keys are outside every range of numbers.
        if k - gklo > gspan:
            continue
        j = table[(k - gklo) >> cshift]
        # A coarse bin is wide where keys are sparse (around 0): there a value may lie
        # past the first interval about as often as not, so take that step without a
        # branch; a second step (several intervals in one coarse bin) is rare.
        j += khi[j] < k
        while khi[j] < k:
            j += 1
        if k < klo[j]:
            continue
        if shift[j] >= 0:
            h[hoff[j] + <Py_ssize_t>((k - klo[j]) >> shift[j])] += 1
        else:
            g[goff[j] + gcnt[j]] = v
            gcnt[j] += 1


cdef uint64_t _bin_start_key(double lo, double scale, Py_ssize_t nb, uint64_t a,
                             uint64_t b, Py_ssize_t j) noexcept nogil:
    """Smallest key K in [a, b] whose value falls in first-level bin j or later."""
    cdef uint64_t mid
    while a < b:
        mid = a + (b - a) // 2
        if _value_bin(value_of(mid), lo, scale, nb) >= j:
            b = mid
        else:
            a = mid + 1
    return a


def _first_level(const real_x[:] x, double lo, double scale, Py_ssize_t nb,
                 bint by_value, uint64_t klo, int64_t kshift, Py_ssize_t nk):
    """First-level counts of one pass: uniform bins of the values (when ``by_value``)
    and uniform bins of the keys, which are log-like and suit heavy tails."""
    cdef Py_ssize_t n = x.shape[0], nch = chunk_count(n), c
    cdef int nt = threads_for(n)
    cdef int64_t[:, ::1] hv = np.zeros((nt, nb if by_value else 1), dtype=np.int64)
    cdef int64_t[:, ::1] hk = np.zeros((nt, nk), dtype=np.int64)
    cdef const real_x* p = &x[0]
    cdef Py_ssize_t stride = x.strides[0]
    for c in prange(nch, nogil=True, num_threads=nt, schedule="static"):
        _first_level_chunk(p, stride, c * n // nch, (c + 1) * n // nch, lo, scale, nb,
                           by_value, klo, kshift, &hv[threadid(), 0], &hk[threadid(), 0])
    return np.asarray(hv).sum(axis=0), np.asarray(hk).sum(axis=0)


def _key_pass(const real_x[:] x, klo, khi, shift, hoff, Py_ssize_t hsize, goff,
              Py_ssize_t gsize):
    """Run one narrowing pass; returns (summed sub-bin counts, per-thread gathered
    values, per-thread gathered counts)."""
    cdef Py_ssize_t n = x.shape[0], nch = chunk_count(n), c, nint = len(klo)
    cdef int nt = threads_for(n)
    cdef uint64_t[::1] klo_v = np.asarray(klo, dtype=np.uint64)
    cdef uint64_t[::1] khi_v = np.asarray(khi, dtype=np.uint64)
    cdef int64_t[::1] shift_v = np.asarray(shift, dtype=np.int64)
    cdef int64_t[::1] hoff_v = np.asarray(hoff, dtype=np.int64)
    cdef int64_t[::1] goff_v = np.asarray(goff, dtype=np.int64)
    cdef uint64_t gklo = klo[0], gkhi = khi[nint - 1]
    cdef int64_t cshift = max(_bit_length(gkhi - gklo) - LEVEL_BITS, 0)
    starts = gklo + (np.arange(((gkhi - gklo) >> cshift) + 1, dtype=np.uint64)
                     << np.uint64(cshift))
    cdef int64_t[::1] table = np.searchsorted(np.asarray(khi_v), starts).astype(np.int64)
    cdef int64_t[:, ::1] h = np.zeros((nt, max(hsize, 1)), dtype=np.int64)
    cdef double[:, ::1] g = np.empty((nt, max(gsize, 1)))
    cdef int64_t[:, ::1] gcnt = np.zeros((nt, nint), dtype=np.int64)
    cdef const real_x* p = &x[0]
    cdef Py_ssize_t stride = x.strides[0]
    for c in prange(nch, nogil=True, num_threads=nt, schedule="static"):
        _key_chunk(p, stride, c * n // nch, (c + 1) * n // nch, &klo_v[0], &khi_v[0],
                   &shift_v[0], &hoff_v[0], &goff_v[0], &table[0], gklo, gkhi, cshift,
                   &h[threadid(), 0], &g[threadid(), 0], &gcnt[threadid(), 0])
    return np.asarray(h).sum(axis=0), np.asarray(g), np.asarray(gcnt)


def _bit_length(uint64_t v):
    cdef int b = 0
    while v:
        b += 1
        v >>= 1
    return b


def select_ranks(x, double lo, double hi, Py_ssize_t n_valid, ranks):
    """Values of the given 0-based order statistics of the non-NaN values of x.

    ``lo``/``hi`` are the min/max of the non-NaN values and ``n_valid`` their count
    (from ``scan``); ``ranks`` is sorted ascending, each in [0, n_valid). Exact: the
    result is what ``np.sort(x[~isnan(x)])[ranks]`` gives (up to the sign of zero).
    """
    ranks = np.asarray(ranks, dtype=np.int64)
    cdef Py_ssize_t m = ranks.shape[0], nb = LEVEL_BINS
    out = np.empty(m)
    if m == 0:
        return out
    if lo == hi:
        out[:] = lo
        return out
    cdef double scale = nb / (hi - lo)
    cdef uint64_t klo_all = key_of(lo), khi_all = key_of(hi)
    cdef Py_ssize_t j
    if n_valid <= GATHER_LIMIT:
        iv = {"klo": [int(klo_all)], "khi": [int(khi_all)], "base": [0],
              "count": [n_valid]}
        return _narrow(x, iv, [0] * m, ranks.tolist(), out)
    # Level one counts two histograms in one pass: uniform bins of the values suit
    # the bulk of real data (uniform, normal), uniform bins of the keys suit heavy
    # tails (lognormal: value bins put 99% in bin 0). Each target takes the smaller
    # of its two bins; both are exact key intervals (a value bin becomes one through
    # _bin_start_key), so later levels and the gather agree with them exactly.
    by_value = isfinite(hi - lo) and isfinite(scale) and scale > 0
    kwidth = int(khi_all - klo_all)
    kshift = max(_bit_length(kwidth) - LEVEL_BITS, 0)
    hv, hk = _first_level(x, lo, scale if by_value else 0.0, nb, by_value, klo_all,
                          kshift, (kwidth >> kshift) + 1)
    cum_k = np.zeros(hk.shape[0] + 1, dtype=np.int64)
    np.cumsum(hk, out=cum_k[1:])
    kbins = (np.searchsorted(cum_k, ranks, side="right") - 1).tolist()
    if by_value:
        cum_v = np.zeros(nb + 1, dtype=np.int64)
        np.cumsum(hv, out=cum_v[1:])
        vbins = (np.searchsorted(cum_v, ranks, side="right") - 1).tolist()
    chosen = {}
    tchoice = []
    for t in range(m):
        b = kbins[t]
        if by_value and hv[vbins[t]] <= hk[b]:
            j = vbins[t]
            if ("v", j) not in chosen:
                start = _bin_start_key(lo, scale, nb, klo_all, khi_all + 1, j)
                end = (khi_all if j == nb - 1 else
                       _bin_start_key(lo, scale, nb, klo_all, khi_all + 1, j + 1) - 1)
                chosen["v", j] = (start, end, int(cum_v[j]), int(hv[j]), j)
            tchoice.append(("v", j))
        else:
            if ("k", b) not in chosen:
                start = klo_all + (b << kshift)
                end = min(khi_all, start + (1 << kshift) - 1)
                chosen["k", b] = (start, end, int(cum_k[b]), int(hk[b]), -1)
            tchoice.append(("k", b))
    # Candidates of neighbouring targets may overlap (a key bin and a value bin):
    # merge them into their union, whose count follows from the two bases.
    iv = {"klo": [], "khi": [], "base": [], "count": [], "vbin": []}
    where = {}
    for name, (start, end, base, count, vbin) in sorted(chosen.items(),
                                                         key=lambda kv: kv[1][0]):
        last = len(iv["klo"]) - 1
        if last >= 0 and start <= iv["khi"][last]:
            top = iv["base"][last] + iv["count"][last]
            if end > iv["khi"][last]:
                iv["khi"][last] = end
                top = base + count
            iv["count"][last] = top - iv["base"][last]
            iv["vbin"][last] = -1
        else:
            for key, val in (("klo", start), ("khi", end), ("base", base),
                             ("count", count), ("vbin", vbin)):
                iv[key].append(val)
            last += 1
        where[name] = last
    tiv = [where[c] for c in tchoice]
    del iv["vbin"]
    return _narrow(x, iv, tiv, ranks.tolist(), out)


def _narrow(x, iv, tiv, ranks, out):
    """Narrow until every target is resolved; a round costs one pass over x.

    ``iv`` holds the current key intervals (sorted, disjoint): first and last key,
    ``base`` (how many values lie below the interval) and ``count``. ``tiv[t]`` is
    the interval of pending target t. In a round, an interval of one key resolves its
    targets at once, a small one is gathered and partitioned, a crowded one is split
    into up to LEVEL_BINS sub-intervals whose counts give the next interval.
    """
    pending = list(range(len(ranks)))
    while pending:
        klo, khi, base, count = iv["klo"], iv["khi"], iv["base"], iv["count"]
        nint = len(klo)
        live = [j for j in range(nint) if khi[j] > klo[j]]
        for t, j in zip(pending, tiv):
            if khi[j] == klo[j]:
                out[t] = value_of(klo[j])
        if not live:
            break
        pos = {j: q for q, j in enumerate(live)}
        shift, hoff, goff = [], [], []
        hsize = gsize = 0
        for j in live:
            width = khi[j] - klo[j]
            if count[j] > GATHER_LIMIT:
                s = max(_bit_length(width) - LEVEL_BITS, 0)
                shift.append(s)
                hoff.append(hsize)
                goff.append(0)
                hsize += (width >> s) + 1
            else:
                shift.append(-1)
                hoff.append(0)
                goff.append(gsize)
                gsize += count[j]
        h, g, gcnt = _key_pass(x, [klo[j] for j in live], [khi[j] for j in live],
                               shift, hoff, hsize, goff, gsize)
        gathered = {}
        nxt = {"klo": [], "khi": [], "base": [], "count": []}
        next_pending, next_tiv = [], []
        for t, j in zip(pending, tiv):
            if khi[j] == klo[j]:
                continue
            q = pos[j]
            r = ranks[t] - base[j]
            s = shift[q]
            if s < 0:
                if q not in gathered:
                    parts = [g[th, goff[q]:goff[q] + gcnt[th, q]]
                             for th in range(g.shape[0])]
                    vals = np.concatenate(parts)
                    want = sorted({ranks[u] - base[j] for u, jj in zip(pending, tiv)
                                   if jj == j})
                    vals.partition(want)
                    gathered[q] = vals
                out[t] = gathered[q][r]
                continue
            nbins = ((khi[j] - klo[j]) >> s) + 1
            sub = h[hoff[q]:hoff[q] + nbins]
            cum = np.zeros(nbins + 1, dtype=np.int64)
            np.cumsum(sub, out=cum[1:])
            b = int(np.searchsorted(cum, r, side="right")) - 1
            lo_k = klo[j] + (b << s)
            # (no negative indexing here: the module is compiled with wraparound off)
            if not nxt["klo"] or nxt["klo"][len(nxt["klo"]) - 1] != lo_k:
                nxt["klo"].append(lo_k)
                nxt["khi"].append(min(khi[j], lo_k + (1 << s) - 1))
                nxt["base"].append(base[j] + int(cum[b]))
                nxt["count"].append(int(sub[b]))
            next_pending.append(t)
            next_tiv.append(len(nxt["klo"]) - 1)
        iv, pending, tiv = nxt, next_pending, next_tiv
    return out


# ------------------------------------------------------------- weighted order

def weighted_total(const real_w[:] w, const Py_ssize_t[:] order, Py_ssize_t n_valid,
                   bint omit):
    """Sum of w[order[:n_valid]] in that order (the order the cumulative weights of
    ``weighted_pick`` use, so the last cumulative weight equals it exactly). With
    ``omit``, NaN weights are skipped; otherwise they make the sum NaN."""
    cdef double s = 0.0, wi
    cdef Py_ssize_t i
    with nogil:
        for i in range(n_valid):
            wi = w[order[i]]
            if omit and wi != wi:
                continue
            s += wi
    return s


def weighted_pick(const real_x[:] x, const real_w[:] w, const Py_ssize_t[:] order,
                  Py_ssize_t n_valid, const double[:] thresholds, bint strict,
                  double[:] out):
    """For each threshold t (sorted ascending), the value x[order[i]] at the first
    position i of positive weight whose cumulative weight C_i exceeds t (``strict``)
    or reaches it (not strict); the last positive-weight value when none does.

    Zero and NaN weights never count (a frequency of zero is no observation), so
    integer weights pick exactly what ``np.repeat`` of the values would.
    """
    cdef Py_ssize_t m = thresholds.shape[0], i, j = 0
    cdef double c = 0.0, wi, v, last = float("nan")
    with nogil:
        for i in range(n_valid):
            if j == m:
                break
            wi = w[order[i]]
            if not (wi > 0):
                continue
            c += wi
            v = x[order[i]]
            last = v
            while j < m and ((strict and c > thresholds[j]) or
                             (not strict and c >= thresholds[j])):
                out[j] = v
                j += 1
        while j < m:
            out[j] = last
            j += 1


# ---------------------------------------------------------------- histograms

cdef Py_ssize_t _partial_chunks(Py_ssize_t n, Py_ssize_t nbins) noexcept nogil:
    """Chunks for per-chunk partial histograms: a function of n and nbins only."""
    cdef Py_ssize_t c = chunk_count(n), cap = PARTIAL_BUDGET // (nbins if nbins > 0 else 1)
    if cap < 1:
        cap = 1
    return c if c < cap else cap


cdef void _uniform_chunk(const real_x* p, Py_ssize_t stride, const real_w* wp,
                         Py_ssize_t wstride, bint weighted, bint omit_w, Py_ssize_t a,
                         Py_ssize_t b, double lo, double hi, double scale,
                         const double* edges, Py_ssize_t nb, double* h) noexcept nogil:
    cdef double v, wt = 1.0
    cdef Py_ssize_t i, j
    for i in range(a, b):
        v = _load(p, stride, i)
        if not (v >= lo and v <= hi):
            continue
        if weighted:
            wt = (<const real_w*>((<const char*>wp) + i * wstride))[0]
            if omit_w and wt != wt:
                continue
        # numpy's rule, so the counts agree with the returned dividers: an O(1)
        # index, then one step of correction where rounding put v across an edge.
        j = <Py_ssize_t>((v - lo) * scale)
        if j >= nb:
            j = nb - 1
        if v < edges[j]:
            j -= 1
        if j != nb - 1 and v >= edges[j + 1]:
            j += 1
        h[j] += wt


cdef void _uniform_count_chunk(const real_x* p, Py_ssize_t stride, Py_ssize_t a,
                               Py_ssize_t b, double lo, double hi, double scale,
                               const double* edges, Py_ssize_t nb, bint in_range,
                               int64_t* h) noexcept nogil:
    """Unweighted counts into four interleaved sub-histograms h[0:nb], h[nb:2nb], …:
    consecutive values that land in one bin then update different memory, so the
    increments do not wait on each other (store forwarding). Integer counts: exact and
    independent of the order of summation.

    numpy's edge correction (compare with the edges on both sides) is needed only
    where rounding can put a value across an edge, i.e. where its bin coordinate f
    lies within ``tol`` of an integer; ``tol`` bounds the rounding of f and of the
    edges (a few ulps of max(|lo|, |hi|), in bin units). Elsewhere the index is
    already numpy's, and skipping the two loads and compares saves a quarter of the
    time. NaN and values below ``lo`` fail ``f >= 0``; values above ``hi`` are
    caught in the rare ``j >= nb`` branch. ``in_range``: the caller guarantees every
    value is a number in [lo, hi] (lo and hi are the data's own min and max), so the
    ``f >= 0`` test is skipped.
    """
    cdef double v, f, d
    cdef double tol = 16.0 * 2.220446049250313e-16 * ((fabs(lo) + fabs(hi)) * scale + nb)
    cdef Py_ssize_t i, j
    cdef bint contiguous = stride == sizeof(real_x)
    for i in range(a, b):
        v = <double>p[i] if contiguous else _load(p, stride, i)
        f = (v - lo) * scale
        if not in_range and not (f >= 0.0):
            continue
        j = <Py_ssize_t>f
        if j >= nb:
            if not (v <= hi):
                continue
            j = nb - 1
        d = f - <double>j
        if d < tol or d > 1.0 - tol:
            if v < edges[j]:
                j -= 1
            elif j != nb - 1 and v >= edges[j + 1]:
                j += 1
        h[(i & 3) * nb + j] += 1


def histogram_uniform(const real_x[:] x, const real_w[:] w, bint weighted, bint omit_w,
                      const double[::1] edges, double[::1] counts, bint in_range=False):
    """Counts (or weight sums) of x in the uniform bins with the given edges
    (edges[0] = min, edges[-1] = max, which goes in the last bin). NaN is skipped.
    ``in_range=True`` promises that every value is a number in [edges[0], edges[-1]]
    (no NaN), which lets the unweighted loop skip its range test."""
    cdef Py_ssize_t n = x.shape[0], nb = counts.shape[0]
    cdef Py_ssize_t nch = _partial_chunks(n, nb), c, j, q
    cdef int nt = threads_for(n)
    cdef double lo = edges[0], hi = edges[nb]
    cdef double scale = nb / (hi - lo)
    cdef double[:, ::1] part
    cdef int64_t[:, ::1] ipart
    cdef const real_x* p = &x[0]
    cdef const real_w* wp = &w[0] if weighted else NULL
    cdef Py_ssize_t stride = x.strides[0], wstride = w.strides[0] if weighted else 0
    if not weighted:
        nch = _partial_chunks(n, 4 * nb)
        ipart = np.zeros((nch, 4 * nb), dtype=np.int64)
        for c in prange(nch, nogil=True, num_threads=nt, schedule="static"):
            _uniform_count_chunk(p, stride, c * n // nch, (c + 1) * n // nch, lo, hi,
                                 scale, &edges[0], nb, in_range, &ipart[c, 0])
        with nogil:
            for c in range(nch):
                for q in range(4):
                    for j in range(nb):
                        counts[j] += <double>ipart[c, q * nb + j]
        return
    part = np.zeros((nch, nb))
    for c in prange(nch, nogil=True, num_threads=nt, schedule="static"):
        _uniform_chunk(p, stride, wp, wstride, weighted, omit_w, c * n // nch,
                       (c + 1) * n // nch, lo, hi, scale, &edges[0], nb, &part[c, 0])
    with nogil:
        for c in range(nch):
            for j in range(nb):
                counts[j] += part[c, j]


cdef void _dividers_chunk(const real_x* p, Py_ssize_t stride, const real_w* wp,
                          Py_ssize_t wstride, bint weighted, bint omit_w, Py_ssize_t a,
                          Py_ssize_t b, const double* d, Py_ssize_t nd, double* h,
                          int64_t* bad, int64_t* nan) noexcept nogil:
    cdef double v, wt = 1.0
    cdef Py_ssize_t i, l, r, mid
    cdef int64_t nn = 0
    for i in range(a, b):
        v = _load(p, stride, i)
        if v != v:
            nn += 1
            continue
        if v < d[0] or v >= d[nd - 1]:
            if bad[0] < 0:
                bad[0] = i
            continue
        if weighted:
            wt = (<const real_w*>((<const char*>wp) + i * wstride))[0]
            if omit_w and wt != wt:
                continue
        # the bin l with d[l] <= v < d[l + 1], by a branch-free search over the
        # nd - 1 bins (a branchy one mispredicts on every level for random data)
        l = 0
        r = nd - 1
        while r > 1:
            mid = r >> 1
            l = l + mid if d[l + mid] <= v else l
            r -= mid
        h[l] += wt
    nan[0] = nn


def histogram_dividers(const real_x[:] x, const real_w[:] w, bint weighted,
                       bint omit_w, const double[::1] dividers, double[::1] counts):
    """Counts (or weight sums) with Gonum's rule dividers[j] <= x < dividers[j+1].

    Returns (index of the first value outside [dividers[0], dividers[-1]) or -1,
    NaN count); NaN values and out-of-range values are not counted.
    """
    cdef Py_ssize_t n = x.shape[0], nb = counts.shape[0]
    cdef Py_ssize_t nch = _partial_chunks(n, nb), c, j
    cdef int nt = threads_for(n)
    cdef double[:, ::1] part = np.zeros((nch, nb))
    cdef int64_t[::1] bad = np.full(nch, -1, dtype=np.int64)
    cdef int64_t[::1] nan = np.zeros(nch, dtype=np.int64)
    cdef const real_x* p = &x[0]
    cdef const real_w* wp = &w[0] if weighted else NULL
    cdef Py_ssize_t stride = x.strides[0], wstride = w.strides[0] if weighted else 0
    for c in prange(nch, nogil=True, num_threads=nt, schedule="static"):
        _dividers_chunk(p, stride, wp, wstride, weighted, omit_w, c * n // nch,
                        (c + 1) * n // nch, &dividers[0], nb + 1, &part[c, 0], &bad[c],
                        &nan[c])
    with nogil:
        for c in range(nch):
            for j in range(nb):
                counts[j] += part[c, j]
    first_bad = -1
    for c in range(nch):
        if bad[c] >= 0:
            first_bad = bad[c]
            break
    return first_bad, int(np.sum(nan))


# ----------------------------------------------------------------------- CDF

cdef void _le_chunk(const real_x* p, Py_ssize_t stride, const real_w* wp,
                    Py_ssize_t wstride, bint weighted, bint omit_w, Py_ssize_t a,
                    Py_ssize_t b, const double* q, Py_ssize_t m, double* h,
                    int64_t* nan) noexcept nogil:
    cdef double v, wt = 1.0
    cdef Py_ssize_t i, l, r, mid
    cdef int64_t nn = 0
    for i in range(a, b):
        v = _load(p, stride, i)
        if v != v:
            nn += 1
            continue
        if weighted:
            wt = (<const real_w*>((<const char*>wp) + i * wstride))[0]
            if omit_w and wt != wt:
                continue
        # first j with q[j] >= v (m when none): v counts for q[j], q[j+1], ...
        # Branch-free lower bound (a branchy search mispredicts on random data).
        l = 0
        if m > 0:
            r = m
            while r > 1:
                mid = r >> 1
                l = l + mid if q[l + mid] < v else l
                r -= mid
            l += q[l] < v
        h[l] += wt
    nan[0] = nn


def weight_at_or_below(const real_x[:] x, const real_w[:] w, bint weighted,
                       bint omit_w, const double[::1] q, double[::1] out):
    """out[j] = weight of the values in (q[j-1], q[j]] (q sorted ascending), out[m] =
    weight above q[m-1]; a cumulative sum gives the weight at or below each q.
    Returns the NaN count of x (NaN values are not counted)."""
    cdef Py_ssize_t n = x.shape[0], m = q.shape[0]
    cdef Py_ssize_t nch = _partial_chunks(n, m + 1), c, j
    cdef int nt = threads_for(n)
    cdef double[:, ::1] part = np.zeros((nch, m + 1))
    cdef int64_t[::1] nan = np.zeros(nch, dtype=np.int64)
    cdef const real_x* p = &x[0]
    cdef const real_w* wp = &w[0] if weighted else NULL
    cdef Py_ssize_t stride = x.strides[0], wstride = w.strides[0] if weighted else 0
    for c in prange(nch, nogil=True, num_threads=nt, schedule="static"):
        _le_chunk(p, stride, wp, wstride, weighted, omit_w, c * n // nch,
                  (c + 1) * n // nch, &q[0], m, &part[c, 0], &nan[c])
    with nogil:
        for c in range(nch):
            for j in range(m + 1):
                out[j] += part[c, j]
    return int(np.sum(nan))
