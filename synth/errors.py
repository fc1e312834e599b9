"""Synth errors carry their SQLSTATE (and optional detail/hint) for the proxy to report."""

from __future__ import annotations


class SynthError(Exception):
    sqlstate = "XX000"

    def __init__(self, message: str, sqlstate: str | None = None, *, detail: str | None = None,
                 hint: str | None = None, position: int | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if sqlstate is not None:
            self.sqlstate = sqlstate
        self.detail = detail
        self.hint = hint
        self.position = position
        self.field = field  # dotted path of the offending spec field, e.g. "tables.users.columns.age.generator"


class SpecError(SynthError):
    """The spec is malformed: wrong type, unknown generator, dangling reference."""
    sqlstate = "22023"  # invalid_parameter_value


class InfeasibleSpecError(SpecError):
    """The spec is well formed but its constraints cannot all hold; raised before generating."""
    sqlstate = "22000"  # data_exception


class GenerationCancelled(SynthError):
    sqlstate = "57014"  # query_canceled
