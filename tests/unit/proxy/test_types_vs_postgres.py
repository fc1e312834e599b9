"""Differential: for each type, the bytes a real PostgreSQL 15 sends (text and binary, via
libpq's raw result values) equal the bytes our encoders produce for the same values."""

from __future__ import annotations

import datetime as dt
import sys
import uuid
from decimal import Decimal as D
from pathlib import Path

import psycopg
import pyarrow as pa
import pytest
from psycopg import sql

from askgres.proxy.wire.copy_format import encode_copy_rows
from askgres.proxy.wire.datarow import encode_column

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.support.postgres import PostgresUnavailable, start_postgres  # noqa: E402

pytestmark = pytest.mark.differential
UTC = dt.timezone.utc


@pytest.fixture(scope="module")
def pg(tmp_path_factory):
    try:
        server = start_postgres(tmp_path_factory.mktemp("pg-types"))
    except PostgresUnavailable as exc:
        pytest.fail(f"real PostgreSQL needed: {exc}")
    with psycopg.connect(server.dsn, autocommit=True) as conn:
        conn.execute("SET TimeZone = 'UTC'")
        yield conn
    server.stop()


def pg_values(conn, values, pgtype: str, fmt: int) -> list[bytes | None]:
    rows = sql.SQL(",").join(
        sql.SQL("({},{})").format(sql.Literal(i), sql.Literal(v) if v is not None else sql.NULL)
        for i, v in enumerate(values))
    query = sql.SQL("SELECT (v)::{} FROM (VALUES {}) t(i, v) ORDER BY i").format(sql.SQL(pgtype), rows)
    res = conn.pgconn.exec_params(query.as_string(conn).encode(), [], result_format=fmt)
    assert res.status == psycopg.pq.ExecStatus.TUPLES_OK, res.error_message
    return [res.get_value(i, 0) for i in range(res.ntuples)]


def ours(arr: pa.Array, fmt: int) -> list[bytes | None]:
    return [None if v is None else bytes(v) for v in encode_column(arr, fmt).as_array().to_pylist()]


U = uuid.UUID("12345678-1234-5678-1234-567812345678")
CASES = [
    ("float8", pa.float64(), [1.5, 1e20, 1.2345678901234567e-05, float("inf"), float("-inf"), float("nan"),
                              0.0, 1e15, 1e14, 123456789012345.0, 1e16, 1e-5, 5e-324, 1.7976931348623157e308,
                              0.1, 123.456, None, 1e10, 12345678912.5, 99999999999999.9, 3e-7]),
    ("float4", pa.float32(), [1.5, 1e20, 1.2345678e-05, 1e6, 999999.0, 1234567.0, 0.1, None, 3.4028235e38,
                              1e-4, 1e-5, 12345.5]),
    ("numeric(10,2)", pa.decimal128(10, 2), [D("1.50"), D("-0.05"), D("0"), None, D("12345678.12"),
                                             D("-99999999.99"), D("0.01")]),
    ("numeric(38,0)", pa.decimal128(38, 0), [D("12345678901234567890123456789012345678"), D("-1"), D("0"),
                                             D("10000"), D("100000000")]),
    ("numeric(30,9)", pa.decimal128(30, 9), [D("1.5"), D("-0.00001"), D("123456789.123456789")]),
    ("date", pa.date32(), [dt.date(2024, 1, 2), dt.date(1, 1, 1), dt.date(9999, 12, 31), None, dt.date(1970, 1, 1)]),
    ("timestamp", pa.timestamp("us"), [dt.datetime(2024, 1, 2, 3, 4, 5, 120000), dt.datetime(2024, 1, 2),
                                       dt.datetime(1, 1, 1, 0, 0, 0, 1), None]),
    ("timestamptz", pa.timestamp("us", "UTC"), [dt.datetime(2024, 1, 2, 3, 4, 5, 120000, tzinfo=UTC),
                                                dt.datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)]),
    ("time", pa.time64("us"), [dt.time(3, 4, 5, 120000), dt.time(0, 0), dt.time(23, 59, 59, 999999)]),
    ("bool", pa.bool_(), [True, False, None]),
    ("int2", pa.int16(), [1, -32768, 32767, None]),
    ("int4", pa.int32(), [1, -(2**31), None]),
    ("int8", pa.int64(), [1, -(2**63), 2**63 - 1, None]),
    ("text", pa.string(), ["x y", "", "ünï", None]),
    ("bytea", pa.binary(), [b"\x00\x01\xff", b"", None]),
    ("int4[]", pa.list_(pa.int32()), [[1, 2, None], [], None, [3]]),
    ("text[]", pa.list_(pa.string()), [["a b", "NULL", "x,y", 'q"', "b\\s", "", None, "null", "{}", "ok"], ["é"]]),
    ("int8[]", pa.list_(pa.list_(pa.int64())), [[[1, 2], [3, 4]], [[5]]]),
    ("float8[]", pa.list_(pa.float64()), [[1.5, None], [float("nan")]]),
    ("timestamp[]", pa.list_(pa.timestamp("us")), [[dt.datetime(2024, 1, 2, 3, 4, 5)]]),
    ("numeric(10,2)[]", pa.list_(pa.decimal128(10, 2)), [[D("1.5"), D("-2.25")]]),
    ("bytea[]", pa.list_(pa.binary()), [[b"\x01"]]),
    ("bool[]", pa.list_(pa.bool_()), [[True, False]]),
]


