"""Arrow columns -> PostgreSQL text-format values, whole columns at a time.

`text_values(arr, tz)` returns a `binary` array of the same length whose values are the
exact bytes PostgreSQL 15 prints for each value (DateStyle ISO, IntervalStyle postgres,
extra_float_digits 1), NULL where the input is NULL. Rare value shapes (BC dates, floats
outside the range Arrow already prints like PostgreSQL) are fixed on the affected rows
only, still with column-wide compute calls.
"""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import types as pgt
from .datetime_text import iso_dates, iso_times, iso_timestamps
from .arrow_util import _HEX_PAIRS, as_binary, binary_from_matrix, fixed_width_bytes, hex_encode, join, scatter
from .float_text import float_text
from .jsonb_text import jsonb_text


def text_values(arr: pa.Array, tz: str = "UTC") -> pa.Array:
    """PostgreSQL text output of every value of `arr` as a binary array (NULL stays NULL)."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    t = arr.type
    if isinstance(t, pa.BaseExtensionType):
        return _extension_text(arr, tz)
    if pa.types.is_dictionary(t):
        return text_values(arr.dictionary_decode(), tz)
    if pa.types.is_null(t):
        return pa.nulls(len(arr), pa.binary())
    if pa.types.is_boolean(t):
        return bool_text(arr)
    if pa.types.is_integer(t):
        return as_binary(pc.cast(arr, pa.string()))
    if pa.types.is_decimal(t):
        return decimal_text(arr)
    if pa.types.is_floating(t):
        return float_text(arr)
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return as_binary(arr)
    if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_binary_view(t):
        return hex_encode(arr, b"\\x")
    if pa.types.is_fixed_size_binary(t):
        return hex_encode(pc.cast(arr, pa.binary()), b"\\x")
    if pa.types.is_date(t):
        return date_text(arr)
    if pa.types.is_time(t):
        return time_text(arr)
    if pa.types.is_timestamp(t):
        return timestamptz_text(arr, tz) if t.tz is not None else timestamp_text(arr)
    if t == pa.month_day_nano_interval() or pa.types.is_duration(t):
        return interval_text(arr)
    if (
        pa.types.is_list(t)
        or pa.types.is_large_list(t)
        or pa.types.is_fixed_size_list(t)
        or pa.types.is_list_view(t)
        or pa.types.is_large_list_view(t)
    ):
        return array_text(arr, tz)
    return json_text(arr)


# -- scalars ---------------------------------------------------------------------------


def bool_text(arr: pa.Array) -> pa.Array:
    values = np.asarray(pc.fill_null(arr, False))
    mat = np.where(values, np.uint8(ord("t")), np.uint8(ord("f"))).reshape(-1, 1)
    valid = np.asarray(arr.is_valid()) if arr.null_count else None
    return binary_from_matrix(mat, valid)


def unscaled_text(arr: pa.Array) -> pa.Array:
    """The unscaled integer of every decimal as text ('-12345' for -1.2345 at scale 4). Arrow
    prints decimals with scale > 6 in scientific notation ('1E-7'); at scale 0 it never does."""
    t = arr.type
    if pa.types.is_decimal128(t) and t.precision <= 18:
        raw = np.frombuffer(arr.buffers()[1], dtype="<i8")[2 * arr.offset : 2 * (arr.offset + len(arr)) : 2]
        ints = pa.Array.from_buffers(pa.int64(), len(arr), [_validity(arr), pa.py_buffer(np.ascontiguousarray(raw))])
        return pc.cast(ints, pa.string())
    as_int = (pa.decimal128 if pa.types.is_decimal128(t) else pa.decimal256)(t.precision, 0)
    return pc.cast(pa.Array.from_buffers(as_int, len(arr), arr.buffers(), offset=arr.offset), pa.string())


def decimal_text(arr: pa.Array) -> pa.Array:
    """numeric_out: plain digits with exactly `scale` digits after the point."""
    scale = arr.type.scale
    digits = unscaled_text(arr)
    if scale <= 0:
        if scale < 0:
            digits = join(digits, b"0" * -scale)
        return as_binary(digits)
    negative = pc.starts_with(digits, "-")
    magnitude = pc.utf8_lpad(pc.utf8_ltrim(digits, characters="-"), scale + 1, "0")
    return join(
        pc.if_else(negative, b"-", b""),
        pc.utf8_slice_codeunits(magnitude, 0, -scale), b".", pc.utf8_slice_codeunits(magnitude, -scale),
    )


# -- dates and times -------------------------------------------------------------------

_TRAILING_FRACTION_ZEROS = r"\.?0+$"
_US_PER_DAY = 86_400_000_000
_TS_INFINITY = np.iinfo(np.int64).max


def _to_us(arr: pa.Array) -> pa.Array:
    """Timestamps or times at microsecond resolution (nanoseconds floored, like DuckDB)."""
    t = arr.type
    unit = t.unit
    if unit == "us":
        return arr
    base = pa.timestamp("us", t.tz) if pa.types.is_timestamp(t) else pa.time64("us")
    if unit == "ns":
        raw = np.asarray(pc.fill_null(arr.view(pa.int64()), 0)) // 1000
        return pa.Array.from_buffers(
            base, len(arr), [arr.buffers()[0] if not arr.offset else _validity(arr), pa.py_buffer(raw)]
        )
    return pc.cast(arr, base)


def _validity(arr: pa.Array):
    return pa.array(np.asarray(arr.is_valid())).buffers()[1] if arr.null_count else None


def _trim_fraction(s: pa.Array) -> pa.Array:
    """Drop trailing zeros of the 6-digit fraction Arrow prints (and the point if none left)."""
    # Only the fraction may end in zeros here: Arrow always prints six fraction digits.
    return as_binary(pc.replace_substring_regex(pc.cast(s, pa.string()), _TRAILING_FRACTION_ZEROS, ""))


def _valid_np(arr: pa.Array) -> np.ndarray | None:
    return np.asarray(arr.is_valid()) if arr.null_count else None


def time_text(arr: pa.Array) -> pa.Array:
    arr = _to_us(arr)
    return iso_times(np.asarray(pc.fill_null(arr.view(pa.int64()), 0)), _valid_np(arr))


def date_text(arr: pa.Array) -> pa.Array:
    if pa.types.is_date64(arr.type):
        arr = pc.cast(arr, pa.date32())
    days = np.asarray(pc.fill_null(arr.view(pa.int32()), 0)).astype(np.int64)
    fast = iso_dates(days, _valid_np(arr))
    if fast is not None:
        return fast
    out = as_binary(pc.cast(arr, pa.string()))
    return _fix_special_datetimes(out, days, 2147483647, -2147483647, -719162)


def timestamp_text(arr: pa.Array) -> pa.Array:
    arr = _to_us(arr)
    raw = np.asarray(pc.fill_null(arr.view(pa.int64()), 0))
    fast = iso_timestamps(raw, _valid_np(arr))
    if fast is not None:
        return fast
    out = _trim_fraction(pc.cast(arr, pa.string()))
    return _fix_special_datetimes(out, raw, _TS_INFINITY, -_TS_INFINITY, -719162 * _US_PER_DAY)


def timestamptz_text(arr: pa.Array, tz: str) -> pa.Array:
    """Wall-clock time in the session time zone followed by its UTC offset (+00, +05:30)."""
    arr = _to_us(arr)
    utc = np.asarray(pc.fill_null(arr.view(pa.int64()), 0))
    finite = (utc != _TS_INFINITY) & (utc != -_TS_INFINITY)
    safe = pa.Array.from_buffers(
        pa.timestamp("us", tz), len(arr), [_validity(arr), pa.py_buffer(np.where(finite, utc, 0))]
    )
    if tz.upper() in _UTC_NAMES:
        local, local_us = safe.cast(pa.timestamp("us")), np.where(finite, utc, 0)
    else:
        local = pc.local_timestamp(safe)
        local_us = np.asarray(local.view(pa.int64()).fill_null(0))
        local_us, local = _fix_far_future_offsets(utc, finite, local_us, local, tz)
    offset_s = (local_us - np.where(finite, utc, 0)) // 1_000_000
    uniq, inverse = np.unique(offset_s, return_inverse=True)
    texts = [_offset_text(int(o)) for o in uniq]
    if finite.all():
        fast = iso_timestamps(local_us, _valid_np(arr), texts, inverse.ravel())
        if fast is not None:
            return fast
    suffixes = pa.array(texts, pa.binary())
    wall = _trim_fraction(pc.cast(local, pa.string()))
    out = join(wall, pc.take(suffixes, pa.array(inverse.ravel())))
    local_raw = np.where(finite, np.asarray(local.view(pa.int64()).fill_null(0)), utc)
    return _fix_special_datetimes(out, local_raw, _TS_INFINITY, -_TS_INFINITY, -719162 * _US_PER_DAY)


_YEAR_2038_US = 2_145_916_800_000_000  # 2038-01-01 UTC


def _fix_far_future_offsets(utc, finite, local_us, local, tz):
    """Arrow's time zone data stops applying daylight saving time after 2037; PostgreSQL
    (like zoneinfo) keeps following the zone's rule. Far-future rows take zoneinfo's offset."""
    late = finite & (utc >= _YEAR_2038_US)
    if not late.any():
        return local_us, local
    import datetime as dt
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(tz)
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
    local_us = local_us.copy()
    for i in np.flatnonzero(late):  # rare: only timestamps after 2037
        moment = epoch + dt.timedelta(microseconds=int(utc[i]))
        local_us[i] = utc[i] + int(moment.astimezone(zone).utcoffset().total_seconds()) * 1_000_000
    validity = local.buffers()[0] if local.null_count and not local.offset else None
    return local_us, pa.Array.from_buffers(pa.timestamp("us"), len(local_us), [validity, pa.py_buffer(local_us)])


_UTC_NAMES = frozenset({"UTC", "ETC/UTC", "GMT", "ETC/GMT", "Z", "UCT", "ETC/UCT", "ZULU", "UNIVERSAL"})


def _offset_text(seconds: int) -> bytes:
    sign = "-" if seconds < 0 else "+"
    h, rem = divmod(abs(seconds), 3600)
    m, s = divmod(rem, 60)
    text = f"{sign}{h:02d}"
    if m or s:
        text += f":{m:02d}"
    if s:
        text += f":{s:02d}"
    return text.encode()


def _fix_special_datetimes(
    out: pa.Array, raw: np.ndarray, pos_inf: int, neg_inf: int, year_one: int
) -> pa.Array:
    """'infinity' / '-infinity', and years before 1 AD as PostgreSQL writes them ('0044-03-15 BC';
    Arrow writes the astronomical year, -0043)."""
    special = (raw == pos_inf) | (raw == neg_inf) | (raw < year_one)
    if not special.any():
        return out
    idx = np.flatnonzero(special & (raw != pos_inf) & (raw != neg_inf))
    if len(idx):
        bc = pc.cast(pc.take(out, pa.array(idx)), pa.string())
        parts = pc.extract_regex(bc, r"^-?(?P<year>\d+)(?P<rest>.*)$")
        years = 1 - np.asarray(pc.cast(pc.struct_field(parts, ["year"]), pa.int64())) * np.where(
            np.asarray(pc.starts_with(bc, "-")), -1, 1
        )
        year_text = pc.utf8_lpad(pc.cast(pa.array(years), pa.string()), 4, "0")
        out = scatter(out, idx, join(year_text, pc.struct_field(parts, ["rest"]), b" BC"))
    for value, name in ((pos_inf, b"infinity"), (neg_inf, b"-infinity")):
        idx = np.flatnonzero(raw == value)
        if len(idx):
            out = scatter(out, idx, pa.array([name] * len(idx), pa.binary()))
    return out


def interval_text(arr: pa.Array) -> pa.Array:
    """IntervalStyle postgres: '1 year 2 mons -3 days +04:05:06.5', '00:00:00' for zero."""
    if pa.types.is_duration(arr.type):
        us = np.asarray(pc.fill_null(pc.cast(arr, pa.duration("us")).view(pa.int64()), 0))
        months = np.zeros(len(arr), np.int64)
        days = np.zeros(len(arr), np.int64)
    else:
        months, days, us = _interval_fields(arr)
    years = np.trunc(months / 12).astype(np.int64)
    mons = months - years * 12
    n = len(arr)
    pieces: list[pa.Array] = []
    is_zero = np.ones(n, bool)
    is_before = np.zeros(n, bool)
    for value, unit in ((years, "year"), (mons, "mon"), (days, "day")):
        present = value != 0
        lead = np.where(~is_zero, " ", "")
        plus = np.where(is_before & (value > 0), "+", "")
        plural = np.where(value != 1, "s", "")
        text = join(
            pa.array(lead), pa.array(plus), pc.cast(pa.array(value), pa.string()),
            f" {unit}".encode(), pa.array(plural),
        )
        pieces.append(pc.if_else(pa.array(present), text, b""))
        is_before = np.where(present, value < 0, is_before)
        is_zero &= ~present
    has_time = is_zero | (us != 0)
    minus = us < 0
    a = np.abs(us)
    hours, rem = np.divmod(a, 3_600_000_000)
    minutes, rem = np.divmod(rem, 60_000_000)
    seconds, frac = np.divmod(rem, 1_000_000)
    frac_text = pc.utf8_rtrim(pc.utf8_lpad(pc.cast(pa.array(frac), pa.string()), 6, "0"), characters="0")
    time = join(
        pa.array(np.where(is_zero, "", " ")),
        pa.array(np.where(minus, "-", np.where(is_before, "+", ""))),
        _two_digits(hours), b":", _two_digits(minutes), b":", _two_digits(seconds),
        pc.if_else(pa.array(frac != 0), b".", b""), frac_text,
    )
    pieces.append(pc.if_else(pa.array(has_time), time, b""))
    out = join(*pieces)
    if arr.null_count:
        out = pc.if_else(arr.is_valid(), out, pa.scalar(None, pa.binary()))
    return out


def _interval_fields(arr: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(months, days, microseconds) of a month_day_nano_interval array, zeros for NULL."""
    n = len(arr)
    raw = np.frombuffer(arr.buffers()[1], dtype=np.dtype([("m", "<i4"), ("d", "<i4"), ("ns", "<i8")]))
    raw = raw[arr.offset : arr.offset + n]
    months = raw["m"].astype(np.int64)
    days = raw["d"].astype(np.int64)
    us = np.trunc(raw["ns"] / 1000).astype(np.int64) if (raw["ns"] % 1000).any() else raw["ns"] // 1000
    if arr.null_count:
        valid = np.asarray(arr.is_valid())
        months, days, us = months * valid, days * valid, us * valid
    return months, days, us


