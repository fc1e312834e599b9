"""Spark routing seen by a PostgreSQL client: one askgres server with Spark enabled (its own
managed Spark Connect server, local[2]) for the whole module, driven with psycopg 3.

Covers: a hinted CREATE TABLE AS writing a warehouse table on Spark, DuckDB reading the same
table with the same answers, the NOTICE saying where and why, SET askgres.engine (spark, auto
with its row threshold), tables that exist in DuckDB only, catalog queries, EXPLAIN, an invalid
setting, synthesize into the warehouse, cancel of a running Spark job, and a 1M-row Spark
result streamed through a server-side cursor.
"""

from __future__ import annotations

import threading
import time
from decimal import Decimal

import psycopg
import pytest
from psycopg import errors

from tests.conftest import start_askgres, stop_askgres

from .conftest import Client, connect, spark_env

THRESHOLD = 1000        # spark.auto_threshold_rows: "big" below means at least this many rows
BIG_ROWS = 5000         # warehouse table w
SMALL_ROWS = 10         # warehouse table tiny (below the threshold)

# Spark's first start takes 10-80 s on a busy machine; the whole module stays within minutes.
pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    return tmp_path_factory.mktemp("spark-wire") / "warehouse"


@pytest.fixture(scope="module")
def server(warehouse):
    server = start_askgres("--demo", env=spark_env(warehouse, ASKGRES_SPARK_AUTO_THRESHOLD_ROWS=str(THRESHOLD)))
    yield server
    stop_askgres(server)


@pytest.fixture(scope="module")
def created(server) -> dict[str, list[str]]:
    """Warehouse tables made on Spark by hint; the engine notices of each CREATE."""
    client = connect(server)
    notes = {}
    try:
        client.run("/*+ engine(spark) */ SELECT 1")  # waits for Spark's start
        for name, rows in (("w", BIG_ROWS), ("tiny", SMALL_ROWS)):
            client.run(f"/*+ engine(spark) */ CREATE TABLE {name} AS "
                       f"SELECT g AS id, g % 7 AS k, 'n' || g AS name, g * 0.5 AS half "
                       f"FROM generate_series(1, {rows}) AS t(g)")
            notes[name] = client.engine_notes()
    finally:
        client.conn.close()
    return notes


@pytest.fixture
def client(server, created):
    client = connect(server)
    yield client
    client.conn.close()


def test_hinted_create_table_as_writes_a_warehouse_table_on_spark(created, warehouse):
    assert created["w"] == ["askgres: ran on spark (hint engine(spark))"]
    parquet = list((warehouse / "w").glob("*.parquet"))
    assert parquet, "CREATE TABLE AS on Spark left no Parquet files in the warehouse"


