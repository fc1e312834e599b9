"""One llama.cpp model per process, shared by every session through a single worker thread.

A Llama object is not thread-safe, so all requests go through a queue to the one thread that owns
it. llama.cpp keeps the KV cache of the previous prompt and re-evaluates only what differs after
the longest common prefix: prompts therefore put the schema first and the question last.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from .config import LLMConfig
from .errors import LLMError, ModelTimeout, ModelUnavailable
from .prefix_states import PrefixStates


@dataclass(frozen=True)
class Completion:
    text: str
    prompt_tokens: int
    completion_tokens: int
    seconds: float


class Model(Protocol):
    """What the pipeline needs from a model (the real one below, a fake one in unit tests)."""

    name: str

    def complete(self, prompt: str, *, max_tokens: int, stop: list[str], temperature: float = 0.0,
                 seed: int = 0, timeout: float | None = None, prefix: str | tuple[str, ...] = "") -> Completion: ...

    def count_tokens(self, text: str) -> int: ...


def resolve_model_path(config: LLMConfig) -> tuple[Path, str]:
    """(path, identity) of the configured GGUF; the identity goes into cache keys."""
    if config.model_path is not None:
        path = Path(config.model_path).expanduser()
        if not path.is_file():
            raise ModelUnavailable(f"model file {path} does not exist",
                                   hint="set [llm] model_path to an existing GGUF file, or unset it and install "
                                        "the manifest model: python -m askgres.models install")
        st = path.stat()
        return path, f"{path.name}:{st.st_size}:{int(st.st_mtime)}"
    from askgres.models.assemble import resolve_model
    from askgres.models.errors import ModelError
    from askgres.models.manifest import get_spec

    try:
        path = resolve_model(config.model, config.model_cache_dir)
    except ModelError as e:
        raise ModelUnavailable(e.message, detail=e.detail, hint=e.hint) from None
    return path, f"{config.model}:{get_spec(config.model).sha256[:12]}"


def _align_cache(llama, prompt: str, n_batch: int) -> None:
    """Keep only the cached prompt prefix up to a multiple of n_batch tokens.

    llama.cpp reuses the cached prefix and evaluates the rest; the rest's numerics depend on
    how it is split into batches, so reusing an arbitrary prefix can flip a greedy token and
    the same question would get different SQL. Re-evaluating from a batch boundary makes every
    token's batch exactly what a fresh evaluation would use: deterministic, with most of the
    prefix (the schema) still reused."""
    cached = llama.n_tokens
    if not cached:
        return
    tokens = llama.tokenize(prompt.encode("utf-8"), special=True)
    common = 0
    for a, b in zip(llama.input_ids[:cached], tokens):
        if a != b:
            break
        common += 1
    llama.n_tokens = min(cached, (common // n_batch) * n_batch)


def _until(deadline: float):
    """A llama.cpp stopping criterion: generation ends when its caller's time is up, so a question
    that timed out stops holding the one model the questions queued behind it wait for."""
    from llama_cpp import StoppingCriteriaList
    return StoppingCriteriaList([lambda _tokens, _logits: time.monotonic() > deadline])


def _common(llama, tokens: list[int]) -> int:
    """How many of `tokens` the KV cache already holds, from the start."""
    common = 0
    for a, b in zip(llama.input_ids[:llama.n_tokens], tokens):
        if a != b:
            break
        common += 1
    return common


def _eval_prefix(llama, levels: list[list[int]], n_batch: int, states: PrefixStates | None = None) -> None:
    """Leave exactly `levels[-1]` in the KV cache, evaluated in the batches a fresh start uses.

    levels: the prompt's shared prefix, cumulatively, one list per segment (the schema; the
    schema and the examples' header). The first segment is evaluated in n_batch chunks counted
    from token 0, each further one as batches of its own from its segment's start, and the rest
    of the prompt always starts a new batch after the last one. Every question on a schema
    therefore sees bit-identical prefix state whether it was cached, restored from a snapshot or
    evaluated afresh (same question, same SQL), also when it uses fewer segments than the
    question before it (the cache is cut at a segment's end, a batch boundary), and only its own
    tokens are evaluated."""
    full = levels[-1]
    common = _common(llama, full)
    if common == len(full):
        llama.n_tokens = common
        return
    if states is not None and states.restore(llama, full):
        return
    start = 0
    for tokens in levels:
        if common >= len(tokens):   # cached up to this segment's end
            start = len(tokens)
            continue
        if states is not None and states.restore(llama, tokens):
            common = start = len(tokens)
            continue
        # resume at a batch boundary: inside the first segment an n_batch multiple, later at its start
        llama.n_tokens = (common // n_batch) * n_batch if start == 0 else start
        llama.eval(tokens[llama.n_tokens:])
        if states is not None:
            states.save(llama, tokens)
        common = start = len(tokens)


class LlamaModel:
    """The real model: a worker thread owns the Llama; callers wait on futures."""

    def __init__(self, config: LLMConfig) -> None:
        self.config = config
        self.path, self.name = resolve_model_path(config)
        self._queue: queue.Queue = queue.Queue()
        self._ready: Future = Future()
        self.prefix_states = PrefixStates(config.prefix_cache_mb * 2**20)   # owned by the worker thread
        self._thread = threading.Thread(target=self._serve, name="askgres-llm", daemon=True)
        self._thread.start()
        self._ready.result()  # raises here if the model cannot be loaded

    def _load(self):
        try:
            from llama_cpp import Llama
        except ImportError:
            raise ModelUnavailable("llama-cpp-python is not installed",
                                   hint="python -m askgres.models build-llama   (or: make serve / make test)") from None
        return Llama(model_path=str(self.path), n_ctx=self.config.n_ctx, n_batch=self.config.n_batch,
                     n_threads=self.config.n_threads or os.cpu_count() or 2, seed=self.config.seed,
                     verbose=False)

    def _serve(self) -> None:
        try:
            llama = self._load()
        except BaseException as e:  # noqa: BLE001 - handed to the constructor's caller
            self._ready.set_exception(e)
            return
        self._ready.set_result(True)
        while True:
            fut, kind, args, deadline, timeout = self._queue.get()
            if time.monotonic() > deadline or not fut.set_running_or_notify_cancel():
                continue   # its caller has given up waiting: don't make the questions behind it wait
            try:
                if kind == "tokens":
                    fut.set_result(len(llama.tokenize(args.encode(), add_bos=False, special=True)))
                else:
                    t0 = time.perf_counter()
                    prompt, max_tokens, stop, temperature, seed, prefix = args
                    segments = (prefix,) if isinstance(prefix, str) else tuple(prefix)
                    prefix = "".join(segments)
                    if prefix and prompt.startswith(prefix):
                        levels, head = [], []
                        for i, segment in enumerate(segments):
                            head = head + llama.tokenize(segment.encode("utf-8"), add_bos=i == 0, special=True)
                            levels.append(head)
                        _eval_prefix(llama, levels, self.config.n_batch, self.prefix_states)
                        rest = prompt[len(prefix):]
                        if not rest:   # a warm-up: the prefix is all there is to evaluate
                            fut.set_result(Completion("", len(head), 0, time.perf_counter() - t0))
                            continue
                        prompt = head + llama.tokenize(rest.encode("utf-8"), add_bos=False, special=True)
                    else:
                        _align_cache(llama, prompt, self.config.n_batch)
                    out = llama.create_completion(prompt, max_tokens=max_tokens, stop=stop, temperature=temperature,
                                                  top_p=1.0 if temperature == 0 else 0.95, top_k=40,
                                                  repeat_penalty=1.0, seed=seed,
                                                  stopping_criteria=_until(deadline))
                    if time.monotonic() > deadline:
                        # the caller may still be waiting here: it must see the same 57014 as on its own timeout
                        fut.set_exception(_timed_out(timeout))
                        continue
                    usage = out["usage"]
                    fut.set_result(Completion(out["choices"][0]["text"], usage["prompt_tokens"],
                                              usage["completion_tokens"], time.perf_counter() - t0))
            except BaseException as e:  # noqa: BLE001 - reported to the waiting caller
                fut.set_exception(LLMError(f"model failure: {e}"))

    def _submit(self, kind: str, args, timeout: float | None):
        fut: Future = Future()
        timeout = timeout if timeout is not None else self.config.timeout_s
        self._queue.put((fut, kind, args, time.monotonic() + timeout, timeout))
        try:
            return fut.result(timeout=timeout)
        except TimeoutError:
            fut.cancel()
            raise _timed_out(timeout) from None

    def complete(self, prompt: str, *, max_tokens: int, stop: list[str], temperature: float = 0.0,
                 seed: int = 0, timeout: float | None = None, prefix: str | tuple[str, ...] = "") -> Completion:
        """prefix: the start of `prompt` that many prompts share (kept evaluated between calls);
        a tuple of segments when some prompts share only its first ones (see _eval_prefix)."""
        return self._submit("complete", (prompt, max_tokens, stop, temperature, seed, prefix), timeout)

    def count_tokens(self, text: str) -> int:
        return self._submit("tokens", text, None)


def _timed_out(timeout: float) -> ModelTimeout:
    return ModelTimeout(f"the question took longer than {timeout:g} s with the model",
                        hint="try again, or raise [llm] timeout_s")


_shared: dict[tuple, LlamaModel] = {}
_shared_lock = threading.Lock()


def shared_model(config: LLMConfig) -> LlamaModel:
    """The process-wide model for this configuration (loaded once, on first use)."""
    key = (config.model, str(config.model_path), str(config.model_cache_dir), config.n_ctx, config.n_threads,
           config.n_batch, config.seed)
    with _shared_lock:
        if key not in _shared:
            _shared[key] = LlamaModel(config)
        return _shared[key]
