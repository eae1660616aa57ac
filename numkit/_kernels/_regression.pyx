"""Residuals of a least-squares problem in twice the working precision.

Iterative refinement of a least-squares solution (Björck 1967) needs the residuals of
the augmented system

    [ I   A ] [r]   [y]
    [ Aᵀ  0 ] [b] = [0],      f = y - r - A b,   g = -Aᵀ r,

computed more accurately than the working precision, or the refinement only
reproduces the rounding errors it is meant to remove. Each dot product here is
Ogita, Rump and Oishi's ``Dot2``: every product is split exactly into a double and
its rounding error (TwoProduct), every sum by Knuth's TwoSum, and the errors are
accumulated beside the sum. The result is as accurate as if computed in about
106-bit arithmetic and then rounded.

TwoProduct has two exact forms: ``e = fma(a, b, -p)`` with a hardware fused
multiply-add, and Dekker's, with Veltkamp's splitting, on any IEEE machine. Both
give the exact error (barring over/underflow), so the two compiled copies of the
hot loop below (GCC on x86-64 Linux picks the FMA one at run time when the CPU has
it) give the same bits. The C block is compiled with ``fp-contract=off``: a
compiler that fused ``s - a*b`` on its own would break TwoSum's exactness.

Rows are handled four at a time: the four row sums of ``f`` are independent
dependency chains, so they run side by side in one vector, and ``Aᵀr`` is
accumulated over columns in vectors; each row's sum still runs over the columns in
order and each column's over the rows in order, so the blocking changes no bit.

``A`` is ``x`` with an optional implicit leading column of ones (the intercept), so
the caller never materialises the design. Rows are split into a fixed number of
chunks (``chunk_count``, a function of the row count only); ``f`` is written per
row, and the per-chunk column sums of ``g`` are merged in chunk order with TwoSum,
so one or two threads give the same bits.

``initial_residuals`` is the same pass for the first residual: ``r = fl(y - Ab)``
from the compensated sum, ``f`` its rounding error (TwoSum), ``g = -Aᵀr`` from the
``r`` just written.

``tsqr`` is the Householder QR of the (tall) design by row blocks (TSQR): a fixed
number of blocks (``tsqr_block_count``, of n and p only) of about 256 KB each are
copied out of ``x`` (rows of four through a 4×4 register transposition) and
factorised in place while they stay in L2, in parallel; their R factors, stacked,
are factorised again. Householder steps go in pairs: ``H₂H₁`` is applied to the
trailing columns in one read and one write of them, the second dot product being
corrected by ``t₁·v₂ᵀv₁``. No BLAS is called (OpenBLAS would thread each
level-2 call on blocks this small), summation orders are fixed, and the hot
functions are compiled twice (AVX2 and baseline, chosen at load time by
``target_clones``) with contraction off, so both give the same bits. ``Q`` is
never formed: ``tsqr_apply`` applies the two levels of reflectors.

References
----------
Demmel, J., Grigori, L., Hoemmen, M. and Langou, J. (2012). Communication-optimal
parallel and sequential QR and LU factorizations. SIAM J. Sci. Comput. 34(1),
A206-A239.
Ogita, T., Rump, S. M. and Oishi, S. (2005). Accurate sum and dot product. SIAM J.
Sci. Comput. 26(6), 1955-1988.
Dekker, T. J. (1971). A floating-point technique for extending the available
precision. Numer. Math. 18, 224-242.
Björck, Å. (1967). Iterative refinement of linear least squares solutions I. BIT 7,
257-278.
"""

from cython.parallel cimport prange
from libc.stdlib cimport calloc, free, malloc

from numkit._kernels._openmp cimport chunk_count, threads_for

