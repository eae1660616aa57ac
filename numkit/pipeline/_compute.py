"""The compute stage: named statistics of the data matrix, or any callable.

Every named computation skips NaN values: ``describe``, ``histogram`` and
``quantiles`` per column (``count`` says how many values were used), ``covariance``,
``correlation``, ``pca`` and ``regression`` over the rows without NaN (listwise
deletion; the report says how many rows that left).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from numkit import stat
from numkit._kernels._clean import columns_into
from numkit.dask import is_dask_array
from numkit.mat import Dense

__all__ = ["NAMES", "compute"]

NAMES = ("describe", "covariance", "correlation", "pca", "regression", "histogram",
         "quantiles")
DEFAULT_PROBABILITIES = (0.05, 0.25, 0.5, 0.75, 0.95)
_OPTIONS = {"target": "regression", "bins": "histogram", "probabilities": "quantiles",
            "pca_scale": "pca"}
PCA_SCALES = ("covariance", "correlation")
# ⌈√n⌉ (gonum's default bin count) grows without bound; past 100 bins a summary
# histogram stops being readable.
_MAX_DEFAULT_BINS = 100


# Columns copied out of a row-major matrix per read of it (``_columns``): 4 × 8 MB of
# scratch for a million rows, a third of the passes of one column at a time.
_COLUMN_GROUP = 4


def _columns(values: np.ndarray):
    """``(j, contiguous copy of column j)`` for every column of ``values``.

    The per-column kernels stream contiguous memory; a row-major matrix gives them
    its columns a group at a time, by a cache-blocked copy that reads the matrix once
    per group (``_clean.columns_into``) rather than once per column.
    """
    n, p = values.shape
    if not (values.dtype == np.float64 and values.flags.c_contiguous) or p == 1:
        for j in range(p):
            yield j, np.ascontiguousarray(values[:, j])
        return
    group = np.empty((min(p, _COLUMN_GROUP), n))
    for first in range(0, p, group.shape[0]):
        k = min(group.shape[0], p - first)
        columns_into(values, first, group[:k])
        for i in range(k):
            yield first + i, group[i]


def _finite_count(col: np.ndarray) -> int:
    return int(col.shape[0] - np.count_nonzero(np.isnan(col)))


def _describe(values: np.ndarray, names: Sequence[str], options: dict) -> dict:
    out = {}
    for j, col in _columns(values):
        name = names[j]
        count = _finite_count(col)
        row = dict.fromkeys(("mean", "std", "min", "q1", "median", "q3", "max"), math.nan)
        row = {"count": count, **row}
        if count:
            m = stat.Moments()
            # "omit" skips NaN at a cost; without NaN "propagate" gives the same answer
            m.update(col, nan_policy="omit" if count < col.shape[0] else "propagate")
            q1, med, q3 = stat.quantile(col, [0.25, 0.5, 0.75], kind="linear",
                                        nan_policy="omit")
            row.update(mean=m.mean, std=m.std_dev if count > 1 else math.nan, min=m.min,
                       q1=float(q1), median=float(med), q3=float(q3), max=m.max)
        out[name] = row
    return out


def _complete_rows(values: np.ndarray, op: str) -> np.ndarray:
    with np.errstate(invalid="ignore"):  # inf - inf: NaN, then the exact scan
        total = np.sum(values)
    if not np.isnan(total):
        kept = values  # no NaN anywhere (one read, no n×p mask)
    else:
        bad = np.isnan(values).any(axis=1)
        kept = values[~bad] if bad.any() else values
    if kept.shape[0] < 2:
        raise ValueError(f"compute: {op} needs at least 2 rows without NaN; the matrix has "
                         f"{kept.shape[0]} (of {values.shape[0]}); clean with "
                         f"missing=\"drop_rows\" or a fill first")
    return kept


def _matrix_result(values: np.ndarray, names: Sequence[str], op: str) -> dict:
    kept = _complete_rows(values, op)
    fn = stat.covariance_matrix if op == "covariance" else stat.correlation_matrix
    return {"names": tuple(names), "matrix": fn(kept), "rows": int(kept.shape[0])}


def _covariance(values, names, options) -> dict:
    return _matrix_result(values, names, "covariance")


def _correlation(values, names, options) -> dict:
    return _matrix_result(values, names, "correlation")


def _pca(values, names, options) -> dict:
    kept = _complete_rows(values, "pca")
    scale = options.get("pca_scale", "covariance")
    if scale not in PCA_SCALES:
        raise ValueError(f"compute: pca_scale must be one of {', '.join(PCA_SCALES)}; "
                         f"got {scale!r}")
    if scale == "correlation":
        # PCA of the correlation matrix: columns in unlike units (dollars, people,
        # years) would otherwise let the one with the largest variance take it all.
        sd = np.array([stat.std_dev(kept[:, j]) for j in range(kept.shape[1])])
        if not np.all(sd > 0):
            j = int(np.argmin(sd > 0))
            raise ValueError(f"compute: pca_scale='correlation' needs columns that vary; "
                             f"{names[j]!r} is constant")
        kept = kept / sd
    pc = stat.PC()
    pc.principal_components(kept)
    return {"names": tuple(names), "vectors": pc.vectors(), "variances": pc.vars(),
            "explained_variance_ratio": pc.explained_variance_ratio(),
            "scale": scale, "rows": int(kept.shape[0])}


def _regression(values, names, options) -> dict:
    target = options.get("target")
    if target is None:
        raise ValueError(f"compute: regression needs target=<column name>; the columns are: "
                         f"{', '.join(names)}")
    if target not in names:
        raise ValueError(f"compute: regression target {target!r} is not a column; the columns "
                         f"are: {', '.join(names)}")
    if len(names) < 2:
        raise ValueError(f"compute: regression of {target!r} needs at least one other column")
    t = list(names).index(target)
    predictors = tuple(n for n in names if n != target)
    kept = _complete_rows(values, "regression")
    fit = stat.ols(np.delete(kept, t, axis=1), kept[:, t])
    labels = ("intercept", *predictors)
    return {"target": target, "predictors": predictors,
            "params": dict(zip(labels, fit.params.tolist(), strict=True)),
            "std_errors": dict(zip(labels, fit.std_errors.tolist(), strict=True)),
            "r_squared": fit.r_squared, "adj_r_squared": fit.adj_r_squared,
            "residual_std": fit.residual_std, "df_resid": fit.df_resid,
            "rows": int(kept.shape[0])}


def _histogram(values, names, options) -> dict:
    bins = options.get("bins")
    if bins is not None and (isinstance(bins, bool) or not isinstance(bins, int | np.integer)
                             or bins < 1):
        raise ValueError(f"compute: histogram bins must be a positive integer; got {bins!r}")
    out = {}
    for j, col in _columns(values):
        name = names[j]
        count = _finite_count(col)
        if count == 0:
            out[name] = {"counts": np.zeros(0), "dividers": np.zeros(0)}
            continue
        k = int(bins) if bins is not None else min(_MAX_DEFAULT_BINS, math.ceil(math.sqrt(count)))
        counts, dividers = stat.histogram(col, k, nan_policy="omit")
        out[name] = {"counts": counts, "dividers": dividers}
    return out


def _quantiles(values, names, options) -> dict:
    p = np.asarray(options.get("probabilities", DEFAULT_PROBABILITIES), dtype=np.float64)
    if p.ndim != 1 or p.size == 0 or not ((p >= 0) & (p <= 1)).all():
        raise ValueError(f"compute: quantiles probabilities must be a non-empty 1-D sequence in "
                         f"[0, 1]; got {options.get('probabilities')!r}")
    out = {}
    for j, col in _columns(values):
        name = names[j]
        if _finite_count(col) == 0:
            out[name] = np.full(p.shape, np.nan)
        else:
            out[name] = np.asarray(stat.quantile(col, p, kind="linear", nan_policy="omit"))
    return {"probabilities": tuple(p.tolist()), "values": out}


_NAMED: dict[str, Callable[[np.ndarray, Sequence[str], dict], Any]] = {
    "describe": _describe, "covariance": _covariance, "correlation": _correlation,
    "pca": _pca, "regression": _regression, "histogram": _histogram,
    "quantiles": _quantiles,
}


def compute(dense: Dense, names: Sequence[str], what: Sequence[str | Callable],
            **options: Any) -> tuple[dict, dict]:
    """Run named computations, or callables, on the data matrix.

    Parameters
    ----------
    dense : Dense
        The n×p data matrix (NaN allowed: see the module notes).
    names : sequence of str
        Its p column names.
    what : sequence of str or callable
        Names among ``describe, covariance, correlation, pca, regression, histogram,
        quantiles``, or callables ``fn(dense, names) -> object`` whose result is stored
        under ``fn.__name__``.
    **options
        ``target=`` (regression: the response column), ``bins=`` (histogram: an
        integer; default ⌈√n⌉ up to 100), ``probabilities=`` (quantiles; default
        0.05, 0.25, 0.5, 0.75, 0.95).

    Returns
    -------
    results : dict
        By name: ``describe`` → ``{column: {count, mean, std, min, q1, median, q3,
        max}}``; ``covariance``/``correlation`` → ``{"names", "matrix" (SymDense),
        "rows"}``; ``pca`` → ``{"names", "vectors" (Dense, one direction per column),
        "variances", "explained_variance_ratio", "rows"}``; ``regression`` →
        ``{"target", "predictors", "params", "std_errors" (dicts by name, the
        intercept first), "r_squared", "adj_r_squared", "residual_std", "df_resid",
        "rows"}``; ``histogram`` → ``{column: {"counts", "dividers"}}``;
        ``quantiles`` → ``{"probabilities", "values": {column: array}}``.
    entry : dict
        The report entry: ``{"computations": [{"name", "seconds"}, ...], "rows",
        "columns"}``.

    Raises
    ------
    ValueError
        An unknown name (the message lists the choices), an unknown option, a
        regression without a valid ``target``, bad ``bins`` or ``probabilities``,
        fewer than two complete rows for a matrix computation.

    Notes
    -----
    ``describe`` uses one :class:`numkit.stat.Moments` pass (count, mean, standard
    deviation, min, max) and one :func:`numkit.stat.quantile` call (R type 7, numpy's
    and pandas' default) per column. The matrix computations are
    :func:`numkit.stat.covariance_matrix`, :func:`numkit.stat.correlation_matrix`,
    :class:`numkit.stat.PC` and :func:`numkit.stat.ols` (Householder QR).

    Examples
    --------
    >>> import numpy as np
    >>> from numkit.mat import Dense
    >>> x = Dense.from_array([[1.0, 2.0], [2.0, 4.5], [3.0, 5.5], [4.0, 8.0]])
    >>> results, entry = compute(x, ("a", "b"), ("describe", "regression"), target="b")
    >>> results["describe"]["a"]["median"], round(results["regression"]["params"]["a"], 6)
    (2.5, 1.9)
    """
    unknown_options = sorted(set(options) - set(_OPTIONS))
    if unknown_options:
        raise ValueError(f"compute: unknown option(s) {', '.join(unknown_options)}; the options "
                         f"are: {', '.join(f'{k}= ({v})' for k, v in _OPTIONS.items())}")
    for item in what:
        if not callable(item) and item not in _NAMED:
            raise ValueError(f"compute: unknown computation {item!r}; choose from "
                             f"{', '.join(NAMES)}, or pass a callable fn(dense, names)")
    if is_dask_array(dense):
        from numkit.pipeline._dask import compute_dask

        return compute_dask(dense, names, what, **options)
    values = np.asarray(dense)
    names = tuple(names)
    results: dict = {}
    timings = []
    for item in what:
        start = time.perf_counter()
        if callable(item):
            key = getattr(item, "__name__", type(item).__name__)
            results[key] = item(dense, names)
        else:
            key = item
            results[key] = _NAMED[item](values, names, options)
        timings.append({"name": key, "seconds": round(time.perf_counter() - start, 6)})
    entry = {"rows": int(values.shape[0]), "columns": len(names), "computations": timings}
    if options:
        entry["options"] = {k: (list(v) if isinstance(v, tuple | list | np.ndarray) else v)
                            for k, v in options.items()}
    return results, entry
