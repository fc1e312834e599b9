"""The shape cache: a text that differs from an approved one only in its filter values gets the
same verdict without the rules; everything the rules read stays checked in full."""

from __future__ import annotations

import pytest

from askgres.guard import AskgresPostgres, Catalog, GuardError, Policy, Verdict, VerdictCache, check, META_KEY
from askgres.guard.parse import parse
from askgres.guard.shapes import compared_with_column, shape_of
from askgres.guard.parse import parse_with_tokens
from sqlglot import exp

CATALOG = Catalog(columns={"public.orders": ["id", "customer_id", "total", "created_at"],
                           "public.customers": ["id", "name", "email", "city"]},
                  table_rows={"public.orders": 10_000, "public.customers": 1_000})
DASHBOARD = ("SELECT city, count(*) FROM orders o JOIN customers c ON c.id = o.customer_id "
             "WHERE o.created_at >= '{start}' AND o.total > {total} GROUP BY city LIMIT 100")


def sql_of(statements):
    return [s.sql(AskgresPostgres) for s in statements]


def test_new_filter_values_reuse_the_verdict_and_keep_their_own_values():
    cache = VerdictCache(16)
    check(DASHBOARD.format(start="2024-01-01", total=10), Policy(), schema=CATALOG, cache=cache)
    assert cache.shapes.hits == 0
    (stmt,) = check(DASHBOARD.format(start="2025-06-30", total=99.5), Policy(), schema=CATALOG, cache=cache)
    assert cache.shapes.hits == 1
    out = stmt.sql(AskgresPostgres)
    assert "'2025-06-30'" in out and "99.5" in out and "2024-01-01" not in out
    assert stmt.meta[META_KEY] == {"notes": [], "rewrites": [], "second_opinion": None}


def test_limit_values_are_not_filter_values():
    """A LIMIT decides the row-limit rewrite: another LIMIT is checked in full and clamped."""
    cache, policy = VerdictCache(16), Policy(max_rows=100)
    assert sql_of(check("SELECT id FROM orders WHERE id = 5 LIMIT 10", policy, cache=cache)) == [
        "SELECT id FROM orders WHERE id = 5 LIMIT 10"]
    assert sql_of(check("SELECT id FROM orders WHERE id = 6 LIMIT 5000", policy, cache=cache)) == [
        "SELECT id FROM orders WHERE id = 6 LIMIT 100"]
    assert cache.shapes.hits == 0


def test_function_arguments_are_checked_in_full():
    cache = VerdictCache(16)
    check("SELECT i FROM generate_series(1, 10) AS s(i) WHERE i = 3", Policy(), cache=cache)
    with pytest.raises(GuardError) as e:
        check("SELECT i FROM generate_series(1, 1e12) AS s(i) WHERE i = 4", Policy(), cache=cache)
    assert e.value.rule == "limit_series" and cache.shapes.hits == 0


def test_rewrites_are_replayed_on_the_new_text():
    """Masking and the row limit rewrote the approved text: they rewrite the new one the same way,
    around its own values, with their notes."""
    cache, policy = VerdictCache(16), Policy(max_rows=100, masked_columns={"email": "redact"},
                                             masked_predicates="allow")
    (first,) = check("SELECT email, name FROM customers WHERE id = 1", policy, schema=CATALOG, cache=cache)
    (stmt,) = check("SELECT email, name FROM customers WHERE id = 2", policy, schema=CATALOG, cache=cache)
    assert cache.shapes.hits == 1
    assert stmt.sql(AskgresPostgres) == first.sql(AskgresPostgres).replace("id = 1", "id = 2")
    assert "email" not in stmt.sql(AskgresPostgres).split("FROM")[0].replace("AS email", "")   # masked
    assert "LIMIT 100" in stmt.sql(AskgresPostgres)
    assert stmt.meta[META_KEY]["rewrites"] == first.meta[META_KEY]["rewrites"] == ["mask_pii_columns",
                                                                                 "limit_result_rows"]
    assert stmt.meta[META_KEY]["notes"] == first.meta[META_KEY]["notes"] and len(stmt.meta[META_KEY]["notes"]) == 2


