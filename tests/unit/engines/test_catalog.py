"""Catalog emulation on DuckDB: the 119 statements psql, PgJDBC and psycopg sent to a real
PostgreSQL 15 (../shared/reference), SQLAlchemy's and asyncpg's introspection, PgJDBC's other
DatabaseMetaData statements, each parsed as PostgreSQL, rewritten by to_duckdb and run on a
DuckDB database holding fixtures/catalog/schema.sql; the key ones answer-checked.

The reference statements name table t by its OID there (16390); the tests put t's OID here
in its place."""

from __future__ import annotations

import duckdb
import pytest
from sqlglot import exp
from sqlglot.errors import ParseError

from askgres.guard.dialect import CloseCursor, DeclareCursor, FetchCursor

from askgres.engines.duckdb import catalog
from askgres.engines.duckdb.dialect import to_duckdb
from test_catalog_support import (REFERENCE, REFERENCE_T_OID, duck_oids, fixture_database,
                                  fixture_statements, parse, reference_statements, run_on_duckdb,
                                  substitute_oids)

OWNER = "postgres"  # no askgres_user variable set: PostgreSQL's bootstrap superuser name


@pytest.fixture(scope="module")
def duck():
    con = fixture_database()
    yield con
    con.close()


def _run(duck, sql: str, params=()) -> list[tuple]:
    oids = duck_oids(duck)
    t_oid = str(oids.get("t", REFERENCE_T_OID))
    sql = substitute_oids(sql.replace(REFERENCE_T_OID, t_oid), oids)
    params = tuple(substitute_oids(p, oids) if p else p for p in params)
    params = tuple(t_oid if p == REFERENCE_T_OID else p for p in params)
    return run_on_duckdb(duck, sql, params)


# --- the shared reference capture -----------------------------------------------------------

REFERENCE_STATEMENTS = reference_statements() if REFERENCE.exists() else []
BY_LABEL = {s.label.split("_")[0]: s for s in REFERENCE_STATEMENTS}


def _answered_by_proxy(sql: str) -> str | None:
    """Statements the proxy answers itself, never sent to DuckDB: session settings, cursors,
    COPY ... TO STDOUT, the empty query. Returns why, or None."""
    if not sql.strip():
        return "empty query (EmptyQueryResponse)"
    tree = parse(sql)[0]
    if isinstance(tree, (exp.Set, exp.Show)):
        return f"{type(tree).__name__.upper()} of a PostgreSQL session parameter"
    if isinstance(tree, (DeclareCursor, FetchCursor, CloseCursor)):
        return f"{type(tree).__name__} (portals)"
    if isinstance(tree, exp.Copy) and any(f.name.upper() == "STDOUT" for f in tree.args["files"]):
        return "COPY ... TO STDOUT (CopyOut protocol)"
    return None


def test_reference_has_119_statements():
    if not REFERENCE.exists():
        pytest.skip(f"{REFERENCE} not present")
    assert len(REFERENCE_STATEMENTS) == 119


@pytest.mark.parametrize("stmt", REFERENCE_STATEMENTS, ids=lambda s: s.label)
def test_reference_statement_runs(duck, stmt):
    reason = _answered_by_proxy(stmt.sql)
    if reason:
        pytest.skip(f"answered by the proxy: {reason}")
    tree = parse(stmt.sql)[0]
    if isinstance(tree, exp.Select) and any(t.name == "nosuch" for t in tree.find_all(exp.Table)):
        with pytest.raises(duckdb.CatalogException):  # the engine maps it to 42P01
            _run(duck, stmt.sql, stmt.params)
        return
    if isinstance(tree, (exp.Commit, exp.Rollback)):
        cur = duck.cursor()
        cur.execute("BEGIN")
        cur.execute(stmt.sql)
        cur.close()
        return
    _run(duck, f"BEGIN; {stmt.sql}; ROLLBACK" if isinstance(tree, (exp.Insert, exp.Delete))
         else stmt.sql, stmt.params)


def _ref(label: str):
    if not REFERENCE.exists():
        pytest.skip(f"{REFERENCE} not present")
    return BY_LABEL[label]


def test_psql_dt_lists_tables(duck):
    rows = _run(duck, _ref("ref000").sql)
    assert rows == [("public", "big", "table", OWNER), ("public", "orders", "table", OWNER),
                    ("public", "t", "table", OWNER)]


def test_psql_dv_lists_views(duck):
    assert _run(duck, _ref("ref013").sql) == [("public", "v_t", "view", OWNER)]


def test_psql_dn_and_l_and_du(duck):
    assert _run(duck, _ref("ref010").sql) == [("public", "pg_database_owner")]
    (db,) = _run(duck, _ref("ref011").sql)
    assert db[1:4] == (OWNER, "UTF8", "C.UTF-8") and db[6] == "libc"
    (role,) = _run(duck, _ref("ref014").sql)
    assert role[0] == OWNER and role[1] is True and role[5] is True


