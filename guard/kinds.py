"""The kind of a statement (read, dml, ddl, admin), with what made it so.

Writes hidden in a read are found: SELECT ... INTO, data-modifying CTEs, FOR UPDATE/SHARE,
EXPLAIN ANALYZE of a write, a cursor or prepared statement over a write.
"""

from __future__ import annotations

from sqlglot import exp

from . import dialect as d
from .config import StatementKind
from .nodes import NodeIndex, index_of

READ, DML, DDL, ADMIN = (StatementKind.READ, StatementKind.DML, StatementKind.DDL,
                         StatementKind.ADMIN)

# Session and transaction control every role needs (psql, JDBC and ODBC send them).
SESSION_STATEMENTS = (
    exp.Transaction, exp.Commit, exp.Rollback, exp.Show, d.Reset, d.Discard, d.Savepoint,
    d.ReleaseSavepoint, d.FetchCursor, d.CloseCursor, d.Deallocate, d.Listen, d.Unlisten,
    d.ExecuteStatement, exp.Set,
)

# CALL targets askgres itself implements, and what they amount to.
CALL_KINDS = {"synthesize": DDL}

_DDL = (exp.Create, exp.Drop, exp.Alter, exp.TruncateTable, exp.Comment)
_DML = (exp.Insert, exp.Update, exp.Delete, exp.Merge)


def statement_kind(stmt: exp.Expr, index: NodeIndex | None = None) -> tuple[StatementKind, str]:
    """(kind, reason): the least privilege that running `stmt` needs. index: stmt's nodes, when
    the caller has them (guard.nodes)."""
    if isinstance(stmt, SESSION_STATEMENTS):
        return READ, "session statement"
    if isinstance(stmt, (d.Explain,)):
        if stmt.args.get("analyze"):
            kind, why = statement_kind(stmt.this)
            return kind, f"EXPLAIN ANALYZE runs the statement ({why})"
        return READ, "EXPLAIN without ANALYZE"
    if isinstance(stmt, (d.DeclareCursor, d.PrepareStatement)):
        return statement_kind(stmt.expression)
    if isinstance(stmt, exp.Copy):
        if stmt.args.get("kind"):
            return DML, "COPY FROM writes a table"
        return _query_kind(stmt.this) if isinstance(stmt.this, exp.Query) else (READ, "COPY TO")
    if isinstance(stmt, d.Call):
        func = stmt.this.expression if isinstance(stmt.this, exp.Dot) else stmt.this
        name = func.name.lower() if isinstance(func, exp.Anonymous) else func.sql_name().lower()
        return CALL_KINDS.get(name, ADMIN), f"CALL {name}"
    if isinstance(stmt, _DDL):
        return DDL, f"{type(stmt).__name__.upper()} changes the schema"
    if isinstance(stmt, _DML):
        return DML, f"{type(stmt).__name__.upper()} writes a table"
    if isinstance(stmt, (exp.Query, exp.Values, exp.Subquery)):
        return _query_kind(stmt, index)
    if isinstance(stmt, exp.Command):
        return ADMIN, f"{stmt.name} is an administrative command"
    return ADMIN, f"{type(stmt).__name__.upper()} is an administrative statement"


def _query_kind(query: exp.Expr, index: NodeIndex | None = None) -> tuple[StatementKind, str]:
    for node in index_of(query, index).find_all(exp.Into, *_DML, exp.Lock):
        if isinstance(node, exp.Into):
            return DDL, "SELECT ... INTO creates a table"
        if isinstance(node, _DML):
            return DML, f"a data-modifying CTE ({type(node).__name__.upper()})"
        if isinstance(node, exp.Lock):
            return DML, "FOR UPDATE/SHARE locks rows"
    return READ, "query"
