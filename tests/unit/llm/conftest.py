from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest
import sqlglot

from llm_fakes import make_translator  # noqa: F401 - re-exported for tests
from askgres.llm.safety import parse_single_query
from askgres.llm.schema import SchemaContext


SCHEMA = {
    "database": "shop",
    "tables": {
        "customers": {"columns": {"id": "integer", "name": "text", "country": "text"}, "primary_key": ["id"]},
        "orders": {"columns": {"id": "integer", "customer_id": "integer", "amount": "double precision",
                               "year": "integer"},
                   "primary_key": ["id"],
                   "foreign_keys": [{"columns": ["customer_id"], "ref_table": "customers", "ref_columns": ["id"]}]},
    },
}


@pytest.fixture
def db():
    con = duckdb.connect(":memory:")
    con.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, country TEXT)")
    con.execute("INSERT INTO customers VALUES (1, 'Ann', 'Germany'), (2, 'Bob', 'France'), (3, 'Cid', 'Germany')")
    con.execute("CREATE TABLE orders (id INTEGER, customer_id INTEGER, amount DOUBLE, year INTEGER)")
    con.execute("INSERT INTO orders VALUES (1, 1, 10, 2024), (2, 1, 5, 2023), (3, 2, 7, 2024), (4, 3, 1, 2024)")
    yield con
    con.close()


@pytest.fixture
def run(db):
    calls = []

    def run(sql: str) -> pa.Table:
        calls.append(sql)
        return db.sql(sqlglot.transpile(sql, read="postgres", write="duckdb")[0]).to_arrow_table()

    run.calls = calls
    return run


@pytest.fixture
def context():
    return SchemaContext.from_dict(SCHEMA)


@pytest.fixture
def check():
    return parse_single_query


