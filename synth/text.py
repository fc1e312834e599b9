"""Text generators: vocabulary lookups by NumPy index arrays, joined by pyarrow compute kernels.
No per-row Python anywhere."""

from __future__ import annotations

import re
from typing import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import distributions as dist
from . import rng, vocab
from . import spec as s

Key = Callable[[str], int]


def _pick(key: int, rows: np.ndarray, weights: np.ndarray) -> np.ndarray:
    return dist.discrete(rng.uniform(key, rows), weights)


def name_codes(kind: str, key: Key, rows: np.ndarray) -> np.ndarray:
    vocab_name = "first_names" if kind == "first_name" else "last_names"
    return _pick(key("name"), rows, vocab.zipf_weights(len(vocab.words(vocab_name)), 0.6))


def take(values: pa.Array, idx: np.ndarray) -> pa.Array:
    return values.take(pa.array(idx, pa.int64()))


def join(*parts, sep: str = "") -> pa.Array:
    return pc.binary_join_element_wise(*parts, sep)


def digits(key: int, rows: np.ndarray, k: int) -> pa.Array:
    """k random decimal digits as a zero-padded string."""
    n = rng.below(key, rows, 10 ** k) if k <= 9 else rng.raw(key, rows) % np.uint64(10 ** k)
    return pc.utf8_lpad(pc.cast(pa.array(n), pa.string()), width=k, padding="0")


def pair_codes(first: np.ndarray, last: np.ndarray) -> np.ndarray:
    return first * len(vocab.words("last_names")) + last


def email(g: s.Email, key: Key, rows: np.ndarray, first: np.ndarray, last: np.ndarray, table_rows: int) -> pa.Array:
    """first.last<n>@domain where n is a bijection of the row number: unique by construction
    (names hold no digits, so the number and hence the row can be read back)."""
    domains = vocab.at_domains(tuple(g.domains) if g.domains else None)
    dom = take(domains, _pick(key("domain"), rows, vocab.zipf_weights(len(domains), 1.0)))
    n = _affine_bijection(rows, max(table_rows, 1), key("number")) + 1
    num = pc.cast(pa.array(n), pa.string())
    return join(take(vocab.name_pairs(".", True), pair_codes(first, last)), num, dom)


def _affine_bijection(rows: np.ndarray, n: int, key: int) -> np.ndarray:
    """row -> (a*row + b) mod n with gcd(a, n) = 1: a cheap permutation of [0, n).
    a < 2**20 keeps a*row inside int64 up to 8e12 rows."""
    a = (key % min(n, 1 << 20)) | 1 if n > 2 else 1
    while np.gcd(a, n) != 1:
        a += 2
    b = (key >> 32) % n
    return (rows.astype(np.int64) * a + b) % n


def company(key: Key, rows: np.ndarray) -> pa.Array:
    w, k, sfx = vocab.words("company_words"), vocab.words("company_kinds"), vocab.words("company_suffixes")
    return join(take(w, rng.below(key("word"), rows, len(w))), take(k, rng.below(key("kind"), rows, len(k))),
                take(sfx, _pick(key("suffix"), rows, vocab.zipf_weights(len(sfx), 1.0))), sep=" ")


def city(key: Key, rows: np.ndarray, country: np.ndarray | None = None) -> tuple[np.ndarray, pa.Array]:
    """A city, population weighted; with `country` codes, one of that country's cities
    (any city where the vocabulary lists none for it)."""
    names, w = vocab.cities()
    codes = _pick(key("city"), rows, w)
    if country is not None:
        idx, starts, counts = vocab.cities_by_country()
        n = counts[country]
        has = n > 0
        pick = (rng.uniform(key("in_country"), rows) * np.maximum(n, 1)).astype(np.int64)
        codes = np.where(has, idx[np.minimum(starts[country] + pick, len(idx) - 1)], codes)
    return codes, names


