"""Covariance kernels: comoment matrices by fused block centring + ``dsyrk``, and the
corrected two-pass sums of two variables.

Algorithm (DESIGN.md, ``reduce``). ``comoments`` reads the n×p data once. Rows are
taken in blocks small enough for L2; each block gets an exact two-pass: its column sums
of ``w (x - shift)`` (``shift`` a representative row, the caller's first, so data with a
large offset keep their digits), then, while the block is in cache, its rows centred on
that mean into a scratch buffer (times ``sqrt(w)`` when weighted), with the deviations'
sum ``d`` for Chan et al.'s correction ``- d dᵀ / W``. The centred block is added into
the p×p partial by ``syrk(beta=1)``, and the block merges into the partial by Chan et
al.'s pairwise formula ``C += (Wa Wb / W) δ δᵀ`` (means relative to the shift, so δ is a
small exact difference). The whole centred n×p copy is never formed. Blocks are grouped
into a fixed number of chunks (a function of n and p), each with its own partial,
merged in chunk order, so 1 and 2 threads give the same bits.

Inside the parallel region every ``syrk`` is small (a block of at most a few hundred
rows), which OpenBLAS runs on the calling thread; for wide data (p large) a single
chunk is used and BLAS parallelises each (large) ``syrk`` itself.

References
----------
Chan, T. F., Golub, G. H., LeVeque, R. J. (1983). Algorithms for computing the sample
variance: analysis and recommendations. The American Statistician 37(3), 242-247.
"""

from cython cimport floating
from cython.parallel cimport prange
from libc.math cimport NAN, sqrt
from libc.stdlib cimport free, malloc
from libc.string cimport memset

from numkit._kernels._blas cimport syrk
from numkit._kernels._openmp cimport chunk_count, threads_for

cdef enum:
    # One block: 16384 doubles = 128 KiB, read twice from L2 with its centred copy.
    BLOCK_DOUBLES = 16384
    # For wide data a block has at least this many rows (capped at p), so each syrk
    # has enough depth to amortise reading and writing the p×p partial.
    MIN_BLOCK_ROWS = 1024
    # Cap on the doubles held by all per-chunk p×p partials (16 MiB).
    PARTIAL_BUDGET = 2097152
    MAX_CHUNKS = 64


cdef inline Py_ssize_t _block_rows(Py_ssize_t n, Py_ssize_t p) noexcept nogil:
    cdef Py_ssize_t b = BLOCK_DOUBLES // p if p > 0 else n
    cdef Py_ssize_t floor = p if p < MIN_BLOCK_ROWS else MIN_BLOCK_ROWS
    if b < floor:
        b = floor
    if b < 1:
        b = 1
    if b > n:
        b = n
    return b


cdef inline Py_ssize_t _syrk_chunks(Py_ssize_t nblocks, Py_ssize_t p) noexcept nogil:
    cdef Py_ssize_t c = PARTIAL_BUDGET // (p * p) if p > 0 else MAX_CHUNKS
    if c > MAX_CHUNKS:
        c = MAX_CHUNKS
    if c > nblocks:
        c = nblocks
    if c < 1:
        c = 1
    return c


cdef void _merge(double* c, double* a, double* wa, const double* cb, const double* b,
                 double wb, Py_ssize_t p) noexcept nogil:
    """Chan et al.'s pairwise merge of (wa, mean a, comoment c) with (wb, b, cb); the
    means are relative to one shift, so δ = b - a is a small, exact difference.
    ``cb`` may be NULL when its comoment was already added into c."""
    cdef Py_ssize_t i, j
    cdef double W = wa[0] + wb, f, g
    if wb == 0.0:
        return
    f = wa[0] * wb / W
    g = wb / W
    for i in range(p):
        for j in range(i, p):
            if cb != NULL:
                c[i * p + j] += cb[i * p + j]
            c[i * p + j] += f * (b[i] - a[i]) * (b[j] - a[j])
    for i in range(p):
        a[i] += (b[i] - a[i]) * g
    wa[0] = W


