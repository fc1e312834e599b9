"""Model errors carry their SQLSTATE, and name the command that fixes them."""

from __future__ import annotations

INSTALL_HINT = "python -m askgres.models install --model {name}   (or: make serve / make test)"


class ModelError(Exception):
    sqlstate = "58000"  # system_error

    def __init__(self, message: str, *, detail: str | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail
        self.hint = hint
        self.position = None


class ModelMissing(ModelError):
    sqlstate = "58P01"  # undefined_file


class ModelCorrupt(ModelError):
    sqlstate = "XX001"  # data_corrupted


class UnknownModel(ModelError):
    sqlstate = "22023"  # invalid_parameter_value


class LlamaNotInstalled(ModelError):
    sqlstate = "58P01"
