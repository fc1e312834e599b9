"""A fake model for the pipeline's unit tests (the real model is used in tests/nl)."""

from __future__ import annotations

from askgres.llm.config import LLMConfig
from askgres.llm.model import Completion
from askgres.llm.translate import Translator


class FakeModel:
    """Answers by rules: the first rule whose key is in the prompt's last question wins.
    A rule's value is the SQL continuation after the prompt's "SELECT", or a callable(prompt, seed)."""

    name = "fake-model"

    def __init__(self, rules: dict) -> None:
        self.rules = rules
        self.prompts: list[str] = []
        self.prefixes: list[str] = []

    def complete(self, prompt, *, max_tokens, stop, temperature=0.0, seed=0, timeout=None, prefix=""):
        self.prompts.append(prompt)
        self.prefixes.append(prefix)
        question = prompt.rsplit("Question:", 1)[-1]
        for key, value in self.rules.items():
            if key in question:
                text = value(prompt, seed) if callable(value) else value
                return Completion(text, len(prompt) // 3, len(text) // 3, 0.0)
        return Completion(" 'UNANSWERABLE'", 1, 1, 0.0)

    def count_tokens(self, text):
        return len(text) // 3


def make_translator(rules, **cfg) -> tuple[Translator, FakeModel]:
    model = FakeModel(rules)
    return Translator(LLMConfig(**cfg), model=model), model
