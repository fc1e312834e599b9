"""One client session: settings, transaction state, cursors, and the statement pipeline.

    SQL text -> guard.check -> approved ASTs -> session commands handled here,
                                               everything else -> the engine session

Engine calls block, so they run on this session's own worker thread; the event loop stays
free for other clients, and a CancelRequest interrupts the engine from the loop.
"""

from __future__ import annotations

import asyncio
import functools
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import pyarrow as pa
from sqlglot import exp

from askgres import guard
from askgres.guard import dialect as gd
from askgres.guard.check import DEFAULT_CACHE
from askgres.guard.functions import settings_select

from .ask import Asker, Question, ask_calls, has_ask_call, question_of_call, sql_row
from .error_fields import notice
from .errors import FeatureNotSupported, InFailedTransaction, PgError, QueryCanceled
from .inline import runs_inline
from .results import Done, Rows, TableSource, prime
from .savepoints import SavepointJournal
from .session_thread import SessionThread
from .settings import Settings

TRANSACTION_CONTROL = (exp.Transaction, exp.Commit, exp.Rollback, gd.Savepoint, gd.ReleaseSavepoint)
# Statements PostgreSQL still runs in a failed transaction.
ALLOWED_WHEN_FAILED = (exp.Commit, exp.Rollback)


@dataclass
class Cursor:
    name: str
    rows: Rows
    hold: bool
    position: int = 0


@dataclass
class SessionInfo:
    user: str
    database: str
    pid: int
    role: str | None = None
    application_name: str = ""
    startup: dict[str, str] = field(default_factory=dict)


def command_tag(stmt: exp.Expr, rowcount: int) -> str:
    """The CommandComplete tag PostgreSQL sends for a statement that returns no rows."""
    n = max(rowcount, 0)
    if isinstance(stmt, exp.Insert):
        return f"INSERT 0 {n}"
    if isinstance(stmt, exp.Update):
        return f"UPDATE {n}"
    if isinstance(stmt, exp.Delete):
        return f"DELETE {n}"
    if isinstance(stmt, exp.Merge):
        return f"MERGE {n}"
    if isinstance(stmt, exp.Create):
        if stmt.expression is not None and isinstance(stmt.expression, exp.Query) and stmt.kind == "TABLE":
            return f"SELECT {n}"
        return f"CREATE {stmt.kind or 'TABLE'}"
    if isinstance(stmt, exp.Drop):
        return f"DROP {stmt.kind or 'TABLE'}"
    if isinstance(stmt, exp.Alter):
        return f"ALTER {stmt.args.get('kind') or 'TABLE'}"
    if isinstance(stmt, exp.TruncateTable):
        return "TRUNCATE TABLE"
    if isinstance(stmt, exp.Command):
        return str(stmt.this).upper()
    return type(stmt).__name__.upper()


def _one_column(name: str, values: Sequence[str]) -> Rows:
    table = pa.table({name: pa.array(list(values), pa.string())})
    return Rows(table.schema, TableSource(table), tag="SHOW")


