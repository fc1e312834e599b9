"""Statements cheap enough to run on the event loop instead of the session's worker thread.

A statement normally runs on the session's worker thread so that a slow one never stalls
other clients; the hand-off there and back costs two thread wake-ups, more than DuckDB
takes to answer `SELECT 1`. A SELECT without FROM, subqueries or set-returning functions,
made only of literals, parameters, casts, operators and session-information functions
(what connection pools send to check a connection), costs DuckDB microseconds: it runs
inline.
"""

from __future__ import annotations

from sqlglot import exp

# Node types a constant SELECT may contain (beyond the SELECT itself).
_ALLOWED = (
    exp.Literal, exp.Boolean, exp.Null, exp.Parameter, exp.Placeholder, exp.Alias, exp.Identifier,
    exp.Cast, exp.TryCast, exp.DataType, exp.DataTypeParam, exp.Paren, exp.Neg, exp.Not,
    exp.Binary, exp.Is, exp.Case, exp.If, exp.Coalesce, exp.Nullif,
    exp.CurrentVersion, exp.CurrentUser, exp.SessionUser, exp.CurrentDatabase, exp.CurrentCatalog,
    exp.CurrentSchema, exp.CurrentTimestamp, exp.CurrentDate, exp.CurrentTime, exp.Var,
)
_SESSION_FUNCTIONS = frozenset({
    "current_setting", "version", "current_database", "current_schema", "current_user",
    "session_user", "pg_backend_pid", "inet_server_port", "now", "pg_is_in_recovery",
})
_KEY = "askgres.inline"


def runs_inline(stmt: exp.Expr) -> bool:
    """Whether a statement is a constant SELECT (decided once per AST: the guard hands out
    the same tree for the same text)."""
    meta = stmt.meta
    cached = meta.get(_KEY)
    if cached is None:
        cached = meta[_KEY] = _constant_select(stmt)
    return cached


def _constant_select(stmt: exp.Expr) -> bool:
    if type(stmt) is not exp.Select:
        return False
    if any(stmt.args.get(k) for k in ("from", "from_", "joins", "where", "group", "having", "qualify",
                                      "windows", "order", "limit", "offset", "with", "with_", "laterals",
                                      "distinct", "into", "locks", "sample", "connect", "kind")):
        return False
    for node in stmt.walk():
        if node is stmt:
            continue
        if isinstance(node, exp.Anonymous):
            if str(node.this).lower() not in _SESSION_FUNCTIONS:
                return False
            continue
        if not isinstance(node, _ALLOWED):
            return False
    return True
