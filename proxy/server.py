"""The asyncio server: accepts connections, one Connection (and Session) each."""

from __future__ import annotations

import asyncio
import hmac
import itertools
import logging
import os
import ssl
import threading

from askgres.guard import VerdictCache

from .audit import AuditLog
from .config import Config
from .connection import Connection
from .error_fields import error_response
from .errors import PgError

log = logging.getLogger("askgres")


def build_engine(config: Config):
    from pathlib import Path

    from askgres.engines.duckdb.engine import DuckDBEngine

    duck = config.duckdb
    if config.spark.enabled:  # DuckDB reads the shared warehouse too
        warehouse = Path(config.spark.warehouse).resolve()
        warehouse.mkdir(parents=True, exist_ok=True)
        duck = duck.model_copy(update={"allowed_directories": (*duck.allowed_directories, str(warehouse))})
    return DuckDBEngine(duck)


def build_translator(config: Config):
    """One translator (and so one model, loaded on the first question) for the whole server."""
    from askgres.llm.translate import Translator

    return Translator(config.llm)


class Server:
    def __init__(self, config: Config, engine=None) -> None:
        self.config = config
        self.engine = engine if engine is not None else build_engine(config)
        self.ssl_context = self._ssl_context()
        self.translator = build_translator(config)
        from .router import Router

        self.router = Router(config, self.engine)
        from .guard_catalog import GuardCatalog

        self.guard_catalog = GuardCatalog(self.engine, config.guard)
        self.audit = AuditLog(config.guard.audit_log)
        self.verdicts = VerdictCache(config.guard.cache_size)   # verdicts and query shapes, all sessions
        self._pids = itertools.count((os.getpid() % 10_000) * 1000 + 1)
        self._live: dict[int, tuple[int, Connection]] = {}
        self._server: asyncio.base_events.Server | None = None
        self._connections: set[asyncio.Task] = set()

    def warm_questions(self) -> threading.Thread | None:
        """Load the model and evaluate the database's schema prompt in the background, so the
        first question after start-up pays only for itself ([llm] warm_on_start)."""
        if self.translator is None or not self.config.llm.warm_on_start:
            return None

        def warm() -> None:
            from askgres.llm.schema import SchemaContext

            try:
                seconds = self.translator.warm(SchemaContext.from_dict(self.engine.describe_tables()))
            except Exception as e:  # noqa: BLE001 - questions then load the model themselves and say why
                why = "; ".join(filter(None, (getattr(e, "message", None) or str(e), getattr(e, "hint", None))))
                print(f"askgres: the model is not ready for questions ({why}); the first question will try again",
                      flush=True)
                return
            print(f"askgres: ready for questions (model loaded, schema prompt evaluated in {seconds:.1f} s)",
                  flush=True)

        thread = threading.Thread(target=warm, name="askgres-warm", daemon=True)
        thread.start()
        return thread

    def _ssl_context(self) -> ssl.SSLContext | None:
        cfg = self.config.server
        if not cfg.tls_cert:
            return None
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cfg.tls_cert, cfg.tls_key)
        return context

    def next_pid(self) -> int:
        return next(self._pids)

    def remember(self, pid: int, secret: int, conn: Connection) -> None:
        self._live[pid] = (secret, conn)

    def forget(self, pid: int) -> None:
        self._live.pop(pid, None)

    def cancel(self, pid: int, secret: int) -> None:
        entry = self._live.get(pid)
        if entry and hmac.compare_digest(entry[0].to_bytes(4, "big"), (secret & 0xFFFFFFFF).to_bytes(4, "big")):
            if entry[1].session is not None:
                entry[1].session.cancel()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if len(self._live) >= self.config.server.max_connections:
            writer.write(error_response(PgError("sorry, too many clients already", "53300", severity="FATAL")).encode())
            await writer.drain()
            writer.close()
            return
        task = asyncio.current_task()
        self._connections.add(task)
        try:
            await Connection(self, reader, writer).run()
        finally:
            self._connections.discard(task)

    async def start(self) -> tuple[str, int]:
        cfg = self.config.server
        self._server = await asyncio.start_server(self._handle, cfg.host, cfg.port, limit=1 << 20)
        host, port = self._server.sockets[0].getsockname()[:2]
        return host, port

    async def serve_forever(self) -> None:
        assert self._server is not None
        async with self._server:
            await self._server.serve_forever()

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        for task in list(self._connections):
            task.cancel()
        self.engine.close()
        self.router.close()
        self.audit.close()
