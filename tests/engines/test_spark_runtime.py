"""Spark runtime behaviour: describe without executing, cancel of a running job, a clear
error (never a hang) when Spark is unreachable, and restart of a managed server that died."""

from __future__ import annotations

import os
import signal
import threading
import time

import pyarrow as pa
import pytest
import sqlglot

from askgres.engines.errors import QueryCanceled
from askgres.engines.spark.config import SparkConfig
from askgres.engines.spark.engine import SparkEngine
from askgres.engines.spark.errors import SparkUnavailable
from askgres.engines.spark.process import free_port


def q(sql):
    return sqlglot.parse_one(sql, read="postgres")


def test_describe_analyses_without_executing(spark_session):
    desc = spark_session.describe(q("SELECT id, 1 / 0 AS boom, name FROM people WHERE id = $1"))
    assert desc.schema.names == ["id", "boom", "name"]
    assert desc.schema.field("id").type == pa.int32()
    assert desc.param_types == (pa.int32(),)


def test_ingest_then_query_and_ctas_in_the_warehouse(spark_engine, spark_session):
    reader = pa.RecordBatchReader.from_batches(
        pa.schema([("k", pa.int64()), ("v", pa.string())]),
        [pa.record_batch([pa.array([1, 2, 3]), pa.array(["a", "b", None])], names=["k", "v"])])
    spark_session.execute(q("DROP TABLE IF EXISTS ingested"))
    spark_session.execute(q("DROP TABLE IF EXISTS ingested_copy"))
    assert spark_session.ingest("ingested", reader) == 3
    result = spark_session.execute(q("CREATE TABLE ingested_copy AS SELECT k * 10 AS k10 FROM ingested WHERE v IS NOT NULL"))
    assert result.rowcount == 2
    assert spark_session.execute(q("INSERT INTO ingested_copy VALUES (7)")).rowcount == 1
    rows = spark_session.execute(q("SELECT k10 FROM public.ingested_copy ORDER BY k10")).reader.read_all()
    assert rows.column("k10").to_pylist() == [7, 10, 20]
    assert {"ingested", "ingested_copy"} <= set(spark_engine.warehouse_tables())
    assert spark_engine.table_rows()["ingested_copy"] == 3


def test_cancel_interrupts_a_running_job(spark_session):
    outcome: dict = {}
    slow = q("SELECT count(*) FROM generate_series(1, 200000) a CROSS JOIN generate_series(1, 200000) b "
             "WHERE a.a + b.b = -1")

    def run():
        try:
            outcome["result"] = spark_session.execute(slow).reader.read_all()
        except Exception as e:  # noqa: BLE001 - the test inspects it
            outcome["error"] = e

    worker = threading.Thread(target=run)
    started = time.monotonic()
    worker.start()
    while worker.is_alive() and time.monotonic() - started < 120:
        spark_session.cancel()  # a no-op until the job is registered under the session's tag
        worker.join(0.5)
    assert not worker.is_alive(), "cancel did not stop the job"
    assert isinstance(outcome.get("error"), QueryCanceled), outcome
    assert outcome["error"].sqlstate == "57014"
    # the session stays usable
    assert spark_session.execute(q("SELECT 41 + 1 AS x")).reader.read_all().to_pylist() == [{"x": 42}]


def test_unreachable_spark_is_a_clear_error_not_a_hang(tmp_path):
    engine = SparkEngine(SparkConfig(enabled=True, remote=f"sc://127.0.0.1:{free_port()}",
                                     warehouse=str(tmp_path), connect_timeout_s=3))
    started = time.monotonic()
    with pytest.raises(SparkUnavailable) as e:
        engine.session().execute(q("SELECT 1"))
    assert e.value.sqlstate == "08006"
    assert time.monotonic() - started < 60


def test_managed_server_is_restarted_after_it_dies(spark_engine, spark_session):
    server = spark_engine.server
    old_pid, old_generation = server.pid, server.generation
    os.killpg(old_pid, signal.SIGKILL)
    deadline = time.monotonic() + 300
    while server.generation == old_generation and time.monotonic() < deadline:
        try:
            server.ensure_running(timeout=5)
        except SparkUnavailable:
            pass
    assert server.generation == old_generation + 1 and server.pid != old_pid
    rows = spark_session.execute(q("SELECT count(*) AS n FROM people")).reader.read_all()
    assert rows.to_pylist() == [{"n": 8}]


def test_a_constant_generate_series_is_a_parallel_range(spark_session):
    # explode(sequence()) would build the whole series as one array in one task.
    series = q("SELECT g FROM generate_series(1, 3000000) AS t(g)")
    plan = spark_session.plan(series)
    assert "Range (1, 3000001, step=1)" in plan and "generate" not in plan.lower(), plan
    text = spark_session.sql(series)
    from pyspark.sql.functions import spark_partition_id

    tasks = spark_session.spark().sql(text).select(spark_partition_id().alias("p")).distinct().count()
    assert tasks > 1
    stmt = q("SELECT count(*) AS n, sum(g) AS s, min(g) AS lo FROM generate_series(1, 3000000) AS t(g)")
    rows = spark_session.execute(stmt).reader.read_all().to_pylist()
    assert rows == [{"n": 3_000_000, "s": 3_000_000 * 3_000_001 // 2, "lo": 1}]
    desc = spark_session.describe(q("SELECT g FROM generate_series(1, 3) AS t(g)"))
    assert desc.schema.field("g").type == pa.int32()  # integer, as in PostgreSQL
