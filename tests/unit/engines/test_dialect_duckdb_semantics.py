"""The DuckDB dialect's rewrites and session settings executed on DuckDB: values that
PostgreSQL gives (from its documentation and behaviour), checked without a server."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import duckdb
import pytest
import sqlglot

from askgres.engines.duckdb.dialect import SESSION_SETTINGS, configure, to_duckdb
from askgres.engines.duckdb.rewrites.arrays import ArrayLiteralError, parse_array_text
from askgres.engines.duckdb.rewrites.dates import _signs_attached


@pytest.fixture(scope="module")
def con():
    c = duckdb.connect()
    configure(c)
    c.execute("CREATE TABLE t (i INTEGER, d DATE, ts TIMESTAMP, n DECIMAL(10,2))")
    c.execute("INSERT INTO t VALUES (7, DATE '2024-03-05', TIMESTAMP '2024-03-05 14:07:09.25', 95000.50),"
              " (NULL, NULL, NULL, NULL)")
    yield c
    c.close()


def one(con, sql: str):
    duck = to_duckdb(sqlglot.parse_one(sql, read="postgres"),
                     {"main": {"t": {"i": "INTEGER", "d": "DATE", "ts": "TIMESTAMP", "n": "DECIMAL(10,2)"}}})
    return con.execute(duck).fetchone()


@pytest.mark.parametrize(("sql", "expected"), [
    ("SELECT 7 / 2, -7 / 2, i / 2 FROM t WHERE i = 7", (3, -3, 3)),
    ("SELECT 7 / 2.0 = 3.5, 7::float8 / 2", (True, 3.5)),
    ("SELECT 1.123456789::numeric", (Decimal("1.1234567890"),)),
    ("SELECT array_length('{}'::int[], 1), array_length(ARRAY[1, 2], 1)", (None, 2)),
    ("SELECT 'x_y' LIKE 'x\\_y', 'xzy' LIKE 'x\\_y'", (True, False)),
    ("SELECT substring('hello' FROM 0 FOR 3), substring('hello', -1, 4)", ("he", "he")),
    ("SELECT (NULL::int, 1) > (1, 5)", (None,)),
    ("SELECT format('%s-%s', 'a', NULL)", ("a-",)),
    ("SELECT 'abcdef'::varchar(3)", ("abc",)),
    ("SELECT to_hex(255)", ("ff",)),
    ("SELECT EXTRACT(SECOND FROM ts) FROM t WHERE i = 7", (Decimal("9.250000"),)),
    ("SELECT to_char(d, 'Mon DD, Day') FROM t WHERE i = 7", ("Mar 05, Tuesday  ",)),
    ("SELECT to_char(d, 'FMDay D') FROM t WHERE i = 7", ("Tuesday 3",)),
    ("SELECT to_char(ts, 'HH12:MI:SS PM') FROM t WHERE i = 7", ("02:07:09 PM",)),
    ("SELECT to_char(d, 'Mon DD') FROM t WHERE i IS NULL", (None,)),
    ("SELECT to_date('05 Mar 2024', 'DD Mon YYYY')", (dt.date(2024, 3, 5),)),
    ("SELECT DATE '2024-03-01' - DATE '2024-02-01'", (29,)),
    ("SELECT date_trunc('month', d) FROM t WHERE i = 7", (dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc),)),
    ("SELECT sum(i) FROM t", (7,)),
    ("SELECT \"t\".\"i\" FROM \"public\".\"t\" WHERE i = 7", (7,)),
    ("SELECT count FROM (SELECT count(*) FROM t) s", (2,)),
    ("WITH c AS (SELECT max(i) FROM t) SELECT max FROM c", (7,)),
])
def test_postgres_answers(con, sql, expected):
    got = one(con, sql)
    if isinstance(expected[0], dt.datetime) and got[0] is not None:
        got = (got[0].astimezone(dt.timezone.utc),)
    assert got == expected


def test_integer_division_by_zero_raises(con):
    with pytest.raises(duckdb.Error):
        one(con, "SELECT 1 / 0")


def test_settings_reach_cursors(con):
    cursor = con.cursor()
    assert cursor.execute("SELECT 7 / 2").fetchone() == (3,)
    assert cursor.execute("SELECT current_setting('TimeZone')").fetchone() == ("UTC",)
    assert all(s.startswith("SET GLOBAL ") for s in SESSION_SETTINGS)


def test_nulls_sort_like_postgres(con):
    rows = con.execute(to_duckdb(sqlglot.parse_one(
        "SELECT i FROM t ORDER BY i DESC", read="postgres"))).fetchall()
    assert rows == [(None,), (7,)]
    rows = con.execute(to_duckdb(sqlglot.parse_one(
        "SELECT i FROM t ORDER BY i DESC NULLS LAST", read="postgres"))).fetchall()
    assert rows == [(7,), (None,)]


@pytest.mark.parametrize(("text", "items"), [
    ("{}", []),
    ("{1,2,3}", ["1", "2", "3"]),
    ('{"a b","c\\"d",NULL, e }', ["a b", 'c"d', None, "e"]),
    ('{"NULL"}', ["NULL"]),
    ("{{1,2},{3,4}}", [["1", "2"], ["3", "4"]]),
])
def test_parse_array_text(text, items):
    assert parse_array_text(text) == items


@pytest.mark.parametrize("text", ["", "1,2", "{1,2", "{1}x"])
def test_parse_array_text_rejects(text):
    with pytest.raises((ArrayLiteralError, IndexError)):
        parse_array_text(text)


def test_interval_signs():
    assert _signs_attached("1 month - 1 day") == "1 month -1 day"
    assert _signs_attached("2 days + 3 hours") == "2 days +3 hours"
    assert _signs_attached("1 day") == "1 day"
