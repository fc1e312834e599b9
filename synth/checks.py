"""Spec checks: references and dependency order (SpecError), then feasibility of the
constraints (InfeasibleSpecError) -- all before a single row is generated."""

from __future__ import annotations

import math

from . import expr as expr_mod
from . import spec as s
from .errors import InfeasibleSpecError, SpecError

TEMPORAL = ("date", "timestamp")
KEY_KINDS = ("sequence", "uuid", "email")


def column_deps(col: s.ColumnSpec) -> list[str]:
    """Columns of the same table this column is computed from."""
    g = col.generator
    deps: list[str] = []
    if isinstance(g, (s.FullName, s.Email)):
        deps += [c for c in (g.first, g.last) if c]
    if isinstance(g, s.City) and g.country:
        deps.append(g.country)
    if isinstance(g, s.Derived):
        deps += expr_mod.columns(expr_mod.parse(g.expr))
    if isinstance(g, s._Numeric):
        deps += [x.column for x in (g.correlate, g.drift) if x is not None]
    if isinstance(g, s._Temporal) and g.after is not None:
        deps.append(g.after.fk)
    return deps


def is_unique_key(col: s.ColumnSpec) -> bool:
    g = col.generator
    one_to_one = isinstance(g, s.ForeignKey) and g.max_children == 1  # blocks of at most one child
    return col.nulls == 0 and (g.kind in KEY_KINDS or one_to_one
                               or (isinstance(g, (s.Uniform, s.Categorical)) and g.unique))


def clustered_fk(table: s.TableSpec) -> str | None:
    """The foreign key whose children are laid out in contiguous blocks per parent, if any."""
    grouped = {c for k in table.constraints if isinstance(k, s.GroupSum) for c in k.group_by}
    fks = [c for c in table.columns if isinstance(c.generator, s.ForeignKey)]
    picked = [c.name for c in fks if c.generator.min_children is not None
              or c.generator.max_children is not None or c.name in grouped]
    for u in table.unique:
        if len(u) > 1:
            picked += [c.name for c in fks if c.name in u and c.name not in picked and not any(
                is_unique_key(table.column(x)) for x in u)]
    picked = list(dict.fromkeys(picked))
    if len(picked) > 1:
        raise SpecError(f"tables.{table.name}: at most one foreign key can have min/max children, a group sum "
                        f"or a composite unique key; got {', '.join(picked)}", field=f"tables.{table.name}")
    return picked[0] if picked else None


def column_order(table: s.TableSpec) -> list[str]:
    """Topological order of the columns; a compare constraint binds its two columns together."""
    names = [c.name for c in table.columns]
    deps = {c.name: set(column_deps(c)) for c in table.columns}
    for k in table.constraints:
        if isinstance(k, s.Compare):
            for name, d in deps.items():
                if name not in (k.left, k.right) and d & {k.left, k.right}:
                    d |= {k.left, k.right}
    order, state = [], {}

    def visit(n: str, path: tuple) -> None:
        if state.get(n) == 2:
            return
        if state.get(n) == 1:
            raise SpecError(f"tables.{table.name}.columns: circular dependency {' -> '.join(path + (n,))}",
                            field=f"tables.{table.name}.columns.{n}")
        state[n] = 1
        for d in sorted(deps[n]):
            visit(d, path + (n,))
        state[n] = 2
        order.append(n)

    for n in names:
        visit(n, ())
    return order


def table_order(spec: s.Spec) -> list[str]:
    parents = {t.name: {c.generator.table for c in t.columns if isinstance(c.generator, s.ForeignKey)} - {t.name}
               for t in spec.tables}
    order, state = [], {}

    def visit(n: str) -> None:
        if state.get(n) == 2:
            return
        if state.get(n) == 1:
            raise SpecError(f"tables.{n}: foreign keys form a cycle", field=f"tables.{n}")
        state[n] = 1
        for p in sorted(parents[n]):
            visit(p)
        state[n] = 2
        order.append(n)

    for t in spec.tables:
        visit(t.name)
    return order