cdef extern from *:
    """
    #include <stddef.h>
    #include <string.h>
    #include <math.h>
    #if defined(__GNUC__) && !defined(__clang__)
    #pragma GCC push_options
    #pragma GCC optimize("fp-contract=off")
    #endif

    /* 2^27 + 1: Veltkamp's constant that splits a binary64 into two 26-bit halves. */
    #define NK_SPLITTER 134217729.0
    #define NK_HI(a) ((NK_SPLITTER * (a)) - ((NK_SPLITTER * (a)) - (a)))
    /* TwoSum's rounding error of s = fl(a + b) (Knuth) */
    #define NK_SUM_ERR(a, b, s) (((a) - ((s) - ((s) - (a)))) + ((b) - ((s) - (a))))
    /* Dekker's TwoProduct error of p = fl(a*b) */
    #define NK_DEKKER_ERR(a, b, p) \
        ((((NK_HI(a) * NK_HI(b) - (p)) + NK_HI(a) * ((b) - NK_HI(b))) \
          + ((a) - NK_HI(a)) * NK_HI(b)) + ((a) - NK_HI(a)) * ((b) - NK_HI(b)))

    #if defined(__GNUC__)
    #define NK_VECTORS 1
    typedef double nk_rv4 __attribute__((vector_size(32)));
    #else
    #define NK_VECTORS 0
    #endif

    #if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
    #define NK_HAVE_FMA_PATH 1
    #include <immintrin.h>
    #define NK_FMA_TARGET __attribute__((target("avx2,fma")))
    #else
    #define NK_HAVE_FMA_PATH 0
    #endif

    #define NK_X(i, j) (*(const double*)(x + (i) * rs + (j) * cs))

    /* One chunk of rows [lo, hi): f for each row and the chunk's compensated column
       sums gs + gc of A^T r.  ERR_V / ERR_S: TwoProduct error for vectors / scalars. */
    #define NK_ROWS_BODY(ERR_V, ERR_S)                                                  \\
        Py_ssize_t i = lo, j, q, off = intercept ? 1 : 0;                               \\
        double s1, c1, p1, e1, t1, ri;                                                  \\
        NK_BLOCK4(ERR_V, ERR_S)                                                         \\
        for (; i < hi; i++) {                                                           \\
            ri = init ? 0.0 : r[i];                                                     \\
            s1 = y[i] - ri; c1 = NK_SUM_ERR(y[i], -ri, s1);                             \\
            if (intercept) {                                                            \\
                t1 = s1 - b[0]; c1 = c1 + NK_SUM_ERR(s1, -b[0], t1); s1 = t1;           \\
            }                                                                           \\
            for (j = 0; j < k; j++) {                                                   \\
                double xv = NK_X(i, j), bj = b[j + off];                                \\
                p1 = xv * bj; e1 = ERR_S(xv, bj, p1);                                   \\
                t1 = s1 - p1; c1 = c1 + (NK_SUM_ERR(s1, -p1, t1) - e1); s1 = t1;        \\
            }                                                                           \\
            t1 = s1 + c1;                                                               \\
            if (init) { r[i] = t1; f[i] = NK_SUM_ERR(s1, c1, t1); } else f[i] = t1;     \\
            NK_G_ROW(i, ERR_S)                                                          \\
        }

    /* g for one row i: column j's running sum only ever sees the rows in order */
    #define NK_G_ROW(I, ERR_S)                                                          \\
        {                                                                               \\
            double rr = r[I];                                                           \\
            if (intercept) {                                                            \\
                t1 = gs[0] + rr; gc[0] = gc[0] + NK_SUM_ERR(gs[0], rr, t1); gs[0] = t1; \\
            }                                                                           \\
            for (j = 0; j < k; j++) {                                                   \\
                double xv = NK_X(I, j);                                                 \\
                p1 = xv * rr; e1 = ERR_S(xv, rr, p1);                                   \\
                t1 = gs[j + off] + p1;                                                  \\
                gc[j + off] = gc[j + off] + (NK_SUM_ERR(gs[j + off], p1, t1) + e1);     \\
                gs[j + off] = t1;                                                       \\
            }                                                                           \\
        }

    #if NK_VECTORS
    /* Four rows side by side (one lane each) for f, then their g updates, column
       vectors of four when the rows are contiguous. */
    #define NK_BLOCK4(ERR_V, ERR_S)                                                     \\
        for (; i + 4 <= hi; i += 4) {                                                   \\
            nk_rv4 sv, cv, pv, ev, tv, xv, bv, rv, yv;                                  \\
            rv = init ? (nk_rv4){0.0, 0.0, 0.0, 0.0}                                    \\
                      : (nk_rv4){r[i], r[i + 1], r[i + 2], r[i + 3]};                   \\
            yv = (nk_rv4){y[i], y[i + 1], y[i + 2], y[i + 3]};                          \\
            sv = yv - rv; cv = NK_SUM_ERR(yv, -rv, sv);                                 \\
            if (intercept) {                                                            \\
                bv = (nk_rv4){b[0], b[0], b[0], b[0]};                                  \\
                tv = sv - bv; cv = cv + NK_SUM_ERR(sv, -bv, tv); sv = tv;               \\
            }                                                                           \\
            for (j = 0; j < k; j++) {                                                   \\
                double bj = b[j + off];                                                 \\
                bv = (nk_rv4){bj, bj, bj, bj};                                          \\
                xv = (nk_rv4){NK_X(i, j), NK_X(i + 1, j), NK_X(i + 2, j), NK_X(i + 3, j)}; \\
                pv = xv * bv; ev = ERR_V(xv, bv, pv);                                   \\
                tv = sv - pv; cv = cv + (NK_SUM_ERR(sv, -pv, tv) - ev); sv = tv;        \\
            }                                                                           \\
            tv = sv + cv;                                                               \\
            if (init) {                                                                 \\
                r[i] = tv[0]; r[i + 1] = tv[1]; r[i + 2] = tv[2]; r[i + 3] = tv[3];     \\
                ev = NK_SUM_ERR(sv, cv, tv);                                            \\
                f[i] = ev[0]; f[i + 1] = ev[1]; f[i + 2] = ev[2]; f[i + 3] = ev[3];     \\
            } else {                                                                    \\
                f[i] = tv[0]; f[i + 1] = tv[1]; f[i + 2] = tv[2]; f[i + 3] = tv[3];     \\
            }                                                                           \\
            if (cs == (Py_ssize_t)sizeof(double)) {                                     \\
                for (q = 0; q < 4; q++) {                                               \\
                    double rr = r[i + q];                                               \\
                    nk_rv4 gsv, gcv;                                                    \\
                    if (intercept) {                                                    \\
                        t1 = gs[0] + rr; gc[0] = gc[0] + NK_SUM_ERR(gs[0], rr, t1);     \\
                        gs[0] = t1;                                                     \\
                    }                                                                   \\
                    rv = (nk_rv4){rr, rr, rr, rr};                                      \\
                    for (j = 0; j + 4 <= k; j += 4) {                                   \\
                        memcpy(&xv, x + (i + q) * rs + j * cs, sizeof(nk_rv4));         \\
                        memcpy(&gsv, gs + j + off, sizeof(nk_rv4));                     \\
                        memcpy(&gcv, gc + j + off, sizeof(nk_rv4));                     \\
                        pv = xv * rv; ev = ERR_V(xv, rv, pv);                           \\
                        tv = gsv + pv; gcv = gcv + (NK_SUM_ERR(gsv, pv, tv) + ev);      \\
                        memcpy(gs + j + off, &tv, sizeof(nk_rv4));                      \\
                        memcpy(gc + j + off, &gcv, sizeof(nk_rv4));                     \\
                    }                                                                   \\
                    for (; j < k; j++) {                                                \\
                        double xs = NK_X(i + q, j);                                     \\
                        p1 = xs * rr; e1 = ERR_S(xs, rr, p1);                           \\
                        t1 = gs[j + off] + p1;                                          \\
                        gc[j + off] = gc[j + off] + (NK_SUM_ERR(gs[j + off], p1, t1) + e1); \\
                        gs[j + off] = t1;                                               \\
                    }                                                                   \\
                }                                                                       \\
            } else {                                                                    \\
                for (q = 0; q < 4; q++) NK_G_ROW(i + q, ERR_S)                          \\
            }                                                                           \\
        }
    #else
    #define NK_BLOCK4(ERR_V, ERR_S)
    #endif

    static void nk_rows_dekker(const char* x, Py_ssize_t rs, Py_ssize_t cs, Py_ssize_t k,
                               const double* y, const double* b, double* r,
                               int intercept, int init, Py_ssize_t lo, Py_ssize_t hi,
                               double* f, double* gs, double* gc) {
        NK_ROWS_BODY(NK_DEKKER_ERR, NK_DEKKER_ERR)
    }

    #if NK_HAVE_FMA_PATH
    #define NK_FMA_ERR_V(a, b, p) ((nk_rv4)_mm256_fmsub_pd((__m256d)(a), (__m256d)(b), (__m256d)(p)))
    #define NK_FMA_ERR_S(a, b, p) __builtin_fma((a), (b), -(p))
    static NK_FMA_TARGET void nk_rows_fma(const char* x, Py_ssize_t rs, Py_ssize_t cs,
                                          Py_ssize_t k, const double* y, const double* b,
                                          double* r, int intercept, int init, Py_ssize_t lo,
                                          Py_ssize_t hi, double* f, double* gs, double* gc) {
        NK_ROWS_BODY(NK_FMA_ERR_V, NK_FMA_ERR_S)
    }
    static int nk_cpu_has_fma(void) {
        __builtin_cpu_init();
        return __builtin_cpu_supports("fma") && __builtin_cpu_supports("avx2");
    }
    #else
    static void nk_rows_fma(const char* x, Py_ssize_t rs, Py_ssize_t cs, Py_ssize_t k,
                            const double* y, const double* b, double* r,
                            int intercept, int init, Py_ssize_t lo, Py_ssize_t hi,
                            double* f, double* gs, double* gc) {
        nk_rows_dekker(x, rs, cs, k, y, b, r, intercept, init, lo, hi, f, gs, gc);
    }
    static int nk_cpu_has_fma(void) { return 0; }
    #endif

    /* ---- Householder QR of tall blocks (TSQR) ----
       Column-major blocks with leading dimension ld. LAPACK's conventions (dgeqr2,
       dlarfg): H_j = I - tau_j v vᵀ, v_j = 1 implicit, v stored below the diagonal,
       beta = -sign(alpha)·‖(alpha, x)‖. Fixed summation orders only (lanes i mod 4,
       combined as (l0 + l1) + (l2 + l3), then the tail), so the result depends on
       the block only; fp-contract is off here, so the AVX2 and baseline copies of
       the entry points (below) give the same bits. */
    #if defined(__GNUC__)
    #define NK_AI static inline __attribute__((always_inline))
    #else
    #define NK_AI static inline
    #endif

    #if NK_VECTORS
    NK_AI nk_rv4 nk_ld4(const double* p) { nk_rv4 v; memcpy(&v, p, sizeof v); return v; }
    NK_AI void nk_st4(double* p, nk_rv4 v) { memcpy(p, &v, sizeof v); }
    NK_AI double nk_hsum(nk_rv4 s) { return (s[0] + s[1]) + (s[2] + s[3]); }
    #endif

    /* sum of a[i]·b[i] */
    NK_AI double nk_qr_dot(const double* a, const double* b, Py_ssize_t m) {
        Py_ssize_t i = 0;
        double t;
    #if NK_VECTORS
        nk_rv4 s0 = {0.0, 0.0, 0.0, 0.0}, s1 = {0.0, 0.0, 0.0, 0.0};
        for (; i + 8 <= m; i += 8) {
            s0 += nk_ld4(a + i) * nk_ld4(b + i);
            s1 += nk_ld4(a + i + 4) * nk_ld4(b + i + 4);
        }
        if (i + 4 <= m) { s0 += nk_ld4(a + i) * nk_ld4(b + i); i += 4; }
        t = nk_hsum(s0 + s1);
    #else
        double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
        for (; i + 4 <= m; i += 4) {
            s0 += a[i] * b[i]; s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2]; s3 += a[i + 3] * b[i + 3];
        }
        t = (s0 + s1) + (s2 + s3);
    #endif
        for (; i < m; i++) t += a[i] * b[i];
        return t;
    }

    /* w[q] = sum of v[i]·c_q[i] for four columns c_q at once (v read once) */
    NK_AI void nk_qr_dot4(const double* v, const double* c0, const double* c1,
                          const double* c2, const double* c3, Py_ssize_t m, double* w) {
        Py_ssize_t i = 0;
    #if NK_VECTORS
        nk_rv4 s0 = {0.0, 0.0, 0.0, 0.0}, s1 = s0, s2 = s0, s3 = s0, vv;
        for (; i + 4 <= m; i += 4) {
            vv = nk_ld4(v + i);
            s0 += vv * nk_ld4(c0 + i); s1 += vv * nk_ld4(c1 + i);
            s2 += vv * nk_ld4(c2 + i); s3 += vv * nk_ld4(c3 + i);
        }
        w[0] = nk_hsum(s0); w[1] = nk_hsum(s1); w[2] = nk_hsum(s2); w[3] = nk_hsum(s3);
    #else
        w[0] = 0.0; w[1] = 0.0; w[2] = 0.0; w[3] = 0.0;
    #endif
        for (; i < m; i++) {
            w[0] += v[i] * c0[i]; w[1] += v[i] * c1[i];
            w[2] += v[i] * c2[i]; w[3] += v[i] * c3[i];
        }
    }

    /* c[i] -= t·v[i] */
    NK_AI void nk_qr_axpy(const double* v, double t, double* c, Py_ssize_t m) {
        Py_ssize_t i = 0;
    #if NK_VECTORS
        nk_rv4 tv = {t, t, t, t};
        for (; i + 4 <= m; i += 4) nk_st4(c + i, nk_ld4(c + i) - tv * nk_ld4(v + i));
    #endif
        for (; i < m; i++) c[i] -= t * v[i];
    }

    NK_AI void nk_qr_axpy4(const double* v, const double* t, double* c0, double* c1,
                           double* c2, double* c3, Py_ssize_t m) {
        Py_ssize_t i = 0;
    #if NK_VECTORS
        nk_rv4 t0 = {t[0], t[0], t[0], t[0]}, t1 = {t[1], t[1], t[1], t[1]};
        nk_rv4 t2 = {t[2], t[2], t[2], t[2]}, t3 = {t[3], t[3], t[3], t[3]}, vv;
        for (; i + 4 <= m; i += 4) {
            vv = nk_ld4(v + i);
            nk_st4(c0 + i, nk_ld4(c0 + i) - t0 * vv);
            nk_st4(c1 + i, nk_ld4(c1 + i) - t1 * vv);
            nk_st4(c2 + i, nk_ld4(c2 + i) - t2 * vv);
            nk_st4(c3 + i, nk_ld4(c3 + i) - t3 * vv);
        }
    #endif
        for (; i < m; i++) {
            c0[i] -= t[0] * v[i]; c1[i] -= t[1] * v[i];
            c2[i] -= t[2] * v[i]; c3[i] -= t[3] * v[i];
        }
    }

    /* 2-norm of x without harmful over/underflow: the plain sum of squares when it
       lies in [1e-280, inf), else the sum of (x/max|x|)² (as dnrm2 would) */
    NK_AI double nk_qr_norm(const double* x, Py_ssize_t m) {
        double ss = nk_qr_dot(x, x, m), amax = 0.0, t, s = 0.0;
        Py_ssize_t i;
        if (ss >= 1e-280 && ss <= 1.79e308) return sqrt(ss);
        for (i = 0; i < m; i++) { t = fabs(x[i]); if (t > amax) amax = t; }
        if (amax == 0.0 || !(amax <= 1.79e308)) return amax;
        for (i = 0; i < m; i++) { t = x[i] / amax; s += t * t; }
        return amax * sqrt(s);
    }

    /* w1[q] = sum of v1[i]·c_q[i] and w2[q] = sum of v2[i]·c_q[i], four columns */
    NK_AI void nk_qr_dot2x4(const double* v1, const double* v2, const double* c0,
                            const double* c1, const double* c2, const double* c3,
                            Py_ssize_t m, double* w1, double* w2) {
        Py_ssize_t i = 0;
    #if NK_VECTORS
        nk_rv4 a0 = {0.0, 0.0, 0.0, 0.0}, a1 = a0, a2 = a0, a3 = a0;
        nk_rv4 b0 = a0, b1 = a0, b2 = a0, b3 = a0, u, w, x;
        for (; i + 4 <= m; i += 4) {
            u = nk_ld4(v1 + i); w = nk_ld4(v2 + i);
            x = nk_ld4(c0 + i); a0 += u * x; b0 += w * x;
            x = nk_ld4(c1 + i); a1 += u * x; b1 += w * x;
            x = nk_ld4(c2 + i); a2 += u * x; b2 += w * x;
            x = nk_ld4(c3 + i); a3 += u * x; b3 += w * x;
        }
        w1[0] = nk_hsum(a0); w1[1] = nk_hsum(a1); w1[2] = nk_hsum(a2); w1[3] = nk_hsum(a3);
        w2[0] = nk_hsum(b0); w2[1] = nk_hsum(b1); w2[2] = nk_hsum(b2); w2[3] = nk_hsum(b3);
    #else
        Py_ssize_t q;
        for (q = 0; q < 4; q++) { w1[q] = 0.0; w2[q] = 0.0; }
    #endif
        for (; i < m; i++) {
            w1[0] += v1[i] * c0[i]; w1[1] += v1[i] * c1[i];
            w1[2] += v1[i] * c2[i]; w1[3] += v1[i] * c3[i];
            w2[0] += v2[i] * c0[i]; w2[1] += v2[i] * c1[i];
            w2[2] += v2[i] * c2[i]; w2[3] += v2[i] * c3[i];
        }
    }

    /* c_q[i] = (c_q[i] - t1[q]·v1[i]) - t2[q]·v2[i], four columns */
    NK_AI void nk_qr_upd2x4(const double* v1, const double* v2, const double* t1,
                            const double* t2, double* c0, double* c1, double* c2,
                            double* c3, Py_ssize_t m) {
        Py_ssize_t i = 0;
    #if NK_VECTORS
        nk_rv4 p0 = {t1[0], t1[0], t1[0], t1[0]}, p1 = {t1[1], t1[1], t1[1], t1[1]};
        nk_rv4 p2 = {t1[2], t1[2], t1[2], t1[2]}, p3 = {t1[3], t1[3], t1[3], t1[3]};
        nk_rv4 q0 = {t2[0], t2[0], t2[0], t2[0]}, q1 = {t2[1], t2[1], t2[1], t2[1]};
        nk_rv4 q2 = {t2[2], t2[2], t2[2], t2[2]}, q3 = {t2[3], t2[3], t2[3], t2[3]};
        nk_rv4 u, w;
        for (; i + 4 <= m; i += 4) {
            u = nk_ld4(v1 + i); w = nk_ld4(v2 + i);
            nk_st4(c0 + i, (nk_ld4(c0 + i) - p0 * u) - q0 * w);
            nk_st4(c1 + i, (nk_ld4(c1 + i) - p1 * u) - q1 * w);
            nk_st4(c2 + i, (nk_ld4(c2 + i) - p2 * u) - q2 * w);
            nk_st4(c3 + i, (nk_ld4(c3 + i) - p3 * u) - q3 * w);
        }
    #endif
        for (; i < m; i++) {
            c0[i] = (c0[i] - t1[0] * v1[i]) - t2[0] * v2[i];
            c1[i] = (c1[i] - t1[1] * v1[i]) - t2[1] * v2[i];
            c2[i] = (c2[i] - t1[2] * v1[i]) - t2[2] * v2[i];
            c3[i] = (c3[i] - t1[3] * v1[i]) - t2[3] * v2[i];
        }
    }

    /* the reflector of column j (rows j..m-1) as dlarfg: beta into a[j, j], v below */
    NK_AI void nk_house(double* a, Py_ssize_t m, Py_ssize_t ld, Py_ssize_t j, double* tau) {
        double* aj = a + j * ld;
        double* v = aj + j + 1;
        Py_ssize_t i, len = m - j - 1;
        double alpha = aj[j], xn = nk_qr_norm(v, len), beta, sc;
        if (xn == 0.0) { tau[j] = 0.0; return; }
        beta = -copysign(hypot(alpha, xn), alpha);
        tau[j] = (beta - alpha) / beta;
        sc = 1.0 / (alpha - beta);
        for (i = 0; i < len; i++) v[i] *= sc;
        aj[j] = beta;
    }

    /* H_j applied to columns l0..p-1 of a (rows j..m-1) */
    NK_AI void nk_house_apply(double* a, Py_ssize_t m, Py_ssize_t ld, Py_ssize_t p,
                              Py_ssize_t j, const double* tau, Py_ssize_t l0) {
        const double* v = a + j * ld + j + 1;
        Py_ssize_t l, len = m - j - 1;
        double w[4], t[4];
        if (tau[j] == 0.0) return;
        for (l = l0; l + 4 <= p; l += 4) {
            double* c0 = a + l * ld + j;
            double* c1 = c0 + ld;
            double* c2 = c1 + ld;
            double* c3 = c2 + ld;
            nk_qr_dot4(v, c0 + 1, c1 + 1, c2 + 1, c3 + 1, len, w);
            t[0] = tau[j] * (c0[0] + w[0]); t[1] = tau[j] * (c1[0] + w[1]);
            t[2] = tau[j] * (c2[0] + w[2]); t[3] = tau[j] * (c3[0] + w[3]);
            c0[0] -= t[0]; c1[0] -= t[1]; c2[0] -= t[2]; c3[0] -= t[3];
            nk_qr_axpy4(v, t, c0 + 1, c1 + 1, c2 + 1, c3 + 1, len);
        }
        for (; l < p; l++) {
            double* c0 = a + l * ld + j;
            t[0] = tau[j] * (c0[0] + nk_qr_dot(v, c0 + 1, len));
            c0[0] -= t[0];
            nk_qr_axpy(v, t[0], c0 + 1, len);
        }
    }

    /* Householder QR in place of the m×p column-major a (dgeqr2's result up to
       rounding). Reflectors go in pairs: H_{j+1}H_j is applied to the trailing
       columns in one read and one write of each (w₂ is corrected by t₁·v₂ᵀv₁). */
    NK_AI void nk_geqr2_impl(double* a, Py_ssize_t m, Py_ssize_t ld, Py_ssize_t p,
                             double* tau) {
        Py_ssize_t j = 0, l, len, kk = p < m ? p : m;
        double w1[4], w2[4], t1[4], t2[4], d12, v1j;
        while (j < kk) {
            nk_house(a, m, ld, j, tau);
            if (j + 1 >= kk) {
                nk_house_apply(a, m, ld, p, j, tau, j + 1);
                break;
            }
            nk_house_apply(a, m, ld, j + 2, j, tau, j + 1);  /* column j+1 only */
            nk_house(a, m, ld, j + 1, tau);
            {
                const double* v1 = a + j * ld + j + 2;       /* v₁, rows j+2.. */
                const double* v2 = a + (j + 1) * ld + j + 2; /* v₂, rows j+2.. */
                len = m - j - 2;
                v1j = a[j * ld + j + 1];                     /* v₁ at row j+1 */
                d12 = v1j + nk_qr_dot(v2, v1, len);          /* v₂ᵀv₁ */
                for (l = j + 2; l + 4 <= p; l += 4) {
                    double* c0 = a + l * ld + j;
                    double* c1 = c0 + ld;
                    double* c2 = c1 + ld;
                    double* c3 = c2 + ld;
                    double* cs[4] = {c0, c1, c2, c3};
                    int q;
                    nk_qr_dot2x4(v1, v2, c0 + 2, c1 + 2, c2 + 2, c3 + 2, len, w1, w2);
                    for (q = 0; q < 4; q++) {
                        double* c = cs[q];
                        t1[q] = tau[j] * ((c[0] + v1j * c[1]) + w1[q]);
                        t2[q] = tau[j + 1] * ((c[1] + w2[q]) - t1[q] * d12);
                        c[0] -= t1[q];
                        c[1] = (c[1] - t1[q] * v1j) - t2[q];
                    }
                    nk_qr_upd2x4(v1, v2, t1, t2, c0 + 2, c1 + 2, c2 + 2, c3 + 2, len);
                }
                for (; l < p; l++) {
                    double* c = a + l * ld + j;
                    double s1 = nk_qr_dot(v1, c + 2, len), s2 = nk_qr_dot(v2, c + 2, len);
                    double u1 = tau[j] * ((c[0] + v1j * c[1]) + s1);
                    double u2 = tau[j + 1] * ((c[1] + s2) - u1 * d12);
                    Py_ssize_t i;
                    c[0] -= u1;
                    c[1] = (c[1] - u1 * v1j) - u2;
                    for (i = 0; i < len; i++) c[2 + i] = (c[2 + i] - u1 * v1[i]) - u2 * v2[i];
                }
            }
            j += 2;
        }
    }

    /* blk (m×p, column-major, ld m) = rows lo..lo+m-1 of [1, x]; rows with unit
       column stride go four at a time through a 4×4 register transposition */
    #if NK_VECTORS
    #if defined(__clang__)
    #define NK_SHUF(a, b, i0, i1, i2, i3) __builtin_shufflevector((a), (b), i0, i1, i2, i3)
    #else
    typedef long long nk_iv4 __attribute__((vector_size(32)));
    #define NK_SHUF(a, b, i0, i1, i2, i3) __builtin_shuffle((a), (b), (nk_iv4){i0, i1, i2, i3})
    #endif
    #endif
    NK_AI void nk_gather_block_impl(const char* x, Py_ssize_t rs, Py_ssize_t cs,
                                    Py_ssize_t k, int intercept, Py_ssize_t lo,
                                    Py_ssize_t m, double* blk) {
        Py_ssize_t i = 0, j, r0, r1;
        double* out = blk + (intercept ? m : 0);
        if (intercept) for (i = 0; i < m; i++) blk[i] = 1.0;
        i = 0;
    #if NK_VECTORS
        if (cs == (Py_ssize_t)sizeof(double)) {
            for (; i + 4 <= m; i += 4) {
                const double* x0 = (const double*)(x + (lo + i) * rs);
                const double* x1 = (const double*)(x + (lo + i + 1) * rs);
                const double* x2 = (const double*)(x + (lo + i + 2) * rs);
                const double* x3 = (const double*)(x + (lo + i + 3) * rs);
                for (j = 0; j + 4 <= k; j += 4) {
                    nk_rv4 a0 = nk_ld4(x0 + j), a1 = nk_ld4(x1 + j);
                    nk_rv4 a2 = nk_ld4(x2 + j), a3 = nk_ld4(x3 + j);
                    nk_rv4 t0 = NK_SHUF(a0, a1, 0, 4, 2, 6), t1 = NK_SHUF(a0, a1, 1, 5, 3, 7);
                    nk_rv4 t2 = NK_SHUF(a2, a3, 0, 4, 2, 6), t3 = NK_SHUF(a2, a3, 1, 5, 3, 7);
                    nk_st4(out + j * m + i, NK_SHUF(t0, t2, 0, 1, 4, 5));
                    nk_st4(out + (j + 1) * m + i, NK_SHUF(t1, t3, 0, 1, 4, 5));
                    nk_st4(out + (j + 2) * m + i, NK_SHUF(t0, t2, 2, 3, 6, 7));
                    nk_st4(out + (j + 3) * m + i, NK_SHUF(t1, t3, 2, 3, 6, 7));
                }
                for (; j < k; j++) {
                    double* o = out + j * m + i;
                    o[0] = x0[j]; o[1] = x1[j]; o[2] = x2[j]; o[3] = x3[j];
                }
            }
        }
    #endif
        /* the rest (or any strides): 64 rows at a time, which stay in L1 */
        for (r0 = i; r0 < m; r0 += 64) {
            r1 = r0 + 64 < m ? r0 + 64 : m;
            for (j = 0; j < k; j++) {
                const char* p = x + (lo + r0) * rs + j * cs;
                for (i = r0; i < r1; i++, p += rs) out[j * m + i] = *(const double*)p;
            }
        }
    }

    /* c = Qᵀc (trans) or Qc for the Q of nk_geqr2's reflectors; c has length m */
    NK_AI void nk_apply_q_impl(const double* a, Py_ssize_t m, Py_ssize_t ld,
                               Py_ssize_t p, const double* tau, double* c, int trans) {
        Py_ssize_t j, q, kk = p < m ? p : m;
        double t;
        for (q = 0; q < kk; q++) {
            j = trans ? q : kk - 1 - q;
            if (tau[j] == 0.0) continue;
            t = tau[j] * (c[j] + nk_qr_dot(a + j * ld + j + 1, c + j + 1, m - j - 1));
            c[j] -= t;
            nk_qr_axpy(a + j * ld + j + 1, t, c + j + 1, m - j - 1);
        }
    }

    /* The entry points, compiled twice (AVX2 and the baseline ISA) from the same
       inlined bodies; ``simd`` picks the AVX2 copy (the caller passes it only when
       the CPU has AVX2), and the tests compare the two bit for bit. */
    #if NK_HAVE_FMA_PATH
    #define NK_AVX2 __attribute__((target("avx2")))
    static NK_AVX2 void nk_geqr2_avx2(double* a, Py_ssize_t m, Py_ssize_t ld, Py_ssize_t p,
                                      double* tau) {
        nk_geqr2_impl(a, m, ld, p, tau);
    }
    static NK_AVX2 void nk_gather_block_avx2(const char* x, Py_ssize_t rs, Py_ssize_t cs,
                                             Py_ssize_t k, int intercept, Py_ssize_t lo,
                                             Py_ssize_t m, double* blk) {
        nk_gather_block_impl(x, rs, cs, k, intercept, lo, m, blk);
    }
    static NK_AVX2 void nk_apply_q_avx2(const double* a, Py_ssize_t m, Py_ssize_t ld,
                                        Py_ssize_t p, const double* tau, double* c,
                                        int trans) {
        nk_apply_q_impl(a, m, ld, p, tau, c, trans);
    }
    static int nk_cpu_has_avx2(void) {
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2");
    }
    #define NK_SIMD(call) if (simd) { call; return; }
    #else
    static int nk_cpu_has_avx2(void) { return 0; }
    #define NK_SIMD(call)
    #endif
    static void nk_geqr2(int simd, double* a, Py_ssize_t m, Py_ssize_t ld, Py_ssize_t p,
                         double* tau) {
        NK_SIMD(nk_geqr2_avx2(a, m, ld, p, tau))
        nk_geqr2_impl(a, m, ld, p, tau);
    }
    static void nk_gather_block(int simd, const char* x, Py_ssize_t rs, Py_ssize_t cs,
                                Py_ssize_t k, int intercept, Py_ssize_t lo, Py_ssize_t m,
                                double* blk) {
        NK_SIMD(nk_gather_block_avx2(x, rs, cs, k, intercept, lo, m, blk))
        nk_gather_block_impl(x, rs, cs, k, intercept, lo, m, blk);
    }
    static void nk_apply_q(int simd, const double* a, Py_ssize_t m, Py_ssize_t ld,
                           Py_ssize_t p, const double* tau, double* c, int trans) {
        NK_SIMD(nk_apply_q_avx2(a, m, ld, p, tau, c, trans))
        nk_apply_q_impl(a, m, ld, p, tau, c, trans);
    }

    #if defined(__GNUC__) && !defined(__clang__)
    #pragma GCC pop_options
    #endif
    """
    void nk_rows_dekker(const char* x, Py_ssize_t rs, Py_ssize_t cs, Py_ssize_t k,
                        const double* y, const double* b, double* r, int intercept,
                        int init, Py_ssize_t lo, Py_ssize_t hi, double* f, double* gs,
                        double* gc) noexcept nogil
    void nk_rows_fma(const char* x, Py_ssize_t rs, Py_ssize_t cs, Py_ssize_t k,
                     const double* y, const double* b, double* r, int intercept,
                     int init, Py_ssize_t lo, Py_ssize_t hi, double* f, double* gs,
                     double* gc) noexcept nogil
    int nk_cpu_has_fma() noexcept nogil
    int nk_cpu_has_avx2() noexcept nogil
    void nk_geqr2(int simd, double* a, Py_ssize_t m, Py_ssize_t ld, Py_ssize_t p,
                  double* tau) noexcept nogil
    void nk_gather_block(int simd, const char* x, Py_ssize_t rs, Py_ssize_t cs, Py_ssize_t k,
                         int intercept, Py_ssize_t lo, Py_ssize_t m, double* blk) noexcept nogil
    void nk_apply_q(int simd, const double* a, Py_ssize_t m, Py_ssize_t ld, Py_ssize_t p,
                    const double* tau, double* c, int trans) noexcept nogil


