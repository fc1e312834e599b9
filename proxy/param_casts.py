"""Parameter types a client declares in Parse become casts in the statement.

PostgreSQL types `$1` by the oid the client sent, so `SELECT $1` with a numeric parameter
answers a numeric column. DuckDB would describe a bare `$1` as VARCHAR, and the
RowDescription would then disagree with the rows. Text-like and unknown oids are left alone,
so the engine still infers those from context, as PostgreSQL does for 'unknown'.
"""

from __future__ import annotations

from sqlglot import exp

from .wire.types import PG_TYPES, TEXT_LIKE_OIDS

# Types whose name sqlglot reads as the same PostgreSQL type (arrays take their element's).
CASTABLE = frozenset({"bool", "int2", "int4", "int8", "float4", "float8", "numeric", "date", "time",
                      "timestamp", "timestamptz", "interval", "uuid", "bytea", "json", "jsonb", "text",
                      "varchar"})


def _type_sql(oid: int) -> str | None:
    t = PG_TYPES.get(oid)
    if t is None or oid in TEXT_LIKE_OIDS:
        return None
    if t.is_array:
        elem = PG_TYPES.get(t.elem_oid)
        return f"{elem.name}[]" if elem is not None and elem.name in CASTABLE else None
    return t.name if t.name in CASTABLE and t.name not in ("text", "varchar") else None


def cast_declared_params(stmt: exp.Expr | None, oids) -> exp.Expr | None:
    """`$n` -> CAST($n AS <declared type>) for each typed parameter (a copy; stmt untouched)."""
    types = {i + 1: _type_sql(oid) for i, oid in enumerate(oids or ())}
    if stmt is None or not any(types.values()):
        return stmt

    def cast(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Parameter) and isinstance(node.this, exp.Literal) and node.this.is_int:
            name = types.get(int(node.this.name))
            if name and not isinstance(node.parent, exp.Cast):
                return exp.Cast(this=node, to=exp.DataType.build(name, dialect="postgres"))
        return node

    return stmt.transform(cast)
