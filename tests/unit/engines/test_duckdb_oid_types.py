"""uint32 result columns typed as oids only where a statement reads the catalog emulation
(engines/duckdb/result_types.py reads_catalog, pg_schema(oid=...))."""

from __future__ import annotations

import pyarrow as pa
import pytest

from askgres.engines.duckdb.config import DuckDBConfig
from askgres.engines.duckdb.engine import DuckDBEngine
from askgres.engines.duckdb.result_types import OID, reads_catalog
from askgres.guard.parse import parse


@pytest.fixture(scope="module")
def session():
    engine = DuckDBEngine(DuckDBConfig())
    s = engine.session()
    # user data of DuckDB's UINTEGER type (as Parquet files can hold)
    s.run_sql("CREATE TABLE user_counts AS SELECT 1 AS id, 4000000000::UINTEGER AS n, [1, 2]::UINTEGER[] AS ns")
    engine.schema_changed()
    yield s
    s.close()
    engine.close()


def _stmt(sql: str):
    (stmt,) = parse(sql)
    return stmt


def _read(session, sql):
    reader = session.execute(_stmt(sql)).reader
    return reader.schema, pa.Table.from_batches(list(reader), reader.schema)


@pytest.mark.parametrize("sql,reads", [
    ("SELECT oid FROM pg_catalog.pg_type", True),
    ("SELECT oid FROM pg_type", True),
    ("SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace", True),
    ("SELECT table_name FROM information_schema.tables", True),
    ("SELECT x FROM (SELECT 1 AS x) s WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_am)", True),
    ("SELECT 5::oid", True),
    ("SELECT $1::oid[]", True),
    ("SELECT n::pg_catalog.oid FROM user_counts", True),
    ("SELECT 'user_counts'::regclass", True),
    ("SELECT to_regclass('user_counts')", True),
    ("SELECT n FROM user_counts", False),
    ("SELECT n::bigint, current_user FROM user_counts", False),
    ("WITH pg_type AS (SELECT 1 AS oid) SELECT oid FROM pg_type", False),
    ("SELECT 1", False),
])
def test_reads_catalog(sql, reads):
    assert reads_catalog(_stmt(sql)) is reads


def test_decided_once_per_statement():
    stmt = _stmt("SELECT oid FROM pg_catalog.pg_type")
    assert reads_catalog(stmt)
    stmt.meta["askgres.duckdb_reads_catalog"] = False  # the kept answer is the one given
    assert not reads_catalog(stmt)


CATALOG_SQL = ("SELECT oid, typname, typarray, ARRAY[oid, typarray] AS pair, typlen FROM pg_catalog.pg_type "
               "WHERE typname = 'int4'")


def test_catalog_oids_and_their_lists_are_oids(session):
    schema, table = _read(session, CATALOG_SQL)
    assert [f.type for f in schema] == [OID, pa.string(), OID, pa.list_(OID), pa.int16()]
    assert table.to_pylist() == [{"oid": 23, "typname": "int4", "typarray": 1007, "pair": [23, 1007],
                                  "typlen": 4}]


def test_describe_announces_what_execute_sends(session):
    for sql in (CATALOG_SQL, "SELECT n, ns FROM user_counts", "SELECT 5::oid AS o"):
        schema, _ = _read(session, sql)
        assert list(session.describe(_stmt(sql)).schema) == list(schema), sql


def test_user_uint32_stays_uint32(session):
    schema, table = _read(session, "SELECT n, ns FROM user_counts")
    assert [f.type for f in schema] == [pa.uint32(), pa.list_(pa.uint32())]
    assert table.to_pylist() == [{"n": 4000000000, "ns": [1, 2]}]


def test_oid_cast_is_an_oid(session):
    schema, table = _read(session, "SELECT 5::oid AS o, n::oid AS m FROM user_counts")
    assert [f.type for f in schema] == [OID, OID]
    assert table.to_pylist() == [{"o": 5, "m": 4000000000}]


def test_oid_parameters_are_announced_as_oids(session):
    stmt = _stmt("SELECT oid FROM pg_catalog.pg_type WHERE oid = any($1::oid[]) AND oid <> $2::oid")
    assert tuple(session.describe(stmt).param_types) == (pa.list_(OID), OID)
