"""Counter-based randomness: every value is a pure function of (seed, table, column, stream, row).

SplitMix64's output function applied to `key + (row + 1) * GOLDEN` is exactly the SplitMix64
sequence seeded with `key`, evaluated at position `row`; it is random-access, so any row range
(or any set of rows, e.g. parent rows behind a foreign key) can be recomputed independently of
batch size or worker count.
"""

from __future__ import annotations

import hashlib
import threading

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)


def stream_key(seed: int, *parts: object) -> int:
    """A 64-bit key for one random stream, stable across processes and Python versions."""
    text = "\x1f".join([str(int(seed))] + [str(p) for p in parts]).encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "little")


def mix64(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser, in place on a uint64 array (a bijection on 64-bit integers)."""
    x ^= x >> _S30
    x *= _M1
    x ^= x >> _S27
    x *= _M2
    x ^= x >> _S31
    return x


_LOCAL = threading.local()  # per thread: (rows array, (rows + 1) * GOLDEN); a batch's streams share rows


def _base(rows: np.ndarray) -> np.ndarray:
    cached = getattr(_LOCAL, "base", None)
    if cached is None or cached[0] is not rows:
        x = rows.astype(np.uint64, copy=True)
        x += np.uint64(1)
        x *= _GOLDEN
        cached = _LOCAL.base = (rows, x)
    return cached[1]


def raw(key: int, rows: np.ndarray) -> np.ndarray:
    """64 random bits per row."""
    x = _base(rows) + np.uint64(key)
    return mix64(x)


def uniform(key: int, rows: np.ndarray) -> np.ndarray:
    """Uniform floats in (0, 1): never exactly 0 or 1, so inverse CDFs stay finite.
    52 random bits go straight into the mantissa of a double in [1, 2) (no int->float conversion)."""
    x = raw(key, rows)
    x >>= np.uint64(12)
    x |= np.uint64(0x3FF0000000000000)
    u = x.view(np.float64)
    u -= 1.0 - 2.0 ** -53
    return u


def below(key: int, rows: np.ndarray, n: int) -> np.ndarray:
    """Uniform integers in [0, n) (multiply-shift on 32 high bits; bias < n / 2**32)."""
    x = raw(key, rows)
    x >>= np.uint64(32)
    x *= np.uint64(n)
    x >>= np.uint64(32)
    return x.astype(np.int64)


def permute(key: int, rows: np.ndarray, n: int) -> np.ndarray:
    """A keyed bijection of [0, n): a balanced Feistel network with cycle walking.

    Used for values that must be unique (sampling without replacement by construction).
    """
    if n <= 1:
        return np.zeros(len(rows), dtype=np.int64)
    bits = max(2, int(n - 1).bit_length())
    bits += bits & 1
    half = bits // 2
    mask = np.uint64((1 << half) - 1)
    keys = [np.uint64(stream_key(key, "feistel", r)) for r in range(4)]
    x = rows.astype(np.uint64, copy=True)
    todo = np.arange(len(x))
    while todo.size:
        v = x[todo]
        left, right = v >> np.uint64(half), v & mask
        for k in keys:
            f = mix64((right + k) * _GOLDEN) & mask
            left, right = right, left ^ f
        v = (left << np.uint64(half)) | right
        x[todo] = v
        todo = todo[v >= np.uint64(n)]
    return x.astype(np.int64)
