"""Column values while a batch is computed, and time units."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from . import text

if TYPE_CHECKING:
    from .plan import TablePlan

DAY = 86_400_000_000  # microseconds
_EPOCH = dt.datetime(1970, 1, 1)


def micros(t: dt.datetime) -> int:
    return (t - _EPOCH) // dt.timedelta(microseconds=1)


@dataclass
class Col:
    values: object                     # np.ndarray, or pa.Array for text
    mask: np.ndarray | None = None     # True = NULL (applied at output only)
    codes: np.ndarray | None = None    # vocabulary indices (names), reused by emails
    parent_rows: np.ndarray | None = None
    u: np.ndarray | None = None        # the uniform behind a number, for correlated columns
    dictionary: pa.Array | None = None # set: `values` are int codes into this vocabulary

    def materialize(self):
        return self.values if self.dictionary is None else text.take(self.dictionary, self.values)


def per_parent_values(parent: "TablePlan", prow: np.ndarray, column: str) -> np.ndarray:
    """A parent column at each child's parent row. Clustered children arrive sorted by parent,
    so each parent is computed once and repeated (8M workouts -> 500k users evaluated)."""
    if len(prow) > 1 and np.all(prow[1:] >= prow[:-1]):
        first = np.flatnonzero(np.concatenate(([True], prow[1:] != prow[:-1])))
        vals = parent.compute(prow[first], only={column})[column].values
        return np.repeat(vals, np.diff(np.append(first, len(prow))))
    return parent.compute(prow, only={column})[column].values
