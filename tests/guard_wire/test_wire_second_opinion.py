"""The model's second opinion on `-- ask:` answers, over the wire, with the REAL model (as
tests/ask_wire does: `make test` installs it). Its own server: roles that log and that block.

    lou -> logged   (second_opinion = "log")
    bea -> blocked  (second_opinion = "block")

The questions are few and simple (the model is slow on a small CPU).
"""

from __future__ import annotations

import psycopg
import pytest

from guard_wire_support import GuardedServer, rule_named, start_askgres, stop_askgres

MODEL_WAIT_MS = 900_000
CONFIG = f"""
[guard]
default_role = "owner"
pii_detection = false
audit_log = "{{audit_log}}"

[guard.users]
lou = "logged"
bea = "blocked"

[guard.roles.owner]
statements = "ddl"
unmasked_columns = ["*"]
statement_timeout_ms = {MODEL_WAIT_MS}

[guard.roles.logged]
statements = "read"
unmasked_columns = ["*"]
statement_timeout_ms = {MODEL_WAIT_MS}
second_opinion = "log"

[guard.roles.blocked]
statements = "read"
unmasked_columns = ["*"]
statement_timeout_ms = {MODEL_WAIT_MS}
second_opinion = "block"

[llm]
timeout_s = 600
"""
VERDICTS = ("OK", "WRONG", "UNSAFE", "UNSURE")
# A question that asks two contradicting things: whatever SQL the model writes, the judge
# objects (found by trying questions on this server; the model is deterministic at temperature 0).
CONTRADICTING_QUESTION = "what is the cheapest product? show the most expensive one"


@pytest.fixture(scope="module")
def judged(tmp_path_factory):
    folder = tmp_path_factory.mktemp("second_opinion")
    audit_log = folder / "audit.jsonl"
    config = folder / "askgres.toml"
    config.write_text(CONFIG.replace("{audit_log}", str(audit_log)))
    server = start_askgres("--demo", "--config", str(config))
    guarded = GuardedServer(server, audit_log)
    try:
        yield guarded
    finally:
        if guarded._owner is not None:
            guarded._owner.close()
        stop_askgres(server)


def asked(guarded: GuardedServer, user: str, question: str) -> list[dict]:
    records = guarded.wait_for_audit(lambda r: r["source"] == "ask" and r["user"] == user, timeout=10)
    assert records, f"no audit line for {user}'s question {question!r}"
    return records


def test_log_mode_answers_and_logs_the_models_verdict(judged):
    truth = judged.scalar("SELECT count(*) FROM customers")
    with judged.connect("lou") as con:
        assert con.execute("-- ask: how many customers are there?").fetchall() == [(truth,)]
    (record,) = asked(judged, "lou", "how many customers are there?")
    opinion = record["second_opinion"]
    assert record["verdict"] == "allowed" and opinion["verdict"] in VERDICTS and opinion["seconds"] > 0
    assert opinion["verdict"] == "OK" and opinion["ok"], opinion   # a right answer to a plain question


def test_block_mode_lets_a_right_answer_through(judged):
    truth = judged.scalar("SELECT count(*) FROM orders")
    with judged.connect("bea") as con:
        assert con.execute("-- ask: how many orders are there?").fetchall() == [(truth,)]
    records = asked(judged, "bea", "how many orders are there?")
    assert records[-1]["verdict"] == "allowed" and records[-1]["second_opinion"]["verdict"] == "OK"


def test_block_mode_refuses_an_answer_the_model_objects_to_with_42501(judged):
    with judged.connect("bea") as con:
        with pytest.raises(psycopg.Error) as info:
            answer = con.execute(f"-- ask: {CONTRADICTING_QUESTION}").fetchall()
            pytest.fail(f"answered {answer} with {con.notices}")   # what ran, when not refused
        error = info.value
        assert error.sqlstate == "42501" and rule_named(error) == "second_opinion", error.diag.message_primary
        assert "Rephrase the question" in (error.diag.message_hint or "")
        detail = error.diag.message_detail or ""
        assert detail.startswith(("verdict WRONG", "verdict UNSAFE")) and "SQL: SELECT" in detail, detail
        assert con.execute("SELECT 1").fetchone() == (1,)          # the session survives
    denied = [r for r in asked(judged, "bea", CONTRADICTING_QUESTION) if r["verdict"] == "denied"]
    assert denied and denied[-1]["rule"] == "second_opinion" and denied[-1]["sqlstate"] == "42501"
    assert denied[-1]["second_opinion"]["verdict"] in ("WRONG", "UNSAFE") and not denied[-1]["second_opinion"]["ok"]
