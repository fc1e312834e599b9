"""[guard] settings: one Policy per role, users assigned to roles, a default role.

Object patterns are dotted `schema[.table[.column]]` names with shell-style globs (`*`, `?`),
matched case-insensitively against the names a client sees (an unqualified table is in the
session's first search_path schema, `public` by default). A pattern covers everything below it:
`sales` covers every table and column of schema sales, `public.customers.ssn` one column.
"""

from __future__ import annotations

from enum import Enum
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class StatementKind(str, Enum):
    """What a role may run, each level including the ones before it."""

    READ = "read"    # SELECT, SHOW, EXPLAIN, cursors over SELECT, COPY ... TO STDOUT
    DML = "dml"      # + INSERT, UPDATE, DELETE, MERGE, COPY ... FROM STDIN, SELECT INTO, CALL
    DDL = "ddl"      # + CREATE, ALTER, DROP, TRUNCATE, COMMENT
    ADMIN = "admin"  # + GRANT/REVOKE, VACUUM, ANALYZE, unknown commands, engine settings

    @property
    def level(self) -> int:
        return _LEVELS[self]


_LEVELS = {StatementKind.READ: 0, StatementKind.DML: 1, StatementKind.DDL: 2,
           StatementKind.ADMIN: 3}


class AccessList(BaseModel):
    """Allow and deny patterns; an object is permitted when some allow pattern covers it and
    no deny pattern does."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    allow: tuple[str, ...] = Field(("*",), description="Patterns (schema[.table[.column]], globs allowed) the role may use; ('*',) allows every schema.")
    deny: tuple[str, ...] = Field((), description="Patterns the role may never use, even when an allow pattern covers them.")


MaskMethod = Literal["hash", "redact"]


class Policy(BaseModel):
    """What one role may do. Defaults are a safe read-only analyst."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field("default", description="Role name, as used in [guard.users] and in the audit log.")
    statements: StatementKind = Field(StatementKind.READ, description="Statement kinds the role may run: read, dml (read + INSERT/UPDATE/DELETE), ddl (+ CREATE/ALTER/DROP), admin (everything the guard can parse).")
    read: AccessList = Field(default_factory=AccessList, description="Schemas, tables and columns the role may read.")
    write: AccessList = Field(default_factory=AccessList, description="Schemas, tables and columns the role may write (INSERT/UPDATE/DELETE/COPY FROM/DDL), on top of `statements`.")
    catalog_readable: bool = Field(True, description="pg_catalog and information_schema stay readable (clients introspect them), except relations that hold data values such as pg_stats.")
    deny_functions: tuple[str, ...] = Field((), description="Further function names (globs allowed, case-insensitive) refused on top of the built-in side-effect and host-access list.")
    allow_functions: tuple[str, ...] = Field((), description="Function names taken off the built-in denied list for this role (e.g. 'nextval' for a loader role). Host-access functions stay denied unless statements = admin.")
    masked_columns: dict[str, MaskMethod] = Field(default_factory=dict, description="Column patterns (schema.table.column, or a bare column name matching that column in every table) returned masked: 'hash' (salted SHA-256 hex) or 'redact' (a constant).")
    mask_detected_pii: MaskMethod | None = Field("hash", description="How columns found to hold PII (by name or sampled values, see detect_pii) are masked for this role; None shows them.")
    unmasked_columns: tuple[str, ...] = Field((), description="Column patterns this role sees in clear even when masked by name or detection.")
    masked_predicates: Literal["deny", "allow"] = Field("deny", description="Whether masked columns may appear in WHERE/JOIN/HAVING predicates ('deny' stops LIKE and equality probing of the hidden values).")
    max_rows: int | None = Field(None, ge=1, description="Most rows a query returns: a LIMIT is injected, or a larger one clamped. None: unlimited.")
    statement_timeout_ms: int | None = Field(60_000, ge=1, description="Statement timeout the proxy enforces for this role (57014 when exceeded). None: no limit.")
    max_cross_join_rows: int = Field(10_000_000, ge=1, description="Most rows (product of estimated table sizes) a join without a join condition may produce (54000 beyond).")
    max_recursion_depth: int = Field(1_000, ge=1, description="Recursive CTEs are bounded to this many iterations (a depth counter is injected).")
    max_series_rows: int = Field(10_000_000, ge=1, description="Most rows generate_series/range may produce when its bounds are literals (54000 beyond).")
    max_statement_bytes: int = Field(1_000_000, ge=1, description="Longer statements are refused (54000) before parsing.")
    second_opinion: Literal["off", "log", "block"] = Field("off", description="Model second opinion on SQL generated from -- ask: (does it answer the question, does it do anything else?): off; log its verdict (OK / WRONG / UNSAFE) in the audit log; or block the answer with 42501 when the model objects. Costs one model call per new question. Defaults to [guard] second_opinion.")

    @model_validator(mode="after")
    def _lowercase(self) -> Policy:
        object.__setattr__(self, "deny_functions", tuple(f.lower() for f in self.deny_functions))
        object.__setattr__(self, "allow_functions", tuple(f.lower() for f in self.allow_functions))
        return self

    @cached_property
    def fingerprint(self) -> str:
        """Identifies the policy's content in verdict cache keys."""
        return self.model_dump_json()

    def read_only(self) -> Policy:
        """This policy held to reads (what generated SQL is checked against)."""
        if self.statements == StatementKind.READ:
            return self
        return self.model_copy(update={"statements": StatementKind.READ})


