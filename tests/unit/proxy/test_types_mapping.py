"""PgType table, Arrow -> PostgreSQL type mapping (including the Arrow types DuckDB 2.0
really returns) and the Arrow type of declared parameter OIDs."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest

from askgres.proxy.wire import types as pgt
from askgres.proxy.wire.types import PG_TYPES, arrow_type_for_oid, pg_type_for, pg_type_for_field

# OIDs, names and array OIDs as pg_type has them in PostgreSQL 15.
EXPECTED = {
    16: ("bool", 1000), 17: ("bytea", 1001), 18: ("char", 1002), 19: ("name", 1003),
    20: ("int8", 1016), 21: ("int2", 1005), 23: ("int4", 1007), 24: ("regproc", 1008),
    25: ("text", 1009), 26: ("oid", 1028), 114: ("json", 199), 142: ("xml", 143),
    700: ("float4", 1021), 701: ("float8", 1022), 705: ("unknown", 0), 1042: ("bpchar", 1014),
    1043: ("varchar", 1015), 1082: ("date", 1182), 1083: ("time", 1183),
    1114: ("timestamp", 1115), 1184: ("timestamptz", 1185), 1186: ("interval", 1187),
    1266: ("timetz", 1270), 1700: ("numeric", 1231), 2950: ("uuid", 2951),
    3802: ("jsonb", 3807), 2205: ("regclass", 2210), 2206: ("regtype", 2211),
}


@pytest.mark.parametrize("oid", sorted(EXPECTED))
def test_pg_types_table(oid):
    name, array_oid = EXPECTED[oid]
    t = PG_TYPES[oid]
    assert (t.oid, t.name, t.array_oid) == (oid, name, array_oid)
    if array_oid:
        arr = PG_TYPES[array_oid]
        assert arr.elem_oid == oid and arr.is_array and arr.typlen == -1 and arr.name == "_" + name


def test_fixed_lengths():
    lengths = {16: 1, 20: 8, 21: 2, 23: 4, 700: 4, 701: 8, 1082: 4, 1114: 8, 1184: 8, 1186: 16,
               2950: 16, 25: -1, 1700: -1, 705: -2}
    assert {oid: PG_TYPES[oid].typlen for oid in lengths} == lengths


ARROW_CASES = [
    (pa.bool_(), 16, -1), (pa.int8(), 21, -1), (pa.int16(), 21, -1), (pa.int32(), 23, -1),
    (pa.int64(), 20, -1), (pa.uint8(), 21, -1), (pa.uint16(), 23, -1), (pa.uint32(), 20, -1),
    (pa.uint64(), 1700, (20 << 16) + 4), (pa.float16(), 700, -1), (pa.float32(), 700, -1),
    (pa.float64(), 701, -1), (pa.decimal128(10, 2), 1700, (10 << 16 | 2) + 4),
    (pa.decimal256(50, 5), 1700, (50 << 16 | 5) + 4), (pa.string(), 25, -1),
    (pa.large_string(), 25, -1), (pa.string_view(), 25, -1), (pa.binary(), 17, -1),
    (pa.large_binary(), 17, -1), (pa.date32(), 1082, -1), (pa.date64(), 1082, -1),
    (pa.time32("ms"), 1083, -1), (pa.time64("us"), 1083, -1), (pa.timestamp("us"), 1114, -1),
    (pa.timestamp("ns"), 1114, -1), (pa.timestamp("us", "Europe/Berlin"), 1184, -1),
    (pa.duration("us"), 1186, -1), (pa.month_day_nano_interval(), 1186, -1),
    (pa.uuid(), 2950, -1), (pa.json_(), 114, -1), (pa.list_(pa.int32()), 1007, -1),
    (pa.large_list(pa.string()), 1009, -1), (pa.list_(pa.int64(), 3), 1016, -1),
    (pa.list_(pa.list_(pa.float64())), 1022, -1), (pa.list_(pa.decimal128(5, 1)), 1231, (5 << 16 | 1) + 4),
    (pa.struct([("a", pa.int32())]), 25, -1), (pa.map_(pa.string(), pa.int32()), 25, -1),
    (pa.null(), 25, -1), (pa.dictionary(pa.int8(), pa.string()), 25, -1),
]


@pytest.mark.parametrize("arrow_type,oid,typmod", ARROW_CASES, ids=[str(c[0]) for c in ARROW_CASES])
def test_pg_type_for(arrow_type, oid, typmod):
    t = pg_type_for(arrow_type)
    assert (t.oid, t.typmod) == (oid, typmod)


DUCKDB_SQL = """select 1::tinyint a, 1::smallint b, 1::int c, 1::bigint d, 1::hugeint e, 1::utinyint f,
 1::ubigint g, 1.5::float h, 1.5::double i, 1.5::decimal(10,2) j, 'x'::varchar k, 'x'::blob l,
 date '2024-01-02' m, time '03:04:05' n, timestamp '2024-01-02 03:04:05' o,
 timestamptz '2024-01-02 03:04:05+02' p, interval '1 day' q, uuid() r, '{"a":1}'::json s,
 'ok'::mood t, [1,2] u, {'a': 1} v, map {'k': 1} w, null x, [['a']] y, true z,
 timetz '03:04:05+02' aa, timestamp_ns '2024-01-01' ab, [1,2]::int[2] ac"""


@pytest.mark.parametrize("lossless", [False, True])
def test_duckdb_result_types(lossless):
    con = duckdb.connect()
    con.execute(f"set arrow_lossless_conversion={str(lossless).lower()}")
    con.execute("create type mood as enum ('sad', 'ok')")
    schema = con.sql(DUCKDB_SQL).to_arrow_table().schema
    got = {f.name: pg_type_for_field(f).oid for f in schema}
    expected = dict(a=21, b=21, c=23, d=20, e=1700, f=21, g=1700, h=700, i=701, j=1700, k=25,
                    l=17, m=1082, n=1083, o=1114, p=1184, q=1186, r=25, s=25, t=25, u=1007, v=25,
                    w=25, x=25, y=1009, z=16, aa=1083, ab=1114, ac=1007)
    if lossless:  # uuid/json/timetz keep their identity only with lossless conversion
        expected.update(r=2950, s=114, aa=1266)
    assert got == expected


def test_field_metadata_marks_uuid_and_json():
    f = pa.field("u", pa.binary(16), metadata={b"ARROW:extension:name": b"arrow.uuid"})
    j = pa.field("j", pa.string(), metadata={b"ARROW:extension:name": b"arrow.json"})
    assert pg_type_for_field(f).oid == pgt.UUID
    assert pg_type_for_field(j).oid == pgt.JSON


@pytest.mark.parametrize(
    "oid,arrow_type",
    [(0, pa.string()), (705, pa.string()), (25, pa.string()), (1043, pa.string()), (16, pa.bool_()),
     (21, pa.int16()), (23, pa.int32()), (20, pa.int64()), (700, pa.float32()), (701, pa.float64()),
     (17, pa.binary()), (1082, pa.date32()), (1083, pa.time64("us")), (1114, pa.timestamp("us")),
     (1184, pa.timestamp("us", "UTC")), (1186, pa.month_day_nano_interval()), (2950, pa.uuid()),
     (1007, pa.list_(pa.int32())), (1009, pa.list_(pa.string())), (99999, pa.string())],
)
def test_arrow_type_for_oid(oid, arrow_type):
    assert arrow_type_for_oid(oid) == arrow_type


def test_numeric_param_type_is_wide_decimal():
    t = arrow_type_for_oid(1700)
    assert pa.types.is_decimal(t) and t.precision == 38 and t.scale > 3


def test_round_trip_oid_arrow_oid():
    for oid in (16, 17, 20, 21, 23, 25, 700, 701, 1082, 1083, 1114, 1184, 1186, 2950, 1007, 1016):
        assert pg_type_for(arrow_type_for_oid(oid)).oid == oid


def test_catalog_results_announce_oids_user_results_int8():
    """uint32 is int8 for user data (above); in a result that reads the catalog emulation the
    engine marks uint32 columns as oids, announced as oid (26) and oid[] (1028)."""
    from askgres.engines.duckdb.engine import DuckDBEngine
    from askgres.guard.parse import parse

    engine = DuckDBEngine()
    session = engine.session()
    try:
        def announced(sql):
            (stmt,) = parse(sql)
            return [pg_type_for_field(f).oid for f in session.execute(stmt).reader.schema]

        catalog = announced("SELECT t.oid, t.typname, ARRAY[t.typelem] AS elems FROM pg_catalog.pg_type t "
                            "WHERE t.typname = 'int4'")
        user = announced("SELECT 7::uinteger AS u, [7::uinteger] AS us")
    finally:
        session.close()
        engine.close()
    assert catalog == [pgt.OID, pgt.TEXT, 1028]
    assert user == [pgt.INT8, 1016]
