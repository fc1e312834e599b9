"""SELECT set_config(...): a SET written as a query. The guard lets it through only in that
shape (guard/functions.settings_select) and the proxy session answers it from its settings;
set_config anywhere else stays denied."""

from __future__ import annotations

import asyncio

import pytest

from askgres import guard
from askgres.guard.functions import SET_CONFIG_SETTINGS
from askgres.guard.rules import SETTABLE
from askgres.proxy.errors import PgError
from askgres.proxy.session import Session, SessionInfo
from askgres.proxy.settings import GUCS

ASYNCPG_JIT = "SELECT current_setting('jit') AS cur, set_config('jit', 'off', false) AS new"


class NoEngine:
    """Any statement reaching the engine fails the test."""

    name = "none"

    def session(self):
        return self

    def execute(self, *args, **kwargs):
        raise AssertionError("the engine was asked")

    describe = execute

    def close(self):
        pass


def _session() -> Session:
    return Session(NoEngine(), SessionInfo(user="u", database="d", pid=1), guard_catalog=None)


def _answer(session: Session, sql: str):
    async def go():
        (stmt,) = guard.check(sql, session.policy)
        rows = await session.execute(stmt)
        batch = rows.source.read_next_batch()
        return batch.schema.names, [batch.column(i)[0].as_py() for i in range(batch.num_columns)]
    return asyncio.run(go())


def test_set_config_settings_are_settable_and_kept_by_the_proxy():
    assert SET_CONFIG_SETTINGS <= SETTABLE
    assert SET_CONFIG_SETTINGS <= set(GUCS)


@pytest.mark.parametrize("sql", [
    "SELECT set_config('jit', 'off', false)",
    "select pg_catalog.set_config('TimeZone', 'utc', true) AS tz",
    ASYNCPG_JIT,
])
def test_guard_allows_set_config_as_a_set(sql):
    assert guard.check(sql, guard.Policy())


@pytest.mark.parametrize("sql", [
    "SELECT upper(set_config('jit', 'off', false))",                  # nested
    "SELECT set_config('jit', 'off', false) FROM pg_class",           # not a lone SELECT
    "SELECT set_config('jit', 'off', false), 1",                      # another column
    "SELECT set_config('jit', current_user, false)",                  # value not a constant
    "SELECT set_config('jit', $1, false)",                            # a parameter
    "SELECT set_config('enable_external_access', 'true', false)",     # an engine setting
    "SELECT set_config('askgres.role', 'admin', false)",              # a locked one
    "SELECT set_config('no_such_setting', 'x', false)",               # unknown
    "SELECT * FROM (SELECT set_config('jit', 'off', false)) AS s",    # in a subquery
])
def test_guard_denies_set_config_elsewhere(sql):
    with pytest.raises(guard.GuardError) as error:
        guard.check(sql, guard.Policy())
    assert error.value.sqlstate == "42501" and "set_config" in error.value.message


def test_session_answers_like_set_and_show():
    session = _session()
    assert _answer(session, ASYNCPG_JIT) == (["cur", "new"], ["off", "off"])
    assert _answer(session, "SELECT set_config('timezone', 'utc', false)") == (["set_config"], ["UTC"])
    assert session.settings.get("timezone") == "UTC"
    assert _answer(session, "SELECT set_config('application_name', 'app', false) AS a, "
                            "current_setting('application_name') AS b") == (["a", "b"], ["app", "app"])
    assert session.settings.get("application_name") == "app"


def test_session_rejects_a_bad_value_like_set():
    session = _session()
    with pytest.raises(PgError) as error:
        _answer(session, "SELECT set_config('askgres.engine', 'nope', false)")
    assert error.value.sqlstate == "22023"


def test_describe_answers_text_columns_without_the_engine():
    session = _session()
    (stmt,) = guard.check(ASYNCPG_JIT, session.policy)
    params, schema = asyncio.run(session.describe(stmt))
    assert params == () and schema.names == ["cur", "new"] and all(str(t) == "string" for t in schema.types)


class Audit:
    enabled = True

    def __init__(self):
        self.records = []

    def write(self, **record):
        self.records.append(record)


def test_audit_log_records_both_verdicts():
    session = _session()
    session.audit = Audit()

    async def go():
        (stmt,) = await session.parse(ASYNCPG_JIT)
        rows = await session.execute(stmt)
        rows.close()  # the audit line is written when the result is done
        with pytest.raises(guard.GuardError):
            await session.parse("SELECT upper(set_config('jit', 'off', false))")
    asyncio.run(go())
    verdicts = [(r["verdict"], "set_config" in r["sql"].lower()) for r in session.audit.records]
    assert verdicts == [("allowed", True), ("denied", True)]