def check_references(spec: s.Spec) -> None:
    """Names exist, types fit, keys are keys. Raises SpecError naming the field."""
    seen_t: set[str] = set()
    for t in spec.tables:
        tp = f"tables.{t.name}"
        if t.name in seen_t:
            raise SpecError(f"{tp}: duplicate table name", field=tp)
        seen_t.add(t.name)
        cols = {c.name: c for c in t.columns}
        if len(cols) != len(t.columns):
            dup = next(c.name for c in t.columns if [x.name for x in t.columns].count(c.name) > 1)
            raise SpecError(f"{tp}.columns.{dup}: duplicate column name", field=f"{tp}.columns.{dup}")

        def need(path: str, name: str, kinds: tuple | None = None, what: str = "") -> s.ColumnSpec:
            if name not in cols:
                raise SpecError(f"{path}: no column {name!r} in table {t.name}", field=path)
            if kinds is not None and _family(cols[name]) not in kinds:
                raise SpecError(f"{path}: column {name!r} must be {what}, it is {cols[name].generator.kind}", field=path)
            return cols[name]

        for c in t.columns:
            cp, g = f"{tp}.columns.{c.name}.generator", c.generator
            if isinstance(g, s.Derived):
                for d in expr_mod.columns(expr_mod.parse(g.expr, f"{cp}.expr")):
                    need(f"{cp}.expr", d, ("number", "boolean", "temporal"), "numeric")
            if isinstance(g, (s.FullName, s.Email)):
                if g.first:
                    need(f"{cp}.first", g.first, ("first_name",), "a first_name column")
                if g.last:
                    need(f"{cp}.last", g.last, ("last_name",), "a last_name column")
            if isinstance(g, s.City) and g.country:
                need(f"{cp}.country", g.country, ("country",), "a country column")
            if isinstance(g, s._Numeric):
                if g.correlate:
                    other = need(f"{cp}.correlate.column", g.correlate.column, ("number",), "numeric")
                    if other.generator.kind not in s.NUMERIC_KINDS or getattr(other.generator, "unique", False):
                        raise SpecError(f"{cp}.correlate.column: {other.name} must be drawn from a distribution "
                                        f"({', '.join(s.NUMERIC_KINDS)}), not {other.generator.kind}",
                                        field=f"{cp}.correlate.column")
                if g.drift:
                    need(f"{cp}.drift.column", g.drift.column, ("temporal",), "a date/timestamp column")
            if isinstance(g, s.Sequence) and g.step == 0:
                raise SpecError(f"{cp}.step: must not be 0", field=f"{cp}.step")
            if isinstance(g, s.Sentence) and g.min_words > g.max_words:
                raise SpecError(f"{cp}: min_words > max_words", field=cp)
            if isinstance(g, s.ForeignKey):
                if g.table not in {x.name for x in spec.tables}:
                    raise SpecError(f"{cp}.table: no table {g.table!r} in the spec", field=f"{cp}.table")
                parent = spec.table(g.table)
                if g.column not in {x.name for x in parent.columns}:
                    raise SpecError(f"{cp}.column: no column {g.column!r} in table {g.table}", field=f"{cp}.column")
                if not is_unique_key(parent.column(g.column)):
                    raise SpecError(f"{cp}.column: {g.table}.{g.column} is not a key (use a sequence, uuid, email or "
                                    f"a unique uniform/categorical column without nulls)", field=f"{cp}.column")
                if g.table == t.name:
                    raise SpecError(f"{cp}.table: self-references are not supported", field=f"{cp}.table")
            if isinstance(g, s._Temporal) and g.after is not None:
                fk = need(f"{cp}.after.fk", g.after.fk)
                if not isinstance(fk.generator, s.ForeignKey):
                    raise SpecError(f"{cp}.after.fk: {g.after.fk!r} is not a foreign_key column", field=f"{cp}.after.fk")
                parent = spec.table(fk.generator.table)
                pc_ = {x.name: x for x in parent.columns}.get(g.after.column)
                if pc_ is None or _family(pc_) != "temporal":
                    raise SpecError(f"{cp}.after.column: {parent.name}.{g.after.column} is not a date/timestamp column",
                                    field=f"{cp}.after.column")
                if _gs_columns(parent) & {g.after.column}:
                    raise SpecError(f"{cp}.after.column: cannot follow a group-sum adjusted column", field=f"{cp}.after.column")
        for i, u in enumerate(t.unique):
            for name in u:
                need(f"{tp}.unique.{i}", name)
        for i, k in enumerate(t.constraints):
            kp = f"{tp}.constraints.{i}"
            if isinstance(k, s.Compare):
                a, b = need(f"{kp}.left", k.left, ("number", "temporal"), "numeric or temporal"), need(f"{kp}.right", k.right, ("number", "temporal"), "numeric or temporal")
                if _family(a) != _family(b):
                    raise SpecError(f"{kp}: cannot compare {a.generator.kind} with {b.generator.kind}", field=kp)
                if isinstance(a.generator, s.Derived) or isinstance(b.generator, s.Derived):
                    raise SpecError(f"{kp}: compare a derived column by writing it into its expression", field=kp)
            elif isinstance(k, s.Range):
                need(f"{kp}.column", k.column, ("number",), "numeric")
            elif isinstance(k, s.GroupSum):
                need(f"{kp}.column", k.column, ("number",), "numeric")
                for gcol in k.group_by:
                    need(f"{kp}.group_by", gcol)
                if isinstance(cols[k.column].generator, (s.Derived, s.Sequence)):
                    raise SpecError(f"{kp}.column: must be a generated number, not {cols[k.column].generator.kind}", field=f"{kp}.column")
                users = [c.name for c in t.columns if k.column in column_deps(c)]
                if users:
                    raise SpecError(f"{kp}.column: {k.column} is adjusted per group; {users[0]} cannot depend on it", field=f"{kp}.column")
        fk = clustered_fk(t)
        for k in t.constraints:
            if isinstance(k, s.GroupSum) and fk not in k.group_by:
                raise SpecError(f"{tp}.constraints: a group_sum must group by a foreign key column", field=f"{tp}.constraints")
        column_order(t)
        planned: set[str] = set()
        for u in t.unique:
            how = _unique_plan(t, u, fk)
            shaped = set(u) - {fk} if how in ("joint", "per_parent") else set()
            if shaped & planned:
                raise SpecError(f"{tp}.unique: column {sorted(shaped & planned)[0]} is in two composite unique sets "
                                f"that both shape its values", field=f"{tp}.unique")
            planned |= shaped
    table_order(spec)


