from __future__ import annotations

import pytest

from askgres.synth.spec import from_dict


@pytest.fixture
def fitness_spec():
    return from_dict({"seed": 3, "tables": [
        {"name": "users", "rows": 2_000, "columns": [
            {"name": "id", "generator": {"kind": "sequence"}},
            {"name": "first_name", "generator": {"kind": "first_name"}},
            {"name": "last_name", "generator": {"kind": "last_name"}},
            {"name": "email", "generator": {"kind": "email", "first": "first_name", "last": "last_name"}},
            {"name": "age", "generator": {"kind": "normal", "mean": 35, "std": 9, "min": 16, "round": 0}, "nulls": 0.1},
            {"name": "signup_at", "generator": {"kind": "timestamp", "start": "2022-01-01", "end": "2024-12-31",
                                                "trend": 2.0, "seasonality": {"weekly": 0.3, "yearly": 0.2}}},
            {"name": "plan", "generator": {"kind": "categorical", "values": ["free", "pro"], "weights": [0.8, 0.2]}},
            {"name": "uid", "generator": {"kind": "uuid"}},
        ]},
        {"name": "workouts", "rows": 30_000, "columns": [
            {"name": "id", "generator": {"kind": "sequence"}},
            {"name": "user_id", "generator": {"kind": "foreign_key", "table": "users", "column": "id", "skew": 1.0,
                                              "min_children": 2, "max_children": 200}},
            {"name": "day", "generator": {"kind": "date", "start": "2022-01-01", "end": "2025-06-30",
                                          "after": {"fk": "user_id", "column": "signup_at", "lag_days_mean": 60}}},
            {"name": "minutes", "generator": {"kind": "lognormal", "mu": 3.8, "sigma": 0.6, "min": 5, "round": 0}},
            {"name": "start_min", "generator": {"kind": "uniform", "low": 0, "high": 1000}},
            {"name": "end_min", "generator": {"kind": "uniform", "low": 0, "high": 1000}},
            {"name": "kcal", "generator": {"kind": "derived", "expr": "(end_min - start_min) * 2", "round": 1}},
        ], "constraints": [
            {"kind": "group_sum", "column": "minutes", "group_by": ["user_id", "day"], "max": 120},
            {"kind": "compare", "left": "end_min", "op": ">", "right": "start_min"},
        ]},
        {"name": "subs", "rows": 3_000, "columns": [
            {"name": "id", "generator": {"kind": "uuid"}},
            {"name": "user_id", "generator": {"kind": "foreign_key", "table": "users", "column": "uid", "skew": 0.7}},
            {"name": "started", "generator": {"kind": "timestamp", "start": "2022-01-01", "end": "2025-06-30",
                                              "after": {"fk": "user_id", "column": "signup_at"}}},
        ]},
    ]})
