"""Determinism (seed) and modes (create / replace / append) of CALL synthesize."""

from __future__ import annotations

import psycopg
import pytest

from tests.conftest import start_askgres, stop_askgres

from .conftest import FITNESS, digest, renamed, scalar, staging_tables, synthesize, user_tables

SMALL = {"seed": 5, "tables": [{"name": "t", "rows": 3000, "columns": [
    {"name": "id", "generator": {"kind": "sequence"}},
    {"name": "name", "generator": {"kind": "full_name"}},
    {"name": "score", "generator": {"kind": "normal", "mean": 50, "std": 10, "round": 3}},
    {"name": "city", "generator": {"kind": "city"}},
    {"name": "at", "generator": {"kind": "timestamp", "start": "2020-01-01", "end": "2021-01-01",
                                 "seasonality": {"weekly": 0.3}}},
]}]}


def small(name: str, rows: int = 3000) -> dict:
    spec = renamed(SMALL, name)
    spec["tables"][0]["rows"] = rows
    return spec


def test_same_seed_same_contents_different_seed_different(conn):
    spec = renamed(FITNESS, "det")
    tables = [t["name"] for t in spec["tables"]]
    synthesize(conn, spec, seed=123)
    first = {t: digest(conn, t) for t in tables}
    synthesize(conn, spec, seed=123, mode="replace")
    assert {t: digest(conn, t) for t in tables} == first
    synthesize(conn, spec, seed=124, mode="replace")
    second = {t: digest(conn, t) for t in tables}
    for t in tables:
        assert second[t][0] == first[t][0]  # same row counts
        assert second[t][1] != first[t][1], t  # different contents


def test_spec_seed_is_used_and_the_option_overrides_it(conn):
    spec = small("seedspec")
    spec["seed"] = 77
    synthesize(conn, spec)
    from_spec = digest(conn, "t_seedspec")
    synthesize(conn, spec, seed=77, mode="replace")
    assert digest(conn, "t_seedspec") == from_spec
    synthesize(conn, spec, seed=78, mode="replace")
    assert digest(conn, "t_seedspec") != from_spec


def test_story_is_deterministic(conn):
    story = "an hr system with 20 departments, employees and timesheets"
    synthesize(conn, story=story, rows=5000, seed=9, schema="main")
    first = {t: digest(conn, t) for t in ("departments", "employees", "timesheets")}
    synthesize(conn, story=story, rows=5000, seed=9, mode="replace")
    assert {t: digest(conn, t) for t in first} == first
    # the hr template's promises: (employee, day) unique and at most 8 hours per employee per day
    assert scalar(conn, "SELECT count(*) FROM (SELECT employee_id, work_date FROM timesheets "
                        "GROUP BY employee_id, work_date HAVING count(*) > 1) d") == 0
    assert float(scalar(conn, "SELECT max(s) FROM (SELECT sum(hours) AS s FROM timesheets "
                              "GROUP BY employee_id, work_date) g")) <= 8


def test_same_seed_same_contents_whatever_the_batch_size_and_workers(conn):
    """Values are functions of (seed, table, column, row): a server with tiny batches and two
    workers produces the very same tables."""
    spec = renamed(FITNESS, "bat")
    tables = [t["name"] for t in spec["tables"]]
    synthesize(conn, spec, seed=5)
    reference = {t: digest(conn, t) for t in tables}
    other = start_askgres(env={"ASKGRES_SYNTH_BATCH_ROWS": "1024", "ASKGRES_SYNTH_WORKERS": "2"})
    try:
        with psycopg.connect(other.dsn, autocommit=True) as c2:
            synthesize(c2, spec, seed=5)
            assert {t: digest(c2, t) for t in tables} == reference
    finally:
        stop_askgres(other)


