"""Kernels of numkit.mat.Cholesky: O(n²) rank-one update and downdate of an upper
Cholesky factor, the forward substitution Uᵀ t = x, and the O(n²) passes around the
LAPACK calls (input scan, triangle norms, triangle copies).

The factor U is row-major upper triangular (``u[i, j]``, j >= i); its strict lower
triangle is never read, so the Python side may leave anything there. Rows of U are
contiguous, which is what the rotations of LINPACK's dchud/dchdd walk along.
"""

from libc.math cimport fabs, hypot, sqrt, INFINITY

# Tile edge of the symmetry scan: two 64×64 tiles of doubles (64 KiB) stay in L2 while
# the lower one is read by columns.
cdef enum:
    TILE = 64


cdef inline void _rotg(double a, double b, double* c, double* s, double* r) noexcept nogil:
    """Givens rotation [c s; -s c] mapping (a, b) to (r, 0) with r = hypot(a, b) >= 0
    (BLAS drotg followed by Gonum's sign flip that keeps the diagonal positive)."""
    cdef double h = hypot(a, b)
    r[0] = h
    if h == 0.0:
        c[0] = 1.0
        s[0] = 0.0
    else:
        c[0] = a / h
        s[0] = b / h


cdef inline void _rot(Py_ssize_t n, double* x, double* y, double c, double s) noexcept nogil:
    """BLAS drot with unit strides: x' = c x + s y, y' = c y - s x."""
    cdef Py_ssize_t j
    cdef double xj, yj
    for j in range(n):
        xj = x[j]
        yj = y[j]
        x[j] = c * xj + s * yj
        y[j] = c * yj - s * xj


cdef void _forward_ut(Py_ssize_t n, const double* u, Py_ssize_t ld, double* x) noexcept nogil:
    """Solve Uᵀ t = x in place (t overwrites x), walking the contiguous rows of U."""
    cdef Py_ssize_t k, j
    cdef double tk
    cdef const double* row
    for k in range(n):
        row = u + k * ld
        tk = x[k] / row[k]
        x[k] = tk
        for j in range(k + 1, n):
            x[j] -= tk * row[j]


def forward_solve_ut(const double[:, ::1] u not None, double[::1] x not None):
    """Solve Uᵀ t = x in place for the upper triangular U (only its upper triangle is
    read); shapes are the caller's responsibility."""
    cdef Py_ssize_t n = x.shape[0]
    if n == 0:
        return
    with nogil:
        _forward_ut(n, &u[0, 0], u.shape[1], &x[0])


cdef void _update(Py_ssize_t n, double* u, Py_ssize_t ld, double* w) noexcept nogil:
    cdef Py_ssize_t i
    cdef double c, s, r
    cdef double* row
    for i in range(n):
        row = u + i * ld
        _rotg(row[i], w[i], &c, &s, &r)
        row[i] = r
        _rot(n - i - 1, row + i + 1, w + i + 1, c, s)


def rank_one_update(double[:, ::1] u not None, double[::1] work not None):
    """Replace U by the factor of UᵀU + w wᵀ, w = ``work`` (overwritten), by Givens
    rotations (LINPACK dchud). U's diagonal must be positive."""
    cdef Py_ssize_t n = work.shape[0]
    if n == 0:
        return
    with nogil:
        _update(n, &u[0, 0], u.shape[1], &work[0])


cdef int _downdate_prepare(Py_ssize_t n, const double* u, Py_ssize_t ld, double* w,
                           double* cs, double* sn) noexcept nogil:
    cdef Py_ssize_t i
    cdef double rho = 0.0, norm, r
    _forward_ut(n, u, ld, w)
    for i in range(n):
        rho += w[i] * w[i]
    rho = sqrt(rho)
    # Also catches NaN and the overflow of the solve to inf.
    if not rho < 1.0:
        return 1
    norm = sqrt((1.0 + rho) * (1.0 - rho))
    i = n - 1
    while i >= 0:
        _rotg(norm, w[i], &cs[i], &sn[i], &r)
        norm = r
        i -= 1
    # The rotation of row i maps its diagonal to cs[i]·u[i, i] (the work entry it
    # meets is zero), so a zero there is known before anything is written.
    for i in range(n):
        if cs[i] * u[i * ld + i] == 0.0:
            return 2
    return 0


def rank_one_downdate_prepare(const double[:, ::1] u not None, double[::1] work not None,
                              double[::1] cs not None, double[::1] sn not None):
    """First half of the downdate to the factor of UᵀU - w wᵀ (LINPACK dchdd): solve
    Uᵀ p = w in ``work`` and compute the rotations into ``cs``/``sn``. U is only read.
    Returns 0, 1 when ‖p‖ >= 1 (the result would not be positive definite) or 2 when
    a diagonal element of the result would be zero."""
    cdef Py_ssize_t n = work.shape[0]
    cdef int status
    if n == 0:
        return 0
    with nogil:
        status = _downdate_prepare(n, &u[0, 0], u.shape[1], &work[0], &cs[0], &sn[0])
    return status


