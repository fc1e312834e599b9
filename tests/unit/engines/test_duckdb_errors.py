"""DuckDB exceptions become SQLSTATEs and PostgreSQL-like messages (engines/duckdb/errors.py)."""

from __future__ import annotations

import duckdb
import pytest

from askgres.engines.duckdb.errors import map_duckdb_error


def _error_of(sql: str) -> BaseException:
    con = duckdb.connect()
    try:
        con.execute("CREATE TABLE t (i INTEGER)")
        with pytest.raises(duckdb.Error) as raised:
            con.execute(sql).fetchall()
        return raised.value
    finally:
        con.close()


@pytest.mark.parametrize("sql, sqlstate", [
    ("SELECT * FROM missing_table", "42P01"),
    ("SELECT missing_column FROM t", "42703"),
    ("SELEC 1", "42601"),
    ("SELECT 'x'::INTEGER", "22P02"),
    ("SELECT no_such_function(1)", "42883"),
])
def test_sqlstate_by_class_and_kind(sql, sqlstate):
    assert map_duckdb_error(_error_of(sql)).sqlstate == sqlstate


def test_division_by_zero_says_what_postgresql_says():
    # DuckDB's text suggests `SET error_on_division_by_zero`, which a network session cannot run
    mapped = map_duckdb_error(_error_of("SELECT 1 // 0"))
    assert (mapped.sqlstate, mapped.message) == ("22012", "division by zero")
    assert not mapped.detail
