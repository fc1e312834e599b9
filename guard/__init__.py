"""The guard: every statement, typed or generated, is parsed and checked before an engine sees it.

    from askgres.guard import check, GuardError
    statements = check(sql, policy, source="typed")   # approved (possibly rewritten) ASTs

The guard does no I/O; the proxy writes the audit records it builds with audit_record().
"""

from .check import check
from .config import AccessList, GuardConfig, Policy, StatementKind
from .dialect import (
    AskgresPostgres, Call, CloseCursor, Deallocate, DeclareCursor, Discard, ExecuteStatement,
    Explain, Fetch, FetchCursor, Listen, Notify, PrepareStatement, ReleaseSavepoint, Reset,
    Savepoint, Unlisten, setting_name,
)
from .errors import GuardError, GuardSyntaxError, LimitExceeded, PolicyViolation

__all__ = [
    "check", "GuardError", "GuardSyntaxError", "PolicyViolation", "LimitExceeded",
    "GuardConfig", "Policy", "AccessList", "StatementKind",
    "AskgresPostgres", "setting_name",
    "Reset", "Discard", "Savepoint", "ReleaseSavepoint", "DeclareCursor", "Fetch", "FetchCursor",
    "CloseCursor", "Call", "Explain", "PrepareStatement", "ExecuteStatement", "Deallocate",
    "Listen", "Unlisten", "Notify",
]
