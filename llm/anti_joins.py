"""An inner join asked for the rows it cannot have: "shops with no employees" came back as

    SELECT T2.name FROM hiring AS T1 JOIN shop AS T2 ON T1.shop_id = T2.shop_id WHERE T1.employee_id IS NULL

Every row of an inner join has a hiring row, whose key (and whose ON column) is never NULL: the
query answers nothing, always. What it means is an anti-join: shop LEFT JOIN hiring ... IS NULL.
Only two-table queries whose WHERE tests, as one of its ANDed conditions, a column the join
guarantees is there: one the ON compares with equality, or the table's one-column primary key.
"""

from __future__ import annotations

from sqlglot import exp

from .column_fixes import is_inner_on
from .schema import SchemaContext


def left_join_for_missing_rows(tree: exp.Expr, context: SchemaContext) -> exp.Expr:
    for select in list(tree.find_all(exp.Select)):
        joins = select.args.get("joins") or []
        base = select.args.get("from_") or select.args.get("from")
        where = select.args.get("where")
        if len(joins) != 1 or base is None or where is None:
            continue
        join = joins[0]
        on = join.args.get("on")
        if not is_inner_on(join) or not all(isinstance(t, exp.Table) for t in (base.this, join.this)):
            continue
        missing = _missing_side(where.this, on, {t.alias_or_name.lower(): t for t in (base.this, join.this)}, context)
        if missing is None:
            continue
        if missing is base.this:   # the other table goes first, so that it keeps its rows
            other = join.this
            base.set("this", other.copy())
            join.set("this", missing.copy())
        join.set("kind", None)
        join.set("side", "LEFT")
    return tree


def _missing_side(where: exp.Expr, on: exp.Expr, tables: dict[str, exp.Table],
                  context: SchemaContext) -> exp.Table | None:
    """The table whose never-NULL column the WHERE requires to be NULL, or None."""
    conjuncts = list(where.flatten()) if isinstance(where, exp.And) else [where]
    on_columns = {(c.table.lower(), c.name.lower()) for eq in on.find_all(exp.EQ)
                  for c in (eq.left, eq.right) if isinstance(c, exp.Column)}
    for cond in conjuncts:
        if not isinstance(cond, exp.Is) or not isinstance(cond.expression, exp.Null) or \
                not isinstance(cond.this, exp.Column):
            continue
        alias, name = cond.this.table.lower(), cond.this.name.lower()
        table = tables.get(alias)
        if table is None:
            continue
        known = context.table(table.name)
        key = [c.name.lower() for c in known.columns if c.primary_key] if known is not None else []
        if (alias, name) in on_columns or key == [name]:
            return table
    return None