def test_psql_d_t_finds_the_table_and_its_columns(duck):
    oids = duck_oids(duck)
    assert _run(duck, _ref("ref001").sql) == [(oids["t"], "public", "t")]
    (rel,) = _run(duck, _ref("ref002").sql)
    assert rel[1] == "r" and rel[2] is True and rel[-1] == "heap"
    columns = [(r[0], r[1], r[3]) for r in _run(duck, _ref("ref003").sql)]
    assert columns == [("id", "integer", True), ("name", "text", True),
                       ("price", "numeric(10,2)", False),
                       ("ts", "timestamp without time zone", False), ("d", "date", False),
                       ("flag", "boolean", False), ("amount", "double precision", False)]


def test_psql_d_t_indexes(duck):
    rows = _run(duck, _ref("ref004").sql)
    assert [(r[0], r[1], r[2], r[5], r[6], r[7]) for r in rows] == [
        ("t_pkey", True, True, "CREATE UNIQUE INDEX t_pkey ON t USING btree (id)",
         "PRIMARY KEY (id)", "p"),
        ("t_name_idx", False, False, "CREATE INDEX t_name_idx ON t USING btree (name)",
         None, None)]


def test_jdbc_get_tables_and_schemas(duck):
    rows = _run(duck, _ref("ref045").sql)
    assert [(r[1], r[2], r[3]) for r in rows] == [("public", "big", "TABLE"),
                                                  ("public", "orders", "TABLE"),
                                                  ("public", "t", "TABLE")]
    assert [r[0] for r in _run(duck, _ref("ref048").sql)] == ["information_schema",
                                                              "pg_catalog", "public"]


def test_jdbc_get_columns_types(duck):
    rows = _run(duck, _ref("ref051").sql)
    # (attname, atttypid, attnotnull, atttypmod, attnum): PgJDBC derives DATA_TYPE, COLUMN_SIZE
    # and DECIMAL_DIGITS from the type OID and typmod (23 -> INTEGER, 1700 with 655366 -> 10,2).
    assert [(r[2], r[3], r[4], r[5], r[8]) for r in rows] == [
        ("id", 23, True, -1, 1), ("name", 25, True, -1, 2), ("price", 1700, False, 655366, 3),
        ("ts", 1114, False, -1, 4), ("d", 1082, False, -1, 5), ("flag", 16, False, -1, 6),
        ("amount", 701, False, -1, 7)]


def test_jdbc_get_primary_keys(duck):
    assert _run(duck, _ref("ref054").sql) == [(None, "public", "t", "id", 1, "t_pkey")]


def test_psycopg_type_info(duck):
    stmt = _ref("ref114")
    assert _run(duck, stmt.sql, stmt.params) == [("int4", 23, 1007, "integer", ",")]


# --- SQLAlchemy, asyncpg and PgJDBC statements of our own capture ---------------------------

CLIENT_STATEMENTS = (fixture_statements("sqlalchemy_asyncpg_pg15.sql")
                     + fixture_statements("jdbc_metadata.sql"))


@pytest.mark.parametrize("stmt", CLIENT_STATEMENTS,
                         ids=lambda s: s.label)
def test_client_statement_runs(duck, stmt):
    _run(duck, stmt.sql, stmt.params)


def _client(label_prefix: str, *contains: str):
    for stmt in CLIENT_STATEMENTS:
        if stmt.label.startswith(label_prefix) and all(c in stmt.sql for c in contains):
            return stmt
    raise LookupError(contains)


def test_jdbc_imported_and_exported_keys(duck):
    imported = _run(duck, fixture_statements("jdbc_metadata.sql")[0].sql)
    exported = _run(duck, fixture_statements("jdbc_metadata.sql")[1].sql)
    expected = [(None, "public", "t", "id", None, "public", "orders", "t_id", 1, 3, 3,
                 "orders_t_id_fkey", "t_pkey", 7)]
    assert imported == expected and exported == expected


def test_jdbc_index_info_and_type_info(duck):
    rows = _run(duck, fixture_statements("jdbc_metadata.sql")[2].sql)
    assert [(r[3], r[5], r[7], r[8], r[9]) for r in rows] == [
        (False, "t_pkey", 1, "id", "A"), (True, "t_name_idx", 1, "name", "A")]
    types = dict(_run(duck, fixture_statements("jdbc_metadata.sql")[3].sql))
    assert types["int4"] == 23 and types["numeric"] == 1700 and types["_text"] == 1009
    stmt = fixture_statements("jdbc_metadata.sql")[5]
    assert _run(duck, stmt.sql, stmt.params) == [(False, "b", "numeric", 1700)]


