"""Helpers shared by the client-compatibility tests.

Every test here drives a real client (library or binary) against the real askgres server
started by the session fixture `askgres_server` (tests/conftest.py). Tests that write make
their own tables with unique names, so they never depend on each other's order.
"""

from __future__ import annotations

import importlib.util
import itertools
import os
import sys
from pathlib import Path

import pytest


def _root_conftest():
    """tests/conftest.py (both files are named conftest, so load it by path)."""
    name = "askgres_tests_root_conftest"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).resolve().parents[1] / "conftest.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
    return sys.modules[name]


_root = _root_conftest()
start_askgres, stop_askgres = _root.start_askgres, _root.stop_askgres

# The clients create tables, load them with COPY FROM and INSERT, and read the demo tables in
# clear, so their server runs a role allowed to do that (the demo default role is read-only).
CLIENT_CONFIG = """
[guard]
pii_detection = false

[guard.roles.default]
statements = "admin"
unmasked_columns = ["*"]
"""

_counter = itertools.count(1)


def pytest_collection_modifyitems(items):
    for item in items:
        if "/tests/clients/" in str(item.fspath):
            item.add_marker(pytest.mark.clients)


@pytest.fixture(scope="session")
def askgres_server(tmp_path_factory):
    """Overrides tests/conftest.py's server for the client tests: same demo data, writable role."""
    config = tmp_path_factory.mktemp("clients") / "askgres.toml"
    config.write_text(CLIENT_CONFIG)
    server = start_askgres("--demo", "--config", str(config))
    yield server
    stop_askgres(server)


@pytest.fixture
def table_name(request) -> str:
    """A table name no other test uses (the demo server is shared by the whole session)."""
    base = "".join(c if c.isalnum() else "_" for c in request.node.name.lower())[:40]
    return f"t_{base}_{os.getpid()}_{next(_counter)}"
