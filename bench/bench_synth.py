"""Synthetic data into DuckDB: askgres synth vs DuckDB's own SQL generation vs Misata 0.9.8.

    .venv/bin/python bench/bench_synth.py                      # 10M fitness + 10M text users + Misata 1M
    .venv/bin/python bench/bench_synth.py --rows 100_000_000 --database /tmp/big.duckdb --only fitness
                                                               # bounded memory run (peak RSS reported)

Figures are end to end: generation + ingest, until the tables exist in DuckDB. Each scenario
prints askgres' rows/s side by side with its reference measured in the same run, as ratios.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time

import duckdb

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_synth_specs import fitness, text_users  # noqa: E402

from askgres.synth import table_order, table_reader  # noqa: E402
from askgres.synth.spec import from_dict  # noqa: E402
from askgres.synth.validate import validation_queries  # noqa: E402


def peak_rss_mb() -> tuple[float, float]:
    """(this process, largest waited-for child) peak resident memory in MiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, kids


def load_askgres(con, spec, *, workers: int, batch_rows: int, prefix: str = "") -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process, DuckDB's threads included)."""
    t0, c0 = time.perf_counter(), time.process_time()
    for name in table_order(spec):
        reader = table_reader(spec, name, workers=workers, batch_rows=batch_rows)
        con.register("synth_src", reader)
        con.execute(f'CREATE OR REPLACE TABLE "{prefix}{name}" AS SELECT * FROM synth_src')
        con.unregister("synth_src")
    return time.perf_counter() - t0, time.process_time() - c0


def timed(con, sql: str) -> tuple[float, float]:
    t0, c0 = time.perf_counter(), time.process_time()
    con.execute(sql)
    return time.perf_counter() - t0, time.process_time() - c0


def line(label: str, rows: int, wall: float, cpu: float, extra: str = "") -> str:
    return (f"{label:<22} {rows:>12,} rows  {wall:7.2f} s  {rows / wall / 1e6:6.2f} M rows/s   "
            f"cpu {cpu:7.2f} s  {rows / cpu / 1e6:6.2f} M rows/cpu-s  {extra}")


def check(con, spec, prefix: str = "") -> dict[str, int]:
    names = {t.name: prefix + t.name for t in spec.tables}
    return {n: con.execute(q).fetchone()[0] for n, q in validation_queries(spec, table_names=names)}


# DuckDB generating the same shape itself: range() + hash(), the physical floor of "make rows".
SQL_FITNESS = """
CREATE OR REPLACE TABLE sql_users AS
SELECT i + 1 AS id, 16 + (hash(i, 1) % 60)::BIGINT AS age,
       ['free', 'basic', 'premium'][1 + (hash(i, 2) % 3)::BIGINT] AS plan,
       TIMESTAMP '2021-01-01' + to_microseconds(((hash(i, 3) % 126230400000000)::BIGINT)::BIGINT) AS signup_at
FROM range({users}) t(i);
CREATE OR REPLACE TABLE sql_subscriptions AS
SELECT i + 1 AS id, 1 + (hash(i, 4) % {users})::BIGINT AS user_id,
       ['monthly', 'yearly'][1 + (hash(i, 5) % 2)::BIGINT] AS tier,
       round(5 + ((hash(i, 6) % 5000)::BIGINT) / 100.0, 2) AS price,
       TIMESTAMP '2021-01-01' + to_microseconds(((hash(i, 7) % 141868800000000)::BIGINT)::BIGINT) AS started_at
FROM range({subs}) t(i);
CREATE OR REPLACE TABLE sql_workouts AS
SELECT i + 1 AS id, 1 + (i * {users}) // {workouts} AS user_id,
       DATE '2021-01-01' + ((hash(i, 8) % 1640)::BIGINT)::INTEGER AS day,
       ['run', 'ride', 'swim', 'lift', 'yoga'][1 + (hash(i, 9) % 5)::BIGINT] AS activity,
       5 + (hash(i, 10) % 120)::BIGINT AS minutes, round(20 + ((hash(i, 11) % 7000)::BIGINT) / 10.0, 1) AS kcal
FROM range({workouts}) t(i);
"""

SQL_TEXT = """
CREATE OR REPLACE TABLE sql_text_users AS
WITH f AS (SELECT list(x) AS l FROM (VALUES {first}) v(x)), l AS (SELECT list(x) AS l FROM (VALUES {last}) v(x))
SELECT i + 1 AS id, f.l[1 + (hash(i, 1) % {nf})::BIGINT] AS first_name, l.l[1 + (hash(i, 2) % {nl})::BIGINT] AS last_name,
       first_name || ' ' || last_name AS name,
       lower(first_name) || '.' || lower(last_name) || (i + 1)::VARCHAR || '@example.com' AS email,
       18 + (hash(i, 3) % 70)::BIGINT AS age, DATE '2019-01-01' + ((hash(i, 4) % 2370)::BIGINT)::INTEGER AS signup_date,
       ['free', 'starter', 'pro', 'enterprise'][1 + (hash(i, 5) % 4)::BIGINT] AS plan,
       round(((hash(i, 6) % 50000)::BIGINT) / 100.0, 2) AS monthly_spend,
       ['United States', 'India', 'Germany', 'Brazil', 'Japan'][1 + (hash(i, 7) % 5)::BIGINT] AS country
FROM range({rows}) t(i), f, l;
"""


