"""Explicit proofs over the wire that a refused attack did nothing: files not written or read,
tables still there, no sleep, limits hit quickly, no masked or denied value in any answer or
error, and the same connection still answers afterwards. Roles: see guard_wire_support.py."""

from __future__ import annotations

import hashlib
import time

import psycopg
import pytest

from guard_wire_support import (ANALYST_MAX_RECURSION, ANALYST_TIMEOUT_MS, HASH_SALT, leaked, refusal,
                                rule_named)

OWNER, ANALYST, LOADER, SALES, ADMIN, EXPLORER = "askgres", "alice", "bob", "sam", "root", "eve"
EVERY_USER = (OWNER, ANALYST, LOADER, SALES, ADMIN)


@pytest.fixture(scope="module")
def users(guarded):
    opened = {user: guarded.connect(user) for user in (*EVERY_USER, EXPLORER)}
    yield opened
    for con in opened.values():
        con.close()


def assert_refused(con, sql, sqlstate="42501", rule=None, params=None) -> psycopg.Error:
    """rule: the rule the message must name (a str, or a tuple of acceptable ones)."""
    error = refusal(con, sql, params)
    assert error.diag.sqlstate == sqlstate, error.diag.message_primary
    if rule is not None:
        assert rule_named(error) in ((rule,) if isinstance(rule, str) else rule), error.diag.message_primary
    return error


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
    # the guard passes CREATE MACRO (an opaque command) for admin; DuckDB's external-access lock
    # still stops the read, so the file's content never comes back
    con = users[ADMIN]
    error = refusal(con, f"CREATE MACRO grab() AS TABLE SELECT * FROM read_csv('{secret_file}')")
    assert error.diag.sqlstate == "42501"
    assert "swordfish" not in str(error)


@pytest.mark.xfail(strict=True, reason="CREATE MACRO parses as an opaque command: the guard does not "
                                       "look into its body, so read_csv(p) is created for admin and only "
                                       "DuckDB's enable_external_access lock stops the read (no rule named)")
def test_admin_macro_over_a_file_is_refused_by_the_guard(users, secret_file):
    error = refusal(users[ADMIN], "CREATE MACRO grab_any(p) AS TABLE SELECT * FROM read_csv(p)")
    assert rule_named(error) == "deny_side_effect_functions"


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


def test_costly_cross_join_is_canceled_by_the_role_timeout(users):
    con = users[ANALYST]
    started = time.monotonic()
    assert_refused(con, "SELECT max(a.id * b.id * c.order_id) FROM customers a, orders b, order_items c",
                   sqlstate="57014")
    elapsed = time.monotonic() - started
    assert ANALYST_TIMEOUT_MS / 1000 * 0.9 <= elapsed < ANALYST_TIMEOUT_MS / 1000 + 2.0
    # the engine stopped working on it: the next statement answers at once
    started = time.monotonic()
    assert con.execute("SELECT count(*) FROM orders").fetchone() == (2000,)
    assert time.monotonic() - started < 1.0


@pytest.mark.xfail(strict=True, reason="the proxy passes no Catalog (table_rows) to guard.check, so "
                                       "limit_cross_joins never estimates a join over the wire")
def test_cross_join_over_the_limit_is_refused_before_running(users):
    assert_refused(users[ANALYST], "SELECT count(*) FROM customers a, orders b, order_items c",
                   sqlstate="54000", rule="limit_cross_joins")


# ---------------------------------------------------------------- 7. masked values

def test_cast_error_does_not_echo_the_masked_value(users, guarded):
    error = refusal(users[ANALYST], "SELECT CAST(email AS int) FROM customers")
    assert error.diag.sqlstate == "22P02"
    assert not leaked(str(error), guarded.emails), str(error)
    clear = refusal(guarded.owner, "SELECT CAST(email AS int) FROM customers")
    assert leaked(str(clear), guarded.emails)  # the owner's error shows one: the test can fail


