"""The model's worker thread, with a stand-in for the Llama object (the real one: tests/nl)."""

from __future__ import annotations

import time
from concurrent.futures import Future

import pytest

pytest.importorskip("llama_cpp")   # the worker's stopping criterion comes from llama-cpp-python

from askgres.llm import model as model_module
from askgres.llm.config import LLMConfig


class SlowLlama:
    """Writes until its stopping criterion says the caller's time is up."""
    n_tokens = 0

    def tokenize(self, text, add_bos=True, special=False):
        return list(text)

    def create_completion(self, prompt, stopping_criteria, **_):
        while not stopping_criteria[0]([], None):
            time.sleep(0.005)
        return {"choices": [{"text": "SELECT"}], "usage": {"prompt_tokens": 3, "completion_tokens": 1}}


@pytest.fixture
def slow_model(monkeypatch, tmp_path):
    monkeypatch.setattr(model_module, "resolve_model_path", lambda config: (tmp_path / "m.gguf", "fake"))
    monkeypatch.setattr(model_module.LlamaModel, "_load", lambda self: SlowLlama())
    return model_module.LlamaModel(LLMConfig())


def test_the_worker_reports_a_deadline_it_reached_as_57014(slow_model):
    # The worker may notice the deadline before its caller's wait ends: the caller must then get
    # the same query_canceled error as when its own wait times out, not a generic XX000.
    fut: Future = Future()
    slow_model._queue.put((fut, "complete", ("q", 8, [], 0.0, 0, ""), time.monotonic() + 0.05, 0.05))
    with pytest.raises(model_module.ModelTimeout) as timed_out:
        fut.result(timeout=10)
    assert timed_out.value.sqlstate == "57014"
    assert "[llm] timeout_s" in timed_out.value.hint


def test_a_caller_that_gives_up_gets_57014(slow_model):
    with pytest.raises(model_module.ModelTimeout) as timed_out:
        slow_model.complete("q", max_tokens=8, stop=[], timeout=0.05)
    assert timed_out.value.sqlstate == "57014"