class Session:
    def __init__(self, engine, info: SessionInfo, *, server_version: str = "15.0 (askgres)",
                 statement_timeout_ms: int = 0, policy: guard.Policy | None = None,
                 guard_enabled: bool = True, translator=None, audit=None, synth_config=None,
                 router=None, guard_catalog=None, hash_salt: str = "",
                 verdicts: guard.VerdictCache | None = None) -> None:
        self.engine = engine
        self.engine_session = engine.session()
        self.info = info
        self.policy = policy or guard.Policy()  # an unknown role gets the safe read-only default
        self.guard_enabled = guard_enabled
        self.asker = Asker(self, translator)
        self.notices: list = []  # NoticeResponses the protocol layer sends before the next result
        self.audit = audit
        self.synth_config = synth_config
        self.router = router
        self.guard_catalog = guard_catalog
        self.hash_salt = hash_salt
        self.verdicts = verdicts if verdicts is not None else DEFAULT_CACHE   # the server's, shared by its sessions
        self._spark_session = None
        self.synth_cancel = threading.Event()
        self.send_now = None  # set by the connection: writes a message to the client at once
        self.settings = Settings(info.startup, server_version=server_version)
        self.settings.values["session_authorization"] = info.user
        if statement_timeout_ms and "statement_timeout" not in self.settings.startup:
            self.settings.values["statement_timeout"] = str(statement_timeout_ms)
        self.tx = "I"  # ReadyForQuery status: I idle, T in a transaction block, E failed
        self.journal = SavepointJournal()  # the block's writes, for ROLLBACK TO SAVEPOINT
        self.cursors: dict[str, Cursor] = {}
        self.prepared: dict[str, Any] = {}  # name -> query_extended.PreparedStatement (protocol and SQL PREPARE)
        self.portals: dict[str, Any] = {}  # name -> query_extended.Portal; SQL FETCH/MOVE reach them too
        self._thread = SessionThread(f"askgres-{info.pid}")
        self._running = False
        self._timed_out = False
        self._open_rows: list[Rows] = []  # streams open on the engine session (suspended portals, cursors)
        self.sync_engine_settings()

    def sync_engine_settings(self) -> None:
        """The catalog emulation answers current_user, pg_backend_pid() and current_setting()."""
        tell = getattr(self.engine_session, "set_session_info", None)
        if tell is not None:
            self._thread.submit(tell, self.info.user, self.info.pid, dict(self.settings.values),
                                database=self.info.database).result()

    # ------------------------------------------------------------------ running blocking work

    async def run(self, fn: Callable, *args: Any) -> Any:
        """Run blocking work on this session's thread, under statement_timeout."""
        loop = asyncio.get_running_loop()
        future = self._thread.run_soon(loop, functools.partial(fn, *args))
        limits = [t for t in (self.settings.statement_timeout_ms, self.policy.statement_timeout_ms) if t]
        timeout = min(limits) / 1000 if limits else None
        self._running = True
        try:
            if timeout is None:  # wait_for and shield cost more than a small query's engine time
                return await future
            return await asyncio.wait_for(asyncio.shield(future), timeout)
        except asyncio.TimeoutError:
            self._timed_out = True
            self.engine_session.cancel()
            try:
                await future
            except Exception:
                pass
            raise QueryCanceled("canceling statement due to statement timeout") from None
        except asyncio.CancelledError:
            self.engine_session.cancel()
            raise
        finally:
            self._running = False

    def cancel(self) -> None:
        """CancelRequest: interrupt whatever the engine (or the generator) runs for this session."""
        self.synth_cancel.set()
        if self._running:
            self.engine_session.cancel()
            if self._spark_session is not None:
                self._spark_session.cancel()

    # ------------------------------------------------------------------ routing (blocking)

    def route(self, stmt: exp.Expr) -> tuple[str, str]:
        if self.router is None or not self.router.enabled:
            return "duckdb", "the only engine"
        if self.tx != "I" and not isinstance(stmt, exp.Query):
            # Spark has no transactions: writes in a block stay on DuckDB; reads may go to Spark
            # (drivers such as psycopg open a block implicitly, so reads must not be pinned).
            return "duckdb", "a write inside a transaction block"
        return self.router.choose(stmt, self.settings.get("askgres.engine"))

    def spark_session(self):
        if self._spark_session is None:
            self._spark_session = self.router.spark.session()
        return self._spark_session

    def execute_routed(self, stmt: exp.Expr, params: Sequence[object] = (), *, announce: bool = True):
        """Blocking: run a statement on the engine the router picks (DuckDB without Spark).

        The "ran on" notice is queued only once the engine took the statement: a failed
        statement must not leave it behind for the next one, and a fallback says so itself."""
        name, reason = self.route(stmt)
        announce = announce and self.router is not None and self.router.enabled
        if name != "spark":
            result = self.engine_session.execute(stmt, params)
        else:
            from askgres.engines.errors import EngineUnavailable

            try:
                result = self.spark_session().execute(stmt, params)
            except EngineUnavailable as e:
                if not self.router.config.fallback_to_duckdb:
                    raise
                result = self.engine_session.execute(stmt, params)
                self.notices.append(notice(f"askgres: Spark is unavailable ({e.message}); ran on duckdb instead",
                                           severity="WARNING", sqlstate="01000"))
                return result
        if announce:
            self.notices.append(notice(f"askgres: ran on {name} ({reason})"))  # worker thread: queue it
        return result

    def describe_routed(self, stmt: exp.Expr):
        """Blocking: describe on the engine that will run the statement, so that the
        RowDescription sent before Execute (extended protocol) matches the rows that follow."""
        name, _ = self.route(stmt)
        if name == "spark":
            from askgres.engines.errors import EngineUnavailable

            try:
                return self.spark_session().describe(stmt)
            except EngineUnavailable:
                if not self.router.config.fallback_to_duckdb:
                    raise
        return self.engine_session.describe(stmt)

    def progress(self, message) -> None:
        """A NOTICE sent while a long statement still runs."""
        if self.send_now is not None:
            self.send_now(message)
        else:
            self.notices.append(message)

    def close(self) -> None:
        for rows in self._open_rows:
            rows.close()
        self.cursors.clear()
        self._thread.submit(self.engine_session.close)
        if self._spark_session is not None:
            self._thread.submit(self._spark_session.close)
        self._thread.shutdown()

    # ------------------------------------------------------------------ parsing

    async def catalog(self):
        """The guard's view of the database (queried off the loop when the schema changed)."""
        if self.guard_catalog is None:
            return None
        return self.guard_catalog.fresh() or await self.run(self.guard_catalog.get)

    async def parse(self, sql: str, *, single: bool = False) -> list[exp.Expr]:
        if not self.guard_enabled:  # development only: parse, check nothing
            from askgres.guard.parse import parse

            return parse(sql)
        catalog = await self.catalog()
        try:
            stmts = guard.check(sql, self.policy, source="typed", single=single, schema=catalog,
                                hash_salt=self.hash_salt, cache=self.verdicts)
        except guard.GuardError as e:
            self.record(sql, "denied", error=e, source="typed")
            raise
        for stmt in stmts:
            for note in (stmt.meta or {}).get("guard", {}).get("notes", ()):
                self.notices.append(notice(note))
        return stmts

    def record(self, sql: str, verdict: str, *, source: str = "typed", error: BaseException | None = None,
               rows: int | None = None, started: float | None = None, rewrites=None,
               second_opinion=None) -> None:
        """One audit line (when an audit log is configured)."""
        if self.audit is None or not self.audit.enabled:
            return
        self.audit.write(user=self.info.user, role=self.policy.name, source=source, sql=sql, verdict=verdict,
                         engine=getattr(self.engine, "name", None), error=error, rows=rows,
                         duration_ms=None if started is None else (time.perf_counter() - started) * 1000,
                         sqlstate=getattr(error, "sqlstate", None), rewrites=rewrites,
                         second_opinion=second_opinion)

    def _audited(self, stmt: exp.Expr, outcome, started: float, source: str = "typed"):
        if self.audit is None or not self.audit.enabled:
            return outcome
        text = stmt.sql(dialect=gd.AskgresPostgres)
        rewrites = (stmt.meta or {}).get("guard", {}).get("rewrites") or None
        verdict = "rewritten" if rewrites else "allowed"
        if isinstance(outcome, Rows):
            outcome.on_close = lambda n: self.record(text, verdict, source=source, rows=n, started=started,
                                                     rewrites=rewrites)
        else:
            rows = int(outcome.tag.rsplit(" ", 1)[1]) if outcome.tag.rsplit(" ", 1)[-1].isdigit() else None
            self.record(text, verdict, source=source, rows=rows, started=started, rewrites=rewrites)
        return outcome

    # ------------------------------------------------------------------ the pipeline

    async def execute(self, stmt: exp.Expr, params: Sequence[object] = ()) -> Rows | Done:
        started = time.perf_counter()
        try:
            return self._audited(stmt, await self._execute(stmt, params), started)
        except Exception as e:
            if self.audit is not None and self.audit.enabled:
                self.record(stmt.sql(dialect=gd.AskgresPostgres), "failed", error=e, started=started)
            raise

    async def _execute(self, stmt: exp.Expr, params: Sequence[object] = ()) -> Rows | Done:
        if self.tx == "E" and not isinstance(stmt, ALLOWED_WHEN_FAILED):
            raise InFailedTransaction(
                "current transaction is aborted, commands ignored until end of transaction block")
        handler = self.HANDLERS.get(type(stmt))
        if handler is not None:
            return await handler(self, bind_literals(stmt, params) if params else stmt)
        setting_calls = settings_select(stmt)
        if setting_calls is not None:
            return self._settings_select(setting_calls)
        if isinstance(stmt, exp.Copy):
            raise FeatureNotSupported("COPY is handled by the protocol layer")  # see copy.py
        await self.materialize_open_streams()
        if has_ask_call(stmt):
            stmt = await self.expand_ask_calls(stmt)
        if runs_inline(stmt) and self.route(stmt)[0] == "duckdb":
            result = self._execute_and_prime(stmt, params)  # a constant SELECT: see inline.py
        else:
            result = await self.run(self._execute_and_prime, stmt, params)
        if self.tx != "I" and not isinstance(stmt, exp.Query):
            self.journal.record(stmt, params)
        if isinstance(result, Rows):
            return result
        return Done(command_tag(stmt, result.rowcount))

    def _execute_and_prime(self, stmt: exp.Expr, params: Sequence[object]):
        result = self.execute_routed(stmt, params)
        if result.reader is None:
            return result
        return prime(Rows(result.reader.schema, result.reader))

    async def describe(self, stmt: exp.Expr):
        if isinstance(stmt, exp.Show):
            return None, pa.schema([(gd.setting_name(stmt) or "setting", pa.string())])
        if isinstance(stmt, gd.Call) and _procedure(stmt) == "synthesize":
            from .synthesize import RESULT_SCHEMA

            return (), RESULT_SCHEMA
        if type(stmt) in self.HANDLERS or isinstance(stmt, exp.Copy):
            return (), None
        setting_calls = settings_select(stmt)
        if setting_calls is not None:
            return (), pa.schema([(c.column, pa.string()) for c in setting_calls])
        await self.materialize_open_streams()
        if has_ask_call(stmt):  # the model runs (read-only) to know the columns it will answer with
            stmt = await self.expand_ask_calls(stmt)
        d = await self.run(self.describe_routed, stmt)
        return d.param_types, d.schema

    # ------------------------------------------------------------------ questions

    async def ask(self, question: Question) -> Rows:
        """-- ask: / /* ask: */ : the answer's rows (or, for `ask sql:`, the SQL as one row)."""
        if self.tx == "E":
            raise InFailedTransaction(
                "current transaction is aborted, commands ignored until end of transaction block")
        await self.materialize_open_streams()
        if question.sql_only or self.settings.get("askgres.ask_mode") == "sql":
            translation = await self.run(self.asker.translate, question.text)
            table = sql_row(translation.sql)
            return Rows(table.schema, TableSource(table), tag="SELECT")
        started = time.perf_counter()
        translation = await self.run(self.asker.translate, question.text)
        self._announce(translation)
        self.record(translation.sql, "allowed", source="ask", started=started,
                    rows=None if translation.rows is None else translation.rows.num_rows,
                    second_opinion=self.asker.opinion)
        if translation.rows is not None:
            return Rows(translation.rows.schema, TableSource(translation.rows))
        stmt = self.asker.check(translation.sql)  # a cache hit: run the cached SQL on today's data
        result = await self.run(self.execute_routed, stmt, ())  # on the engine routing picks, as a typed query
        return Rows(result.reader.schema, result.reader)

    async def expand_ask_calls(self, stmt: exp.Expr) -> exp.Expr:
        """SELECT ... FROM ask('question'): the table function becomes the generated query."""
        stmt = stmt.copy()
        for table in ask_calls(stmt):
            translation = await self.run(self.asker.translate, question_of_call(table))
            self._announce(translation)
            alias = table.args.get("alias") or exp.TableAlias(this=exp.to_identifier("ask"))
            table.replace(exp.Subquery(this=self.asker.check(translation.sql), alias=alias))
        return stmt

    def _announce(self, translation) -> None:
        how = "from the cache" if translation.cached else f"in {translation.timings.get('total', 0):.1f} s"
        self.notices.append(notice(f"askgres answered with: {translation.sql}", detail=f"SQL generated {how}."))

    async def materialize_open_streams(self) -> None:
        """A DuckDB connection streams one result at a time: before running another statement,
        read what is left of open cursors/suspended portals into memory."""
        for rows in self._open_rows:
            if rows.done or isinstance(rows.source, TableSource):
                continue
            def drain(r=rows):
                batches = [r.pending] if r.pending is not None else []
                while not r.exhausted:
                    try:
                        batches.append(r.source.read_next_batch())
                    except StopIteration:
                        break
                return pa.Table.from_batches(batches, schema=r.schema)
            table = await self.run(drain)
            rows.source, rows.pending, rows.exhausted = TableSource(table), None, False
        self._open_rows = []

    def track_stream(self, rows: Rows) -> None:
        self._open_rows.append(rows)

    def fail_transaction(self) -> None:
        if self.tx == "T":
            self.tx = "E"

    # ------------------------------------------------------------------ transaction control

    async def _begin(self, stmt) -> Done:
        if self.tx != "I":
            return Done("BEGIN")  # PostgreSQL warns and carries on
        await self.run(self.engine_session.begin)
        self.tx = "T"
        self.journal.begin(self._loads())
        return Done("BEGIN")

    async def _commit(self, stmt) -> Done:
        if self.tx == "I":
            return Done("COMMIT")
        failed = self.tx == "E"
        await self._end_transaction(commit=not failed)
        return Done("ROLLBACK" if failed else "COMMIT")

    async def _rollback(self, stmt) -> Done:
        if stmt.args.get("savepoint"):
            return await self._rollback_to(stmt.args["savepoint"].name)
        if self.tx != "I":
            await self._end_transaction(commit=False)
        return Done("ROLLBACK")

    async def _end_transaction(self, *, commit: bool) -> None:
        self.tx = "I"
        for name in [n for n, c in self.cursors.items() if not c.hold]:
            self.cursors.pop(name).rows.close()
        await self.materialize_open_streams()
        await self.run(self.engine_session.commit if commit else self.engine_session.rollback)

    async def _savepoint(self, stmt) -> Done:
        # psycopg's nested transaction() blocks and SQLAlchemy's begin_nested() use these.
        what = "SAVEPOINT" if isinstance(stmt, gd.Savepoint) else "RELEASE"
        if self.tx == "I":
            raise PgError(f"{what} can only be used in transaction blocks", "25P01")
        if what == "SAVEPOINT":
            self.journal.savepoint(stmt.this.name, self._loads())
        else:
            self.journal.release(stmt.this.name)
        return Done(what)

    async def _rollback_to(self, name: str) -> Done:
        """ROLLBACK TO SAVEPOINT on DuckDB, which has none: see savepoints.py."""
        if self.tx == "I":
            raise PgError("ROLLBACK TO SAVEPOINT can only be used in transaction blocks", "25P01")
        replay = self.journal.rollback_to(name, self._loads(), failed=self.tx == "E")
        if replay is None:
            return Done("ROLLBACK")
        await self.materialize_open_streams()  # cursors opened before the savepoint live on

        def restart() -> None:
            self.engine_session.rollback()
            self.engine_session.begin()
            for write in replay:
                result = self.engine_session.execute(write.stmt, write.params)
                if result.reader is not None:
                    for _ in result.reader:  # RETURNING rows: run to the end, unread
                        pass

        self.tx = "E"  # until the replay is through
        await self.run(restart)
        self.tx = "T"
        return Done("ROLLBACK")

    def _loads(self) -> int:
        """Bulk loads (COPY FROM, synthesize) the engine session took: they cannot be replayed."""
        return getattr(self.engine_session, "loads", 0)

    # ------------------------------------------------------------------ settings

    async def _set(self, stmt: exp.Set) -> Done:
        changed = []
        for item in stmt.expressions:
            name = gd.setting_name(item)
            if name in ("transaction_isolation", "session characteristics"):
                continue  # DuckDB transactions are snapshot isolated; accept and ignore
            eq = item.this
            value = eq.expression if isinstance(eq, exp.EQ) else None
            text = _setting_value(value)
            if text is None:
                reported = self.settings.reset(name)
            else:
                reported = self.settings.set(name, text)
            if reported:
                changed.append((reported, self.settings.get(name)))
        self.sync_engine_settings()
        return Done("SET", changed)

    def _settings_select(self, calls) -> Rows:
        """SELECT set_config('name', 'value', false), current_setting('name'), ...: a SET written
        as a query (the guard lets set_config through only in this shape, see
        guard.functions.settings_select). Answered here, left to right as PostgreSQL evaluates
        it; set_config returns the new value as SHOW would print it."""
        values: list[str | None] = []
        for call in calls:
            if call.function == "set_config":
                self.settings.set(call.setting, call.value)  # SET LOCAL is kept like SET here too
            try:
                values.append(self.settings.get(call.setting))
            except PgError:
                if not call.missing_ok:
                    raise
                values.append(None)
        self.sync_engine_settings()
        table = pa.Table.from_arrays([pa.array([v], pa.string()) for v in values],
                                     names=[c.column for c in calls])
        return Rows(table.schema, TableSource(table))

    async def _show(self, stmt: exp.Show) -> Rows:
        name = gd.setting_name(stmt)
        if name == "all":
            rows = self.settings.show_all()
            table = pa.table({"name": [r[0] for r in rows], "setting": [r[1] for r in rows],
                              "description": [r[2] for r in rows]})
            return Rows(table.schema, TableSource(table), tag="SHOW")
        return _one_column(name, [self.settings.get(name)])

    async def _reset(self, stmt) -> Done:
        name = gd.setting_name(stmt)
        if name == "all":
            return Done("RESET", [(n, self.settings.get(n)) for n in self.settings.reset_all()])
        reported = self.settings.reset(name)
        return Done("RESET", [(reported, self.settings.get(name))] if reported else [])

    async def _discard(self, stmt) -> Done:
        what = stmt.this.name.upper()
        if what == "ALL":
            if self.tx != "I":
                raise PgError("DISCARD ALL cannot run inside a transaction block", "25001")
            for c in self.cursors.values():
                c.rows.close()
            self.cursors.clear()
            self.prepared.clear()
            changed = self.settings.reset_all()
            return Done("DISCARD ALL", [(n, self.settings.get(n)) for n in changed])
        return Done(f"DISCARD {what}")

    # ------------------------------------------------------------------ cursors

    async def _declare(self, stmt) -> Done:
        name = stmt.this.name
        hold = bool(stmt.args.get("hold"))
        if self.tx == "I" and not hold:
            raise PgError("DECLARE CURSOR can only be used in transaction blocks", "25P01")
        if name in self.cursors:
            raise PgError(f'cursor "{name}" already exists', "42P03")
        result = await self.execute(stmt.expression)
        if not isinstance(result, Rows):
            raise PgError("DECLARE CURSOR must be given a query that returns rows", "42P11")
        self.cursors[name] = Cursor(name, result, hold)
        self.track_stream(result)
        return Done("DECLARE CURSOR")

    def cursor(self, name: str) -> Cursor:
        cursor = self.cursors.get(name)
        if cursor is not None:
            return cursor
        portal = self.portals.get(name)
        if portal is not None and isinstance(portal.outcome, Rows):
            # Protocol portals and SQL cursors share one namespace: asyncpg MOVEs its portals.
            return Cursor(name, portal.outcome, hold=False, position=portal.sent)
        raise PgError(f'cursor "{name}" does not exist', "34000")

    async def _close_cursor(self, stmt) -> Done:
        name = stmt.this.name
        if name.upper() == "ALL" and isinstance(stmt.this, exp.Var):
            for c in self.cursors.values():
                c.rows.close()
            self.cursors.clear()
        else:
            self.cursor(name).rows.close()
            del self.cursors[name]
        return Done("CLOSE CURSOR")

    async def _fetch(self, stmt) -> Rows | Done:
        cursor = self.cursor(stmt.this.name)
        direction = stmt.args.get("direction", "FORWARD")
        count = stmt.args.get("count", 1)
        if direction == "ABSOLUTE" and isinstance(count, int) and count > cursor.position:
            count, direction = count - cursor.position, "FORWARD"
        elif direction == "RELATIVE" and isinstance(count, int) and count >= 0:
            direction = "FORWARD"
        if direction != "FORWARD":
            raise PgError("cursor can only scan forward", "55000",
                          hint="Declare it with SCROLL option to enable backward scan (not supported by askgres).")
        limit = None if count == "ALL" else int(count)
        view = Rows(cursor.rows.schema, CursorSlice(cursor, limit), tag="FETCH")
        if stmt.args.get("move"):
            def skip(source=view.source) -> int:  # StopIteration must not cross into a Future
                moved = 0
                while True:
                    try:
                        moved += source.read_next_batch().num_rows
                    except StopIteration:
                        return moved
            return Done(f"MOVE {await self.run(skip)}")
        return view

    async def _prepare(self, stmt) -> Done:
        from .query_extended import PreparedStatement, param_count

        name = stmt.this.name
        if name in self.prepared:
            raise PgError(f'prepared statement "{name}" already exists', "42P05")
        inner = stmt.expression
        self.prepared[name] = PreparedStatement(inner.sql(dialect="postgres"), inner, [0] * param_count(inner))
        return Done("PREPARE")

    async def _execute_prepared(self, stmt) -> Rows | Done:
        name = stmt.this.name
        ps = self.prepared.get(name)
        if ps is None:
            raise PgError(f'prepared statement "{name}" does not exist', "26000")
        args = [a.name if isinstance(a, exp.Literal) else None if isinstance(a, exp.Null) else a.sql(dialect="postgres")
                for a in stmt.expressions]
        if len(args) != len(ps.param_oids):
            raise PgError(f"wrong number of parameters for prepared statement \"{name}\"", "42601",
                          detail=f"Expected {len(ps.param_oids)} parameters but got {len(args)}.")
        return await self.execute(ps.stmt, args)

    async def _deallocate(self, stmt) -> Done:
        name = stmt.this.name
        if isinstance(stmt.this, exp.Var) and name.upper() == "ALL":
            self.prepared.clear()
        elif self.prepared.pop(name, None) is None:
            raise PgError(f'prepared statement "{name}" does not exist', "26000")
        return Done("DEALLOCATE ALL" if name.upper() == "ALL" else "DEALLOCATE")

    async def _call(self, stmt) -> Rows | Done:
        func = stmt.this.expression if isinstance(stmt.this, exp.Dot) else stmt.this
        name = _procedure(stmt)
        if name == "synthesize":
            from askgres.synth.config import SynthConfig

            from .synthesize import parse_call, run_synthesize

            return await run_synthesize(self, parse_call(func), self.synth_config or SynthConfig())
        if name == "teach":
            args = func.expressions
            if len(args) != 2 or not all(isinstance(a, exp.Literal) and a.is_string for a in args):
                raise PgError("askgres.teach takes two strings: a question and the SQL that answers it", "42883")
            if self.asker.translator is None:
                raise FeatureNotSupported("questions are turned off on this server")
            await self.run(lambda: self.asker.translator.teach(args[0].this, args[1].this, check=self.asker.check,
                                                               run=self.asker.run, database=self.info.database))
            return Done("CALL")
        raise PgError(f"procedure {name}() does not exist", "42883",
                      hint="askgres provides CALL synthesize(...) and CALL askgres.teach(question, sql).")

    async def _explain(self, stmt) -> Rows:
        """EXPLAIN: which engine would run the statement and why, then that engine's plan."""
        inner = stmt.this
        if stmt.args.get("analyze"):
            raise FeatureNotSupported("EXPLAIN ANALYZE is not supported; use EXPLAIN")

        def plan() -> list[str]:
            name, reason = self.route(inner)
            lines = [f"askgres: engine {name} ({reason})"]
            if name == "spark":
                lines += self.spark_session().plan(inner).splitlines()
            else:
                lines += self.engine_session.explain(inner).splitlines()
            return lines

        table = pa.table({"QUERY PLAN": pa.array(await self.run(plan), pa.string())})
        return Rows(table.schema, TableSource(table), tag="EXPLAIN")

    async def _listen(self, stmt) -> Done:
        return Done("LISTEN" if isinstance(stmt, gd.Listen) else "UNLISTEN")

    async def _unsupported(self, stmt) -> Done:
        raise FeatureNotSupported(f"{type(stmt).__name__.upper()} is not supported by askgres")

    HANDLERS: dict[type, Callable] = {}


