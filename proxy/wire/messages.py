"""PostgreSQL protocol 3.0 messages: a pure codec with no I/O in it.

Every message is a small frozen dataclass that can encode itself and be decoded from
its body. Frontend and backend messages live in separate registries because their
type bytes overlap ('D' is Describe one way and DataRow the other).
"""

from __future__ import annotations

import functools

import struct
from dataclasses import dataclass, field
from typing import ClassVar

from ..errors import ProtocolViolation

I16 = struct.Struct("!h")
I32 = struct.Struct("!i")
U32 = struct.Struct("!I")
HEADER = struct.Struct("!ci")  # type byte + length (length counts itself, not the type byte)

PROTOCOL_3_0 = 196608
SSL_REQUEST = 80877103
GSSENC_REQUEST = 80877104
CANCEL_REQUEST = 80877102

MAX_MESSAGE_BYTES = 256 * 1024 * 1024  # large COPY chunks and huge queries are still bounded


class Reader:
    """Cursor over one message body; every read is bounds-checked."""

    __slots__ = ("buf", "pos")

    def __init__(self, buf: bytes) -> None:
        self.buf = buf
        self.pos = 0

    def _take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.buf):
            raise ProtocolViolation("message is shorter than its contents claim")
        chunk = self.buf[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def i16(self) -> int:
        return I16.unpack(self._take(2))[0]

    def i32(self) -> int:
        return I32.unpack(self._take(4))[0]

    def byte(self) -> bytes:
        return self._take(1)

    def cstr(self) -> str:
        end = self.buf.find(b"\0", self.pos)
        if end < 0:
            raise ProtocolViolation("unterminated string in message")
        raw = self.buf[self.pos : end]
        self.pos = end + 1
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ProtocolViolation("invalid UTF-8 in message", "22021") from None

    def rest(self) -> bytes:
        chunk = self.buf[self.pos :]
        self.pos = len(self.buf)
        return chunk

    def done(self) -> None:
        if self.pos != len(self.buf):
            raise ProtocolViolation("message has trailing bytes")


def cstr(s: str) -> bytes:
    return s.encode("utf-8") + b"\0"


def frame(type_byte: bytes, body: bytes) -> bytes:
    return HEADER.pack(type_byte, len(body) + 4) + body


class Message:
    type: ClassVar[bytes] = b""

    def body(self) -> bytes:
        return b""

    def encode(self) -> bytes:
        return frame(self.type, self.body())

    @classmethod
    def decode_body(cls, r: Reader):
        return cls()


FRONTEND: dict[bytes, type[Message]] = {}
BACKEND: dict[bytes, type[Message]] = {}


def frontend(cls):
    FRONTEND[cls.type] = cls
    return cls


def backend(cls):
    BACKEND[cls.type] = cls
    return cls


def decode(registry: dict[bytes, type[Message]], type_byte: bytes, body: bytes) -> Message:
    cls = registry.get(type_byte)
    if cls is None:
        raise ProtocolViolation(f"invalid message type {type_byte!r}")
    r = Reader(body)
    msg = cls.decode_body(r)
    r.done()
    return msg


def decode_frontend(type_byte: bytes, body: bytes) -> Message:
    return decode(FRONTEND, type_byte, body)


def decode_backend(type_byte: bytes, body: bytes) -> Message:
    return decode(BACKEND, type_byte, body)


# ---------------------------------------------------------------- startup phase


@dataclass(frozen=True)
class StartupMessage:
    params: dict[str, str]
    protocol: int = PROTOCOL_3_0

    def encode(self) -> bytes:
        body = I32.pack(self.protocol)
        body += b"".join(cstr(k) + cstr(v) for k, v in self.params.items()) + b"\0"
        return I32.pack(len(body) + 4) + body


@dataclass(frozen=True)
class SSLRequest:
    def encode(self) -> bytes:
        return I32.pack(8) + I32.pack(SSL_REQUEST)


@dataclass(frozen=True)
class GSSENCRequest:
    def encode(self) -> bytes:
        return I32.pack(8) + I32.pack(GSSENC_REQUEST)


@dataclass(frozen=True)
class CancelRequest:
    pid: int
    secret: int

    def encode(self) -> bytes:
        return I32.pack(16) + I32.pack(CANCEL_REQUEST) + I32.pack(self.pid) + I32.pack(self.secret)


def decode_startup(body: bytes):
    """Decode the untyped first packet's body (everything after its length)."""
    r = Reader(body)
    code = r.i32()
    if code == SSL_REQUEST:
        r.done()
        return SSLRequest()
    if code == GSSENC_REQUEST:
        r.done()
        return GSSENCRequest()
    if code == CANCEL_REQUEST:
        pid, secret = r.i32(), r.i32()
        r.done()
        return CancelRequest(pid, secret)
    if code >> 16 != 3:
        raise ProtocolViolation(
            f"unsupported frontend protocol {code >> 16}.{code & 0xFFFF}: server supports 3.0", "0A000"
        )
    params: dict[str, str] = {}
    while True:
        key = r.cstr()
        if not key:
            break
        params[key] = r.cstr()
    r.done()
    return StartupMessage(params, code)


# ---------------------------------------------------------------- frontend messages


@frontend
@dataclass(frozen=True)
class Query(Message):
    type: ClassVar[bytes] = b"Q"
    sql: str

    def body(self) -> bytes:
        return cstr(self.sql)

    @classmethod
    def decode_body(cls, r):
        return cls(r.cstr())


@frontend
@dataclass(frozen=True)
class Parse(Message):
    type: ClassVar[bytes] = b"P"
    name: str
    sql: str
    param_oids: tuple[int, ...] = ()

    def body(self) -> bytes:
        oids = b"".join(U32.pack(o) for o in self.param_oids)
        return cstr(self.name) + cstr(self.sql) + I16.pack(len(self.param_oids)) + oids

    @classmethod
    def decode_body(cls, r):
        name, sql = r.cstr(), r.cstr()
        n = r.i16()
        return cls(name, sql, tuple(U32.unpack(r._take(4))[0] for _ in range(max(n, 0))))


@frontend
@dataclass(frozen=True)
class Bind(Message):
    type: ClassVar[bytes] = b"B"
    portal: str
    statement: str
    param_formats: tuple[int, ...] = ()
    params: tuple[bytes | None, ...] = ()
    result_formats: tuple[int, ...] = ()

    def body(self) -> bytes:
        out = [cstr(self.portal), cstr(self.statement), I16.pack(len(self.param_formats))]
        out += [I16.pack(f) for f in self.param_formats]
        out.append(I16.pack(len(self.params)))
        for p in self.params:
            out.append(I32.pack(-1) if p is None else I32.pack(len(p)) + p)
        out.append(I16.pack(len(self.result_formats)))
        out += [I16.pack(f) for f in self.result_formats]
        return b"".join(out)

    @classmethod
    def decode_body(cls, r):
        portal, statement = r.cstr(), r.cstr()
        pfmts = tuple(r.i16() for _ in range(max(r.i16(), 0)))
        params = []
        for _ in range(max(r.i16(), 0)):
            n = r.i32()
            params.append(None if n < 0 else r._take(n))
        rfmts = tuple(r.i16() for _ in range(max(r.i16(), 0)))
        return cls(portal, statement, pfmts, tuple(params), rfmts)


@frontend
@dataclass(frozen=True)
class Describe(Message):
    type: ClassVar[bytes] = b"D"
    kind: str  # 'S' statement or 'P' portal
    name: str

    def body(self) -> bytes:
        return self.kind.encode() + cstr(self.name)

    @classmethod
    def decode_body(cls, r):
        kind = r.byte().decode("latin-1")
        if kind not in ("S", "P"):
            raise ProtocolViolation(f"invalid DESCRIBE message subtype {kind!r}")
        return cls(kind, r.cstr())


@frontend
@dataclass(frozen=True)
class Close(Message):
    type: ClassVar[bytes] = b"C"
    kind: str
    name: str

    def body(self) -> bytes:
        return self.kind.encode() + cstr(self.name)

    @classmethod
    def decode_body(cls, r):
        kind = r.byte().decode("latin-1")
        if kind not in ("S", "P"):
            raise ProtocolViolation(f"invalid CLOSE message subtype {kind!r}")
        return cls(kind, r.cstr())


@frontend
@dataclass(frozen=True)
class Execute(Message):
    type: ClassVar[bytes] = b"E"
    portal: str
    max_rows: int = 0

    def body(self) -> bytes:
        return cstr(self.portal) + I32.pack(self.max_rows)

    @classmethod
    def decode_body(cls, r):
        return cls(r.cstr(), r.i32())


@frontend
@dataclass(frozen=True)
class Sync(Message):
    type: ClassVar[bytes] = b"S"


@frontend
@dataclass(frozen=True)
class Flush(Message):
    type: ClassVar[bytes] = b"H"


@frontend
@dataclass(frozen=True)
class Terminate(Message):
    type: ClassVar[bytes] = b"X"


@frontend
@dataclass(frozen=True)
class PasswordMessage(Message):
    """'p': a password, or a SASL initial/continuation response; the auth step interprets it."""

    type: ClassVar[bytes] = b"p"
    data: bytes

    def body(self) -> bytes:
        return self.data

    @classmethod
    def decode_body(cls, r):
        return cls(r.rest())


@frontend
@dataclass(frozen=True)
class CopyFail(Message):
    type: ClassVar[bytes] = b"f"
    message: str

    def body(self) -> bytes:
        return cstr(self.message)

    @classmethod
    def decode_body(cls, r):
        return cls(r.cstr())


@frontend
@dataclass(frozen=True)
class FunctionCall(Message):
    """Fast-path function call: decoded only so it can be refused cleanly."""

    type: ClassVar[bytes] = b"F"
    raw: bytes = b""

    def body(self) -> bytes:
        return self.raw

    @classmethod
    def decode_body(cls, r):
        return cls(r.rest())


@dataclass(frozen=True)
class CopyData(Message):
    type: ClassVar[bytes] = b"d"
    data: bytes

    def body(self) -> bytes:
        return self.data

    @classmethod
    def decode_body(cls, r):
        return cls(r.rest())


@dataclass(frozen=True)
class CopyDone(Message):
    type: ClassVar[bytes] = b"c"


for _cls in (CopyData, CopyDone):  # both directions
    FRONTEND[_cls.type] = _cls
    BACKEND[_cls.type] = _cls


# ---------------------------------------------------------------- backend messages


@backend
@dataclass(frozen=True)
class Authentication(Message):
    """'R': code 0 ok, 3 cleartext, 5 md5 (payload = salt), 10 SASL (payload = mechanisms),
    11 SASL continue, 12 SASL final."""

    type: ClassVar[bytes] = b"R"
    code: int
    payload: bytes = b""

    def body(self) -> bytes:
        return I32.pack(self.code) + self.payload

    @classmethod
    def decode_body(cls, r):
        return cls(r.i32(), r.rest())


@backend
@dataclass(frozen=True)
class ParameterStatus(Message):
    type: ClassVar[bytes] = b"S"
    name: str
    value: str

    def body(self) -> bytes:
        return cstr(self.name) + cstr(self.value)

    @classmethod
    def decode_body(cls, r):
        return cls(r.cstr(), r.cstr())


@backend
@dataclass(frozen=True)
class BackendKeyData(Message):
    type: ClassVar[bytes] = b"K"
    pid: int
    secret: int

    def body(self) -> bytes:
        return I32.pack(self.pid) + I32.pack(self.secret)

    @classmethod
    def decode_body(cls, r):
        return cls(r.i32(), r.i32())


@backend
@dataclass(frozen=True)
class ReadyForQuery(Message):
    type: ClassVar[bytes] = b"Z"
    status: str  # 'I' idle, 'T' in transaction, 'E' failed transaction

    def body(self) -> bytes:
        return self.status.encode()

    @classmethod
    def decode_body(cls, r):
        return cls(r.byte().decode())


@dataclass(frozen=True)
class FieldDescription:
    name: str
    type_oid: int
    type_size: int = -1
    type_modifier: int = -1
    format: int = 0
    table_oid: int = 0
    column_number: int = 0


FIELD = struct.Struct("!IhIhih")


@backend
@dataclass(frozen=True)
class RowDescription(Message):
    type: ClassVar[bytes] = b"T"
    fields: tuple[FieldDescription, ...]

    @functools.cached_property
    def _encoded(self) -> bytes:
        return frame(self.type, self.body())

    def encode(self) -> bytes:
        return self._encoded  # results.row_description hands out one object per result shape

    def body(self) -> bytes:
        out = [I16.pack(len(self.fields))]
        for f in self.fields:
            out.append(cstr(f.name))
            out.append(FIELD.pack(f.table_oid, f.column_number, f.type_oid, f.type_size, f.type_modifier, f.format))
        return b"".join(out)

    @classmethod
    def decode_body(cls, r):
        fields = []
        for _ in range(r.i16()):
            name = r.cstr()
            t, c, oid, size, mod, fmt = FIELD.unpack(r._take(FIELD.size))
            fields.append(FieldDescription(name, oid, size, mod, fmt, t, c))
        return cls(tuple(fields))


@backend
@dataclass(frozen=True)
class DataRow(Message):
    """One row; the hot path encodes whole batches in proxy.wire.datarow instead."""

    type: ClassVar[bytes] = b"D"
    values: tuple[bytes | None, ...]

    def body(self) -> bytes:
        out = [I16.pack(len(self.values))]
        for v in self.values:
            out.append(I32.pack(-1) if v is None else I32.pack(len(v)) + v)
        return b"".join(out)

    @classmethod
    def decode_body(cls, r):
        values = []
        for _ in range(r.i16()):
            n = r.i32()
            values.append(None if n < 0 else r._take(n))
        return cls(tuple(values))


@backend
@dataclass(frozen=True)
class CommandComplete(Message):
    type: ClassVar[bytes] = b"C"
    tag: str

    def body(self) -> bytes:
        return cstr(self.tag)

    @classmethod
    def decode_body(cls, r):
        return cls(r.cstr())


@backend
@dataclass(frozen=True)
class EmptyQueryResponse(Message):
    type: ClassVar[bytes] = b"I"


# Field codes of ErrorResponse / NoticeResponse.
FIELD_CODES = {
    "severity": "S", "severity_v": "V", "code": "C", "message": "M", "detail": "D",
    "hint": "H", "position": "P", "internal_position": "p", "internal_query": "q", "where": "W",
    "schema": "s", "table": "t", "column": "c", "data_type": "d", "constraint": "n",
    "file": "F", "line": "L", "routine": "R",
}


@dataclass(frozen=True)
class _Fields(Message):
    fields: tuple[tuple[str, str], ...]  # (code letter, value)

    def body(self) -> bytes:
        return b"".join(k.encode() + cstr(v) for k, v in self.fields) + b"\0"

    @classmethod
    def decode_body(cls, r):
        fields = []
        while True:
            code = r.byte()
            if code == b"\0":
                break
            fields.append((code.decode("latin-1"), r.cstr()))
        return cls(tuple(fields))

    def get(self, code: str) -> str | None:
        return next((v for k, v in self.fields if k == code), None)


@backend
@dataclass(frozen=True)
class ErrorResponse(_Fields):
    type: ClassVar[bytes] = b"E"


@backend
@dataclass(frozen=True)
class NoticeResponse(_Fields):
    type: ClassVar[bytes] = b"N"


@backend
@dataclass(frozen=True)
class ParseComplete(Message):
    type: ClassVar[bytes] = b"1"


@backend
@dataclass(frozen=True)
class BindComplete(Message):
    type: ClassVar[bytes] = b"2"


@backend
@dataclass(frozen=True)
class CloseComplete(Message):
    type: ClassVar[bytes] = b"3"


@backend
@dataclass(frozen=True)
class NoData(Message):
    type: ClassVar[bytes] = b"n"


@backend
@dataclass(frozen=True)
class PortalSuspended(Message):
    type: ClassVar[bytes] = b"s"


@backend
@dataclass(frozen=True)
class ParameterDescription(Message):
    type: ClassVar[bytes] = b"t"
    oids: tuple[int, ...]

    def body(self) -> bytes:
        return I16.pack(len(self.oids)) + b"".join(U32.pack(o) for o in self.oids)

    @classmethod
    def decode_body(cls, r):
        return cls(tuple(U32.unpack(r._take(4))[0] for _ in range(r.i16())))


@dataclass(frozen=True)
class _CopyResponse(Message):
    format: int  # 0 text, 1 binary
    column_formats: tuple[int, ...] = field(default=())

    def body(self) -> bytes:
        return bytes([self.format]) + I16.pack(len(self.column_formats)) + b"".join(
            I16.pack(f) for f in self.column_formats
        )

    @classmethod
    def decode_body(cls, r):
        fmt = r.byte()[0]
        return cls(fmt, tuple(r.i16() for _ in range(r.i16())))


@backend
@dataclass(frozen=True)
class CopyInResponse(_CopyResponse):
    type: ClassVar[bytes] = b"G"


@backend
@dataclass(frozen=True)
class CopyOutResponse(_CopyResponse):
    type: ClassVar[bytes] = b"H"


@backend
@dataclass(frozen=True)
class NotificationResponse(Message):
    type: ClassVar[bytes] = b"A"
    pid: int
    channel: str
    payload: str

    def body(self) -> bytes:
        return I32.pack(self.pid) + cstr(self.channel) + cstr(self.payload)

    @classmethod
    def decode_body(cls, r):
        return cls(r.i32(), r.cstr(), r.cstr())
