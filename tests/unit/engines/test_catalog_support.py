"""Helpers of the catalog tests (no tests here): the fixture database, statement files, running a
Postgres-dialect statement on DuckDB the way the engine does (parse, to_duckdb, execute)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import sqlglot
from sqlglot import exp

from askgres.engines.duckdb import catalog
from askgres.engines.duckdb.dialect import configure, to_duckdb
from askgres.guard.dialect import AskgresPostgres  # how the proxy parses what clients send

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "catalog"
ROOT = HERE.parents[2]
REFERENCE = ROOT.parent / "shared" / "reference" / "pg15_client_introspection.sql"
# OID of table t in the PostgreSQL 15 that the reference statements were captured from.
REFERENCE_T_OID = "16390"


@dataclass(frozen=True)
class Statement:
    label: str
    sql: str
    params: tuple[str | None, ...] = ()


def fixture_database() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    configure(con)
    con.execute((FIXTURES / "schema.sql").read_text())
    catalog.install(con)
    return con


def _params(line: str) -> tuple[str | None, ...]:
    return tuple(None if v == "NULL" else v[1:-1] for v in re.findall(r"\$\d+ = (NULL|'[^']*')", line))


def reference_statements() -> list[Statement]:
    """The 119 entries of the shared capture: one per `-- pid N` block (the last is empty:
    psycopg's empty query), `execute <name>: ` prefixes and parameter lines taken apart."""
    text = REFERENCE.read_text()
    blocks = re.split(r"^-- pid (\d+)\n", text, flags=re.M)
    out = []
    for i in range(1, len(blocks), 2):
        lines = blocks[i + 1].strip("\n").split("\n")
        params = [line for line in lines if line.startswith("--   parameters:")]
        sql = "\n".join(line for line in lines if not line.startswith("--   parameters:")).strip()
        prefix = re.match(r"execute (?:fetch from )?[^:]*: ", sql)
        if prefix:
            sql = sql[prefix.end():]
        n = len(out)
        out.append(Statement(f"ref{n:03d}_pid{blocks[i]}", sql, _params(params[0]) if params else ()))
    return out


def fixture_statements(name: str) -> list[Statement]:
    """Statements of a fixtures/catalog file: blocks starting with `-- statement[: label]`,
    an optional `-- parameters: $1 = '...'` line, then the SQL."""
    text = (FIXTURES / name).read_text()
    out = []
    for n, block in enumerate(text.split("-- statement")[1:]):
        head, _, rest = block.partition("\n")
        lines = rest.strip().split("\n")
        params = _params(lines[0]) if lines[0].startswith("-- parameters:") else ()
        sql = "\n".join(line for line in lines if not line.startswith("--")).strip()
        label = head.strip(": ").split("(")[0].strip() or "stmt"
        out.append(Statement(f"{Path(name).stem}{n:02d}_{label}", sql, params))
    return out


def substitute_oids(sql: str, oids: dict[str, int]) -> str:
    """{oid:NAME} placeholders -> the OID of relation NAME on the server at hand."""
    return re.sub(r"\{oid:(\w+)\}", lambda m: str(oids[m.group(1)]), sql)


def duck_oids(con) -> dict[str, int]:
    rows = con.execute("SELECT relname, oid FROM askgres_catalog.pg.pg_class").fetchall()
    return {name: oid for name, oid in rows}


def typed(value: str | None) -> object:
    """A captured text parameter as the client typed it: psycopg and PgJDBC send integers and
    arrays of integers as such; everything else stays text (DuckDB casts it like PostgreSQL
    casts an unknown-typed literal)."""
    if value is None:
        return None
    if re.fullmatch(r"-?\d+", value):
        return int(value)
    if re.fullmatch(r"\{-?\d+(,-?\d+)*\}", value):
        return [int(v) for v in value[1:-1].split(",")]
    return value


def parse(sql: str) -> list[exp.Expr]:
    return [tree for tree in sqlglot.parse(sql, read=AskgresPostgres) if tree is not None]


def run_on_duckdb(con, sql: str, params=()) -> list[tuple]:
    """Every statement of `sql`, parsed as PostgreSQL, rewritten, run; the last one's rows."""
    cur = con.cursor()
    try:
        rows: list[tuple] = []
        for tree in parse(sql):
            has_params = any(tree.find_all(exp.Parameter, exp.Placeholder))
            cur.execute(to_duckdb(tree), [typed(p) for p in params] if has_params else [])
            rows = cur.fetchall() if cur.description else []
        return rows
    finally:
        cur.close()
