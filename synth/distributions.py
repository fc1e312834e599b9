"""Inverse CDFs over NumPy arrays: each sample is a function of one uniform, so a row's value
never depends on how many draws came before it (no rejection sampling)."""

from __future__ import annotations

import functools

import numpy as np

# Acklam's rational approximation of the normal quantile (relative error < 1.2e-9).
_A = (-3.969683028665376e01, 2.209460984245205e02, -2.759285104469687e02,
      1.383577518672690e02, -3.066479806614716e01, 2.506628277459239e00)
_B = (-5.447609879822406e01, 1.615858368580409e02, -1.556989798598866e02,
      6.680131188771972e01, -1.328068155288572e01)
_C = (-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e00,
      -2.549732539343734e00, 4.374664141464968e00, 2.938163982698783e00)
_D = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e00,
      3.754408661907416e00)
_PLOW = 0.02425


def ndtri(u: np.ndarray) -> np.ndarray:
    """Standard normal quantile of u in (0, 1)."""
    q = u - 0.5
    r = q * q
    num = ((((_A[0] * r + _A[1]) * r + _A[2]) * r + _A[3]) * r + _A[4]) * r + _A[5]
    den = ((((_B[0] * r + _B[1]) * r + _B[2]) * r + _B[3]) * r + _B[4]) * r + 1.0
    z = q * num / den
    tail = (u < _PLOW) | (u > 1.0 - _PLOW)
    if tail.any():
        ut = u[tail]
        p = np.minimum(ut, 1.0 - ut)
        s = np.sqrt(-2.0 * np.log(p))
        zt = (((((_C[0] * s + _C[1]) * s + _C[2]) * s + _C[3]) * s + _C[4]) * s + _C[5]) / \
             ((((_D[0] * s + _D[1]) * s + _D[2]) * s + _D[3]) * s + 1.0)
        z[tail] = np.where(ut < 0.5, zt, -zt)
    return z


def ndtr(z: np.ndarray) -> np.ndarray:
    """Standard normal CDF (Abramowitz-Stegun 7.1.26 erf, |error| < 1.5e-7), clipped into (0, 1)."""
    x = np.abs(z) / np.sqrt(2.0)
    t = 1.0 / (1.0 + 0.3275911 * x)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    erf = 1.0 - poly * np.exp(-x * x)
    p = 0.5 * (1.0 + np.sign(z) * erf)
    return np.clip(p, 1e-15, 1.0 - 1e-15)


def exponential(u: np.ndarray, mean: float) -> np.ndarray:
    return -np.log1p(-u) * mean


def poisson(u: np.ndarray, lam: float) -> np.ndarray:
    """Inverse CDF over a precomputed table; a rounded normal beyond lambda 1e4."""
    if lam > 1e4:
        return np.maximum(0, np.rint(lam + np.sqrt(lam) * ndtri(u))).astype(np.int64)
    kmax = int(lam + 12 * np.sqrt(lam) + 20)
    k = np.arange(kmax + 1)
    logp = -lam + k * np.log(lam) - np.cumsum(np.log(np.maximum(k, 1)))
    cdf = np.cumsum(np.exp(logp))
    return np.minimum(np.searchsorted(cdf, u * cdf[-1], side="right"), kmax).astype(np.int64)


def zipf(u: np.ndarray, n: int, s: float) -> np.ndarray:
    """Ranks 1..n with P(k) ~ k**-s, via the inverse CDF of the continuous power law on
    [0.5, n + 0.5) rounded to the nearest rank (exact table below 1e6 ranks)."""
    if n <= 1_000_000:
        return _zipf_sampler(n, s)(u) + 1
    lo, hi = 0.5, n + 0.5
    if abs(s - 1.0) < 1e-9:
        x = lo * np.exp(u * np.log(hi / lo))
    else:
        a = 1.0 - s
        x = (lo ** a + u * (hi ** a - lo ** a)) ** (1.0 / a)
    return np.clip(np.rint(x), 1, n).astype(np.int64)


@functools.lru_cache(maxsize=4)  # up to ~24 MB each (1M ranks): keep few in a long-lived server
def _zipf_sampler(n: int, s: float) -> Sampler:
    return Sampler(np.arange(1, n + 1, dtype=np.float64) ** -s)


def pareto(u: np.ndarray, xmin: float, alpha: float) -> np.ndarray:
    """Continuous power law: P(X > x) = (x / xmin) ** -alpha."""
    return xmin * (1.0 - u) ** (-1.0 / alpha)


class Sampler:
    """Inverse CDF of a discrete distribution with a guide table: bucket j of K equal slices of
    (0, 1) knows the first index whose CDF exceeds j/K, so a draw is one lookup plus a few steps
    instead of a binary search (the binary search's cache misses dominate on large tables)."""

    def __init__(self, weights: np.ndarray) -> None:
        w = np.asarray(weights, dtype=np.float64)
        cdf = np.cumsum(w)
        self.cdf = cdf / cdf[-1]
        self.cdf[-1] = 1.0
        self.k = max(1024, 2 * len(w))
        self.guide = np.searchsorted(self.cdf, np.arange(self.k) / self.k, side="right")

    def __call__(self, u: np.ndarray) -> np.ndarray:
        idx = self.guide[(u * self.k).astype(np.int64)]
        step = np.flatnonzero(self.cdf[idx] <= u)
        while step.size:
            idx[step] += 1
            step = step[self.cdf[idx[step]] <= u[step]]
        return idx


_SAMPLERS: dict[tuple, Sampler] = {}


def sampler(weights) -> Sampler:
    """Samplers cached by their weights (small cache: vocabularies, categories, day densities)."""
    w = np.asarray(weights, dtype=np.float64)
    key = (len(w), hash(w.tobytes()))
    s = _SAMPLERS.get(key)
    if s is None:
        if len(_SAMPLERS) > 256:
            _SAMPLERS.clear()
        s = _SAMPLERS[key] = Sampler(w)
    return s


def discrete(u: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Index into `weights` (need not sum to 1)."""
    return sampler(weights)(u)


def quantile_interp(u: np.ndarray, quantiles: np.ndarray) -> np.ndarray:
    """Piecewise-linear inverse CDF through equally spaced quantiles (q0 = min ... qk = max)."""
    q = np.asarray(quantiles, dtype=np.float64)
    return np.interp(u, np.linspace(0.0, 1.0, len(q)), q)
