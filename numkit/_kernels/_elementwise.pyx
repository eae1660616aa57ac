"""Elementwise arithmetic on 2-D float64 blocks with any strides.

Each function writes ``out`` and may be called with ``out`` equal to an operand (in
place): every element is read before it is written, and the Python layer refuses
partial overlaps. Work is split by rows over OpenMP threads above the parallel
threshold; contiguous rows take a loop the compiler vectorises.

The operands are borrowed through the buffer protocol directly rather than as typed
memoryviews: acquiring three memoryviews costs about a microsecond, more than the
arithmetic of a small matrix. Read-only operands (and memory maps) are accepted;
``out`` must be writable.
"""

from cpython.buffer cimport (
    PyBUF_RECORDS,
    PyBUF_RECORDS_RO,
    PyBuffer_Release,
    PyObject_GetBuffer,
)
from cython.parallel cimport prange

from numkit._kernels._openmp cimport threads_for

cdef enum Op:
    ADD = 0
    SUB = 1
    MUL = 2
    DIV = 3
    SCALED = 4  # out = alpha a + beta b


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


cdef struct Block:
    double* ptr
    Py_ssize_t s0, s1   # strides in elements


cdef void _binary(int op, Py_ssize_t m, Py_ssize_t n, Block a, Block b,
                  Block out) noexcept nogil:
    cdef Py_ssize_t i
    cdef int threads
    if m == 0 or n == 0:
        return
    # Walk the block along its unit stride: a column-major block is its transpose.
    if out.s0 == 1 and out.s1 != 1 and m > 1:
        m, n = n, m
        a.s0, a.s1 = a.s1, a.s0
        b.s0, b.s1 = b.s1, b.s0
        out.s0, out.s1 = out.s1, out.s0
    threads = threads_for(m * n)
    if threads == 1:  # no parallel region: entering one costs more than a small block
        for i in range(m):
            _binary_row(op, n, a.ptr + i * a.s0, a.s1, b.ptr + i * b.s0, b.s1,
                        out.ptr + i * out.s0, out.s1)
        return
    for i in prange(m, nogil=True, schedule="static", num_threads=threads):
        _binary_row(op, n, a.ptr + i * a.s0, a.s1, b.ptr + i * b.s0, b.s1,
                    out.ptr + i * out.s0, out.s1)


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


cdef void _scaled(Py_ssize_t m, Py_ssize_t n, double alpha, Block a, double beta,
                  Block b, Block out) noexcept nogil:
    cdef Py_ssize_t i
    cdef int threads
    if m == 0 or n == 0:
        return
    if out.s0 == 1 and out.s1 != 1 and m > 1:
        m, n = n, m
        a.s0, a.s1 = a.s1, a.s0
        b.s0, b.s1 = b.s1, b.s0
        out.s0, out.s1 = out.s1, out.s0
    threads = threads_for(m * n)
    if threads == 1:
        for i in range(m):
            _scaled_row(n, alpha, a.ptr + i * a.s0, a.s1, beta, b.ptr + i * b.s0, b.s1,
                        out.ptr + i * out.s0, out.s1)
        return
    for i in prange(m, nogil=True, schedule="static", num_threads=threads):
        _scaled_row(n, alpha, a.ptr + i * a.s0, a.s1, beta, b.ptr + i * b.s0, b.s1,
                    out.ptr + i * out.s0, out.s1)


cdef inline bint _is_native_double(const char* fmt) noexcept:
    # "d", or "=d"/"@d" as numpy reports a float64 field of a packed record array.
    if fmt == NULL:
        return False
    if fmt[0] == b'=' or fmt[0] == b'@':
        fmt += 1
    return fmt[0] == b'd' and fmt[1] == 0


cdef int _acquire(object obj, Py_buffer* view, bint writable, str name,
                  str arg) except -1:
    """Borrow ``obj``'s buffer as a 2-D float64 block, raising on anything else."""
    PyObject_GetBuffer(obj, view, PyBUF_RECORDS if writable else PyBUF_RECORDS_RO)
    if view.ndim != 2 or view.itemsize != 8 or not _is_native_double(view.format):
        PyBuffer_Release(view)
        raise TypeError(f"{name}: {arg} must be a 2-D float64 array")
    # A float64 field of a record array can have strides that are not a multiple of
    # 8 bytes; the loops count strides in elements.
    if view.strides[0] % 8 or view.strides[1] % 8:
        PyBuffer_Release(view)
        raise ValueError(f"{name}: the strides of {arg} must be multiples of 8 bytes")
    return 0