def test_a_replayed_row_limit_walks_no_tree(monkeypatch):
    """The row limit rewrote the approved text, so that text had no SELECT ... INTO: on a new
    text of its shape the limit is set without walking the tree to rule INTO out again."""
    cache, policy = VerdictCache(16), Policy(max_rows=100)
    check("SELECT id FROM orders WHERE id = 5", policy, cache=cache)
    from askgres.guard import nodes
    walks = []
    real_walk = nodes.walk
    monkeypatch.setattr(nodes, "walk", lambda root: walks.append(root) or real_walk(root))
    (stmt,) = check("SELECT id FROM orders WHERE id = 6", policy, cache=cache)
    assert cache.shapes.hits == 1 and walks == []
    assert stmt.sql(AskgresPostgres) == "SELECT id FROM orders WHERE id = 6 LIMIT 100"
    # INTO is a different shape, checked in full (and not limited: it returns no rows)
    (into,) = check("SELECT id INTO t FROM orders WHERE id = 7", Policy(max_rows=100, statements="ddl"), cache=cache)
    assert walks and "LIMIT" not in into.sql(AskgresPostgres)


def test_copy_is_checked_in_full():
    cache = VerdictCache(16)
    check("COPY (SELECT id FROM orders WHERE id = 1) TO STDOUT", Policy(max_rows=10), cache=cache)
    (stmt,) = check("COPY (SELECT id FROM orders WHERE id = 2) TO STDOUT", Policy(max_rows=10), cache=cache)
    assert cache.shapes.hits == 0 and "LIMIT 10" in stmt.sql(AskgresPostgres)


def test_refused_shapes_stay_refused():
    cache, policy = VerdictCache(16), Policy(masked_columns={"email": "hash"})
    for value in ("a@example.com", "b@example.com"):
        with pytest.raises(GuardError) as e:
            check(f"SELECT id FROM customers WHERE email = '{value}'", policy, schema=CATALOG, cache=cache)
        assert e.value.sqlstate == "42501"
    assert cache.shapes.hits == 0


def test_names_are_part_of_the_shape():
    """Quoted names, tables and policies all key the shape: only literal values are set aside."""
    cache, policy = VerdictCache(16), Policy(read={"allow": ("public.orders",)})
    check('SELECT id FROM "orders" WHERE id = 1', policy, schema=CATALOG, cache=cache)
    with pytest.raises(GuardError):
        check('SELECT id FROM "customers" WHERE id = 2', policy, schema=CATALOG, cache=cache)
    with pytest.raises(GuardError):
        check("SELECT id FROM orders WHERE id = 3", Policy(read={"allow": ("public.customers",)}),
              schema=CATALOG, cache=cache)
    assert cache.shapes.hits == 0
    assert shape_of(parse_with_tokens("SELECT \"a\" FROM t")[1]) != shape_of(parse_with_tokens("SELECT 'a' FROM t")[1])


def test_second_opinions_are_asked_for_every_text():
    cache, asked = VerdictCache(16), []

    def opinion(question, sql):
        asked.append(sql)
        return Verdict(ok=True)

    for value in (1, 2):
        check(f"SELECT id FROM orders WHERE id = {value}", Policy(second_opinion="log"), source="ask",
              question="q", second_opinion=opinion, schema=CATALOG, cache=cache)
    assert len(asked) == 2 and cache.shapes.hits == 0


@pytest.mark.parametrize("sql,filters", [
    ("SELECT 1 FROM t WHERE a = 1", ["1"]),
    ("SELECT 1 FROM t WHERE 2 < t.a AND b <> 'x'", ["2", "x"]),
    ("SELECT 1 FROM t WHERE a BETWEEN 1 AND 2 OR c IN (3, '4')", ["1", "2", "3", "4"]),
    ("SELECT 1 FROM t WHERE a = -5 AND d >= '2024-01-01'::date AND e LIKE 'x%'", ["5", "2024-01-01", "x%"]),
    ("SELECT 1 FROM t WHERE 1 = 1 AND f(2) = a AND a = f(3)", []),
    ("SELECT 1 FROM t WHERE a > now() - INTERVAL '1 day' LIMIT 5 OFFSET 6", []),
    ("SELECT repeat('x', 7) FROM t WHERE a = $1", []),
])
def test_filter_values(sql, filters):
    (stmt,) = parse(sql)
    found = [lit.this for lit in stmt.find_all(exp.Literal) if compared_with_column(lit)]
    assert sorted(found) == sorted(filters)
