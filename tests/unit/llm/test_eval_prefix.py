"""_eval_prefix: which tokens are evaluated, in which batches, for a prefix of segments (the
schema, then the examples' header). A stand-in Llama records its eval() calls; bit-identical
states follow from evaluating the same tokens in the same batches (the real model: tests/nl)."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("llama_cpp")

from askgres.llm.model import _eval_prefix

N_BATCH = 4
SCHEMA = list(range(100, 110))          # 10 tokens: batches [0, 4), [4, 8), [8, 10)
HEADER = [7, 7, 7]


class RecordingLlama:
    def __init__(self):
        self.input_ids = np.zeros(64, dtype=np.intc)
        self.n_tokens = 0
        self.evals: list[tuple[int, list[int]]] = []   # (position, tokens) of each eval() call

    def eval(self, tokens):
        tokens = list(tokens)
        self.evals.append((self.n_tokens, tokens))
        self.input_ids[self.n_tokens:self.n_tokens + len(tokens)] = tokens
        self.n_tokens += len(tokens)

    def holds(self, tokens):
        return self.n_tokens == len(tokens) and list(self.input_ids[:self.n_tokens]) == tokens


def levels(*segments):
    out, head = [], []
    for segment in segments:
        head = head + segment
        out.append(head)
    return out


def test_each_segment_is_evaluated_on_its_own():
    llama = RecordingLlama()
    _eval_prefix(llama, levels(SCHEMA, HEADER), N_BATCH)
    # llama.eval cuts each call into n_batch chunks from its start: the header never shares one with the schema
    assert llama.evals == [(0, SCHEMA), (10, HEADER)] and llama.holds(SCHEMA + HEADER)


def test_a_cached_prefix_is_kept_and_cut_only_at_a_segment_end():
    llama = RecordingLlama()
    _eval_prefix(llama, levels(SCHEMA, HEADER), N_BATCH)
    llama.eval([1, 2, 3])                     # a question's own tokens after it
    llama.evals.clear()
    _eval_prefix(llama, levels(SCHEMA, HEADER), N_BATCH)
    assert llama.evals == [] and llama.holds(SCHEMA + HEADER)
    llama.eval([4, 5])
    _eval_prefix(llama, levels(SCHEMA), N_BATCH)   # a question without examples
    assert llama.evals == [(13, [4, 5])] and llama.holds(SCHEMA)


def test_the_header_after_a_question_without_examples():
    llama = RecordingLlama()
    _eval_prefix(llama, levels(SCHEMA), N_BATCH)
    llama.eval([1, 2])
    llama.evals.clear()
    _eval_prefix(llama, levels(SCHEMA, HEADER), N_BATCH)
    assert llama.evals == [(10, HEADER)] and llama.holds(SCHEMA + HEADER)


def test_another_schema_resumes_at_an_n_batch_boundary():
    llama = RecordingLlama()
    _eval_prefix(llama, levels(SCHEMA, HEADER), N_BATCH)
    other = SCHEMA[:6] + [55, 56, 57]         # shares 6 tokens: resume at 4, the last boundary before
    llama.evals.clear()
    _eval_prefix(llama, levels(other, HEADER), N_BATCH)
    assert llama.evals == [(4, other[4:]), (9, HEADER)] and llama.holds(other + HEADER)


def test_a_partly_cached_header_is_evaluated_again_from_its_start():
    llama = RecordingLlama()
    _eval_prefix(llama, levels(SCHEMA, [7, 8, 9]), N_BATCH)
    llama.evals.clear()
    _eval_prefix(llama, levels(SCHEMA, [7, 8, 1]), N_BATCH)
    assert llama.evals == [(10, [7, 8, 1])]
