"""Text-format encoders: explicit expected strings for the tricky cases (as PostgreSQL 15
prints them with DateStyle ISO, IntervalStyle postgres, extra_float_digits 1), and psycopg's
own text loaders as an independent decoder."""

from __future__ import annotations

import datetime as dt
import math
import uuid
from decimal import Context, Decimal

import duckdb
from zoneinfo import ZoneInfo
import pyarrow as pa
import pytest
from hypothesis import given, settings, strategies as st
from psycopg.adapt import Transformer
from psycopg.pq import Format

from askgres.proxy.wire.text_values import text_values
from askgres.proxy.wire.types import pg_type_for

UTC = dt.timezone.utc


def out(values, arrow_type=None, tz="UTC"):
    arr = values if isinstance(values, (pa.Array, pa.ChunkedArray)) else pa.array(values, arrow_type)
    return [None if v is None else v.decode() for v in text_values(arr, tz).to_pylist()]


def load(values, arrow_type):
    """Decode our text output with psycopg's loader for the announced type."""
    arr = pa.array(values, arrow_type)
    loader = Transformer().get_loader(pg_type_for(arrow_type).oid, Format.TEXT)
    return [None if v is None else loader.load(v) for v in text_values(arr).to_pylist()]


FLOAT8 = [
    (1.5, "1.5"), (1e20, "1e+20"), (1.2345678901234567e-05, "1.2345678901234568e-05"),
    (float("inf"), "Infinity"), (float("-inf"), "-Infinity"), (float("nan"), "NaN"), (-0.0, "-0"),
    (0.0, "0"), (1e15, "1e+15"), (1e14, "100000000000000"), (123456789012345.0, "123456789012345"),
    (999999999999999.9, "999999999999999.9"), (1e-4, "0.0001"), (1e-5, "1e-05"), (3e-7, "3e-07"),
    (5e-324, "5e-324"), (1.7976931348623157e308, "1.7976931348623157e+308"), (0.1, "0.1"),
    (100.0, "100"), (-12345678912.5, "-12345678912.5"), (1e100, "1e+100"), (2.5e-100, "2.5e-100"),
]


def test_float8():
    assert out([v for v, _ in FLOAT8] + [None], pa.float64()) == [t for _, t in FLOAT8] + [None]


def test_float4():
    values = [1.5, 1e6, 999999.0, 1234567.0, 0.1, 3.4028235e38, 1e-4, 1e-5, 12345.5, 100.0, -2.5e-7]
    expected = ["1.5", "1e+06", "999999", "1.234567e+06", "0.1", "3.4028235e+38", "0.0001", "1e-05",
                "12345.5", "100", "-2.5e-07"]
    assert out(values, pa.float32()) == expected
    assert out([1.5, None], pa.float16()) == ["1.5", None]


