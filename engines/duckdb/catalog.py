"""Postgres catalog emulation (pg_catalog, information_schema) on DuckDB.

Design
- The emulated catalog lives in an in-memory database ATTACHed as `askgres_catalog`, schema
  `pg` (views over duckdb_tables()/duckdb_columns()/..., static pg_type rows, macros for
  format_type() and friends; SQL in catalog/*.sql). Nothing is written into the user's
  database file, which may be read-only. Attached databases belong to the DuckDB instance,
  so every `con.cursor()` sees them.
- Queries keep their Postgres spelling; CATALOG_REWRITES (plain Expr -> Expr functions on
  Postgres-dialect sqlglot ASTs, applied by dialect.to_duckdb) point `pg_catalog.pg_class`,
  bare `pg_class`, `information_schema.columns`, `pg_catalog.format_type(...)`, reg* casts,
  OPERATOR(pg_catalog.~) and COLLATE pg_catalog."default" at the emulation.
- OIDs: DuckDB's own table/view/index/schema OIDs (stable while the process runs), PostgreSQL's
  real OIDs for types and pg_catalog relations, synthetic hashed OIDs for constraints, their
  indexes and column defaults. DuckDB's schema `main` is shown as `public` (OID 2200).
  OID columns are UINTEGER (Arrow uint32): map that to PostgreSQL's `oid` type on the wire.
"""

from __future__ import annotations

import datetime as _dt
import importlib.resources
from typing import Callable, Iterable

from sqlglot import exp

CATALOG_DB = "askgres_catalog"
SCHEMA = "pg"
SERVER_VERSION = "15.0"
SERVER_VERSION_NUM = "150000"
SQL_FILES = ("00_base.sql", "pg_type_data.sql", "10_relations.sql", "20_other_catalogs.sql",
             "30_functions.sql", "40_information_schema.sql")
_MARKER = "installed"

# Relations of pg_catalog and information_schema that catalog/*.sql defines.
PG_RELATIONS = frozenset({
    "pg_namespace", "pg_class", "pg_attribute", "pg_attrdef", "pg_constraint", "pg_index",
    "pg_type", "pg_description", "pg_database", "pg_authid", "pg_roles", "pg_user",
    "pg_auth_members", "pg_proc", "pg_am", "pg_collation", "pg_tablespace", "pg_settings",
    "pg_language", "pg_tables", "pg_views", "pg_indexes", "pg_matviews", "pg_sequence",
    "pg_inherits", "pg_trigger", "pg_rewrite", "pg_policy", "pg_statistic_ext", "pg_publication",
    "pg_publication_namespace", "pg_publication_rel", "pg_depend", "pg_shdescription",
    "pg_extension", "pg_enum", "pg_range", "pg_opclass", "pg_operator", "pg_cast",
    "pg_partitioned_table", "pg_foreign_table", "pg_foreign_server", "pg_stat_activity",
})
INFORMATION_SCHEMA_VIEWS = frozenset({
    "schemata", "tables", "columns", "views", "table_constraints", "key_column_usage",
    "referential_constraints",
})
# Functions catalog/*.sql defines as macros (called bare or pg_catalog-/information_schema-qualified).
PG_FUNCTIONS = frozenset({
    "current_setting", "version", "pg_postmaster_start_time", "pg_conf_load_time",
    "pg_is_in_recovery", "current_schema", "current_schemas", "pg_encoding_to_char",
    "pg_char_to_encoding", "pg_get_userbyid", "format_type", "to_regclass", "to_regtype",
    "to_regnamespace", "pg_table_is_visible", "pg_type_is_visible", "pg_function_is_visible",
    "has_table_privilege", "has_schema_privilege", "has_database_privilege",
    "has_sequence_privilege", "has_function_privilege", "has_type_privilege",
    "has_any_column_privilege", "has_column_privilege", "pg_has_role", "pg_get_expr",
    "pg_get_constraintdef", "pg_get_indexdef", "pg_get_viewdef", "pg_get_function_result",
    "pg_get_function_arguments", "pg_get_function_identity_arguments", "pg_get_serial_sequence",
    "pg_get_partkeydef", "pg_get_statisticsobjdef_columns", "pg_relation_is_publishable",
    "pg_tablespace_location", "obj_description", "col_description", "shobj_description",
    "pg_relation_size", "pg_total_relation_size", "pg_table_size", "pg_indexes_size",
    "pg_database_size", "array_upper", "array_lower", "_pg_expandarray", "quote_ident",
    "pg_backend_pid", "current_user", "session_user", "set_config",
    "pg_get_triggerdef", "pg_advisory_unlock_all", "current_database", "current_catalog",
    "pg_typeof", "justify_hours", "justify_days",
})
# Set-returning functions catalog/*.sql defines as table macros (used in FROM).
PG_TABLE_FUNCTIONS = frozenset({"pg_partition_ancestors"})
# sqlglot parses some of those into typed nodes.
_TYPED_FUNCTIONS: dict[type, str] = {
    exp.CurrentSchema: "current_schema", exp.CurrentSchemas: "current_schemas",
    exp.CurrentVersion: "version", exp.CurrentUser: "current_user", exp.SessionUser: "current_user",
    exp.CurrentDatabase: "pg_database_name", exp.CurrentCatalog: "pg_database_name",
    exp.JustifyHours: "justify_hours", exp.JustifyDays: "justify_days",
}
_MACRO_ALIASES = {"session_user": "current_user", "current_database": "pg_database_name",
                  "current_catalog": "pg_database_name"}
