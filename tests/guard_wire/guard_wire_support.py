"""Support for the guard wire tests: a real askgres server with guard roles, reached by a real client (psycopg 3).

Each test module gets its own server (module-scoped fixture `guarded`): the demo data plus a few
objects the attack cases need (customers.ssn/phone, orders.note holding e-mails, hr.salaries,
audit, views over customers), loaded by the owner before any test runs.

Users and roles (users not listed get the `owner` role, like the owner of a local PostgreSQL):
    askgres -> owner    DDL and DML, no masking (sets up the data, checks the proofs)
    alice   -> analyst  read only, an allow list, e-mail hashed, phone redacted, short timeout
    bob     -> loader   read and DML on public except public.audit
    sam     -> sales    read only: orders and the id/name of customers
    root    -> admin    everything the guard admits (host access still refused)
    eve     -> explorer read only, everything but a deny list, e-mail hashed
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
import yaml


def _root_conftest():
    """tests/conftest.py (both files are named conftest, so load it by path)."""
    import importlib.util
    import sys

    path = Path(__file__).resolve().parents[1] / "conftest.py"
    spec = importlib.util.spec_from_file_location("askgres_tests_root_conftest", path)
    if spec.name in sys.modules:
        return sys.modules[spec.name]
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


start_askgres, stop_askgres = _root_conftest().start_askgres, _root_conftest().stop_askgres

ATTACKS_YAML = Path(__file__).resolve().parents[1] / "unit" / "guard" / "fixtures" / "attacks.yaml"

ANALYST_TIMEOUT_MS = 1500
ANALYST_MAX_RECURSION = 100

ROLES = {
    "owner": {"statements": "ddl", "statement_timeout_ms": 30000, "unmasked_columns": ["*"]},
    "analyst": {
        "statements": "read",
        "read": {"allow": ["public.customers", "public.orders", "public.order_items", "public.products",
                           "public.customer_emails", "public.leaky", "public.audit"],
                 "deny": ["hr", "public.customers.ssn"]},
        "masked_columns": {"public.customers.email": "hash", "phone": "redact"},
        "max_rows": 1000,
        "max_cross_join_rows": 1000000,
        "max_series_rows": 1000000,
        "max_recursion_depth": ANALYST_MAX_RECURSION,
        "statement_timeout_ms": ANALYST_TIMEOUT_MS,
    },
    "loader": {"statements": "dml", "write": {"allow": ["public"], "deny": ["public.audit"]},
               "allow_functions": ["nextval"]},
    "sales": {"statements": "read",
              "read": {"allow": ["public.orders", "public.customers.id", "public.customers.name"]}},
    "admin": {"statements": "admin"},
    # like analyst, but allowed everything but a deny list (as in tests/unit/guard/fixtures/guard.yaml)
    "explorer": {"statements": "read", "read": {"allow": ["*"], "deny": ["hr", "public.customers.ssn"]},
                 "masked_columns": {"public.customers.email": "hash"}},
}
USERS = {"alice": "analyst", "bob": "loader", "sam": "sales", "root": "admin", "eve": "explorer"}
OWNER, ANALYST, LOADER, SALES, ADMIN, EXPLORER = "askgres", "alice", "bob", "sam", "root", "eve"
EVERY_USER = (OWNER, ANALYST, LOADER, SALES, ADMIN)  # one of each statement kind and access list
# attacks.yaml names the roles of tests/unit/guard/fixtures/guard.yaml; the user playing each here
USER_OF_ROLE = {"analyst": "alice", "writer": "bob", "sales": "sam", "admin": "root", "owner": "askgres"}
HASH_SALT = "wire-pepper"


def slow_allowed_join(alias: str = "m") -> str:
    """A statement the analyst's guard admits (every join has a condition, so limit_cross_joins
    passes) but that works far longer than ANALYST_TIMEOUT_MS: the `<>` conditions keep about
    2e9 of the 200 x 2000 x 4913 combinations, a nested-loop join (about 20 s on 2 cores)."""
    return (f"SELECT max(a.id * b.id * c.order_id) AS {alias} FROM customers a "
            "JOIN orders b ON a.id <> b.customer_id JOIN order_items c ON b.id <> c.order_id")

SETUP_SQL = (
    "ALTER TABLE customers ADD COLUMN ssn VARCHAR",
    "ALTER TABLE customers ADD COLUMN phone VARCHAR",
    "UPDATE customers SET ssn = '123-45-' || lpad(CAST(id AS VARCHAR), 4, '0'), phone = '+47 912 34 ' || id",
    "ALTER TABLE orders ADD COLUMN note VARCHAR",
    "UPDATE orders SET note = (SELECT c.email FROM customers c WHERE c.id = orders.customer_id)",
    "CREATE SCHEMA hr",
    "CREATE TABLE hr.salaries (employee VARCHAR, salary INTEGER)",
    "INSERT INTO hr.salaries VALUES ('Ada Lovelace', 123456), ('Ben Okafor', 98765)",
    "CREATE TABLE audit (id INTEGER, event VARCHAR)",
    "INSERT INTO audit VALUES (1, 'created'), (2, 'updated')",
    "CREATE VIEW leaky AS SELECT id, ssn FROM customers",
    "CREATE VIEW customer_emails AS SELECT id, email FROM customers",
    "CREATE VIEW order_summary AS SELECT customer_id, count(*) AS n FROM orders GROUP BY customer_id",
)


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a TOML basic string uses JSON's escapes
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"no TOML form for {value!r}")


def config_toml(audit_log: Path) -> str:
    lines = ["[duckdb]", "threads = 2", "",
             "[guard]", 'default_role = "owner"', f"hash_salt = {_toml_value(HASH_SALT)}",
             f"audit_log = {_toml_value(str(audit_log))}", "", "[guard.users]"]
    lines += [f"{user} = {_toml_value(role)}" for user, role in USERS.items()]
    for role, settings in ROLES.items():
        lines += ["", f"[guard.roles.{role}]"]
        lines += [f"{key} = {_toml_value(value)}" for key, value in settings.items()]
    return "\n".join(lines) + "\n"


def load_attacks() -> dict:
    return yaml.safe_load(ATTACKS_YAML.read_text())


RULE_IN_MESSAGE = re.compile(r"\(rule (\w+)\)")


@dataclass
class GuardedServer:
    server: object
    audit_log: Path
    emails: list[str] = field(default_factory=list)
    ssns: list[str] = field(default_factory=list)
    _owner: psycopg.Connection | None = None

    def connect(self, user: str = "askgres") -> psycopg.Connection:
        con = psycopg.connect(f"host={self.server.host} port={self.server.port} user={user} dbname=askgres",
                              autocommit=True, connect_timeout=10)
        con.notices = []
        con.add_notice_handler(lambda d, c=con: c.notices.append(d.message_primary))
        return con

    @property
    def owner(self) -> psycopg.Connection:
        """The owner's connection, for checking what an attack left behind."""
        if self._owner is None or self._owner.closed:
            self._owner = self.connect("askgres")
        return self._owner

    def scalar(self, sql: str):
        return self.owner.execute(sql).fetchone()[0]

    def table_exists(self, name: str) -> bool:
        schema, _, table = name.rpartition(".")
        return bool(self.owner.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = %s AND table_name = %s",
            [schema or "public", table]).fetchone()[0])

    def audit_records(self) -> list[dict]:
        if not self.audit_log.exists():
            return []
        return [json.loads(line) for line in self.audit_log.read_text().splitlines() if line.strip()]

    def wait_for_audit(self, predicate, count: int = 1, timeout: float = 5.0) -> list[dict]:
        """Audit records matching predicate, once at least `count` of them are written (results'
        lines are written when their rows are finished, which may trail the client a little)."""
        deadline = time.monotonic() + timeout
        while True:
            found = [r for r in self.audit_records() if predicate(r)]
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.02)


