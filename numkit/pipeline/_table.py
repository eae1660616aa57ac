"""The columnar table that flows from a source into ``clean`` and ``matrix``."""

from __future__ import annotations

import dataclasses

import numpy as np

__all__ = ["Table"]


@dataclasses.dataclass(frozen=True)
class Table:
    """Named columns of equal length.

    Numeric columns are float64 ndarrays with NaN for missing values; text columns are
    object ndarrays (``str``, ``None`` for missing). ``path`` and ``lines`` (the
    1-based line in the file of each row) let later stages name the file and line of
    bad data; ``reader`` says which reader produced it.
    """

    names: tuple[str, ...]
    columns: tuple[np.ndarray, ...]
    path: str | None = None
    lines: np.ndarray | None = None
    reader: str = "array"

    @property
    def n_rows(self) -> int:
        return int(self.columns[0].shape[0]) if self.columns else 0

    def is_numeric(self, i: int) -> bool:
        return self.columns[i].dtype == np.float64

    def numeric_names(self) -> tuple[str, ...]:
        return tuple(n for i, n in enumerate(self.names) if self.is_numeric(i))

    def column(self, name: str) -> np.ndarray:
        return self.columns[self.names.index(name)]

    def source_info(self) -> dict:
        return {"path": self.path, "reader": self.reader, "rows": self.n_rows,
                "columns": len(self.names)}
