"""Which tables and columns a statement reads and writes, resolved on the AST.

A light scope model: a scope is a SELECT (or UPDATE/DELETE); its sources are the relations in
its FROM/JOIN (USING for DELETE). A table name that a WITH clause above it defines is a CTE
reference, not a table. Columns resolve to the innermost scope that has a matching source,
outwards for correlated subqueries. Without catalog columns the resolution is conservative: an
unqualified column may belong to any table of its scope.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from sqlglot import exp

from .context import SYSTEM_SCHEMAS, Catalog
from .nodes import NodeIndex, index_of

SCOPES = (exp.Select, exp.Update, exp.Delete)
PREDICATE_KEYS = frozenset({"where", "having", "qualify", "on"})


@dataclass(frozen=True)
class TableRef:
    node: exp.Table
    schema: str
    table: str

    @property
    def name(self) -> str:
        return f"{self.schema}.{self.table}"

    @property
    def parts(self) -> tuple[str, str]:
        return (self.schema, self.table)

    @property
    def is_system(self) -> bool:
        return self.schema in SYSTEM_SCHEMAS


@dataclass
class ColumnRef:
    node: exp.Column
    name: str
    tables: list[TableRef] = field(default_factory=list)   # base tables it may come from
    in_predicate: bool = False
    whole_row: bool = False   # `SELECT c FROM customers c`: the row value, i.e. every column


def _ident_name(node: exp.Expr | None) -> str:
    if node is None:
        return ""
    return node.this if getattr(node, "quoted", False) else node.name.lower()


def table_ref(table: exp.Table, catalog: Catalog, index: NodeIndex | None = None) -> TableRef | None:
    """The relation a Table node names, or None for a function call or a CTE reference.
    index: the index of the tree `table` belongs to, which then keeps the answer for the rules
    that ask again (read and write objects, joins, masking)."""
    if index is None:
        return _table_ref(table, catalog)
    memo = index.facts.get(("table_ref", catalog))
    if memo is None:
        memo = index.facts[("table_ref", catalog)] = {}
    key = id(table)
    if key not in memo:
        memo[key] = _table_ref(table, catalog)
    return memo[key]


def _table_ref(table: exp.Table, catalog: Catalog) -> TableRef | None:
    if not isinstance(table.this, exp.Identifier) or is_cte_reference(table):
        return None
    name = _ident_name(table.this)
    schema = _ident_name(table.args.get("db")) or None
    if schema == "main":
        schema = "public"  # DuckDB's name for it (also under a catalog: memory.main.t)
    if schema is None and name.startswith("pg_"):
        schema = "pg_catalog"   # pg_catalog is searched first by PostgreSQL
    return TableRef(table, schema or catalog.default_schema, name)


def is_cte_reference(table: exp.Table) -> bool:
    if table.args.get("db") or table.args.get("catalog"):
        return False
    name = table.name.lower()
    child: exp.Expr = table
    node = table.parent
    while node is not None:
        with_ = node.args.get("with_") if isinstance(node, exp.Expr) else None
        if isinstance(with_, exp.With):
            ctes = with_.expressions
            recursive = bool(with_.args.get("recursive"))
            # inside CTE i only earlier CTEs (all of them when RECURSIVE) are visible
            limit = len(ctes)
            if child is with_:
                inner = next((i for i, c in enumerate(ctes) if _contains(c, table)), len(ctes))
                limit = len(ctes) if recursive else inner
            if any(c.alias_or_name.lower() == name for c in ctes[:limit]):
                return True
        child, node = node, node.parent
    return False


def _contains(root: exp.Expr, node: exp.Expr) -> bool:
    while node is not None:
        if node is root:
            return True
        node = node.parent
    return False


def read_tables(stmt: exp.Expr, catalog: Catalog, index: NodeIndex | None = None) -> Iterator[TableRef]:
    """Every relation the statement reads (write targets are left to write_tables)."""
    index = index_of(stmt, index)
    targets = {id(t.node) for t in write_tables(stmt, catalog, index) if not _also_read(stmt, t)}
    for table in index.find_all(exp.Table):
        if id(table) in targets:
            continue
        ref = table_ref(table, catalog, index)
        if ref is not None:
            yield ref


def _also_read(stmt: exp.Expr, ref: TableRef) -> bool:
    # UPDATE/DELETE targets are read too (their WHERE sees the rows); COPY TO reads its table
    return isinstance(stmt, (exp.Update, exp.Delete)) or (
        isinstance(stmt, exp.Copy) and not stmt.args.get("kind"))


_WRITES = (exp.Insert, exp.Update, exp.Merge, exp.Create, exp.Drop, exp.Alter, exp.Comment, exp.Delete,
           exp.TruncateTable, exp.Into, exp.Copy)


def write_tables(stmt: exp.Expr, catalog: Catalog, index: NodeIndex | None = None) -> list[TableRef]:
    """Relations the statement creates, changes or drops."""
    index = index_of(stmt, index)
    nodes: list[exp.Expr] = []
    for node in index.find_all(*_WRITES):
        if isinstance(node, (exp.Insert, exp.Update, exp.Merge, exp.Create, exp.Drop,
                             exp.Alter, exp.Comment)):
            nodes.append(node.this)
        elif isinstance(node, exp.Delete):
            nodes.extend([node.this, *(node.args.get("tables") or [])])
        elif isinstance(node, exp.TruncateTable):
            nodes.extend(node.expressions)
        elif isinstance(node, exp.Into):
            nodes.append(node.this)
        elif isinstance(node, exp.Copy) and node.args.get("kind"):
            nodes.append(node.this)
    refs = []
    for target in nodes:
        if isinstance(target, (exp.Schema, exp.UserDefinedFunction)):
            target = target.this   # CREATE TABLE t (...), CREATE MACRO/FUNCTION f(...): the name
        if isinstance(target, exp.Table):
            ref = table_ref(target, catalog, index)
            if ref is not None:
                refs.append(ref)
    return refs


# ------------------------------------------------------------------------------- columns


def sources(scope: exp.Expr, index: NodeIndex | None = None) -> dict[str, exp.Expr]:
    """alias -> source node (Table, Subquery, ...) of a scope. index: the index of the tree the
    scope belongs to, which then keeps the answer for other rules (do not change it)."""
    if index is None:
        return _sources(scope)
    memo = index.facts.get("sources")
    if memo is None:
        memo = index.facts["sources"] = {}
    found = memo.get(id(scope))
    if found is None:
        found = memo[id(scope)] = _sources(scope)
    return found


def _sources(scope: exp.Expr) -> dict[str, exp.Expr]:
    nodes: list[exp.Expr] = []
    if isinstance(scope, (exp.Update, exp.Delete)) and isinstance(scope.this, exp.Table):
        nodes.append(scope.this)
    from_ = scope.args.get("from_")
    if from_ is not None:
        nodes.append(from_.this)
    for join in scope.args.get("joins") or []:
        nodes.append(join.this)
    for using in scope.args.get("using") or [] if isinstance(scope, exp.Delete) else []:
        nodes.append(using)
    out: dict[str, exp.Expr] = {}
    for node in nodes:
        alias = node.alias_or_name if not isinstance(node, exp.Table) or node.alias else (
            node.name if isinstance(node.this, exp.Identifier) else node.alias_or_name)
        out[alias.lower()] = node
    return out


def _scope_of(node: exp.Expr) -> exp.Expr | None:
    parent = node.parent
    while parent is not None and not isinstance(parent, SCOPES):
        parent = parent.parent
    return parent


def _in_predicate(node: exp.Expr, scope: exp.Expr) -> bool:
    while node is not None and node is not scope:
        if node.arg_key in PREDICATE_KEYS:
            return True
        node = node.parent
    return False


def _derived_outputs(source: exp.Expr) -> set[str] | None:
    """Output names of a derived table or CTE reference; None when unknown (a star)."""
    query = source.this if isinstance(source, exp.Subquery) else None
    if isinstance(source, exp.Table) and isinstance(source.this, exp.Identifier):
        query = _cte_query(source)
    if not isinstance(query, exp.Query):
        return None
    alias = source.args.get("alias")
    if isinstance(alias, exp.TableAlias) and alias.columns:
        return {c.name.lower() for c in alias.columns}
    if any(isinstance(e, exp.Star) for e in query.selects):
        return None
    return {name.lower() for name in query.named_selects}


def _cte_query(table: exp.Table) -> exp.Expr | None:
    node = table.parent
    name = table.name.lower()
    while node is not None:
        with_ = node.args.get("with_")
        if isinstance(with_, exp.With):
            for cte in with_.expressions:
                if cte.alias_or_name.lower() == name:
                    return cte.this
        node = node.parent
    return None


@dataclass(frozen=True)
class _Source:
    """A scope's source, resolved once per scope (not once per column)."""
    node: exp.Expr
    base: TableRef | None                # the base table, None for a derived table or function
    known: frozenset[str] | None         # its lower-case column names, None when unknown
    outputs: set[str] | None             # a derived table's output names, None when unknown


