"""The work of ``numkit run --no-plots`` on a 1,000,000 × 10 numeric CSV against the
pandas script doing the same (read_csv, dropna, describe, corr, to_json/to_csv); and
reading a 1,000,000 × 10 Parquet file (snappy, pyarrow's defaults; one column with
nulls) into a row-major matrix: ``read_parquet(f).matrix()`` against
``np.ascontiguousarray(pandas.read_parquet(f).to_numpy())`` (pandas' array is
column-major; no goal: the row shows numkit's Parquet kernel).

Skipped when pandas is not importable: pandas is not a numkit dependency.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import shutil
import tempfile

import numpy as np

ROWS, COLS = 1_000_000, 10


def _write_csv(path: str, rows: int) -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(rows, COLS))
    x[rng.integers(0, rows, rows // 1000), rng.integers(0, COLS, rows // 1000)] = np.nan
    header = ",".join(f"c{j}" for j in range(COLS))
    np.savetxt(path, x, delimiter=",", header=header, comments="", fmt="%.10g")


def cases(quick: bool) -> list[dict]:
    try:
        import pandas as pd
    except ImportError:
        return []
    from numkit.pipeline._sources import read_csv

    rows = ROWS // 10 if quick else ROWS
    work = tempfile.mkdtemp(prefix="numkit-bench-")
    atexit.register(shutil.rmtree, work, True)
    data = os.path.join(work, "data.csv")
    _write_csv(data, rows)

    def numkit_run() -> None:
        (read_csv(data).clean(missing="drop_rows").matrix()
         .compute("describe", "correlation").output(os.path.join(work, "nk"), ("json", "csv")))

    def pandas_run() -> None:
        out = os.path.join(work, "pd")
        os.makedirs(out, exist_ok=True)
        df = pd.read_csv(data).dropna()
        df.describe().to_json(os.path.join(out, "summary.json"))
        df.corr().to_csv(os.path.join(out, "correlation.csv"))

    out = [{"area": "pipeline", "name": "run: read, drop NaN rows, describe, corr, write",
            "sizes": f"{rows}x{COLS} CSV", "goal": 1.0, "numkit": numkit_run,
            "baseline": pandas_run}]
    if importlib.util.find_spec("pyarrow") is not None:
        out.append(_parquet_case(work, rows, pd))
    return out


def _parquet_case(work: str, rows: int, pd) -> dict:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from numkit.pipeline._sources import read_parquet

    rng = np.random.default_rng(1)
    columns = {f"c{j}": rng.normal(size=rows) for j in range(COLS)}
    columns["c0"] = pa.array(columns["c0"], mask=rng.random(rows) < 0.01)
    path = os.path.join(work, "data.parquet")
    pq.write_table(pa.table(columns), path)
    return {"area": "pipeline", "name": "read_parquet → row-major matrix",
            "sizes": f"{rows}x{COLS} Parquet",
            "goal": None, "bytes": rows * COLS * 8,
            "numkit": lambda: read_parquet(path).matrix(),
            "baseline": lambda: np.ascontiguousarray(pd.read_parquet(path).to_numpy())}
