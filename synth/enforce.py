"""Constraints enforced while generating: inequalities between columns (swap, respecting
ranges) and sums per group (scale the rows of an over-full group down, then round down)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import spec as s
from .values import DAY, Col

if TYPE_CHECKING:
    from .plan import TablePlan


def enforce_compare(plan: "TablePlan", k: s.Compare, env: dict[str, Col]) -> None:
    big, small = (k.left, k.right) if k.op in (">", ">=") else (k.right, k.left)
    a, b = env[big].values, env[small].values
    hi, lo = np.maximum(a, b), np.minimum(a, b)
    if k.op in (">", "<"):
        col = plan.cols[big]
        step = DAY if isinstance(col.generator, s.Date) else 1
        bump = (hi + step) if np.issubdtype(hi.dtype, np.integer) else np.nextafter(hi, np.inf)
        hi = np.where(hi == lo, bump, hi)
    for r in plan.ranges.get(big, ()):  # a range on either side still holds after the swap
        hi = np.clip(hi, r.min, r.max)
    for r in plan.ranges.get(small, ()):
        lo = np.clip(lo, r.min, r.max)
    if k.op in (">=", "<="):
        lo = np.minimum(lo, hi)
    env[big].values, env[small].values = hi, lo


def group_sum(plan: "TablePlan", k: s.GroupSum, env: dict[str, Col]) -> None:
    """Scale the rows of each group whose sum exceeds k.max down proportionally, then round
    down, so the sum holds; groups are complete because batches cover whole parent blocks."""
    code, span_total = None, 1
    for gname in k.group_by:  # dense per-column codes, combined into one int64 key
        c = env[gname]
        v = c.parent_rows if c.parent_rows is not None else c.values
        if isinstance(v, pa.Array):
            v = pc.dictionary_encode(v).indices.to_numpy(zero_copy_only=False)
        elif isinstance(plan.cols[gname].generator, s.Date):
            v = v // DAY
        v = np.asarray(v)
        if v.dtype == np.bool_:
            v = v.astype(np.int64)
        if not (np.issubdtype(v.dtype, np.integer) and len(v) and int(v.max()) - int(v.min()) < 1 << 30):
            v = _codes(v)
        else:
            v = v - v.min()
        span = int(v.max()) + 1 if len(v) else 1
        if code is None:
            code = v.astype(np.int64)
        elif span_total * span < 1 << 62:
            code = code * span + v
        else:
            code = _codes(code) * span + v
        span_total = int(code.max()) + 1 if len(code) else 1
    code = _codes(code)
    vals = env[k.column].values.astype(np.float64)
    sums = np.bincount(code, weights=vals)
    scale = np.where(sums > k.max, k.max / np.where(sums > 0, sums, 1) * (1 - 1e-9), 1.0)[code]
    g = plan.cols[k.column].generator
    scaled = vals * scale
    if g.integer or g.round == 0:
        env[k.column].values = np.floor(scaled + 1e-9 * (scale == 1)).astype(np.int64)
    elif g.round is not None:
        f = 10.0 ** g.round
        env[k.column].values = np.where(scale < 1, np.floor(scaled * f) / f, vals)
    else:
        env[k.column].values = scaled


def _codes(v: np.ndarray) -> np.ndarray:
    """Dense group codes. A stable argsort (timsort/radix) profits from rows already ordered by
    parent, and beats np.unique and hashing here."""
    if v.dtype.kind not in "iub":
        return np.unique(v, return_inverse=True)[1].astype(np.int64)
    order = np.argsort(v, kind="stable")
    sv = v[order]
    gid = np.empty(len(v), dtype=np.int64)
    if len(v):
        step = np.empty(len(v), dtype=np.int64)
        step[0] = 0
        step[1:] = sv[1:] != sv[:-1]
        gid[order] = np.cumsum(step)
    return gid
