"""Errors of the question -> SQL path; each carries the SQLSTATE the proxy sends."""

from __future__ import annotations


class LLMError(Exception):
    sqlstate = "XX000"

    def __init__(self, message: str, *, detail: str | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail
        self.hint = hint
        self.position = None


class EmptyQuestion(LLMError):
    sqlstate = "22023"  # invalid_parameter_value


class QuestionTooLong(LLMError):
    sqlstate = "54000"  # program_limit_exceeded


class WriteRefused(LLMError):
    """The question asks to change data; askgres only answers questions."""
    sqlstate = "25006"  # read_only_sql_transaction


class Unanswerable(LLMError):
    """No candidate passed the checks and ran; `detail` shows what was tried and why it failed."""
    sqlstate = "42P20"  # closest standard class (syntax error or access rule violation)


class OffTopic(Unanswerable):
    """The question does not relate to any table of the schema."""


class ModelUnavailable(LLMError):
    """The model file or llama-cpp-python is missing; the hint names the install command."""
    sqlstate = "58P01"  # undefined_file


class ExampleRejected(LLMError):
    """teach(): the SQL failed the read-only check or did not run."""
    sqlstate = "42000"


class ModelTimeout(LLMError):
    """The question waited for, or used, the model longer than [llm] timeout_s."""
    sqlstate = "57014"  # query_canceled, as PostgreSQL's statement_timeout
