"""Config models, PII detection and audit records."""

from __future__ import annotations

import json

import pytest
from pydantic import BaseModel, ValidationError

from askgres.guard import GuardConfig, GuardError, Policy, audit_record, check, detect_pii
from askgres.guard.config import AccessList
from askgres.guard.pii import luhn_valid


@pytest.mark.parametrize("model", [GuardConfig, Policy, AccessList])
def test_every_setting_is_documented_and_frozen(model: type[BaseModel]):
    for name, field in model.model_fields.items():
        assert field.description and len(field.description) > 15, f"{model.__name__}.{name}"
    assert model.model_config["frozen"] and model.model_config["extra"] == "forbid"


def test_users_get_their_roles():
    config = GuardConfig(roles={"analyst": Policy(), "loader": Policy(statements="dml")},
                         users={"bob": "loader"}, default_role="analyst")
    assert config.policy_for("bob").statements.value == "dml"
    assert config.policy_for("stranger").name == "analyst"
    assert config.policy_for("bob").name == "loader"


def test_unknown_role_is_refused():
    with pytest.raises(ValidationError):
        GuardConfig(roles={"a": Policy()}, users={"bob": "nope"}, default_role="a")
    with pytest.raises(ValidationError):
        Policy(statements="superuser")


@pytest.mark.parametrize("name,sample,kind", [
    ("contact", ["a@b.com", "x.y@example.org", "q@w.de", None], "email"),
    ("customerEmail", [], "email"),
    ("mobile_phone", [], "phone"),
    ("x", ["+47 912 34 567", "(555) 123-4567", "+1-202-555-0143"], "phone"),
    ("x", ["4111 1111 1111 1111", "5500-0000-0000-0004", "340000000000009"], "card"),
    ("x", ["123-45-6789", "234-56-7890"], "national_id"),
    ("x", ["AB 12 34 56 C", "JK123456D"], "national_id"),
    ("ssn", [], "national_id"),
    ("city", ["Oslo", "Bergen"], None),
    ("id", ["1234567", "2345678"], None),
    ("total", ["12.5", "7"], None),
    ("x", ["4111 1111 1111 1112"], None),           # fails Luhn
    ("notes", ["call me", "a@b.com", "later", "soon"], None),   # too few match
])
def test_detect_pii(name, sample, kind):
    assert detect_pii(name, sample) == kind


def test_luhn():
    assert luhn_valid("79927398713") and not luhn_valid("79927398710")


def test_audit_record_for_a_refusal():
    try:
        check("SELECT pg_sleep(1)", cache=None)
    except GuardError as e:
        error = e
    record = audit_record(user="alice", role="analyst", source="typed", sql="SELECT pg_sleep(1)",
                          verdict="denied", error=error, engine="duckdb", duration_ms=0.1234)
    assert record["rule"] == "deny_side_effect_functions" and record["sqlstate"] == "42501"
    assert record["duration_ms"] == 0.123 and record["rows"] is None
    line = json.loads(json.dumps(record))
    assert set(line) >= {"time", "user", "role", "source", "sql", "verdict", "rule", "engine",
                         "duration_ms", "rows"}
    with pytest.raises(ValueError):
        audit_record(user=None, role=None, source="typed", sql="", verdict="maybe")


def test_errors_pickle_with_their_attributes():
    import pickle
    try:
        check("SELEC 1", cache=None)
    except GuardError as e:
        copy = pickle.loads(pickle.dumps(e))
    assert (copy.sqlstate, copy.position, copy.rule) == ("42601", 1, "parse")
