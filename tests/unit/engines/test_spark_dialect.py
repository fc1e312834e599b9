"""Transpile fixtures for the Spark dialect rules (the SQL text; the answers are checked
against real Spark and PostgreSQL in tests/engines)."""

import pytest
import sqlglot

from askgres.engines.spark.dialect import bind_params, parameter_types, to_spark

SCHEMA = {"t": {"i": "int", "b": "bigint", "d": "date", "f": "double precision",
                "n": "numeric(10,2)", "s": "text", "a": "int[]"}}


def spark(sql, schema=SCHEMA):
    return to_spark(sqlglot.parse_one(sql, read="postgres"), schema)


@pytest.mark.parametrize("pg,expected", [
    ("SELECT * FROM public.t", "SELECT * FROM t"),
    ("SELECT * FROM generate_series(1, 3) AS g(x)",
     "SELECT * FROM (SELECT CAST(id AS INT) AS x FROM RANGE(1, 4, 1)) AS g"),
    ("SELECT * FROM t, generate_series(1, t.n) AS g(x)",
     "SELECT * FROM t, EXPLODE(CASE WHEN 1 <= t.n THEN SEQUENCE(1, t.n, 1) END) AS g(x)"),
    ("SELECT 'a' ~* 'A'", "SELECT 'a' RLIKE CONCAT('(?i)', 'A')"),
    ("SELECT '{}'::jsonb", "SELECT CAST('{}' AS STRING)"),
    ("SELECT 7 / 2", "SELECT CAST(7 DIV 2 AS INT)"),
    ("SELECT 7.0 / 2", "SELECT 7.0 / 2"),
    ("SELECT 3.7::int", "SELECT CAST(ROUND(3.7) AS INT)"),
    ("SELECT 1.5::numeric", "SELECT 1.5"),
    ("SELECT '1.5'::numeric", "SELECT CAST('1.5' AS DECIMAL(38, 18))"),
    ("SELECT timestamp '2024-01-01'", "SELECT CAST('2024-01-01' AS TIMESTAMP_NTZ)"),
])
def test_literal_rewrites(pg, expected):
    assert spark(pg, None).split(" AS ")[0] == expected.split(" AS ")[0]


@pytest.mark.parametrize("pg,fragment", [
    ("SELECT d - d FROM t", "DATEDIFF(t.d, t.d)"),
    ("SELECT d + interval '1 day' FROM t", "CAST(t.d AS TIMESTAMP_NTZ) + INTERVAL '1' DAY"),
    ("SELECT i / 2 FROM t", "CAST(t.i DIV 2 AS INT)"),
    ("SELECT b / 2 FROM t", "t.b DIV 2"),
    ("SELECT f / 2 FROM t", "t.f / 2"),
    ("SELECT f::int FROM t", "CAST(BROUND(t.f) AS INT)"),
    ("SELECT n::int FROM t", "CAST(ROUND(t.n) AS INT)"),
    ("SELECT i::numeric FROM t", "CAST(t.i AS DECIMAL(38, 0))"),
    ("SELECT extract(dow from d) FROM t", "(DAYOFWEEK(t.d) - 1)"),
    ("SELECT extract(isodow from d) FROM t", "(WEEKDAY(t.d) + 1)"),
    ("SELECT extract(epoch from d) FROM t", "UNIX_DATE(t.d) * 86400000000"),
    ("SELECT a[1] FROM t", "GET(t.a, 0)"),
    ("SELECT array_length(a, 1) FROM t", "NULLIF(SIZE(t.a), 0)"),
    ("SELECT to_char(d, 'Mon DD, YYYY') FROM t",
     "CONCAT(DATE_FORMAT(t.d, 'MMM'), ' ', DATE_FORMAT(t.d, 'dd'), ', ', DATE_FORMAT(t.d, 'yyyy'))"),
    ("SELECT to_char(d, 'FMMonth') FROM t", "DATE_FORMAT(t.d, 'MMMM')"),
    ("SELECT to_char(d, 'Day') FROM t", "RPAD(DATE_FORMAT(t.d, 'EEEE'), 9, ' ')"),
])
def test_typed_rewrites(pg, fragment):
    assert fragment in spark(pg)


