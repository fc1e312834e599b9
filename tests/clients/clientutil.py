"""Helpers for the client-compatibility tests (imported by the test modules)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tests.support.missing import missing


def require_binary(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        missing(f"{name} is not installed (tests/support/install_clients.sh installs it)")
    return path


def run_psql(server, *args: str, stdin: str | None = None, check: bool = True,
             env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """psql -X (no ~/.psqlrc) against the server; returns the finished process."""
    cmd = ["psql", "-X", "-h", server.host, "-p", str(server.port), "-U", "askgres", "-d", "askgres", *args]
    proc = subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PGCONNECT_TIMEOUT": "10", **(env or {})})
    if check and proc.returncode != 0:
        raise AssertionError(f"psql failed ({proc.returncode}):\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
    return proc
