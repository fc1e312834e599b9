"""Where the corpus runs: the reference PostgreSQL, and DuckDB through our dialect
(directly for now; through askgres over the wire when a server fixture exists)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import psycopg
import sqlglot

from askgres.engines.duckdb import catalog
from askgres.engines.pg_names import name_output_columns
from askgres.engines.duckdb.dialect import configure, to_duckdb

from .load_corpus import setup_statements


@dataclass
class Answer:
    columns: list[str]
    rows: list[tuple]
    json_columns: set[int]


def load_fixture_postgres(conn: psycopg.Connection) -> None:
    for statement in setup_statements():
        conn.execute(statement)


def duckdb_with_fixture(database: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB (in memory, or the given file) configured like askgres's, holding the
    fixture schema created through to_duckdb."""
    con = duckdb.connect(str(database) if database else ":memory:")
    configure(con)
    for statement in setup_statements():
        con.execute(to_duckdb(sqlglot.parse_one(statement, read="postgres")))
    catalog.install(con)
    return con


def duckdb_schema(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, dict[str, str]]]:
    """{schema: {table: {column: DuckDB type}}}, as the engine hands it to to_duckdb."""
    schema: dict = {}
    for sch, table, column, data_type in con.execute(
            "SELECT schema_name, table_name, column_name, data_type FROM duckdb_columns() "
            "WHERE NOT internal AND database_name = current_database() "
            "ORDER BY schema_name, table_name, column_index").fetchall():
        schema.setdefault(sch, {}).setdefault(table, {})[column] = data_type
    return schema


def run_postgres(conn: psycopg.Connection, sql: str) -> Answer:
    with conn.cursor() as cur:
        cur.execute(sql)
        return Answer([d.name for d in cur.description], cur.fetchall(), set())


def _interval_column(con: duckdb.DuckDBPyConnection, sql: str, index: int) -> list:
    from .compare_results import interval_as_psycopg

    column = con.sql(sql).to_arrow_table().column(index).to_pylist()
    return [None if v is None else interval_as_psycopg(v.months, v.days, v.nanoseconds)
            for v in column]


def run_duckdb(con: duckdb.DuckDBPyConnection, sql: str, schema: dict | None) -> Answer:
    # as the engine does it (DuckDBSession.sql): PostgreSQL's names for the output columns
    duck_sql = to_duckdb(name_output_columns(sqlglot.parse_one(sql, read="postgres")), schema=schema)
    result = con.execute(duck_sql)
    types = [str(d[1]) for d in result.description]
    rows = result.fetchall()
    # duckdb's Python values fold months into 30-day timedeltas; read intervals from Arrow
    for index in (i for i, t in enumerate(types) if t == "INTERVAL"):
        values = _interval_column(con, duck_sql, index)
        rows = [(*r[:index], v, *r[index + 1:]) for r, v in zip(rows, values)]
    return Answer([d[0] for d in result.description], rows,
                  {i for i, t in enumerate(types) if t == "JSON"})
