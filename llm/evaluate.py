"""Execution accuracy on a Spider-format dataset, through the same Translator as the wire path,
with a zero-shot baseline (same model, plain DDL + question) measured in the same run.

Hold-out: the evaluation's translator has its cache off, and its example store holds only dev
questions that are NOT in the evaluated sample, and retrieval for a question excludes its own
database. So an evaluated question, or its SQL, never reaches a prompt, the store or the cache.
Gold SQL runs in SQLite on the original file; predictions run in the caller's engine
(make_runner loads the Arrow tables read from the SQLite file and returns run(sql) -> pa.Table).
"""

from __future__ import annotations

import json
import resource
import statistics
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

import pyarrow as pa
import sqlglot

from .config import LLMConfig
from .examples import Example, ExampleStore
from .fixes import double_quoted_strings_to_literals
from .model import Model
from .prompt import baseline_prefix
from .render import render_plain_ddl
from .safety import parse_single_query
from .schema import SchemaContext
from .spider import (Item, context_for, db_path, hardness, has_order_by, load_items, read_sqlite, results_match,
                     rows_of, run_sqlite, sample_items)
from .spider_ties import matches_tied_top, tied_top
from .translate import Check, Runner, Translator

LEVELS = ("easy", "medium", "hard", "extra")
_NO_SCHEMA = SchemaContext(())


@dataclass
class Outcome:
    index: int
    db_id: str
    level: str
    question: str
    gold: str
    sql: str = ""
    correct: bool = False
    seconds: float = 0.0
    error: str | None = None
    attempts: str = ""            # the candidates tried, e.g. "greedy > plain > repair" (where time went)
    baseline_sql: str = ""
    baseline_correct: bool = False
    baseline_seconds: float = 0.0
    tied: bool = False            # wrong by Spider's rule, right when a tie at the gold's LIMIT counts (spider_ties)
    baseline_tied: bool = False


@dataclass
class EvalReport:
    sample: str
    outcomes: list[Outcome]
    warm_seconds: dict[str, float]
    peak_rss_mb: float
    options: dict = field(default_factory=dict)

    def accuracy(self, baseline: bool = False, ties: bool = False) -> dict[str, tuple[int, int]]:
        acc: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for o in self.outcomes:
            ok = o.baseline_correct if baseline else o.correct
            ok = ok or (ties and (o.baseline_tied if baseline else o.tied))
            for k in (o.level, "all"):
                acc[k][0] += ok
                acc[k][1] += 1
        return {k: tuple(v) for k, v in acc.items()}

    def latency(self, baseline: bool = False) -> tuple[float, float]:
        xs = sorted(o.baseline_seconds if baseline else o.seconds for o in self.outcomes)
        if not xs:
            return 0.0, 0.0
        p95 = xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]
        return statistics.median(xs), p95

    def table(self, with_baseline: bool = True) -> str:
        rows = [f"{self.sample}", f"options: {self.options or 'defaults'}",
                f"{'':10}{'askgres':>20}" + (f"{'zero-shot baseline':>22}{'diff':>8}" if with_baseline else "")]
        acc, base = self.accuracy(), self.accuracy(baseline=True)
        for k in (*LEVELS, "all"):
            if k not in acc:
                continue
            c, n = acc[k]
            line = f"{k:10}{f'{c}/{n} = {100 * c / n:5.1f}%':>20}"
            if with_baseline:
                bc, bn = base[k]
                line += f"{f'{bc}/{bn} = {100 * bc / bn:5.1f}%':>22}{100 * (c - bc) / n:+7.1f}"
            rows.append(line)
        (c, n), (bc, _) = self.accuracy(ties=True)["all"], self.accuracy(baseline=True, ties=True)["all"]
        line = f"{'all, ties':10}{f'{c}/{n} = {100 * c / n:5.1f}%':>20}"
        if with_baseline:
            line += f"{f'{bc}/{n} = {100 * bc / n:5.1f}%':>22}{100 * (c - bc) / n:+7.1f}"
        rows.append(line + "   (an answer naming another row tied at the gold's LIMIT counted right)")
        p50, p95 = self.latency()
        line = f"{'latency':10}{f'p50 {p50:.2f}s p95 {p95:.2f}s':>20}"
        if with_baseline:
            b50, b95 = self.latency(baseline=True)
            line += f"{f'p50 {b50:.2f}s p95 {b95:.2f}s':>22}"
        rows.append(line)
        if self.warm_seconds:
            ws = list(self.warm_seconds.values())
            rows.append(f"warm-up per database (schema prefix + value index, not in latency): "
                        f"median {statistics.median(ws):.1f}s, max {max(ws):.1f}s over {len(ws)} databases")
        if self.peak_rss_mb:
            rows.append(f"peak memory (RSS of this process): {self.peak_rss_mb:.0f} MB")
        return "\n".join(rows)


def _tied(path: Path, gold: str, rows) -> bool:
    top = tied_top(path, gold) if rows is not None else None
    return top is not None and matches_tied_top(rows_of(rows), top)


def report_from_jsonl(path: str | Path, description: str = "") -> EvalReport:
    """Summarize the per-question lines an evaluation wrote (also a run that was stopped early)."""
    outcomes = [Outcome(**json.loads(line)) for line in Path(path).read_text().splitlines() if line.strip()]
    dbs = len({o.db_id for o in outcomes})
    return EvalReport(description or f"{len(outcomes)} questions from {dbs} databases ({path})", outcomes, {}, 0.0)


