"""Spider-format datasets: questions, SQLite databases read into Arrow, hardness, result comparison.

SQLite columns are loosely typed; each column gets the Arrow type its stored values actually have
(a TEXT column holding only integers becomes int64), so the engine the data is loaded into sees
what a user of that data would have.
"""

from __future__ import annotations

import json
import math
import random
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

import pyarrow as pa
import sqlglot
from sqlglot import exp

from .schema import Column, SchemaContext, Table

_INT = re.compile(r"^[+-]?\d{1,18}$")
_FLOAT = re.compile(r"^[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?$")


@dataclass(frozen=True)
class Item:
    index: int        # position in dev.json, a stable id for samples
    db_id: str
    question: str
    gold: str


def load_items(dataset_dir: Path) -> list[Item]:
    data = json.loads((Path(dataset_dir) / "dev.json").read_text())
    return [Item(i, d["db_id"], d["question"], d["query"]) for i, d in enumerate(data)]


def db_path(dataset_dir: Path, db_id: str) -> Path:
    return Path(dataset_dir) / "database" / db_id / f"{db_id}.sqlite"


def sample_items(items: list[Item], dataset_dir: Path, limit: int | None, seed: int) -> list[Item]:
    """A fixed random sample of the answerable questions (those whose database is present)."""
    usable = [it for it in items if db_path(dataset_dir, it.db_id).is_file()]
    if limit is not None and limit < len(usable):
        usable = random.Random(seed).sample(usable, limit)
    return sorted(usable, key=lambda it: (it.db_id, it.index))  # grouped by database: prompt prefix reuse


def _column_array(values: list[Any]) -> pa.Array:
    kinds = {type(v) for v in values if v is not None}
    if kinds <= {int} and all(abs(v) < 2**63 for v in values if v is not None):
        return pa.array(values, pa.int64())
    if kinds <= {int, float}:
        return pa.array([None if v is None else float(v) for v in values], pa.float64())
    if kinds == {str}:
        nonnull = [v.strip() for v in values if v is not None]
        if nonnull and all(_INT.match(v) for v in nonnull):
            return pa.array([None if v is None else int(v) for v in values], pa.int64())
        if nonnull and all(_FLOAT.match(v) for v in nonnull):
            return pa.array([None if v is None else float(v) for v in values], pa.float64())
    conv = [None if v is None else (v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)) for v in values]
    return pa.array(conv, pa.string())


def read_sqlite(path: Path) -> dict[str, pa.Table]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    con.text_factory = lambda b: b.decode("utf-8", "replace")
    try:
        out = {}
        for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"):
            cur = con.execute(f'SELECT * FROM "{name}"')
            cols = [d[0] for d in cur.description]
            rows = cur.fetchall()
            out[name] = pa.table({c: _column_array([r[i] for r in rows]) for i, c in enumerate(cols)})
        return out
    finally:
        con.close()


_ARROW_TO_SQL = {pa.int64(): "integer", pa.float64(): "double precision", pa.string(): "text"}


def context_for(path: Path, tables: dict[str, pa.Table], samples: int = 3) -> SchemaContext:
    """The catalog as the engine sees it after loading: SQLite's keys, the loaded Arrow types."""
    base = SchemaContext.from_sqlite(path, samples=samples)
    fixed = []
    for t in base.tables:
        arrow = tables.get(t.name)
        cols = []
        for c in t.columns:
            typ = _ARROW_TO_SQL.get(arrow.schema.field(c.name).type, c.type) if arrow is not None else c.type
            cols.append(replace(c, type=typ))
        fixed.append(replace(t, columns=tuple(cols)))
    return SchemaContext(tuple(fixed), base.database)


def run_sqlite(path: Path, sql: str) -> list[tuple]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    con.text_factory = lambda b: b.decode("utf-8", "replace")
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _norm_value(v: Any) -> Any:
    if isinstance(v, bytes):
        v = v.decode("utf-8", "replace")
    if isinstance(v, str):
        s = v.strip()
        if _FLOAT.match(s):
            v = float(s)
        else:
            return s
    if isinstance(v, bool):
        return float(v)
    if isinstance(v, (int, float, Decimal)):
        f = float(v)
        return None if math.isnan(f) else round(f, 4)
    return v if v is None else str(v)


