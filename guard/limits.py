"""Limits against runaway queries: result rows, joins without a condition, recursive CTEs,
series generators and string builders with huge literal bounds."""

from __future__ import annotations

import math
from datetime import datetime
from functools import lru_cache

from sqlglot import exp

from . import dialect as d
from .access import _base, sources
from .errors import LimitExceeded
from .functions import class_names, function_name
from .nodes import index_of, walk

DEPTH_COLUMN = "__askgres_depth"


def _limit(rule: str, message: str, hint: str) -> LimitExceeded:
    return LimitExceeded(f"{message} (rule {rule})", rule=rule, hint=hint)


# ------------------------------------------------------------------ constants


def constant(node: exp.Expr | None) -> float | None:
    """The numeric value of a literal expression (1e12, -5, 10*1000, CAST('9' AS INT)), else None."""
    if node is None:
        return None
    if isinstance(node, exp.Literal):
        try:
            return float(node.this)
        except ValueError:
            return None
    if isinstance(node, exp.Paren):
        return constant(node.this)
    if isinstance(node, exp.Neg):
        v = constant(node.this)
        return None if v is None else -v
    if isinstance(node, exp.Cast):
        return constant(node.this)
    ops = {exp.Add: lambda a, b: a + b, exp.Sub: lambda a, b: a - b,
           exp.Mul: lambda a, b: a * b, exp.Pow: lambda a, b: a ** min(b, 400),
           exp.Div: lambda a, b: a / b if b else None}
    for cls, op in ops.items():
        if isinstance(node, cls):
            a, b = constant(node.this), constant(node.expression)
            if a is None or b is None:
                return None
            try:
                return op(a, b)
            except OverflowError:
                return math.inf
    return None


_UNIT_SECONDS = {"microsecond": 1e-6, "millisecond": 1e-3, "second": 1, "minute": 60,
                 "hour": 3600, "day": 86400, "week": 604800, "month": 2592000,
                 "year": 31536000}


def _timestamp(node: exp.Expr | None) -> float | None:
    """Seconds since 1970 of a date/timestamp literal ('2000-01-01', DATE '2000-01-01')."""
    while isinstance(node, (exp.Cast, exp.Paren)):
        node = node.this
    if isinstance(node, exp.Literal) and node.is_string:
        try:
            value = datetime.fromisoformat(node.this).replace(tzinfo=None)
        except ValueError:
            return None
        return (value - _EPOCH).total_seconds()
    return None


_EPOCH = datetime(1970, 1, 1)


def _interval_seconds(node: exp.Expr | None) -> float | None:
    if isinstance(node, exp.Interval):
        amount = constant(node.this)
        unit = node.args.get("unit")
        name = (unit.name if unit is not None else "second").lower().rstrip("s")
        if amount is not None and name in _UNIT_SECONDS:
            return amount * _UNIT_SECONDS[name]
    return None


def series_rows(func: exp.Expr) -> float | None:
    """Rows a generate_series/range call yields when its bounds are constants."""
    if isinstance(func, (exp.ExplodingGenerateSeries, exp.GenerateSeries)):
        start, end, step = func.args.get("start"), func.args.get("end"), func.args.get("step")
    elif isinstance(func, exp.Anonymous) and func.name.lower() in ("range", "generate_series"):
        args = func.expressions
        if len(args) == 1:
            start, end, step = exp.Literal.number(0), args[0], None
        else:
            start, end, step = (args + [None, None, None])[:3]
    else:
        return None
    lo, hi = constant(start), constant(end)
    if lo is None or hi is None:
        lo, hi = _timestamp(start), _timestamp(end)
        by = _interval_seconds(step)
        if lo is None or hi is None or not by:
            return None
        return abs(hi - lo) / abs(by) + 1
    by = constant(step) if step is not None else 1.0
    if not by:
        return None
    span = (hi - lo) / by
    if not math.isfinite(span):
        return math.inf
    exclusive = isinstance(func, exp.Anonymous) and func.name.lower() == "range"  # DuckDB range
    return max(math.ceil(span) if exclusive else math.floor(span) + 1, 0)


