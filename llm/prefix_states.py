"""Snapshots of evaluated prompt prefixes (system text and schema), kept in memory.

llama.cpp holds one evaluated prompt at a time. A prompt on another prefix (another database, the
plain-DDL second opinion after a failed repair, the evaluation's baseline) would make the next
question on this schema evaluate its whole prefix again: 8-25 s on two cores for a Spider schema.
A snapshot of the context state right after the prefix was evaluated is 28 KB per token for the
1.5B model and restores in milliseconds, bit for bit what evaluating it again would give, so the
same question still gets the same SQL.

llama-cpp-python's own save_state/load_state also copy a logits buffer of n_batch x vocabulary
floats (155 MB, half a second each way) that a prefix does not need; this keeps only the context
state and the tokens.
"""

from __future__ import annotations

import ctypes
from collections import OrderedDict
from typing import Any


class PrefixStates:
    """Least recently used snapshots, at most `capacity_bytes` in all (0 turns them off)."""

    def __init__(self, capacity_bytes: int) -> None:
        self.capacity_bytes = capacity_bytes
        self._states: OrderedDict[tuple[int, ...], Any] = OrderedDict()
        self.bytes = 0
        self.restored = 0   # how many times a snapshot saved an evaluation (for tests and logs)

    def save(self, llama, tokens: list[int]) -> None:
        """Snapshot the context, which must hold exactly `tokens` (just evaluated)."""
        key = tuple(tokens)
        if not self.capacity_bytes or key in self._states:
            return
        import llama_cpp

        ctx = llama._ctx.ctx
        size = llama_cpp.llama_state_get_size(ctx)
        if size > self.capacity_bytes:
            return
        buffer = (ctypes.c_uint8 * size)()
        llama_cpp.llama_state_get_data(ctx, buffer, size)
        self._states[key] = buffer
        self.bytes += size
        while self.bytes > self.capacity_bytes:
            _, oldest = self._states.popitem(last=False)
            self.bytes -= len(oldest)

    def restore(self, llama, tokens: list[int]) -> bool:
        """Put back the snapshot of exactly `tokens`; False when there is none."""
        key = tuple(tokens)
        buffer = self._states.get(key)
        if buffer is None:
            return False
        import llama_cpp

        llama_cpp.llama_state_set_data(llama._ctx.ctx, buffer, len(buffer))
        llama.input_ids[: len(key)] = key
        llama.n_tokens = len(key)
        self._states.move_to_end(key)
        self.restored += 1
        return True
