"""The chain itself: an immutable ``Pipeline`` value whose methods run one stage each
and return a new value, and the ``Result`` that ``output``/``run`` give back.

Stages run eagerly — an error surfaces at the call that caused it, before anything is
written — and each appends one entry to the report.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from numkit.mat import Dense
from numkit.pipeline._table import Table

if TYPE_CHECKING:
    from numkit.pipeline._dask import DaskTable

__all__ = ["Pipeline", "Result"]


@dataclasses.dataclass(frozen=True)
class Result:
    """What a pipeline produced.

    Attributes
    ----------
    report : dict
        ``{"source": ..., "stages": [...]}``: one entry per stage with rows and
        columns in and out, what was dropped or filled and why, and the seconds taken.
    results : dict
        The computations by name (e.g. ``"describe"``, ``"correlation"``).
    matrix : numkit.mat.Dense or None
        The data matrix the computations used (a ``dask.array.Array``, not computed,
        for a pipeline read with ``engine="dask"``). When it is the table's own block
        (all numeric columns, in order, not centred) it is read-only, so no later
        change reaches an earlier stage; ``Dense.from_array(result.matrix)`` copies it.
    names : tuple of str
        Its column names.
    files : tuple of str
        Paths written by ``output`` (empty for ``run``).
    """

    report: dict
    results: dict
    matrix: Dense | None
    names: tuple[str, ...]
    files: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class Pipeline:
    """One state of ``clean → matrix → compute → output``; every method returns a new
    Pipeline (or, for ``output``/``run``, a :class:`Result`) and leaves this one as
    it was."""

    table: Table | DaskTable  # DaskTable: read with engine="dask"
    stages: tuple[dict, ...] = ()
    dense: Dense | None = None
    names: tuple[str, ...] = ()
    results: dict = dataclasses.field(default_factory=dict)

    # -- stages -------------------------------------------------------------------

    def clean(self, missing: str = "drop_rows", value: float | None = None,
              non_numeric: str = "drop", outliers: tuple[str, float] | None = None,
              duplicates: str = "keep") -> Pipeline:
        """Clean the table: missing values, non-numeric columns, outliers, duplicates.

        See :func:`numkit.pipeline._clean.clean_table` for the options.
        """
        if getattr(self.table, "is_dask", False):
            from numkit.pipeline._dask import clean_dask as clean_table
        else:
            from numkit.pipeline._clean import clean_table

        start = time.perf_counter()
        table, entry = clean_table(self.table, missing=missing, value=value,
                                   non_numeric=non_numeric, outliers=outliers,
                                   duplicates=duplicates)
        return self._next("clean", entry, start, table=table, dense=None, names=(),
                          results={})

    def matrix(self, columns: Sequence[str] | None = None, center: bool = False,
               standardize: bool = False) -> Pipeline:
        """Turn the chosen numeric columns into a :class:`numkit.mat.Dense`."""
        if getattr(self.table, "is_dask", False):
            from numkit.pipeline._dask import matrix_dask as to_matrix
        else:
            from numkit.pipeline._matrix import to_matrix

        start = time.perf_counter()
        dense, names, entry = to_matrix(self.table, columns=columns, center=center,
                                        standardize=standardize)
        return self._next("matrix", entry, start, dense=dense, names=tuple(names),
                          results={})

    def compute(self, *what: str | Callable, **options: Any) -> Pipeline:
        """Run named computations (``describe, covariance, correlation, pca,
        regression, histogram, quantiles``) or callables taking the matrix."""
        from numkit.pipeline._compute import compute

        base = self if self.dense is not None else self.matrix()
        start = time.perf_counter()
        results, entry = compute(base.dense, base.names, what or ("describe",), **options)
        merged = dict(base.results)
        merged.update(results)
        return base._next("compute", entry, start, results=merged)

    def run(self) -> Result:
        """The result so far, without writing anything."""
        return Result(report=self.report(), results=dict(self.results), matrix=self.dense,
                      names=self.names)

    def output(self, directory, formats: Sequence[str] = ("json", "csv", "png")) -> Result:
        """Write the results into ``directory`` atomically and return the Result."""
        from numkit.pipeline._output import write_outputs

        base = self if self.results else self.compute()
        start = time.perf_counter()
        files, entry = write_outputs(directory, base, tuple(formats))
        done = base._next("output", entry, start)
        return Result(report=done.report(), results=dict(done.results), matrix=done.dense,
                      names=done.names, files=tuple(files))

    # -- helpers ------------------------------------------------------------------

    def report(self) -> dict:
        """The report so far: the source and one entry per stage."""
        return {"source": dict(self.table.source_info()), "stages": [dict(s) for s in self.stages]}

    def _next(self, stage: str, entry: dict, start: float, **changes) -> Pipeline:
        entry = {"stage": stage, **entry, "seconds": round(time.perf_counter() - start, 6)}
        return dataclasses.replace(self, stages=self.stages + (entry,), **changes)
