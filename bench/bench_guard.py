"""The guard's cost per statement on typical BI queries, cold and cached, next to references
measured in the same run: sqlglot's own Postgres parse of the same text, and a DuckDB
in-process `SELECT 1` round trip (the floor of any query through askgres).

    .venv/bin/python bench/bench_guard.py [--repeat N]

The issue's target: guard cost <= 10% of a simple query's round trip through askgres.
"""

from __future__ import annotations

import argparse
import statistics
import time

import duckdb
import sqlglot

from askgres.guard import Catalog, Policy, VerdictCache, check

QUERIES = {
    "superset_aggregate": """
        SELECT date_trunc('day', created_at) AS __timestamp, city, count(*) AS count,
               sum(total) AS "SUM(total)"
        FROM public.orders o JOIN public.customers c ON c.id = o.customer_id
        WHERE created_at >= '2024-01-01 00:00:00' AND created_at < '2024-02-01 00:00:00'
        GROUP BY date_trunc('day', created_at), city
        ORDER BY "SUM(total)" DESC
        LIMIT 10000""",
    "metabase_filter": """
        SELECT "public"."orders"."id" AS "id", "public"."orders"."total" AS "total"
        FROM "public"."orders"
        WHERE ("public"."orders"."total" > 100) AND ("public"."orders"."customer_id" = 7)
        LIMIT 2000""",
    "psql_dt": """
        SELECT n.nspname as "Schema", c.relname as "Name",
          CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'
          WHEN 'i' THEN 'index' WHEN 'S' THEN 'sequence' WHEN 't' THEN 'TOAST table'
          WHEN 'f' THEN 'foreign table' WHEN 'p' THEN 'partitioned table'
          WHEN 'I' THEN 'partitioned index' END as "Type",
          pg_catalog.pg_get_userbyid(c.relowner) as "Owner"
        FROM pg_catalog.pg_class c
             LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam
        WHERE c.relkind IN ('r','p','')
              AND n.nspname <> 'pg_catalog'
              AND n.nspname !~ '^pg_toast'
              AND n.nspname <> 'information_schema'
          AND pg_catalog.pg_table_is_visible(c.oid)
        ORDER BY 1,2""",
    "simple": "SELECT 1",
}

CATALOG = Catalog(
    columns={"public.orders": ["id", "customer_id", "total", "created_at"],
             "public.customers": ["id", "name", "email", "city"]},
    table_rows={"public.orders": 1_000_000, "public.customers": 100_000})
POLICIES = {
    "read-only": Policy(),
    "masked+limited": Policy(masked_columns={"email": "hash"}, max_rows=100_000,
                             read={"allow": ("*",), "deny": ("hr",)}),
}


def timed(fn, repeat: int) -> list[float]:
    fn()   # warm imports and caches of sqlglot itself
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter_ns()
        fn()
        out.append((time.perf_counter_ns() - t0) / 1000.0)
    return out


def fmt(samples: list[float]) -> str:
    samples = sorted(samples)
    p50 = statistics.median(samples)
    p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
    return f"p50 {p50:8.1f} us  p99 {p99:8.1f} us"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=300)
    args = ap.parse_args()
    n = args.repeat

    con = duckdb.connect(":memory:")
    roundtrip = timed(lambda: con.execute("SELECT 1").fetchall(), n * 3)
    rt = statistics.median(roundtrip)
    print(f"reference  duckdb in-process SELECT 1 round trip: {fmt(roundtrip)}")
    print("target     guard (cached) <= 10% of a simple query's round trip through askgres\n")
    print(f"{'query':20s} {'policy':15s} {'sqlglot parse':>16s} {'guard cold':>16s} "
          f"{'guard cached':>16s} {'cold/parse':>10s} {'cached/duckdb':>13s}")
    for name, sql in QUERIES.items():
        parse = statistics.median(timed(lambda: sqlglot.parse(sql, read="postgres"), n))
        for pname, policy in POLICIES.items():
            cold = statistics.median(timed(
                lambda: check(sql, policy, schema=CATALOG, cache=None), n))
            cache = VerdictCache(64)
            cached = statistics.median(timed(
                lambda: check(sql, policy, schema=CATALOG, cache=cache), n))
            print(f"{name:20s} {pname:15s} {parse:13.1f} us {cold:13.1f} us {cached:13.1f} us "
                  f"{cold / parse:9.2f}x {cached / rt:12.2f}x")


if __name__ == "__main__":
    main()