@pytest.mark.parametrize("sql", [
    "SELECT count(*) FROM customers WHERE email LIKE 'a%'",
    "SELECT count(*) FROM customers WHERE email ILIKE 'ADA%'",
    "SELECT count(*) FROM customers WHERE starts_with(email, 'j')",
    "SELECT count(*) FROM customers WHERE email = 'ada.lovelace1@example.com'",
    "SELECT count(*) FROM customers WHERE email IN ('a@example.com', 'b@example.com')",
    "SELECT count(*) FROM customers WHERE email > 'm'",
    "SELECT count(*) FROM customers WHERE id IN (SELECT id FROM customers WHERE email LIKE 'a%')",
    "SELECT country FROM customers GROUP BY country HAVING max(email) LIKE 'j%'",
    "SELECT count(*) FROM customers a JOIN customers b ON a.email = b.email",
    "SELECT count(*) FROM customers WHERE phone LIKE '+47%'",
])
def test_probing_masked_values_is_refused(users, guarded, sql):
    error = assert_refused(users[ANALYST], sql, rule="mask_pii_columns")
    assert not leaked(str(error), guarded.emails)


@pytest.mark.parametrize("sql", ["SELECT sum(CASE WHEN email LIKE 'j%' THEN 1 ELSE 0 END) FROM customers",
                                 "SELECT count(*) FILTER (WHERE email LIKE 'j%') FROM customers",
                                 "SELECT count(*) FILTER (WHERE starts_with(email, 'j')) FROM customers"])
def test_probes_in_the_select_list_see_only_hashes(users, guarded, sql):
    assert users[ANALYST].execute(sql).fetchone() == (0,)  # hashes are hex: no 'j'
    assert guarded.owner.execute(sql).fetchone()[0] > 0    # clear e-mails do start with j


def test_group_by_counts_show_hashes_only(users, guarded):
    con = users[ANALYST]
    rows = con.execute("SELECT email, count(*) AS n FROM customers GROUP BY email").fetchall()
    assert len(rows) == 200 and sum(n for _, n in rows) == 200
    assert all(len(e) == 32 and set(e) <= set("0123456789abcdef") for e, _ in rows)
    assert not leaked(repr(rows), guarded.emails)
    domains = con.execute("SELECT split_part(email, '@', 2) AS d, count(*) FROM customers GROUP BY 1").fetchall()
    assert domains == [("", 200)]
    prefixes = dict(con.execute("SELECT substr(email, 1, 1), count(*) FROM customers GROUP BY 1").fetchall())
    clear = dict(guarded.owner.execute("SELECT substr(email, 1, 1), count(*) FROM customers GROUP BY 1").fetchall())
    assert set(prefixes) <= set("0123456789abcdef") and prefixes != clear


@pytest.mark.parametrize("sql", ["SELECT email, phone FROM customers WHERE id = 1",
                                 "SELECT customers.email, c2.phone FROM customers JOIN customers c2 USING (id) LIMIT 3",
                                 "SELECT to_json(email), json_object('e', email) FROM customers LIMIT 3",
                                 "SELECT list(email), string_agg(email, ','), max(email) FROM customers",
                                 "SELECT e FROM (SELECT lower(email) AS e FROM customers) t LIMIT 5",
                                 "SELECT email FROM customers UNION ALL SELECT 'x'",
                                 "FROM customers SELECT email LIMIT 3"])
def test_masked_columns_come_back_hashed_or_redacted(users, guarded, sql):
    rows = users[ANALYST].execute(sql).fetchall()
    assert rows and not leaked(repr(rows), guarded.emails), repr(rows)[:300]
    assert "+47 912" not in repr(rows)
    clear = repr(guarded.owner.execute(sql).fetchall())
    assert leaked(clear, guarded.emails) or "+47 912" in clear


def test_masking_holds_for_parameters_and_copy_to_stdout(users, guarded):
    con = users[ANALYST]
    (email,) = con.execute("SELECT email FROM customers WHERE id = %s", [1]).fetchone()
    assert email != guarded.emails[0] and len(email) == 32
    with con.cursor().copy("COPY (SELECT id, email FROM customers) TO STDOUT") as copy:
        data = b"".join(bytes(block) for block in copy).decode()
    assert data.count("\n") == 200 and not leaked(data, guarded.emails)


