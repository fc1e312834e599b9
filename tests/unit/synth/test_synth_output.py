"""Caller helpers: scaling, progress, Parquet output, cancellation."""

from __future__ import annotations

import threading

import pyarrow.parquet as pq
import pytest

from askgres.synth import GenerationCancelled, generate, scale_rows, table_reader, with_progress, write_parquet

from synth_helpers import collect


def test_scale_rows_keeps_proportions(fitness_spec):
    big = scale_rows(fitness_spec, 70_000)
    assert [t.rows for t in big.tables] == [4_000, 60_000, 6_000]


def test_parquet_matches_generate(fitness_spec, tmp_path):
    seen = []
    counts = write_parquet(fitness_spec, str(tmp_path), batch_rows=5000, progress=lambda *a: seen.append(a))
    assert counts == {"users": 2000, "workouts": 30_000, "subs": 3000}
    ref = collect(fitness_spec)
    for name in counts:
        assert pq.read_table(tmp_path / f"{name}.parquet").equals(ref[name])
    assert {s[0] for s in seen} == set(counts) and all(s[1] == s[2] for s in seen if s[0] == "users")


def test_reader_progress_and_cancel(fitness_spec):
    calls = []
    r = with_progress(table_reader(fitness_spec, "workouts", batch_rows=4000), "workouts", 30_000,
                      lambda *a: calls.append(a), every_s=0)
    assert r.read_all().num_rows == 30_000 and calls[-1][1] == 30_000
    stop = threading.Event()
    it = generate(fitness_spec, batch_rows=1000, cancel=stop)
    next(it)
    stop.set()
    with pytest.raises(GenerationCancelled) as e:
        next(it)
    assert e.value.sqlstate == "57014"