# Builders whose literal size argument can exhaust memory: name -> index of the size argument.
_SIZE_ARGS = {"repeat": 1, "lpad": 1, "rpad": 1, "space": 0}
MAX_STRING_BYTES = 100_000_000


_SERIES_CLASSES = (exp.ExplodingGenerateSeries, exp.GenerateSeries, exp.Repeat)


@lru_cache(maxsize=1024)
def _may_be_sized(cls: type) -> bool:
    """Whether calls of a sqlglot function class may need a look: a series or string builder
    (by class, or by its name as function_name() gives it). Anonymous calls always may."""
    return issubclass(cls, (exp.Anonymous, *_SERIES_CLASSES)) or class_names(cls)[0] in _SIZE_ARGS


def limit_series(stmt: exp.Expr, policy, ctx) -> None:
    for func in ctx.index(stmt).find_all(exp.Func):
        if not _may_be_sized(type(func)):
            continue   # AND, CASE, count(...): no bounds to check
        rows = series_rows(func)
        if rows is not None and rows > policy.max_series_rows:
            raise _limit("limit_series", f"series of {rows:,.0f} rows exceeds the limit of "
                         f"{policy.max_series_rows:,}", "Use smaller bounds or a larger step.")
        name = function_name(func)
        if name in _SIZE_ARGS or isinstance(func, exp.Repeat):
            args = [func.this, func.args.get("times")] if isinstance(func, exp.Repeat) else (
                func.expressions if isinstance(func, exp.Anonymous) else
                [func.this, func.expression])
            idx = 1 if isinstance(func, exp.Repeat) else _SIZE_ARGS.get(name, 1)
            size = constant(args[idx]) if idx < len(args) and args[idx] is not None else None
            if size is not None and size > MAX_STRING_BYTES:
                raise _limit("limit_series", f"{name} of {size:,.0f} characters exceeds the "
                             f"limit of {MAX_STRING_BYTES:,}", "Build smaller strings.")


# ------------------------------------------------------------------ joins


def _source_rows(source: exp.Expr, ctx, index) -> float | None:
    base = _base(source, ctx.catalog, index)
    if base is not None:
        return ctx.catalog.rows_of(base.name)
    if isinstance(source, exp.Table) and isinstance(source.this, exp.Func):
        return series_rows(source.this)
    return None


def limit_cross_joins(stmt: exp.Expr, policy, ctx) -> None:
    """Joins whose tables are not connected by any condition multiply their sizes; refuse
    those whose estimated product exceeds max_cross_join_rows."""
    index = ctx.index(stmt)
    if not index.has(exp.Join):
        return   # every FROM has one source (a comma list parses as joins)
    for select in index.find_all(exp.Select):
        srcs = sources(select, index)
        if len(srcs) < 2:
            continue
        sizes = {alias: _source_rows(source, ctx, index) or 1.0 for alias, source in srcs.items()}
        if math.prod(sizes.values()) <= policy.max_cross_join_rows:
            continue   # even with no condition at all (tables of unknown size count as one row)
        aliases = list(srcs)
        parent = {a: a for a in aliases}

        def find(a: str) -> str:
            while parent[a] != a:
                a = parent[a]
            return a

        conditions: list[exp.Expr] = []
        for join in select.args.get("joins") or []:
            if join.args.get("on") is not None:
                conditions.append(join.args["on"])
            alias = join.this.alias_or_name.lower()
            if (join.args.get("using") or join.args.get("kind", "").upper() == "NATURAL" or
                    join.args.get("method", "").upper() == "NATURAL") and alias in parent:
                parent[find(alias)] = find(aliases[0])   # USING/NATURAL joins to what precedes
            if isinstance(join.this, (exp.Lateral, exp.Unnest)) or (
                    isinstance(join.this, exp.Subquery) and join.this.find(exp.Column)):
                parent[find(alias)] = find(aliases[0])   # correlated: bounded by its input
        if select.args.get("where"):
            conditions.append(select.args["where"])   # after the ONs, which usually link already
        for cond in conditions:
            if len({find(a) for a in aliases}) == 1:
                break   # every source is linked: further conditions change nothing
            for columns in _predicate_columns(cond):
                qualifiers = [c.table for c in columns]
                touched = {q.lower() for q in qualifiers if q}
                unqualified = [q for q in qualifiers if not q]
                if unqualified and len(aliases) > 1:
                    # without qualifiers we cannot tell; assume the predicate links its scope
                    touched |= set(aliases) if len(unqualified) > 1 else set()
                touched &= set(aliases)
                first = next(iter(touched), None)
                for other in touched:
                    parent[find(other)] = find(first)
        groups: dict[str, float] = {}
        for alias, rows in sizes.items():
            root = find(alias)
            groups[root] = max(groups.get(root, 1.0), rows)
        if len(groups) < 2:
            continue
        product = math.prod(groups.values())
        if product > policy.max_cross_join_rows:
            raise _limit("limit_cross_joins",
                         f"join without a join condition would produce about {product:,.0f} "
                         f"rows, above the limit of {policy.max_cross_join_rows:,}",
                         "Add a join condition (ON ... or a WHERE clause linking the tables).")


