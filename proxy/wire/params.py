"""Bind parameter values (text or binary format) -> Python values to bind to the engine.

Values of undeclared type (OID 0, unknown, text-like) stay `str`: the engine casts them
where they are used, as PostgreSQL does with unknown-type literals. Declared types are
parsed like PostgreSQL's input (text) and receive (binary) functions; bad input raises
PgError with 22P02 (text), 22P03 (binary), 22003 (out of range) or 22007/22008 (dates).
"""

from __future__ import annotations

import datetime as dt
import json
import struct
import uuid
from collections.abc import Callable
from decimal import Context, Decimal, InvalidOperation

from ..errors import PgError
from . import types as pgt
from .interval_input import parse_interval

_TYPE_NAMES = {
    pgt.INT2: "smallint", pgt.INT4: "integer", pgt.INT8: "bigint", pgt.OID: "oid",
    pgt.FLOAT4: "real", pgt.FLOAT8: "double precision", pgt.NUMERIC: "numeric",
    pgt.BOOL: "boolean", pgt.DATE: "date", pgt.TIME: "time without time zone",
    pgt.TIMETZ: "time with time zone", pgt.TIMESTAMP: "timestamp without time zone",
    pgt.TIMESTAMPTZ: "timestamp with time zone", pgt.INTERVAL: "interval", pgt.UUID: "uuid",
    pgt.JSON: "json", pgt.JSONB: "json", pgt.BYTEA: "bytea",
}
_INT_RANGES = {
    pgt.INT2: (-(2**15), 2**15 - 1), pgt.INT4: (-(2**31), 2**31 - 1),
    pgt.INT8: (-(2**63), 2**63 - 1), pgt.OID: (-(2**31), 2**32 - 1),
}
PG_EPOCH = dt.datetime(2000, 1, 1)
PG_EPOCH_DATE = dt.date(2000, 1, 1)
_I64_MAX, _I64_MIN = 2**63 - 1, -(2**63)
_I32_MAX, _I32_MIN = 2**31 - 1, -(2**31)


def _syntax(oid: int, text: str) -> PgError:
    name = _TYPE_NAMES.get(oid, pgt.PG_TYPES[oid].name if oid in pgt.PG_TYPES else str(oid))
    code = "22007" if oid in (pgt.DATE, pgt.TIME, pgt.TIMETZ, pgt.TIMESTAMP, pgt.TIMESTAMPTZ, pgt.INTERVAL) else "22P02"
    return PgError(f'invalid input syntax for type {name}: "{text}"', code)


def _binary_error(oid: int) -> PgError:
    name = pgt.PG_TYPES[oid].name if oid in pgt.PG_TYPES else str(oid)
    return PgError(f"incorrect binary data format in bind parameter of type {name}", "22P03")


def decode_param(value: bytes | None, oid: int, fmt: int, *, tz: str = "UTC") -> object:
    """The Python value of one Bind parameter. tz: the session TimeZone (for timestamptz text
    without an offset)."""
    if value is None:
        return None
    if fmt == 1:
        return decode_binary(bytes(value), oid)
    try:
        text = bytes(value).decode("utf-8")
    except UnicodeDecodeError:
        raise PgError('invalid byte sequence for encoding "UTF8"', "22021") from None
    return decode_text(text, oid, tz=tz)


# -- text format -------------------------------------------------------------------------


def decode_text(text: str, oid: int, *, tz: str = "UTC") -> object:
    pg = pgt.PG_TYPES.get(oid)
    if pg is not None and pg.is_array:
        return parse_array_text(text, pg.elem_oid, tz=tz)
    parser = _TEXT_PARSERS.get(oid)
    if parser is None:
        return text
    return parser(text, oid, tz)


def _int(text: str, oid: int, tz: str) -> int:
    s = text.strip()
    digits = s[1:] if s[:1] in "+-" else s
    if not digits.isascii() or not digits.isdigit():
        raise _syntax(oid, text)
    v = int(s)
    lo, hi = _INT_RANGES[oid]
    if not lo <= v <= hi:
        raise PgError(f'value "{text}" is out of range for type {_TYPE_NAMES[oid]}', "22003")
    return v


_FLOAT_SPECIAL = {"nan": float("nan"), "infinity": float("inf"), "+infinity": float("inf"),
                  "-infinity": float("-inf"), "inf": float("inf"), "+inf": float("inf"),
                  "-inf": float("-inf")}


def _float(text: str, oid: int, tz: str) -> float:
    s = text.strip()
    special = _FLOAT_SPECIAL.get(s.lower())
    if special is not None:
        return special
    if "_" in s or not s.isascii():
        raise _syntax(oid, text)
    try:
        v = float(s)
    except ValueError:
        raise _syntax(oid, text) from None
    limit = 3.4028234663852886e38 if oid == pgt.FLOAT4 else 1.7976931348623157e308
    if v != v or abs(v) > limit or (v in (float("inf"), float("-inf"))):
        raise PgError(f'"{s}" is out of range for type {_TYPE_NAMES[oid]}', "22003")
    return v


