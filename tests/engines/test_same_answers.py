"""The differential corpus (tests/differential/corpus) on every engine through its
EngineSession: DuckDB and Spark must each give PostgreSQL's answer. Both engines read the
fixture tables from the shared Parquet warehouse. Known gaps are strict xfails with reasons."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest
import sqlglot

from tests.differential.compare_results import same_answer
from tests.differential.load_corpus import CorpusQuery, load_corpus

from .spark_gaps import SPARK_GAPS

JSON_OIDS = {114, 3802}


def _params() -> list:
    params = []
    for engine in ("duckdb", "spark"):
        for query in load_corpus():
            marks = []
            if engine == "spark" and query.id in SPARK_GAPS:
                reason, raises = SPARK_GAPS[query.id]
                marks.append(pytest.mark.xfail(strict=True, reason=reason, raises=raises))
            elif engine == "duckdb" and query.xfail_reason("duckdb-direct"):
                marks.append(pytest.mark.xfail(strict=True, reason=query.xfail_reason("duckdb-direct")))
            params.append(pytest.param(engine, query, id=f"{engine}:{query.id}", marks=marks))
    return params


def _engine_rows(session, sql: str) -> list[tuple]:
    result = session.execute(sqlglot.parse_one(sql, read="postgres"))
    table = pa.Table.from_batches(list(result.reader), schema=result.reader.schema)
    columns = [_python_values(col) for col in table.columns]  # duplicate names stay apart
    return list(zip(*columns)) if columns else []


def _python_values(column: pa.ChunkedArray) -> list:
    """Arrow values as psycopg gives them (intervals as timedeltas, as psycopg loads them)."""
    from tests.differential.compare_results import interval_as_psycopg

    values = column.to_pylist()
    if pa.types.is_interval(column.type):
        return [None if v is None else interval_as_psycopg(v.months, v.days, v.nanoseconds)
                for v in values]
    return values


@pytest.mark.parametrize(("engine", "query"), _params())
def test_same_answer_as_postgres(request, reference_db, engine: str, query: CorpusQuery):
    with reference_db.cursor() as cur:
        cur.execute(query.sql)
        expected = cur.fetchall()
        json_columns = {i for i, d in enumerate(cur.description) if d.type_code in JSON_OIDS}
    session = request.getfixturevalue(f"{engine}_session")
    actual = _engine_rows(session, query.sql)
    actual = [tuple(json.loads(v) if i in json_columns and isinstance(v, str) else v
                    for i, v in enumerate(r)) for r in actual]
    ok, pg_rows, other_rows = same_answer(expected, actual, ordered=query.ordered)
    assert ok, f"{query.id} differs on {engine}\n{query.sql}\npostgres: {pg_rows}\n{engine}: {other_rows}"
