"""Specs shared by the synth benchmarks (bench_synth.py)."""

from __future__ import annotations


def fitness(total_rows: int, seed: int = 42) -> dict:
    """users 5%, subscriptions 15%, workouts 80%; skewed FKs; child dates after the parent's;
    workout minutes per user per day at most 240 (a group-sum constraint)."""
    users, subs = max(1, total_rows * 5 // 100), total_rows * 15 // 100
    workouts = total_rows - users - subs
    return {"seed": seed, "tables": [
        {"name": "users", "rows": users, "columns": [
            {"name": "id", "generator": {"kind": "sequence"}},
            {"name": "age", "generator": {"kind": "normal", "mean": 34, "std": 11, "min": 16, "max": 90, "round": 0}},
            {"name": "plan", "generator": {"kind": "categorical", "values": ["free", "basic", "premium"],
                                           "weights": [0.6, 0.3, 0.1]}},
            {"name": "signup_at", "generator": {"kind": "timestamp", "start": "2021-01-01", "end": "2024-12-31",
                                                "trend": 3.0, "seasonality": {"weekly": 0.2, "yearly": 0.3}}},
        ]},
        {"name": "subscriptions", "rows": subs, "columns": [
            {"name": "id", "generator": {"kind": "sequence"}},
            {"name": "user_id", "generator": {"kind": "foreign_key", "table": "users", "column": "id", "skew": 0.8}},
            {"name": "tier", "generator": {"kind": "categorical", "values": ["monthly", "yearly"], "weights": [0.75, 0.25]}},
            {"name": "price", "generator": {"kind": "lognormal", "mu": 2.7, "sigma": 0.4, "round": 2}},
            {"name": "started_at", "generator": {"kind": "timestamp", "start": "2021-01-01", "end": "2025-06-30",
                                                 "after": {"fk": "user_id", "column": "signup_at", "lag_days_mean": 60}}},
        ]},
        {"name": "workouts", "rows": workouts, "columns": [
            {"name": "id", "generator": {"kind": "sequence"}},
            {"name": "user_id", "generator": {"kind": "foreign_key", "table": "users", "column": "id", "skew": 1.0,
                                              "max_children": max(50, 8 * workouts // users)}},
            {"name": "day", "generator": {"kind": "date", "start": "2021-01-01", "end": "2025-06-30",
                                          "after": {"fk": "user_id", "column": "signup_at"}}},
            {"name": "activity", "generator": {"kind": "categorical", "values": ["run", "ride", "swim", "lift", "yoga"],
                                               "weights": [0.35, 0.25, 0.1, 0.2, 0.1]}},
            {"name": "minutes", "generator": {"kind": "lognormal", "mu": 3.6, "sigma": 0.5, "min": 5, "round": 0}},
            {"name": "kcal", "generator": {"kind": "normal", "mean": 350, "std": 120, "min": 20, "round": 1}},
        ], "constraints": [{"kind": "group_sum", "column": "minutes", "group_by": ["user_id", "day"], "max": 240}]},
    ]}


def text_users(rows: int, seed: int = 42) -> dict:
    """A text-heavy users table: name, email, age, signup date, plan, monthly spend, country."""
    return {"seed": seed, "tables": [{"name": "users", "rows": rows, "columns": [
        {"name": "id", "generator": {"kind": "sequence"}},
        {"name": "first_name", "generator": {"kind": "first_name"}},
        {"name": "last_name", "generator": {"kind": "last_name"}},
        {"name": "name", "generator": {"kind": "full_name", "first": "first_name", "last": "last_name"}},
        {"name": "email", "generator": {"kind": "email", "first": "first_name", "last": "last_name"}},
        {"name": "age", "generator": {"kind": "normal", "mean": 36, "std": 12, "min": 18, "max": 90, "round": 0}},
        {"name": "signup_date", "generator": {"kind": "date", "start": "2019-01-01", "end": "2025-06-30", "trend": 2.0}},
        {"name": "plan", "generator": {"kind": "categorical", "values": ["free", "starter", "pro", "enterprise"],
                                       "weights": [0.55, 0.25, 0.15, 0.05]}},
        {"name": "monthly_spend", "generator": {"kind": "lognormal", "mu": 3.0, "sigma": 0.9, "round": 2}},
        {"name": "country", "generator": {"kind": "country"}},
    ]}]}
