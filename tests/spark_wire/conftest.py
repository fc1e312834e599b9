"""Fixtures for the over-the-wire Spark tests: askgres servers started with Spark enabled
(`askgres serve` as a user starts it) and psycopg connections that record every notice."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import psycopg
import pytest

from tests.conftest import RunningServer, start_askgres, stop_askgres

# Tiny tables here: no 200-way shuffles on a 2-core machine.
SMALL_SPARK_CONF = json.dumps({"spark.sql.shuffle.partitions": "2", "spark.default.parallelism": "2"})


def spark_env(warehouse, **extra: str) -> dict[str, str]:
    env = {"ASKGRES_SPARK_ENABLED": "true", "ASKGRES_SPARK_WAREHOUSE": str(warehouse),
           "ASKGRES_SPARK_CONF": SMALL_SPARK_CONF}
    env.update(extra)
    return env


@dataclass
class Notice:
    severity: str
    sqlstate: str
    message: str


@dataclass
class Client:
    """A psycopg connection (autocommit, so statements are not in a transaction block)
    and the notices it received."""

    conn: psycopg.Connection
    notices: list[Notice] = field(default_factory=list)

    def run(self, sql: str, params=None) -> list[tuple]:
        """Rows of one statement (empty for commands); the notices it caused replace the old ones."""
        self.notices.clear()
        cur = self.conn.execute(sql, params)
        return cur.fetchall() if cur.description else []

    def engine_notes(self) -> list[str]:
        return [n.message for n in self.notices if n.message.startswith("askgres: ran on")]


def connect(server: RunningServer, **kwargs) -> Client:
    conn = psycopg.connect(server.dsn, autocommit=True, **kwargs)
    client = Client(conn)
    conn.add_notice_handler(lambda d: client.notices.append(
        Notice(d.severity, d.sqlstate, d.message_primary)))
    return client


@pytest.fixture
def server_factory():
    """Starts servers for one test and stops them afterwards."""
    started: list[RunningServer] = []

    def start(*args: str, env: dict[str, str]) -> RunningServer:
        server = start_askgres(*args, env=env)
        started.append(server)
        return server

    yield start
    for server in started:
        stop_askgres(server)
