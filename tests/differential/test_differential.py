"""Each corpus query must give the same answer on a real PostgreSQL and on askgres's
DuckDB path: directly through `to_duckdb` ("duckdb-direct") and through a running askgres
server over psycopg ("askgres-wire"). Known gaps: `-- xfail:` / `-- xfail(target):` lines
in the corpus files."""

from __future__ import annotations

import pytest

from . import targets
from .compare_results import same_answer
from .load_corpus import CorpusQuery, load_corpus

pytestmark = pytest.mark.differential

TARGETS = ("duckdb-direct", "askgres-wire")


def _params() -> list:
    params = []
    for target in TARGETS:
        for query in load_corpus():
            reason = query.xfail_reason(target)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            params.append(pytest.param(target, query, id=f"{target}:{query.id}", marks=marks))
    return params


def _run_target(request, target: str, sql: str) -> targets.Answer:
    if target == "duckdb-direct":
        con, schema = request.getfixturevalue("duckdb_direct")
        return targets.run_duckdb(con, sql, schema)
    conn = request.getfixturevalue("askgres_wire")
    return targets.run_postgres(conn, sql)


@pytest.mark.parametrize(("target", "query"), _params())
def test_same_answer_as_postgres(request, reference_db, target: str, query: CorpusQuery):
    expected = targets.run_postgres(reference_db, query.sql)
    actual = _run_target(request, target, query.sql)
    ok, pg_rows, other_rows = same_answer(expected.rows, actual.rows, ordered=query.ordered,
                                          json_columns=actual.json_columns)
    assert ok, (f"{query.id} differs on {target}\n{query.sql}\n"
                f"postgres: {pg_rows}\n{target}: {other_rows}")
    assert actual.columns == expected.columns, f"{query.id}: column names differ on {target}"


def test_corpus_is_large_enough():
    queries = load_corpus()
    assert len(queries) >= 120
    assert len({q.id for q in queries}) == len(queries), "duplicate query names"
    assert sum(1 for q in queries if q.xfail) <= len(queries) // 10, "too many known gaps"
    assert all(set(q.xfail) <= {"*", *TARGETS} for q in queries), "xfail for an unknown target"