# Whether this CPU runs the FMA copy of the hot loop (read once, at import).
cdef bint _FMA = nk_cpu_has_fma()
# Whether it runs the AVX2 copy of the QR kernels.
cdef bint _AVX2 = nk_cpu_has_avx2()


cdef inline double _two_sum_err(double a, double b, double s) noexcept nogil:
    """The rounding error of ``s = fl(a+b)`` (Knuth's TwoSum)."""
    cdef double z = s - a
    return (a - (s - z)) + (b - z)


def has_fma_path():
    """Whether :func:`augmented_residuals` can use the hardware-FMA TwoProduct here."""
    return bool(_FMA)


def has_avx2_path():
    """Whether :func:`tsqr` and :func:`tsqr_apply` can use their AVX2 copies here."""
    return bool(_AVX2)


def augmented_residuals(const double[:, :] x not None, const double[::1] y not None,
                        const double[::1] b not None, const double[::1] r not None,
                        bint intercept, double[::1] f not None, double[::1] g not None,
                        bint fma=True):
    """Write ``f = y - r - A b`` and ``g = -Aᵀ r`` for ``A = [1, x]`` (or ``x`` when
    ``intercept`` is false), each dot product in twice-working precision (Dot2).

    ``x`` is n×k with any strides (whole multiples of 8 bytes), ``y``, ``r`` and
    ``f`` have length n, ``b`` and ``g`` length k + intercept. Shapes are the
    caller's responsibility (checked here only to keep memory safe). ``fma=False``
    forces Dekker's TwoProduct even where the CPU has FMA (the two give the same
    bits; tests compare them).
    """
    if r.shape[0] != x.shape[0]:
        raise ValueError("augmented_residuals: shapes do not match")
    _residuals(x, y, b, <double*>&r[0] if r.shape[0] > 0 else NULL, intercept, f, g,
               fma, False, "augmented_residuals")


