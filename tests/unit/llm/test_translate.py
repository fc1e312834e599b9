from __future__ import annotations

import time

import pytest

from askgres.llm.errors import EmptyQuestion, ModelUnavailable, OffTopic, QuestionTooLong, Unanswerable, WriteRefused
from askgres.llm.config import LLMConfig
from askgres.llm.translate import Conversation, Translator

from llm_fakes import make_translator


def test_question_becomes_checked_sql_and_rows(context, run, check):
    tr, model = make_translator({"How many customers": " count(*) FROM customers WHERE country = 'Germany'"})
    t = tr.translate("How many customers are in Germany?", context, run, check=check)
    assert t.sql == "SELECT COUNT(*) FROM customers WHERE country = 'Germany'"
    assert t.rows.to_pylist() == [{"count_star()": 2}] or t.rows.column(0).to_pylist() == [2]
    assert not t.cached and t.candidates[0].source == "greedy"
    # Schema first, question last (prefix reuse), answer opened as a SELECT.
    prompt = model.prompts[-1]
    assert prompt.index("CREATE TABLE customers") < prompt.index("How many customers are in Germany?")
    assert prompt.endswith("```sql\nSELECT")


@pytest.mark.parametrize("question,error", [
    ("", EmptyQuestion), ("   \n\t ", EmptyQuestion), ("x" * 100_000, QuestionTooLong),
    ("Delete all orders from 2023", WriteRefused), ("please drop the customers table", WriteRefused),
])
def test_bad_questions_are_refused_before_the_model(context, run, check, question, error):
    tr, model = make_translator({})
    with pytest.raises(error) as info:
        tr.translate(question, context, run, check=check)
    assert info.value.sqlstate and info.value.message
    assert model.prompts == [] and run.calls == []


def test_injection_in_the_answer_never_runs(context, run, db, check):
    tr, _ = make_translator({"customers": " 1; DROP TABLE customers", "orders": " * FROM orders; DELETE FROM orders"})
    with pytest.raises((WriteRefused, Unanswerable)):
        tr.translate("list customers", context, run, check=check)
    with pytest.raises((WriteRefused, Unanswerable)):
        tr.translate("list orders", context, run, check=check)
    assert db.execute("SELECT count(*) FROM customers").fetchone()[0] == 3
    assert db.execute("SELECT count(*) FROM orders").fetchone()[0] == 4
    assert not any("DROP" in c.upper() or "DELETE" in c.upper() for c in run.calls)


def test_callers_check_is_applied_to_every_candidate(context, run):
    def deny_all(sql):
        raise PermissionError("guard says no")

    tr, _ = make_translator({"customers": " name FROM customers"})
    with pytest.raises(Unanswerable) as info:
        tr.translate("list customers", context, run, check=deny_all)
    assert "guard says no" in info.value.detail and run.calls == [c for c in run.calls if "DISTINCT" in c]


def test_engine_error_is_repaired_once(context, run, check):
    def answer(prompt, seed):
        return " name FROM customers" if "Error:" in prompt else " nme FROM customers"

    tr, model = make_translator({"names": answer})
    t = tr.translate("customer names", context, run, check=check)
    assert [c.source for c in t.candidates] == ["greedy", "plain", "repair"]   # the plain prompt failed too
    assert t.candidates[0].error and t.sql == "SELECT name FROM customers"
    assert "nme" in model.prompts[-1] and "Error:" in model.prompts[-1]


def test_a_failed_query_is_asked_again_with_the_plain_schema_prompt_before_any_repair(context, run, check):
    def answer(prompt, seed):   # the pipeline's prompt keeps failing; the plain DDL prompt does not
        return " name FROM customers" if "Write a PostgreSQL query" in prompt else " nme FROM customers"

    tr, model = make_translator({"names": answer})
    t = tr.translate("customer names", context, run, check=check)
    assert [c.source for c in t.candidates] == ["greedy", "plain"]
    assert t.candidates[0].error and t.sql == "SELECT name FROM customers"
    assert "expert PostgreSQL analyst" in model.prompts[0] and "expert PostgreSQL analyst" not in model.prompts[-1]
    assert "CREATE TABLE customers" in model.prompts[-1] and "Error:" not in "".join(model.prompts)
    tr2, model2 = make_translator({"names": answer}, repair=False)
    with pytest.raises(Unanswerable):
        tr2.translate("customer names", context, run, check=check)
    assert len(model2.prompts) == 1