cdef void _downdate_apply(Py_ssize_t n, double* u, Py_ssize_t ld, double* w,
                          const double* cs, const double* sn) noexcept nogil:
    cdef Py_ssize_t i, j
    cdef double* row
    i = n - 1
    while i >= 0:
        row = u + i * ld
        w[i] = 0.0
        _rot(n - i, w + i, row + i, cs[i], sn[i])
        if row[i] < 0.0:
            for j in range(i, n):
                row[j] = -row[j]
        i -= 1


def rank_one_downdate_apply(double[:, ::1] u not None, double[::1] work not None,
                            const double[::1] cs not None, const double[::1] sn not None):
    """Second half of the downdate: apply the rotations from the prepare step to U
    (``work`` is scratch of length n)."""
    cdef Py_ssize_t n = work.shape[0]
    if n == 0:
        return
    with nogil:
        _downdate_apply(n, &u[0, 0], u.shape[1], &work[0], &cs[0], &sn[0])


def scan_symmetric(const double[:, ::1] a not None, double[::1] colsum not None,
                   bint check_symmetry=True):
    """One tiled pass over the square ``a`` reading its upper triangle as a symmetric
    matrix. Returns ``(norm1, max_abs, worst)``: the 1-norm of the symmetric matrix
    (LAPACK dlansy '1'), the largest |a[i, j]| of the upper triangle and, if
    ``check_symmetry``, the largest |a[i, j] - a[j, i]| (inf where exactly one of them
    is NaN). A NaN or inf in the upper triangle shows as a non-finite norm1.
    ``colsum`` is scratch of length n."""
    cdef Py_ssize_t n = a.shape[0], ib, jb, i, j, jlo, jhi, ihi
    cdef double av, d, rowsum, big = 0.0, worst = 0.0, norm = 0.0
    cdef const double* row
    with nogil:
        for j in range(n):
            colsum[j] = 0.0
        ib = 0
        while ib < n:
            ihi = min(ib + TILE, n)
            jb = ib
            while jb < n:
                jhi = min(jb + TILE, n)
                for i in range(ib, ihi):
                    row = &a[i, 0]
                    jlo = max(jb, i)
                    if jlo == i and jlo < jhi:
                        av = fabs(row[i])
                        colsum[i] += av
                        big = av if av > big else big
                        jlo = i + 1
                    rowsum = 0.0
                    for j in range(jlo, jhi):
                        av = fabs(row[j])
                        colsum[j] += av
                        rowsum += av
                        big = av if av > big else big
                    colsum[i] += rowsum
                    if check_symmetry:
                        for j in range(jlo, jhi):
                            d = fabs(row[j] - a[j, i])
                            if d != d:
                                d = INFINITY
                            worst = d if d > worst else worst
                jb += TILE
            ib += TILE
        for j in range(n):
            if colsum[j] != colsum[j]:
                norm = colsum[j]     # NaN: reported, never hidden by a later max
                break
            if colsum[j] > norm:
                norm = colsum[j]
    return norm, big, worst


def triangle_norms(const double[:, ::1] u not None):
    """``(norm1, norm_inf)`` of the upper triangle of ``u`` (LAPACK dlantr '1'/'I')."""
    cdef Py_ssize_t n = u.shape[0], i, j
    cdef double s, n1 = 0.0, ninf = 0.0
    cdef double[::1] colsum
    if n == 0:
        return 0.0, 0.0
    colsum = memoryview(bytearray(n * 8)).cast("d")
    with nogil:
        for i in range(n):
            s = 0.0
            for j in range(i, n):
                s += fabs(u[i, j])
                colsum[j] += fabs(u[i, j])
            if s > ninf:
                ninf = s
        for j in range(n):
            if colsum[j] > n1:
                n1 = colsum[j]
    return n1, ninf


def copy_triangle(const double[:, ::1] u not None, double[:, :] dst not None,
                  bint transpose=False):
    """Write the upper triangle of ``u`` into ``dst`` (or its transpose into the lower
    triangle) and zero the other strict triangle of ``dst``."""
    cdef Py_ssize_t n = u.shape[0], i, j
    with nogil:
        if not transpose:
            for i in range(n):
                for j in range(i):
                    dst[i, j] = 0.0
                for j in range(i, n):
                    dst[i, j] = u[i, j]
        else:
            for i in range(n):
                for j in range(i + 1):
                    dst[i, j] = u[j, i]
                for j in range(i + 1, n):
                    dst[i, j] = 0.0
