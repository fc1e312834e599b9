"""COPY ... TO STDOUT and COPY ... FROM STDIN (text, CSV and binary) through the protocol.

COPY to or from a server file is refused: the server's files are not the client's business
(psql's \\copy does the same job from the client side). COPY FROM STDIN is loaded with one
INSERT at the end, so a failure midway leaves the table as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
from sqlglot import exp

from .errors import FeatureNotSupported, PgError, QueryCanceled
from .copy_binary import HEADER, TRAILER, copy_data_frames, decode_binary_copy
from .results import Rows
from .wire import messages as m
from .wire.copy_format import decode_copy, encode_copy_rows


@dataclass(frozen=True)
class CopyOptions:
    fmt: str = "text"
    header: bool = False
    delimiter: str | None = None
    null: str | None = None
    quote: str = '"'


def _value(e: exp.Expr | None) -> str:
    if e is None:
        return ""
    if isinstance(e, exp.Boolean):
        return "true" if e.this else "false"
    return e.name


def copy_options(stmt: exp.Copy) -> CopyOptions:
    opts: dict = {}
    for p in stmt.args.get("params") or ():
        name = p.name.upper()
        value = _value(p.expression)
        if name == "FORMAT":
            opts["fmt"] = value.lower()
        elif name == "CSV":  # old syntax: WITH CSV [HEADER]
            opts["fmt"] = "csv"
            if value.upper() == "HEADER":
                opts["header"] = True
        elif name == "BINARY":
            opts["fmt"] = "binary"
        elif name == "HEADER":
            opts["header"] = value.lower() not in ("false", "off", "0")
        elif name == "DELIMITER":
            opts["delimiter"] = value
        elif name == "NULL":
            opts["null"] = value
        elif name == "QUOTE":
            opts["quote"] = value
        else:
            raise FeatureNotSupported(f'COPY option "{name.lower()}" is not supported')
    options = CopyOptions(**opts)
    if options.fmt not in ("text", "csv", "binary"):
        raise FeatureNotSupported(f'COPY format "{options.fmt}" is not supported; use text, csv or binary')
    if options.fmt == "binary" and (options.header or options.delimiter or options.null):
        raise PgError("cannot specify HEADER, DELIMITER or NULL in BINARY mode", "42601")
    return options


def _is_std_stream(stmt: exp.Copy) -> bool:
    files = stmt.args.get("files") or []
    return len(files) == 1 and isinstance(files[0], exp.Identifier) and not files[0].quoted \
        and files[0].name.upper() in ("STDIN", "STDOUT")


async def run_copy(conn, stmt: exp.Copy) -> str:
    """Runs a COPY statement; returns its CommandComplete tag."""
    if not _is_std_stream(stmt):
        raise PgError("COPY to or from a file is not allowed", "42501",
                      hint="Use COPY ... TO STDOUT or COPY ... FROM STDIN (psql: \\copy).")
    options = copy_options(stmt)
    if stmt.args.get("kind"):
        return await _copy_in(conn, stmt, options)
    return await _copy_out(conn, stmt, options)


def _source_query(stmt: exp.Copy) -> exp.Query:
    target = stmt.this
    if isinstance(target, exp.Subquery):
        return target.this
    if isinstance(target, exp.Schema):
        return exp.select(*[exp.column(c.name) for c in target.expressions]).from_(target.this.copy())
    return exp.select("*").from_(target.copy())


async def _copy_out(conn, stmt: exp.Copy, options: CopyOptions) -> str:
    session = conn.session
    rows = await session.execute(_source_query(stmt))
    if not isinstance(rows, Rows):
        raise PgError("COPY query must return rows", "0A000")
    ncols = len(rows.schema)
    if options.fmt == "binary":
        return await _copy_out_binary(conn, rows)
    conn.send(m.CopyOutResponse(0, (0,) * ncols))
    total, header = 0, options.header

    def next_chunk():
        batch = _next_batch(rows)
        if batch is None:
            return None
        return encode_copy_rows(batch, fmt=options.fmt, delimiter=options.delimiter, null=options.null,
                                header=header, quote=options.quote, frame=True,
                                tz=session.settings.get("timezone")), batch.num_rows

    try:
        while True:
            chunk = await session.run(next_chunk)
            if chunk is None:
                break
            data, n = chunk
            header = False
            conn.write(data)  # already framed as one CopyData message per row
            total += n
            await conn.drain()
    finally:
        rows.close()
    if header:  # no rows at all: the header line is still due
        conn.write(encode_copy_rows(pa.RecordBatch.from_pylist([], schema=rows.schema), fmt=options.fmt,
                                    delimiter=options.delimiter, null=options.null, header=True,
                                    quote=options.quote, frame=True))
    conn.send(m.CopyDone())
    return f"COPY {total}"


def _next_batch(rows: Rows) -> pa.RecordBatch | None:
    """The next batch of a COPY TO: the one read ahead (results.prime) first, then the source's."""
    batch, rows.pending = rows.pending, None
    if batch is not None:
        return batch
    if rows.exhausted:
        return None
    try:
        return rows.source.read_next_batch()
    except StopIteration:
        rows.exhausted = True
        return None


async def _copy_out_binary(conn, rows: Rows) -> str:
    """COPY TO STDOUT WITH (FORMAT binary): the file header, one CopyData per row, the trailer."""
    session = conn.session
    conn.send(m.CopyOutResponse(1, (1,) * len(rows.schema)))
    tz = session.settings.get("timezone")
    first = True

    def next_chunk():
        batch = _next_batch(rows)
        if batch is None:
            return None
        return copy_data_frames(batch, first=first, tz=tz), batch.num_rows

    total = 0
    try:
        while (chunk := await session.run(next_chunk)) is not None:
            if chunk[1]:
                conn.write(chunk[0])
                total, first = total + chunk[1], False
                await conn.drain()
    finally:
        rows.close()
    conn.send(m.CopyData(HEADER + TRAILER if first else TRAILER))
    conn.send(m.CopyDone())
    return f"COPY {total}"


async def _copy_in(conn, stmt: exp.Copy, options: CopyOptions) -> str:
    session = conn.session
    target = stmt.this
    if isinstance(target, exp.Subquery):
        raise PgError("COPY FROM cannot read into a query", "42601")
    _, schema = await session.describe(_source_query(stmt))
    code = 1 if options.fmt == "binary" else 0
    conn.send(m.CopyInResponse(code, (code,) * len(schema)))
    await conn.drain()
    chunks: list[bytes] = []
    while True:
        msg = await conn.read_message()
        if isinstance(msg, m.CopyData):
            chunks.append(msg.data)
        elif isinstance(msg, m.CopyDone):
            break
        elif isinstance(msg, m.CopyFail):
            raise QueryCanceled(f"COPY from stdin failed: {msg.message}")
        elif isinstance(msg, (m.Flush, m.Sync)):
            continue
        else:
            raise PgError(f"unexpected message type {msg.type!r} during COPY from stdin", "08P01")
    data = b"".join(chunks)
    if options.fmt == "binary":
        table = await session.run(lambda: decode_binary_copy(data, schema, tz=session.settings.get("timezone")))
    else:
        table = await session.run(lambda: decode_copy(data, schema, fmt=options.fmt, delimiter=options.delimiter,
                                                      null=options.null, header=options.header))
    await session.materialize_open_streams()
    target_sql = target.sql(dialect="duckdb")
    count = await session.run(session.engine_session.ingest, target_sql, table.to_reader())
    return f"COPY {count}"