def test_unanswerable_error_shows_what_was_tried(context, run, check):
    tr, _ = make_translator({"x": " nope FROM nowhere"})
    with pytest.raises(Unanswerable) as info:
        tr.translate("x?", context, run, check=check)
    assert "nope FROM nowhere" in info.value.detail and info.value.sqlstate == "42P20"


def test_off_topic_question(context, run, check):
    tr, _ = make_translator({"weather": " 'UNANSWERABLE'"})
    with pytest.raises(OffTopic):
        tr.translate("What is the weather in Paris tomorrow?", context, run, check=check)


def test_ungrouped_column_is_fixed_on_the_ast(context, run, check):
    tr, _ = make_translator({"each": " c.name, count(*) FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.id"})
    t = tr.translate("orders of each customer", context, run, check=check)
    assert "GROUP BY c.id, c.name" in t.sql and t.rows.num_rows == 3
    tr2, _ = make_translator({"each": " c.name, count(*) FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.id"},
                             ast_fixes=False, repair=False)
    with pytest.raises(Unanswerable):
        tr2.translate("orders of each customer", context, run, check=check)


def test_majority_vote_over_candidates(context, run, check):
    answers = {42: " count(*) FROM orders WHERE year = 2023", 43: " count(*) FROM orders WHERE year < 2024",
               44: " count(*) FROM orders WHERE year = 2024"}
    tr, _ = make_translator({"orders": lambda prompt, seed: answers[seed]}, candidates=3)
    t = tr.translate("how many orders before 2024", context, run, check=check)
    assert len(t.candidates) == 3 and t.rows.column(0).to_pylist() == [1]
    assert t.sql.endswith("year = 2023")  # two of three agree on 1 row; the earliest of them wins


def test_cache_hit_is_fast_and_invalidated_by_schema_change(context, run, check):
    tr, model = make_translator({"customers": " count(*) FROM customers"})
    first = tr.translate("How many customers?", context, run, check=check)
    t0 = time.perf_counter()
    hit = tr.translate("  how many CUSTOMERS ", context, run, check=check)
    assert time.perf_counter() - t0 < 0.005
    assert hit.cached and hit.sql == first.sql and hit.rows is None and len(model.prompts) == 1
    changed = type(context).from_dict({**context.to_dict(), "tables": [
        *context.to_dict()["tables"], {"name": "returns", "columns": [{"name": "id", "type": "integer"}]}]})
    assert changed.fingerprint != context.fingerprint
    again = tr.translate("How many customers?", changed, run, check=check)
    assert not again.cached and len(model.prompts) == 2 and len(tr.cache) == 1


def test_same_question_same_prompt(context, run, check):
    tr, model = make_translator({"customers": " count(*) FROM customers"}, cache=False)
    tr.translate("How many customers?", context, run, check=check)
    tr.translate("How many customers?", context, run, check=check)
    assert model.prompts[0] == model.prompts[1]


def test_the_schema_is_the_prompt_prefix_the_model_keeps(context, run, check):
    tr, model = make_translator({"customers": " count(*) FROM customers"}, cache=False)
    tr.translate("How many customers?", context, run, check=check)
    tr.translate("How many customers are there?", context, run, check=check)
    (a, b), (p, q) = model.prefixes, model.prompts
    assert a == b and p.startswith(a) and q.startswith(b)
    assert "CREATE TABLE" in a and "How many" not in a   # schema shared, question not


def test_the_examples_header_is_a_prefix_segment_only_when_examples_are_shown(context, run, check):
    from askgres.llm.examples import Example
    from askgres.llm.prompt import EXAMPLES_HEADER

    tr, model = make_translator({"customers": " count(*) FROM customers"}, cache=False)
    tr.translate("How many customers?", context, run, check=check)
    tr.examples.add(Example("How many orders are there?", "SELECT count(*) FROM orders"))
    tr.translate("How many customers are there?", context, run, check=check)
    plain, segmented = model.prefixes
    assert isinstance(plain, str) and segmented == (plain, EXAMPLES_HEADER)
    assert model.prompts[1].startswith(plain + EXAMPLES_HEADER + "Question: How many orders are there?")
    assert EXAMPLES_HEADER not in model.prompts[0]
    tr.warm(context)   # with examples stored, the warm-up evaluates the header too
    assert model.prefixes[-1] == segmented


