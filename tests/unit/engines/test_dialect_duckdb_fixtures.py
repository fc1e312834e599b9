"""Transpile fixtures for the DuckDB dialect: each case names the rewrite it exercises,
gives Postgres input and the expected DuckDB SQL, and must come out differently when that
rewrite is left out (so every rewrite is shown to matter); "none" marks a case that sqlglot
gets right with no rewrite at all."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlglot

from askgres.engines.duckdb import dialect, rewrites
from askgres.engines.duckdb.rewrites import DIALECT_REWRITES

FIXTURES = Path(__file__).parent / "fixtures" / "transpile"

# Column types as the engine reports them (duckdb_columns().data_type).
SCHEMA = {"main": {"people": {
    "id": "INTEGER", "name": "VARCHAR", "salary": "DECIMAL(10,2)", "age": "SMALLINT",
    "hired": "DATE", "last_login": "TIMESTAMP", "tags": "VARCHAR[]", "payload": "JSON",
    "amount": "BIGINT", "height": "DOUBLE"}}}


@dataclass(frozen=True)
class Case:
    file: str
    rewrite: str
    postgres: str
    duckdb: str


def load_cases() -> list[Case]:
    cases = []
    for path in sorted(FIXTURES.glob("*.sql")):
        for block in path.read_text().split("-- rewrite:")[1:]:
            header, _, rest = block.partition("\n")
            postgres, _, expected = rest.partition("-- duckdb:")
            cases.append(Case(path.name, header.strip(), postgres.strip(), expected.strip()))
    return cases


def rewrite_named(name: str):
    module, _, function = name.partition(".")
    return getattr(getattr(rewrites, module), function)


CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=[f"{c.file}:{c.rewrite}:{i}" for i, c in enumerate(CASES)])
def test_transpiles_as_expected(case: Case):
    stmt = sqlglot.parse_one(case.postgres, read="postgres")
    assert dialect.to_duckdb(stmt, SCHEMA) == case.duckdb


@pytest.mark.parametrize("case", CASES, ids=[f"{c.file}:{c.rewrite}:{i}" for i, c in enumerate(CASES)])
def test_output_depends_on_the_named_rewrite(case: Case):
    stmt = sqlglot.parse_one(case.postgres, read="postgres")
    if case.rewrite == "none":  # sqlglot alone gets it right
        assert dialect.render(stmt, SCHEMA, ()) == case.duckdb
        return
    target = rewrite_named(case.rewrite)
    without = tuple(r for r in dialect.REWRITES if r is not target)
    assert len(without) == len(dialect.REWRITES) - 1
    assert dialect.render(stmt, SCHEMA, without) != case.duckdb


def test_every_rewrite_has_a_fixture():
    covered = {rewrite_named(c.rewrite) for c in CASES if c.rewrite != "none"}
    missing = [r.__name__ for r in DIALECT_REWRITES if r not in covered]
    assert not missing, f"rewrites without a transpile fixture: {missing}"


def test_catalog_rewrites_run_first():
    from askgres.engines.duckdb.catalog import CATALOG_REWRITES

    assert dialect.REWRITES[:len(CATALOG_REWRITES)] == CATALOG_REWRITES
    assert dialect.REWRITES[len(CATALOG_REWRITES):] == DIALECT_REWRITES


def test_input_tree_is_not_modified():
    stmt = sqlglot.parse_one("SELECT '{1}'::int[], 1::numeric FROM public.t", read="postgres")
    before = stmt.sql(dialect="postgres")
    dialect.to_duckdb(stmt)
    assert stmt.sql(dialect="postgres") == before
