"""Every rule against its allow and deny fixtures (fixtures/<rule>/{allow,deny}/*.sql)."""

from __future__ import annotations

import pytest

from askgres.guard import GuardError, check
from askgres.guard.rules import RULES

from guard_fixtures import CATALOG, CONFIG, FIXTURES, role_of

RULE_NAMES = [r.__name__ for r in RULES]


def _cases(kind: str):
    for rule in RULE_NAMES:
        for path in sorted((FIXTURES / rule / kind).glob("*.sql")):
            yield pytest.param(rule, path, id=f"{rule}/{path.stem}")


def test_every_rule_has_fixtures():
    for rule in RULE_NAMES:
        assert list((FIXTURES / rule / "allow").glob("*.sql")), f"{rule} has no allow fixture"
        if rule != "limit_result_rows":   # a pure rewrite: it never refuses
            assert list((FIXTURES / rule / "deny").glob("*.sql")), f"{rule} has no deny fixture"


def _check(path):
    sql = path.read_text()
    policy = CONFIG.roles[role_of(sql)]
    return check(sql, policy, schema=CATALOG, hash_salt="pepper", cache=None)


@pytest.mark.parametrize("rule,path", list(_cases("allow")))
def test_allowed(rule, path):
    statements = _check(path)
    assert len(statements) == 1


@pytest.mark.parametrize("rule,path", list(_cases("deny")))
def test_denied(rule, path):
    with pytest.raises(GuardError) as info:
        _check(path)
    error = info.value
    assert error.rule == rule, error.message
    assert f"(rule {rule})" in error.message
    assert error.sqlstate in ("42501", "54000", "57014")
    assert error.hint, "every rejection says what to do instead"
