"""BLAS and LAPACK for numkit, in row-major terms.

The only module that cimports ``scipy.linalg.cython_blas`` and ``cython_lapack``
(scikit-learn's ``_cython_blas.pyx`` is the model). The ``cdef`` wrappers are
``noexcept nogil`` for other kernels; the ``def`` twins below them take numpy arrays
(any of C order, Fortran order or views with one unit stride) and are what the Python
packages and the tests call.

A row-major m×n matrix with leading dimension ``ld`` is, read column-major, its own
transpose. Each wrapper therefore calls the column-major routine on the transposed
problem (swapping operands, flipping ``trans``, ``uplo`` and ``side``); nothing is
copied.
"""

from cpython.buffer cimport (
    PyBUF_RECORDS,
    PyBUF_RECORDS_RO,
    PyBuffer_Release,
    PyObject_GetBuffer,
)
from libc.stdlib cimport free, malloc
from scipy.linalg cimport cython_blas as cblas
from scipy.linalg cimport cython_lapack as clapack


# ---------------------------------------------------------------------------
# nogil wrappers

cdef double dot(int n, const double* x, int incx, const double* y, int incy) noexcept nogil:
    return cblas.ddot(&n, <double*>x, &incx, <double*>y, &incy)


cdef void axpy(int n, double alpha, const double* x, int incx, double* y, int incy) noexcept nogil:
    cblas.daxpy(&n, &alpha, <double*>x, &incx, y, &incy)


cdef void scal(int n, double alpha, double* x, int incx) noexcept nogil:
    cblas.dscal(&n, &alpha, x, &incx)


cdef double nrm2(int n, const double* x, int incx) noexcept nogil:
    return cblas.dnrm2(&n, <double*>x, &incx)


cdef void gemv(bint trans, int m, int n, double alpha, const double* a, int lda,
               const double* x, int incx, double beta, double* y, int incy) noexcept nogil:
    # Row-major A (m×n) is column-major Aᵀ (n×m): flip the transpose flag.
    cdef char t = b'N' if trans else b'T'
    cblas.dgemv(&t, &n, &m, &alpha, <double*>a, &lda, <double*>x, &incx, &beta, y, &incy)


cdef void ger(int m, int n, double alpha, const double* x, int incx,
              const double* y, int incy, double* a, int lda) noexcept nogil:
    # A += alpha x yᵀ  <=>  Aᵀ += alpha y xᵀ on the column-major view.
    cblas.dger(&n, &m, &alpha, <double*>y, &incy, <double*>x, &incx, a, &lda)


cdef void gemm(bint trans_a, bint trans_b, int m, int n, int k, double alpha,
               const double* a, int lda, const double* b, int ldb,
               double beta, double* c, int ldc) noexcept nogil:
    # C = op(A) op(B)  <=>  Cᵀ = op(B)ᵀ op(A)ᵀ: swap the operands, keep the flags.
    cdef char ta = b'T' if trans_a else b'N'
    cdef char tb = b'T' if trans_b else b'N'
    cblas.dgemm(&tb, &ta, &n, &m, &k, &alpha, <double*>b, &ldb, <double*>a, &lda,
                &beta, c, &ldc)


cdef void syrk(bint upper, bint trans, int n, int k, double alpha, const double* a,
               int lda, double beta, double* c, int ldc) noexcept nogil:
    # The upper triangle of row-major C is the lower one of its column-major view.
    cdef char uplo = b'L' if upper else b'U'
    cdef char t = b'N' if trans else b'T'
    cblas.dsyrk(&uplo, &t, &n, &k, &alpha, <double*>a, &lda, &beta, c, &ldc)


cdef void trsm(bint left, bint upper, bint trans, bint unit, int m, int n, double alpha,
               const double* a, int lda, double* b, int ldb) noexcept nogil:
    # op(A) X = B  <=>  Xᵀ op(A)ᵀ = Bᵀ: swap the side and the triangle.
    cdef char side = b'R' if left else b'L'
    cdef char uplo = b'L' if upper else b'U'
    cdef char t = b'T' if trans else b'N'
    cdef char diag = b'U' if unit else b'N'
    cblas.dtrsm(&side, &uplo, &t, &diag, &n, &m, &alpha, <double*>a, &lda, b, &ldb)


cdef void trmm(bint left, bint upper, bint trans, bint unit, int m, int n, double alpha,
               const double* a, int lda, double* b, int ldb) noexcept nogil:
    cdef char side = b'R' if left else b'L'
    cdef char uplo = b'L' if upper else b'U'
    cdef char t = b'T' if trans else b'N'
    cdef char diag = b'U' if unit else b'N'
    cblas.dtrmm(&side, &uplo, &t, &diag, &n, &m, &alpha, <double*>a, &lda, b, &ldb)


cdef int trtri(bint upper, bint unit, int n, double* a, int lda) noexcept nogil:
    # inv(A)ᵀ = inv(Aᵀ): invert the column-major view, whose triangle is the other one.
    cdef char uplo = b'L' if upper else b'U'
    cdef char diag = b'U' if unit else b'N'
    cdef int info = 0
    clapack.dtrtri(&uplo, &diag, &n, a, &lda, &info)
    return info


cdef int gesdd_values(int m, int n, double* a, int lda, double* s,
                      double* work, int lwork, int* iwork) noexcept nogil:
    # Aᵀ has the singular values of A. Destroys a; lwork = -1 is a workspace query.
    cdef char jobz = b'N'
    cdef int info = 0
    cdef int ldu = 1, ldvt = 1
    cdef double dummy = 0.0
    clapack.dgesdd(&jobz, &n, &m, a, &lda, s, &dummy, &ldu, &dummy, &ldvt,
                   work, &lwork, iwork, &info)
    return info


cdef int gesv_colmajor(int n, int nrhs, double* a, int lda, int* ipiv,
                       double* b, int ldb) noexcept nogil:
    cdef int info = 0
    clapack.dgesv(&n, &nrhs, a, &lda, ipiv, b, &ldb, &info)
    return info


# ---------------------------------------------------------------------------
# Layout of a numpy operand as a row-major BLAS matrix

cdef struct Layout:
    double* ptr
    int ld          # leading dimension of the row-major base matrix
    bint trans      # True: the operand is the transpose of the row-major base
    bint ok         # False: no unit stride, BLAS cannot take it without a copy


