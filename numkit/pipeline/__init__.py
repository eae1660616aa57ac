"""numkit.pipeline: from a messy CSV to numbers and pictures, ``clean → matrix →
compute → output``.

A source (``read_csv``, ``read_parquet``, ``from_array``, ``from_dataframe``,
``from_columns``) returns a :class:`Pipeline`, an immutable value; each stage method
returns a new one and appends an entry to its report::

    from numkit import pipeline
    result = (pipeline.read_csv("measurements.csv")
              .clean(missing="drop_rows", outliers=("zscore", 4.0))
              .matrix(columns=["height", "weight", "age"])
              .compute("describe", "correlation", "pca")
              .output("report/"))          # summary.json, report.json, CSV, PNG
    print(result.report)

Stages run eagerly: an error surfaces at the call that caused it. ``output`` writes
every file under a temporary name in the target folder and renames them only when
all succeeded, so a failing stage leaves nothing half-written.

Reading CSV: a header row; the delimiter sniffed (among ``, ; tab |``) or given; NA
tokens (``"", NA, NaN, null, N/A`` …); quoted fields; UTF-8 with or without a BOM. A
column is numeric when every non-missing field parses as a number; others are text.
With the ``io`` extra (pyarrow) the multi-threaded pyarrow reader is used, otherwise
the standard ``csv`` module — with the same results. Ragged rows, unreadable files and
bad encodings raise :class:`~numkit.errors.DataError` naming file, line and column.

Reading Parquet (the ``io`` extra): pyarrow reads the footer; numkit's kernel
(``numkit._kernels._parquet``) decodes the pages of numeric columns straight into
the table's row-major block, and pyarrow reads text columns and any encoding the
kernel does not (``numkit.pipeline._parquet``).

Cleaning (``clean``) runs in a fixed order: non-numeric columns (``drop`` or
``error``), missing values (``drop_rows``, ``drop_cols``, ``fill_mean``,
``fill_median``, ``fill_value``), outliers (``("zscore", k)`` or ``("iqr", k)``:
rows with an outlier in any column are dropped), duplicate rows (``keep`` or
``drop``). The kernels are one-pass Cython (``numkit._kernels._clean``). The report
says what was removed or changed, per column.

Compute names: ``describe, covariance, correlation, pca, regression (target=…),
histogram, quantiles``, or any callable ``fn(matrix, names)``.

The ``numkit`` command runs the same pipeline: ``numkit run DATA.csv --out DIR``;
``numkit demo --out DIR`` runs it on a bundled data set (:mod:`numkit.datasets`).
"""

from numkit.pipeline._sources import (
    from_array,
    from_columns,
    from_dataframe,
    read_csv,
    read_parquet,
)
from numkit.pipeline._stage import Pipeline, Result
from numkit.pipeline._table import Table

__all__ = [
    "Pipeline",
    "Result",
    "Table",
    "from_array",
    "from_columns",
    "from_dataframe",
    "read_csv",
    "read_parquet",
]
