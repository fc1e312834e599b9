"""One client connection: startup, authentication, then the message loop.

Malformed input never crashes the server: a protocol violation gets a FATAL ErrorResponse
and this connection is closed; everyone else keeps being served.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import ssl
from typing import TYPE_CHECKING

from . import auth
from .error_fields import error_response
from .errors import InvalidPassword, PgError, ProtocolViolation
from .query_extended import ExtendedQuery
from .query_simple import simple_query
from .session import Session, SessionInfo
from .wire import messages as m

if TYPE_CHECKING:
    from .server import Server

_FLUSH_BYTES = 1 << 16

log = logging.getLogger("askgres")


class ClientGone(Exception):
    """The client closed the connection (or sent Terminate)."""


class Connection:
    def __init__(self, server: Server, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.server = server
        self.reader = reader
        self.writer = writer
        self.session: Session | None = None
        self.pid = server.next_pid()
        self.secret = secrets.randbits(31)
        self.max_message = server.config.server.max_message_bytes
        # Messages are gathered here and written in one transport.write when the server next
        # waits (for the client or for drain): one send() per response instead of one per message.
        self._out: list = []
        self._out_bytes = 0

    # ------------------------------------------------------------------ output

    def send(self, msg) -> None:
        self.write(msg.encode())

    def write(self, data: bytes) -> None:
        self._out.append(data)
        self._out_bytes += len(data)
        if self._out_bytes >= _FLUSH_BYTES:  # a long pipeline of small answers
            self.flush()

    def flush(self) -> None:
        if self._out:
            data = self._out[0] if len(self._out) == 1 else b"".join(self._out)
            self._out.clear()
            self._out_bytes = 0
            self.writer.write(data)

    def send_at_once(self, msg) -> None:
        self.send(msg)
        self.flush()

    async def drain(self) -> None:
        self.flush()
        await self.writer.drain()

    def send_notices(self) -> None:
        if self.session is not None and self.session.notices:
            for n in self.session.notices:
                self.send(n)
            self.session.notices.clear()

    def send_error(self, exc: BaseException) -> None:
        # Notices raised before the error go first (as in PostgreSQL), not with the next statement.
        self.send_notices()
        self.send(error_response(exc))

    # ------------------------------------------------------------------ input

    async def _read_exactly(self, n: int) -> bytes:
        if len(getattr(self.reader, "_buffer", b"")) < n:
            self.flush()  # what was answered goes out before waiting for the client (not between pipelined messages)
        try:
            return await self.reader.readexactly(n)
        except (asyncio.IncompleteReadError, ConnectionError):
            raise ClientGone() from None

    async def read_message(self) -> m.Message:
        header = await self._read_exactly(5)
        type_byte, length = m.HEADER.unpack(header)
        if length < 4 or length - 4 > self.max_message:
            raise ProtocolViolation(f"invalid message length {length}")
        body = await self._read_exactly(length - 4)
        return m.decode_frontend(type_byte, body)

    async def _read_startup_packet(self):
        length = m.I32.unpack(await self._read_exactly(4))[0]
        if length < 8 or length > 10_000:
            raise ProtocolViolation(f"invalid length of startup packet {length}")
        return m.decode_startup(await self._read_exactly(length - 4))

    # ------------------------------------------------------------------ lifecycle

    async def run(self) -> None:
        try:
            startup = await self._startup()
            if startup is None:
                return
            await self._authenticate(startup)
            self._open_session(startup)
            await self._loop()
        except ClientGone:
            pass
        except PgError as e:
            if e.severity == "ERROR":
                e.severity = "FATAL"
            await self._fatal(e)
        except Exception as e:  # noqa: BLE001 - never let one connection take the server down
            log.exception("connection %s failed", self.pid)
            await self._fatal(e)
        finally:
            if self.session is not None:
                self.server.forget(self.pid)
                self.session.close()
            self.flush()
            self.writer.close()

    async def _fatal(self, exc: BaseException) -> None:
        try:
            self.send_error(exc)
            await asyncio.wait_for(self.drain(), 5)
        except Exception:  # noqa: BLE001 - the client may already be gone
            pass

    async def _startup(self) -> m.StartupMessage | None:
        while True:
            packet = await self._read_startup_packet()
            if isinstance(packet, m.SSLRequest):
                context = self.server.ssl_context
                self.write(b"S" if context else b"N")
                await self.drain()
                if context:
                    await self._start_tls(context)
            elif isinstance(packet, m.GSSENCRequest):
                self.write(b"N")
                await self.drain()
            elif isinstance(packet, m.CancelRequest):
                self.server.cancel(packet.pid, packet.secret)
                return None
            else:
                return packet

    async def _start_tls(self, context: ssl.SSLContext) -> None:
        await self.writer.start_tls(context)

    async def _authenticate(self, startup: m.StartupMessage) -> None:
        user = startup.params.get("user", "")
        if not user:
            raise PgError("no PostgreSQL user name specified in startup packet", "28000")
        users = {u.name: u for u in self.server.config.auth.users}
        method = self.server.config.auth.method.lower()
        if users and method != "trust":
            entry = users.get(user)
            secret = entry.password if entry else None
            if method == "md5" and secret and secret.startswith("md5"):
                await self._auth_md5(user, secret)
            elif method == "password":
                await self._auth_cleartext(user, secret)
            else:
                await self._auth_scram(user, secret)
        self.send(m.Authentication(0))

    def _password_failed(self, user: str) -> InvalidPassword:
        return InvalidPassword(f'password authentication failed for user "{user}"')

    async def _read_password(self) -> bytes:
        msg = await self.read_message()
        if not isinstance(msg, m.PasswordMessage):
            raise ProtocolViolation(f"expected password response, got message type {msg.type!r}")
        return msg.data

    async def _auth_cleartext(self, user: str, secret: str | None) -> None:
        self.send(m.Authentication(3))
        await self.drain()
        password = (await self._read_password()).rstrip(b"\0").decode("utf-8", "replace")
        if not secret or not auth.verify_cleartext(secret, user, password):
            raise self._password_failed(user)

    async def _auth_md5(self, user: str, secret: str) -> None:
        salt = secrets.token_bytes(4)
        self.send(m.Authentication(5, salt))
        await self.drain()
        response = (await self._read_password()).rstrip(b"\0").decode("ascii", "replace")
        if not auth.verify_md5_response(secret, salt, response):
            raise self._password_failed(user)

    async def _auth_scram(self, user: str, secret: str | None) -> None:
        self.send(m.Authentication(10, b"SCRAM-SHA-256\0\0"))
        await self.drain()
        data = await self._read_password()
        mechanism, _, rest = data.partition(b"\0")
        if mechanism != b"SCRAM-SHA-256" or len(rest) < 4:
            raise ProtocolViolation("client selected an invalid SASL authentication mechanism")
        client_first = rest[4:4 + m.I32.unpack(rest[:4])[0]]
        # An unknown user still goes through the exchange, so user names cannot be probed.
        exchange = auth.ScramExchange(secret if secret and secret.startswith("SCRAM-SHA-256$")
                                      else auth.scram_secret(secrets.token_hex(16)))
        try:
            self.send(m.Authentication(11, exchange.first(client_first)))
        except (ValueError, KeyError, UnicodeDecodeError):
            raise ProtocolViolation("malformed SCRAM message") from None
        await self.drain()
        try:
            final = exchange.final(await self._read_password())
        except (ValueError, UnicodeDecodeError):
            final = None
        if final is None or not secret:
            raise self._password_failed(user)
        self.send(m.Authentication(12, final))

    def _open_session(self, startup: m.StartupMessage) -> None:
        params = startup.params
        info = SessionInfo(
            user=params["user"], database=params.get("database", params["user"]), pid=self.pid,
            role=next((u.role for u in self.server.config.auth.users if u.name == params["user"]), None),
            application_name=params.get("application_name", ""),
            startup={k: v for k, v in params.items() if k not in ("user", "database", "replication")},
        )
        cfg = self.server.config.server
        guard_cfg = self.server.config.guard
        self.session = Session(self.server.engine, info, server_version=cfg.server_version,
                               statement_timeout_ms=cfg.statement_timeout_ms,
                               policy=guard_cfg.roles.get(info.role or guard_cfg.role_of(info.user)),
                               guard_enabled=guard_cfg.enabled, translator=self.server.translator,
                               audit=self.server.audit, synth_config=self.server.config.synth,
                               router=self.server.router, guard_catalog=self.server.guard_catalog,
                               hash_salt=guard_cfg.hash_salt, verdicts=self.server.verdicts)
        self.session.send_now = self.send_at_once
        for name, value in self.session.settings.reported():
            self.send(m.ParameterStatus(name, value))
        self.send(m.BackendKeyData(self.pid, self.secret))
        self.server.remember(self.pid, self.secret, self)
        self.send(m.ReadyForQuery(self.session.tx))

    # ------------------------------------------------------------------ message loop

    async def _loop(self) -> None:
        extended = ExtendedQuery(self)  # shares the session's prepared statements (SQL DEALLOCATE)
        skipping = False  # after an error in an extended-query cycle, skip to Sync
        while True:
            await self.writer.drain()  # backpressure on what was flushed; read_message flushes the rest
            msg = await self.read_message()
            if isinstance(msg, m.Terminate):
                raise ClientGone()
            if isinstance(msg, m.Query):
                skipping = False
                await simple_query(self, msg.sql)
                self.send(m.ReadyForQuery(self.session.tx))
                continue
            if isinstance(msg, m.Sync):
                skipping = False
                extended.sync()
                self.send(m.ReadyForQuery(self.session.tx))
                continue
            if isinstance(msg, m.Flush):
                self.flush()
                continue
            if skipping:
                continue
            try:
                if isinstance(msg, m.Parse):
                    await extended.parse(msg)
                elif isinstance(msg, m.Bind):
                    await extended.bind(msg)
                elif isinstance(msg, m.Describe):
                    await extended.describe(msg)
                elif isinstance(msg, m.Execute):
                    await extended.execute(msg)
                elif isinstance(msg, m.Close):
                    await extended.close(msg)
                elif isinstance(msg, (m.CopyData, m.CopyDone, m.CopyFail)):
                    continue  # stray COPY messages after a failed COPY are ignored, as PostgreSQL does
                else:
                    raise ProtocolViolation(f"unexpected message type {msg.type!r}", "0A000")
            except ClientGone:
                raise
            except Exception as e:  # noqa: BLE001 - reported to the client, then skip to Sync
                self.session.fail_transaction()
                self.send_error(e)
                skipping = True
