"""The rules: small functions over one statement's AST, listed in RULES and run in order.

    Rule = Callable[[exp.Expr, Policy, Context], exp.Expr | None]

A rule raises GuardError to refuse the statement, returns None to let it pass unchanged, or
returns a rewritten copy (masking, limits) that the following rules see. Each rule has allow
and deny fixtures in tests/unit/guard/fixtures/<rule name>/.
"""

from __future__ import annotations

from typing import Callable

from sqlglot import exp

from . import dialect as d
from .access import column_refs, read_tables, star_refs, table_ref, write_tables
from .config import Policy, StatementKind
from .context import Context, covers, touches
from .errors import PolicyViolation
from .functions import denied_function, function_names
from .kinds import statement_kind
from .limits import bound_recursive_ctes, limit_cross_joins, limit_result_rows, limit_series
from .masking import mask_pii_columns

Rule = Callable[[exp.Expr, Policy, Context], "exp.Expr | None"]


def _deny(rule: str, message: str, hint: str | None = None) -> PolicyViolation:
    return PolicyViolation(f"permission denied: {message} (rule {rule})", rule=rule, hint=hint)


# ------------------------------------------------------------------ statement kinds


def allow_statement_kinds(stmt: exp.Expr, policy: Policy, ctx: Context) -> None:
    kind, why = statement_kind(stmt, ctx.index(stmt))
    allowed = policy.statements
    if ctx.source == "ask":
        allowed = StatementKind.READ   # generated SQL is always held to reads
    if kind.level > allowed.level:
        who = "generated SQL" if ctx.source == "ask" else f"role {policy.name}"
        raise _deny("allow_statement_kinds",
                    f"{why}; {who} may only run {allowed.value} statements",
                    hint="Run a read-only query, or ask an administrator for a role that "
                         f"allows {kind.value} statements.")


# ------------------------------------------------------------------ host access

_HOST_COMMANDS = {"ATTACH", "DETACH", "INSTALL", "FORCE", "LOAD", "EXPORT", "IMPORT", "UNLOAD"}
_FILE_NAME_CHARS = set("/\\:~*?")
_FILE_SUFFIXES = (".csv", ".tsv", ".parquet", ".json", ".jsonl", ".ndjson", ".txt", ".gz",
                  ".zst", ".xlsx", ".db", ".duckdb", ".sqlite", ".arrow")


def deny_host_access(stmt: exp.Expr, policy: Policy, ctx: Context) -> None:
    rule = "deny_host_access"
    if isinstance(stmt, exp.Copy):
        for target in stmt.args.get("files") or []:
            name = target.name.upper()
            if name not in ("STDIN", "STDOUT") or target.is_string or \
                    isinstance(target, exp.Literal):
                raise _deny(rule, "COPY to or from a server file or program is not allowed",
                            hint="Use COPY ... TO STDOUT or COPY ... FROM STDIN (psql: \\copy).")
    if isinstance(stmt, exp.Command) and stmt.name.upper() in _HOST_COMMANDS:
        raise _deny(rule, f"{stmt.name.upper()} is not allowed: it reaches the server's files, "
                          "network or extensions", hint="Query the tables askgres serves.")
    if isinstance(stmt, (exp.Pragma, exp.Attach, exp.Detach, exp.Install)):
        raise _deny(rule, f"{type(stmt).__name__.upper()} is not allowed",
                    hint="Query the tables askgres serves.")
    for table in ctx.index(stmt).find_all(exp.Table):
        if not isinstance(table.this, exp.Identifier):
            continue
        name = table.name
        if _FILE_NAME_CHARS & set(name) or name.lower().endswith(_FILE_SUFFIXES):
            raise _deny(rule, f'"{name}" looks like a file or URL, and scanning files as '
                              "tables is not allowed", hint="Query the tables askgres serves.")


# ------------------------------------------------------------------ functions


def deny_side_effect_functions(stmt: exp.Expr, policy: Policy, ctx: Context) -> None:
    funcs = ctx.index(stmt).find_all(exp.Func)
    if not funcs:
        return
    admin = policy.statements == StatementKind.ADMIN and ctx.source != "ask"
    deny, allow = policy.deny_functions, policy.allow_functions
    passed: set[str] = set()   # names already found allowed in this statement (AND, CASE, ...)
    for func in funcs:
        for name in function_names(func):
            if name in passed:
                continue
            verdict = denied_function(name, deny, allow, admin)
            passed.add(name)
            if verdict:
                why, instead = verdict
                raise _deny("deny_side_effect_functions",
                            f"function {name} is not allowed: it {why}", hint=f"Instead, {instead}.")


# ------------------------------------------------------------------ session settings

