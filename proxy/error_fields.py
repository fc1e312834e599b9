"""Any exception -> the fields of an ErrorResponse / NoticeResponse.

Exceptions from guard, engines, llm and synth carry `sqlstate` (and maybe `detail`, `hint`,
`position`); anything without one is an internal error whose text is logged, never sent
(no Python traceback ever reaches a client).
"""

from __future__ import annotations

import logging

from .wire.messages import ErrorResponse, NoticeResponse

log = logging.getLogger("askgres")


def error_fields(exc: BaseException) -> tuple[tuple[str, str], ...]:
    sqlstate = getattr(exc, "sqlstate", None)
    if not isinstance(sqlstate, str) or len(sqlstate) != 5:
        log.exception("internal error", exc_info=exc)
        return (("S", "ERROR"), ("V", "ERROR"), ("C", "XX000"),
                ("M", f"internal error in askgres ({type(exc).__name__}); see the server log"))
    severity = getattr(exc, "severity", "ERROR") or "ERROR"
    message = getattr(exc, "message", None) or str(exc) or sqlstate
    fields = [("S", severity), ("V", severity), ("C", sqlstate), ("M", message)]
    for code, attr in (("D", "detail"), ("H", "hint"), ("P", "position")):
        value = getattr(exc, attr, None)
        if value is not None and value != "":
            fields.append((code, str(value)))
    return tuple(fields)


def error_response(exc: BaseException) -> ErrorResponse:
    return ErrorResponse(error_fields(exc))


def notice(message: str, *, sqlstate: str = "00000", severity: str = "NOTICE",
           detail: str | None = None, hint: str | None = None) -> NoticeResponse:
    fields = [("S", severity), ("V", severity), ("C", sqlstate), ("M", message)]
    if detail:
        fields.append(("D", detail))
    if hint:
        fields.append(("H", hint))
    return NoticeResponse(tuple(fields))