_QUALIFIERS = frozenset({"pg_catalog", "information_schema"})
_REG_TYPES = frozenset({"regclass", "regtype", "regproc", "regprocedure", "regnamespace", "regrole"})
_TYPE_SUBSTITUTES = {"oid": "UINTEGER", "name": "VARCHAR", "char": "VARCHAR", "bpchar": "VARCHAR",
                     "int2vector": "SMALLINT[]", "oidvector": "UINTEGER[]", "xid": "UINTEGER",
                     "regclass": "UINTEGER", "regtype": "UINTEGER", "regnamespace": "UINTEGER"}
# Catalog columns holding arrays, compared with '{...}' literals by clients.
_ARRAY_COLUMNS = frozenset({"polroles", "indkey", "indclass", "indoption", "conkey", "confkey",
                            "proargtypes", "stxkind", "stxkeys", "datacl", "relacl", "nspacl"})
_OPERATORS: dict[str, Callable[[exp.Expr, exp.Expr], exp.Expr]] = {
    "~": lambda a, b: exp.RegexpLike(this=a, expression=b),
    "!~": lambda a, b: exp.Not(this=exp.RegexpLike(this=a, expression=b)),
    "~*": lambda a, b: exp.RegexpILike(this=a, expression=b),
    "!~*": lambda a, b: exp.Not(this=exp.RegexpILike(this=a, expression=b)),
    "~~": lambda a, b: exp.Like(this=a, expression=b),
    "!~~": lambda a, b: exp.Not(this=exp.Like(this=a, expression=b)),
    "~~*": lambda a, b: exp.ILike(this=a, expression=b),
    "!~~*": lambda a, b: exp.Not(this=exp.ILike(this=a, expression=b)),
    "=": lambda a, b: exp.EQ(this=a, expression=b),
    "<>": lambda a, b: exp.NEQ(this=a, expression=b),
    "!=": lambda a, b: exp.NEQ(this=a, expression=b),
    "<": lambda a, b: exp.LT(this=a, expression=b),
    "<=": lambda a, b: exp.LTE(this=a, expression=b),
    ">": lambda a, b: exp.GT(this=a, expression=b),
    ">=": lambda a, b: exp.GTE(this=a, expression=b),
    "||": lambda a, b: exp.DPipe(this=a, expression=b),
    "+": lambda a, b: exp.Add(this=a, expression=b),
    "-": lambda a, b: exp.Sub(this=a, expression=b),
    "*": lambda a, b: exp.Mul(this=a, expression=b),
    "/": lambda a, b: exp.Div(this=a, expression=b),
}


def version_string() -> str:
    """What version() answers; server_version (ParameterStatus) should be SERVER_VERSION."""
    import duckdb

    try:
        from importlib.metadata import version

        askgres_version = version("askgres")
    except Exception:  # not installed as a distribution (source checkout)
        askgres_version = "0.1.0"
    return (f"PostgreSQL {SERVER_VERSION} (askgres {askgres_version}) on x86_64-pc-linux-gnu, "
            f"compiled by DuckDB {duckdb.__version__}, 64-bit")


