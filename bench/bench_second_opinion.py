"""The model second opinion (llm/judge.py) on Spider dev: how often it flags a wrong query, how
often it objects to a right one, and what one judgment costs; the two sides measured in the same run.

    .venv/bin/python bench/bench_second_opinion.py --limit 60 --seed 0 [--prompt bare|schema]
        [--model qwen2.5-coder-1.5b] [--threads N] [--out judgments.jsonl]

For each sampled question the judge sees (a) the gold SQL, a right query, and (b) a wrong one:
a mutation of the gold on its AST (another aggregate, a flipped comparison or sort, a dropped
condition) or, failing that, the gold SQL of another question on the same database. A wrong
query counts only when executing it and the gold on the SQLite file gives different results.
The judge sees Postgres-dialect SQL, as askgres shows it (sqlglot transpiles the gold).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
from collections import Counter
from pathlib import Path

import sqlglot
from sqlglot import exp

from askgres.llm.config import LLMConfig
from askgres.llm.judge import Judge
from askgres.llm.model import shared_model
from askgres.llm.render import render_schema
from askgres.llm.spider import (context_for, db_path, has_order_by, load_items, read_sqlite, results_match,
                                run_sqlite, sample_items)

DATASET = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "spider_dev"

_AGG_SWAPS = {exp.Max: exp.Min, exp.Min: exp.Max, exp.Avg: exp.Max, exp.Sum: exp.Avg}
_CMP_SWAPS = {exp.GT: exp.LT, exp.LT: exp.GT, exp.GTE: exp.LTE, exp.LTE: exp.GTE, exp.EQ: exp.NEQ,
              exp.NEQ: exp.EQ}


def mutations(gold: str):
    """(kind, sqlite SQL) of single-edit mutations of the gold, in a fixed order."""
    tree = sqlglot.parse_one(gold, read="sqlite")
    edits = []
    for i, node in enumerate(tree.find_all(*_AGG_SWAPS)):
        edits.append(("aggregate", i))
    for i, node in enumerate(tree.find_all(*_CMP_SWAPS)):
        edits.append(("comparison", i))
    for i, _ in enumerate(tree.find_all(exp.Ordered)):
        edits.append(("order", i))
    for i, _ in enumerate(tree.find_all(exp.Where)):
        edits.append(("no filter", i))
    for kind, i in edits:
        t = tree.copy()
        if kind == "aggregate":
            node = list(t.find_all(*_AGG_SWAPS))[i]
            node.replace(_AGG_SWAPS[type(node)](this=node.this.copy()))
        elif kind == "comparison":
            node = list(t.find_all(*_CMP_SWAPS))[i]
            node.replace(_CMP_SWAPS[type(node)](this=node.this.copy(), expression=node.expression.copy()))
        elif kind == "order":
            node = list(t.find_all(exp.Ordered))[i]
            node.set("desc", not node.args.get("desc"))
        else:
            list(t.find_all(exp.Where))[i].pop()
        yield kind, t.sql(dialect="sqlite")


def wrong_query(item, path: Path, same_db: list, rng: random.Random):
    """(kind, sqlite SQL) of a query whose result differs from the gold's, or None."""
    gold_rows = run_sqlite(path, item.gold)
    ordered = has_order_by(item.gold)
    others = [it.gold for it in same_db if it.gold.strip() != item.gold.strip()]
    rng.shuffle(others)
    for kind, sql in [*mutations(item.gold), *(("other question", g) for g in others[:10])]:
        try:
            rows = run_sqlite(path, sql)
        except Exception:  # noqa: BLE001 - a mutation SQLite refuses is no query to judge
            continue
        if not results_match(rows, gold_rows, ordered or has_order_by(sql)):
            return kind, sql
    return None


