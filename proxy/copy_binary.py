"""COPY ... WITH (FORMAT binary): PostgreSQL's binary copy stream, to and from Arrow.

A binary COPY tuple is exactly a DataRow body (int16 field count, then int32 length and the
value's binary form per field), so rows out are the DataRow encoder's binary output with each
message's type byte changed to CopyData's. Rows in are decoded with the Bind parameter decoders one value
at a time: binary COPY FROM is the loading path of drivers (asyncpg's copy_records_to_table,
psycopg's binary copy), while text and CSV stay vectorised in wire.copy_format.
"""

from __future__ import annotations

import struct

import pyarrow as pa

from .errors import PgError
from .wire.datarow import encode_data_rows
from .wire.params import decode_param
from .wire.types import pg_type_for_field

SIGNATURE = b"PGCOPY\n\xff\r\n\x00"
HEADER = SIGNATURE + struct.pack("!ii", 0, 0)  # flags (no OIDs), no header extension
TRAILER = struct.pack("!h", -1)
_I16 = struct.Struct("!h")
_I32 = struct.Struct("!i")


def copy_data_frames(batch: pa.RecordBatch, *, first: bool, tz: str = "UTC") -> bytes:
    """`batch` as CopyData messages, one tuple each as PostgreSQL sends them (psycopg reads one
    row per message); with first=True the file header rides in the first one, as it does there."""
    data = bytearray(encode_data_rows(batch, [1] * batch.num_columns, tz=tz))
    pos = 0
    while pos < len(data):  # a DataRow and a CopyData of one tuple differ only in the type byte
        data[pos : pos + 1] = b"d"
        pos += 1 + _I32.unpack_from(data, pos + 1)[0]
    if first and data:
        length = _I32.unpack_from(data, 1)[0]
        data[0:5] = b"d" + _I32.pack(length + len(HEADER))
        data[5:5] = HEADER
    return bytes(data)


def _bad(message: str) -> PgError:
    return PgError(message, "22P04")  # bad_copy_file_format


def decode_binary_copy(data: bytes, schema: pa.Schema, *, tz: str = "UTC") -> pa.Table:
    """A whole binary COPY stream (header, tuples, trailer) -> a table of `schema`."""
    if not data.startswith(SIGNATURE):
        raise _bad("COPY file signature not recognized")
    view = memoryview(data)
    try:
        flags, extension = struct.unpack_from("!ii", view, len(SIGNATURE))
        if flags & (1 << 16):
            raise _bad("COPY binary data with OIDs is not supported")
        pos = len(SIGNATURE) + 8 + extension
        oids = [pg_type_for_field(f).oid for f in schema]
        columns: list[list] = [[] for _ in schema]
        while True:
            count = _I16.unpack_from(view, pos)[0]
            pos += 2
            if count == -1:
                break
            if count != len(schema):
                raise _bad(f"row field count is {count}, expected {len(schema)}")
            for i in range(count):
                n = _I32.unpack_from(view, pos)[0]
                pos += 4
                if n < 0:
                    columns[i].append(None)
                    continue
                if pos + n > len(view):
                    raise struct.error("short field")
                columns[i].append(decode_param(bytes(view[pos : pos + n]), oids[i], 1, tz=tz))
                pos += n
    except struct.error:
        raise _bad("unexpected EOF in COPY data") from None
    arrays = []
    for values, field in zip(columns, schema):
        if pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
            values = [v if v is None or isinstance(v, str) else str(v) for v in values]  # uuid, json
        arrays.append(pa.array(values, type=field.type))
    return pa.Table.from_arrays(arrays, schema=schema)