cdef double _combine(double* parts, Py_ssize_t nch, Py_ssize_t p, double* mean,
                     double* cc) noexcept nogil:
    """Merge the per-chunk partials laid out as ``nch`` p×p comoments, then ``nch``
    means, then ``nch`` weights, in chunk order into chunk 0's; write the mean and the
    full symmetric comoment matrix (NaN when the total weight is 0); return it."""
    cdef double* pmean = parts + nch * p * p
    cdef double* pw = pmean + nch * p
    cdef Py_ssize_t ci, i, j
    cdef double W
    for ci in range(1, nch):
        _merge(parts, pmean, pw, parts + ci * p * p, pmean + ci * p, pw[ci], p)
    W = pw[0]
    for i in range(p):
        mean[i] = pmean[i] if W != 0.0 else NAN
        for j in range(i, p):
            cc[i * p + j] = parts[i * p + j] if W != 0.0 else NAN
    for i in range(p):
        for j in range(i):
            cc[i * p + j] = cc[j * p + i]
    return W


cdef void _chunk(const floating[:, ::1] x, const double* w, const double* shift,
                 Py_ssize_t lo, Py_ssize_t hi, Py_ssize_t brows, double* work,
                 double* c, double* a, double* wa) noexcept nogil:
    """Comoment (upper triangle, into c), mean relative to shift (a) and weight (wa)
    of rows [lo, hi), one L2-sized block at a time: an exact two-pass per block
    (sum, then centre while the block is in cache, with Chan's correction), the
    centred block into c by syrk(beta=1), and the block merged by Chan's formula.
    ``work`` holds brows*p + 3p doubles."""
    cdef Py_ssize_t p = x.shape[1], b0, b1, i, j
    cdef double v, s, wi, wb, inv
    cdef double* scratch = work
    cdef double* b = work + brows * p
    cdef double* m = b + p
    cdef double* d = m + p
    cdef double* row
    b0 = lo
    while b0 < hi:
        b1 = b0 + brows
        if b1 > hi:
            b1 = hi
        # pass 1 over the block (from memory): its mean relative to the shift
        memset(b, 0, p * sizeof(double))
        wb = 0.0
        for i in range(b0, b1):
            if w == NULL:
                for j in range(p):
                    b[j] += x[i, j] - shift[j]
                wb += 1.0
            else:
                wi = w[i]
                for j in range(p):
                    b[j] += wi * (x[i, j] - shift[j])
                wb += wi
        if wb == 0.0:
            b0 = b1
            continue
        inv = 1.0 / wb
        for j in range(p):
            m[j] = shift[j] + b[j] * inv
            # the centre actually used, relative to the shift (exact: Sterbenz)
            b[j] = m[j] - shift[j]
            d[j] = 0.0
        # pass 2 (from cache): centre, times sqrt(w)
        for i in range(b0, b1):
            row = scratch + (i - b0) * p
            if w == NULL:
                for j in range(p):
                    v = x[i, j] - m[j]
                    row[j] = v
                    d[j] += v
            else:
                wi = w[i]
                s = sqrt(wi)
                for j in range(p):
                    v = x[i, j] - m[j]
                    row[j] = s * v
                    d[j] += wi * v
        syrk(True, True, <int>p, <int>(b1 - b0), 1.0, scratch, <int>p, 1.0, c, <int>p)
        # Chan's correction of the block (its centre m was rounded), then the merge
        for i in range(p):
            for j in range(i, p):
                c[i * p + j] -= d[i] * d[j] * inv
            b[i] += d[i] * inv
        _merge(c, a, wa, NULL, b, wb, p)
        b0 = b1


