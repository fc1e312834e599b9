"""A value is a function of (seed, table, column, row): same bytes whatever the batch size or
worker count; a different seed gives different data."""

from __future__ import annotations

import pyarrow as pa
import pytest

from askgres.synth import generate

from synth_helpers import collect


def _bytes(tables: dict[str, pa.Table]) -> dict[str, bytes]:
    out = {}
    for name, t in tables.items():
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, t.schema) as w:
            w.write_table(t.combine_chunks())
        out[name] = sink.getvalue().to_pybytes()
    return out


def test_same_seed_same_bytes_for_any_batch_size(fitness_spec):
    ref = _bytes(collect(fitness_spec, batch_rows=1 << 20))
    for batch_rows in (1024, 1777, 5000):
        assert _bytes(collect(fitness_spec, batch_rows=batch_rows)) == ref


@pytest.mark.parametrize("processes", [False, True])
def test_same_bytes_with_parallel_workers(fitness_spec, processes):
    ref = _bytes(collect(fitness_spec, batch_rows=4096))
    assert _bytes(collect(fitness_spec, batch_rows=3000, workers=2, processes=processes)) == ref


def test_seed_argument_overrides_spec_seed(fitness_spec):
    a = collect(fitness_spec, seed=fitness_spec.seed)
    b = collect(fitness_spec, seed=fitness_spec.seed + 1)
    assert _bytes(a) == _bytes(collect(fitness_spec))
    assert a["users"]["age"] != b["users"]["age"]
    assert a["users"]["email"] != b["users"]["email"]


def test_selected_tables_match_the_full_run(fitness_spec):
    full = collect(fitness_spec)
    only = {n: b for n, b in generate(fitness_spec, tables=["workouts"], batch_rows=7000)}
    assert set(only) == {"workouts"}
    assert collect(fitness_spec, tables=["workouts"], batch_rows=7000)["workouts"].equals(full["workouts"])


def test_parents_come_before_children(fitness_spec):
    order = [n for n, _ in generate(fitness_spec, batch_rows=10_000)]
    assert order.index("users") < order.index("workouts") and order.index("users") < order.index("subs")
