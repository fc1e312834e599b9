"""The one small interface every engine implements.

Engines take sqlglot ASTs in the Postgres dialect (already approved by the guard) and
answer with Arrow record batches; they never touch the wire protocol.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Sequence

import pyarrow as pa
from sqlglot import exp


@dataclass(frozen=True)
class Description:
    """What a statement would return, found without executing it.

    `schema` is None for statements that return no rows (NoData).
    `param_types` are Arrow types inferred for $1..$n (pa.string() when unknown).
    """

    schema: pa.Schema | None
    param_types: tuple[pa.DataType, ...] = ()


@dataclass
class Result:
    """The outcome of one statement: rows as a stream of batches, or an affected-row count."""

    reader: pa.RecordBatchReader | None
    rowcount: int = -1


class EngineSession(Protocol):
    def execute(self, stmt: exp.Expr, params: Sequence[object] = ()) -> Result: ...

    def describe(self, stmt: exp.Expr) -> Description: ...  # never executes

    def ingest(self, table: str, batches: pa.RecordBatchReader) -> int: ...

    def cancel(self) -> None: ...

    def close(self) -> None: ...


class Engine(Protocol):
    """One per process: owns the database; hands out one EngineSession per client session."""

    name: str

    def session(self) -> EngineSession: ...

    def close(self) -> None: ...