def comoments(const floating[:, ::1] x not None, const double[::1] w,
              const double[::1] shift not None, double[::1] mean not None,
              double[:, ::1] c not None):
    """Weighted comoment matrix of the rows of ``x`` (n×p, rows are observations).

    Writes ``mean`` (p; relative to ``shift``) and the full symmetric
    ``c = Σ w (x - mean)(x - mean)ᵀ`` (p×p); returns the total weight ``W``. ``w`` is
    None or n non-negative weights. With ``W == 0`` mean and c are NaN.
    """
    cdef Py_ssize_t n = x.shape[0], p = x.shape[1]
    cdef Py_ssize_t ci, lo, hi, brows, nblocks, nch, per, wlen
    cdef const double* wp = NULL
    cdef double W = 0.0
    cdef double* parts = NULL
    cdef double* pmean
    cdef double* pw
    cdef double* work = NULL
    cdef double* cc
    cdef int nt
    if mean.shape[0] != p or c.shape[0] != p or c.shape[1] != p or shift.shape[0] != p:
        raise ValueError("comoments: shapes do not match")
    if w is not None:
        if w.shape[0] != n:
            raise ValueError("comoments: w has the wrong length")
        if n > 0:
            wp = &w[0]
    if p == 0:
        return float(n) if wp == NULL else float(sum(w))
    cc = &c[0, 0]
    nt = threads_for(n * p)
    brows = _block_rows(n, p)
    nblocks = (n + brows - 1) // brows if n > 0 else 0
    nch = _syrk_chunks(nblocks, p)
    per = (nblocks + nch - 1) // nch
    wlen = brows * p + 3 * p
    parts = <double*>malloc(nch * (p * p + p + 1) * sizeof(double))
    if parts == NULL:
        raise MemoryError()
    pmean = parts + nch * p * p
    pw = pmean + nch * p
    memset(parts, 0, nch * (p * p + p + 1) * sizeof(double))
    with nogil:
        for ci in prange(nch, schedule="static", num_threads=nt if nch > 1 else 1):
            lo = ci * per * brows
            hi = lo + per * brows
            if hi > n:
                hi = n
            if lo < hi:
                work = <double*>malloc(wlen * sizeof(double))
                if work != NULL:
                    _chunk(x, wp, &shift[0], lo, hi, brows, work,
                           parts + ci * p * p, pmean + ci * p, pw + ci)
                    free(work)
                else:
                    # out of memory: poison the result rather than crash
                    parts[ci * p * p] = NAN
        W = _combine(parts, nch, p, &mean[0], cc)
    free(parts)
    return W


cdef enum:
    # narrow data (p <= NARROW_MAX): rows per block of the column-wise path; the
    # centred block (NARROW_ROWS × p doubles, at most 64 KiB) stays in L1/L2
    NARROW_ROWS = 1024
    NARROW_MAX = 16


cdef inline double _dot4(const double* a, const double* b, Py_ssize_t n) noexcept nogil:
    """Σ a[i] b[i] with four independent sums (the compiler may not reassociate)."""
    cdef double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
    cdef Py_ssize_t i = 0
    while i + 4 <= n:
        s0 += a[i] * b[i]
        s1 += a[i + 1] * b[i + 1]
        s2 += a[i + 2] * b[i + 2]
        s3 += a[i + 3] * b[i + 3]
        i += 4
    while i < n:
        s0 += a[i] * b[i]
        i += 1
    return (s0 + s1) + (s2 + s3)


