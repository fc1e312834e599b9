"""Infeasible constraints fail before a single row is generated, naming the field."""

from __future__ import annotations

import pytest

from askgres.synth import InfeasibleSpecError, check_feasible, generate
from askgres.synth.spec import from_dict

from synth_helpers import collect


def _two(parent_rows, child_rows, **fk):
    return {"tables": [
        {"name": "p", "rows": parent_rows, "columns": [{"name": "id", "generator": {"kind": "sequence"}}]},
        {"name": "c", "rows": child_rows, "columns": [
            {"name": "p_id", "generator": {"kind": "foreign_key", "table": "p", "column": "id", **fk}},
            {"name": "h", "generator": {"kind": "uniform", "low": 1, "high": 5}}]}]}


@pytest.mark.parametrize("spec, field, words", [
    ({"tables": [{"name": "t", "rows": 100, "columns": [
        {"name": "x", "generator": {"kind": "uniform", "low": 1, "high": 50, "integer": True, "unique": True}}]}]},
     "tables.t.columns.x.generator.unique", "only 50 integers"),
    ({"tables": [{"name": "t", "rows": 4, "columns": [
        {"name": "x", "generator": {"kind": "categorical", "values": ["a", "b", "c"], "unique": True}}]}]},
     "tables.t.columns.x.generator.unique", "3 categories"),
    (_two(10, 5, min_children=1), "tables.c.columns.p_id.generator.min_children", "at least 10 rows"),
    (_two(10, 500, max_children=20), "tables.c.columns.p_id.generator.max_children", "at most 200 rows"),
    ({**_two(10, 50), "tables": _two(10, 50)["tables"][:1] + [{**_two(10, 50)["tables"][1], "constraints": [
        {"kind": "group_sum", "column": "h", "group_by": ["p_id"], "max": 0.5}]}]},
     "tables.c.constraints.0.max", "above the group maximum"),
    ({**_two(10, 50), "tables": _two(10, 50)["tables"][:1] + [{**_two(10, 50)["tables"][1], "constraints": [
        {"kind": "group_sum", "column": "h", "group_by": ["p_id"], "max": 3}]}]} | {}, None, None),
    ({"tables": [{"name": "t", "rows": 4, "columns": [
        {"name": "a", "generator": {"kind": "uniform", "low": 0, "high": 1}},
        {"name": "b", "generator": {"kind": "uniform", "low": 5, "high": 6}}],
        "constraints": [{"kind": "compare", "left": "a", "op": ">", "right": "b"}]}]},
     "tables.t.constraints.0", "at most 1"),
])
def test_infeasible_rejected_before_generating(spec, field, words):
    s = from_dict(spec)
    if field is None:  # the feasible twin of the case above: passes
        check_feasible(s)
        return
    with pytest.raises(InfeasibleSpecError) as e:
        check_feasible(s)
    assert e.value.field == field and words in str(e.value)
    assert e.value.sqlstate == "22000"
    it = generate(s)
    with pytest.raises(InfeasibleSpecError):
        next(it)


def test_min_children_times_lower_bound_over_group_max():
    s = _two(10, 50, min_children=3)
    s["tables"][1]["constraints"] = [{"kind": "group_sum", "column": "h", "group_by": ["p_id"], "max": 2.5}]
    with pytest.raises(InfeasibleSpecError, match="3 children x at least 1"):
        check_feasible(from_dict(s))


def test_composite_unique_needs_enough_values_per_parent():
    s = {"tables": [
        {"name": "p", "rows": 10, "columns": [{"name": "id", "generator": {"kind": "sequence"}}]},
        {"name": "c", "rows": 101, "columns": [
            {"name": "p_id", "generator": {"kind": "foreign_key", "table": "p", "column": "id", "max_children": 30}},
            {"name": "d", "generator": {"kind": "date", "start": "2024-01-01", "end": "2024-01-10"}}],
         "unique": [["p_id", "d"]]}]}
    with pytest.raises(InfeasibleSpecError, match="only 10 values") as e:
        check_feasible(from_dict(s))
    assert e.value.field == "tables.c.unique"
    s["tables"][1]["rows"] = 100  # exactly 10 distinct days for each of the 10 parents
    spec = from_dict(s)
    check_feasible(spec)
    out = collect(spec, batch_rows=33)["c"]
    assert out.group_by(["p_id", "d"]).aggregate([]).num_rows == 100