# ---------------------------------------------------------------------------------------------
# Installation


def install(con) -> None:
    """Create the catalog emulation objects for a DuckDB database (idempotent).

    Must run before the engine turns external access off / locks the configuration
    (it ATTACHes an in-memory database).
    """
    attached = con.execute("SELECT count(*) FROM duckdb_databases() WHERE database_name = ?",
                           [CATALOG_DB]).fetchone()[0]
    if attached:
        done = con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = ? "
                           "AND schema_name = ? AND table_name = ?",
                           [CATALOG_DB, SCHEMA, _MARKER]).fetchone()[0]
        if done:
            return
        con.execute(f"DETACH {CATALOG_DB}")  # a half-finished earlier attempt
    # READ_WRITE: a read-only user database would otherwise make the attached one read-only too
    con.execute(f"ATTACH ':memory:' AS {CATALOG_DB} (READ_WRITE)")
    root = importlib.resources.files(__package__).joinpath("catalog")
    for name in SQL_FILES:
        con.execute(root.joinpath(name).read_text(encoding="utf-8"))
    settings = _default_settings()
    con.executemany(f"INSERT INTO {CATALOG_DB}.{SCHEMA}.settings VALUES (?, ?)",
                    sorted(settings.items()))
    con.execute(f"CREATE TABLE {CATALOG_DB}.{SCHEMA}.{_MARKER} AS SELECT ? AS version",
                [SERVER_VERSION])


def mark_as_tables(con, views: Iterable[tuple[str, str]]) -> None:
    """Show these (schema, view) DuckDB views -- e.g. views over Parquet/CSV files -- as tables."""
    con.executemany(f"INSERT INTO {CATALOG_DB}.{SCHEMA}.table_views VALUES (?, ?)", list(views))


def _default_settings() -> dict[str, str]:
    return {
        "askgres.version": version_string(),
        "askgres.start_time": _dt.datetime.now(_dt.timezone.utc).isoformat(),
        "server_version": SERVER_VERSION, "server_version_num": SERVER_VERSION_NUM,
        "server_encoding": "UTF8", "client_encoding": "UTF8", "datestyle": "ISO, MDY",
        "timezone": "UTC", "intervalstyle": "postgres", "integer_datetimes": "on",
        "standard_conforming_strings": "on", "max_index_keys": "32",
        "max_identifier_length": "63", "default_table_access_method": "heap", "jit": "off",
        "search_path": '"$user", public', "transaction_isolation": "read committed",
        "default_transaction_isolation": "read committed", "transaction_read_only": "off",
        "default_transaction_read_only": "off", "application_name": "", "is_superuser": "on",
        "lc_collate": "C.UTF-8", "lc_ctype": "C.UTF-8", "block_size": "8192",
        "max_connections": "100", "statement_timeout": "0", "extra_float_digits": "1",
        "bytea_output": "hex", "in_hot_standby": "off",
    }


# ---------------------------------------------------------------------------------------------
# Rewrites


def _bottom_up(tree: exp.Expr, fn: Callable[[exp.Expr], exp.Expr]) -> exp.Expr:
    """Apply fn to every node, children before parents, replacing nodes in place."""
    root = tree
    for node in reversed(list(tree.walk(bfs=False))):
        new = fn(node)
        if new is not node:
            if node is root:
                root = new
            else:
                node.replace(new)
    return root


def _macro(name: str, args: list[exp.Expr]) -> exp.Expr:
    return exp.Dot.build([exp.to_identifier(CATALOG_DB), exp.to_identifier(SCHEMA),
                          exp.Anonymous(this=name, expressions=args)])


def _ident_name(node: exp.Expr | None) -> str:
    if isinstance(node, exp.Identifier):
        return node.name if node.quoted else node.name.lower()
    return ""


