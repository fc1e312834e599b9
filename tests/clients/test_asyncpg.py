"""asyncpg (binary protocol, prepared statements, type introspection, COPY) against askgres."""

from __future__ import annotations

import asyncio
import datetime as dt
import decimal
import json
import uuid

import pytest

asyncpg = pytest.importorskip("asyncpg", reason="asyncpg is not installed (pip install -e '.[test]')")


def run(coro, timeout: float = 60):
    return asyncio.run(asyncio.wait_for(coro, timeout))


async def connect(server):
    return await asyncpg.connect(host=server.host, port=server.port, user="askgres", database="askgres")


def test_prepared_statement_parameters_and_attributes(askgres_server):
    async def go():
        conn = await connect(askgres_server)
        try:
            stmt = await conn.prepare("SELECT id, name, price FROM products WHERE price > $1 AND category = $2 ORDER BY id")
            params = [t.name for t in stmt.get_parameters()]
            attrs = [(a.name, a.type.name) for a in stmt.get_attributes()]
            category = await conn.fetchval("SELECT category FROM products ORDER BY id LIMIT 1")
            rows = await stmt.fetch(decimal.Decimal("0"), category)
            again = await stmt.fetch(decimal.Decimal("1000000"), category)
            return params, attrs, rows, again, category
        finally:
            await conn.close()

    params, attrs, rows, again, category = run(go())
    assert params == ["numeric", "text"]
    assert attrs == [("id", "int4"), ("name", "text"), ("price", "numeric")] or \
        [a[0] for a in attrs] == ["id", "name", "price"] and attrs[2][1] == "numeric"
    assert rows and all(isinstance(r["price"], decimal.Decimal) for r in rows)
    assert again == []


def test_prepare_does_not_execute(askgres_server, table_name):
    async def go():
        conn = await connect(askgres_server)
        try:
            await conn.execute(f"CREATE TABLE {table_name}(a int)")
            stmt = await conn.prepare(f"INSERT INTO {table_name} VALUES ($1)")
            before = await conn.fetchval(f"SELECT count(*) FROM {table_name}")
            await stmt.fetch(7)
            after = await conn.fetchval(f"SELECT count(*) FROM {table_name}")
            return [t.name for t in stmt.get_parameters()], before, after
        finally:
            await conn.close()

    params, before, after = run(go())
    assert params == ["int4"] and (before, after) == (0, 1)


def test_type_round_trips_binary(askgres_server):
    values = [
        ("int2", 7), ("int4", -5), ("int8", 2 ** 40), ("float4", 0.5), ("float8", 1e300),
        ("numeric", decimal.Decimal("3.14159")), ("text", "ünïcode"), ("bool", True),
        ("bytea", b"\x00\xff"), ("date", dt.date(1999, 12, 31)), ("time", dt.time(23, 59, 59, 999999)),
        ("timestamp", dt.datetime(2024, 5, 6, 7, 8, 9, 10)),
        ("timestamptz", dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.timezone.utc)),
        ("interval", dt.timedelta(days=40, seconds=5)), ("text[]", ["a", "b"]),
    ]

    async def go():
        conn = await connect(askgres_server)
        try:
            return [await conn.fetchval(f"SELECT $1::{t}", v) for t, v in values]
        finally:
            await conn.close()

    got = run(go())
    for (t, v), g in zip(values, got):
        assert g == v, t


def test_jit_setting_statement_of_type_introspection(askgres_server):
    """asyncpg runs this before introspecting a type; the guard lets set_config through as a SET
    and the proxy answers it (a set_config elsewhere stays denied)."""
    async def go():
        conn = await connect(askgres_server)
        try:
            row = await conn.fetchrow("SELECT current_setting('jit') AS cur, set_config('jit', 'off', false) AS new")
            tz = await conn.fetchval("SELECT set_config('timezone', 'utc', false)")
            shown = await conn.fetchval("SHOW timezone")
            try:
                await conn.fetchval("SELECT upper(set_config('jit', 'off', false))")
                denied = None
            except asyncpg.PostgresError as e:
                denied = e.sqlstate
            return tuple(row), tz, shown, denied
        finally:
            await conn.close()

    assert run(go()) == (("off", "off"), "UTC", "UTC", "42501")


