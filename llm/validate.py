"""Checks a candidate against the schema before it runs, and says precisely what is wrong
("model_list has no column weight; cars_data has one"), which makes the repair prompt useful:
a bare engine error leads a small model to repeat the same query."""

from __future__ import annotations

from sqlglot import exp
from sqlglot.optimizer.scope import traverse_scope

from .schema import SchemaContext


def schema_problems(tree: exp.Expr, context: SchemaContext) -> list[str]:
    problems: list[str] = []
    columns_of = context.column_names

    def owners(col: str) -> str:
        found = [t.name for t in context.tables if col in columns_of[t.name.lower()]]
        return f"; tables with a column {col}: {', '.join(found)}" if found else "; no table has it"

    try:
        scopes = traverse_scope(tree)
    except Exception:  # noqa: BLE001 - an unusual shape is left to the engine
        return []
    for scope in scopes:
        tables = {alias.lower(): src.name.lower() for alias, src in scope.sources.items() if isinstance(src, exp.Table)}
        if len(tables) != len(scope.sources):
            continue   # derived tables / CTEs: their columns are not in the schema; let the engine judge
        aliases = {a.alias.lower() for a in scope.expression.find_all(exp.Alias)}
        for col in scope.columns:
            name = col.name.lower()
            if not name or isinstance(col.this, exp.Star):
                continue
            qualifier = col.table.lower()
            if qualifier:
                table = tables.get(qualifier)
                if table in columns_of and name not in columns_of[table]:
                    problems.append(f"table {table} has no column {name}{owners(name)}")
            elif (name not in aliases and tables and all(t in columns_of for t in tables.values())
                  and col.find_ancestor(exp.Select) is scope.expression):   # not a column of a subquery
                if not any(name in columns_of[t] for t in tables.values()):
                    problems.append(f"no table in FROM has a column {name}{owners(name)}")
        for src in scope.sources.values():
            if isinstance(src, exp.Table) and src.name.lower() not in columns_of and not src.db:
                problems.append(f"there is no table {src.name}")
    return list(dict.fromkeys(problems))