def _procedure(stmt) -> str | None:
    """The name of a CALLed askgres procedure (synthesize, teach; optionally askgres.-qualified)."""
    func, schema = stmt.this, None
    if isinstance(func, exp.Dot):
        schema, func = func.this.name.lower(), func.expression
    name = str(func.this).lower() if isinstance(func, exp.Anonymous) else func.sql_name().lower()
    return name if schema in (None, "askgres") else f"{schema}.{name}"


def bind_literals(stmt: exp.Expr, params: Sequence[object]) -> exp.Expr:
    """Statements askgres answers itself (CALL synthesize(spec => $1), SET x = $1) take their
    parameters as literals; engines bind them natively instead."""
    def value(node):
        if isinstance(node, exp.Parameter) and isinstance(node.this, exp.Literal) and node.this.is_int:
            n = int(node.this.name)
            if 1 <= n <= len(params):
                v = params[n - 1]
                if v is None:
                    return exp.null()
                if isinstance(v, bool):
                    return exp.Boolean(this=v)
                if isinstance(v, (int, float)):
                    return exp.Literal.number(v)
                return exp.Literal.string(str(v))
        return node

    return stmt.copy().transform(value)


class CursorSlice:
    """The next `limit` rows of a cursor (all of them when limit is None)."""

    def __init__(self, cursor: Cursor, limit: int | None) -> None:
        self.cursor = cursor
        self.schema = cursor.rows.schema
        self.left = limit

    def read_next_batch(self) -> pa.RecordBatch:
        rows = self.cursor.rows
        if self.left == 0 or rows.exhausted and rows.pending is None:
            raise StopIteration
        batch, rows.pending = rows.pending, None
        if batch is None:
            try:
                batch = rows.source.read_next_batch()
            except StopIteration:
                rows.exhausted = True
                raise
        if self.left is not None:
            if batch.num_rows > self.left:
                rows.pending = batch.slice(self.left)
                batch = batch.slice(0, self.left)
            self.left -= batch.num_rows
        self.cursor.position += batch.num_rows
        return batch


