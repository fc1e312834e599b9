"""Column masking: PII columns reach roles that may not see them only hashed or redacted.

Every reference to a masked column is replaced by its masked value wherever it appears (select
list, expressions, aggregates, GROUP BY, ORDER BY, casts), so nothing computed from the clear
value comes back, including error messages such as a failed CAST(email AS int), which now
quotes the hash. `*` over such a table is expanded (from the catalog's columns) so the masked
columns can be replaced. Predicates over masked columns are refused by default (they would
let LIKE or equality probing reveal the hidden values by counting rows).
"""

from __future__ import annotations

import re
from fnmatch import translate
from functools import lru_cache

from sqlglot import exp

from . import dialect as d
from .access import TableRef, _base, column_refs, sources, star_refs
from .config import MaskMethod, Policy
from .context import Context, covers, touches
from .errors import PolicyViolation
from .nodes import NodeIndex, walk

REDACTED = "********"


def mask_method(policy: Policy, ctx: Context, table: TableRef, column: str) -> MaskMethod | None:
    parts = (*table.parts, column.lower())
    if table.is_system or any(covers(p, parts) for p in policy.unmasked_columns):
        return None
    for pattern, method in policy.masked_columns.items():
        if ("." not in pattern and covers(pattern, parts[2:])) or covers(pattern, parts):
            return method
    if policy.mask_detected_pii and ctx.catalog.pii.get(".".join(parts)):
        return policy.mask_detected_pii
    return None


def _may_mask(policy: Policy, ctx: Context, table: TableRef) -> bool:
    """Whether some masked column may live in `table` (answerable without its columns)."""
    if table.is_system:
        return False
    columns = ctx.catalog.columns_of(table.name)
    if columns is not None:
        return any(mask_method(policy, ctx, table, c) for c in columns)
    prefix = f"{table.name}."
    return any("." not in p or touches(p, table.parts) for p in policy.masked_columns) or (
        policy.mask_detected_pii is not None and any(k.startswith(prefix) for k in ctx.catalog.pii))


def _may_touch_masked(policy: Policy, ctx: Context, index: NodeIndex) -> bool:
    """A quick look before resolving every column: False when no `*` (but count(*)), no column whose name a
    mask could match, and no column that may be a row value (named like a table or alias)."""
    if any(not isinstance(star.parent, exp.Count) for star in index.find_all(exp.Star)):
        return True   # a star that expands columns (count(*) does not)
    names = {c.name.lower() for c in index.find_all(exp.Column)}
    whole_tables, globs = _column_globs(
        tuple(policy.masked_columns), tuple(ctx.catalog.pii) if policy.mask_detected_pii else ())
    if whole_tables:
        return True   # schema.table: every column of the table
    if globs is not None and any(globs.match(name) for name in names):
        return True
    if not names:
        return False
    tables = {t.alias_or_name.lower() for t in index.find_all(exp.Table)} | {
        t.name.lower() for t in index.find_all(exp.Table)}
    return bool(names & tables)


@lru_cache(maxsize=256)
def _column_globs(patterns: tuple[str, ...],
                  detected: tuple[str, ...]) -> tuple[bool, re.Pattern | None]:
    """(whether a pattern masks whole tables, one regex matching the column names that masked
    patterns and detected PII columns (`schema.table.column`) may mask)."""
    globs = []
    for pattern in patterns:
        parts = pattern.lower().split(".")
        if len(parts) == 2:
            return True, None
        globs.append(parts[-1])
    globs += [key.rsplit(".", 1)[-1].lower() for key in detected]
    if not globs:
        return False, None
    # fnmatchcase(name, glob) is a full match of fnmatch.translate(glob): one alternation
    return False, re.compile("|".join(f"(?:{translate(glob)})" for glob in globs))


def masked_value(column: exp.Expr, method: MaskMethod, salt: str) -> exp.Expr:
    if method == "redact":
        return exp.Literal.string(REDACTED)
    text = exp.cast(column, exp.DType.TEXT)
    value = exp.DPipe(this=exp.Literal.string(salt), expression=text, safe=True) if salt else text
    return exp.MD5(this=value)


def _deny(message: str, hint: str) -> PolicyViolation:
    return PolicyViolation(f"permission denied: {message} (rule mask_pii_columns)",
                           rule="mask_pii_columns", hint=hint)


