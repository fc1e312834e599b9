"""Plain-language questions over a 100M-row synthesized warehouse table, on DuckDB and Spark.

    .venv/bin/python bench/bench_spark_ask.py [--rows 100000000] [--repeat 3] [--dir DIR]

One askgres server (`askgres serve`, Spark enabled: its managed local Spark Connect server,
the project's normal [llm] model config) is driven with psycopg, as a client would:

1. `CALL synthesize(spec => ..., engine => 'spark')` writes the table `events` (id, category,
   amount) into the shared Parquet warehouse, which both engines read.
2. A selective lookup and a group-by are asked with `-- ask:`. The first ask of each question
   runs with `askgres.engine = 'auto'` (100M rows >= spark.auto_threshold_rows: routing picks
   Spark): model translation plus the run (after one `-- ask sql:` warm-up question, timed apart,
   that loads the model and indexes the table's values). Then the same question again (a translation-cache
   hit: only the run) with the engine set to duckdb and to spark, and the generated SQL typed
   directly on each engine: the reference. Medians of --repeat runs, after a warm-up; the
   answers of every path must agree.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from servers import askgres  # noqa: E402

CATEGORIES = ["books", "music", "games", "garden", "toys", "sports", "food", "travel",
              "health", "beauty", "auto", "office"]


def spec(rows: int) -> str:
    return json.dumps({"tables": [{"name": "events", "rows": rows, "columns": [
        {"name": "id", "generator": {"kind": "sequence"}},
        {"name": "category", "generator": {"kind": "categorical", "values": CATEGORIES}},
        {"name": "amount", "generator": {"kind": "uniform", "low": 1, "high": 500, "round": 2}},
    ]}]})


def questions(rows: int) -> dict[str, str]:
    target = rows * 73 // 100 + 17
    return {
        "lookup": f"What are the category and the amount of the event with id {target}?",
        "group-by": "For each category, how many events are there and what is their average amount?",
    }


class Client:
    def __init__(self, dsn: str) -> None:
        self.conn = psycopg.connect(dsn, autocommit=True)
        self.notices: list[str] = []  # a Diagnostic is only valid inside the handler
        self.conn.add_notice_handler(lambda d: self.notices.append(d.message_primary or ""))

    def run(self, sql: str) -> tuple[float, list[tuple]]:
        self.notices.clear()
        started = time.perf_counter()
        cur = self.conn.execute(sql)
        rows = cur.fetchall() if cur.description else []
        return time.perf_counter() - started, rows

    def notes(self, prefix: str) -> list[str]:
        return [n[len(prefix):] for n in self.notices if n.startswith(prefix)]


def median_run(client: Client, sql: str, repeat: int, expect_engine: str | None = None):
    client.run(sql)  # warm-up: file listing, Spark views and codegen
    times, rows = [], None
    for _ in range(repeat):
        t, rows = client.run(sql)
        times.append(t)
        if expect_engine is not None:
            ran = client.notes("askgres: ran on ")
            assert ran and ran[0].startswith(expect_engine), (sql, ran)
    return statistics.median(times), rows


def same(a: list[tuple], b: list[tuple]) -> bool:
    def norm(rows):
        return sorted(tuple(round(float(v), 6) if isinstance(v, (float, int)) and not isinstance(v, bool)
                            else v for v in r) for r in rows)
    return norm(a) == norm(b)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dir", default="", help="keep the warehouse and Spark logs here")
    args = ap.parse_args()
    base = Path(args.dir or tempfile.mkdtemp(prefix="askgres-bench-ask-"))
    env = {"ASKGRES_SPARK_ENABLED": "true", "ASKGRES_SPARK_WAREHOUSE": str(base / "warehouse"),
           "ASKGRES_SPARK_LOG_DIR": str(base / "spark"), "ASKGRES_SPARK_DRIVER_MEMORY": "2g",
           "ASKGRES_DUCKDB_THREADS": os.environ.get("ASKGRES_DUCKDB_THREADS", "2")}
    t_all = time.perf_counter()
    with askgres(env=env) as server:
        client = Client(server.dsn)
        t, _ = client.run("/*+ engine(spark) */ SELECT 1")
        print(f"Spark Connect server ready (managed, local[2]) after {t:.1f} s")

        t, rows = client.run(f"CALL synthesize(spec => '{spec(args.rows)}', engine => 'spark', seed => 7)")
        print(f"CALL synthesize: {rows[0][1]:,} rows into the warehouse in {t:.1f} s "
              f"({rows[0][1] / t / 1e6:.1f} M rows/s)")
        assert rows[0][:2] == ("events", args.rows), rows
        print()

        # The server loads the model and indexes the table's text values on its first question;
        # timed apart, so the asks below measure translation and execution.
        t, _ = client.run("-- ask sql: how many events are there?")
        print(f"first question on the schema (model load, value index, translation, not run): {t:.1f} s\n")

        report = []
        for name, question in questions(args.rows).items():
            ask = f"-- ask: {question}"
            client.run("SET askgres.engine = 'auto'")
            cold, cold_rows = client.run(ask)
            answered = client.notes("askgres answered with: ")
            assert answered, client.notices
            sql = answered[0]
            _, plan = client.run(f"EXPLAIN {sql}")
            routed = plan[0][0].removeprefix("askgres: engine ")
            line = {"query": name, "question": question, "sql": sql, "auto": routed, "cold ask": cold}
            for engine in ("duckdb", "spark"):
                client.run(f"SET askgres.engine = '{engine}'")
                line[f"ask {engine}"], ask_rows = median_run(client, ask, args.repeat, engine)
                line[f"sql {engine}"], sql_rows = median_run(client, sql, args.repeat, engine)
                assert same(ask_rows, sql_rows) and same(sql_rows, cold_rows), (engine, ask_rows, sql_rows)
            line["rows"] = len(cold_rows)
            report.append(line)
            print(f"{name}: {question}\n  SQL: {sql}\n  auto routes to: {routed}; answer: "
                  f"{cold_rows[:3]}{' ...' if len(cold_rows) > 3 else ''}")

    print(f"\n{args.rows:,} rows; medians of {args.repeat} after a warm-up (seconds); "
          f"'ask' = -- ask: through psycopg, 'sql' = the generated SQL typed directly")
    head = f"{'query':9} {'cold ask (auto)':>16} {'ask duckdb':>11} {'sql duckdb':>11} {'ask spark':>10} " \
           f"{'sql spark':>10} {'spark/duckdb':>13} {'ask/sql spark':>14}"
    print(head)
    for r in report:
        print(f"{r['query']:9} {r['cold ask']:15.2f}s {r['ask duckdb']:10.3f}s {r['sql duckdb']:10.3f}s "
              f"{r['ask spark']:9.2f}s {r['sql spark']:9.2f}s {r['sql spark'] / r['sql duckdb']:12.1f}x "
              f"{r['ask spark'] / r['sql spark']:13.2f}x")
    print(f"cold ask = model translation + run on the engine routing picked ({', '.join(r['auto'] for r in report)})")
    print(f"whole run: {time.perf_counter() - t_all:.0f} s")


if __name__ == "__main__":
    main()