@pytest.mark.xfail(strict=True, reason="the proxy never passes [guard] hash_salt to guard.check "
                                       "(proxy/session.py parse, proxy/ask.py check): masked e-mails are "
                                       "plain md5(email), so a reader matches them with SELECT md5('guess')")
def test_masked_hashes_are_salted(users, guarded):
    (masked,) = users[ANALYST].execute("SELECT email FROM customers WHERE id = 1").fetchone()
    assert masked != hashlib.md5(guarded.emails[0].encode()).hexdigest()
    assert masked == hashlib.md5((HASH_SALT + guarded.emails[0]).encode()).hexdigest()


@pytest.mark.xfail(strict=True, reason="DuckDB's star expressions COLUMNS(*), COLUMNS('regex'), "
                                       "COLUMNS(lambda), * LIKE 'pattern', * SIMILAR TO 'regex' are not seen "
                                       "as stars by guard/access.py star_refs (it only knows * and t.*): "
                                       "e-mail, phone and the denied ssn come back in clear")
@pytest.mark.parametrize("sql", ["SELECT COLUMNS(*) FROM customers LIMIT 3",
                                 "SELECT COLUMNS('e.*') FROM customers LIMIT 3",
                                 "SELECT COLUMNS(c -> c LIKE 's%') FROM customers LIMIT 3",
                                 "SELECT * LIKE 's%' FROM customers LIMIT 3",
                                 "SELECT * SIMILAR TO 'e.*' FROM customers LIMIT 3"])
def test_columns_star_expression_leaks_nothing(users, guarded, sql):
    try:
        text = repr(users[ANALYST].execute(sql).fetchall())
    except psycopg.Error as e:
        text = str(e)
    assert not leaked(text, guarded.emails + guarded.ssns), text[:300]


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
        assert_refused(con, "SELECT max(a.id * b.id * c.order_id) FROM customers a, orders b, order_items c",
                       sqlstate="57014")
        assert time.monotonic() - started < ANALYST_TIMEOUT_MS / 1000 + 2.0
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


def test_masking_is_announced_in_a_notice(users):
    con = users[ANALYST]
    con.notices.clear()
    con.execute("SELECT email FROM customers WHERE id = 1").fetchall()
    assert "some columns are masked for your role" in con.notices


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


# ---------------------------------------------------------------- 8. outside the allow list

@pytest.mark.parametrize("sql", [
    "SELECT * FROM hr.salaries", "SELECT salary FROM hr.salaries", "SELECT ssn FROM customers",
    "SELECT * FROM customers", "SELECT customers.* FROM customers", "SELECT c FROM customers c",
    "WITH c AS (SELECT ssn AS x FROM customers) SELECT x FROM c",
    "WITH s AS (SELECT * FROM hr.salaries) SELECT salary FROM s",
    "SELECT x FROM (SELECT upper(ssn) AS x FROM customers) t",
    "SELECT id FROM customers WHERE ssn LIKE '123%'",
    "SELECT * FROM leaky",
    "SELECT n FROM order_summary",
    "SELECT most_common_vals FROM pg_catalog.pg_stats WHERE tablename = 'customers'",
    "SELECT query FROM pg_stat_activity", "SELECT rolpassword FROM pg_authid",
    "SELECT query_to_xml('SELECT ssn FROM customers', true, false, '')",
    "SELECT * FROM query_table('hr.salaries')",
])
def test_analyst_reads_nothing_outside_the_allow_list(users, guarded, sql):
    error = assert_refused(users[ANALYST], sql)
    assert rule_named(error) in ("allow_read_objects", "mask_pii_columns", "deny_side_effect_functions")
    assert not leaked(str(error), guarded.ssns) and "123456" not in str(error)


