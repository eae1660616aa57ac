"""Time numkit against the numpy way of doing the same job, in the same process.

Usage::

    python benchmarks/run.py [--quick] [--only AREA] [--repeat N] [--markdown]

Each row of ``CASES`` is a :class:`Case`: an area, a name, the sizes, a ``setup`` that
builds the operands once, and two callables taking what ``setup`` returned — the
numkit way and the baseline. Both are timed in loops long enough to measure (as
``timeit.Timer.autorange`` picks them), in alternating order, ``--repeat`` times; the
table shows the best and the median time per call of each and the speedup
(baseline / numkit, from the best times). A case with a ``goal`` (minimum speedup)
is marked met or missed.

To add a benchmark, append a ``Case`` to ``CASES``, or put a module
``benchmarks/cases_<topic>.py`` beside this script with a function
``cases(quick: bool) -> list[dict]``; each dict has the keys ``area, name, sizes,
numkit, baseline`` (zero-argument callables) and optionally ``goal`` and ``bytes``
(the bytes the job must read at least once: the input's size). With ``bytes`` the
table shows numkit's effective bandwidth, bytes / best time, to hold against the
machine's memory bandwidth (a one-read kernel near it is memory-bound). A module that
fails to import (its code not written yet) is reported and skipped.

Speed claims in numkit's docs come from this script, never from timed unit tests.
The environment is left as it is: variables such as OPENBLAS_CORETYPE or
OPENBLAS_L2_SIZE change numpy's BLAS speed and are printed in the header.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import statistics
import sys
import timeit
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
# Benchmark the checkout this script lives in, whatever else is installed.
sys.path.insert(0, str(HERE.parent))

import numkit  # noqa: E402
import numkit.mat  # noqa: E402
from numkit.mat import Dense  # noqa: E402


@dataclass(frozen=True)
class Case:
    """One benchmark row: ``numkit_fn(state)`` against ``baseline_fn(state)``, where
    ``state = setup()``. ``goal`` is the minimum speedup (baseline / numkit) the case
    must reach, or None for an informative row; a case whose ``available()`` is
    False (a function not written yet) is listed as skipped."""

    area: str
    name: str
    sizes: str
    setup: Callable[[], Any]
    numkit_fn: Callable[[Any], Any]
    baseline_fn: Callable[[Any], Any]
    goal: float | None = None
    available: Callable[[], bool] = lambda: True
    bytes: int | None = None


# ---------------------------------------------------------------------------
# Cases


class _Operands:
    """Operands shared by both sides: numpy arrays and Dense matrices over the same
    memory, plus a receiver for each side."""

    def __init__(self, a_shape, b_shape, out_shape, seed=0):
        rng = np.random.default_rng(seed)
        self.a = rng.normal(size=a_shape)
        self.b = rng.normal(size=b_shape)
        self.out = np.empty(out_shape)
        self.A = Dense(*a_shape, self.a)  # backed by self.a, no copy
        self.B = Dense(*b_shape, self.b)
        self.C = Dense(*out_shape)


def _matmul(n):
    return lambda: _Operands((n, n), (n, n), (n, n))


def _elementwise(n):
    return lambda: _Operands((n, n), (n, n), (n, n))


def _has_mat_sum():
    return hasattr(numkit.mat, "sum")


CASES: list[Case] = [
    Case("mat", "Dense.mul", "3×3 · 3×3", _matmul(3),
         lambda s: s.C.mul(s.A, s.B), lambda s: np.matmul(s.a, s.b, out=s.out), goal=1.0),
    Case("mat", "Dense.mul", "64×64 · 64×64", _matmul(64),
         lambda s: s.C.mul(s.A, s.B), lambda s: np.matmul(s.a, s.b, out=s.out)),
    Case("mat", "Dense.mul", "1024×1024 · 1024×1024", _matmul(1024),
         lambda s: s.C.mul(s.A, s.B), lambda s: np.matmul(s.a, s.b, out=s.out), goal=0.95),
    Case("mat", "Dense.add", "3×3", _elementwise(3),
         lambda s: s.C.add(s.A, s.B), lambda s: np.add(s.a, s.b, out=s.out)),
    Case("mat", "Dense.add", "2000×2000", _elementwise(2000),
         lambda s: s.C.add(s.A, s.B), lambda s: np.add(s.a, s.b, out=s.out), goal=0.95),
    Case("mat", "Dense.scale", "2000×2000", _elementwise(2000),
         lambda s: s.C.scale(1.5, s.A), lambda s: np.multiply(s.a, 1.5, out=s.out)),
    Case("mat", "mat.sum", "2000×2000", _elementwise(2000),
         lambda s: numkit.mat.sum(s.A), lambda s: np.sum(s.a), available=_has_mat_sum),
]


def _case_from_dict(d: dict) -> Case:
    numkit_call, baseline_call = d["numkit"], d["baseline"]
    return Case(d["area"], d["name"], d["sizes"], lambda: None,
                lambda _: numkit_call(), lambda _: baseline_call(), goal=d.get("goal"),
                bytes=d.get("bytes"))


def discover_cases(quick: bool) -> tuple[list[Case], list[str]]:
    """The cases of every ``benchmarks/cases_*.py`` module, and the problems met."""
    found, problems = [], []
    for path in sorted(HERE.glob("cases_*.py")):
        try:
            spec = importlib.util.spec_from_file_location(f"_bench_{path.stem}", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            for d in module.cases(quick):
                found.append(d if isinstance(d, Case) else _case_from_dict(d))
        except Exception as exc:  # a module still being written must not stop the rest
            problems.append(f"{path.name}: {type(exc).__name__}: {exc}")
    return found, problems


# ---------------------------------------------------------------------------
# Timing


def _loop_count(fn: Callable[[], Any], target: float) -> int:
    """Calls per timed loop so that one loop lasts at least ``target`` seconds
    (1, 2, 5, 10, 20, 50, ... as ``timeit.Timer.autorange``)."""
    timer = timeit.Timer(fn)
    i = 1
    while True:
        for j in (1, 2, 5):
            number = i * j
            if timer.timeit(number) >= target:
                return number
        i *= 10


@dataclass
class Result:
    case: Case
    numkit_best: float = float("nan")
    numkit_median: float = float("nan")
    baseline_best: float = float("nan")
    baseline_median: float = float("nan")
    skipped: str = ""

    @property
    def speedup(self) -> float:
        return self.baseline_best / self.numkit_best

    @property
    def status(self) -> str:
        if self.skipped:
            return "skipped"
        if self.case.goal is None:
            return ""
        return "met" if self.speedup >= self.case.goal else "missed"


def run_case(case: Case, repeat: int, target: float) -> Result:
    if not case.available():
        return Result(case, skipped="not available")
    state = case.setup()
    mine = lambda: case.numkit_fn(state)  # noqa: E731 - timeit wants a callable
    theirs = lambda: case.baseline_fn(state)  # noqa: E731
    # Each side gets its own loop count: one shared count would make a 50 ns call
    # against a 20 µs baseline run the baseline for minutes.
    n_mine, n_theirs = _loop_count(mine, target), _loop_count(theirs, target)
    t_mine, t_theirs = timeit.Timer(mine), timeit.Timer(theirs)
    ours, base = [], []
    for r in range(repeat):
        # Alternate which side goes first, so drift (turbo, other load) hits both.
        if r % 2 == 0:
            ours.append(t_mine.timeit(n_mine) / n_mine)
            base.append(t_theirs.timeit(n_theirs) / n_theirs)
        else:
            base.append(t_theirs.timeit(n_theirs) / n_theirs)
            ours.append(t_mine.timeit(n_mine) / n_mine)
    return Result(case, min(ours), statistics.median(ours), min(base),
                  statistics.median(base))


# ---------------------------------------------------------------------------
# Output


def _fmt_time(t: float) -> str:
    if t != t:
        return "-"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if t >= scale:
            return f"{t / scale:.3g} {unit}"
    return f"{t / 1e-9:.3g} ns"


COLUMNS = ["area", "case", "sizes", "numkit best", "numkit median", "baseline best",
           "baseline median", "speedup", "goal", "status", "numkit GB/s"]


def _row(r: Result) -> list[str]:
    c = r.case
    speed = "-" if r.skipped else f"{r.speedup:.2f}×"
    goal = f"≥{c.goal:g}×" if c.goal is not None else ""
    rate = "" if r.skipped or not c.bytes else f"{c.bytes / r.numkit_best / 1e9:.1f}"
    return [c.area, c.name, c.sizes, _fmt_time(r.numkit_best), _fmt_time(r.numkit_median),
            _fmt_time(r.baseline_best), _fmt_time(r.baseline_median), speed, goal, r.status,
            rate]


def format_table(results: list[Result], markdown: bool) -> str:
    rows = [_row(r) for r in results]
    if markdown:
        lines = ["| " + " | ".join(COLUMNS) + " |",
                 "|" + "|".join("---" if i < 3 else "---:" for i in range(len(COLUMNS))) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines)
    widths = [max(len(h), *(len(row[i]) for row in rows)) if rows else len(h)
              for i, h in enumerate(COLUMNS)]
    fmt = "  ".join(f"{{:{'<' if i < 3 else '>'}{w}}}" for i, w in enumerate(widths))
    return "\n".join([fmt.format(*COLUMNS), fmt.format(*("-" * w for w in widths))]
                     + [fmt.format(*row) for row in rows])


def _blas_description() -> str:
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        blas = np.__config__.CONFIG.get("Build Dependencies", {}).get("blas", {})
        return f"{blas.get('name', '?')} {blas.get('version', '')} (numpy build config)"
    pools = [f"{p.get('internal_api')} {p.get('version')} ({p.get('threading_layer')}, "
             f"{p.get('num_threads')} threads, {p.get('architecture')})"
             for p in threadpool_info() if p.get("user_api") == "blas"]
    return "; ".join(pools) or "none found"


def header(repeat: int, target: float) -> str:
    env = {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE",
                                       "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")
           if k in os.environ}
    return "\n".join([
        f"numkit {numkit.__version__}, numpy {np.__version__}, Python "
        f"{platform.python_version()} on {platform.machine()} ({os.cpu_count()} CPUs)",
        f"numkit threads: {numkit.get_num_threads()} (OpenMP: {numkit.has_openmp()})",
        f"BLAS: {_blas_description()}",
        f"environment: {env or 'no BLAS/OpenMP variables set'}",
        f"timing: best and median of {repeat} alternating runs, each loop ≥ "
        f"{target * 1e3:.0f} ms; speedup = baseline best / numkit best",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="shorter loops and fewer repeats (a smoke run)")
    parser.add_argument("--only", metavar="AREA", help="run only the cases of this area")
    parser.add_argument("--repeat", type=int, metavar="N",
                        help="timed runs per side (default 7, or 3 with --quick)")
    parser.add_argument("--markdown", action="store_true",
                        help="print the table as Markdown (for the README)")
    args = parser.parse_args(argv)
    repeat = args.repeat if args.repeat is not None else (3 if args.quick else 7)
    if repeat < 1:
        parser.error("--repeat must be at least 1")
    target = 0.02 if args.quick else 0.2
    extra, problems = discover_cases(args.quick)
    everything = CASES + extra
    cases = [c for c in everything if args.only is None or c.area == args.only]
    if not cases:
        areas = sorted({c.area for c in everything})
        parser.error(f"no cases in area {args.only!r}; areas: {', '.join(areas)}")
    print(header(repeat, target))
    for problem in problems:
        print(f"skipped cases module {problem}")
    print()
    results = []
    for case in cases:
        print(f"  {case.area}: {case.name} {case.sizes} ...", file=sys.stderr, flush=True)
        results.append(run_case(case, repeat, target))
    print(format_table(results, args.markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
