"""Constant SELECTs replay their kept result (engines/duckdb/constant_results.py)."""

from __future__ import annotations

import pyarrow as pa
import pytest
import sqlglot

from askgres.engines.duckdb import engine as engine_module
from askgres.engines.duckdb.config import DuckDBConfig
from askgres.engines.duckdb.constant_results import immutable
from askgres.engines.duckdb.engine import DuckDBEngine
from askgres.engines.errors import EngineError


@pytest.fixture
def session():
    engine = DuckDBEngine(DuckDBConfig())
    s = engine.session()
    yield s
    s.close()
    engine.close()


@pytest.fixture
def duckdb_runs(monkeypatch):
    """How many times a query reached DuckDB."""
    calls = []
    real = engine_module._stream_query

    def counting(*args, **kwargs):
        calls.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(engine_module, "_stream_query", counting)
    return calls


def _rows(session, stmt):
    reader = session.execute(stmt).reader
    return pa.Table.from_batches(list(reader), reader.schema)


@pytest.mark.parametrize("sql", [
    "SELECT 1", "SELECT 1 AS one, 'a' || 'b' AS ab, NULL, true", "SELECT (2 + 3) * 4 > 10",
    "SELECT CAST('12' AS integer)", "SELECT CASE WHEN 1 > 2 THEN 'x' ELSE 'y' END", "SELECT 7 / 2",
])
def test_constant_selects_are_immutable(sql):
    assert immutable(sqlglot.parse_one(sql, read="postgres"))


@pytest.mark.parametrize("sql", [
    "SELECT random()", "SELECT now()", "SELECT CURRENT_TIMESTAMP", "SELECT $1", "SELECT 'now'::timestamp",
    "SELECT '2024-01-01'::timestamptz", "SELECT 'today'::date", "SELECT current_user", "SELECT 1 FROM t",
    "SELECT 1 WHERE false", "SELECT (SELECT 1)", "SELECT gen_random_uuid()", "SELECT 1 UNION SELECT 2",
    "SELECT generate_series(1, 3)", "SELECT 1 LIMIT 0", "SELECT current_setting('timezone')",
])
def test_anything_that_can_vary_is_not(sql):
    assert not immutable(sqlglot.parse_one(sql, read="postgres"))


def test_a_constant_select_reaches_duckdb_once_and_replays_the_same_result(session, duckdb_runs):
    stmt = sqlglot.parse_one("SELECT 1 AS one, 'a' || 'b' AS ab, 7 / 2 AS half, '{\"k\": 1}'::jsonb AS j",
                             read="postgres")
    first = _rows(session, stmt)
    second = _rows(session, stmt)
    assert len(duckdb_runs) == 1
    assert second.equals(first) and second.schema.equals(first.schema, check_metadata=True)
    assert first.to_pylist()[0]["ab"] == "ab" and first.to_pylist()[0]["half"] == 3


def test_a_varying_select_runs_every_time(session, duckdb_runs):
    stmt = sqlglot.parse_one("SELECT random() AS r", read="postgres")
    values = {_rows(session, stmt).column("r")[0].as_py() for _ in range(3)}
    assert len(duckdb_runs) == 3 and len(values) == 3


def test_an_error_is_not_kept(session, duckdb_runs):
    stmt = sqlglot.parse_one("SELECT 1 / 0", read="postgres")
    for _ in range(2):
        with pytest.raises(EngineError) as failed:
            _rows(session, stmt)
        assert failed.value.sqlstate == "22012"
    assert len(duckdb_runs) == 2
