"""Memory-overlap test for receivers and operands (Gonum's ``checkOverlap``)."""

from cpython.buffer cimport PyBUF_RECORDS_RO, PyBuffer_Release, PyObject_GetBuffer


cdef void _extent(Py_buffer* v, Py_ssize_t* lo, Py_ssize_t* hi) noexcept:
    cdef Py_ssize_t i, start = <Py_ssize_t>v.buf, end = <Py_ssize_t>v.buf
    for i in range(v.ndim):
        if v.shape[i] == 0:
            lo[0] = 0
            hi[0] = 0
            return
        if v.strides[i] > 0:
            end += (v.shape[i] - 1) * v.strides[i]
        else:
            start += (v.shape[i] - 1) * v.strides[i]
    lo[0] = start
    hi[0] = end + v.itemsize


def overlap(x, y):
    """0 when the buffers of ``x`` and ``y`` cannot share memory, 1 when they are the
    same view (same start, shape and strides: elementwise work in place is safe), 2
    when their extents overlap in any other way."""
    cdef Py_buffer vx, vy
    cdef Py_ssize_t xlo, xhi, ylo, yhi, i
    cdef int result
    PyObject_GetBuffer(x, &vx, PyBUF_RECORDS_RO)
    try:
        PyObject_GetBuffer(y, &vy, PyBUF_RECORDS_RO)
    except BaseException:
        PyBuffer_Release(&vx)
        raise
    _extent(&vx, &xlo, &xhi)
    _extent(&vy, &ylo, &yhi)
    if xlo == xhi or ylo == yhi or xhi <= ylo or yhi <= xlo:
        result = 0
    else:
        result = 1
        if vx.buf != vy.buf or vx.ndim != vy.ndim:
            result = 2
        else:
            for i in range(vx.ndim):
                if vx.shape[i] != vy.shape[i] or (vx.shape[i] > 1 and
                                                  vx.strides[i] != vy.strides[i]):
                    result = 2
                    break
    PyBuffer_Release(&vx)
    PyBuffer_Release(&vy)
    return result
