"""AST fixes for columns a small model puts in the wrong place. Each applies only where the query
as written names a column its table lacks (so it would fail), and only when the schema leaves
exactly one reading: a query that would run is never changed.

On a Spider dev sample (60 questions, seed 3) 6 of the 19 wrong answers were these slips, and
the repair prompt mostly made the model repeat them word for word; with these fixes 5 of the 6
were answered right.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from sqlglot import exp
from sqlglot.optimizer.scope import Scope, traverse_scope

from .schema import SchemaContext


def table_scopes(tree: exp.Expr, columns_of: Mapping[str, frozenset[str]]) -> list[Scope]:
    """Scopes whose every source is a table of the schema (derived tables and CTEs are skipped:
    their columns are not in the schema)."""
    try:
        scopes = traverse_scope(tree)
    except Exception:  # noqa: BLE001 - an unusual shape is left to the engine and the repair prompt
        return []
    return [s for s in scopes if s.sources and all(
        isinstance(src, exp.Table) and not src.db and src.name.lower() in columns_of for src in s.sources.values())]


def is_inner_on(join: exp.Join) -> bool:
    """An inner join with an ON condition (no LEFT/RIGHT/FULL side, no CROSS, no USING)."""
    return not join.side and join.kind in ("", "INNER") and join.args.get("on") is not None \
        and not join.args.get("using")


def _scope_joins(tree: exp.Expr, columns_of: Mapping[str, frozenset[str]]):
    """(select, alias -> table, names of the tables in FROM, join) for each inner join of each
    SELECT whose every source is a schema table; the names grow as the caller joins tables in."""
    for scope in table_scopes(tree, columns_of):
        select = scope.expression
        if not isinstance(select, exp.Select) or len(scope.sources) < 2:
            continue
        tables = {alias.lower(): src for alias, src in scope.sources.items()}
        in_from = {src.name.lower() for src in tables.values()}
        for join in list(select.args.get("joins") or []):
            if is_inner_on(join):
                yield select, tables, in_from, join


def _join_before(select: exp.Select, join: exp.Join, table: str, on: exp.Expr) -> None:
    """Join `table` ON `on` just before `join` in the select's joins."""
    joins = select.args["joins"]
    joins.insert(joins.index(join), exp.Join(this=exp.Table(this=exp.to_identifier(table)), on=on))
    select.set("joins", joins)


def _own_columns(scope: Scope) -> list[exp.Column]:
    """The scope's columns outside its subqueries (sqlglot also lists a subquery's unqualified
    columns with the outer scope, as they might be correlated)."""
    return [c for c in scope.columns if c.find_ancestor(exp.Select) is scope.expression]


def _qualifier(table: exp.Table) -> exp.Identifier:
    """What a column of `table` is qualified with: its alias, else its name."""
    alias = table.args.get("alias")
    return (alias.this if alias is not None and alias.this else table.this).copy()


def requalify_misplaced_columns(tree: exp.Expr, context: SchemaContext) -> exp.Expr:
    """T2.model where T2 (cars_data) has no model but T1 (car_names), the only other table in
    FROM with one, has: T1.model. Small models often swap the aliases of a two-table join."""
    columns_of = context.column_names
    for scope in table_scopes(tree, columns_of):
        tables = {alias.lower(): src for alias, src in scope.sources.items()}
        for col in _own_columns(scope):
            qualifier, name = col.table.lower(), col.name.lower()
            if not qualifier or not name or isinstance(col.this, exp.Star) or qualifier not in tables:
                continue
            if name in columns_of[tables[qualifier].name.lower()]:
                continue
            owners = [src for src in tables.values() if name in columns_of[src.name.lower()]]
            if len(owners) == 1:
                col.set("table", _qualifier(owners[0]))
    return tree


@dataclass(frozen=True)
class _Link:
    table: str                              # the neighbour's name as the schema spells it
    pairs: tuple[tuple[str, str], ...]      # (column of the base table, column of the neighbour)


def _links(context: SchemaContext, base: str) -> list[_Link]:
    """Tables one foreign key away from `base`, in either direction."""
    links = []
    for t in context.tables:
        for fk in t.foreign_keys:
            if t.name.lower() == base and fk.ref_table.lower() != base:
                links.append(_Link(fk.ref_table, tuple(zip(fk.columns, fk.ref_columns))))
            elif fk.ref_table.lower() == base and t.name.lower() != base:
                links.append(_Link(t.name, tuple(zip(fk.ref_columns, fk.columns))))
    return links


def join_missing_tables(tree: exp.Expr, context: SchemaContext) -> exp.Expr:
    """SELECT money_rank FROM poker_player ORDER BY height: no table in FROM has height; people,
    one foreign key away, is the only neighbour that has it  ->  JOIN people ON the key, with every
    column of the scope qualified so none becomes ambiguous."""
    columns_of = context.column_names
    for scope in table_scopes(tree, columns_of):
        select = scope.expression
        if not isinstance(select, exp.Select) or len(scope.sources) != 1:
            continue
        base = next(iter(scope.sources.values()))
        base_name = base.name.lower()
        own_aliases = {a.alias.lower() for a in select.expressions if isinstance(a, exp.Alias)}
        unqualified = [c for c in _own_columns(scope) if not c.table and c.name and not isinstance(c.this, exp.Star)]
        missing = {c.name.lower() for c in unqualified} - columns_of[base_name] - own_aliases
        if not missing or missing & _outer_columns(scope, columns_of):
            continue   # nothing to add, or a correlated reference to an outer query's table
        fits = [link for link in _links(context, base_name) if missing <= columns_of[link.table.lower()]]
        if len(fits) != 1:
            continue   # no neighbour, or several readings: left to the repair prompt
        link = fits[0]
        neighbour = exp.Table(this=exp.to_identifier(link.table))
        base_q = _qualifier(base)
        for col in unqualified:
            name = col.name.lower()
            if name in columns_of[base_name]:
                col.set("table", base_q.copy())
            elif name in missing:
                col.set("table", exp.to_identifier(link.table))
        on = exp.and_(*(exp.EQ(this=exp.column(b, table=base_q.copy()), expression=exp.column(n, table=link.table))
                        for b, n in link.pairs))
        select.join(neighbour, on=on, copy=False)
    return tree


