"""The guard's cost per statement on typical BI queries, next to the reference it is held to,
measured in the same run: a simple query's (`SELECT 1`) round trip through askgres (a server
started here, psycopg over TCP on 127.0.0.1).

    .venv/bin/python bench/bench_guard.py [--repeat N] [--no-server]

Columns, per query and policy (p50 over N runs, and the minimum, which a busy machine disturbs less):
  parse    the guard's parse of the text (AskgresPostgres). The DuckDB engine transpiles from
           this AST, so the parse is shared with transpilation, not the guard's own cost;
  rules    the rules over the parsed statement: the guard's own cost on a cold statement;
  cold     check() without the verdict cache: parse + rules + bookkeeping;
  cached   check() answered by the verdict cache (what repeated dashboard queries pay).
The target (issue 3): the guard's cost per statement <= 10% of a simple query's round trip.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import psycopg

from askgres.guard import Catalog, Policy, VerdictCache, check
from askgres.guard.context import Context
from askgres.guard.parse import parse
from askgres.guard.rules import RULES

sys.path.insert(0, str(Path(__file__).resolve().parent))

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


def timed(fn, repeat: int) -> tuple[float, float]:
    """(p50, min) in microseconds."""
    for _ in range(min(repeat, 20)):
        fn()   # warm imports and caches
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter_ns()
        fn()
        out.append((time.perf_counter_ns() - t0) / 1000.0)
    return statistics.median(out), min(out)


def timed_each(fn, inputs: list) -> tuple[float, float]:
    """timed() over fn(x) for x in inputs (each run gets its own input)."""
    for x in inputs[:20]:
        fn(x)
    out = []
    for x in inputs[20:]:
        t0 = time.perf_counter_ns()
        fn(x)
        out.append((time.perf_counter_ns() - t0) / 1000.0)
    return statistics.median(out), min(out)


def rules_only(stmt, policy: Policy) -> None:
    """The rules as check() runs them, on a statement parsed beforehand and owned by the run
    (rewriting rules change it in place, as in check())."""
    ctx = Context(catalog=CATALOG, owned=True)
    for rule in RULES:
        rewritten = rule(stmt, policy, ctx)
        if rewritten is not None:
            stmt = rewritten
            ctx.changed()


def askgres_round_trip(repeat: int) -> tuple[float, float]:
    from servers import askgres   # bench/servers.py: `askgres serve` on an ephemeral port

    with askgres() as server, psycopg.connect(server.dsn, autocommit=True) as conn:
        return timed(lambda: conn.execute("SELECT 1").fetchall(), repeat)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=300)
    ap.add_argument("--no-server", action="store_true", help="skip the askgres round trip (no reference)")
    args = ap.parse_args()
    n = args.repeat

    rt, rt_min = (float("nan"),) * 2 if args.no_server else askgres_round_trip(n * 3)
    print(f"reference  SELECT 1 round trip through askgres (psycopg, TCP): p50 {rt:7.0f} us  min {rt_min:7.0f} us")
    print("target     guard's cost per statement <= 10% of it\n")
    print(f"{'query':19s} {'policy':15s} {'parse':>13s} {'rules':>13s} {'cold':>13s} {'cached':>11s}"
          f" {'rules/RT':>9s} {'cold/RT':>8s} {'cached/RT':>9s}   (p50 / min, us)")
    for name, sql in QUERIES.items():
        parsed = timed(lambda: parse(sql), n)
        for pname, policy in POLICIES.items():
            rules = timed_each(lambda stmt: rules_only(stmt, policy), [parse(sql)[0] for _ in range(n + 20)])
            cold = timed(lambda: check(sql, policy, schema=CATALOG, cache=None), n)
            cache = VerdictCache(64)
            cached = timed(lambda: check(sql, policy, schema=CATALOG, cache=cache), n)
            print(f"{name:19s} {pname:15s} {parsed[0]:6.0f}/{parsed[1]:<6.0f} {rules[0]:6.0f}/{rules[1]:<6.0f}"
                  f" {cold[0]:6.0f}/{cold[1]:<6.0f} {cached[0]:5.1f}/{cached[1]:<5.1f}"
                  f" {rules[0] / rt:8.1%} {cold[0] / rt:8.1%} {cached[0] / rt:9.2%}")


if __name__ == "__main__":
    main()
