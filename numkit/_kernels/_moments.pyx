"""Moments of 1-D data: weighted or not, NaN-omitting or not, up to the 4th central.

Algorithm (DESIGN.md, ``reduce``): a cache-blocked two-pass. The data are split into
blocks of ``BLOCK`` elements, small enough to stay in L1. For each block an exact
two-pass runs: pass 1 sums the values shifted by one representative value ``c`` (the
first finite element, or a caller's shift), giving an approximate block mean; pass 2
sums the powers of the deviations from it while the block is still in cache, and the
first-order correction of Chan, Golub & LeVeque (1983) (``sum d`` over the block)
makes the block mean and central sums exact to rounding. Blocks merge with Chan et al.'s
pairwise update for the mean and M2 and Pébay's (2008) for M3 and M4. Memory is read
once, at two-pass accuracy.

Pass 1 is needed only for its approximate mean, and the corrected sums are exact for
any approximation within about a standard deviation of the block's mean. So every
block after a chunk's first starts pass 2 directly from the previous block's mean,
and checks the guess: when the correction term exceeds the corrected sum of squares
(the guess was more than a standard deviation off, as for drifting data), pass 2
reruns from the corrected mean while the block is still in cache. Stationary data
thus cost one pass of arithmetic per element, drifting data at most two.

The shift matters: block means are kept relative to ``c``, so for data such as
1e12 + small spread the means being merged are small numbers whose differences are
exact; without it the merge amplifies the rounding of the block means (a prototype
kept 7.7 digits of such a variance; with the shift, 15).

Parallel reductions split [0, n) into ``chunk_count(n)`` chunks (a function of n only),
compute one partial per chunk in a ``prange`` and merge the partials serially in chunk
order, so 1 and 2 threads give the same bits.

The float64 loops of the common case (contiguous, no NaN omission) are C, compiled
for AVX2 and for baseline x86-64 with the CPU choosing at load time; both clones add
the same lanes in the same order without FMA, so they give the same bits. float32,
strided and NaN-omitting data take the Cython loops.

The weighted passes also note whether a weight is negative, so the caller can reject
negative weights without a second read of them.

References
----------
Chan, T. F., Golub, G. H., LeVeque, R. J. (1983). Algorithms for computing the sample
variance: analysis and recommendations. The American Statistician 37(3), 242-247.
Pébay, P. (2008). Formulas for robust, one-pass parallel computation of covariances
and arbitrary-order statistical moments. Sandia Report SAND2008-6212.
"""

from cython cimport floating
from cython.parallel cimport prange
from libc.math cimport cos, fabs, isfinite, isnan, log, pow, sin, INFINITY, NAN
from libc.stdlib cimport free, malloc

from numkit._kernels._openmp cimport chunk_count, threads_for

cdef enum:
    # 2048 doubles = 16 KiB (32 KiB with the weights): a block stays in L1 or L2 for
    # the second pass.
    BLOCK = 2048
    # independent accumulators per sum: hides add latency and lets the compiler pair
    # them into SIMD registers.
    LANES = 8
    # fewer where a loop keeps three to five sums: 8 lanes would spill SIMD registers
    LANES4 = 4


cdef struct Partial:
    double w       # total weight (the count when unweighted)
    double mean    # mean relative to the shift c
    double m2      # sum of w (x - mean)^2
    double m3
    double m4
    double mn
    double mx
    double wneg    # 1.0 when a negative weight was seen (the caller raises)


cdef inline void _empty(Partial* p) noexcept nogil:
    p.w = 0.0
    p.mean = 0.0
    p.m2 = 0.0
    p.m3 = 0.0
    p.m4 = 0.0
    p.mn = INFINITY
    p.mx = -INFINITY
    p.wneg = 0.0


cdef inline void _merge(Partial* a, const Partial* b, int order) noexcept nogil:
    """a <- a ∪ b (Chan et al. for the mean and M2, Pébay for M3 and M4).

    An empty partial (w == 0) leaves the other unchanged unless its mean is NaN: a
    NaN that met a zero weight under nan_policy="propagate" still propagates.
    """
    cdef double n, na, nb, wa, wb, delta, d2, m2a, m2b, m3a, m3b
    cdef double wneg = a.wneg if a.wneg > b.wneg else b.wneg
    a.wneg = wneg
    if b.w == 0.0 and not isnan(b.mean):
        return
    if a.w == 0.0 and not isnan(a.mean):
        a[0] = b[0]
        a.wneg = wneg
        return
    na = a.w
    nb = b.w
    n = na + nb
    wa = na / n
    wb = nb / n
    delta = b.mean - a.mean
    d2 = delta * delta
    if isfinite(a.mean) and isfinite(b.mean):
        a.mean = a.mean + delta * wb
    else:
        # inf or NaN data: inf + finite is inf, inf - inf and NaN are NaN, as for the
        # mean itself (the update formula would give inf - inf)
        a.mean = a.mean + b.mean
    if order >= 2:
        m2a = a.m2
        m2b = b.m2
        a.m2 = m2a + m2b + d2 * na * wb
        if order >= 3:
            m3a = a.m3
            m3b = b.m3
            a.m3 = (m3a + m3b + d2 * delta * na * wb * (wa - wb)
                    + 3.0 * delta * (wa * m2b - wb * m2a))
            a.m4 = (a.m4 + b.m4 + d2 * d2 * na * wb * (wa * wa - wa * wb + wb * wb)
                    + 6.0 * d2 * (wa * wa * m2b + wb * wb * m2a)
                    + 4.0 * delta * (wa * m3b - wb * m3a))
            if b.mn < a.mn or isnan(b.mn):
                if not isnan(a.mn):
                    a.mn = b.mn
            if b.mx > a.mx or isnan(b.mx):
                if not isnan(a.mx):
                    a.mx = b.mx
    a.w = n


