"""The managed Spark Connect server dies in the middle of a session (SIGKILL): the running
statement ends with 08006 instead of hanging, the statements that follow skip Spark at once
(the circuit breaker) while askgres restarts it, DuckDB keeps answering, and once the server
is back Spark statements run again in the same session."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import psycopg
import pytest

from .conftest import connect, spark_env

CONNECT_TIMEOUT_S = 5
COOLDOWN_S = 15
HEAVY = ("/*+ engine(spark) */ SELECT count(*) FROM generate_series(1, 200000) a "
         "CROSS JOIN generate_series(1, 200000) b WHERE a.a + b.b = -1")

pytestmark = pytest.mark.timeout(600)


def connect_server_pid(parent: int) -> int:
    """The managed Connect server: the askgres process's child running SparkConnectServer."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            argv = (proc / "cmdline").read_bytes().split(b"\0")
        except (OSError, IndexError, ValueError):
            continue
        if ppid == parent and b"org.apache.spark.sql.connect.service.SparkConnectServer" in argv:
            return int(proc.name)
    raise AssertionError(f"no Spark Connect server among the children of {parent}")


def test_spark_dying_mid_session_never_hangs_and_recovers(server_factory, tmp_path):
    server = server_factory("--demo", env=spark_env(
        tmp_path / "warehouse", ASKGRES_SPARK_CONNECT_TIMEOUT_S=str(CONNECT_TIMEOUT_S),
        ASKGRES_SPARK_UNAVAILABLE_COOLDOWN_S=str(COOLDOWN_S)))
    client = connect(server)
    assert client.run("/*+ engine(spark) */ SELECT 1 AS x") == [(1,)]  # waits for Spark's start
    assert client.engine_notes() == ["askgres: ran on spark (hint engine(spark))"]
    pid = connect_server_pid(server.process.pid)

    outcome: dict = {}

    def heavy():
        try:
            outcome["rows"] = client.conn.execute(HEAVY).fetchall()
        except psycopg.Error as e:
            outcome["error"] = e

    worker = threading.Thread(target=heavy, daemon=True)
    worker.start()
    worker.join(3)  # let the job start (if it has not, the statement meets a dead server instead)
    os.killpg(pid, signal.SIGKILL)
    killed = time.monotonic()
    worker.join(CONNECT_TIMEOUT_S + 60)
    assert not worker.is_alive(), "the statement hangs after Spark died"
    assert outcome.get("error") is not None, outcome
    assert outcome["error"].sqlstate == "08006", outcome["error"]
    failed_after = time.monotonic() - killed

    # While askgres restarts the server, Spark statements fail at once; DuckDB answers.
    started = time.monotonic()
    with pytest.raises(psycopg.OperationalError) as e:
        client.run("/*+ engine(spark) */ SELECT 2 AS y")
    assert e.value.sqlstate == "08006"
    assert "not retried for another" in str(e.value), e.value
    assert time.monotonic() - started < 2
    assert client.run("SELECT count(*) FROM customers") == [(200,)]

    # Back after the restart (the next probe after the cool-down finds the new server).
    deadline = time.monotonic() + 300
    while True:
        try:
            rows = client.run("/*+ engine(spark) */ SELECT 41 + 1 AS z")
            break
        except psycopg.OperationalError as err:
            assert err.sqlstate == "08006"
            assert time.monotonic() < deadline, "Spark did not come back"
            time.sleep(2)  # polling a restart that takes tens of seconds
    assert rows == [(42,)]
    assert client.engine_notes() == ["askgres: ran on spark (hint engine(spark))"]
    assert connect_server_pid(server.process.pid) != pid
    print(f"the running statement failed {failed_after:.1f} s after the kill")
