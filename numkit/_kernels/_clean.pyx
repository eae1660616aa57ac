"""Cleaning kernels for ``numkit.pipeline``: missing-value scans, fills, outlier masks
and row compaction over the numeric columns of a table.

The columns are the columns of one C-contiguous ``(n, p)`` array ``data`` (a row per
observation, row-major as :class:`numkit.mat.Dense` stores it), so a kernel reads each
row once and contiguously, and the cleaned block becomes the data matrix without a
copy. Rows are split into ``chunk_count(n)`` chunks processed in parallel. "Missing"
means not finite: NaN or ±inf.

- :func:`missing_scan` reads every value once: the count of missing values per column
  and a per-row flag (any column missing). Each chunk keeps its own per-column counts,
  summed in chunk order (integers, so the order only matters for style).
- :func:`fill_missing` replaces missing values of column ``j`` by ``values[j]`` in
  place.
- :func:`zscore_mask` and :func:`range_mask` flag rows where a column holds an outlier
  (``|x - mean| / std > k``; ``x < low`` or ``x > high``) and count the outliers per
  column, in one pass, like :func:`missing_scan`. Missing values are never outliers; a
  column whose ``std`` is zero or not finite has none.
- :func:`columns_into` copies ``k`` adjacent columns into the rows of a ``(k, n)``
  array (a cache-blocked transpose: one read of the block for all ``k`` columns, not
  one read per column), so per-column statistics can stream contiguous memory.
- :func:`compact_rows` copies the rows whose ``keep`` flag is set, in order, into
  ``out``: in parallel (kept rows counted per chunk, then each chunk copies to its
  offset, the prefix sum of the counts) when ``out`` is another array, or in place,
  front to back, when ``out`` is ``data`` itself (a row only ever moves towards the
  start, onto a row already copied).

No kernel raises on data (only on arguments of the wrong length); the caller (``numkit.pipeline._clean``) validates.
"""

from cython.parallel cimport prange
from libc.math cimport fabs, isfinite
from libc.stdlib cimport calloc, free
from libc.string cimport memcpy

from numkit._kernels._openmp cimport chunk_count, threads_for


cdef inline Py_ssize_t _chunk_start(Py_ssize_t c, Py_ssize_t chunks,
                                    Py_ssize_t n) noexcept nogil:
    return (n * c) // chunks


cdef _check_lengths(str op, Py_ssize_t rows, Py_ssize_t n, Py_ssize_t cols,
                    Py_ssize_t p):
    # arguments, not data: a wrong length would write out of bounds
    if rows != n or cols != p:
        raise ValueError(f"{op}: per-row arguments need {n} entries and per-column ones "
                         f"{p}; got {rows} and {cols}")


def missing_scan(const double[:, ::1] data, unsigned char[::1] row_missing,
                 long long[::1] counts):
    """Count the non-finite values of each column (``counts[j]``) and flag the rows
    holding one (``row_missing[i] = 1``, else 0) in one read of ``data`` ``(n, p)``."""
    cdef Py_ssize_t n = data.shape[0], p = data.shape[1]
    cdef Py_ssize_t chunks = chunk_count(n) if n > 0 else 1
    cdef Py_ssize_t c, i, j, lo, hi
    cdef long long* partial
    cdef unsigned char flag, row_flag
    cdef int threads = threads_for(n * p)
    _check_lengths("missing_scan", row_missing.shape[0], n, counts.shape[0], p)
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
                    row_flag = 0
                    for j in range(p):
                        flag = not isfinite(data[i, j])
                        partial[c * p + j] += flag
                        row_flag = row_flag | flag
                    row_missing[i] = row_flag
            for j in range(p):
                counts[j] = 0
                for c in range(chunks):
                    counts[j] += partial[c * p + j]
    finally:
        free(partial)


def fill_missing(double[:, ::1] data, const double[::1] values):
    """Replace the non-finite values of column ``j`` of ``data`` ``(n, p)`` by
    ``values[j]``, in place."""
    cdef Py_ssize_t n = data.shape[0], p = data.shape[1]
    cdef Py_ssize_t chunks = chunk_count(n) if n > 0 else 1
    cdef Py_ssize_t c, i, j, lo, hi
    cdef int threads = threads_for(n * p)
    _check_lengths("fill_missing", n, n, values.shape[0], p)
    with nogil:
        for c in prange(chunks, num_threads=threads, schedule="static"):
            lo = _chunk_start(c, chunks, n)
            hi = _chunk_start(c + 1, chunks, n)
            for i in range(lo, hi):
                for j in range(p):
                    if not isfinite(data[i, j]):
                        data[i, j] = values[j]


def zscore_mask(const double[:, ::1] data, const double[::1] mean,
                const double[::1] std, double k, unsigned char[::1] row_outlier,
                long long[::1] counts):
    """Flag the rows of ``data`` ``(n, p)`` where some column has
    ``|x - mean[j]| / std[j] > k`` (``row_outlier[i] = 1``, else 0) and count those
    values per column."""
    _mask(data, mean, std, k, row_outlier, counts, True)


def range_mask(const double[:, ::1] data, const double[::1] low, const double[::1] high,
               unsigned char[::1] row_outlier, long long[::1] counts):
    """Flag the rows of ``data`` ``(n, p)`` where some column has ``x < low[j]`` or
    ``x > high[j]`` (``row_outlier[i] = 1``, else 0) and count those values per
    column."""
    _mask(data, low, high, 0.0, row_outlier, counts, False)


