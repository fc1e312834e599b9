"""Fixtures for the differential tests: a throwaway real PostgreSQL holding the fixture
schema, and the same schema on each target the corpus runs against."""

from __future__ import annotations

import sys
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `tests.support` when pytest runs without the repo on sys.path
    sys.path.insert(0, str(ROOT))

from tests.support.postgres import PostgresUnavailable, start_postgres  # noqa: E402

from . import targets  # noqa: E402


@pytest.fixture(scope="session")
def postgres_dsn(tmp_path_factory) -> str:
    """A fresh PostgreSQL cluster (Debian's server, tests/support/install_postgres.sh)."""
    try:
        server = start_postgres(tmp_path_factory.mktemp("postgres"))
    except PostgresUnavailable as exc:
        pytest.fail(f"real PostgreSQL needed for differential tests: {exc}")
    yield server.dsn
    server.stop()


@pytest.fixture(scope="session")
def reference_db(postgres_dsn):
    """A connection to the real PostgreSQL with the fixture schema loaded."""
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
        targets.load_fixture_postgres(conn)
        yield conn


@pytest.fixture(scope="session")
def duckdb_direct():
    """An in-memory DuckDB configured as askgres configures it, with the fixture schema,
    and the schema dictionary to_duckdb takes."""
    con = targets.duckdb_with_fixture()
    yield con, targets.duckdb_schema(con)
    con.close()


@pytest.fixture(scope="session")
def askgres_wire(tmp_path_factory):
    """A dedicated askgres server over a DuckDB file holding the fixture schema (created
    through to_duckdb; the default guard policy admits no DDL over the wire), reached with
    psycopg."""
    from tests.conftest import start_askgres, stop_askgres
    database = tmp_path_factory.mktemp("askgres") / "fixture.duckdb"
    targets.duckdb_with_fixture(database).close()
    server = start_askgres("--database", str(database))
    try:
        with psycopg.connect(server.dsn, autocommit=True) as conn:
            yield conn
    finally:
        stop_askgres(server)
