"""`SELECT 1` round trip, p50 and p99: askgres vs real PostgreSQL vs DuckDB in process,
the same psycopg client for both servers, measured in the same run.

Two queries: `SELECT 1` (what pools send to check a connection; askgres replays a constant
SELECT's kept result, engines/duckdb/constant_results.py) and a one-row lookup in a small
table, which DuckDB plans and runs every time: the second shows the proxy's own cost on
top of DuckDB when nothing is kept.

The systems take turns in rounds of `--n / --rounds` queries each, so that load from
elsewhere on the machine falls on all of them alike instead of on whichever ran last.

Target (issue 2): askgres adds at most 150 us to DuckDB in process.
    .venv/bin/python bench/bench_roundtrip.py [--n 3000] [--rounds 20]
"""

from __future__ import annotations

import argparse
import time
from contextlib import ExitStack

import duckdb
import psycopg

from servers import askgres, percentile, postgres

QUERIES = {"SELECT 1": "SELECT 1", "one-row lookup": "SELECT name FROM bench_one WHERE id = 2"}
SETUP = ("CREATE TABLE bench_one (id integer PRIMARY KEY, name text)",
         "INSERT INTO bench_one VALUES (1, 'one'), (2, 'two'), (3, 'three')")


def timed(run, n: int, out: list[float]) -> None:
    for _ in range(n):
        t = time.perf_counter()
        run()
        out.append(time.perf_counter() - t)


def systems(con, pg_conn, ag_conn, sql: str) -> dict:
    return {
        "duckdb in process": lambda: con.execute(sql).fetchall(),
        "postgresql (simple)": lambda: pg_conn.execute(sql, prepare=False).fetchall(),
        "postgresql (prepared)": lambda: pg_conn.execute(sql, prepare=True).fetchall(),
        "askgres (simple)": lambda: ag_conn.execute(sql, prepare=False).fetchall(),
        "askgres (prepared)": lambda: ag_conn.execute(sql, prepare=True).fetchall(),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    with ExitStack() as stack:
        pg = stack.enter_context(postgres())
        ag = stack.enter_context(askgres())
        con = duckdb.connect()
        pg_conn = stack.enter_context(psycopg.connect(pg.dsn, autocommit=True))
        ag_conn = stack.enter_context(psycopg.connect(ag.dsn, autocommit=True))
        for statement in SETUP:
            for target in (con, pg_conn, ag_conn):
                target.execute(statement)
        runs = {(query, name): run for query, sql in QUERIES.items()
                for name, run in systems(con, pg_conn, ag_conn, sql).items()}
        results: dict[tuple, list[float]] = {key: [] for key in runs}
        for run in runs.values():  # warm up
            timed(run, 200, [])
        per_round = max(1, args.n // args.rounds)
        for _ in range(args.rounds):
            for key, run in runs.items():
                timed(run, per_round, results[key])
    print(f"Round trips, {per_round * args.rounds} queries each, {args.rounds} interleaved rounds")
    for query in QUERIES:
        pg50 = percentile(results[(query, "postgresql (simple)")], 0.5)
        base = percentile(results[(query, "duckdb in process")], 0.5)
        print(f"\n{query}: {QUERIES[query]}")
        print(f"{'system':24} {'p50 us':>8} {'p99 us':>8} {'p50 vs PostgreSQL':>18}")
        for (q, name), times in results.items():
            if q == query:
                p50, p99 = percentile(times, 0.5), percentile(times, 0.99)
                print(f"{name:24} {p50 * 1e6:8.0f} {p99 * 1e6:8.0f} {p50 / pg50:17.2f}x")
        for kind in ("simple", "prepared"):
            added = percentile(results[(query, f"askgres ({kind})")], 0.5) - base
            print(f"askgres ({kind}) adds {added * 1e6:.0f} us (p50) to DuckDB in process (target <= 150 us)")


if __name__ == "__main__":
    main()
