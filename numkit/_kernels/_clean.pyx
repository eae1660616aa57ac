"""Cleaning kernels for ``numkit.pipeline``: missing-value scans, fills, outlier masks
and row compaction over the numeric columns of a table.

The columns are stacked as the rows of one C-contiguous ``(p, n)`` array ``data`` (one
column of the table per row of ``data``), so each column is contiguous and a kernel can
work on whole columns in parallel. "Missing" means not finite: NaN or ±inf.

- :func:`missing_scan` reads every value once: the count of missing values per column
  and a per-row flag (any column missing). Rows are split into ``chunk_count(n)``
  chunks processed in parallel; each chunk keeps its own per-column counts, summed in
  chunk order (integers, so the order only matters for style).
- :func:`fill_missing` replaces missing values of column ``j`` by ``values[j]`` in
  place, one column per iteration of a parallel loop.
- :func:`zscore_mask` and :func:`range_mask` flag rows where a column holds an outlier
  (``|x - mean| / std > k``; ``x < low`` or ``x > high``) and count the outliers per
  column, in one pass, like :func:`missing_scan`. Missing values are never outliers; a
  column whose ``std`` is zero or not finite has none.
- :func:`compact_rows` copies the rows whose ``keep`` flag is set into ``out``, column
  by column in parallel, with a branch-free write (``out[k] = x[i]; k += keep[i]``).

No kernel raises on data; the caller (``numkit.pipeline._clean``) validates.
"""

from cython.parallel cimport prange
from libc.math cimport fabs, isfinite
from libc.stdlib cimport calloc, free

from numkit._kernels._openmp cimport chunk_count, threads_for


cdef inline Py_ssize_t _chunk_start(Py_ssize_t c, Py_ssize_t chunks,
                                    Py_ssize_t n) noexcept nogil:
    return (n * c) // chunks


def missing_scan(const double[:, ::1] data, unsigned char[::1] row_missing,
                 long long[::1] counts):
    """Count the non-finite values of each column (``counts[j]``) and flag the rows
    holding one (``row_missing[i] = 1``, else 0) in one read of ``data`` ``(p, n)``."""
    cdef Py_ssize_t p = data.shape[0], n = data.shape[1]
    cdef Py_ssize_t chunks = chunk_count(n) if n > 0 else 1
    cdef Py_ssize_t c, i, j, lo, hi
    cdef long long* partial
    cdef unsigned char flag
    cdef int threads = threads_for(n * p)
    if p == 0:
        row_missing[:] = 0
        return
    partial = <long long*> calloc(chunks * p, sizeof(long long))
    if partial == NULL:
        raise MemoryError("missing_scan: cannot allocate the partial counts")
    try:
        with nogil:
            for c in prange(chunks, num_threads=threads, schedule="static"):
                lo = _chunk_start(c, chunks, n)
                hi = _chunk_start(c + 1, chunks, n)
                for i in range(lo, hi):
                    row_missing[i] = 0
                for j in range(p):
                    for i in range(lo, hi):
                        flag = not isfinite(data[j, i])
                        partial[c * p + j] += flag
                        row_missing[i] |= flag
            for j in range(p):
                counts[j] = 0
                for c in range(chunks):
                    counts[j] += partial[c * p + j]
    finally:
        free(partial)


def fill_missing(double[:, ::1] data, const double[::1] values):
    """Replace the non-finite values of column ``j`` by ``values[j]``, in place."""
    cdef Py_ssize_t p = data.shape[0], n = data.shape[1]
    cdef Py_ssize_t i, j
    cdef double v
    cdef int threads = threads_for(n * p) if p > 1 else 1
    with nogil:
        for j in prange(p, num_threads=threads, schedule="static"):
            v = values[j]
            for i in range(n):
                if not isfinite(data[j, i]):
                    data[j, i] = v


def zscore_mask(const double[:, ::1] data, const double[::1] mean,
                const double[::1] std, double k, unsigned char[::1] row_outlier,
                long long[::1] counts):
    """Flag the rows where some column has ``|x - mean[j]| / std[j] > k``
    (``row_outlier[i] = 1``, else 0) and count those values per column."""
    _mask(data, mean, std, k, row_outlier, counts, True)


def range_mask(const double[:, ::1] data, const double[::1] low, const double[::1] high,
               unsigned char[::1] row_outlier, long long[::1] counts):
    """Flag the rows where some column has ``x < low[j]`` or ``x > high[j]``
    (``row_outlier[i] = 1``, else 0) and count those values per column."""
    _mask(data, low, high, 0.0, row_outlier, counts, False)


cdef _mask(const double[:, ::1] data, const double[::1] a, const double[::1] b, double k,
           unsigned char[::1] row_outlier, long long[::1] counts, bint zscore):
    cdef Py_ssize_t p = data.shape[0], n = data.shape[1]
    cdef Py_ssize_t chunks = chunk_count(n) if n > 0 else 1
    cdef Py_ssize_t c, i, j, lo, hi
    cdef long long* partial
    cdef unsigned char flag
    cdef double x, center, scale, low, high
    cdef bint usable
    cdef int threads = threads_for(n * p)
    if p == 0:
        row_outlier[:] = 0
        return
    partial = <long long*> calloc(chunks * p, sizeof(long long))
    if partial == NULL:
        raise MemoryError("outlier mask: cannot allocate the partial counts")
    try:
        with nogil:
            for c in prange(chunks, num_threads=threads, schedule="static"):
                lo = _chunk_start(c, chunks, n)
                hi = _chunk_start(c + 1, chunks, n)
                for i in range(lo, hi):
                    row_outlier[i] = 0
                for j in range(p):
                    if zscore:
                        center = a[j]
                        scale = b[j]
                        # a constant (or undefined) column has no outliers
                        usable = isfinite(center) and isfinite(scale) and scale > 0.0
                        if not usable:
                            continue
                        for i in range(lo, hi):
                            x = data[j, i]
                            # NaN compares false: never an outlier
                            flag = fabs(x - center) / scale > k
                            partial[c * p + j] += flag
                            row_outlier[i] |= flag
                    else:
                        low = a[j]
                        high = b[j]
                        for i in range(lo, hi):
                            x = data[j, i]
                            flag = (x < low) | (x > high)
                            partial[c * p + j] += flag
                            row_outlier[i] |= flag
            for j in range(p):
                counts[j] = 0
                for c in range(chunks):
                    counts[j] += partial[c * p + j]
    finally:
        free(partial)


def compact_rows(const double[:, ::1] data, const unsigned char[::1] keep,
                 double[:, ::1] out):
    """Copy the rows ``i`` of every column with ``keep[i]`` set, in order, into ``out``
    ``(p, count of kept rows)``."""
    cdef Py_ssize_t p = data.shape[0], n = data.shape[1], m = out.shape[1]
    cdef Py_ssize_t i, j, k
    cdef int threads = threads_for(n * p) if p > 1 else 1
    if m == 0:
        return
    with nogil:
        for j in prange(p, num_threads=threads, schedule="static"):
            k = 0
            for i in range(n):
                # out has one spare slot per column only if the last row is dropped, so
                # write only while k < m (the branch is predictable: true until the end)
                if k < m:
                    out[j, k] = data[j, i]
                k = k + (keep[i] != 0)
