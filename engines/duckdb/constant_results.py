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

from ..ast_facts import LITERAL_EXPRESSION_NODES, bare_select, once_per_ast

_KEY = "askgres.duckdb_constant"
_KIND_KEY = "askgres.duckdb_immutable"


def immutable(stmt: exp.Expr) -> bool:
    """Whether a statement is a SELECT whose one row can never change (decided once per AST)."""
    return once_per_ast(stmt, _KIND_KEY, lambda s: bare_select(s, _immutable_node))


def _immutable_node(node: exp.Expr) -> bool:
    return isinstance(node, LITERAL_EXPRESSION_NODES) and not (
        isinstance(node, exp.DataType) and node.is_type(*exp.DataType.TEMPORAL_TYPES))


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
