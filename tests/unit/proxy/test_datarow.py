"""DataRow assembly: the message stream parses back, per row and per column, into exactly
the values the per-column encoders produce, and matches a naive per-row struct.pack encoder."""

from __future__ import annotations

import datetime as dt
import struct
from decimal import Decimal

import pyarrow as pa
import pytest
from hypothesis import given, settings, strategies as st
from psycopg.adapt import Transformer
from psycopg.pq import Format

from askgres.proxy.errors import ProtocolViolation
from askgres.proxy.wire import datarow
from askgres.proxy.wire.datarow import encode_data_rows
from askgres.proxy.wire.types import pg_type_for, pg_type_for_field


def parse_rows(data: bytes) -> list[list[bytes | None]]:
    """An independent DataRow parser."""
    rows, pos = [], 0
    while pos < len(data):
        assert data[pos : pos + 1] == b"D"
        (length,) = struct.unpack_from(">i", data, pos + 1)
        end = pos + 1 + length
        (ncols,) = struct.unpack_from(">h", data, pos + 5)
        p, row = pos + 7, []
        for _ in range(ncols):
            (n,) = struct.unpack_from(">i", data, p)
            p += 4
            if n == -1:
                row.append(None)
            else:
                row.append(data[p : p + n])
                p += n
        assert p == end, "declared message length must match its content"
        rows.append(row)
        pos = end
    return rows


def naive_rows(batch: pa.RecordBatch, formats) -> bytes:
    """Reference: per-cell psycopg loaders' inverse is not available, so encode per row with
    struct.pack from Python values for the simple types used here."""
    out = bytearray()
    for row in batch.to_pylist():
        fields = b""
        for (name, value), fmt, field in zip(row.items(), formats, batch.schema):
            if value is None:
                fields += struct.pack(">i", -1)
                continue
            if fmt == 1 and pa.types.is_int64(field.type):
                payload = struct.pack(">q", value)
            elif fmt == 1 and pa.types.is_float64(field.type):
                payload = struct.pack(">d", value)
            elif fmt == 1 and pa.types.is_int32(field.type):
                payload = struct.pack(">i", value)
            elif pa.types.is_boolean(field.type):
                payload = (b"\x01" if value else b"\x00") if fmt else (b"t" if value else b"f")
            elif pa.types.is_string(field.type):
                payload = value.encode()
            else:
                payload = str(value).encode()
            fields += struct.pack(">i", len(payload)) + payload
        body = struct.pack(">h", len(row)) + fields
        out += b"D" + struct.pack(">i", len(body) + 4) + body
    return bytes(out)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.integers(-(2**63), 2**63 - 1)),
            st.one_of(st.none(), st.text(max_size=12)),
            st.one_of(st.none(), st.booleans()),
            st.one_of(st.none(), st.integers(-(2**31), 2**31 - 1)),
        ),
        min_size=1,
        max_size=40,
    ),
    st.lists(st.sampled_from([0, 1]), min_size=4, max_size=4),
)
def test_matches_naive_encoder(rows, formats):
    batch = pa.RecordBatch.from_arrays(
        [pa.array([r[i] for r in rows], t) for i, t in enumerate([pa.int64(), pa.string(), pa.bool_(), pa.int32()])],
        names=["a", "b", "c", "d"],
    )
    assert bytes(encode_data_rows(batch, formats)) == naive_rows(batch, formats)


