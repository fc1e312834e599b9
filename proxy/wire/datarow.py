"""Record batches -> DataRow ('D') messages, column by column, no per-cell Python.

Every row is laid out as: 'D', int32 length, int16 column count, then per column an int32
length (-1 for NULL) and the value bytes. Columns whose values all have one width (binary
ints, floats, dates, bool text, ...) and the length prefixes are written into one NumPy
byte matrix per run of such columns; variable-width columns (text, numeric, bytea) are
Arrow binary arrays. One `binary_join_element_wise` over these parts then gives an Arrow
array whose data buffer is exactly the stream of messages.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pyarrow as pa

from .arrow_util import as_binary, binary_from_matrix, value_lengths
from .binary_values import Encoded, binary_values
from .text_values import text_values
from .types import EXTENSION_NAME_KEY

TEXT, BINARY = 0, 1
# Binary arrays have 32-bit offsets: encode larger results in slices below this size.
_MAX_CHUNK_BYTES = 1 << 30
# Batches with at least twice this many rows are encoded in row slices on threads.
_PARALLEL_MIN_ROWS = 16_384
_WORKERS = min(4, os.cpu_count() or 1)
# Up to this many cells (rows x columns), the already encoded column values are framed into
# rows in plain Python: the NumPy/Arrow assembly below costs a few hundred microseconds of
# fixed overhead, which is most of a `SELECT 1`. The bound keeps this off large results.
_SMALL_CELLS = 64
_ROW_HEADER = struct.Struct(">cih")
_I32 = struct.Struct(">i")
_NULL = _I32.pack(-1)

_pool: ThreadPoolExecutor | None = None


def _executor() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=_WORKERS, thread_name_prefix="encode")
    return _pool


def column_formats(formats: Sequence[int], ncols: int) -> list[int]:
    """Bind's result-format codes: none = all text, one = all that one, else one per column."""
    if len(formats) == 0:
        return [TEXT] * ncols
    if len(formats) == 1:
        return [int(formats[0])] * ncols
    if len(formats) != ncols:
        from ..errors import ProtocolViolation

        raise ProtocolViolation(f"bind message has {len(formats)} result formats but query has {ncols} columns")
    return [int(f) for f in formats]


def encode_column(arr: pa.Array, fmt: int, tz: str = "UTC") -> Encoded:
    """One column in the wire format `fmt` (0 text, 1 binary)."""
    if fmt == BINARY:
        return binary_values(arr)
    if pa.types.is_boolean(arr.type) and arr.null_count == 0:
        values = np.asarray(arr)
        return Encoded(fixed=np.where(values, np.uint8(ord("t")), np.uint8(ord("f"))).reshape(-1, 1))
    return Encoded(values=text_values(arr, tz))


