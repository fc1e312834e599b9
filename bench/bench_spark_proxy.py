"""Proxy overhead on a 1M-row Spark result: askgres over the wire vs pyspark's own toArrow().

    .venv/bin/python bench/bench_spark_proxy.py [--rows 1000000] [--repeat 5]

One managed Spark Connect server (local[2]) serves both sides in the same run:
- reference: pyspark on that server, `spark.sql(...).toArrow()` (Arrow batches straight from
  the Connect stream, no Python objects per value);
- askgres: `askgres serve` attached to the same server (spark.remote), the statement routed
  to Spark by hint, fetched with psycopg 3 in binary and in text format, two ways:
    libpq   the whole result received and parsed by libpq (PGresult), no Python row objects:
            what the proxy costs a client that reads rows in C;
    tuples  cursor.fetchall(), i.e. libpq plus psycopg turning 3M values into Python objects.
A third line splits the cost: the Spark engine's own Arrow stream read in this process (what
askgres receives from Spark before encoding rows for the wire).
The table is 1M rows of (id bigint, category text, amount double) in the shared warehouse;
each timing is the median of --repeat runs, the paths interleaved so machine load hits
all alike. Target: askgres (libpq) at most 1.20x toArrow.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import psycopg
import sqlglot
from psycopg import pq

from servers import askgres

from askgres.engines.spark.config import SparkConfig
from askgres.engines.spark.engine import SparkEngine

QUERY = "SELECT id, category, amount FROM bench"


def make_table(engine: SparkEngine, rows: int) -> None:
    rng = np.random.default_rng(7)
    schema = pa.schema([("id", pa.int64()), ("category", pa.string()), ("amount", pa.float64())])
    cats = np.array([f"category-{i:02d}" for i in range(50)], dtype=object)

    def batches():
        for start in range(0, rows, 250_000):
            n = min(250_000, rows - start)
            yield pa.record_batch([pa.array(np.arange(start, start + n)), pa.array(cats[rng.integers(0, 50, n)]),
                                   pa.array(np.round(rng.random(n) * 1000, 2))], schema=schema)

    engine.warehouse.drop("bench")
    engine.warehouse.write("bench", pa.RecordBatchReader.from_batches(schema, batches()))


def pyspark_to_arrow(spark, path: Path):
    spark.read.parquet(str(path)).createOrReplaceTempView("bench")

    def run() -> int:
        return spark.sql(QUERY).toArrow().num_rows
    return run


def engine_stream(session):
    stmt = sqlglot.parse_one(QUERY, read="postgres")

    def run() -> int:
        return sum(batch.num_rows for batch in session.execute(stmt).reader)
    return run


def libpq_fetch(dsn: str, result_format: int):
    conn = pq.PGconn.connect(dsn.encode())
    if conn.status != pq.ConnStatus.OK:
        raise RuntimeError(conn.get_error_message())
    sql = f"/*+ engine(spark) */ {QUERY}".encode()

    def run() -> int:
        res = conn.exec_params(sql, [], result_format=result_format)
        if res.status != pq.ExecStatus.TUPLES_OK:
            raise RuntimeError(res.get_error_message())
        n = res.ntuples
        res.clear()
        return n
    return run, conn


def psycopg_fetchall(dsn: str, binary: bool):
    conn = psycopg.connect(dsn, autocommit=True)  # autocommit: outside a transaction block, so Spark
    notices: list[str] = []
    conn.add_notice_handler(lambda d: notices.append(d.message_primary))

    def run() -> int:
        notices.clear()
        rows = conn.cursor(binary=binary).execute(f"/*+ engine(spark) */ {QUERY}").fetchall()
        if notices != ["askgres: ran on spark (hint engine(spark))"]:
            raise RuntimeError(f"not routed to Spark: {notices}")
        return len(rows)
    return run, conn


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (to show what the proxy itself spends per fetch)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--dir", default="")
    args = ap.parse_args()
    base = Path(args.dir or tempfile.mkdtemp(prefix="askgres-bench-spark-proxy-"))
    config = SparkConfig(enabled=True, master="local[2]", warehouse=str(base / "warehouse"),
                         log_dir=str(base / "spark"), conf={"spark.sql.shuffle.partitions": "2"})
    spark_engine = SparkEngine(config)
    make_table(spark_engine, args.rows)
    t = time.perf_counter()
    url = spark_engine.start()
    print(f"Spark Connect server {url} up in {time.perf_counter() - t:.0f} s; table bench: {args.rows:,} rows")
    ref_session = spark_engine.session()
    engine_session = spark_engine.session()
    env = {"ASKGRES_SPARK_ENABLED": "true", "ASKGRES_SPARK_REMOTE": url,
           "ASKGRES_SPARK_WAREHOUSE": config.warehouse}
    try:
        with askgres(env=env) as server:
            paths = {"pyspark toArrow": pyspark_to_arrow(ref_session.spark(), spark_engine.warehouse.path("bench"))}
            paths["spark engine stream"] = engine_stream(engine_session)
            closers = []
            for label, fmt in (("askgres libpq binary", 1), ("askgres libpq text", 0)):
                paths[label], c = libpq_fetch(server.dsn, fmt)
                closers.append(c.finish)
            for label, binary in (("askgres tuples binary", True), ("askgres tuples text", False)):
                paths[label], c = psycopg_fetchall(server.dsn, binary)
                closers.append(c.close)
            times: dict[str, list[float]] = {label: [] for label in paths}
            server_cpu: dict[str, list[float]] = {label: [] for label in paths}
            for label, run in paths.items():  # warm-up: Spark sessions, views, file listing
                assert run() == args.rows, label
            for _ in range(args.repeat):
                for label, run in paths.items():
                    cpu, t = cpu_seconds(server.process.pid), time.perf_counter()
                    n = run()
                    times[label].append(time.perf_counter() - t)
                    server_cpu[label].append(cpu_seconds(server.process.pid) - cpu)
                    assert n == args.rows, (label, n)
            for close in closers:
                close()
    finally:
        ref_session.close()
        engine_session.close()
        spark_engine.close()
    ref = statistics.median(times["pyspark toArrow"])
    print(f"\n{args.rows:,}-row Spark result, median of {args.repeat} (min in brackets); "
          f"askgres server CPU per fetch:")
    for label, values in times.items():
        med = statistics.median(values)
        cpu = f"{statistics.median(server_cpu[label]):6.2f} s" if label.startswith("askgres") else ""
        print(f"  {label:24} {med:7.3f} s  ({min(values):.3f})  {med / ref:5.2f}x toArrow  {cpu}")
    best = min(statistics.median(times[k]) for k in ("askgres libpq binary", "askgres libpq text"))
    verdict = "meets" if best <= 1.2 * ref else "misses"
    print(f"target askgres <= 1.20x toArrow: {best / ref:.2f}x, {verdict} it")


if __name__ == "__main__":
    main()
