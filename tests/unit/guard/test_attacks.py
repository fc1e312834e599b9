"""The attack cases of issue 3 against check(): each refused one is refused with the right
SQLSTATE, and each masked one, executed on a real DuckDB, returns no clear value, not even in
an error message. The same list (fixtures/attacks.yaml) serves the wire tests."""

from __future__ import annotations

import duckdb
import pytest
import yaml

from askgres.guard import GuardError, check

from guard_fixtures import CATALOG, CONFIG, FIXTURES

ATTACKS = yaml.safe_load((FIXTURES / "attacks.yaml").read_text())
EMAILS = ["ann@example.com", "bob@example.org", "cy@example.net"]
NOTES = ["dee@example.com", "eve@example.com", "fay@example.com"]


def _check(attack, **kwargs):
    policy = CONFIG.roles[attack.get("role", "analyst")]
    return check(attack["sql"], policy, source=attack.get("source", "typed"),
                 single=attack.get("single", False), question=attack.get("question"),
                 schema=CATALOG, hash_salt="pepper", cache=None, **kwargs)


@pytest.mark.parametrize("attack", ATTACKS["refused"], ids=[a["id"] for a in ATTACKS["refused"]])
def test_attack_refused(attack):
    with pytest.raises(GuardError) as info:
        _check(attack)
    assert info.value.sqlstate == attack["sqlstate"], info.value.message
    assert "rule " in info.value.message


def test_every_attack_case_is_covered():
    assert {a["case"] for a in ATTACKS["refused"]} == set(range(1, 9))


@pytest.fixture(scope="module")
def db():
    con = duckdb.connect(":memory:")
    con.execute("CREATE TABLE customers (id INT, name TEXT, email TEXT, phone TEXT, ssn TEXT, city TEXT)")
    con.execute("CREATE TABLE orders (id INT, customer_id INT, total DOUBLE, created_at DATE, note TEXT)")
    for i, email in enumerate(EMAILS):
        con.execute("INSERT INTO customers VALUES (?, ?, ?, '+47 912 34 567', '123-45-6789', 'Oslo')",
                    [i, f"n{i}", email])
        con.execute("INSERT INTO orders VALUES (?, ?, 1.5, DATE '2024-01-01', ?)", [i, i, NOTES[i]])
    con.execute("CREATE VIEW customer_emails AS SELECT id, email FROM customers")
    yield con
    con.close()


@pytest.mark.parametrize("attack", ATTACKS["masked"], ids=[a["id"] for a in ATTACKS["masked"]])
def test_masked_values_never_come_back(attack, db):
    (stmt,) = _check(attack)
    secrets = EMAILS if attack["column"] == "email" else NOTES
    try:
        rows = db.execute(stmt.sql("duckdb")).fetchall()
        text = repr(rows)
        assert not attack.get("error"), "expected the engine to fail"
        assert rows, "the masked query still answers"
    except duckdb.Error as e:
        assert attack.get("error"), str(e)
        text = str(e)
    text = text.lower()
    for secret in secrets:
        assert secret not in text
        assert secret.split("@")[0] + "@" not in text
    # unmasked, the same query shows them (so this test can fail)
    try:
        clear = repr(db.execute(attack["sql"]).fetchall()).lower()
    except duckdb.Error as e:
        clear = str(e).lower()
    assert any(s in clear or f"'{s[0]}'" in clear for s in secrets)


def test_generated_sql_is_read_only_even_for_admin():
    for sql in ("INSERT INTO orders (id) VALUES (1)", "CREATE TABLE x (a int)", "VACUUM"):
        with pytest.raises(GuardError) as info:
            check(sql, CONFIG.roles["admin"], source="ask", question="q", cache=None)
        assert info.value.sqlstate == "42501"
    # the same statement typed by the admin passes
    assert check("CREATE TABLE x (a int)", CONFIG.roles["admin"], cache=None)
