"""PostgreSQL's names for unaliased result columns (its FigureColname), made explicit.

Engines name `count(*)` "count_star()" or "COUNT(1)"; PostgreSQL says "count", and clients
(and people) rely on it. So before an engine sees a query, every unaliased output column
gets the alias PostgreSQL would have given it. Engine-neutral: DuckDB and Spark share it.
"""

from __future__ import annotations

from sqlglot import exp

# Type names as PostgreSQL reports them for `'1'::int` etc.
_TYPE_NAMES = {
    "INT": "int4", "INTEGER": "int4", "BIGINT": "int8", "SMALLINT": "int2", "REAL": "float4",
    "FLOAT": "float8", "DOUBLE": "float8", "DOUBLE PRECISION": "float8", "BOOLEAN": "bool",
    "VARCHAR": "varchar", "CHAR": "bpchar", "TEXT": "text", "DECIMAL": "numeric", "NUMERIC": "numeric",
    "DATE": "date", "TIMESTAMP": "timestamp", "TIMESTAMPTZ": "timestamptz", "TIME": "time",
    "INTERVAL": "interval", "JSON": "json", "JSONB": "jsonb", "UUID": "uuid", "BYTEA": "bytea",
}


def figure_colname(e: exp.Expr) -> str:
    if isinstance(e, exp.Column):
        return e.name if not isinstance(e.this, exp.Star) else "?column?"
    if isinstance(e, (exp.Cast, exp.TryCast)):
        inner = figure_colname(e.this)
        if inner != "?column?":
            return inner
        to = e.to
        return _TYPE_NAMES.get(to.this.name if hasattr(to.this, "name") else "", None) or \
            _TYPE_NAMES.get(to.sql(dialect="postgres").upper().split("(")[0], to.sql(dialect="postgres").lower())
    if isinstance(e, exp.Paren):
        return figure_colname(e.this)
    if isinstance(e, exp.Case):
        default = e.args.get("default")
        named = figure_colname(default) if default is not None else "?column?"
        return named if named != "?column?" else "case"
    if isinstance(e, exp.Window):
        return figure_colname(e.this)
    if isinstance(e, exp.Trim):
        return {"LEADING": "ltrim", "TRAILING": "rtrim"}.get(str(e.args.get("position") or "").upper(), "btrim")
    if isinstance(e, exp.Exists):
        return "exists"
    if isinstance(e, exp.Array):
        return "array"
    if isinstance(e, (exp.Subquery,)):
        inner = e.this
        if isinstance(inner, exp.Select) and len(inner.expressions) == 1:
            first = inner.expressions[0]
            return first.alias if isinstance(first, exp.Alias) else figure_colname(first)
        return "?column?"
    if isinstance(e, exp.Anonymous):
        return str(e.this).lower()
    if isinstance(e, exp.Func):
        return _function_name(e)
    if isinstance(e, (exp.CurrentDate, exp.CurrentTimestamp, exp.CurrentTime, exp.CurrentUser)):
        return type(e).key.lower()
    return "?column?"


def _function_name(e: exp.Func) -> str:
    """The name the user wrote: sqlglot keeps it in the AST's SQL in the Postgres dialect."""
    if isinstance(e, exp.Count):
        return "count"
    if isinstance(e, (exp.Coalesce,)):
        return "coalesce"
    text = e.sql(dialect="postgres")
    head = text.split("(", 1)[0].strip()
    if not head or " " in head:
        return "?column?"
    return head.split(".")[-1].strip('"').lower()


def name_output_columns(stmt: exp.Expr) -> exp.Expr:
    """Alias every unaliased output column of the outermost SELECT(s) as PostgreSQL names it."""
    selects = []
    if isinstance(stmt, exp.Select):
        selects = [stmt]
    elif isinstance(stmt, exp.SetOperation):
        left = stmt
        while isinstance(left, exp.SetOperation):
            left = left.this
        if isinstance(left, exp.Select):
            selects = [left]  # the first branch names the columns
    for select in selects:
        named = []
        for e in select.expressions:
            if isinstance(e, exp.Alias) or isinstance(e, exp.Star) or (isinstance(e, exp.Column) and isinstance(e.this, exp.Star)):
                named.append(e)
            elif isinstance(e, exp.Column):
                named.append(e)
            else:
                named.append(exp.alias_(e, figure_colname(e), quoted=True))
        select.set("expressions", named)
    return stmt
