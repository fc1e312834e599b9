"""PrefixStates' bookkeeping, with llama.cpp's state functions standing in (the real ones: tests/nl)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

llama_cpp = pytest.importorskip("llama_cpp")

from askgres.llm.prefix_states import PrefixStates


class FakeContext:
    """A context whose state is the tokens it holds, 10 bytes per token."""

    def __init__(self):
        self.tokens: list[int] = []


@pytest.fixture
def llama(monkeypatch):
    ctx = FakeContext()
    monkeypatch.setattr(llama_cpp, "llama_state_get_size", lambda c: 10 * len(c.tokens))
    monkeypatch.setattr(llama_cpp, "llama_state_get_data",
                        lambda c, buf, size: buf.__setitem__(slice(0, len(c.tokens)), c.tokens) or size)

    def set_data(c, buf, size):
        c.tokens = list(buf[: size // 10])
        return size
    monkeypatch.setattr(llama_cpp, "llama_state_set_data", set_data)
    return SimpleNamespace(_ctx=SimpleNamespace(ctx=ctx), input_ids=np.zeros(64, dtype=np.intc), n_tokens=0)


def evaluated(llama, tokens):
    llama._ctx.ctx.tokens = list(tokens)
    llama.input_ids[: len(tokens)] = tokens
    llama.n_tokens = len(tokens)


def test_a_saved_prefix_is_restored_exactly(llama):
    states = PrefixStates(capacity_bytes=1000)
    evaluated(llama, [1, 2, 3])
    states.save(llama, [1, 2, 3])
    evaluated(llama, [7, 8])                       # another prompt took the context
    assert states.restore(llama, [1, 2, 3])
    assert llama._ctx.ctx.tokens == [1, 2, 3] and llama.n_tokens == 3
    assert list(llama.input_ids[:3]) == [1, 2, 3] and states.restored == 1
    assert not states.restore(llama, [1, 2])       # only the exact prefix: a shorter one is another state


def test_the_least_recently_used_snapshot_goes_first(llama):
    states = PrefixStates(capacity_bytes=70)       # room for two 3-token states (30 bytes each)
    for prefix in ([1, 1, 1], [2, 2, 2]):
        evaluated(llama, prefix)
        states.save(llama, prefix)
    assert states.restore(llama, [1, 1, 1])        # now the most recently used
    evaluated(llama, [3, 3, 3])
    states.save(llama, [3, 3, 3])
    assert states.bytes == 60
    assert not states.restore(llama, [2, 2, 2])
    assert states.restore(llama, [1, 1, 1]) and states.restore(llama, [3, 3, 3])


def test_zero_capacity_or_an_oversized_state_keeps_nothing(llama):
    evaluated(llama, list(range(10)))
    off, small = PrefixStates(0), PrefixStates(capacity_bytes=50)
    off.save(llama, list(range(10)))
    small.save(llama, list(range(10)))            # 100 bytes > 50
    assert off.bytes == small.bytes == 0
    assert not off.restore(llama, list(range(10))) and not small.restore(llama, list(range(10)))
