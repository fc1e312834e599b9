"""What a statement answers, and how rows reach the client.

Rows stay Arrow record batches end to end: a batch is read from the engine and encoded to
DataRow bytes off the event loop, then written and drained before the next one is read, so a
slow client holds back the engine instead of making the server buffer the result.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Awaitable, Callable, Protocol, Sequence

import pyarrow as pa

from .wire.datarow import encode_data_rows
from .wire.messages import FieldDescription, RowDescription
from .wire.types import pg_type_for


class BatchSource(Protocol):
    schema: pa.Schema

    def read_next_batch(self) -> pa.RecordBatch: ...  # raises StopIteration at the end


class TableSource:
    """Rows the proxy made itself (SHOW, FETCH from a materialised cursor, ...)."""

    def __init__(self, table: pa.Table) -> None:
        self.schema = table.schema
        self._batches = iter(table.to_batches())

    def read_next_batch(self) -> pa.RecordBatch:
        return next(self._batches)

    def close(self) -> None:
        self._batches = iter(())


class PrefetchedSource:
    """A source whose next batch was already read (to learn whether it was the last)."""

    def __init__(self, schema: pa.Schema, first: pa.RecordBatch, rest: BatchSource) -> None:
        self.schema = schema
        self._first: pa.RecordBatch | None = first
        self._rest = rest

    def read_next_batch(self) -> pa.RecordBatch:
        if self._first is not None:
            batch, self._first = self._first, None
            return batch
        return self._rest.read_next_batch()

    def close(self) -> None:
        close = getattr(self._rest, "close", None)
        if close:
            close()


def prime(rows: Rows) -> Rows:
    """Blocking: read the first batch (and peek at the next) right after execution, on the
    same worker-thread trip, so a small result needs no further trip."""
    try:
        first = rows.source.read_next_batch()
    except StopIteration:
        rows.exhausted = True
        _release(rows.source)
        return rows
    try:
        second = rows.source.read_next_batch()
    except StopIteration:
        rows.pending, rows.exhausted = first, True
        _release(rows.source)
        return rows
    rows.pending = first
    rows.source = PrefetchedSource(rows.schema, second, rows.source)
    return rows


def _release(source) -> None:
    """A source read to its end is closed here, on the worker thread: closing a DuckDB
    result is engine work that should not hold the event loop (Rows.close closes again,
    which costs nothing)."""
    close = getattr(source, "close", None)
    if close:
        close()


INLINE_ROWS = 2048  # a final batch this small is encoded on the event loop (microseconds)


@dataclass
class Rows:
    """A statement that answers rows. CommandComplete is f"{tag} {rows sent}"."""

    schema: pa.Schema
    source: BatchSource
    tag: str = "SELECT"
    pending: pa.RecordBatch | None = None  # rows read from the engine but not yet sent
    exhausted: bool = False
    sent: int = 0
    on_close: Callable[[int], None] | None = None  # told the number of rows sent (the audit log)

    @property
    def done(self) -> bool:
        """Every row has been sent."""
        return self.exhausted and self.pending is None

    def close(self) -> None:
        close = getattr(self.source, "close", None)
        if close:
            close()
        self.exhausted = True
        self.pending = None
        if self.on_close is not None:
            callback, self.on_close = self.on_close, None
            callback(self.sent)


@dataclass
class Done:
    """A statement that answers only a command tag."""

    tag: str
    parameter_status: list[tuple[str, str]] = field(default_factory=list)


def formats_for(result_formats: Sequence[int], ncols: int) -> list[int]:
    if not result_formats:
        return [0] * ncols
    if len(result_formats) == 1:
        return [result_formats[0]] * ncols
    if len(result_formats) != ncols:
        from .errors import ProtocolViolation

        raise ProtocolViolation(
            f"bind message has {len(result_formats)} result formats but query has {ncols} columns"
        )
    return list(result_formats)


def row_description(schema: pa.Schema, formats: Sequence[int]) -> RowDescription:
    try:
        return _row_description(schema, tuple(formats))
    except TypeError:  # an unhashable (extension) type in the schema
        return _row_description.__wrapped__(schema, tuple(formats))


@functools.lru_cache(maxsize=512)
def _row_description(schema: pa.Schema, formats: tuple[int, ...]) -> RowDescription:
    """One RowDescription (and its encoding) per result shape: a repeated query reuses it."""
    fields = []
    for f, fmt in zip(schema, formats):
        t = pg_type_for(f.type)
        fields.append(FieldDescription(f.name, t.oid, t.typlen, t.typmod, fmt))
    return RowDescription(tuple(fields))


Runner = Callable[..., Awaitable]


async def stream_rows(rows: Rows, formats: Sequence[int], write: Callable[[bytes], None],
                      drain: Callable[[], Awaitable[None]], run: Runner, max_rows: int = 0,
                      tz: str = "UTC") -> int:
    """Send up to max_rows rows (0 = all); returns the number sent. rows.done tells whether
    the statement is complete."""

    def read() -> pa.RecordBatch | None:
        while True:
            try:
                batch = rows.source.read_next_batch()
            except StopIteration:
                rows.exhausted = True
                return None
            if batch.num_rows:
                return batch

    def next_chunk(limit: int):
        batch, rows.pending = rows.pending, None
        if batch is None and not rows.exhausted:
            batch = read()
        if batch is None:
            return None
        if limit and batch.num_rows > limit:
            rows.pending = batch.slice(limit)
            batch = batch.slice(0, limit)
        elif rows.pending is None and not rows.exhausted:
            # Read one batch ahead: the end of a result is then known without another trip
            # to the worker thread (most results are one batch).
            rows.pending = read()
        return encode_data_rows(batch, formats, tz=tz), batch.num_rows

    sent = 0
    while not rows.done and (not max_rows or sent < max_rows):
        limit = max_rows - sent if max_rows else 0
        small_last = rows.exhausted and rows.pending is not None and rows.pending.num_rows <= INLINE_ROWS
        chunk = next_chunk(limit) if small_last else await run(next_chunk, limit)
        if chunk is None:
            break
        data, n = chunk
        write(data)
        sent += n
        rows.sent += n
        if rows.exhausted and rows.pending is None:
            break
        await drain()
    if max_rows and sent == max_rows and rows.pending is None and not rows.exhausted:
        # Peek so that a portal whose rows end exactly here completes instead of suspending.
        def peek():
            rows.pending = read()

        await run(peek)
    return sent
