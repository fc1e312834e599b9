"""psycopg 3 against askgres: server-side binds, binary, COPY, transactions, named cursors,
errors with SQLSTATE, and type round trips in text and binary format."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid

import pytest

psycopg = pytest.importorskip("psycopg", reason="psycopg 3 is not installed (pip install -e '.[test]')")
from psycopg import errors as pgerrors  # noqa: E402
from psycopg.types.json import Json, Jsonb  # noqa: E402


@pytest.fixture
def conn(askgres_server):
    with psycopg.connect(askgres_server.dsn, autocommit=True, connect_timeout=10) as c:
        yield c


def test_server_parameters(conn):
    info = conn.info
    assert info.server_version >= 150000
    assert info.parameter_status("server_encoding") == "UTF8"
    assert info.parameter_status("standard_conforming_strings") == "on"
    assert info.parameter_status("integer_datetimes") == "on"
    assert info.backend_pid > 0


def test_server_side_binds_with_prepare(conn):
    with conn.cursor() as cur:
        for i in range(1, 4):
            cur.execute("SELECT id, name FROM customers WHERE id = %s", (i,), prepare=True)
            rows = cur.fetchall()
            assert [r[0] for r in rows] == [i]
        cur.execute("SELECT %s::int + %s::int, %s || 'b'", (40, 2, "a"), prepare=True)
        assert cur.fetchone() == (42, "ab")


def test_untyped_string_parameter(conn):
    row = conn.execute("SELECT %s AS s, length(%s) AS n", ("héllo", "héllo")).fetchone()
    assert row == ("héllo", 5)


def test_demo_join_and_aggregate(conn):
    rows = conn.execute("""
        SELECT c.country, count(DISTINCT o.id) AS orders, sum(oi.quantity * p.price) AS revenue
        FROM customers c JOIN orders o ON o.customer_id = c.id
        JOIN order_items oi ON oi.order_id = o.id JOIN products p ON p.id = oi.product_id
        GROUP BY c.country ORDER BY revenue DESC""").fetchall()
    assert rows and all(isinstance(r[2], decimal.Decimal) for r in rows)
    assert [r[2] for r in rows] == sorted((r[2] for r in rows), reverse=True)
    total = conn.execute("SELECT count(*) FROM orders o JOIN customers c ON c.id = o.customer_id").fetchone()[0]
    assert sum(r[1] for r in rows) <= total


def test_binary_cursor(conn):
    with conn.cursor(binary=True) as cur:
        cur.execute("SELECT id, price, name FROM products ORDER BY id LIMIT 5")
        rows = cur.fetchall()
        assert all(d.type_code for d in cur.description)
    text = conn.execute("SELECT id, price, name FROM products ORDER BY id LIMIT 5").fetchall()
    assert rows == text and len(rows) == 5


def test_many_rows_stream(conn):
    with conn.cursor() as cur:
        cur.execute("SELECT i, i * 2 AS d, 'row ' || i AS t FROM range(200000) t(i)")
        n, checksum = 0, 0
        for i, d, t in cur:
            assert d == 2 * i
            n += 1
            checksum += i
    assert n == 200000 and checksum == sum(range(200000))


# ---------------------------------------------------------------- errors


def test_syntax_error_has_sqlstate_and_position(conn):
    with pytest.raises(pgerrors.SyntaxError) as e:
        conn.execute("SELECT 1 FROM customers WHER id = 1")
    assert e.value.sqlstate == "42601"
    position = int(e.value.diag.statement_position)
    assert "SELECT 1 FROM customers WHER id = 1"[position - 1:].startswith(("WHER", "id"))
    assert conn.execute("SELECT 1").fetchone() == (1,)


@pytest.mark.parametrize("sql, sqlstate, cls", [
    ("SELECT * FROM no_such_table", "42P01", pgerrors.UndefinedTable),
    ("SELECT no_such_column FROM customers", "42703", pgerrors.UndefinedColumn),
    ("SELECT 1/0", "22012", pgerrors.DivisionByZero),
    ("SELECT id/0 FROM customers", "22012", pgerrors.DivisionByZero),
])
def test_errors_carry_sqlstate_and_connection_survives(conn, sql, sqlstate, cls):
    with pytest.raises(cls) as e:
        conn.execute(sql)
    assert e.value.sqlstate == sqlstate
    assert e.value.diag.severity == "ERROR"
    assert conn.execute("SELECT 2").fetchone() == (2,)


def test_error_with_parameters_in_extended_protocol(conn):
    with pytest.raises(pgerrors.DivisionByZero):
        conn.execute("SELECT %s::int / %s::int", (1, 0))
    assert conn.execute("SELECT %s::int / %s::int", (7, 2)).fetchone() == (3,)


# ---------------------------------------------------------------- transactions


def test_transaction_commit_and_rollback(askgres_server, table_name):
    with psycopg.connect(askgres_server.dsn) as conn:
        conn.execute(f"CREATE TABLE {table_name}(a int)")
        conn.commit()
        conn.execute(f"INSERT INTO {table_name} VALUES (1)")
        assert conn.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS
        conn.rollback()
        conn.execute(f"INSERT INTO {table_name} VALUES (2)")
        conn.commit()
        with conn.transaction():
            conn.execute(f"INSERT INTO {table_name} VALUES (3)")
        with pytest.raises(ZeroDivisionError):
            with conn.transaction():
                conn.execute(f"INSERT INTO {table_name} VALUES (4)")
                raise ZeroDivisionError
        assert [r[0] for r in conn.execute(f"SELECT a FROM {table_name} ORDER BY a")] == [2, 3]


def test_failed_transaction_state(askgres_server):
    with psycopg.connect(askgres_server.dsn) as conn:
        with pytest.raises(pgerrors.UndefinedTable):
            conn.execute("SELECT * FROM no_such_table")
        assert conn.info.transaction_status == psycopg.pq.TransactionStatus.INERROR
        with pytest.raises(pgerrors.InFailedSqlTransaction):
            conn.execute("SELECT 1")
        conn.rollback()
        assert conn.execute("SELECT 1").fetchone() == (1,)


# ---------------------------------------------------------------- named (server-side) cursors


def test_named_cursor_itersize(askgres_server):
    with psycopg.connect(askgres_server.dsn) as conn:
        with conn.cursor(name="big") as cur:
            cur.itersize = 1000
            cur.execute("SELECT i FROM range(25000) t(i) ORDER BY i")
            first = cur.fetchmany(10)
            assert [r[0] for r in first] == list(range(10))
            rest = [r[0] for r in cur]
        assert rest == list(range(10, 25000))
        conn.commit()


def test_named_cursor_with_hold_outlives_commit(askgres_server):
    with psycopg.connect(askgres_server.dsn) as conn:
        with conn.cursor(name="held", withhold=True) as cur:
            cur.execute("SELECT id FROM products ORDER BY id")
            conn.commit()
            ids = [r[0] for r in cur.fetchall()]
    assert ids and ids == sorted(ids)


# ---------------------------------------------------------------- COPY


def test_copy_write_rows_then_read_rows(conn, table_name):
    conn.execute(f"CREATE TABLE {table_name}(id int, name text, score double precision, day date)")
    data = [(i, f"n{i}\t'\"\\", None if i % 5 == 0 else i / 4, dt.date(2024, 1, 1) + dt.timedelta(days=i))
            for i in range(1000)]
    with conn.cursor() as cur:
        with cur.copy(f"COPY {table_name} (id, name, score, day) FROM STDIN") as copy:
            for row in data:
                copy.write_row(row)
        assert cur.rowcount == 1000
        with cur.copy(f"COPY (SELECT id, name, score, day FROM {table_name} ORDER BY id) TO STDOUT") as copy:
            copy.set_types(["int4", "text", "float8", "date"])
            back = list(copy.rows())
    assert back == data


def test_copy_csv_out(conn):
    with conn.cursor() as cur:
        with cur.copy("COPY (SELECT id, name FROM products ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER)") as copy:
            text = b"".join(bytes(chunk) for chunk in copy).decode()
    lines = text.splitlines()
    count = conn.execute("SELECT count(*) FROM products").fetchone()[0]
    assert lines[0] == "id,name" and len(lines) == count + 1


def test_copy_fail_leaves_table_empty(conn, table_name):
    conn.execute(f"CREATE TABLE {table_name}(id int)")
    with pytest.raises(RuntimeError):  # psycopg sends CopyFail, then re-raises the client's error
        with conn.cursor().copy(f"COPY {table_name} FROM STDIN") as copy:
            copy.write_row((1,))
            raise RuntimeError("client gives up")
    assert conn.execute(f"SELECT count(*) FROM {table_name}").fetchone() == (0,)


def test_copy_bad_data_reports_error(conn, table_name):
    conn.execute(f"CREATE TABLE {table_name}(id int)")
    with pytest.raises(psycopg.errors.DataError):
        with conn.cursor().copy(f"COPY {table_name} FROM STDIN") as copy:
            copy.write(b"1\nnot a number\n")
    assert conn.execute(f"SELECT count(*) FROM {table_name}").fetchone() == (0,)


# ---------------------------------------------------------------- types in text and binary

ROUND_TRIPS = [
    ("int2", 12345), ("int4", -2_000_000_000), ("int8", 9_000_000_000_000_000_000),
    ("float4", 1.5), ("float8", 3.141592653589793),
    ("numeric", decimal.Decimal("12345.678900")), ("numeric", decimal.Decimal("-0.000001")),
    ("text", "snow ☃ and 'quotes'"), ("varchar", "x" * 300), ("bool", True), ("bool", False),
    ("bytea", b"\x00\x01\xfe\xff binary"),
    ("date", dt.date(2024, 2, 29)),
    ("time", dt.time(13, 45, 7, 123456)),
    ("timestamp", dt.datetime(2001, 9, 9, 1, 46, 40, 5)),
    ("timestamptz", dt.datetime(2020, 6, 1, 12, 0, tzinfo=dt.timezone.utc)),
    ("interval", dt.timedelta(days=3, hours=4, minutes=5, seconds=6)),
    ("uuid", uuid.UUID("12345678-1234-5678-1234-567812345678")),
    ("uuid[]", [uuid.UUID("12345678-1234-5678-1234-567812345678"), None]),
    ("int4[]", [1, 2, None, 4]), ("text[]", ["a", "b c", None, '"q"']),
    ("float8[]", [1.25, -2.5]), ("bool[]", [True, False]),
]


@pytest.mark.parametrize("binary", [False, True], ids=["text", "binary"])
@pytest.mark.parametrize("pgtype, value", ROUND_TRIPS, ids=[f"{p.values[0] if hasattr(p, 'values') else p[0]}-{i}"
                                                             for i, p in enumerate(ROUND_TRIPS)])
def test_type_round_trip(conn, pgtype, value, binary):
    with conn.cursor(binary=binary) as cur:
        cur.execute(f"SELECT %s::{pgtype} AS v, pg_typeof(%s::{pgtype})::text AS t", (value, value))
        got, typename = cur.fetchone()
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        assert got == value and got.tzinfo is not None
    else:
        assert got == value and type(got) is type(value)


def test_bare_untyped_parameter_is_text(conn):
    # psycopg sends a list of str as 'unknown': PostgreSQL (and askgres) answer text
    assert conn.execute("SELECT %s AS v", (["x", "y"],)).fetchone() == ("{x,y}",)


@pytest.mark.parametrize("binary", [False, True], ids=["text", "binary"])
def test_json_and_jsonb_round_trip(conn, binary):
    doc = {"a": [1, 2, {"b": None}], "s": "é"}
    with conn.cursor(binary=binary) as cur:
        cur.execute("SELECT %s::json, %s::jsonb", (Json(doc), Jsonb(doc)))
        assert cur.fetchone() == (doc, doc)
        assert [d.type_code for d in cur.description] == [114, 3802]


@pytest.mark.parametrize("binary", [False, True], ids=["text", "binary"])
def test_uuid_and_json_columns_are_typed(conn, binary):
    u = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"
    with conn.cursor(binary=binary) as cur:
        cur.execute(f"SELECT '{u}'::uuid AS u, ARRAY['{u}'::uuid, NULL] AS ua, NULL::uuid AS n, "
                    "'{\"k\": [1, 2]}'::json AS j, ARRAY['{\"x\": 1}'::json] AS ja, "
                    "ARRAY['[true]'::jsonb] AS jba, jsonb_build_object('z', 1) AS jo")
        row = cur.fetchone()
        assert [d.type_code for d in cur.description] == [2950, 2951, 2950, 114, 199, 3807, 3802]
    assert row == (uuid.UUID(u), [uuid.UUID(u), None], None, {"k": [1, 2]}, [{"x": 1}], [[True]], {"z": 1})
    assert type(row[0]) is uuid.UUID


def test_jsonb_text_is_normalised_as_postgresql_prints_it(conn):
    # jsonb keeps the last of duplicate keys, orders keys shorter first, prints 1e2 as 100
    cur = conn.execute("""SELECT '{"bb": 1e2, "a": [1.50, -0], "a": "x"}'::jsonb::text AS t""")
    raw = conn.pgconn.exec_params(b"""SELECT '{"bb": 1e2, "a": [1.50, -0], "a": "x"}'::jsonb""", [])
    assert raw.ftype(0) == 3802 and raw.get_value(0, 0) == b'{"a": "x", "bb": 100}'
    assert cur.fetchone()[0] is not None


@pytest.mark.parametrize("binary", [False, True], ids=["text", "binary"])
def test_null_and_result_types_of_columns(conn, binary):
    with conn.cursor(binary=binary) as cur:
        cur.execute("SELECT NULL::int AS n, 1::int2 AS a, 2::int8 AS b, 'x'::text AS c, 1.5::float8 AS d")
        assert cur.fetchone() == (None, 1, 2, "x", 1.5)
        assert [d.type_code for d in cur.description] == [23, 21, 20, 25, 701]


def test_nested_transaction_uses_savepoint_and_release(askgres_server, table_name):
    with psycopg.connect(askgres_server.dsn) as conn:
        conn.execute(f"CREATE TABLE {table_name}(a int)")
        conn.commit()
        with conn.transaction():
            conn.execute(f"INSERT INTO {table_name} VALUES (1)")
            with conn.transaction():  # SAVEPOINT ... RELEASE SAVEPOINT
                conn.execute(f"INSERT INTO {table_name} VALUES (2)")
        assert conn.execute(f"SELECT sum(a) FROM {table_name}").fetchone() == (3,)
        conn.rollback()
        conn.execute("SAVEPOINT sp")  # psycopg opened a transaction block for this one
        conn.execute("ROLLBACK TO SAVEPOINT sp")  # nothing written since: nothing to undo
        conn.rollback()
        assert conn.execute("SELECT 1").fetchone() == (1,)


def test_rollback_to_savepoint_undoes_a_failed_inner_block(askgres_server, table_name):
    """DuckDB has no savepoints: askgres replays the writes made before the savepoint."""
    with psycopg.connect(askgres_server.dsn, autocommit=True) as conn:
        conn.execute(f"CREATE TABLE {table_name}(a int PRIMARY KEY, b text)")
        with conn.transaction():
            conn.execute(f"INSERT INTO {table_name} VALUES (%s, %s)", (1, "one"))
            with pytest.raises(pgerrors.UniqueViolation):
                with conn.transaction():  # SAVEPOINT; the duplicate fails; ROLLBACK TO SAVEPOINT
                    conn.execute(f"INSERT INTO {table_name} VALUES (2, 'two')")
                    conn.execute(f"INSERT INTO {table_name} VALUES (1, 'again')")
            conn.execute(f"UPDATE {table_name} SET b = 'uno' WHERE a = 1")
            with conn.transaction():
                conn.execute(f"INSERT INTO {table_name} VALUES (4, 'four')")
        assert conn.execute(f"SELECT a, b FROM {table_name} ORDER BY a").fetchall() == [(1, "uno"), (4, "four")]


def test_rollback_to_savepoint_refused_when_it_cannot_be_replayed(askgres_server, table_name):
    with psycopg.connect(askgres_server.dsn) as conn:
        conn.execute(f"CREATE TABLE {table_name}(a float8)")
        conn.commit()
        conn.execute(f"INSERT INTO {table_name} VALUES (random())")  # volatile: not replayable
        conn.execute("SAVEPOINT sp")
        conn.execute(f"INSERT INTO {table_name} VALUES (2)")
        with pytest.raises(pgerrors.FeatureNotSupported) as err:
            conn.execute("ROLLBACK TO SAVEPOINT sp")
        assert "savepoint" in str(err.value).lower()
        assert conn.info.transaction_status.name == "INERROR"  # nothing half-undone can be committed
        conn.rollback()
        assert conn.execute(f"SELECT count(*) FROM {table_name}").fetchone() == (0,)
        with pytest.raises(pgerrors.InvalidSavepointSpecification):
            conn.execute("ROLLBACK TO SAVEPOINT nowhere")
        conn.rollback()


UNCAST_PARAMS = [12, 2 ** 40, 1.25, decimal.Decimal("10.50"), True, dt.date(2023, 7, 1),
                 dt.datetime(2023, 7, 1, 12, 30), dt.datetime(2023, 7, 1, 12, 30, tzinfo=dt.timezone.utc),
                 dt.timedelta(hours=5), b"\x00raw", [1, 2, 3]]


@pytest.mark.parametrize("binary", [False, True], ids=["text", "binary"])
@pytest.mark.parametrize("value", UNCAST_PARAMS, ids=[type(v).__name__ + str(i) for i, v in enumerate(UNCAST_PARAMS)])
def test_bare_parameter_keeps_its_declared_type(conn, value, binary):
    """SELECT %s: the type psycopg declares in Parse is the column's type, as in PostgreSQL."""
    with conn.cursor(binary=binary) as cur:
        cur.execute("SELECT %s AS v", (value,))
        got = cur.fetchone()[0]
    assert got == value and type(got) is type(value)


