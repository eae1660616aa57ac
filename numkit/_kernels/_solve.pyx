"""Small dense solves without LAPACK's call overhead, and the LU rank-one update.

``solve_small`` is the lean path of ``Dense.solve``/``VecDense.solve_vec`` for
n ≤ 8: one call reads the operands through the buffer protocol (any strides), does
LU with partial pivoting on the stack, computes the exact 1-norm condition number
‖A‖₁‖A⁻¹‖₁ (n solves of n² work each: cheaper than an estimator's bookkeeping at this
size) and writes the solution. For n = 3 the whole call costs a fraction of a
microsecond, where dgetrf + dgecon + dgetrs through Python cost several.

``lu_rank_one`` is Bennett's O(n²) update of an LU factorization (as Gonum's
``LU.RankOne``).
"""

from cpython.buffer cimport (
    PyBUF_RECORDS,
    PyBUF_RECORDS_RO,
    PyBuffer_Release,
    PyObject_GetBuffer,
)
from libc.math cimport fabs, INFINITY, NAN
from libc.stdlib cimport free, malloc


cdef enum:
    MAX_N = 8          # the small path's largest order
    MAX_RHS_ELEMS = 256  # n·nrhs held on the stack (so the receiver may alias b)


cdef inline bint _is_double(const char* fmt) noexcept:
    # numpy reports native float64 as "d"; "=d" and "@d" are native too.
    if fmt == NULL:
        return True
    if fmt[0] == b'=' or fmt[0] == b'@':
        fmt += 1
    return fmt[0] == b'd' and fmt[1] == 0


cdef inline bint _finite(double v) noexcept nogil:
    return v - v == 0.0


cdef double _solve_small(int n, int nrhs, const char* a, Py_ssize_t as0, Py_ssize_t as1,
                         const char* b, Py_ssize_t bs0, Py_ssize_t bs1,
                         char* x, Py_ssize_t xs0, Py_ssize_t xs1) noexcept nogil:
    cdef double lu[MAX_N * MAX_N]
    cdef double rhs[MAX_RHS_ELEMS]
    cdef double col[MAX_N]
    cdef int perm[MAX_N]
    cdef int i, j, k, p, t
    cdef double v, best, s, anorm = 0.0, inorm = 0.0, piv
    # Read everything first: the receiver may share memory with a or b.
    for j in range(n):
        s = 0.0
        for i in range(n):
            v = (<const double*>(a + i * as0 + j * as1))[0]
            if not _finite(v):
                return NAN
            lu[i * MAX_N + j] = v
            s += fabs(v)
        if s > anorm:
            anorm = s
    for i in range(n):
        for k in range(nrhs):
            v = (<const double*>(b + i * bs0 + k * bs1))[0]
            if not _finite(v):
                return NAN
            rhs[i * nrhs + k] = v
    for i in range(n):
        perm[i] = i
    # LU with partial pivoting (row interchanges), Doolittle order as dgetf2.
    for k in range(n):
        p = k
        best = fabs(lu[k * MAX_N + k])
        for i in range(k + 1, n):
            v = fabs(lu[i * MAX_N + k])
            if v > best:
                best = v
                p = i
        if best == 0.0:
            return -2.0
        if p != k:
            t = perm[k]
            perm[k] = perm[p]
            perm[p] = t
            for j in range(n):
                v = lu[k * MAX_N + j]
                lu[k * MAX_N + j] = lu[p * MAX_N + j]
                lu[p * MAX_N + j] = v
        piv = lu[k * MAX_N + k]
        for i in range(k + 1, n):
            v = lu[i * MAX_N + k] / piv
            lu[i * MAX_N + k] = v
            for j in range(k + 1, n):
                lu[i * MAX_N + j] -= v * lu[k * MAX_N + j]
    # ‖A⁻¹‖₁: the largest column sum of A⁻¹, column j solving A c = e_j.
    for j in range(n):
        for i in range(n):
            col[i] = 1.0 if perm[i] == j else 0.0
        for i in range(n):
            s = col[i]
            for k in range(i):
                s -= lu[i * MAX_N + k] * col[k]
            col[i] = s
        s = 0.0
        for i in range(n - 1, -1, -1):
            v = col[i]
            for k in range(i + 1, n):
                v -= lu[i * MAX_N + k] * col[k]
            v /= lu[i * MAX_N + i]
            col[i] = v
            s += fabs(v)
        if s > inorm:
            inorm = s
    for j in range(nrhs):
        for i in range(n):
            s = rhs[perm[i] * nrhs + j]
            for k in range(i):
                s -= lu[i * MAX_N + k] * col[k]
            col[i] = s
        for i in range(n - 1, -1, -1):
            v = col[i]
            for k in range(i + 1, n):
                v -= lu[i * MAX_N + k] * col[k]
            col[i] = v / lu[i * MAX_N + i]
            (<double*>(x + i * xs0 + j * xs1))[0] = col[i]
    return anorm * inorm