def _scope_sources(scope: exp.Expr, catalog: Catalog, index: NodeIndex) -> dict[str, _Source]:
    out = {}
    for alias, node in sources(scope, index).items():
        base = _base(node, catalog, index)
        known = catalog.column_set(base.name) if base is not None else None
        out[alias] = _Source(node, base, known, _derived_outputs(node) if base is None else None)
    return out


def column_refs(stmt: exp.Expr, catalog: Catalog, index: NodeIndex | None = None) -> list[ColumnRef]:
    """Each column reference with the base tables it may read (kept by the index: do not
    change them)."""
    index = index_of(stmt, index)
    found = index.facts.get(("column_refs", catalog))
    if found is None:
        found = index.facts[("column_refs", catalog)] = _column_refs(catalog, index)
    return found


def _column_refs(catalog: Catalog, index: NodeIndex) -> list[ColumnRef]:
    refs = []
    memo: dict[int, dict[str, _Source]] = {}
    for column in index.find_all(exp.Column):
        if isinstance(column.this, exp.Star):
            continue  # t.* is handled by star_refs
        scope = _scope_of(column)
        if scope is None:
            continue
        ref = ColumnRef(column, column.name.lower(), in_predicate=_in_predicate(column, scope))
        qualifier = column.table.lower() if column.table else ""
        while scope is not None:
            srcs = memo.get(id(scope))
            if srcs is None:
                srcs = memo[id(scope)] = _scope_sources(scope, catalog, index)
            found = _resolve_in(srcs, ref, qualifier)
            if found:
                break
            scope = _scope_of(scope)
        refs.append(ref)
    return refs