def test_int_array_needs_type_introspection(askgres_server):
    """asyncpg introspects int4[] with a pg_type query whose attrtypoids column is an oid[]
    (1028), which it decodes built-in: announced as int8[] it would introspect int8[] again and
    again. Results reading the catalog announce its uint32 columns as oid; user data stays int8."""
    async def go():
        conn = await connect(askgres_server)
        try:
            ints = await conn.fetchval("SELECT $1::int4[]", [1, None, 3])
            texts = await conn.fetchval("SELECT $1::text[]", ["a", None, "b c"])
            stmt = await conn.prepare("SELECT oid, typelem, ARRAY[oid, typarray] AS pair FROM pg_catalog.pg_type "
                                      "WHERE typname = $1")
            types = [a.type.oid for a in stmt.get_attributes()]
            row = await stmt.fetchrow("int4")
            user = await conn.prepare("SELECT 7::uinteger AS u")
            return ints, texts, types, tuple(row), [a.type.oid for a in user.get_attributes()], await user.fetchval()
        finally:
            await conn.close()

    ints, texts, types, row, user_types, seven = run(go(), timeout=20)  # the gap loops: no need to wait a minute
    assert ints == [1, None, 3] and texts == ["a", None, "b c"]
    assert types == [26, 26, 1028] and row == (23, 0, [23, 1007])  # oid, oid, oid[]
    assert user_types == [20] and seven == 7  # int8


def test_uuid_and_json_types(askgres_server):
    async def go():
        conn = await connect(askgres_server)
        try:
            u = uuid.UUID("0c6e51ab-5a2e-4d39-a7b3-3a4fb2f0f0a1")
            stmt = await conn.prepare("SELECT $1::uuid AS u, '{\"k\": [1]}'::jsonb AS j, "
                                      "'{\"k\":2}'::json AS js")
            types = [a.type.name for a in stmt.get_attributes()]
            return await stmt.fetchrow(u), u, types
        finally:
            await conn.close()

    row, u, types = run(go())
    assert types == ["uuid", "jsonb", "json"]
    # asyncpg decodes uuid (binary) to its UUID type, json/jsonb to their text
    assert row["u"] == u and isinstance(row["u"], uuid.UUID)
    assert row["j"] == '{"k": [1]}' and row["js"] == '{"k":2}'


def test_uuid_column_parameter_is_described_as_uuid(askgres_server, table_name):
    async def go():
        conn = await connect(askgres_server)
        try:
            await conn.execute(f"CREATE TABLE {table_name}(id uuid, doc json)")
            u = uuid.UUID("0c6e51ab-5a2e-4d39-a7b3-3a4fb2f0f0a1")
            await conn.execute(f"INSERT INTO {table_name} VALUES ($1, $2)", u, '{"a": 1}')
            stmt = await conn.prepare(f"SELECT id, doc FROM {table_name} WHERE id = $1")
            return [t.name for t in stmt.get_parameters()], await stmt.fetchrow(u), u
        finally:
            await conn.close()

    params, row, u = run(go())
    assert params == ["uuid"] and row["id"] == u and json.loads(row["doc"]) == {"a": 1}


def test_type_introspection_with_custom_codec(askgres_server):
    """set_type_codec looks the type up in pg_catalog (asyncpg's introspection query)."""
    async def go():
        conn = await connect(askgres_server)
        try:
            await conn.set_type_codec("numeric", encoder=str, decoder=lambda s: f"N:{s}",
                                      schema="pg_catalog", format="text")
            return await conn.fetchval("SELECT 12.5::numeric(6,2)")
        finally:
            await conn.close()

    assert run(go()) == "N:12.50"


def test_copy_records_to_table(askgres_server, table_name):
    records = [(i, f"name {i}", None if i % 7 == 0 else i * 0.5) for i in range(2000)]

    async def go():
        conn = await connect(askgres_server)
        try:
            await conn.execute(f"CREATE TABLE {table_name}(id int, name text, score double precision)")
            status = await conn.copy_records_to_table(table_name, records=records, columns=["id", "name", "score"])
            return status, [tuple(r) for r in await conn.fetch(f"SELECT * FROM {table_name} ORDER BY id")]
        finally:
            await conn.close()

    status, back = run(go())
    assert status == "COPY 2000" and back == records