cdef Layout _layout(void* buf, Py_ssize_t rows, Py_ssize_t cols,
                    Py_ssize_t s0, Py_ssize_t s1) noexcept nogil:
    """Describe a strided (rows×cols) float64 block as a BLAS operand."""
    cdef Layout L
    L.ptr = <double*>buf
    L.ok = True
    L.trans = False
    if (s1 == 8 or cols <= 1) and s0 % 8 == 0 and s0 >= 8 * cols:
        L.ld = <int>(s0 // 8) if rows > 1 else <int>(cols if cols > 1 else 1)
    elif (s0 == 8 or rows <= 1) and s1 % 8 == 0 and s1 >= 8 * rows:
        L.trans = True
        L.ld = <int>(s1 // 8) if cols > 1 else <int>(rows if rows > 1 else 1)
    elif rows <= 1 and cols <= 1:
        L.ld = 1
    else:
        L.ok = False
        L.ld = 1
    if L.ld < 1:
        L.ld = 1
    return L


cdef inline bint _is_native_double(const char* fmt) noexcept:
    # "d", or "=d"/"@d" as numpy reports a float64 field of a packed record array.
    if fmt == NULL:
        return False
    if fmt[0] == b'=' or fmt[0] == b'@':
        fmt += 1
    return fmt[0] == b'd' and fmt[1] == 0


cdef inline int _get_matrix(object obj, Py_buffer* view, bint writable) except -1:
    """Borrow ``obj``'s buffer as a 2-D float64 block, raising on anything else."""
    PyObject_GetBuffer(obj, view, PyBUF_RECORDS if writable else PyBUF_RECORDS_RO)
    if view.ndim != 2 or view.itemsize != 8 or not _is_native_double(view.format):
        PyBuffer_Release(view)
        raise TypeError("expected a 2-D float64 array")
    return 0


cdef void _small_gemm(Py_ssize_t m, Py_ssize_t n, Py_ssize_t k, double alpha,
                      const char* a, Py_ssize_t as0, Py_ssize_t as1,
                      const char* b, Py_ssize_t bs0, Py_ssize_t bs1,
                      double beta, char* c, Py_ssize_t cs0, Py_ssize_t cs1) noexcept nogil:
    """C = alpha A B + beta C by plain loops over any strides (bytes): for tiny sizes
    a BLAS call costs more than the arithmetic."""
    cdef Py_ssize_t i, j, p
    cdef double s
    cdef double* cij
    for i in range(m):
        for j in range(n):
            s = 0.0
            for p in range(k):
                s += (<const double*>(a + i * as0 + p * as1))[0] * \
                     (<const double*>(b + p * bs0 + j * bs1))[0]
            cij = <double*>(c + i * cs0 + j * cs1)
            if beta == 0.0:
                cij[0] = alpha * s
            else:
                cij[0] = alpha * s + beta * cij[0]


cdef bint _extents_overlap(Py_buffer* x, Py_buffer* y) noexcept:
    """Whether the address ranges of two 2-D buffers intersect."""
    cdef Py_ssize_t xlo = <Py_ssize_t>x.buf, xhi = <Py_ssize_t>x.buf
    cdef Py_ssize_t ylo = <Py_ssize_t>y.buf, yhi = <Py_ssize_t>y.buf
    cdef int i
    for i in range(2):
        if x.shape[i] == 0 or y.shape[i] == 0:
            return False
        if x.strides[i] > 0:
            xhi += (x.shape[i] - 1) * x.strides[i]
        else:
            xlo += (x.shape[i] - 1) * x.strides[i]
        if y.strides[i] > 0:
            yhi += (y.shape[i] - 1) * y.strides[i]
        else:
            ylo += (y.shape[i] - 1) * y.strides[i]
    return xlo <= yhi and ylo <= xhi


def gemm_into(a, b, c, double alpha=1.0, double beta=0.0):
    """``c = alpha * a @ b + beta * c`` for 2-D float64 arrays, written into ``c``.

    Returns 0 when done; 1 when an operand has no unit stride and the problem is too
    big for the plain loop (copy it and call again); 2 when ``c``'s memory range meets
    ``a``'s or ``b``'s (nothing is written). Each array may be C-ordered,
    Fortran-ordered or a view with one unit stride. Shapes must agree (ValueError).
    """
    cdef Py_buffer va, vb, vc
    cdef Layout la, lb, lc
    cdef Py_ssize_t m, n, k
    _get_matrix(a, &va, False)
    try:
        _get_matrix(b, &vb, False)
    except BaseException:
        PyBuffer_Release(&va)
        raise
    try:
        _get_matrix(c, &vc, True)
    except BaseException:
        PyBuffer_Release(&va)
        PyBuffer_Release(&vb)
        raise
    try:
        m = va.shape[0]
        k = va.shape[1]
        n = vb.shape[1]
        if vb.shape[0] != k or vc.shape[0] != m or vc.shape[1] != n:
            raise ValueError("gemm_into: shapes do not match")
        if m == 0 or n == 0:
            return 0
        if _extents_overlap(&vc, &va) or _extents_overlap(&vc, &vb):
            return 2
        # Below 512 multiply-adds (8×8×8) plain loops beat a BLAS call, whose fixed
        # cost is a few hundred nanoseconds.
        if k == 0 or m * n * k <= 512:
            with nogil:
                _small_gemm(m, n, k, alpha, <char*>va.buf, va.strides[0], va.strides[1],
                            <char*>vb.buf, vb.strides[0], vb.strides[1],
                            beta, <char*>vc.buf, vc.strides[0], vc.strides[1])
            return 0
        la = _layout(va.buf, m, k, va.strides[0], va.strides[1])
        lb = _layout(vb.buf, k, n, vb.strides[0], vb.strides[1])
        lc = _layout(vc.buf, m, n, vc.strides[0], vc.strides[1])
        if not (la.ok and lb.ok and lc.ok):
            return 1
        if m > 0x7fffffff or n > 0x7fffffff or k > 0x7fffffff:
            raise ValueError("gemm_into: dimension exceeds the BLAS integer range")
        with nogil:
            if not lc.trans:
                gemm(la.trans, lb.trans, <int>m, <int>n, <int>k, alpha, la.ptr, la.ld,
                     lb.ptr, lb.ld, beta, lc.ptr, lc.ld)
            else:
                # C stored transposed: Cᵀ = Bᵀ Aᵀ into the row-major base of C.
                gemm(not lb.trans, not la.trans, <int>n, <int>m, <int>k, alpha,
                     lb.ptr, lb.ld, la.ptr, la.ld, beta, lc.ptr, lc.ld)
        return 0
    finally:
        PyBuffer_Release(&va)
        PyBuffer_Release(&vb)
        PyBuffer_Release(&vc)


cdef inline double* _vec_start(const double[:] x, int* inc) noexcept nogil:
    """Pointer and increment for BLAS, which starts negative strides at the end."""
    cdef Py_ssize_t s = x.strides[0] // 8
    inc[0] = <int>s
    if s < 0 and x.shape[0] > 0:
        return <double*>&x[0] + (x.shape[0] - 1) * s
    return <double*>&x[0]


cdef inline double* _vec_lowest(const double[:] x, int* inc) noexcept nogil:
    """Lowest address and positive increment, for order-free routines (dscal, dnrm2):
    OpenBLAS's dscal does nothing for a negative increment."""
    cdef Py_ssize_t s = x.strides[0] // 8
    if s < 0:
        inc[0] = <int>(-s)
        return <double*>&x[0] + (x.shape[0] - 1) * s
    inc[0] = <int>s
    return <double*>&x[0]


cdef int _check_vec(str name, const double[:] x) except -1:
    # A float64 field of a record array can have a stride that is not a multiple of
    # 8 bytes; BLAS counts increments in elements.
    if x.strides[0] % 8:
        raise ValueError(f"{name}: the stride must be a multiple of 8 bytes; got "
                         f"{x.strides[0]}")
    return 0


def gemv_into(const double[:, :] a not None, const double[:] x not None, double[:] y not None,
              double alpha=1.0, double beta=0.0, bint trans=False):
    """``y = alpha * op(a) @ x + beta * y`` where op is the identity or transpose."""
    cdef Py_ssize_t m = a.shape[0], n = a.shape[1], i
    cdef Py_ssize_t rows = n if trans else m, cols = m if trans else n
    cdef Layout la
    cdef int incx, incy
    cdef double* px
    cdef double* py
    if x.shape[0] != cols or y.shape[0] != rows:
        raise ValueError("gemv_into: shapes do not match")
    if rows == 0:
        return
    if cols == 0:
        for i in range(rows):
            y[i] = 0.0 if beta == 0.0 else beta * y[i]
        return
    la = _layout(<void*>&a[0, 0], m, n, a.strides[0], a.strides[1])
    if not la.ok or x.strides[0] == 0 or y.strides[0] == 0:
        raise ValueError("gemv_into: an operand has no unit stride; copy it first")
    _check_vec("gemv_into", x)
    _check_vec("gemv_into", y)
    px = _vec_start(x, &incx)
    py = _vec_start(y, &incy)
    with nogil:
        if not la.trans:
            gemv(trans, <int>m, <int>n, alpha, la.ptr, la.ld, px, incx, beta, py, incy)
        else:
            gemv(not trans, <int>n, <int>m, alpha, la.ptr, la.ld, px, incx, beta, py, incy)


def ger_into(double alpha, const double[:] x not None, const double[:] y not None,
             double[:, :] a not None):
    """``a += alpha * outer(x, y)`` (BLAS dger)."""
    cdef Py_ssize_t m = a.shape[0], n = a.shape[1]
    cdef Layout la
    cdef int incx, incy
    cdef double* px
    cdef double* py
    if x.shape[0] != m or y.shape[0] != n:
        raise ValueError("ger_into: shapes do not match")
    if m == 0 or n == 0:
        return
    la = _layout(<void*>&a[0, 0], m, n, a.strides[0], a.strides[1])
    if not la.ok or x.strides[0] == 0 or y.strides[0] == 0:
        raise ValueError("ger_into: an operand has no unit stride; copy it first")
    _check_vec("ger_into", x)
    _check_vec("ger_into", y)
    px = _vec_start(x, &incx)
    py = _vec_start(y, &incy)
    with nogil:
        if not la.trans:
            ger(<int>m, <int>n, alpha, px, incx, py, incy, la.ptr, la.ld)
        else:
            ger(<int>n, <int>m, alpha, py, incy, px, incx, la.ptr, la.ld)


def syrk_into(const double[:, :] a not None, double[:, :] c not None, double alpha=1.0,
              double beta=0.0, bint upper=True, bint trans=False):
    """One triangle of ``c = alpha * a @ a.T + beta * c`` (``a.T @ a`` if ``trans``).

    Only the ``upper`` (or lower) triangle of ``c`` is referenced and written.
    """
    cdef Py_ssize_t n = a.shape[1] if trans else a.shape[0]
    cdef Py_ssize_t k = a.shape[0] if trans else a.shape[1]
    cdef Layout la, lc
    if c.shape[0] != n or c.shape[1] != n:
        raise ValueError("syrk_into: shapes do not match")
    if n == 0:
        return
    lc = _layout(<void*>&c[0, 0], n, n, c.strides[0], c.strides[1])
    if k == 0:
        la.ptr = NULL
        la.ld = 1
        la.trans = False
        la.ok = True
    else:
        la = _layout(<void*>&a[0, 0], a.shape[0], a.shape[1], a.strides[0], a.strides[1])
    if not (la.ok and lc.ok):
        raise ValueError("syrk_into: an operand has no unit stride; copy it first")
    if la.ld < (a.shape[0] if la.trans else a.shape[1]):
        la.ld = <int>max(1, a.shape[0] if la.trans else a.shape[1])
    with nogil:
        # A transposed in memory flips trans; C transposed in memory flips the triangle.
        syrk(upper != lc.trans, trans != la.trans, <int>n, <int>k, alpha,
             la.ptr, la.ld, beta, lc.ptr, lc.ld)


def trsm_into(const double[:, :] a not None, double[:, :] b not None, double alpha=1.0,
              bint left=True, bint upper=True, bint trans=False, bint unit=False):
    """Solve ``op(a) x = alpha b`` (left) or ``x op(a) = alpha b``; x overwrites b."""
    _tri_into(a, b, alpha, left, upper, trans, unit, True)


def trmm_into(const double[:, :] a not None, double[:, :] b not None, double alpha=1.0,
              bint left=True, bint upper=True, bint trans=False, bint unit=False):
    """``b = alpha op(a) b`` (left) or ``b = alpha b op(a)``, with a triangular."""
    _tri_into(a, b, alpha, left, upper, trans, unit, False)


cdef _tri_into(const double[:, :] a, double[:, :] b, double alpha, bint left,
               bint upper, bint trans, bint unit, bint solve):
    cdef Py_ssize_t m = b.shape[0], n = b.shape[1]
    cdef Py_ssize_t na = m if left else n
    cdef Layout la, lb
    if a.shape[0] != na or a.shape[1] != na:
        raise ValueError("trsm/trmm: shapes do not match")
    if m == 0 or n == 0:
        return
    la = _layout(<void*>&a[0, 0], na, na, a.strides[0], a.strides[1])
    lb = _layout(<void*>&b[0, 0], m, n, b.strides[0], b.strides[1])
    if not (la.ok and lb.ok):
        raise ValueError("trsm/trmm: an operand has no unit stride; copy it first")
    # a stored transposed: it is the transpose of a triangle of the other kind.
    if la.trans:
        upper = not upper
        trans = not trans
    with nogil:
        if not lb.trans:
            if solve:
                trsm(left, upper, trans, unit, <int>m, <int>n, alpha, la.ptr, la.ld,
                     lb.ptr, lb.ld)
            else:
                trmm(left, upper, trans, unit, <int>m, <int>n, alpha, la.ptr, la.ld,
                     lb.ptr, lb.ld)
        else:
            # B stored transposed: op(A) X = B  <=>  Xᵀ op(A)ᵀ = Bᵀ.
            if solve:
                trsm(not left, upper, not trans, unit, <int>n, <int>m, alpha, la.ptr,
                     la.ld, lb.ptr, lb.ld)
            else:
                trmm(not left, upper, not trans, unit, <int>n, <int>m, alpha, la.ptr,
                     la.ld, lb.ptr, lb.ld)


def dot_vec(const double[:] x not None, const double[:] y not None):
    """BLAS ddot of two equal-length vectors with any strides."""
    cdef int incx, incy
    cdef double* px
    cdef double* py
    cdef double s = 0.0
    cdef Py_ssize_t i
    if x.shape[0] != y.shape[0]:
        raise ValueError("dot_vec: lengths differ")
    if x.shape[0] == 0:
        return 0.0
    if x.strides[0] % 8 or y.strides[0] % 8 or x.strides[0] == 0 or y.strides[0] == 0:
        # Zero or odd strides: a plain loop (memoryview indexing counts in bytes).
        for i in range(x.shape[0]):
            s += x[i] * y[i]
        return s
    px = _vec_start(x, &incx)
    py = _vec_start(y, &incy)
    with nogil:
        s = dot(<int>x.shape[0], px, incx, py, incy)
    return s


def axpy_vec(double alpha, const double[:] x not None, double[:] y not None):
    """``y += alpha * x`` (BLAS daxpy)."""
    cdef int incx, incy
    cdef double* px
    cdef double* py
    if x.shape[0] != y.shape[0]:
        raise ValueError("axpy_vec: lengths differ")
    if x.shape[0] == 0:
        return
    if x.strides[0] == 0 or y.strides[0] == 0:
        raise ValueError("axpy_vec: zero stride")
    _check_vec("axpy_vec", x)
    _check_vec("axpy_vec", y)
    px = _vec_start(x, &incx)
    py = _vec_start(y, &incy)
    with nogil:
        axpy(<int>x.shape[0], alpha, px, incx, py, incy)


def scal_vec(double alpha, double[:] x not None):
    """``x *= alpha`` (BLAS dscal)."""
    cdef int incx
    cdef double* px
    if x.shape[0] == 0:
        return
    if x.strides[0] == 0:
        raise ValueError("scal_vec: zero stride")
    _check_vec("scal_vec", x)
    px = _vec_lowest(x, &incx)
    with nogil:
        scal(<int>x.shape[0], alpha, px, incx)


def nrm2_vec(const double[:] x not None):
    """Euclidean norm without overflow (BLAS dnrm2)."""
    cdef int incx
    cdef double* px
    cdef double r
    if x.shape[0] == 0:
        return 0.0
    if x.strides[0] == 0:
        return abs(x[0]) * (<double>x.shape[0]) ** 0.5
    _check_vec("nrm2_vec", x)
    px = _vec_lowest(x, &incx)
    with nogil:
        r = nrm2(<int>x.shape[0], px, incx)
    return r


def trtri_inplace(double[:, :] a not None, bint upper=True, bint unit=False):
    """Invert the triangular matrix in ``a`` in place; returns LAPACK's info
    (> 0: a zero diagonal element at that 1-based index, the matrix is singular)."""
    cdef Py_ssize_t n = a.shape[0]
    cdef Layout la
    cdef int info
    if a.shape[1] != n:
        raise ValueError("trtri_inplace: a is not square")
    if n == 0:
        return 0
    la = _layout(<void*>&a[0, 0], n, n, a.strides[0], a.strides[1])
    if not la.ok:
        raise ValueError("trtri_inplace: a has no unit stride; copy it first")
    with nogil:
        info = trtri(upper != la.trans, unit, <int>n, la.ptr, la.ld)
    return info


def singular_values(const double[:, :] a not None, double[:] s not None):
    """Write the singular values of ``a`` (descending) into ``s`` (any stride); ``a``
    is not touched (dgesdd works on a private copy). Returns LAPACK's info."""
    cdef Py_ssize_t m = a.shape[0], n = a.shape[1], i, j
    cdef Py_ssize_t mn = min(m, n)
    cdef double* w
    cdef double* sv
    cdef double* work
    cdef int* iwork
    cdef double query = 0.0
    cdef int lwork, info
    if s.shape[0] != mn:
        raise ValueError("singular_values: s must have length min(m, n)")
    if mn == 0:
        return 0
    # Column-major copy of a (the routine destroys its input) and a contiguous s
    # (dgesdd writes s with unit stride; the caller's s may be a strided view).
    w = <double*>malloc(m * n * sizeof(double))
    sv = <double*>malloc(mn * sizeof(double))
    iwork = <int*>malloc(8 * mn * sizeof(int))
    work = NULL
    if w == NULL or sv == NULL or iwork == NULL:
        free(w)
        free(sv)
        free(iwork)
        raise MemoryError()
    try:
        for j in range(n):
            for i in range(m):
                w[i + j * m] = a[i, j]
        # gesdd_values works in row-major terms: a column-major m×n block is the
        # row-major n×m transpose, which has the same singular values.
        info = gesdd_values(<int>n, <int>m, w, <int>m, sv, &query, -1, iwork)
        lwork = <int>query + 1
        work = <double*>malloc(lwork * sizeof(double))
        if work == NULL:
            raise MemoryError()
        with nogil:
            info = gesdd_values(<int>n, <int>m, w, <int>m, sv, work, lwork, iwork)
        for i in range(mn):
            s[i] = sv[i]
    finally:
        free(work)
        free(w)
        free(sv)
        free(iwork)
    return info


def solve_general(double[::1, :] a not None, double[::1, :] b not None):
    """Solve ``a x = b`` in place for Fortran-ordered work arrays (LAPACK dgesv):
    ``a`` becomes its LU factors and ``b`` the solution. Returns LAPACK's info
    (> 0: exactly singular)."""
    cdef Py_ssize_t n = a.shape[0], nrhs = b.shape[1]
    cdef int* ipiv
    cdef int info
    if a.shape[1] != n or b.shape[0] != n:
        raise ValueError("solve_general: shapes do not match")
    if n == 0 or nrhs == 0:
        return 0
    ipiv = <int*>malloc(n * sizeof(int))
    if ipiv == NULL:
        raise MemoryError()
    # Both are Fortran-contiguous with n rows, so the leading dimension is n (a
    # single column may report any stride for its size-1 axis).
    with nogil:
        info = gesv_colmajor(<int>n, <int>nrhs, &a[0, 0], <int>n, ipiv, &b[0, 0], <int>n)
    free(ipiv)
    return info


# ---------------------------------------------------------------------------
# LAPACK on column-major (Fortran-ordered) work arrays.
#
# Decompositions own their factors: ``factorize`` copies the operand once into a
# Fortran-ordered workspace (a copy LAPACK needs anyway, since it factors in place),
# and these twins work on that storage directly. Each returns LAPACK's ``info``
# (0: success; < 0: an illegal argument, a bug in the caller; > 0: the routine's
# documented failure, e.g. an exactly zero pivot). Scratch space is allocated with
# malloc for the duration of a call, after a workspace query where LAPACK has one.

cdef inline int _ld(Py_ssize_t rows) noexcept nogil:
    return <int>(rows if rows > 1 else 1)


cdef inline double* _fptr(double[::1, :] a) noexcept nogil:
    if a.shape[0] == 0 or a.shape[1] == 0:
        return NULL
    return &a[0, 0]


cdef class _Scratch:
    """malloc'ed double and int scratch space, freed when the object goes."""
    cdef double* work
    cdef int* iwork

    def __cinit__(self, Py_ssize_t nwork, Py_ssize_t niwork):
        self.work = <double*>malloc((nwork if nwork > 0 else 1) * sizeof(double))
        self.iwork = <int*>malloc((niwork if niwork > 0 else 1) * sizeof(int))
        if self.work == NULL or self.iwork == NULL:
            raise MemoryError()

    def __dealloc__(self):
        free(self.work)
        free(self.iwork)


cdef inline int _query_size(double q) noexcept nogil:
    return <int>q + 1


def getrf(double[::1, :] a not None, int[::1] ipiv not None):
    """LU with partial pivoting in place (dgetrf): a = P L U. ``ipiv`` has length
    min(m, n) and receives LAPACK's 1-based row interchanges."""
    cdef int m = <int>a.shape[0], n = <int>a.shape[1], lda = _ld(a.shape[0]), info = 0
    if ipiv.shape[0] != min(m, n):
        raise ValueError("getrf: ipiv must have length min(m, n)")
    if m == 0 or n == 0:
        return 0
    with nogil:
        clapack.dgetrf(&m, &n, _fptr(a), &lda, &ipiv[0], &info)
    return info


def getrs(double[::1, :] lu not None, const int[::1] ipiv not None,
          double[::1, :] b not None, bint trans=False):
    """Solve A X = B (or Aᵀ X = B) with getrf's factors; X overwrites b."""
    cdef int n = <int>lu.shape[0], nrhs = <int>b.shape[1], info = 0
    cdef int lda = _ld(lu.shape[0]), ldb = _ld(b.shape[0])
    cdef char t = b'T' if trans else b'N'
    if lu.shape[1] != n or b.shape[0] != n or ipiv.shape[0] != n:
        raise ValueError("getrs: shapes do not match")
    if n == 0 or nrhs == 0:
        return 0
    with nogil:
        clapack.dgetrs(&t, &n, &nrhs, _fptr(lu), &lda, <int*>&ipiv[0], _fptr(b), &ldb, &info)
    return info


def gecon(double[::1, :] lu not None, double anorm, bint one_norm=True):
    """Reciprocal condition number estimate from getrf's factors (dgecon), in the
    1-norm (or the inf-norm); ``anorm`` is the norm of the original matrix."""
    cdef int n = <int>lu.shape[0], lda = _ld(lu.shape[0]), info = 0
    cdef char norm = b'1' if one_norm else b'I'
    cdef double rcond = 0.0
    cdef _Scratch s
    if lu.shape[1] != n:
        raise ValueError("gecon: lu must be square")
    if n == 0:
        return 1.0
    s = _Scratch(4 * n, n)
    with nogil:
        clapack.dgecon(&norm, &n, _fptr(lu), &lda, &anorm, &rcond, s.work, s.iwork, &info)
    return rcond


def potrf(double[::1, :] a not None, bint upper=False):
    """Cholesky factorization in place (dpotrf): the ``upper`` (Uᵀ U) or lower
    (L Lᵀ) triangle; the other triangle is not touched. info > 0: the leading minor
    of that order is not positive definite."""
    cdef int n = <int>a.shape[0], lda = _ld(a.shape[0]), info = 0
    cdef char uplo = b'U' if upper else b'L'
    if a.shape[1] != n:
        raise ValueError("potrf: a must be square")
    if n == 0:
        return 0
    with nogil:
        clapack.dpotrf(&uplo, &n, _fptr(a), &lda, &info)
    return info


def potrs(double[::1, :] c not None, double[::1, :] b not None, bint upper=False):
    """Solve A X = B with potrf's factor; X overwrites b."""
    cdef int n = <int>c.shape[0], nrhs = <int>b.shape[1], info = 0
    cdef int lda = _ld(c.shape[0]), ldb = _ld(b.shape[0])
    cdef char uplo = b'U' if upper else b'L'
    if c.shape[1] != n or b.shape[0] != n:
        raise ValueError("potrs: shapes do not match")
    if n == 0 or nrhs == 0:
        return 0
    with nogil:
        clapack.dpotrs(&uplo, &n, &nrhs, _fptr(c), &lda, _fptr(b), &ldb, &info)
    return info


def pocon(double[::1, :] c not None, double anorm, bint upper=False):
    """Reciprocal 1-norm condition number estimate from potrf's factor (dpocon)."""
    cdef int n = <int>c.shape[0], lda = _ld(c.shape[0]), info = 0
    cdef char uplo = b'U' if upper else b'L'
    cdef double rcond = 0.0
    cdef _Scratch s
    if c.shape[1] != n:
        raise ValueError("pocon: c must be square")
    if n == 0:
        return 1.0
    s = _Scratch(3 * n, n)
    with nogil:
        clapack.dpocon(&uplo, &n, _fptr(c), &lda, &anorm, &rcond, s.work, s.iwork, &info)
    return rcond


def potri(double[::1, :] c not None, bint upper=False):
    """Inverse of A from potrf's factor, in place (dpotri): one triangle of A⁻¹."""
    cdef int n = <int>c.shape[0], lda = _ld(c.shape[0]), info = 0
    cdef char uplo = b'U' if upper else b'L'
    if c.shape[1] != n:
        raise ValueError("potri: c must be square")
    if n == 0:
        return 0
    with nogil:
        clapack.dpotri(&uplo, &n, _fptr(c), &lda, &info)
    return info


def trtrs(double[::1, :] a not None, double[::1, :] b not None, bint upper=True,
          bint trans=False, bint unit=False):
    """Solve op(A) X = B for triangular A (dtrtrs); X overwrites b. info > 0: a
    zero diagonal element, A is exactly singular."""
    cdef int n = <int>a.shape[0], nrhs = <int>b.shape[1], info = 0
    cdef int lda = _ld(a.shape[0]), ldb = _ld(b.shape[0])
    cdef char uplo = b'U' if upper else b'L'
    cdef char t = b'T' if trans else b'N'
    cdef char diag = b'U' if unit else b'N'
    if b.shape[0] != n or a.shape[1] < n:
        raise ValueError("trtrs: shapes do not match")
    if n == 0 or nrhs == 0:
        return 0
    with nogil:
        clapack.dtrtrs(&uplo, &t, &diag, &n, &nrhs, _fptr(a), &lda, _fptr(b), &ldb, &info)
    return info


def trcon(double[::1, :] a not None, Py_ssize_t n=-1, bint upper=True, bint one_norm=True):
    """Reciprocal condition number estimate of the leading n×n triangle (dtrcon)."""
    cdef int nn = <int>(a.shape[0] if n < 0 else n), lda = _ld(a.shape[0]), info = 0
    cdef char norm = b'1' if one_norm else b'I'
    cdef char uplo = b'U' if upper else b'L'
    cdef char diag = b'N'
    cdef double rcond = 0.0
    cdef _Scratch s
    if nn > a.shape[0] or nn > a.shape[1]:
        raise ValueError("trcon: n exceeds the array")
    if nn == 0:
        return 1.0
    s = _Scratch(3 * nn, nn)
    with nogil:
        clapack.dtrcon(&norm, &uplo, &diag, &nn, _fptr(a), &lda, &rcond, s.work,
                       s.iwork, &info)
    return rcond


def geqrf(double[::1, :] a not None, double[::1] tau not None):
    """Householder QR in place (dgeqrf): R in the upper triangle, the reflectors
    below it with their scalars in ``tau`` (length min(m, n))."""
    cdef int m = <int>a.shape[0], n = <int>a.shape[1], lda = _ld(a.shape[0])
    cdef int info = 0, lwork = -1
    cdef double q = 0.0
    cdef _Scratch s
    if tau.shape[0] != min(m, n):
        raise ValueError("geqrf: tau must have length min(m, n)")
    if m == 0 or n == 0:
        return 0
    clapack.dgeqrf(&m, &n, _fptr(a), &lda, &tau[0], &q, &lwork, &info)
    lwork = _query_size(q)
    s = _Scratch(lwork, 0)
    with nogil:
        clapack.dgeqrf(&m, &n, _fptr(a), &lda, &tau[0], s.work, &lwork, &info)
    return info


def gelqf(double[::1, :] a not None, double[::1] tau not None):
    """Householder LQ in place (dgelqf): L in the lower triangle, reflectors above."""
    cdef int m = <int>a.shape[0], n = <int>a.shape[1], lda = _ld(a.shape[0])
    cdef int info = 0, lwork = -1
    cdef double q = 0.0
    cdef _Scratch s
    if tau.shape[0] != min(m, n):
        raise ValueError("gelqf: tau must have length min(m, n)")
    if m == 0 or n == 0:
        return 0
    clapack.dgelqf(&m, &n, _fptr(a), &lda, &tau[0], &q, &lwork, &info)
    lwork = _query_size(q)
    s = _Scratch(lwork, 0)
    with nogil:
        clapack.dgelqf(&m, &n, _fptr(a), &lda, &tau[0], s.work, &lwork, &info)
    return info


def ormqr(double[::1, :] qr not None, const double[::1] tau not None,
          double[::1, :] c not None, bint left=True, bint trans=False):
    """Apply Q (or Qᵀ) from geqrf's reflectors to c, from the left or the right
    (dormqr); the result overwrites c."""
    cdef int m = <int>c.shape[0], n = <int>c.shape[1], k = <int>tau.shape[0]
    cdef int lda = _ld(qr.shape[0]), ldc = _ld(c.shape[0]), info = 0, lwork = -1
    cdef char side = b'L' if left else b'R'
    cdef char t = b'T' if trans else b'N'
    cdef double q = 0.0
    cdef _Scratch s
    if qr.shape[0] != (m if left else n) or qr.shape[1] < k:
        raise ValueError("ormqr: shapes do not match")
    if m == 0 or n == 0 or k == 0:
        return 0
    clapack.dormqr(&side, &t, &m, &n, &k, _fptr(qr), &lda, <double*>&tau[0], _fptr(c),
                   &ldc, &q, &lwork, &info)
    lwork = _query_size(q)
    s = _Scratch(lwork, 0)
    with nogil:
        clapack.dormqr(&side, &t, &m, &n, &k, _fptr(qr), &lda, <double*>&tau[0],
                       _fptr(c), &ldc, s.work, &lwork, &info)
    return info


def ormlq(double[::1, :] lq not None, const double[::1] tau not None,
          double[::1, :] c not None, bint left=True, bint trans=False):
    """Apply Q (or Qᵀ) from gelqf's reflectors to c (dormlq); overwrites c."""
    cdef int m = <int>c.shape[0], n = <int>c.shape[1], k = <int>tau.shape[0]
    cdef int lda = _ld(lq.shape[0]), ldc = _ld(c.shape[0]), info = 0, lwork = -1
    cdef char side = b'L' if left else b'R'
    cdef char t = b'T' if trans else b'N'
    cdef double q = 0.0
    cdef _Scratch s
    if lq.shape[1] != (m if left else n) or lq.shape[0] < k:
        raise ValueError("ormlq: shapes do not match")
    if m == 0 or n == 0 or k == 0:
        return 0
    clapack.dormlq(&side, &t, &m, &n, &k, _fptr(lq), &lda, <double*>&tau[0], _fptr(c),
                   &ldc, &q, &lwork, &info)
    lwork = _query_size(q)
    s = _Scratch(lwork, 0)
    with nogil:
        clapack.dormlq(&side, &t, &m, &n, &k, _fptr(lq), &lda, <double*>&tau[0],
                       _fptr(c), &ldc, s.work, &lwork, &info)
    return info


def gesdd(double[::1, :] a not None, double[::1] s not None, double[::1, :] u,
          double[::1, :] vt, str job="S"):
    """Singular value decomposition by divide and conquer (dgesdd), destroying a.

    ``job``: "N" values only (u, vt may be None), "S" thin (u m×k, vt k×n) or "A"
    full (u m×m, vt n×n). info > 0: the iteration did not converge.
    """
    cdef int m = <int>a.shape[0], n = <int>a.shape[1], k = <int>min(m, n)
    cdef int lda = _ld(a.shape[0]), ldu = 1, ldvt = 1, info = 0, lwork = -1
    cdef char jobz
    cdef double q = 0.0, dummy = 0.0
    cdef double* pu = &dummy
    cdef double* pvt = &dummy
    cdef _Scratch sc
    if job not in ("N", "S", "A"):
        raise ValueError("gesdd: job must be 'N', 'S' or 'A'")
    jobz = ord(job)
    if s.shape[0] != k:
        raise ValueError("gesdd: s must have length min(m, n)")
    if job != "N":
        if u is None or vt is None:
            raise ValueError("gesdd: u and vt are required unless job is 'N'")
        if u.shape[0] != m or u.shape[1] != (k if job == "S" else m) or \
                vt.shape[1] != n or vt.shape[0] != (k if job == "S" else n):
            raise ValueError("gesdd: u or vt has the wrong shape")
        ldu = _ld(u.shape[0])
        ldvt = _ld(vt.shape[0])
        if u.shape[0] > 0 and u.shape[1] > 0:
            pu = &u[0, 0]
        if vt.shape[0] > 0 and vt.shape[1] > 0:
            pvt = &vt[0, 0]
    if m == 0 or n == 0:
        return 0
    sc = _Scratch(1, 8 * k)
    clapack.dgesdd(&jobz, &m, &n, _fptr(a), &lda, &s[0], pu, &ldu, pvt, &ldvt, &q,
                   &lwork, sc.iwork, &info)
    lwork = _query_size(q)
    sc = _Scratch(lwork, 8 * k)
    with nogil:
        clapack.dgesdd(&jobz, &m, &n, _fptr(a), &lda, &s[0], pu, &ldu, pvt, &ldvt,
                       sc.work, &lwork, sc.iwork, &info)
    return info


def syevr(double[::1, :] a not None, double[::1] w not None, double[::1, :] z,
          bint vectors=True, bint upper=True):
    """All eigenvalues (ascending, into w) and optionally eigenvectors (columns of
    z) of a symmetric matrix by relatively robust representations (dsyevr); reads
    the ``upper`` or lower triangle and destroys it. info > 0: internal failure."""
    cdef int n = <int>a.shape[0], lda = _ld(a.shape[0]), ldz = 1, info = 0
    cdef int lwork = -1, liwork = -1, il = 0, iu = 0, found = 0, iq = 0
    cdef char jobz = b'V' if vectors else b'N'
    cdef char rng = b'A'
    cdef char uplo = b'U' if upper else b'L'
    cdef double vl = 0.0, vu = 0.0, abstol = 0.0, q = 0.0, dummy = 0.0
    cdef double* pz = &dummy
    cdef int* isuppz
    cdef _Scratch sc
    if a.shape[1] != n or w.shape[0] != n:
        raise ValueError("syevr: shapes do not match")
    if vectors:
        if z is None or z.shape[0] != n or z.shape[1] != n:
            raise ValueError("syevr: z must be n×n when vectors are wanted")
        ldz = _ld(z.shape[0])
        if n > 0:
            pz = &z[0, 0]
    if n == 0:
        return 0
    isuppz = <int*>malloc(2 * n * sizeof(int))
    if isuppz == NULL:
        raise MemoryError()
    try:
        clapack.dsyevr(&jobz, &rng, &uplo, &n, _fptr(a), &lda, &vl, &vu, &il, &iu,
                       &abstol, &found, &w[0], pz, &ldz, isuppz, &q, &lwork, &iq,
                       &liwork, &info)
        lwork = _query_size(q)
        liwork = iq if iq > 1 else 1
        sc = _Scratch(lwork, liwork)
        with nogil:
            clapack.dsyevr(&jobz, &rng, &uplo, &n, _fptr(a), &lda, &vl, &vu, &il, &iu,
                           &abstol, &found, &w[0], pz, &ldz, isuppz, sc.work, &lwork,
                           sc.iwork, &liwork, &info)
    finally:
        free(isuppz)
    return info


def geev(double[::1, :] a not None, double[::1] wr not None, double[::1] wi not None,
         double[::1, :] vl, double[::1, :] vr):
    """Eigenvalues (wr + i·wi) and optionally left (vl) and right (vr) eigenvectors
    of a general matrix (dgeev), destroying a. Pass None for vectors not wanted.
    Complex pairs are stored as LAPACK does: columns j and j+1 hold re and im.
    info > 0: the QR algorithm failed to converge."""
    cdef int n = <int>a.shape[0], lda = _ld(a.shape[0]), ldvl = 1, ldvr = 1, info = 0
    cdef int lwork = -1
    cdef char jobvl = b'V' if vl is not None else b'N'
    cdef char jobvr = b'V' if vr is not None else b'N'
    cdef double q = 0.0, dummy = 0.0
    cdef double* pvl = &dummy
    cdef double* pvr = &dummy
    cdef _Scratch sc
    if a.shape[1] != n or wr.shape[0] != n or wi.shape[0] != n:
        raise ValueError("geev: shapes do not match")
    if vl is not None:
        if vl.shape[0] != n or vl.shape[1] != n:
            raise ValueError("geev: vl must be n×n")
        ldvl = _ld(n)
        if n > 0:
            pvl = &vl[0, 0]
    if vr is not None:
        if vr.shape[0] != n or vr.shape[1] != n:
            raise ValueError("geev: vr must be n×n")
        ldvr = _ld(n)
        if n > 0:
            pvr = &vr[0, 0]
    if n == 0:
        return 0
    clapack.dgeev(&jobvl, &jobvr, &n, _fptr(a), &lda, &wr[0], &wi[0], pvl, &ldvl, pvr,
                  &ldvr, &q, &lwork, &info)
    lwork = _query_size(q)
    sc = _Scratch(lwork, 0)
    with nogil:
        clapack.dgeev(&jobvl, &jobvr, &n, _fptr(a), &lda, &wr[0], &wi[0], pvl, &ldvl,
                      pvr, &ldvr, sc.work, &lwork, &info)
    return info


def orgqr(double[::1, :] a not None, const double[::1] tau not None):
    """Form the m×n matrix Q with orthonormal columns from geqrf's reflectors in the
    first k = len(tau) columns of a (dorgqr), in place."""
    cdef int m = <int>a.shape[0], n = <int>a.shape[1], k = <int>tau.shape[0]
    cdef int lda = _ld(a.shape[0]), info = 0, lwork = -1
    cdef double q = 0.0
    cdef _Scratch s
    if k > n or n > m:
        raise ValueError("orgqr: need m >= n >= len(tau)")
    if m == 0 or n == 0:
        return 0
    clapack.dorgqr(&m, &n, &k, _fptr(a), &lda, <double*>&tau[0] if k else &q, &q,
                   &lwork, &info)
    lwork = _query_size(q)
    s = _Scratch(lwork, 0)
    with nogil:
        clapack.dorgqr(&m, &n, &k, _fptr(a), &lda, <double*>&tau[0] if k else s.work,
                       s.work, &lwork, &info)
    return info


def orglq(double[::1, :] a not None, const double[::1] tau not None):
    """Form the m×n matrix Q with orthonormal rows from gelqf's reflectors in the
    first k = len(tau) rows of a (dorglq), in place."""
    cdef int m = <int>a.shape[0], n = <int>a.shape[1], k = <int>tau.shape[0]
    cdef int lda = _ld(a.shape[0]), info = 0, lwork = -1
    cdef double q = 0.0
    cdef _Scratch s
    if k > m or m > n:
        raise ValueError("orglq: need n >= m >= len(tau)")
    if m == 0 or n == 0:
        return 0
    clapack.dorglq(&m, &n, &k, _fptr(a), &lda, <double*>&tau[0] if k else &q, &q,
                   &lwork, &info)
    lwork = _query_size(q)
    s = _Scratch(lwork, 0)
    with nogil:
        clapack.dorglq(&m, &n, &k, _fptr(a), &lda, <double*>&tau[0] if k else s.work,
                       s.work, &lwork, &info)
    return info


def getri(double[::1, :] lu not None, const int[::1] ipiv not None):
    """Inverse of A from getrf's factors, in place (dgetri). info > 0: a zero pivot,
    A is exactly singular."""
    cdef int n = <int>lu.shape[0], lda = _ld(lu.shape[0]), info = 0, lwork = -1
    cdef double q = 0.0
    cdef _Scratch s
    if lu.shape[1] != n or ipiv.shape[0] != n:
        raise ValueError("getri: shapes do not match")
    if n == 0:
        return 0
    clapack.dgetri(&n, _fptr(lu), &lda, <int*>&ipiv[0], &q, &lwork, &info)
    lwork = _query_size(q)
    s = _Scratch(lwork, 0)
    with nogil:
        clapack.dgetri(&n, _fptr(lu), &lda, <int*>&ipiv[0], s.work, &lwork, &info)
    return info


def syevd(double[::1, :] a not None, double[::1] w not None, bint vectors=True,
          bint upper=True):
    """All eigenvalues (ascending, into w) of a symmetric matrix by divide and conquer
    (dsyevd), reading the ``upper`` or lower triangle; with ``vectors`` the
    orthonormal eigenvectors overwrite a as its columns. info > 0: failure to
    converge."""
    cdef int n = <int>a.shape[0], lda = _ld(a.shape[0]), info = 0
    cdef int lwork = -1, liwork = -1, iq = 0
    cdef char jobz = b'V' if vectors else b'N'
    cdef char uplo = b'U' if upper else b'L'
    cdef double q = 0.0
    cdef _Scratch sc
    if a.shape[1] != n or w.shape[0] != n:
        raise ValueError("syevd: shapes do not match")
    if n == 0:
        return 0
    clapack.dsyevd(&jobz, &uplo, &n, _fptr(a), &lda, &w[0], &q, &lwork, &iq, &liwork,
                   &info)
    lwork = _query_size(q)
    liwork = iq if iq > 1 else 1
    sc = _Scratch(lwork, liwork)
    with nogil:
        clapack.dsyevd(&jobz, &uplo, &n, _fptr(a), &lda, &w[0], sc.work, &lwork,
                       sc.iwork, &liwork, &info)
    return info
