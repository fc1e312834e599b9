"""COPY TO STDOUT / FROM STDIN payloads: PostgreSQL 15's exact output for text and CSV
(expected bytes taken from a real server's COPY of the same rows) and round trips."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pyarrow as pa
import pytest
from hypothesis import given, settings, strategies as st

from askgres.proxy.errors import PgError
from askgres.proxy.wire.copy_format import decode_copy, encode_copy_rows

UTC = dt.timezone.utc

TABLE = pa.table({
    "i": pa.array([1, None, 3]),
    "s": pa.array(["a\tb\\c\nd", None, ""]),
    "f": [1.5, None, float("nan")],
    "d": [dt.date(2024, 1, 2), None, dt.date(2000, 1, 1)],
    "b": [True, None, False],
    "ts": pa.array([dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC), None, None], pa.timestamp("us", "UTC")),
    "l": pa.array([[1, None], None, []]),
})
# psql: COPY (SELECT ... the same rows ...) TO STDOUT [WITH (FORMAT csv, HEADER)]
PG_TEXT = (b"1\ta\\tb\\\\c\\nd\t1.5\t2024-01-02\tt\t2024-01-02 03:04:05+00\t{1,NULL}\n"
           b"\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\n"
           b"3\t\tNaN\t2000-01-01\tf\t\\N\t{}\n")
PG_CSV = (b"i,s,f,d,b,ts,l\n"
          b'1,"a\tb\\c\nd",1.5,2024-01-02,t,2024-01-02 03:04:05+00,"{1,NULL}"\n'
          b",,,,,,\n"
          b'3,"",NaN,2000-01-01,f,,{}\n')


def test_text_output_matches_postgres():
    assert encode_copy_rows(TABLE, fmt="text") == PG_TEXT


def test_csv_output_matches_postgres():
    assert encode_copy_rows(TABLE, fmt="csv", header=True) == PG_CSV


def _same(a: pa.Table, b: pa.Table) -> bool:
    def norm(rows):
        return [{k: ("nan" if isinstance(v, float) and v != v else v) for k, v in r.items()} for r in rows]
    return norm(a.to_pylist()) == norm(b.to_pylist())


@pytest.mark.parametrize("fmt,data,header", [("text", PG_TEXT, False), ("csv", PG_CSV, True)])
def test_decode_postgres_output(fmt, data, header):
    assert _same(decode_copy(data, TABLE.schema, fmt=fmt, delimiter=None, null=None, header=header), TABLE)


def test_options_delimiter_null_quote_escape():
    t = pa.table({"a": ["x|y", "q'uote", None, "NULL"], "n": [1, 2, 3, None]})
    out = encode_copy_rows(t, fmt="text", delimiter="|", null="NULL")
    assert out == b"x\\|y|1\nq'uote|2\nNULL|3\nNULL|NULL\n"  # a data value equal to NULL is ambiguous, as in PG
    csv = encode_copy_rows(t, fmt="csv", delimiter=";", null="NULL", quote="'", escape="\\")
    assert csv == b"x|y;1\n'q\\'uote';2\nNULL;3\n'NULL';NULL\n"
    back = decode_copy(csv, t.schema, fmt="csv", delimiter=";", null="NULL", header=False, quote="'", escape="\\")
    assert back.to_pylist() == t.to_pylist()
    assert encode_copy_rows(t.select(["n"]), fmt="csv", force_quote=True) == b'"1"\n"2"\n"3"\n\n'


def test_single_column_end_marker_is_quoted_in_csv():
    t = pa.table({"a": ["\\.", "x"]})
    assert encode_copy_rows(t, fmt="csv") == b'"\\."\nx\n'


def test_header_only_and_empty_batch():
    empty = pa.table({"a": pa.array([], pa.int64()), "b c": pa.array([], pa.string())})
    assert encode_copy_rows(empty, fmt="csv", header=True) == b'a,b c\n'
    assert encode_copy_rows(empty, fmt="text") == b""
    assert decode_copy(b"", empty.schema, fmt="text").num_rows == 0


def test_end_of_data_marker_and_escapes_on_input():
    schema = pa.schema([("s", pa.string()), ("n", pa.int32())])
    data = b"a\\x41\\101\\\\z\t1\nplain\t\\N\n\\.\nignored\t9\n"
    assert decode_copy(data, schema, fmt="text").to_pylist() == [
        {"s": "aAA\\z", "n": 1}, {"s": "plain", "n": None}]


def test_typed_columns_from_text():
    schema = pa.schema([("b", pa.bool_()), ("n", pa.decimal128(10, 2)), ("ts", pa.timestamp("us")),
                        ("tz", pa.timestamp("us", "UTC")), ("f", pa.float64()), ("by", pa.binary()),
                        ("iv", pa.month_day_nano_interval())])
    data = b"t\t1.50\t2024-01-02 03:04:05.5\t2024-01-02 03:04:05+02\tInfinity\t\\\\x00ff\t1 day 01:00:00\n"
    row = decode_copy(data, schema, fmt="text").to_pylist()[0]
    assert row["b"] is True and row["n"] == Decimal("1.50") and row["f"] == float("inf")
    assert row["ts"] == dt.datetime(2024, 1, 2, 3, 4, 5, 500000)
    assert row["tz"] == dt.datetime(2024, 1, 2, 1, 4, 5, tzinfo=UTC)
    assert row["by"] == b"\x00\xff"
    assert row["iv"] == pa.MonthDayNano([0, 1, 3600 * 10**9])


@pytest.mark.parametrize("fmt", ["text", "csv"])
def test_bad_input_raises_with_sqlstate(fmt):
    schema = pa.schema([("n", pa.int32())])
    with pytest.raises(PgError) as err:
        decode_copy(b"abc\n", schema, fmt=fmt)
    assert err.value.sqlstate.startswith("22")
    with pytest.raises(PgError):
        decode_copy(b"1\t2\n" if fmt == "text" else b"1,2\n", schema, fmt=fmt)


awkward_text = st.text(alphabet=st.sampled_from(list("ab ,\t\n\r\\\"'{}N.é\x01")), max_size=12)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.none(), awkward_text), st.one_of(st.none(), st.integers(-5, 5))),
                min_size=1, max_size=20),
       st.sampled_from(["text", "csv"]))
def test_round_trip(rows, fmt):
    t = pa.table({"s": pa.array([r[0] for r in rows], pa.string()), "n": pa.array([r[1] for r in rows], pa.int64())})
    data = encode_copy_rows(t, fmt=fmt, header=True)
    assert decode_copy(data, t.schema, fmt=fmt, header=True).to_pylist() == t.to_pylist()