cdef inline double _lanes4_total(const double* s) noexcept nogil:
    return (s[0] + s[1]) + (s[2] + s[3])


cdef inline void _block(const floating* x, Py_ssize_t xs, const floating* w,
                        Py_ssize_t ws, Py_ssize_t n, double c, Partial* p,
                        int order, bint weighted, bint omit) noexcept nogil:
    """Exact two-pass moments of one cached block.

    Called with literal ``order``, ``weighted`` and ``omit`` (and ``xs == 1`` for
    contiguous data) so that the C compiler specialises each loop.
    """
    cdef double sw[LANES4]
    cdef double sy[LANES4]
    cdef double s2[LANES4]
    cdef double s3[LANES4]
    cdef double s4[LANES4]
    cdef double v, wt, d, wd, dd, m, delta, tw, ty, t2, t3, t4, mn, mx
    cdef Py_ssize_t i, k
    cdef bint ok

    p.wneg = _any_negative(w, ws, n) if weighted else 0.0
    # Pass 1: total weight and weighted sum of x - c.
    for k in range(LANES4):
        sw[k] = 0.0
        sy[k] = 0.0
    i = 0
    while i + LANES4 <= n:
        for k in range(LANES4):
            v = <double>x[(i + k) * xs] - c
            if weighted:
                wt = <double>w[(i + k) * ws]
                if omit:
                    ok = (v == v) and (wt == wt)
                    wt = wt if ok else 0.0
                    v = v if ok else 0.0
                sw[k] += wt
                sy[k] += wt * v
            elif omit:
                ok = v == v
                sw[k] += 1.0 if ok else 0.0
                sy[k] += v if ok else 0.0
            else:
                sy[k] += v
        i += LANES4
    while i < n:
        v = <double>x[i * xs] - c
        if weighted:
            wt = <double>w[i * ws]
            if omit:
                ok = (v == v) and (wt == wt)
                wt = wt if ok else 0.0
                v = v if ok else 0.0
            sw[0] += wt
            sy[0] += wt * v
        elif omit:
            ok = v == v
            sw[0] += 1.0 if ok else 0.0
            sy[0] += v if ok else 0.0
        else:
            sy[0] += v
        i += 1
    ty = _lanes4_total(sy)
    if weighted or omit:
        tw = _lanes4_total(sw)
    else:
        tw = <double>n
    p.w = tw
    p.mn = INFINITY
    p.mx = -INFINITY
    p.m2 = 0.0
    p.m3 = 0.0
    p.m4 = 0.0
    if tw == 0.0:
        p.mean = ty    # 0, or NaN when a NaN met a zero weight
        return
    p.mean = ty / tw
    if order == 1:
        return

    # Pass 2 (the block is in cache): sums of powers of d = x - m.
    m = c + p.mean
    for k in range(LANES4):
        sy[k] = 0.0
        s2[k] = 0.0
        s3[k] = 0.0
        s4[k] = 0.0
    mn = INFINITY
    mx = -INFINITY
    i = 0
    while i + LANES4 <= n:
        for k in range(LANES4):
            v = <double>x[(i + k) * xs]
            d = v - m
            if weighted:
                wt = <double>w[(i + k) * ws]
                if omit:
                    ok = (d == d) and (wt == wt)
                    wt = wt if ok else 0.0
                    d = d if ok else 0.0
                wd = wt * d
            elif omit:
                ok = d == d
                d = d if ok else 0.0
                wd = d
            else:
                wd = d
            sy[k] += wd
            s2[k] += wd * d
            if order >= 3:
                dd = d * d
                s3[k] += wd * dd
                s4[k] += (wd * d) * dd
        i += LANES4
    while i < n:
        v = <double>x[i * xs]
        d = v - m
        if weighted:
            wt = <double>w[i * ws]
            if omit:
                ok = (d == d) and (wt == wt)
                wt = wt if ok else 0.0
                d = d if ok else 0.0
            wd = wt * d
        elif omit:
            ok = d == d
            d = d if ok else 0.0
            wd = d
        else:
            wd = d
        sy[0] += wd
        s2[0] += wd * d
        if order >= 3:
            dd = d * d
            s3[0] += wd * dd
            s4[0] += (wd * d) * dd
        i += 1
    if order >= 3:
        # Extremes in a separate sweep of the cached block: kept out of the sums' loop
        # so that loop stays branch-free. Zero-weight and omitted values do not count.
        for i in range(n):
            v = <double>x[i * xs]
            if weighted:
                wt = <double>w[i * ws]
                if not (wt > 0.0):
                    if omit or wt == 0.0:
                        continue
            if isnan(v):
                if omit:
                    continue
                mn = v
                mx = v
                break
            if v < mn:
                mn = v
            if v > mx:
                mx = v
        p.mn = mn
        p.mx = mx

    delta = _lanes4_total(sy)
    delta = delta / tw
    t2 = _lanes4_total(s2)
    if not isfinite(delta):
        # inf data: the deviations are NaN; keep the (infinite) mean, M2 is NaN
        p.m2 = t2
        p.m3 = t2
        p.m4 = t2
        return
    p.mean = p.mean + delta
    # Moments about the corrected mean m + delta from those about m.
    p.m2 = t2 - delta * delta * tw
    if order >= 3:
        t3 = _lanes4_total(s3)
        t4 = _lanes4_total(s4)
        p.m3 = t3 - 3.0 * delta * t2 + 2.0 * tw * delta * delta * delta
        p.m4 = (t4 - 4.0 * delta * t3 + 6.0 * delta * delta * t2
                - 3.0 * tw * delta * delta * delta * delta)


