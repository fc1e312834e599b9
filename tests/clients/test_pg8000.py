"""pg8000 (pure Python, extended protocol with typed parameters) against askgres."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest

pg8000 = pytest.importorskip("pg8000.native", reason="pg8000 is not installed (pip install -e '.[test]')")
import pg8000.dbapi  # noqa: E402


@pytest.fixture
def conn(askgres_server):
    c = pg8000.native.Connection("askgres", host=askgres_server.host, port=askgres_server.port,
                                 database="askgres", timeout=30)
    yield c
    c.close()


def test_native_query_with_named_parameters(conn):
    rows = conn.run("SELECT id, name FROM customers WHERE id BETWEEN :lo AND :hi ORDER BY id", lo=3, hi=6)
    assert [r[0] for r in rows] == [3, 4, 5, 6]
    assert [c["name"] for c in conn.columns] == ["id", "name"]


def test_parameter_types(conn):
    # pg8000 sends parameters as 'unknown': as in PostgreSQL, the casts give them their types.
    row = conn.run("SELECT :a::int + 1, :b || '!', :c::numeric(10,2), :d::date, :e::bool, :f::int[]",
                   a=41, b="hi", c=decimal.Decimal("1.50"), d=dt.date(2020, 1, 2), e=True, f=[1, 2])[0]
    assert row == [42, "hi!", decimal.Decimal("1.50"), dt.date(2020, 1, 2), True, [1, 2]]


def test_prepared_statement_reuse(conn):
    ps = conn.prepare("SELECT count(*) FROM orders WHERE customer_id = :cid")
    counts = [ps.run(cid=i)[0][0] for i in range(1, 6)]
    direct = [conn.run(f"SELECT count(*) FROM orders WHERE customer_id = {i}")[0][0] for i in range(1, 6)]
    assert counts == direct
    ps.close()


def test_error_fields(conn):
    with pytest.raises(pg8000.native.DatabaseError) as e:
        conn.run("SELECT nope FROM customers")
    fields = e.value.args[0]
    assert fields["C"] == "42703" and fields["S"] == "ERROR"
    assert conn.run("SELECT 1") == [[1]]


def test_dbapi_transaction(askgres_server, table_name):
    c = pg8000.dbapi.connect("askgres", host=askgres_server.host, port=askgres_server.port, database="askgres")
    try:
        cur = c.cursor()
        cur.execute(f"CREATE TABLE {table_name}(a int, b text)")
        c.commit()
        cur.executemany(f"INSERT INTO {table_name} VALUES (%s, %s)", [(1, "x"), (2, None)])
        c.commit()
        cur.execute(f"SELECT a, b FROM {table_name} ORDER BY a")
        assert [list(r) for r in cur.fetchall()] == [[1, "x"], [2, None]]
    finally:
        c.close()


def test_copy_in_and_out(conn, table_name):
    import io

    conn.run(f"CREATE TABLE {table_name}(a int, b text)")
    conn.run(f"COPY {table_name} FROM STDIN", stream=io.BytesIO(b"1\tone\n2\t\\N\n"))
    out = io.BytesIO()
    conn.run(f"COPY (SELECT * FROM {table_name} ORDER BY a) TO STDOUT", stream=out)
    assert out.getvalue() == b"1\tone\n2\t\\N\n"
