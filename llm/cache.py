"""Translations cached by normalized question, schema fingerprint, model and follow-up context.

A changed schema has a new fingerprint, so old entries never match; when a database's
fingerprint changes its old entries are dropped at once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Generic, Hashable, TypeVar

V = TypeVar("V")


class TranslationCache(Generic[V]):
    def __init__(self, capacity: int = 1024) -> None:
        self.capacity = capacity
        self._items: OrderedDict[tuple, V] = OrderedDict()
        self._fingerprints: dict[str, str] = {}   # database -> current fingerprint
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: tuple) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def observe_schema(self, database: str, fingerprint: str) -> None:
        """Drop the entries of `database` made under another fingerprint (the schema changed)."""
        with self._lock:
            old = self._fingerprints.get(database)
            self._fingerprints[database] = fingerprint
            if old is not None and old != fingerprint:
                for k in [k for k in self._items if k[1] == old]:
                    del self._items[k]

    def put(self, key: tuple, value: V) -> None:
        if self.capacity <= 0:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def cache_key(normalized_question: str, fingerprint: str, model: str, previous_sql: str | None,
              options: Hashable) -> tuple:
    return (normalized_question, fingerprint, model, previous_sql or "", options)
