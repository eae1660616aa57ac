# nogil wrappers of scipy.linalg.cython_blas / cython_lapack in row-major terms.
# This is the only place numkit cimports them. A row-major m×n matrix with leading
# dimension ld is the column-major n×m matrix of its transpose, so each wrapper
# swaps operands or transpose flags instead of copying.

cdef double dot(int n, const double* x, int incx, const double* y, int incy) noexcept nogil
cdef void axpy(int n, double alpha, const double* x, int incx, double* y, int incy) noexcept nogil
cdef void scal(int n, double alpha, double* x, int incx) noexcept nogil
cdef double nrm2(int n, const double* x, int incx) noexcept nogil

cdef void gemv(bint trans, int m, int n, double alpha, const double* a, int lda,
               const double* x, int incx, double beta, double* y, int incy) noexcept nogil
cdef void ger(int m, int n, double alpha, const double* x, int incx,
              const double* y, int incy, double* a, int lda) noexcept nogil
cdef void gemm(bint trans_a, bint trans_b, int m, int n, int k, double alpha,
               const double* a, int lda, const double* b, int ldb,
               double beta, double* c, int ldc) noexcept nogil
cdef void syrk(bint upper, bint trans, int n, int k, double alpha, const double* a,
               int lda, double beta, double* c, int ldc) noexcept nogil
cdef void trsm(bint left, bint upper, bint trans, bint unit, int m, int n, double alpha,
               const double* a, int lda, double* b, int ldb) noexcept nogil
cdef void trmm(bint left, bint upper, bint trans, bint unit, int m, int n, double alpha,
               const double* a, int lda, double* b, int ldb) noexcept nogil

cdef int trtri(bint upper, bint unit, int n, double* a, int lda) noexcept nogil
cdef int gesdd_values(int m, int n, double* a, int lda, double* s,
                      double* work, int lwork, int* iwork) noexcept nogil
cdef int gesv_colmajor(int n, int nrhs, double* a, int lda, int* ipiv,
                       double* b, int ldb) noexcept nogil
