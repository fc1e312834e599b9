"""Each generator's distribution is roughly what the spec asks for (statistical tolerances)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from synth_helpers import collect, one_table

N = 40_000


def _col(gen, rows=N, nulls=0.0, seed=11):
    spec = one_table([{"name": "x", "generator": gen, "nulls": nulls}], rows=rows, seed=seed)
    return collect(spec, batch_rows=7_777)["t"]["x"]


def _np(arr):
    return arr.to_numpy() if arr.null_count == 0 else pc.drop_null(arr).to_numpy()


@pytest.mark.parametrize("gen, mean, std", [
    ({"kind": "uniform", "low": 10, "high": 20}, 15, 10 / 12 ** 0.5),
    ({"kind": "normal", "mean": 50, "std": 7}, 50, 7),
    ({"kind": "lognormal", "mu": 1.0, "sigma": 0.5}, np.exp(1.125), np.exp(1.125) * np.sqrt(np.exp(0.25) - 1)),
    ({"kind": "exponential", "mean": 3}, 3, 3),
    ({"kind": "poisson", "mean": 4.5}, 4.5, 4.5 ** 0.5),
    ({"kind": "poisson", "mean": 50_000}, 50_000, 50_000 ** 0.5),
    ({"kind": "empirical", "values": [1, 2, 10], "weights": [0.5, 0.3, 0.2]}, 3.1, np.sqrt(0.5 + 1.2 + 20 - 3.1 ** 2)),
    ({"kind": "empirical", "quantiles": [0, 10]}, 5, 10 / 12 ** 0.5),
])
def test_moments(gen, mean, std):
    x = _np(_col(gen)).astype(float)
    assert abs(x.mean() - mean) < 4 * std / N ** 0.5 + 1e-9
    assert abs(x.std() - std) / std < 0.05


def test_integer_uniform_covers_both_ends_and_rounding():
    x = _np(_col({"kind": "uniform", "low": 1, "high": 6, "integer": True}))
    assert x.dtype == np.int64 and set(np.unique(x)) == {1, 2, 3, 4, 5, 6}
    assert np.abs(np.bincount(x)[1:] / N - 1 / 6).max() < 0.01
    y = _np(_col({"kind": "normal", "mean": 10, "std": 3, "round": 2, "min": 5, "max": 12}))
    assert y.min() >= 5 and y.max() <= 12 and np.allclose(y, np.round(y, 2))


def test_zipf_and_power_law_are_heavy_tailed():
    z = _np(_col({"kind": "zipf", "n": 1000, "s": 1.5}))
    p = np.bincount(z)[1:4] / N
    h = sum(k ** -1.5 for k in range(1, 1001))
    assert np.allclose(p, [1 / h, 2 ** -1.5 / h, 3 ** -1.5 / h], atol=0.01)
    w = _np(_col({"kind": "power_law", "xmin": 2, "alpha": 2.5}))
    assert w.min() >= 2 and abs((w > 4).mean() - 2 ** -2.5) < 0.01


def test_categorical_weights_and_boolean_and_nulls():
    c = _col({"kind": "categorical", "values": ["a", "b", "c"], "weights": [6, 3, 1]}, nulls=0.2)
    assert abs(c.null_count / N - 0.2) < 0.01
    freq = {d["values"]: d["counts"] / (N - c.null_count) for d in pc.value_counts(c.drop_null()).to_pylist()}
    assert abs(freq["a"] - 0.6) < 0.015 and abs(freq["c"] - 0.1) < 0.01
    b = _np(_col({"kind": "boolean", "p": 0.3}))
    assert abs(b.mean() - 0.3) < 0.01


def test_timestamps_in_range_with_trend_and_weekly_seasonality():
    x = _col({"kind": "timestamp", "start": "2023-01-01", "end": "2023-12-31", "trend": 3.0,
              "seasonality": {"weekly": 0.5, "daily": 0.8}})
    assert x.type == pa.timestamp("us")
    v = x.to_numpy().astype("datetime64[us]")
    assert v.min() >= np.datetime64("2023-01-01") and v.max() <= np.datetime64("2023-12-31")
    first, last = (v < np.datetime64("2023-02-01")).sum(), (v >= np.datetime64("2023-12-01")).sum()
    assert 2.2 < last / first < 3.6  # density at the end ~3x the start
    dow = (v.astype("datetime64[D]").astype(np.int64) + 3) % 7
    weekday, weekend = np.bincount(dow, minlength=7)[:5].mean(), np.bincount(dow, minlength=7)[5:].mean()
    assert 0.4 < weekend / weekday < 0.6
    hours = (v.astype(np.int64) // 3_600_000_000) % 24
    assert np.bincount(hours, minlength=24)[15] > 3 * np.bincount(hours, minlength=24)[3]


def test_dates_cover_range_and_yearly_peak():
    x = _col({"kind": "date", "start": "2020-01-01", "end": "2023-12-31", "seasonality": {"yearly": 0.8}})
    assert x.type == pa.date32()
    d = x.to_pylist()
    assert min(d) >= dt.date(2020, 1, 1) and max(d) <= dt.date(2023, 12, 31)
    months = np.bincount([v.month for v in d], minlength=13)
    assert months[12] > 3 * months[6]


def test_correlated_columns():
    spec = one_table([{"name": "a", "generator": {"kind": "normal", "mean": 0, "std": 1}},
                      {"name": "b", "generator": {"kind": "lognormal", "mu": 0, "sigma": 0.3,
                                                  "correlate": {"column": "a", "corr": 0.8}}},
                      {"name": "c", "generator": {"kind": "normal", "correlate": {"column": "a", "corr": -0.5}}}])
    t = collect(spec)["t"]
    a, b, c = (t[x].to_numpy() for x in "abc")
    assert 0.7 < np.corrcoef(a, b)[0, 1] < 0.85
    assert abs(np.corrcoef(a, c)[0, 1] + 0.5) < 0.03


def test_outliers_and_drift():
    spec = one_table([
        {"name": "at", "generator": {"kind": "timestamp", "start": "2020-01-01", "end": "2024-01-01"}},
        {"name": "v", "generator": {"kind": "normal", "mean": 100, "std": 1, "outliers": {"rate": 0.01, "factor": 10}}},
        {"name": "w", "generator": {"kind": "normal", "mean": 100, "std": 1, "drift": {"column": "at", "per_year": 0.5}}}])
    t = collect(spec)["t"]
    v = t["v"].to_numpy()
    assert abs((v > 500).mean() - 0.01) < 0.003
    years = (t["at"].to_numpy().astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970)
    w = t["w"].to_numpy()
    assert abs(w[years == 2020].mean() - 125) < 3 and abs(w[years == 2023].mean() - 275) < 3


def test_derived_expression():
    spec = one_table([{"name": "q", "generator": {"kind": "poisson", "mean": 3}, "nulls": 0.1},
                      {"name": "p", "generator": {"kind": "uniform", "low": 1, "high": 2, "round": 2}},
                      {"name": "total", "generator": {"kind": "derived", "expr": "round(q * p, 2)"}},
                      {"name": "big", "generator": {"kind": "derived",
                                                    "expr": "CASE WHEN q >= 5 THEN 1 ELSE 0 END", "integer": True}}])
    t = collect(spec)["t"]
    q, p, total = t["q"], t["p"], t["total"]
    assert total.null_count == q.null_count  # NULL in, NULL out
    ok = pc.is_valid(q)
    assert np.allclose(pc.filter(total, ok).to_numpy(), np.round(pc.filter(q, ok).to_numpy() * pc.filter(p, ok).to_numpy(), 2))
    assert t["big"].type == pa.int64() and set(pc.unique(t["big"]).to_pylist()) == {0, 1, None}
