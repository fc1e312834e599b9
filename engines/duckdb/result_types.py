"""Result columns DuckDB hands to Arrow as plain strings that PostgreSQL types more precisely.

With `arrow_lossless_conversion` off (on, it also turns every bool into an extension type)
DuckDB exports UUID and JSON columns as Arrow strings. The relation still knows their DuckDB
types, so the columns are given the canonical Arrow extension types `arrow.uuid` and
`arrow.json` here, which the wire layer announces as uuid (2950) and json (114). DuckDB has
one JSON type; PostgreSQL's jsonb (3802) is recognised from the Postgres statement itself
(a `::jsonb` cast or a jsonb function as an output column) and marked `askgres.jsonb`.

The catalog emulation stores oids as DuckDB UINTEGER (Arrow uint32). A user's UINTEGER column
(Parquet, say) is announced as int8, which holds every value; but in the result of a
statement that reads the emulated catalog (pg_catalog / information_schema relations, casts to
oid or a reg* type) uint32 columns are oids, marked `askgres.oid` and announced as oid (26),
their lists as oid[] (1028): drivers decode those built-in (asyncpg's type introspection
reads an oid[] column and cannot decode an int8[] one without introspecting it first).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pyarrow as pa
from sqlglot import exp

from ..ast_facts import once_per_ast
from ..routing import CATALOG_SCHEMAS
from .catalog import PG_RELATIONS


class _MarkedType(pa.ExtensionType):
    """An Arrow storage type marked with the PostgreSQL type its values are (no parameters)."""

    STORAGE: pa.DataType
    NAME: str

    def __init__(self) -> None:
        super().__init__(self.STORAGE, self.NAME)

    def __arrow_ext_serialize__(self) -> bytes:
        return b""

    def __hash__(self) -> int:
        return hash(self.extension_name)

    @classmethod
    def __arrow_ext_deserialize__(cls, storage_type, serialized) -> _MarkedType:
        return cls()


class JsonbType(_MarkedType):
    """PostgreSQL jsonb: JSON text whose wire form PostgreSQL normalises."""
    STORAGE, NAME = pa.string(), "askgres.jsonb"


class OidType(_MarkedType):
    """PostgreSQL oid: an unsigned 32-bit object identifier of the emulated catalog."""
    STORAGE, NAME = pa.uint32(), "askgres.oid"


JSONB, OID = JsonbType(), OidType()
for _marked in (JSONB, OID):
    try:
        pa.register_extension_type(_marked)
    except pa.ArrowKeyError:  # already registered (module reloaded)
        pass

# Types whose values the catalog emulation holds as UINTEGER (xid too: relfrozenxid...).
_OID_TYPE_NAMES = frozenset({"oid", "regclass", "regtype", "regproc", "regprocedure", "regnamespace",
                             "regrole", "regoper", "regoperator", "regcollation", "xid"})
_READS_CATALOG_KEY = "askgres.duckdb_reads_catalog"


def _type_name(node: exp.Expr) -> str:
    """'oid' for ObjectIdentifier(OID), oid / pg_catalog.oid as a user-defined type ('' if other)."""
    if isinstance(node, exp.ObjectIdentifier):
        return node.name.lower()
    if isinstance(node, exp.DataType) and node.this == exp.DataType.Type.USERDEFINED:
        kind = node.args.get("kind")
        if isinstance(kind, exp.Dot):
            if kind.this.name.lower() not in CATALOG_SCHEMAS:
                return ""
            kind = kind.expression
        return (kind if isinstance(kind, str) else kind.name if isinstance(kind, exp.Expr) else "").lower()
    return ""


def reads_catalog(stmt: exp.Expr) -> bool:
    """Whether a statement reads the emulated catalog: a pg_catalog / information_schema
    relation, a cast to oid or a reg* type, or a to_reg*() lookup (decided once per AST)."""
    return once_per_ast(stmt, _READS_CATALOG_KEY, _reads_catalog)


def _reads_catalog(stmt: exp.Expr) -> bool:
    ctes = {cte.alias_or_name.lower() for cte in stmt.find_all(exp.CTE)}
    for node in stmt.walk():
        if isinstance(node, exp.Table):
            if not isinstance(node.this, exp.Identifier):
                continue
            db, name = node.db.lower(), node.name.lower()
            if db in CATALOG_SCHEMAS or (not db and name in PG_RELATIONS and name not in ctes):
                return True
        elif isinstance(node, (exp.ObjectIdentifier, exp.DataType)):
            if _type_name(node) in _OID_TYPE_NAMES:
                return True
        elif isinstance(node, exp.Anonymous) and node.name.lower().startswith("to_reg"):
            return True
    return False


# Postgres functions whose result is jsonb (DuckDB answers them with its JSON type).
_JSONB_FUNCTIONS = frozenset({
    "to_jsonb", "jsonb_build_object", "jsonb_build_array", "jsonb_agg", "jsonb_object_agg",
    "jsonb_object", "jsonb_set", "jsonb_insert", "jsonb_strip_nulls", "jsonb_path_query",
    "jsonb_path_query_first", "jsonb_extract_path", "jsonb_array_elements",
})


def _is_jsonb_expression(node: exp.Expr) -> bool:
    """Whether a Postgres output expression has type jsonb (or jsonb[])."""
    if isinstance(node, exp.Alias):
        node = node.this
    if isinstance(node, exp.Cast):
        to = node.to
        while to.is_type(*exp.DataType.ARRAY_TYPES) and to.expressions:
            to = to.expressions[0]
        return to.is_type(exp.DataType.Type.JSONB)
    if isinstance(node, exp.Paren):
        return _is_jsonb_expression(node.this)
    if isinstance(node, exp.Array):  # ARRAY[x::jsonb, ...] is jsonb[]
        return bool(node.expressions) and _is_jsonb_expression(node.expressions[0])
    if isinstance(node, exp.Coalesce):
        return _is_jsonb_expression(node.this)
    name = node.name if isinstance(node, exp.Anonymous) else (
        node.sql_name() if isinstance(node, exp.Func) else "")
    if not name:
        return False
    if name.lower() in _JSONB_FUNCTIONS:
        return True
    # sqlglot parses some jsonb functions into generic nodes; it keeps the name it read.
    original = node.meta.get("name") if hasattr(node, "meta") else None
    return isinstance(original, str) and original.lower() in _JSONB_FUNCTIONS


def jsonb_outputs(stmt: exp.Expr) -> list[bool]:
    """Per output column of a query: whether PostgreSQL would type it jsonb."""
    query = stmt
    while isinstance(query, (exp.SetOperation, exp.Subquery)):
        query = query.this  # a UNION's columns take the left side's types
    if not isinstance(query, exp.Select):
        return []
    return [_is_jsonb_expression(e) for e in query.expressions]


def _target(arrow_type: pa.DataType, duck_type, jsonb: bool, oid: bool) -> pa.DataType:
    """The Arrow type a column should have, given its DuckDB type (oid: uint32 is an oid)."""
    name = str(duck_type)
    if oid and duck_type.id == "uinteger" and arrow_type == pa.uint32():
        return OID
    if duck_type.id == "uuid" and arrow_type == pa.string():
        return pa.uuid()
    if name == "JSON" and pa.types.is_string(arrow_type):
        return JSONB if jsonb else pa.json_()
    if duck_type.id == "list" and (pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type)):
        child = _target(arrow_type.value_type, duck_type.child, jsonb, oid)
        if child != arrow_type.value_type:
            return pa.list_(child) if pa.types.is_list(arrow_type) else pa.large_list(child)
    return arrow_type


def pg_schema(schema: pa.Schema, duck_types: Sequence, jsonb: Sequence[bool] = (), *,
              oid: bool = False) -> pa.Schema | None:
    """The schema with uuid/json columns typed, uint32 ones as oids when `oid` (a statement
    reading the catalog: reads_catalog), or None when no column changes."""
    if len(duck_types) != len(schema):
        return None
    flags = list(jsonb) + [False] * (len(schema) - len(jsonb))
    fields = []
    changed = False
    for f, t, j in zip(schema, duck_types, flags):
        target = _target(f.type, t, j, oid)
        changed |= target != f.type
        fields.append(f.with_type(target))
    return pa.schema(fields, metadata=schema.metadata) if changed else None


def convert_batch(batch: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
    columns = [_convert(col, f.type) for col, f in zip(batch.columns, schema)]
    return pa.RecordBatch.from_arrays(columns, schema=schema)


def _convert(arr: pa.Array, target: pa.DataType) -> pa.Array:
    if arr.type == target:
        return arr
    if isinstance(target, pa.BaseExtensionType):
        if target.extension_name == "arrow.uuid":
            return pa.ExtensionArray.from_storage(target, uuid_bytes(arr))
        return pa.ExtensionArray.from_storage(target, arr.cast(target.storage_type))
    if pa.types.is_list(target) or pa.types.is_large_list(target):
        values = _convert(arr.values, target.value_type)
        cls = pa.ListArray if pa.types.is_list(target) else pa.LargeListArray
        offsets = arr.offsets
        if arr.null_count:
            return cls.from_arrays(offsets, values, mask=arr.is_null())
        return cls.from_arrays(offsets, values)
    return arr.cast(target)


_NIBBLE = np.zeros(256, np.uint8)
for _i, _c in enumerate(b"0123456789abcdef"):
    _NIBBLE[_c] = _i
for _i, _c in enumerate(b"ABCDEF"):
    _NIBBLE[_c] = 10 + _i
# Positions of the 32 hex digits in the 36-character 8-4-4-4-12 form DuckDB prints.
_HEX_AT = np.array([i for i in range(36) if i not in (8, 13, 18, 23)])


def uuid_bytes(strings: pa.Array) -> pa.FixedSizeBinaryArray:
    """DuckDB's canonical uuid text (36 characters) -> 16-byte values, vectorised."""
    n = len(strings)
    filled = strings.fill_null("00000000-0000-0000-0000-000000000000") if strings.null_count else strings
    filled = filled.cast(pa.string())
    offsets = np.frombuffer(filled.buffers()[1], np.int32, n + 1, filled.offset * 4)
    data = np.frombuffer(filled.buffers()[2], np.uint8)
    if n and not (np.diff(offsets) == 36).all():
        raise ValueError("uuid text is not in the canonical 36-character form")
    chars = data[offsets[0] : offsets[0] + 36 * n].reshape(n, 36)[:, _HEX_AT]
    nibbles = _NIBBLE[chars]
    raw = (nibbles[:, 0::2] << 4) | nibbles[:, 1::2]
    validity = strings.buffers()[0] if strings.null_count and strings.offset == 0 else (
        pa.array(np.asarray(strings.is_valid())).buffers()[1] if strings.null_count else None)
    return pa.FixedSizeBinaryArray.from_buffers(pa.binary(16), n, [validity, pa.py_buffer(raw.tobytes())])


class TypedReader:
    """A reader whose batches get the uuid/json column types of `schema`."""

    def __init__(self, reader, schema: pa.Schema) -> None:
        self._reader = reader
        self.schema = schema

    def read_next_batch(self) -> pa.RecordBatch:
        return convert_batch(self._reader.read_next_batch(), self.schema)

    def close(self) -> None:
        self._reader.close()
