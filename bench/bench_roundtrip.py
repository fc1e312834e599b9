"""`SELECT 1` round trip, p50 and p99: askgres vs real PostgreSQL vs DuckDB in process,
the same psycopg client for both servers, measured in the same run.

Target (issue 2): askgres adds at most 150 us to DuckDB in process.
    .venv/bin/python bench/bench_roundtrip.py [--n 3000]
"""

from __future__ import annotations

import argparse
import time

import duckdb
import psycopg

from servers import askgres, percentile, postgres


def time_queries(run, n: int) -> list[float]:
    for _ in range(200):  # warm up
        run()
    out = []
    for _ in range(n):
        t = time.perf_counter()
        run()
        out.append(time.perf_counter() - t)
    return out


def via_psycopg(dsn: str, n: int, *, prepare: bool) -> list[float]:
    with psycopg.connect(dsn, autocommit=True) as conn:
        return time_queries(lambda: conn.execute("SELECT 1", prepare=prepare).fetchall(), n)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=3000)
    args = parser.parse_args()
    con = duckdb.connect()
    results = {"duckdb in process": time_queries(lambda: con.execute("SELECT 1").fetchall(), args.n)}
    with postgres() as pg:
        results["postgresql (simple)"] = via_psycopg(pg.dsn, args.n, prepare=False)
        results["postgresql (prepared)"] = via_psycopg(pg.dsn, args.n, prepare=True)
    with askgres() as ag:
        results["askgres (simple)"] = via_psycopg(ag.dsn, args.n, prepare=False)
        results["askgres (prepared)"] = via_psycopg(ag.dsn, args.n, prepare=True)
    base = percentile(results["duckdb in process"], 0.5)
    print(f"SELECT 1 round trip, {args.n} queries each")
    print(f"{'system':24} {'p50 us':>8} {'p99 us':>8} {'p50 vs PostgreSQL':>18}")
    pg50 = percentile(results["postgresql (simple)"], 0.5)
    for name, times in results.items():
        p50, p99 = percentile(times, 0.5), percentile(times, 0.99)
        print(f"{name:24} {p50 * 1e6:8.0f} {p99 * 1e6:8.0f} {p50 / pg50:17.2f}x")
    added = percentile(results["askgres (simple)"], 0.5) - base
    print(f"askgres adds {added * 1e6:.0f} us (p50) to DuckDB in process (target <= 150 us)")


if __name__ == "__main__":
    main()
