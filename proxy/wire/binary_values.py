"""Arrow columns -> PostgreSQL binary-format values (the *_send functions), whole columns
at a time.

`binary_values(arr)` returns an `Encoded`: either a (n, width) uint8 matrix, when every
value is present and has the same width (ints, floats, dates, ...: the DataRow encoder
lays these out without any per-value work), or a `binary` array (NULL where NULL).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import PgError
from . import types as pgt
from .arrow_util import as_binary, binary_from_matrix, fixed_width_bytes, join, value_lengths
from .jsonb_text import jsonb_text
from .text_values import _interval_fields, _to_us, hugeint_as_decimal, json_text, timetz_fields, unscaled_text, bignum_as_decimal

PG_EPOCH_DAYS = 10_957  # 2000-01-01 - 1970-01-01
PG_EPOCH_US = PG_EPOCH_DAYS * 86_400_000_000
_I64_MAX = np.iinfo(np.int64).max
_I32_MAX = np.iinfo(np.int32).max


@dataclass
class Encoded:
    """One column's wire values: `fixed` (n, w) uint8 when all present and w wide, else
    `values` (binary, NULL where NULL)."""

    fixed: np.ndarray | None = None
    values: pa.Array | None = None

    def as_array(self) -> pa.Array:
        return self.values if self.values is not None else binary_from_matrix(self.fixed)


def _numbers(arr: pa.Array, be_dtype: str) -> Encoded:
    """Fixed-width big-endian numbers (NULL slots encoded as zero, then masked)."""
    if arr.null_count:
        arr_filled = pc.fill_null(arr, pa.scalar(False if pa.types.is_boolean(arr.type) else 0, arr.type))
        values = np.asarray(arr_filled)
    else:
        values = arr.to_numpy(zero_copy_only=False)
    mat = values.astype(be_dtype).view(np.uint8).reshape(len(arr), np.dtype(be_dtype).itemsize)
    return _fixed_or_masked(mat, arr)


def _fixed_or_masked(mat: np.ndarray, arr: pa.Array) -> Encoded:
    if arr.null_count:
        return Encoded(values=binary_from_matrix(mat, np.asarray(arr.is_valid())))
    return Encoded(fixed=mat)


def _int_values(arr: pa.Array) -> np.ndarray:
    """Raw integer storage (timestamps, dates, ...) with NULL slots as 0."""
    width = arr.type.bit_width
    raw = arr.view(pa.int64() if width == 64 else pa.int32())
    return np.asarray(pc.fill_null(raw, 0)).astype(np.int64)


def binary_values(arr: pa.Array) -> Encoded:
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    t = arr.type
    if isinstance(t, pa.BaseExtensionType):
        return _extension_binary(arr)
    if pa.types.is_dictionary(t):
        return binary_values(arr.dictionary_decode())
    if pa.types.is_null(t):
        return Encoded(values=pa.nulls(len(arr), pa.binary()))
    if pa.types.is_boolean(t):
        return _numbers(arr, "u1")
    if pa.types.is_int8(t) or pa.types.is_int16(t) or pa.types.is_uint8(t):
        return _numbers(arr, ">i2")
    if pa.types.is_int32(t) or pa.types.is_uint16(t):
        return _numbers(arr, ">i4")
    if pa.types.is_int64(t) or pa.types.is_uint32(t):
        return _numbers(arr, ">i8")
    if pa.types.is_uint64(t):
        return numeric_binary(pc.cast(arr, pa.decimal128(20, 0)))
    if pa.types.is_float16(t) or pa.types.is_float32(t):
        return _numbers(pc.cast(arr, pa.float32()), ">f4")
    if pa.types.is_float64(t):
        return _numbers(arr, ">f8")
    if pa.types.is_decimal(t):
        return numeric_binary(arr)
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return Encoded(values=as_binary(arr))
    if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_binary_view(t):
        return Encoded(values=as_binary(arr))
    if pa.types.is_fixed_size_binary(t):
        return _fixed_or_masked(fixed_width_bytes(arr), arr)
    if pa.types.is_date(t):
        days = _int_values(pc.cast(arr, pa.date32()))
        out = np.where(days == _I32_MAX, _I32_MAX, np.where(days == -_I32_MAX, -_I32_MAX - 1, days - PG_EPOCH_DAYS))
        return _fixed_or_masked(out.astype(">i4").view(np.uint8).reshape(-1, 4), arr)
    if pa.types.is_time(t):
        us = _int_values(_to_us(arr))
        return _fixed_or_masked(us.astype(">i8").view(np.uint8).reshape(-1, 8), arr)
    if pa.types.is_timestamp(t):
        us = _int_values(_to_us(arr))
        out = np.where(us == _I64_MAX, _I64_MAX, np.where(us == -_I64_MAX, -_I64_MAX - 1, us - PG_EPOCH_US))
        return _fixed_or_masked(out.astype(">i8").view(np.uint8).reshape(-1, 8), arr)
    if t == pa.month_day_nano_interval():
        months, days, us = _interval_fields(arr)
        return _fixed_or_masked(_interval_matrix(us, days, months), arr)
    if pa.types.is_duration(t):
        us = np.asarray(pc.fill_null(pc.cast(arr, pa.duration("us")).view(pa.int64()), 0))
        zeros = np.zeros(len(arr), np.int64)
        return _fixed_or_masked(_interval_matrix(us, zeros, zeros), arr)
    if (
        pa.types.is_list(t)
        or pa.types.is_large_list(t)
        or pa.types.is_fixed_size_list(t)
        or pa.types.is_list_view(t)
        or pa.types.is_large_list_view(t)
    ):
        return Encoded(values=array_binary(arr))
    # Struct, map, union...: announced as text, so the binary form is the text bytes.
    return Encoded(values=json_text(arr))


def _interval_matrix(us: np.ndarray, days: np.ndarray, months: np.ndarray) -> np.ndarray:
    rec = np.empty(len(us), dtype=[("us", ">i8"), ("days", ">i4"), ("months", ">i4")])
    rec["us"], rec["days"], rec["months"] = us, days, months
    return rec.view(np.uint8).reshape(len(us), 16)


def _extension_binary(arr: pa.Array) -> Encoded:
    t = arr.type
    storage = arr.storage
    if t.extension_name in ("arrow.uuid", "duckdb.uuid"):
        return binary_values(storage)
    if t.extension_name in ("arrow.json", "duckdb.json"):
        return Encoded(values=as_binary(storage))
    if t.extension_name == pgt.JSONB_EXTENSION:
        # jsonb_send: a version byte (1), then the text.
        text = jsonb_text(storage)
        return Encoded(values=pc.binary_join_element_wise(pa.scalar(b"\x01"), text, b""))
    if t.extension_name == pgt.OID_EXTENSION:
        return _numbers(storage, ">u4")  # oidsend: 4 bytes, unsigned
    if t.extension_name == "arrow.bool8":
        return binary_values(pc.not_equal(storage, 0))
    opaque = pgt.duckdb_type_name(t)
    if opaque in ("hugeint", "uhugeint"):
        return numeric_binary(hugeint_as_decimal(storage, opaque == "uhugeint"))
    if opaque == "time_tz":
        micros, offset = timetz_fields(storage)
        rec = np.empty(len(storage), dtype=[("us", ">i8"), ("zone", ">i4")])
        rec["us"], rec["zone"] = micros, -offset  # PostgreSQL stores seconds west of UTC
        return _fixed_or_masked(rec.view(np.uint8).reshape(-1, 12), storage)
    if opaque in ("bignum", "varint"):
        return numeric_binary(bignum_as_decimal(storage))
    if opaque == "bit":
        return Encoded(values=varbit_binary(storage))
    if opaque is not None:
        # Other DuckDB-only types are announced as text: sent as their text form.
        from .text_values import text_values

        return Encoded(values=text_values(arr))
    return binary_values(storage)


def varbit_binary(storage: pa.Array) -> pa.Array:
    """varbit_send: int32 bit count, then the bits packed from the most significant bit.
    DuckDB's BIT stores the count of padding bits first, the padding at the front."""

    def send(b: bytes | None) -> bytes | None:
        if b is None:
            return None
        bits = "".join(f"{x:08b}" for x in b[1:])[b[0]:]
        packed = int(bits.ljust(-(-len(bits) // 8) * 8, "0") or "0", 2).to_bytes(-(-len(bits) // 8), "big")
        return len(bits).to_bytes(4, "big") + packed

    # BIT is rare in results; encoded value by value.
    return pa.array([send(v) for v in storage.to_pylist()], pa.binary())


def numeric_binary(arr: pa.Array) -> Encoded:
    """numeric_send: int16 ndigits, weight, sign (0 / 0x4000), dscale, then base-10000 digits,
    with leading and trailing zero digits stripped, like PostgreSQL's stored form."""
    n = len(arr)
    scale = arr.type.scale
    nfrac = -(-scale // 4)  # digit groups after the point
    if pa.types.is_decimal128(arr.type) and arr.type.precision <= 18:
        groups, negative = _groups_from_int64(arr, scale, nfrac)
    else:
        groups, negative = _groups_from_text(arr, scale, nfrac)
    ngroups = groups.shape[1]
    nonzero = groups != 0
    any_nonzero = nonzero.any(axis=1)
    first = np.where(any_nonzero, nonzero.argmax(axis=1), 0)
    last = np.where(any_nonzero, ngroups - 1 - nonzero[:, ::-1].argmax(axis=1), -1)
    ndigits = np.where(any_nonzero, last - first + 1, 0)
    weight = np.where(any_nonzero, ngroups - nfrac - 1 - first, 0)
    header = np.empty((n, 4), dtype=np.int16)
    header[:, 0] = ndigits
    header[:, 1] = weight
    header[:, 2] = np.where(negative & any_nonzero, 0x4000, 0)
    header[:, 3] = scale
    cols = np.arange(ngroups)
    keep = np.concatenate(
        [np.ones((n, 4), bool), (cols >= first[:, None]) & (cols <= last[:, None])], axis=1
    )
    words = np.concatenate([header, groups], axis=1)
    data = words[keep].astype(">i2").view(np.uint8) if n else np.zeros(0, np.uint8)
    lengths = (4 + ndigits) * 2
    offsets = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    validity = pa.array(np.asarray(arr.is_valid())).buffers()[1] if arr.null_count else None
    if validity is not None:
        # NULL rows were encoded as 0: drop their bytes to keep NULL slots empty.
        valid = np.asarray(arr.is_valid())
        lengths = np.where(valid, lengths, 0)
        row_keep = np.repeat(valid, (4 + ndigits) * 2)
        data = data[row_keep]
        offsets = np.zeros(n + 1, dtype=np.int32)
        np.cumsum(lengths, out=offsets[1:])
    return Encoded(
        values=pa.Array.from_buffers(pa.binary(), n, [validity, pa.py_buffer(offsets), pa.py_buffer(data)])
    )


def _groups_from_int64(arr: pa.Array, scale: int, nfrac: int) -> tuple[np.ndarray, np.ndarray]:
    """Base-10000 digit groups (n, G), most significant first, of decimals whose unscaled
    value fits in int64 (precision <= 18: the low 8 bytes of the 16-byte two's complement)."""
    n = len(arr)
    raw = np.frombuffer(arr.buffers()[1], dtype="<i8")[2 * arr.offset : 2 * (arr.offset + n) : 2]
    if arr.null_count:
        raw = np.where(np.asarray(arr.is_valid()), raw, 0)
    negative = raw < 0
    mag = np.abs(raw).astype(np.uint64)
    whole, frac = np.divmod(mag, np.uint64(10**scale))
    cols = []
    if nfrac:
        pad = nfrac * 4 - scale  # the fraction, padded on the right to whole groups
        first = 4 - pad
        cols.append((frac % np.uint64(10**first)) * np.uint64(10**pad))
        frac = frac // np.uint64(10**first)
        for _ in range(nfrac - 1):
            cols.append(frac % np.uint64(10000))
            frac = frac // np.uint64(10000)
    for _ in range(5):  # 10**18 needs five groups before the point
        cols.append(whole % np.uint64(10000))
        whole = whole // np.uint64(10000)
    return np.stack(cols[::-1], axis=1).astype(np.int16), negative


def _groups_from_text(arr: pa.Array, scale: int, nfrac: int) -> tuple[np.ndarray, np.ndarray]:
    """Base-10000 digit groups cut from the decimal text (any precision)."""
    n = len(arr)
    text = unscaled_text(arr)
    if arr.null_count:
        text = pc.fill_null(text, "0")
    negative = np.asarray(pc.starts_with(text, "-"))
    digits = pc.utf8_ltrim(text, characters="-")
    # Align the point on a group boundary, then cut every value into groups of four digits.
    frac_pad = nfrac * 4 - scale
    if frac_pad:
        digits = join(digits, b"0" * frac_pad)
    width = int(pc.max(pc.binary_length(digits)).as_py() or 0) if n else 0
    width = max(4, width + (-width) % 4)
    padded = pc.utf8_lpad(pc.cast(digits, pa.string()), width, "0") if n else pa.array([], pa.string())
    chars = np.frombuffer(as_binary(padded).buffers()[2], np.uint8)[: n * width].reshape(n, width // 4, 4)
    chars = chars.astype(np.int16) - ord("0")
    groups = chars[:, :, 0] * 1000 + chars[:, :, 1] * 100 + chars[:, :, 2] * 10 + chars[:, :, 3]
    return groups, negative


def framed(values: Encoded | pa.Array) -> pa.Array:
    """Each value preceded by its int32 big-endian length (-1 and no bytes for NULL): the
    layout of a field in DataRow and of an element in a binary array."""
    arr = values.as_array() if isinstance(values, Encoded) else values
    lengths = value_lengths(arr)
    if arr.null_count:
        lengths = np.where(np.asarray(arr.is_valid()), lengths, -1)
    prefix = binary_from_matrix(lengths.astype(">i4").view(np.uint8).reshape(-1, 4))
    return pc.binary_join_element_wise(
        prefix, as_binary(arr), b"", null_handling="replace", null_replacement=""
    )


def array_binary(arr: pa.Array) -> pa.Array:
    """array_send: int32 ndim, int32 has-nulls, int32 element oid, per dimension int32 size and
    int32 lower bound (1), then the elements framed as in DataRow. Nested lists must be
    rectangular (PostgreSQL arrays are)."""
    if pa.types.is_list_view(arr.type) or pa.types.is_large_list_view(arr.type):
        arr = pc.cast(arr, pa.large_list(arr.type.value_type))
    if pa.types.is_fixed_size_list(arr.type):
        arr = pc.cast(arr, pa.list_(arr.type.value_type))
    n = len(arr)
    # Walk down the nesting: the dimension sizes of every row, and the leaf values.
    dims: list[np.ndarray] = []
    level = arr
    row_start = np.arange(n + 1, dtype=np.int64)  # index range of each row at this level
    while True:
        t = level.type
        if pa.types.is_fixed_size_list(t):
            level = pc.cast(level, pa.list_(t.value_type))
        if not (pa.types.is_list(level.type) or pa.types.is_large_list(level.type)):
            break
        offsets = np.asarray(level.offsets).astype(np.int64)
        lengths = np.diff(offsets)
        if dims:
            if level.null_count:
                raise PgError("multidimensional arrays must not contain NULL sub-arrays", "2202E")
            # Every sub-array of one row must have the same length.
            counts = np.diff(row_start)
            seen = lengths[row_start[0] : row_start[-1]]
            first_len = np.zeros(n, np.int64)
            has = counts > 0
            first_len[has] = lengths[row_start[:-1][has]]
            if (seen != np.repeat(first_len, counts)).any():
                raise PgError(
                    "multidimensional arrays must have array expressions with matching dimensions",
                    "2202E",
                )
            dims.append(first_len)
        else:
            dims.append(lengths)
        # Offsets index the unsliced child array, so ranges stay absolute at every level.
        row_start = offsets[row_start]
        level = level.values
    leaves = level
    elem_oid = pgt.pg_type_for(leaves.type).oid
    elements = framed(binary_values(leaves))
    # Group the framed leaves by row.
    leaf_offsets = pa.array(row_start.astype(np.int32))
    per_row = pc.binary_join(pa.ListArray.from_arrays(leaf_offsets, elements), b"")
    leaf_null = np.asarray(leaves.is_null()).astype(np.int64) if leaves.null_count else None
    if leaf_null is not None:
        csum = np.concatenate([[0], np.cumsum(leaf_null)])
        has_null = (csum[row_start[1:]] - csum[row_start[:-1]]) > 0
    else:
        has_null = np.zeros(n, bool)
    empty = dims[0] == 0
    ndim = np.where(empty, 0, len(dims))
    header = np.empty((n, 3 + 2 * len(dims)), dtype=">i4")
    header[:, 0] = ndim
    header[:, 1] = has_null
    header[:, 2] = elem_oid
    for k, d in enumerate(dims):
        header[:, 3 + 2 * k] = d
        header[:, 4 + 2 * k] = 1
    head_bytes = header.view(np.uint8).reshape(n, -1)
    full = binary_from_matrix(head_bytes)
    short = binary_from_matrix(np.ascontiguousarray(head_bytes[:, :12]))
    head = pc.if_else(pa.array(empty), short, full)
    out = join(head, per_row)
    if arr.null_count:
        out = pc.if_else(arr.is_valid(), out, pa.scalar(None, pa.binary()))
    return out