def holdout_store(items: list[Item], evaluated: list[Item]) -> ExampleStore:
    """Examples from dev questions outside the evaluated sample (their gold SQL in Postgres dialect)."""
    taken = {it.index for it in evaluated}
    examples = []
    for it in items:
        if it.index in taken:
            continue
        try:
            # Spider's gold writes strings in double quotes (SQLite accepts them); Postgres would read
            # identifiers, so turn them into literals before the model sees them as examples.
            tree = double_quoted_strings_to_literals(sqlglot.parse_one(it.gold, read="sqlite"), _NO_SCHEMA)
            sql = tree.sql(dialect="postgres")
        except Exception:  # noqa: BLE001 - an example we cannot transpile is simply left out
            continue
        examples.append(Example(it.question, sql, it.db_id))
    return ExampleStore(examples)


def evaluate(dataset_dir: str | Path, *, make_runner: Callable[[dict[str, pa.Table]], Runner],
             check: Check | None = None, limit: int | None = 150, seed: int = 0, baseline: bool = True,
             config: LLMConfig | None = None, model: Model | None = None, options: Mapping[str, Any] | None = None,
             examples: bool = True, indexes: tuple[int, ...] | None = None, out_jsonl: str | Path | None = None,
             log: Callable[[str], None] = print) -> EvalReport:
    dataset_dir = Path(dataset_dir)
    check = check or parse_single_query
    items = load_items(dataset_dir)
    if indexes is not None:   # a fixed list of dev.json positions (the CI sample)
        sample = sorted((items[i] for i in indexes), key=lambda it: (it.db_id, it.index))
    else:
        sample = sample_items(items, dataset_dir, limit, seed)
    # No cache, no taught examples (hold-out); no per-question timeout: on busy cores a question
    # that waits is slow, not failed (latency is reported).
    cfg = (config or LLMConfig()).model_copy(update={"cache": False, "examples_file": None, "timeout_s": 3600.0})
    store = holdout_store(items, sample) if examples else ExampleStore()
    translator = Translator(cfg, model=model, examples=store)
    outcomes: list[Outcome] = []
    warm: dict[str, float] = {}
    by_db: dict[str, list[Item]] = defaultdict(list)
    for it in sample:
        by_db[it.db_id].append(it)
    out = open(out_jsonl, "w") if out_jsonl else None
    try:
        for db_id, db_items in by_db.items():
            path = db_path(dataset_dir, db_id)
            tables = read_sqlite(path)
            run = make_runner(tables)
            context = context_for(path, tables, samples=cfg.sample_values)
            t0 = time.perf_counter()
            if (options or {}).get("value_retrieval", cfg.value_retrieval):
                translator.values.get(context, run)
            translator.warm(context)
            warm[db_id] = time.perf_counter() - t0
            db_outcomes = []
            for it in db_items:
                gold_rows = run_sqlite(path, it.gold)
                ordered = has_order_by(it.gold)
                o = Outcome(it.index, db_id, hardness(it.gold), it.question, it.gold)
                t1 = time.perf_counter()
                try:
                    tr = translator.translate(it.question, context, run, check=check, options=options,
                                              exclude_database=db_id)
                    o.sql = tr.sql
                    o.attempts = " > ".join(c.source for c in tr.candidates)
                    o.correct = results_match(rows_of(tr.rows), gold_rows, ordered)
                    o.tied = not o.correct and _tied(path, it.gold, tr.rows)
                except Exception as e:  # noqa: BLE001 - a failed question counts as wrong
                    o.error = f"{type(e).__name__}: {getattr(e, 'message', e)}\n{getattr(e, 'detail', '') or ''}"
                o.seconds = time.perf_counter() - t1
                db_outcomes.append(o)
                log(f"[{len(outcomes) + len(db_outcomes)}/{len(sample)}] {db_id} {o.level:6} "
                    f"{'OK ' if o.correct else 'BAD'} {o.seconds:5.1f}s {it.question[:70]}")
            if baseline:
                # After the pipeline's questions for this database, so neither evicts the other's prefix.
                t0 = time.perf_counter()
                ddl_prefix = baseline_prefix(render_plain_ddl(context))
                translator.model.complete(ddl_prefix, max_tokens=1, stop=["\n"], timeout=cfg.timeout_s,
                                          prefix=ddl_prefix)
                warm[db_id] += time.perf_counter() - t0
                for it, o in zip(db_items, db_outcomes):
                    gold_rows = run_sqlite(path, it.gold)
                    t1 = time.perf_counter()
                    try:
                        tr = translator.baseline(it.question, context, run, check=check)
                        o.baseline_sql = tr.sql
                        o.baseline_correct = tr.rows is not None and results_match(
                            rows_of(tr.rows), gold_rows, has_order_by(it.gold))
                        o.baseline_tied = not o.baseline_correct and _tied(path, it.gold, tr.rows)
                    except Exception as e:  # noqa: BLE001 - counts as wrong
                        o.baseline_sql = f"{type(e).__name__}: {getattr(e, 'message', e)}"
                    o.baseline_seconds = time.perf_counter() - t1
            for o in db_outcomes:
                outcomes.append(o)
                if out:
                    out.write(json.dumps(asdict(o)) + "\n")
                    out.flush()
    finally:
        if out:
            out.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    how = f"indexes {list(indexes)}" if indexes is not None else f"seed {seed}, limit {limit}"
    desc = (f"Spider dev sample: {len(sample)} questions ({how}) from {len(by_db)} databases; "
            f"model {translator.model.name}")
    return EvalReport(desc, outcomes, warm, peak, dict(options or {}))