def test_create_on_an_existing_table_fails_and_changes_nothing(conn):
    synthesize(conn, small("cr"), seed=1)
    before = digest(conn, "t_cr")
    n_notices = len(conn.notices)
    with pytest.raises(psycopg.errors.DuplicateTable) as e:
        synthesize(conn, small("cr", rows=10), seed=2)
    assert e.value.sqlstate == "42P07"
    assert "t_cr" in e.value.diag.message_primary
    assert digest(conn, "t_cr") == before
    assert not staging_tables(conn)
    assert len(conn.notices) == n_notices  # refused before generating: no progress at all
    # explicit mode => 'create' is the same
    with pytest.raises(psycopg.errors.DuplicateTable):
        synthesize(conn, small("cr", rows=10), mode="create")
    assert digest(conn, "t_cr") == before


def test_create_with_one_clashing_table_creates_none(conn):
    """Of users/subscriptions/workouts only workouts exists: nothing is created."""
    spec = renamed(FITNESS, "clash")
    conn.execute("CREATE TABLE workouts_clash (x INTEGER)")
    conn.execute("INSERT INTO workouts_clash VALUES (1), (2)")
    with pytest.raises(psycopg.errors.DuplicateTable):
        synthesize(conn, spec)
    tables = user_tables(conn)
    assert "users_clash" not in tables and "subscriptions_clash" not in tables
    assert scalar(conn, "SELECT count(*) FROM workouts_clash") == 2
    assert not staging_tables(conn)


def test_replace_replaces(conn):
    conn.execute("CREATE TABLE t_rep (old_column VARCHAR)")
    conn.execute("INSERT INTO t_rep VALUES ('a'), ('b')")
    result = synthesize(conn, small("rep", rows=1234), mode="replace")
    assert result["t_rep"][0] == 1234
    assert scalar(conn, "SELECT count(*) FROM t_rep") == 1234
    cols = [r[0] for r in conn.execute("SELECT column_name FROM information_schema.columns "
                                       "WHERE table_name = 't_rep' ORDER BY ordinal_position")]
    assert cols == ["id", "name", "score", "city", "at"]
    # replace also creates when nothing exists yet
    result = synthesize(conn, small("rep_new", rows=10), mode="replace")
    assert scalar(conn, "SELECT count(*) FROM t_rep_new") == 10
    assert not staging_tables(conn)


def test_append_appends(conn):
    # what a fresh seed-2 table of 500 rows holds (values depend on the table's name: same name)
    synthesize(conn, small("app", rows=500), seed=2)
    conn.execute("CREATE TABLE t_app_seed2 AS SELECT * FROM t_app")
    synthesize(conn, small("app", rows=1000), seed=1, mode="replace")
    conn.execute("CREATE TABLE t_app_before AS SELECT * FROM t_app")
    result = synthesize(conn, small("app", rows=500), seed=2, mode="append")
    assert list(result) == ["t_app"] and result["t_app"][0] == 500
    assert scalar(conn, "SELECT count(*) FROM t_app") == 1500
    # exactly the rows that were there plus the seed-2 rows
    diff = scalar(conn, "SELECT count(*) FROM (SELECT * FROM t_app EXCEPT ALL "
                        "(SELECT * FROM t_app_before UNION ALL SELECT * FROM t_app_seed2)) d")
    assert diff == 0
    assert not staging_tables(conn)


def test_append_to_a_missing_table_fails(conn):
    with pytest.raises(psycopg.errors.UndefinedTable):
        synthesize(conn, small("nope"), mode="append")
    assert "t_nope" not in user_tables(conn)
    assert not staging_tables(conn)


def test_like_append_keeps_keys_unique(conn):
    synthesize(conn, small("likeapp", rows=2000), seed=4)
    result = synthesize(conn, like="t_likeapp", rows=3000, mode="append")
    assert result["t_likeapp"][0] == 3000
    n, distinct, lo, hi = conn.execute("SELECT count(*), count(DISTINCT id), min(id), max(id) FROM t_likeapp").fetchone()
    assert (n, distinct, lo, hi) == (5000, 5000, 1, 5000)
    # a second append continues after the new maximum
    synthesize(conn, like="t_likeapp", rows=100, mode="append")
    assert conn.execute("SELECT count(*), count(DISTINCT id) FROM t_likeapp").fetchone() == (5100, 5100)
    assert not staging_tables(conn)