cdef void _chunk_narrow(const floating[:, :] x, const double* w, const double* shift,
                        Py_ssize_t lo, Py_ssize_t hi, double* work, double* c, double* a,
                        double* wa) noexcept nogil:
    """As ``_chunk`` for narrow data of any strides: each block of NARROW_ROWS rows is
    centred column by column into a column-major scratch and its comoments are the
    p(p+1)/2 dot products of those columns (no syrk: for a few columns its call and
    packing cost more than the arithmetic). ``work`` holds NARROW_ROWS*p + p*p + 3p
    doubles."""
    cdef Py_ssize_t p = x.shape[1], b0, b1, i, j, k, L
    cdef double v, wi, wb, inv, sh, mj, s0, s1, s2, s3
    cdef double* col = work
    cdef double* cj
    cdef double* cb = work + NARROW_ROWS * p
    cdef double* b = cb + p * p
    cdef double* m = b + p
    cdef double* d = m + p
    b0 = lo
    while b0 < hi:
        b1 = b0 + NARROW_ROWS
        if b1 > hi:
            b1 = hi
        L = b1 - b0
        # pass 1 (from memory): the block's mean relative to the shift
        wb = 0.0
        if w == NULL:
            wb = <double>L
        else:
            for i in range(b0, b1):
                wb += w[i]
        if wb == 0.0:
            b0 = b1
            continue
        inv = 1.0 / wb
        # (four running sums per column, rows i ≡ 0, 1, 2, 3 mod 4: one sum would make
        # every addition wait for the one before)
        for j in range(p):
            s0 = s1 = s2 = s3 = 0.0
            sh = shift[j]
            i = b0
            if w == NULL:
                while i + 4 <= b1:
                    s0 += x[i, j] - sh
                    s1 += x[i + 1, j] - sh
                    s2 += x[i + 2, j] - sh
                    s3 += x[i + 3, j] - sh
                    i += 4
                while i < b1:
                    s0 += x[i, j] - sh
                    i += 1
            else:
                while i + 4 <= b1:
                    s0 += w[i] * (x[i, j] - sh)
                    s1 += w[i + 1] * (x[i + 1, j] - sh)
                    s2 += w[i + 2] * (x[i + 2, j] - sh)
                    s3 += w[i + 3] * (x[i + 3, j] - sh)
                    i += 4
                while i < b1:
                    s0 += w[i] * (x[i, j] - sh)
                    i += 1
            m[j] = sh + ((s0 + s1) + (s2 + s3)) * inv
            b[j] = m[j] - sh  # the centre used, relative to the shift (exact)
        # pass 2 (from cache): centre into the scratch columns, times sqrt(w)
        for j in range(p):
            s0 = s1 = s2 = s3 = 0.0
            mj = m[j]
            cj = col + j * NARROW_ROWS - b0
            i = b0
            if w == NULL:
                while i + 4 <= b1:
                    v = x[i, j] - mj
                    cj[i] = v
                    s0 += v
                    v = x[i + 1, j] - mj
                    cj[i + 1] = v
                    s1 += v
                    v = x[i + 2, j] - mj
                    cj[i + 2] = v
                    s2 += v
                    v = x[i + 3, j] - mj
                    cj[i + 3] = v
                    s3 += v
                    i += 4
                while i < b1:
                    v = x[i, j] - mj
                    cj[i] = v
                    s0 += v
                    i += 1
            else:
                while i < b1:
                    wi = w[i]
                    v = x[i, j] - mj
                    cj[i] = sqrt(wi) * v
                    s0 += wi * v
                    i += 1
            d[j] = (s0 + s1) + (s2 + s3)
        # the block's comoments, with Chan's correction for its rounded centre
        for j in range(p):
            for k in range(j, p):
                cb[j * p + k] = (_dot4(col + j * NARROW_ROWS, col + k * NARROW_ROWS, L)
                                 - d[j] * d[k] * inv)
        for j in range(p):
            b[j] += d[j] * inv
        _merge(c, a, wa, cb, b, wb, p)
        b0 = b1


def comoments_narrow(const floating[:, :] x not None, const double[::1] w,
                     const double[::1] shift not None, double[::1] mean not None,
                     double[:, ::1] c not None):
    """:func:`comoments` for data of at most 16 columns and any strides (a Fortran-ordered
    block, a column slice): the same results, without a contiguous copy or syrk.

    Blocks of 1024 rows are grouped into a fixed number of chunks (a function of n
    only), merged in chunk order: 1 and 2 threads give the same bits.
    """
    cdef Py_ssize_t n = x.shape[0], p = x.shape[1]
    cdef Py_ssize_t ci, lo, hi, nblocks, nch, per, wlen
    cdef const double* wp = NULL
    cdef double W = 0.0
    cdef double* parts = NULL
    cdef double* pmean
    cdef double* pw
    cdef double* work = NULL
    cdef double* cc
    cdef int nt
    if mean.shape[0] != p or c.shape[0] != p or c.shape[1] != p or shift.shape[0] != p:
        raise ValueError("comoments_narrow: shapes do not match")
    if p > NARROW_MAX:
        raise ValueError(f"comoments_narrow: at most {NARROW_MAX} columns; got {p}")
    if w is not None:
        if w.shape[0] != n:
            raise ValueError("comoments_narrow: w has the wrong length")
        if n > 0:
            wp = &w[0]
    if p == 0:
        return float(n) if wp == NULL else float(sum(w))
    cc = &c[0, 0]
    nblocks = (n + NARROW_ROWS - 1) // NARROW_ROWS
    nch = chunk_count(n)
    if nch > nblocks:
        nch = nblocks if nblocks > 0 else 1
    per = (nblocks + nch - 1) // nch
    nt = threads_for(n * p)
    wlen = NARROW_ROWS * p + p * p + 3 * p
    parts = <double*>malloc(nch * (p * p + p + 1) * sizeof(double))
    if parts == NULL:
        raise MemoryError()
    pmean = parts + nch * p * p
    pw = pmean + nch * p
    memset(parts, 0, nch * (p * p + p + 1) * sizeof(double))
    with nogil:
        for ci in prange(nch, schedule="static", num_threads=nt if nch > 1 else 1):
            lo = ci * per * NARROW_ROWS
            hi = lo + per * NARROW_ROWS
            if hi > n:
                hi = n
            if lo < hi:
                work = <double*>malloc(wlen * sizeof(double))
                if work != NULL:
                    _chunk_narrow(x, wp, &shift[0], lo, hi, work, parts + ci * p * p,
                                  pmean + ci * p, pw + ci)
                    free(work)
                else:
                    parts[ci * p * p] = NAN
        W = _combine(parts, nch, p, &mean[0], cc)
    free(parts)
    return W


