"""Routing of session-information functions: they run on DuckDB (which emulates PostgreSQL's
answers) whatever the setting or hint, as catalog queries do; ordinary queries are not caught."""

import pytest
import sqlglot

from askgres.engines.routing import choose_engine, is_catalog_query

LOC = {"w": {"duckdb", "spark"}, "t": {"duckdb", "spark"}}
SIZES = {"w": 100_000_000, "t": 10}


def parse(sql):
    return sqlglot.parse_one(sql, read="postgres")


SESSION_INFO = [
    # typed sqlglot nodes
    "SELECT current_schema()",
    "SELECT current_schema",
    "SELECT current_schemas(true)",
    "SELECT array_to_string(current_schemas(false), ',')",
    "SELECT current_user",
    "SELECT current_user()",
    "SELECT session_user",
    "SELECT version()",
    "SELECT current_database()",
    "SELECT current_catalog",
    # unquoted keywords sqlglot leaves as columns
    "SELECT user",
    "SELECT current_role",
    # functions sqlglot does not know
    "SELECT current_setting('TimeZone')",
    "SELECT set_config('search_path', 'public', false)",
    "SELECT pg_backend_pid()",
    "SELECT inet_server_addr(), inet_server_port()",
    "SELECT inet_client_addr()",
    "SELECT has_table_privilege('w', 'SELECT')",
    "SELECT has_schema_privilege('public', 'USAGE')",
    "SELECT pg_get_userbyid(10)",
    "SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef",
    "SELECT to_regclass('w')",
    "SELECT format_type(23, -1)",
    "SELECT txid_current()",
    # schema-qualified, object identifier casts
    "SELECT pg_catalog.version()",
    "SELECT pg_catalog.current_setting('server_version_num')",
    "SELECT 'w'::regclass::oid",
    # mixed with a warehouse table: DuckDB runs it (it sees the warehouse too)
    "SELECT current_user, count(*) FROM w",
    "SELECT id FROM w WHERE name = current_setting('application_name')",
    "SELECT * FROM (SELECT version() AS v) s",
]


@pytest.mark.parametrize("sql", SESSION_INFO)
def test_session_information_is_a_catalog_query(sql):
    assert is_catalog_query(parse(sql))


@pytest.mark.parametrize("sql", SESSION_INFO)
@pytest.mark.parametrize("setting,hint", [("spark", None), ("duckdb", "spark"), ("auto", None)])
def test_session_information_runs_on_duckdb_whatever_the_setting(sql, setting, hint):
    assert choose_engine(parse(sql), setting=setting, hint=hint, table_locations=LOC,
                         table_sizes=SIZES, threshold=1000) == ("duckdb", "catalog query")


NOT_SESSION_INFO = [
    "SELECT count(*) FROM w",
    'SELECT "user" FROM t',            # a quoted identifier is a column
    "SELECT t.user FROM t",            # so is a qualified one
    "SELECT now(), current_date, current_timestamp FROM t",
    "SELECT upper(name), length(name) FROM w",
    "SELECT a.b FROM w a",
    "SELECT id::int, id::bigint FROM w",
    "WITH pg_like AS (SELECT 1 AS x) SELECT x FROM pg_like",  # a CTE, not the catalog
]


@pytest.mark.parametrize("sql", NOT_SESSION_INFO)
def test_ordinary_queries_are_not_catalog_queries(sql):
    assert not is_catalog_query(parse(sql))


def test_ordinary_queries_follow_the_setting():
    assert choose_engine(parse("SELECT now() FROM t"), setting="spark", table_locations=LOC,
                         table_sizes=SIZES) == ("spark", "askgres.engine = spark")
    assert choose_engine(parse('SELECT "user" FROM t'), setting="spark", table_locations=LOC,
                         table_sizes=SIZES) == ("spark", "askgres.engine = spark")
