"""Misata 0.9.8, the reference of bench_synth.py: the same 3-table fitness schema as closely as
its YAML/dict schema allows, streamed into DuckDB. Installed for the bench only
(`pip install misata==0.9.8`); never a runtime dependency."""

from __future__ import annotations


def fitness_schema(total_rows: int, seed: int = 42) -> dict:
    users, subs = max(1, total_rows * 5 // 100), total_rows * 15 // 100
    workouts = total_rows - users - subs
    return {
        "name": "fitness", "seed": seed, "rows": users,
        "tables": {
            "users": {"rows": users, "columns": {
                "id": {"type": "int", "unique": True, "primary_key": True},
                "age": {"type": "int", "min": 16, "max": 90, "distribution": "normal", "mean": 34, "std": 11},
                "plan": {"type": "categorical", "choices": ["free", "basic", "premium"], "probabilities": [0.6, 0.3, 0.1]},
                "signup_at": {"type": "datetime", "start": "2021-01-01", "end": "2024-12-31"},
            }},
            "subscriptions": {"rows": subs, "columns": {
                "id": {"type": "int", "unique": True, "primary_key": True},
                "user_id": {"type": "foreign_key"},
                "tier": {"type": "categorical", "choices": ["monthly", "yearly"], "probabilities": [0.75, 0.25]},
                "price": {"type": "float", "min": 3.0, "max": 80.0, "distribution": "lognormal", "decimals": 2},
                "started_at": {"type": "datetime", "start": "2021-01-01", "end": "2025-06-30"},
            }},
            "workouts": {"rows": workouts, "columns": {
                "id": {"type": "int", "unique": True, "primary_key": True},
                "user_id": {"type": "foreign_key"},
                "day": {"type": "date", "start": "2021-01-01", "end": "2025-06-30"},
                "activity": {"type": "categorical", "choices": ["run", "ride", "swim", "lift", "yoga"],
                             "probabilities": [0.35, 0.25, 0.1, 0.2, 0.1]},
                "minutes": {"type": "int", "min": 5, "max": 240, "distribution": "lognormal"},
                "kcal": {"type": "float", "min": 20, "max": 1200, "distribution": "normal", "decimals": 1},
            }, "constraints": [
                {"name": "minutes_per_user_day", "type": "max_per_group", "column": "minutes",
                 "group_by": ["user_id", "day"], "value": 240, "action": "redistribute"},
            ]},
        },
        "relationships": [
            {"parent_table": "users", "parent_key": "id", "child_table": "subscriptions", "child_key": "user_id",
             "temporal_constraint": True},
            {"parent_table": "users", "parent_key": "id", "child_table": "workouts", "child_key": "user_id",
             "temporal_constraint": True},
        ],
    }


def run_into_duckdb(con, total_rows: int, seed: int = 42) -> int:
    """Generate with Misata and load every batch into DuckDB; returns rows loaded."""
    import misata
    import pyarrow as pa

    created, n = set(), 0
    for table, df in misata.generate_stream(fitness_schema(total_rows, seed), seed=seed):
        batch = pa.Table.from_pandas(df, preserve_index=False)
        name = f"misata_{table}"
        if name in created:
            con.execute(f'INSERT INTO "{name}" SELECT * FROM batch')
        else:
            con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM batch')
            created.add(name)
        n += len(df)
    return n