def _two_digits(values: np.ndarray) -> pa.Array:
    return pc.utf8_lpad(pc.cast(pa.array(values), pa.string()), 2, "0")


# -- extension types -----------------------------------------------------------------


def _extension_text(arr: pa.Array, tz: str) -> pa.Array:
    t = arr.type
    storage = arr.storage
    if t.extension_name in ("arrow.uuid", "duckdb.uuid"):
        return uuid_text(storage)
    if t.extension_name in ("arrow.json", "duckdb.json"):
        return as_binary(storage)
    if t.extension_name == pgt.JSONB_EXTENSION:
        return jsonb_text(storage)
    if t.extension_name == "arrow.bool8":
        return bool_text(pc.not_equal(storage, 0))
    opaque = pgt.duckdb_type_name(t)
    if opaque in ("hugeint", "uhugeint"):
        return as_binary(pc.cast(hugeint_as_decimal(storage, opaque == "uhugeint"), pa.string()))
    if opaque == "time_tz":
        return timetz_text(storage)
    if opaque == "bit":
        return bit_text(storage)
    if opaque in ("bignum", "varint"):
        return decimal_text(bignum_as_decimal(storage))
    if opaque is not None:
        return _per_value_text(storage)
    return text_values(storage, tz)


def uuid_text(storage: pa.Array) -> pa.Array:
    """8-4-4-4-12 lower-case hex of 16-byte values."""
    if not pa.types.is_fixed_size_binary(storage.type):
        return as_binary(storage)
    raw = fixed_width_bytes(storage)
    rows = _HEX_PAIRS[raw].view(np.uint8).reshape(len(storage), 32)
    valid = np.asarray(storage.is_valid()) if storage.null_count else None
    mat = np.full((len(rows), 36), ord("-"), np.uint8)
    for dst, src, w in ((0, 0, 8), (9, 8, 4), (14, 12, 4), (19, 16, 4), (24, 20, 12)):
        mat[:, dst : dst + w] = rows[:, src : src + w]
    return binary_from_matrix(mat, valid)


