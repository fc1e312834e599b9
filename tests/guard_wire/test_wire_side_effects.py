"""Over the wire, refused attacks did nothing: no file written or read, tables and rows intact,
no sleep, limits hit quickly, the role's timeout holding, and the same connection still answers
afterwards (attack cases 1, 2, 3, 4 and 6 of issue 3). Roles: see guard_wire_support.py."""

from __future__ import annotations

import time

import psycopg
import pytest

from guard_wire_support import (ADMIN, ANALYST, ANALYST_MAX_RECURSION, ANALYST_TIMEOUT_MS, EVERY_USER, LOADER,
                                OWNER, SALES, assert_refused, leaked, refusal, rule_named,
                                slow_allowed_join)


# ---------------------------------------------------------------- 4. files and the network

@pytest.mark.parametrize("user", EVERY_USER)
@pytest.mark.parametrize("copy", ["COPY orders TO '{path}'", "COPY (SELECT email FROM customers) TO '{path}'",
                                  "COPY orders TO '{path}' (FORMAT parquet)"])
def test_copy_to_a_server_file_writes_nothing(users, user, copy, tmp_path):
    path = tmp_path / "stolen.out"
    assert_refused(users[user], copy.format(path=path), rule="deny_host_access")
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / "secret.csv"
    path.write_text("token\nswordfish-7f3a\n")
    return path


@pytest.mark.parametrize("user", EVERY_USER)
@pytest.mark.parametrize("read", ["SELECT * FROM read_csv('{path}')", "SELECT * FROM read_csv_auto('{path}')",
                                  "SELECT content FROM read_text('{path}')", "SELECT * FROM '{path}'",
                                  "SELECT * FROM glob('{dir}/*')",
                                  "SELECT * FROM orders WHERE status IN (SELECT token FROM read_csv('{path}'))",
                                  "WITH f AS (SELECT * FROM READ_CSV('{path}')) SELECT * FROM f",
                                  "CREATE TABLE copied AS SELECT * FROM read_csv('{path}')"])
def test_server_files_are_not_read(users, guarded, user, read, secret_file):
    error = assert_refused(users[user], read.format(path=secret_file, dir=secret_file.parent))
    assert rule_named(error) in ("deny_side_effect_functions", "deny_host_access", "allow_statement_kinds")
    assert "swordfish" not in str(error) and "secret.csv" not in (error.diag.message_detail or "")
    assert not guarded.table_exists("copied")


@pytest.mark.parametrize("user", [OWNER, LOADER, ADMIN])
def test_copy_from_a_server_file_loads_nothing(users, guarded, user, secret_file):
    before = guarded.scalar("SELECT count(*) FROM audit")
    assert_refused(users[user], f"COPY audit FROM '{secret_file}'", rule="deny_host_access")
    assert guarded.scalar("SELECT count(*) FROM audit") == before


def test_attach_and_export_write_no_file(users, tmp_path):
    target = tmp_path / "other.duckdb"
    assert_refused(users[ADMIN], f"ATTACH '{target}' AS other", rule="deny_host_access")
    assert_refused(users[ADMIN], f"EXPORT DATABASE '{tmp_path / 'export'}'", rule="deny_host_access")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("sql", ["INSTALL httpfs", "LOAD httpfs", "SET enable_external_access = true",
                                 "SET home_directory = '/tmp'", "SELECT getenv('HOME')",
                                 "SELECT * FROM duckdb_secrets()"])
def test_admin_cannot_unlock_host_access(users, sql):
    error = assert_refused(users[ADMIN], sql)
    assert rule_named(error) in ("deny_host_access", "allow_session_settings", "deny_side_effect_functions")


def test_admin_macro_over_a_file_reads_nothing(users, secret_file):
    # the guard parses the macro's body and refuses read_csv in it; the file's content never comes back
    con = users[ADMIN]
    error = refusal(con, f"CREATE MACRO grab() AS TABLE SELECT * FROM read_csv('{secret_file}')")
    assert error.diag.sqlstate == "42501" and rule_named(error) == "deny_side_effect_functions"
    assert "swordfish" not in str(error)
    refusal(con, "SELECT * FROM grab()")  # the macro was not created: calling it fails


def test_admin_macro_over_a_file_is_refused_by_the_guard(users, secret_file):
    error = refusal(users[ADMIN], "CREATE MACRO grab_any(p) AS TABLE SELECT * FROM read_csv(p)")
    assert rule_named(error) == "deny_side_effect_functions"


def test_admin_macro_without_side_effects_is_created_and_runs(users):
    con = users[ADMIN]
    con.execute("CREATE OR REPLACE MACRO add_tax(price, rate := 0.5) AS price * (1 + rate)")
    con.execute("CREATE OR REPLACE MACRO late_orders(first) AS TABLE SELECT count(*) AS n FROM orders "
                "WHERE id >= first")
    assert con.execute("SELECT add_tax(10), add_tax(10, rate := 1)").fetchone() == (15, 20)
    expected = con.execute("SELECT count(*) FROM orders WHERE id >= 1500").fetchone()[0]
    assert expected > 0 and con.execute("SELECT n FROM late_orders(1500)").fetchone()[0] == expected