def _gs_columns(t: s.TableSpec) -> set[str]:
    return {k.column for k in t.constraints if isinstance(k, s.GroupSum)}


def _family(col: s.ColumnSpec) -> str:
    g = col.generator
    if g.kind in s.NUMERIC_KINDS or g.kind in ("sequence", "derived"):
        return "number"
    if g.kind == "categorical":
        return "number" if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in g.values) else "categorical"
    if g.kind in TEMPORAL:
        return "temporal"
    return g.kind


def domain_size(col: s.ColumnSpec, spec: s.Spec | None = None) -> int | None:
    """How many distinct values a column can take, where that is finite and enumerable."""
    g = col.generator
    if isinstance(g, s.Categorical):
        return len(set(g.values))
    if isinstance(g, s.Uniform) and (g.integer or g.round == 0):
        return max(0, math.floor(g.high) - math.ceil(g.low) + 1)
    if isinstance(g, s.Date):
        return (g.end.date() - g.start.date()).days + 1
    if isinstance(g, s.ForeignKey) and spec is not None:
        return spec.table(g.table).rows
    if isinstance(g, s.Boolean):
        return 2
    return None


def _unique_plan(t: s.TableSpec, cols: list[str], fk: str | None) -> str:
    """How uniqueness of `cols` is guaranteed: 'key' (one column is a key by construction) or
    'per_parent' (clustered FK + one enumerable column, distinct within each parent)."""
    path = f"tables.{t.name}.unique"
    if any(is_unique_key(t.column(c)) for c in cols):
        return "key"
    if len(cols) == 1:
        raise SpecError(f"{path}: column {cols[0]} is not unique by construction; use a sequence, uuid, email, or "
                        f"set unique: true on a uniform integer or categorical generator", field=path)
    rest = [c for c in cols if c != fk]
    if fk in cols and len(rest) == 1 and t.column(rest[0]).nulls == 0 and (
            isinstance(t.column(rest[0]).generator, (s.Categorical, s.Uniform, s.Date))
            and domain_size(t.column(rest[0])) is not None and not getattr(t.column(rest[0]).generator, "after", None)):
        return "per_parent"
    if fk not in cols and all(_enumerable(t.column(c)) for c in cols):
        return "joint"
    raise SpecError(f"{path}: cannot guarantee uniqueness of ({', '.join(cols)}); supported: a set containing a key "
                    f"column, a clustered foreign key plus one categorical/integer/date column, or only "
                    f"categorical/integer/date/foreign-key columns without nulls", field=path)


