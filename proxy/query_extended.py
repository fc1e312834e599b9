"""The extended query protocol: Parse / Bind / Describe / Execute / Close / Sync / Flush.

Describe never executes: statement descriptions come from the engine's describe(), which
plans without running. After an error, messages are skipped until Sync.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa
from sqlglot import exp

from .ask import Question, leading_question
from .copy import run_copy
from .errors import PgError, ProtocolViolation
from .param_casts import cast_declared_params
from .results import Done, Rows, formats_for, row_description, stream_rows
from .wire import messages as m
from .wire.params import decode_param
from .wire.types import pg_type_for


@dataclass
class PreparedStatement:
    sql: str
    stmt: exp.Expr | None
    param_oids: list[int]
    described: bool = False
    schema: pa.Schema | None = None
    question: Question | None = None  # `-- ask:` text: answered when described or executed
    extra_rows: Rows | None = None  # the answer found while describing, used by the next Execute


@dataclass
class Portal:
    statement: PreparedStatement
    params: list[object]
    result_formats: tuple[int, ...]
    outcome: Rows | Done | None = None
    sent: int = 0
    extra: dict = field(default_factory=dict)


def param_count(stmt: exp.Expr | None) -> int:
    if stmt is None:
        return 0
    nums = [int(p.this.name) for p in stmt.find_all(exp.Parameter)
            if isinstance(p.this, exp.Literal) and p.this.is_int]
    return max(nums, default=0)


class ExtendedQuery:
    def __init__(self, conn) -> None:
        self.conn = conn
        self.statements: dict[str, PreparedStatement] = conn.session.prepared
        self.portals: dict[str, Portal] = conn.session.portals  # shared with SQL FETCH/MOVE

    async def parse(self, msg: m.Parse) -> None:
        if msg.name and msg.name in self.statements:
            raise PgError(f'prepared statement "{msg.name}" already exists', "42P05")
        question = leading_question(msg.sql)
        if question is not None:
            self.statements[msg.name] = PreparedStatement(msg.sql, None, [], question=question)
            self.conn.send(m.ParseComplete())
            return
        stmts = await self.conn.session.parse(msg.sql, single=True)
        if len(stmts) > 1:
            raise PgError("cannot insert multiple commands into a prepared statement", "42601")
        stmt = cast_declared_params(stmts[0] if stmts else None, msg.param_oids)
        oids = list(msg.param_oids) + [0] * max(0, param_count(stmt) - len(msg.param_oids))
        self.statements[msg.name] = PreparedStatement(msg.sql, stmt, oids)
        self.conn.send(m.ParseComplete())

    def statement(self, name: str) -> PreparedStatement:
        try:
            return self.statements[name]
        except KeyError:
            raise PgError(f'prepared statement "{name}" does not exist', "26000") from None

    def portal(self, name: str) -> Portal:
        try:
            return self.portals[name]
        except KeyError:
            raise PgError(f'portal "{name}" does not exist', "34000") from None

    async def _describe_statement(self, ps: PreparedStatement) -> None:
        if ps.described:
            return
        if ps.question is not None:
            # The columns of an answer are known only once the question is answered; the
            # generated SQL is read-only, so answering here changes nothing.
            ps.extra_rows = await self.conn.session.ask(ps.question)
            self.conn.send_notices()
            ps.schema, ps.described = ps.extra_rows.schema, True
            return
        if ps.stmt is None:
            return
        param_types, schema = await self.conn.session.describe(ps.stmt)
        for i, t in enumerate(param_types or ()):
            if i < len(ps.param_oids) and ps.param_oids[i] == 0:
                ps.param_oids[i] = pg_type_for(t).oid
        ps.schema, ps.described = schema, True

    async def bind(self, msg: m.Bind) -> None:
        ps = self.statement(msg.statement)
        if msg.portal and msg.portal in self.portals:
            raise PgError(f'portal "{msg.portal}" already exists', "42P03")
        if len(msg.params) != len(ps.param_oids):
            raise ProtocolViolation(
                f"bind message supplies {len(msg.params)} parameters, but prepared statement "
                f'"{msg.statement}" requires {len(ps.param_oids)}')
        fmts = msg.param_formats
        if len(fmts) not in (0, 1, len(msg.params)):
            raise ProtocolViolation("bind message has a wrong number of parameter formats")
        if 0 in ps.param_oids and not ps.described:
            # Binary values need their types, and so do text ones: '{a,"b c"}' is only an
            # array once we know the parameter is text[] (psycopg sends lists of str untyped).
            await self._describe_statement(ps)
        params = []
        for i, value in enumerate(msg.params):
            fmt = fmts[0] if len(fmts) == 1 else (fmts[i] if fmts else 0)
            params.append(decode_param(value, ps.param_oids[i], fmt, tz=self.conn.session.settings.get("timezone")))
        old = self.portals.pop(msg.portal, None)
        if old and isinstance(old.outcome, Rows):
            old.outcome.close()
        self.portals[msg.portal] = Portal(ps, params, msg.result_formats)
        self.conn.send(m.BindComplete())

    async def describe(self, msg: m.Describe) -> None:
        if msg.kind == "S":
            ps = self.statement(msg.name)
            await self._describe_statement(ps)
            self.conn.send(m.ParameterDescription(tuple(ps.param_oids)))
            self._send_row_description(ps.schema, ())
            return
        cursor = self.conn.session.cursors.get(msg.name)
        if cursor is not None and msg.name not in self.portals:
            # A cursor DECLAREd in SQL is a portal too: psycopg describes its named cursors.
            self._send_row_description(cursor.rows.schema, ())
            return
        portal = self.portal(msg.name)
        stmt = portal.statement.stmt
        if portal.outcome is None and isinstance(stmt, exp.Query) and portal.statement.question is None:
            # A query has no side effects (the guard saw to that) and Execute always follows a
            # portal's Describe, so start it now: one engine round instead of plan-then-run.
            portal.outcome = await self.conn.session.execute(stmt, portal.params)
            self.conn.send_notices()
        if isinstance(portal.outcome, Rows):
            self._send_row_description(portal.outcome.schema, portal.result_formats)
            return
        await self._describe_statement(portal.statement)
        self._send_row_description(portal.statement.schema, portal.result_formats)

    def _send_row_description(self, schema: pa.Schema | None, result_formats) -> None:
        if schema is None:
            self.conn.send(m.NoData())
        else:
            self.conn.send(row_description(schema, formats_for(result_formats, len(schema))))

    async def execute(self, msg: m.Execute) -> None:
        portal = self.portal(msg.portal)
        session = self.conn.session
        stmt = portal.statement.stmt
        ps = portal.statement
        if portal.outcome is None and ps.question is not None:
            portal.outcome, ps.extra_rows = ps.extra_rows or await session.ask(ps.question), None
            ps.described = False  # a later execution asks again (a cache hit)
            self.conn.send_notices()
        elif stmt is None:
            self.conn.send(m.EmptyQueryResponse())
            return
        if portal.outcome is None:
            if isinstance(stmt, exp.Copy):
                portal.outcome = Done(await run_copy(self.conn, stmt))
            else:
                portal.outcome = await session.execute(stmt, portal.params)
                self.conn.send_notices()
        outcome = portal.outcome
        if isinstance(outcome, Done):
            for name, value in outcome.parameter_status:
                self.conn.send(m.ParameterStatus(name, value))
            self.conn.send(m.CommandComplete(outcome.tag))
            return
        formats = formats_for(portal.result_formats, len(outcome.schema))
        n = await stream_rows(outcome, formats, self.conn.write, self.conn.drain, session.run,
                              max(msg.max_rows, 0), tz=session.settings.get("timezone"))
        portal.sent += n
        if outcome.done:
            self.conn.send(m.CommandComplete(outcome.tag if outcome.tag in ("SHOW", "CALL") else f"{outcome.tag} {n}"))
        else:
            session.track_stream(outcome)
            self.conn.send(m.PortalSuspended())

    async def close(self, msg: m.Close) -> None:
        if msg.kind == "S":
            self.statements.pop(msg.name, None)
        else:
            portal = self.portals.pop(msg.name, None)
            if portal and isinstance(portal.outcome, Rows):
                portal.outcome.close()
        self.conn.send(m.CloseComplete())

    def sync(self) -> None:
        """End of an extended-query cycle: the unnamed portal and finished portals go away
        outside a transaction block, as in PostgreSQL."""
        if self.conn.session.tx == "I":
            for name in list(self.portals):
                portal = self.portals.pop(name)
                if isinstance(portal.outcome, Rows):
                    portal.outcome.close()
