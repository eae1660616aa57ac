"""Thread-count control shared by every kernel (``numkit.set_num_threads``)."""

import operator

cdef int _num_threads = 0  # 0: what OpenMP says


cdef int num_threads() noexcept nogil:
    if _num_threads > 0:
        return _num_threads
    return omp_get_max_threads()


cdef int threads_for(Py_ssize_t work) noexcept nogil:
    """Threads to use for ``work`` elements: one below the parallel threshold."""
    if work < NUMKIT_PARALLEL_THRESHOLD:
        return 1
    return num_threads()


cdef Py_ssize_t chunk_count(Py_ssize_t n) noexcept nogil:
    """Chunks for a deterministic reduction over n elements (a function of n only)."""
    cdef Py_ssize_t c = n // 4096
    if c < 1:
        return 1
    if c > NUMKIT_REDUCE_CHUNKS:
        return NUMKIT_REDUCE_CHUNKS
    return c


def set_num_threads(n):
    """Set the kernels' thread count; 0 restores OpenMP's default."""
    global _num_threads
    # operator.index: refuse 2.5 or "2" instead of truncating or parsing them.
    n = operator.index(n)
    if n < 0:
        raise ValueError(f"set_num_threads: n must be >= 0; got {n}")
    _num_threads = n


def get_num_threads():
    """The thread count the kernels use above their parallel threshold."""
    return num_threads()


def has_openmp():
    """True when the kernels were compiled with OpenMP."""
    return bool(NUMKIT_OPENMP)