def _predicate_columns(cond: exp.Expr) -> list[list[exp.Column]]:
    """The columns under each outermost predicate of a condition, in one walk. A predicate
    nested in another (`(a.x = b.y) = true`, EXISTS (... a.x = b.y)) links a subset of the
    tables the outer one links, so only the outer ones need counting."""
    groups: dict[int, list[exp.Column]] = {}
    for node in walk(cond):
        if not isinstance(node, exp.Column):
            continue
        outer, up = None, node
        while True:   # up to the condition: the last predicate met is the outermost
            if isinstance(up, exp.Predicate):
                outer = up
            if up is cond or up.parent is None:
                break
            up = up.parent
        if outer is not None:
            groups.setdefault(id(outer), []).append(node)
    return list(groups.values())


# ------------------------------------------------------------------ recursive CTEs


def bound_recursive_ctes(stmt: exp.Expr, policy, ctx) -> exp.Expr | None:
    """Give each recursive CTE a depth counter that stops it after max_recursion_depth steps.

    `WITH RECURSIVE t(n) AS (anchor UNION ALL step)` becomes
    `WITH RECURSIVE t__askgres_r(n, __askgres_depth) AS (anchor+0 UNION ALL step+1 WHERE
    depth < max), t(n) AS (SELECT n FROM t__askgres_r)`, so the rest of the query is unchanged.
    """
    withs = [w for w in ctx.index(stmt).find_all(exp.With) if w.args.get("recursive")]
    if not withs:
        return None
    if not ctx.owned:
        stmt = stmt.copy()
        withs = [w for w in stmt.find_all(exp.With) if w.args.get("recursive")]
    changed = False
    for with_ in withs:
        new_ctes = []
        for cte in with_.expressions:
            rewritten = _bound_cte(cte, policy.max_recursion_depth)
            new_ctes.extend(rewritten or [cte])
            changed = changed or bool(rewritten)
        with_.set("expressions", new_ctes)
    if changed:
        ctx.notes.append(f"recursive queries are limited to {policy.max_recursion_depth} steps")
    return stmt if changed else None


def _refers_to(query: exp.Expr, name: str) -> list[exp.Table]:
    return [t for t in query.find_all(exp.Table)
            if isinstance(t.this, exp.Identifier) and not t.args.get("db")
            and t.name.lower() == name]


