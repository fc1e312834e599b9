"""The `askgres ask`, `askgres eval` and `askgres synth` commands: the wire path's own
pipeline (guard, engine, model, generator), driven from the shell."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pyarrow as pa

from askgres import guard
from askgres.engines.duckdb.config import DuckDBConfig
from askgres.engines.duckdb.engine import DuckDBEngine

from .config import Config
from .session import Session, SessionInfo


def local_session(config: Config, engine: DuckDBEngine) -> Session:
    from .server import build_translator

    cfg = config.guard
    info = SessionInfo(user="askgres", database=Path(config.duckdb.database).stem, pid=0)
    from .guard_catalog import GuardCatalog

    return Session(engine, info, policy=cfg.roles.get(cfg.role_of(info.user)), guard_enabled=cfg.enabled,
                   translator=build_translator(config), synth_config=config.synth,
                   guard_catalog=GuardCatalog(engine, cfg), hash_salt=cfg.hash_salt)


def print_table(table: pa.Table, out=sys.stdout) -> None:
    names = table.column_names
    rows = [[("" if v is None else str(v)) for v in row.values()] for row in table.to_pylist()]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    print(" | ".join(n.ljust(w) for n, w in zip(names, widths)), file=out)
    print("-+-".join("-" * w for w in widths), file=out)
    for r in rows:
        print(" | ".join(v.ljust(w) for v, w in zip(r, widths)), file=out)
    print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})", file=out)


async def _drain(rows) -> pa.Table:
    batches = []
    while True:
        try:
            batches.append(rows.source.read_next_batch())
        except StopIteration:
            break
    return pa.Table.from_batches(batches, schema=rows.schema)


def ask(config: Config, question: str, *, sql_only: bool) -> int:
    from .ask import Question

    engine = DuckDBEngine(config.duckdb)
    session = local_session(config, engine)

    async def go():
        rows = await session.ask(Question(question, sql_only=sql_only))
        for n in session.notices:
            print(n.get("M"), file=sys.stderr)
        table = await _drain(rows)
        if sql_only:  # the SQL alone, so it can be piped into psql or a file
            print(table.column("sql")[0].as_py())
        else:
            print_table(table)

    try:
        asyncio.run(go())
    finally:
        session.close()
        engine.close()
    return 0


def eval_spider(config: Config, dataset: str, *, limit: int | None, seed: int, baseline: bool,
                out_jsonl: str | None) -> int:
    """Spider-format evaluation through the wire path's checks and engine."""
    from askgres.llm.evaluate import evaluate

    read_only = guard.Policy().read_only()

    def check(sql: str):
        (stmt,) = guard.check(sql, read_only, source="ask", single=True)
        return stmt

    engines: list[DuckDBEngine] = []

    def make_runner(tables: dict[str, pa.Table]):
        while engines:
            engines.pop().close()
        engine = DuckDBEngine(DuckDBConfig())
        engines.append(engine)
        session = engine.session()
        for name, table in tables.items():
            session.ingest('"' + name.replace('"', '""') + '"', table.to_reader(), create=True)
        engine.schema_changed()

        def run(sql: str) -> pa.Table:
            result = session.execute(check(sql), ())
            if result.reader is None:
                raise guard.GuardError("generated SQL must return rows", "42501")
            return result.reader.read_all() if hasattr(result.reader, "read_all") else pa.Table.from_batches(list(result.reader))

        return run

    report = evaluate(dataset, make_runner=make_runner, check=check, limit=limit, seed=seed, baseline=baseline,
                      config=config.llm, out_jsonl=out_jsonl, log=lambda line: print(line, file=sys.stderr))
    print(report.table(with_baseline=baseline))
    return 0


def synth_command(config: Config, spec_path: str, *, out: str | None, database: str | None, seed: int | None,
                  mode: str) -> int:
    from askgres import synth

    spec = synth.parse_spec(Path(spec_path).read_text())
    if (out is None) == (database is None):
        print("askgres synth: give exactly one of --out DIR (Parquet) or --database FILE.duckdb", file=sys.stderr)
        return 2
    if out is not None:
        return _synth_parquet(spec, Path(out), seed, config)
    from .synthesize import Call, run_synthesize

    engine = DuckDBEngine(config.duckdb.model_copy(update={"database": database, "read_only": False}))
    session = local_session(config, engine)
    session.send_now = lambda n: print(n.get("M"), file=sys.stderr)

    async def go():
        rows = await run_synthesize(session, Call(spec=Path(spec_path).read_text(), mode=mode, seed=seed),
                                    config.synth)
        print_table(await _drain(rows))

    try:
        asyncio.run(go())
    finally:
        session.close()
        engine.close()
    return 0


def _synth_parquet(spec, out: Path, seed: int | None, config: Config) -> int:
    import time

    import pyarrow.parquet as pq

    from askgres import synth

    synth.check_feasible(spec)
    out.mkdir(parents=True, exist_ok=True)
    totals = {t.name: t.rows for t in spec.tables}
    for table in synth.table_order(spec):
        reader = synth.table_reader(spec, table, seed=seed, batch_rows=config.synth.batch_rows,
                                    workers=config.synth.workers)
        path = out / f"{table}.parquet"
        tmp = path.with_suffix(".parquet.partial")
        done, t0 = 0, time.perf_counter()
        with pq.ParquetWriter(tmp, reader.schema) as writer:
            for batch in reader:
                writer.write_batch(batch)
                done += batch.num_rows
                pct = 100 * done / max(totals[table], 1)
                bar = "#" * int(pct / 4)
                print(f"\r{table:20} [{bar:25}] {pct:5.1f}% {done:,} rows", end="", file=sys.stderr)
        tmp.rename(path)  # a file appears only when complete
        secs = time.perf_counter() - t0
        print(f"\r{table:20} [{'#' * 25}] 100.0% {done:,} rows in {secs:.1f} s ({done / max(secs, 1e-9):,.0f} rows/s)",
              file=sys.stderr)
    return 0
