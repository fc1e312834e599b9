"""Fixtures of the engine-parametrised suite: one Spark Connect server per test session,
a shared warehouse holding the differential fixture tables (written once, with pyarrow),
and a DuckDB engine reading the same warehouse."""

from __future__ import annotations

import pytest

pytest.importorskip("pyspark", reason="pyspark missing: run tests/support/install_spark.sh")

from tests.support.spark import start_spark  # noqa: E402


@pytest.fixture(scope="session")
def spark_engine(tmp_path_factory):
    engine = start_spark(tmp_path_factory.mktemp("spark"))
    yield engine
    engine.close()


@pytest.fixture(scope="session")
def fixture_warehouse(spark_engine):
    """The differential fixture (tests/differential/setup.sql) as warehouse tables."""
    from tests.differential.targets import duckdb_with_fixture

    con = duckdb_with_fixture()
    session = spark_engine.session()
    try:
        for (table,) in con.execute("SELECT table_name FROM information_schema.tables "
                                    "WHERE table_schema = 'main'").fetchall():
            spark_engine.warehouse.drop(table)
            session.ingest(table, con.table(table).to_arrow_reader())
    finally:
        session.close()
        con.close()
    return spark_engine.warehouse.root


@pytest.fixture(scope="session")
def duckdb_engine(fixture_warehouse):
    from askgres.engines.duckdb.config import DuckDBConfig
    from askgres.engines.duckdb.engine import DuckDBEngine

    engine = DuckDBEngine(DuckDBConfig(data_dir=str(fixture_warehouse)))
    yield engine
    engine.close()


@pytest.fixture(scope="session", params=["duckdb", "spark"])
def engine_session(request, fixture_warehouse):
    engine = request.getfixturevalue(f"{request.param}_engine")
    session = engine.session()
    yield request.param, session
    session.close()


@pytest.fixture(scope="session")
def reference_db(tmp_path_factory):
    """A real PostgreSQL holding the same fixture: the answers every engine must give."""
    import psycopg

    from tests.differential import targets
    from tests.support.postgres import PostgresUnavailable, start_postgres

    try:
        server = start_postgres(tmp_path_factory.mktemp("postgres"))
    except PostgresUnavailable as exc:
        pytest.fail(f"real PostgreSQL needed: {exc}")
    try:
        with psycopg.connect(server.dsn, autocommit=True) as conn:
            targets.load_fixture_postgres(conn)
            yield conn
    finally:
        server.stop()


@pytest.fixture(scope="session")
def spark_session(spark_engine, fixture_warehouse):
    session = spark_engine.session()
    yield session
    session.close()


@pytest.fixture(scope="session")
def duckdb_session(duckdb_engine):
    session = duckdb_engine.session()
    yield session
    session.close()
