"""Benchmark cases for numkit's statistics on dask arrays (area "dask").

The data: 5e7 × 4 float64 (5e6 with ``quick``) — standard normal columns, one
correlated with the first, one offset to 1e3 — written once as uncompressed Parquet
files of 1e6 rows into ``<tempdir>/numkit-bench-dask/rows-<n>/`` and reused by later
runs (about 1.6 GB for the full size; delete the folder to regenerate).

What each side includes
-----------------------
The issue asks for the statistics "on a generated data set in Parquet partitions", so
in the main rows **each side reads the Parquet files inside the timed call, its own
way**, with the default threaded scheduler:

- numkit: ``x = numkit.dask.read_parquet(folder)`` — one block per row group, lengths
  from the footers, each task decoding its row group with numkit's Parquet kernel into
  a Fortran-ordered block — then ``stat.covariance_matrix(x)`` and
  ``stat.mean_variance(x[:, 0])``;
- dask: ``x = dask.dataframe.read_parquet(folder).to_dask_array(lengths=True)`` (dask
  reads through pyarrow and pandas), then ``da.cov(x, rowvar=False).compute()`` and
  ``dask.compute(c.mean(), c.var(ddof=1))`` for ``c = x[:, 0]`` (the two in one graph,
  so dask reads the data once).

Both arrays are built once per run, outside the timing, as a user builds an array
once and then computes statistics on it (numkit's reads the footers only, ~50 ms;
``lengths=True`` is a pass over the files, about 1 s at 5e7 rows). Each timed call
then computes from its lazy graph, which reads and decodes every file. Both sides read
all four columns for ``mean_variance`` of the first: the column is sliced from the
4-column array on both sides (``read_parquet(columns=["x0"])...to_dask_array(
lengths=True)`` fails in dask 2026.8: "2 != 5").

Two more pairs of rows, without goals, separate the parts: "dask's array" runs
numkit's statistics on dask's own array (the same reads on both sides: the
comparison of the reductions plus a shared read), and "persisted" times the statistic
alone on the data held in memory (``x.persist()``, once, outside the timing).

Returns no cases when dask (or pyarrow) is not installed.
"""

from __future__ import annotations

import importlib.util
import tempfile
from pathlib import Path

import numpy as np

P = 4
ROWS_PER_FILE = 1_000_000
SEED = 20261126


def dataset(rows: int) -> Path:
    """The folder of Parquet files holding ``rows`` × 4 float64, written on first use."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    root = Path(tempfile.gettempdir()) / "numkit-bench-dask" / f"rows-{rows}"
    done = root / "_DONE"
    if done.exists():
        return root
    root.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    for i in range(rows // ROWS_PER_FILE):
        a = rng.standard_normal((ROWS_PER_FILE, P))
        a[:, 1] += 0.5 * a[:, 0]
        a[:, 2] = 1e3 + 10.0 * a[:, 2]
        table = pa.table({f"x{j}": a[:, j] for j in range(P)})
        pq.write_table(table, root / f"part-{i:04d}.parquet", compression=None)
    done.touch()
    return root


def read(folder: Path):
    """The data set as a dask array of row blocks (one per file), lengths known."""
    import dask.dataframe as dd

    return dd.read_parquet(str(folder)).to_dask_array(lengths=True)


def cases(quick: bool) -> list[dict]:
    if importlib.util.find_spec("dask") is None or importlib.util.find_spec("pyarrow") is None:
        return []
    import dask
    import dask.array as da

    from numkit import stat

    rows = 5_000_000 if quick else 50_000_000
    folder = dataset(rows)
    sizes = f"{rows:.0e}×{P} parquet"

    def dask_mean_variance(c):
        return dask.compute(c.mean(), c.var(ddof=1))

    import numkit.dask

    x = read(folder)
    c = x[:, 0]
    xn = numkit.dask.read_parquet(folder)
    cn = xn[:, 0]
    out = [
        {"area": "dask", "name": "covariance_matrix (read parquet)", "sizes": sizes,
         "goal": 2.0, "bytes": rows * P * 8,
         "numkit": lambda: stat.covariance_matrix(xn),
         "baseline": lambda: da.cov(x, rowvar=False).compute()},
        {"area": "dask", "name": "mean_variance x[:, 0] (read parquet)", "sizes": sizes,
         "goal": 2.0, "bytes": rows * P * 8,
         "numkit": lambda: stat.mean_variance(cn),
         "baseline": lambda: dask_mean_variance(c)},
        {"area": "dask", "name": "covariance_matrix (dask's array)", "sizes": sizes,
         "goal": None,
         "numkit": lambda: stat.covariance_matrix(x),
         "baseline": lambda: da.cov(x, rowvar=False).compute()},
        {"area": "dask", "name": "mean_variance x[:, 0] (dask's array)", "sizes": sizes,
         "goal": None,
         "numkit": lambda: stat.mean_variance(c),
         "baseline": lambda: dask_mean_variance(c)},
    ]
    xp = x.persist()
    cp = xp[:, 0]
    sizes = f"{rows:.0e}×{P} in memory"
    out += [
        {"area": "dask", "name": "covariance_matrix (persisted)", "sizes": sizes,
         "goal": None,
         "numkit": lambda: stat.covariance_matrix(xp),
         "baseline": lambda: da.cov(xp, rowvar=False).compute()},
        {"area": "dask", "name": "mean_variance x[:, 0] (persisted)", "sizes": sizes,
         "goal": None,
         "numkit": lambda: stat.mean_variance(cp),
         "baseline": lambda: dask_mean_variance(cp)},
    ]
    return out
