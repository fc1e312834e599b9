"""DuckDB exceptions -> SQLSTATE, by exception class.

DuckDB groups several PostgreSQL conditions under one class (a Catalog Error may be a
missing table or a missing function), so a few classes are refined by the error kind that
DuckDB prints first; everything else is decided by class alone.
"""

from __future__ import annotations

import duckdb

from ..errors import EngineError

BY_CLASS: tuple[tuple[type[BaseException], str], ...] = (
    (duckdb.InterruptException, "57014"),
    (duckdb.ParserException, "42601"),
    (duckdb.SyntaxException, "42601"),
    (duckdb.CatalogException, "42P01"),
    (duckdb.BinderException, "42703"),
    (duckdb.ConversionException, "22P02"),
    (duckdb.OutOfRangeException, "22003"),
    (duckdb.ConstraintException, "23505"),
    (duckdb.TypeMismatchException, "42804"),
    (duckdb.InvalidTypeException, "42804"),
    (duckdb.PermissionException, "42501"),
    (duckdb.TransactionException, "25000"),
    (duckdb.NotImplementedException, "0A000"),
    (duckdb.OutOfMemoryException, "53200"),
    (duckdb.IOException, "58030"),
    (duckdb.InvalidInputException, "22023"),
    (duckdb.SerializationException, "40001"),
    (duckdb.DependencyException, "2BP01"),
    (duckdb.SequenceException, "2200H"),
)

# (class, start of the message after DuckDB's "<Kind> Error: " prefix) -> SQLSTATE
REFINEMENTS: tuple[tuple[type[BaseException], str, str], ...] = (
    (duckdb.CatalogException, "Scalar Function with name", "42883"),
    (duckdb.CatalogException, "Table Function with name", "42883"),
    (duckdb.CatalogException, "Aggregate Function with name", "42883"),
    (duckdb.CatalogException, "Schema with name", "3F000"),
    (duckdb.CatalogException, "Type with name", "42704"),
    (duckdb.CatalogException, "Could not drop", "2BP01"),
    (duckdb.CatalogException, "Table with name", "42P01"),
    (duckdb.BinderException, "No function matches", "42883"),
    (duckdb.BinderException, "Could not choose a best candidate", "42725"),
    (duckdb.BinderException, "Referenced column", "42703"),
    (duckdb.BinderException, "column", "42803"),  # column "x" must appear in the GROUP BY clause
    (duckdb.InvalidInputException, "Division by zero", "22012"),
    (duckdb.OutOfRangeException, "Division by zero", "22012"),
    (duckdb.ConstraintException, "NOT NULL constraint", "23502"),
    (duckdb.ConstraintException, "Violates foreign key", "23503"),
    (duckdb.ConstraintException, "CHECK constraint", "23514"),
)


def map_duckdb_error(exc: BaseException) -> EngineError:
    """Turn a DuckDB exception into an EngineError with a SQLSTATE and a PG-style message."""
    text = str(exc)
    first, _, detail = text.partition("\n")
    _, sep, rest = first.partition(" Error: ")
    body = rest if sep else first
    sqlstate = "XX000"
    for cls, state in BY_CLASS:
        if isinstance(exc, cls):
            sqlstate = state
            break
    for cls, prefix, state in REFINEMENTS:
        if isinstance(exc, cls) and body.startswith(prefix):
            sqlstate = state
            break
    if sqlstate == "57014":
        body = "canceling statement due to user request"
    elif sqlstate == "22012":
        # PostgreSQL's words; DuckDB's own suggest `SET error_on_division_by_zero`, which network
        # sessions cannot run (DuckDB's configuration is locked)
        body, detail = "division by zero", ""
    return EngineError(body.rstrip("!"), sqlstate, detail=detail.strip() or None)
