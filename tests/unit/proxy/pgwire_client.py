"""A small blocking PostgreSQL-protocol client over a plain socket, for the raw protocol tests
(tests/unit/proxy/test_protocol_*.py): it sends exactly the bytes a test asks for and hands
back decoded backend messages, so tests can send what no driver would.
"""

from __future__ import annotations

import importlib.util
import socket
import struct
import sys
from pathlib import Path

from askgres.proxy.wire import messages as m

# Servers for the protocol tests: writes allowed (Describe-never-executes needs a table) and
# the guard's size limits raised so a deliberately slow query can be started and cancelled.
PROTOCOL_TEST_CONFIG = """
[guard]
pii_detection = false

[guard.roles.default]
statements = "admin"
unmasked_columns = ["*"]
max_cross_join_rows = 100000000000
max_series_rows = 100000000000
"""

# About 10^9 rows through a filter: many seconds for DuckDB on two cores, and cancellable.
SLOW_QUERY = "SELECT count(*) FROM range(40000) a(x), range(25000) b(y) WHERE (a.x * 7 + b.y) % 1000003 = 1"


def _root_conftest():
    """tests/conftest.py (start_askgres, stop_askgres), loaded by path: every conftest is named conftest."""
    name = "askgres_tests_root_conftest"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).resolve().parents[2] / "conftest.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def start_server(folder: Path, extra_config: str = "", *args: str, env: dict | None = None):
    """An askgres server (stop it with stop_server) with the protocol-test config plus `extra_config`."""
    return _root_conftest().start_askgres("--config", str(write_config(folder, extra_config)), *args, env=env)


def stop_server(server) -> None:
    _root_conftest().stop_askgres(server)


def write_config(folder: Path, extra: str = "") -> Path:
    path = folder / "askgres.toml"
    path.write_text(PROTOCOL_TEST_CONFIG + extra)
    return path


class Closed(Exception):
    """The server closed the connection."""


class WireClient:
    def __init__(self, host: str, port: int, timeout: float = 30) -> None:
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.buf = b""
        self.pid = self.secret = None
        self.status: dict[str, str] = {}

    # ------------------------------------------------------------ raw I/O

    def send(self, *chunks) -> None:
        self.sock.sendall(b"".join(c if isinstance(c, bytes) else c.encode() for c in chunks))

    def _fill(self, n: int) -> None:
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise Closed()
            self.buf += chunk

    def read(self) -> m.Message:
        self._fill(5)
        type_byte, length = m.HEADER.unpack(self.buf[:5])
        self._fill(1 + length)
        body, self.buf = self.buf[5:1 + length], self.buf[1 + length:]
        return m.decode_backend(type_byte, body)

    def read_until(self, *types: type) -> list[m.Message]:
        """Messages up to and including the first of one of `types`."""
        out = []
        while True:
            msg = self.read()
            out.append(msg)
            if isinstance(msg, types):
                return out

    def is_closed(self, timeout: float = 10) -> bool:
        """True when the server closed the connection (after sending whatever it sent)."""
        self.sock.settimeout(timeout)
        try:
            while True:
                self.read()
        except (Closed, ConnectionResetError):
            return True
        except socket.timeout:
            return False

    def close(self) -> None:
        try:
            self.send(m.Terminate())
        except OSError:
            pass
        self.sock.close()

    # ------------------------------------------------------------ conveniences

    def startup(self, user: str = "askgres", database: str = "askgres", **params: str) -> list[m.Message]:
        self.send(m.StartupMessage({"user": user, "database": database, **params}))
        msgs = self.read_until(m.ReadyForQuery, m.ErrorResponse)
        for msg in msgs:
            if isinstance(msg, m.BackendKeyData):
                self.pid, self.secret = msg.pid, msg.secret
            elif isinstance(msg, m.ParameterStatus):
                self.status[msg.name] = msg.value
        return msgs

    def query(self, sql: str) -> list[m.Message]:
        self.send(m.Query(sql))
        return self.read_until(m.ReadyForQuery)


def connect(server, **params: str) -> WireClient:
    client = WireClient(server.host, server.port)
    msgs = client.startup(**params)
    assert isinstance(msgs[-1], m.ReadyForQuery), msgs
    return client


def errors(msgs) -> list[m.ErrorResponse]:
    return [x for x in msgs if isinstance(x, m.ErrorResponse)]


def rows(msgs) -> list[tuple]:
    return [tuple(None if v is None else bytes(v).decode() for v in x.values) for x in msgs if isinstance(x, m.DataRow)]


def raw_frame(type_byte: bytes, body: bytes, length: int | None = None) -> bytes:
    """A message frame whose length field may lie."""
    return type_byte + struct.pack("!i", len(body) + 4 if length is None else length) + body
