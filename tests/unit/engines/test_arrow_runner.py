"""The in-memory runner the Spider benchmarks and model tests use answers as askgres's engine does."""

import pyarrow as pa

from askgres.engines.duckdb.arrow_runner import arrow_tables_runner


def test_runs_postgres_sql_with_askgres_settings_over_the_tables():
    run = arrow_tables_runner({"t": pa.table({"a": [1, 2, None]})})
    assert run("SELECT 7 / 2 AS q, count(a) AS n FROM public.t").to_pylist() == [{"q": 3, "n": 2}]
    assert run("SELECT a FROM t ORDER BY a").column(0).to_pylist() == [1, 2, None]   # NULLs last, as PostgreSQL
    assert run.con.execute("SELECT count(*) FROM t").fetchone() == (3,)
