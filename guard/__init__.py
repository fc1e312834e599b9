"""The guard: every statement, typed or generated, is parsed and checked before an engine sees it.

    from askgres.guard import check, GuardError, Catalog
    statements = check(sql, policy, source="typed", schema=Catalog(...))  # approved ASTs

The guard does no I/O; the proxy writes the audit records built by audit_record().
"""

from .audit import audit_record
from .check import META_KEY, SecondOpinion, Verdict, VerdictCache, check
from .config import AccessList, GuardConfig, Policy, StatementKind
from .context import Catalog
from .dialect import (
    AskgresPostgres, Call, CloseCursor, Deallocate, DeclareCursor, Discard, ExecuteStatement,
    Explain, Fetch, FetchCursor, Listen, Notify, PrepareStatement, ReleaseSavepoint, Reset,
    Savepoint, Unlisten, setting_name,
)
from .errors import GuardError, GuardSyntaxError, LimitExceeded, PolicyViolation
from .kinds import statement_kind
from .parse import parse
from .pii import detect_pii
from .rules import RULES

__all__ = [
    "check", "parse", "RULES", "statement_kind", "detect_pii", "audit_record",
    "Verdict", "SecondOpinion", "VerdictCache", "META_KEY", "Catalog",
    "GuardError", "GuardSyntaxError", "PolicyViolation", "LimitExceeded",
    "GuardConfig", "Policy", "AccessList", "StatementKind",
    "AskgresPostgres", "setting_name",
    "Reset", "Discard", "Savepoint", "ReleaseSavepoint", "DeclareCursor", "Fetch", "FetchCursor",
    "CloseCursor", "Call", "Explain", "PrepareStatement", "ExecuteStatement", "Deallocate",
    "Listen", "Unlisten", "Notify",
]
