"""The simple query protocol: one Query message, any number of statements."""

from __future__ import annotations

from sqlglot import exp

from .ask import leading_question
from .copy import run_copy
from .results import Done, Rows, row_description, stream_rows
from .session import TRANSACTION_CONTROL
from .wire.messages import CommandComplete, EmptyQueryResponse, ParameterStatus


async def simple_query(conn, sql: str) -> None:
    session = conn.session
    question = leading_question(sql)
    if question is not None:
        try:
            rows = await session.ask(question)
            conn.send_notices()
            await send_all_rows(conn, rows, [])
        except Exception as e:  # noqa: BLE001
            conn.send_notices()
            session.fail_transaction()
            conn.send_error(e)
        return
    try:
        stmts = await session.parse(sql)
    except Exception as e:  # noqa: BLE001 - every failure becomes an ErrorResponse
        session.fail_transaction()
        conn.send_error(e)
        return
    if not stmts:
        conn.send(EmptyQueryResponse())
        return
    # PostgreSQL runs a multi-statement Query as one implicit transaction.
    implicit = len(stmts) > 1 and session.tx == "I" and not any(isinstance(s, TRANSACTION_CONTROL) for s in stmts)
    try:
        if implicit:
            await session.run(session.engine_session.begin)
        for stmt in stmts:
            await run_statement(conn, stmt)
        if implicit:
            await session.run(session.engine_session.commit)
    except Exception as e:  # noqa: BLE001
        if implicit:
            await session.run(session.engine_session.rollback)
        session.fail_transaction()
        conn.send_error(e)


async def run_statement(conn, stmt: exp.Expr) -> None:
    session = conn.session
    if isinstance(stmt, exp.Copy):
        tag = await run_copy(conn, stmt)
        conn.send(CommandComplete(tag))
        return
    outcome = await session.execute(stmt)
    conn.send_notices()
    if isinstance(outcome, Done):
        for name, value in outcome.parameter_status:
            conn.send(ParameterStatus(name, value))
        conn.send(CommandComplete(outcome.tag))
        return
    await send_all_rows(conn, outcome, [])


async def send_all_rows(conn, rows: Rows, result_formats, *, describe: bool = True) -> None:
    from .results import formats_for

    formats = formats_for(result_formats, len(rows.schema))
    if describe:
        conn.send(row_description(rows.schema, formats))
    try:
        n = await stream_rows(rows, formats, conn.write, conn.drain, conn.session.run,
                              tz=conn.session.settings.get("timezone"))
    finally:
        if rows.tag != "FETCH":
            rows.close()
    conn.send(CommandComplete(rows.tag if rows.tag in ("SHOW", "CALL") else f"{rows.tag} {n}"))