# The float64 hot loops, in C so that each is compiled twice, for AVX2 and for the
# baseline x86-64 (SSE2), and the CPU picks one at load time (GCC's target_clones;
# other compilers get the baseline only). The lanes fix the summation order, and
# neither clone contracts to FMA, so both give the same bits.
cdef extern from *:
    """
    #if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
    #define NUMKIT_CLONES __attribute__((target_clones("avx2", "default")))
    #else
    #define NUMKIT_CLONES
    #endif

    #if defined(__GNUC__)
    /* Eight lanes as two 4-wide vectors (GCC/Clang vector extensions): AVX2 keeps each
       in one register, SSE2 splits it in two; lane k always sums elements i + k. */
    typedef double nk_v4 __attribute__((vector_size(32)));
    #define NK_LOAD(v, p) __builtin_memcpy(&(v), (p), sizeof(nk_v4))
    #define NK_ZERO {0.0, 0.0, 0.0, 0.0}
    #define NK_TOTAL(a, b) ((((a)[0] + (a)[1]) + ((a)[2] + (a)[3])) + (((b)[0] + (b)[1]) + ((b)[2] + (b)[3])))
    /* a negative weight seen: OR of the comparison masks (integer work, off the FP pipes) */
    typedef long long nk_m4 __attribute__((vector_size(32)));
    #define NK_ANY(m) ((double)(((m)[0] | (m)[1]) | ((m)[2] | (m)[3])) != 0.0)

    static NUMKIT_CLONES double numkit_sum_shifted(const double* x, Py_ssize_t n, double c) {
        nk_v4 a = NK_ZERO, b = NK_ZERO, xa, xb;
        Py_ssize_t i = 0;
        for (; i + 8 <= n; i += 8) {
            NK_LOAD(xa, x + i); NK_LOAD(xb, x + i + 4);
            a += xa - c; b += xb - c;
        }
        for (; i < n; i++) a[0] += x[i] - c;
        return NK_TOTAL(a, b);
    }

    static NUMKIT_CLONES double numkit_sum_shifted_w(const double* x, const double* w,
                                                     Py_ssize_t n, double c, double* tw,
                                                     double* neg) {
        nk_v4 a = NK_ZERO, b = NK_ZERO, wa_ = NK_ZERO, wb_ = NK_ZERO, xa, xb, va, vb;
        nk_v4 zero = NK_ZERO;
        nk_m4 ng = {0, 0, 0, 0};
        Py_ssize_t i = 0;
        for (; i + 8 <= n; i += 8) {
            NK_LOAD(xa, x + i); NK_LOAD(xb, x + i + 4);
            NK_LOAD(va, w + i); NK_LOAD(vb, w + i + 4);
            ng |= (va < zero) | (vb < zero);
            wa_ += va; wb_ += vb;
            a += va * (xa - c); b += vb * (xb - c);
        }
        for (; i < n; i++) { ng[0] |= w[i] < 0.0; wa_[0] += w[i]; a[0] += w[i] * (x[i] - c); }
        *neg = NK_ANY(ng);
        *tw = NK_TOTAL(wa_, wb_);
        return NK_TOTAL(a, b);
    }

    static NUMKIT_CLONES void numkit_dev2(const double* x, Py_ssize_t n, double m, double* t) {
        nk_v4 s1a = NK_ZERO, s1b = NK_ZERO, s2a = NK_ZERO, s2b = NK_ZERO, da, db;
        Py_ssize_t i = 0;
        for (; i + 8 <= n; i += 8) {
            NK_LOAD(da, x + i); NK_LOAD(db, x + i + 4);
            da -= m; db -= m;
            s1a += da; s1b += db;
            s2a += da * da; s2b += db * db;
        }
        for (; i < n; i++) { double d = x[i] - m; s1a[0] += d; s2a[0] += d * d; }
        t[0] = NK_TOTAL(s1a, s1b);
        t[1] = NK_TOTAL(s2a, s2b);
    }

    static NUMKIT_CLONES void numkit_dev2_w(const double* x, const double* w, Py_ssize_t n,
                                            double m, double* t) {
        nk_v4 s0a = NK_ZERO, s0b = NK_ZERO, s1a = NK_ZERO, s1b = NK_ZERO, s2a = NK_ZERO,
              s2b = NK_ZERO, da, db, va, vb, zero = NK_ZERO;
        nk_m4 ng = {0, 0, 0, 0};
        Py_ssize_t i = 0;
        for (; i + 8 <= n; i += 8) {
            NK_LOAD(da, x + i); NK_LOAD(db, x + i + 4);
            NK_LOAD(va, w + i); NK_LOAD(vb, w + i + 4);
            ng |= (va < zero) | (vb < zero);
            da -= m; db -= m;
            s0a += va; s0b += vb;
            va *= da; vb *= db;
            s1a += va; s1b += vb;
            s2a += va * da; s2b += vb * db;
        }
        for (; i < n; i++) {
            double d = x[i] - m, wd = w[i] * d;
            ng[0] |= w[i] < 0.0;
            s0a[0] += w[i]; s1a[0] += wd; s2a[0] += wd * d;
        }
        t[0] = NK_TOTAL(s1a, s1b);
        t[1] = NK_TOTAL(s2a, s2b);
        t[4] = NK_TOTAL(s0a, s0b);
        t[5] = NK_ANY(ng);
    }

    /* Four lanes (one vector per sum): five sums of eight lanes would spill SSE2. */
    static NUMKIT_CLONES void numkit_dev4(const double* x, const double* w, int weighted,
                                          Py_ssize_t n, double m, double* t) {
        nk_v4 s0 = NK_ZERO, s1 = NK_ZERO, s2 = NK_ZERO, s3 = NK_ZERO, s4 = NK_ZERO, d, v, dd;
        nk_v4 zero = NK_ZERO;
        nk_m4 ng = {0, 0, 0, 0};
        Py_ssize_t i = 0;
        if (weighted) {
            for (; i + 4 <= n; i += 4) {
                NK_LOAD(d, x + i); NK_LOAD(v, w + i);
                ng |= v < zero;
                d -= m; dd = d * d;
                s0 += v;
                v *= d;
                s1 += v;
                s2 += v * d;
                s3 += v * dd;
                s4 += (v * d) * dd;
            }
        } else {
            for (; i + 4 <= n; i += 4) {
                NK_LOAD(d, x + i);
                d -= m; dd = d * d;
                s1 += d;
                s2 += dd;
                s3 += d * dd;
                s4 += dd * dd;
            }
        }
        for (; i < n; i++) {
            double e = x[i] - m, we = weighted ? w[i] * e : e, ee = e * e;
            if (weighted) ng[0] |= w[i] < 0.0;
            s0[0] += weighted ? w[i] : 1.0;
            s1[0] += we; s2[0] += we * e; s3[0] += we * ee; s4[0] += (we * e) * ee;
        }
        t[5] = NK_ANY(ng);
        t[0] = (s1[0] + s1[1]) + (s1[2] + s1[3]);
        t[1] = (s2[0] + s2[1]) + (s2[2] + s2[3]);
        t[2] = (s3[0] + s3[1]) + (s3[2] + s3[3]);
        t[3] = (s4[0] + s4[1]) + (s4[2] + s4[3]);
        t[4] = weighted ? (s0[0] + s0[1]) + (s0[2] + s0[3]) : (double)n;
    }
    #else
    /* Compilers without vector extensions: plain loops (the same sums, one lane). */
    static double numkit_sum_shifted(const double* x, Py_ssize_t n, double c) {
        double s = 0.0; for (Py_ssize_t i = 0; i < n; i++) s += x[i] - c; return s;
    }
    static double numkit_sum_shifted_w(const double* x, const double* w, Py_ssize_t n,
                                       double c, double* tw, double* neg) {
        double s = 0.0, sw = 0.0;
        int ng = 0;
        for (Py_ssize_t i = 0; i < n; i++) { ng |= w[i] < 0.0; sw += w[i]; s += w[i] * (x[i] - c); }
        *tw = sw; *neg = ng; return s;
    }
    static void numkit_dev2(const double* x, Py_ssize_t n, double m, double* t) {
        double s1 = 0.0, s2 = 0.0;
        for (Py_ssize_t i = 0; i < n; i++) { double d = x[i] - m; s1 += d; s2 += d * d; }
        t[0] = s1; t[1] = s2;
    }
    static void numkit_dev2_w(const double* x, const double* w, Py_ssize_t n, double m,
                              double* t) {
        double s0 = 0.0, s1 = 0.0, s2 = 0.0;
        int ng = 0;
        for (Py_ssize_t i = 0; i < n; i++) {
            double d = x[i] - m, wd = w[i] * d;
            ng |= w[i] < 0.0; s0 += w[i]; s1 += wd; s2 += wd * d;
        }
        t[0] = s1; t[1] = s2; t[4] = s0; t[5] = ng;
    }
    static void numkit_dev4(const double* x, const double* w, int weighted, Py_ssize_t n,
                            double m, double* t) {
        double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0;
        int ng = 0;
        for (Py_ssize_t i = 0; i < n; i++) {
            double e = x[i] - m, we = weighted ? w[i] * e : e, ee = e * e;
            if (weighted) ng |= w[i] < 0.0;
            s0 += weighted ? w[i] : 1.0; s1 += we; s2 += we * e; s3 += we * ee;
            s4 += (we * e) * ee;
        }
        t[0] = s1; t[1] = s2; t[2] = s3; t[3] = s4; t[4] = s0; t[5] = ng;
    }
    #endif
    """
    double numkit_sum_shifted(const double* x, Py_ssize_t n, double c) noexcept nogil
    double numkit_sum_shifted_w(const double* x, const double* w, Py_ssize_t n, double c,
                                double* tw, double* neg) noexcept nogil
    void numkit_dev2(const double* x, Py_ssize_t n, double m, double* t) noexcept nogil
    void numkit_dev2_w(const double* x, const double* w, Py_ssize_t n, double m,
                       double* t) noexcept nogil
    void numkit_dev4(const double* x, const double* w, int weighted, Py_ssize_t n,
                     double m, double* t) noexcept nogil


