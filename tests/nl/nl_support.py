"""NL tests run the REAL model (the one `python -m askgres.models install` assembles) and a real
DuckDB; they fail, with the install command, when the model or llama-cpp-python is missing."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
import sqlglot

from askgres.engines.duckdb.dialect import to_duckdb
from askgres.llm.config import LLMConfig
from askgres.llm.errors import ModelUnavailable
from askgres.llm.model import shared_model

DATASET = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "spider_dev"


def duckdb_runner(tables: dict[str, pa.Table]):
    con = duckdb.connect(":memory:")
    for name, table in tables.items():
        con.register("_load", table)
        con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _load')
        con.unregister("_load")

    def run(sql: str) -> pa.Table:
        return con.sql(to_duckdb(sqlglot.parse_one(sql, read="postgres"))).to_arrow_table()

    run.con = con
    return run


@pytest.fixture(scope="session")
def nl_config() -> LLMConfig:
    return LLMConfig()


@pytest.fixture(scope="session")
def real_model(nl_config):
    try:
        return shared_model(nl_config)
    except ModelUnavailable as e:
        pytest.fail(f"{e.message}; install it with: {e.hint}")


@pytest.fixture(scope="session")
def dataset() -> Path:
    if not (DATASET / "dev.json").is_file():
        pytest.fail(f"Spider dev not found at {DATASET}")
    return DATASET
