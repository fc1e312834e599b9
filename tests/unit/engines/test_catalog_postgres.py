"""Differential: the key introspection statements of psql, PgJDBC, psycopg and SQLAlchemy on a
real PostgreSQL and on the DuckDB catalog emulation, same fixture schema, same answers
(names, types, keys, definitions; OIDs left out, since they differ by design)."""

from __future__ import annotations

import pytest

from test_catalog_support import (FIXTURES, REFERENCE, REFERENCE_T_OID, duck_oids,
                                  fixture_database, fixture_statements, reference_statements,
                                  run_on_duckdb, substitute_oids, typed)

pytestmark = pytest.mark.differential
psycopg = pytest.importorskip("psycopg")

from tests.support.missing import missing
from tests.support.postgres import PostgresUnavailable, start_postgres


@pytest.fixture(scope="module")
def pg(tmp_path_factory):
    try:
        server = start_postgres(tmp_path_factory.mktemp("catalog-pg"))
    except PostgresUnavailable as e:
        missing(f"no PostgreSQL: {e}")
    conn = psycopg.connect(server.dsn, autocommit=True)
    conn.execute((FIXTURES / "schema.sql").read_text())
    yield conn
    conn.close()
    server.stop()


@pytest.fixture(scope="module")
def duck():
    con = fixture_database()
    yield con
    con.close()


def _pg_oids(conn) -> dict[str, int]:
    rows = conn.execute("SELECT relname, oid::int8 FROM pg_class "
                        "WHERE relnamespace = 'public'::regnamespace").fetchall()
    return dict(rows)


def _on_both(pg, duck, sql: str, params=()) -> tuple[list[tuple], list[tuple]]:
    answers = []
    for oids, run in ((_pg_oids(pg), _run_pg(pg)), (duck_oids(duck), _run_duck(duck))):
        text = substitute_oids(sql.replace(REFERENCE_T_OID, str(oids["t"])), oids)
        values = tuple(str(oids["t"]) if p == REFERENCE_T_OID else p for p in params)
        answers.append(run(text, values))
    return answers[0], answers[1]


def _run_pg(conn):
    def run(sql, params):
        cur = psycopg.RawCursor(conn)  # $1 placeholders, as the clients sent them
        return [tuple(r) for r in cur.execute(sql, [typed(p) for p in params] or None).fetchall()]
    return run


def _run_duck(con):
    return lambda sql, params: run_on_duckdb(con, sql, params)


REF = {s.label.split("_")[0]: s for s in reference_statements()} if REFERENCE.exists() else {}
JDBC = fixture_statements("jdbc_metadata.sql")
SA = fixture_statements("sqlalchemy_asyncpg_pg15.sql")


def _sa(*contains: str):
    return next(s for s in SA if all(c in s.sql for c in contains))


# (statement, columns to compare, None for all, or "set" for all in any order)
CASES = {
    "psql_dt": (lambda: REF["ref000"], None),
    "psql_dv": (lambda: REF["ref013"], None),
    "psql_dn": (lambda: REF["ref010"], None),
    "psql_d_t_columns": (lambda: REF["ref003"], (0, 1, 2, 3)),
    "psql_d_t_indexes": (lambda: REF["ref004"], (0, 1, 2, 5, 6, 7)),
    "jdbc_getTables": (lambda: REF["ref045"], (1, 2, 3)),
    "jdbc_getColumns": (lambda: REF["ref051"], (0, 1, 2, 3, 4, 5, 6, 8, 11)),
    "jdbc_getPrimaryKeys": (lambda: REF["ref054"], None),
    "psycopg_TypeInfo": (lambda: REF["ref114"], None),
    "jdbc_getImportedKeys": (lambda: JDBC[0], None),
    "jdbc_getExportedKeys": (lambda: JDBC[1], None),
    "jdbc_getIndexInfo": (lambda: JDBC[2], (1, 2, 3, 5, 6, 7, 8, 9)),
    "jdbc_getSQLType": (lambda: JDBC[5], None),
    "jdbc_getPGArrayElement": (lambda: JDBC[6], (1, 2, 3)),
    # no ORDER BY in SQLAlchemy's statement: compared as sets
    "sqlalchemy_table_names": (lambda: _sa("ANY (ARRAY['r', 'p'])", "relpersistence != 't'"), "set"),
    "sqlalchemy_view_names": (lambda: _sa("ANY (ARRAY['v'])"), None),
    "sqlalchemy_has_table": (lambda: _sa("relname IN ('t')"), None),
    "sqlalchemy_pk": (lambda: _sa("contype = 'p'", "IN ({oid:t}, {oid:big}, {oid:orders})"), (1, 2)),
    "sqlalchemy_fk": (lambda: _sa("contype = 'f'", "relname IN ('orders')"), (0, 1, 2, 3)),
    "sqlalchemy_unique": (lambda: _sa("contype = 'u'", "IN ({oid:t}, {oid:big}, {oid:orders})"), (1, 2)),
    "sqlalchemy_check": (lambda: _sa("contype = 'c'", "relname IN ('big', 't', 'orders')"), (0, 1, 2)),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_same_answer_as_postgres(pg, duck, case):
    make, columns = CASES[case]
    if not REFERENCE.exists() and case.startswith(("psql", "jdbc_get", "psycopg")) and \
            case not in ("jdbc_getImportedKeys", "jdbc_getExportedKeys", "jdbc_getIndexInfo",
                         "jdbc_getSQLType", "jdbc_getPGArrayElement"):
        pytest.skip(f"{REFERENCE} not present")
    stmt = make()
    on_pg, on_duck = _on_both(pg, duck, stmt.sql, stmt.params)
    if columns == "set":
        on_pg, on_duck = sorted(on_pg), sorted(on_duck)
    elif columns is not None:
        on_pg = [tuple(r[i] for i in columns) for r in on_pg]
        on_duck = [tuple(r[i] for i in columns) for r in on_duck]
    assert on_pg, "the comparison must compare something"
    assert on_duck == on_pg