def test_bare_untyped_parameter_is_text(conn):
    # psycopg sends a list of str as 'unknown': PostgreSQL (and askgres) answer text
    assert conn.execute("SELECT %s AS v", (["x", "y"],)).fetchone() == ("{x,y}",)


def test_binary_copy_both_ways(conn, table_name):
    conn.execute(f"CREATE TABLE {table_name}(id int8, name text, score float8, price numeric(10,2), day date, "
                 "at timestamp, ok bool, data bytea)")
    data = [(i, f"n{i}", None if i % 4 == 0 else i / 8, decimal.Decimal(i).scaleb(-2), dt.date(2024, 1, 1) + dt.timedelta(days=i),
             dt.datetime(2024, 1, 1, 0, 0, i % 60), i % 2 == 0, bytes([i % 256, 0])) for i in range(500)]
    types = ["int8", "text", "float8", "numeric", "date", "timestamp", "bool", "bytea"]
    with conn.cursor() as cur:
        with cur.copy(f"COPY {table_name} FROM STDIN WITH (FORMAT BINARY)") as copy:
            copy.set_types(types)
            for row in data:
                copy.write_row(row)
        assert cur.rowcount == 500
        with cur.copy(f"COPY (SELECT * FROM {table_name} ORDER BY id) TO STDOUT WITH (FORMAT BINARY)") as copy:
            copy.set_types(types)
            back = list(copy.rows())
        with cur.copy(f"COPY (SELECT * FROM {table_name} WHERE false) TO STDOUT WITH (FORMAT BINARY)") as copy:
            copy.set_types(types)
            assert list(copy.rows()) == []
    assert back == data


