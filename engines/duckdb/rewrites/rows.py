"""Row-value comparisons: (a, b) < (c, d). DuckDB compares them as structs, where a NULL
field does not make the result unknown; PostgreSQL compares field by field."""

from __future__ import annotations

from functools import reduce

from sqlglot import exp

_ORDERING = {exp.GT: exp.GT, exp.GTE: exp.GT, exp.LT: exp.LT, exp.LTE: exp.LT}


def _pairs(node: exp.Binary) -> list[tuple[exp.Expr, exp.Expr]] | None:
    left, right = node.this, node.expression
    if not (isinstance(left, exp.Tuple) and isinstance(right, exp.Tuple)):
        return None
    if len(left.expressions) != len(right.expressions) or not left.expressions:
        return None
    return [(a.copy(), b.copy()) for a, b in zip(left.expressions, right.expressions)]


def _ordered(node: exp.Binary, pairs: list[tuple[exp.Expr, exp.Expr]]) -> exp.Expr:
    # a1 > b1 OR (a1 = b1 AND (a2 > b2 OR (a2 = b2 AND ... last >= or > ...)))
    strict = _ORDERING[type(node)]
    *init, (la, lb) = pairs
    result: exp.Expr = type(node)(this=la, expression=lb)
    for a, b in reversed(init):
        result = exp.or_(strict(this=a, expression=b),
                         exp.and_(exp.EQ(this=a.copy(), expression=b.copy()), result))
    return exp.paren(result)


def row_comparison_by_field(tree: exp.Expr) -> exp.Expr:
    for node in list(tree.find_all(exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE)):
        pairs = _pairs(node)
        if pairs is None:
            continue
        if isinstance(node, exp.EQ):
            new = reduce(exp.and_, [exp.EQ(this=a, expression=b) for a, b in pairs])
        elif isinstance(node, exp.NEQ):
            new = reduce(exp.or_, [exp.NEQ(this=a, expression=b) for a, b in pairs])
        else:
            new = _ordered(node, pairs)
        node.replace(exp.paren(new) if not isinstance(new, exp.Paren) else new)
    return tree
