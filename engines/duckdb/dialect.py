"""Postgres-dialect ASTs -> DuckDB SQL: sqlglot's transpiler plus our own rewrites
where sqlglot is silently wrong. Rewrites are plain `Expr -> Expr` functions, listed
in one tuple, applied in order (the sqlglot optimizer's habit); the catalog's come first.

Some differences are settled exactly by DuckDB settings instead, which every connection
must run (SESSION_SETTINGS, or `configure(con)`):
- integer_division: `/` on two integer types is integer division truncated toward zero,
  decided at bind time from the real operand types (PostgreSQL's `7/2 = 3`), while any
  numeric or float operand still divides exactly;
- default_null_order stays DuckDB's NULLS LAST: sqlglot writes NULLS FIRST/LAST wherever
  PostgreSQL's order (last ascending, first descending) differs from that, and omits it
  where it agrees, so the setting must be what sqlglot assumes;
- TimeZone UTC, the zone the server reports to clients.
"""

from __future__ import annotations

from typing import Callable

from sqlglot import exp

from .catalog import CATALOG_REWRITES
from .rewrites import DIALECT_REWRITES
from .rewrites.annotation import annotate
from .rewrites.output_names import name_inner_outputs_like_postgres

Rewrite = Callable[[exp.Expr], exp.Expr]

REWRITES: tuple[Rewrite, ...] = (*CATALOG_REWRITES, *DIALECT_REWRITES)

# GLOBAL, so that every cursor of the connection (one per client session) inherits them;
# a session's own SET TimeZone still overrides its default.
SESSION_SETTINGS: tuple[str, ...] = (
    "SET GLOBAL integer_division = true",
    "SET GLOBAL default_null_order = 'nulls_last'",
    "SET GLOBAL error_on_division_by_zero = true",
    "SET GLOBAL TimeZone = 'UTC'",
)


def configure(con) -> None:
    """Run SESSION_SETTINGS on a DuckDB connection (the rewrites rely on them); its
    cursors inherit them."""
    for statement in SESSION_SETTINGS:
        con.execute(statement)


def to_duckdb(stmt: exp.Expr, schema: dict | None = None) -> str:
    """Render one Postgres-dialect statement as DuckDB SQL.

    `schema` ({table: {column: type}} or {schema: {table: {...}}}, types spelled as DuckDB
    reports them) lets the type-dependent rewrites see column types; without it they act
    only where types show in the SQL itself."""
    return render(stmt, schema, REWRITES)


def render(stmt: exp.Expr, schema: dict | None, rewrites: tuple[Rewrite, ...]) -> str:
    """to_duckdb with a chosen set of rewrites (tests show what each one changes).
    Columns of subqueries and CTEs are named first, from the SQL as the user wrote it (the
    engine names the outermost query's columns: engines/pg_names)."""
    tree = name_inner_outputs_like_postgres(annotate(stmt.copy(), schema))
    for rewrite in rewrites:
        tree = rewrite(tree)
    return tree.sql(dialect="duckdb")
