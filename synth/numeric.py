"""Numbers, dates and timestamps: inverse CDFs of counter-based uniforms, correlation through a
Gaussian copula, drift, outliers; dates with trend and seasonality or after a parent's date."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from . import distributions as dist
from . import rng
from . import spec as s
from .errors import SpecError
from .values import DAY, Col, micros, per_parent_values

if TYPE_CHECKING:
    from .plan import TablePlan


def numeric(plan: "TablePlan", g, name: str, rows: np.ndarray, env: dict[str, Col], key) -> Col:
    u = rng.uniform(key("u"), rows)
    if g.correlate is not None:
        ux = env[g.correlate.column].u
        if ux is None:
            raise SpecError(f"tables.{plan.name}.columns.{name}.generator.correlate: "
                            f"{g.correlate.column} must be a distribution-based number")
        r = g.correlate.corr
        u = dist.ndtr(r * dist.ndtri(ux) + np.sqrt(1 - r * r) * dist.ndtri(u))
    if isinstance(g, s.Uniform):
        if g.unique:
            v = np.ceil(g.low) + rng.permute(key("perm"), rows, int(np.floor(g.high) - np.ceil(g.low) + 1))
        elif g.integer or g.round == 0:
            lo = np.ceil(g.low)
            v = np.minimum(lo + np.floor(u * (np.floor(g.high) - lo + 1)), np.floor(g.high))
        else:
            v = g.low + u * (g.high - g.low)
    elif isinstance(g, s.Normal):
        v = g.mean + g.std * dist.ndtri(u)
    elif isinstance(g, s.LogNormal):
        v = np.exp(g.mu + g.sigma * dist.ndtri(u))
    elif isinstance(g, s.Exponential):
        v = dist.exponential(u, g.mean)
    elif isinstance(g, s.Poisson):
        v = dist.poisson(u, g.mean)
    elif isinstance(g, s.Zipf):
        v = dist.zipf(u, g.n, g.s)
    elif isinstance(g, s.PowerLaw):
        v = dist.pareto(u, g.xmin, g.alpha)
    else:
        if g.values is not None:
            v = np.asarray(g.values)[dist.discrete(u, np.asarray(g.weights or [1.0] * len(g.values)))]
        else:
            v = dist.quantile_interp(u, np.asarray(g.quantiles))
    v = v.astype(np.float64)
    if g.drift is not None:
        tg = plan.cols[g.drift.column].generator
        years = (env[g.drift.column].values - micros(tg.start)) / (365.25 * DAY)
        v = v * (1.0 + g.drift.per_year * years)
    if g.min is not None or g.max is not None:
        v = np.clip(v, g.min, g.max)
    if g.outliers is not None and g.outliers.rate > 0:
        hit = rng.uniform(key("outlier"), rows) < g.outliers.rate
        v = np.where(hit, v * g.outliers.factor, v)
    if g.round is not None:
        v = np.round(v, g.round)
    if g.integer or g.round == 0:
        v = np.rint(v).astype(np.int64)
    return Col(v, u=u)

# ---- dates and timestamps ----------------------------------------------------------------

def day_sampler(plan: "TablePlan", name: str) -> dist.Sampler:
    if name not in plan._cdfs:
        plan._cdfs[name] = _make_day_sampler(plan.cols[name].generator)
    return plan._cdfs[name]

def _make_day_sampler(g) -> dist.Sampler:
    d0 = micros(g.start) // DAY
    n = micros(g.end) // DAY - d0 + 1
    t = np.arange(n, dtype=np.float64)
    dens = g.trend ** (t / max(n - 1, 1))
    days = d0 + np.arange(n)
    if g.seasonality is not None:
        dens *= np.where((days + 3) % 7 >= 5, 1.0 - g.seasonality.weekly, 1.0)
        dens *= 1.0 + g.seasonality.yearly * np.cos(2 * np.pi * (days - 350) / 365.25)
    return dist.Sampler(dens)

def temporal(plan: "TablePlan", g, name: str, rows: np.ndarray, env: dict[str, Col], key) -> np.ndarray:
    start, end = micros(g.start), micros(g.end)
    is_date = isinstance(g, s.Date)
    if g.after is not None:
        fk = env[g.after.fk]
        pg = plan.sp.spec.table(plan.cols[g.after.fk].generator.table)
        parent = plan.sp.tables[pg.name]
        pv = per_parent_values(parent, fk.parent_rows, g.after.column)
        lo = -(-pv // DAY) * DAY if is_date else pv  # a date never before its parent's timestamp
        span = np.maximum(end - lo, 0).astype(np.float64)
        u = rng.uniform(key("u"), rows)
        lag = np.minimum(dist.exponential(u, g.after.lag_days_mean * DAY), span) if g.after.lag_days_mean else u * span
        v = lo + lag.astype(np.int64)
        return (v // DAY) * DAY if is_date else v
    if g.quantiles is not None:
        q = np.array([micros(x) for x in g.quantiles], dtype=np.float64)
        v = dist.quantile_interp(rng.uniform(key("u"), rows), q).astype(np.int64)
        return (v // DAY) * DAY if is_date else v
    day = day_sampler(plan, name)(rng.uniform(key("day"), rows))
    base = (micros(g.start) // DAY + day) * DAY
    if is_date:
        return base
    u = rng.uniform(key("time"), rows)
    if g.seasonality is not None and g.seasonality.daily > 0:
        hours = dist.discrete(u, 1.0 + g.seasonality.daily * np.cos(2 * np.pi * (np.arange(24) - 15) / 24))
        tod = hours * 3_600_000_000 + (rng.uniform(key("minute"), rows) * 3_600_000_000).astype(np.int64)
    else:
        tod = (u * DAY).astype(np.int64)
    return np.clip(base + tod, start, end)
