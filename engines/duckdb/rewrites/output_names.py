"""Names of unaliased columns inside subqueries and CTEs, as PostgreSQL gives them.

The engine names the outermost query's columns (engines/pg_names.name_output_columns);
inner ones matter too: `SELECT count FROM (SELECT count(*) FROM t) s` reads PostgreSQL's
name "count", which DuckDB would call "count_star()". This uses the same naming rules.
"""

from __future__ import annotations

from sqlglot import exp

from ...pg_names import figure_colname


def _outermost_selects(tree: exp.Expr) -> set[int]:
    node = tree
    while isinstance(node, exp.SetOperation):
        node = node.this
    return {id(node)} if isinstance(node, exp.Select) else set()


def name_inner_outputs_like_postgres(tree: exp.Expr) -> exp.Expr:
    outermost = _outermost_selects(tree)
    for select in list(tree.find_all(exp.Select)):
        if id(select) in outermost:
            continue
        for projection in list(select.expressions):
            if isinstance(projection, (exp.Alias, exp.Column, exp.Star)) or projection.is_star:
                continue
            projection.replace(exp.alias_(projection.copy(), figure_colname(projection), quoted=True))
    return tree
