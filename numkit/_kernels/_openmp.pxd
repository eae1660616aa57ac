# The one OpenMP guard (as scikit-learn's _openmp_helpers.pxd). Kernels cimport from
# here, never from openmp directly, so the build works without OpenMP: the stubs
# below then report one thread and prange runs serially.

cdef extern from *:
    """
    #ifdef _OPENMP
    #include <omp.h>
    #define NUMKIT_OPENMP 1
    #else
    #define NUMKIT_OPENMP 0
    static inline int omp_get_max_threads(void) { return 1; }
    static inline int omp_get_thread_num(void) { return 0; }
    #endif
    /* Deterministic reductions split [0, n) into at most this many chunks; the count
       depends on n only, never on the thread count, and partials are combined in
       chunk order, so 1 and 2 threads give the same bits. */
    #define NUMKIT_REDUCE_CHUNKS 64
    /* Below this much work a kernel runs on one thread: starting a team costs more. */
    #define NUMKIT_PARALLEL_THRESHOLD 32768
    """
    bint NUMKIT_OPENMP
    int omp_get_max_threads() noexcept nogil
    int omp_get_thread_num() noexcept nogil
    const int NUMKIT_REDUCE_CHUNKS
    const Py_ssize_t NUMKIT_PARALLEL_THRESHOLD


cdef int num_threads() noexcept nogil
cdef int threads_for(Py_ssize_t work) noexcept nogil
cdef Py_ssize_t chunk_count(Py_ssize_t n) noexcept nogil