def join_skipped_bridges(tree: exp.Expr, context: SchemaContext) -> exp.Expr:
    """customers c JOIN order_items oi ON c.id = oi.customer_id: order_items has no customer_id;
    orders, one foreign key away from order_items and not in FROM, is the only neighbour that has
    it: the model skipped the bridge table. ->  customers c JOIN orders ON c.id = orders.customer_id
    JOIN order_items oi ON oi.order_id = orders.id. Only inner joins, only when the join's ON
    names the table through the missing column alone (so the bridge's join can take that ON)."""
    columns_of = context.column_names
    for select, tables, in_from, join in _scope_joins(tree, columns_of):
        target, on = join.this, join.args["on"]
        if not isinstance(target, exp.Table):
            continue
        alias, name = target.alias_or_name.lower(), target.name.lower()
        refs = [c for c in on.find_all(exp.Column) if c.table.lower() == alias]
        if len(refs) != 1 or any(refs[0].name.lower() in columns_of[src.name.lower()] for src in tables.values()):
            continue   # linked otherwise, or the column exists in FROM (requalify_misplaced_columns' case)
        missing = refs[0].name.lower()
        fits = [link for link in _links(context, name) if missing in columns_of[link.table.lower()]
                and link.table.lower() not in in_from and link.table.lower() not in tables]
        if len(fits) != 1:
            continue   # no bridge, or several readings: left to the repair prompt
        link = fits[0]
        bridge = exp.to_identifier(link.table)
        refs[0].set("table", bridge.copy())
        target_q = _qualifier(target)
        _join_before(select, join, link.table, on.pop())   # the bridge takes the model's ON
        join.set("on", exp.and_(*(exp.EQ(this=exp.column(t, table=target_q.copy()),
                                         expression=exp.column(b, table=bridge.copy())) for t, b in link.pairs)))
        in_from.add(link.table.lower())
    return tree


def join_foreign_key_bridges(tree: exp.Expr, context: SchemaContext) -> exp.Expr:
    """continents JOIN car_makers ON continents.contid = car_makers.country: car_makers.country is
    a foreign key to countries, not to continents, and countries (not in FROM) has the foreign key
    to continents.contid: the model skipped the table in between.  ->  continents JOIN countries ON
    countries.continent = continents.contid JOIN car_makers ON car_makers.country = countries.countryid.
    Only inner joins whose ON is that one equality, and only when the schema declares both keys."""
    for select, tables, in_from, join in _scope_joins(tree, context.column_names):
        on = join.args["on"]
        if not isinstance(on, exp.EQ) or \
                not all(isinstance(c, exp.Column) and c.table.lower() in tables for c in (on.left, on.right)):
            continue
        bridge = (_skipped_bridge(context, tables, on.left, on.right)
                  or _skipped_bridge(context, tables, on.right, on.left))
        if bridge is None or bridge[0].lower() in in_from:
            continue
        name, fk_on, key_on = bridge   # key_on links the bridge to the key's table, fk_on to the foreign key's
        joined_is_key = join.this.alias_or_name.lower() in {c.table.lower() for c in key_on.find_all(exp.Column)}
        join.set("on", key_on if joined_is_key else fk_on)
        _join_before(select, join, name, fk_on if joined_is_key else key_on)
        in_from.add(name.lower())
    return tree


def _skipped_bridge(context: SchemaContext, tables: dict, fk_col: exp.Column, key_col: exp.Column):
    """(bridge table, ON linking it to fk_col's table, ON linking it to key_col's table) when
    fk_col is a one-column foreign key to a table other than key_col's, and that table has the one
    foreign key to key_col; else None."""
    fk_table = context.table(tables[fk_col.table.lower()].name)
    key_table = context.table(tables[key_col.table.lower()].name)
    if fk_table is None or key_table is None:
        return None
    fk = next((f for f in fk_table.foreign_keys
               if len(f.columns) == 1 and f.columns[0].lower() == fk_col.name.lower()), None)
    bridge = context.table(fk.ref_table) if fk is not None else None
    if bridge is None or bridge.name.lower() in (key_table.name.lower(), fk_table.name.lower()):
        return None
    back = [f for f in bridge.foreign_keys if f.ref_table.lower() == key_table.name.lower() and len(f.columns) == 1
            and f.ref_columns[0].lower() == key_col.name.lower()]
    if len(back) != 1:
        return None
    b = exp.to_identifier(bridge.name)
    fk_on = exp.EQ(this=fk_col.copy(), expression=exp.column(fk.ref_columns[0], table=b.copy()))
    key_on = exp.EQ(this=exp.column(back[0].columns[0], table=b.copy()), expression=key_col.copy())
    return bridge.name, fk_on, key_on


def _outer_columns(scope: Scope, columns_of: Mapping[str, frozenset[str]]) -> set[str]:
    names: set[str] = set()
    parent = scope.parent
    while parent is not None:
        for src in parent.sources.values():
            if isinstance(src, exp.Table):
                names |= columns_of.get(src.name.lower(), frozenset())
        parent = parent.parent
    return names