# ---------------------------------------------------------------- 1. stacked statements

@pytest.mark.parametrize("sql", ["SELECT 1; DROP TABLE audit", "SELECT $x$;$x$; DROP TABLE audit",
                                 "SELECT ';' AS a /* ; */; DROP TABLE audit --;",
                                 "SELECT E'\\';'; TRUNCATE audit", "SELECT 1; DELETE FROM audit",
                                 "SELECT 1; UPDATE audit SET event = 'x'"])
@pytest.mark.parametrize("user", [ANALYST, LOADER, SALES])
def test_stacked_writes_leave_the_table_intact(users, guarded, user, sql):
    before = guarded.owner.execute("SELECT id, event FROM audit ORDER BY id").fetchall()
    assert_refused(users[user], sql)
    assert guarded.owner.execute("SELECT id, event FROM audit ORDER BY id").fetchall() == before


def test_drop_in_a_comment_is_only_a_comment(users, guarded):
    # the control: a "stacked" DROP inside a comment is text, the SELECT runs and nothing else
    assert users[ANALYST].execute("SELECT 7 AS n -- ; DROP TABLE orders").fetchall() == [(7,)]
    assert guarded.table_exists("orders")


def test_loader_writes_only_where_allowed(users, guarded):
    guarded.owner.execute("CREATE TABLE IF NOT EXISTS loader_scratch (a INTEGER)")
    loader = users[LOADER]
    assert loader.execute("INSERT INTO loader_scratch VALUES (1), (2)").rowcount == 2  # allowed
    before = guarded.scalar("SELECT count(*) FROM audit")
    assert_refused(loader, "INSERT INTO audit VALUES (9, 'forged')", rule="allow_write_objects")
    assert_refused(loader, "DELETE FROM audit", rule="allow_write_objects")
    assert guarded.scalar("SELECT count(*) FROM audit") == before
    assert_refused(loader, "DROP TABLE loader_scratch", rule="allow_statement_kinds")
    assert_refused(loader, "CREATE TABLE loader_new (a int)", rule="allow_statement_kinds")
    assert guarded.table_exists("loader_scratch") and not guarded.table_exists("loader_new")


@pytest.mark.parametrize("sql", ["INSERT INTO orders (id, customer_id, ordered_at, status) "
                                 "VALUES (99999, 1, now(), 'x')",
                                 "UPDATE customers SET email = 'x'", "CREATE TABLE analyst_t AS SELECT 1 AS a",
                                 "SELECT id INTO analyst_copy FROM orders",
                                 "WITH d AS (UPDATE orders SET status = 'x' RETURNING id) SELECT count(*) FROM d"])
def test_readers_write_nothing(users, guarded, sql):
    before = guarded.owner.execute("SELECT count(*), count(DISTINCT status) FROM orders").fetchone()
    assert_refused(users[ANALYST], sql, rule="allow_statement_kinds")
    assert guarded.owner.execute("SELECT count(*), count(DISTINCT status) FROM orders").fetchone() == before
    assert not guarded.table_exists("analyst_t") and not guarded.table_exists("analyst_copy")


# ---------------------------------------------------------------- 3 and 6. sleep and denial of service

@pytest.mark.parametrize("user", EVERY_USER)
@pytest.mark.parametrize("sql", ["SELECT pg_sleep(20)", "CALL pg_sleep(20)",
                                 "SELECT n FROM (SELECT 1 AS n, pg_catalog.PG_SLEEP(20) AS s) t"])
def test_the_server_does_not_sleep(users, user, sql):
    started = time.monotonic()
    # CALL is above a reader's or loader's statement kind, so that rule may refuse it first
    assert_refused(users[user], sql, rule=("deny_side_effect_functions", "allow_statement_kinds"))
    assert time.monotonic() - started < 1.0


def test_recursive_cte_without_end_is_bounded(users):
    con = users[ANALYST]
    started = time.monotonic()
    con.notices.clear()
    rows = con.execute("WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) "
                       "SELECT count(*), max(n) FROM t").fetchall()
    assert time.monotonic() - started < 2.0
    count, top = rows[0]
    assert 0 < count <= ANALYST_MAX_RECURSION + 1 and top <= ANALYST_MAX_RECURSION + 1
    assert any("recursive" in n for n in con.notices), con.notices
    assert con.execute("SELECT 1").fetchone() == (1,)


@pytest.mark.parametrize("sql", ["SELECT count(*) FROM generate_series(1, 1e12)",
                                 "SELECT count(*) FROM range(1000000000000)",
                                 "SELECT sum(x) FROM (SELECT unnest(generate_series(1, 1000000000000)) AS x) s",
                                 "SELECT length(repeat('x', 2000000000))"])
def test_huge_series_are_refused_quickly(users, sql):
    started = time.monotonic()
    assert_refused(users[ANALYST], sql, sqlstate="54000", rule="limit_series")
    assert time.monotonic() - started < 1.0


