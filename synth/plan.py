"""A compiled spec: per table, the column order, stream keys and foreign-key layouts, and
`compute(rows)`, which evaluates columns for ANY set of row indices. Batches, parent lookups
(keys, dates) and workers all go through it, so a value depends only on (seed, table, column, row)."""

from __future__ import annotations

import functools

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import distributions as dist
from . import expr as expr_mod
from . import rng, text
from . import spec as s
from .checks import _family, clustered_fk, column_order, domain_size, joint_plans, table_order, unique_plans
from .enforce import enforce_compare, group_sum
from .errors import SpecError
from .numeric import numeric, temporal
from .values import DAY, Col, micros

DICT_KINDS = ("first_name", "last_name", "full_name", "city", "country", "word")


def is_dictionary(col: s.ColumnSpec) -> bool:
    """Columns emitted as dictionary<int32, string>: one vocabulary, no per-row string building."""
    g = col.generator
    return g.kind in DICT_KINDS or (isinstance(g, s.Categorical) and _family(col) == "categorical"
                                    and not all(isinstance(v, bool) for v in g.values))


def arrow_type(spec: s.Spec, table: s.TableSpec, col: s.ColumnSpec, dictionary: bool = True) -> pa.DataType:
    g = col.generator
    if isinstance(g, s.ForeignKey):
        parent = spec.table(g.table)
        return arrow_type(spec, parent, parent.column(g.column), dictionary=False)
    if dictionary and is_dictionary(col):
        return pa.dictionary(pa.int32(), pa.string())
    if isinstance(g, s.Sequence):
        return pa.int64()
    if isinstance(g, s.Categorical):
        fam = _family(col)
        if fam == "categorical":
            return pa.bool_() if all(isinstance(v, bool) for v in g.values) else pa.string()
        return pa.int64() if all(isinstance(v, int) for v in g.values) else pa.float64()
    if isinstance(g, (s._Numeric, s.Derived)):
        if isinstance(g, s.Derived) and not g.integer and g.round is None:
            return pa.float64()
        return pa.int64() if (g.integer or g.round == 0) else pa.float64()
    if isinstance(g, s.Boolean):
        return pa.bool_()
    if isinstance(g, s.Date):
        return pa.date32()
    if isinstance(g, s.Timestamp):
        return pa.timestamp("us")
    return pa.string()


def arrow_schema(spec: s.Spec, table: str, dictionary: bool = True) -> pa.Schema:
    """The schema of a table's batches. dictionary=False: plain strings everywhere."""
    t = spec.table(table)
    return pa.schema([pa.field(c.name, arrow_type(spec, t, c, dictionary)) for c in t.columns])


class SpecPlan:
    def __init__(self, spec: s.Spec, seed: int, dictionary: bool = True) -> None:
        self.spec, self.seed, self.dictionary = spec, seed, dictionary
        self.order = table_order(spec)
        self.tables = {t.name: TablePlan(self, t) for t in spec.tables}


