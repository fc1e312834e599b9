"""The audit log ([guard] audit_log) over the wire: one JSON line per statement a client sends,
allowed, rewritten, denied or failed, with user, role, source, verdict, rule, engine, duration
and rows; and never a masked value."""

from __future__ import annotations

import uuid

import pytest

from guard_wire_support import leaked, refusal, rule_named, slow_allowed_join

FIELDS = {"time", "user", "role", "source", "sql", "verdict", "rule", "engine", "duration_ms", "rows"}


@pytest.fixture
def tag():
    """A column alias unique to one test, to find its statements' lines (it survives rewrites)."""
    return f"t_{uuid.uuid4().hex[:10]}"


def lines_with(guarded, tag: str, count: int) -> list[dict]:
    return guarded.wait_for_audit(lambda r: tag in r["sql"], count=count)


def all_lines_with(guarded, con, tag: str) -> list[dict]:
    """Every line of tag's statements sent on con so far: a last statement on the same connection
    runs after them, so once its line is there theirs are too."""
    barrier = f"barrier_{uuid.uuid4().hex[:10]}"
    con.execute(f"SELECT 1 AS {barrier}").fetchall()
    assert guarded.wait_for_audit(lambda r: barrier in r["sql"])
    return [r for r in guarded.audit_records() if tag in r["sql"]]


@pytest.fixture(scope="module")
def analyst(guarded):
    con = guarded.connect("alice")
    yield con
    con.close()


def test_every_line_is_a_complete_json_record(guarded, analyst, tag):
    analyst.execute(f"SELECT 1 AS {tag}").fetchall()
    lines_with(guarded, tag, 1)
    raw = guarded.audit_log.read_text().splitlines()
    assert raw and len(raw) == len(guarded.audit_records())  # every line parses as JSON
    for record in guarded.audit_records():
        assert FIELDS <= set(record), record
        assert record["verdict"] in ("allowed", "rewritten", "denied", "failed")
        assert record["source"] == "typed"


def test_an_allowed_statement_is_one_line(guarded, tag):
    owner = guarded.owner
    assert owner.execute(f"SELECT id AS {tag} FROM orders WHERE id <= 3").fetchall() == [(1,), (2,), (3,)]
    (record,) = lines_with(guarded, tag, 1)
    assert record["verdict"] == "allowed" and record["rule"] is None
    assert (record["user"], record["role"], record["engine"]) == ("askgres", "owner", "duckdb")
    assert record["rows"] == 3 and record["duration_ms"] >= 0
    assert len(all_lines_with(guarded, owner, tag)) == 1  # and only one


def test_a_rewritten_statement_names_its_rewrites(guarded, analyst, tag):
    rows = analyst.execute(f"SELECT email AS {tag} FROM customers WHERE id <= 2").fetchall()
    assert len(rows) == 2
    (record,) = lines_with(guarded, tag, 1)
    assert (record["user"], record["role"], record["verdict"]) == ("alice", "analyst", "rewritten")
    assert {"mask_pii_columns", "limit_result_rows"} <= set(record["rewrites"])
    assert record["rows"] == 2
    assert not leaked(record["sql"], guarded.emails)


@pytest.mark.parametrize("sql, sqlstate, rule", [
    ("SELECT 1 AS {tag}; DROP TABLE orders", "42501", "allow_statement_kinds"),
    ("SELECT pg_sleep(10) AS {tag}", "42501", "deny_side_effect_functions"),
    ("COPY (SELECT 1 AS {tag}) TO '/tmp/askgres_wire_audit.csv'", "42501", "deny_host_access"),
    ("SELECT count(*) AS {tag} FROM customers WHERE email LIKE 'a%'", "42501", "mask_pii_columns"),
    ("SELECT salary AS {tag} FROM hr.salaries", "42501", "allow_read_objects"),
    ("SELECT count(*) AS {tag} FROM generate_series(1, 1e12)", "54000", "limit_series"),
])
def test_a_denied_statement_is_one_line_with_its_rule(guarded, analyst, tag, sql, sqlstate, rule):
    sql = sql.format(tag=tag)
    error = refusal(analyst, sql)
    assert (error.diag.sqlstate, rule_named(error)) == (sqlstate, rule)
    (record,) = lines_with(guarded, tag, 1)
    assert record["sql"] == sql  # the statement as typed
    assert (record["verdict"], record["rule"], record["sqlstate"]) == ("denied", rule, sqlstate)
    assert (record["user"], record["role"]) == ("alice", "analyst")
    assert rule in record["error"]
    assert len(all_lines_with(guarded, analyst, tag)) == 1


