"""Guard errors: every rejection carries its SQLSTATE, the rule that fired and what to do instead.

42601 syntax_error, 42501 insufficient_privilege (policy), 54000 program_limit_exceeded,
57014 query_canceled (limits).
"""

from __future__ import annotations

SYNTAX_ERROR = "42601"
INSUFFICIENT_PRIVILEGE = "42501"
PROGRAM_LIMIT_EXCEEDED = "54000"
QUERY_CANCELED = "57014"


class GuardError(Exception):
    sqlstate = INSUFFICIENT_PRIVILEGE

    def __init__(self, message: str, sqlstate: str | None = None, *, rule: str | None = None,
                 detail: str | None = None, hint: str | None = None,
                 position: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if sqlstate is not None:
            self.sqlstate = sqlstate
        self.rule = rule
        self.detail = detail
        self.hint = hint
        # 1-based character position in the query text, as PostgreSQL's ErrorResponse 'P'.
        self.position = position

    def __reduce__(self):  # picklable across worker processes, attributes included
        return (_rebuild, (type(self), self.message, self.sqlstate, self.rule, self.detail,
                           self.hint, self.position))


def _rebuild(cls, message, sqlstate, rule, detail, hint, position):
    return cls(message, sqlstate, rule=rule, detail=detail, hint=hint, position=position)


class GuardSyntaxError(GuardError):
    sqlstate = SYNTAX_ERROR


class PolicyViolation(GuardError):
    sqlstate = INSUFFICIENT_PRIVILEGE


class LimitExceeded(GuardError):
    sqlstate = PROGRAM_LIMIT_EXCEEDED