def solve_small(a, b, x):
    """Solve ``a @ x = b`` for a float64 n×n ``a`` with 1 ≤ n ≤ 8 and a float64 ``b``
    of n rows (1-D or 2-D, n·nrhs ≤ 256), writing ``x`` (b's shape, any strides, may
    share memory with ``a`` or ``b``).

    Returns the exact 1-norm condition number ‖a‖₁‖a⁻¹‖₁ (≥ 1) on success; -2.0 when
    ``a`` is exactly singular (a zero pivot) and NaN when ``a`` or ``b`` holds NaN or
    inf, both leaving ``x`` untouched; -1.0 when the operands do not fit this path
    (the caller then uses LAPACK)."""
    cdef Py_buffer va, vb, vx
    cdef double result = -1.0
    cdef int n, nrhs
    cdef Py_ssize_t bs1 = 0, xs1 = 0
    if PyObject_GetBuffer(a, &va, PyBUF_RECORDS_RO) < 0:
        return -1.0
    if PyObject_GetBuffer(b, &vb, PyBUF_RECORDS_RO) < 0:
        PyBuffer_Release(&va)
        return -1.0
    if PyObject_GetBuffer(x, &vx, PyBUF_RECORDS) < 0:
        PyBuffer_Release(&va)
        PyBuffer_Release(&vb)
        return -1.0
    try:
        if not (_is_double(va.format) and _is_double(vb.format) and _is_double(vx.format)):
            return -1.0
        if va.ndim != 2 or vb.ndim < 1 or vb.ndim > 2 or vx.ndim != vb.ndim:
            return -1.0
        n = <int>va.shape[0]
        if va.shape[1] != n or n < 1 or n > MAX_N or vb.shape[0] != n or vx.shape[0] != n:
            return -1.0
        nrhs = 1
        if vb.ndim == 2:
            nrhs = <int>vb.shape[1]
            if vx.shape[1] != nrhs:
                return -1.0
            bs1 = vb.strides[1]
            xs1 = vx.strides[1]
        if nrhs < 1 or n * nrhs > MAX_RHS_ELEMS:
            return -1.0
        with nogil:
            result = _solve_small(n, nrhs, <const char*>va.buf, va.strides[0], va.strides[1],
                                  <const char*>vb.buf, vb.strides[0], bs1,
                                  <char*>vx.buf, vx.strides[0], xs1)
    finally:
        PyBuffer_Release(&va)
        PyBuffer_Release(&vb)
        PyBuffer_Release(&vx)
    return result


cdef double _rank_one(int n, double* lu, const int* ipiv, double alpha, double* xs,
                      double* ys) noexcept nogil:
    # Column-major n×n: element (i, j) at lu[i + j*n]; unit L below the diagonal.
    cdef int i, j
    cdef double omega = alpha, ujj, theta, beta, gamma, tmp, v
    cdef double lnorm = 0.0, unorm = 0.0, s, sl
    # x := Pᵀx, LAPACK's interchanges applied in order (getrf's P A = L U).
    for i in range(n):
        j = ipiv[i] - 1
        if j != i:
            v = xs[i]
            xs[i] = xs[j]
            xs[j] = v
    # Bennett's update of L U + omega x yᵀ, one column of L and row of U at a time.
    for j in range(n):
        ujj = lu[j + j * n]
        ys[j] /= ujj
        theta = 1.0 + xs[j] * ys[j] * omega
        beta = omega * ys[j] / theta
        gamma = omega * xs[j]
        omega -= beta * gamma
        lu[j + j * n] = ujj * theta
        for i in range(j + 1, n):
            xs[i] -= lu[i + j * n] * xs[j]
            tmp = ys[i]
            ys[i] -= lu[j + i * n] * ys[j]
            lu[i + j * n] += beta * xs[i]
            lu[j + i * n] += gamma * tmp
    # ‖L‖₁‖U‖₁ ≥ ‖A‖₁ (the updated A is not stored), as Gonum's updateCond.
    for j in range(n):
        s = 0.0
        sl = 1.0
        for i in range(j + 1):
            s += fabs(lu[i + j * n])
        for i in range(j + 1, n):
            sl += fabs(lu[i + j * n])
        if s > unorm:
            unorm = s
        if sl > lnorm:
            lnorm = sl
    return lnorm * unorm


def lu_rank_one(double[::1, :] lu not None, const int[::1] ipiv not None, double alpha,
                const double[:] x not None, const double[:] y not None):
    """Update getrf's factors in ``lu`` (Fortran order, pivots ``ipiv`` unchanged) to
    those of A + alpha x yᵀ in O(n²) (Bennett's algorithm, as Gonum's LU.RankOne).
    Returns ‖L‖₁‖U‖₁ of the new factors, an upper bound on ‖A + alpha x yᵀ‖₁ for
    dgecon."""
    cdef Py_ssize_t n = lu.shape[0], i
    cdef double* w
    cdef double bound
    if lu.shape[1] != n or ipiv.shape[0] != n or x.shape[0] != n or y.shape[0] != n:
        raise ValueError("lu_rank_one: shapes do not match")
    if n == 0:
        return 0.0
    w = <double*>malloc(2 * n * sizeof(double))
    if w == NULL:
        raise MemoryError()
    for i in range(n):
        w[i] = x[i]
        w[n + i] = y[i]
    with nogil:
        bound = _rank_one(<int>n, &lu[0, 0], &ipiv[0], alpha, w, w + n)
    free(w)
    return bound