def test_mixed_types_decode_with_psycopg():
    batch = pa.RecordBatch.from_pydict({
        "i": pa.array([1, None, 3], pa.int64()),
        "f": pa.array([1.5, 2.5, None]),
        "t": pa.array(["x", None, "zz"]),
        "n": pa.array([Decimal("1.50"), Decimal("-2.00"), None], pa.decimal128(6, 2)),
        "d": pa.array([dt.date(2024, 1, 2), None, dt.date(2000, 1, 1)]),
        "l": pa.array([[1, None], [], None], pa.list_(pa.int32())),
        "b": pa.array([True, False, True]),
    })
    tx = Transformer()
    for formats in ([0], [1], [0, 1, 0, 1, 0, 1, 0], [1, 0, 1, 0, 1, 0, 1]):
        fmts = datarow.column_formats(formats, batch.num_columns)
        rows = parse_rows(bytes(encode_data_rows(batch, formats)))
        loaders = [tx.get_loader(pg_type_for(f.type).oid, Format(fmt)) for f, fmt in zip(batch.schema, fmts)]
        decoded = [{f.name: (None if v is None else ld.load(v)) for f, v, ld in zip(batch.schema, row, loaders)}
                   for row in rows]
        assert decoded == batch.to_pylist()


def test_sliced_batch_and_table_input():
    batch = pa.RecordBatch.from_pydict({"a": [1, 2, 3, 4], "s": ["a", "bb", None, "dddd"]}).slice(1, 2)
    assert parse_rows(bytes(encode_data_rows(batch, [0]))) == [[b"2", b"bb"], [b"3", None]]
    table = pa.table({"a": pa.chunked_array([[1], [2]])})
    assert parse_rows(bytes(encode_data_rows(table, [1]))) == [[struct.pack(">q", 1)], [struct.pack(">q", 2)]]


def test_all_fixed_width_columns_need_no_join():
    batch = pa.RecordBatch.from_pydict({"a": pa.array([1, 2], pa.int32()), "b": [0.5, 1.0]})
    data = bytes(encode_data_rows(batch, [1]))
    assert data == naive_rows(batch, [1, 1])


def test_empty_and_zero_column_batches():
    empty = pa.RecordBatch.from_pydict({"a": pa.array([], pa.int64())})
    assert bytes(encode_data_rows(empty, [])) == b""
    no_columns = pa.RecordBatch.from_pydict({"a": [1, 2]}).select([])
    # SELECT FROM t: PostgreSQL sends one DataRow with zero columns per row.
    assert bytes(encode_data_rows(no_columns, [])) == b"D\x00\x00\x00\x06\x00\x00" * 2


def test_large_results_are_split(monkeypatch):
    monkeypatch.setattr(datarow, "_MAX_CHUNK_BYTES", 64)
    batch = pa.RecordBatch.from_pydict({"a": list(range(50)), "s": [f"v{i}" for i in range(50)]})
    rows = parse_rows(bytes(encode_data_rows(batch, [0])))
    assert rows == [[str(i).encode(), f"v{i}".encode()] for i in range(50)]


def test_parallel_path_gives_same_bytes(monkeypatch):
    batch = pa.RecordBatch.from_pydict({"a": list(range(300)), "f": [i / 7 for i in range(300)],
                                        "s": [str(i) * 3 for i in range(300)]})
    serial = bytes(encode_data_rows(batch, [0]))
    monkeypatch.setattr(datarow, "_PARALLEL_MIN_ROWS", 7)
    monkeypatch.setattr(datarow, "_WORKERS", 3)
    assert bytes(encode_data_rows(batch, [0])) == serial


def test_wrong_number_of_formats():
    batch = pa.RecordBatch.from_pydict({"a": [1], "b": [2], "c": [3]})
    with pytest.raises(ProtocolViolation):
        encode_data_rows(batch, [0, 1])


def test_metadata_marked_uuid_is_encoded_as_uuid():
    import uuid

    u = uuid.UUID("12345678-1234-5678-1234-567812345678")
    field = pa.field("u", pa.binary(16), metadata={b"ARROW:extension:name": b"arrow.uuid"})
    batch = pa.RecordBatch.from_arrays([pa.array([u.bytes], pa.binary(16))], schema=pa.schema([field]))
    assert pg_type_for_field(field).oid == 2950
    assert parse_rows(bytes(encode_data_rows(batch, [0]))) == [[str(u).encode()]]
    assert parse_rows(bytes(encode_data_rows(batch, [1]))) == [[u.bytes]]
