"""Bind parameter decoding: text values as PostgreSQL's input functions read them, binary
values as produced by psycopg's binary dumpers (an independent implementation of the
*_send layouts), and the SQLSTATEs of bad input."""

from __future__ import annotations

import datetime as dt
import math
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings, strategies as st
from psycopg.adapt import PyFormat, Transformer
from psycopg.types.numeric import (
    DecimalBinaryDumper, Float4BinaryDumper, FloatBinaryDumper, Int2BinaryDumper, Int4BinaryDumper,
    Int8BinaryDumper,
)

from askgres.proxy.errors import PgError
from askgres.proxy.wire.params import decode_param
from askgres.proxy.wire.interval_input import parse_interval

UTC = dt.timezone.utc


def text(value: str, oid: int, **kw):
    return decode_param(value.encode(), oid, 0, **kw)


def sqlstate(fn, *args, **kw) -> str:
    with pytest.raises(PgError) as err:
        fn(*args, **kw)
    return err.value.sqlstate


def dump_binary(value):
    """psycopg's binary dump of a Python value, with the OID it chose."""
    dumper = Transformer().get_dumper(value, PyFormat.BINARY)
    return bytes(dumper.dump(value)), dumper.oid


@pytest.mark.parametrize("oid", [0, 705, 25, 1043, 1042, 19])
def test_untyped_and_text_stay_strings(oid):
    assert text("42", oid) == "42"
    assert decode_param(b"x y", oid, 1) == "x y"
    assert decode_param(None, oid, 0) is None


TEXT_CASES = [
    ("42", 23, 42), (" -7 ", 20, -7), ("+5", 21, 5), ("1.5", 701, 1.5), ("-1e-5", 700, -1e-5),
    ("Infinity", 701, float("inf")), ("-inf", 701, float("-inf")), ("1.50", 1700, Decimal("1.50")),
    ("NaN", 1700, Decimal("NaN")), ("t", 16, True), ("TRUE", 16, True), ("yes", 16, True),
    ("on", 16, True), ("1", 16, True), ("f", 16, False), ("off", 16, False), (" no ", 16, False),
    ("\\x0aff", 17, b"\n\xff"), ("a\\\\b\\001", 17, b"a\\b\x01"), ("2024-01-02", 1082, dt.date(2024, 1, 2)),
    ("2024-01-02 03:04:05", 1082, dt.date(2024, 1, 2)), ("01/02/2024", 1082, dt.date(2024, 1, 2)),
    ("infinity", 1082, "infinity"), ("03:04:05.5", 1083, dt.time(3, 4, 5, 500000)),
    ("03:04:05+05:30", 1266, dt.time(3, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30)))),
    ("2024-01-02 03:04:05.123456", 1114, dt.datetime(2024, 1, 2, 3, 4, 5, 123456)),
    ("2024-01-02T03:04:05+02", 1114, dt.datetime(2024, 1, 2, 3, 4, 5)),
    ("2024-01-02 03:04:05+02", 1184, dt.datetime(2024, 1, 2, 1, 4, 5, tzinfo=UTC)),
    ("2024-01-02 03:04:05Z", 1184, dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)),
    ("2024-01-02 03:04:05.0000005", 1114, dt.datetime(2024, 1, 2, 3, 4, 5, 1)),
    ("2024-01-02 24:00:00", 1114, dt.datetime(2024, 1, 3)),
    ("1 day 02:00:00", 1186, dt.timedelta(days=1, hours=2)), ("-01:30:00", 1186, dt.timedelta(minutes=-90)),
    ("1 year 2 mons", 1186, "14 months 0 days 0 microseconds"),
    ("12345678-1234-5678-1234-567812345678", 2950, uuid.UUID("12345678-1234-5678-1234-567812345678")),
    ("{12345678-1234-5678-1234-567812345678}", 2950, uuid.UUID("12345678-1234-5678-1234-567812345678")),
    ('{"a": [1, 2]}', 114, '{"a": [1, 2]}'), ("[1]", 3802, "[1]"), ("x", 18, "x"), ("1259", 2205, 1259),
    ("pg_class", 2205, "pg_class"),
    ("{1,2,NULL}", 1007, [1, 2, None]), ("{}", 1007, []), ("{{1,2},{3,4}}", 1016, [[1, 2], [3, 4]]),
    ('{"a b","x\\"y",NULL,"NULL",plain, spaced }', 1009, ["a b", 'x"y', None, "NULL", "plain", "spaced"]),
    ("[0:1]={5,6}", 1007, [5, 6]), ("{2024-01-02,NULL}", 1182, [dt.date(2024, 1, 2), None]),
    ("{1.5,-2.25}", 1231, [Decimal("1.5"), Decimal("-2.25")]), ("{t,f}", 1000, [True, False]),
]