def test_sqlalchemy_foreign_keys_and_pk(duck):
    fks = _run(duck, _client("sqlalchemy", "contype = 'f'", "relname IN ('orders')").sql)
    assert [(r[0], r[1], r[2]) for r in fks] == [
        ("orders", "orders_t_id_fkey", "FOREIGN KEY (t_id) REFERENCES t(id)")]
    pk = _run(duck, _client("sqlalchemy", "contype = 'p' AND pg_catalog.pg_constraint.conrelid IN ({oid:t})").sql)
    assert [(r[1], r[2]) for r in pk] == [(["id"], "t_pkey")]


def test_sqlalchemy_has_table_and_names(duck):
    stmt = _client("sqlalchemy", "relname IN ('t')")
    assert _run(duck, stmt.sql) == [("t",)]
    stmt = _client("sqlalchemy", "ANY (ARRAY['v'])")
    assert _run(duck, stmt.sql) == [("v_t",)]


# --- details --------------------------------------------------------------------------------

def test_install_is_idempotent_and_visible_from_cursors(duck):
    catalog.install(duck)  # second time: nothing happens
    cur = duck.cursor()
    assert cur.execute("SELECT count(*) FROM askgres_catalog.pg.pg_class WHERE relname = 't'"
                       ).fetchone() == (1,)
    cur.close()


def test_nothing_is_written_into_the_user_database(tmp_path):
    path = tmp_path / "user.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE x (i INTEGER)")
    con.close()
    con = duckdb.connect(str(path), read_only=True)
    catalog.install(con)
    assert _run(con, "SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = 2200"
                ) == [("x",)]
    assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = 'user'"
                       ).fetchone() == (1,)
    con.close()


def test_oids_are_consistent_across_catalogs(duck):
    rows = _run(duck, """SELECT c.relname, a.attname, t.typname, i.indexrelid = k.conindid
        FROM pg_catalog.pg_class c JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid
        JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
        JOIN pg_catalog.pg_index i ON i.indrelid = c.oid AND i.indisprimary
        JOIN pg_catalog.pg_constraint k ON k.conrelid = c.oid AND k.contype = 'p'
        WHERE a.attnum = ANY (k.conkey) ORDER BY 1""")
    assert rows == [("orders", "order_id", "int4", True), ("t", "id", "int4", True)]
    assert _run(duck, "SELECT 'public.t'::regclass = 't'::regclass, 'pg_class'::regclass::oid") == [
        (True, 1259)]


@pytest.mark.parametrize("sql, expected", [
    ("SELECT pg_catalog.format_type(1043, 44), format_type(1231, 655366), format_type(1009, -1)",
     ("character varying(40)", "numeric(10,2)[]", "text[]")),
    ("SELECT 23::regtype::text, 'int4'::regtype::oid, to_regtype('integer[]')::oid",
     ("integer", 23, 1007)),
    ("SELECT current_schema(), pg_catalog.current_schemas(false), pg_encoding_to_char(6)",
     ("public", ["public"], "UTF8")),
    ("SELECT current_setting('server_version_num'), quote_ident('a b'), quote_ident('ab')",
     ("150000", '"a b"', "ab")),
    ("SELECT 'T' OPERATOR(pg_catalog.~) '^(t)$', 't' ~ '^(t)$' COLLATE pg_catalog.default",
     (False, True)),
])
def test_functions(duck, sql, expected):
    assert _run(duck, sql) == [expected]


def test_version_is_postgres_shaped(duck):
    (row,) = _run(duck, "SELECT version(), pg_catalog.version()")
    assert row[0] == row[1] and row[0].startswith(f"PostgreSQL {catalog.SERVER_VERSION} (askgres ")


def test_session_user_and_settings_come_from_variables():
    con = fixture_database()
    session = con.cursor()  # variables belong to one DuckDB connection: a client session
    session.execute("SET VARIABLE askgres_user = 'alice'")
    session.execute("SET VARIABLE askgres_settings = MAP {'application_name': 'psql'}")
    (sql,) = [to_duckdb(tree) for tree in parse(
        "SELECT current_user, pg_get_userbyid(10), current_setting('application_name')")]
    assert session.execute(sql).fetchall() == [("alice", "alice", "psql")]
    assert run_on_duckdb(con, "SELECT current_user") == [("postgres",)]  # another session
    con.close()


def test_data_file_views_show_as_tables():
    con = fixture_database()
    con.execute("CREATE VIEW trips AS SELECT 1 AS id")
    catalog.mark_as_tables(con, [("main", "trips")])
    assert run_on_duckdb(con, "SELECT relname, relkind FROM pg_class WHERE relname IN ('trips', 'v_t') "
                              "ORDER BY 1") == [("trips", "r"), ("v_t", "v")]
    con.close()


def test_comments_reach_obj_and_col_description():
    con = fixture_database()
    con.execute("COMMENT ON TABLE t IS 'the table'")
    con.execute("COMMENT ON COLUMN t.name IS 'a name'")
    assert run_on_duckdb(con, "SELECT obj_description('t'::regclass, 'pg_class'), "
                              "col_description('t'::regclass, 2)") == [("the table", "a name")]
    con.close()
