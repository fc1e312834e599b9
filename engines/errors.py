"""Engine errors carry their SQLSTATE; engines map their own exceptions by class."""

from __future__ import annotations


class EngineError(Exception):
    sqlstate = "XX000"

    def __init__(self, message: str, sqlstate: str | None = None, *, detail: str | None = None,
                 hint: str | None = None, position: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if sqlstate is not None:
            self.sqlstate = sqlstate
        self.detail = detail
        self.hint = hint
        self.position = position


class EngineUnavailable(EngineError):
    sqlstate = "08006"


class QueryCanceled(EngineError):
    sqlstate = "57014"