def encode_data_rows(
    batch: pa.RecordBatch | pa.Table, formats: Sequence[int] = (), *, tz: str = "UTC"
) -> memoryview:
    """The DataRow messages of every row of `batch`, concatenated, ready for the socket.

    formats: Bind's result-format codes (0 text, 1 binary). tz: the session TimeZone, used
    for timestamptz text. Returns a memoryview over an Arrow buffer (bytes-like).
    """
    if isinstance(batch, pa.Table):
        batch = batch.combine_chunks().to_batches()[0] if batch.num_rows else pa.RecordBatch.from_pylist([], batch.schema)
    n, ncols = batch.num_rows, batch.num_columns
    if n == 0:
        return memoryview(b"")
    fmts = column_formats(formats, ncols)
    workers = min(_WORKERS, n // _PARALLEL_MIN_ROWS)
    if workers > 1:
        # Row slices encoded on threads: pyarrow and NumPy release the GIL, and Arrow's
        # float formatting (the costliest part of text results) is single-threaded.
        step = -(-n // workers)
        slices = [batch.slice(start, step) for start in range(0, n, step)]
        parts = list(_executor().map(lambda b: _encode(b, fmts, tz), slices))
        return memoryview(b"".join(parts))
    return _encode(batch, fmts, tz)


def _encode(batch: pa.RecordBatch, fmts: list[int], tz: str) -> memoryview:
    if batch.num_rows * len(fmts) <= _SMALL_CELLS:
        columns = [_small_column(batch.schema.field(i), batch.column(i), f, tz) for i, f in enumerate(fmts)]
        return _frame_rows(columns, batch.num_rows)
    encoded = [encode_column(_typed(batch.schema.field(i), batch.column(i)), f, tz) for i, f in enumerate(fmts)]
    return _assemble(encoded, batch.num_rows)


def _small_column(field: pa.Field, column: pa.Array, fmt: int, tz: str) -> list:
    """The wire values of one column of a tiny batch (at most _SMALL_CELLS cells), as bytes
    or None. Integers and strings in text need no Arrow kernel (each call costs more than
    the whole conversion here); everything else goes through the column encoders."""
    t = column.type
    if fmt == TEXT and not isinstance(t, pa.BaseExtensionType) and (field.metadata is None):
        if pa.types.is_integer(t):
            return [None if v is None else b"%d" % v for v in column.to_pylist()]
        if pa.types.is_string(t):
            return as_binary(column).to_pylist()
    e = encode_column(_typed(field, column), fmt, tz)
    if e.fixed is not None:  # fixed-width columns have no NULLs
        return [bytes(row) for row in e.fixed]
    return as_binary(e.values).to_pylist()


def _frame_rows(columns: list[list], n: int) -> memoryview:
    """DataRow messages from per-column lists of values (None for NULL), for tiny batches."""
    out = []
    for i in range(n):
        parts = []
        for column in columns:
            value = column[i]
            if value is None:
                parts.append(_NULL)
            else:
                parts.append(_I32.pack(len(value)))
                parts.append(value)
        body = b"".join(parts)
        out.append(_ROW_HEADER.pack(b"D", len(body) + 6, len(columns)))
        out.append(body)
    return memoryview(b"".join(out))


def _typed(field: pa.Field, column: pa.Array) -> pa.Array:
    """Columns marked uuid/json only in field metadata (pg_type_for_field announces them so)
    get the matching extension type, so that the encoding agrees with the announced type."""
    name = (field.metadata or {}).get(EXTENSION_NAME_KEY)
    if name in (b"arrow.uuid", b"duckdb.uuid") and column.type == pa.binary(16):
        return pa.ExtensionArray.from_storage(pa.uuid(), column)
    if name in (b"arrow.json", b"duckdb.json") and pa.types.is_string(column.type):
        return pa.ExtensionArray.from_storage(pa.json_(), column)
    return column


def _assemble(encoded: list[Encoded], n: int) -> memoryview:
    # Per column: payload length (0 for NULL), and the int32 prefix (-1 for NULL).
    lengths = []
    prefixes = []
    for e in encoded:
        if e.fixed is not None:
            width = e.fixed.shape[1]
            lengths.append(width)
            prefixes.append(np.full(n, width, dtype=">i4"))
        else:
            lens = value_lengths(e.values)
            lengths.append(lens)
            prefix = lens if e.values.null_count == 0 else np.where(np.asarray(e.values.is_valid()), lens, -1)
            prefixes.append(prefix.astype(">i4"))
    row_len = 1 + 4 + 2 + sum(4 + (np.asarray(l, dtype=np.int64)) for l in lengths)  # type byte included
    row_len = np.broadcast_to(np.asarray(row_len, dtype=np.int64), (n,))
    total = int(row_len.sum())
    if total > _MAX_CHUNK_BYTES and n > 1:
        half = n // 2
        left = _assemble([_slice(e, 0, half) for e in encoded], half)
        right = _assemble([_slice(e, half, n - half) for e in encoded], n - half)
        return memoryview(bytes(left) + bytes(right))

    header = np.empty(n, dtype=[("tag", "S1"), ("len", ">i4"), ("ncols", ">i2")])
    header["tag"] = b"D"
    header["len"] = row_len - 1
    header["ncols"] = len(encoded)
    parts: list[pa.Array] = []
    block: list[np.ndarray] = [header.view(np.uint8).reshape(n, 7)]
    for e, prefix in zip(encoded, prefixes):
        block.append(prefix.view(np.uint8).reshape(n, 4))
        if e.fixed is not None:
            block.append(e.fixed)
        else:
            parts.append(binary_from_matrix(_pack(block, n)))
            parts.append(as_binary(e.values))
            block = []
    if block:
        parts.append(binary_from_matrix(_pack(block, n)))
    if len(parts) == 1:
        data = parts[0].buffers()[2]
        return memoryview(data)[: total]
    # All pieces in one array, then taken in row-major order: the taken array's data buffer
    # is the message stream (measured ~20% faster than binary_join_element_wise; a NULL
    # piece is taken as no bytes).
    k = len(parts)
    order = (np.arange(k, dtype=np.uint32) * np.uint32(n))[None, :] + np.arange(n, dtype=np.uint32)[:, None]
    joined = pa.concat_arrays(parts).take(pa.array(order.ravel()))
    offsets = np.frombuffer(joined.buffers()[1], dtype=np.int32, count=n * k + 1, offset=joined.offset * 4)
    return memoryview(joined.buffers()[2])[int(offsets[0]) : int(offsets[-1])]


def _pack(block: list[np.ndarray], n: int) -> np.ndarray:
    """Side by side (n, w_i) byte matrices as one (n, sum w_i) matrix. Copying each piece as
    one opaque 'V<w>' item per row is many times faster than np.hstack's byte-wise copy."""
    if len(block) == 1:
        return block[0]
    widths = [m.shape[1] for m in block]
    layout = np.dtype({
        "names": [f"f{i}" for i in range(len(block))],
        "formats": [f"V{w}" for w in widths],
        "offsets": [int(o) for o in np.cumsum([0, *widths[:-1]])],
        "itemsize": int(sum(widths)),
    })
    rows = np.empty(n, dtype=layout)
    for i, m in enumerate(block):
        rows[f"f{i}"] = np.ascontiguousarray(m).view(f"V{m.shape[1]}").ravel()
    return rows.view(np.uint8).reshape(n, layout.itemsize)


def _slice(e: Encoded, start: int, length: int) -> Encoded:
    if e.fixed is not None:
        return Encoded(fixed=e.fixed[start : start + length])
    return Encoded(values=e.values.slice(start, length))