cdef _mask(const double[:, ::1] data, const double[::1] a, const double[::1] b, double k,
           unsigned char[::1] row_outlier, long long[::1] counts, bint zscore):
    cdef Py_ssize_t n = data.shape[0], p = data.shape[1]
    cdef Py_ssize_t chunks = chunk_count(n) if n > 0 else 1
    cdef Py_ssize_t c, i, j, lo, hi
    cdef long long* partial
    cdef unsigned char* usable
    cdef unsigned char flag, row_flag
    cdef double x
    cdef int threads = threads_for(n * p)
    _check_lengths("outlier mask", row_outlier.shape[0], n, min(a.shape[0], b.shape[0],
                                                              counts.shape[0]), p)
    if p == 0:
        row_outlier[:] = 0
        return
    partial = <long long*> calloc(chunks * p, sizeof(long long))
    usable = <unsigned char*> calloc(p, sizeof(unsigned char))
    if partial == NULL or usable == NULL:
        free(partial)
        free(usable)
        raise MemoryError("outlier mask: cannot allocate the partial counts")
    try:
        for j in range(p):
            # a constant (or undefined) column has no z-score outliers
            usable[j] = (not zscore) or (isfinite(a[j]) and isfinite(b[j]) and b[j] > 0.0)
        with nogil:
            for c in prange(chunks, num_threads=threads, schedule="static"):
                lo = _chunk_start(c, chunks, n)
                hi = _chunk_start(c + 1, chunks, n)
                for i in range(lo, hi):
                    row_flag = 0
                    for j in range(p):
                        x = data[i, j]
                        if zscore:
                            # NaN compares false: never an outlier
                            flag = usable[j] and fabs(x - a[j]) / b[j] > k
                        else:
                            flag = (x < a[j]) | (x > b[j])
                        partial[c * p + j] += flag
                        row_flag = row_flag | flag
                    row_outlier[i] = row_flag
            for j in range(p):
                counts[j] = 0
                for c in range(chunks):
                    counts[j] += partial[c * p + j]
    finally:
        free(partial)
        free(usable)


def compact_rows(const double[:, ::1] data, const unsigned char[::1] keep,
                 double[:, ::1] out):
    """Copy the rows ``i`` of ``data`` ``(n, p)`` with ``keep[i]`` set, in order, into
    ``out`` ``(count of kept rows, p)``; ``out`` may be ``data`` itself (its first rows
    then hold the result)."""
    cdef Py_ssize_t n = data.shape[0], p = data.shape[1], m = out.shape[0]
    cdef Py_ssize_t chunks = chunk_count(n) if n > 0 else 1
    cdef Py_ssize_t c, i, k, lo, hi
    cdef Py_ssize_t* offsets
    cdef size_t row_bytes = p * sizeof(double)
    cdef int threads = threads_for(n * p)
    _check_lengths("compact_rows", keep.shape[0], n, out.shape[1], p)
    if m > n:
        raise ValueError(f"compact_rows: out has {m} rows but data only {n}")
    if m == 0 or p == 0:
        return
    if &out[0, 0] == &data[0, 0]:
        with nogil:
            k = 0
            for i in range(n):
                if keep[i]:
                    if k != i:
                        # k < i: the rows do not overlap
                        memcpy(&out[k, 0], &data[i, 0], row_bytes)
                    k = k + 1
        return
    offsets = <Py_ssize_t*> calloc(chunks + 1, sizeof(Py_ssize_t))
    if offsets == NULL:
        raise MemoryError("compact_rows: cannot allocate the chunk offsets")
    try:
        with nogil:
            for c in prange(chunks, num_threads=threads, schedule="static"):
                lo = _chunk_start(c, chunks, n)
                hi = _chunk_start(c + 1, chunks, n)
                for i in range(lo, hi):
                    offsets[c + 1] += keep[i] != 0
            for c in range(chunks):
                offsets[c + 1] += offsets[c]
            for c in prange(chunks, num_threads=threads, schedule="static"):
                lo = _chunk_start(c, chunks, n)
                hi = _chunk_start(c + 1, chunks, n)
                k = offsets[c]
                for i in range(lo, hi):
                    if keep[i] and k < m:
                        memcpy(&out[k, 0], &data[i, 0], row_bytes)
                        k = k + 1
    finally:
        free(offsets)


cdef enum:
    # rows per tile of columns_into: TILE_ROWS × k doubles read, k runs written
    TILE_ROWS = 512


def columns_into(const double[:, ::1] data, Py_ssize_t first, double[:, ::1] out):
    """Copy columns ``first … first + k - 1`` of ``data`` ``(n, p)`` into the rows of
    ``out`` ``(k, n)``, reading ``data`` once in tiles of 512 rows (in parallel)."""
    cdef Py_ssize_t n = data.shape[0], p = data.shape[1], k = out.shape[0]
    cdef Py_ssize_t tiles, t, i, j, lo, hi
    cdef int threads = threads_for(n * k)
    if out.shape[1] != n:
        raise ValueError(f"columns_into: out has {out.shape[1]} columns; data has {n} rows")
    if first < 0 or first + k > p:
        raise ValueError(f"columns_into: columns {first}..{first + k - 1} are outside "
                         f"0..{p - 1}")
    if n == 0 or k == 0:
        return
    tiles = (n + TILE_ROWS - 1) // TILE_ROWS
    with nogil:
        for t in prange(tiles, num_threads=threads, schedule="static"):
            lo = t * TILE_ROWS
            hi = lo + TILE_ROWS
            if hi > n:
                hi = n
            for j in range(k):
                for i in range(lo, hi):
                    out[j, i] = data[i, first + j]
