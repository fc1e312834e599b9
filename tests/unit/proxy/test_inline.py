"""Which statements run on the event loop (proxy/inline.py): constant SELECTs only."""

from __future__ import annotations

import pytest
import sqlglot

from askgres.proxy.inline import runs_inline


@pytest.mark.parametrize("sql, inline", [
    ("SELECT 1", True),
    ("SELECT 1::int + 2 AS x, 'a' || 'b', NULL, true, $1", True),
    ("SELECT version(), pg_catalog.version(), current_setting('x'), current_database()", True),
    ("SELECT 1 FROM t", False),
    ("SELECT (SELECT count(*) FROM t)", False),
    ("SELECT unnest(range(100000000))", False),
    ("SELECT repeat('x', 100000000)", False),
    ("SELECT count(*)", False),
    ("SELECT 1 UNION SELECT 2", False),
    ("SELECT 1 LIMIT 1", False),
    ("INSERT INTO t VALUES (1)", False),
])
def test_runs_inline(sql, inline):
    assert runs_inline(sqlglot.parse_one(sql, read="postgres")) is inline
