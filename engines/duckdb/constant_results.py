"""Results of constant SELECTs (`SELECT 1`, `SELECT 'a' || 'b' AS ab`), kept on their statement.

Connection pools and drivers send such a SELECT to check a connection, often once per
checkout. DuckDB takes about 250 us to plan and run one, more than the whole rest of askgres's
round trip. A SELECT made only of literals, operators and casts to non-temporal types gives the
same row every time: DuckDB's configuration is locked for network sessions and askgres's session
settings never reach it (they act in the proxy, on encoding). So the first result is kept on the
statement's AST, which the guard hands out again for the same text, and replayed from there.
Anything that could vary (parameters, functions, now(), casts to dates and times, which read
'now' or the time zone) is left out and runs every time.
"""

from __future__ import annotations

import pyarrow as pa
from sqlglot import exp

_KEY = "askgres.duckdb_constant"
_KIND_KEY = "askgres.duckdb_immutable"
_IMMUTABLE_NODES = (
    exp.Literal, exp.Boolean, exp.Null, exp.Alias, exp.Identifier, exp.Cast, exp.TryCast, exp.DataType,
    exp.DataTypeParam, exp.Paren, exp.Neg, exp.Not, exp.Binary, exp.Is, exp.Case, exp.If, exp.Coalesce,
    exp.Nullif,
)
_SELECT_CLAUSES = ("from", "from_", "joins", "where", "group", "having", "qualify", "windows", "order", "limit",
                   "offset", "with", "with_", "laterals", "distinct", "into", "locks", "sample", "connect", "kind")


def immutable(stmt: exp.Expr) -> bool:
    """Whether a statement is a SELECT whose one row can never change (decided once per AST)."""
    meta = stmt.meta
    cached = meta.get(_KIND_KEY)
    if cached is None:
        cached = meta[_KIND_KEY] = _immutable_select(stmt)
    return cached


def _immutable_select(stmt: exp.Expr) -> bool:
    if type(stmt) is not exp.Select or any(stmt.args.get(k) for k in _SELECT_CLAUSES):
        return False
    for node in stmt.walk():
        if node is stmt:
            continue
        if not isinstance(node, _IMMUTABLE_NODES):
            return False
        if isinstance(node, exp.DataType) and node.is_type(*exp.DataType.TEMPORAL_TYPES):
            return False
    return True


def replay(stmt: exp.Expr, text: str) -> pa.RecordBatchReader | None:
    """The kept result of `stmt` when it was kept for this DuckDB text (the same schema version)."""
    kept = stmt.meta.get(_KEY)
    if kept is None or kept[0] != text:
        return None
    return pa.RecordBatchReader.from_batches(kept[1], kept[2])


def keep(stmt: exp.Expr, text: str, reader) -> pa.RecordBatchReader:
    """Read `reader` whole (one row), keep it on `stmt`, and hand back a reader over it."""
    batches = []
    while True:
        try:
            batches.append(reader.read_next_batch())
        except StopIteration:
            break
    reader.close()
    stmt.meta[_KEY] = (text, reader.schema, batches)
    return pa.RecordBatchReader.from_batches(reader.schema, batches)
