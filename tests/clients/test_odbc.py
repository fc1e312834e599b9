"""psqlODBC (Debian odbc-postgresql) through unixODBC and pyodbc against askgres.

The driver and DSN are declared in odbcinst.ini / odbc.ini written to a temporary folder that
ODBCSYSINI and ODBCINI point to, so nothing on the machine is changed.
"""

from __future__ import annotations

import datetime as dt
import decimal
import glob
import os
import subprocess

import pytest

from tests.support.missing import missing

pyodbc = pytest.importorskip("pyodbc", reason="pyodbc is not installed (pip install -e '.[test]')")


def driver_path() -> str | None:
    try:
        files = subprocess.run(["dpkg", "-L", "odbc-postgresql"], capture_output=True, text=True).stdout.split()
    except FileNotFoundError:
        files = []
    files += glob.glob("/usr/lib/*/odbc/psqlodbcw.so")
    return next((f for f in files if f.endswith("psqlodbcw.so")), None)


@pytest.fixture(scope="module")
def odbc_dsn(askgres_server, tmp_path_factory):
    driver = driver_path()
    if driver is None:
        missing("psqlODBC is not installed (tests/support/install_clients.sh installs odbc-postgresql)")
    folder = tmp_path_factory.mktemp("odbc")
    (folder / "odbcinst.ini").write_text(f"[PostgreSQL Unicode]\nDriver = {driver}\n")
    (folder / "odbc.ini").write_text(
        "[askgres]\nDriver = PostgreSQL Unicode\n"
        f"Servername = {askgres_server.host}\nPort = {askgres_server.port}\n"
        "Database = askgres\nUsername = askgres\nSSLmode = disable\nBoolsAsChar = 0\n")
    saved = {k: os.environ.get(k) for k in ("ODBCSYSINI", "ODBCINI")}
    os.environ["ODBCSYSINI"], os.environ["ODBCINI"] = str(folder), str(folder / "odbc.ini")
    yield "DSN=askgres"
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture
def conn(odbc_dsn):
    c = pyodbc.connect(odbc_dsn, autocommit=True, timeout=10)
    yield c
    c.close()


def test_server_identity(conn):
    assert conn.getinfo(pyodbc.SQL_DBMS_NAME) == "PostgreSQL"
    assert conn.getinfo(pyodbc.SQL_DBMS_VER).startswith("15")


def test_query_with_parameters(conn):
    cur = conn.cursor()
    cur.execute("SELECT id, name, price FROM products WHERE id <= ? ORDER BY id", 3)
    rows = cur.fetchall()
    assert [r.id for r in rows] == [1, 2, 3]
    assert all(isinstance(r.price, decimal.Decimal) for r in rows)
    assert [d[0] for d in cur.description] == ["id", "name", "price"]


def test_types(conn):
    row = conn.cursor().execute(
        "SELECT 42::int8, 1.5::float8, 'été'::text, true, DATE '2024-01-31', "
        "TIMESTAMP '2024-01-31 08:09:10', 3.25::numeric(6,2)").fetchone()
    assert tuple(row) == (42, 1.5, "été", True, dt.date(2024, 1, 31), dt.datetime(2024, 1, 31, 8, 9, 10),
                          decimal.Decimal("3.25"))


def test_insert_transaction_and_executemany(odbc_dsn, table_name):
    c = pyodbc.connect(odbc_dsn, autocommit=False)
    try:
        cur = c.cursor()
        cur.execute(f"CREATE TABLE {table_name}(id int, label varchar(20))")
        c.commit()
        cur.executemany(f"INSERT INTO {table_name} VALUES (?, ?)", [(i, f"l{i}") for i in range(30)])
        c.rollback()
        assert cur.execute(f"SELECT count(*) FROM {table_name}").fetchval() == 0
        cur.executemany(f"INSERT INTO {table_name} VALUES (?, ?)", [(i, f"l{i}") for i in range(30)])
        c.commit()
        assert tuple(cur.execute(f"SELECT count(*), sum(id) FROM {table_name}").fetchone()) == (30, sum(range(30)))
    finally:
        c.close()


def test_catalog_functions(conn):
    cur = conn.cursor()
    tables = {r.table_name for r in cur.tables(schema="public", tableType="TABLE")}
    assert {"customers", "products", "orders", "order_items"} <= tables
    columns = [(r.column_name, r.type_name) for r in cur.columns(table="products", schema="public")]
    assert [c[0] for c in columns] == ["id", "name", "category", "price"]
    assert dict(columns)["price"] == "numeric"


def test_primary_keys(conn):
    assert [r.column_name for r in conn.cursor().primaryKeys("customers", schema="public")] == ["id"]


def test_error_sqlstate_and_recovery(conn):
    cur = conn.cursor()
    with pytest.raises(pyodbc.Error) as e:
        cur.execute("SELECT * FROM missing_odbc_table")
    assert "42P01" in str(e.value)
    with pytest.raises(pyodbc.Error) as e:
        cur.execute("SELECT 1/0")
    assert "22012" in str(e.value)
    assert cur.execute("SELECT 9").fetchval() == 9


def test_many_rows(conn):
    rows = conn.cursor().execute("SELECT i FROM range(50000) t(i) ORDER BY i").fetchall()
    assert len(rows) == 50000 and rows[-1][0] == 49999
