"""Scaling of numkit's covariance on Dask: the client's peak memory as the data grow,
and the wall time from 1 to 2 workers.

Usage::

    python benchmarks/dask_scaling.py [--repeat N] [--rows 1e7,2e7,5e7]

The data are the Parquet files of ``benchmarks/cases_dask.py`` (5e7 × 4 float64 in
files of 1e6 rows, written on first use); a size of n rows reads the first n / 1e6
files. Every measurement runs in a fresh Python process, so the client's peak
resident set size (``VmHWM`` in ``/proc/self/status``) belongs to that measurement
alone.

(a) **Client peak memory.** A ``distributed.LocalCluster`` (2 worker processes, 1
    thread each) computes ``numkit.stat.covariance_matrix`` of
    ``numkit.dask.read_parquet(files)``; the table shows the client's
    peak RSS after starting the cluster (and a warm-up on one file) and after the
    computation. Workers read the
    files and reduce each block to a 4×4 partial; only partials reach the client, so
    its peak must not grow with the data (the data are 0.3–1.6 GB).
(b) **Workers.** The same computation on the largest size with 1 and 2 workers
    (processes, ``threads_per_worker=1``; distributed sets ``OMP_NUM_THREADS=1`` in
    workers, so the kernels use one core each): wall time of building the array
    (reading the footers) and computing the covariance (reading the files), the
    cluster already running and warmed up;
    min and median of ``--repeat`` runs, and the speedup.

The numbers depend on how loaded the machine is: the header prints ``os.getloadavg``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

CHILD = r"""
import json, sys, time
sys.path[:0] = {paths!r}

def peak_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])

import numkit.dask
from distributed import Client, LocalCluster
from numkit import stat
import cases_dask

files = sorted(str(p) for p in cases_dask.dataset({full}).glob("part-*.parquet"))[:{nfiles}]
with LocalCluster(n_workers={workers}, threads_per_worker=1, processes=True,
                  host="127.0.0.1", dashboard_address=None) as cluster, Client(cluster):
    # warm up (imports and first tasks in the workers) on one file
    stat.covariance_matrix(numkit.dask.read_parquet(files[:1]))
    before = peak_kib()
    times = []
    for _ in range({repeat}):
        t = time.perf_counter()
        x = numkit.dask.read_parquet(files)
        c = stat.covariance_matrix(x)
        times.append(time.perf_counter() - t)
    after = peak_kib()
print(json.dumps({{"before": before, "after": after, "times": times,
                  "rows": int(x.shape[0]), "c00": c.at(0, 0)}}))
"""


def run_child(rows: int, workers: int, repeat: int, full: int) -> dict:
    from cases_dask import ROWS_PER_FILE

    code = CHILD.format(paths=[str(HERE.parent), str(HERE)], full=full,
                        nfiles=rows // ROWS_PER_FILE, workers=workers, repeat=repeat)
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True, timeout=1800)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rows", default="1e7,2e7,5e7")
    args = parser.parse_args()
    sizes = [int(float(s)) for s in args.rows.split(",")]
    full = max(sizes)

    import cases_dask
    cases_dask.dataset(full)     # written once, outside any measurement
    print(f"load average (1, 5, 15 min): {os.getloadavg()}; cores: {os.cpu_count()}")

    print("\n(a) client peak RSS (VmHWM), covariance_matrix on a 2-worker LocalCluster")
    print(f"{'rows':>8}  {'data MB':>8}  {'peak after start MiB':>20}  "
          f"{'peak after compute MiB':>22}  {'growth MiB':>10}  {'median s':>8}")
    for rows in sizes:
        r = run_child(rows, 2, 2, full)
        print(f"{rows:>8.0e}  {rows * 4 * 8 / 1e6:>8.0f}  {r['before'] / 1024:>20.1f}  "
              f"{r['after'] / 1024:>22.1f}  {(r['after'] - r['before']) / 1024:>10.1f}  "
              f"{statistics.median(r['times']):>8.2f}", flush=True)

    print(f"\n(b) numkit.dask.read_parquet(files) + covariance_matrix on "
          f"{full:.0e} rows, LocalCluster processes, threads_per_worker=1, "
          f"{args.repeat} runs")
    print(f"{'workers':>7}  {'min s':>7}  {'median s':>8}  {'speedup (min)':>13}")
    base = None
    for workers in (1, 2):
        r = run_child(full, workers, args.repeat, full)
        best = min(r["times"])
        base = base or best
        print(f"{workers:>7}  {best:>7.2f}  {statistics.median(r['times']):>8.2f}  "
              f"{base / best:>12.2f}×", flush=True)


if __name__ == "__main__":
    main()
