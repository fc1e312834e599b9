"""CALL synthesize(...): a spec (given, from a story, or profiled from a table) -> synthetic
tables loaded into the engine, with progress NOTICEs, a validation report and one result row
per table.

    CALL synthesize(spec => '<json or yaml>')
    CALL synthesize('a fitness app with 50k users, subscriptions and workouts', rows => 1000000)
    CALL synthesize(like => 'orders', rows => 10000000)
    options: mode => 'create' | 'replace' | 'append', seed => 42, schema => 'main'

Tables are generated under staging names and swapped in at the end, so a failure or a cancel
midway leaves no partial table behind.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

import pyarrow as pa
from sqlglot import exp

from askgres import synth

from .errors import PgError

MODES = ("create", "replace", "append")
RESULT_SCHEMA = pa.schema([("table_name", pa.string()), ("rows", pa.int64()), ("seconds", pa.float64()),
                           ("rows_per_second", pa.int64())])
OPTIONS = ("spec", "story", "rows", "like", "mode", "seed", "schema", "engine")
ENGINES = ("duckdb", "spark")


@dataclass
class Call:
    spec: str | None = None
    story: str | None = None
    like: str | None = None
    rows: int | None = None
    mode: str = "create"
    seed: int | None = None
    schema: str = "main"
    engine: str = "duckdb"  # 'spark': the tables go to the shared warehouse (Parquet) Spark reads


def _literal(e: exp.Expr, name: str):
    if isinstance(e, exp.Cast):  # a bound parameter arrives as CAST($n AS <declared type>)
        e = e.this
    if isinstance(e, exp.Literal):
        return e.this if e.is_string else (int(e.this) if e.is_int else float(e.this))
    if isinstance(e, exp.Neg) and isinstance(e.this, exp.Literal):
        return -_literal(e.this, name)
    raise PgError(f"synthesize: argument {name} must be a literal", "22023")


def parse_call(func: exp.Expr) -> Call:
    call = Call()
    positional = []
    for arg in func.expressions:
        if isinstance(arg, (exp.Kwarg, exp.PropertyEQ)):
            name = arg.this.name.lower()
            if name not in OPTIONS:
                raise PgError(f"synthesize has no argument {name!r}", "42883",
                              hint="arguments: " + ", ".join(OPTIONS))
            setattr(call, name, _literal(arg.expression, name))
        else:
            positional.append(_literal(arg, "1"))
    if len(positional) > 1:
        raise PgError("synthesize takes one positional argument (a story or a spec)", "42883")
    if positional:
        text = str(positional[0]).lstrip()
        if text.startswith("{") or "tables:" in text:
            call.spec = positional[0]
        else:
            call.story = positional[0]
    if sum(x is not None for x in (call.spec, call.story, call.like)) != 1:
        raise PgError("synthesize needs exactly one of spec => ..., a story, or like => 'table'", "22023",
                      hint="CALL synthesize('a shop with 10k customers and their orders', rows => 100000)")
    if call.mode not in MODES:
        raise PgError(f"synthesize: mode must be one of {', '.join(MODES)}, not {call.mode!r}", "22023")
    if call.engine not in ENGINES:
        raise PgError(f"synthesize: engine must be duckdb or spark, not {call.engine!r}", "22023")
    if call.rows is not None and (not isinstance(call.rows, int) or call.rows <= 0):
        raise PgError("synthesize: rows must be a positive integer", "22023")
    if call.seed is not None and not isinstance(call.seed, int):  # else it fails midway, in the generator
        raise PgError("synthesize: seed must be an integer", "22023")
    return call


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class Synthesizer:
    """Runs one CALL synthesize for a session; blocking steps run on the session's thread."""

    def __init__(self, session, config, target: str = "duckdb") -> None:
        self.session = session
        self.config = config
        self.engine = session.engine_session
        self.warehouse = None
        if target == "spark":
            if session.router is None or not session.router.enabled:
                raise PgError("synthesize into Spark needs [spark] enabled = true", "0A000")
            self.warehouse = session.router.spark.warehouse

    def build_spec(self, call: Call) -> synth.Spec:
        if call.spec is not None:
            spec = synth.parse_spec(call.spec)
        elif call.story is not None:
            from askgres.synth.stories import story_to_spec

            spec = story_to_spec(call.story, call.rows, seed=call.seed or 0)
        else:
            spec = self._profile(call)
        if call.rows is not None and call.spec is not None:
            total = sum(t.rows for t in spec.tables)
            spec = spec.model_copy(update={"tables": [t.model_copy(update={"rows": max(1, t.rows * call.rows // total)})
                                                      for t in spec.tables]})
        if sum(t.rows for t in spec.tables) > self.config.max_rows:
            raise PgError(f"synthesize: {sum(t.rows for t in spec.tables):,} rows is more than synth.max_rows "
                          f"({self.config.max_rows:,})", "54000")
        synth.check_feasible(spec)
        return spec

    def _profile(self, call: Call) -> synth.Spec:
        from askgres.synth.profile import profile

        table = self.engine.run_sql(
            f"SELECT * FROM {_ident(call.schema)}.{_ident(call.like)} USING SAMPLE "
            f"{int(self.config.profile_sample_rows)} ROWS")
        name = call.like
        table_spec = profile(table, name, rows=call.rows or table.num_rows)
        if call.mode == "append":
            table_spec = self._continue_sequences(table_spec, call)
        return synth.Spec(tables=[table_spec], seed=call.seed or 0)

    def _continue_sequences(self, table_spec, call: Call):
        """Appended rows continue key sequences after the existing maximum, so keys stay unique."""
        columns = []
        for col in table_spec.columns:
            gen = col.generator
            if getattr(gen, "kind", None) == "sequence":
                top = self.engine.run_sql(
                    f"SELECT max({_ident(col.name)}) FROM {_ident(call.schema)}.{_ident(call.like)}").column(0)[0].as_py()
                if top is not None:
                    col = col.model_copy(update={"generator": gen.model_copy(update={"start": int(top) + 1})})
            columns.append(col)
        return table_spec.model_copy(update={"columns": columns})

    def existing(self, schema: str) -> set[str]:
        if self.warehouse is not None:
            return set(self.warehouse.tables())
        rows = self.engine.run_sql(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
            "AND schema_name = $1", [schema])
        return set(rows.column(0).to_pylist())

    def load(self, spec: synth.Spec, table: str, staging: str, schema: str, seed: int | None, cancel) -> int:
        reader = synth.table_reader(spec, table, seed=seed, batch_rows=self.config.batch_rows,
                                    workers=self.config.workers, cancel=cancel, dictionary=False)
        if self.warehouse is not None:
            rows = self.warehouse.write(staging, reader, mode="create")
            self.session.router.sync_warehouse()  # DuckDB validates through its views
            return rows
        return self.engine.ingest(f"{_ident(schema)}.{_ident(staging)}", reader, create=True)

    def violations(self, spec: synth.Spec, names: dict[str, str], schema: str) -> list[tuple[str, int]]:
        from askgres.synth.validate import validation_queries

        out = []
        for check, sql in validation_queries(spec, table_names=names, schema=schema):
            out.append((check, int(self.engine.run_sql(sql).column(0)[0].as_py() or 0)))
        return out

    def swap(self, staged: dict[str, str], schema: str, mode: str) -> None:
        """One transaction: the staged tables take the targets' names (or are appended)."""
        if self.warehouse is not None:
            return self._swap_folders(staged, mode)
        run = self.engine.run_sql
        run("BEGIN TRANSACTION")
        try:
            for table, staging in staged.items():
                target, stage = f"{_ident(schema)}.{_ident(table)}", f"{_ident(schema)}.{_ident(staging)}"
                if mode == "append":
                    run(f"INSERT INTO {target} BY NAME SELECT * FROM {stage}")  # by name: column order may differ
                    run(f"DROP TABLE {stage}")
                else:
                    if mode == "replace":
                        run(f"DROP TABLE IF EXISTS {target}")
                    run(f"ALTER TABLE {stage} RENAME TO {_ident(table)}")
            run("COMMIT")
        except Exception:
            run("ROLLBACK")
            raise

    def _swap_folders(self, staged: dict[str, str], mode: str) -> None:
        """Warehouse tables are folders: renames are atomic, one table at a time."""
        import os

        for table, staging in staged.items():
            src, dst = self.warehouse.path(staging), self.warehouse.path(table)
            if mode == "append" and dst.exists():
                for f in self.warehouse.files(src):
                    os.replace(f, dst / f"{staging}-{f.name}")
                src.rmdir()
            else:
                if mode == "replace":
                    self.warehouse.drop(table)
                os.replace(src, dst)
        self.session.router.sync_warehouse()

    def drop(self, staged: dict[str, str], schema: str) -> None:
        if self.warehouse is not None:
            for staging in staged.values():
                self.warehouse.drop(staging)
            self.session.router.sync_warehouse()
            return
        for staging in staged.values():
            try:
                self.engine.run_sql(f"DROP TABLE IF EXISTS {_ident(schema)}.{_ident(staging)}")
            except Exception:  # noqa: BLE001 - cleanup is best effort; the error that got us here matters
                pass


async def run_synthesize(session, call: Call, config) -> "Rows":
    from .error_fields import notice
    from .results import Rows, TableSource

    if session.tx != "I":
        raise PgError("synthesize cannot run inside a transaction block", "25001")
    s = Synthesizer(session, config, call.engine)
    spec = await session.run(s.build_spec, call)
    existing = await session.run(s.existing, call.schema)
    order = synth.table_order(spec)
    if call.mode == "create":
        clash = [t for t in order if t in existing]
        if clash:
            raise PgError(f'relation "{clash[0]}" already exists', "42P07",
                          hint="use mode => 'replace' or mode => 'append'")
    if call.mode == "append":
        missing = [t for t in order if t not in existing]
        if missing:
            raise PgError(f'relation "{missing[0]}" does not exist', "42P01", hint="use mode => 'create'")
    tag = secrets.token_hex(4)
    staged = {t: f"askgres_staging_{t}_{tag}" for t in order}  # no leading _: Parquet readers skip such folders
    results = []
    cancel = session.synth_cancel
    cancel.clear()
    try:
        for table in order:
            t0 = time.perf_counter()
            rows = await session.run(s.load, spec, table, staged[table], call.schema, call.seed, cancel)
            seconds = time.perf_counter() - t0
            results.append((table, rows, seconds))
            session.progress(notice(f"synthesize: {table}: {rows:,} rows in {seconds:.1f} s "
                                    f"({rows / max(seconds, 1e-9):,.0f} rows/s)"))
        checks = await session.run(s.violations, spec, staged, "main" if call.engine == "spark" else call.schema)
        bad = [(name, n) for name, n in checks if n]
        if bad:
            raise PgError("synthesize: the generated data violates its constraints; nothing was loaded", "23514",
                          detail="; ".join(f"{name}: {n}" for name, n in bad))
        session.progress(notice(f"synthesize: validation: {len(checks)} checks, 0 violations"))
        await session.run(s.swap, staged, call.schema, call.mode)
        staged = {}
    finally:
        if staged:
            await session.run(s.drop, staged, call.schema)
        session.engine.schema_changed()
    table = pa.table({
        "table_name": [r[0] for r in results],
        "rows": [r[1] for r in results],
        "seconds": [round(r[2], 3) for r in results],
        "rows_per_second": [round(r[1] / max(r[2], 1e-9)) for r in results],
    }, schema=RESULT_SCHEMA)
    return Rows(table.schema, TableSource(table), tag="CALL")
