"""50 concurrent clients x 200 queries each: throughput and p99 latency, askgres vs real
PostgreSQL, same client (asyncpg), same run.

    .venv/bin/python bench/bench_concurrency.py [--clients 50 --queries 200]
"""

from __future__ import annotations

import argparse
import asyncio
import time

import asyncpg

from servers import askgres, percentile, postgres

QUERY = "SELECT count(*) FROM bench_small WHERE k = $1"


async def client(dsn_kwargs: dict, queries: int, latencies: list[float]) -> None:
    conn = await asyncpg.connect(**dsn_kwargs)
    try:
        for i in range(queries):
            t = time.perf_counter()
            await conn.fetchval(QUERY, i % 100)
            latencies.append(time.perf_counter() - t)
    finally:
        await conn.close()


async def run(dsn_kwargs: dict, clients: int, queries: int) -> tuple[float, float, float]:
    latencies: list[float] = []
    t = time.perf_counter()
    await asyncio.gather(*(client(dsn_kwargs, queries, latencies) for _ in range(clients)))
    elapsed = time.perf_counter() - t
    return len(latencies) / elapsed, percentile(latencies, 0.5), percentile(latencies, 0.99)


def kwargs_of(server, user: str, database: str) -> dict:
    return {"host": server.host, "port": server.port, "user": user, "database": database}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    out = {}
    with postgres() as pg:
        kw = kwargs_of(pg, pg.user, pg.dbname)
        asyncio.run(_setup(kw))
        out["postgresql"] = asyncio.run(run(kw, args.clients, args.queries))
    with askgres() as ag:
        kw = kwargs_of(ag, "askgres", "askgres")
        asyncio.run(_setup(kw))
        out["askgres"] = asyncio.run(run(kw, args.clients, args.queries))
    print(f"{args.clients} clients x {args.queries} queries ({QUERY})")
    for name, (qps, p50, p99) in out.items():
        print(f"{name:11} {qps:8.0f} queries/s   p50 {p50 * 1e3:6.2f} ms   p99 {p99 * 1e3:6.2f} ms")
    a, p = out["askgres"], out["postgresql"]
    print(f"askgres/postgresql: throughput {a[0] / p[0]:.2f}x, p99 {a[2] / p[2]:.2f}x")


async def _setup(kw: dict) -> None:
    conn = await asyncpg.connect(**kw)
    await conn.execute("DROP TABLE IF EXISTS bench_small")
    await conn.execute("CREATE TABLE bench_small AS SELECT i AS id, i % 100 AS k FROM generate_series(1, 10000) AS s(i)")
    await conn.close()


if __name__ == "__main__":
    main()
