"""Starting the systems a benchmark compares: askgres (as `askgres serve`) and a throwaway
real PostgreSQL (Debian's server, as the differential tests use it)."""

from __future__ import annotations

import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import start_askgres, stop_askgres  # noqa: E402
from tests.support.postgres import start_postgres  # noqa: E402


@contextmanager
def askgres(*args: str, env: dict | None = None):
    server = start_askgres(*args, env=env)
    try:
        yield server
    finally:
        stop_askgres(server)


@contextmanager
def postgres():
    with tempfile.TemporaryDirectory(prefix="askgres-bench-pg-") as tmp:
        server = start_postgres(Path(tmp))
        try:
            yield server
        finally:
            server.stop()


def rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def env_threads() -> dict:
    return {"ASKGRES_DUCKDB_THREADS": os.environ.get("ASKGRES_DUCKDB_THREADS", "2")}