def test_generate_series_bounds_follow_postgres():
    text = spark("SELECT * FROM t, generate_series(5, t.n, -2)", None)
    assert "(-2 < 0 AND 5 >= t.n)" in text and "SEQUENCE(5, t.n, -2)" in text


@pytest.mark.parametrize("series,bounds,sql_type", [
    ("generate_series(5, 1, -2)", "RANGE(5, 0, -2)", "INT"),      # 5, 3, 1
    ("generate_series(-3, -1)", "RANGE(-3, 0, 1)", "INT"),
    ("generate_series(2, 1)", "RANGE(2, 2, 1)", "INT"),           # empty, as in PostgreSQL
    ("generate_series(1, 3000000000)", "RANGE(1, 3000000001, 1)", "BIGINT"),
])
def test_constant_integer_series_become_a_parallel_range(series, bounds, sql_type):
    # range() is generated lazily in partitions; explode(sequence()) is one array in one row.
    text = spark(f"SELECT g FROM {series} AS t(g)", None)
    assert f"(SELECT CAST(id AS {sql_type}) AS g FROM {bounds}) AS t" in text
    assert "SEQUENCE" not in text


def test_a_zero_step_keeps_sequence_and_its_error():
    assert "SEQUENCE(1, 3, 0)" in spark("SELECT * FROM generate_series(1, 3, 0) g", None)


def test_input_tree_is_left_untouched():
    tree = sqlglot.parse_one("SELECT 7 / 2 FROM public.t", read="postgres")
    before = tree.sql("postgres")
    to_spark(tree, SCHEMA)
    assert tree.sql("postgres") == before


def test_bind_params_makes_literals():
    tree = bind_params(sqlglot.parse_one("SELECT $1 + 1, $2", read="postgres"), [41, "it's"])
    assert to_spark(tree) == "SELECT 41 + 1 AS `?column?`, 'it\\'s' AS `?column?`"


def test_parameter_types_from_context():
    types = parameter_types(sqlglot.parse_one(
        "SELECT * FROM t WHERE i = $1 AND d > $2 AND s IN ($3) AND $4::bigint > 0",
        read="postgres"), SCHEMA)
    assert {k: v.sql("postgres") for k, v in types.items()} == {
        1: "INT", 2: "DATE", 3: "TEXT", 4: "BIGINT"}


def test_generate_series_alias_names_table_and_column():
    assert "AS x FROM RANGE(1, 4, 1)) AS g" in spark("SELECT * FROM generate_series(1, 3) AS g(x)", None)
    assert "AS generate_series FROM RANGE(1, 4, 1)) AS generate_series" in spark(
        "SELECT * FROM generate_series(1, 3)", None)
    assert "END) AS g(x)" in spark("SELECT * FROM t, generate_series(1, t.n) AS g(x)", None)


def test_unaliased_columns_get_postgres_names_in_subqueries():
    assert "COUNT(*) AS `count`" in spark("SELECT * FROM (SELECT count(*) FROM t) AS s")


@pytest.mark.parametrize("literal,spark_literal", [
    (r"'\x4142ff'::bytea", "X'4142ff'"),
    (r"'\x41 42'::bytea", "X'4142'"),
    (r"bytea '\x'", "X''"),
    (r"'a\\b\001'::bytea", "X'615c6201'"),       # escape format: \\ and \ooo
    ("'é'::bytea", "X'c3a9'"),                    # other characters: their UTF-8 bytes
])
def test_bytea_literals_are_read_as_postgresql_reads_them(literal, spark_literal):
    assert spark(f"SELECT {literal} AS b", None) == f"SELECT {spark_literal} AS b"


@pytest.mark.parametrize("literal", [r"'\x4'::bytea", r"'\q'::bytea", r"'\x4g'::bytea"])
def test_invalid_bytea_literals_are_left_to_spark(literal):
    assert "CAST(" in spark(f"SELECT {literal} AS b", None)