def test_copy_from_query_text_format(askgres_server, tmp_path):
    out = tmp_path / "out.txt"

    async def go():
        conn = await connect(askgres_server)
        try:
            status = await conn.copy_from_query("SELECT id, name, NULL FROM customers WHERE id <= 50 ORDER BY id",
                                                output=str(out))
            names = await conn.fetch("SELECT name FROM customers WHERE id <= $1 ORDER BY id", 50)
            return status, [r["name"] for r in names]
        finally:
            await conn.close()

    status, names = run(go())
    lines = out.read_text().splitlines()
    assert status == "COPY 50" and len(lines) == len(names) == 50
    assert lines[:2] == [f"1\t{names[0]}\t\\N", f"2\t{names[1]}\t\\N"]


def test_copy_from_query_with_arguments(askgres_server, tmp_path):
    out = tmp_path / "out.txt"

    async def go():
        conn = await connect(askgres_server)
        try:
            return await conn.copy_from_query("SELECT id FROM customers WHERE id <= $1 ORDER BY id", 5,
                                              output=str(out))
        finally:
            await conn.close()

    assert run(go()) == "COPY 5"
    assert out.read_text().split() == ["1", "2", "3", "4", "5"]


def test_copy_to_table_and_from_query_csv(askgres_server, table_name, tmp_path):
    records = [(i, f"name {i}", None if i % 7 == 0 else i * 0.5) for i in range(300)]
    source, out = tmp_path / "in.csv", tmp_path / "out.csv"
    # float8 as PostgreSQL prints it (1, not 1.0), NULL as CSV's empty unquoted field
    source.write_text("".join(f"{i},{n},{'' if s is None else format(s, 'g')}\n" for i, n, s in records))

    async def go():
        conn = await connect(askgres_server)
        try:
            await conn.execute(f"CREATE TABLE {table_name}(id int, name text, score double precision)")
            status = await conn.copy_to_table(table_name, source=str(source), format="csv")
            status_out = await conn.copy_from_query(f"SELECT * FROM {table_name} ORDER BY id", output=str(out),
                                                    format="csv")
            return status, status_out
        finally:
            await conn.close()

    assert run(go()) == ("COPY 300", "COPY 300")
    assert out.read_text() == source.read_text()


def test_fetch_many_rows(askgres_server):
    async def go():
        conn = await connect(askgres_server)
        try:
            return await conn.fetch("SELECT i, i::text AS s FROM range(100000) t(i) ORDER BY i")
        finally:
            await conn.close()

    rows = run(go())
    assert len(rows) == 100000 and rows[-1]["i"] == 99999 and rows[12345]["s"] == "12345"


def test_cursor_with_prefetch_in_transaction(askgres_server):
    async def go():
        conn = await connect(askgres_server)
        try:
            seen = []
            async with conn.transaction():
                async for record in conn.cursor("SELECT i FROM range(3000) t(i) ORDER BY i", prefetch=250):
                    seen.append(record["i"])
                cur = await conn.cursor("SELECT i FROM range(100) t(i) ORDER BY i")
                first = await cur.fetch(5)
                await cur.forward(10)
                nxt = await cur.fetchrow()
            return seen, [r["i"] for r in first], nxt["i"]
        finally:
            await conn.close()

    seen, first, nxt = run(go())
    assert seen == list(range(3000))
    assert first == [0, 1, 2, 3, 4] and nxt == 15


def test_errors_and_connection_survives(askgres_server):
    async def go():
        conn = await connect(askgres_server)
        try:
            errors = []
            for sql in ("SELECT * FROM nope_table", "SELECT nope FROM customers", "SELECT 1/0", "SELEC 1"):
                try:
                    await conn.fetch(sql)
                except asyncpg.PostgresError as e:
                    errors.append(e.sqlstate)
            return errors, await conn.fetchval("SELECT 5")
        finally:
            await conn.close()

    errors, five = run(go())
    assert errors == ["42P01", "42703", "22012", "42601"] and five == 5


def test_pool_of_concurrent_connections(askgres_server):
    async def go():
        pool = await asyncpg.create_pool(host=askgres_server.host, port=askgres_server.port, user="askgres",
                                         database="askgres", min_size=2, max_size=8)
        try:
            return await asyncio.gather(*(pool.fetchval("SELECT $1::int * 2", i) for i in range(40)))
        finally:
            await pool.close()

    assert run(go()) == [i * 2 for i in range(40)]
