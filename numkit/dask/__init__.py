"""numkit.dask: numkit's statistics on dask arrays larger than memory, with the answers
of the in-memory calls.

Design
------
numkit builds no cluster of its own; it runs on Dask (the ``dask`` extra:
``dask[array,dataframe]`` and ``distributed``). Each function here mirrors the
:mod:`numkit.stat` function of the same name and takes a 1-D ``dask.array.Array``
(``covariance_matrix``/``correlation_matrix``: 2-D, rows are observations) chunked
along the rows, with weights as a dask array of the same length (rechunked to the
data's chunks when they differ).

- **Mergeable partials, never the data.** Each block is reduced by the same Cython
  kernel as the in-memory call to a small partial — moments ``(w, mean, M2, M3, M4,
  min, max)`` relative to the block's first finite value, a
  :class:`numkit.stat.CovarianceAccumulator`, histogram counts — and partials are
  combined by a tree of ``dask.delayed`` tasks (eight per combine) in block order,
  with Chan et al.'s and Pébay's pairwise formulas. ``.compute()`` is only ever
  called on that small reduction graph: no task holds more than one block, and the
  client receives a few floats (or a p×p matrix). Results agree with the in-memory
  call to ~1e-13 relative, and the grouping depends only on the block count, so
  the scheduler and worker count do not change them.
- **Exact quantiles in a few passes.** ``quantile`` and ``median`` narrow a key
  bracket around each target rank with 4096-bin histograms (uniform in value and in
  order-preserving key; the smaller bin wins), then gather the few values left and
  select — the in-memory algorithm, distributed. Unweighted results equal
  :func:`numkit.stat.quantile` exactly.
- **Errors as in memory.** Metadata errors (shapes, dtypes, ``nan_policy``) raise at
  the call; data errors (a negative weight, NaN under ``nan_policy="raise"``, a value
  outside the dividers) raise when the block holding them runs, with the message of
  the in-memory call and the *global* index.
- **Scheduler.** Whatever dask is configured with: the default threaded scheduler,
  ``dask.config.set(scheduler="synchronous")``, or a ``distributed.Client`` (a lost
  worker's tasks are retried by dask; the tasks are pure, so the result does not
  change).

:func:`read_parquet` gives Parquet files as such an array: one block per row group,
lengths from the footers, each block decoded by numkit's Parquet kernel
(:mod:`numkit.pipeline._parquet`).

:func:`is_dask_array` recognises a dask array without importing dask, so
:mod:`numkit.stat` can dispatch to this package cheaply; it is importable when dask
is not installed, the statistics then raise ImportError naming the extra.
"""

import importlib
import importlib.util

from numkit.dask._detect import is_dask_array

# Each statistic's home module, imported on first use (PEP 562): importing this
# package (e.g. for is_dask_array, at the top of numkit.stat) never imports dask.
_HOMES = {
    "correlation": "_covariance",
    "correlation_matrix": "_covariance",
    "covariance": "_covariance",
    "covariance_matrix": "_covariance",
    "ex_kurtosis": "_moments",
    "histogram": "_histogram",
    "mean": "_moments",
    "mean_variance": "_moments",
    "median": "_order",
    "moment": "_moments",
    "quantile": "_order",
    "read_parquet": "_parquet",
    "skew": "_moments",
    "std_dev": "_moments",
    "variance": "_moments",
}

__all__ = [
    "correlation",
    "correlation_matrix",
    "covariance",
    "covariance_matrix",
    "ex_kurtosis",
    "histogram",
    "is_dask_array",
    "mean",
    "mean_variance",
    "median",
    "moment",
    "quantile",
    "read_parquet",
    "skew",
    "std_dev",
    "variance",
]


def __getattr__(name: str):
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'numkit.dask' has no attribute {name!r}")
    try:
        module = importlib.import_module(f"numkit.dask.{home}")
    except ImportError as exc:
        if importlib.util.find_spec("dask") is not None:
            raise
        raise ImportError(f"numkit.dask.{name} needs dask: pip install 'numkit[dask]' "
                          f"(dask[array,dataframe] and distributed)") from exc
    value = getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
