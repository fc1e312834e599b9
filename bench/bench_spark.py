"""Spark vs DuckDB on the same warehouse table, and the cost of askgres's Spark result path.

    .venv/bin/python bench/bench_spark.py [--rows 5000000] [--no-cluster] [--askgres-dsn DSN]

1. A selective lookup and a group-by on DuckDB, local Spark (managed Connect server,
   local[2]) and a standalone cluster (a master + 2 one-core workers from the pip package on
   127.0.0.1 with a Connect server attached: engines.spark.cluster, the docker/compose
   topology without Docker), all reading the same warehouse table: median seconds, ratio to DuckDB.
2. A 1M-row Spark result: pyspark's own DataFrame.toArrow() (the reference) vs the Spark
   engine's streamed Arrow reader, and with --askgres-dsn the whole proxy (psycopg fetching
   through askgres with the statement routed to Spark by hint). Target: <= 1.20x toArrow.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import sqlglot

from askgres.engines.spark.cluster import StandaloneCluster
from askgres.engines.spark.config import SparkConfig
from askgres.engines.spark.engine import SparkEngine

QUERIES = {
    "lookup": "SELECT id, category, amount FROM bench WHERE id = 1234567",
    "group-by": "SELECT category, count(*) AS n, avg(amount) AS mean FROM bench GROUP BY category ORDER BY category",
}
BIG_RESULT = "SELECT id, category, amount FROM bench WHERE id < 1000000"


def make_table(engine: SparkEngine, rows: int) -> None:
    rng = np.random.default_rng(7)
    schema = pa.schema([("id", pa.int64()), ("category", pa.string()), ("amount", pa.float64())])
    cats = np.array([f"cat{i:02d}" for i in range(50)], dtype=object)

    def batches():
        for start in range(0, rows, 1_000_000):
            n = min(1_000_000, rows - start)
            yield pa.record_batch([pa.array(np.arange(start, start + n)),
                                   pa.array(cats[rng.integers(0, 50, n)]),
                                   pa.array(rng.random(n) * 100)], schema=schema)

    engine.warehouse.drop("bench")
    engine.warehouse.write("bench", pa.RecordBatchReader.from_batches(schema, batches()))


def timed(fn, repeat: int = 3) -> float:
    fn()  # warm-up: JIT, file listing, views
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def run_on(session, sql: str):
    def fetch():
        reader = session.execute(sqlglot.parse_one(sql, read="postgres")).reader
        return pa.Table.from_batches(list(reader), schema=reader.schema)
    return fetch


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=5_000_000)
    ap.add_argument("--no-cluster", dest="cluster", action="store_false",
                    help="leave out the standalone master + 2 workers")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--askgres-dsn", default="", help="measure the whole proxy too")
    ap.add_argument("--dir", default="")
    args = ap.parse_args()
    base = Path(args.dir or tempfile.mkdtemp(prefix="askgres-bench-"))
    cfg = SparkConfig(enabled=True, warehouse=str(base / "warehouse"), log_dir=str(base / "spark"),
                      conf={"spark.sql.shuffle.partitions": "4"})
    spark = SparkEngine(cfg)
    make_table(spark, args.rows)
    spark.start()

    from askgres.engines.duckdb.config import DuckDBConfig
    from askgres.engines.duckdb.engine import DuckDBEngine

    sessions = {"duckdb": DuckDBEngine(DuckDBConfig(data_dir=str(spark.warehouse.root))).session(),
                "spark-local": spark.session()}
    cluster = None
    if args.cluster:
        cluster = StandaloneCluster(base / "cluster", workers=2, warehouse=spark.warehouse.root)
        started = time.perf_counter()
        url = cluster.start()
        print(f"standalone cluster {cluster.state.master_url} ({cluster.alive_workers()} workers, "
              f"Connect {url}) up in {time.perf_counter() - started:.0f} s")
        sessions["spark-cluster"] = SparkEngine(SparkConfig(enabled=True, remote=url,
                                                            warehouse=str(spark.warehouse.root))).session()
    try:
        print(f"table bench: {args.rows:,} rows in {spark.warehouse.root}")
        print(f"median of {args.repeat} after a warm-up; ratio to DuckDB")
        print(f"{'query':10} " + " ".join(f"{name:>22}" for name in sessions))
        for qname, sql in QUERIES.items():
            answers = {name: run_on(s, sql)() for name, s in sessions.items()}
            first = next(iter(answers.values()))
            for name, table in answers.items():  # the same answer everywhere, or the times mean nothing
                assert table.columns[0].to_pylist() == first.columns[0].to_pylist(), name
            results = {name: timed(run_on(s, sql), args.repeat) for name, s in sessions.items()}
            base_t = results["duckdb"]
            print(f"{qname:10} " + " ".join(f"{t:9.3f}s ({t / base_t:7.1f}x)" for t in results.values()))

        local = sessions["spark-local"]
        pyspark = local.spark()
        text = local.sql(sqlglot.parse_one(BIG_RESULT, read="postgres"))
        ref = timed(lambda: pyspark.sql(text).toArrow())
        ours = timed(run_on(local, BIG_RESULT))
        print(f"\n1M-row Spark result: pyspark toArrow {ref:.3f}s | engine stream {ours:.3f}s "
              f"= {ours / ref:.2f}x")
        if args.askgres_dsn:
            import psycopg

            def through_proxy():
                with psycopg.connect(args.askgres_dsn) as conn:
                    conn.execute(f"/*+ engine(spark) */ {BIG_RESULT}").fetchall()
            proxy = timed(through_proxy)
            print(f"askgres proxy (psycopg fetchall) {proxy:.3f}s = {proxy / ref:.2f}x toArrow")
    finally:
        for s in sessions.values():
            s.close()
        if cluster is not None:
            cluster.stop()
        spark.close()


if __name__ == "__main__":
    main()
