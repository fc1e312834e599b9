"""Spark enabled but unreachable (nothing listens at spark.remote): a Spark-routed statement
fails with 08006 within spark.connect_timeout_s instead of hanging, DuckDB statements keep
working, and with spark.fallback_to_duckdb the statement runs on DuckDB with a WARNING.
After one failure the statements that follow skip Spark for spark.unavailable_cooldown_s
(the circuit breaker): they answer at once instead of waiting for the timeout again."""

from __future__ import annotations

import time

import psycopg
import pytest

from .conftest import connect, spark_env

CONNECT_TIMEOUT_S = 3
# Well above the connect timeout, so that a statement that tried Spark again would show.
FAST_S = 2
# Generous: the machine is busy, but a hang would run to pytest's own timeout.
DEADLINE_S = CONNECT_TIMEOUT_S + 20

pytestmark = pytest.mark.timeout(240)


def unreachable_env(tmp_path, **extra: str) -> dict[str, str]:
    return spark_env(tmp_path / "warehouse", ASKGRES_SPARK_REMOTE="sc://127.0.0.1:1",
                     ASKGRES_SPARK_CONNECT_TIMEOUT_S=str(CONNECT_TIMEOUT_S), **extra)


def test_spark_routed_statement_fails_with_08006_and_never_hangs(server_factory, tmp_path):
    # No cool-down: every statement tries Spark, and each one is bounded by the connect timeout.
    server = server_factory("--demo", env=unreachable_env(tmp_path, ASKGRES_SPARK_UNAVAILABLE_COOLDOWN_S="0"))
    client = connect(server)
    for sql in ("/*+ engine(spark) */ SELECT 1 AS x", "SELECT /*+ engine(spark) */ 2 AS y"):
        started = time.monotonic()
        with pytest.raises(psycopg.OperationalError) as e:
            client.run(sql)
        elapsed = time.monotonic() - started
        assert e.value.sqlstate == "08006", e.value
        assert "127.0.0.1:1" in str(e.value)
        assert "not retried" not in str(e.value)
        assert elapsed < DEADLINE_S, f"took {elapsed:.1f} s"
    # The session is still usable and DuckDB statements are not affected.
    assert client.run("SELECT count(*) FROM customers") == [(200,)]
    assert client.engine_notes() == ["askgres: ran on duckdb (customers exists only in duckdb)"]
    # The extended protocol (parameters, binary results) describes on Spark first: same error, as fast.
    started = time.monotonic()
    with pytest.raises(psycopg.OperationalError) as e:
        client.conn.cursor(binary=True).execute("SELECT /*+ engine(spark) */ %s::int AS z", (5,))
    assert e.value.sqlstate == "08006"
    assert time.monotonic() - started < DEADLINE_S
    # SET askgres.engine = 'spark' routes a table-less query to the dead Spark: the same error.
    client.run("SET askgres.engine = 'spark'")
    with pytest.raises(psycopg.OperationalError) as e:
        client.run("SELECT 3")
    assert e.value.sqlstate == "08006"


def test_fallback_to_duckdb_runs_the_statement_with_a_warning(server_factory, tmp_path):
    server = server_factory("--demo", env=unreachable_env(tmp_path, ASKGRES_SPARK_FALLBACK_TO_DUCKDB="true"))
    client = connect(server)
    started = time.monotonic()
    rows = client.run("/*+ engine(spark) */ SELECT 40 + 2 AS x")
    assert time.monotonic() - started < DEADLINE_S
    assert rows == [(42,)]
    warnings = [n for n in client.notices if n.severity == "WARNING"]
    assert len(warnings) == 1, client.notices
    assert warnings[0].message.startswith("askgres: Spark is unavailable")
    assert warnings[0].message.endswith("ran on duckdb instead")
    # No notice claims the statement ran on Spark.
    assert not any("ran on spark" in n.message for n in client.notices), client.notices


def test_fallback_covers_the_extended_protocol(server_factory, tmp_path):
    server = server_factory("--demo", env=unreachable_env(tmp_path, ASKGRES_SPARK_FALLBACK_TO_DUCKDB="true"))
    client = connect(server)
    cur = client.conn.cursor(binary=True)
    cur.execute("SELECT /*+ engine(spark) */ %s::int * 2 AS z, avg(customer_id) > 0 AS ok FROM orders "
                "WHERE customer_id > %s", (21, 0))
    # orders lives in DuckDB only: no Spark needed, no warning.
    assert cur.fetchall() == [(42, True)]
    assert [n.severity for n in client.notices] == ["NOTICE"]
    client.notices.clear()
    cur.execute("SELECT /*+ engine(spark) */ %s::int * 2 AS z", (21,))
    assert cur.fetchall() == [(42,)]
    assert [n.severity for n in client.notices if n.message.startswith("askgres: Spark is unavailable")] == ["WARNING"]


def test_after_a_failure_statements_skip_spark_for_the_cooldown(server_factory, tmp_path):
    server = server_factory("--demo", env=unreachable_env(tmp_path, ASKGRES_SPARK_UNAVAILABLE_COOLDOWN_S="300"))
    client = connect(server)
    with pytest.raises(psycopg.OperationalError) as e:
        client.run("/*+ engine(spark) */ SELECT 1 AS x")
    assert e.value.sqlstate == "08006" and "not retried" not in str(e.value)
    # Another session too: the breaker is the server's, not the session's.
    other = connect(server)
    for c in (client, other):
        started = time.monotonic()
        with pytest.raises(psycopg.OperationalError) as e:
            c.run("SELECT /*+ engine(spark) */ 2 AS y")
        assert time.monotonic() - started < FAST_S
        assert e.value.sqlstate == "08006"
        assert "127.0.0.1:1" in str(e.value)
        assert "not retried for another" in str(e.value), e.value
        assert "unavailable_cooldown_s" in (e.value.diag.message_hint or "")


def test_fallback_with_the_breaker_open_is_immediate_and_says_so(server_factory, tmp_path):
    server = server_factory("--demo", env=unreachable_env(tmp_path, ASKGRES_SPARK_FALLBACK_TO_DUCKDB="true",
                                                          ASKGRES_SPARK_UNAVAILABLE_COOLDOWN_S="300"))
    client = connect(server)
    assert client.run("/*+ engine(spark) */ SELECT 1 AS x") == [(1,)]  # pays the connect timeout once
    for n in range(3):
        started = time.monotonic()
        assert client.run(f"/*+ engine(spark) */ SELECT {n} + 40 AS x") == [(n + 40,)]
        assert time.monotonic() - started < FAST_S
        warnings = [m.message for m in client.notices if m.severity == "WARNING"]
        assert len(warnings) == 1, client.notices
        assert warnings[0].startswith("askgres: Spark is unavailable (")
        assert "not retried for another" in warnings[0]
        assert warnings[0].endswith("ran on duckdb instead")
