"""oid columns (the `askgres.oid` extension type engines give the uint32 columns of results
that read their catalog emulation): announced as oid / oid[], encoded as PostgreSQL's oidout
and oidsend, checked with psycopg's loaders (an independent implementation of the layouts)."""

from __future__ import annotations

import pyarrow as pa
from psycopg.adapt import Transformer
from psycopg.pq import Format

from askgres.engines.duckdb.result_types import OID
from askgres.proxy.wire import types as pgt
from askgres.proxy.wire.binary_values import binary_values
from askgres.proxy.wire.datarow import encode_data_rows
from askgres.proxy.wire.text_values import text_values
from askgres.proxy.wire.types import pg_type_for

VALUES = [23, None, 0, 2**32 - 1]


def oids(values=VALUES) -> pa.Array:
    return pa.ExtensionArray.from_storage(OID, pa.array(values, pa.uint32()))


def oid_lists() -> pa.Array:
    return pa.ListArray.from_arrays(pa.array([0, 2, 2, 4]), oids(), mask=pa.array([False, True, False]))


def test_announced_as_oid_and_oid_array():
    assert pg_type_for(OID).oid == pgt.OID == 26 and pg_type_for(OID).typlen == 4
    assert pg_type_for(pa.list_(OID)).oid == 1028
    assert pg_type_for(pa.list_(OID)).elem_oid == 26
    assert pg_type_for(pa.uint32()).oid == pgt.INT8  # user data: int8 holds every uint32


def test_binary_is_four_bytes_unsigned():
    raw = [None if v is None else bytes(v) for v in binary_values(oids()).as_array().to_pylist()]
    assert raw == [b"\x00\x00\x00\x17", None, b"\x00\x00\x00\x00", b"\xff\xff\xff\xff"]
    loader = Transformer().get_loader(pgt.OID, Format.BINARY)
    assert [None if v is None else loader.load(v) for v in raw] == VALUES


def test_binary_oid_array_has_element_oid_26():
    loader = Transformer().get_loader(1028, Format.BINARY)
    raw = binary_values(oid_lists()).as_array().to_pylist()
    assert raw[0][8:12] == (26).to_bytes(4, "big")
    assert [None if v is None else loader.load(v) for v in raw] == [[23, None], None, [0, 2**32 - 1]]


def test_text_is_decimal_digits():
    assert text_values(oids()).to_pylist() == [b"23", None, b"0", b"4294967295"]
    assert text_values(oid_lists()).to_pylist() == [b"{23,NULL}", None, b"{0,4294967295}"]


def test_data_rows_small_and_large_batches():
    """The tiny-batch path and the NumPy path lay oids out alike (binary: 4-byte fields)."""
    for n in (1, 100):
        batch = pa.RecordBatch.from_arrays([oids([5] * n)], ["oid"])
        rows = bytes(encode_data_rows(batch, [1]))
        assert rows == (b"D" + (4 + 2 + 4 + 4).to_bytes(4, "big") + b"\x00\x01"
                        + b"\x00\x00\x00\x04\x00\x00\x00\x05") * n
        text = bytes(encode_data_rows(batch, [0]))
        assert text == (b"D" + (4 + 2 + 4 + 1).to_bytes(4, "big") + b"\x00\x01" + b"\x00\x00\x00\x015") * n