FOLLOW_UP_RULES = {"Germany": " count(*) FROM customers WHERE country = 'Germany'",
                   "customers": " count(*) FROM customers"}


def _asked_then_followed_up(context, run, check):
    """A translator and conversation after 'How many customers are there?', and the follow-up's answer."""
    tr, model = make_translator(FOLLOW_UP_RULES)
    conv = Conversation()
    tr.translate("How many customers are there?", context, run, check=check, conversation=conv)
    return tr, model, conv, tr.translate("and only for Germany?", context, run, check=check, conversation=conv)


def test_follow_up_sees_previous_question(context, run, check):
    tr, model, conv, t = _asked_then_followed_up(context, run, check)
    assert "follow-up" in model.prompts[-1] and "How many customers are there?" in model.prompts[-1]
    assert t.rows.column(0).to_pylist() == [2] and conv.previous.question == "and only for Germany?"


def test_a_failed_follow_up_is_repaired_not_asked_without_its_context(context, run, check):
    # The plain schema prompt does not show the previous question, so a follow-up's failure is
    # fed back to the model with its context instead.
    def answer(prompt, seed):
        return " count(*) FROM customers WHERE country = 'Germany'" if "Error:" in prompt else " count(*) FROM nowhere"

    tr, model = make_translator({"customers": " count(*) FROM customers", "Germany": answer})
    conv = Conversation()
    tr.translate("How many customers are there?", context, run, check=check, conversation=conv)
    t = tr.translate("and only for Germany?", context, run, check=check, conversation=conv)
    assert [c.source for c in t.candidates] == ["greedy", "repair"] and t.rows.column(0).to_pylist() == [2]
    assert "follow-up" in model.prompts[-1] and "Write a PostgreSQL query" not in "".join(model.prompts)


def test_repeating_a_question_in_a_session_is_a_cache_hit(context, run, check):
    tr, model, conv, first = _asked_then_followed_up(context, run, check)
    again = tr.translate("and only for Germany?", context, run, check=check, conversation=conv)
    assert again.cached and again.sql == first.sql and len(model.prompts) == 2
    # A third, different question still follows up on the repeated answer.
    tr.translate("How many customers?", context, run, check=check, conversation=conv)
    assert "and only for Germany?" in model.prompts[-1]


def test_values_in_the_question_are_looked_up(context, run, check):
    tr, model = make_translator({"france": " name FROM customers WHERE country = 'France'"})
    t = tr.translate("customers from france", context, run, check=check)
    assert "customers.country = 'France'" in model.prompts[-1]
    assert t.rows.column(0).to_pylist() == ["Bob"]


def test_model_missing_names_the_install_command(tmp_path, context, run, check):
    tr = Translator(LLMConfig(model_cache_dir=tmp_path))
    with pytest.raises(ModelUnavailable) as info:
        tr.translate("How many customers?", context, run, check=check)
    assert "python -m askgres.models install" in info.value.hint and info.value.sqlstate == "58P01"


def test_warming_evaluates_the_plain_prompt_first_then_the_schema_prompt(context, run, check):
    # The plain-DDL prompt of the fallback is warmed only when snapshots can keep it beside the
    # schema prompt, and before it, so the schema prompt is the one left evaluated.
    def answer(prompt, seed):
        return " name FROM customers" if "Write a PostgreSQL query" in prompt else " nme FROM customers"

    tr, model = make_translator({"names": answer}, cache=False)
    tr.warm(context)
    plain_head, schema_head = model.prefixes
    tr.translate("customer names", context, run, check=check)
    assert model.prefixes[2:] == [schema_head, plain_head]   # greedy, then the plain prompt
    for off in ({"prefix_cache_mb": 0}, {"repair": False}):
        tr, model = make_translator({}, **off)
        tr.warm(context)
        assert model.prefixes == [schema_head]
