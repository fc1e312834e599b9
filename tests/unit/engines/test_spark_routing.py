"""Routing decisions: catalog queries, table locations, hints, the setting, auto by size."""

import pytest
import sqlglot

from askgres.engines.routing import RoutingError, choose_engine, engine_hint, is_catalog_query

BIG = 100_000_000
LOC = {"events": {"duckdb", "spark"}, "small": {"duckdb", "spark"}, "local_only": {"duckdb"},
       "spark_only": {"spark"}}
SIZES = {"events": BIG, "small": 1_000, "local_only": 10, "spark_only": 5}


def route(sql, **kw):
    kw.setdefault("table_locations", LOC)
    kw.setdefault("table_sizes", SIZES)
    kw.setdefault("threshold", 50_000_000)
    return choose_engine(sqlglot.parse_one(sql, read="postgres"), **kw)


@pytest.mark.parametrize("sql", [
    "SELECT * FROM pg_catalog.pg_class",
    "SELECT table_name FROM information_schema.tables",
    "SELECT * FROM pg_namespace",
    "SELECT pg_get_userbyid(1)",
    "SELECT c.relname FROM pg_class c JOIN events e ON true",
])
def test_catalog_queries_always_go_to_duckdb(sql):
    assert is_catalog_query(sqlglot.parse_one(sql, read="postgres"))
    engine, reason = route(sql, setting="spark", hint="spark")
    assert (engine, reason) == ("duckdb", "catalog query")


def test_table_in_one_engine_only_goes_there_whatever_the_setting():
    assert route("SELECT * FROM local_only", setting="spark")[0] == "duckdb"
    engine, reason = route("SELECT * FROM spark_only", setting="duckdb")
    assert engine == "spark" and "spark_only exists only in spark" in reason


def test_hint_that_conflicts_with_location_is_ignored_and_said_so():
    engine, reason = route("SELECT /*+ engine(spark) */ * FROM local_only")
    assert engine == "duckdb" and "ignored" in reason


def test_tables_split_across_engines_cannot_run():
    with pytest.raises(RoutingError) as e:
        route("SELECT * FROM local_only JOIN spark_only ON true")
    assert e.value.sqlstate == "0A000"


@pytest.mark.parametrize("sql,expected", [
    ("SELECT /*+ engine(spark) */ count(*) FROM small", "spark"),
    ("/*+ engine(spark) */ SELECT count(*) FROM small", "spark"),
    ("SELECT /*+ engine(duckdb) */ count(*) FROM events", "duckdb"),
    ("SELECT /* engine(spark) */ count(*) FROM small", None),  # not a hint: no '+'
    ("SELECT /*+ engine(oracle) */ 1", None),
])
def test_hint_parsed_from_comments(sql, expected):
    assert engine_hint(sqlglot.parse_one(sql, read="postgres")) == expected


def test_hint_beats_setting_and_auto():
    assert route("SELECT /*+ engine(spark) */ * FROM small", setting="duckdb")[0] == "spark"
    assert route("SELECT /*+ engine(duckdb) */ * FROM events", setting="auto")[0] == "duckdb"
    assert route("SELECT * FROM small", setting="auto", hint="spark") == ("spark", "hint engine(spark)")


def test_setting_decides_when_no_hint():
    assert route("SELECT * FROM small", setting="spark") == ("spark", "askgres.engine = spark")
    assert route("SELECT * FROM events", setting="duckdb") == ("duckdb", "askgres.engine = duckdb")


@pytest.mark.parametrize("sql,expected", [
    ("SELECT count(*) FROM events", "spark"),
    ("SELECT count(*) FROM small", "duckdb"),
    ("SELECT * FROM small s JOIN events e ON s.id = e.id", "spark"),
    ("WITH small AS (SELECT 1) SELECT * FROM small", "duckdb"),
    ("SELECT 1", "duckdb"),
    ("SELECT * FROM (SELECT * FROM public.events) x", "spark"),
])
def test_auto_routes_by_rows_scanned(sql, expected):
    engine, reason = route(sql, setting="auto")
    assert engine == expected
    assert reason.startswith("auto:")


def test_auto_threshold_is_inclusive_and_configurable():
    assert route("SELECT * FROM small", setting="auto", threshold=1_000)[0] == "spark"
    assert route("SELECT * FROM small", setting="auto", threshold=1_001)[0] == "duckdb"


def test_unknown_setting_is_an_error():
    with pytest.raises(Exception) as e:
        route("SELECT 1", setting="oracle")
    assert e.value.sqlstate == "22023"
