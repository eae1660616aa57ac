"""numkit: a numerical toolkit in the style of Gonum.

Subpackages
-----------
numkit.mat
    Dense float64 matrices and vectors with Gonum's receiver-based operations,
    views that share memory, and explicit shape and aliasing errors.
numkit.stat
    Weighted statistics on one-pass parallel kernels: moments, quantiles,
    histograms, divergences and a mergeable ``Moments`` accumulator.

Thread control
--------------
The Cython kernels release the GIL and run on OpenMP threads above a size
threshold. :func:`set_num_threads` fixes the count (0 restores OpenMP's default);
parallel reductions combine fixed chunks in a fixed order, so the result does not
depend on the thread count.

Errors
------
All exceptions live in :mod:`numkit.errors`; :func:`errstate` decides whether an
ill-conditioned result warns, raises or stays silent.
"""

from numkit import errors
from numkit._errstate import errstate, geterr
from numkit._kernels._openmp import get_num_threads, has_openmp, set_num_threads
from numkit._version import __version__

__all__ = [
    "__version__",
    "errors",
    "errstate",
    "get_num_threads",
    "geterr",
    "has_openmp",
    "set_num_threads",
]
