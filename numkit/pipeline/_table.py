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

    ``block``, when given, is a read-only C-contiguous float64 ``(rows, k)`` array
    whose columns are the table's ``k`` numeric columns in order: each numeric column
    is then a (strided) view of it. The CSV readers and ``clean`` build tables this
    way, so that ``clean`` reads one row-major block and ``matrix`` of every numeric
    column is the block itself, without a copy. A table is never modified: the block
    is read-only, so no later stage can change what an earlier one holds.
    """

    names: tuple[str, ...]
    columns: tuple[np.ndarray, ...]
    path: str | None = None
    lines: np.ndarray | None = None
    reader: str = "array"
    block: np.ndarray | None = dataclasses.field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.block is not None:
            _check_block(self.block, [c for c in self.columns if c.dtype == np.float64])

    @classmethod
    def from_block(cls, names, columns, block: np.ndarray, **fields) -> Table:
        """A table whose numeric columns are the columns of ``block`` (made read-only);
        ``columns`` holds the text columns by position and ``None`` where the next
        column of ``block`` goes."""
        block.flags.writeable = False
        slots = iter(range(block.shape[1]))
        out = tuple(block[:, next(slots)] if c is None else c for c in columns)
        return cls(names=tuple(names), columns=out, block=block, **fields)

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


def _check_block(block: np.ndarray, numeric: list[np.ndarray]) -> None:
    """``numeric[j]`` must be column ``j`` of ``block`` (the same memory)."""
    if (block.dtype != np.float64 or block.ndim != 2 or not block.flags.c_contiguous
            or block.flags.writeable or block.shape[1] != len(numeric)):
        raise ValueError("Table: block must be a read-only C-contiguous float64 array with "
                         f"one column per numeric column ({len(numeric)}); got "
                         f"{block.dtype} {block.shape}")
    start = block.__array_interface__["data"][0]
    for j, column in enumerate(numeric):
        if column.shape != block.shape[:1]:
            raise ValueError(f"Table: numeric column {j} has {column.shape[0]} rows but block "
                             f"has {block.shape[0]}")
        if column.size and (column.strides != block.strides[:1]
                            or column.__array_interface__["data"][0] != start + 8 * j):
            raise ValueError(f"Table: numeric column {j} is not column {j} of block")