# Tight loops for contiguous data without NaN omission: the common case, written out
# so each is a branch-free loop over lanes that the compiler vectorises. These Cython
# loops serve float32; float64 goes to the C twins above.

cdef inline double _lanes_total(const double* s) noexcept nogil:
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]))


cdef double _pass1_loop(const floating* x, Py_ssize_t n, double c) noexcept nogil:
    """sum of x - c."""
    cdef double sy[LANES]
    cdef Py_ssize_t i, k
    for k in range(LANES):
        sy[k] = 0.0
    i = 0
    while i + LANES <= n:
        for k in range(LANES):
            sy[k] += <double>x[i + k] - c
        i += LANES
    while i < n:
        sy[0] += <double>x[i] - c
        i += 1
    return _lanes_total(sy)


cdef double _any_negative(const floating* w, Py_ssize_t ws, Py_ssize_t n) noexcept nogil:
    """1.0 when a weight is negative (the caller raises), else 0.0."""
    cdef Py_ssize_t i
    for i in range(n):
        if w[i * ws] < 0:
            return 1.0
    return 0.0


cdef double _pass1_weighted_loop(const floating* x, const floating* w, Py_ssize_t n,
                                 double c, double* tw, double* neg) noexcept nogil:
    """sum of w (x - c); the sum of w goes to tw."""
    cdef double sy[LANES4]
    cdef double sw[LANES4]
    cdef Py_ssize_t i, k
    for k in range(LANES4):
        sy[k] = 0.0
        sw[k] = 0.0
    i = 0
    while i + LANES4 <= n:
        for k in range(LANES4):
            sw[k] += <double>w[i + k]
            sy[k] += <double>w[i + k] * (<double>x[i + k] - c)
        i += LANES4
    while i < n:
        sw[0] += <double>w[i]
        sy[0] += <double>w[i] * (<double>x[i] - c)
        i += 1
    tw[0] = _lanes4_total(sw)
    neg[0] = _any_negative(w, 1, n)
    return _lanes4_total(sy)


