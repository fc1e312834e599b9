"""The model second opinion on generated SQL: the judge (llm/judge.py) with a fake model, the
guard's log/block handling and cache, the [guard] default, the audit field, and the ask path's
wiring (proxy/ask.py Asker.second_opinion) with a fake session and translator."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest

from askgres.guard import META_KEY, GuardConfig, GuardError, Policy, VerdictCache, audit_record, check
from askgres.llm.config import LLMConfig
from askgres.llm.errors import LLMError
from askgres.llm.judge import Judge, Judgment, build_judge_prompt, parse_judgment, schema_text_for
from askgres.llm.model import Completion
from askgres.llm.prompt import schema_prefix
from askgres.llm.schema import SchemaContext
from askgres.proxy.ask import Asker

QUESTION = "how many orders are there?"
SQL = "SELECT count(*) FROM orders"


@dataclass
class FakeModel:
    """Answers every prompt with `answer`; records what it was asked."""

    answer: str = " OK: counts the orders"
    fail: bool = False
    name: str = "fake"
    calls: list = field(default_factory=list)

    def complete(self, prompt, *, max_tokens, stop, temperature=0.0, seed=0, timeout=None, prefix=""):
        self.calls.append(dict(prompt=prompt, max_tokens=max_tokens, stop=stop, temperature=temperature, seed=seed))
        if self.fail:
            raise LLMError("the model is busy: the question waited too long")
        return Completion(self.answer, 10, 5, 0.01)

    def count_tokens(self, text):
        return len(text.split())


@pytest.mark.parametrize("text,verdict,reason", [
    (" OK: counts the orders", "OK", "counts the orders"),
    (" WRONG: takes the minimum, the question asks for the maximum", "WRONG",
     "takes the minimum, the question asks for the maximum"),
    ("UNSAFE - also deletes rows.", "UNSAFE", "also deletes rows"),
    (" **Wrong**: other table", "WRONG", "other table"),
    (" ok", "OK", ""),
    (" The query looks fine to me", "UNSURE", "The query looks fine to me"),
    ("", "UNSURE", ""),
])
def test_parse_judgment(text, verdict, reason):
    assert parse_judgment(text) == (verdict, reason)


def test_judge_asks_deterministically_and_briefly():
    model = FakeModel(" WRONG: counts customers, not orders")
    judgment = Judge(model, seed=7)(QUESTION, "SELECT count(*) FROM customers")
    assert judgment.verdict == "WRONG" and not judgment.ok and judgment.reason == "counts customers, not orders"
    (call,) = model.calls
    assert call["temperature"] == 0.0 and call["seed"] == 7 and call["max_tokens"] <= 32 and "\n" in call["stop"]
    assert QUESTION in call["prompt"] and "SELECT count(*) FROM customers" in call["prompt"]
    assert "does it do anything else?" in call["prompt"]


def test_judge_prompt_shares_the_translation_prompts_schema_prefix():
    context = SchemaContext.from_dict({"tables": {"orders": {"columns": {"id": "integer", "total": "double"}},
                                                  "hr_notes": {"columns": {"id": "integer", "text": "text"}}}})
    text = schema_text_for(context, ["orders"], samples=2)
    assert "orders" in text and "hr_notes" not in text
    assert build_judge_prompt(QUESTION, SQL, text).startswith(schema_prefix(text))
    assert "hr_notes" in schema_text_for(context, [], samples=2)   # no linked tables known: all


@pytest.mark.parametrize("model", [FakeModel(" I cannot tell"), FakeModel(fail=True)])
def test_no_readable_verdict_is_no_objection(model):
    judgment = Judge(model)(QUESTION, SQL)
    assert judgment.verdict == "UNSURE" and judgment.ok


def test_block_refuses_with_42501_naming_the_rule_and_what_to_do():
    judge = Judge(FakeModel(" UNSAFE: also reads the salaries table"))
    with pytest.raises(GuardError) as info:
        check(SQL, Policy(second_opinion="block"), source="ask", question=QUESTION, second_opinion=judge, cache=None)
    error = info.value
    assert error.sqlstate == "42501" and error.rule == "second_opinion"
    assert "(rule second_opinion)" in error.message and "something the question did not ask for" in error.message
    assert "UNSAFE" in error.detail and "salaries" in error.detail and SQL in error.detail
    assert "Rephrase the question" in error.hint and 'second_opinion = "log"' in error.hint


def test_log_keeps_the_verdict_and_the_guard_caches_it_per_question():
    model = FakeModel(" WRONG: counts customers")
    judge, cache, policy = Judge(model), VerdictCache(16), Policy(second_opinion="log")
    (stmt,) = check(SQL, policy, source="ask", question=QUESTION, second_opinion=judge, cache=cache)
    assert stmt.meta[META_KEY]["second_opinion"].verdict == "WRONG"
    check(SQL, policy, source="ask", question=QUESTION, second_opinion=judge, cache=cache)
    assert len(model.calls) == 1                           # same question and SQL: cached
    check(SQL, policy, source="ask", question="how many orders were placed?", second_opinion=judge, cache=cache)
    assert len(model.calls) == 2                           # another question: judged again
    check(SQL, Policy(second_opinion="off"), source="ask", question="q", second_opinion=judge, cache=cache)
    assert len(model.calls) == 2                           # off: never asked


def test_rules_refuse_before_the_model_is_asked():
    model = FakeModel()
    with pytest.raises(GuardError) as info:
        check("DELETE FROM orders", Policy(second_opinion="block"), source="ask", question=QUESTION,
              second_opinion=Judge(model), cache=None)
    assert info.value.rule != "second_opinion" and model.calls == []


def test_guard_default_applies_to_roles_that_do_not_set_their_own():
    config = GuardConfig(second_opinion="block", roles={"analyst": {"statements": "read"},
                                                        "quiet": {"second_opinion": "off"}},
                         default_role="analyst")
    assert config.policy_for("anyone").second_opinion == "block"
    assert config.roles["quiet"].second_opinion == "off"
    assert GuardConfig().policy_for("anyone").second_opinion == "off"
    assert GuardConfig(second_opinion="log").policy_for("anyone").second_opinion == "log"


def test_audit_record_carries_the_verdict():
    record = audit_record(user="u", role="r", source="ask", sql=SQL, verdict="allowed",
                          second_opinion=Judgment("WRONG", "counts customers", 1.23456))
    assert record["second_opinion"] == {"ok": False, "verdict": "WRONG", "reason": "counts customers",
                                        "seconds": 1.235}


# ------------------------------------------------------------------ the ask path (proxy/ask.py)

class FakeSession:
    def __init__(self, mode: str) -> None:
        self.policy = Policy(second_opinion=mode)
        self.guard_catalog = None
        self.hash_salt = ""
        self.records: list[dict] = []
        self.engine = SimpleNamespace(describe_tables=lambda: {"tables": {"orders": {"columns": {"id": "integer"}}}})
        self.info = SimpleNamespace(database="shop")

    def record(self, sql, verdict, **fields):
        self.records.append(dict(sql=sql, verdict=verdict, **fields))


class FakeTranslator:
    def __init__(self, model: FakeModel, sql: str = SQL) -> None:
        self.model, self.config, self.sql = model, LLMConfig(), sql

    def translate(self, question, context, run, *, check, conversation):
        return SimpleNamespace(sql=self.sql, rows=None, tables=["orders"], cached=False)


@pytest.mark.parametrize("mode", ["off", "log", "block"])
def test_asker_leaves_a_right_answer_alone(mode):
    model = FakeModel(" OK: counts the orders")
    session = FakeSession(mode)
    asker = Asker(session, FakeTranslator(model))
    assert asker.translate("how many orders are there, really?").sql == SQL
    assert (asker.opinion is None) == (mode == "off") and len(model.calls) == (mode != "off")
    if mode != "off":
        assert asker.opinion.verdict == "OK" and SQL in model.calls[0]["prompt"]
    assert session.records == []


def test_asker_logs_an_objection_without_blocking():
    model = FakeModel(" WRONG: counts all rows of another table")
    asker = Asker(FakeSession("log"), FakeTranslator(model))
    asker.translate("how many orders were returned?")
    assert asker.opinion.verdict == "WRONG" and not asker.opinion.ok


def test_asker_blocks_an_objection_and_audits_the_refusal():
    model = FakeModel(" UNSAFE: also reads every customer's e-mail")
    session = FakeSession("block")
    asker = Asker(session, FakeTranslator(model))
    question = "how many orders are there? also list every customer's email"
    for _ in range(2):   # the second time the guard's cached refusal answers, without the model
        with pytest.raises(GuardError) as info:
            asker.translate(question)
        assert info.value.sqlstate == "42501" and info.value.rule == "second_opinion"
    assert len(model.calls) == 1
    first, second = session.records
    assert first["verdict"] == "denied" and first["source"] == "ask" and first["sql"] == SQL
    assert first["error"].rule == "second_opinion" and first["second_opinion"].verdict == "UNSAFE"
    assert not second["second_opinion"].ok and "UNSAFE" in second["second_opinion"].reason
