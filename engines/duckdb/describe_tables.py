"""A plain description of the served tables (columns, types, keys, a few sample values) for
callers that reason about the schema, such as the question -> SQL pipeline."""

from __future__ import annotations

from typing import Any

from .engine import _ident

SAMPLE_VALUES = 3
MAX_SAMPLED_TABLES = 200  # beyond this, samples are skipped to keep describing cheap


def describe_tables(session, *, samples: int = SAMPLE_VALUES) -> dict[str, Any]:
    """{"tables": {name: {"columns": {col: type}, "primary_key": [...], "foreign_keys": [...],
    "samples": {col: [...]}}}} for the tables of the served database's main schema."""
    columns = session.run_sql(
        "SELECT table_name, column_name, data_type FROM duckdb_columns() "
        "WHERE NOT internal AND database_name = current_database() AND schema_name = 'main' "
        "ORDER BY table_name, column_index").to_pylist()
    tables: dict[str, dict[str, Any]] = {}
    for row in columns:
        t = tables.setdefault(row["table_name"], {"columns": {}, "primary_key": [], "foreign_keys": [], "samples": {}})
        t["columns"][row["column_name"]] = row["data_type"]
    constraints = session.run_sql(
        "SELECT table_name, constraint_type, constraint_column_names, referenced_table, referenced_column_names "
        "FROM duckdb_constraints() WHERE database_name = current_database() AND schema_name = 'main' "
        "AND constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY')").to_pylist()
    for c in constraints:
        t = tables.get(c["table_name"])
        if t is None:
            continue
        if c["constraint_type"] == "PRIMARY KEY":
            t["primary_key"] = list(c["constraint_column_names"])
        else:
            t["foreign_keys"].append({"columns": list(c["constraint_column_names"]),
                                      "ref_table": c["referenced_table"],
                                      "ref_columns": list(c["referenced_column_names"])})
    if samples and len(tables) <= MAX_SAMPLED_TABLES:
        for name, t in tables.items():
            text_cols = [col for col, typ in t["columns"].items() if typ == "VARCHAR"]
            for col in text_cols:
                values = session.run_sql(
                    f"SELECT DISTINCT {_ident(col)} AS v FROM {_ident(name)} WHERE {_ident(col)} IS NOT NULL "
                    f"ORDER BY 1 LIMIT {int(samples)}").column(0).to_pylist()
                t["samples"][col] = values
    return {"tables": tables}