def test_costly_allowed_join_is_canceled_by_the_role_timeout(users):
    con = users[ANALYST]
    started = time.monotonic()
    error = assert_refused(con, slow_allowed_join(), sqlstate="57014")
    elapsed = time.monotonic() - started
    assert rule_named(error) is None, "the guard admitted it: the engine's timeout ended it"
    assert ANALYST_TIMEOUT_MS / 1000 * 0.9 <= elapsed < ANALYST_TIMEOUT_MS / 1000 + 2.0
    # the engine stopped working on it: the next statement answers at once
    started = time.monotonic()
    assert con.execute("SELECT count(*) FROM orders").fetchone() == (2000,)
    assert time.monotonic() - started < 1.0


@pytest.mark.parametrize("sql", ["SELECT count(*) FROM customers a, orders b, order_items c",
                                 "SELECT max(a.id * b.id * c.order_id) FROM customers a, orders b, order_items c",
                                 "SELECT count(*) FROM orders a CROSS JOIN orders b",
                                 "SELECT count(*) FROM customers a JOIN orders b ON a.id = b.customer_id, "
                                 "order_items c"])
def test_cross_join_over_the_limit_is_refused_before_running(users, sql):
    # the catalog's row estimates let limit_cross_joins refuse the product before the engine sees it
    started = time.monotonic()
    error = assert_refused(users[ANALYST], sql, sqlstate="54000", rule="limit_cross_joins")
    assert time.monotonic() - started < 1.0
    assert error.diag.message_hint


def test_a_small_cross_join_runs(users):
    # the control: under max_cross_join_rows (200 x 2000 = 400,000) the product is allowed
    assert users[ANALYST].execute("SELECT count(*) FROM customers a, orders b").fetchone() == (400000,)


# ---------------------------------------------------------------- parameters, timeouts, row limits

@pytest.mark.parametrize("sql, params, rule", [
    ("SELECT pg_sleep(%s)", [20], "deny_side_effect_functions"),
    ("SELECT * FROM read_csv(%s)", ["/etc/passwd"], "deny_side_effect_functions"),
    ("SELECT count(*) FROM customers WHERE email LIKE %s", ["a%"], "mask_pii_columns"),
    ("SELECT salary FROM hr.salaries WHERE salary > %s", [0], "allow_read_objects"),
])
def test_parameters_do_not_hide_an_attack(users, guarded, sql, params, rule):
    started = time.monotonic()
    error = assert_refused(users[ANALYST], sql, rule=rule, params=params)
    assert time.monotonic() - started < 1.0
    assert not leaked(str(error), guarded.emails) and "root:" not in str(error)


def test_a_series_bound_hidden_in_a_parameter_meets_the_timeout(users):
    # limit_series sees literal bounds only; the role's statement_timeout still ends the statement
    con = users[ANALYST]
    started = time.monotonic()
    assert_refused(con, "SELECT count(*) FROM generate_series(1, %s)", sqlstate="57014", params=[10**12])
    assert time.monotonic() - started < ANALYST_TIMEOUT_MS / 1000 + 2.0


@pytest.mark.parametrize("setting", ["0", "'1h'", "DEFAULT"])
def test_the_role_timeout_cannot_be_lifted(users, setting):
    con = users[ANALYST]
    con.execute(f"SET statement_timeout = {setting}")
    try:
        started = time.monotonic()
        error = assert_refused(con, slow_allowed_join(), sqlstate="57014")
        assert rule_named(error) is None
        assert ANALYST_TIMEOUT_MS / 1000 * 0.9 <= time.monotonic() - started < ANALYST_TIMEOUT_MS / 1000 + 2.0
    finally:
        con.execute("RESET statement_timeout")


@pytest.mark.parametrize("sql, params", [("SELECT id FROM orders", None), ("SELECT id FROM orders LIMIT 5000", None),
                                         ("SELECT id FROM orders FETCH FIRST 5000 ROWS ONLY", None),
                                         ("SELECT id FROM orders LIMIT %s", [5000])])
def test_results_are_capped_at_max_rows_with_a_notice(users, guarded, sql, params):
    con = users[ANALYST]
    con.notices.clear()
    assert len(con.execute(sql, params).fetchall()) == 1000
    assert any("limited to 1000 rows" in n for n in con.notices), con.notices
    assert len(guarded.owner.execute(sql, params).fetchall()) > 1000  # the owner has no cap


def test_search_path_does_not_reach_a_denied_schema(users):
    con = users[ANALYST]
    con.execute("SET search_path = hr, public")
    try:
        try:
            text = repr(con.execute("SELECT employee, salary FROM salaries").fetchall())
        except psycopg.Error as e:
            text = str(e)
            con.execute("SELECT 1")
        assert "123456" not in text and "Lovelace" not in text, text
    finally:
        con.execute("RESET search_path")



@pytest.mark.parametrize("sql, position", [("SELECT FROM WHERE x", 13), ("SELEC 1", 1),
                                           ("SELECT 1; SELEC 2", 11)])
def test_syntax_errors_are_42601_with_a_position(users, sql, position):
    error = assert_refused(users[ANALYST], sql, sqlstate="42601")
    assert int(error.diag.statement_position) == position