def _enumerable(col: s.ColumnSpec) -> bool:
    """A column whose values can be enumerated 0..D-1 (for a joint permutation)."""
    g = col.generator
    if col.nulls or getattr(g, "after", None) is not None:
        return False
    if isinstance(g, s.ForeignKey):
        return g.min_children is None and g.max_children is None
    return isinstance(g, (s.Categorical, s.Date)) or (isinstance(g, s.Uniform) and (g.integer or g.round == 0))


def unique_plans(t: s.TableSpec) -> dict[str, str]:
    """column -> 'per_parent' for the columns made distinct within each parent."""
    fk = clustered_fk(t)
    out = {}
    for u in t.unique:
        if _unique_plan(t, u, fk) == "per_parent":
            out[next(c for c in u if c != fk)] = "per_parent"
    return out


def joint_plans(t: s.TableSpec) -> list[list[str]]:
    """Column sets made unique together: one keyed permutation of their joint domain, decoded
    digit by digit (so those columns are uniform without replacement, their weights ignored)."""
    fk = clustered_fk(t)
    return [list(u) for u in t.unique if _unique_plan(t, u, fk) == "joint"]


def _lower_bound(col: s.ColumnSpec) -> float | None:
    g = col.generator
    lows = {"uniform": getattr(g, "low", None), "exponential": 0.0, "poisson": 0.0, "zipf": 1.0, "lognormal": 0.0,
            "power_law": getattr(g, "xmin", None)}
    lb = lows.get(g.kind)
    if isinstance(g, s.Empirical):
        lb = min(g.values) if g.values else g.quantiles[0]
    if isinstance(g, s.Categorical) and _family(col) == "number":
        lb = min(g.values)
    if isinstance(g, s._Numeric) and g.min is not None:
        lb = g.min if lb is None else max(lb, g.min)
    return lb


def _upper_bound(col: s.ColumnSpec) -> float | None:
    g = col.generator
    ub = {"uniform": getattr(g, "high", None), "zipf": getattr(g, "n", None)}.get(g.kind)
    if isinstance(g, s.Empirical):
        ub = max(g.values) if g.values else g.quantiles[-1]
    if isinstance(g, s._Numeric) and g.max is not None:
        ub = g.max if ub is None else min(ub, g.max)
    return ub


