"""Invalid specs are rejected with the field path (by table and column name) and SQLSTATE."""

from __future__ import annotations

import json

import pytest

from askgres.synth import SpecError, parse_spec, spec_json_schema, validate_model_spec

YAML = """
seed: 1
tables:
  - name: users
    rows: 10
    columns:
      - {name: id, generator: {kind: sequence}}
      - name: age
        generator: {kind: normal, mean: 30, std: 5}
        nulls: 0.1
"""


def _spec(columns, rows=10, **extra):
    return {"tables": [{"name": "users", "rows": rows, "columns": columns, **extra}]}


def test_yaml_and_json_parse_to_the_same_spec():
    a = parse_spec(YAML)
    b = parse_spec(json.dumps(a.model_dump(mode="json")))
    assert a == b and a.tables[0].column("age").nulls == 0.1


@pytest.mark.parametrize("columns, path, why", [
    ([{"name": "x", "generator": {"kind": "gaussian"}}], "tables.users.columns.x.generator", "gaussian"),
    ([{"name": "x", "generator": {"kind": "normal", "std": "wide"}}], "tables.users.columns.x.generator.std", "number"),
    ([{"name": "x", "generator": {"kind": "normal", "std": -1}}], "tables.users.columns.x.generator.std", "greater than 0"),
    ([{"name": "x", "generator": {"kind": "boolean", "p": 0.5, "colour": 1}}], "tables.users.columns.x.generator.colour", "Extra inputs"),
    ([{"name": "x", "generator": {"kind": "categorical", "values": ["a", "b"], "weights": [1]}}],
     "tables.users.columns.x.generator", "weights has 1 entries"),
    ([{"name": "x", "generator": {"kind": "sequence"}, "nulls": 2}], "tables.users.columns.x.nulls", "less than or equal"),
])
def test_structural_errors_name_the_field(columns, path, why):
    with pytest.raises(SpecError) as e:
        parse_spec(json.dumps(_spec(columns)))
    assert e.value.sqlstate == "22023"
    assert path in str(e.value) and why in str(e.value)
    assert e.value.field == path


@pytest.mark.parametrize("spec, path", [
    (_spec([{"name": "x", "generator": {"kind": "derived", "expr": "y * 2"}}]), "tables.users.columns.x.generator.expr"),
    (_spec([{"name": "x", "generator": {"kind": "derived", "expr": "pg_sleep(10)"}}]), "tables.users.columns.x.generator.expr"),
    (_spec([{"name": "x", "generator": {"kind": "foreign_key", "table": "nope", "column": "id"}}]),
     "tables.users.columns.x.generator.table"),
    (_spec([{"name": "a", "generator": {"kind": "derived", "expr": "b + 1"}},
            {"name": "b", "generator": {"kind": "derived", "expr": "a + 1"}}]), "tables.users.columns"),
    (_spec([{"name": "a", "generator": {"kind": "sequence"}}, {"name": "a", "generator": {"kind": "sequence"}}]),
     "tables.users.columns.a"),
    (_spec([{"name": "a", "generator": {"kind": "normal"}}], unique=[["a"]]), "tables.users.unique"),
    (_spec([{"name": "a", "generator": {"kind": "normal"}}],
           constraints=[{"kind": "compare", "left": "a", "op": ">", "right": "zz"}]), "tables.users.constraints.0.right"),
    (_spec([{"name": "e", "generator": {"kind": "email", "first": "a"}}, {"name": "a", "generator": {"kind": "normal"}}]),
     "tables.users.columns.e.generator.first"),
    (_spec([{"name": "id", "generator": {"kind": "sequence"}},
            {"name": "x", "generator": {"kind": "normal", "correlate": {"column": "id", "corr": 0.5}}}]),
     "tables.users.columns.x.generator.correlate.column"),
    (_spec([{"name": "x", "generator": {"kind": "timestamp", "start": "2024-01-01", "end": "2023-01-01"}}]),
     "tables.users.columns.x.generator"),
])
def test_reference_errors_name_the_field(spec, path):
    with pytest.raises(SpecError) as e:
        validate_model_spec(spec)
    assert e.value.field.startswith(path), (e.value.field, str(e.value))
    assert str(e.value).startswith(path) or path in str(e.value)


def test_foreign_key_must_point_at_a_key():
    spec = {"tables": [
        {"name": "p", "rows": 5, "columns": [{"name": "v", "generator": {"kind": "normal"}}]},
        {"name": "c", "rows": 5, "columns": [{"name": "p_v", "generator": {"kind": "foreign_key", "table": "p", "column": "v"}}]}]}
    with pytest.raises(SpecError, match="not a key") as e:
        validate_model_spec(spec)
    assert e.value.field == "tables.c.columns.p_v.generator.column"


def test_not_yaml_at_all():
    with pytest.raises(SpecError, match="neither valid JSON nor YAML"):
        parse_spec("tables: [\n  {name: ")
    with pytest.raises(SpecError, match="mapping"):
        parse_spec("- just\n- a list")


def test_model_spec_coercions():
    spec = validate_model_spec({"tables": {"users": {"rows": "50k", "columns": {
        "id": "sequence", "age": {"type": "normal", "mean": 40, "std": 3}, "plan": {"kind": "categorical", "values": ["a"]}}}}})
    t = spec.table("users")
    assert t.rows == 50_000 and t.column("id").generator.kind == "sequence"
    assert t.column("age").generator.mean == 40 and t.column("plan").generator.values == ["a"]


def test_json_schema_describes_generators():
    schema = json.dumps(spec_json_schema())
    for kind in ("foreign_key", "group_sum", "lognormal", "email", "derived"):
        assert kind in schema


def test_readme_example_is_valid_and_feasible():
    import pathlib

    from askgres.synth import check_feasible, scale_rows
    from askgres.synth.validate import validate
    from synth_helpers import collect

    readme = (pathlib.Path(__file__).parents[3] / "synth" / "README.md").read_text()
    example = readme.split("```yaml", 1)[1].split("```", 1)[0]
    spec = scale_rows(parse_spec(example), 20_000)
    check_feasible(spec)
    assert validate(spec, collect(spec, batch_rows=3000)).ok
