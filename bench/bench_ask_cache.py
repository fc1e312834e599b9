"""Cache hit latency of `-- ask:` versus a full translation by the real model, same run.

    .venv/bin/python bench/bench_ask_cache.py [--model qwen2.5-coder-1.5b]
"""

from __future__ import annotations

import argparse
import statistics
import time

import duckdb
import pyarrow as pa
import sqlglot

from askgres.llm import LLMConfig, SchemaContext, Translator
from askgres.llm.safety import parse_single_query


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--model", default="qwen2.5-coder-1.5b")
    p.add_argument("--hits", type=int, default=200)
    a = p.parse_args()
    con = duckdb.connect()
    con.execute("CREATE TABLE orders AS SELECT i AS id, i % 7 AS customer_id, i * 1.5 AS amount, "
                "2020 + i % 5 AS year FROM range(1000) t(i)")
    run = lambda sql: con.sql(sqlglot.transpile(sql, read="postgres", write="duckdb")[0]).to_arrow_table()  # noqa: E731
    ctx = SchemaContext.from_dict({"database": "bench", "tables": {"orders": {
        "columns": {"id": "integer", "customer_id": "integer", "amount": "double precision", "year": "integer"},
        "primary_key": ["id"]}}})
    tr = Translator(LLMConfig(model=a.model))
    q = "How many orders were placed in each year?"
    t0 = time.perf_counter()
    first = tr.translate(q, ctx, run, check=parse_single_query)
    full = time.perf_counter() - t0
    hits = []
    for _ in range(a.hits):
        t0 = time.perf_counter()
        hit = tr.translate(q, ctx, run, check=parse_single_query)
        hits.append(time.perf_counter() - t0)
        assert hit.cached and hit.sql == first.sql
    med = statistics.median(hits)
    p99 = sorted(hits)[int(0.99 * (len(hits) - 1))]
    print(f"SQL: {first.sql}")
    print(f"full translation (cold, model {tr.model.name}): {full * 1000:9.1f} ms")
    print(f"cache hit, median of {a.hits}:                  {med * 1000:9.3f} ms   p99 {p99 * 1000:.3f} ms")
    print(f"ratio full / hit: {full / med:,.0f}x")


if __name__ == "__main__":
    main()
