"""An in-memory DuckDB holding Arrow tables that runs Postgres-dialect SQL, transpiled as askgres
transpiles it: what the Spider benchmarks and the model tests load each dataset database into."""

from __future__ import annotations

from typing import Callable

import duckdb
import pyarrow as pa
import sqlglot

from .dialect import configure, to_duckdb


def arrow_tables_runner(tables: dict[str, pa.Table]) -> Callable[[str], pa.Table]:
    """run(postgres_sql) -> Arrow table, over a fresh in-memory database of `tables`.
    run.con is the DuckDB connection, for callers that inspect the data directly."""
    con = duckdb.connect(":memory:")
    configure(con)   # the settings askgres's rewrites rely on (integer division, NULL order, ...)
    for name, table in tables.items():
        con.register("_load", table)
        con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _load')
        con.unregister("_load")

    def run(sql: str) -> pa.Table:
        return con.sql(to_duckdb(sqlglot.parse_one(sql, read="postgres"))).to_arrow_table()

    run.con = con
    return run