def test_allowed_reads_still_work(users, guarded):
    # the controls: the allow list admits what it names; the catalog keeps the structure readable
    analyst, sales = users[ANALYST], users[SALES]
    assert analyst.execute("SELECT count(*) FROM orders").fetchone() == (2000,)
    columns = {r[0] for r in analyst.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'customers'")}
    assert {"id", "email", "ssn"} <= columns
    assert sales.execute("SELECT id, name FROM customers WHERE id = 1").fetchone()[1] == \
        guarded.scalar("SELECT name FROM customers WHERE id = 1")
    assert guarded.scalar("SELECT ssn FROM leaky WHERE id = 1") == guarded.ssns[0]  # the owner's view works


@pytest.mark.parametrize("sql", ["SELECT email FROM customers", "SELECT country FROM customers",
                                 "SELECT * FROM audit", "SELECT * FROM products",
                                 "WITH c AS (SELECT email FROM customers) SELECT * FROM c",
                                 "SELECT id FROM customers WHERE country = 'Japan'"])
def test_sales_reads_only_its_allow_list(users, guarded, sql):
    error = assert_refused(users[SALES], sql, rule="allow_read_objects")
    assert not leaked(str(error), guarded.emails)


@pytest.mark.xfail(strict=True, reason="the proxy passes no Catalog (views) to guard.check: a view over "
                                       "denied or masked columns is read like a table (public.leaky gives "
                                       "ssn, public.customer_emails clear e-mails)")
@pytest.mark.parametrize("sql", ["SELECT ssn FROM leaky", "SELECT id, ssn FROM leaky",
                                 "SELECT email FROM customer_emails"])
def test_views_do_not_reveal_denied_or_masked_columns(users, guarded, sql):
    try:
        text = repr(users[ANALYST].execute(sql).fetchall())
    except psycopg.Error as e:
        text = str(e)
    assert not leaked(text, guarded.emails + guarded.ssns), text[:200]


@pytest.mark.parametrize("sql", ["SELECT email FROM main.customers", "SELECT ssn FROM memory.main.customers"])
def test_schema_aliases_stay_inside_an_allow_list(users, guarded, sql):
    # analyst's allow list names public.* only, so DuckDB's own name for that schema is refused
    error = assert_refused(users[ANALYST], sql + " LIMIT 3",
                           rule=("allow_read_objects", "mask_pii_columns"))
    assert not leaked(str(error), guarded.emails + guarded.ssns)


@pytest.mark.xfail(strict=True, reason="guard/access.py resolves names as the client wrote them: DuckDB's "
                                       "own names of public (main, memory.main) escape 'public.customers.*' "
                                       "deny and mask patterns, and a column alias list (customers AS "
                                       "c(a, b, z)) renames a masked or denied column out of their sight")
@pytest.mark.parametrize("user, sql", [(EXPLORER, "SELECT email FROM main.customers"),
                                       (EXPLORER, "SELECT ssn FROM main.customers"),
                                       (EXPLORER, "SELECT ssn FROM memory.main.customers"),
                                       (EXPLORER, "SELECT z FROM customers AS c(a, b, z)"),
                                       (ANALYST, "SELECT z FROM customers AS c(a, b, z)"),
                                       (ANALYST, "SELECT f FROM customers AS c(a, b, x, d, e, f)")])
def test_schema_and_column_aliases_do_not_escape_deny_and_mask_patterns(users, guarded, user, sql):
    try:
        text = repr(users[user].execute(sql + " LIMIT 3").fetchall())
    except psycopg.Error as e:
        text = str(e)
    assert not leaked(text, guarded.emails + guarded.ssns), text[:200]


def test_explorer_sees_allowed_columns_and_hashes(users, guarded):
    # the control for the test above: the same role's ordinary reads work and mask
    con = users[EXPLORER]
    assert con.execute("SELECT count(*) FROM audit").fetchone() == (2,)
    (email,) = con.execute("SELECT email FROM customers WHERE id = 1").fetchone()
    assert len(email) == 32 and email != guarded.emails[0]
    assert_refused(con, "SELECT ssn FROM customers", rule="allow_read_objects")
    assert_refused(con, "SELECT salary FROM hr.salaries", rule="allow_read_objects")


@pytest.mark.parametrize("sql, position", [("SELECT FROM WHERE x", 13), ("SELEC 1", 1),
                                           ("SELECT 1; SELEC 2", 11)])
def test_syntax_errors_are_42601_with_a_position(users, sql, position):
    error = assert_refused(users[ANALYST], sql, sqlstate="42601")
    assert int(error.diag.statement_position) == position
