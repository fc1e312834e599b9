"""Shared fixtures: a real askgres server process on an ephemeral port.

The server is started the way a user starts it (`askgres serve`), with the demo dataset,
and the tests wait for its "listening on" line instead of sleeping.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `tests.support` is importable from every test folder
    sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"


@dataclass
class RunningServer:
    host: str
    port: int
    process: subprocess.Popen
    log: list[str]

    @property
    def dsn(self) -> str:
        return f"host={self.host} port={self.port} user=askgres dbname=askgres"

    @property
    def url(self) -> str:
        return f"postgresql://askgres@{self.host}:{self.port}/askgres"


# Test servers load the model on their first question, as before: warming it at start-up in every
# server process would load it many times over on CI's two cores. tests/ask_wire tests the warm-up.
SERVER_ENV = {"ASKGRES_LLM_WARM_ON_START": "false"}


def start_askgres(*extra: str, env: dict | None = None, timeout: float = 60) -> RunningServer:
    cmd = [sys.executable, "-m", "askgres.proxy.cli", "serve", "--port", "0", *extra]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, **SERVER_ENV, **(env or {})}, cwd=ROOT)
    log: list[str] = []
    import queue
    import threading
    import time

    # A reader thread, not select() on the pipe: readline() buffers lines that select() no
    # longer sees, so a "listening on" line arriving together with an earlier one was missed.
    lines: queue.Queue = queue.Queue()

    def pump():
        for line in proc.stdout:
            log.append(line)
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + timeout
    while True:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            break
        if line is None:
            break
        if "listening on" in line:
            address = line.split("listening on", 1)[1].split()[0]
            host, port = address.rsplit(":", 1)
            return RunningServer(host, int(port), proc, log)
    proc.kill()
    raise RuntimeError("askgres did not start:\n" + "".join(log))


def stop_askgres(server: RunningServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(10)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture(scope="session")
def askgres_server():
    server = start_askgres("--demo")
    yield server
    stop_askgres(server)


@pytest.fixture(scope="session")
def askgres_dsn(askgres_server) -> str:
    return askgres_server.dsn
