"""Type annotation for the rewrites that depend on operand types.

sqlglot's annotate_types resolves a column's type only when the column names its table,
and qualifying the tree would rename output columns. So each column is typed here from
the schema (or from a derived table's projection), scope by scope, innermost first,
and annotate_types then fills in everything else without overwriting those types.
"""

from __future__ import annotations

from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.optimizer.annotate_types import annotate_types
from sqlglot.optimizer.scope import Scope, traverse_scope
from sqlglot.schema import Schema, ensure_schema


def has_type(node: exp.Expr, *types: exp.DType) -> bool:
    return node.type is not None and node.is_type(*types)


def surely_float(node: exp.Expr) -> bool:
    """Whether PostgreSQL computes `node` in double precision or real. sqlglot types a
    literal such as 2.5 as DOUBLE, but PostgreSQL reads it as numeric, so literals count
    only through an explicit cast."""
    if isinstance(node, (exp.Paren, exp.Neg)):
        return surely_float(node.this)
    if isinstance(node, exp.Cast):
        return node.to.this in exp.DataType.FLOAT_TYPES
    if isinstance(node, exp.Column):
        return has_type(node, *exp.DataType.FLOAT_TYPES)
    if isinstance(node, (exp.Add, exp.Sub, exp.Mul, exp.Div)):
        return surely_float(node.left) or surely_float(node.right)
    return False


def _source_column_type(source: object, name: str, schema: Schema) -> exp.DataType | None:
    if isinstance(source, exp.Table):
        if name not in schema.column_names(source):
            return None
        return schema.get_column_type(source, exp.column(name))
    if isinstance(source, Scope) and isinstance(source.expression, exp.Query):
        selects = source.expression.selects
        # WITH n(i) AS (...) / (SELECT ...) AS t(i): names given by the alias, by position
        alias = source.expression.parent.args.get("alias") if source.expression.parent else None
        names = [c.name for c in alias.columns] if isinstance(alias, exp.TableAlias) else []
        if names and name in names and len(names) == len(selects):
            return selects[names.index(name)].type
        for select in selects:
            if select.alias_or_name == name and select.type is not None:
                return select.type
    return None


def _column_type(scope: Scope, column: exp.Column, schema: Schema) -> exp.DataType | None:
    if column.table:
        source = scope.sources.get(column.table)
        return None if source is None else _source_column_type(source, column.name, schema)
    found = [t for src in scope.selected_sources.values()
             if (t := _source_column_type(src[1], column.name, schema)) is not None]
    return found[0] if len(found) == 1 else None


def annotate(tree: exp.Expr, schema: dict | None) -> exp.Expr:
    """Set `.type` on the tree's nodes in place; on any failure leave types unknown.

    `schema` maps tables (optionally under schema names) to {column: type}, the types
    spelled as DuckDB reports them (duckdb_columns().data_type)."""
    try:
        resolved = ensure_schema(schema or {}, dialect="duckdb")
        for scope in traverse_scope(tree):
            for column in scope.columns:
                column_type = _column_type(scope, column, resolved)
                if column_type is not None and not column_type.is_type(exp.DType.UNKNOWN):
                    column.type = column_type.copy()
            annotate_types(scope.expression, schema=resolved, dialect="postgres",
                           overwrite_types=False)
        annotate_types(tree, schema=resolved, dialect="postgres", overwrite_types=False)
    except (SqlglotError, KeyError, ValueError, TypeError, AttributeError):
        pass  # types stay unknown: the type-dependent rewrites then leave nodes alone
    return tree
