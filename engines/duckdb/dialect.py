"""Postgres-dialect ASTs -> DuckDB SQL: sqlglot's transpiler plus our own rewrites
where sqlglot is silently wrong. Rewrites are plain `Expr -> Expr` functions, listed
in one tuple, applied in order (the sqlglot optimizer's habit)."""

from __future__ import annotations

from typing import Callable

from sqlglot import exp

from .catalog import CATALOG_REWRITES

Rewrite = Callable[[exp.Expr], exp.Expr]

REWRITES: tuple[Rewrite, ...] = (*CATALOG_REWRITES,)


def to_duckdb(stmt: exp.Expr) -> str:
    """Render one Postgres-dialect statement as DuckDB SQL."""
    tree = stmt.copy()
    for rewrite in REWRITES:
        tree = rewrite(tree)
    return tree.sql(dialect="duckdb")