# The role of users when no [guard.roles] are configured: askgres then behaves like a fresh
# local PostgreSQL for its owner, while host access, side-effect functions and the read-only
# rule for generated SQL still hold.
LOCAL_OWNER = Policy(name="default", statements=StatementKind.DDL, max_rows=None, statement_timeout_ms=None,
                     mask_detected_pii=None)  # the owner sees the data, as in PostgreSQL


class GuardConfig(BaseModel):
    """The [guard] section."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    enabled: bool = Field(True, description="Check every statement; turning it off admits everything that parses (development only).")
    roles: dict[str, Policy] = Field(default_factory=lambda: {"default": LOCAL_OWNER}, description="Policies by role name ([guard.roles.<name>] tables). Without any, every user gets the local owner's role: DDL and DML allowed, host access and side-effect functions still denied, no row limit (like the owner of a fresh local PostgreSQL). Questions (-- ask:) are always held to read-only.")
    users: dict[str, str] = Field(default_factory=dict, description="Role of each user name; users not listed get default_role.")
    default_role: str = Field("default", description="Role of users not listed in `users`.")
    hash_salt: str = Field("", description="Secret mixed into hashed masked values so they cannot be matched against hashes of guessed values; set it in production.")
    pii_detection: bool = Field(True, description="Let the proxy sample text columns and mask those detect_pii recognises (emails, phones, card numbers, national ids).")
    pii_sample_rows: int = Field(50, ge=1, description="Values sampled per column for PII detection.")
    cache_size: int = Field(4096, ge=0, description="Verdicts kept in the server's in-memory cache (keyed by statement, policy, source and catalog), and as many query shapes (a statement with its filter values set aside: new values reuse the verdict).")
    audit_log: str | None = Field(None, description="Path of the JSON-lines audit log the proxy writes, one record per statement (see audit_record); None writes no log.")
    second_opinion: Literal["off", "log", "block"] = Field("off", description="Model second opinion on SQL generated from -- ask:, for every role that does not set its own: off (default: it costs one model call per new question, and the small local model also objects to some right queries), log (its verdict goes to the audit log), block (the answer is refused with 42501, rule second_opinion, when the model finds the SQL wrong or doing something else).")

    @model_validator(mode="after")
    def _roles_exist(self) -> GuardConfig:
        for role in {self.default_role, *self.users.values()}:
            if role not in self.roles:
                raise ValueError(f"role {role!r} is assigned but not defined in [guard.roles]")
        for name, policy in list(self.roles.items()):
            if "second_opinion" not in policy.model_fields_set and policy.second_opinion != self.second_opinion:
                policy = self.roles[name] = policy.model_copy(update={"second_opinion": self.second_opinion})
            if policy.name != name:
                # the table key is the role name; keep the model's name in step with it
                object.__setattr__(policy, "name", name)
        return self

    def role_of(self, user: str) -> str:
        return self.users.get(user, self.default_role)

    def policy_for(self, user: str) -> Policy:
        """The policy of `user` (the default role's when the user is not listed)."""
        return self.roles[self.role_of(user)]
