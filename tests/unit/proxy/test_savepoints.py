"""The savepoint journal (proxy/savepoints.py): what ROLLBACK TO SAVEPOINT has to do."""

from __future__ import annotations

import pytest
import sqlglot

from askgres.proxy.errors import FeatureNotSupported, PgError
from askgres.proxy.savepoints import SavepointJournal, replayable


def stmt(sql):
    return sqlglot.parse_one(sql, read="postgres")


def test_nothing_to_undo_without_writes_since_the_savepoint():
    j = SavepointJournal()
    j.begin(0)
    j.record(stmt("INSERT INTO t VALUES (1)"), ())
    j.savepoint("a", 0)
    assert j.rollback_to("a", 0, failed=False) is None


def test_replays_the_writes_before_the_savepoint():
    j = SavepointJournal()
    j.begin(0)
    first = stmt("INSERT INTO t VALUES ($1)")
    j.record(first, (1,))
    j.savepoint("a", 0)
    j.record(stmt("DELETE FROM t"), ())
    replay = j.rollback_to("a", 0, failed=False)
    assert [(w.stmt, w.params) for w in replay] == [(first, (1,))]
    assert len(j.writes) == 1 and [m.name for m in j.marks] == ["a"]  # the savepoint stays


def test_an_error_after_the_savepoint_needs_a_restart_even_without_writes():
    j = SavepointJournal()
    j.begin(0)
    j.savepoint("a", 0)
    assert j.rollback_to("a", 0, failed=True) == []


def test_later_savepoints_go_and_names_resolve_to_the_latest():
    j = SavepointJournal()
    j.begin(0)
    j.savepoint("a", 0)
    j.record(stmt("INSERT INTO t VALUES (1)"), ())
    j.savepoint("a", 0)
    j.savepoint("b", 0)
    assert j.rollback_to("a", 0, failed=False) is None
    assert [m.name for m in j.marks] == ["a", "a"]
    j.release("a")
    assert [m.name for m in j.marks] == ["a"]
    with pytest.raises(PgError) as err:
        j.release("zzz")
    assert err.value.sqlstate == "3B001"


def test_refused_after_a_bulk_load_or_a_volatile_write():
    j = SavepointJournal()
    j.begin(0)
    j.savepoint("a", 1)  # a COPY FROM ran before the savepoint
    j.record(stmt("INSERT INTO t VALUES (1)"), ())
    with pytest.raises(FeatureNotSupported):
        j.rollback_to("a", 1, failed=False)
    j.begin(0)
    j.record(stmt("INSERT INTO t SELECT random()"), ())
    j.savepoint("b", 0)
    j.record(stmt("INSERT INTO t VALUES (1)"), ())
    with pytest.raises(FeatureNotSupported):
        j.rollback_to("b", 0, failed=False)


@pytest.mark.parametrize("sql, ok", [
    ("INSERT INTO t VALUES (1, 'x')", True),
    ("UPDATE t SET a = a + 1 WHERE b = 'x'", True),
    ("INSERT INTO t VALUES (now())", False),
    ("INSERT INTO t VALUES (CURRENT_TIMESTAMP)", False),
    ("INSERT INTO t VALUES (nextval('s'))", False),
    ("INSERT INTO t VALUES (gen_random_uuid())", False),
])
def test_replayable(sql, ok):
    assert replayable(stmt(sql)) is ok
