"""After generation: violations (each must be 0) and summary statistics against the spec.

`validate` works on Arrow tables; `validation_queries` returns the same violation checks as SQL
(one `SELECT count(*)` each), to run in the engine after loading."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlglot import exp

from . import spec as s


@dataclass
class Report:
    violations: dict[str, int] = field(default_factory=dict)   # check name -> violating rows/groups
    stats: list[dict] = field(default_factory=list)            # one per column: observed vs expected

    @property
    def ok(self) -> bool:
        return all(v == 0 for v in self.violations.values())

    def to_table(self) -> pa.Table:
        return pa.table({"check": list(self.violations), "violations": list(self.violations.values())})


# ---- the checks, as (name, table, kind, details), shared by both forms -----------------------

def _checks(spec: s.Spec):
    for t in spec.tables:
        for c in t.columns:
            g = c.generator
            if isinstance(g, s.ForeignKey):
                yield f"orphans:{t.name}.{c.name}->{g.table}.{g.column}", ("fk", t.name, c.name, g.table, g.column)
                if g.min_children:
                    yield f"min_children:{t.name}.{c.name}", ("min_children", t.name, c.name, g.table, g.column, g.min_children)
                if g.max_children is not None:
                    yield f"max_children:{t.name}.{c.name}", ("max_children", t.name, c.name, g.max_children)
            if isinstance(g, s._Temporal) and g.after is not None:
                fk = t.column(g.after.fk).generator
                yield (f"before_parent:{t.name}.{c.name}<{fk.table}.{g.after.column}",
                       ("after", t.name, c.name, g.after.fk, fk.table, fk.column, g.after.column))
            if (c.nulls == 0 and isinstance(g, (s.Sequence, s.Uuid, s.Email))) or getattr(g, "unique", False):
                yield f"duplicates:{t.name}({c.name})", ("unique", t.name, [c.name])
        for u in t.unique:
            yield f"duplicates:{t.name}({','.join(u)})", ("unique", t.name, list(u))
        for i, k in enumerate(t.constraints):
            if isinstance(k, s.Compare):
                yield f"compare:{t.name}.{k.left}{k.op}{k.right}", ("compare", t.name, k.left, k.op, k.right)
            elif isinstance(k, s.Range):
                yield f"range:{t.name}.{k.column}", ("range", t.name, k.column, k.min, k.max)
            elif isinstance(k, s.GroupSum):
                yield (f"group_sum:{t.name}.sum({k.column})>{k.max:g} by {','.join(k.group_by)}",
                       ("group_sum", t.name, k.column, list(k.group_by), k.max))


def _dedup(items):
    seen = {}
    for name, c in items:
        seen.setdefault(name, c)
    return list(seen.items())


# ---- Arrow form --------------------------------------------------------------------------------

def validate(spec: s.Spec, tables: dict[str, pa.Table | pa.RecordBatchReader]) -> Report:
    """Violations (orphans, duplicates, children bounds, dates before the parent's, compare,
    range and group-sum breaches) and per-column statistics against the spec. In memory: for
    tables already loaded into an engine, run validation_queries() there instead."""
    tables = {n: (t.read_all() if isinstance(t, pa.RecordBatchReader) else t) for n, t in tables.items()}
    rep = Report()
    for name, c in _dedup(_checks(spec)):
        if c[1] not in tables:
            continue
        rep.violations[name] = _arrow_check(c, tables)
    for t in spec.tables:
        if t.name in tables:
            rep.stats += column_stats(spec, t, tables[t.name])
    return rep


def _arrow_check(c, tables: dict[str, pa.Table]) -> int:
    kind, t = c[0], tables[c[1]]
    if kind == "fk":
        child = t[c[2]]
        if c[3] not in tables:
            return 0
        found = pc.is_in(child, value_set=tables[c[3]][c[4]])
        return int(pc.sum(pc.and_(pc.invert(found), pc.is_valid(child))).as_py() or 0)
    if kind == "min_children":
        if c[3] not in tables:
            return 0
        counts = t.group_by(c[2]).aggregate([([], "count_all")])
        parent = pa.table({c[4]: tables[c[3]][c[4]]})
        joined = parent.join(counts.rename_columns([c[4], "n"]), c[4], join_type="left outer")
        n = pc.fill_null(joined["n"], 0)
        return int(pc.sum(pc.less(n, c[5])).as_py() or 0)
    if kind == "max_children":
        counts = t.group_by(c[2]).aggregate([([], "count_all")])
        return int(pc.sum(pc.greater(counts["count_all"], c[3])).as_py() or 0)
    if kind == "after":
        _, _, col, fk, ptab, pkey, pcol = c
        if ptab not in tables:
            return 0
        parent = pa.table({fk: tables[ptab][pkey], "_p": tables[ptab][pcol]})
        joined = pa.table({fk: t[fk], "_c": t[col]}).join(parent, fk, join_type="inner")
        cv, pv = joined["_c"], joined["_p"]
        if pa.types.is_date(cv.type) and pa.types.is_timestamp(pv.type):
            cv = pc.cast(cv, pv.type)
        elif pa.types.is_timestamp(cv.type) and pa.types.is_date(pv.type):
            pv = pc.cast(pv, cv.type)
        return int(pc.sum(pc.less(cv, pv)).as_py() or 0)
    if kind == "unique":
        cols = c[2]
        sub = t.select(cols)
        valid = None
        for x in cols:
            v = pc.is_valid(sub[x])
            valid = v if valid is None else pc.and_(valid, v)
        sub = sub.filter(valid)
        return sub.num_rows - sub.group_by(cols).aggregate([]).num_rows
    if kind == "compare":
        _, _, left, op, right = c
        fn = {"<": pc.less, "<=": pc.less_equal, ">": pc.greater, ">=": pc.greater_equal}[op]
        return int(pc.sum(pc.invert(fn(t[left], t[right]))).as_py() or 0)
    if kind == "range":
        _, _, col, lo, hi = c
        bad = 0
        if lo is not None:
            bad += int(pc.sum(pc.less(t[col], lo)).as_py() or 0)
        if hi is not None:
            bad += int(pc.sum(pc.greater(t[col], hi)).as_py() or 0)
        return bad
    if kind == "group_sum":
        _, _, col, by, mx = c
        sums = t.group_by(by).aggregate([(col, "sum")])
        return int(pc.sum(pc.greater(sums[f"{col}_sum"], mx + 1e-9 * max(1.0, abs(mx)))).as_py() or 0)
    raise ValueError(kind)


# ---- SQL form ----------------------------------------------------------------------------------

def validation_queries(spec: s.Spec, *, table_names: dict[str, str] | None = None, schema: str | None = None,
                       dialect: str = "duckdb") -> list[tuple[str, str]]:
    """[(check name, SQL returning one count that must be 0)] for the tables once loaded.
    `table_names` maps spec table names to the names they were loaded under (e.g. staging)."""
    names = table_names or {}

    def tbl(n: str, alias: str) -> exp.Table:
        return exp.table_(exp.to_identifier(names.get(n, n), quoted=True),
                          db=exp.to_identifier(schema, quoted=True) if schema else None,
                          alias=exp.to_identifier(alias))

    def col(n: str, alias: str = "t") -> exp.Column:
        return exp.column(exp.to_identifier(n, quoted=True), table=exp.to_identifier(alias))

    count = exp.Count(this=exp.Star())
    out = []
    for name, c in _dedup(_checks(spec)):
        kind = c[0]
        if kind == "fk":
            _, t, fk, pt, pk = c
            sub = exp.select("1").from_(tbl(pt, "p")).where(exp.EQ(this=col(pk, "p"), expression=col(fk)))
            q = exp.select(count).from_(tbl(t, "t")).where(
                exp.and_(exp.Not(this=exp.Is(this=col(fk), expression=exp.Null())), exp.Not(this=exp.Exists(this=sub))))
        elif kind == "min_children":
            _, t, fk, pt, pk, mn = c
            n = exp.select(count).from_(tbl(t, "t")).where(exp.EQ(this=col(fk), expression=col(pk, "p"))).subquery()
            q = exp.select(count).from_(tbl(pt, "p")).where(exp.LT(this=n, expression=exp.Literal.number(mn)))
        elif kind == "max_children":
            _, t, fk, mx = c
            inner = exp.select(col(fk)).from_(tbl(t, "t")).group_by(col(fk)).having(
                exp.GT(this=count.copy(), expression=exp.Literal.number(mx)))
            q = exp.select(count).from_(inner.subquery("g"))
        elif kind == "after":
            _, t, cc, fk, pt, pk, pc_ = c
            q = exp.select(count).from_(tbl(t, "t")).join(
                tbl(pt, "p"), on=exp.EQ(this=col(pk, "p"), expression=col(fk))).where(
                exp.LT(this=exp.cast(col(cc), "TIMESTAMP"), expression=exp.cast(col(pc_, "p"), "TIMESTAMP")))
        elif kind == "unique":
            _, t, cols = c
            inner = exp.select(*[col(x) for x in cols]).from_(tbl(t, "t")).where(
                exp.and_(*[exp.Not(this=exp.Is(this=col(x), expression=exp.Null())) for x in cols])).group_by(
                *[col(x) for x in cols]).having(exp.GT(this=count.copy(), expression=exp.Literal.number(1)))
            q = exp.select(count).from_(inner.subquery("g"))
        elif kind == "compare":
            _, t, left, op, right = c
            cmp = {"<": exp.LT, "<=": exp.LTE, ">": exp.GT, ">=": exp.GTE}[op](this=col(left), expression=col(right))
            q = exp.select(count).from_(tbl(t, "t")).where(exp.Not(this=exp.paren(cmp)))
        elif kind == "range":
            _, t, cc, lo, hi = c
            conds = ([exp.LT(this=col(cc), expression=exp.Literal.number(lo))] if lo is not None else []) + \
                    ([exp.GT(this=col(cc), expression=exp.Literal.number(hi))] if hi is not None else [])
            q = exp.select(count).from_(tbl(t, "t")).where(exp.or_(*conds))
        elif kind == "group_sum":
            _, t, cc, by, mx = c
            limit = mx + 1e-9 * max(1.0, abs(mx))
            inner = exp.select(*[col(x) for x in by]).from_(tbl(t, "t")).group_by(*[col(x) for x in by]).having(
                exp.GT(this=exp.Sum(this=col(cc)), expression=exp.Literal.number(repr(limit))))
            q = exp.select(count).from_(inner.subquery("g"))
        else:
            continue
        out.append((name, q.sql(dialect=dialect)))
    return out


# ---- statistics ----------------------------------------------------------------------------------

def expected_moments(g) -> tuple[float | None, float | None]:
    """Mean and std the generator aims at, before clipping/rounding/noise (None where unknown)."""
    if isinstance(g, s.Normal):
        return g.mean, g.std
    if isinstance(g, s.Uniform) and not g.unique:
        if g.integer or g.round == 0:
            lo, hi = math.ceil(g.low), math.floor(g.high)
            return (lo + hi) / 2, math.sqrt(((hi - lo + 1) ** 2 - 1) / 12)
        return (g.low + g.high) / 2, (g.high - g.low) / math.sqrt(12)
    if isinstance(g, s.Exponential):
        return g.mean, g.mean
    if isinstance(g, s.Poisson):
        return g.mean, math.sqrt(g.mean)
    if isinstance(g, s.LogNormal):
        m = math.exp(g.mu + g.sigma ** 2 / 2)
        return m, m * math.sqrt(math.exp(g.sigma ** 2) - 1)
    return None, None


def column_stats(spec: s.Spec, t: s.TableSpec, table: pa.Table) -> list[dict]:
    out = []
    for c in t.columns:
        if c.name not in table.column_names:
            continue
        arr = table[c.name]
        n = len(arr)
        row = {"table": t.name, "column": c.name, "kind": c.generator.kind, "rows": n,
               "null_rate": (arr.null_count / n) if n else 0.0, "expected_null_rate": c.nulls}
        g = c.generator
        typ = arr.type
        if (pa.types.is_integer(typ) or pa.types.is_floating(typ)) and n:
            vals = pc.cast(arr, pa.float64())
            row["mean"], row["std"] = pc.mean(vals).as_py(), pc.stddev(vals).as_py()
            row["expected_mean"], row["expected_std"] = expected_moments(g)
        elif isinstance(g, s.Categorical) and n:
            vc = pc.value_counts(arr.drop_null()).to_pylist() if arr.null_count < n else []
            total = sum(x["counts"] for x in vc) or 1
            obs = {x["values"]: x["counts"] / total for x in vc}
            w = np.asarray(g.weights or [1.0] * len(g.values), dtype=float)
            row["frequencies"] = {str(v): round(obs.get(v, 0.0), 4) for v in g.values}
            row["expected_frequencies"] = {str(v): round(float(x), 4) for v, x in zip(g.values, w / w.sum())}
        elif isinstance(g, s.Boolean) and n:
            row["true_rate"] = pc.mean(pc.cast(arr, pa.float64())).as_py()
            row["expected_true_rate"] = g.p
        out.append(row)
    return out