def _resolve_in(srcs: dict[str, _Source], ref: ColumnRef, qualifier: str) -> bool:
    """Fill ref.tables from a scope's sources; True when the column belongs to that scope."""
    if qualifier:
        source = srcs.get(qualifier)
        if source is None:
            return False
        if source.base is not None:
            ref.tables.append(source.base)
        return True
    matched = False
    for alias, source in srcs.items():
        base = source.base
        if base is None:
            if source.outputs is not None and ref.name in source.outputs:
                matched = True
            continue
        known = source.known
        if known is None or ref.name in known:
            ref.tables.append(base)
            matched = matched or known is not None
            if known is None and alias == ref.name:
                ref.whole_row = True   # may be the row value; assume the worst
        elif alias == ref.name:
            ref.whole_row = True
            ref.tables.append(base)
            matched = True
    if not matched and not ref.tables:
        # no source has it: a whole-row reference when it names a base source
        source = srcs.get(ref.name)
        if source is not None and source.base is not None:
            ref.whole_row = True
            ref.tables.append(source.base)
            return True
    return matched or bool(ref.tables)


def _base(source: exp.Expr, catalog: Catalog, index: NodeIndex | None = None) -> TableRef | None:
    return table_ref(source, catalog, index) if isinstance(source, exp.Table) else None


def star_refs(stmt: exp.Expr, catalog: Catalog,
              index: NodeIndex | None = None) -> list[tuple[exp.Expr, exp.Expr, list[TableRef]]]:
    """(star node, its scope, base tables it expands over) for each `*` / `t.*` projection
    (kept by the index: do not change them)."""
    index = index_of(stmt, index)
    found = index.facts.get(("star_refs", catalog))
    if found is None:
        found = index.facts[("star_refs", catalog)] = _star_refs(catalog, index)
    return found


def _star_refs(catalog: Catalog, index: NodeIndex) -> list[tuple[exp.Expr, exp.Expr, list[TableRef]]]:
    out = []
    for select in index.find_all(exp.Select):
        srcs = sources(select, index)
        for projection in select.expressions:
            if isinstance(projection, exp.Star):
                tables = [b for s in srcs.values() if (b := _base(s, catalog, index)) is not None]
            elif isinstance(projection, exp.Column) and isinstance(projection.this, exp.Star):
                source = srcs.get(projection.table.lower())
                base = _base(source, catalog, index) if source is not None else None
                tables = [base] if base is not None else []
            else:
                continue
            if tables:
                out.append((projection, select, tables))
    return out