def rewrite_catalog_tables(tree: exp.Expr) -> exp.Expr:
    """pg_catalog.pg_class / pg_class / information_schema.columns -> the emulated relations,
    aliased to their own name so that `pg_catalog.pg_class.relname` columns still bind."""
    ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    for table in list(tree.find_all(exp.Table)):
        db = _ident_name(table.args.get("db"))
        if not isinstance(table.this, exp.Identifier):
            if db in _QUALIFIERS:  # a table function: pg_catalog.generate_series(...)
                table.set("db", None)
            func = table.this
            if (isinstance(func, exp.Anonymous) and isinstance(func.this, str)
                    and func.this.lower() in PG_TABLE_FUNCTIONS and not table.args.get("db")):
                table.set("db", exp.to_identifier(SCHEMA))
                table.set("catalog", exp.to_identifier(CATALOG_DB))
            continue
        if table.args.get("catalog"):
            continue
        name = _ident_name(table.this)
        if db in ("", "pg_catalog") and name in PG_RELATIONS and not (db == "" and name in ctes):
            target = name
        elif db == "information_schema" and name in INFORMATION_SCHEMA_VIEWS:
            target = f"is_{name}"
        else:
            continue
        table.set("this", exp.to_identifier(target))
        table.set("db", exp.to_identifier(SCHEMA))
        table.set("catalog", exp.to_identifier(CATALOG_DB))
        if not table.alias:
            table.set("alias", exp.TableAlias(this=exp.to_identifier(name)))
    return tree


def _strip_qualifiers(node: exp.Expr) -> exp.Expr:
    if isinstance(node, exp.Column) and _ident_name(node.args.get("db")) in _QUALIFIERS:
        node.set("db", None)
        node.set("catalog", None)
    elif (isinstance(node, exp.Dot) and _ident_name(node.this) in _QUALIFIERS
          and isinstance(node.expression, exp.Func)):
        return node.expression.pop()
    return node


def _function(node: exp.Expr) -> exp.Expr:
    if isinstance(node, exp.Anonymous) and isinstance(node.this, str):
        name = node.this.lower()
        if name in PG_TABLE_FUNCTIONS and not isinstance(node.parent, (exp.Dot, exp.Table)):
            # in a select list: no partitions, so a relation's only ancestor is itself
            arg = exp.Cast(this=node.expressions[0], to=exp.DataType.build("VARCHAR"))
            return _macro("regclass_in", [arg])
        if name in PG_FUNCTIONS and not isinstance(node.parent, exp.Dot):
            return _macro(_MACRO_ALIASES.get(name, name), list(node.expressions))
    for cls, name in _TYPED_FUNCTIONS.items():
        if type(node) is cls:
            args = [a for a in (node.this, *node.expressions) if isinstance(a, exp.Expr)]
            return _macro(name, args if name in ("current_schemas", "justify_hours", "justify_days") else [])
    if (isinstance(node, exp.Column) and not node.table and isinstance(node.this, exp.Identifier)
            and not node.this.quoted and node.name.lower() in ("user", "current_role")):
        return _macro("current_user", [])
    return node


def _type_name(to: exp.Expr) -> str:
    """'regclass' for ::regclass and ::pg_catalog.regclass, 'oid', 'text', ... ('' if other)."""
    if isinstance(to, exp.ObjectIdentifier):
        return to.name.lower()
    if isinstance(to, exp.DataType):
        kind = to.args.get("kind")
        if to.this == exp.DType.USERDEFINED and isinstance(kind, exp.Dot):
            if _ident_name(kind.this) in _QUALIFIERS:
                return _ident_name(kind.expression)
        elif to.this == exp.DType.USERDEFINED and isinstance(kind, exp.Identifier):
            return _ident_name(kind)
        elif to.this == exp.DType.NAME:
            return "name"
    return ""


def _is_qualified_type(to: exp.Expr) -> bool:
    return (isinstance(to, exp.DataType) and to.this == exp.DType.USERDEFINED
            and isinstance(to.args.get("kind"), exp.Dot))


def _names_a_relation(operand: exp.Expr) -> bool:
    """A reg* cast of a string (literal, parameter, text) looks a name up; of anything else
    (an OID column, a number) prints the name of an OID."""
    if isinstance(operand, exp.Literal):
        return operand.is_string
    if isinstance(operand, (exp.Placeholder, exp.Parameter)):
        return True
    return isinstance(operand, exp.Cast) and operand.to.is_type("text", "varchar")