cdef void _pair_sums(const double* x, const double* y, const double* w, Py_ssize_t lo,
                     Py_ssize_t hi, double sx, double sy, double* out) noexcept nogil:
    cdef Py_ssize_t i
    cdef double a = 0.0, b = 0.0, tw = 0.0, wi
    for i in range(lo, hi):
        wi = 1.0 if w == NULL else w[i]
        a += wi * (x[i] - sx)
        b += wi * (y[i] - sy)
        tw += wi
    out[0] = tw
    out[1] = a
    out[2] = b


cdef void _pair_central(const double* x, const double* y, const double* w, Py_ssize_t lo,
                        Py_ssize_t hi, double mx, double my, double* out) noexcept nogil:
    cdef Py_ssize_t i
    cdef double dx, dy, wi, cx = 0.0, cy = 0.0, sxx = 0.0, syy = 0.0, sxy = 0.0
    for i in range(lo, hi):
        wi = 1.0 if w == NULL else w[i]
        dx = x[i] - mx
        dy = y[i] - my
        cx += wi * dx
        cy += wi * dy
        sxx += wi * dx * dx
        syy += wi * dy * dy
        sxy += wi * dx * dy
    out[0] = cx
    out[1] = cy
    out[2] = sxx
    out[3] = syy
    out[4] = sxy


def pair_moments(const double[::1] x not None, const double[::1] y not None,
                 const double[::1] w):
    """``(W, mean_x, mean_y, Sxx, Syy, Sxy)`` of paired data by the corrected two-pass
    (Gonum's ``Covariance``/``Correlation``), ``S`` the weighted central sums."""
    cdef Py_ssize_t n = x.shape[0], nch, ci, k
    cdef const double* wp = NULL
    cdef double* part
    cdef double W = 0.0, a = 0.0, b = 0.0, mx, my, sx, sy
    cdef double cx = 0.0, cy = 0.0, sxx = 0.0, syy = 0.0, sxy = 0.0
    cdef int nt
    if y.shape[0] != n or (w is not None and w.shape[0] != n):
        raise ValueError("pair_moments: lengths differ")
    if n == 0:
        return (0.0, NAN, NAN, NAN, NAN, NAN)
    if w is not None:
        wp = &w[0]
    nch = chunk_count(n)
    nt = threads_for(n)
    part = <double*>malloc(nch * 5 * sizeof(double))
    if part == NULL:
        raise MemoryError()
    sx = x[0]
    sy = y[0]
    with nogil:
        for ci in prange(nch, schedule="static", num_threads=nt):
            _pair_sums(&x[0], &y[0], wp, ci * n // nch, (ci + 1) * n // nch, sx, sy,
                       part + 5 * ci)
        for ci in range(nch):
            W += part[5 * ci]
            a += part[5 * ci + 1]
            b += part[5 * ci + 2]
        mx = sx + a / W
        my = sy + b / W
        for ci in prange(nch, schedule="static", num_threads=nt):
            _pair_central(&x[0], &y[0], wp, ci * n // nch, (ci + 1) * n // nch, mx, my,
                          part + 5 * ci)
        for ci in range(nch):
            k = 5 * ci
            cx += part[k]
            cy += part[k + 1]
            sxx += part[k + 2]
            syy += part[k + 3]
            sxy += part[k + 4]
    free(part)
    # Chan et al.'s correction terms, as in Gonum's Covariance
    sxx -= cx * cx / W
    syy -= cy * cy / W
    sxy -= cx * cy / W
    return (W, mx + cx / W, my + cy / W, sxx, syy, sxy)
