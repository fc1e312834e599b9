"""Errors that reach a client. Every one carries its SQLSTATE.

Other packages define their own exception classes (they never import proxy); the proxy
reads their `sqlstate`, `detail`, `hint` and `position` attributes when it builds an
ErrorResponse (see proxy.error_mapping).
"""

from __future__ import annotations


class PgError(Exception):
    """An error reported to the client as an ErrorResponse."""

    sqlstate = "XX000"
    severity = "ERROR"

    def __init__(
        self,
        message: str,
        sqlstate: str | None = None,
        *,
        detail: str | None = None,
        hint: str | None = None,
        position: int | None = None,
        severity: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if sqlstate is not None:
            self.sqlstate = sqlstate
        if severity is not None:
            self.severity = severity
        self.detail = detail
        self.hint = hint
        self.position = position


class ProtocolViolation(PgError):
    sqlstate = "08P01"


class FeatureNotSupported(PgError):
    sqlstate = "0A000"


class InvalidPassword(PgError):
    sqlstate = "28P01"
    severity = "FATAL"


class QueryCanceled(PgError):
    sqlstate = "57014"


class InFailedTransaction(PgError):
    sqlstate = "25P02"
