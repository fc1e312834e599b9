"""Postgres catalog emulation (pg_catalog, information_schema) on DuckDB."""

from __future__ import annotations

from typing import Callable

from sqlglot import exp

CATALOG_REWRITES: tuple[Callable[[exp.Expr], exp.Expr], ...] = ()


def install(con) -> None:
    """Create the catalog emulation objects in a DuckDB connection (idempotent)."""
