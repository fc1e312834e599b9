"""Which engine runs a statement: DuckDB or Spark, and why (for the NoticeResponse and EXPLAIN).

Order of precedence:
1. catalog queries (pg_catalog, information_schema) always run on DuckDB, which emulates them;
2. tables that exist in one engine only decide (a hint or setting cannot move them);
3. a per-statement hint `/*+ engine(spark) */`, else `SET askgres.engine = 'duckdb'|'spark'`;
4. in 'auto': Spark when the tables scanned hold at least `threshold` rows in all.
"""

from __future__ import annotations

from typing import Mapping

from sqlglot import exp

from .errors import EngineError

ENGINES = ("duckdb", "spark")
CATALOG_SCHEMAS = {"pg_catalog", "information_schema"}
CATALOG_PREFIXES = ("pg_",)


class RoutingError(EngineError):
    """The tables a statement needs live in different engines (0A000)."""

    sqlstate = "0A000"


def engine_hint(stmt: exp.Expr) -> str | None:
    """The engine named by a `/*+ engine(NAME) */` comment on the statement, if any.

    sqlglot keeps comments on the nodes they follow; the hint's text is parsed as a SQL call
    expression (`engine(spark)`), never matched as text."""
    for node in stmt.walk():
        for comment in node.comments or ():
            text = comment.strip()
            if not text.startswith("+"):
                continue
            try:
                call = exp.maybe_parse(text[1:].strip())
            except Exception:  # noqa: BLE001 - a comment that is not a hint
                continue
            if isinstance(call, exp.Anonymous) and call.name.lower() == "engine" and call.expressions:
                arg = call.expressions[0]
                name = arg.name.lower()
                if name in ENGINES:
                    return name
    return None


def scanned_tables(stmt: exp.Expr) -> list[exp.Table]:
    """Base tables a statement reads or writes (CTE names and table functions left out)."""
    ctes = {cte.alias_or_name.lower() for cte in stmt.find_all(exp.CTE)}
    tables: list[exp.Table] = []
    for table in stmt.find_all(exp.Table):
        if not isinstance(table.this, exp.Identifier) or not table.name:
            continue
        if not table.db and table.name.lower() in ctes:
            continue
        tables.append(table)
    return tables


# Functions answered by the PostgreSQL emulation on DuckDB: the session's identity, settings and
# catalog lookups. On Spark they would answer Spark's own user, schema ('default') and version.
SESSION_INFO_NODES = (exp.CurrentSchema, exp.CurrentSchemas, exp.CurrentUser, exp.SessionUser,
                      exp.CurrentRole, exp.CurrentVersion, exp.CurrentDatabase, exp.CurrentCatalog,
                      exp.CurrentUserId)
SESSION_INFO_FUNCTIONS = frozenset({
    "current_setting", "set_config", "version", "current_schema", "current_schemas",
    "current_database", "current_catalog", "current_user", "session_user", "current_role",
    "current_query", "inet_server_addr", "inet_server_port", "inet_client_addr", "inet_client_port",
    "txid_current", "txid_current_if_assigned", "format_type", "obj_description", "col_description",
    "shobj_description", "to_regclass", "to_regtype", "to_regproc", "to_regprocedure",
    "to_regnamespace", "to_regrole", "to_regoper", "to_regoperator", "to_regcollation",
})
SESSION_INFO_PREFIXES = ("pg_", "has_")
# Keywords PostgreSQL reads as session functions when unquoted (sqlglot leaves them as columns).
SESSION_INFO_KEYWORDS = frozenset({"user", "current_role", "session_user", "current_user"})


def _is_session_info(node: exp.Expr) -> bool:
    if isinstance(node, SESSION_INFO_NODES):
        return True
    if isinstance(node, exp.Anonymous):
        name = node.name.lower()
        return name in SESSION_INFO_FUNCTIONS or name.startswith(SESSION_INFO_PREFIXES)
    if isinstance(node, exp.Column):
        ident = node.this
        return (not node.table and isinstance(ident, exp.Identifier) and not ident.quoted
                and ident.name.lower() in SESSION_INFO_KEYWORDS)
    if isinstance(node, exp.Dot):  # pg_catalog.version(), information_schema._pg_expandarray(...)
        return isinstance(node.this, exp.Identifier) and node.this.name.lower() in CATALOG_SCHEMAS
    # ::regclass, ::oid and the other object identifier types
    return isinstance(node, exp.ObjectIdentifier)


def is_catalog_query(stmt: exp.Expr) -> bool:
    """Whether a statement reads the emulated PostgreSQL catalog or the session's information
    (current_user, version(), current_setting(...), pg_* and has_*_privilege functions...)."""
    if isinstance(stmt, (exp.Show, exp.Set, exp.Command)):
        return True
    for table in scanned_tables(stmt):
        if table.db.lower() in CATALOG_SCHEMAS:
            return True
        if not table.db and table.name.lower().startswith(CATALOG_PREFIXES):
            return True
    return any(_is_session_info(node) for node in stmt.walk())


def choose_engine(stmt: exp.Expr, *, setting: str = "duckdb", hint: str | None = None,
                  table_locations: Mapping[str, set[str]] | None = None,
                  table_sizes: Mapping[str, int] | None = None,
                  threshold: int = 50_000_000) -> tuple[str, str]:
    """(engine name, reason). `table_locations` maps table name -> engines holding it (a
    warehouse table is in both); `table_sizes` maps table name -> estimated rows; `hint`
    overrides the statement's own `/*+ engine(...) */` comment when given."""
    locations = {k.lower(): set(v) for k, v in (table_locations or {}).items()}
    sizes = {k.lower(): v for k, v in (table_sizes or {}).items()}
    if setting not in (*ENGINES, "auto"):
        raise EngineError(f'invalid value for parameter "askgres.engine": "{setting}"', "22023",
                          hint="valid values are duckdb, spark and auto")
    if is_catalog_query(stmt):
        return "duckdb", "catalog query"

    names = sorted({t.name.lower() for t in scanned_tables(stmt)})
    possible = set(ENGINES)
    pinned: list[str] = []
    for name in names:
        where = locations.get(name)
        if where:
            possible &= where
            if len(where) == 1:
                pinned.append(f"{name} exists only in {next(iter(where))}")
    if not possible:
        raise RoutingError("the statement's tables live in different engines: " + "; ".join(pinned),
                           hint="copy one side into the warehouse (CREATE TABLE ... AS) first")

    wanted = hint or engine_hint(stmt)
    if len(possible) == 1:
        engine = next(iter(possible))
        reason = "; ".join(pinned)
        if wanted and wanted != engine:
            reason += f" (hint engine({wanted}) ignored)"
        return engine, reason
    if wanted:
        return wanted, f"hint engine({wanted})"
    if setting != "auto":
        return setting, f"askgres.engine = {setting}"
    scanned = sum(sizes.get(name, 0) for name in names)
    if names and scanned >= threshold:
        return "spark", f"auto: {scanned} rows scanned >= threshold {threshold}"
    return "duckdb", f"auto: {scanned} rows scanned < threshold {threshold}"
