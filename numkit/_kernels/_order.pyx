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
have the same bits on 1 or 2 threads. Unweighted uniform-bin counts are integers,
exact in any order: there each thread keeps one table and takes chunks as it frees
up.

Every kernel takes strided, read-only float32 or float64 arrays; NaN values are
skipped and counted, never binned. A kernel trusts its arguments and never raises
on data: the Python side validates, and calls these only with n >= 1.
"""

from cython.parallel cimport prange, threadid
from libc.math cimport fabs, floor, isfinite, ldexp
from libc.stdint cimport INT32_MAX, int32_t, int64_t, uint64_t
from libc.string cimport memcpy, memset

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
    # Values per block of the unweighted uniform-bin count (indices of one block: 2 KiB).
    HIST_BLOCK = 256
    # Largest pair table (int32 counters) for two-values-per-increment counting.
    PAIR_TABLE_BYTES = 48 * 1024

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


# Uniform-bin indices and the min/max scan, in C so that the x86-64 build gets AVX2+FMA
# and AVX-512F loops, picked at run time (``__builtin_cpu_supports``), beside portable
# ones (other compilers and CPUs get only those).
# Bin indices by a rounding constant: t = g + M with M = 1.5·2^(52-k) leaves the bin
# coordinate g rounded to 2^-k in t's mantissa, its integer part (the bin) above the
# low k bits and its fraction in them. A value whose fraction lies within ``delta``
# units of an integer may round across an edge and is flagged; the caller then
# applies numpy's exact rule to its block. g is clamped to [0, nb] first, so NaN and
# values outside the edges become integers and are flagged too.
cdef extern from *:
    """
    #include <stdint.h>
    #include <string.h>
    #include <math.h>
    #if defined(__GNUC__) && defined(__x86_64__)
    #include <immintrin.h>
    #define NK_HAVE_AVX2 1
    #else
    #define NK_HAVE_AVX2 0
    #endif

    /* 0: portable loops; 1: AVX2 + FMA; 2: AVX-512F as well */
    static int nk_simd_level = -1, nk_simd_found = -1;
    static int nk_simd(void) {
    #if NK_HAVE_AVX2
        if (nk_simd_level < 0) {
            int avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
            nk_simd_found = avx2 ? 1 + (__builtin_cpu_supports("avx512f") != 0) : 0;
            nk_simd_level = nk_simd_found;
        }
        return nk_simd_level;
    #else
        return 0;
    #endif
    }
    /* Tests: use at most level cap (cap < 0: what the CPU has). */
    static int nk_simd_cap(int cap) {
        nk_simd();
    #if NK_HAVE_AVX2
        nk_simd_level = cap >= 0 && cap < nk_simd_found ? cap : nk_simd_found;
    #endif
        return nk_simd();
    }

    static int nk_bins_portable(const double* x, Py_ssize_t n, double lo, double scale,
                                double fnb, double tol, int64_t* idx) {
        int flag = 0;
        for (Py_ssize_t i = 0; i < n; i++) {
            double g = (x[i] - lo) * scale, d;
            int64_t j;
            g = g >= 0.0 ? g : 0.0;  /* NaN too */
            g = g < fnb ? g : fnb;
            j = (int64_t)g;
            d = g - (double)j;
            flag |= (d < tol) | (d > 1.0 - tol);
            idx[i] = j;
        }
        return flag;
    }

    #if NK_HAVE_AVX2
    __attribute__((target("avx2,fma")))
    static int nk_bins_avx2(const double* x, Py_ssize_t n, double lo, double scale,
                            double fnb, int k, int64_t delta, int64_t* idx) {
        double m = 1.5 * ldexp(1.0, 52 - k);
        int64_t mbits;
        memcpy(&mbits, &m, 8);
        const __m256d vs = _mm256_set1_pd(scale), vc = _mm256_set1_pd(-lo * scale);
        const __m256d vm = _mm256_set1_pd(m), vzero = _mm256_setzero_pd();
        const __m256d vnb = _mm256_set1_pd(fnb);
        const __m256i vmb = _mm256_set1_epi64x(mbits), vd = _mm256_set1_epi64x(delta);
        const __m256i vmask = _mm256_set1_epi64x(((int64_t)1 << k) - 1);
        const __m256i v2d = _mm256_set1_epi64x(2 * delta);
        __m256i flag = _mm256_setzero_si256();
        Py_ssize_t i = 0;
        for (; i + 8 <= n; i += 8) {
            __m256d a = _mm256_loadu_pd(x + i), b = _mm256_loadu_pd(x + i + 4);
            /* max(g, 0) returns 0 for NaN g (its second operand) */
            a = _mm256_min_pd(_mm256_max_pd(_mm256_fmadd_pd(a, vs, vc), vzero), vnb);
            b = _mm256_min_pd(_mm256_max_pd(_mm256_fmadd_pd(b, vs, vc), vzero), vnb);
            __m256i ta = _mm256_castpd_si256(_mm256_add_pd(a, vm));
            __m256i tb = _mm256_castpd_si256(_mm256_add_pd(b, vm));
            __m256i fa = _mm256_and_si256(_mm256_add_epi64(ta, vd), vmask);
            __m256i fb = _mm256_and_si256(_mm256_add_epi64(tb, vd), vmask);
            flag = _mm256_or_si256(flag, _mm256_or_si256(_mm256_cmpgt_epi64(v2d, fa),
                                                         _mm256_cmpgt_epi64(v2d, fb)));
            _mm256_storeu_si256((__m256i*)(idx + i), _mm256_srli_epi64(_mm256_sub_epi64(ta, vmb), k));
            _mm256_storeu_si256((__m256i*)(idx + i + 4), _mm256_srli_epi64(_mm256_sub_epi64(tb, vmb), k));
        }
        int any = !_mm256_testz_si256(flag, flag);
        if (i < n)
            any |= nk_bins_portable(x + i, n - i, lo, scale, fnb,
                                    ldexp((double)delta, -k), idx + i);
        return any;
    }
    #endif

    /* Bin indices of x[0:n] into idx; nonzero when some value needs the exact rule. */
    static int nk_bins(const double* x, Py_ssize_t n, double lo, double scale, double fnb,
                       int k, int64_t delta, int64_t* idx) {
    #if NK_HAVE_AVX2
        if (nk_simd() >= 1)
            return nk_bins_avx2(x, n, lo, scale, fnb, k, delta, idx);
    #endif
        return nk_bins_portable(x, n, lo, scale, fnb, ldexp((double)delta, -k), idx);
    }

    /* Pairs: value l of each group of eight with value l + 4, as the one index
       j_a·s + j_b into an s×s table (s = nb + 1, the last row and column for values
       not counted): one increment per two values. A tail of fewer than eight values
       pairs each with the spare slot. Returns the number of pair indices written. */
    static Py_ssize_t nk_pair_up(const int64_t* idx, Py_ssize_t n, int64_t s, int64_t nb,
                                 int64_t* pidx) {
        Py_ssize_t i = 0, q = 0;
        for (; i + 8 <= n; i += 8)
            for (int l = 0; l < 4; l++) pidx[q++] = idx[i + l] * s + idx[i + 4 + l];
        for (; i < n; i++) pidx[q++] = idx[i] * s + nb;
        return q;
    }

    #if NK_HAVE_AVX2
    __attribute__((target("avx2,fma")))
    static int nk_pairs_avx2(const double* x, Py_ssize_t n, double lo, double scale,
                             double fnb, int k, int64_t delta, int64_t s, int64_t* idx,
                             int64_t* pidx, Py_ssize_t* npairs) {
        double m = 1.5 * ldexp(1.0, 52 - k);
        int64_t mbits;
        memcpy(&mbits, &m, 8);
        const __m256d vs = _mm256_set1_pd(scale), vc = _mm256_set1_pd(-lo * scale);
        const __m256d vm = _mm256_set1_pd(m), vzero = _mm256_setzero_pd();
        const __m256d vnb = _mm256_set1_pd(fnb);
        const __m256i vmb = _mm256_set1_epi64x(mbits), vd = _mm256_set1_epi64x(delta);
        const __m256i vmask = _mm256_set1_epi64x(((int64_t)1 << k) - 1);
        const __m256i v2d = _mm256_set1_epi64x(2 * delta), vS = _mm256_set1_epi64x(s);
        __m256i flag = _mm256_setzero_si256();
        Py_ssize_t i = 0, q;
        int any;
        for (; i + 8 <= n; i += 8) {
            __m256d a = _mm256_loadu_pd(x + i), b = _mm256_loadu_pd(x + i + 4);
            a = _mm256_min_pd(_mm256_max_pd(_mm256_fmadd_pd(a, vs, vc), vzero), vnb);
            b = _mm256_min_pd(_mm256_max_pd(_mm256_fmadd_pd(b, vs, vc), vzero), vnb);
            __m256i ta = _mm256_castpd_si256(_mm256_add_pd(a, vm));
            __m256i tb = _mm256_castpd_si256(_mm256_add_pd(b, vm));
            __m256i fa = _mm256_and_si256(_mm256_add_epi64(ta, vd), vmask);
            __m256i fb = _mm256_and_si256(_mm256_add_epi64(tb, vd), vmask);
            flag = _mm256_or_si256(flag, _mm256_or_si256(_mm256_cmpgt_epi64(v2d, fa),
                                                         _mm256_cmpgt_epi64(v2d, fb)));
            __m256i ja = _mm256_srli_epi64(_mm256_sub_epi64(ta, vmb), k);
            __m256i jb = _mm256_srli_epi64(_mm256_sub_epi64(tb, vmb), k);
            /* j_a < 2^32, so the 32×32-bit product is exact */
            _mm256_storeu_si256((__m256i*)(pidx + i / 2),
                                _mm256_add_epi64(_mm256_mul_epu32(ja, vS), jb));
        }
        any = !_mm256_testz_si256(flag, flag);
        q = i / 2;
        if (i < n) {
            any |= nk_bins_portable(x + i, n - i, lo, scale, fnb, ldexp((double)delta, -k),
                                    idx + i);
            for (; i < n; i++) pidx[q++] = idx[i] * s + (s - 1);
        }
        *npairs = q;
        return any;
    }
    #endif

    #if NK_HAVE_AVX2
    /* As nk_pairs_avx2, sixteen values per step (value l with value l + 8); the
       remainder goes to nk_pairs_avx2. */
    __attribute__((target("avx512f")))
    static int nk_pairs_avx512(const double* x, Py_ssize_t n, double lo, double scale,
                               double fnb, int k, int64_t delta, int64_t s, int64_t* idx,
                               int64_t* pidx, Py_ssize_t* npairs) {
        double m = 1.5 * ldexp(1.0, 52 - k);
        int64_t mbits;
        memcpy(&mbits, &m, 8);
        const __m512d vs = _mm512_set1_pd(scale), vc = _mm512_set1_pd(-lo * scale);
        const __m512d vm = _mm512_set1_pd(m), vzero = _mm512_setzero_pd();
        const __m512d vnb = _mm512_set1_pd(fnb);
        const __m512i vmb = _mm512_set1_epi64(mbits), vd = _mm512_set1_epi64(delta);
        const __m512i vmask = _mm512_set1_epi64(((int64_t)1 << k) - 1);
        const __m512i v2d = _mm512_set1_epi64(2 * delta), vS = _mm512_set1_epi64(s);
        __mmask8 flag = 0;
        Py_ssize_t i = 0, rest = 0;
        int any;
        for (; i + 16 <= n; i += 16) {
            __m512d a = _mm512_loadu_pd(x + i), b = _mm512_loadu_pd(x + i + 8);
            a = _mm512_min_pd(_mm512_max_pd(_mm512_fmadd_pd(a, vs, vc), vzero), vnb);
            b = _mm512_min_pd(_mm512_max_pd(_mm512_fmadd_pd(b, vs, vc), vzero), vnb);
            __m512i ta = _mm512_castpd_si512(_mm512_add_pd(a, vm));
            __m512i tb = _mm512_castpd_si512(_mm512_add_pd(b, vm));
            __m512i fa = _mm512_and_si512(_mm512_add_epi64(ta, vd), vmask);
            __m512i fb = _mm512_and_si512(_mm512_add_epi64(tb, vd), vmask);
            flag |= _mm512_cmpgt_epi64_mask(v2d, fa) | _mm512_cmpgt_epi64_mask(v2d, fb);
            __m512i ja = _mm512_srli_epi64(_mm512_sub_epi64(ta, vmb), k);
            __m512i jb = _mm512_srli_epi64(_mm512_sub_epi64(tb, vmb), k);
            _mm512_storeu_si512((void*)(pidx + i / 2),
                                _mm512_add_epi64(_mm512_mul_epu32(ja, vS), jb));
        }
        any = flag != 0;
        if (i < n)
            any |= nk_pairs_avx2(x + i, n - i, lo, scale, fnb, k, delta, s, idx + i,
                                 pidx + i / 2, &rest);
        *npairs = i / 2 + rest;
        return any;
    }
    #endif

    /* Pair indices of x[0:n] (as nk_pair_up); nonzero when some value needs the exact
       rule. idx is scratch of n values. */
    static int nk_pairs(const double* x, Py_ssize_t n, double lo, double scale, double fnb,
                        int k, int64_t delta, int64_t s, int64_t* idx, int64_t* pidx,
                        Py_ssize_t* npairs) {
        int any;
    #if NK_HAVE_AVX2
        if (nk_simd() >= 2)
            return nk_pairs_avx512(x, n, lo, scale, fnb, k, delta, s, idx, pidx, npairs);
        if (nk_simd() >= 1)
            return nk_pairs_avx2(x, n, lo, scale, fnb, k, delta, s, idx, pidx, npairs);
    #endif
        any = nk_bins_portable(x, n, lo, scale, fnb, ldexp((double)delta, -k), idx);
        *npairs = nk_pair_up(idx, n, s, s - 1, pidx);
        return any;
    }

    static void nk_tally_pairs(const int64_t* pidx, Py_ssize_t n, int32_t* t) {
        for (Py_ssize_t i = 0; i < n; i++) t[pidx[i]] += 1;
    }

    /* numpy's rule, step for step (np.histogram's equal-bins branch): the index
       ((v - lo) / (hi - lo)) * nb, the last edge into the last bin, then one step of
       correction against the edges. Values outside [lo, hi] and NaN go to slot nb. */
    static void nk_bins_exact(const double* x, Py_ssize_t n, double lo, double hi,
                              const double* edges, Py_ssize_t nb, int64_t* idx) {
        double span = hi - lo, fnb = (double)nb;
        for (Py_ssize_t i = 0; i < n; i++) {
            double v = x[i];
            Py_ssize_t j;
            if (!(v >= lo && v <= hi)) { idx[i] = nb; continue; }
            j = (Py_ssize_t)(((v - lo) / span) * fnb);
            if (j >= nb) j = nb - 1;
            if (v < edges[j]) j -= 1;
            else if (j != nb - 1 && v >= edges[j + 1]) j += 1;
            idx[i] = j;
        }
    }

    /* Counts into four sub-histograms of stride s (so that neighbours rarely wait on
       one counter's store). */
    static void nk_tally(const int64_t* idx, Py_ssize_t n, int64_t* h, Py_ssize_t s) {
        Py_ssize_t i = 0;
        for (; i + 4 <= n; i += 4) {
            h[idx[i]] += 1; h[s + idx[i + 1]] += 1;
            h[2 * s + idx[i + 2]] += 1; h[3 * s + idx[i + 3]] += 1;
        }
        for (; i < n; i++) h[idx[i]] += 1;
    }

    static int64_t nk_minmax_portable(const double* x, Py_ssize_t n, double* lo, double* hi) {
        double mn = *lo, mx = *hi;
        int64_t nan = 0;
        for (Py_ssize_t i = 0; i < n; i++) {
            double v = x[i];
            nan += v != v;
            mn = v < mn ? v : mn;
            mx = v > mx ? v : mx;
        }
        *lo = mn; *hi = mx;
        return nan;
    }

    #if NK_HAVE_AVX2
    __attribute__((target("avx2")))
    static int64_t nk_minmax_avx2(const double* x, Py_ssize_t n, double* lo, double* hi) {
        __m256d mn0 = _mm256_set1_pd(*lo), mn1 = mn0, mx0 = _mm256_set1_pd(*hi), mx1 = mx0;
        __m256i nan0 = _mm256_setzero_si256(), nan1 = nan0;
        double a4[4], b4[4];
        int64_t c4[4], nan;
        Py_ssize_t i = 0;
        for (; i + 8 <= n; i += 8) {
            __m256d a = _mm256_loadu_pd(x + i), b = _mm256_loadu_pd(x + i + 4);
            /* min(v, m) returns m for NaN v (its second operand) */
            mn0 = _mm256_min_pd(a, mn0); mn1 = _mm256_min_pd(b, mn1);
            mx0 = _mm256_max_pd(a, mx0); mx1 = _mm256_max_pd(b, mx1);
            nan0 = _mm256_sub_epi64(nan0, _mm256_castpd_si256(_mm256_cmp_pd(a, a, _CMP_UNORD_Q)));
            nan1 = _mm256_sub_epi64(nan1, _mm256_castpd_si256(_mm256_cmp_pd(b, b, _CMP_UNORD_Q)));
        }
        _mm256_storeu_pd(a4, _mm256_min_pd(mn0, mn1));
        _mm256_storeu_pd(b4, _mm256_max_pd(mx0, mx1));
        _mm256_storeu_si256((__m256i*)c4, _mm256_add_epi64(nan0, nan1));
        nan = (c4[0] + c4[1]) + (c4[2] + c4[3]);
        for (int q = 0; q < 4; q++) {
            *lo = a4[q] < *lo ? a4[q] : *lo;
            *hi = b4[q] > *hi ? b4[q] : *hi;
        }
        return nan + nk_minmax_portable(x + i, n - i, lo, hi);
    }
    #endif

    static int64_t nk_minmax_f32_portable(const float* x, Py_ssize_t n, double* lo,
                                          double* hi) {
        double mn = *lo, mx = *hi;
        int64_t nan = 0;
        for (Py_ssize_t i = 0; i < n; i++) {
            double v = (double)x[i];
            nan += v != v;
            mn = v < mn ? v : mn;
            mx = v > mx ? v : mx;
        }
        *lo = mn; *hi = mx;
        return nan;
    }

    #if NK_HAVE_AVX2
    /* float32: min and max in float (exact: they are elements), NaN counted in int32
       lanes emptied every 2^20 steps. */
    __attribute__((target("avx2")))
    static int64_t nk_minmax_f32_avx2(const float* x, Py_ssize_t n, double* lo, double* hi) {
        __m256 mn = _mm256_set1_ps(INFINITY), mx = _mm256_set1_ps(-INFINITY);
        float a8[8], b8[8];
        int32_t c8[8];
        int64_t nan = 0;
        Py_ssize_t i = 0;
        while (i + 8 <= n) {
            __m256i cnt = _mm256_setzero_si256();
            Py_ssize_t stop = n - i > ((Py_ssize_t)8 << 20) ? i + ((Py_ssize_t)8 << 20) : n;
            for (; i + 8 <= stop; i += 8) {
                __m256 a = _mm256_loadu_ps(x + i);
                mn = _mm256_min_ps(a, mn);
                mx = _mm256_max_ps(a, mx);
                cnt = _mm256_sub_epi32(cnt, _mm256_castps_si256(_mm256_cmp_ps(a, a, _CMP_UNORD_Q)));
            }
            _mm256_storeu_si256((__m256i*)c8, cnt);
            for (int q = 0; q < 8; q++) nan += c8[q];
        }
        _mm256_storeu_ps(a8, mn);
        _mm256_storeu_ps(b8, mx);
        for (int q = 0; q < 8; q++) {
            *lo = (double)a8[q] < *lo ? (double)a8[q] : *lo;
            *hi = (double)b8[q] > *hi ? (double)b8[q] : *hi;
        }
        return nan + nk_minmax_f32_portable(x + i, n - i, lo, hi);
    }
    #endif

    static int64_t nk_minmax_f32(const float* x, Py_ssize_t n, double* lo, double* hi) {
    #if NK_HAVE_AVX2
        if (nk_simd() >= 1)
            return nk_minmax_f32_avx2(x, n, lo, hi);
    #endif
        return nk_minmax_f32_portable(x, n, lo, hi);
    }

    /* NaN count of x[0:n]; lo, hi take the least and greatest number (NaN skipped). */
    static int64_t nk_minmax(const double* x, Py_ssize_t n, double* lo, double* hi) {
    #if NK_HAVE_AVX2
        if (nk_simd() >= 1)
            return nk_minmax_avx2(x, n, lo, hi);
    #endif
        return nk_minmax_portable(x, n, lo, hi);
    }
    """
    int nk_simd() noexcept nogil
    int nk_simd_cap(int cap) noexcept nogil
    int nk_bins(const double* x, Py_ssize_t n, double lo, double scale, double fnb, int k,
                int64_t delta, int64_t* idx) noexcept nogil
    void nk_bins_exact(const double* x, Py_ssize_t n, double lo, double hi,
                       const double* edges, Py_ssize_t nb, int64_t* idx) noexcept nogil
    void nk_tally(const int64_t* idx, Py_ssize_t n, int64_t* h, Py_ssize_t s) noexcept nogil
    Py_ssize_t nk_pair_up(const int64_t* idx, Py_ssize_t n, int64_t s, int64_t nb,
                          int64_t* pidx) noexcept nogil
    int nk_pairs(const double* x, Py_ssize_t n, double lo, double scale, double fnb, int k,
                 int64_t delta, int64_t s, int64_t* idx, int64_t* pidx,
                 Py_ssize_t* npairs) noexcept nogil
    void nk_tally_pairs(const int64_t* pidx, Py_ssize_t n, int32_t* t) noexcept nogil
    int64_t nk_minmax(const double* x, Py_ssize_t n, double* lo, double* hi) noexcept nogil
    int64_t nk_minmax_f32(const float* x, Py_ssize_t n, double* lo, double* hi) noexcept nogil


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
    if stride == sizeof(real_x):
        if real_x is double:
            nan[0] = nk_minmax(p + a, b - a, lo, hi)
        else:
            nan[0] = nk_minmax_f32(p + a, b - a, lo, hi)
        return
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
    nk_simd()  # settle the CPU check before the threads start
    # dynamic: each chunk's result has its own slot, so the order chunks are taken in
    # changes nothing, and a core slowed by other work does not hold the other back
    for c in prange(nch, nogil=True, num_threads=nt, schedule="dynamic"):
        _scan_chunk(p, stride, c * n // nch, (c + 1) * n // nch, &lo[c], &hi[c], &nan[c])
    return float(np.min(lo)), float(np.max(hi)), int(np.sum(nan))


def _simd_level(int cap=-1):
    """The vector loops in use: 0 portable, 1 AVX2 + FMA, 2 AVX-512F. For tests: cap
    >= 0 uses at most that level from now on; -1 restores what the CPU has."""
    return nk_simd_cap(cap)


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
                         Py_ssize_t b, double lo, double hi, double scale, bint exact,
                         const double* edges, Py_ssize_t nb, double* h) noexcept nogil:
    cdef double v, wt = 1.0, span = hi - lo
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
        # ``exact``: numpy's own index formula (scale overflows for subnormal spans).
        if exact:
            j = <Py_ssize_t>(((v - lo) / span) * nb)
        else:
            j = <Py_ssize_t>((v - lo) * scale)
        if j >= nb:
            j = nb - 1
        if v < edges[j]:
            j -= 1
        if j != nb - 1 and v >= edges[j + 1]:
            j += 1
        h[j] += wt


cdef struct _CountPlan:
    double lo, hi, scale
    const double* edges
    Py_ssize_t nb
    int k               # fraction bits of the rounding constant (nk_bins)
    int64_t delta       # flagging margin, in units of 2^-k
    bint fast           # False: numpy's exact rule for every value


cdef inline const double* _block(const real_x* p, Py_ssize_t stride, Py_ssize_t i,
                                 Py_ssize_t m, double* buf) noexcept nogil:
    """x[i:i+m] as contiguous doubles: in place, or converted into buf."""
    cdef Py_ssize_t q
    if real_x is double:
        if stride == sizeof(double):
            return p + i
    for q in range(m):
        buf[q] = _load(p, stride, i + q)
    return buf


cdef void _uniform_count_chunk(const real_x* p, Py_ssize_t stride, Py_ssize_t a,
                               Py_ssize_t b, const _CountPlan* plan,
                               int64_t* h) noexcept nogil:
    """Unweighted counts of x[a:b], block by block: the bin indices of a block first
    (``nk_bins``, vectorised), numpy's exact rule over the block only when one of its
    values lies so near an edge that rounding may have put it across (or is NaN or
    outside [lo, hi]; such values go to the spare slot nb), then the increments, into
    four sub-histograms h[0:nb+1], h[nb+1:2nb+2], … (``nk_tally``) so that neighbours
    rarely wait on one counter.
    """
    cdef double buf[HIST_BLOCK]
    cdef int64_t idx[HIST_BLOCK]
    cdef const double* xb
    cdef Py_ssize_t i = a, m, nb = plan.nb
    while i < b:
        m = b - i if b - i < HIST_BLOCK else HIST_BLOCK
        xb = _block(p, stride, i, m, buf)
        if not plan.fast or nk_bins(xb, m, plan.lo, plan.scale, <double>nb, plan.k,
                                    plan.delta, idx):
            nk_bins_exact(xb, m, plan.lo, plan.hi, plan.edges, nb, idx)
        nk_tally(idx, m, h, nb + 1)
        i += m


cdef void _flush_pairs(int32_t* t, Py_ssize_t nb, int64_t* h) noexcept nogil:
    """h[j] += row j and column j of the pair table (the spare slot nb left out)."""
    cdef Py_ssize_t s = nb + 1, j, q
    for j in range(nb):
        for q in range(s):
            h[j] += t[j * s + q] + t[q * s + j]
    memset(t, 0, s * s * sizeof(int32_t))


cdef void _uniform_pair_chunk(const real_x* p, Py_ssize_t stride, Py_ssize_t a,
                              Py_ssize_t b, const _CountPlan* plan, int32_t* t,
                              int64_t* h, int64_t* held) noexcept nogil:
    """As ``_uniform_count_chunk``, two values per increment: the pair (j_a, j_b) of
    bins counts once in the (nb+1)² table t (``nk_pairs``), whose rows and columns give
    the counts (``_flush_pairs``). For few bins, where t stays in L1: half the
    increments, the part of the loop that does not vectorise. ``held``: values in t
    since its last flush, so that no int32 counter can overflow."""
    cdef double buf[HIST_BLOCK]
    cdef int64_t idx[HIST_BLOCK]
    cdef int64_t pidx[HIST_BLOCK]
    cdef const double* xb
    cdef Py_ssize_t i = a, m, npairs, nb = plan.nb
    while i < b:
        m = b - i if b - i < HIST_BLOCK else HIST_BLOCK
        if held[0] + m > INT32_MAX:
            _flush_pairs(t, nb, h)
            held[0] = 0
        held[0] += m
        xb = _block(p, stride, i, m, buf)
        if not plan.fast or nk_pairs(xb, m, plan.lo, plan.scale, <double>nb, plan.k,
                                     plan.delta, nb + 1, idx, pidx, &npairs):
            nk_bins_exact(xb, m, plan.lo, plan.hi, plan.edges, nb, idx)
            npairs = nk_pair_up(idx, m, nb + 1, nb, pidx)
        nk_tally_pairs(pidx, npairs, t)
        i += m


def histogram_uniform(const real_x[:] x, const real_w[:] w, bint weighted, bint omit_w,
                      const double[::1] edges, double[::1] counts):
    """Counts (or weight sums) of x in the uniform bins with the given edges
    (edges[0] = min, edges[-1] = max, which goes in the last bin). NaN and values
    outside [edges[0], edges[-1]] are skipped.

    Unweighted counts are integers, exact in any order: each thread keeps its own
    table and takes chunks as it frees up (a loaded core does not hold the other
    back). Weight sums go per chunk and combine in chunk order (the same bits on any
    number of threads)."""
    cdef Py_ssize_t n = x.shape[0], nb = counts.shape[0]
    cdef Py_ssize_t nch = _partial_chunks(n, nb), c, j, q, s = nb + 1
    cdef int nt = threads_for(n), tid
    cdef double lo = edges[0], hi = edges[nb]
    cdef double scale = nb / (hi - lo)
    cdef double[:, ::1] part
    cdef int64_t[:, ::1] ipart
    cdef int32_t[:, ::1] pairs
    cdef int64_t[::1] held
    cdef const real_x* p = &x[0]
    cdef const real_w* wp = &w[0] if weighted else NULL
    cdef Py_ssize_t stride = x.strides[0], wstride = w.strides[0] if weighted else 0
    cdef _CountPlan plan
    cdef double tol
    cdef bint exact, use_pairs
    if not weighted:
        # The bin coordinate g = (v - lo)·scale is within tol of its exact value and
        # the edges within tol of lo + j/scale (in bin units: a few ulps of
        # max(|lo|, |hi|), plus the rounding of g and of scale); the rounding constant
        # adds 2^-k. A value whose coordinate is farther than delta·2^-k >= tol + 2^-k
        # from every integer is in bin floor(g) by numpy's rule too.
        plan.lo, plan.hi, plan.scale, plan.edges, plan.nb = lo, hi, scale, &edges[0], nb
        plan.k = 50 - _bit_length(nb)  # room for g <= nb above the k fraction bits
        tol = 16.0 * 2.220446049250313e-16 * ((fabs(lo) + fabs(hi)) * scale + nb)
        plan.fast = plan.k >= 20 and isfinite(scale) and scale > 0 and tol < 0.125
        plan.delta = <int64_t>ldexp(tol, plan.k) + 2 if plan.fast else 0
        nk_simd()  # settle the CPU check before the threads start
        # Pairs while the int32 table fits a 48 KiB L1 and n repays its flush.
        use_pairs = s * s * 4 <= PAIR_TABLE_BYTES and n >= 16 * s * s
        nch = chunk_count(n)
        if not use_pairs and nt * 4 * s > PARTIAL_BUDGET:
            nt = 1  # one table of a huge bin count, not one per thread
        ipart = np.zeros((nt, (s if use_pairs else 4 * s)), dtype=np.int64)
        if use_pairs:
            pairs = np.zeros((nt, s * s), dtype=np.int32)
            held = np.zeros(nt, dtype=np.int64)
            for c in prange(nch, nogil=True, num_threads=nt, schedule="dynamic"):
                tid = threadid()
                _uniform_pair_chunk(p, stride, c * n // nch, (c + 1) * n // nch, &plan,
                                    &pairs[tid, 0], &ipart[tid, 0], &held[tid])
            with nogil:
                for c in range(nt):
                    _flush_pairs(&pairs[c, 0], nb, &ipart[c, 0])
                    for j in range(nb):
                        counts[j] += <double>ipart[c, j]
            return
        for c in prange(nch, nogil=True, num_threads=nt, schedule="dynamic"):
            _uniform_count_chunk(p, stride, c * n // nch, (c + 1) * n // nch, &plan,
                                 &ipart[threadid(), 0])
        with nogil:
            for c in range(nt):
                for q in range(4):
                    for j in range(nb):
                        counts[j] += <double>ipart[c, q * s + j]
        return
    exact = not (isfinite(scale) and scale > 0)
    part = np.zeros((nch, nb))
    for c in prange(nch, nogil=True, num_threads=nt, schedule="static"):
        _uniform_chunk(p, stride, wp, wstride, weighted, omit_w, c * n // nch,
                       (c + 1) * n // nch, lo, hi, scale, exact, &edges[0], nb,
                       &part[c, 0])
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
