"""The ``numkit`` command: the pipeline on a CSV or Parquet file, or on a bundled data
set.

``numkit run DATA --out DIR`` reads DATA, cleans it, computes and writes the results;
``numkit demo --out DIR`` does the same on NIST's Longley data. Exit status 0 on
success, 2 on bad usage (argparse's convention), 1 on bad data or an unwritable
folder, with a one-line reason on stderr and no traceback.

``--engine`` picks the reader: ``pyarrow`` or ``python`` (in memory; the default is
pyarrow when installed), or ``dask``: DATA may then be a glob (``"data/*.csv"``) or a
folder, and the pipeline runs partition by partition (:mod:`numkit.pipeline._dask`) on
a ``distributed`` cluster — a ``LocalCluster`` on 127.0.0.1 (one single-threaded
worker process per core, no dashboard) started for the run and closed after it, or
the scheduler at ``--scheduler ADDRESS``. ``--engine dask`` without the ``dask``
extra, or ``--scheduler`` without ``--engine dask``, is bad usage (exit 2).

DATA naming ``.parquet``/``.parq`` files (a file, a glob, or with ``--engine dask`` a
folder holding Parquet files and no CSV) is read as Parquet (the ``io`` extra):
numkit's kernel decodes the pages, whatever ``--engine`` says about CSV parsing.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import os
import sys
import warnings
from collections.abc import Iterator, Sequence

from numkit._version import __version__

__all__ = ["main"]

MISSING = ("drop_rows", "drop_cols", "fill_mean", "fill_median")
OUTLIERS = ("zscore", "iqr")
DEFAULT_COMPUTE = "describe,correlation,pca"
ENGINES = ("pyarrow", "python", "dask")
DASK_EXTRA = 'pip install "numkit[dask]"'
# inputs above this size get a progress line on stderr (when it is a terminal)
_PROGRESS_BYTES = 10 * 2**20


def _outliers(text: str) -> tuple[str, float]:
    method, sep, k = text.partition(":")
    if method not in OUTLIERS or not sep:
        raise argparse.ArgumentTypeError(
            f"expected zscore:K or iqr:K (e.g. zscore:4); got {text!r}")
    try:
        value = float(k)
    except ValueError:
        raise argparse.ArgumentTypeError(f"K in {text!r} is not a number") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"K in {text!r} must be positive")
    return method, value


def _names(text: str) -> list[str]:
    names = [s.strip() for s in text.split(",") if s.strip()]
    if not names:
        raise argparse.ArgumentTypeError("expected a comma-separated list of names")
    return names


def _computations(text: str) -> list[str]:
    from numkit.pipeline._compute import NAMES

    names = _names(text)
    unknown = [n for n in names if n not in NAMES]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown computation(s) {', '.join(unknown)}; choose from {', '.join(NAMES)}")
    return names


def _add_output_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", required=True, metavar="DIR",
                   help="folder for the results (created if missing)")
    p.add_argument("--format", choices=("png", "svg"), default="png",
                   help="image format of the plots (default png)")
    p.add_argument("--no-plots", action="store_true", help="write JSON and CSV only")
    p.add_argument("--quiet", action="store_true", help="print nothing on success")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="numkit",
        description="Clean -> matrix -> compute -> output on a CSV file: summary.json, "
                    "report.json, covariance/correlation CSV, pca.json and plots.")
    parser.add_argument("--version", action="version", version=f"numkit {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    run = commands.add_parser("run", help="run the pipeline on a CSV file",
                              description="Run the pipeline on a CSV file (or, with "
                                          "--engine dask, on many).")
    run.add_argument("data", metavar="DATA",
                     help="CSV file with a header row, or a .parquet file (--engine dask: "
                          "also a folder or a quoted glob such as \"data/*.csv\")")
    run.add_argument("--engine", choices=ENGINES, default=None,
                     help="reader: pyarrow or python (in memory; default pyarrow when "
                          "installed), or dask (partition by partition on a cluster)")
    run.add_argument("--scheduler", metavar="ADDRESS",
                     help="with --engine dask: a running dask scheduler (e.g. "
                          "tcp://10.0.0.5:8786); default a local cluster for this run")
    _add_output_options(run)
    run.add_argument("--columns", type=_names, metavar="A,B,...",
                     help="columns to analyse (default: every numeric column)")
    run.add_argument("--missing", choices=MISSING, default="drop_rows",
                     help="what to do with missing values (default drop_rows)")
    run.add_argument("--outliers", type=_outliers, metavar="zscore:K|iqr:K",
                     help="drop rows with a value beyond K deviations or K IQRs")
    run.add_argument("--compute", type=_computations, default=_names(DEFAULT_COMPUTE),
                     metavar="NAME,...",
                     help=f"computations (default {DEFAULT_COMPUTE}; also covariance, "
                          f"regression, histogram, quantiles)")
    run.add_argument("--target", metavar="COLUMN",
                     help="response column for regression (default: the last column)")

    demo = commands.add_parser(
        "demo", help="run the pipeline on the bundled Longley data",
        description="Run the pipeline on NIST's Longley data (bundled): describe, "
                    "correlation, PCA, the regression of employment on the other columns, "
                    "and plots.")
    _add_output_options(demo)
    return parser


def _formats(args: argparse.Namespace) -> tuple[str, ...]:
    return ("json", "csv") if args.no_plots else ("json", "csv", args.format)


@contextlib.contextmanager
def _dask_client(address: str | None) -> Iterator[object]:
    """A ``distributed.Client`` for the run: connected to ``address``, or to a
    LocalCluster on loopback (closed at the end, also on error)."""
    import dask
    import distributed

    if address is not None:
        with distributed.Client(address, timeout="10s") as client:
            yield client
        return
    # The nannies set OMP_NUM_THREADS=1 and friends in this process's environment
    # before spawning workers (distributed.nanny.pre-spawn-environ): put them back.
    keys = dask.config.get("distributed.nanny.pre-spawn-environ", {})
    saved = {k: os.environ.get(k) for k in keys}
    try:
        with warnings.catch_warnings():
            # the scheduler's HTTP endpoint moves to a free port when 8787 is taken
            warnings.filterwarnings("ignore", message="Port .* is already in use")
            # a task's failure reaches the user as the one-line error; the workers'
            # own logs of it would repeat it with a traceback
            with distributed.LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=1,
                                          processes=True, host="127.0.0.1",
                                          dashboard_address=None,
                                          silence_logs=logging.CRITICAL) as cluster, \
                    distributed.Client(cluster) as client:
                yield client
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


_PARQUET = (".parquet", ".parq")
_CSV = (".csv", ".csv.gz", ".txt", ".tsv")


def _is_parquet(data: str) -> bool:
    """Whether DATA names Parquet: by its suffix, or a folder of Parquet files only."""
    if data.lower().endswith(_PARQUET):
        return True
    if not os.path.isdir(data):
        return False
    names = [f.lower() for _, _, files in os.walk(data) for f in files]
    return any(n.endswith(_PARQUET) for n in names) and not any(n.endswith(_CSV)
                                                                for n in names)


def _run(args: argparse.Namespace):
    parquet = _is_parquet(args.data)
    if args.engine == "dask":
        from numkit.pipeline._dask import read_csv_dask, read_parquet_dask

        with _dask_client(args.scheduler):
            reader = read_parquet_dask if parquet else read_csv_dask
            return _chain(reader(args.data, columns=args.columns), args)
    from numkit.pipeline._sources import read_csv, read_parquet

    if parquet:
        return _chain(read_parquet(args.data, columns=args.columns), args)

    if not args.quiet and sys.stderr.isatty():
        try:
            size = os.path.getsize(args.data)
        except OSError:
            size = 0
        if size > _PROGRESS_BYTES:
            print(f"numkit: reading {args.data} ({size / 2**20:.0f} MB)...", file=sys.stderr,
                  flush=True)
    # columns chosen by name are read alone, and a text column among them is an
    # error (file, line, column) rather than silently dropped
    return _chain(read_csv(args.data, columns=args.columns, engine=args.engine), args)


def _chain(pipeline, args: argparse.Namespace):
    """clean → matrix → compute → output with the command's options."""
    pipeline = pipeline.clean(missing=args.missing, outliers=args.outliers,
                              non_numeric="drop" if args.columns is None else "error")
    pipeline = pipeline.matrix(columns=args.columns)
    options = {}
    if "regression" in args.compute:
        options["target"] = args.target if args.target is not None else pipeline.names[-1]
    return pipeline.compute(*args.compute, **options).output(args.out, formats=_formats(args))


