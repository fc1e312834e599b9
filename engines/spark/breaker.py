"""A circuit breaker in front of Spark: once Spark was found unavailable, statements skip it
for a cool-down instead of each waiting for a connect timeout again.

After the cool-down one statement tries Spark again (and re-arms the cool-down for the others
while it does); a success closes the breaker, another failure opens it for a new cool-down.
"""

from __future__ import annotations

import threading
import time
from typing import Callable

from .errors import SparkUnavailable


class SparkSkipped(SparkUnavailable):
    """Spark was not tried: it failed a moment ago and the cool-down still runs (08006)."""


class SparkBreaker:
    def __init__(self, cooldown_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.cooldown_s = cooldown_s
        self._clock = clock
        self._lock = threading.Lock()
        self._error: SparkUnavailable | None = None  # the failure that opened the breaker
        self._retry_at = 0.0

    @property
    def open(self) -> bool:
        return self._error is not None

    def allow(self) -> None:
        """Return if a statement may try Spark now; raise SparkUnavailable (08006) at once if not."""
        with self._lock:
            if self._error is None:
                return
            now = self._clock()
            if now >= self._retry_at:
                self._retry_at = now + self.cooldown_s  # this one probes; the others keep skipping
                return
            left = self._retry_at - now
            error = self._error
        raise SparkSkipped(f"{error.message}; not retried for another {left:.0f} s",
                               detail=error.detail,
                               hint=f"askgres skips Spark for spark.unavailable_cooldown_s = "
                                    f"{self.cooldown_s:g} s after it failed")

    def failed(self, error: SparkUnavailable) -> None:
        """Spark was found unavailable: skip it for the cool-down."""
        if self.cooldown_s <= 0:
            return
        with self._lock:
            if isinstance(error, SparkSkipped):
                return  # our own answer coming back: the cool-down already runs
            self._error = error
            self._retry_at = self._clock() + self.cooldown_s

    def succeeded(self) -> None:
        """Spark answered: close the breaker."""
        if self._error is not None:
            with self._lock:
                self._error = None
                self._retry_at = 0.0