@pytest.mark.parametrize("value,oid,expected", TEXT_CASES, ids=[f"{c[1]}:{c[0]}" for c in TEXT_CASES])
def test_text_format(value, oid, expected):
    got = text(value, oid)
    if isinstance(expected, Decimal) and expected.is_nan():
        assert got.is_nan()
    else:
        assert got == expected and type(got) is type(expected)


def test_timestamptz_without_offset_uses_session_zone():
    got = text("2024-07-01 12:00:00", 1184, tz="Europe/Berlin")
    assert got == dt.datetime(2024, 7, 1, 10, tzinfo=UTC)
    assert got.tzinfo == ZoneInfo("Europe/Berlin")


BAD_TEXT = [
    ("abc", 23, "22P02"), ("1.5", 23, "22P02"), ("99999999999", 23, "22003"), ("40000", 21, "22003"),
    ("9223372036854775808", 20, "22003"), ("x", 16, "22P02"), ("", 16, "22P02"), ("1e400", 701, "22003"),
    ("1e39", 700, "22003"), ("1_000", 701, "22P02"), ("abc", 1700, "22P02"), ("2024-13-01", 1082, "22008"),
    ("yesterdayish", 1082, "22007"), ("25:00", 1083, "22008"), ("2024-01-02 03:04:05 Mars/Base", 1184, "22023"),
    ("zz", 2950, "22P02"), ("{1,2", 1007, "22P02"), ("{1,x}", 1007, "22P02"), ("1,2}", 1007, "22P02"),
    ("{bad json", 114, "22P02"), ("3 fortnights", 1186, "22007"), ("\\xzz", 17, "22023"), ("\\q", 17, "22P02"),
]


@pytest.mark.parametrize("value,oid,code", BAD_TEXT, ids=[f"{c[1]}:{c[0]}" for c in BAD_TEXT])
def test_bad_text_input(value, oid, code):
    assert sqlstate(text, value, oid) == code


def test_invalid_utf8():
    assert sqlstate(decode_param, b"\xff\xfe", 25, 0) == "22021"


BINARY_VALUES = [
    1, -(2**63), 2**62, 1.5, float("-inf"), Decimal("123.4500"), Decimal("-0.001"), Decimal("0"),
    True, False, b"\x00\xff", "ünï", dt.date(2024, 1, 2), dt.date(1, 1, 1),
    dt.datetime(2024, 1, 2, 3, 4, 5, 6), dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
    dt.time(3, 4, 5, 6), dt.timedelta(days=-3, seconds=5, microseconds=7),
    uuid.UUID("12345678-1234-5678-1234-567812345678"), [1, 2, None], [["a", None], ["b", "c"]],
    [dt.date(2024, 1, 1)], [Decimal("1.5"), None],
]


@pytest.mark.parametrize("value", BINARY_VALUES, ids=[repr(v)[:40] for v in BINARY_VALUES])
def test_binary_format_from_psycopg_dumpers(value):
    data, oid = dump_binary(value)
    got = decode_param(data, oid, 1)
    assert got == value
    if isinstance(value, Decimal):
        assert str(got) == str(value)  # the scale survives