def mask_pii_columns(stmt: exp.Expr, policy: Policy, ctx: Context) -> exp.Expr | None:
    if not policy.masked_columns and not (policy.mask_detected_pii and ctx.catalog.pii):
        return None
    catalog = ctx.catalog
    inlined = _inline_views(stmt, ctx)
    if inlined is not None:
        stmt = inlined
    index = ctx.index(stmt)
    if not _may_touch_masked(policy, ctx, index):
        return None if inlined is None else stmt
    stars = [(s, scope, ts) for s, scope, ts in star_refs(stmt, catalog, index)
             if any(_may_mask(policy, ctx, t) for t in ts)]
    masked = []
    for ref in column_refs(stmt, catalog, index):
        if _is_assignment_target(ref.node):
            continue  # UPDATE t SET email = ...: a write target, not a value read back
        methods = {m for t in ref.tables if (m := mask_method(policy, ctx, t, ref.name))}
        if ref.whole_row and any(_may_mask(policy, ctx, t) for t in ref.tables):
            raise _deny(f"the row value of {ref.tables[0].name} includes masked columns",
                        "Name the columns you need.")
        if not methods:
            continue
        if ref.in_predicate and policy.masked_predicates == "deny":
            raise _deny(f"column {ref.name} is masked for role {policy.name} and cannot be "
                        "used in WHERE, JOIN or HAVING conditions",
                        "Filter on other columns; masked values can only be selected.")
        masked.append((ref.node, "redact" if "redact" in methods else "hash"))
    if not masked and not stars:
        return None if inlined is None else stmt
    if isinstance(stmt, d.Explain):
        raise _deny("EXPLAIN of a query over masked columns is not allowed",
                    "Run the query itself.")
    # Rewrite a copy: map the original nodes to their copies by position in a walk.
    if ctx.owned:   # the check's own parse: change it in place
        copied = index.nodes
    else:
        stmt = stmt.copy()
        copied = walk(stmt)
    position = {id(n): i for i, n in enumerate(index.nodes)}
    touched: set[type] = set()   # classes of the nodes taken out and put in
    for star, scope, _ in stars:
        old = copied[position[id(star)]]
        touched |= _classes(old)
        for projection in _expand_star(old, copied[position[id(scope)]], policy, ctx):
            touched |= _classes(projection)
    for node, method in masked:
        touched |= _replace(copied[position[id(node)]], method, ctx.hash_salt)
    # columns that came from expanding stars
    for star, scope, _ in stars:
        new_scope = copied[position[id(scope)]]
        for col in list(new_scope.expressions):
            if isinstance(col, exp.Column) and col.meta.get("askgres_expanded"):
                method = col.meta.pop("askgres_mask", None)
                if method:
                    touched |= _replace(col, method, ctx.hash_salt)
    if ctx.owned:
        # only columns and stars were swapped: the rules after this one (recursive CTEs, row
        # limit) keep the index for every other class instead of walking the statement again
        ctx.rewrote_in_place(stmt, touched)
    ctx.notes.append("some columns are masked for your role")
    return stmt


def _classes(node: exp.Expr) -> set[type]:
    return {type(n) for n in walk(node)}


def _is_assignment_target(column: exp.Expr) -> bool:
    parent = column.parent
    return isinstance(parent, exp.EQ) and column.arg_key == "this" and isinstance(parent.parent, exp.Update) \
        and parent.arg_key == "expressions"


def _replace(column: exp.Expr, method: MaskMethod, salt: str) -> set[type]:
    """Put the masked value in the column's place; the classes of the nodes taken out and put in."""
    name = column.name
    parent = column.parent
    masked = masked_value(column.copy(), method, salt)
    if isinstance(parent, exp.Select) and column.arg_key == "expressions":
        masked = exp.alias_(masked, name, quoted=column.this.quoted if isinstance(
            column.this, exp.Identifier) else False)
    touched = _classes(column) | _classes(masked)
    column.replace(masked)
    return touched


def _expand_star(star: exp.Expr, scope: exp.Select, policy: Policy, ctx: Context) -> list[exp.Expr]:
    srcs = sources(scope)
    if isinstance(star, exp.Column):
        srcs = {k: v for k, v in srcs.items() if k == star.table.lower()}
    projections: list[exp.Expr] = []
    for alias, source in srcs.items():
        base = _base(source, ctx.catalog)
        if base is None or not _may_mask(policy, ctx, base):
            projections.append(exp.Column(this=exp.Star(), table=exp.to_identifier(alias)))
            continue
        columns = ctx.catalog.columns_of(base.name)
        if columns is None:
            raise _deny(f"* over {base.name} may include masked columns",
                        "Name the columns you need instead of *.")
        for name in columns:
            col = exp.column(name, table=alias, quoted=name != name.lower())
            col.meta["askgres_expanded"] = True
            method = mask_method(policy, ctx, base, name)
            if method:
                col.meta["askgres_mask"] = method
            projections.append(col)
    position = scope.expressions.index(star)
    new = scope.expressions[:position] + projections + scope.expressions[position + 1:]
    scope.set("expressions", new)
    return projections


def _inline_views(stmt: exp.Expr, ctx: Context, depth: int = 0) -> exp.Expr | None:
    """Replace each view by its definition as a subquery, so that masking reaches the columns
    the view reads (views of views too, a few levels deep)."""
    views = ctx.catalog.views
    if not views or depth > 4:
        return None
    from .access import table_ref
    from .parse import parse
    nodes = ctx.index(stmt) if depth == 0 else NodeIndex(stmt)
    targets = [(t, ref) for t in nodes.find_all(exp.Table)
               if (ref := table_ref(t, ctx.catalog)) is not None and ref.name in views]
    if not targets:
        return None
    index = {id(n): i for i, n in enumerate(nodes.nodes)}
    stmt = stmt.copy()
    copied = walk(stmt)
    for table, ref in targets:
        node = copied[index[id(table)]]
        definition = parse(views[ref.name])
        if len(definition) != 1 or not isinstance(definition[0], exp.Query):
            continue
        query = definition[0]
        query = _inline_views(query, ctx, depth + 1) or query
        alias = node.alias_or_name
        node.replace(exp.Subquery(this=query, alias=exp.TableAlias(
            this=exp.to_identifier(alias), columns=(node.args.get("alias") or exp.TableAlias()).columns)))
    return stmt