def initial_residuals(const double[:, :] x not None, const double[::1] y not None,
                      const double[::1] b not None, double[::1] r not None,
                      bint intercept, double[::1] f not None, double[::1] g not None,
                      bint fma=True):
    """Write the residual ``r = fl(y - A b)``, its rounding error ``f = (y - A b) - r``
    and ``g = -Aᵀ r``, all from twice-working-precision (Dot2) sums, in one pass:
    :func:`augmented_residuals` of ``(y, b, r)`` without the second read of ``x``.
    Same shapes as there; ``r``'s contents on entry are ignored.
    """
    if r.shape[0] != x.shape[0]:
        raise ValueError("initial_residuals: shapes do not match")
    _residuals(x, y, b, &r[0] if r.shape[0] > 0 else NULL, intercept, f, g, fma, True,
               "initial_residuals")


cdef _residuals(const double[:, :] x, const double[::1] y, const double[::1] b,
                double* r, bint intercept, double[::1] f, double[::1] g, bint fma,
                bint init, str name):
    cdef Py_ssize_t n = x.shape[0], k = x.shape[1], p = k + (1 if intercept else 0)
    cdef Py_ssize_t nchunks, c, j, lo, hi, rs, cs
    cdef int threads
    cdef bint use_fma = fma and _FMA
    cdef double* gs
    cdef double* gc
    cdef const char* xp
    cdef double s, t, e
    if y.shape[0] != n or f.shape[0] != n or b.shape[0] != p or g.shape[0] != p:
        raise ValueError(f"{name}: shapes do not match")
    rs = x.strides[0]
    cs = x.strides[1]
    if rs % <Py_ssize_t>sizeof(double) or cs % <Py_ssize_t>sizeof(double):
        raise ValueError(f"{name}: x's strides must be multiples of 8 bytes")
    xp = <const char*>&x[0, 0] if n > 0 and k > 0 else NULL
    nchunks = chunk_count(n * max(k, 1))
    if nchunks > n:
        nchunks = max(n, 1)
    gs = <double*>calloc(2 * nchunks * max(p, 1), sizeof(double))
    if gs == NULL:
        raise MemoryError()
    gc = gs + nchunks * max(p, 1)
    threads = threads_for(n * max(k, 1))
    with nogil:
        if n > 0:
            if threads == 1 or nchunks == 1:
                for c in range(nchunks):
                    _chunk(use_fma, xp, rs, cs, k, y, b, r, intercept, init,
                           n * c // nchunks, n * (c + 1) // nchunks, f, gs + c * p, gc + c * p)
            else:
                for c in prange(nchunks, schedule="dynamic", num_threads=threads):
                    lo = n * c // nchunks
                    hi = n * (c + 1) // nchunks
                    _chunk(use_fma, xp, rs, cs, k, y, b, r, intercept, init, lo, hi, f,
                           gs + c * p, gc + c * p)
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


cdef inline void _chunk(bint use_fma, const char* xp, Py_ssize_t rs, Py_ssize_t cs,
                        Py_ssize_t k, const double[::1] y, const double[::1] b,
                        double* r, bint intercept, bint init, Py_ssize_t lo, Py_ssize_t hi,
                        double[::1] f, double* gs, double* gc) noexcept nogil:
    if use_fma:
        nk_rows_fma(xp, rs, cs, k, &y[0], &b[0], r, intercept, init, lo, hi, &f[0], gs, gc)
    else:
        nk_rows_dekker(xp, rs, cs, k, &y[0], &b[0], r, intercept, init, lo, hi, &f[0], gs,
                       gc)


def scaled_design(const double[:, :] x not None, const double[::1] scale not None,
                  bint intercept, double[::1, :] a not None):
    """Write the Fortran-ordered design ``a = [1, x]·diag(scale)`` (or ``x·diag(scale)``).

    ``x`` is n×k with any strides; ``a`` is n×(k + intercept), Fortran-ordered, and
    ``scale`` has length k + intercept. Rows go in blocks of 256 (a block of ``x``
    stays in cache while each of its columns is written contiguously), which is a
    transposition at memory speed rather than a strided write per element.
    """
    cdef Py_ssize_t n = x.shape[0], k = x.shape[1], off = 1 if intercept else 0
    cdef Py_ssize_t nblocks, blk, i, j, lo, hi
    cdef int threads
    cdef double sj
    if a.shape[0] != n or a.shape[1] != k + off or scale.shape[0] != k + off:
        raise ValueError("scaled_design: shapes do not match")
    nblocks = (n + 255) // 256
    threads = threads_for(n * max(k, 1))
    with nogil:
        if intercept:
            for i in range(n):
                a[i, 0] = scale[0]
        for blk in prange(nblocks, schedule="static", num_threads=threads):
            lo = blk * 256
            hi = min(lo + 256, n)
            for j in range(k):
                sj = scale[j + off]
                for i in range(lo, hi):
                    a[i, j + off] = x[i, j] * sj


# ---------------------------------------------------------------------------
# TSQR: Householder QR of a tall design by row blocks

cdef Py_ssize_t _block_count(Py_ssize_t n, Py_ssize_t p) noexcept nogil:
    # about 256 KB per block (it stays in L2 while it is factorised), at least 8p rows;
    # a function of n and p only, so the factors do not depend on the thread count
    cdef Py_ssize_t mb, nb
    if n <= 0 or p <= 0:
        return 1
    mb = max(32768 // p, 8 * p)
    nb = n // mb
    return min(max(nb, 1), 512)


def tsqr_block_count(Py_ssize_t n, Py_ssize_t p):
    """The number of row blocks :func:`tsqr` splits an n×p design into (n and p only)."""
    return _block_count(n, p)


cdef void _tsqr_block(const char* xp, Py_ssize_t rs, Py_ssize_t cs, Py_ssize_t k,
                      bint intercept, Py_ssize_t lo, Py_ssize_t hi, Py_ssize_t p,
                      double* qb, double* tau, double* s, Py_ssize_t lds,
                      Py_ssize_t b, double* c, int simd) noexcept nogil:
    cdef Py_ssize_t m = hi - lo, i, j
    cdef double* blk = qb + lo * p
    nk_gather_block(simd, xp, rs, cs, k, intercept, lo, m, blk)
    nk_geqr2(simd, blk, m, m, p, tau)
    nk_apply_q(simd, blk, m, m, p, tau, c + lo, 1)  # while the block is in cache
    for j in range(p):
        for i in range(p):
            s[j * lds + b * p + i] = blk[j * m + i] if i <= j else 0.0


def tsqr(const double[:, :] x not None, bint intercept, double[::1] qb not None,
         double[::1] tau not None, double[::1, :] s not None, double[::1] c not None,
         bint simd=True):
    """Householder QR of the design ``A = [1, x]`` (or ``x``) by row blocks (TSQR).

    The n rows are split into ``nb = tsqr_block_count(n, p)`` blocks; block ``b``
    (rows ``lo:hi``) is copied into ``qb[lo·p : hi·p]`` as a column-major
    (hi-lo)×p matrix and factorised there in place (Householder, LAPACK's dgeqr2
    conventions, scalars in ``tau[b·p : b·p+p]``), in parallel. The blocks' R
    factors are stacked into ``s`` (nb·p × p, Fortran order), which is factorised
    again (scalars in ``tau[nb·p:]``): the upper triangle of ``s[:p]`` is R of
    ``A = QR``. Q is kept as the two levels of reflectors; :func:`tsqr_apply`
    applies it. ``c`` (length n, e.g. a copy of the response) is overwritten with
    ``Qᵀc`` in the same pass. Needs n >= p; every block has at least p rows.
    ``simd=False`` forces the baseline copy of the loops where the CPU has AVX2
    (the two give the same bits; tests compare them).
    """
    cdef Py_ssize_t n = x.shape[0], k = x.shape[1], off = 1 if intercept else 0
    cdef Py_ssize_t p = k + off, nb, b, rs, cs
    cdef int threads
    cdef int use = simd and _AVX2
    cdef const char* xp
    cdef double* t
    nb = _block_count(n, p)
    if p == 0 or n < p or qb.shape[0] != n * p or tau.shape[0] != (nb + 1) * p \
            or s.shape[0] != nb * p or s.shape[1] != p or c.shape[0] != n:
        raise ValueError("tsqr: shapes do not match")
    rs = x.strides[0]
    cs = x.strides[1]
    if rs % <Py_ssize_t>sizeof(double) or cs % <Py_ssize_t>sizeof(double):
        raise ValueError("tsqr: x's strides must be multiples of 8 bytes")
    xp = <const char*>&x[0, 0] if k > 0 else NULL
    threads = threads_for(n * p)
    with nogil:
        if threads == 1 or nb == 1:
            for b in range(nb):
                _tsqr_block(xp, rs, cs, k, intercept, n * b // nb, n * (b + 1) // nb, p,
                            &qb[0], &tau[b * p], &s[0, 0], nb * p, b, &c[0], use)
        else:
            for b in prange(nb, schedule="dynamic", num_threads=threads):
                _tsqr_block(xp, rs, cs, k, intercept, n * b // nb, n * (b + 1) // nb, p,
                            &qb[0], &tau[b * p], &s[0, 0], nb * p, b, &c[0], use)
        nk_geqr2(use, &s[0, 0], nb * p, nb * p, p, &tau[nb * p])
    t = <double*>malloc(nb * p * sizeof(double))
    if t == NULL:
        raise MemoryError()
    with nogil:
        _tsqr_top(&s[0, 0], n, p, nb, &tau[nb * p], &c[0], t, 1, use)
    free(t)


cdef void _tsqr_top(const double* s, Py_ssize_t n, Py_ssize_t p, Py_ssize_t nb,
                    const double* tau, double* c, double* t, int trans,
                    int simd) noexcept nogil:
    # the second level: gather the blocks' top p entries, apply, scatter back
    cdef Py_ssize_t b, i, lo
    for b in range(nb):
        lo = n * b // nb
        for i in range(p):
            t[b * p + i] = c[lo + i]
    nk_apply_q(simd, s, nb * p, nb * p, p, tau, t, trans)
    for b in range(nb):
        lo = n * b // nb
        for i in range(p):
            c[lo + i] = t[b * p + i]


def tsqr_apply(const double[::1] qb not None, const double[::1] tau not None,
               const double[::1, :] s not None, double[::1] c not None, bint trans,
               bint simd=True):
    """Overwrite ``c`` (length n) with ``Qᵀc`` (``trans``) or ``Qc`` for the Q of
    :func:`tsqr`'s factors. The first p entries of ``Qᵀc`` are the coordinates in
    ``range(A)`` (as with dormqr after dgeqrf); the rest span its complement."""
    cdef Py_ssize_t n = c.shape[0], p = s.shape[1], nb, b, lo, hi
    cdef int threads
    cdef int use = simd and _AVX2
    cdef double* t
    nb = _block_count(n, p)
    if p == 0 or n < p or qb.shape[0] != n * p or tau.shape[0] != (nb + 1) * p \
            or s.shape[0] != nb * p:
        raise ValueError("tsqr_apply: shapes do not match")
    t = <double*>malloc(nb * p * sizeof(double))
    if t == NULL:
        raise MemoryError()
    threads = threads_for(n * p)
    with nogil:
        if not trans:
            _tsqr_top(&s[0, 0], n, p, nb, &tau[nb * p], &c[0], t, 0, use)
        if threads == 1 or nb == 1:
            for b in range(nb):
                lo = n * b // nb
                hi = n * (b + 1) // nb
                nk_apply_q(use, &qb[lo * p], hi - lo, hi - lo, p, &tau[b * p], &c[lo],
                           trans)
        else:
            for b in prange(nb, schedule="dynamic", num_threads=threads):
                lo = n * b // nb
                hi = n * (b + 1) // nb
                nk_apply_q(use, &qb[lo * p], hi - lo, hi - lo, p, &tau[b * p], &c[lo],
                           trans)
        if trans:
            _tsqr_top(&s[0, 0], n, p, nb, &tau[nb * p], &c[0], t, 1, use)
    free(t)