def fresh(database: str | None, threads: int | None, memory_limit: str | None):
    con = duckdb.connect(database or ":memory:")
    if threads:
        con.execute(f"SET threads = {threads}")
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit}'")
    return con


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=lambda s: int(s.replace("_", "")), default=10_000_000)
    ap.add_argument("--text-rows", type=lambda s: int(s.replace("_", "")), default=10_000_000)
    ap.add_argument("--misata-rows", type=lambda s: int(s.replace("_", "")), default=1_000_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--batch-rows", type=int, default=1 << 18)
    ap.add_argument("--database", help="DuckDB file (default in memory); use one for --rows 100M")
    ap.add_argument("--memory-limit", help="DuckDB memory_limit, e.g. 400MB")
    ap.add_argument("--threads", type=int)
    ap.add_argument("--only", choices=["fitness", "text", "misata"], action="append")
    ap.add_argument("--no-reference", action="store_true", help="skip the DuckDB SQL reference")
    ap.add_argument("--no-check", action="store_true", help="skip the validation queries")
    a = ap.parse_args()
    only = set(a.only or ["fitness", "text", "misata"])
    # warm-up: one-time lazy imports (pyarrow.compute wrappers, sqlglot dialects) are not per call
    warm = fresh(None, a.threads, None)
    load_askgres(warm, from_dict(fitness(20_000)), workers=a.workers, batch_rows=a.batch_rows)
    load_askgres(warm, from_dict(text_users(20_000)), workers=a.workers, batch_rows=a.batch_rows)
    warm.close()
    print(f"cpus={os.cpu_count()} load average={os.getloadavg()[0]:.1f} workers={a.workers} (threads) "
          f"batch_rows={a.batch_rows} duckdb={duckdb.__version__}")
    results = {}

    if "fitness" in only or "misata" in only:
        spec = from_dict(fitness(a.rows))
        if a.database and os.path.exists(a.database):
            os.remove(a.database)
        con = fresh(a.database, a.threads, a.memory_limit)
        secs, cpu = load_askgres(con, spec, workers=a.workers, batch_rows=a.batch_rows)
        rows = sum(t.rows for t in spec.tables)
        results["askgres fitness"] = rows / secs
        own, _ = peak_rss_mb()
        print(line("askgres fitness", rows, secs, cpu, f"peak RSS {own:.0f} MiB"))
        if not a.no_check:
            bad = {k: v for k, v in check(con, spec).items() if v}
            print(f"         validation: {len(validation_queries(spec))} checks, violations: {bad or 0}")
        if not a.no_reference:
            users, subs = rows * 5 // 100, rows * 15 // 100
            ref, rcpu = timed(con, SQL_FITNESS.format(users=users, subs=subs, workouts=rows - users - subs))
            results["duckdb sql fitness"] = rows / ref
            print(line("duckdb sql fitness", rows, ref, rcpu, "(range()+hash(); no skew, no constraints)"))
            print(f"{'':<22} askgres/duckdb: wall {ref / secs:.2f}x, cpu {rcpu / cpu:.2f}x")
        con.close()

    if "misata" in only:
        from bench_synth_misata import run_into_duckdb
        import misata
        con = fresh(None, a.threads, a.memory_limit)
        t0, c0 = time.perf_counter(), time.process_time()
        n = run_into_duckdb(con, a.misata_rows)
        ms, mcpu = time.perf_counter() - t0, time.process_time() - c0
        viol = con.execute("SELECT count(*) FROM (SELECT user_id, day FROM misata_workouts GROUP BY ALL "
                       "HAVING sum(minutes) > 240)").fetchone()[0]
        results["misata fitness"] = n / ms
        ratio = results["askgres fitness"] / (n / ms) if "askgres fitness" in results else float("nan")
        print(line(f"misata {misata.__version__} fitness", n, ms, mcpu, f"group-sum violations: {viol}"))
        if "askgres fitness" in results:
            print(f"{'':<22} askgres/misata (rows/s): wall {ratio:.1f}x, cpu {(rows / cpu) / (n / mcpu):.1f}x")
        con.close()

    if "text" in only:
        spec = from_dict(text_users(a.text_rows))
        con = fresh(None, a.threads, a.memory_limit)
        secs, cpu = load_askgres(con, spec, workers=a.workers, batch_rows=a.batch_rows, prefix="text_")
        print(line("askgres text users", a.text_rows, secs, cpu))
        if not a.no_check:
            bad = {k: v for k, v in check(con, spec, prefix="text_").items() if v}
            print(f"         validation violations: {bad or 0}")
        if not a.no_reference:
            from askgres.synth import vocab
            first, last = vocab.words("first_names").to_pylist(), vocab.words("last_names").to_pylist()
            ref, rcpu = timed(con, SQL_TEXT.format(first=",".join(f"('{x}')" for x in first), nf=len(first),
                                                   last=",".join(f"('{x}')" for x in last), nl=len(last), rows=a.text_rows))
            print(line("duckdb sql text users", a.text_rows, ref, rcpu))
            print(f"{'':<22} askgres/duckdb: wall {ref / secs:.2f}x, cpu {rcpu / cpu:.2f}x")
        con.close()
    print(f"peak RSS {peak_rss_mb()[0]:.0f} MiB; load average now {os.getloadavg()[0]:.1f} "
          f"(other tenants share these {os.cpu_count()} cores: wall figures are noisy, cpu figures less so)")


if __name__ == "__main__":
    main()
