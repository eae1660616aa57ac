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

cdef extern from *:
    """
    #include <stddef.h>
    #include <string.h>
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
            ri = r[i];                                                                  \\
            s1 = y[i] - ri; c1 = NK_SUM_ERR(y[i], -ri, s1);                             \\
            if (intercept) {                                                            \\
                t1 = s1 - b[0]; c1 = c1 + NK_SUM_ERR(s1, -b[0], t1); s1 = t1;           \\
            }                                                                           \\
            for (j = 0; j < k; j++) {                                                   \\
                double xv = NK_X(i, j), bj = b[j + off];                                \\
                p1 = xv * bj; e1 = ERR_S(xv, bj, p1);                                   \\
                t1 = s1 - p1; c1 = c1 + (NK_SUM_ERR(s1, -p1, t1) - e1); s1 = t1;        \\
            }                                                                           \\
            f[i] = s1 + c1;                                                             \\
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
            rv = (nk_rv4){r[i], r[i + 1], r[i + 2], r[i + 3]};                          \\
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
            f[i] = tv[0]; f[i + 1] = tv[1]; f[i + 2] = tv[2]; f[i + 3] = tv[3];         \\
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
                               const double* y, const double* b, const double* r,
                               int intercept, Py_ssize_t lo, Py_ssize_t hi, double* f,
                               double* gs, double* gc) {
        NK_ROWS_BODY(NK_DEKKER_ERR, NK_DEKKER_ERR)
    }

    #if NK_HAVE_FMA_PATH
    #define NK_FMA_ERR_V(a, b, p) ((nk_rv4)_mm256_fmsub_pd((__m256d)(a), (__m256d)(b), (__m256d)(p)))
    #define NK_FMA_ERR_S(a, b, p) __builtin_fma((a), (b), -(p))
    static NK_FMA_TARGET void nk_rows_fma(const char* x, Py_ssize_t rs, Py_ssize_t cs,
                                          Py_ssize_t k, const double* y, const double* b,
                                          const double* r, int intercept, Py_ssize_t lo,
                                          Py_ssize_t hi, double* f, double* gs, double* gc) {
        NK_ROWS_BODY(NK_FMA_ERR_V, NK_FMA_ERR_S)
    }
    static int nk_cpu_has_fma(void) {
        __builtin_cpu_init();
        return __builtin_cpu_supports("fma") && __builtin_cpu_supports("avx2");
    }
    #else
    static void nk_rows_fma(const char* x, Py_ssize_t rs, Py_ssize_t cs, Py_ssize_t k,
                            const double* y, const double* b, const double* r,
                            int intercept, Py_ssize_t lo, Py_ssize_t hi, double* f,
                            double* gs, double* gc) {
        nk_rows_dekker(x, rs, cs, k, y, b, r, intercept, lo, hi, f, gs, gc);
    }
    static int nk_cpu_has_fma(void) { return 0; }
    #endif

    #if defined(__GNUC__) && !defined(__clang__)
    #pragma GCC pop_options
    #endif
    """
    void nk_rows_dekker(const char* x, Py_ssize_t rs, Py_ssize_t cs, Py_ssize_t k,
                        const double* y, const double* b, const double* r, int intercept,
                        Py_ssize_t lo, Py_ssize_t hi, double* f, double* gs,
                        double* gc) noexcept nogil
    void nk_rows_fma(const char* x, Py_ssize_t rs, Py_ssize_t cs, Py_ssize_t k,
                     const double* y, const double* b, const double* r, int intercept,
                     Py_ssize_t lo, Py_ssize_t hi, double* f, double* gs,
                     double* gc) noexcept nogil
    int nk_cpu_has_fma() noexcept nogil


# Whether this CPU runs the FMA copy of the hot loop (read once, at import).
cdef bint _FMA = nk_cpu_has_fma()


cdef inline double _two_sum_err(double a, double b, double s) noexcept nogil:
    """The rounding error of ``s = fl(a+b)`` (Knuth's TwoSum)."""
    cdef double z = s - a
    return (a - (s - z)) + (b - z)


def has_fma_path():
    """Whether :func:`augmented_residuals` can use the hardware-FMA TwoProduct here."""
    return bool(_FMA)


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
    cdef Py_ssize_t n = x.shape[0], k = x.shape[1], p = k + (1 if intercept else 0)
    cdef Py_ssize_t nchunks, c, j, lo, hi, rs, cs
    cdef int threads
    cdef bint use_fma = fma and _FMA
    cdef double* gs
    cdef double* gc
    cdef const char* xp
    cdef double s, t, e
    if y.shape[0] != n or r.shape[0] != n or f.shape[0] != n or b.shape[0] != p \
            or g.shape[0] != p:
        raise ValueError("augmented_residuals: shapes do not match")
    rs = x.strides[0]
    cs = x.strides[1]
    if rs % <Py_ssize_t>sizeof(double) or cs % <Py_ssize_t>sizeof(double):
        raise ValueError("augmented_residuals: x's strides must be multiples of 8 bytes")
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
                    _chunk(use_fma, xp, rs, cs, k, y, b, r, intercept,
                           n * c // nchunks, n * (c + 1) // nchunks, f, gs + c * p, gc + c * p)
            else:
                for c in prange(nchunks, schedule="static", num_threads=threads):
                    lo = n * c // nchunks
                    hi = n * (c + 1) // nchunks
                    _chunk(use_fma, xp, rs, cs, k, y, b, r, intercept, lo, hi, f,
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
                        const double[::1] r, bint intercept, Py_ssize_t lo, Py_ssize_t hi,
                        double[::1] f, double* gs, double* gc) noexcept nogil:
    if use_fma:
        nk_rows_fma(xp, rs, cs, k, &y[0], &b[0], &r[0], intercept, lo, hi, &f[0], gs, gc)
    else:
        nk_rows_dekker(xp, rs, cs, k, &y[0], &b[0], &r[0], intercept, lo, hi, &f[0], gs, gc)


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
