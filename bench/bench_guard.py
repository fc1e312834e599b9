"""The guard's cost per statement on typical BI queries, next to the references it is held to,
measured in the same run against a server started here (`askgres serve`, psycopg over TCP on
127.0.0.1):
  RT       a simple query's (`SELECT 1`) round trip through askgres (the issue's reference;
           askgres answers it from its kept result, no engine runs);
  lookupRT a one-row lookup's round trip (`SELECT name FROM customers WHERE id = 7`, the same
           text every run: the verdict cache answers the guard, DuckDB runs it), for context;
  ownRT    each query's own round trip, tables orders and customers as in CATALOG (a few
           thousand rows), with a text the server has not seen:
           new shape:  a new column alias every run, so neither the verdict cache, nor its
                       shape cache, nor the transpiled SQL kept on a cached AST answers it;
           new values: new filter values every run (a dashboard's date range, an id), the
                       rest as before: the shape cache answers (guard/shapes.py).

    .venv/bin/python bench/bench_guard.py [--repeat N] [--no-server]

Columns, per query and policy (p50 over N runs / the minimum, which a busy machine disturbs less):
  parse    the guard's parse of the text (AskgresPostgres). The DuckDB engine transpiles from
           this AST, so the parse is shared with transpilation, not the guard's own cost;
  walk     one visit of every node of the parsed statement (guard/nodes.py's walk, which the
           rules share): the least any guard made of rules over the AST pays on a new shape;
  rules    the rules over the parsed statement: the guard's own cost on a new shape. Each run
           parses its own copy just before (untimed), as check() does, so the rules find the
           tree as check() finds it (fresh in the CPU caches);
  cold     check() without any cache: parse + rules + bookkeeping;
  shape    check() of a text with new filter values, its parse handed to it: the guard's own
           cost when the shape cache answers (and replays the rewrites of the approved text,
           under the limited policy a clamped LIMIT); "-": the query has no filter values;
  cached   check() answered by the verdict cache (what repeated dashboard queries pay).
The target (issue 3): the guard's cost per statement <= 10% of a simple query's round trip.
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import sys
import time
from pathlib import Path

import psycopg

from askgres.guard import Catalog, Policy, VerdictCache, check
from askgres.guard.context import Context
from askgres.guard.nodes import walk
from askgres.guard.parse import parse, parse_with_tokens
from askgres.guard.rules import RULES

guard_check = importlib.import_module("askgres.guard.check")   # the module (the package exports the function)

sys.path.insert(0, str(Path(__file__).resolve().parent))

# Templates: {tag} ends a column alias (a new one makes a new shape); {year} and {n} are filter values.
QUERIES = {
    "superset_aggregate": """
        SELECT date_trunc('day', created_at) AS __timestamp{tag}, city, count(*) AS count,
               sum(total) AS "SUM(total)"
        FROM public.orders o JOIN public.customers c ON c.id = o.customer_id
        WHERE created_at >= '{year}-01-01 00:00:00' AND created_at < '{year}-02-01 00:00:00'
        GROUP BY date_trunc('day', created_at), city
        ORDER BY "SUM(total)" DESC
        LIMIT 10000""",
    "metabase_filter": """
        SELECT "public"."orders"."id" AS "id{tag}", "public"."orders"."total" AS "total"
        FROM "public"."orders"
        WHERE ("public"."orders"."total" > {n}) AND ("public"."orders"."customer_id" = {n})
        LIMIT 2000""",
    "psql_dt": """
        SELECT n.nspname as "Schema{tag}", c.relname as "Name",
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
    "simple": "SELECT 1 AS x{tag}",
}

CATALOG = Catalog(
    columns={"public.orders": ["id", "customer_id", "total", "created_at"],
             "public.customers": ["id", "name", "email", "city"]},
    table_rows={"public.orders": 1_000_000, "public.customers": 100_000})