def _numeric(text: str, oid: int, tz: str) -> Decimal:
    s = text.strip()
    low = s.lower()
    if low == "nan":
        return Decimal("NaN")
    if low in ("infinity", "+infinity", "-infinity", "inf", "+inf", "-inf"):
        return Decimal("-Infinity" if low.startswith("-") else "Infinity")
    if "_" in s or not s.isascii() or "n" in low or "i" in low:
        raise _syntax(oid, text)
    try:
        return Decimal(s)
    except InvalidOperation:
        raise _syntax(oid, text) from None


def _bool(text: str, oid: int, tz: str) -> bool:
    # parse_bool_with_len: unique prefixes of true/false/yes/no, on/off (two letters), 1/0.
    s = text.strip().lower()
    if s:
        if "true".startswith(s) or "yes".startswith(s) or s in ("on", "1"):
            return True
        if "false".startswith(s) or "no".startswith(s) or s in ("off", "of", "0"):
            return False
    raise _syntax(oid, text)


def _str(text: str, oid: int, tz: str) -> str:
    return text


def _json(text: str, oid: int, tz: str) -> str:
    try:
        json.loads(text)
    except ValueError:
        raise _syntax(oid, text) from None
    return text


def _bytea(text: str, oid: int, tz: str) -> bytes:
    if text.startswith("\\x"):
        try:
            return bytes.fromhex(text[2:])
        except ValueError:
            raise PgError(f'invalid hexadecimal data: "{text}"', "22023") from None
    out = bytearray()
    i, raw = 0, text.encode("utf-8")
    while i < len(raw):
        c = raw[i]
        if c != 0x5C:
            out.append(c)
            i += 1
        elif raw[i + 1 : i + 2] == b"\\":
            out.append(0x5C)
            i += 2
        elif len(raw) >= i + 4 and all(0x30 <= d <= 0x37 for d in raw[i + 1 : i + 4]) and raw[i + 1] <= 0x33:
            out.append(int(raw[i + 1 : i + 4], 8))
            i += 4
        else:
            raise _syntax(oid, text)
    return bytes(out)


def _uuid(text: str, oid: int, tz: str) -> uuid.UUID:
    try:
        return uuid.UUID(text.strip())
    except ValueError:
        raise _syntax(oid, text) from None


def _oid_or_name(text: str, oid: int, tz: str) -> int | str:
    s = text.strip()
    return int(s) if s.isascii() and s.isdigit() else text


def _char(text: str, oid: int, tz: str) -> str:
    return text[:1]


def _date(text: str, oid: int, tz: str) -> dt.date | str:
    from .datetime_input import parse_date

    return parse_date(text, oid, _syntax)


def _time(text: str, oid: int, tz: str) -> dt.time | str:
    from .datetime_input import parse_time

    return parse_time(text, oid, _syntax)


def _timestamp(text: str, oid: int, tz: str) -> dt.datetime | str:
    from .datetime_input import parse_timestamp

    return parse_timestamp(text, oid, tz, _syntax)


def _interval(text: str, oid: int, tz: str) -> dt.timedelta | str:
    try:
        months, days, micros = parse_interval(text)
    except ValueError:
        raise _syntax(oid, text) from None
    return interval_value(months, days, micros)


def interval_value(months: int, days: int, micros: int) -> dt.timedelta | str:
    """A timedelta when the interval has no months (timedelta has none), else a string the
    engine casts to an interval."""
    if months == 0:
        return dt.timedelta(days=days, microseconds=micros)
    return f"{months} months {days} days {micros} microseconds"


_TEXT_PARSERS: dict[int, Callable[[str, int, str], object]] = {
    pgt.BOOL: _bool, pgt.BYTEA: _bytea, pgt.CHAR: _char,
    pgt.INT2: _int, pgt.INT4: _int, pgt.INT8: _int, pgt.OID: _int,
    pgt.FLOAT4: _float, pgt.FLOAT8: _float, pgt.NUMERIC: _numeric,
    pgt.JSON: _json, pgt.JSONB: _json, pgt.UUID: _uuid,
    pgt.DATE: _date, pgt.TIME: _time, pgt.TIMETZ: _time,
    pgt.TIMESTAMP: _timestamp, pgt.TIMESTAMPTZ: _timestamp, pgt.INTERVAL: _interval,
    pgt.REGPROC: _oid_or_name, pgt.REGCLASS: _oid_or_name, pgt.REGTYPE: _oid_or_name,
    28: _oid_or_name, 29: _oid_or_name,
}


