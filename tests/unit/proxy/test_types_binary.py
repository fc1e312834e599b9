"""Binary-format encoders, checked with psycopg's binary loaders (an independent
implementation of PostgreSQL's *_recv layouts) and psycopg's binary dumpers."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import duckdb
import pyarrow as pa
import pytest
from hypothesis import given, settings, strategies as st
from psycopg.adapt import Transformer
from psycopg.pq import Format
from psycopg.types.numeric import DecimalBinaryDumper, Int8BinaryDumper

from askgres.proxy.errors import PgError
from askgres.proxy.wire.binary_values import binary_values
from askgres.proxy.wire.types import pg_type_for

UTC = dt.timezone.utc


def raw(values, arrow_type=None):
    arr = values if isinstance(values, pa.Array) else pa.array(values, arrow_type)
    return [None if v is None else bytes(v) for v in binary_values(arr).as_array().to_pylist()]


def load(values, arrow_type=None):
    arr = values if isinstance(values, pa.Array) else pa.array(values, arrow_type)
    loader = Transformer().get_loader(pg_type_for(arr.type).oid, Format.BINARY)
    return [None if v is None else loader.load(v) for v in raw(arr)]


CASES = [
    ([True, False, None], pa.bool_()),
    ([0, -32768, 32767, None], pa.int16()),
    ([1, 200, None], pa.uint8()),
    ([-(2**31), 2**31 - 1, None], pa.int32()),
    ([-(2**63), 2**63 - 1, 0, None], pa.int64()),
    ([1.5, -0.0, float("inf"), 1e300, None], pa.float64()),
    ([1.5, -2.25, None], pa.float32()),
    (["x y", "", "ünï", None], pa.string()),
    ([b"\x00\x01\xff", b"", None], pa.binary()),
    ([dt.date(2024, 1, 2), dt.date(1, 1, 1), dt.date(9999, 12, 31), None], pa.date32()),
    ([dt.time(3, 4, 5, 120000), dt.time(0), None], pa.time64("us")),
    ([dt.datetime(2024, 1, 2, 3, 4, 5, 120000), dt.datetime(1, 1, 1), None], pa.timestamp("us")),
    ([dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC), dt.datetime(1999, 12, 31, 23, tzinfo=UTC)], pa.timestamp("us", "UTC")),
    ([dt.timedelta(days=3, seconds=5, microseconds=7), dt.timedelta(hours=-36), None], pa.duration("us")),
    ([[1, 2, None], [], None, [3]], pa.list_(pa.int32())),
    ([["a b", None, ""], ["é"]], pa.list_(pa.string())),
    ([[1.5, None]], pa.list_(pa.float64())),
    ([[dt.date(2024, 1, 2)]], pa.list_(pa.date32())),
    ([[True], [False, None]], pa.list_(pa.bool_())),
]


@pytest.mark.parametrize("values,arrow_type", CASES, ids=[str(c[1]) for c in CASES])
def test_psycopg_loads_what_we_send(values, arrow_type):
    assert load(values, arrow_type) == values


def test_decimals():
    values = [Decimal("1.50"), Decimal("-0.05"), Decimal("0.00"), Decimal("12345678.12"), None]
    assert load(values, pa.decimal128(10, 2)) == values
    big = Decimal("12345678901234567890123456789012345678")
    assert load([big, Decimal("-1"), Decimal("10000"), Decimal("0")], pa.decimal128(38, 0)) == [
        big, Decimal("-1"), Decimal("10000"), Decimal("0")]
    # Same bytes as psycopg's own numeric dumper (which strips zero digit groups like PG does).
    dumper = DecimalBinaryDumper(Decimal)
    for v in (Decimal("1.50"), Decimal("-0.05"), Decimal("10000.00"), Decimal("0.01")):
        assert raw([v], pa.decimal128(12, 2)) == [bytes(dumper.dump(v))]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.decimals(min_value=-(10**20), max_value=10**20, places=6, allow_nan=False), max_size=30))
def test_numeric_round_trip(values):
    typ = pa.decimal128(27, 6)
    assert load(values, typ) == [v.quantize(Decimal("0.000001")) for v in values]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(-(2**63), 2**63 - 1)), max_size=40))
def test_int8_matches_psycopg_dumper(values):
    d = Int8BinaryDumper(int)
    assert raw(values, pa.int64()) == [None if v is None else bytes(d.dump(v)) for v in values]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)), max_size=30))
def test_timestamp_round_trip(values):
    assert load(values, pa.timestamp("us")) == values


def test_interval_layout():
    arr = pa.array([pa.MonthDayNano((14, 3, 5_000_000_000)), None], pa.month_day_nano_interval())
    assert raw(arr) == [(5_000_000).to_bytes(8, "big", signed=True) + (3).to_bytes(4, "big") + (14).to_bytes(4, "big"), None]
    # psycopg folds a year into 365 days and a month into 30 when it loads an interval
    assert load(arr) == [dt.timedelta(days=365 + 2 * 30 + 3, seconds=5), None]


def test_infinite_dates_and_timestamps():
    dates = pa.array([2**31 - 1, -(2**31 - 1)], pa.int32()).view(pa.date32())
    assert raw(dates) == [(2**31 - 1).to_bytes(4, "big", signed=True), (-(2**31)).to_bytes(4, "big", signed=True)]
    ts = pa.array([2**63 - 1, -(2**63 - 1)], pa.int64()).view(pa.timestamp("us"))
    assert raw(ts) == [(2**63 - 1).to_bytes(8, "big", signed=True), (-(2**63)).to_bytes(8, "big", signed=True)]


def test_uuid_json_and_duckdb_extensions():
    u = uuid.UUID("12345678-1234-5678-1234-567812345678")
    arr = pa.ExtensionArray.from_storage(pa.uuid(), pa.array([u.bytes, None], pa.binary(16)))
    assert load(arr) == [u, None]
    con = duckdb.connect()
    con.execute("set arrow_lossless_conversion=true")
    t = con.sql("""select '{"a": 1}'::json j, 123::hugeint h, timetz '03:04:05+05:30' tt, true b""").to_arrow_table()
    loaded = [load(c.combine_chunks())[0] for c in t.columns]
    assert loaded[0] == {"a": 1}
    assert loaded[1] == Decimal(123)
    assert loaded[2] == dt.time(3, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30)))
    assert loaded[3] is True


def test_nested_arrays_and_header():
    arr = pa.array([[[1, 2], [3, 4]], [[5, 6]]], pa.list_(pa.list_(pa.int32())))
    assert load(arr) == [[[1, 2], [3, 4]], [[5, 6]]]
    (first,) = raw(pa.array([[7, None]], pa.list_(pa.int32())))
    # ndim 1, has-nulls 1, int4, size 2, lower bound 1, then (len 4, 7), (len -1)
    assert first == bytes.fromhex("00000001" "00000001" "00000017" "00000002" "00000001"
                                  "00000004" "00000007" "ffffffff")
    (empty,) = raw(pa.array([[]], pa.list_(pa.int32())))
    assert empty == bytes.fromhex("00000000" "00000000" "00000017")


def test_ragged_nested_arrays_are_rejected():
    arr = pa.array([[[1, 2], [3]]], pa.list_(pa.list_(pa.int32())))
    with pytest.raises(PgError) as err:
        raw(arr)
    assert err.value.sqlstate == "2202E"


def test_sliced_arrays():
    arr = pa.array([[1], [2, 3], None, [4]], pa.list_(pa.int64())).slice(1, 3)
    assert load(arr) == [[2, 3], None, [4]]
    assert load(pa.array([1, 2, None, 4], pa.int32()).slice(1)) == [2, None, 4]
    assert load(pa.array([Decimal("1.5"), None, Decimal("2.5")], pa.decimal128(5, 1)).slice(1)) == [None, Decimal("2.5")]


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 18), st.lists(st.one_of(st.none(), st.integers(-(10**18) + 1, 10**18 - 1)), max_size=20))
def test_numeric_int64_path_every_scale(scale, unscaled):
    # precision 18 takes the integer path; the same values at precision 19 take the text path
    values = [None if u is None else Decimal(u).scaleb(-scale) for u in unscaled]
    fast = raw(values, pa.decimal128(18, scale))
    assert fast == raw(values, pa.decimal128(19, scale))
    assert load(values, pa.decimal128(18, scale)) == values


def test_duckdb_bignum_bit_and_map():
    con = duckdb.connect()
    con.execute("set arrow_lossless_conversion=true")
    t = con.sql("select 123456789012345678901234567890::varint n, (-5)::varint m, '10110'::bit b, "
                "map {'k': 1} mp").to_arrow_table()
    assert [load(t.column(i).combine_chunks())[0] for i in range(2)] == [
        Decimal("123456789012345678901234567890"), Decimal(-5)]
    assert raw(t.column("b").combine_chunks()) == [(5).to_bytes(4, "big") + bytes([0b10110000])]
    from askgres.proxy.wire.text_values import text_values

    assert [text_values(t.column(i)).to_pylist()[0] for i in range(4)] == [
        b"123456789012345678901234567890", b"-5", b"10110", b'{"k": 1}']
