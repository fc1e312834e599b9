"""Fixtures and helpers for CALL synthesize over the wire: one askgres server of our own for
the folder (no demo data: every test creates the tables it needs under its own names)."""

from __future__ import annotations

import copy
import json

import psycopg
import pytest
from psycopg import sql

from tests.conftest import start_askgres, stop_askgres

STAGING_PREFIX = "askgres_staging_"


@pytest.fixture(scope="package")
def synth_server():
    server = start_askgres()
    yield server
    stop_askgres(server)


class Notices(list):
    """NoticeResponses collected from a psycopg connection, as (severity, sqlstate, message)."""

    def __call__(self, diag) -> None:
        self.append((diag.severity_nonlocalized or diag.severity, diag.sqlstate, diag.message_primary))

    def messages(self) -> list[str]:
        return [m for _, _, m in self]


@pytest.fixture
def conn(synth_server):
    with psycopg.connect(synth_server.dsn, autocommit=True) as c:
        c.notices = Notices()
        c.add_notice_handler(c.notices)
        yield c


def synth_call(spec: dict | str | None = None, story: str | None = None, **options) -> sql.Composed:
    """CALL synthesize(...) with literal arguments (the procedure takes literals only)."""
    args = []
    if story is not None:
        args.append(sql.Literal(story))
    if spec is not None:
        text = spec if isinstance(spec, str) else json.dumps(spec)
        args.append(sql.SQL("spec => {}").format(sql.Literal(text)))
    for name, value in options.items():
        args.append(sql.SQL("{} => {}").format(sql.SQL(name), sql.Literal(value)))
    return sql.SQL("CALL synthesize({})").format(sql.SQL(", ").join(args))


def synthesize(conn, spec=None, story=None, **options) -> dict[str, tuple]:
    """Run CALL synthesize; returns {table_name: (rows, seconds, rows_per_second)}."""
    cur = conn.execute(synth_call(spec, story, **options))
    assert [d.name for d in cur.description] == ["table_name", "rows", "seconds", "rows_per_second"]
    return {name: (rows, seconds, rps) for name, rows, seconds, rps in cur.fetchall()}


def scalar(conn, query: str, params=None):
    return conn.execute(query, params).fetchone()[0]


def user_tables(conn) -> set[str]:
    rows = conn.execute("SELECT table_name FROM information_schema.tables WHERE table_name NOT LIKE 'pg\\_%'")
    return {r[0] for r in rows}


def staging_tables(conn) -> list[str]:
    return sorted(t for t in user_tables(conn) if t.startswith(STAGING_PREFIX))


def digest(conn, table: str) -> tuple[int, str]:
    """(row count, md5 over every column of every row in a fixed order): equal contents, equal digest."""
    cols = [r[0] for r in conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position",
        [table])]
    assert cols, f"table {table} has no columns"
    texts = sql.SQL(", ").join(sql.SQL("coalesce(CAST({} AS VARCHAR), '<null>')").format(sql.Identifier(c))
                               for c in cols)
    row = sql.SQL("concat_ws('|', {})").format(texts)
    q = sql.SQL("SELECT count(*), md5(string_agg({row}, ',' ORDER BY {row})) FROM {t}").format(
        row=row, t=sql.Identifier(table))
    count, md5 = conn.execute(q).fetchone()
    return count, md5


def renamed(spec: dict, suffix: str) -> dict:
    """The spec with every table (and foreign-key target) renamed `<name>_<suffix>`."""
    spec = copy.deepcopy(spec)
    names = {t["name"] for t in spec["tables"]}
    for t in spec["tables"]:
        t["name"] = f"{t['name']}_{suffix}"
        for c in t["columns"]:
            g = c["generator"]
            if g["kind"] == "foreign_key" and g["table"] in names:
                g["table"] = f"{g['table']}_{suffix}"
    return spec


# A fitness-like schema exercising keys, skewed foreign keys with min/max children, a
# composite unique per parent, child dates after the parent's, and a group-sum constraint.
FITNESS = {
    "seed": 11,
    "tables": [
        {"name": "users", "rows": 400, "columns": [
            {"name": "id", "generator": {"kind": "sequence"}},
            {"name": "first_name", "generator": {"kind": "first_name"}},
            {"name": "last_name", "generator": {"kind": "last_name"}},
            {"name": "email", "generator": {"kind": "email", "first": "first_name", "last": "last_name"}},
            {"name": "code", "generator": {"kind": "uniform", "low": 1, "high": 5000, "integer": True,
                                           "unique": True}},
            {"name": "signup_at", "generator": {"kind": "timestamp", "start": "2022-01-01",
                                                "end": "2023-06-30", "trend": 2.0}},
            {"name": "age", "generator": {"kind": "normal", "mean": 34, "std": 11, "min": 16, "max": 90,
                                          "round": 0}, "nulls": 0.05},
        ]},
        {"name": "subscriptions", "rows": 1200, "columns": [
            {"name": "id", "generator": {"kind": "sequence"}},
            {"name": "user_id", "generator": {"kind": "foreign_key", "table": "users", "column": "id",
                                              "skew": 0.5, "min_children": 1, "max_children": 5}},
            {"name": "plan", "generator": {"kind": "categorical",
                                           "values": ["free", "basic", "pro", "team", "family"]}},
            {"name": "started_at", "generator": {"kind": "timestamp", "start": "2022-01-01", "end": "2024-12-31",
                                                 "after": {"fk": "user_id", "column": "signup_at",
                                                           "lag_days_mean": 30}}},
            {"name": "price", "generator": {"kind": "lognormal", "mu": 2.7, "sigma": 0.4, "round": 2}},
        ], "unique": [["user_id", "plan"]]},
        {"name": "workouts", "rows": 3000, "columns": [
            {"name": "id", "generator": {"kind": "sequence"}},
            {"name": "user_id", "generator": {"kind": "foreign_key", "table": "users", "column": "id",
                                              "skew": 1.0}},
            {"name": "day", "generator": {"kind": "date", "start": "2022-01-01", "end": "2024-12-31",
                                          "after": {"fk": "user_id", "column": "signup_at"}}},
            {"name": "minutes", "generator": {"kind": "uniform", "low": 10, "high": 120, "integer": True}},
            {"name": "kcal", "generator": {"kind": "normal", "mean": 350, "std": 90, "min": 0, "round": 1}},
        ], "constraints": [
            {"kind": "group_sum", "column": "minutes", "group_by": ["user_id", "day"], "max": 150},
            {"kind": "range", "column": "kcal", "min": 0, "max": 2000},
        ]},
    ],
}
FITNESS_ROWS = {t["name"]: t["rows"] for t in FITNESS["tables"]}
