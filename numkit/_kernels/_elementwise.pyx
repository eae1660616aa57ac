"""Elementwise arithmetic on 2-D float64 blocks with any strides.

Each function writes ``out`` and may be called with ``out`` equal to an operand (in
place): every element is read before it is written, and the Python layer refuses
partial overlaps. Work is split by rows over OpenMP threads above the parallel
threshold; contiguous rows take a loop the compiler vectorises.
"""

from cython.parallel cimport prange

from numkit._kernels._openmp cimport threads_for

cdef enum BinaryOp:
    ADD = 0
    SUB = 1
    MUL = 2
    DIV = 3


cdef inline void _binary_row(int op, Py_ssize_t n, const double* a, Py_ssize_t sa,
                             const double* b, Py_ssize_t sb, double* o,
                             Py_ssize_t so) noexcept nogil:
    cdef Py_ssize_t j
    if sa == 1 and sb == 1 and so == 1:
        if op == ADD:
            for j in range(n):
                o[j] = a[j] + b[j]
        elif op == SUB:
            for j in range(n):
                o[j] = a[j] - b[j]
        elif op == MUL:
            for j in range(n):
                o[j] = a[j] * b[j]
        else:
            for j in range(n):
                o[j] = a[j] / b[j]
    else:
        if op == ADD:
            for j in range(n):
                o[j * so] = a[j * sa] + b[j * sb]
        elif op == SUB:
            for j in range(n):
                o[j * so] = a[j * sa] - b[j * sb]
        elif op == MUL:
            for j in range(n):
                o[j * so] = a[j * sa] * b[j * sb]
        else:
            for j in range(n):
                o[j * so] = a[j * sa] / b[j * sb]


cdef void _binary(int op, const double[:, :] a, const double[:, :] b,
                  double[:, :] out) noexcept nogil:
    cdef Py_ssize_t m = out.shape[0], n = out.shape[1], i
    cdef Py_ssize_t sa0 = a.strides[0] // 8, sa1 = a.strides[1] // 8
    cdef Py_ssize_t sb0 = b.strides[0] // 8, sb1 = b.strides[1] // 8
    cdef Py_ssize_t so0 = out.strides[0] // 8, so1 = out.strides[1] // 8
    cdef const double* pa
    cdef const double* pb
    cdef double* po
    if m == 0 or n == 0:
        return
    pa = &a[0, 0]
    pb = &b[0, 0]
    po = &out[0, 0]
    # Walk the block along its unit stride: a column-major block is its transpose.
    if so0 == 1 and so1 != 1 and m > 1:
        m, n = n, m
        sa0, sa1 = sa1, sa0
        sb0, sb1 = sb1, sb0
        so0, so1 = so1, so0
    for i in prange(m, nogil=True, schedule="static", num_threads=threads_for(m * n)):
        _binary_row(op, n, pa + i * sa0, sa1, pb + i * sb0, sb1, po + i * so0, so1)


cdef inline void _scaled_row(Py_ssize_t n, double alpha, const double* a, Py_ssize_t sa,
                             double beta, const double* b, Py_ssize_t sb, double* o,
                             Py_ssize_t so) noexcept nogil:
    # o = alpha * a + beta * b (b ignored when beta == 0)
    cdef Py_ssize_t j
    if beta == 0.0:
        if sa == 1 and so == 1:
            for j in range(n):
                o[j] = alpha * a[j]
        else:
            for j in range(n):
                o[j * so] = alpha * a[j * sa]
    elif sa == 1 and sb == 1 and so == 1:
        if alpha == 1.0:
            for j in range(n):
                o[j] = a[j] + beta * b[j]
        else:
            for j in range(n):
                o[j] = alpha * a[j] + beta * b[j]
    else:
        for j in range(n):
            o[j * so] = alpha * a[j * sa] + beta * b[j * sb]


cdef void _scaled(double alpha, const double[:, :] a, double beta, const double[:, :] b,
                  double[:, :] out) noexcept nogil:
    cdef Py_ssize_t m = out.shape[0], n = out.shape[1], i
    cdef Py_ssize_t sa0 = a.strides[0] // 8, sa1 = a.strides[1] // 8
    cdef Py_ssize_t sb0 = b.strides[0] // 8, sb1 = b.strides[1] // 8
    cdef Py_ssize_t so0 = out.strides[0] // 8, so1 = out.strides[1] // 8
    cdef const double* pa
    cdef const double* pb
    cdef double* po
    if m == 0 or n == 0:
        return
    pa = &a[0, 0]
    pb = &b[0, 0]
    po = &out[0, 0]
    if so0 == 1 and so1 != 1 and m > 1:
        m, n = n, m
        sa0, sa1 = sa1, sa0
        sb0, sb1 = sb1, sb0
        so0, so1 = so1, so0
    for i in prange(m, nogil=True, schedule="static", num_threads=threads_for(m * n)):
        _scaled_row(n, alpha, pa + i * sa0, sa1, beta, pb + i * sb0, sb1, po + i * so0, so1)


def _check(name, a, b, out):
    if a.shape[0] != out.shape[0] or a.shape[1] != out.shape[1] or \
            b.shape[0] != out.shape[0] or b.shape[1] != out.shape[1]:
        raise ValueError(f"{name}: shapes do not match")


def add(const double[:, :] a, const double[:, :] b, double[:, :] out):
    """``out = a + b``; ``out`` may be ``a`` or ``b``."""
    _check("add", a, b, out)
    with nogil:
        _binary(ADD, a, b, out)


def sub(const double[:, :] a, const double[:, :] b, double[:, :] out):
    """``out = a - b``; ``out`` may be ``a`` or ``b``."""
    _check("sub", a, b, out)
    with nogil:
        _binary(SUB, a, b, out)


def mul_elem(const double[:, :] a, const double[:, :] b, double[:, :] out):
    """``out = a * b`` elementwise; ``out`` may be ``a`` or ``b``."""
    _check("mul_elem", a, b, out)
    with nogil:
        _binary(MUL, a, b, out)


def div_elem(const double[:, :] a, const double[:, :] b, double[:, :] out):
    """``out = a / b`` elementwise (IEEE: x/0 is ±inf or NaN); ``out`` may be an operand."""
    _check("div_elem", a, b, out)
    with nogil:
        _binary(DIV, a, b, out)


def scale(double alpha, const double[:, :] a, double[:, :] out):
    """``out = alpha * a``; ``out`` may be ``a``."""
    _check("scale", a, a, out)
    with nogil:
        _scaled(alpha, a, 0.0, a, out)


def add_scaled(const double[:, :] a, double alpha, const double[:, :] b,
               double[:, :] out):
    """``out = a + alpha * b`` (Gonum's AddScaled, BLAS axpy); ``out`` may be an operand."""
    _check("add_scaled", a, b, out)
    with nogil:
        _scaled(1.0, a, alpha, b, out)