def _bound_cte(cte: exp.CTE, depth: int) -> list[exp.CTE] | None:
    name = cte.alias_or_name.lower()
    body = cte.this
    if not isinstance(body, exp.Union) or not _refers_to(body.expression, name):
        return None
    anchor, step = body.this, body.expression
    alias = cte.args.get("alias")
    columns = [c.name for c in alias.columns] if alias is not None and alias.columns else None
    if columns is None:
        if not isinstance(anchor, exp.Select) or any(isinstance(e, exp.Star) for e in anchor.selects):
            from .errors import PolicyViolation
            raise PolicyViolation(
                f"permission denied: recursive CTE {name} needs named columns to be bounded "
                "(rule bound_recursive_ctes)", rule="bound_recursive_ctes",
                hint=f"Write WITH RECURSIVE {name}(col1, col2, ...) AS (...).")
        columns = anchor.named_selects
    inner = f"{name}__askgres_r"
    if not isinstance(anchor, exp.Select) or not isinstance(step, exp.Select):
        return None
    anchor = anchor.copy().select(exp.alias_(exp.Literal.number(0), DEPTH_COLUMN), copy=False)
    step = step.copy()
    refs = _refers_to(step, name)
    ref = refs[0]
    ref_alias = ref.alias_or_name
    for r in refs:
        r.set("this", exp.to_identifier(inner))
        if not r.alias:
            r.set("alias", exp.TableAlias(this=exp.to_identifier(ref_alias)))
    counter = exp.column(DEPTH_COLUMN, table=ref_alias)
    step.select(exp.alias_(exp.Add(this=counter.copy(), expression=exp.Literal.number(1)),
                           DEPTH_COLUMN), copy=False)
    step.where(exp.LT(this=counter.copy(), expression=exp.Literal.number(depth)), copy=False)
    bounded = exp.CTE(
        this=exp.Union(this=anchor, expression=step, distinct=body.args.get("distinct")),
        alias=exp.TableAlias(this=exp.to_identifier(inner),
                             columns=[exp.to_identifier(c) for c in [*columns, DEPTH_COLUMN]]))
    outer_select = exp.select(*[exp.column(c) for c in columns]).from_(inner)
    if body.args.get("distinct"):
        outer_select = outer_select.distinct()
    outer = exp.CTE(this=outer_select, alias=exp.TableAlias(
        this=exp.to_identifier(cte.alias_or_name), columns=[exp.to_identifier(c) for c in columns]))
    return [bounded, outer]


# ------------------------------------------------------------------ result rows


def _row_query(stmt: exp.Expr, index=None, *, without_into: bool = False) -> exp.Expr | None:
    """The query whose rows a statement returns to the client. without_into: the caller knows
    the statement has no SELECT ... INTO anywhere (which would otherwise need a walk to rule out)."""
    if isinstance(stmt, (exp.Query, exp.Values)) and (without_into or not index_of(stmt, index).has(exp.Into)):
        return stmt
    if isinstance(stmt, d.DeclareCursor) and isinstance(stmt.expression, exp.Query):
        return stmt.expression
    if isinstance(stmt, exp.Copy) and not stmt.args.get("kind") and isinstance(stmt.this, exp.Query):
        query = stmt.this
        while isinstance(query, exp.Subquery):
            query = query.this
        return query
    return None


def limit_result_rows(stmt: exp.Expr, policy, ctx) -> exp.Expr | None:
    """Inject LIMIT max_rows, or clamp a larger literal LIMIT / FETCH FIRST."""
    maximum = policy.max_rows
    if maximum is None:
        return None
    # replaying on a text whose shape this rule rewrote: that text had no INTO, nor has this one
    query = _row_query(stmt, without_into=True) if ctx.replay else _row_query(stmt, ctx.index(stmt))
    if query is None:
        return None
    if isinstance(query, exp.Values) or not isinstance(query, exp.Query):
        return None
    limit = query.args.get("limit")
    if isinstance(limit, exp.Fetch):
        count = constant(limit.args.get("count"))
        if count is not None and count <= maximum:
            return None
    elif isinstance(limit, exp.Limit):
        count = constant(limit.expression)
        if count is not None and count <= maximum:
            return None
    if not ctx.owned:
        stmt = stmt.copy()
        query = _row_query(stmt, without_into=True)   # the copy's INTO was ruled out just above
    bound = exp.Literal.number(maximum)
    old = query.args.get("limit")
    if old is None:
        query.set("limit", exp.Limit(expression=bound))
    else:
        current = old.args.get("count") if isinstance(old, exp.Fetch) else old.expression
        value = bound if constant(current) is not None or current is None else exp.Least(
            this=current.copy(), expressions=[bound])
        if isinstance(old, exp.Fetch):
            old.set("count", value)
        else:
            old.set("expression", value)
    ctx.notes.append(f"results are limited to {maximum} rows")
    return stmt
