"""psycopg2 (libpq, client-side parameter interpolation) against askgres."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest

psycopg2 = pytest.importorskip("psycopg2", reason="psycopg2 is not installed (pip install -e '.[test]')")
import psycopg2.errorcodes  # noqa: E402
import psycopg2.extras  # noqa: E402


@pytest.fixture
def conn(askgres_server):
    c = psycopg2.connect(askgres_server.dsn, connect_timeout=10)
    yield c
    c.close()


def test_query_with_parameters(conn):
    with conn.cursor() as cur:
        cur.execute("SELECT id, name, price FROM products WHERE price > %s ORDER BY price DESC, id LIMIT %s",
                    (decimal.Decimal("10.00"), 3))
        rows = cur.fetchall()
    assert 0 < len(rows) <= 3
    assert all(isinstance(r[2], decimal.Decimal) and r[2] > 10 for r in rows)
    assert [r[2] for r in rows] == sorted((r[2] for r in rows), reverse=True)


def test_types_come_back_typed(conn):
    with conn.cursor() as cur:
        cur.execute("SELECT 1::int8, 2.5::float8, 'x'::text, true, DATE '2024-03-01', "
                    "TIMESTAMP '2024-03-01 10:11:12.5', 12.30::numeric(10,2), ARRAY[1,2,3]")
        row = cur.fetchone()
    assert row[:7] == (1, 2.5, "x", True, dt.date(2024, 3, 1), dt.datetime(2024, 3, 1, 10, 11, 12, 500000),
                       decimal.Decimal("12.30"))
    assert row[7] == [1, 2, 3]


def test_bytea_hex_literal(conn):
    with conn.cursor() as cur:
        cur.execute("SELECT '\\x0001ff'::bytea, %s::bytea", (psycopg2.Binary(b"\x00\x01\xff"),))
        a, b = cur.fetchone()
    assert bytes(a) == bytes(b) == b"\x00\x01\xff"


def test_transaction_and_executemany(conn, table_name):
    with conn.cursor() as cur:
        cur.execute(f"CREATE TABLE {table_name}(id int, label text)")
        conn.commit()
        cur.executemany(f"INSERT INTO {table_name} VALUES (%s, %s)", [(i, f"l{i}") for i in range(50)])
        conn.rollback()
        cur.execute(f"SELECT count(*) FROM {table_name}")
        assert cur.fetchone() == (0,)
        psycopg2.extras.execute_values(cur, f"INSERT INTO {table_name} VALUES %s", [(i, f"l{i}") for i in range(50)])
        conn.commit()
        cur.execute(f"SELECT count(*), sum(id) FROM {table_name}")
        assert cur.fetchone() == (50, sum(range(50)))


def test_error_codes_and_recovery(conn):
    with conn.cursor() as cur:
        with pytest.raises(psycopg2.errors.UndefinedTable) as e:
            cur.execute("SELECT * FROM missing_table_x")
        assert e.value.pgcode == psycopg2.errorcodes.UNDEFINED_TABLE
        conn.rollback()
        with pytest.raises(psycopg2.errors.DivisionByZero):
            cur.execute("SELECT 1/0")
        conn.rollback()
        cur.execute("SELECT 3")
        assert cur.fetchone() == (3,)


def test_named_cursor(conn):
    with conn.cursor(name="p2_named") as cur:
        cur.itersize = 500
        cur.execute("SELECT i FROM range(5000) t(i) ORDER BY i")
        assert [r[0] for r in cur] == list(range(5000))


def test_copy_expert_both_ways(conn, table_name):
    import io

    with conn.cursor() as cur:
        cur.execute(f"CREATE TABLE {table_name}(id int, label text)")
        cur.copy_expert(f"COPY {table_name} FROM STDIN WITH (FORMAT csv)",
                        io.StringIO("".join(f'{i},"l,{i}"\n' for i in range(100))))
        out = io.StringIO()
        cur.copy_expert(f"COPY (SELECT * FROM {table_name} ORDER BY id) TO STDOUT WITH (FORMAT csv)", out)
    conn.commit()
    lines = out.getvalue().splitlines()
    assert len(lines) == 100 and lines[7] == '7,"l,7"'


def test_dict_cursor_and_description(conn):
    with conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
        cur.execute("SELECT id, name, country FROM customers ORDER BY id LIMIT 2")
        rows = cur.fetchall()
        assert [d.name for d in cur.description] == ["id", "name", "country"]
    assert rows[0]["id"] < rows[1]["id"]