POLICIES = {
    "read-only": Policy(),
    "masked+limited": Policy(masked_columns={"email": "hash"}, max_rows=100_000,
                             read={"allow": ("*",), "deny": ("hr",)}),
    "rows<=1000": Policy(max_rows=1000),   # clamps the BI queries' own LIMITs: a rewrite every time
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


def timed_each(prepare, fn, repeat: int) -> tuple[float, float]:
    """timed() of fn(prepare()), where prepare() (untimed) makes each run its own input."""
    out = []
    for i in range(repeat + 20):
        x = prepare(i)
        t0 = time.perf_counter_ns()
        fn(x)
        if i >= 20:   # the first runs warm imports and caches
            out.append((time.perf_counter_ns() - t0) / 1000.0)
    return statistics.median(out), min(out)


def text(name: str, i: int | None = None, *, new_shape: bool = False) -> str:
    """QUERIES[name] as sent: the usual text (i None), or run i's own text: a new alias
    (new_shape) or new filter values."""
    if i is None:
        return QUERIES[name].format(tag="", year=2024, n=7)
    if new_shape:
        return QUERIES[name].format(tag=f"_{i}", year=2024, n=7)
    return QUERIES[name].format(tag="", year=2025 + i, n=100 + i)


def has_filters(name: str) -> bool:
    return text(name, 0) != text(name, 1)


def rules_only(stmt, policy: Policy) -> None:
    """The rules as check() runs them, on a statement parsed beforehand and owned by the run
    (rewriting rules change it in place, as in check())."""
    ctx = Context(catalog=CATALOG, owned=True)
    for rule in RULES:
        rewritten = rule(stmt, policy, ctx)
        if rewritten is not None:
            stmt = rewritten
            ctx.changed()


# CATALOG's tables, a few thousand rows (the server's default role, the local owner, may create them)
SETUP = [
    "CREATE TABLE customers (id integer, name text, email text, city text)",
    "INSERT INTO customers SELECT i, 'customer ' || i, 'c' || i || '@example.com', "
    "'city ' || (i % 25) FROM generate_series(1, 1000) AS s(i)",
    "CREATE TABLE orders (id integer, customer_id integer, total double precision, created_at timestamp)",
    "INSERT INTO orders SELECT i, 1 + i % 1000, (i % 400) * 1.25, "
    "TIMESTAMP '2023-12-20 00:00:00' + i * INTERVAL '10 minutes' FROM generate_series(1, 5000) AS s(i)",
]


LOOKUP = "SELECT name FROM customers WHERE id = 7"


def askgres_round_trips(repeat: int) -> tuple[tuple[float, float], tuple[float, float],
                                              dict[str, tuple[float, float]]]:
    """(SELECT 1's round trip, the lookup's, {query: its own round trips with new shapes and
    with new values})."""
    from servers import askgres   # bench/servers.py: `askgres serve` on an ephemeral port

    with askgres() as server, psycopg.connect(server.dsn, autocommit=True) as conn:
        for sql in SETUP:
            conn.execute(sql)
        rt = timed(lambda: conn.execute("SELECT 1").fetchall(), repeat * 3)
        lookup = timed(lambda: conn.execute(LOOKUP).fetchall(), repeat * 3)
        run = lambda sql: conn.execute(sql).fetchall()   # noqa: E731
        own = {name: (timed_each(lambda i, name=name: text(name, i, new_shape=True), run, repeat),
                      timed_each(lambda i, name=name: text(name, i), run, repeat) if has_filters(name) else None)
               for name in QUERIES}
    return rt, lookup, own


def shape_cost(name: str, policy: Policy, repeat: int) -> tuple[float, float] | None:
    """The guard's own cost on texts with new filter values, once their shape is known: check()
    of each run's own text, its parse done beforehand (untimed) and handed to check() in place
    of parsing (the parse is shared with transpilation, see above). None when the shape cache
    does not answer."""
    cache = VerdictCache(64)
    check(text(name), policy, schema=CATALOG, cache=cache)
    check(text(name, repeat + 100), policy, schema=CATALOG, cache=cache)   # a text no run sends
    if not cache.shapes.hits:
        return None
    parsed: dict[str, tuple] = {}
    approved: list = []   # kept until the next run's (untimed) prepare, so freeing it is not timed

    def prepare(i: int) -> str:
        sql = text(name, i)
        parsed.clear()
        approved.clear()
        parsed[sql] = parse_with_tokens(sql)
        return sql

    real_parse = guard_check.parse_with_tokens
    guard_check.parse_with_tokens = lambda sql: parsed.pop(sql)
    try:
        return timed_each(prepare, lambda sql: approved.append(check(sql, policy, schema=CATALOG, cache=cache)),
                          repeat)
    finally:
        guard_check.parse_with_tokens = real_parse


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=300)
    ap.add_argument("--no-server", action="store_true", help="skip the askgres round trips (no references)")
    args = ap.parse_args()
    n = args.repeat

    nan = (float("nan"),) * 2
    (rt, rt_min), (lookup, lookup_min), own = (nan, nan, {}) if args.no_server else askgres_round_trips(n)
    print(f"reference RT     SELECT 1 round trip through askgres (psycopg, TCP): p50 {rt:.0f} us, min {rt_min:.0f} us")
    print(f"context lookupRT one-row lookup's round trip (DuckDB runs it): p50 {lookup:.0f} us, min {lookup_min:.0f} us")
    print("reference ownRT  each query's own round trip, a new text every run: new shape / new filter values")
    print("target           guard's cost per statement <= 10% of RT\n")
    parsed = {name: timed(lambda name=name: parse(text(name)), n) for name in QUERIES}
    walks = {name: timed(lambda stmt=parse(text(name))[0]: walk(stmt), n) for name in QUERIES}
    print(f"{'query':19s} {'ownRT new shape':>15s} {'ownRT new values':>16s} {'parse':>13s} {'walk':>11s}"
          f"   (p50/min us) | {'walk/RT':>7s}")
    for name in QUERIES:
        shape_rt, values_rt = own.get(name, (nan, None))
        values = f"{values_rt[0]:7.0f}/{values_rt[1]:<7.0f}" if values_rt else f"{'-':^15s}"
        w = walks[name]
        print(f"{name:19s} {shape_rt[0]:7.0f}/{shape_rt[1]:<7.0f} {values:>16s} {parsed[name][0]:6.0f}/{parsed[name][1]:<6.0f}"
              f" {w[0]:5.1f}/{w[1]:<5.1f}{'':16s}| {w[0] / rt:7.1%}")
    print(f"\n{'query':19s} {'policy':15s} {'rules':>13s} {'cold':>13s} {'shape':>11s} {'cached':>11s} |"
          f" {'rules/RT':>8s} {'shape/RT':>8s} {'cached/RT':>9s} | {'rules/lookupRT':>14s} | {'rules/ownRT':>11s}")
    print(f"{'':19s} {'':15s} {'p50/min us':>13s} {'p50/min us':>13s} {'p50/min us':>11s} {'p50/min us':>11s} |"
          f" {'ratios of the p50s':^28s} | {'':14s} | {'(new shape)':>11s}")
    for name in QUERIES:
        sql = text(name)
        own_p50 = own.get(name, (nan,))[0][0]
        for pname, policy in POLICIES.items():
            rules = timed_each(lambda i: parse(sql)[0], lambda stmt: rules_only(stmt, policy), n)
            cold = timed(lambda: check(sql, policy, schema=CATALOG, cache=None), n)
            shape = shape_cost(name, policy, n) if has_filters(name) else None
            cache = VerdictCache(64)
            cached = timed(lambda: check(sql, policy, schema=CATALOG, cache=cache), n)
            shape_us, shape_rt = (f"{shape[0]:5.1f}/{shape[1]:<5.1f}", f"{shape[0] / rt:8.1%}") if shape else (f"{'-':^11s}", f"{'-':>8s}")
            print(f"{name:19s} {pname:15s} {rules[0]:6.0f}/{rules[1]:<6.0f} {cold[0]:6.0f}/{cold[1]:<6.0f}"
                  f" {shape_us} {cached[0]:5.1f}/{cached[1]:<5.1f} | {rules[0] / rt:8.1%} {shape_rt}"
                  f" {cached[0] / rt:9.2%} | {rules[0] / lookup:14.1%} | {rules[0] / own_p50:11.1%}")


if __name__ == "__main__":
    main()
