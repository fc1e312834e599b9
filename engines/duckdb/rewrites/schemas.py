"""Schema names: PostgreSQL's default schema is `public`, DuckDB's is `main`."""

from __future__ import annotations

from sqlglot import exp

PG_DEFAULT_SCHEMA = "public"
DUCKDB_DEFAULT_SCHEMA = "main"


def public_schema_to_main(tree: exp.Expr) -> exp.Expr:
    """`public.t` / `"public"."t"` -> `main.t` (catalog schemas are left to the catalog rewrites)."""
    for table in tree.find_all(exp.Table):
        db = table.args.get("db")
        if isinstance(db, exp.Identifier) and db.name.lower() == PG_DEFAULT_SCHEMA:
            # PG folds unquoted names to lower case; a quoted "Public" is another schema.
            if db.quoted and db.name != PG_DEFAULT_SCHEMA:
                continue
            db.set("this", DUCKDB_DEFAULT_SCHEMA)
    for column in tree.find_all(exp.Column):
        db = column.args.get("db")
        if isinstance(db, exp.Identifier) and db.name == PG_DEFAULT_SCHEMA:
            db.set("this", DUCKDB_DEFAULT_SCHEMA)
    return tree
