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

The kernels' OpenMP threads share the cores with the BLAS threads that numpy and
scipy start. Busy-waiting OpenMP workers (libgomp's default after a parallel region)
starve BLAS calls that follow, which measured up to 2× slower here (``stat.ols``), so
numkit sets ``OMP_WAIT_POLICY=PASSIVE`` before its kernels load unless the variable is
already set; set it yourself before importing numkit to choose otherwise.

Errors
------
All exceptions live in :mod:`numkit.errors`; :func:`errstate` decides whether an
ill-conditioned result warns, raises or stays silent.
"""

import os as _os

# Before any kernel loads libgomp, which reads the variable once (see above).
_os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from numkit import errors  # noqa: E402
from numkit._errstate import errstate, geterr  # noqa: E402
from numkit._kernels._openmp import get_num_threads, has_openmp, set_num_threads  # noqa: E402
from numkit._version import __version__  # noqa: E402

__all__ = [
    "__version__",
    "errors",
    "errstate",
    "get_num_threads",
    "geterr",
    "has_openmp",
    "set_num_threads",
]