class TablePlan:
    def __init__(self, sp: SpecPlan, t: s.TableSpec) -> None:
        self.sp, self.t, self.name = sp, t, t.name
        self.order = column_order(t)
        self.cols = {c.name: c for c in t.columns}
        self.fk = clustered_fk(t)
        self.per_parent = unique_plans(t)
        self.joint: dict[str, tuple[int, int, int]] = {}  # column -> (set, place value, domain size)
        self.joint_sizes: list[int] = []
        for i, cols in enumerate(joint_plans(t)):
            place = 1
            for c in cols:
                size = domain_size(self.cols[c], sp.spec)
                self.joint[c] = (i, place, size)
                place *= size
            self.joint_sizes.append(place)
        self.compares = [k for k in t.constraints if isinstance(k, s.Compare)]
        self.group_sums = [k for k in t.constraints if isinstance(k, s.GroupSum)]
        self.ranges = {}
        for k in t.constraints:
            if isinstance(k, s.Range):
                self.ranges.setdefault(k.column, []).append(k)
        self.schema = arrow_schema(sp.spec, t.name, sp.dictionary)
        self._keys: dict[tuple[str, str], int] = {}
        self._cdfs: dict[str, dist.Sampler] = {}

    def key(self, column: str, purpose: str) -> int:
        k = (column, purpose)
        if k not in self._keys:
            self._keys[k] = rng.stream_key(self.sp.seed, self.name, column, purpose)
        return self._keys[k]

    def keyfn(self, column: str):
        return lambda purpose: self.key(column, purpose)

    # ---- clustered foreign key: children in contiguous blocks per parent --------------------

    @functools.cached_property
    def ends(self) -> np.ndarray:
        """ends[p] = one past the last child row of parent p (a prefix sum of child counts)."""
        g = self.cols[self.fk].generator
        n, total = self.sp.spec.table(g.table).rows, self.t.rows
        lo = g.min_children or 0
        most = g.max_children
        for col in self.per_parent:  # distinct values per parent: no more children than values
            d = domain_size(self.cols[col])
            most = d if most is None else min(most, d)
        cap = (most - lo) if most is not None else None
        parents = np.arange(n, dtype=np.int64)
        rank = text._affine_bijection(parents, n, self.key(self.fk, "rank"))
        w = (rank + 1.0) ** -g.skew * dist.exponential(rng.uniform(self.key(self.fk, "noise"), parents), 1.0)
        extra = np.zeros(n, dtype=np.int64)
        remaining = total - n * lo
        room = np.full(n, np.iinfo(np.int64).max // 4 if cap is None else cap, dtype=np.int64)
        for _ in range(64):  # proportional allocation, capped, redistributing what caps cut off
            if remaining <= 0:
                break
            active = room > extra
            share = np.floor(remaining * np.where(active, w, 0.0) / w[active].sum()).astype(np.int64)
            share = np.minimum(share, room - extra)
            if share.sum() == 0:
                break
            extra += share
            remaining -= int(share.sum())
        while remaining > 0:  # the last few, one each to the most popular parents with room
            cand = np.flatnonzero(room > extra)
            cand = cand[np.argsort(-w[cand], kind="stable")][:remaining]
            extra[cand] += 1
            remaining -= len(cand)
        return np.cumsum(lo + extra)

    def block_parent(self, rows: np.ndarray) -> np.ndarray:
        n = len(rows)
        if n > 1 and rows[-1] - rows[0] == n - 1 and rows[0] >= 0:  # a contiguous range: repeat, no search
            ends = self.ends
            p0, p1 = np.searchsorted(ends, [rows[0], rows[-1]], side="right")
            seg = np.minimum(ends[p0:p1 + 1], rows[-1] + 1) - np.maximum(self.block_start(np.arange(p0, p1 + 1)), rows[0])
            return np.repeat(np.arange(p0, p1 + 1, dtype=np.int64), seg)
        return np.searchsorted(self.ends, rows, side="right")

    def block_start(self, parents: np.ndarray) -> np.ndarray:
        ends = self.ends
        return np.where(parents > 0, ends[np.maximum(parents - 1, 0)], 0)

    # ---- evaluation --------------------------------------------------------------------------

    def compute(self, rows: np.ndarray, only: set[str] | None = None) -> dict[str, Col]:
        """Evaluate columns (all, or `only` and what they depend on) at the given rows."""
        need = self._closure(only) if only is not None else set(self.order)
        env: dict[str, Col] = {}
        done: set[int] = set()
        for name in self.order:
            if name not in need:
                continue
            env[name] = self._column(self.cols[name], rows, env)
            for r in self.ranges.get(name, ()):
                env[name].values = np.clip(env[name].values, r.min, r.max)
            for i, k in enumerate(self.compares):
                if i not in done and k.left in env and k.right in env:
                    done.add(i)
                    enforce_compare(self, k, env)
        return env

    def _closure(self, only: set[str]) -> set[str]:
        from .checks import column_deps
        out, todo = set(), list(only)
        while todo:
            n = todo.pop()
            if n in out:
                continue
            out.add(n)
            todo += column_deps(self.cols[n])
            todo += [x for k in self.compares if n in (k.left, k.right) for x in (k.left, k.right)]
        return out

    def _column(self, col: s.ColumnSpec, rows: np.ndarray, env: dict[str, Col]) -> Col:
        g, name = col.generator, col.name
        key = self.keyfn(name)
        mask = (rng.uniform(key("null"), rows) < col.nulls) if col.nulls > 0 else None
        out = self._values(g, name, rows, env, key)
        if mask is not None:  # a derived column may already carry its inputs' NULLs
            out.mask = mask if out.mask is None else (out.mask | mask)
        return out

    def _values(self, g, name: str, rows: np.ndarray, env: dict[str, Col], key) -> Col:
        if isinstance(g, s.Sequence):
            return Col(g.start + g.step * rows.astype(np.int64))
        if name in self.joint:
            return self._joint(g, name, rows)
        if isinstance(g, s.ForeignKey):
            return self._foreign_key(g, name, rows)
        if name in self.per_parent:
            return self._per_parent(g, name, rows, env)
        if isinstance(g, s._Numeric):
            return numeric(self, g, name, rows, env, key)
        if isinstance(g, s.Categorical):
            if g.unique:
                idx = rng.permute(key("perm"), rows, len(g.values))
            else:
                idx = dist.discrete(rng.uniform(key("u"), rows), np.asarray(g.weights or [1.0] * len(g.values)))
            return self._cat_values(g, idx)
        if isinstance(g, s.Boolean):
            return Col(rng.uniform(key("u"), rows) < g.p)
        if isinstance(g, s._Temporal):
            return Col(temporal(self, g, name, rows, env, key))
        if isinstance(g, s.Derived):
            tree = expr_mod.parse(g.expr)
            deps = expr_mod.columns(tree)
            v = np.asarray(expr_mod.evaluate(tree, {d: env[d].values for d in deps}), dtype=np.float64)
            v = np.broadcast_to(v, rows.shape).copy()
            masks = [env[d].mask for d in deps if env[d].mask is not None]
            bad = ~np.isfinite(v)
            if bad.any():
                masks.append(bad)
                v[bad] = 0
            if g.round is not None:
                v = np.round(v, g.round)
            if g.integer or g.round == 0:
                v = np.rint(v).astype(np.int64)
            return Col(v, mask=np.logical_or.reduce(masks) if masks else None)
        if isinstance(g, (s.FirstName, s.LastName)):
            codes = text.name_codes(g.kind, key, rows)
            words = text.vocab.words("first_names" if g.kind == "first_name" else "last_names")
            return Col(codes, codes=codes, dictionary=words)
        if isinstance(g, (s.FullName, s.Email)):
            first = env[g.first].codes if g.first else text.name_codes("first_name", self.keyfn(name + "/first"), rows)
            last = env[g.last].codes if g.last else text.name_codes("last_name", self.keyfn(name + "/last"), rows)
            if isinstance(g, s.FullName):
                return Col(text.pair_codes(first, last), dictionary=text.vocab.name_pairs(" "))
            return Col(text.email(g, key, rows, first, last, self.t.rows))
        simple = {"company": text.company, "street_address": text.street_address, "uuid": text.uuid}
        if g.kind in simple:
            return Col(simple[g.kind](key, rows))
        if isinstance(g, s.City):
            codes, words = text.city(key, rows, env[g.country].values if g.country else None)
            return Col(codes, dictionary=words)
        if isinstance(g, s.Word):
            codes, words = text.word(key, rows)
            return Col(codes, dictionary=words)
        if isinstance(g, s.Country):
            codes, words = text.country(g, key, rows)
            return Col(codes, dictionary=words)
        if isinstance(g, s.Phone):
            return Col(text.phone(g, key, rows))
        if isinstance(g, s.Sentence):
            return Col(text.sentence(g, key, rows))
        raise SpecError(f"generator {g.kind} is not implemented")

    @staticmethod
    def _cat_values(g: s.Categorical, idx: np.ndarray) -> Col:
        if all(isinstance(v, bool) for v in g.values) or not all(isinstance(v, str) for v in g.values):
            return Col(np.asarray(g.values)[idx])
        return Col(idx, dictionary=_vocab(tuple(g.values)))

    def _foreign_key(self, g: s.ForeignKey, name: str, rows: np.ndarray) -> Col:
        n = self.sp.spec.table(g.table).rows
        if name == self.fk:
            prow = self.block_parent(rows)
        else:
            u = rng.uniform(self.key(name, "u"), rows)
            rank = dist.zipf(u, n, g.skew) - 1 if g.skew > 0 else np.minimum((u * n).astype(np.int64), n - 1)
            prow = text._affine_bijection(rank, n, self.key(name, "rank"))
        parent = self.sp.tables[g.table]
        if isinstance(parent.cols[g.column].generator, s.Sequence):  # the common case: arithmetic
            pg = parent.cols[g.column].generator
            return Col(pg.start + pg.step * prow, parent_rows=prow)
        return Col(parent.compute(prow, only={g.column})[g.column].materialize(), parent_rows=prow)

    def _joint(self, g, name: str, rows: np.ndarray) -> Col:
        """One digit of a keyed permutation of the set's joint domain: distinct combinations."""
        i, place, size = self.joint[name]
        idx = (rng.permute(self.key(f"unique{i}", "perm"), rows, self.joint_sizes[i]) // place) % size
        return self._enumerated(g, idx)

    def _enumerated(self, g, idx: np.ndarray) -> Col:
        """The idx-th value of an enumerable generator's domain."""
        if isinstance(g, s.Categorical):
            return self._cat_values(g, idx)
        if isinstance(g, s.Date):
            return Col((micros(g.start) // DAY + idx) * DAY)
        if isinstance(g, s.ForeignKey):
            parent = self.sp.tables[g.table]
            return Col(parent.compute(idx, only={g.column})[g.column].materialize(), parent_rows=idx)
        lo = int(np.ceil(g.low))
        return Col(lo + idx if (g.integer or g.round == 0) else (lo + idx).astype(np.float64))

    def _per_parent(self, g, name: str, rows: np.ndarray, env: dict[str, Col]) -> Col:
        """Distinct within each parent block: (offset(parent) + position) mod D walks the domain."""
        from .checks import domain_size
        d = domain_size(self.cols[name])
        prow = env[self.fk].parent_rows
        pos = rows - self.block_start(prow)
        off = rng.below(self.key(name, "offset"), prow, d)
        return self._enumerated(g, (off + pos) % d)

    # ---- batches ------------------------------------------------------------------------------

    def batch(self, start: int, stop: int) -> pa.RecordBatch:
        lo, hi = start, stop
        if self.group_sums and stop > start:  # whole parent blocks, so every group is complete
            p = self.block_parent(np.array([start, stop - 1]))
            lo, hi = int(self.block_start(p[:1])[0]), int(self.ends[p[1]])
        rows = np.arange(lo, hi, dtype=np.int64)
        env = self.compute(rows)
        for k in self.group_sums:
            group_sum(self, k, env)
        cut = slice(start - lo, stop - lo)
        arrays = []
        for field in self.schema:
            c = env[field.name]
            values, mask = c.values[cut], None if c.mask is None else c.mask[cut]
            if c.dictionary is not None:
                if pa.types.is_dictionary(field.type):
                    idx = pa.array(values.astype(np.int32), pa.int32(), mask=mask)
                    arrays.append(pa.DictionaryArray.from_arrays(idx, c.dictionary))
                    continue
                values = text.take(c.dictionary, values)
            arrays.append(_to_arrow(values, mask, field.type))
        return pa.RecordBatch.from_arrays(arrays, schema=self.schema)

@functools.lru_cache(maxsize=64)
def _vocab(values: tuple) -> pa.Array:
    return pa.array(list(values), pa.string())


def _to_arrow(values, mask, typ: pa.DataType) -> pa.Array:
    if isinstance(values, pa.Array):
        if mask is None:
            return values
        return pc.if_else(pa.array(mask), pa.nulls(len(values), values.type), values)
    if pa.types.is_date32(typ):
        return pa.array((values // DAY).astype(np.int32), pa.int32(), mask=mask).view(pa.date32())
    if pa.types.is_timestamp(typ):
        return pa.array(values.astype(np.int64), pa.int64(), mask=mask).view(typ)
    if pa.types.is_int64(typ):
        return pa.array(values.astype(np.int64, copy=False), typ, mask=mask)
    if pa.types.is_floating(typ):
        return pa.array(values.astype(np.float64, copy=False), typ, mask=mask)
    return pa.array(values, typ, mask=mask)
