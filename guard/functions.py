"""Functions no role may call by default, by name (globs), with why and what to do instead.

Names are matched case-insensitively on the function's own name, whatever schema qualifies it
or however it is quoted. sqlglot turns some into classes (READ_CSV -> exp.ReadCSV); their SQL
names are matched too.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import lru_cache

from sqlglot import exp

# pattern -> (category, what to do instead)
HOST_ACCESS = "reads or writes files or the network of the server"
SIDE_EFFECT = "has side effects on the server or other sessions"
EXEC_STRING = "runs SQL given as a string, out of the guard's sight"
SECRETS = "exposes credentials or server configuration"

DENIED_FUNCTIONS: dict[str, tuple[str, str]] = {
    # PostgreSQL host access
    "pg_read_file": (HOST_ACCESS, "load the data into a table and query it"),
    "pg_read_binary_file": (HOST_ACCESS, "load the data into a table and query it"),
    "pg_ls_*": (HOST_ACCESS, "ask an administrator"),
    "pg_stat_file": (HOST_ACCESS, "ask an administrator"),
    "pg_file_*": (HOST_ACCESS, "ask an administrator"),
    "pg_current_logfile": (HOST_ACCESS, "ask an administrator"),
    "lo_*": (HOST_ACCESS, "store binary data in a bytea column"),
    "dblink*": (HOST_ACCESS, "query the other database directly"),
    # PostgreSQL side effects
    "pg_sleep*": (SIDE_EFFECT, "remove the delay"),
    "set_config": (SIDE_EFFECT, "use SET for the allowed session settings"),
    "pg_terminate_backend": (SIDE_EFFECT, "ask an administrator"),
    "pg_cancel_backend": (SIDE_EFFECT, "cancel your own query from your client"),
    "pg_reload_conf": (SIDE_EFFECT, "ask an administrator"),
    "pg_rotate_logfile": (SIDE_EFFECT, "ask an administrator"),
    "pg_promote": (SIDE_EFFECT, "ask an administrator"),
    "pg_switch_wal": (SIDE_EFFECT, "ask an administrator"),
    "pg_create_*": (SIDE_EFFECT, "ask an administrator"),
    "pg_drop_*": (SIDE_EFFECT, "ask an administrator"),
    "pg_backup_*": (SIDE_EFFECT, "ask an administrator"),
    "pg_stat_reset*": (SIDE_EFFECT, "ask an administrator"),
    "pg_logical_*": (SIDE_EFFECT, "ask an administrator"),
    "pg_replication_*": (SIDE_EFFECT, "ask an administrator"),
    "pg_advisory_[!u]*": (SIDE_EFFECT, "avoid server-side locks"),  # unlock(_all): nothing to release
    "pg_advisory_unlock_shared": (SIDE_EFFECT, "avoid server-side locks"),
    "pg_try_advisory*": (SIDE_EFFECT, "avoid server-side locks"),
    "pg_notify": (SIDE_EFFECT, "NOTIFY is not supported by askgres"),
    "nextval": (SIDE_EFFECT, "let the table's default assign ids"),
    "setval": (SIDE_EFFECT, "ask an administrator"),
    "next_value_for": (SIDE_EFFECT, "let the table's default assign ids"),
    # SQL in strings
    "query": (EXEC_STRING, "write the query itself"),
    "query_table": (EXEC_STRING, "name the table in FROM"),
    "*_to_xml*": (EXEC_STRING, "select the rows and format them in the client"),
    "*_to_xmlschema": (EXEC_STRING, "select from information_schema.columns"),
    # DuckDB file and network access
    "read_*": (HOST_ACCESS, "query tables that askgres serves (askgres serve --data DIR)"),
    "parquet_*": (HOST_ACCESS, "query tables that askgres serves"),
    "*_scan": (HOST_ACCESS, "query tables that askgres serves"),
    "*_attach": (HOST_ACCESS, "query tables that askgres serves"),
    "glob": (HOST_ACCESS, "list tables with \\dt or information_schema.tables"),
    "sniff_csv": (HOST_ACCESS, "query tables that askgres serves"),
    "st_read": (HOST_ACCESS, "query tables that askgres serves"),
    "http_*": (HOST_ACCESS, "fetch the data outside askgres and load it"),
    "load_aws_credentials": (SECRETS, "ask an administrator"),
    "duckdb_secrets": (SECRETS, "ask an administrator"),
    "which_secret": (SECRETS, "ask an administrator"),
    "duckdb_databases": (SECRETS, "use \\l or pg_database"),
    "duckdb_temporary_files": (SECRETS, "ask an administrator"),
    "pragma_database_list": (SECRETS, "use \\l or pg_database"),
    "getenv": (SECRETS, "ask an administrator"),
    "checkpoint": (SIDE_EFFECT, "ask an administrator"),
    "force_checkpoint": (SIDE_EFFECT, "ask an administrator"),
    "install_extension": (HOST_ACCESS, "ask an administrator"),
    "load_extension": (HOST_ACCESS, "ask an administrator"),
    "export_database": (HOST_ACCESS, "use COPY ... TO STDOUT"),
    "import_database": (HOST_ACCESS, "use COPY ... FROM STDIN"),
    "write_*": (HOST_ACCESS, "use COPY ... TO STDOUT"),
}

# Patterns in allow_functions can lift these only for admins.
_HOST_LEVEL = frozenset(p for p, (cat, _) in DENIED_FUNCTIONS.items() if cat in (HOST_ACCESS, EXEC_STRING, SECRETS))


@lru_cache(maxsize=4096)
def class_names(cls: type) -> tuple[str, ...]:
    """sqlglot's lower-case names of a function class (computed from the class name each time
    sqlglot is asked, so asked once here)."""
    return tuple(n.lower() for n in cls.sql_names())


def function_name(func: exp.Func) -> str:
    """The lower-case name a call is written or known by (sql_name() for sqlglot's classes)."""
    return func.name.lower() if isinstance(func, exp.Anonymous) else class_names(type(func))[0]


def function_names(func: exp.Func) -> list[str]:
    """Every lower-case name `func` may be called by: its written name, and sqlglot's names for
    a recognised function (READ_CSV for exp.ReadCSV). A set_config call that is a SET in
    disguise (settings_select) is no function call to check: it has none."""
    if isinstance(func, exp.Anonymous):
        name = func.name.lower()
        if name == "set_config" and _is_settings_call(func):
            return []
        return [name]
    names = list(class_names(type(func)))
    meta_name = func.meta_get("name")  # meta_get: reading .meta would allocate a dict per node
    if meta_name:
        names.append(str(meta_name).lower())
    return names


@lru_cache(maxsize=8192)
def denied_function(name: str, deny_extra: tuple[str, ...], allow: tuple[str, ...],
                    admin: bool) -> tuple[str, str] | None:
    """(why, instead) when `name` is denied to the role, else None."""
    for pattern in deny_extra:
        if fnmatchcase(name, pattern):
            return ("is denied to this role", "ask an administrator")
    for pattern, verdict in DENIED_FUNCTIONS.items():
        if fnmatchcase(name, pattern):
            lifted = any(fnmatchcase(name, a) for a in allow)
            if lifted and (admin or pattern not in _HOST_LEVEL):
                return None
            return verdict
    return None


# ------------------------------------------------------------------ set_config as SET

# Session settings set_config() may change: those a client may SET (rules.SETTABLE) that the
# proxy keeps itself (askgres.proxy.settings.GUCS); tests check both.
SET_CONFIG_SETTINGS = frozenset({
    "application_name", "client_encoding", "datestyle", "intervalstyle", "extra_float_digits",
    "search_path", "timezone", "statement_timeout", "lock_timeout",
    "idle_in_transaction_session_timeout", "client_min_messages", "standard_conforming_strings",
    "bytea_output", "default_transaction_isolation", "default_transaction_read_only",
    "transaction_isolation", "transaction_read_only", "lc_messages", "lc_monetary", "lc_numeric",
    "lc_time", "jit", "synchronous_commit", "row_security", "askgres.engine",
})


@dataclass(frozen=True)
class SettingCall:
    """One output column of a settings_select: current_setting(name) or
    set_config(name, value, is_local)."""

    column: str
    function: str          # "current_setting" or "set_config"
    setting: str           # lower-case name
    value: str | None = None
    is_local: bool = False
    missing_ok: bool = False


def _text(node: exp.Expr) -> str | None:
    return node.name if isinstance(node, exp.Literal) and node.is_string else None


def _setting_call(item: exp.Expr) -> SettingCall | None:
    alias = item.alias if isinstance(item, exp.Alias) else ""
    call = item.this if isinstance(item, exp.Alias) else item
    if isinstance(call, exp.Dot) and call.this.name.lower() == "pg_catalog":
        call = call.expression  # pg_catalog.set_config(...)
    if not isinstance(call, exp.Anonymous):
        return None
    function, args = call.name.lower(), call.expressions
    name = _text(args[0]) if args else None
    if name is None:
        return None
    if function == "current_setting" and len(args) in (1, 2):
        missing_ok = len(args) == 2 and isinstance(args[1], exp.Boolean) and args[1].this
        if len(args) == 2 and not isinstance(args[1], exp.Boolean):
            return None
        return SettingCall(alias or function, function, name.lower(), missing_ok=bool(missing_ok))
    if function == "set_config" and len(args) == 3:
        value, local = _text(args[1]), args[2]
        if value is None or not isinstance(local, exp.Boolean) or \
                name.lower() not in SET_CONFIG_SETTINGS:
            return None
        return SettingCall(alias or function, function, name.lower(), value, bool(local.this))
    return None


def settings_select(stmt: exp.Expr) -> list[SettingCall] | None:
    """The calls of `SELECT set_config('name', 'value', false) [, current_setting('name')] ...`:
    a FROM-less SELECT whose every column is set_config or current_setting with constant
    arguments, and that calls set_config on a setting of SET_CONFIG_SETTINGS. That statement is
    a SET written as a query (asyncpg sends one before its type introspection): the proxy answers
    it from its own settings, left to right, and it never reaches an engine. None otherwise."""
    if not isinstance(stmt, exp.Select) or stmt.parent is not None:
        return None
    calls = []
    for item in stmt.expressions:  # first, as it settles most statements (SELECT 1) at once
        call = _setting_call(item)
        if call is None:
            return None
        calls.append(call)
    if not any(c.function == "set_config" for c in calls):
        return None
    if any(v for k, v in stmt.args.items() if k not in ("expressions", "limit")):
        return None
    limit = stmt.args.get("limit")  # the guard's own row limit may have been added
    if limit is not None and not (isinstance(limit, exp.Limit) and limit.expression.is_int
                                  and int(limit.expression.name) > 0):
        return None
    return calls


def _is_settings_call(func: exp.Anonymous) -> bool:
    item = func.parent if isinstance(func.parent, exp.Dot) else func
    item = item.parent if isinstance(item.parent, exp.Alias) else item
    return isinstance(item.parent, exp.Select) and item.arg_key == "expressions" and \
        settings_select(item.parent) is not None
