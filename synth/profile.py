"""Profile existing data into a spec (`CALL synthesize(like => 'orders', rows => N)`): types,
distributions (as quantiles), categories with frequencies, null rates, keys and foreign keys."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import spec as s
from . import vocab

MAX_CATEGORIES = 1000
QUANTILES = 257


def _read(data: pa.Table | pa.RecordBatchReader, limit: int) -> pa.Table:
    if isinstance(data, pa.Table):
        return data.slice(0, limit)
    batches, n = [], 0
    for b in data:
        batches.append(b)
        n += b.num_rows
        if n >= limit:
            break
    return pa.Table.from_batches(batches, schema=data.schema).slice(0, limit)


def profile(data: pa.Table | pa.RecordBatchReader, name: str, *, rows: int | None = None,
            foreign_keys: dict[str, tuple[str, str]] | None = None, sample_rows: int = 200_000) -> s.TableSpec:
    """A TableSpec generating more rows like `data`. foreign_keys: {column: (parent_table,
    parent_column)}; such a TableSpec is valid inside a Spec that also has the parent (see profile_spec)."""
    t = _read(data, sample_rows)
    fks = foreign_keys or {}
    cols = []
    for field, arr in zip(t.schema, t.columns):
        arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
        if pa.types.is_dictionary(arr.type):
            arr = arr.cast(arr.type.value_type)
        nulls = round(arr.null_count / len(arr), 6) if len(arr) else 0.0
        if field.name in fks:
            gen = _foreign_key(arr, *fks[field.name])
        else:
            gen = _generator(arr.drop_null(), len(arr), nulls == 0)
        cols.append(s.ColumnSpec(name=field.name, generator=gen, nulls=0.0 if gen["kind"] in ("sequence",) else nulls))
    return s.TableSpec(name=name, rows=t.num_rows if rows is None else rows, columns=cols)


def profile_spec(samples: dict[str, pa.Table | pa.RecordBatchReader], rows: dict[str, int] | None = None, *,
                 foreign_keys: list[tuple[str, str, str, str]] = (), seed: int = 0) -> s.Spec:
    """Profile several related tables at once. foreign_keys: (child_table, child_column,
    parent_table, parent_column). Parents whose keys are 1..N profile as sequences, so new
    children generated with `generate(spec, tables=[child])` reference existing parent rows."""
    per: dict[str, dict[str, tuple[str, str]]] = {}
    for ct, cc, pt, pcol in foreign_keys:
        per.setdefault(ct, {})[cc] = (pt, pcol)
    tables = [profile(data, name, rows=(rows or {}).get(name), foreign_keys=per.get(name))
              for name, data in samples.items()]
    return s.from_dict({"seed": seed, "tables": [t.model_dump() for t in tables]})


def _foreign_key(arr: pa.Array, table: str, column: str) -> dict:
    counts = np.sort(pc.value_counts(arr.drop_null()).field("counts").to_numpy())[::-1].astype(np.float64)
    return {"kind": "foreign_key", "table": table, "column": column, "skew": round(_zipf_exponent(counts), 3)}


def _zipf_exponent(counts: np.ndarray) -> float:
    """Slope of log(count) against log(rank) over the head of the distribution."""
    k = min(len(counts), 1000)
    if k < 5 or counts[0] <= counts[k - 1]:
        return 0.0
    x, y = np.log(np.arange(1, k + 1)), np.log(counts[:k])
    return float(np.clip(-np.polyfit(x, y, 1)[0], 0.0, 3.0))


def _generator(arr: pa.Array, n_total: int, no_nulls: bool) -> dict:
    typ, n = arr.type, len(arr)
    if n == 0:
        return {"kind": "categorical", "values": ["?"]}
    if pa.types.is_boolean(typ):
        return {"kind": "boolean", "p": round(float(pc.mean(pc.cast(arr, pa.float64())).as_py()), 6)}
    if pa.types.is_integer(typ) or pa.types.is_floating(typ) or pa.types.is_decimal(typ):
        return _numeric(arr, no_nulls)
    if pa.types.is_date(typ) or pa.types.is_timestamp(typ):
        return _temporal(arr)
    if pa.types.is_string(typ) or pa.types.is_large_string(typ):
        return _text(arr)
    return _text(pc.cast(arr, pa.string()))


def _numeric(arr: pa.Array, no_nulls: bool) -> dict:
    is_int = pa.types.is_integer(arr.type)
    v = pc.cast(arr, pa.float64()).to_numpy(zero_copy_only=False)
    distinct = np.unique(v)
    if is_int and no_nulls and len(distinct) == len(v):
        diffs = np.diff(v)
        if len(v) > 1 and (np.all(diffs == 1) or (distinct[-1] - distinct[0] == len(v) - 1)):
            return {"kind": "sequence", "start": int(distinct[0]), "step": 1}
    if len(distinct) <= min(50, max(2, len(v) // 20)):
        vals, counts = np.unique(v, return_counts=True)
        values = [int(x) for x in vals] if is_int else [float(x) for x in vals]
        return {"kind": "categorical", "values": values, "weights": [round(c / len(v), 6) for c in counts]}
    q = np.quantile(v, np.linspace(0, 1, QUANTILES))
    gen = {"kind": "empirical", "quantiles": [float(x) for x in q], "min": float(distinct[0]), "max": float(distinct[-1])}
    if is_int:
        gen["integer"] = True
        gen["round"] = 0
    else:
        d = _decimals(v)
        if d is not None:
            gen["round"] = d
    return gen


def _decimals(v: np.ndarray) -> int | None:
    sample = v[: 10_000]
    for d in range(0, 5):
        scaled = sample * 10 ** d
        if np.all(np.abs(scaled - np.round(scaled)) < 1e-6 * np.maximum(1, np.abs(scaled))):
            return d
    return None


_EPOCH = dt.datetime(1970, 1, 1)


def _temporal(arr: pa.Array) -> dict:
    is_date = pa.types.is_date(arr.type)
    ts = pc.cast(arr, pa.timestamp("us")) if is_date else arr
    if getattr(ts.type, "tz", None):
        ts = pc.cast(ts.cast(pa.int64()), pa.timestamp("us"))
    us = pc.cast(pc.cast(ts, pa.timestamp("us")), pa.int64()).to_numpy(zero_copy_only=False)
    q = np.quantile(us, np.linspace(0, 1, QUANTILES)).astype(np.int64)
    stamps = [(_EPOCH + dt.timedelta(microseconds=int(x))).isoformat() for x in q]
    end = stamps[-1] if q[-1] > q[0] else (_EPOCH + dt.timedelta(microseconds=int(q[0]) + 86_400_000_000)).isoformat()
    return {"kind": "date" if is_date else "timestamp", "start": stamps[0], "end": end, "quantiles": stamps}


def _text(arr: pa.Array) -> dict:
    n = len(arr)
    vc = pc.value_counts(arr)
    values, counts = vc.field("values"), vc.field("counts").to_numpy()
    distinct = len(values)
    if distinct <= MAX_CATEGORIES and distinct <= max(20, n // 5):
        order = np.argsort(-counts, kind="stable")
        return {"kind": "categorical", "values": [values[int(i)].as_py() for i in order],
                "weights": [round(float(counts[i]) / n, 6) for i in order]}
    sample = arr.slice(0, 2000)
    share = lambda mask: float(pc.mean(pc.cast(mask, pa.float64())).as_py() or 0)  # noqa: E731
    if share(pc.match_substring_regex(sample, r"^[^@\s]+@[^@\s]+\.[a-z]+$")) > 0.9:
        return {"kind": "email"}
    if share(pc.match_substring_regex(sample, r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")) > 0.9:
        return {"kind": "uuid"}
    if share(pc.match_substring_regex(sample, r"^\+?[0-9][0-9 ()\-.]{6,}$")) > 0.9:
        fmt = pc.replace_substring_regex(sample[0:1], r"[0-9]", "#")[0].as_py()
        return {"kind": "phone", "format": fmt}
    first, last = vocab.words("first_names"), vocab.words("last_names")
    if share(pc.is_in(sample, value_set=first)) > 0.8:
        return {"kind": "first_name"}
    if share(pc.is_in(sample, value_set=last)) > 0.8:
        return {"kind": "last_name"}
    words = pc.utf8_split_whitespace(sample)
    lens = pc.list_value_length(words).to_numpy(zero_copy_only=False)
    if len(lens) and lens.min() >= 2:
        last_word = pc.utf8_split_whitespace(pc.utf8_reverse(sample))
        last_word = pc.utf8_reverse(pc.list_element(last_word, 0))
        if share(pc.and_(pc.match_substring_regex(sample, r"^[0-9]+ "),
                         pc.is_in(last_word, value_set=vocab.words("street_types")))) > 0.8:
            return {"kind": "street_address"}
        if share(pc.is_in(last_word, value_set=vocab.words("company_suffixes"))) > 0.8:
            return {"kind": "company"}
    if len(lens) and lens.max() == 1:
        return {"kind": "word"}
    if len(lens) and np.all(lens == 2) and share(pc.is_in(pc.list_element(words, 0), value_set=first)) > 0.8:
        return {"kind": "full_name"}
    lo, hi = int(max(1, np.percentile(lens, 5))), int(min(40, max(1, np.percentile(lens, 95))))
    return {"kind": "sentence", "min_words": lo, "max_words": max(lo, hi)}