def country(g: s.Country, key: Key, rows: np.ndarray) -> tuple[np.ndarray, pa.Array]:
    names, w = vocab.countries()
    return _pick(key("country"), rows, w if g.weights == "population" else np.ones(len(names))), names


def phone(g: s.Phone, key: Key, rows: np.ndarray) -> pa.Array:
    parts = []
    for i, piece in enumerate(re.findall(r"#+|[^#]+", g.format)):
        parts.append(digits(key(f"d{i}"), rows, len(piece)) if piece.startswith("#") else piece)
    if len(parts) == 1:
        return parts[0] if isinstance(parts[0], pa.Array) else pa.array(np.full(len(rows), parts[0], dtype=object), pa.string())
    return join(*parts)


def street_address(key: Key, rows: np.ndarray) -> pa.Array:
    number = pc.cast(pa.array(1 + dist.zipf(rng.uniform(key("number"), rows), 9999, 0.6)), pa.string())
    st, ty = vocab.words("streets"), vocab.words("street_types")
    return join(number, take(st, rng.below(key("street"), rows, len(st))),
                take(ty, _pick(key("type"), rows, vocab.zipf_weights(len(ty), 1.0))), sep=" ")


def word(key: Key, rows: np.ndarray) -> tuple[np.ndarray, pa.Array]:
    w = vocab.words("words")
    return _pick(key("word"), rows, vocab.zipf_weights(len(w), 0.8)), w


def sentence(g: s.Sentence, key: Key, rows: np.ndarray) -> pa.Array:
    """A list of words per row (its length a function of the row), joined and capitalised."""
    w = vocab.words("words")
    counts = g.min_words + rng.below(key("len"), rows, g.max_words - g.min_words + 1)
    offsets = np.zeros(len(rows) + 1, dtype=np.int32)
    np.cumsum(counts, out=offsets[1:])
    pos = np.arange(offsets[-1], dtype=np.int64) - np.repeat(offsets[:-1], counts)
    slot = np.repeat(rows.astype(np.int64), counts) * 64 + pos  # word j of row r, whatever the batch
    words_ = take(w, _pick(key("words"), slot, vocab.zipf_weights(len(w), 0.8)))
    lists = pa.ListArray.from_arrays(pa.array(offsets), words_)
    return pc.binary_join_element_wise(pc.utf8_capitalize(pc.binary_join(lists, " ")), ".", "")


_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


def uuid(key: Key, rows: np.ndarray) -> pa.Array:
    """Version-4 layout. The high 64 bits are a bijection of the row (SplitMix64 is one), and the
    nibble displaced by the version digit moves into the low half, so values never collide."""
    hi, lo = rng.raw(key("hi"), rows), rng.raw(key("lo"), rows)
    nib = (hi >> np.uint64(12)) & np.uint64(0xF)
    hi = (hi & ~np.uint64(0xF000)) | np.uint64(0x4000)
    lo = (lo & np.uint64(0x3FFFFFFFFFFFFFF0)) | np.uint64(0x8000000000000000) | nib
    raw = np.empty((len(rows), 16), dtype=np.uint8)
    raw[:, :8] = hi.astype(">u8").view(np.uint8).reshape(-1, 8)
    raw[:, 8:] = lo.astype(">u8").view(np.uint8).reshape(-1, 8)
    hexs = np.empty((len(rows), 32), dtype=np.uint8)
    hexs[:, 0::2], hexs[:, 1::2] = _HEX[raw >> 4], _HEX[raw & 0xF]
    out = np.full((len(rows), 36), ord("-"), dtype=np.uint8)
    for a, b, c in ((0, 8, 0), (9, 13, 8), (14, 18, 12), (19, 23, 16), (24, 36, 20)):
        out[:, a:b] = hexs[:, c:c + (b - a)]
    offsets = np.arange(0, 36 * (len(rows) + 1), 36, dtype=np.int32)
    return pa.Array.from_buffers(pa.string(), len(rows), [None, pa.py_buffer(offsets), pa.py_buffer(out.tobytes())])
