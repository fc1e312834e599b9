"""Type mapping between Arrow (the warehouse's Parquet schemas) and Postgres-dialect sqlglot
types (for the dialect's type rules and for CREATE TABLE column definitions)."""

from __future__ import annotations

import pyarrow as pa
from sqlglot import exp

T = exp.DataType.Type

_SIMPLE: dict[T, pa.DataType] = {
    T.BOOLEAN: pa.bool_(), T.TINYINT: pa.int8(), T.SMALLINT: pa.int16(), T.INT: pa.int32(),
    T.BIGINT: pa.int64(), T.FLOAT: pa.float32(), T.DOUBLE: pa.float64(),
    T.TEXT: pa.string(), T.VARCHAR: pa.string(), T.CHAR: pa.string(), T.NAME: pa.string(),
    T.JSON: pa.string(), T.JSONB: pa.string(), T.UUID: pa.string(), T.INTERVAL: pa.string(),
    T.DATE: pa.date32(), T.TIMESTAMP: pa.timestamp("us"), T.TIMESTAMPNTZ: pa.timestamp("us"),
    T.TIMESTAMPTZ: pa.timestamp("us", tz="UTC"), T.TIMESTAMPLTZ: pa.timestamp("us", tz="UTC"),
    T.VARBINARY: pa.binary(), T.BINARY: pa.binary(),
}


def sqlglot_to_arrow(dtype: exp.DataType) -> pa.DataType:
    """The Arrow type a Postgres column type is stored as in the warehouse."""
    if dtype.this in (T.DECIMAL, T.BIGDECIMAL):
        params = [int(p.name) for p in dtype.expressions if p.name.isdigit()]
        if not params:
            return pa.decimal128(38, 18)
        return pa.decimal128(params[0], params[1] if len(params) > 1 else 0)
    if dtype.this == T.ARRAY and dtype.expressions:
        return pa.list_(sqlglot_to_arrow(dtype.expressions[0]))
    return _SIMPLE.get(dtype.this, pa.string())


def arrow_to_pg_type(t: pa.DataType) -> str:
    """A Postgres type name for an Arrow type (sqlglot's schema for the dialect's type rules)."""
    if pa.types.is_boolean(t):
        return "boolean"
    if pa.types.is_int8(t) or pa.types.is_int16(t):
        return "smallint"
    if pa.types.is_int32(t):
        return "int"
    if pa.types.is_integer(t):
        return "bigint"
    if pa.types.is_float32(t):
        return "real"
    if pa.types.is_floating(t):
        return "double precision"
    if pa.types.is_decimal(t):
        return f"numeric({t.precision},{t.scale})"
    if pa.types.is_date(t):
        return "date"
    if pa.types.is_timestamp(t):
        return "timestamptz" if t.tz else "timestamp"
    if pa.types.is_binary(t) or pa.types.is_large_binary(t):
        return "bytea"
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return arrow_to_pg_type(t.value_type) + "[]"
    return "text"
