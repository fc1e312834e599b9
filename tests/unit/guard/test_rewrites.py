"""Rewriting rules: row limits, recursion bounds, COPY as a query, and the verdict cache."""

from __future__ import annotations

import duckdb
import pytest

from askgres.guard import AskgresPostgres, GuardError, Policy, Verdict, VerdictCache, check, META_KEY
from askgres.guard.limits import series_rows
from askgres.guard.parse import parse

LIMITED = Policy(max_rows=1000)


def sql_of(sql, policy=LIMITED, **kw):
    return [s.sql(AskgresPostgres) for s in check(sql, policy, cache=None, **kw)]


@pytest.mark.parametrize("sql,expected", [
    ("SELECT id FROM orders", "SELECT id FROM orders LIMIT 1000"),
    ("SELECT id FROM orders LIMIT 5000", "SELECT id FROM orders LIMIT 1000"),
    ("SELECT id FROM orders LIMIT 10", "SELECT id FROM orders LIMIT 10"),
    ("SELECT id FROM orders LIMIT $1", "SELECT id FROM orders LIMIT LEAST($1, 1000)"),
    ("SELECT id FROM orders FETCH FIRST 1000000 ROWS ONLY", "SELECT id FROM orders FETCH FIRST 1000 ROWS ONLY"),
    ("SELECT 1 UNION ALL SELECT 2", "SELECT 1 UNION ALL SELECT 2 LIMIT 1000"),
    ("COPY orders TO STDOUT", "COPY (SELECT * FROM orders LIMIT 1000) TO STDOUT"),
    ("COPY orders (id, total) TO STDOUT", "COPY (SELECT id, total FROM orders LIMIT 1000) TO STDOUT"),
    ("DECLARE c CURSOR FOR SELECT id FROM orders", "DECLARE c CURSOR FOR SELECT id FROM orders LIMIT 1000"),
])
def test_limit_result_rows(sql, expected):
    (out,) = sql_of(sql)
    assert out.replace(" NO SCROLL", "") == expected


def test_limit_note_and_no_limit_by_default():
    (stmt,) = check("SELECT 1 FROM t", LIMITED, cache=None)
    assert stmt.meta[META_KEY]["rewrites"] == ["limit_result_rows"]
    assert any("1000 rows" in n for n in stmt.meta[META_KEY]["notes"])
    assert sql_of("SELECT 1 FROM t", Policy()) == ["SELECT 1 FROM t"]


def test_recursive_cte_is_bounded_on_duckdb():
    policy = Policy(max_recursion_depth=50)
    (stmt,) = check("WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) "
                    "SELECT count(*), max(n) FROM t", policy, cache=None)
    count, largest = duckdb.sql(stmt.sql("duckdb")).fetchall()[0]
    assert (count, largest) == (51, 51)


def test_bounded_recursion_keeps_answers_below_the_bound():
    sql = ("WITH RECURSIVE t(n) AS (SELECT 1 UNION SELECT n + 1 FROM t WHERE n < 10) "
           "SELECT sum(n) FROM t")
    (stmt,) = check(sql, Policy(max_recursion_depth=100), cache=None)
    assert duckdb.sql(stmt.sql("duckdb")).fetchall()[0] == duckdb.sql(sql).fetchall()[0] == (55,)


@pytest.mark.parametrize("sql,rows", [
    ("SELECT generate_series(1, 10)", 10),
    ("SELECT generate_series(0, 100, 10)", 11),
    ("SELECT range(5)", 5),
    ("SELECT generate_series(1, 1e3 * 1e3)", 1e6),
    ("SELECT generate_series('2024-01-01'::date, '2024-01-31'::date, interval '1 day')", 31),
    ("SELECT generate_series(1, n) FROM t", None),
])
def test_series_rows(sql, rows):
    (stmt,) = parse(sql)
    assert series_rows(stmt.expressions[0]) == rows


def test_cache_hits_and_keys_include_policy():
    cache = VerdictCache(16)
    reader, writer = Policy(name="r"), Policy(name="w", statements="dml")
    sql = "INSERT INTO t VALUES (1)"
    with pytest.raises(GuardError):
        check(sql, reader, cache=cache)
    with pytest.raises(GuardError):
        check(sql, reader, cache=cache)   # the refusal is cached too
    assert check(sql, writer, cache=cache)
    assert (cache.hits, cache.misses) == (1, 2)
    first = check(sql, writer, cache=cache, copy=True)[0]
    first.set("this", None)               # with copy=True callers may change what they get...
    assert check(sql, writer, cache=cache)[0].this is not None   # ...without harming the cache
    assert check(sql, writer, cache=cache)[0] is check(sql, writer, cache=cache)[0]  # else shared


def test_cache_key_includes_source():
    cache = VerdictCache(16)
    sql = "CREATE TABLE x (a int)"
    admin = Policy(statements="admin")
    assert check(sql, admin, cache=cache)
    with pytest.raises(GuardError):
        check(sql, admin, source="ask", cache=cache)


def test_second_opinion_logs_or_blocks():
    calls = []

    def opinion(question, sql):
        calls.append((question, sql))
        return Verdict(ok=False, reason="it also reads salaries")

    logged = Policy(second_opinion="log")
    (stmt,) = check("SELECT 1 FROM orders", logged, source="ask", question="how many?",
                    second_opinion=opinion, cache=None)
    assert stmt.meta[META_KEY]["second_opinion"] == Verdict(False, "it also reads salaries")
    with pytest.raises(GuardError) as info:
        check("SELECT 1 FROM orders", Policy(second_opinion="block"), source="ask",
              question="how many?", second_opinion=opinion, cache=None)
    assert info.value.rule == "second_opinion" and info.value.sqlstate == "42501"
    assert calls == [("how many?", "SELECT 1 FROM orders")] * 2
    # typed SQL is never sent for a second opinion
    check("SELECT 1", logged, second_opinion=opinion, cache=None)
    assert len(calls) == 2


def test_statement_too_long():
    with pytest.raises(GuardError) as info:
        check("SELECT 1" + " " * 100, Policy(max_statement_bytes=50), cache=None)
    assert info.value.sqlstate == "54000"
