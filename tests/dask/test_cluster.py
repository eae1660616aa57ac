"""numkit.dask on a distributed.LocalCluster: out-of-core work (data larger than a
worker's memory limit) agreeing with the in-memory result, and a worker killed
mid-run (dask retries its tasks; the result is unchanged)."""

import os
import signal
import threading
import time

import numpy as np
import pytest

pytest.importorskip("dask", exc_type=ImportError)
distributed = pytest.importorskip("distributed", exc_type=ImportError)
import dask  # noqa: E402
import dask.array as da  # noqa: E402

from numkit import dask as nkd  # noqa: E402
from numkit import stat  # noqa: E402

FILES = 20
ROWS = 1_600_000                 # 20 files × 1.6e6 × 8 B = 256 MB > the 200 MB limit
BLOCK = 400_000                  # 3.2 MB tasks


@pytest.fixture(scope="module")
def client():
    # The nannies set OMP_NUM_THREADS=1 and friends in *this* process's environment
    # before spawning workers (distributed.nanny.pre-spawn-environ; documented as a
    # leak): put them back afterwards so later tests see the environment they had.
    keys = dask.config.get("distributed.nanny.pre-spawn-environ", {})
    saved = {k: os.environ.get(k) for k in keys}
    try:
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      host="127.0.0.1", memory_limit="200MB",
                                      dashboard_address=None) as cluster, \
                distributed.Client(cluster) as c:
            yield c
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _load(path: str, start: int, stop: int) -> np.ndarray:
    return np.load(path, mmap_mode="r")[start:stop].copy()


def _slow_block(seed: int, n: int, pause: float) -> np.ndarray:
    time.sleep(pause)
    return np.random.default_rng(seed).normal(10.0, 3.0, n)


def _from_files(paths) -> da.Array:
    blocks = [da.from_delayed(dask.delayed(_load)(str(p), s, s + BLOCK), (BLOCK,), np.float64)
              for p in paths for s in range(0, ROWS, BLOCK)]
    return da.concatenate(blocks)


def test_out_of_core_matches_in_memory(client, tmp_path):
    rng = np.random.default_rng(0)
    paths = []
    for i in range(FILES):
        paths.append(tmp_path / f"part{i:02d}.npy")
        np.save(paths[-1], rng.normal(100.0 + i, 5.0, ROWS))
    x = _from_files(paths)
    assert x.nbytes > 200e6          # more than one worker may hold
    mv = nkd.mean_variance(x)
    med = nkd.median(x)
    counts = nkd.histogram(x, [0.0, 90.0, 100.0, 110.0, 200.0])
    memory = np.concatenate([np.load(p) for p in paths])
    m, v = stat.mean_variance(memory)
    # 1e-13: the merge-order bound of tests/dask/test_stats.py
    assert abs(mv[0] - m) <= 1e-13 * abs(m) and abs(mv[1] - v) <= 1e-13 * v
    assert med == stat.median(memory)
    np.testing.assert_array_equal(counts, stat.histogram(memory, [0.0, 90.0, 100.0, 110.0,
                                                                  200.0]))


def test_worker_killed_mid_run_gives_the_same_result(client):
    blocks = [da.from_delayed(dask.delayed(_slow_block)(seed, 50_000, 0.1), (50_000,),
                              np.float64) for seed in range(40)]
    x = da.concatenate(blocks)
    expected = stat.mean_variance(np.concatenate(
        [np.random.default_rng(s).normal(10.0, 3.0, 50_000) for s in range(40)]))
    pids = list(client.run(os.getpid).values())
    result = {}
    run = threading.Thread(target=lambda: result.setdefault("mv", nkd.mean_variance(x)))
    run.start()
    time.sleep(0.8)                  # 40 tasks of 0.1 s on 2 workers: about 2 s in all
    assert "mv" not in result        # the kill lands mid-run
    os.kill(pids[0], signal.SIGKILL)
    run.join(timeout=60)
    assert not run.is_alive()
    mv = result["mv"]
    assert pids[0] not in client.run(os.getpid).values()   # the worker was lost
    assert abs(mv[0] - expected[0]) <= 1e-13 * abs(expected[0])
    assert abs(mv[1] - expected[1]) <= 1e-13 * expected[1]