cdef void _pass2_loop(const floating* x, Py_ssize_t n, double m, double* t) noexcept nogil:
    """t[0], t[1] = sum of d, sum of d^2 for d = x - m."""
    cdef double s1[LANES4]
    cdef double s2[LANES4]
    cdef double d
    cdef Py_ssize_t i, k
    for k in range(LANES4):
        s1[k] = 0.0
        s2[k] = 0.0
    i = 0
    while i + LANES4 <= n:
        for k in range(LANES4):
            d = <double>x[i + k] - m
            s1[k] += d
            s2[k] += d * d
        i += LANES4
    while i < n:
        d = <double>x[i] - m
        s1[0] += d
        s2[0] += d * d
        i += 1
    t[0] = _lanes4_total(s1)
    t[1] = _lanes4_total(s2)


cdef void _pass2_weighted_loop(const floating* x, const floating* w, Py_ssize_t n, double m,
                          double* t) noexcept nogil:
    """t[0], t[1], t[4] = sums of w d, w d^2 and w for d = x - m."""
    cdef double s0[LANES4]
    cdef double s1[LANES4]
    cdef double s2[LANES4]
    cdef double d, wt, wd
    cdef Py_ssize_t i, k
    for k in range(LANES4):
        s0[k] = 0.0
        s1[k] = 0.0
        s2[k] = 0.0
    i = 0
    while i + LANES4 <= n:
        for k in range(LANES4):
            wt = <double>w[i + k]
            d = <double>x[i + k] - m
            wd = wt * d
            s0[k] += wt
            s1[k] += wd
            s2[k] += wd * d
        i += LANES4
    while i < n:
        wt = <double>w[i]
        d = <double>x[i] - m
        wd = wt * d
        s0[0] += wt
        s1[0] += wd
        s2[0] += wd * d
        i += 1
    t[0] = _lanes4_total(s1)
    t[1] = _lanes4_total(s2)
    t[4] = _lanes4_total(s0)
    t[5] = _any_negative(w, 1, n)


cdef void _pass2_order4_loop(const floating* x, const floating* w, bint weighted,
                        Py_ssize_t n, double m, double* t) noexcept nogil:
    """t[0..4] = sums of w d, w d^2, w d^3, w d^4 and w."""
    cdef double s0[LANES4]
    cdef double s1[LANES4]
    cdef double s2[LANES4]
    cdef double s3[LANES4]
    cdef double s4[LANES4]
    cdef double d, wd, dd
    cdef Py_ssize_t i, k
    for k in range(LANES4):
        s0[k] = 0.0
        s1[k] = 0.0
        s2[k] = 0.0
        s3[k] = 0.0
        s4[k] = 0.0
    i = 0
    if weighted:
        while i + LANES4 <= n:
            for k in range(LANES4):
                d = <double>x[i + k] - m
                wd = <double>w[i + k] * d
                dd = d * d
                s0[k] += <double>w[i + k]
                s1[k] += wd
                s2[k] += wd * d
                s3[k] += wd * dd
                s4[k] += (wd * d) * dd
            i += LANES4
    else:
        while i + LANES4 <= n:
            for k in range(LANES4):
                d = <double>x[i + k] - m
                dd = d * d
                s1[k] += d
                s2[k] += dd
                s3[k] += d * dd
                s4[k] += dd * dd
            i += LANES4
    while i < n:
        d = <double>x[i] - m
        wd = <double>w[i] * d if weighted else d
        dd = d * d
        s0[0] += <double>w[i] if weighted else 1.0
        s1[0] += wd
        s2[0] += wd * d
        s3[0] += wd * dd
        s4[0] += (wd * d) * dd
        i += 1
    t[0] = _lanes4_total(s1)
    t[1] = _lanes4_total(s2)
    t[2] = _lanes4_total(s3)
    t[3] = _lanes4_total(s4)
    t[4] = _lanes4_total(s0) if weighted else <double>n
    t[5] = _any_negative(w, 1, n) if weighted else 0.0


# Dispatch: float64 to the C loops above, float32 to the Cython loops.

cdef inline double _pass1(const floating* x, Py_ssize_t n, double c) noexcept nogil:
    if floating is double:
        return numkit_sum_shifted(x, n, c)
    else:
        return _pass1_loop(x, n, c)


cdef inline double _pass1_weighted(const floating* x, const floating* w, Py_ssize_t n,
                                   double c, double* tw, double* neg) noexcept nogil:
    if floating is double:
        return numkit_sum_shifted_w(x, w, n, c, tw, neg)
    else:
        return _pass1_weighted_loop(x, w, n, c, tw, neg)


cdef inline void _pass2(const floating* x, Py_ssize_t n, double m, double* t) noexcept nogil:
    if floating is double:
        numkit_dev2(x, n, m, t)
    else:
        _pass2_loop(x, n, m, t)


cdef inline void _pass2_weighted(const floating* x, const floating* w, Py_ssize_t n,
                                 double m, double* t) noexcept nogil:
    if floating is double:
        numkit_dev2_w(x, w, n, m, t)
    else:
        _pass2_weighted_loop(x, w, n, m, t)