@pytest.mark.parametrize("payload", [b"not a binary copy file",
                                     b"PGCOPY\n\xff\r\n\x00" + b"\x00" * 8 + b"\x00\x01\x00\x00"],
                         ids=["bad-signature", "truncated"])
def test_binary_copy_bad_data_is_22p04(conn, table_name, payload):
    conn.execute(f"CREATE TABLE {table_name}(id int8)")
    with pytest.raises(psycopg.DataError) as e:
        with conn.cursor().copy(f"COPY {table_name} FROM STDIN WITH (FORMAT BINARY)") as copy:
            copy.write(payload)
    assert e.value.sqlstate == "22P04"
    assert conn.execute(f"SELECT count(*) FROM {table_name}").fetchone() == (0,)


def test_current_database_is_the_name_connected_with(askgres_server):
    """As in PostgreSQL: current_database(), pg_database (psql's \\l) and
    information_schema's catalog columns agree on the database the client asked for."""
    dsn = psycopg.conninfo.make_conninfo(askgres_server.dsn, dbname="sales_reports")
    with psycopg.connect(dsn, autocommit=True) as c:
        assert c.execute("SELECT current_database(), current_catalog").fetchone() == ("sales_reports",) * 2
        assert c.execute("SELECT datname FROM pg_database").fetchall() == [("sales_reports",)]
        catalogs = c.execute("SELECT DISTINCT table_catalog FROM information_schema.tables").fetchall()
        assert catalogs == [("sales_reports",)]
        assert c.info.dbname == "sales_reports"
