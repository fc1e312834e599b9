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

from askgres.engines.ast_facts import LITERAL_EXPRESSION_NODES, bare_select, once_per_ast

# Node types a constant SELECT may contain (beyond the SELECT itself).
_ALLOWED = LITERAL_EXPRESSION_NODES + (
    exp.Parameter, exp.Placeholder, exp.CurrentVersion, exp.CurrentUser, exp.SessionUser, exp.CurrentDatabase,
    exp.CurrentCatalog, exp.CurrentSchema, exp.CurrentTimestamp, exp.CurrentDate, exp.CurrentTime, exp.Var,
)
_SESSION_FUNCTIONS = frozenset({
    "current_setting", "version", "current_database", "current_schema", "current_user",
    "session_user", "pg_backend_pid", "inet_server_port", "now", "pg_is_in_recovery",
})
_KEY = "askgres.inline"


def runs_inline(stmt: exp.Expr) -> bool:
    """Whether a statement is a constant SELECT (decided once per AST)."""
    return once_per_ast(stmt, _KEY, lambda s: bare_select(s, _constant_node))


def _constant_node(node: exp.Expr) -> bool:
    if isinstance(node, exp.Anonymous):
        return str(node.this).lower() in _SESSION_FUNCTIONS
    return isinstance(node, _ALLOWED)
