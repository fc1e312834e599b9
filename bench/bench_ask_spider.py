"""Spider dev execution accuracy of `-- ask:` versus the zero-shot baseline, same model, same run.

    .venv/bin/python bench/bench_ask_spider.py --limit 150 --seed 0 [--model qwen2.5-coder-0.5b]
        [--no-examples] [--examples N] [--same-database-examples-only] [--no-values] [--no-repair] [--no-fixes] [--candidates 3] [--no-baseline]

Predictions are Postgres-dialect SQL transpiled by askgres's DuckDB dialect module and run on
DuckDB tables loaded from the SQLite files; gold SQL runs on the SQLite files themselves.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from askgres.engines.duckdb.arrow_runner import arrow_tables_runner
from askgres.llm.config import LLMConfig
from askgres.llm.evaluate import evaluate

DATASET = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "spider_dev"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--dataset", type=Path, default=DATASET)
    p.add_argument("--limit", type=int, default=150)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--model", default="qwen2.5-coder-1.5b")
    p.add_argument("--threads", type=int, default=None)
    p.add_argument("--candidates", type=int, default=None)
    p.add_argument("--no-examples", action="store_true")
    p.add_argument("--examples", type=int, default=None, help="examples retrieved per question (default: [llm] examples)")
    p.add_argument("--same-database-examples-only", action="store_true",
                   help="no examples from other databases: in this evaluation, no examples at all (a fresh install's case)")
    p.add_argument("--no-values", action="store_true")
    p.add_argument("--no-repair", action="store_true")
    p.add_argument("--no-fixes", action="store_true")
    p.add_argument("--no-baseline", action="store_true")
    p.add_argument("--out", type=Path, default=None, help="per-question JSON lines")
    a = p.parse_args(argv)
    options = {}
    if a.candidates:
        options["candidates"] = a.candidates
    if a.examples is not None:
        options["examples"] = a.examples
    if a.no_examples:
        options["examples"] = 0
    if a.same_database_examples_only:
        options["examples_other_databases"] = False
    if a.no_values:
        options["value_retrieval"] = False
    if a.no_repair:
        options["repair"] = False
    if a.no_fixes:
        options["ast_fixes"] = False
    report = evaluate(a.dataset, make_runner=arrow_tables_runner, limit=a.limit, seed=a.seed,
                      baseline=not a.no_baseline, config=LLMConfig(model=a.model, n_threads=a.threads),
                      options=options, out_jsonl=a.out)
    print(report.table(with_baseline=not a.no_baseline))
    return 0


if __name__ == "__main__":
    sys.exit(main())