def _setting_value(value: exp.Expr | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, exp.Var) and value.name.upper() == "DEFAULT":
        return None
    if isinstance(value, exp.Tuple) or isinstance(value, exp.Array):
        return ", ".join(_setting_value(v) or "" for v in value.expressions)
    if isinstance(value, exp.Literal):
        return value.name
    if isinstance(value, exp.Neg):
        return "-" + (_setting_value(value.this) or "")
    return value.name if value.name else value.sql(dialect="postgres")


Session.HANDLERS = {
    exp.Transaction: Session._begin,
    exp.Commit: Session._commit,
    exp.Rollback: Session._rollback,
    gd.Savepoint: Session._savepoint,
    gd.ReleaseSavepoint: Session._savepoint,
    exp.Set: Session._set,
    exp.Show: Session._show,
    gd.Reset: Session._reset,
    gd.Discard: Session._discard,
    gd.DeclareCursor: Session._declare,
    gd.CloseCursor: Session._close_cursor,
    gd.FetchCursor: Session._fetch,
    gd.Call: Session._call,
    gd.Explain: Session._explain,
    gd.Listen: Session._listen,
    gd.Unlisten: Session._listen,
    gd.Notify: Session._unsupported,
    gd.PrepareStatement: Session._prepare,
    gd.ExecuteStatement: Session._execute_prepared,
    gd.Deallocate: Session._deallocate,
}
