"""profile() round trip: profile a generated table, generate from the profile, stats close."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from askgres.synth.profile import profile, profile_spec
from askgres.synth.spec import Spec
from askgres.synth.validate import validate

from synth_helpers import collect


def _stats(t: pa.Table, col: str):
    a = pc.cast(pc.drop_null(t[col]), pa.float64()).to_numpy()
    return a.mean(), a.std(), t[col].null_count / t.num_rows


def test_round_trip(fitness_spec):
    src = collect(fitness_spec, dictionary=False)
    spec = profile_spec({"users": src["users"], "workouts": src["workouts"]},
                        {"users": 2_000, "workouts": 40_000}, foreign_keys=[("workouts", "user_id", "users", "id")])
    users, workouts = spec.table("users"), spec.table("workouts")
    kinds = {c.name: c.generator.kind for c in users.columns + workouts.columns}
    assert kinds["id"] == "sequence" and kinds["user_id"] == "foreign_key" and kinds["email"] == "email"
    assert kinds["uid"] == "uuid" and kinds["plan"] == "categorical" and kinds["signup_at"] == "timestamp"
    assert kinds["day"] == "date" and kinds["age"] in ("empirical", "categorical") and kinds["minutes"] == "empirical"
    assert workouts.column("user_id").generator.skew > 0.2  # the source was skewed
    assert abs(users.column("age").nulls - 0.1) < 0.02
    plan = users.column("plan").generator
    assert plan.values[0] == "free" and abs(plan.weights[0] - 0.8) < 0.03

    out = collect(spec)
    assert out["workouts"].num_rows == 40_000 and validate(spec, out).ok
    for table, col in (("users", "age"), ("workouts", "minutes"), ("workouts", "start_min")):
        m0, s0, n0 = _stats(src[table], col)
        m1, s1, n1 = _stats(out[table], col)
        assert abs(m1 - m0) < 0.05 * s0 and abs(s1 - s0) < 0.1 * s0 and abs(n1 - n0) < 0.02, (col, m0, m1, s0, s1)
    f0 = pc.value_counts(src["users"]["plan"]).to_pylist()
    f1 = {d["values"]: d["counts"] / 2000 for d in pc.value_counts(out["users"]["plan"].cast(pa.string())).to_pylist()}
    assert all(abs(f1[d["values"]] - d["counts"] / 2000) < 0.05 for d in f0)
    t0 = src["users"]["signup_at"].to_numpy().astype(np.int64)
    t1 = out["users"]["signup_at"].to_numpy().astype(np.int64)
    assert abs(np.median(t0) - np.median(t1)) < 0.05 * (t0.max() - t0.min())


def test_profile_reader_and_small_tables():
    t = pa.table({"k": [5, 9, 13, 21], "f": [1.5, 2.25, None, 4.0], "s": ["x", "y", "x", "x"], "b": [True, False, True, True]})
    reader = pa.RecordBatchReader.from_batches(t.schema, t.to_batches(max_chunksize=2))
    ts = profile(reader, "small", rows=100)
    assert ts.rows == 100 and ts.column("f").nulls == 0.25 and ts.column("b").generator.p == 0.75
    spec = Spec(tables=[ts])
    assert collect(spec)["small"].num_rows == 100


def test_text_kinds_are_recognised():
    from askgres.synth.spec import from_dict
    kinds = ["street_address", "company", "sentence", "email", "uuid", "phone"]
    spec = from_dict({"tables": [{"name": "t", "rows": 5_000, "columns": [
        {"name": k, "generator": {"kind": k}} for k in kinds]}]})
    t = collect(spec, dictionary=False)["t"]
    assert [c.generator.kind for c in profile(t, "t").columns] == kinds
