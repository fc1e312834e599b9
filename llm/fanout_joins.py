"""A join to a child table that sums its parent's values once per child row (a fan-out).

"Total population for each government form" came back as country JOIN countrylanguage ...
SUM(country.population): every country is summed once per language it speaks. The joined tables
read nowhere outside ONs, whose names say nothing the question asks, are dropped together when
the query's aggregates are SUM or AVG (with MIN / MAX at most, which repeats do not change), no
join that stays is linked through them, and one of them is joined to a table that stays on that
table's whole primary key (each of its rows then meets many of the joined table's: the join can
only repeat them or, for rows without any, drop them). COUNT is left alone: there the join is
usually what is counted ("teachers and the number of courses they teach").
"""

from __future__ import annotations

from sqlglot import exp

from .column_fixes import is_inner_on, table_scopes
from .schema import SchemaContext, Table
from .text import terms

_REPEAT_SENSITIVE = (exp.Sum, exp.Avg)
_REPEAT_BLIND = (exp.Max, exp.Min)


def drop_fanout_joins(tree: exp.Expr, context: SchemaContext, question: str) -> exp.Expr:
    """Only the outermost SELECT, and only joins to tables of the schema."""
    if not isinstance(tree, exp.Select) or not question:
        return tree
    aggs = [a for a in tree.find_all(exp.AggFunc) if a.find_ancestor(exp.Select) is tree]
    if not any(isinstance(a, _REPEAT_SENSITIVE) for a in aggs) or \
            not all(isinstance(a, _REPEAT_SENSITIVE + _REPEAT_BLIND) for a in aggs):
        return tree
    scope = next((s for s in table_scopes(tree, context.column_names) if s.expression is tree), None)
    if scope is None:
        return tree
    columns = list(tree.find_all(exp.Column))
    if any(not c.table for c in columns if c.find_ancestor(exp.Select) is tree):
        return tree   # an unqualified column could belong to the joined table
    sources = {alias.lower(): context.table(src.name) for alias, src in scope.sources.items()}
    asked = set(terms(question))
    joins = tree.args.get("joins") or []
    # the joined tables read only in ONs, and not named by the question; they go together
    # ("average price per category" over products JOIN order_items JOIN orders: both joins)
    dropped = {j.this.alias_or_name.lower(): j for j in joins
               if not _read_outside_ons(j.this.alias_or_name.lower(), columns)
               and not _named(j.this, tree, columns, asked)}
    kept = [j for j in joins if j.this.alias_or_name.lower() not in dropped]
    if not dropped or any(_on_aliases(j) & dropped.keys() for j in kept):
        return tree   # a join that stays is linked through one that would go
    repeating = [alias for alias, j in dropped.items()
                 if _fans_out(j, alias, sources) and not (_on_aliases(j) - {alias}) & dropped.keys()]
    if not repeating:
        return tree   # nothing repeats the rows that stay: the joins are lookups or filters, left alone
    for join in dropped.values():
        join.pop()
    return tree


def _on_aliases(join: exp.Join) -> set[str]:
    on = join.args.get("on")
    return {c.table.lower() for c in on.find_all(exp.Column)} if on is not None else set()


def _read_outside_ons(alias: str, columns: list[exp.Column]) -> bool:
    return any(c.table.lower() == alias and not c.find_ancestor(exp.Join) for c in columns)


def _fans_out(join: exp.Join, alias: str, sources: dict[str, Table | None]) -> bool:
    """An inner join whose ON equates columns of `alias` with the whole primary key of one other
    table (not with alias's own whole key: that would be one to one)."""
    on = join.args.get("on")
    if not is_inner_on(join):
        return False
    pairs = [on] if isinstance(on, exp.EQ) else list(on.flatten()) if isinstance(on, exp.And) else []
    mine, theirs = set(), {}
    for eq in pairs:
        if not isinstance(eq, exp.EQ) or not all(isinstance(s, exp.Column) for s in (eq.left, eq.right)):
            return False
        a, b = eq.left, eq.right
        if b.table.lower() == alias:
            a, b = b, a
        if a.table.lower() != alias or b.table.lower() == alias:
            return False
        mine.add(a.name.lower())
        theirs.setdefault(b.table.lower(), set()).add(b.name.lower())
    if len(theirs) != 1 or sources.get(alias) is None:
        return False
    other = sources.get(next(iter(theirs)))
    if other is None:
        return False
    return _key(other) == theirs[next(iter(theirs))] and _key(sources[alias]) != mine


def _key(table: Table) -> set[str]:
    return {c.name.lower() for c in table.columns if c.primary_key}


def _named(table: exp.Table, select: exp.Select, columns: list[exp.Column], asked: set[str]) -> bool:
    """Whether the question says a word of the table's name that no table the query reads says."""
    read = {c.table.lower() for c in columns if not c.find_ancestor(exp.Join)}
    base = select.args.get("from_") or select.args.get("from")
    tables = [base.this] + [j.this for j in select.args.get("joins") or []]
    said = set().union(*(terms(t.name) for t in tables if t is not table and t.alias_or_name.lower() in read))
    return bool((set(terms(table.name)) - said) & asked)
