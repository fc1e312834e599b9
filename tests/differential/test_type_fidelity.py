"""uuid, json and jsonb (and arrays of them) on the wire, byte for byte against a real
PostgreSQL 15: the column type OIDs of the RowDescription and every value's bytes, in text
and in binary format, as libpq (psycopg's pgconn) receives them."""

from __future__ import annotations

import uuid

import pytest
from psycopg.types.json import Json, Jsonb

pytestmark = pytest.mark.differential

U = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"

QUERIES = {
    "uuid": f"SELECT '{U}'::uuid AS u, NULL::uuid AS n, 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid AS upper",
    "uuid_array": f"SELECT ARRAY['{U}'::uuid, NULL] AS ua, ARRAY[]::uuid[] AS empty",
    "uuid_values": f"SELECT u FROM (VALUES ('{U}'::uuid), (NULL), ('00000000-0000-0000-0000-000000000000')) AS v(u)",
    "json_verbatim": """SELECT '{"b": 1,  "a":[1, 2.50]}'::json AS j, NULL::json AS n, '"é\\n"'::json AS s""",
    "json_array": """SELECT ARRAY['{"x": 1}'::json, NULL] AS ja""",
    "json_column": "SELECT id, payload FROM events ORDER BY id",
    "jsonb_normalised": """SELECT '{"bb": 1e2, "a": [1.50, -0, true, null], "a": "x", "c": {}}'::jsonb AS jb""",
    "jsonb_scalars": """SELECT '"\\u00e9\\t"'::jsonb AS s, '[]'::jsonb AS e, '-12.5e-1'::jsonb AS n""",
    "jsonb_array": """SELECT ARRAY['{"x":  1, "a": 2}'::jsonb, NULL] AS jba""",
    "jsonb_build": "SELECT jsonb_build_object('name', 'x', 'n', 2) AS o",
    "jsonb_from_column": "SELECT payload::jsonb AS p FROM events ORDER BY id",
    "json_build": "SELECT json_build_object('a', 1, 'b', 'x') AS o",
    "json_build_values": """SELECT json_build_object('n', 1.50, 'z', NULL, 'j', '{"x":  [1, 2]}'::json,
        'b', true, 's', E'q"\\n\\\\', 'a', ARRAY[1, 2], 'o', json_build_object('k', 2)) AS o""",
    "json_build_array": "SELECT json_build_array(1, 'x', 2.50, NULL, json_build_array()) AS a, json_build_object() AS e",
    "json_build_column": "SELECT json_build_object('id', id, 'payload', payload) AS o FROM events ORDER BY id",
    "jsonb_build_nested": "SELECT jsonb_build_object('a', 1.50, 'b', jsonb_build_object('c', NULL)) AS o",
}

GAPS = {
    # Exact text needs a text-preserving JSON scanner. Written in Python as a DuckDB UDF it
    # measured ~15 us a value (x300 DuckDB's native extraction in a WHERE filter) and would hold
    # the GIL ~30 ms per 2048-row vector, stalling every other client's event loop.
    "json_path": ("SELECT payload -> 'items' AS items FROM events WHERE id = 2",
                  "json -> key: PostgreSQL returns the member's text exactly as stored (its "
                  "whitespace, numbers spelled as written such as 1.50 or 1e2, the last of "
                  "duplicate keys); DuckDB's json_extract re-serialises its parse (minified, "
                  "1.5, the first duplicate)"),
}


def _wire(conn, sql: str, result_format: int) -> tuple[list[int], list[list[bytes | None]]]:
    res = conn.pgconn.exec_params(sql.encode(), [], result_format=result_format)
    assert res.error_message == b"", res.error_message
    types = [res.ftype(i) for i in range(res.nfields)]
    rows = [[res.get_value(r, c) for c in range(res.nfields)] for r in range(res.ntuples)]
    return types, rows


def _params():
    out = [pytest.param(sql, id=name) for name, sql in QUERIES.items()]
    out += [pytest.param(sql, id=name, marks=pytest.mark.xfail(strict=True, reason=reason))
            for name, (sql, reason) in GAPS.items()]
    return out


@pytest.mark.parametrize("result_format", [0, 1], ids=["text", "binary"])
@pytest.mark.parametrize("sql", _params())
def test_same_types_and_bytes_as_postgres(reference_db, askgres_wire, sql, result_format):
    expected = _wire(reference_db, sql, result_format)
    actual = _wire(askgres_wire, sql, result_format)
    assert actual[0] == expected[0], "column type OIDs differ"
    assert actual[1] == expected[1]


@pytest.mark.parametrize("binary", [False, True], ids=["text", "binary"])
def test_parameters_and_python_values(reference_db, askgres_wire, binary):
    doc = {"k": [1, None, "é"]}
    sql = "SELECT %s::uuid AS u, %s::json AS j, %s::jsonb AS jb, ARRAY[%s::uuid] AS ua"
    args = (uuid.UUID(U), Json(doc), Jsonb(doc), uuid.UUID(U))
    got = {}
    for name, conn in (("postgres", reference_db), ("askgres", askgres_wire)):
        with conn.cursor(binary=binary) as cur:
            cur.execute(sql, args)
            got[name] = ([d.type_code for d in cur.description], cur.fetchone())
    assert got["askgres"] == got["postgres"]
    assert got["askgres"][1] == (uuid.UUID(U), doc, doc, [uuid.UUID(U)])