def check_feasible(spec: s.Spec) -> None:
    """Raise InfeasibleSpecError naming the field when the constraints cannot all hold."""
    for t in spec.tables:
        tp = f"tables.{t.name}"
        for c in t.columns:
            g, cp = c.generator, f"{tp}.columns.{c.name}.generator"
            if isinstance(g, s.Uniform) and g.unique:
                d = domain_size(c)
                if d is None:
                    raise InfeasibleSpecError(f"{cp}.unique: a unique uniform column must be integer", field=f"{cp}.unique")
                if d < t.rows:
                    raise InfeasibleSpecError(f"{cp}.unique: {t.rows} unique values requested from only {d} integers in "
                                              f"[{g.low}, {g.high}]", field=f"{cp}.unique",
                                              hint="widen the range or lower rows")
            if isinstance(g, s.Categorical) and g.unique and len(set(g.values)) < t.rows:
                raise InfeasibleSpecError(f"{cp}.unique: {t.rows} unique values requested from {len(set(g.values))} categories",
                                          field=f"{cp}.unique")
            if isinstance(g, s._Numeric) and g.min is not None and g.max is not None and g.min > g.max:
                raise InfeasibleSpecError(f"{cp}: min ({g.min}) > max ({g.max})", field=cp)
            if isinstance(g, s.Uniform) and g.high < g.low:
                raise InfeasibleSpecError(f"{cp}: high ({g.high}) < low ({g.low})", field=cp)
            if isinstance(g, s.ForeignKey):
                n = spec.table(g.table).rows
                lo, hi = n * (g.min_children or 0), (n * g.max_children if g.max_children is not None else None)
                if t.rows and n == 0:
                    raise InfeasibleSpecError(f"{cp}: {t.rows} children but parent table {g.table} has 0 rows", field=cp)
                if t.rows < lo:
                    raise InfeasibleSpecError(f"{cp}.min_children: {n} {g.table} x {g.min_children} children needs at "
                                              f"least {lo} rows in {t.name}, it has {t.rows}", field=f"{cp}.min_children")
                if hi is not None and t.rows > hi:
                    raise InfeasibleSpecError(f"{cp}.max_children: {n} {g.table} x {g.max_children} children allows at "
                                              f"most {hi} rows in {t.name}, it asks for {t.rows}", field=f"{cp}.max_children")
        fk = clustered_fk(t)
        for u in t.unique:
            if _unique_plan(t, u, fk) == "per_parent":
                col = t.column(next(c for c in u if c != fk))
                d, fkg = domain_size(col), t.column(fk).generator
                parents = spec.table(fkg.table).rows
                cap = d if fkg.max_children is None else min(d, fkg.max_children)
                if parents * cap < t.rows or (fkg.min_children or 0) > d:
                    raise InfeasibleSpecError(f"{tp}.unique: ({', '.join(u)}) allows at most {cap} rows per {fkg.table} "
                                              f"row ({col.name} has only {d} values), {parents * cap} in all, but "
                                              f"{t.name} asks for {t.rows}", field=f"{tp}.unique")
        for u in joint_plans(t):
            total = 1
            for c in u:
                total *= domain_size(t.column(c), spec)
            if total < t.rows:
                raise InfeasibleSpecError(f"{tp}.unique: ({', '.join(u)}) has only {total} distinct combinations "
                                          f"for {t.rows} rows", field=f"{tp}.unique")
        for i, k in enumerate(t.constraints):
            kp = f"{tp}.constraints.{i}"
            if isinstance(k, s.GroupSum):
                lb = _lower_bound(t.column(k.column))
                if lb is None or lb < 0:
                    raise InfeasibleSpecError(f"{kp}.column: {k.column} must be non-negative for a group sum (set min: 0)",
                                              field=f"{kp}.column")
                if lb > k.max:
                    raise InfeasibleSpecError(f"{kp}.max: every {k.column} is at least {lb}, above the group maximum {k.max}",
                                              field=f"{kp}.max")
                fkg = t.column(fk).generator
                if k.group_by == [fk] and fkg.min_children and lb * fkg.min_children > k.max:
                    raise InfeasibleSpecError(f"{kp}.max: {fkg.min_children} children x at least {lb} exceeds {k.max}",
                                              field=f"{kp}.max")
            if isinstance(k, s.Range) and k.min is not None and k.max is not None and k.min > k.max:
                raise InfeasibleSpecError(f"{kp}: min > max", field=kp)
            if isinstance(k, s.Compare) and k.op in (">", ">="):
                _compare_feasible(t, k.left, k.right, k.op == ">", kp)
            if isinstance(k, s.Compare) and k.op in ("<", "<="):
                _compare_feasible(t, k.right, k.left, k.op == "<", kp)


def _compare_feasible(t: s.TableSpec, big: str, small: str, strict: bool, kp: str) -> None:
    ub, lb = _upper_bound(t.column(big)), _lower_bound(t.column(small))
    if ub is not None and lb is not None and (ub < lb or (strict and ub <= lb)):
        raise InfeasibleSpecError(f"{kp}: {big} is at most {ub} but {small} is at least {lb}", field=kp)