def leaked(text: str, secrets: list[str]) -> list[str]:
    """The secrets (or e-mail local parts with their @) that appear in text."""
    low = text.lower()
    out = [s for s in secrets if s.lower() in low]
    out += [s for s in secrets if "@" in s and s.split("@")[0].lower() + "@" in low]
    return out


def refusal(con: psycopg.Connection, sql: str, params=None, **kwargs) -> psycopg.Error:
    """Run sql, expect an ErrorResponse, and check the session survives it."""
    with pytest.raises(psycopg.Error) as info:
        cur = con.execute(sql, params, **kwargs)
        if cur.description:
            cur.fetchall()
    assert con.execute("SELECT 1").fetchone() == (1,), "the session did not survive the refusal"
    return info.value


def rule_named(error: psycopg.Error) -> str | None:
    found = RULE_IN_MESSAGE.search(error.diag.message_primary or "")
    return found.group(1) if found else None


def assert_refused(con, sql, sqlstate="42501", rule=None, params=None) -> psycopg.Error:
    """refusal() with its SQLSTATE and the rule the message names (a str, or a tuple of acceptable ones)."""
    error = refusal(con, sql, params)
    assert error.diag.sqlstate == sqlstate, error.diag.message_primary
    if rule is not None:
        assert rule_named(error) in ((rule,) if isinstance(rule, str) else rule), error.diag.message_primary
    return error