cdef inline void _pass2_order4(const floating* x, const floating* w, bint weighted,
                               Py_ssize_t n, double m, double* t) noexcept nogil:
    if floating is double:
        numkit_dev4(x, w, weighted, n, m, t)
    else:
        _pass2_order4_loop(x, w, weighted, n, m, t)


cdef void _extrema(const floating* x, const floating* w, bint weighted, Py_ssize_t n,
                   bint has_nan, double* lo, double* hi) noexcept nogil:
    """Least and greatest value with positive weight; NaN if ``has_nan`` and a NaN
    with positive weight is there (the comparisons alone would skip it)."""
    cdef double mn = INFINITY, mx = -INFINITY, v
    cdef Py_ssize_t i
    for i in range(n):
        v = <double>x[i]
        if weighted and <double>w[i] == 0.0:
            continue
        mn = v if v < mn else mn
        mx = v if v > mx else mx
    if has_nan:
        for i in range(n):
            if isnan(x[i]) and not (weighted and <double>w[i] == 0.0):
                mn = NAN
                mx = NAN
                break
    lo[0] = mn
    hi[0] = mx


cdef void _finish(Partial* p, double tw, double mean, double* t, int order) noexcept nogil:
    """Block moments about its corrected mean from the sums t of powers of x - m,
    where m = c + mean (Chan, Golub & LeVeque's correction, exact algebra for M3, M4)."""
    cdef double delta = t[0] / tw
    p.w = tw
    p.mean = mean
    if not isfinite(delta):
        # inf or NaN data. After pass 1 the mean is already inf or NaN and the
        # deviations from it are NaN: keep it. After a guess (a finite mean) the sum of
        # deviations carries the inf or NaN: add it. The central sums are NaN.
        if isfinite(mean):
            p.mean = mean + delta
        p.m2 = t[1] + delta * 0.0
        p.m3 = p.m2
        p.m4 = p.m2
        return
    p.mean = mean + delta
    p.m2 = t[1] - delta * delta * tw
    if order >= 3:
        p.m3 = t[2] - 3.0 * delta * t[1] + 2.0 * tw * delta * delta * delta
        p.m4 = (t[3] - 4.0 * delta * t[2] + 6.0 * delta * delta * t[1]
                - 3.0 * tw * delta * delta * delta * delta)


cdef inline void _central_sums(const floating* x, const floating* w, Py_ssize_t n,
                               double m, int order, bint weighted, double* t) noexcept nogil:
    if order == 2:
        if weighted:
            _pass2_weighted(x, w, n, m, t)
        else:
            _pass2(x, n, m, t)
            t[4] = <double>n
            t[5] = 0.0
    else:
        _pass2_order4(x, w, weighted, n, m, t)


cdef void _block_fast(const floating* x, const floating* w, Py_ssize_t n, double c,
                      Partial* p, int order, bint weighted, bint has_guess,
                      double guess) noexcept nogil:
    """Moments of one cached contiguous block, no NaN omission.

    With ``has_guess`` (the previous block's mean, relative to c) pass 1 is skipped:
    the sums of powers of x - (c + guess) with Chan, Golub & LeVeque's correction are
    exact to rounding as long as the guess is within a standard deviation or so of
    the block's mean; when it is not (the correction term exceeds the corrected sum
    of squares), a second pass from the corrected mean runs while the block is in
    cache. Without a guess it is the plain two-pass.
    """
    cdef double tw, ty, mean, m, corr, neg = 0.0
    cdef double t[6]
    p.w = 0.0
    p.m2 = 0.0
    p.m3 = 0.0
    p.m4 = 0.0
    p.mn = INFINITY
    p.mx = -INFINITY
    p.wneg = 0.0
    t[5] = 0.0
    if order == 1 or not has_guess:
        if weighted:
            ty = _pass1_weighted(x, w, n, c, &tw, &neg)
            p.wneg = neg
        else:
            ty = _pass1(x, n, c)
            tw = <double>n
        p.w = tw
        if tw == 0.0:
            p.mean = ty    # 0, or NaN when a NaN met a zero weight
            return
        mean = ty / tw
        p.mean = mean
        if order == 1:
            return
        m = c + mean
        _central_sums(x, w, n, m, order, weighted, t)
    else:
        m = c + guess
        _central_sums(x, w, n, m, order, weighted, t)
        tw = t[4]
        p.wneg = t[5]
        if tw == 0.0:
            p.mean = t[0]
            return
        corr = t[0] * (t[0] / tw)
        if corr > t[1] - corr:
            # a poor guess: redo from the corrected mean
            m = m + t[0] / tw
            _central_sums(x, w, n, m, order, weighted, t)
    p.w = tw
    if order >= 3:
        _extrema(x, w, weighted, n, isnan(t[1]), &p.mn, &p.mx)
    _finish(p, tw, m - c, t, order)


cdef void _block_dispatch(const floating* x, Py_ssize_t xs, const floating* w,
                          Py_ssize_t ws, Py_ssize_t n, double c, Partial* p,
                          int order, bint weighted, bint omit, bint has_guess,
                          double guess) noexcept nogil:
    if not omit and xs == 1 and (ws == 1 or not weighted):
        _block_fast(x, w, n, c, p, order, weighted, has_guess, guess)
    else:
        _block(x, xs, w, ws, n, c, p, order, weighted, omit)


