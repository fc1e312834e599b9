"""NodeIndex answers find_all exactly as sqlglot does (same nodes, same order), also after an
in-place rewrite that keeps part of the index (masking), and the rules walk a statement once."""

from __future__ import annotations

import pytest
from sqlglot import exp

from askgres.guard import Policy, check
from askgres.guard import nodes as guard_nodes
from askgres.guard.context import Context
from askgres.guard.nodes import NodeIndex, walk
from askgres.guard.parse import parse
from askgres.guard.rules import RULES

from guard_fixtures import CATALOG, FIXTURES

SQL = sorted({p.read_text() for p in FIXTURES.glob("*/*/*.sql")}) + [
    "SELECT a.x, count(*) FROM t a JOIN u b ON a.id = b.id AND (a.y = b.y) = true "
    "WHERE EXISTS (SELECT 1 FROM v WHERE v.id = a.id) GROUP BY 1 HAVING sum(b.z) > 2",
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n FROM r LIMIT 5",
]
TYPES = [(exp.Table,), (exp.Column,), (exp.Func,), (exp.Select,), (exp.With,), (exp.Star,),
         (exp.Into, exp.Insert, exp.Update, exp.Delete, exp.Lock), (exp.Predicate, exp.Join),
         (exp.Identifier, exp.Literal), (exp.Alias,), (exp.Expr,)]


def _statements():
    for sql in SQL:
        try:
            yield from parse(sql)
        except Exception:
            continue   # fixtures that fail to parse on purpose


def _ids(nodes):
    return [id(n) for n in nodes]


def test_walk_is_sqlglots_breadth_first_order():
    for stmt in _statements():
        assert _ids(walk(stmt)) == _ids(stmt.bfs())


@pytest.mark.parametrize("types", TYPES, ids=lambda t: "+".join(c.__name__ for c in t))
def test_find_all_matches_sqlglot(types):
    for stmt in _statements():
        index = NodeIndex(stmt)
        assert _ids(index.find_all(*types)) == _ids(stmt.find_all(*types))
        assert _ids(index.find_all(*types)) == _ids(stmt.find_all(*types))   # cached answer


MASKED = Policy(masked_columns={"email": "hash", "phone": "redact"}, max_rows=10,
                read={"allow": ("*",), "deny": ()})
MASKED_SQL = [
    "SELECT email, upper(phone), city FROM customers",
    "SELECT * FROM customers c JOIN orders o ON o.customer_id = c.id",
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) "
    "SELECT c.email, r.n FROM customers c, r",
]


@pytest.mark.parametrize("sql", MASKED_SQL)
def test_index_kept_after_masking_answers_like_a_fresh_walk(sql, monkeypatch):
    rewalks = []
    monkeypatch.setattr(NodeIndex, "_rewalk", lambda self, f=NodeIndex._rewalk: (rewalks.append(1), f(self)))
    stmt = parse(sql)[0]
    ctx = Context(catalog=CATALOG, owned=True)
    for rule in RULES:
        rewritten = rule(stmt, MASKED, ctx)
        if rewritten is not None:
            stmt = rewritten
            ctx.changed()
        if rule.__name__ == "mask_pii_columns":
            assert rewritten is stmt, "the masked statement is rewritten in place"
            kept = ctx.index(stmt)
            assert kept.find_all(exp.With) is not None and kept.has(exp.Into) is False
            assert not rewalks, "the recursive-CTE and row-limit rules need no second walk"
            for types in TYPES:
                assert _ids(kept.find_all(*types)) == _ids(stmt.find_all(*types)), types
            break
    else:
        pytest.fail("masking did not run")


def test_rules_walk_a_statement_once(monkeypatch):
    walks = []
    monkeypatch.setattr(guard_nodes, "walk", lambda root, f=walk: (walks.append(root), f(root))[1])
    sql = ("SELECT date_trunc('day', created_at) AS day, city, count(*), sum(total) FROM orders o "
           "JOIN customers c ON c.id = o.customer_id WHERE total > 5 GROUP BY 1, 2 ORDER BY 4 DESC")
    check(sql, MASKED, schema=CATALOG, cache=None)
    assert len(walks) == 1