@pytest.mark.parametrize("fmt", [0, 1], ids=["text", "binary"])
@pytest.mark.parametrize("pgtype,arrow_type,values", CASES, ids=[c[0] for c in CASES])
def test_same_bytes_as_postgres(pg, pgtype, arrow_type, values, fmt):
    assert ours(pa.array(values, arrow_type), fmt) == pg_values(pg, values, pgtype, fmt)


@pytest.mark.parametrize("fmt", [0, 1], ids=["text", "binary"])
def test_uuid(pg, fmt):
    arr = pa.ExtensionArray.from_storage(pa.uuid(), pa.array([U.bytes, None], pa.binary(16)))
    assert ours(arr, fmt) == pg_values(pg, [U, None], "uuid", fmt)


@pytest.mark.parametrize("fmt", [0, 1], ids=["text", "binary"])
def test_interval(pg, fmt):
    fields = [(14, 3, (4 * 3600 + 5 * 60 + 6) * 10**9 + 500_000_000), (-10, -3, 0), (0, 0, 0),
              (0, 0, -(5 * 3600) * 10**9 - 3000), (-12, 2, 1000), (1, 1, 10**9), (0, 0, 100 * 3600 * 10**9),
              (-13, 0, 0), (0, 1, -3600 * 10**9)]
    literals = [f"{m} months {d} days {ns // 1000} microseconds" for m, d, ns in fields]
    arr = pa.array([pa.MonthDayNano(f) for f in fields], pa.month_day_nano_interval())
    assert ours(arr, fmt) == pg_values(pg, literals, "interval", fmt)


@pytest.mark.parametrize("zone", ["Europe/Berlin", "Asia/Kolkata", "America/St_Johns"])
def test_timestamptz_in_other_zones(pg, zone):
    values = [dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC), dt.datetime(2024, 7, 1, 12, 0, 0, 5, tzinfo=UTC)]
    pg.execute(sql.SQL("SET TimeZone = {}").format(sql.Literal(zone)))
    try:
        expected = pg_values(pg, values, "timestamptz", 0)
    finally:
        pg.execute("SET TimeZone = 'UTC'")
    arr = pa.array(values, pa.timestamp("us", "UTC"))
    got = [bytes(v) for v in encode_column(arr, 0, tz=zone).as_array().to_pylist()]
    assert got == expected


@pytest.mark.parametrize("options,kwargs", [
    ("", dict(fmt="text")),
    (" WITH (FORMAT csv, HEADER)", dict(fmt="csv", header=True)),
    (" WITH (FORMAT csv, DELIMITER ';', NULL 'NULL', QUOTE '''', ESCAPE '\\')",
     dict(fmt="csv", delimiter=";", null="NULL", quote="'", escape="\\")),
    (" WITH (DELIMITER '|', NULL '')", dict(fmt="text", delimiter="|", null="")),
])
def test_copy_to_stdout(pg, options, kwargs):
    query = ("SELECT * FROM (VALUES (1, E'a\\tb\\\\c\\nd|;''\"', 1.5::float8, '{1,NULL}'::int[]), "
             "(NULL, NULL, NULL, NULL), (3, '', 'nan', '{}'), (4, 'NULL', 0, '{\"a b\"}'::text[]::int[]) ) v(i, s, f, l)")
    query = query.replace("'{\"a b\"}'::text[]::int[]", "'{7}'")
    with pg.cursor().copy(f"COPY ({query}) TO STDOUT{options}") as copy:
        expected = b"".join(bytes(chunk) for chunk in copy)
    table = pa.table({"i": pa.array([1, None, 3, 4], pa.int32()),
                      "s": pa.array(["a\tb\\c\nd|;'\"", None, "", "NULL"]),
                      "f": pa.array([1.5, None, float("nan"), 0.0]),
                      "l": pa.array([[1, None], None, [], [7]], pa.list_(pa.int32()))})
    assert encode_copy_rows(table, **kwargs) == expected
