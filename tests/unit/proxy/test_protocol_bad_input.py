"""Bad input over a plain socket: each gets a clear ErrorResponse (never a traceback), the
connection is closed, and the server keeps serving everyone else."""

from __future__ import annotations

import socket
import struct

import pytest

from askgres.proxy.wire import messages as m
from pgwire_client import WireClient, connect, errors, raw_frame, rows, start_server, stop_server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = start_server(tmp_path_factory.mktemp("bad_input"))
    yield s
    stop_server(s)


def assert_clean_error_and_close(client: WireClient, sqlstate: str | tuple[str, ...], server) -> m.ErrorResponse:
    msgs = []
    try:
        while True:
            msgs.append(client.read())
    except Exception:  # Closed, ConnectionResetError
        pass
    errs = errors(msgs)
    assert len(errs) == 1, msgs
    err = errs[0]
    assert err.get("C") in ((sqlstate,) if isinstance(sqlstate, str) else sqlstate), err
    assert err.get("S") == "FATAL" and err.get("M")
    assert "Traceback" not in err.get("M") and "File \"" not in err.get("M")
    # ... and the server still serves a new connection
    other = connect(server)
    assert rows(other.query("SELECT 40 + 2")) == [("42",)]
    other.close()
    return err


def test_garbage_startup_packet(server):
    client = WireClient(server.host, server.port)
    client.send(struct.pack("!i", 16) + b"\x12\x34\x56\x78garbage!")
    err = assert_clean_error_and_close(client, ("08P01", "0A000"), server)
    assert "protocol" in err.get("M").lower()


def test_startup_packet_with_absurd_length(server):
    client = WireClient(server.host, server.port)
    client.send(struct.pack("!i", 1 << 30) + struct.pack("!i", m.PROTOCOL_3_0))
    assert_clean_error_and_close(client, "08P01", server)


def test_startup_without_user(server):
    client = WireClient(server.host, server.port)
    client.send(m.StartupMessage({"database": "askgres"}))
    assert_clean_error_and_close(client, "28000", server)


def test_unknown_message_type(server):
    client = connect(server)
    client.send(raw_frame(b"\x01", b"hello"))
    err = assert_clean_error_and_close(client, "08P01", server)
    assert "message type" in err.get("M")


def test_oversized_message_is_refused_before_reading_it(server):
    client = connect(server)
    client.send(raw_frame(b"Q", b"SELECT 1\0", length=0x7FFFFFF0))  # claims ~2 GiB, sends 9 bytes
    err = assert_clean_error_and_close(client, "08P01", server)
    assert "length" in err.get("M")


def test_negative_length(server):
    client = connect(server)
    client.send(raw_frame(b"Q", b"", length=-5))
    assert_clean_error_and_close(client, "08P01", server)


def test_body_shorter_than_its_contents(server):
    client = connect(server)
    client.send(raw_frame(b"P", b"stmt\0SELECT 1"))  # Parse: query text not terminated, no param count
    assert_clean_error_and_close(client, "08P01", server)


def test_trailing_bytes_in_message(server):
    client = connect(server)
    client.send(raw_frame(b"S", b"extra"))  # Sync has no body
    assert_clean_error_and_close(client, "08P01", server)


def test_invalid_utf8_in_query(server):
    client = connect(server)
    client.send(raw_frame(b"Q", b"SELECT '\xff\xfe'\0"))
    msgs = []
    try:
        while True:
            msgs.append(client.read())
            if isinstance(msgs[-1], m.ReadyForQuery):
                break
    except Exception:
        pass
    assert errors(msgs) and errors(msgs)[0].get("C") in ("22021", "08P01")


def test_truncated_message_then_hang_up(server):
    client = connect(server)
    client.send(raw_frame(b"Q", b"SELECT 1\0", length=100))  # promises 96 bytes, sends 9
    client.sock.shutdown(socket.SHUT_WR)
    assert client.is_closed()
    other = connect(server)
    assert rows(other.query("SELECT 1")) == [("1",)]
    other.close()


def test_client_vanishes_mid_startup(server):
    s = socket.create_connection((server.host, server.port))
    s.sendall(struct.pack("!i", 40) + struct.pack("!i", m.PROTOCOL_3_0) + b"user\0")
    s.close()
    other = connect(server)
    assert rows(other.query("SELECT 2")) == [("2",)]
    other.close()


def test_ssl_and_gssenc_requests_are_declined_without_certificate(server):
    s = socket.create_connection((server.host, server.port), timeout=10)
    s.sendall(m.GSSENCRequest().encode())
    assert s.recv(1) == b"N"
    s.sendall(m.SSLRequest().encode())
    assert s.recv(1) == b"N"
    client = WireClient.__new__(WireClient)
    client.sock, client.buf, client.status = s, b"", {}
    msgs = client.startup()
    assert isinstance(msgs[-1], m.ReadyForQuery)
    client.close()


def test_startup_parameters_reported(server):
    client = connect(server, application_name="rawtest")
    for name in ("server_version", "server_encoding", "client_encoding", "DateStyle", "TimeZone",
                 "integer_datetimes", "standard_conforming_strings", "IntervalStyle", "application_name",
                 "is_superuser", "session_authorization"):
        assert name in client.status, name
    assert client.status["application_name"] == "rawtest"
    assert client.status["standard_conforming_strings"] == "on"
    assert client.status["server_version"].startswith("15")
    assert client.pid and client.secret is not None
    client.close()
