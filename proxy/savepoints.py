"""Savepoints over an engine that has none (DuckDB).

DuckDB has no savepoints, and any error aborts its whole transaction. So the session keeps
a journal of the writes of the open transaction block; ROLLBACK TO SAVEPOINT then either
has nothing to undo (no write since the savepoint, no error), or restarts the engine's
transaction and replays the writes made before the savepoint. A replay is only done when it
gives the same state: no COPY FROM / bulk load before the savepoint, and no volatile
function (random(), now(), nextval(), gen_random_uuid() ...) in a replayed statement.
Otherwise ROLLBACK TO SAVEPOINT fails with 0A000 and the transaction stays failed, so that
nothing the client wanted undone can be committed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from sqlglot import exp

from .errors import FeatureNotSupported, PgError

# Functions whose value differs when a statement runs again (or in a new transaction).
_VOLATILE = frozenset({
    "random", "setseed", "gen_random_uuid", "uuid_generate_v4", "uuid", "now", "nextval",
    "currval", "clock_timestamp", "statement_timestamp", "transaction_timestamp", "timeofday",
    "current_timestamp", "current_time", "current_date", "localtimestamp", "localtime",
})
_VOLATILE_NODES = (exp.Rand, exp.CurrentTimestamp, exp.CurrentTime, exp.CurrentDate, exp.Uuid)


def replayable(stmt: exp.Expr) -> bool:
    for node in stmt.walk():
        if isinstance(node, _VOLATILE_NODES):
            return False
        if isinstance(node, exp.Func):
            name = node.name if isinstance(node, exp.Anonymous) else node.sql_name()
            if name.lower() in _VOLATILE:
                return False
    return True


@dataclass
class _Write:
    stmt: exp.Expr
    params: tuple


@dataclass
class _Mark:
    name: str
    writes: int  # journal length when the savepoint was set
    loads: int  # engine bulk loads (COPY FROM, synthesize) by then


@dataclass
class SavepointJournal:
    writes: list[_Write] = field(default_factory=list)
    marks: list[_Mark] = field(default_factory=list)
    loads_at_begin: int = 0

    def begin(self, loads: int) -> None:
        self.writes.clear()
        self.marks.clear()
        self.loads_at_begin = loads

    def record(self, stmt: exp.Expr, params: Sequence[object]) -> None:
        # Only kept: whether it can be replayed is asked at ROLLBACK TO, which few blocks reach.
        self.writes.append(_Write(stmt, tuple(params)))

    def savepoint(self, name: str, loads: int) -> None:
        self.marks.append(_Mark(name, len(self.writes), loads))

    def _find(self, name: str) -> int:
        for i in range(len(self.marks) - 1, -1, -1):  # the most recent one of that name
            if self.marks[i].name == name:
                return i
        raise PgError(f'savepoint "{name}" does not exist', "3B001")

    def release(self, name: str) -> None:
        del self.marks[self._find(name):]

    def rollback_to(self, name: str, loads: int, failed: bool) -> list[_Write] | None:
        """What ROLLBACK TO needs: None when nothing is to be undone, else the writes to
        replay in a fresh engine transaction. Raises when a replay would not give the state
        at the savepoint. The savepoint itself stays (PostgreSQL keeps it)."""
        i = self._find(name)
        mark = self.marks[i]
        del self.marks[i + 1:]
        if not failed and len(self.writes) == mark.writes and loads == mark.loads:
            return None
        before = self.writes[: mark.writes]
        if mark.loads != self.loads_at_begin:
            raise FeatureNotSupported(
                "ROLLBACK TO SAVEPOINT cannot undo to a point after a COPY FROM or bulk load in this "
                "transaction: DuckDB has no savepoints",
                hint="Roll back the whole transaction.")
        volatile = next((w for w in before if not replayable(w.stmt)), None)
        if volatile is not None:
            raise FeatureNotSupported(
                "ROLLBACK TO SAVEPOINT is not supported here: DuckDB has no savepoints, and a statement "
                "before the savepoint uses a volatile function, so it cannot be replayed",
                hint="Roll back the whole transaction.")
        del self.writes[mark.writes:]
        return before