def test_duckdb_reads_the_warehouse_table(client):
    assert client.run("SELECT count(*), sum(id) FROM w") == [(BIG_ROWS, BIG_ROWS * (BIG_ROWS + 1) // 2)]
    assert client.engine_notes() == ["askgres: ran on duckdb (askgres.engine = duckdb)"]


SAME_ANSWER_QUERIES = [
    "SELECT k, count(*) AS n, sum(id) AS s, min(name) AS first FROM w GROUP BY k ORDER BY k",
    "SELECT id, name, half FROM w WHERE id BETWEEN 100 AND 105 OR name = 'n4999' ORDER BY id",
    "SELECT count(*) AS n FROM w a JOIN w b ON a.id = b.id + 1 WHERE a.k = 3",
    "SELECT avg(id) AS mean, max(half) AS top, count(DISTINCT k) AS ks FROM w",
    "SELECT t.k, t.name FROM tiny t JOIN w USING (id) WHERE w.k < 3 ORDER BY t.name",
]


@pytest.mark.parametrize("sql", SAME_ANSWER_QUERIES)
def test_both_engines_give_the_same_answers(client, sql):
    on_duckdb = client.run(f"/*+ engine(duckdb) */ {sql}")
    assert client.engine_notes() == ["askgres: ran on duckdb (hint engine(duckdb))"]
    on_spark = client.run(f"/*+ engine(spark) */ {sql}")
    assert client.engine_notes() == ["askgres: ran on spark (hint engine(spark))"]
    assert on_duckdb, "the query must return rows to compare"
    assert on_spark == on_duckdb


EXTENDED_QUERIES = [
    # avg(int) is double precision on Spark, numeric on DuckDB: the RowDescription that
    # precedes Execute must come from the engine that runs the statement.
    ("SELECT /*+ engine(spark) */ k, avg(id) AS a, sum(half) AS h FROM w WHERE id > %s GROUP BY k ORDER BY k", (4,)),
    ("SELECT /*+ engine(spark) */ avg(id) AS a, max(name) AS m FROM w", None),
    ("SELECT /*+ engine(spark) */ id, name, half FROM w WHERE name = %s OR id < %s ORDER BY id", ("n77", 3)),
]


@pytest.mark.parametrize("sql,params", EXTENDED_QUERIES)
def test_extended_protocol_describes_on_the_engine_that_runs(client, sql, params):
    # psycopg sends text queries without parameters as a simple Query (the RowDescription comes
    # with the rows); binary or with parameters as Parse/Bind/Describe/Execute.
    results = {}
    for binary in (False, True):
        cur = client.conn.cursor(binary=binary)
        client.notices.clear()
        cur.execute(sql, params)
        assert client.engine_notes() == ["askgres: ran on spark (hint engine(spark))"]
        results[binary] = ([(c.name, c.type_code) for c in cur.description], cur.fetchall())
    simple = client.conn.execute(sql.replace("%s", "{}").format(*(repr(p) for p in params or ())))
    assert results[True] == results[False]
    assert results[True][0] == [(c.name, c.type_code) for c in simple.description]
    assert results[True][1] == simple.fetchall()


def test_setting_spark_routes_warehouse_tables_to_spark(client):
    client.run("SET askgres.engine = 'spark'")
    assert client.run("SHOW askgres.engine") == [("spark",)]
    assert client.run("SELECT count(*) FROM w WHERE k = 0") == [(BIG_ROWS // 7,)]
    assert client.engine_notes() == ["askgres: ran on spark (askgres.engine = spark)"]
    # A hint still wins over the setting.
    client.run("SELECT /*+ engine(duckdb) */ count(*) FROM w")
    assert client.engine_notes() == ["askgres: ran on duckdb (hint engine(duckdb))"]
    client.run("RESET askgres.engine")
    client.run("SELECT count(*) FROM w")
    assert client.engine_notes() == ["askgres: ran on duckdb (askgres.engine = duckdb)"]


def test_auto_routes_by_the_row_threshold(client):
    client.run("SET askgres.engine = 'auto'")
    assert client.run("SELECT count(*) FROM tiny") == [(SMALL_ROWS,)]
    assert client.engine_notes() == [f"askgres: ran on duckdb (auto: {SMALL_ROWS} rows scanned < threshold {THRESHOLD})"]
    assert client.run("SELECT count(*) FROM w") == [(BIG_ROWS,)]
    assert client.engine_notes() == [f"askgres: ran on spark (auto: {BIG_ROWS} rows scanned >= threshold {THRESHOLD})"]
    # Sizes add up over the tables scanned.
    client.run("SELECT count(*) FROM w JOIN tiny USING (id)")
    assert client.engine_notes() == [
        f"askgres: ran on spark (auto: {BIG_ROWS + SMALL_ROWS} rows scanned >= threshold {THRESHOLD})"]
    # A DuckDB-native table stays on DuckDB whatever its size: Spark cannot read it.
    assert client.run("SELECT count(*) FROM orders") == client.run("/*+ engine(duckdb) */ SELECT count(*) FROM orders")
    client.run("SELECT count(*) FROM orders")
    assert client.engine_notes() == ["askgres: ran on duckdb (orders exists only in duckdb)"]


def test_a_duckdb_only_table_goes_to_duckdb_even_with_the_setting_spark(client):
    client.run("SET askgres.engine = 'spark'")
    assert client.run("SELECT count(*) FROM customers") == [(200,)]
    assert client.engine_notes() == ["askgres: ran on duckdb (customers exists only in duckdb)"]
    client.run("SELECT /*+ engine(spark) */ count(*) FROM customers")
    assert client.engine_notes() == ["askgres: ran on duckdb (customers exists only in duckdb (hint engine(spark) ignored))"]


def test_a_join_of_a_duckdb_only_table_and_a_warehouse_table_runs_on_duckdb(client):
    # customers lives in DuckDB only, w in both: DuckDB runs it (it sees the warehouse).
    rows = client.run("SELECT /*+ engine(spark) */ count(*) FROM customers c JOIN w ON w.id = c.id")
    assert client.engine_notes()[0].startswith("askgres: ran on duckdb (customers exists only in duckdb")
    assert rows == client.run("/*+ engine(duckdb) */ SELECT count(*) FROM customers c JOIN w ON w.id = c.id")


CATALOG_QUERIES = [
    "SELECT table_name FROM information_schema.tables WHERE table_name IN ('w', 'tiny', 'customers') ORDER BY 1",
    "SELECT c.relname FROM pg_catalog.pg_class c WHERE c.relname IN ('w', 'tiny', 'customers') ORDER BY 1",
    "SELECT pg_backend_pid() > 0",
]
# Session information answers PostgreSQL's way (DuckDB's emulation), not Spark's ('default',
# 'root', Spark's version): routing treats these as catalog queries.
CATALOG_QUERIES += [
    "SELECT current_schema()", "SELECT current_user", "SELECT session_user", "SELECT version()",
    "SELECT current_setting('TimeZone')", "SELECT current_database()", "SELECT current_catalog",
    "SELECT inet_server_addr() IS NULL OR true", "SELECT has_table_privilege('w', 'SELECT')",
    "SELECT pg_get_userbyid(10)",
]
SESSION_ANSWERS = {"SELECT current_schema()": "public", "SELECT current_user": "askgres",
                   "SELECT session_user": "askgres", "SELECT current_database()": "askgres",
                   "SELECT current_catalog": "askgres", "SELECT current_setting('TimeZone')": "UTC"}


@pytest.mark.parametrize("sql", CATALOG_QUERIES)
def test_catalog_queries_stay_on_duckdb(client, sql):
    client.run("SET askgres.engine = 'spark'")
    rows = client.run(f"/*+ engine(spark) */ {sql}")
    assert client.engine_notes() == ["askgres: ran on duckdb (catalog query)"]
    assert rows
    if sql in SESSION_ANSWERS:
        assert rows == [(SESSION_ANSWERS[sql],)]
    if sql == "SELECT version()":
        assert rows[0][0].startswith("PostgreSQL")


def test_catalog_lists_warehouse_tables(client):
    names = client.run("SELECT table_name FROM information_schema.tables "
                       "WHERE table_name IN ('w', 'tiny', 'customers') ORDER BY 1")
    assert names == [("customers",), ("tiny",), ("w",)]


def test_explain_names_the_engine_then_its_plan(client):
    client.run("SET askgres.engine = 'spark'")
    lines = [r[0] for r in client.run("EXPLAIN SELECT k, count(*) FROM w GROUP BY k")]
    assert lines[0] == "askgres: engine spark (askgres.engine = spark)"
    plan = "\n".join(lines[1:])
    assert "Physical Plan" in plan and "parquet" in plan.lower()   # Spark's own plan of the scan
    lines = [r[0] for r in client.run("EXPLAIN SELECT count(*) FROM customers")]
    assert lines[0] == "askgres: engine duckdb (customers exists only in duckdb)"
    assert len(lines) > 1
    client.run("SET askgres.engine = 'duckdb'")
    lines = [r[0] for r in client.run("EXPLAIN SELECT /*+ engine(spark) */ count(*) FROM w")]
    assert lines[0] == "askgres: engine spark (hint engine(spark))"
    lines = [r[0] for r in client.run("EXPLAIN SELECT count(*) FROM w")]
    assert lines[0] == "askgres: engine duckdb (askgres.engine = duckdb)"


def test_invalid_engine_setting_is_22023_and_changes_nothing(client):
    client.run("SET askgres.engine = 'spark'")
    with pytest.raises(errors.InvalidParameterValue) as e:
        client.run("SET askgres.engine = 'presto'")
    assert e.value.sqlstate == "22023"
    assert "presto" in str(e.value)
    assert client.run("SHOW askgres.engine") == [("spark",)]
    assert client.run("SELECT count(*) FROM w") == [(BIG_ROWS,)]
    assert client.engine_notes() == ["askgres: ran on spark (askgres.engine = spark)"]


def test_inside_a_transaction_block_reads_may_use_spark_and_writes_stay_on_duckdb(server, created):
    # Spark has no transactions: in a BEGIN block a write goes to DuckDB even with a hint, and
    # says so; a read still follows its hint (psycopg opens blocks implicitly).
    client = connect(server)
    client.conn.autocommit = False
    try:
        assert client.run("SELECT /*+ engine(spark) */ count(*) FROM w") == [(BIG_ROWS,)]
        assert client.engine_notes() == ["askgres: ran on spark (hint engine(spark))"]
        client.run("/*+ engine(spark) */ CREATE TABLE tx_only AS SELECT 1 AS x")
        assert client.engine_notes() == ["askgres: ran on duckdb (a write inside a transaction block)"]
        client.conn.rollback()
    finally:
        client.conn.close()


SPEC = ('{"tables": [{"name": "synth_people", "rows": 3000, "columns": ['
        '{"name": "id", "generator": {"kind": "sequence"}}, '
        '{"name": "age", "generator": {"kind": "uniform", "min": 18, "max": 80, "round": 0}}]}]}')


def test_synthesize_into_the_warehouse_then_query_it_on_spark(client, warehouse):
    rows = client.run(f"CALL synthesize(spec => '{SPEC}', engine => 'spark', seed => 7)")
    assert [r[:2] for r in rows] == [("synth_people", 3000)]
    assert list((warehouse / "synth_people").glob("*.parquet"))
    client.run("SET askgres.engine = 'auto'")  # 3000 rows >= threshold: Spark by size
    on_spark = client.run("SELECT count(*), count(DISTINCT id), min(age) >= 18, max(age) <= 80 FROM synth_people")
    assert client.engine_notes() == [f"askgres: ran on spark (auto: 3000 rows scanned >= threshold {THRESHOLD})"]
    assert on_spark == [(3000, 3000, True, True)]
    on_duckdb = client.run("/*+ engine(duckdb) */ SELECT sum(age), sum(id) FROM synth_people")
    assert client.run("/*+ engine(spark) */ SELECT sum(age), sum(id) FROM synth_people") == on_duckdb


HEAVY = ("/*+ engine(spark) */ SELECT count(*) FROM generate_series(1, 200000) a "
         "CROSS JOIN generate_series(1, 200000) b WHERE a.a + b.b = -1")


def test_cancel_interrupts_a_running_spark_query(client):
    client.run("/*+ engine(spark) */ SELECT 1")  # the Spark session exists: cancel hits the job
    stop = threading.Event()

    def cancel_until_stopped():
        # A cancel that lands before the job starts is a no-op (as in PostgreSQL): keep sending.
        stop.wait(3)
        while not stop.is_set():
            client.conn.cancel()
            stop.wait(2)

    canceller = threading.Thread(target=cancel_until_stopped, daemon=True)
    canceller.start()
    started = time.monotonic()
    try:
        with pytest.raises(errors.QueryCanceled) as e:
            client.run(HEAVY)
    finally:
        stop.set()
        canceller.join()
    assert e.value.sqlstate == "57014"
    assert time.monotonic() - started < 120
    # The session, and its Spark session, stay usable.
    assert client.run("/*+ engine(spark) */ SELECT 41 + 1") == [(42,)]
    assert client.engine_notes() == ["askgres: ran on spark (hint engine(spark))"]
    assert client.run("SELECT /*+ engine(spark) */ count(*) FROM w") == [(BIG_ROWS,)]


MILLION = "SELECT /*+ engine(spark) */ g AS i, g % 10 AS d FROM generate_series(1, 1000000) AS t(g)"


def test_a_million_row_spark_result_streams_through_a_server_side_cursor(client):
    fetches = 0
    n = total = 0
    digits = [0] * 10
    with client.conn.cursor(name="big", withhold=True) as cur:
        cur.itersize = 100_000
        cur.execute(MILLION)
        assert client.engine_notes() == ["askgres: ran on spark (hint engine(spark))"]
        while batch := cur.fetchmany(100_000):
            fetches += 1
            n += len(batch)
            for i, d in batch:
                total += i
                digits[d] += 1
    assert n == 1_000_000 and total == 1_000_000 * 1_000_001 // 2
    assert digits == [100_000] * 10
    assert fetches == 10
    # The session is usable afterwards (the cursor was closed).
    assert client.run("SELECT 1") == [(1,)]


def test_a_leading_hint_survives_a_server_side_cursor(client):
    with client.conn.cursor(name="lead", withhold=True) as cur:
        cur.execute("/*+ engine(spark) */ SELECT count(*) FROM w")
        assert cur.fetchall() == [(BIG_ROWS,)]
    assert client.engine_notes() == ["askgres: ran on spark (hint engine(spark))"]


def test_a_million_row_spark_result_with_client_side_streaming(client):
    n = total = 0
    cur = client.conn.cursor()
    for i, _ in cur.stream(MILLION):
        n += 1
        total += i
    assert client.engine_notes() == ["askgres: ran on spark (hint engine(spark))"]
    assert n == 1_000_000 and total == 1_000_000 * 1_000_001 // 2
