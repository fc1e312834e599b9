"""PostgreSQL types as the wire protocol names them, and their mapping to Arrow types.

`pg_type_for` picks the type a RowDescription announces for an Arrow result column;
`arrow_type_for_oid` picks the Arrow type for a parameter whose type a client declared
in Parse. The encoders (datarow.py) and decoders (params.py) dispatch on the same OIDs.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pyarrow as pa

# DuckDB marks some of its types, in Arrow, as extension types (with
# `arrow_lossless_conversion` on) or as "arrow.opaque" with a DuckDB type name.
DUCKDB_OPAQUE = "arrow.opaque"
EXTENSION_NAME_KEY = b"ARROW:extension:name"
EXTENSION_META_KEY = b"ARROW:extension:metadata"


@dataclass(frozen=True)
class PgType:
    """One PostgreSQL type as a RowDescription or ParameterDescription reports it."""

    oid: int
    name: str
    typlen: int  # pg_type.typlen: bytes, -1 varlena, -2 C string
    typmod: int = -1  # atttypmod; numeric: ((precision << 16) | scale) + 4
    elem_oid: int = 0  # element type for an array type, 0 otherwise
    array_oid: int = 0  # the array type whose elements are this type, 0 if none

    @property
    def is_array(self) -> bool:
        return self.elem_oid != 0

    def with_typmod(self, typmod: int) -> PgType:
        return dataclasses.replace(self, typmod=typmod)


# (oid, name, typlen, array oid, array name); arrays get typlen -1.
_BASE_TYPES = (
    (16, "bool", 1, 1000, "_bool"),
    (17, "bytea", -1, 1001, "_bytea"),
    (18, "char", 1, 1002, "_char"),
    (19, "name", 64, 1003, "_name"),
    (20, "int8", 8, 1016, "_int8"),
    (21, "int2", 2, 1005, "_int2"),
    (22, "int2vector", -1, 1006, "_int2vector"),
    (23, "int4", 4, 1007, "_int4"),
    (24, "regproc", 4, 1008, "_regproc"),
    (25, "text", -1, 1009, "_text"),
    (26, "oid", 4, 1028, "_oid"),
    (27, "tid", 6, 1010, "_tid"),
    (28, "xid", 4, 1011, "_xid"),
    (29, "cid", 4, 1012, "_cid"),
    (30, "oidvector", -1, 1013, "_oidvector"),
    (114, "json", -1, 199, "_json"),
    (142, "xml", -1, 143, "_xml"),
    (650, "cidr", -1, 651, "_cidr"),
    (700, "float4", 4, 1021, "_float4"),
    (701, "float8", 8, 1022, "_float8"),
    (705, "unknown", -2, 0, ""),
    (790, "money", 8, 791, "_money"),
    (829, "macaddr", 6, 1040, "_macaddr"),
    (869, "inet", -1, 1041, "_inet"),
    (1042, "bpchar", -1, 1014, "_bpchar"),
    (1043, "varchar", -1, 1015, "_varchar"),
    (1082, "date", 4, 1182, "_date"),
    (1083, "time", 8, 1183, "_time"),
    (1114, "timestamp", 8, 1115, "_timestamp"),
    (1184, "timestamptz", 8, 1185, "_timestamptz"),
    (1186, "interval", 16, 1187, "_interval"),
    (1266, "timetz", 12, 1270, "_timetz"),
    (1560, "bit", -1, 1561, "_bit"),
    (1562, "varbit", -1, 1563, "_varbit"),
    (1700, "numeric", -1, 1231, "_numeric"),
    (1790, "refcursor", -1, 2201, "_refcursor"),
    (2202, "regprocedure", 4, 2207, "_regprocedure"),
    (2203, "regoper", 4, 2208, "_regoper"),
    (2204, "regoperator", 4, 2209, "_regoperator"),
    (2205, "regclass", 4, 2210, "_regclass"),
    (2206, "regtype", 4, 2211, "_regtype"),
    (2249, "record", -1, 2287, "_record"),
    (2275, "cstring", -2, 1263, "_cstring"),
    (2276, "any", 4, 0, ""),
    (2277, "anyarray", -1, 0, ""),
    (2278, "void", 4, 0, ""),
    (2950, "uuid", 16, 2951, "_uuid"),
    (3220, "pg_lsn", 8, 3221, "_pg_lsn"),
    (3802, "jsonb", -1, 3807, "_jsonb"),
    (4089, "regnamespace", 4, 4090, "_regnamespace"),
    (4096, "regrole", 4, 4097, "_regrole"),
)


def _build_types() -> dict[int, PgType]:
    types: dict[int, PgType] = {}
    for oid, name, typlen, array_oid, array_name in _BASE_TYPES:
        types[oid] = PgType(oid, name, typlen, array_oid=array_oid)
        if array_oid:
            types[array_oid] = PgType(array_oid, array_name, -1, elem_oid=oid)
    return types


PG_TYPES: dict[int, PgType] = _build_types()
PG_TYPES_BY_NAME: dict[str, PgType] = {t.name: t for t in PG_TYPES.values()}

# Names used by the encoders and decoders.
BOOL, BYTEA, CHAR, NAME, INT8, INT2, INT4, TEXT, OID = 16, 17, 18, 19, 20, 21, 23, 25, 26
JSON, XML, FLOAT4, FLOAT8, UNKNOWN, BPCHAR, VARCHAR = 114, 142, 700, 701, 705, 1042, 1043
DATE, TIME, TIMESTAMP, TIMESTAMPTZ, INTERVAL, TIMETZ = 1082, 1083, 1114, 1184, 1186, 1266
BIT, VARBIT, NUMERIC, UUID, JSONB = 1560, 1562, 1700, 2950, 3802
REGPROC, REGCLASS, REGTYPE = 24, 2205, 2206

# Types whose text form is also their binary form (pg's textsend / *_send of a string).
TEXT_LIKE_OIDS = frozenset({TEXT, VARCHAR, BPCHAR, NAME, UNKNOWN, JSON, XML, 0})


def numeric_typmod(precision: int, scale: int) -> int:
    return ((precision << 16) | scale) + 4


def array_of(elem: PgType) -> PgType:
    """The array type of `elem` (PostgreSQL has one array type per element type, any depth)."""
    if elem.is_array:
        return elem
    if not elem.array_oid:
        return PG_TYPES[1009]  # text[]: e.g. unknown has no array type
    return PG_TYPES[elem.array_oid].with_typmod(elem.typmod)


def duckdb_type_name(arrow_type: pa.DataType) -> str | None:
    """The DuckDB type name of an `arrow.opaque` extension type DuckDB emits, else None."""
    if isinstance(arrow_type, pa.BaseExtensionType) and arrow_type.extension_name == DUCKDB_OPAQUE:
        return getattr(arrow_type, "type_name", None)
    return None


def _is_uuid(arrow_type: pa.DataType) -> bool:
    return isinstance(arrow_type, pa.BaseExtensionType) and arrow_type.extension_name in (
        "arrow.uuid",
        "duckdb.uuid",
    )


def _is_json(arrow_type: pa.DataType) -> bool:
    return isinstance(arrow_type, pa.BaseExtensionType) and arrow_type.extension_name in (
        "arrow.json",
        "duckdb.json",
    )


# jsonb, as engines mark it (DuckDB has one JSON type; the engine tells jsonb from the query).
JSONB_EXTENSION = "askgres.jsonb"


def is_jsonb(arrow_type: pa.DataType) -> bool:
    return isinstance(arrow_type, pa.BaseExtensionType) and arrow_type.extension_name == JSONB_EXTENSION


# oid, as engines mark the uint32 columns of results that read their catalog emulation (a
# user's uint32 data stays int8, which holds every value).
OID_EXTENSION = "askgres.oid"


def is_oid(arrow_type: pa.DataType) -> bool:
    return isinstance(arrow_type, pa.BaseExtensionType) and arrow_type.extension_name == OID_EXTENSION


def pg_type_for(arrow_type: pa.DataType) -> PgType:
    """The PostgreSQL type a result column of this Arrow type is announced as."""
    t = arrow_type
    if _is_uuid(t):
        return PG_TYPES[UUID]
    if is_jsonb(t):
        return PG_TYPES[JSONB]
    if is_oid(t):
        return PG_TYPES[OID]
    if _is_json(t):
        return PG_TYPES[JSON]
    if isinstance(t, pa.BaseExtensionType) and t.extension_name == "arrow.bool8":
        return PG_TYPES[BOOL]
    opaque = duckdb_type_name(t)
    if opaque is not None:
        return {
            "hugeint": PG_TYPES[NUMERIC],
            "uhugeint": PG_TYPES[NUMERIC],
            "bignum": PG_TYPES[NUMERIC],
            "varint": PG_TYPES[NUMERIC],
            "time_tz": PG_TYPES[TIMETZ],
            "bit": PG_TYPES[VARBIT],
        }.get(opaque, PG_TYPES[TEXT])
    if isinstance(t, pa.BaseExtensionType):
        return pg_type_for(t.storage_type)
    if pa.types.is_dictionary(t):
        return pg_type_for(t.value_type)
    if pa.types.is_boolean(t):
        return PG_TYPES[BOOL]
    if pa.types.is_int8(t) or pa.types.is_int16(t) or pa.types.is_uint8(t):
        return PG_TYPES[INT2]
    if pa.types.is_int32(t) or pa.types.is_uint16(t):
        return PG_TYPES[INT4]
    if pa.types.is_int64(t) or pa.types.is_uint32(t):
        return PG_TYPES[INT8]
    if pa.types.is_uint64(t):
        return PG_TYPES[NUMERIC].with_typmod(numeric_typmod(20, 0))
    if pa.types.is_float16(t) or pa.types.is_float32(t):
        return PG_TYPES[FLOAT4]
    if pa.types.is_float64(t):
        return PG_TYPES[FLOAT8]
    if pa.types.is_decimal(t):
        if t.scale < 0 or t.precision > 1000:
            return PG_TYPES[NUMERIC]
        return PG_TYPES[NUMERIC].with_typmod(numeric_typmod(t.precision, t.scale))
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return PG_TYPES[TEXT]
    if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_binary_view(t):
        return PG_TYPES[BYTEA]
    if pa.types.is_fixed_size_binary(t):
        return PG_TYPES[BYTEA]
    if pa.types.is_date(t):
        return PG_TYPES[DATE]
    if pa.types.is_time(t):
        return PG_TYPES[TIME]
    if pa.types.is_timestamp(t):
        return PG_TYPES[TIMESTAMPTZ if t.tz is not None else TIMESTAMP]
    if pa.types.is_duration(t) or t == pa.month_day_nano_interval():
        return PG_TYPES[INTERVAL]
    if (
        pa.types.is_list(t)
        or pa.types.is_large_list(t)
        or pa.types.is_fixed_size_list(t)
        or pa.types.is_list_view(t)
        or pa.types.is_large_list_view(t)
    ):
        return array_of(pg_type_for(t.value_type))
    # struct, map, union, null and anything else: sent as text.
    return PG_TYPES[TEXT]


def pg_type_for_field(field: pa.Field) -> PgType:
    """Like pg_type_for, but also reads extension markers kept in the field metadata
    (when pyarrow did not turn them into an extension type)."""
    meta = field.metadata or {}
    name = meta.get(EXTENSION_NAME_KEY)
    # Only where encode_data_rows encodes the column as that type too (see datarow._typed).
    if name in (b"arrow.uuid", b"duckdb.uuid") and field.type == pa.binary(16):
        return PG_TYPES[UUID]
    if name in (b"arrow.json", b"duckdb.json") and pa.types.is_string(field.type):
        return PG_TYPES[JSON]
    return pg_type_for(field.type)


_ARROW_FOR_OID: dict[int, pa.DataType] = {
    BOOL: pa.bool_(),
    BYTEA: pa.binary(),
    INT8: pa.int64(),
    INT2: pa.int16(),
    INT4: pa.int32(),
    OID: pa.int64(),
    REGPROC: pa.int64(),
    REGCLASS: pa.int64(),
    REGTYPE: pa.int64(),
    28: pa.int64(),
    29: pa.int64(),
    FLOAT4: pa.float32(),
    FLOAT8: pa.float64(),
    # Unconstrained numeric: DuckDB's widest decimal, with room on both sides of the point.
    NUMERIC: pa.decimal128(38, 10),
    DATE: pa.date32(),
    TIME: pa.time64("us"),
    TIMETZ: pa.time64("us"),
    TIMESTAMP: pa.timestamp("us"),
    TIMESTAMPTZ: pa.timestamp("us", tz="UTC"),
    INTERVAL: pa.month_day_nano_interval(),
    UUID: pa.uuid(),
    JSON: pa.json_(),
    JSONB: pa.json_(),
}


def arrow_type_for_oid(oid: int) -> pa.DataType:
    """The Arrow type of a parameter declared with this OID (0, unknown and text-like: string)."""
    if oid in _ARROW_FOR_OID:
        return _ARROW_FOR_OID[oid]
    pg = PG_TYPES.get(oid)
    if pg is not None and pg.is_array:
        return pa.list_(arrow_type_for_oid(pg.elem_oid))
    return pa.string()