def hugeint_as_decimal(storage: pa.Array, unsigned: bool) -> pa.Array:
    """DuckDB (u)hugeint as 16-byte little-endian two's complement: the layout of decimal128."""
    # uhugeint values above 2**127 would read as negative; DuckDB rarely produces them.
    return pa.Array.from_buffers(pa.decimal128(38, 0), len(storage), storage.buffers(), offset=storage.offset)


def timetz_fields(storage: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(microseconds since midnight, UTC offset in seconds east) of DuckDB time_tz values:
    the upper 40 bits are the time, the lower 24 bits the offset stored as 57599 - offset."""
    bits = np.frombuffer(fixed_width_bytes(storage).tobytes(), dtype="<u8").astype(np.int64)
    micros = (bits >> 24) & ((1 << 40) - 1)
    offset = 57599 - (bits & 0xFFFFFF)
    return micros, offset


def timetz_text(storage: pa.Array) -> pa.Array:
    micros, offset = timetz_fields(storage)
    times = _trim_fraction(pc.cast(pa.array(micros, pa.time64("us")), pa.string()))
    uniq, inverse = np.unique(offset, return_inverse=True)
    suffixes = pa.array([_offset_text(int(o)) for o in uniq], pa.binary())
    out = join(times, pc.take(suffixes, pa.array(inverse.ravel())))
    if storage.null_count:
        out = pc.if_else(storage.is_valid(), out, pa.scalar(None, pa.binary()))
    return out


def bignum_as_decimal(storage: pa.Array) -> pa.Array:
    """DuckDB BIGNUM (VARINT): a 3-byte header (top bit set for >= 0, then the byte count)
    and big-endian magnitude bytes, all bits inverted for negative numbers."""

    def value(b: bytes | None) -> int | None:
        if b is None:
            return None
        if b[0] & 0x80:
            return int.from_bytes(b[3:], "big")
        return -int.from_bytes(bytes(x ^ 0xFF for x in b[3:]), "big")

    # BIGNUM is rare in results; decoded value by value.
    return pa.array([value(v) for v in storage.to_pylist()], pa.decimal256(76, 0))


def bit_text(storage: pa.Array) -> pa.Array:
    """DuckDB BIT: first byte = number of padding bits in the second byte, then the bits."""
    def render(b: bytes | None) -> bytes | None:
        if b is None:
            return None
        bits = "".join(f"{byte:08b}" for byte in b[1:])
        return bits[b[0]:].encode()

    # BIT is rare in results; rendered value by value.
    return pa.array([render(v) for v in storage.to_pylist()], pa.binary())


# -- arrays and nested values ----------------------------------------------------------

# array_out quotes an element that is empty, equals NULL (any case) or contains one of these.
_NEEDS_QUOTES = r'^$|^[Nn][Uu][Ll][Ll]$|[{}",\\\s]'


def array_text(arr: pa.Array, tz: str) -> pa.Array:
    """'{1,2,NULL}', '{"a b","x\\"y"}', nested lists as '{{1,2},{3,4}}'."""
    if pa.types.is_list_view(arr.type) or pa.types.is_large_list_view(arr.type):
        arr = pc.cast(arr, pa.large_list(arr.type.value_type))
    if pa.types.is_fixed_size_list(arr.type):
        arr = pc.cast(arr, pa.list_(arr.type.value_type))
    offsets = arr.offsets
    first, last = offsets[0].as_py(), offsets[-1].as_py()
    values = arr.values.slice(first, last - first)  # .values ignores the list's own slicing
    nested = pa.types.is_list(values.type) or pa.types.is_large_list(values.type) or pa.types.is_fixed_size_list(values.type)
    elems = text_values(values, tz)
    if not nested:
        text = pc.cast(elems, pa.string())
        quote = pc.match_substring_regex(text, _NEEDS_QUOTES)
        escaped = pc.replace_substring_regex(text, r'(["\\])', r"\\\1")
        quoted = join(b'"', escaped, b'"')
        elems = pc.if_else(pc.fill_null(quote, False), quoted, as_binary(text))
    elems = pc.fill_null(as_binary(elems), b"NULL")
    lists = type(arr).from_arrays(
        pc.subtract(offsets, first) if first else offsets, elems, mask=pc.invert(arr.is_valid()) if arr.null_count else None
    )
    return join(b"{", pc.binary_join(lists, b","), b"}")


def json_text(arr: pa.Array) -> pa.Array:
    """Struct, map, union and other nested values: JSON text (no PostgreSQL equivalent)."""
    return _per_value_text(arr, as_json=True)


def _per_value_text(arr: pa.Array, as_json: bool = False) -> pa.Array:
    # Nested and exotic types only: converted value by value (not on the common paths).
    def render(v):
        if v is None:
            return None
        if as_json:
            return json.dumps(v, default=str, ensure_ascii=False).encode()
        return str(v).encode()

    try:
        values = arr.to_pylist(maps_as_pydicts="lossy")  # maps as JSON objects
    except TypeError:
        values = arr.to_pylist()
    return pa.array([render(v) for v in values], pa.binary())