cdef void _chunk(const floating* x, Py_ssize_t xs, const floating* w, Py_ssize_t ws,
                 Py_ssize_t lo, Py_ssize_t hi, double c, int order, bint weighted,
                 bint omit, Partial* out) noexcept nogil:
    """Moments of x[lo:hi]: its blocks merged left to right."""
    cdef Partial blk
    cdef Py_ssize_t i = lo, m
    cdef bint has_guess = False
    cdef double guess = 0.0
    _empty(out)
    while i < hi:
        m = hi - i
        if m > BLOCK:
            m = BLOCK
        _block_dispatch(x + i * xs, xs, (w + i * ws) if weighted else w, ws, m, c,
                        &blk, order, weighted, omit, has_guess, guess)
        # the next block starts from this block's mean (stationary data: a good guess)
        has_guess = blk.w > 0.0 and isfinite(blk.mean)
        guess = blk.mean
        _merge(out, &blk, order)
        i += m
    if out.w == 0.0 and order >= 3:
        out.mn = INFINITY
        out.mx = -INFINITY


cdef double _first_finite(const floating* x, Py_ssize_t xs, Py_ssize_t n) noexcept nogil:
    """The shift: the first finite element, or 0 when there is none."""
    cdef Py_ssize_t i
    for i in range(n):
        if isfinite(x[i * xs]):
            return <double>x[i * xs]
    return 0.0


cdef void _moments(const floating* x, Py_ssize_t xs, const floating* w, Py_ssize_t ws,
                   Py_ssize_t n, double c, int order, bint weighted, bint omit,
                   Partial* out) noexcept nogil:
    cdef Py_ssize_t nch = chunk_count(n), ci
    cdef Partial* parts
    cdef Partial part
    if nch == 1:
        _chunk(x, xs, w, ws, 0, n, c, order, weighted, omit, out)
        return
    parts = <Partial*>malloc(nch * sizeof(Partial))
    if parts == NULL:
        # no memory for 64 small structs: serially, the same chunks in the same order
        _empty(out)
        for ci in range(nch):
            _chunk(x, xs, w, ws, ci * n // nch, (ci + 1) * n // nch, c, order, weighted,
                   omit, &part)
            _merge(out, &part, order)
        return
    for ci in prange(nch, schedule="dynamic", num_threads=threads_for(n)):
        _chunk(x, xs, w, ws, ci * n // nch, (ci + 1) * n // nch, c, order, weighted,
               omit, &parts[ci])
    out[0] = parts[0]
    for ci in range(1, nch):
        _merge(out, &parts[ci], order)
    free(parts)


cdef inline Py_ssize_t _stride(Py_ssize_t bytes_, Py_ssize_t itemsize) noexcept nogil:
    return bytes_ // itemsize


def moments(const floating[:] x, const floating[:] weights, int order, bint omit,
            double shift):
    """Partial moments of x (weighted when ``weights`` is not None).

    ``order`` is 1 (mean only), 2 (mean and M2) or 4 (mean, M2, M3, M4, min, max).
    ``shift`` is the representative value subtracted before summing; NaN chooses the
    first finite element. Returns ``(w, shift, mean - shift, M2, M3, M4, min, max,
    negative)`` where w is the total weight (the count of values kept when
    unweighted), Mk is the weighted sum of (x - mean)^k and ``negative`` says whether
    a weight was negative (the kernel does not raise; the caller does). Entries beyond
    ``order`` are 0 (M3, M4) or +inf/-inf (min, max). Weights must have x's dtype.
    """
    cdef Py_ssize_t n = x.shape[0]
    cdef Py_ssize_t xs = _stride(x.strides[0], sizeof(floating))
    cdef Py_ssize_t ws = 0
    cdef const floating* wp = NULL
    cdef bint weighted = weights is not None
    cdef Partial p
    p.wneg = 0.0
    if order != 1 and order != 2:
        order = 4
    if weighted:
        ws = _stride(weights.strides[0], sizeof(floating))
        if n > 0:
            wp = &weights[0]
    if n == 0:
        _empty(&p)
        return (0.0, 0.0 if isnan(shift) else shift, 0.0, 0.0, 0.0, 0.0, INFINITY,
                -INFINITY, False)
    with nogil:
        if isnan(shift):
            shift = _first_finite(&x[0], xs, n)
        _moments(&x[0], xs, wp, ws, n, shift, order, weighted, omit, &p)
    return (p.w, shift, p.mean, p.m2, p.m3, p.m4, p.mn, p.mx, p.wneg != 0.0)


def merge(tuple a, tuple b):
    """Merge two partials ``(w, mean, M2, M3, M4, min, max)`` with means relative to
    the same shift; returns the merged tuple (Chan et al., Pébay)."""
    cdef Partial pa, pb
    pa.w, pa.mean, pa.m2, pa.m3, pa.m4, pa.mn, pa.mx = a
    pb.w, pb.mean, pb.m2, pb.m3, pb.m4, pb.mn, pb.mx = b
    pa.wneg = 0.0
    pb.wneg = 0.0
    _merge(&pa, &pb, 4)
    return (pa.w, pa.mean, pa.m2, pa.m3, pa.m4, pa.mn, pa.mx)


# --------------------------------------------------------------------------------------
# Sums of transformed values: sum w (x - center)^k, sum w log x, sum w / x,
# sum w sin x and sum w cos x. One chunked, deterministic pattern for all.

cdef enum Transform:
    POWER = 0
    LOG = 1
    RECIPROCAL = 2
    SINCOS = 3


cdef inline double _power(double d, double k, int ik) noexcept nogil:
    if ik == 1:
        return d
    if ik == 2:
        return d * d
    if ik == 3:
        return d * d * d
    if ik == 4:
        return (d * d) * (d * d)
    return pow(d, k)


