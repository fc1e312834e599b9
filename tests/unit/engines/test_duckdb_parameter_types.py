"""DuckDB engine: parameter types that Describe announces, for casts clients write."""

from __future__ import annotations

import pyarrow as pa
import pytest

from askgres.engines.duckdb.engine import DuckDBEngine
from askgres.engines.duckdb.result_types import OID
from askgres.guard.parse import parse


@pytest.fixture(scope="module")
def session():
    engine = DuckDBEngine()
    s = engine.session()
    yield s
    s.close()


def test_oid_parameters_are_typed_like_the_catalog_oids(session):
    # asyncpg's type introspection binds `$1::oid[]`; the catalog's oids are DuckDB UINTEGER,
    # marked as oids (announced as oid, 26)
    (stmt,) = parse("SELECT oid FROM pg_catalog.pg_type WHERE oid = any($1::oid[]) AND oid <> $2::oid")
    assert tuple(session.describe(stmt).param_types) == (pa.list_(OID), OID)


def test_unknown_cast_targets_stay_text(session):
    (stmt,) = parse("SELECT $1::int4[], $2::text, $3")
    assert tuple(session.describe(stmt).param_types) == (pa.list_(pa.int32()), pa.string(), pa.string())