# Settings clients and users may SET; everything else (DuckDB's engine settings such as
# enable_external_access or allowed_directories, role switching) needs an admin role.
SETTABLE = frozenset({
    "application_name", "client_encoding", "datestyle", "intervalstyle", "extra_float_digits",
    "search_path", "timezone", "statement_timeout", "lock_timeout",
    "idle_in_transaction_session_timeout", "client_min_messages", "standard_conforming_strings",
    "bytea_output", "default_transaction_isolation", "default_transaction_read_only",
    "default_transaction_deferrable", "transaction_isolation", "transaction_read_only",
    "transaction_deferrable", "escape_string_warning", "lc_messages", "lc_monetary",
    "lc_numeric", "lc_time", "jit", "geqo", "synchronous_commit", "xmloption", "work_mem",
    "max_parallel_workers_per_gather", "row_security", "array_nulls", "backslash_quote",
    "quote_all_identifiers", "default_with_oids", "enable_seqscan", "enable_indexscan",
    "enable_bitmapscan", "enable_hashjoin", "enable_mergejoin", "enable_nestloop",
    "askgres.engine", "askgres.explain",
})
# Never settable through askgres, whatever the role: they unlock the host.
LOCKED = frozenset({
    "enable_external_access", "allowed_directories", "allowed_paths", "lock_configuration",
    "autoinstall_known_extensions", "autoload_known_extensions", "allow_community_extensions",
    "allow_unsigned_extensions", "extension_directory", "custom_extension_repository",
    "home_directory", "temp_directory", "secret_directory", "allow_persistent_secrets",
    "enable_http_metadata_cache", "enable_fsst_vectors", "http_proxy", "http_proxy_username",
    "http_proxy_password", "s3_access_key_id", "s3_secret_access_key", "s3_endpoint",
    "session_authorization", "role", "askgres.role",
})


def allow_session_settings(stmt: exp.Expr, policy: Policy, ctx: Context) -> None:
    if not isinstance(stmt, (exp.Set, d.Reset)):
        return
    items = stmt.expressions if isinstance(stmt, exp.Set) else [stmt]
    for item in items:
        name = d.setting_name(item)
        if not name:
            raise _deny("allow_session_settings", "this SET form is not supported")
        if name == "all":
            continue   # RESET ALL only returns to defaults
        if name in LOCKED or name.startswith(("s3_", "http_", "azure_", "gcs_")):
            raise _deny("allow_session_settings", f"setting {name} cannot be changed through "
                        "askgres", hint="Engine access settings are fixed by the server's "
                        "configuration.")
        if name not in SETTABLE and policy.statements != StatementKind.ADMIN:
            raise _deny("allow_session_settings", f"setting {name} cannot be changed by role "
                        f"{policy.name}", hint="Only client settings such as search_path, "
                        "timezone, datestyle or application_name can be set.")


# ------------------------------------------------------------------ objects

# Catalog relations that hold data values, credentials or other sessions' queries.
CATALOG_DATA = frozenset({
    "pg_statistic", "pg_stats", "pg_stats_ext", "pg_stats_ext_exprs", "pg_statistic_ext_data",
    "pg_authid", "pg_shadow", "pg_user_mapping", "pg_user_mappings", "pg_hba_file_rules",
    "pg_ident_file_mappings", "pg_file_settings", "pg_largeobject", "pg_stat_activity",
})


def _readable(policy: Policy, parts: tuple[str, ...]) -> bool:
    acl = policy.read
    if len(parts) == 2:   # a table: some allow pattern reaches it, no deny pattern covers it
        return any(touches(p, parts) for p in acl.allow) and not any(
            covers(p, parts) for p in acl.deny)
    return any(covers(p, parts) for p in acl.allow) and not any(covers(p, parts) for p in acl.deny)


def _has_column_patterns(policy: Policy) -> bool:
    return any(p.count(".") >= 2 for p in (*policy.read.allow, *policy.read.deny))


def _restricted_columns(policy: Policy, parts: tuple[str, str]) -> bool:
    """Whether column-level patterns limit the table (so `*` and row values need care)."""
    column_patterns = [p for p in policy.read.deny if len(p.split(".")) == 3]
    if any(touches(p, parts) for p in column_patterns):
        return True
    allows = policy.read.allow
    return any(len(p.split(".")) == 3 and touches(p, parts) for p in allows) and not any(
        len(p.split(".")) <= 2 and covers(p, parts) for p in allows)