def _demo(args: argparse.Namespace):
    from numkit.datasets import load_longley
    from numkit.pipeline._sources import read_csv

    data = load_longley()
    # NIST's response (first column) on the six predictors: the certified regression
    return (read_csv(data.path).clean().matrix()
            .compute("describe", "correlation", "pca", "regression", target=data.names[0],
                     pca_scale="correlation")
            .output(args.out, formats=_formats(args)))


def _summary(result, out: str) -> str:
    stages = {s["stage"]: s for s in result.report["stages"]}
    rows = stages.get("matrix", {}).get("rows", "?")
    names = [os.path.basename(f) for f in result.files]
    lines = [f"numkit: {rows} rows x {len(result.names)} columns "
             f"({', '.join(result.names)}); computed {', '.join(result.results)}",
             f"wrote {len(names)} files to {out}: {', '.join(names)}"]
    return "\n".join(lines)


def _engine_usage(args: argparse.Namespace) -> str | None:
    """Why the engine options cannot run here, or None."""
    if args.scheduler is not None and args.engine != "dask":
        return "--scheduler needs --engine dask"
    if args.engine == "dask":
        missing = []
        for module in ("dask", "distributed"):
            try:
                importlib.import_module(module)
            except ImportError:
                missing.append(module)
        if missing:
            return (f"--engine dask needs {' and '.join(missing)} (not installed): "
                    f"{DASK_EXTRA}")
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``numkit`` command with ``argv`` (default ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on success, 1 on bad data or an I/O error (one line on stderr), 2 on bad
        usage (argparse exits; the ``SystemExit`` code is returned).
    """
    from numkit.errors import DataError

    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    if args.command == "run":
        usage = _engine_usage(args)
        if usage is not None:
            parser.print_usage(sys.stderr)
            print(f"numkit: error: {usage}", file=sys.stderr)
            return 2
    try:
        result = _run(args) if args.command == "run" else _demo(args)
    except (DataError, ValueError, OSError) as exc:
        reason = " ".join(str(exc).split())
        print(f"numkit: error: {reason}", file=sys.stderr)
        return 1
    if not args.quiet:
        print(_summary(result, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
