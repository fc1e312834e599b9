"""Joins the model adds that the question never asked for.

"What are the song names of singers older than average?" came back as singer JOIN
singer_in_concert JOIN concert, reading nothing from the two joined tables: each song name then
appears once per concert, and singers without a concert vanish. An inner join is dropped when no
part of the query reads the joined table (outside its own ON), the query does not count or group
rows (there a join can be the point), and the question names nothing that only that table's name
says. An inner join is symmetric, so the FROM table goes the same way when only the tables
joined to it are read (`FROM tv_series T1 JOIN tv_series T2 ON T1.id = T2.channel` selecting T2's
columns). On Spider dev's gold SQL it changes none of the 1,034 queries; on 175 earlier
predictions it changed 4, each to the gold query's reading; dropping the FROM table rewrote 2 of
282 later predictions, one to the gold query's result, one that fails either way.
"""

from __future__ import annotations

from sqlglot import exp

from .column_fixes import is_inner_on
from .text import terms


def drop_unread_joins(tree: exp.Expr, question: str) -> exp.Expr:
    """Only the outermost SELECT, and not a DISTINCT one: inside IN / EXCEPT / INTERSECT, or with
    DISTINCT ("customers who ordered"), a join that reads nothing is usually the filter itself."""
    if isinstance(tree, exp.Select) and not tree.args.get("distinct"):
        asked = set(terms(question))
        while (unread := _unread_source(tree, asked)) is not None:
            if isinstance(unread, exp.Join):
                unread.pop()
            else:   # the FROM table: the first joined table takes its place
                first = tree.args["joins"][0]
                unread.replace(first.this.pop())
                first.pop()
    return tree


def _unread_source(select: exp.Select, asked: set[str]) -> exp.Join | exp.Table | None:
    """A join to drop, or else the FROM table when it can go."""
    joins = select.args.get("joins") or []
    base = select.args.get("from_") or select.args.get("from")
    if not joins or base is None or not isinstance(base.this, exp.Table):
        return None
    if select.args.get("group") or any(_nearest_select(n) is select for n in select.find_all(exp.AggFunc, exp.Star)):
        return None   # rows are counted or grouped: the join may be what is counted
    columns = list(select.find_all(exp.Column))
    if any(not c.table for c in columns if _nearest_select(c) is select):
        return None   # an unqualified column could belong to the joined table
    tables = [base.this] + [j.this for j in joins]
    if not all(isinstance(t, exp.Table) for t in tables):
        return None
    read = {c.table.lower() for c in columns if not c.find_ancestor(exp.Join)}
    # Words of the tables the query reads say nothing about a joined one ("concert" in
    # singer_in_concert when the question asks about concerts, not "singer").
    said = set().union(*(terms(t.name) for t in tables if t is base.this or t.alias_or_name.lower() in read))
    for join in reversed(joins):
        if _droppable(join.this, join, columns, said, asked):
            return join
    first = joins[0]   # the FROM table, which the first join's ON links to the rest
    said = set().union(*(terms(t.name) for t in tables[1:] if t.alias_or_name.lower() in read))
    if _droppable(base.this, first, columns, said, asked) and isinstance(first.this, exp.Table):
        return base.this
    return None


def _droppable(table: exp.Table, join: exp.Join, columns: list[exp.Column], said: set[str], asked: set[str]) -> bool:
    """Whether `table`, linked to the rest by the inner `join`'s ON alone, is read nowhere else
    and not named by the question."""
    if not is_inner_on(join):
        return False
    alias = table.alias_or_name.lower()
    if any(c.table.lower() == alias and c.find_ancestor(exp.Join) is not join for c in columns):
        return False   # read somewhere: in the select list, WHERE, ORDER BY, another join, a subquery
    return not (set(terms(table.name)) - said) & asked   # else the question names it


def _nearest_select(node: exp.Expr) -> exp.Select | None:
    return node.find_ancestor(exp.Select)