def allow_read_objects(stmt: exp.Expr, policy: Policy, ctx: Context, _depth: int = 0) -> None:
    rule = "allow_read_objects"
    catalog = ctx.catalog
    hint = "Query only the schemas, tables and columns your role may read."
    for ref in read_tables(stmt, catalog, ctx.index(stmt)):
        if ref.is_system:
            if ref.table in CATALOG_DATA:
                raise _deny(rule, f"{ref.name} holds data values or credentials",
                            hint="Use pg_class/information_schema for structure.")
            if policy.catalog_readable:
                continue
        if not _readable(policy, ref.parts):
            raise _deny(rule, f"role {policy.name} may not read {ref.name}", hint=hint)
        view = catalog.views.get(ref.name)
        if view is not None and _depth < 8:
            from .parse import parse
            for inner in parse(view):
                try:
                    allow_read_objects(inner, policy, ctx, _depth + 1)
                except PolicyViolation as e:
                    inner_reason = e.message.removeprefix("permission denied: ").removesuffix(
                        f" (rule {rule})")
                    raise _deny(rule, f"view {ref.name} reads what role {policy.name} may "
                                f"not: {inner_reason}", hint=hint) from None
    if not _has_column_patterns(policy):
        # Without column-level patterns a column is readable exactly when its table is, and
        # every table a column can come from is a source of the statement, checked above.
        return
    for col in column_refs(stmt, catalog, ctx.index(stmt)):
        for table in col.tables:
            if table.is_system:
                continue
            if col.whole_row and _restricted_columns(policy, table.parts):
                raise _deny(rule, f"the row value of {table.name} includes columns role "
                            f"{policy.name} may not read", hint="Name the columns you need.")
            if not col.whole_row and not _readable(policy, (*table.parts, col.name)):
                raise _deny(rule, f"role {policy.name} may not read column "
                            f"{table.name}.{col.name}", hint=hint)
    for star, _, tables in star_refs(stmt, catalog, ctx.index(stmt)):
        for table in tables:
            if table.is_system or not _restricted_columns(policy, table.parts):
                continue
            columns = catalog.columns_of(table.name)
            denied = [c for c in columns or [] if not _readable(policy, (*table.parts, c.lower()))]
            if columns is None or denied:
                raise _deny(rule, f"* over {table.name} includes columns role {policy.name} may "
                            f"not read{': ' + ', '.join(denied) if denied else ''}",
                            hint="Name the columns you need instead of *.")


def allow_write_objects(stmt: exp.Expr, policy: Policy, ctx: Context) -> None:
    for ref in write_tables(stmt, ctx.catalog, ctx.index(stmt)):
        acl = policy.write
        if ref.is_system or not any(touches(p, ref.parts) for p in acl.allow) or any(
                covers(p, ref.parts) for p in acl.deny):
            raise _deny("allow_write_objects", f"role {policy.name} may not write {ref.name}",
                        hint="Write only to the tables your role may change.")


# ------------------------------------------------------------------ column-renaming tricks


def _restricts_columns(policy: Policy, ctx: Context) -> bool:
    return bool(policy.masked_columns or (policy.mask_detected_pii and ctx.catalog.pii)
                or policy.read.allow != ("*",) or any(p.count(".") >= 2 for p in policy.read.deny))


def deny_column_pattern_tricks(stmt: exp.Expr, policy: Policy, ctx: Context) -> None:
    """For roles whose columns are restricted or masked: DuckDB's COLUMNS(...), `* LIKE`,
    `* SIMILAR TO` and table-alias column lists (`customers AS c(a, b)`) pick or rename
    columns out of sight of the column rules, so they are refused; name the columns instead."""
    if policy.statements == StatementKind.ADMIN or not _restricts_columns(policy, ctx):
        return
    for node in ctx.index(stmt).find_all(exp.Columns, exp.Like, exp.SimilarTo, exp.ILike, exp.TableAlias):
        if isinstance(node, exp.Columns) or (isinstance(node, (exp.Like, exp.SimilarTo, exp.ILike))
                                             and isinstance(node.this, exp.Star)):
            raise _deny("deny_column_pattern_tricks",
                        "column patterns (COLUMNS(...), * LIKE, * SIMILAR TO) are not allowed for role "
                        f"{policy.name}", "Name the columns you need.")
        if isinstance(node, exp.TableAlias) and node.columns and isinstance(node.parent, exp.Table) \
                and isinstance(node.parent.this, exp.Identifier):
            raise _deny("deny_column_pattern_tricks",
                        f"renaming a table's columns in its alias is not allowed for role {policy.name}",
                        "Select the columns by name and alias each one (SELECT email AS e ...).")


RULES: tuple[Rule, ...] = (
    allow_statement_kinds,
    deny_host_access,
    deny_side_effect_functions,
    allow_session_settings,
    deny_column_pattern_tricks,
    allow_read_objects,
    allow_write_objects,
    limit_cross_joins,
    limit_series,
    mask_pii_columns,
    bound_recursive_ctes,
    limit_result_rows,
)

__all__ = ["RULES", "Rule", "table_ref"] + [r.__name__ for r in RULES]

RULES_BY_NAME: dict[str, Rule] = {rule.__name__: rule for rule in RULES}