def test_bad_mode_and_engine(conn):
    with pytest.raises(psycopg.Error) as e:
        synthesize(conn, small("badmode"), mode="upsert")
    assert e.value.sqlstate == "22023" and "mode" in e.value.diag.message_primary
    with pytest.raises(psycopg.Error) as e:
        synthesize(conn, small("badmode"), engine="oracle")
    assert e.value.sqlstate == "22023" and "engine" in e.value.diag.message_primary
    assert "t_badmode" not in user_tables(conn)


def test_append_matches_columns_by_name(conn):
    """The target's columns in another order than the spec's: values land in their own columns."""
    conn.execute("CREATE TABLE t_byname (score DOUBLE, id BIGINT)")
    conn.execute("INSERT INTO t_byname VALUES (0.5, 0)")
    spec = {"tables": [{"name": "t_byname", "rows": 200, "columns": [
        {"name": "id", "generator": {"kind": "sequence", "start": 1000}},
        {"name": "score", "generator": {"kind": "uniform", "low": 0, "high": 1}}]}]}
    synthesize(conn, spec, mode="append")
    n, lo_id, hi_id, lo_score, hi_score = conn.execute(
        "SELECT count(*), min(id), max(id), min(score), max(score) FROM t_byname").fetchone()
    assert (n, lo_id, hi_id) == (201, 0, 1199)
    assert 0 <= lo_score and hi_score < 1
    # a spec column the target lacks: refused, nothing appended
    spec["tables"][0]["columns"].append({"name": "extra", "generator": {"kind": "boolean"}})
    with pytest.raises(psycopg.Error):
        synthesize(conn, spec, mode="append")
    assert scalar(conn, "SELECT count(*) FROM t_byname") == 201
    assert not staging_tables(conn)


def test_schema_option(conn):
    conn.execute("CREATE SCHEMA synth_other")
    result = synthesize(conn, small("sch", rows=300), schema="synth_other")
    assert result["t_sch"][0] == 300
    where = conn.execute("SELECT table_schema FROM information_schema.tables WHERE table_name = 't_sch'").fetchall()
    assert where == [("synth_other",)]
    assert scalar(conn, "SELECT count(*) FROM synth_other.t_sch") == 300
    with pytest.raises(psycopg.errors.DuplicateTable):
        synthesize(conn, small("sch", rows=300), schema="synth_other")
    # like => reads the table from that schema; append continues its keys there
    synthesize(conn, like="t_sch", schema="synth_other", rows=100, mode="append")
    assert conn.execute("SELECT count(*), count(DISTINCT id) FROM synth_other.t_sch").fetchone() == (400, 400)
    # the same name in main is another table
    synthesize(conn, small("sch", rows=7))
    assert scalar(conn, "SELECT count(*) FROM main.t_sch") == 7
    with pytest.raises(psycopg.Error) as e:
        synthesize(conn, small("sch2"), schema="no_such_schema")
    assert e.value.sqlstate == "3F000"
    assert not staging_tables(conn)


def test_concurrent_creates_of_one_table(synth_server):
    """Two sessions create the same table at once: one wins, the other fails, no mixture and no
    staging table remains."""
    import threading

    spec = small("race", rows=1_500_000)
    outcomes = []

    def create():
        with psycopg.connect(synth_server.dsn, autocommit=True) as c:
            try:
                outcomes.append(("ok", synthesize(c, spec)["t_race"][0]))
            except psycopg.Error as e:
                outcomes.append(("error", e.sqlstate))

    threads = [threading.Thread(target=create) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert sorted(o[0] for o in outcomes) == ["error", "ok"], outcomes
    assert next(o[1] for o in outcomes if o[0] == "error")[:2] == "42"
    with psycopg.connect(synth_server.dsn, autocommit=True) as c:
        assert c.execute("SELECT count(*), count(DISTINCT id) FROM t_race").fetchone() == (1_500_000, 1_500_000)
        assert not staging_tables(c)
