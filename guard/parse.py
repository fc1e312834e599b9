"""Parsing SQL text into statements with AskgresPostgres, errors in PostgreSQL's words."""

from __future__ import annotations

from sqlglot import exp
from sqlglot.errors import ErrorLevel, ParseError, TokenError
from sqlglot.tokens import Token

from .dialect import AskgresPostgres
from .errors import GuardSyntaxError

DIALECT = AskgresPostgres()


def _near(sql: str, start: int) -> str:
    """The word PostgreSQL quotes in 'syntax error at or near "x"'."""
    end = start
    while end < len(sql) and not sql[end].isspace() and sql[end] not in ",;()":
        end += 1
    return sql[start:max(end, start + 1)]


def parse(sql: str) -> list[exp.Expr]:
    """All statements of `sql`; [] for an empty query (only whitespace, comments, semicolons)."""
    return parse_with_tokens(sql)[0]


def parse_with_tokens(sql: str) -> tuple[list[exp.Expr], list[Token]]:
    """parse(), and the tokens it parsed (the guard's shape cache keys on them)."""
    tokenizer = DIALECT.tokenizer_class(dialect=DIALECT)
    try:
        tokens = tokenizer.tokenize(sql)
    except TokenError:
        # The tokenizer stops at the start of the unterminated string/identifier/comment.
        start = min(getattr(tokenizer._core, "_start", 0), max(len(sql) - 1, 0))
        raise GuardSyntaxError(
            f'unterminated quoted string, identifier or comment at or near "{_near(sql, start)}"',
            position=start + 1, rule="parse",
            hint="Close the quote or comment that starts here.") from None
    if not tokens:
        return [], tokens
    parser = DIALECT.parser(error_level=ErrorLevel.IMMEDIATE)
    try:
        statements = parser.parse(tokens, sql)
    except ParseError as e:
        info = e.errors[0] if e.errors else {}
        start = info.get("start", -1)
        if start is None or start < 0:
            message, position = "syntax error at end of input", len(sql) + 1
        else:
            message, position = f'syntax error at or near "{_near(sql, start)}"', start + 1
        raise GuardSyntaxError(message, position=position, rule="parse",
                               detail=info.get("description")) from None
    except (ValueError, TypeError, AttributeError, IndexError) as e:
        # sqlglot builders occasionally fail on odd input instead of raising ParseError.
        raise GuardSyntaxError(f"syntax error: {e}", rule="parse") from None
    return [s for s in statements if s is not None and not isinstance(s, exp.Semicolon)], tokens
