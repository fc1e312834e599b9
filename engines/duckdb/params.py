"""Infer the types of $1..$n from their context, without executing anything.

DuckDB's Python API does not expose a prepared statement's parameter types, so we do what
PostgreSQL's parser does for the common cases: a parameter takes the type of what it is
compared with, assigned to, inserted into, cast to or combined with. Anything else is text,
which DuckDB casts implicitly like an untyped literal.
"""

from __future__ import annotations

from sqlglot import exp
from sqlglot.optimizer.annotate_types import annotate_types
from sqlglot.optimizer.qualify import qualify

_PEERS = (exp.Binary, exp.In, exp.Between, exp.Coalesce, exp.If, exp.Case, exp.Paren)


def parameter_numbers(stmt: exp.Expr) -> list[int]:
    """The distinct $n numbers used in a statement, ascending."""
    nums = set()
    for p in stmt.find_all(exp.Parameter):
        if isinstance(p.this, exp.Literal) and p.this.is_int:
            nums.add(int(p.this.name))
    return sorted(nums)


def _known(t: exp.DataType | None) -> bool:
    return t is not None and not t.is_type(exp.DataType.Type.UNKNOWN, exp.DataType.Type.NULL)


def _insert_targets(stmt: exp.Insert, schema: dict) -> dict[int, exp.DataType]:
    """$n in INSERT ... VALUES takes the type of its target column."""
    target = stmt.this
    table = target.this if isinstance(target, exp.Schema) else target
    columns = _table_columns(schema, table)
    names = [c.name for c in target.expressions] if isinstance(target, exp.Schema) else list(columns)
    out: dict[int, exp.DataType] = {}
    values = stmt.expression
    if not isinstance(values, exp.Values):
        return out
    for row in values.expressions:
        for name, value in zip(names, row.expressions):
            if isinstance(value, exp.Parameter) and name in columns:
                out[int(value.this.name)] = exp.DataType.build(columns[name], dialect="duckdb")
    return out


def _update_targets(stmt: exp.Update, schema: dict) -> dict[int, exp.DataType]:
    """$n in UPDATE t SET c = $n, and in WHERE c = $n, takes the type of column c of t."""
    columns = _table_columns(schema, stmt.this)
    out: dict[int, exp.DataType] = {}
    for eq in stmt.find_all(exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE):
        col, par = eq.this, eq.expression
        if isinstance(par, exp.Column) and isinstance(col, exp.Parameter):
            col, par = par, col
        if isinstance(col, exp.Column) and isinstance(par, exp.Parameter) and col.name in columns:
            out[int(par.this.name)] = exp.DataType.build(columns[col.name], dialect="duckdb")
    return out


def _table_columns(schema: dict, table: exp.Table) -> dict[str, str]:
    for key in (table.db or None, "main", "public"):
        tables = schema.get(key) if key else None
        if isinstance(tables, dict) and table.name in tables:
            return tables[table.name]
    for tables in schema.values():
        if isinstance(tables, dict) and isinstance(tables.get(table.name), dict):
            return tables[table.name]
    return {}


def _builtin_type(to: exp.DataType) -> exp.DataType:
    """pg_catalog-qualified type names (asyncpg writes $1::"pg_catalog"."int4") as the
    plain built-in type."""
    kind = to.args.get("kind")
    if to.this == exp.DataType.Type.USERDEFINED and isinstance(kind, exp.Dot) and kind.this.name == "pg_catalog":
        try:
            return exp.DataType.build(kind.expression.name, dialect="postgres")
        except Exception:
            return to
    return to


def infer_param_types(stmt: exp.Expr, schema: dict) -> dict[int, exp.DataType]:
    """Map parameter number -> inferred type, for those whose type can be inferred."""
    out: dict[int, exp.DataType] = {}
    if isinstance(stmt, exp.Insert):
        out.update(_insert_targets(stmt, schema))
    elif isinstance(stmt, (exp.Update, exp.Delete)) and isinstance(stmt.this, exp.Table):
        out.update(_update_targets(stmt, schema))
    try:
        if schema.get("main"):  # PostgreSQL's public is DuckDB's main (sqlglot refuses an empty one)
            schema = {**schema, "public": schema["main"]}
        tree = qualify(stmt.copy(), schema=schema, db="main", dialect="postgres",
                       validate_qualify_columns=False)
        tree = annotate_types(tree, schema=schema)
    except Exception:  # inference is best effort: an unknown type falls back to text
        return out
    for p in tree.find_all(exp.Parameter):
        if not (isinstance(p.this, exp.Literal) and p.this.is_int):
            continue
        n = int(p.this.name)
        if n in out:
            continue
        parent = p.parent
        if isinstance(parent, exp.Cast):
            out[n] = _builtin_type(parent.to)
        elif isinstance(parent, (exp.Limit, exp.Offset, exp.Fetch)):
            out[n] = exp.DataType.build("BIGINT")
        elif isinstance(parent, exp.EQ) and isinstance(parent.parent, exp.Update):
            if _known(parent.this.type):
                out[n] = parent.this.type
        elif isinstance(parent, _PEERS):
            peer = next((e for e in parent.iter_expressions() if e is not p and _known(e.type)), None)
            if peer is not None:
                out[n] = peer.type
    return out
