"""Peak memory of ``read_csv → clean → matrix → compute → output`` grows like the parsed
data: each extra row costs at most 3× its parsed float64 size (issue #8's goal).

The full-size measurement (1,000,000 × 10) is ``benchmarks/pipeline_memory.py``; here
two small files in fresh interpreters, so that fixed costs (pyarrow's pieces of text and
thread pools, the csv reader's batch of Python strings, the interpreter) cancel in the
difference: ``(peak(large) - peak(small)) / (parsed(large) - parsed(small))``.
"""

import importlib.util
import itertools
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# rows: pyarrow's fixed costs (pieces of 4 MiB, thread pools) need larger files; the
# csv reader is slow (~20 µs a row) and its fixed cost (a batch of strings) small
SIZES = {"pyarrow": (50_000, 200_000), "python": (20_000, 100_000)}
LARGEST = 200_000
GOAL = 3.0

if not os.path.exists("/proc/self/clear_refs"):
    pytest.skip("needs Linux's /proc/self/clear_refs to reset the peak RSS",
                allow_module_level=True)


def bench():
    spec = importlib.util.spec_from_file_location(
        "pipeline_memory", ROOT / "benchmarks" / "pipeline_memory.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    memory = bench()
    work = tmp_path_factory.mktemp("memory")
    paths = {rows: str(work / f"{rows}.csv") for sizes in SIZES.values() for rows in sizes}
    memory._write_csv(paths[LARGEST], LARGEST)
    for rows, path in paths.items():
        if rows != LARGEST:                     # the header and the first rows
            with open(paths[LARGEST], "rb") as large, open(path, "wb") as small:
                small.writelines(itertools.islice(large, rows + 1))
    return memory, work, paths


@pytest.mark.parametrize("reader", ["pyarrow", "python"])
def test_peak_grows_at_most_three_times_the_parsed_data(files, reader):
    if reader == "pyarrow":
        pytest.importorskip("pyarrow")
    memory, work, paths = files
    small, large = SIZES[reader]
    peaks = {rows: memory.measure(reader, paths[rows], str(work / f"out-{reader}-{rows}"),
                                  False)["peak"] for rows in (small, large)}
    per_row = (peaks[large] - peaks[small]) / ((large - small) * memory.COLS * 8)
    assert 0 < per_row <= GOAL, peaks
