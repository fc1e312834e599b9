"""A round trip per protocol message: encode, split the frame, decode, compare."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from askgres.proxy.errors import ProtocolViolation
from askgres.proxy.wire import messages as m

FRONTEND_SAMPLES = [
    m.Query("SELECT 1; SELECT 'é'"),
    m.Parse("s1", "SELECT $1::int + $2", (23, 0)),
    m.Parse("", "SELECT 1"),
    m.Bind("p", "s1", (0, 1), (b"12", None), (1,)),
    m.Bind("", "", (), (), ()),
    m.Describe("S", "s1"),
    m.Describe("P", ""),
    m.Close("P", "p"),
    m.Execute("p", 2048),
    m.Sync(),
    m.Flush(),
    m.Terminate(),
    m.PasswordMessage(b"secret\0"),
    m.CopyData(b"1\tx\n"),
    m.CopyDone(),
    m.CopyFail("client gave up"),
]

BACKEND_SAMPLES = [
    m.Authentication(0),
    m.Authentication(5, b"salt"),
    m.Authentication(10, b"SCRAM-SHA-256\0\0"),
    m.ParameterStatus("TimeZone", "UTC"),
    m.BackendKeyData(1234, 987654),
    m.ReadyForQuery("T"),
    m.RowDescription((m.FieldDescription("a", 23, 4, -1, 0), m.FieldDescription("b", 25, -1, -1, 1, 16390, 2))),
    m.DataRow((b"1", None, b"")),
    m.CommandComplete("SELECT 1"),
    m.EmptyQueryResponse(),
    m.ErrorResponse((("S", "ERROR"), ("C", "42601"), ("M", "syntax error"), ("P", "8"))),
    m.NoticeResponse((("S", "NOTICE"), ("C", "00000"), ("M", "hi"))),
    m.ParseComplete(), m.BindComplete(), m.CloseComplete(), m.NoData(), m.PortalSuspended(),
    m.ParameterDescription((23, 25)),
    m.CopyInResponse(0, (0, 0)),
    m.CopyOutResponse(0, (0,)),
    m.CopyData(b"x"), m.CopyDone(),
    m.NotificationResponse(7, "chan", "payload"),
]


def split(frame: bytes) -> tuple[bytes, bytes]:
    type_byte, length = m.HEADER.unpack(frame[:5])
    assert length == len(frame) - 1
    return type_byte, frame[5:]


@pytest.mark.parametrize("msg", FRONTEND_SAMPLES, ids=lambda x: type(x).__name__)
def test_frontend_round_trip(msg):
    assert m.decode_frontend(*split(msg.encode())) == msg


@pytest.mark.parametrize("msg", BACKEND_SAMPLES, ids=lambda x: type(x).__name__)
def test_backend_round_trip(msg):
    assert m.decode_backend(*split(msg.encode())) == msg


@pytest.mark.parametrize("msg", [
    m.StartupMessage({"user": "u", "database": "d", "application_name": "x"}),
    m.SSLRequest(), m.GSSENCRequest(), m.CancelRequest(42, 4242),
], ids=lambda x: type(x).__name__)
def test_startup_packets_round_trip(msg):
    frame = msg.encode()
    assert m.I32.unpack(frame[:4])[0] == len(frame)
    assert m.decode_startup(frame[4:]) == msg


def test_old_protocol_is_refused():
    with pytest.raises(ProtocolViolation) as e:
        m.decode_startup(m.I32.pack(2 << 16) + b"user\0u\0\0")
    assert e.value.sqlstate == "0A000"


@pytest.mark.parametrize("type_byte,body", [
    (b"Q", b"no terminator"),
    (b"P", b"s\0SELECT 1\0\x00\x05"),  # claims 5 parameter types, has none
    (b"B", b"\0\0\x00\x00\x00\x01\x00\x00\x00\x10ab"),  # parameter longer than the message
    (b"D", b"X\0"),  # bad describe kind
    (b"E", b"p\0\x00"),  # truncated row count
    (b"S", b"extra"),  # trailing bytes
    (b"?", b""),  # unknown type
])
def test_malformed_messages_raise_protocol_violation(type_byte, body):
    with pytest.raises(ProtocolViolation) as e:
        m.decode_frontend(type_byte, body)
    assert e.value.sqlstate in ("08P01", "22021")


@settings(max_examples=400, deadline=None)
@given(type_byte=st.sampled_from(sorted(m.FRONTEND)), body=st.binary(max_size=64))
def test_decoder_fuzz_never_fails_otherwise(type_byte, body):
    """Bounded fuzzing: any bytes decode to a message or raise ProtocolViolation, nothing else."""
    try:
        m.decode_frontend(type_byte, body)
    except ProtocolViolation:
        pass


@settings(max_examples=300, deadline=None)
@given(body=st.binary(max_size=64))
def test_startup_decoder_fuzz(body):
    try:
        m.decode_startup(body)
    except ProtocolViolation:
        pass