def parse_array_text(text: str, elem_oid: int, *, tz: str = "UTC") -> list:
    """array_in: '{1,2,NULL}', '{"a b","x\\"y"}', '{{1,2},{3,4}}' (with optional '[1:2]=' bounds)."""
    s = text.strip()
    if s.startswith("["):  # explicit bounds, e.g. '[0:1]={1,2}': the bounds are dropped
        eq = s.find("=")
        if eq < 0:
            raise _syntax(elem_oid, text)
        s = s[eq + 1 :].strip()
    if not s.startswith("{"):
        raise PgError(f'malformed array literal: "{text}"', "22P02")
    pos = 0

    def parse_level() -> list:
        nonlocal pos
        assert s[pos] == "{"
        pos += 1
        items: list = []
        expect_item = True
        while pos < len(s):
            c = s[pos]
            if c.isspace():
                pos += 1
            elif c == "}":
                pos += 1
                return items
            elif c == ",":
                if expect_item:
                    break
                expect_item = True
                pos += 1
            elif not expect_item:
                break
            elif c == "{":
                items.append(parse_level())
                expect_item = False
            else:
                items.append(parse_element())
                expect_item = False
        raise PgError(f'malformed array literal: "{text}"', "22P02")

    def parse_element() -> object:
        nonlocal pos
        chars: list[str] = []
        quoted_any = False
        while pos < len(s):
            c = s[pos]
            if c == '"':
                quoted_any = True
                pos += 1
                while pos < len(s) and s[pos] != '"':
                    if s[pos] == "\\":
                        pos += 1
                    chars.append(s[pos])
                    pos += 1
                pos += 1
            elif c == "\\":
                chars.append(s[pos + 1])
                pos += 2
            elif c in ",}":
                break
            elif c == "{":
                raise PgError(f'malformed array literal: "{text}"', "22P02")
            else:
                chars.append(c)
                pos += 1
        raw = "".join(chars) if quoted_any else "".join(chars).strip()
        if not quoted_any and raw.upper() == "NULL":
            return None
        return decode_text(raw, elem_oid, tz=tz)

    result = parse_level()
    if s[pos:].strip():
        raise PgError(f'malformed array literal: "{text}"', "22P02")
    return result


# -- binary format -----------------------------------------------------------------------

_STRUCTS = {pgt.INT2: struct.Struct(">h"), pgt.INT4: struct.Struct(">i"), pgt.INT8: struct.Struct(">q"),
            pgt.OID: struct.Struct(">I"), pgt.FLOAT4: struct.Struct(">f"), pgt.FLOAT8: struct.Struct(">d"),
            pgt.REGPROC: struct.Struct(">I"), pgt.REGCLASS: struct.Struct(">I"), pgt.REGTYPE: struct.Struct(">I"),
            28: struct.Struct(">I"), 29: struct.Struct(">I")}
_INTERVAL = struct.Struct(">qii")
_TIMETZ = struct.Struct(">qi")
_NUMERIC_HEAD = struct.Struct(">hhHh")
_WIDE = Context(prec=200_000, Emax=10**9, Emin=-(10**9))  # numeric has up to 147455 digits
_ARRAY_HEAD = struct.Struct(">iiI")
_DIM = struct.Struct(">ii")
_LEN = struct.Struct(">i")


def decode_binary(data: bytes, oid: int) -> object:
    pg = pgt.PG_TYPES.get(oid)
    if pg is not None and pg.is_array:
        return parse_array_binary(data, pg.elem_oid)
    if oid in _STRUCTS:
        st = _STRUCTS[oid]
        if len(data) != st.size:
            raise _binary_error(oid)
        return st.unpack(data)[0]
    parser = _BINARY_PARSERS.get(oid)
    if parser is not None:
        try:
            return parser(data)
        except PgError:
            raise
        except (struct.error, ValueError, IndexError, UnicodeDecodeError):
            raise _binary_error(oid) from None
    if oid in pgt.TEXT_LIKE_OIDS or oid not in pgt.PG_TYPES:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise PgError('invalid byte sequence for encoding "UTF8"', "22021") from None
    raise PgError(f"no binary input function available for type {pg.name}", "42883")


def _bool_bin(data: bytes) -> bool:
    if len(data) != 1:
        raise ValueError
    return data != b"\x00"


