"""Gold answers that end in a tie: "which year has the most concerts?" when 2014 and 2015 both
have three. The gold query's ORDER BY count DESC LIMIT 1 returns whichever tied row SQLite
happens to scan first, and an answer naming the other tied row is just as right. Spider's own
evaluation counts it wrong; the evaluation here reports both counts (strict, and with ties).

Only plain SELECTs (no DISTINCT, set operation or OFFSET) ending in ORDER BY ... LIMIT k whose
k-th and (k+1)-th rows have equal ORDER BY keys: the gold query is run again without its LIMIT
and with its ORDER BY keys as extra columns, and an answer is right when it holds every row
ranked before the tie and, from the tied rows, as many as the LIMIT leaves room for.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import sqlglot
from sqlglot import exp

from .spider import _norm_value, run_sqlite


@dataclass(frozen=True)
class TiedTop:
    columns: int               # how many columns the gold query selects
    sure: tuple[tuple, ...]    # rows ranked before the tied ones: all must be in the answer
    tied: tuple[tuple, ...]    # the tied rows at the LIMIT: `room` of them complete the answer
    room: int


def tied_top(path: Path, gold: str) -> TiedTop | None:
    """The gold query's tie at its LIMIT, or None (no tie, or a query this does not read)."""
    try:
        tree = sqlglot.parse_one(gold, read="sqlite")
    except sqlglot.errors.ParseError:
        return None
    limit, order = tree.args.get("limit"), tree.args.get("order")
    if not isinstance(tree, exp.Select) or tree.args.get("distinct") or tree.args.get("offset") or \
            order is None or limit is None or not isinstance(limit.expression, exp.Literal) or \
            not limit.expression.is_int:
        return None
    k = int(limit.expression.this)
    selects = tree.selects
    wide = tree.copy()
    wide.set("limit", None)
    for ordered in order.expressions:
        wide.select(_key_expression(ordered.this, selects).copy(), append=True, copy=False)
    try:
        rows = [tuple(_norm_value(v) for v in r) for r in run_sqlite(path, wide.sql(dialect="sqlite"))]
    except Exception:  # noqa: BLE001 - a gold query SQLite reads only as written: no tie analysis
        return None
    n = len(selects)
    if k < 1 or len(rows) <= k or rows[k - 1][n:] != rows[k][n:]:
        return None
    boundary = rows[k - 1][n:]
    first = next(i for i, r in enumerate(rows) if r[n:] == boundary)
    tied = tuple(r[:n] for r in rows if r[n:] == boundary)
    return TiedTop(n, tuple(r[:n] for r in rows[:first]), tied, k - first)


def _key_expression(key: exp.Expr, selects: list[exp.Expr]) -> exp.Expr:
    """An ORDER BY key as an expression of its own: a position or an output alias stands for the
    select item it names."""
    if isinstance(key, exp.Literal) and key.is_int and 1 <= int(key.this) <= len(selects):
        key = selects[int(key.this) - 1]
    elif isinstance(key, exp.Column) and not key.table:
        key = next((s for s in selects if isinstance(s, exp.Alias) and s.alias.lower() == key.name.lower()), key)
    return key.this if isinstance(key, exp.Alias) else key


def matches_tied_top(pred: list[tuple], top: TiedTop) -> bool:
    """Whether the answer is the rows before the tie plus `room` of the tied rows (as multisets;
    the answer's columns may come in another order)."""
    if len(pred) != len(top.sure) + top.room or (pred and len(pred[0]) != top.columns):
        return False
    rows = [tuple(_norm_value(v) for v in r) for r in pred]
    sure, tied = Counter(top.sure), Counter(top.tied)
    for perm in itertools.islice(itertools.permutations(range(top.columns)), 720):
        answer = Counter(tuple(r[j] for j in perm) for r in rows)
        rest = answer - sure
        if not (sure - answer) and not (rest - tied) and sum(rest.values()) == top.room:
            return True
    return False
