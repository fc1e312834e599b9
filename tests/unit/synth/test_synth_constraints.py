"""Constraints hold by construction, and the validation report (Arrow and SQL forms) says so;
tampered data makes the same checks fail."""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from askgres.synth import SpecError
from askgres.synth.validate import validate, validation_queries

from synth_helpers import collect, one_table


def test_report_has_zero_violations(fitness_spec):
    tables = collect(fitness_spec, batch_rows=4000)
    rep = validate(fitness_spec, tables)
    assert rep.ok, rep.violations
    names = set(rep.violations)
    for expected in ("orphans:workouts.user_id->users.id", "duplicates:users(email)", "duplicates:users(uid)",
                     "min_children:workouts.user_id", "max_children:workouts.user_id",
                     "before_parent:workouts.day<users.signup_at", "before_parent:subs.started<users.signup_at",
                     "compare:workouts.end_min>start_min", "orphans:subs.user_id->users.uid"):
        assert expected in names
    assert any(n.startswith("group_sum:workouts") for n in names)


def test_sql_checks_in_duckdb_are_zero(fitness_spec):
    tables = collect(fitness_spec, batch_rows=4000)
    con = duckdb.connect()
    for name, t in tables.items():
        con.register(f"src_{name}", t)
        con.execute(f'CREATE TABLE "stage_{name}" AS SELECT * FROM src_{name}')
    queries = validation_queries(fitness_spec, table_names={n: f"stage_{n}" for n in tables})
    assert len(queries) >= 10
    assert {n: con.execute(q).fetchone()[0] for n, q in queries} == {n: 0 for n, _ in queries}


def test_checks_detect_tampering(fitness_spec):
    tables = collect(fitness_spec, batch_rows=4000)
    w = tables["workouts"]
    uid = w["user_id"].to_numpy().copy()
    uid[0] = 10**9  # an orphan
    minutes = w["minutes"].to_numpy().copy()
    minutes[:3] = 500  # a group over 120
    email = tables["users"]["email"].to_pylist()
    email[1] = email[0]
    bad = dict(tables)
    bad["workouts"] = w.set_column(w.schema.get_field_index("user_id"), "user_id", pa.array(uid)) \
                       .set_column(w.schema.get_field_index("minutes"), "minutes", pa.array(minutes))
    bad["users"] = tables["users"].set_column(3, "email", pa.array(email))
    v = validate(fitness_spec, bad).violations
    assert v["orphans:workouts.user_id->users.id"] == 1
    assert v["duplicates:users(email)"] == 1
    assert next(x for k, x in v.items() if k.startswith("group_sum")) >= 1
    con = duckdb.connect()
    for name, t in bad.items():
        con.register(name, t)
    got = {n: con.execute(q).fetchone()[0] for n, q in validation_queries(fitness_spec)}
    assert got["orphans:workouts.user_id->users.id"] == 1 and got["duplicates:users(email)"] == 1


def test_group_sum_redistributes_but_keeps_most_mass(fitness_spec):
    w = collect(fitness_spec)["workouts"]
    sums = w.group_by(["user_id", "day"]).aggregate([("minutes", "sum")])
    assert pc.max(sums["minutes_sum"]).as_py() <= 120
    assert pc.mean(w["minutes"]).as_py() > 30  # scaled groups only, not everything


def test_children_counts_within_bounds(fitness_spec):
    w = collect(fitness_spec)["workouts"]
    counts = w.group_by("user_id").aggregate([([], "count_all")])["count_all"].to_numpy()
    assert counts.min() >= 2 and counts.max() <= 200 and len(counts) == 2000
    assert counts.sum() == 30_000
    # skew: the busiest 10% of users own far more than 10% of workouts
    top = np.sort(counts)[::-1][:200].sum() / counts.sum()
    assert top > 0.3


def test_child_dates_not_before_parent(fitness_spec):
    t = collect(fitness_spec)
    j = t["workouts"].select(["user_id", "day"]).join(t["users"].select(["id", "signup_at"]), "user_id", "id")
    assert pc.all(pc.greater_equal(pc.cast(j["day"], pa.timestamp("us")), j["signup_at"])).as_py()


def test_unique_integer_and_categorical_without_replacement():
    spec = one_table([{"name": "code", "generator": {"kind": "uniform", "low": 100, "high": 20_099, "integer": True,
                                                       "unique": True}},
                      {"name": "slot", "generator": {"kind": "categorical", "values": list(range(25_000)), "unique": True}}])
    t = collect(spec, batch_rows=3000)["t"]
    assert len(pc.unique(t["code"])) == 20_000 and pc.min(t["code"]).as_py() == 100 and pc.max(t["code"]).as_py() == 20_099
    assert len(pc.unique(t["slot"])) == 20_000