def _pg_float8_reference(x: float) -> str:
    """PostgreSQL's float8out layout, built from Python's shortest repr digits."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "-0" if math.copysign(1, x) < 0 else "0"
    mantissa, _, exp = f"{x:.17e}".partition("e")
    digits_exp = repr(abs(x))
    d = Decimal(digits_exp)
    sign, digits, e = d.as_tuple()
    digits = "".join(map(str, digits)).rstrip("0") or "0"
    point = len(d.as_tuple().digits) + e - 1  # decimal exponent of the first digit
    neg = "-" if x < 0 else ""
    if -4 <= point < 15:
        if point >= len(digits) - 1:
            return neg + digits + "0" * (point - len(digits) + 1)
        if point >= 0:
            return neg + digits[: point + 1] + "." + digits[point + 1 :]
        return neg + "0." + "0" * (-point - 1) + digits
    tail = "." + digits[1:] if len(digits) > 1 else ""
    return f"{neg}{digits[0]}{tail}e{'-' if point < 0 else '+'}{abs(point):02d}"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=50))
def test_float8_matches_reference_layout(values):
    assert out(values, pa.float64()) == [_pg_float8_reference(v) for v in values]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1, max_size=50))
def test_float8_round_trips_through_psycopg(values):
    assert load(values, pa.float64()) == values


def test_integers_and_bool():
    assert out([0, -32768, 32767, None], pa.int16()) == ["0", "-32768", "32767", None]
    assert out([-(2**63), 2**63 - 1], pa.int64()) == ["-9223372036854775808", "9223372036854775807"]
    assert out([2**64 - 1], pa.uint64()) == ["18446744073709551615"]
    assert out([True, False, None], pa.bool_()) == ["t", "f", None]


def test_numeric_keeps_scale():
    assert out([Decimal("1.50"), Decimal("-0.05"), Decimal("0"), None], pa.decimal128(10, 2)) == [
        "1.50", "-0.05", "0.00", None]
    big = Decimal("12345678901234567890123456789012345678")
    neg = Decimal("-" + str(big))
    assert out([big, neg], pa.decimal128(38, 0)) == [str(big), "-" + str(big)]
    assert load([Decimal("123.4500")], pa.decimal128(20, 4)) == [Decimal("123.4500")]


def test_text_and_bytea():
    assert out(["x y", "", "ünï", None], pa.string()) == ["x y", "", "ünï", None]
    assert out(["a"], pa.large_string()) == ["a"]
    assert out([b"\x00\x01\xff", b"", None], pa.binary()) == ["\\x0001ff", "\\x", None]
    assert load([b"\x00\xde\xad"], pa.binary()) == [b"\x00\xde\xad"]


def test_dates_and_timestamps():
    assert out([dt.date(2024, 1, 2), dt.date(1, 1, 1), None], pa.date32()) == ["2024-01-02", "0001-01-01", None]
    ts = [dt.datetime(2024, 1, 2, 3, 4, 5, 120000), dt.datetime(2024, 1, 2), dt.datetime(1, 1, 1, 0, 0, 0, 1)]
    assert out(ts, pa.timestamp("us")) == ["2024-01-02 03:04:05.12", "2024-01-02 00:00:00", "0001-01-01 00:00:00.000001"]
    assert out([0], pa.timestamp("s")) == ["1970-01-01 00:00:00"]
    # Nanoseconds are floored to microseconds (PostgreSQL has no finer resolution).
    assert out([1_500_000_999, -1], pa.timestamp("ns")) == ["1970-01-01 00:00:01.5", "1969-12-31 23:59:59.999999"]
    assert out([dt.time(3, 4, 5, 120000), dt.time(0), dt.time(23, 59, 59, 999999)], pa.time64("us")) == [
        "03:04:05.12", "00:00:00", "23:59:59.999999"]
    assert load(ts, pa.timestamp("us")) == ts


def test_bc_and_infinite_dates():
    # Arrow counts years astronomically (0 = 1 BC); PostgreSQL writes '0001 BC'.
    days_1bc = (dt.date(1, 1, 1) - dt.date(1970, 1, 1)).days - 366
    assert out(pa.array([days_1bc], pa.int32()).view(pa.date32())) == ["0001-01-01 BC"]
    assert out(pa.array([2**31 - 1, -(2**31 - 1)], pa.int32()).view(pa.date32())) == ["infinity", "-infinity"]
    con = duckdb.connect()
    table = con.sql("select 'infinity'::timestamp a, '-infinity'::timestamp b, "
                    "(date '0044-03-15 (BC)')::timestamp c").to_arrow_table()
    assert [out(table.column(i))[0] for i in range(3)] == ["infinity", "-infinity", "0044-03-15 00:00:00 BC"]


def test_timestamptz_in_session_time_zone():
    values = [dt.datetime(2024, 1, 2, 3, 4, 5, 120000, tzinfo=UTC), dt.datetime(2024, 7, 1, 12, tzinfo=UTC), None]
    arr = pa.array(values, pa.timestamp("us", "UTC"))
    assert out(arr) == ["2024-01-02 03:04:05.12+00", "2024-07-01 12:00:00+00", None]
    assert out(arr, tz="Europe/Berlin") == ["2024-01-02 04:04:05.12+01", "2024-07-01 14:00:00+02", None]
    assert out(arr, tz="Asia/Kolkata") == ["2024-01-02 08:34:05.12+05:30", "2024-07-01 17:30:00+05:30", None]
    assert out(arr, tz="America/New_York") == ["2024-01-01 22:04:05.12-05", "2024-07-01 08:00:00-04", None]
    assert out([dt.datetime(1900, 1, 1, tzinfo=UTC)], pa.timestamp("us", "UTC"), tz="Europe/Amsterdam") == [
        "1900-01-01 00:19:32+00:19:32"]
    assert load(values, pa.timestamp("us", "UTC")) == values


INTERVALS = [
    ((14, 3, (4 * 3600 + 5 * 60 + 6) * 10**9 + 500_000_000), "1 year 2 mons 3 days 04:05:06.5"),
    ((-10, -3, 0), "-10 mons -3 days"), ((0, 0, 0), "00:00:00"),
    ((0, 0, -(5 * 3600) * 10**9 - 3000), "-05:00:00.000003"), ((-12, 2, 1000), "-1 years +2 days 00:00:00.000001"),
    ((1, 1, 10**9), "1 mon 1 day 00:00:01"), ((0, 0, 100 * 3600 * 10**9), "100:00:00"),
    ((-13, 0, 0), "-1 years -1 mons"), ((24, 0, 0), "2 years"), ((0, -1, 3600 * 10**9), "-1 days +01:00:00"),
    ((0, 1, -3600 * 10**9), "1 day -01:00:00"), ((-1, 0, 3600 * 10**9), "-1 mons +01:00:00"),
]


def test_interval():
    arr = pa.array([pa.MonthDayNano(v) for v, _ in INTERVALS] + [None], pa.month_day_nano_interval())
    assert out(arr) == [t for _, t in INTERVALS] + [None]
    assert out([dt.timedelta(hours=36, microseconds=5)], pa.duration("us")) == ["36:00:00.000005"]
    loaded = load([dt.timedelta(days=2, seconds=5)], pa.duration("us"))
    assert loaded == [dt.timedelta(days=2, seconds=5)]


def test_uuid_json_and_duckdb_extensions():
    u = uuid.UUID("12345678-1234-5678-1234-567812345678")
    arr = pa.ExtensionArray.from_storage(pa.uuid(), pa.array([u.bytes, None], pa.binary(16)))
    assert out(arr) == [str(u), None]
    con = duckdb.connect()
    con.execute("set arrow_lossless_conversion=true")
    t = con.sql("""select '{"a": [1]}'::json j, 123::hugeint h, -5::hugeint h2, timetz '03:04:05.5+05:30' tt,
                   '101'::bit b, true bo, 'ok'::enum('ok', 'no') e""").to_arrow_table()
    assert [out(c)[0] for c in t.columns] == ['{"a": [1]}', "123", "-5", "03:04:05.5+05:30", "101", "t", "ok"]


ARRAYS = [
    ([[1, 2, None], [], None, [3]], pa.list_(pa.int32()), ["{1,2,NULL}", "{}", None, "{3}"]),
    ([["a b", "NULL", "x,y", 'q"', "b\\s", "", None, "null", "{}", "ok", "é"]], pa.list_(pa.string()),
     ['{"a b","NULL","x,y","q\\"","b\\\\s","",NULL,"null","{}",ok,é}']),
    ([[[1, 2], [3, 4]], [[5]]], pa.list_(pa.list_(pa.int64())), ["{{1,2},{3,4}}", "{{5}}"]),
    ([[1.5, None, float("nan")]], pa.list_(pa.float64()), ["{1.5,NULL,NaN}"]),
    ([[dt.datetime(2024, 1, 2, 3, 4, 5)]], pa.list_(pa.timestamp("us")), ['{"2024-01-02 03:04:05"}']),
    ([[b"\x01"]], pa.list_(pa.binary()), ['{"\\\\x01"}']),
    ([[True, False]], pa.list_(pa.bool_()), ["{t,f}"]),
    ([[1, 2]], pa.list_(pa.int16(), 2), ["{1,2}"]),
    ([["tab\there"]], pa.large_list(pa.string()), ['{"tab\there"}']),
]


@pytest.mark.parametrize("values,arrow_type,expected", ARRAYS, ids=[str(a[1]) for a in ARRAYS])
def test_arrays(values, arrow_type, expected):
    assert out(values, arrow_type) == expected


def test_arrays_load_back_with_psycopg():
    values = [["a b", 'q"', "b\\s", None, "NULL", ""], []]
    assert load(values, pa.list_(pa.string())) == values
    assert load([[1, None, 3]], pa.list_(pa.int64())) == [[1, None, 3]]


def test_sliced_and_chunked_inputs():
    arr = pa.array([[1], [2, 3], None, [4]], pa.list_(pa.int32())).slice(1, 2)
    assert out(arr) == ["{2,3}", None]
    chunked = pa.chunked_array([pa.array([1.5]), pa.array([None, 2.0])])
    assert out(chunked) == ["1.5", None, "2"]
    assert out(pa.array([b"ab", b"cd", None], pa.binary()).slice(1)) == ["\\x6364", None]


def test_struct_map_and_null_as_json_text():
    s = pa.array([{"a": 1, "b": "x"}, None], pa.struct([("a", pa.int32()), ("b", pa.string())]))
    assert out(s) == ['{"a": 1, "b": "x"}', None]
    assert out(pa.nulls(2)) == [None, None]
    assert out(pa.array([1, 2], pa.int8()).dictionary_encode()) == ["1", "2"]


def test_numeric_small_values_never_scientific():
    # Arrow's own decimal->string writes '1E-7' for these; numeric_out never does.
    assert out([Decimal("0E-7"), Decimal("1E-7"), Decimal("-0.0000012"), Decimal("12.5000000"), None],
               pa.decimal128(18, 7)) == ["0.0000000", "0.0000001", "-0.0000012", "12.5000000", None]
    assert out([Decimal("0E-20"), Decimal("-1E-20")], pa.decimal128(38, 20)) == [
        "0." + "0" * 20, "-0." + "0" * 19 + "1"]


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 30), st.lists(st.one_of(st.none(), st.integers(-(10**30) + 1, 10**30 - 1)), max_size=20))
def test_numeric_text_matches_decimal_formatting(scale, unscaled):
    wide = Context(prec=100)
    values = [None if u is None else Decimal(u).scaleb(-scale, context=wide) for u in unscaled]
    expected = [None if v is None else f"{v:f}" for v in values]
    assert out(values, pa.decimal128(38, scale)) == expected
    if scale > 18:
        return
    small = [v if v is None or abs(v) < Decimal(10) ** (18 - scale) else None for v in values]
    assert out(small, pa.decimal128(18, scale)) == [None if v is None else f"{v:f}" for v in small]


def _pg_timestamp(v: dt.datetime) -> str:
    text = f"{v.year:04d}-{v:%m-%d %H:%M:%S}"
    return text + (f".{v.microsecond:06d}".rstrip("0") if v.microsecond else "")


def _pg_offset(v: dt.datetime) -> str:
    seconds = int(v.utcoffset().total_seconds())
    sign, seconds = ("-" if seconds < 0 else "+"), abs(seconds)
    h, m, s = seconds // 3600, seconds // 60 % 60, seconds % 60
    return f"{sign}{h:02d}" + (f":{m:02d}" if m or s else "") + (f":{s:02d}" if s else "")


datetimes = st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), datetimes), max_size=30))
def test_timestamp_text_against_python(values):
    assert out(values, pa.timestamp("us")) == [None if v is None else _pg_timestamp(v) for v in values]
    dates = [None if v is None else v.date() for v in values]
    assert out(dates, pa.date32()) == [None if d is None else f"{d.year:04d}-{d:%m-%d}" for d in dates]
    times = [None if v is None else v.time() for v in values]
    assert out(times, pa.time64("us")) == [None if v is None else _pg_timestamp(v)[11:] for v in values]


@settings(max_examples=60, deadline=None)
@given(st.lists(datetimes, max_size=20),
       st.sampled_from(["UTC", "Europe/Berlin", "Asia/Kolkata", "America/St_Johns", "Australia/Lord_Howe"]))
def test_timestamptz_text_against_zoneinfo(values, zone):
    aware = [v.replace(tzinfo=UTC) for v in values]
    local = [v.astimezone(ZoneInfo(zone)) for v in aware]
    expected = [_pg_timestamp(v.replace(tzinfo=None)) + _pg_offset(v) for v in local]
    assert out(aware, pa.timestamp("us", "UTC"), tz=zone) == expected