def test_a_syntax_error_is_logged_as_denied(guarded, analyst, tag):
    sql = f"SELEC 1 AS {tag}"
    error = refusal(analyst, sql)
    assert error.diag.sqlstate == "42601"
    (record,) = lines_with(guarded, tag, 1)
    assert (record["verdict"], record["sqlstate"], record["sql"]) == ("denied", "42601", sql)


def test_engine_failures_and_timeouts_are_logged_as_failed(guarded, analyst, tag):
    cast = refusal(analyst, f"SELECT CAST(email AS int) AS {tag} FROM customers")
    assert cast.diag.sqlstate == "22P02"
    timeout = refusal(analyst, slow_allowed_join(tag))
    assert timeout.diag.sqlstate == "57014"
    records = lines_with(guarded, tag, 2)
    assert [(r["verdict"], r["sqlstate"]) for r in records] == [("failed", "22P02"), ("failed", "57014")]
    assert not leaked(repr(records), guarded.emails)  # the logged error shows the hash, not the e-mail


def test_each_statement_of_a_simple_query_is_one_line(guarded, tag):
    guarded.owner.execute(f"SELECT 1 AS {tag}_a; SELECT 2 AS {tag}_b; SELECT 3 AS {tag}_c")
    records = lines_with(guarded, tag, 3)
    assert sorted(r["sql"].split(" AS ")[1].split()[0] for r in records) == [f"{tag}_a", f"{tag}_b", f"{tag}_c"]
    assert len(all_lines_with(guarded, guarded.owner, tag)) == 3


def test_a_prepared_statement_is_one_line_per_execution(guarded, analyst, tag):
    sql = f"SELECT id AS {tag} FROM orders WHERE id = %s"
    for i in (1, 2, 3):
        assert analyst.execute(sql, [i], prepare=True).fetchall() == [(i,)]
    records = lines_with(guarded, tag, 3)
    assert [r["rows"] for r in records] == [1, 1, 1]
    assert len(all_lines_with(guarded, analyst, tag)) == 3


def test_writes_log_their_row_counts(guarded, tag):
    loader = guarded.connect("bob")
    try:
        guarded.owner.execute(f"CREATE TABLE {tag} (a INTEGER)")
        assert loader.execute(f"INSERT INTO {tag} VALUES (1), (2), (3)").rowcount == 3
        refusal(loader, f"DROP TABLE {tag}")
    finally:
        loader.close()
    records = lines_with(guarded, tag, 3)
    by_user = [(r["user"], r["verdict"], r["rows"]) for r in records]
    assert ("bob", "allowed", 3) in by_user
    assert any(r["user"] == "bob" and r["verdict"] == "denied" and r["rule"] == "allow_statement_kinds"
               for r in records)


def test_the_log_never_holds_a_masked_value(guarded, analyst, tag):
    analyst.execute(f"SELECT email AS {tag}, string_agg(email, ',') OVER () FROM customers").fetchall()
    refusal(analyst, f"SELECT CAST(email AS int) AS {tag} FROM customers")
    lines_with(guarded, tag, 2)
    assert not leaked(guarded.audit_log.read_text(), guarded.emails)


def test_no_line_for_a_connection_that_sends_nothing(guarded, tag):
    before = len(guarded.audit_records())
    with guarded.connect("alice"):
        pass
    with guarded.connect("alice") as con:
        con.execute(f"SELECT 1 AS {tag}").fetchall()
    lines_with(guarded, tag, 1)
    assert len(guarded.audit_records()) == before + 1
