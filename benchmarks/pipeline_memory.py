"""Peak memory of the work of ``numkit run --no-plots`` on a numeric CSV, per CSV reader.

Usage::

    python benchmarks/pipeline_memory.py [--rows N] [--stages] [--pandas]

The CSV is generated once (``cases_pipeline._write_csv``: ROWS × 10 normal values, 0.1%
of the cells missing). For each reader a fresh interpreter imports numkit (and pyarrow
for the pyarrow reader), resets the peak resident set size (``VmHWM``, by writing "5"
to ``/proc/self/clear_refs``), notes ``VmRSS`` as its baseline and runs::

    read_csv(data, engine=reader).clean(missing="drop_rows").matrix()
        .compute("describe", "correlation").output(dir, ("json", "csv"))

exactly as ``cases_pipeline.py`` does. The peak above the baseline is compared with the
parsed float64 data (rows × 10 × 8 bytes); the goal is at most 3× (issue #8).
``--stages`` runs each stage separately and prints the peak and the resident size after
each one (where the memory goes); ``--pandas`` adds the pandas script's row.

Linux only (``/proc/self/status``). tracemalloc does not see Arrow's allocations, hence
the resident set size.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from cases_pipeline import COLS, ROWS, _write_csv  # noqa: E402

GOAL = 3.0

_CHILD = r"""
import json, os, sys

def status(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(key)

def reset_peak():
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")

reader, data, out, stages = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1"
if reader == "pandas":
    import pandas as pd
else:
    import numkit.pipeline._clean, numkit.pipeline._compute, numkit.pipeline._matrix
    import numkit.pipeline._output
    from numkit.pipeline._sources import read_csv
    if reader == "pyarrow":
        import pyarrow, pyarrow.csv  # noqa: F401
reset_peak()
base = status("VmRSS")
rows = []

def mark(name):
    rows.append((name, status("VmHWM") - base, status("VmRSS") - base))
    reset_peak()

if reader == "pandas":
    os.makedirs(out, exist_ok=True)
    df = pd.read_csv(data)
    mark("read") if stages else None
    df = df.dropna()
    mark("dropna") if stages else None
    df.describe().to_json(os.path.join(out, "summary.json"))
    df.corr().to_csv(os.path.join(out, "correlation.csv"))
    mark("describe+corr+write") if stages else None
elif stages:
    p = read_csv(data, engine=reader)
    mark("read_csv")
    p = p.clean(missing="drop_rows")
    mark("clean")
    p = p.matrix()
    mark("matrix")
    p = p.compute("describe", "correlation")
    mark("compute")
    p.output(out, ("json", "csv"))
    mark("output")
else:
    (read_csv(data, engine=reader).clean(missing="drop_rows").matrix()
     .compute("describe", "correlation").output(out, ("json", "csv")))
peak = max(r[1] for r in rows) if stages else status("VmHWM") - base
print(json.dumps({"base": base, "peak": peak, "stages": rows}))
"""


def measure(reader: str, data: str, out: str, stages: bool) -> dict:
    """Run the work for ``reader`` in a fresh interpreter; its JSON report."""
    done = subprocess.run([sys.executable, "-c", _CHILD, reader, data, out, str(int(stages))],
                          capture_output=True, text=True, check=False,
                          env={**os.environ, "PYTHONPATH": str(HERE.parent)})
    if done.returncode != 0:
        raise RuntimeError(f"{reader}: the child failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--stages", action="store_true",
                        help="peak and resident size after each stage")
    parser.add_argument("--pandas", action="store_true", help="also the pandas script")
    args = parser.parse_args()
    readers = ["pyarrow", "python"]
    try:
        import pyarrow.csv  # noqa: F401
    except ImportError:
        readers.remove("pyarrow")
    if args.pandas:
        readers.append("pandas")
    parsed = args.rows * COLS * 8
    work = tempfile.mkdtemp(prefix="numkit-mem-")
    try:
        data = os.path.join(work, "data.csv")
        _write_csv(data, args.rows)
        mb = 1e6
        print(f"{args.rows}x{COLS} CSV ({os.path.getsize(data) / mb:.0f} MB), parsed float64 "
              f"{parsed / mb:.0f} MB; goal: peak above the baseline <= {GOAL:g}x parsed")
        print(f"{'reader':<10}{'parsed MB':>10}{'peak MB':>10}{'ratio':>8}  goal <= {GOAL:g}x")
        for reader in readers:
            r = measure(reader, data, os.path.join(work, reader), args.stages)
            ratio = r["peak"] / parsed
            verdict = "met" if ratio <= GOAL else "MISSED"
            print(f"{reader:<10}{parsed / mb:>10.0f}{r['peak'] / mb:>10.0f}{ratio:>8.2f}  "
                  f"{verdict}")
            for name, peak, rss in r["stages"]:
                print(f"    {name:<22} peak {peak / mb:7.0f} MB   resident after "
                      f"{rss / mb:7.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