cdef inline Block _block(Py_buffer* view) noexcept nogil:
    cdef Block blk
    blk.ptr = <double*>view.buf
    blk.s0 = view.strides[0] // 8
    blk.s1 = view.strides[1] // 8
    return blk


cdef bint _partial_overlap(Py_buffer* o, Py_buffer* x) noexcept:
    """Whether the address ranges of o and x meet while x is not the very same view
    (same start, shape and strides) as o."""
    cdef Py_ssize_t olo = <Py_ssize_t>o.buf, ohi = <Py_ssize_t>o.buf
    cdef Py_ssize_t xlo = <Py_ssize_t>x.buf, xhi = <Py_ssize_t>x.buf
    cdef int i
    for i in range(2):
        if o.shape[i] == 0 or x.shape[i] == 0:
            return False
        if o.strides[i] > 0:
            ohi += (o.shape[i] - 1) * o.strides[i]
        else:
            olo += (o.shape[i] - 1) * o.strides[i]
        if x.strides[i] > 0:
            xhi += (x.shape[i] - 1) * x.strides[i]
        else:
            xlo += (x.shape[i] - 1) * x.strides[i]
    if ohi + 8 <= xlo or xhi + 8 <= olo:
        return False
    if o.buf != x.buf:
        return True
    for i in range(2):
        if o.shape[i] != x.shape[i] or (o.shape[i] > 1 and o.strides[i] != x.strides[i]):
            return True
    return False


cdef int _run(int op, str name, object a, object b, object out, double alpha,
              double beta, bint check_alias) except -1:
    """Borrow the three buffers, check their shapes, run ``op`` without the GIL.
    ``op`` is ADD, SUB, MUL, DIV, or SCALED: out = alpha a + beta b. With
    ``check_alias``, return 2 without writing when ``out`` partially overlaps an
    operand (the caller decides whether that is real aliasing); else return 0."""
    cdef Py_buffer va, vb, vo
    cdef Py_ssize_t m, n
    _acquire(a, &va, False, name, "a")
    try:
        _acquire(b, &vb, False, name, "b")
    except BaseException:
        PyBuffer_Release(&va)
        raise
    try:
        _acquire(out, &vo, True, name, "out")
    except BaseException:
        PyBuffer_Release(&va)
        PyBuffer_Release(&vb)
        raise
    try:
        m = vo.shape[0]
        n = vo.shape[1]
        if va.shape[0] != m or va.shape[1] != n or vb.shape[0] != m or vb.shape[1] != n:
            raise ValueError(f"{name}: shapes do not match: a is ({va.shape[0]}, "
                             f"{va.shape[1]}), b is ({vb.shape[0]}, {vb.shape[1]}), "
                             f"out is ({m}, {n})")
        if check_alias and (_partial_overlap(&vo, &va) or _partial_overlap(&vo, &vb)):
            return 2
        with nogil:
            if op == SCALED:
                _scaled(m, n, alpha, _block(&va), beta, _block(&vb), _block(&vo))
            else:
                _binary(op, m, n, _block(&va), _block(&vb), _block(&vo))
    finally:
        PyBuffer_Release(&va)
        PyBuffer_Release(&vb)
        PyBuffer_Release(&vo)
    return 0


def add(a, b, out, bint check_alias=False):
    """``out = a + b``; ``out`` may be ``a`` or ``b``."""
    return _run(ADD, "add", a, b, out, 1.0, 1.0, check_alias)


def sub(a, b, out, bint check_alias=False):
    """``out = a - b``; ``out`` may be ``a`` or ``b``."""
    return _run(SUB, "sub", a, b, out, 1.0, 1.0, check_alias)


def mul_elem(a, b, out, bint check_alias=False):
    """``out = a * b`` elementwise; ``out`` may be ``a`` or ``b``."""
    return _run(MUL, "mul_elem", a, b, out, 1.0, 1.0, check_alias)


def div_elem(a, b, out, bint check_alias=False):
    """``out = a / b`` elementwise (IEEE: x/0 is ±inf or NaN); ``out`` may be an operand."""
    return _run(DIV, "div_elem", a, b, out, 1.0, 1.0, check_alias)


def scale(double alpha, a, out):
    """``out = alpha * a``; ``out`` may be ``a``."""
    _run(SCALED, "scale", a, a, out, alpha, 0.0, False)


def add_scaled(a, double alpha, b, out):
    """``out = a + alpha * b`` (Gonum's AddScaled, BLAS axpy); ``out`` may be an operand."""
    _run(SCALED, "add_scaled", a, b, out, 1.0, alpha, False)