def test_binary_fixed_width_types():
    assert decode_param(bytes(Int2BinaryDumper(int).dump(-5)), 21, 1) == -5
    assert decode_param(bytes(Int4BinaryDumper(int).dump(7)), 23, 1) == 7
    assert decode_param(bytes(Float4BinaryDumper(float).dump(1.5)), 700, 1) == 1.5
    assert math.isnan(decode_param(bytes(FloatBinaryDumper(float).dump(float("nan"))), 701, 1))
    assert decode_param(b"\x01" + b'{"a":1}', 3802, 1) == '{"a":1}'
    assert decode_param(b'{"a":1}', 114, 1) == '{"a":1}'
    assert decode_param((2**31 - 1).to_bytes(4, "big"), 1082, 1) == "infinity"
    assert decode_param((-(2**63)).to_bytes(8, "big", signed=True), 1114, 1) == "-infinity"
    interval = (5).to_bytes(8, "big") + (3).to_bytes(4, "big") + (14).to_bytes(4, "big")
    assert decode_param(interval, 1186, 1) == "14 months 3 days 5 microseconds"
    timetz = (3_600_000_000).to_bytes(8, "big") + (-7200).to_bytes(4, "big", signed=True)
    assert decode_param(timetz, 1266, 1) == dt.time(1, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert decode_param(bytes.fromhex("00000000 00000000 00000017"), 1007, 1) == []
    numeric_nan = bytes.fromhex("0000 0000 c000 0000")
    assert decode_param(numeric_nan, 1700, 1).is_nan()


BAD_BINARY = [
    (b"\x00\x01", 23), (b"\x00" * 9, 20), (b"", 16), (b"\x00" * 15, 2950), (b"\x00\x01", 1082),
    (bytes.fromhex("0001 0000 0000 0000"), 1700), (bytes.fromhex("0001 0000 0000 0000 2710"), 1700),
    (b"\x02{}", 3802), (bytes.fromhex("00000001 00000000 00000017 00000002 00000001 00000004 00000001"), 1007),
    (b"\xff", 25),
]


@pytest.mark.parametrize("value,oid", BAD_BINARY, ids=[f"{c[1]}:{c[0].hex()}" for c in BAD_BINARY])
def test_bad_binary_input(value, oid):
    assert sqlstate(decode_param, value, oid, 1) in ("22P03", "22021")


@settings(max_examples=200, deadline=None)
@given(st.integers(-(2**63), 2**63 - 1))
def test_int8_both_formats(v):
    assert decode_param(str(v).encode(), 20, 0) == v
    assert decode_param(bytes(Int8BinaryDumper(int).dump(v)), 20, 1) == v


@settings(max_examples=200, deadline=None)
@given(st.floats(allow_nan=False))
def test_float8_both_formats(v):
    assert decode_param(repr(v).encode(), 701, 0) == v
    assert decode_param(bytes(FloatBinaryDumper(float).dump(v)), 701, 1) == v


@settings(max_examples=200, deadline=None)
@given(st.decimals(allow_nan=False, allow_infinity=False, places=None))
def test_numeric_both_formats(v):
    assert decode_param(str(v).encode(), 1700, 0) == v
    got = decode_param(bytes(DecimalBinaryDumper(Decimal).dump(v)), 1700, 1)
    assert got == v


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)))
def test_timestamp_both_formats(v):
    assert decode_param(v.isoformat(sep=" ").encode(), 1114, 0) == v
    data, oid = dump_binary(v)
    assert decode_param(data, oid, 1) == v


@settings(max_examples=200, deadline=None)
@given(st.timedeltas(min_value=dt.timedelta(days=-(10**6)), max_value=dt.timedelta(days=10**6)))
def test_interval_both_formats(v):
    data, oid = dump_binary(v)
    assert decode_param(data, oid, 1) == v
    # psycopg's text dump of a timedelta ('-3 days, 0:00:05.000007' style) reads back the same
    text_dumper = Transformer().get_dumper(v, PyFormat.TEXT)
    assert decode_param(bytes(text_dumper.dump(v)), 1186, 0) == v


@pytest.mark.parametrize(
    "value,expected",
    [("1 year 2 mons 3 days 04:05:06.5", (14, 3, 14_706_500_000)), ("-1 days -02:00:00", (0, -1, -7_200_000_000)),
     ("P1Y2M3DT4H5M6S", (14, 3, 14_706_000_000)), ("@ 1 hour ago", (0, 0, -3_600_000_000)),
     ("1 12:00:00", (0, 1, 43_200_000_000)), ("90", (0, 0, 90_000_000)), ("1.5 years", (18, 0, 0)),
     ("1 year -2 mons +3 days -04:05:06", (10, 3, -14_706_000_000)), ("2 weeks 1 ms", (0, 14, 1000)),
     ("1.5 days", (0, 1, 43_200_000_000))],
)
def test_interval_text_forms(value, expected):
    assert parse_interval(value) == expected