def _numeric_bin(data: bytes) -> Decimal:
    ndigits, weight, sign, dscale = _NUMERIC_HEAD.unpack_from(data)
    if len(data) != 8 + 2 * ndigits or ndigits < 0:
        raise ValueError
    if sign == 0xC000:
        return Decimal("NaN")
    if sign in (0xD000, 0xF000):
        return Decimal("Infinity" if sign == 0xD000 else "-Infinity")
    if sign not in (0, 0x4000):
        raise ValueError
    digits = struct.unpack_from(f">{ndigits}H", data, 8)
    if any(d > 9999 for d in digits) or dscale < 0:
        raise ValueError
    value = 0
    for d in digits:
        value = value * 10000 + d
    # The last digit group stands for 10000 ** (weight - ndigits + 1); dscale digits shown.
    exact = Decimal(-value if sign else value).scaleb(4 * (weight - ndigits + 1), context=_WIDE)
    return exact.quantize(Decimal(1).scaleb(-dscale), context=_WIDE)


def _date_bin(data: bytes) -> dt.date | str:
    (days,) = struct.unpack(">i", data)
    if days == _I32_MAX:
        return "infinity"
    if days == _I32_MIN:
        return "-infinity"
    try:
        return PG_EPOCH_DATE + dt.timedelta(days=days)
    except OverflowError:
        raise PgError("date out of range", "22008") from None


def _time_bin(data: bytes) -> dt.time:
    (us,) = struct.unpack(">q", data)
    if not 0 <= us <= 86_400_000_000:
        raise PgError("time out of range", "22008")
    if us == 86_400_000_000:
        return dt.time(0)  # 24:00:00 is not a Python time; midnight is the closest
    return (dt.datetime.min + dt.timedelta(microseconds=us)).time()


def _timetz_bin(data: bytes) -> dt.time:
    us, zone = _TIMETZ.unpack(data)
    t = _time_bin(struct.pack(">q", us))
    return t.replace(tzinfo=dt.timezone(dt.timedelta(seconds=-zone)))


def _timestamp_bin(data: bytes, aware: bool) -> dt.datetime | str:
    (us,) = struct.unpack(">q", data)
    if us == _I64_MAX:
        return "infinity"
    if us == _I64_MIN:
        return "-infinity"
    try:
        value = PG_EPOCH + dt.timedelta(microseconds=us)
    except OverflowError:
        raise PgError("timestamp out of range", "22008") from None
    return value.replace(tzinfo=dt.timezone.utc) if aware else value


def _interval_bin(data: bytes) -> dt.timedelta | str:
    us, days, months = _INTERVAL.unpack(data)
    return interval_value(months, days, us)


def _uuid_bin(data: bytes) -> uuid.UUID:
    if len(data) != 16:
        raise ValueError
    return uuid.UUID(bytes=data)


def _jsonb_bin(data: bytes) -> str:
    if data[:1] != b"\x01":
        raise PgError(f"unsupported jsonb version number {data[0] if data else None}", "22P03")
    return data[1:].decode("utf-8")


_BINARY_PARSERS: dict[int, Callable[[bytes], object]] = {
    pgt.BOOL: _bool_bin, pgt.BYTEA: bytes, pgt.CHAR: lambda d: d.decode("latin-1"),
    pgt.NUMERIC: _numeric_bin, pgt.DATE: _date_bin, pgt.TIME: _time_bin, pgt.TIMETZ: _timetz_bin,
    pgt.TIMESTAMP: lambda d: _timestamp_bin(d, False), pgt.TIMESTAMPTZ: lambda d: _timestamp_bin(d, True),
    pgt.INTERVAL: _interval_bin, pgt.UUID: _uuid_bin, pgt.JSON: lambda d: d.decode("utf-8"),
    pgt.JSONB: _jsonb_bin,
}


def parse_array_binary(data: bytes, elem_oid: int) -> list:
    """array_recv: ndim, has-nulls flag, element oid, (size, lower bound) per dimension, then
    length-prefixed elements; returns nested lists."""
    try:
        ndim, _flags, oid = _ARRAY_HEAD.unpack_from(data)
        if ndim < 0 or ndim > 6:
            raise PgError(f"invalid number of dimensions: {ndim}", "22P03")
        pos = _ARRAY_HEAD.size
        dims = []
        for _ in range(ndim):
            size, _lb = _DIM.unpack_from(data, pos)
            if size < 0:
                raise ValueError
            dims.append(size)
            pos += _DIM.size
        if ndim == 0:
            return []
        count = 1
        for d in dims:
            count *= d
        elems = []
        for _ in range(count):
            (length,) = _LEN.unpack_from(data, pos)
            pos += 4
            if length == -1:
                elems.append(None)
                continue
            if length < 0 or pos + length > len(data):
                raise ValueError
            elems.append(decode_binary(data[pos : pos + length], oid or elem_oid))
            pos += length
        if pos != len(data):
            raise ValueError
    except (struct.error, ValueError):
        raise PgError("insufficient data left in message", "22P03") from None
    # Reshape the flat elements into nested lists, innermost dimension last.
    for size in reversed(dims[1:]):
        elems = [elems[i : i + size] for i in range(0, len(elems), size)]
    return elems