def test_composite_unique_per_parent():
    from askgres.synth.spec import from_dict
    spec = from_dict({"seed": 5, "tables": [
        {"name": "emp", "rows": 300, "columns": [{"name": "id", "generator": {"kind": "sequence"}}]},
        {"name": "ts", "rows": 30_000, "columns": [
            {"name": "emp_id", "generator": {"kind": "foreign_key", "table": "emp", "column": "id", "max_children": 365}},
            {"name": "day", "generator": {"kind": "date", "start": "2024-01-01", "end": "2024-12-31"}},
            {"name": "hours", "generator": {"kind": "normal", "mean": 8, "std": 2, "min": 0, "round": 2}}],
         "unique": [["emp_id", "day"]],
         "constraints": [{"kind": "group_sum", "column": "hours", "group_by": ["emp_id", "day"], "max": 8}]}]})
    t = collect(spec, batch_rows=999)
    assert validate(spec, t).ok
    ts = t["ts"]
    assert ts.group_by(["emp_id", "day"]).aggregate([]).num_rows == 30_000
    assert pc.max(ts["hours"]).as_py() <= 8


def test_range_and_compare_constraints_hold():
    spec = one_table([
        {"name": "a", "generator": {"kind": "normal", "mean": 0, "std": 10}},
        {"name": "b", "generator": {"kind": "normal", "mean": 0, "std": 10}},
        {"name": "d", "generator": {"kind": "derived", "expr": "a - b"}}],
        constraints=[{"kind": "compare", "left": "a", "op": ">=", "right": "b"},
                     {"kind": "range", "column": "a", "min": -5, "max": 25}])
    t = collect(spec)["t"]
    assert pc.min(t["d"]).as_py() >= 0  # derived after the constraint sees the swapped values
    assert pc.min(t["a"]).as_py() >= -5 and pc.max(t["a"]).as_py() <= 25
    assert validate(spec, {"t": t}).ok


def test_one_to_one_foreign_key():
    from askgres.synth.spec import from_dict
    spec = from_dict({"tables": [
        {"name": "users", "rows": 5_000, "columns": [{"name": "id", "generator": {"kind": "sequence"}}]},
        {"name": "profiles", "rows": 4_000, "columns": [
            {"name": "user_id", "generator": {"kind": "foreign_key", "table": "users", "column": "id", "max_children": 1}},
            {"name": "bio", "generator": {"kind": "sentence"}}], "unique": [["user_id"]]},
        {"name": "avatars", "rows": 100, "columns": [
            {"name": "profile_user_id", "generator": {"kind": "foreign_key", "table": "profiles", "column": "user_id"}}]}]})
    t = collect(spec, batch_rows=777)
    rep = validate(spec, t)
    assert rep.ok and "duplicates:profiles(user_id)" in rep.violations
    assert len(pc.unique(t["profiles"]["user_id"])) == 4_000


def test_composite_unique_over_a_joint_domain():
    from askgres.synth import InfeasibleSpecError, check_feasible
    from askgres.synth.spec import from_dict
    tables = [
        {"name": "stores", "rows": 40, "columns": [{"name": "id", "generator": {"kind": "sequence"}}]},
        {"name": "stock", "rows": 3_000, "columns": [
            {"name": "store_id", "generator": {"kind": "foreign_key", "table": "stores", "column": "id", "skew": 1.0}},
            {"name": "sku", "generator": {"kind": "uniform", "low": 1, "high": 100, "integer": True}},
            {"name": "size", "generator": {"kind": "categorical", "values": ["S", "M", "L"]}},
            {"name": "week", "generator": {"kind": "date", "start": "2024-01-01", "end": "2024-01-10"}},
            {"name": "qty", "generator": {"kind": "poisson", "mean": 20}}],
         "unique": [["store_id", "sku"], ["size", "week", "qty"]]}]
    with pytest.raises(SpecError, match="size, week, qty"):
        check_feasible(from_dict({"tables": tables}))  # poisson is not enumerable
    tables[1]["unique"] = [["store_id", "sku"], ["size", "week"]]
    tables[1]["rows"] = 30
    spec = from_dict({"seed": 9, "tables": tables})
    t = collect(spec, batch_rows=7)
    assert validate(spec, t).ok and "duplicates:stock(size,week)" in validate(spec, t).violations
    assert t["stock"].group_by(["size", "week"]).aggregate([]).num_rows == 30
    tables[1]["rows"] = 31  # 3 sizes x 10 weeks
    with pytest.raises(InfeasibleSpecError, match="only 30 distinct combinations"):
        check_feasible(from_dict({"tables": tables}))


def test_per_parent_unique_caps_children_at_the_domain():
    from askgres.synth import InfeasibleSpecError, check_feasible
    from askgres.synth.spec import from_dict
    tables = [
        {"name": "stores", "rows": 40, "columns": [{"name": "id", "generator": {"kind": "sequence"}}]},
        {"name": "stock", "rows": 3_000, "columns": [
            {"name": "store_id", "generator": {"kind": "foreign_key", "table": "stores", "column": "id", "skew": 1.5}},
            {"name": "sku", "generator": {"kind": "uniform", "low": 1, "high": 100, "integer": True}}],
         "unique": [["store_id", "sku"]]}]
    spec = from_dict({"seed": 9, "tables": tables})
    t = collect(spec, batch_rows=500)["stock"]
    assert t.group_by(["store_id", "sku"]).aggregate([]).num_rows == 3_000
    tables[1]["rows"] = 4_001
    with pytest.raises(InfeasibleSpecError, match="at most 100 rows per stores"):
        check_feasible(from_dict({"tables": tables}))
