"""Facts about a statement's AST, decided once per tree.

The guard hands out the same AST for the same text (its verdict cache), so a fact derived from a
tree is kept in the tree's meta: a repeated statement pays a dict lookup instead of a walk.
"""

from __future__ import annotations

from typing import Callable, TypeVar

from sqlglot import exp

T = TypeVar("T")

# Nodes of an expression made of literals, operators and casts alone.
LITERAL_EXPRESSION_NODES = (
    exp.Literal, exp.Boolean, exp.Null, exp.Alias, exp.Identifier, exp.Cast, exp.TryCast, exp.DataType,
    exp.DataTypeParam, exp.Paren, exp.Neg, exp.Not, exp.Binary, exp.Is, exp.Case, exp.If, exp.Coalesce,
    exp.Nullif,
)

# The clauses a SELECT may have besides its output list.
SELECT_CLAUSES = ("from", "from_", "joins", "where", "group", "having", "qualify", "windows", "order", "limit",
                  "offset", "with", "with_", "laterals", "distinct", "into", "locks", "sample", "connect", "kind")


def once_per_ast(stmt: exp.Expr, key: str, decide: Callable[[exp.Expr], T]) -> T:
    """decide(stmt), kept in stmt.meta[key] (decide must not return None)."""
    meta = stmt.meta
    found = meta.get(key)
    if found is None:
        found = meta[key] = decide(stmt)
    return found


def bare_select(stmt: exp.Expr, accepts: Callable[[exp.Expr], bool]) -> bool:
    """Whether `stmt` is a SELECT with nothing but its output list (no FROM, WHERE, LIMIT, ...)
    and `accepts` every node under it."""
    if type(stmt) is not exp.Select or any(stmt.args.get(k) for k in SELECT_CLAUSES):
        return False
    return all(accepts(node) for node in stmt.walk() if node is not stmt)
