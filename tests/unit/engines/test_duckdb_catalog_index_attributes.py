"""Catalog emulation: pg_attribute lists index columns, int2vector subscripts are 0-based,
current_database() answers the session's database name."""

from __future__ import annotations

import pytest
import sqlglot

from askgres.engines.duckdb.config import DuckDBConfig
from askgres.engines.duckdb.engine import DuckDBEngine


@pytest.fixture(scope="module")
def session():
    engine = DuckDBEngine(DuckDBConfig())
    s = engine.session()
    s.execute(sqlglot.parse_one("CREATE TABLE pk_t (a int, b text, c int, PRIMARY KEY (c, a))", read="postgres"))
    yield s
    s.close()
    engine.close()


def rows(session, sql):
    reader = session.execute(sqlglot.parse_one(sql, read="postgres")).reader
    out = []
    for batch in reader:
        out += [tuple(r.values()) for r in batch.to_pylist()]
    return out


def test_primary_key_columns_as_psqlodbc_asks(session):
    # psqlODBC's SQLPrimaryKeys: the index's own pg_attribute rows and a 0-based indkey subscript
    got = rows(session, """
        SELECT ta.attname, ia.attnum, ic.relname
        FROM pg_catalog.pg_attribute ta, pg_catalog.pg_attribute ia, pg_catalog.pg_class tc,
             pg_catalog.pg_index i, pg_catalog.pg_namespace n, pg_catalog.pg_class ic
        WHERE tc.relname = 'pk_t' AND n.nspname = 'public' AND tc.oid = i.indrelid
          AND n.oid = tc.relnamespace AND i.indisprimary = 't' AND ia.attrelid = i.indexrelid
          AND ta.attrelid = i.indrelid AND ta.attnum = i.indkey[ia.attnum - 1]
          AND NOT ta.attisdropped AND NOT ia.attisdropped AND ic.oid = i.indexrelid
        ORDER BY ia.attnum""")
    assert got == [("c", 1, "pk_t_pkey"), ("a", 2, "pk_t_pkey")]


def test_indkey_subscript_from_zero(session):
    got = rows(session, "SELECT i.indkey[0] AS k0, i.indkey[1] AS k1 FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid "
                        "WHERE c.relname = 'pk_t'")
    assert got == [(3, 1)]


def test_current_database_is_the_session_database(session):
    session.set_session_info("u", 1, {}, database="warehouse")
    assert rows(session, "SELECT current_database(), (SELECT datname FROM pg_database)") == [("warehouse", "warehouse")]
