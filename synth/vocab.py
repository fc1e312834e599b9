"""Vocabularies shipped with askgres (synth/vocab/*), loaded once per process as Arrow arrays."""

from __future__ import annotations

import csv
import functools
from pathlib import Path

import numpy as np
import pyarrow as pa

_DIR = Path(__file__).with_name("vocab")


@functools.cache
def words(name: str) -> pa.Array:
    lines = (_DIR / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    return pa.array([w.strip() for w in lines if w.strip()], pa.string())


@functools.cache
def lower(name: str) -> pa.Array:
    import pyarrow.compute as pc
    return pc.utf8_lower(pc.replace_substring(words(name), " ", ""))


@functools.cache
def table(name: str) -> dict[str, list[str]]:
    with open(_DIR / f"{name}.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return {k: [r[k] for r in rows] for k in rows[0]}


@functools.cache
def countries() -> tuple[pa.Array, np.ndarray]:
    t = table("countries")
    return pa.array(t["country"]), np.asarray(t["population_millions"], dtype=np.float64)


@functools.cache
def cities() -> tuple[pa.Array, np.ndarray]:
    """City names, weighted by their country's population shared among its listed cities."""
    t, c = table("cities"), table("countries")
    pop = dict(zip(c["code"], map(float, c["population_millions"])))
    per = {code: t["code"].count(code) for code in set(t["code"])}
    w = np.array([pop.get(code, 1.0) / per[code] for code in t["code"]])
    return pa.array(t["city"]), w


def zipf_weights(n: int, s: float = 0.7) -> np.ndarray:
    """Popularity of the i-th entry of a list ordered from common to rare."""
    return np.arange(1, n + 1, dtype=np.float64) ** -s


@functools.cache
def name_pairs(sep: str = " ", lowercase: bool = False) -> pa.Array:
    """Every first/last name combination, row-major (first * n_last + last): full names and
    email local parts become lookups instead of per-row string joins."""
    import pyarrow.compute as pc
    first = lower("first_names") if lowercase else words("first_names")
    last = lower("last_names") if lowercase else words("last_names")
    f = np.repeat(np.arange(len(first)), len(last))
    g = np.tile(np.arange(len(last)), len(first))
    return pc.binary_join_element_wise(first.take(pa.array(f)), last.take(pa.array(g)), sep)


@functools.cache
def at_domains(domains: tuple[str, ...] | None = None) -> pa.Array:
    return pa.array(["@" + d for d in (domains or words("email_domains").to_pylist())], pa.string())


@functools.cache
def cities_by_country() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(city indices grouped by country, start, count per country in countries() order)."""
    t, c = table("cities"), table("countries")
    order = {code: i for i, code in enumerate(c["code"])}
    of = np.array([order.get(code, -1) for code in t["code"]])
    idx = np.argsort(of, kind="stable")
    idx = idx[of[idx] >= 0]
    counts = np.bincount(of[idx], minlength=len(c["code"]))
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    return idx, starts, counts
