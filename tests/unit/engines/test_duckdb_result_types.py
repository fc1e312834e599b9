"""DuckDB result columns typed uuid / json / jsonb (engines/duckdb/result_types.py)."""

from __future__ import annotations

import uuid

import pyarrow as pa
import pytest
import sqlglot

from askgres.engines.duckdb.config import DuckDBConfig
from askgres.engines.duckdb.engine import DuckDBEngine
from askgres.engines.duckdb.result_types import JSONB, jsonb_outputs, uuid_bytes


@pytest.fixture(scope="module")
def session():
    engine = DuckDBEngine(DuckDBConfig())
    s = engine.session()
    yield s
    s.close()
    engine.close()


def _read(session, sql):
    stmt = sqlglot.parse_one(sql, read="postgres")
    reader = session.execute(stmt).reader
    return reader.schema, pa.Table.from_batches(list(reader), reader.schema)


def test_uuid_text_becomes_16_bytes():
    values = [str(uuid.uuid4()), None, "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11".lower()]
    got = uuid_bytes(pa.array(values)).to_pylist()
    assert got == [None if v is None else uuid.UUID(v).bytes for v in values]
    sliced = uuid_bytes(pa.array(values).slice(1)).to_pylist()
    assert sliced == got[1:]


def test_uuid_and_json_columns_get_extension_types(session):
    u = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"
    schema, table = _read(session, f"SELECT '{u}'::uuid AS u, ARRAY['{u}'::uuid, NULL] AS ua, "
                                   "'{\"a\": 1}'::json AS j, '[1]'::jsonb AS jb, ARRAY['{}'::jsonb] AS jba, 1 AS i")
    assert schema.field("u").type == pa.uuid()
    assert schema.field("ua").type == pa.list_(pa.uuid())
    assert schema.field("j").type == pa.json_()
    assert schema.field("jb").type == JSONB
    assert schema.field("jba").type == pa.list_(JSONB)
    assert schema.field("i").type == pa.int32()
    assert table.column("u").to_pylist() == [uuid.UUID(u)]
    assert table.column("j").to_pylist() == ['{"a": 1}']


def test_describe_agrees_with_execute(session):
    stmt = sqlglot.parse_one("SELECT '{}'::jsonb AS jb, gen_random_uuid() AS u", read="postgres")
    assert session.describe(stmt).schema.types == [JSONB, pa.uuid()]


@pytest.mark.parametrize("sql, flags", [
    ("SELECT x::jsonb, x::json, to_jsonb(1), jsonb_build_object('a', 1), 1", [True, False, True, True, False]),
    ("SELECT ARRAY[x::jsonb] AS a, coalesce(x::jsonb, '{}') FROM t", [True, True]),
    ("SELECT x::jsonb FROM t UNION ALL SELECT y FROM u", [True]),
])
def test_jsonb_outputs(sql, flags):
    assert jsonb_outputs(sqlglot.parse_one(sql, read="postgres")) == flags


@pytest.mark.parametrize("sql, one", [
    ("SELECT 1", True),
    ("SELECT 1 AS a, 'x'::text, version()", True),
    ("SELECT generate_series(1, 3)", False),
    ("SELECT unnest(ARRAY[1, 2])", False),
    ("SELECT json_array_elements('[1]')", False),
    ("SELECT (SELECT 1)", False),
    ("SELECT 1 FROM t", False),
    ("SELECT 1 WHERE false", False),
])
def test_one_row_queries_are_fetched_whole(sql, one):
    from askgres.engines.duckdb.engine import _one_row

    assert _one_row(sqlglot.parse_one(sql, read="postgres")) is one


def test_one_row_query_reads_back(session):
    schema, table = _read(session, "SELECT 1 AS a, 'x' AS b")
    assert table.to_pylist() == [{"a": 1, "b": "x"}]
