"""1M rows (int8, float8, text) streamed to psycopg: rows/s through askgres vs real PostgreSQL,
same client, same run, and askgres's server memory while it streams.

Target (issue 2): at least PostgreSQL's own rate, with server memory that does not grow with
the result.    .venv/bin/python bench/bench_stream.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import threading
import time

import psycopg

from servers import askgres, postgres, rss_bytes

QUERY = "SELECT i::int8 AS id, i * 0.5::float8 AS x, 'row ' || i::text AS label FROM generate_series(1, {n}) AS s(i)"
TABLE_QUERY = "SELECT id, x, label FROM stream_bench"


def setup(dsn: str, n: int) -> None:
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS stream_bench")
        conn.execute(f"CREATE TABLE stream_bench AS {QUERY.format(n=n)}")


def stream(dsn: str, binary: bool) -> tuple[int, float]:
    with psycopg.connect(dsn, autocommit=True) as conn:
        cur = conn.cursor(binary=binary)
        t = time.perf_counter()
        cur.execute(TABLE_QUERY)
        rows = 0
        while batch := cur.fetchmany(10_000):
            rows += len(batch)
        return rows, time.perf_counter() - t


def best_of(dsn: str, binary: bool, runs: int = 3) -> tuple[int, float]:
    results = [stream(dsn, binary) for _ in range(runs)]
    return min(results, key=lambda r: r[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    rates: dict[str, float] = {}
    with postgres() as pg:
        setup(pg.dsn, args.rows)
        for binary in (False, True):
            n, s = best_of(pg.dsn, binary)
            rates[f"postgresql {'binary' if binary else 'text'}"] = n / s
    with askgres() as ag:
        setup(ag.dsn, args.rows)
        pid = ag.process.pid
        before = rss_bytes(pid)
        peak = [before]
        done = threading.Event()

        def sample():
            while not done.is_set():
                peak[0] = max(peak[0], rss_bytes(pid))
                time.sleep(0.01)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        for binary in (False, True):
            n, s = best_of(ag.dsn, binary)
            assert n == args.rows, n
            rates[f"askgres {'binary' if binary else 'text'}"] = n / s
        done.set()
        sampler.join()
    print(f"{args.rows:,} rows (int8, float8, text) to psycopg, best of 3")
    for fmt in ("text", "binary"):
        a, p = rates[f"askgres {fmt}"], rates[f"postgresql {fmt}"]
        print(f"{fmt:7} askgres {a / 1e6:6.2f}M rows/s   postgresql {p / 1e6:6.2f}M rows/s   ratio {a / p:5.2f}x")
    print(f"askgres RSS before streaming {before / 2**20:.0f} MiB, peak while streaming "
          f"{peak[0] / 2**20:.0f} MiB (the table itself is ~{args.rows * 30 / 2**20:.0f} MiB in text)")


if __name__ == "__main__":
    main()