def to_postgres(sql: str) -> str:
    return sqlglot.transpile(sql, read="sqlite", write="postgres")[0]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--dataset", type=Path, default=DATASET)
    p.add_argument("--limit", type=int, default=60)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--model", default="qwen2.5-coder-1.5b")
    p.add_argument("--threads", type=int, default=None)
    p.add_argument("--prompt", choices=("bare", "schema"), default="bare",
                   help="bare: question and SQL only (as askgres asks); schema: the prompt starts with the "
                        "translation prompt's schema and system text")
    p.add_argument("--out", type=Path, default=None, help="per-judgment JSON lines")
    p.add_argument("--report", type=Path, default=None,
                   help="print the figures of an --out file (e.g. of a run cut short) and exit")
    a = p.parse_args(argv)
    if a.report:
        rows = [json.loads(line) for line in a.report.read_text().splitlines() if line.strip()]
        report(rows, f"{len({r['index'] for r in rows})} questions from {a.report}")
        return 0

    config = LLMConfig(model=a.model, n_threads=a.threads, timeout_s=3600.0)
    judge = Judge(shared_model(config), seed=config.seed, timeout=config.timeout_s)
    items = load_items(a.dataset)
    sample = sample_items(items, a.dataset, a.limit, a.seed)
    rng = random.Random(a.seed)
    rows: list[dict] = []
    out = open(a.out, "w") if a.out else None
    for n, item in enumerate(sample, 1):
        path = db_path(a.dataset, item.db_id)
        wrong = wrong_query(item, path, [it for it in items if it.db_id == item.db_id], rng)
        schema_text = None
        if a.prompt == "schema":
            tables = read_sqlite(path)
            schema_text = render_schema(context_for(path, tables, samples=config.sample_values),
                                        samples=config.sample_values)
        cases = [("right", "gold", item.gold)] + ([("wrong", wrong[0], wrong[1])] if wrong else [])
        for side, kind, sql in cases:
            pg = to_postgres(sql)
            j = judge(item.question, pg, schema_text=schema_text)
            row = {"index": item.index, "db": item.db_id, "side": side, "kind": kind, "question": item.question,
                   "sql": pg, "verdict": j.verdict, "reason": j.reason, "seconds": round(j.seconds, 3)}
            rows.append(row)
            if out:
                out.write(json.dumps(row) + "\n")
                out.flush()
            print(f"[{n}/{len(sample)}] {side:5} {kind:14} {j.verdict:6} {j.seconds:5.2f}s  {j.reason[:60]}",
                  file=sys.stderr)
    if out:
        out.close()
    report(rows, f"{len(sample)} questions (seed {a.seed}), model {judge.model.name}, prompt {a.prompt}")
    return 0


def report(rows: list[dict], description: str) -> None:
    right = [r for r in rows if r["side"] == "right"]
    wrong = [r for r in rows if r["side"] == "wrong"]
    objects = lambda r: r["verdict"] in ("WRONG", "UNSAFE")  # noqa: E731 - what blocks in block mode
    def rate(rs):
        return f"{sum(map(objects, rs))}/{len(rs)} = {sum(map(objects, rs)) / max(len(rs), 1):.0%}"
    def p50(rs):
        return statistics.median(r["seconds"] for r in rs) if rs else float("nan")
    print(f"Second opinion on Spider dev: {description}, {len(wrong)} verified wrong queries")
    print(f"{'':24} {'right queries (gold)':>24} {'wrong queries':>24}")
    print(f"{'objected (would block)':24} {rate(right):>24} {rate(wrong):>24}")
    print(f"{'verdicts':24} {str(dict(Counter(r['verdict'] for r in right))):>24} "
          f"{str(dict(Counter(r['verdict'] for r in wrong))):>24}")
    print(f"{'judgment p50 (s)':24} {p50(right):>24.2f} {p50(wrong):>24.2f}")
    for kind in sorted({r['kind'] for r in wrong}):
        rs = [r for r in wrong if r["kind"] == kind]
        print(f"  wrong by {kind:14} flagged {rate(rs)}")
    flag = sum(map(objects, wrong)) / max(len(wrong), 1)
    block = sum(map(objects, right)) / max(len(right), 1)
    print(f"flag rate on wrong / block rate on right = {flag:.0%} / {block:.0%}"
          + (f" = {flag / block:.1f}x" if block else ""))


if __name__ == "__main__":
    sys.exit(main())
