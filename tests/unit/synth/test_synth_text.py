"""Text columns: vocabulary-built, vectorised, unique where promised."""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from askgres.synth import vocab

from synth_helpers import collect, one_table

N = 30_000


def _table(dictionary=True):
    spec = one_table([
        {"name": "first", "generator": {"kind": "first_name"}},
        {"name": "last", "generator": {"kind": "last_name"}},
        {"name": "full", "generator": {"kind": "full_name", "first": "first", "last": "last"}},
        {"name": "email", "generator": {"kind": "email", "first": "first", "last": "last"}},
        {"name": "email2", "generator": {"kind": "email", "domains": ["corp.example"]}},
        {"name": "company", "generator": {"kind": "company"}},
        {"name": "city", "generator": {"kind": "city"}},
        {"name": "country", "generator": {"kind": "country"}},
        {"name": "phone", "generator": {"kind": "phone", "format": "(###) ###-####"}},
        {"name": "addr", "generator": {"kind": "street_address"}},
        {"name": "word", "generator": {"kind": "word"}, "nulls": 0.1},
        {"name": "sentence", "generator": {"kind": "sentence", "min_words": 3, "max_words": 6}},
        {"name": "uid", "generator": {"kind": "uuid"}},
        {"name": "plan", "generator": {"kind": "categorical", "values": ["a", "b"]}, "nulls": 0.05},
    ], rows=N)
    return collect(spec, batch_rows=6000, dictionary=dictionary)["t"]


def test_text_columns():
    t = _table()
    assert pa.types.is_dictionary(t.schema.field("first").type)
    plain = _table(dictionary=False)
    assert plain.schema.field("first").type == pa.string()
    assert t["first"].cast(pa.string()).equals(plain["first"]) and t["word"].cast(pa.string()).equals(plain["word"])
    first, last = t["first"].to_pylist(), t["last"].to_pylist()
    assert set(first) <= set(vocab.words("first_names").to_pylist())
    assert t["full"].to_pylist()[:50] == [f"{a} {b}" for a, b in zip(first[:50], last[:50])]
    emails = t["email"].to_pylist()
    assert len(set(emails)) == N and len(set(t["email2"].to_pylist())) == N
    assert all(e.startswith(f"{a.lower()}.{b.lower()}") for e, a, b in zip(emails[:200], first, last))
    assert all(e.endswith("@corp.example") for e in t["email2"].to_pylist()[:100])
    assert all(re.fullmatch(r"\(\d{3}\) \d{3}-\d{4}", p) for p in t["phone"].to_pylist()[:500])
    uids = t["uid"].to_pylist()
    assert len(set(uids)) == N
    assert all(re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", u) for u in uids[:500])
    n_words = pc.list_value_length(pc.utf8_split_whitespace(t["sentence"])).to_numpy()
    assert n_words.min() == 3 and n_words.max() == 6
    assert all(s[0].isupper() and s.endswith(".") for s in t["sentence"].to_pylist()[:100])
    assert all(re.fullmatch(r"\d+ \w+ \w+", a) for a in t["addr"].to_pylist()[:200])
    assert abs(t["word"].null_count / N - 0.1) < 0.01 and abs(t["plan"].null_count / N - 0.05) < 0.01
    countries = pc.value_counts(t["country"].cast(pa.string())).to_pylist()
    top = max(countries, key=lambda d: d["counts"])["values"]
    assert top in ("India", "China")  # population weighted


def test_names_are_skewed_like_real_names():
    t = _table()
    counts = np.sort(pc.value_counts(t["first"].cast(pa.string())).field("counts").to_numpy())[::-1]
    assert counts[0] > 5 * counts[len(counts) // 2]


def test_cities_follow_their_country_column():
    spec = one_table([{"name": "country", "generator": {"kind": "country", "weights": "uniform"}},
                      {"name": "city", "generator": {"kind": "city", "country": "country"}}], rows=20_000)
    t = collect(spec, dictionary=False)["t"]
    home = dict(zip(vocab.table("cities")["city"], vocab.table("cities")["code"]))
    code = dict(zip(vocab.table("countries")["country"], vocab.table("countries")["code"]))
    pairs = list(zip(t["country"].to_pylist(), t["city"].to_pylist()))
    listed = {c for c in home.values()}
    assert all(home[ci] == code[co] for co, ci in pairs if code[co] in listed)
    assert len({co for co, _ in pairs}) == len(code)