cdef void _transform_chunk(const floating* x, Py_ssize_t xs, const floating* w,
                           Py_ssize_t ws, Py_ssize_t lo, Py_ssize_t hi, int kind,
                           double k, int ik, double center, bint weighted, bint omit,
                           double* out) noexcept nogil:
    """out[0] = sum of weights kept, out[1], out[2] = the transformed sums."""
    cdef double sw[LANES]
    cdef double s1[LANES]
    cdef double s2[LANES]
    cdef double v, wt, a, b
    cdef Py_ssize_t i, j
    cdef int lane
    for lane in range(LANES):
        sw[lane] = 0.0
        s1[lane] = 0.0
        s2[lane] = 0.0
    for i in range(lo, hi):
        lane = (i - lo) % LANES
        v = <double>x[i * xs]
        wt = <double>w[i * ws] if weighted else 1.0
        if omit and (isnan(v) or isnan(wt)):
            continue
        b = 0.0
        if kind == POWER:
            a = _power(v - center, k, ik)
        elif kind == LOG:
            a = log(v)
        elif kind == RECIPROCAL:
            a = 1.0 / v
        else:
            a = sin(v)
            b = cos(v)
        sw[lane] += wt
        if weighted:
            s1[lane] += wt * a
            s2[lane] += wt * b
        else:
            s1[lane] += a
            s2[lane] += b
    out[0] = ((sw[0] + sw[1]) + (sw[2] + sw[3])) + ((sw[4] + sw[5]) + (sw[6] + sw[7]))
    out[1] = ((s1[0] + s1[1]) + (s1[2] + s1[3])) + ((s1[4] + s1[5]) + (s1[6] + s1[7]))
    out[2] = ((s2[0] + s2[1]) + (s2[2] + s2[3])) + ((s2[4] + s2[5]) + (s2[6] + s2[7]))


def transformed_sums(const floating[:] x, const floating[:] weights, int kind,
                     double k, double center, bint omit):
    """``(sum w, sum w f(x), sum w g(x))`` for kind 0 (f = (x - center)^k), 1 (log),
    2 (1/x) or 3 (f = sin, g = cos); g is 0 except for kind 3."""
    cdef Py_ssize_t n = x.shape[0]
    cdef Py_ssize_t xs = _stride(x.strides[0], sizeof(floating))
    cdef Py_ssize_t ws = 0, nch, ci
    cdef const floating* wp = NULL
    cdef const floating* xp = NULL
    cdef bint weighted = weights is not None
    cdef int ik = 0
    cdef double* parts
    cdef double tot[3]
    if n == 0:
        return (0.0, 0.0, 0.0)
    if k >= 1.0 and k <= 4.0 and k == <double><int>k:
        ik = <int>k
    xp = &x[0]
    if weighted:
        ws = _stride(weights.strides[0], sizeof(floating))
        wp = &weights[0]
    nch = chunk_count(n)
    parts = <double*>malloc(3 * nch * sizeof(double))
    if parts == NULL:
        raise MemoryError()
    with nogil:
        for ci in prange(nch, schedule="static", num_threads=threads_for(n)):
            _transform_chunk(xp, xs, wp, ws, ci * n // nch, (ci + 1) * n // nch, kind,
                             k, ik, center, weighted, omit, &parts[3 * ci])
        tot[0] = 0.0
        tot[1] = 0.0
        tot[2] = 0.0
        for ci in range(nch):
            tot[0] += parts[3 * ci]
            tot[1] += parts[3 * ci + 1]
            tot[2] += parts[3 * ci + 2]
    free(parts)
    return (tot[0], tot[1], tot[2])


# --------------------------------------------------------------------------------------
# Lagged products for the autocorrelation.

cdef void _lagged_chunk(const floating* x, Py_ssize_t xs, Py_ssize_t lo, Py_ssize_t hi,
                        Py_ssize_t lag, double shift, double rel, bint omit,
                        double* out) noexcept nogil:
    """Neumaier-compensated sum of the lagged products of deviations in [lo, hi).

    A deviation is (x - shift) - rel: the first difference is exact for data near the
    shift (Sterbenz), so the mean's digits below the data's ulp are not lost.
    out[0] = sum, out[1] = its compensation.
    """
    cdef double s = 0.0, comp = 0.0, p, t
    cdef Py_ssize_t i
    for i in range(lo, hi):
        p = ((<double>x[i * xs] - shift) - rel) * ((<double>x[(i + lag) * xs] - shift) - rel)
        if omit and isnan(p):
            continue
        t = s + p
        if fabs(s) >= fabs(p):
            comp += (s - t) + p
        else:
            comp += (p - t) + s
        s = t
    out[0] = s
    out[1] = comp


def lagged_products(const floating[:] x, Py_ssize_t lag, double shift, double rel,
                    bint omit):
    """sum over i of (x[i] - mean)(x[i + lag] - mean), i = 0 .. n - lag - 1, with
    mean = shift + rel held in two parts; with ``omit``, pairs holding a NaN are
    skipped. Compensated (Neumaier) summation in fixed chunks."""
    cdef Py_ssize_t n = x.shape[0]
    cdef Py_ssize_t xs = _stride(x.strides[0], sizeof(floating))
    cdef Py_ssize_t m, nch, ci
    cdef const floating* xp
    cdef double* parts
    cdef double tot = 0.0, comp = 0.0, p, t
    if lag < 0 or lag >= n:
        return 0.0
    m = n - lag
    xp = &x[0]
    nch = chunk_count(m)
    parts = <double*>malloc(2 * nch * sizeof(double))
    if parts == NULL:
        raise MemoryError()
    with nogil:
        for ci in prange(nch, schedule="static", num_threads=threads_for(m)):
            _lagged_chunk(xp, xs, ci * m // nch, (ci + 1) * m // nch, lag, shift, rel,
                          omit, &parts[2 * ci])
        for ci in range(nch):
            p = parts[2 * ci]
            comp += parts[2 * ci + 1]
            t = tot + p
            if fabs(tot) >= fabs(p):
                comp += (tot - t) + p
            else:
                comp += (p - t) + tot
            tot = t
    free(parts)
    return tot + comp
