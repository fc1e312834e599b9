"""A throwaway real PostgreSQL for tests: initdb into a temporary directory, listen on
127.0.0.1 on an ephemeral port, wait until it accepts connections, tear it all down.

Uses Debian's server binaries (tests/support/install_postgres.sh installs them). initdb
refuses to run as root, so under root the cluster belongs to the `postgres` system user
that the Debian package creates.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

RUN_AS = "postgres"
READY_TIMEOUT_S = 60.0


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries, or the cluster would not start."""


def find_bindir() -> Path:
    """The newest /usr/lib/postgresql/<version>/bin holding a server binary."""
    candidates = [Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/postgres")]
    if not candidates:
        raise PostgresUnavailable("no PostgreSQL server found: run tests/support/install_postgres.sh")
    return max(candidates, key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_owner(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", RUN_AS, "--", *cmd]
    return cmd


def _usable_by_owner(path: Path) -> bool:
    """Whether the server's user can create files under `path` (pytest's tmp dirs are 0700 root)."""
    if os.geteuid() != 0:
        return True
    return subprocess.run(_as_owner(["test", "-w", str(path), "-a", "-x", str(path)]),
                          check=False).returncode == 0


@dataclass
class PostgresServer:
    """A running throwaway cluster; `stop()` shuts it down and removes its files."""

    bindir: Path
    root: Path
    port: int
    user: str = RUN_AS
    dbname: str = "postgres"
    _owns_root: bool = field(default=False, repr=False)

    @property
    def datadir(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root / "sock"

    @property
    def logfile(self) -> Path:
        return self.root / "server.log"

    @property
    def host(self) -> str:
        return "127.0.0.1"

    @property
    def dsn(self) -> str:
        return f"host={self.host} port={self.port} user={self.user} dbname={self.dbname}"

    def _pg_ctl(self, *args: str) -> subprocess.CompletedProcess:
        cmd = _as_owner([str(self.bindir / "pg_ctl"), "-D", str(self.datadir), *args])
        return subprocess.run(cmd, capture_output=True, text=True, check=False)

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.logfile.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.datadir.exists():
            self._pg_ctl("stop", "-m", "immediate", "-w")
        if self._owns_root:
            shutil.rmtree(self.root, ignore_errors=True)
        else:
            shutil.rmtree(self.datadir, ignore_errors=True)
            shutil.rmtree(self.socket_dir, ignore_errors=True)

    def __enter__(self) -> "PostgresServer":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _initdb(server: PostgresServer) -> None:
    cmd = _as_owner([
        str(server.bindir / "initdb"), "-D", str(server.datadir), "-U", server.user,
        "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions",
    ])
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise PostgresUnavailable(f"initdb failed: {done.stderr or done.stdout}")


def _wait_ready(server: PostgresServer, deadline: float) -> None:
    """Poll pg_isready until the server accepts connections over TCP."""
    isready = [str(server.bindir / "pg_isready"), "-q", "-h", server.host,
               "-p", str(server.port), "-U", server.user, "-d", server.dbname, "-t", "1"]
    while time.monotonic() < deadline:
        if subprocess.run(isready, check=False).returncode == 0:
            return
        time.sleep(0.05)  # a poll interval, not a wait for readiness
    raise PostgresUnavailable(f"PostgreSQL not ready in {READY_TIMEOUT_S}s:\n{server.log_tail()}")


def start_postgres(base_dir: Path) -> PostgresServer:
    """Start a fresh cluster under `base_dir` (or a temp dir the server user can reach)."""
    bindir = find_bindir()
    base_dir = Path(base_dir)
    base_dir.mkdir(parents=True, exist_ok=True)
    if _usable_by_owner(base_dir):
        root, owns = Path(tempfile.mkdtemp(prefix="pg-", dir=base_dir)), False
    else:
        root, owns = Path(tempfile.mkdtemp(prefix="askgres-pg-")), True
    if os.geteuid() == 0:
        shutil.chown(root, RUN_AS, RUN_AS)
    last_error = ""
    for _attempt in range(5):  # the ephemeral port can be taken between probe and bind
        server = PostgresServer(bindir=bindir, root=root, port=_free_port(), _owns_root=owns)
        if not server.datadir.exists():
            _initdb(server)
        server.socket_dir.mkdir(exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(server.socket_dir, RUN_AS, RUN_AS)
        options = " ".join([
            "-c listen_addresses=127.0.0.1", f"-c port={server.port}",
            f"-c unix_socket_directories={server.socket_dir}",
            "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off",
            "-c TimeZone=UTC", "-c DateStyle=ISO,MDY", "-c lc_messages=C",
            "-c max_connections=50", "-c shared_buffers=32MB",
        ])
        started = server._pg_ctl("start", "-w", "-t", str(int(READY_TIMEOUT_S)),
                                 "-l", str(server.logfile), "-o", options)
        if started.returncode == 0:
            _wait_ready(server, time.monotonic() + READY_TIMEOUT_S)
            return server
        last_error = server.log_tail()
        if "could not bind" not in last_error and "in use" not in last_error:
            break
    server.stop()
    raise PostgresUnavailable(f"PostgreSQL failed to start:\n{last_error}")
