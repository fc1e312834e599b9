"""Plain-language questions through real clients, answered by the REAL model.

One askgres server (demo data) serves the whole folder, so the model is loaded once and the
translation cache is shared, the way a user's server works. The model is slow on a small CPU:
every test asks few, simple questions whose answer is unambiguous, and compares the answer's
values with plain SQL run on the same server.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
import sqlglot
from sqlglot import exp


def _root_conftest():
    """tests/conftest.py (both files are named conftest, so load it by path)."""
    path = Path(__file__).resolve().parents[1] / "conftest.py"
    spec = importlib.util.spec_from_file_location("askgres_tests_root_conftest", path)
    module = sys.modules.get(spec.name)
    if module is None:
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
    return module


_root = _root_conftest()
start_askgres, stop_askgres = _root.start_askgres, _root.stop_askgres

# Writable role (one test inserts a hostile customer name), emails in clear, and a statement
# timeout and model wait long enough for a first question on a busy 2-core machine (model load
# + inference; a question the model is slow on must not time out the next one behind it).
SERVER_CONFIG = """
[guard]
pii_detection = false

[guard.roles.default]
statements = "admin"
unmasked_columns = ["*"]
statement_timeout_ms = 900000

[llm]
timeout_s = 600
"""

MODEL_WAIT = 600  # seconds a client waits for one answer from the model


@pytest.fixture(scope="session")
def ask_server(tmp_path_factory):
    config = tmp_path_factory.mktemp("ask_wire") / "askgres.toml"
    config.write_text(SERVER_CONFIG)
    # As a user's `askgres serve` does: the model is loaded and the schema prompt evaluated at start.
    server = start_askgres("--demo", "--config", str(config), env={"ASKGRES_LLM_WARM_ON_START": "true"})
    yield server
    stop_askgres(server)


@pytest.fixture(scope="session")
def psql_path() -> str:
    path = shutil.which("psql")
    if path is None:
        pytest.fail("psql is not installed (tests/support/install_clients.sh installs it)")
    return path


def run_psql(server, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """psql -X (no ~/.psqlrc) against the server; the caller checks returncode/stdout/stderr."""
    cmd = ["psql", "-X", "-h", server.host, "-p", str(server.port), "-U", "askgres", "-d", "askgres", *args]
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=MODEL_WAIT,
                          env={**os.environ, "PGCONNECT_TIMEOUT": "10"})


class Notices(list):
    """NoticeResponses a psycopg connection received: (primary message, detail)."""

    def __call__(self, diag) -> None:
        self.append((diag.message_primary, diag.message_detail))

    def answered_with(self) -> list[tuple[str, str | None]]:
        """(SQL, detail) of every "askgres answered with: <sql>" notice."""
        prefix = "askgres answered with: "
        return [(m[len(prefix):], d) for m, d in self if m and m.startswith(prefix)]


def connect(server) -> tuple[psycopg.Connection, Notices]:
    conn = psycopg.connect(server.dsn, autocommit=True, connect_timeout=10)
    notices = Notices()
    conn.add_notice_handler(notices)
    return conn, notices


@pytest.fixture
def conn(ask_server):
    c, notices = connect(ask_server)
    c.notices = notices
    yield c
    c.close()


def scalar(server, sql: str):
    """Ground truth: plain SQL on the same server, on a fresh connection."""
    with psycopg.connect(server.dsn, autocommit=True, connect_timeout=10) as c:
        return c.execute(sql).fetchone()[0]


def rows(server, sql: str) -> list[tuple]:
    with psycopg.connect(server.dsn, autocommit=True, connect_timeout=10) as c:
        return c.execute(sql).fetchall()


def parses_as_one_select(sql: str) -> bool:
    """The SQL that ran is one read-only query (a SELECT or a set operation of SELECTs)."""
    statements = sqlglot.parse(sql, read="postgres")
    return len(statements) == 1 and isinstance(statements[0], exp.Query) and not any(
        isinstance(node, (exp.Insert, exp.Update, exp.Delete, exp.Drop, exp.Create, exp.Alter))
        for node in statements[0].walk())


def table_exists(server, name: str) -> bool:
    return scalar(server, "SELECT count(*) FROM information_schema.tables "
                          f"WHERE table_name = '{name}'") == 1