def rows_of(table: pa.Table) -> list[tuple]:
    cols = [table.column(i).to_pylist() for i in range(table.num_columns)]
    return list(zip(*cols)) if cols else []


def results_match(pred: list[tuple], gold: list[tuple], ordered: bool) -> bool:
    """Spider-style execution match: same rows (multiset, or sequence when ordered); the columns
    may come in another order."""
    p = [tuple(_norm_value(v) for v in r) for r in pred]
    g = [tuple(_norm_value(v) for v in r) for r in gold]
    if len(p) != len(g):
        return False
    if not g:
        return True
    if len(p[0]) != len(g[0]):
        return False
    key = lambda r: tuple((x is None, str(type(x)), x if x is not None else 0) for x in r)  # noqa: E731
    def same(a, b):
        return a == b if ordered else sorted(a, key=key) == sorted(b, key=key)
    if same(p, g):
        return True
    # Columns permuted: map each gold column to a predicted column with the same value multiset.
    ncol = len(g[0])
    pcols = [Counter(map(repr, (r[i] for r in p))) for i in range(ncol)]
    gcols = [Counter(map(repr, (r[i] for r in g))) for i in range(ncol)]
    perm, used = [], set()
    for gc in gcols:
        j = next((j for j in range(ncol) if j not in used and pcols[j] == gc), None)
        if j is None:
            return False
        perm.append(j)
        used.add(j)
    return same([tuple(r[j] for j in perm) for r in p], g)


def has_order_by(sql: str) -> bool:
    tree = sqlglot.parse_one(sql, read="sqlite")
    return tree.args.get("order") is not None


# --- Spider hardness (the published rules of the Spider evaluation script, on sqlglot ASTs) ---

_AGGS = (exp.Count, exp.Sum, exp.Avg, exp.Min, exp.Max)


def _n_aggs(nodes: Iterable[exp.Expr]) -> int:
    return sum(1 for n in nodes if n is not None for a in n.find_all(*_AGGS))


def _conditions(cond: exp.Expr | None) -> list[exp.Expr]:
    if cond is None:
        return []
    if isinstance(cond, (exp.And, exp.Or)):
        return _conditions(cond.left) + _conditions(cond.right)
    return [cond]


def _top_select(tree: exp.Expr) -> exp.Select:
    while isinstance(tree, exp.SetOperation):
        tree = tree.left
    return tree


def hardness(sql: str) -> str:
    tree = sqlglot.parse_one(sql, read="sqlite")
    sel = _top_select(tree)
    where = sel.args.get("where")
    having = sel.args.get("having")
    group = sel.args.get("group")
    order = sel.args.get("order")
    wconds = _conditions(where.this if where else None)
    hconds = _conditions(having.this if having else None)
    # Nested queries: subqueries anywhere, and the other branches of UNION/INTERSECT/EXCEPT.
    nested = sum(1 for q in tree.find_all(exp.Select) if q is not sel and not _is_setop_branch(q, tree))
    comp1 = 0
    comp1 += bool(wconds) + bool(group) + bool(order) + bool(sel.args.get("limit"))
    comp1 += len(sel.args.get("joins") or [])
    comp1 += sum(1 for c in (where, having) if c for _ in c.find_all(exp.Or))
    comp1 += sum(1 for c in (where, having) if c for _ in c.find_all(exp.Like))
    others = 0
    group_exprs = group.expressions if group else []
    order_exprs = order.expressions if order else []
    if _n_aggs([*sel.expressions, *wconds, *group_exprs, *order_exprs, *hconds]) > 1:
        others += 1
    others += len(sel.expressions) > 1
    others += len(wconds) > 1
    others += len(group_exprs) > 1
    if comp1 <= 1 and others == 0 and nested == 0:
        return "easy"
    if (others <= 2 and comp1 <= 1 and nested == 0) or (comp1 <= 2 and others < 2 and nested == 0):
        return "medium"
    if (others > 2 and comp1 <= 2 and nested == 0) or (2 < comp1 <= 3 and others <= 2 and nested == 0) \
            or (comp1 <= 1 and others == 0 and nested <= 1):
        return "hard"
    return "extra"


def _is_setop_branch(q: exp.Expr, root: exp.Expr) -> bool:
    # The left spine of a UNION/INTERSECT/EXCEPT chain is the top query itself, not nesting.
    node = root
    while isinstance(node, exp.SetOperation):
        node = node.left
        if node is q:
            return True
    return False
