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
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .arrow_util import as_binary, binary_from_matrix, value_lengths
from .binary_values import Encoded, binary_values
from .text_values import text_values

TEXT, BINARY = 0, 1
# Binary arrays have 32-bit offsets: encode larger results in slices below this size.
_MAX_CHUNK_BYTES = 1 << 30
# Columns are encoded on threads (pyarrow and NumPy release the GIL) for batches this big.
_PARALLEL_MIN_CELLS = 200_000

_pool: ThreadPoolExecutor | None = None


def _executor() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1), thread_name_prefix="encode")
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
    columns = [batch.column(i) for i in range(ncols)]
    if n * ncols >= _PARALLEL_MIN_CELLS and ncols > 1:
        encoded = list(_executor().map(lambda c_f: encode_column(c_f[0], c_f[1], tz), zip(columns, fmts)))
    else:
        encoded = [encode_column(c, f, tz) for c, f in zip(columns, fmts)]
    return _assemble(encoded, n)


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
            parts.append(binary_from_matrix(np.hstack(block) if len(block) > 1 else block[0]))
            parts.append(as_binary(e.values))
            block = []
    if block:
        parts.append(binary_from_matrix(np.hstack(block) if len(block) > 1 else block[0]))
    if len(parts) == 1:
        data = parts[0].buffers()[2]
        return memoryview(data)[: total]
    joined = pc.binary_join_element_wise(*parts, b"", null_handling="replace", null_replacement="")
    offsets = np.frombuffer(joined.buffers()[1], dtype=np.int32, count=n + 1, offset=joined.offset * 4)
    return memoryview(joined.buffers()[2])[int(offsets[0]) : int(offsets[-1])]


def _slice(e: Encoded, start: int, length: int) -> Encoded:
    if e.fixed is not None:
        return Encoded(fixed=e.fixed[start : start + length])
    return Encoded(values=e.values.slice(start, length))
