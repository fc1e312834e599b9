"""What the `-- ask:` AST fixes (llm/fixes.py) do to SQL whose right answer is known, without
the model: the check every fix passed before it went in.

    .venv/bin/python bench/check_fixes_spider.py [--predictions run.jsonl ...] [--show]

Gold: each of Spider dev's gold queries (read as SQLite SQL) goes through apply_fixes with its
question. A fix must leave gold SQL alone, or at least its result: the script counts the queries
rewritten and, running both on DuckDB, those right before and not after (the reference is the
gold query's own result on the SQLite file, as in the evaluation; an answer naming another row
tied at the gold's LIMIT counts as right, as in the evaluation's tie-aware count, so that runs
agree: DuckDB picks among tied rows differently each time). Gold SQL that SQLite accepts
and Postgres rules reject (a column selected but not grouped) fails on DuckDB before and is
mended by the fixes: counted apart.
Predictions: the SQL of earlier evaluations (bench_ask_spider.py --out F), already fixed by the
fixes of their day, goes through today's fixes again: rewritten, wrong -> right, right -> wrong.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import sqlglot

from askgres.engines.duckdb.arrow_runner import arrow_tables_runner
from askgres.llm.fixes import apply_fixes
from askgres.llm.spider import (context_for, db_path, has_order_by, load_items, read_sqlite, results_match,
                                rows_of, run_sqlite)
from askgres.llm.spider_ties import matches_tied_top, tied_top

DATASET = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "spider_dev"


class Databases:
    """Each Spider database loaded once: (DuckDB runner, schema context)."""

    def __init__(self, dataset: Path) -> None:
        self.dataset, self._loaded = dataset, {}

    def __getitem__(self, db_id: str):
        if db_id not in self._loaded:
            path = db_path(self.dataset, db_id)
            tables = read_sqlite(path)
            self._loaded[db_id] = (arrow_tables_runner(tables), context_for(path, tables))
        return self._loaded[db_id]


def outcome(sql: str, read: str, item, dbs: Databases) -> tuple[str, str, bool | None, bool | None] | None:
    """(sql before, after, right before, right after) when today's fixes rewrite `sql`, else None.
    'Right' is None when the query fails."""
    try:
        tree = sqlglot.parse_one(sql, read=read)
    except sqlglot.errors.ParseError:
        return None
    run, context = dbs[item.db_id]
    before = tree.sql(dialect="postgres")
    after = apply_fixes(tree, context, question=item.question).sql(dialect="postgres")
    if after == before:
        return None
    path = db_path(dbs.dataset, item.db_id)
    gold = run_sqlite(path, item.gold)

    def right(query: str) -> bool | None:
        try:
            rows = rows_of(run(query))
        except Exception:  # noqa: BLE001 - a failing query is reported as such
            return None
        if results_match(rows, gold, has_order_by(item.gold)):
            return True
        top = tied_top(path, item.gold)   # ties at the gold's LIMIT: any tied row is right (else runs disagree)
        return top is not None and matches_tied_top(rows, top)
    return before, after, right(before), right(after)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--dataset", type=Path, default=DATASET)
    p.add_argument("--predictions", type=Path, nargs="*", default=[])
    p.add_argument("--show", action="store_true", help="print every rewritten query")
    a = p.parse_args(argv)
    if not (a.dataset / "dev.json").is_file():
        p.error(f"no Spider dataset at {a.dataset} (dev.json and database/ expected); pass --dataset")
    items = load_items(a.dataset)
    dbs = Databases(a.dataset)

    gold = Counter()
    for it in items:
        if not db_path(a.dataset, it.db_id).is_file():
            continue
        gold["queries"] += 1
        seen = outcome(it.gold, "sqlite", it, dbs)
        if seen is None:
            continue
        gold["rewritten"] += 1
        gold["broken"] += seen[2] is True and seen[3] is not True
        gold["mended"] += seen[2] is None and seen[3] is True
        if a.show:
            print(f"gold [{it.index}] right {seen[2]} -> {seen[3]}\n  {seen[0]}\n  {seen[1]}")
    print(f"gold SQL: {gold['queries']} queries, {gold['rewritten']} rewritten: {gold['broken']} right -> "
          f"wrong, {gold['mended']} failing on DuckDB -> right, {gold['rewritten'] - gold['broken'] - gold['mended']} "
          "other (same result, or failing either way)")

    preds = Counter()
    done: set[tuple[int, str]] = set()
    for path in a.predictions:
        for line in path.read_text().splitlines():
            row = json.loads(line)
            if not row.get("sql") or (row["index"], row["sql"]) in done:
                continue
            done.add((row["index"], row["sql"]))
            preds["queries"] += 1
            seen = outcome(row["sql"], "postgres", items[row["index"]], dbs)
            if seen is None:
                continue
            preds["rewritten"] += 1
            preds["wrong -> right"] += seen[3] is True and seen[2] is not True
            preds["right -> wrong"] += seen[2] is True and seen[3] is not True
            if a.show:
                print(f"prediction [{row['index']}] right {seen[2]} -> {seen[3]}\n  {seen[0]}\n  {seen[1]}")
    if a.predictions:
        print(f"predictions: {preds['queries']} distinct queries, {preds['rewritten']} rewritten, "
              f"{preds['wrong -> right']} wrong -> right, {preds['right -> wrong']} right -> wrong")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