def _cast(node: exp.Expr) -> exp.Expr:
    if isinstance(node, exp.DataType) and node.this == exp.DType.ARRAY:
        for i, element in enumerate(node.expressions):  # pg_catalog.int2[]
            name = _type_name(element)
            if name:
                node.expressions[i].replace(_data_type(name))
        return node
    if not isinstance(node, exp.Cast):
        return node
    name = _type_name(node.to)
    if name in _REG_TYPES:
        kind = "regproc" if name == "regprocedure" else name
        operand = node.this
        if _names_a_relation(operand):
            return _macro(f"{kind}_in", [operand])
        outer = node.parent
        if isinstance(outer, exp.Cast) and (_type_name(outer.to) == "oid"
                                            or outer.to.is_type(*exp.DataType.INTEGER_TYPES)):
            return operand  # x::regclass::oid is x
        if kind == "regproc":
            return operand
        return _macro(f"{kind}_out", [operand])
    if name in _TYPE_SUBSTITUTES or (name and _is_qualified_type(node.to)):
        node.set("to", _data_type(name))
    return node


def _data_type(name: str) -> exp.DataType:
    if name in _TYPE_SUBSTITUTES:
        return exp.DataType.build(_TYPE_SUBSTITUTES[name], dialect="duckdb")
    return exp.DataType.build(name, dialect="postgres")


def _operator(node: exp.Expr) -> exp.Expr:
    if isinstance(node, exp.Operator):
        op = str(node.args.get("operator") or "").strip()
        op = op.split(".", 1)[1] if op.lower().startswith("pg_catalog.") else op
        make = _OPERATORS.get(op)
        if make is not None:
            return make(node.this, node.expression)
    return node


def _collation(node: exp.Expr) -> exp.Expr:
    """COLLATE pg_catalog."default" / "C" / "POSIX": DuckDB's default ordering is already bytewise."""
    if isinstance(node, exp.Collate):
        coll = node.expression
        name = coll.name if isinstance(coll, (exp.Column, exp.Identifier, exp.Literal)) else ""
        if name.lower() in ("default", "c", "posix"):
            return node.this
    return node


def _array_literal(node: exp.Expr) -> exp.Expr:
    """`pol.polroles = '{0}'`: a Postgres array literal compared with a catalog array column."""
    if isinstance(node, (exp.EQ, exp.NEQ)):
        for side, other in (("this", node.expression), ("expression", node.this)):
            lit = node.args[side]
            if (isinstance(lit, exp.Literal) and lit.is_string and lit.name.startswith("{")
                    and lit.name.endswith("}") and isinstance(other, exp.Column)
                    and other.name.lower() in _ARRAY_COLUMNS):
                items = [i.strip() for i in lit.name[1:-1].split(",") if i.strip()]
                node.set(side, exp.Array(expressions=[
                    exp.Literal.number(i) if i.lstrip("-").isdigit() else exp.Literal.string(i)
                    for i in items]))
    return node


# int2vector / oidvector catalog columns: PostgreSQL subscripts them from 0, DuckDB lists from 1.
_ZERO_BASED_COLUMNS = frozenset({"indkey", "indclass", "indcollation", "indoption", "proargtypes", "stxkeys"})


def _vector_subscript(node: exp.Expr) -> exp.Expr:
    """`i.indkey[ia.attnum - 1]` (psqlODBC's SQLPrimaryKeys): a 0-based int2vector subscript."""
    if (isinstance(node, exp.Bracket) and isinstance(node.this, exp.Column)
            and node.this.name.lower() in _ZERO_BASED_COLUMNS and len(node.expressions) == 1
            and not isinstance(node.expressions[0], exp.Slice)):
        index = node.expressions[0]
        node.set("expressions", [exp.Add(this=exp.Paren(this=index.copy()), expression=exp.Literal.number(1))])
    return node


def rewrite_catalog_expressions(tree: exp.Expr) -> exp.Expr:
    """Functions, reg* casts, OPERATOR(pg_catalog.x), COLLATE, array literals, vector subscripts."""
    def each(node: exp.Expr) -> exp.Expr:
        node = _strip_qualifiers(node)
        for step in (_function, _cast, _operator, _collation, _array_literal, _vector_subscript):
            node = step(node)
        return node
    return _bottom_up(tree, each)


CATALOG_REWRITES: tuple[Callable[[exp.Expr], exp.Expr], ...] = (
    rewrite_catalog_tables,
    rewrite_catalog_expressions,
)
