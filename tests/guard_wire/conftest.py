"""The module-scoped server of the guard wire tests (see guard_wire_support.py)."""

from __future__ import annotations

import pytest

from guard_wire_support import (EVERY_USER, EXPLORER, SETUP_SQL, GuardedServer, config_toml, start_askgres,
                                stop_askgres)


@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("guard_wire")
    audit_log = folder / "audit.jsonl"
    config = folder / "askgres.toml"
    config.write_text(config_toml(audit_log))
    server = start_askgres("--demo", "--config", str(config))
    guarded = GuardedServer(server, audit_log)
    try:
        owner = guarded.owner
        for sql in SETUP_SQL:
            owner.execute(sql)
        guarded.emails = [r[0] for r in owner.execute("SELECT email FROM customers ORDER BY id")]
        guarded.ssns = [r[0] for r in owner.execute("SELECT ssn FROM customers ORDER BY id")]
        assert len(guarded.emails) == 200 and all("@" in e for e in guarded.emails)
        yield guarded
    finally:
        if guarded._owner is not None:
            guarded._owner.close()
        stop_askgres(server)


@pytest.fixture(scope="module")
def users(guarded):
    """One open connection per user name of guard_wire_support (OWNER, ANALYST, ...)."""
    opened = {user: guarded.connect(user) for user in (*EVERY_USER, EXPLORER)}
    yield opened
    for con in opened.values():
        con.close()
