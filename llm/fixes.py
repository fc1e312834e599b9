"""AST rules for slips small models make often; each is a plain `Expr -> Expr` function
(the sqlglot optimizer's habit), applied in order."""

from __future__ import annotations

from typing import Callable, Sequence

from sqlglot import exp

from .column_fixes import join_missing_tables, requalify_misplaced_columns
from .schema import SchemaContext
from .unread_joins import drop_unread_joins
from .values import ValueMatch, spell_values_as_stored

def _has_agg(node: exp.Expr) -> bool:
    return isinstance(node, exp.AggFunc) or any(True for _ in node.find_all(exp.AggFunc))


def group_ungrouped_columns(tree: exp.Expr, context: SchemaContext) -> exp.Expr:
    """SELECT name, count(*) ... GROUP BY id  ->  ... GROUP BY id, name  (Postgres rejects the former)."""
    for select in tree.find_all(exp.Select):
        group = select.args.get("group")
        if not group:
            continue
        grouped = {g.sql() for g in group.expressions}
        aliases = {g.name for g in group.expressions if isinstance(g, exp.Column) and not g.table}
        for proj in select.expressions:
            inner = proj.this if isinstance(proj, exp.Alias) else proj
            if isinstance(inner, exp.Star) or _has_agg(inner) or isinstance(inner, exp.Literal):
                continue
            if any(isinstance(w, exp.Window) for w in inner.find_all(exp.Window)):
                continue
            if inner.sql() in grouped or (isinstance(proj, exp.Alias) and proj.alias in aliases):
                continue
            group.append("expressions", inner.copy())
            grouped.add(inner.sql())
    return tree


def double_quoted_strings_to_literals(tree: exp.Expr, context: SchemaContext) -> exp.Expr:
    """WHERE country = "France" (SQLite habit): a quoted name that is no column is a string."""
    names = {c.name.lower() for t in context.tables for c in t.columns}
    names |= {t.name.lower() for t in context.tables}
    aliases = {a.alias.lower() for a in tree.find_all(exp.Alias)} | {
        a.alias.lower() for a in tree.find_all(exp.TableAlias) if a.name}
    for col in list(tree.find_all(exp.Column)):
        ident = col.this
        if (isinstance(ident, exp.Identifier) and ident.quoted and not col.table
                and ident.name.lower() not in names and ident.name.lower() not in aliases
                and isinstance(col.parent, (exp.EQ, exp.NEQ, exp.Like, exp.ILike, exp.In))):
            col.replace(exp.Literal.string(ident.name))
    return tree


Fix = Callable[[exp.Expr, SchemaContext], exp.Expr]
# Columns are put in place before grouping, which compares the select list with GROUP BY.
FIXES: tuple[Fix, ...] = (double_quoted_strings_to_literals, requalify_misplaced_columns, join_missing_tables,
                          group_ungrouped_columns)


def apply_fixes(tree: exp.Expr, context: SchemaContext, *, question: str = "",
                values: Sequence[ValueMatch] = ()) -> exp.Expr:
    """The schema-only fixes, then those that also read the question and its matched values."""
    tree = tree.copy()
    for fix in FIXES:
        tree = fix(tree, context)
    tree = spell_values_as_stored(tree, values)
    return drop_unread_joins(tree, question) if question else tree
