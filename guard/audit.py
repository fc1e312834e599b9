"""Audit records: one JSON-serialisable dict per statement; the proxy writes them as JSON lines."""

from __future__ import annotations

from datetime import datetime, timezone

from .check import verdict_label
from .errors import GuardError


def audit_record(*, user: str | None, role: str | None, source: str, sql: str,
                 verdict: str, rule: str | None = None, engine: str | None = None,
                 duration_ms: float | None = None, rows: int | None = None,
                 error: GuardError | BaseException | None = None, sqlstate: str | None = None,
                 rewrites: list[str] | None = None, second_opinion: object = None,
                 time: datetime | None = None) -> dict:
    """The audit log line for one statement.

    verdict: 'allowed' (ran), 'rewritten' (ran after masking/limits), 'denied' (the guard
    refused it) or 'failed' (allowed, but the engine raised). rule: the rule that refused it,
    taken from a GuardError when given. second_opinion: a check.Verdict (or the model's
    Judgment), logged as {ok, verdict, reason[, seconds]} when present.
    """
    if verdict not in ("allowed", "rewritten", "denied", "failed"):
        raise ValueError(f"unknown verdict {verdict!r}")
    if isinstance(error, GuardError):
        rule = rule or error.rule
        sqlstate = sqlstate or error.sqlstate
    record = {
        "time": (time or datetime.now(timezone.utc)).isoformat(timespec="milliseconds"),
        "user": user,
        "role": role,
        "source": source,
        "sql": sql,
        "verdict": verdict,
        "rule": rule,
        "engine": engine,
        "duration_ms": None if duration_ms is None else round(duration_ms, 3),
        "rows": rows,
    }
    if sqlstate:
        record["sqlstate"] = sqlstate
    if error is not None:
        record["error"] = str(getattr(error, "message", error))
    if rewrites:
        record["rewrites"] = list(rewrites)
    if second_opinion is not None:
        # the model's verdict on generated SQL (guard.Verdict, or askgres.llm.judge.Judgment)
        record["second_opinion"] = {"ok": bool(getattr(second_opinion, "ok", False)),
                                    "verdict": verdict_label(second_opinion),
                                    "reason": str(getattr(second_opinion, "reason", ""))}
        seconds = getattr(second_opinion, "seconds", None)
        if seconds is not None:
            record["second_opinion"]["seconds"] = round(float(seconds), 3)
    return record
