"""question -> SQL: the pipeline (values, linking, examples, candidates, checks, repair, vote, cache).

The package never executes SQL itself: the caller passes run(sql) -> pa.Table (its engine) and
check(sql) -> exp.Expr (its guard's read-only policy). Every candidate passes our own read-only
shape check, then the caller's check, and only the SQL the check approved is run.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import pyarrow as pa
from sqlglot import exp

from .cache import TranslationCache, cache_key
from .config import LLMConfig
from .errors import (EmptyQuestion, LLMError, OffTopic, QuestionTooLong, Unanswerable, WriteRefused)
from .examples import Example, ExampleStore, teach as _teach
from .fixes import apply_fixes
from .linking import link
from .model import Model, shared_model
from .prompt import STOP, Turn, baseline_prefix, build_baseline_prompt, build_prompt, prompt_prefix
from .render import render_plain_ddl, render_schema
from .safety import NotReadOnly, parse_single_query, refuse_write
from .schema import SchemaContext
from .text import normalize_question
from .validate import schema_problems
from .values import ValueIndexCache, ValueMatch

Runner = Callable[[str], pa.Table]
Check = Callable[[str], exp.Expr]
UNANSWERABLE = "UNANSWERABLE"


@dataclass
class Candidate:
    sql: str                      # what ran (or was tried), after AST fixes and the caller's check
    source: str                   # "greedy", "sample-2", "repair"
    error: str | None = None
    rows: pa.Table | None = field(default=None, repr=False)
    signature: str | None = None  # hash of the result, for the vote
    seconds: float = 0.0


@dataclass
class Translation:
    sql: str
    rows: pa.Table | None         # None for a cache hit: the caller runs `sql` (data may have changed)
    candidates: list[Candidate]
    timings: dict[str, float]
    cached: bool = False
    tables: list[str] = field(default_factory=list)


class Conversation:
    """Per-session memory so a follow-up ("and only for Germany?") can refer to the last answer."""

    def __init__(self) -> None:
        self.turns: list[Turn] = []

    @property
    def previous(self) -> Turn | None:
        return self.turns[-1] if self.turns else None

    def remember(self, question: str, sql: str, context_sql: str | None = None) -> None:
        """context_sql: the previous SQL this answer was made with (its cache key's follow-up part)."""
        self.turns = (self.turns + [Turn(question, sql, context_sql)])[-5:]

    def context_for(self, question: str) -> Turn | None:
        """The turn a new question follows up on. Asking the last question again is no follow-up
        of its own answer: it gets the context that answer had, so it is the same cache entry."""
        prev = self.previous
        if prev is not None and normalize_question(prev.question) == normalize_question(question):
            earlier = prev.context_sql
            return Turn(self.turns[-2].question, earlier) if earlier and len(self.turns) > 1 else None
        return prev

    def clear(self) -> None:
        self.turns = []


def _estimate_tokens(text: str) -> int:
    return len(text) // 3 + 1   # cheap and a little pessimistic for SQL-like text


def result_signature(table: pa.Table) -> str:
    """Order-insensitive fingerprint of a result, for majority voting."""
    cols = [table.column(i).to_pylist() for i in range(table.num_columns)]
    rows = sorted(repr(r) for r in zip(*cols)) if cols else []
    return hashlib.sha256(f"{table.num_columns}|{'|'.join(rows)}".encode()).hexdigest()[:16]


def _message(e: BaseException) -> str:
    return str(getattr(e, "message", None) or e).strip().splitlines()[0][:500] if str(e) else type(e).__name__


class Translator:
    """One per process: holds the model, the example store, the value indexes and the cache."""

    def __init__(self, config: LLMConfig | None = None, *, model: Model | None = None,
                 examples: ExampleStore | None = None) -> None:
        self.config = config or LLMConfig()
        self._model = model
        self._model_lock = threading.Lock()
        self.examples = examples if examples is not None else ExampleStore(path=self.config.examples_file)
        self.values = ValueIndexCache()
        self.cache: TranslationCache[Translation] = TranslationCache(self.config.cache_size)

    @property
    def model(self) -> Model:
        with self._model_lock:
            if self._model is None:
                self._model = shared_model(self.config)   # raises ModelUnavailable naming the install command
            return self._model

    # --- public API -------------------------------------------------------------------------

    def translate(self, question: str, context: SchemaContext, run: Runner, *, check: Check,
                  conversation: Conversation | None = None, options: Mapping[str, Any] | None = None,
                  exclude_database: str | None = None) -> Translation:
        t_start = time.perf_counter()
        cfg = self.config.model_copy(update=dict(options)) if options else self.config
        question = self._validate(question, cfg)
        previous = conversation.context_for(question) if conversation else None
        key = cache_key(normalize_question(question), context.fingerprint, self.model.name,
                        previous.sql if previous else None, tuple(sorted((options or {}).items())))
        if cfg.cache:
            self.cache.observe_schema(context.database, context.fingerprint)
            hit = self.cache.get(key)
            if hit is not None:
                if conversation is not None:
                    conversation.remember(question, hit.sql, previous.sql if previous else None)
                return Translation(hit.sql, None, hit.candidates, {"total": time.perf_counter() - t_start},
                                   cached=True, tables=hit.tables)
        timings: dict[str, float] = {}

        def timed(name, fn, *a, **kw):
            t0 = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                timings[name] = timings.get(name, 0.0) + time.perf_counter() - t0

        matches = timed("values", lambda: self.values.get(context, run).match(question)) if cfg.value_retrieval else []
        tables = (timed("linking", link, context, question, matches, cfg.prompt_budget_tokens, _estimate_tokens,
                        cfg.sample_values) if cfg.schema_linking else list(context.tables))
        schema_text = render_schema(context, tables, samples=cfg.sample_values)
        shots = timed("examples", self.examples.search, question, cfg.examples, database=context.database,
                      exclude_database=exclude_database, other_databases=cfg.examples_other_databases)
        prefix = prompt_prefix(schema_text, examples=bool(shots))

        def prompt_for(failed=None, shots=shots):
            return build_prompt(schema_text, question, examples=shots, values=matches, previous=previous,
                                failed=failed)

        candidates: list[Candidate] = []
        for i in range(cfg.candidates):
            # Candidate 1 is greedy; more come from seeded sampling (deterministic for a given seed).
            temperature, source = (0.0, "greedy") if i == 0 else (0.7, f"sample-{i + 1}")
            candidates.append(timed("candidates", self._candidate, prompt_for(), context, run, check, cfg,
                                    temperature=temperature, seed=cfg.seed + i, source=source, prefix=prefix,
                                    question=question, values=matches))
        if cfg.repair and candidates[0].error and not candidates[0].error.startswith(UNANSWERABLE):
            # Measured on Spider dev: the repair prompt (the error fed back) mostly makes the model
            # repeat the failed query word for word, while the same model with a plain schema
            # prompt writes one that runs (seed 3: 5 of 6 failed greedy queries were answered by
            # the plain prompt after a failed repair, none by the repair). So the plain prompt goes
            # first, and the error is fed back only when it fails too. A follow-up keeps the repair
            # alone: the plain prompt does not show the previous question.
            if previous is None:
                candidates.append(timed("repair", self._plain_candidate, question, context, tables, run, check,
                                        cfg, matches))
            if previous is not None or candidates[-1].error:
                failed = (candidates[0].sql, candidates[0].error)
                candidates.append(timed("repair", self._candidate, prompt_for(failed), context, run, check, cfg,
                                        temperature=0.0, seed=cfg.seed, source="repair", prefix=prefix,
                                        question=question, values=matches))
        winner = self._vote(candidates)
        timings["total"] = time.perf_counter() - t_start
        if winner is None:
            self._fail(question, candidates)
        result = Translation(winner.sql, winner.rows, candidates, timings, cached=False,
                             tables=[t.name for t in tables])
        if cfg.cache:
            self.cache.put(key, Translation(winner.sql, None, [Candidate(c.sql, c.source, c.error) for c in candidates],
                                            {}, tables=result.tables))
        if conversation is not None:
            conversation.remember(question, winner.sql, previous.sql if previous else None)
        return result

    def baseline(self, question: str, context: SchemaContext, run: Runner, *, check: Check) -> Translation:
        """Zero-shot baseline for the evaluation: plain DDL + question, one greedy candidate, nothing else."""
        t0 = time.perf_counter()
        ddl = render_plain_ddl(context)
        cand = self._candidate(build_baseline_prompt(ddl, question), context, run, check, self.config,
                               temperature=0.0, seed=self.config.seed, source="baseline", fixes=False,
                               prefix=baseline_prefix(ddl))
        return Translation(cand.sql, cand.rows, [cand], {"total": time.perf_counter() - t0})

    def _plain_candidate(self, question: str, context: SchemaContext, tables, run: Runner, check: Check,
                         cfg: LLMConfig, values: Sequence[ValueMatch]) -> Candidate:
        """A second opinion of the model in other words: plain DDL of the linked tables + question."""
        ddl = render_plain_ddl(context, tables)
        return self._candidate(build_baseline_prompt(ddl, question), context, run, check, cfg, temperature=0.0,
                               seed=cfg.seed, source="plain", prefix=baseline_prefix(ddl), question=question,
                               values=values)

    def warm(self, context: SchemaContext) -> float:
        """Evaluate the schema part of the prompt once, so the next question on it only pays for itself.

        With prefix snapshots on, the plain-DDL prompt that a failed query is asked again with is
        evaluated too (first, so the schema prompt stays the evaluated one): a question that
        reaches it then pays for its own tokens only, not for the whole DDL again."""
        t0 = time.perf_counter()
        cfg = self.config
        tables = list(context.tables)
        if cfg.schema_linking:
            tables = link(context, "", [], cfg.prompt_budget_tokens, _estimate_tokens, cfg.sample_values)
        # with examples stored, questions show them: their header is evaluated as part of the prefix
        heads = [prompt_prefix(render_schema(context, tables, samples=cfg.sample_values),
                               examples=cfg.examples > 0 and len(self.examples) > 0)]
        if cfg.repair and cfg.prefix_cache_mb:
            heads.insert(0, baseline_prefix(render_plain_ddl(context, tables)))
        for head in heads:
            text = head if isinstance(head, str) else "".join(head)
            self.model.complete(text, max_tokens=1, stop=STOP, timeout=cfg.timeout_s, prefix=head)
        return time.perf_counter() - t0

    def teach(self, question: str, sql: str, *, check: Check, run: Runner, database: str = "") -> Example:
        return _teach(self.examples, question, sql, check=check, run=run, database=database)

    # --- steps ---------------------------------------------------------------------------------

    def _validate(self, question: str, cfg: LLMConfig) -> str:
        if not isinstance(question, str):
            raise EmptyQuestion("the question must be text")
        if len(question) > cfg.max_question_bytes or len(question.encode("utf-8", "replace")) > cfg.max_question_bytes:
            raise QuestionTooLong(f"the question is longer than {cfg.max_question_bytes} bytes",
                                  hint="ask a shorter question")
        question = " ".join(question.split())
        if not question:
            raise EmptyQuestion("the question is empty", hint="write a question after 'ask:'")
        refuse_write(question)
        return question

    def _candidate(self, prompt: str, context: SchemaContext, run: Runner, check: Check, cfg: LLMConfig, *,
                   temperature: float, seed: int, source: str, fixes: bool | None = None,
                   prefix: str | tuple[str, ...] = "", question: str = "",
                   values: Sequence[ValueMatch] = ()) -> Candidate:
        t0 = time.perf_counter()
        out = self.model.complete(prompt, max_tokens=cfg.max_tokens, stop=STOP, temperature=temperature, seed=seed,
                                  timeout=cfg.timeout_s, prefix=prefix)
        sql = ("SELECT" + out.text).strip().rstrip(";").strip()
        cand = Candidate(sql, source)
        try:
            tree = parse_single_query(sql)
            if _is_unanswerable(tree):
                raise LookupError(f"{UNANSWERABLE}: the model found no table that answers the question")
            if fixes if fixes is not None else cfg.ast_fixes:
                tree = apply_fixes(tree, context, question=question, values=values)
            cand.sql = tree.sql(dialect="postgres")
            if fixes is not False and (problems := schema_problems(tree, context)):
                raise LookupError("; ".join(problems))   # before running: a precise message for the repair
            approved = check(cand.sql)
            cand.sql = approved.sql(dialect="postgres")
            cand.rows = run(cand.sql)
            cand.signature = result_signature(cand.rows)
        except Exception as e:  # noqa: BLE001 - a failed candidate is recorded, then repaired or outvoted
            cand.error = _message(e) if not isinstance(e, NotReadOnly) else f"refused: {_message(e)}"
        cand.seconds = time.perf_counter() - t0
        return cand

    @staticmethod
    def _vote(candidates: list[Candidate]) -> Candidate | None:
        ok = [c for c in candidates if c.error is None]
        if not ok:
            return None
        votes = Counter(c.signature for c in ok)
        best = max(votes.values())
        return next(c for c in ok if votes[c.signature] == best)   # ties: the earliest (greedy first)

    @staticmethod
    def _fail(question: str, candidates: list[Candidate]) -> None:
        tried = "\n".join(f"[{c.source}] {c.sql}\n  -> {c.error}" for c in candidates)
        if all((c.error or "").startswith(UNANSWERABLE) for c in candidates):
            raise OffTopic("the question does not seem to be about the data in this database",
                           detail=f"tried:\n{tried}", hint="ask about the tables this database holds")
        if all((c.error or "").startswith("refused") for c in candidates):
            raise WriteRefused("the only queries found for this question are not read-only; nothing was run",
                               detail=f"tried:\n{tried}")
        raise Unanswerable("could not answer the question: no candidate query passed the checks and ran",
                           detail=f"tried:\n{tried}", hint="rephrase the question, or teach an example")


def _is_unanswerable(tree: exp.Expr) -> bool:
    """SELECT 'UNANSWERABLE' (the prompt's sentinel), or a query that reads no table at all."""
    if any(isinstance(lit, exp.Literal) and lit.is_string and lit.this.upper() == UNANSWERABLE
           for lit in tree.find_all(exp.Literal)):
        return True
    return next(tree.find_all(exp.Table), None) is None


# --- the process-wide default translator (the proxy may also hold its own Translator) ---------

_default: Translator | None = None
_default_lock = threading.Lock()


def configure(config: LLMConfig, *, model: Model | None = None, examples: ExampleStore | None = None) -> Translator:
    global _default
    with _default_lock:
        _default = Translator(config, model=model, examples=examples)
        return _default


def default_translator() -> Translator:
    global _default
    with _default_lock:
        if _default is None:
            _default = Translator(LLMConfig())
        return _default


def translate(question: str, context: SchemaContext, run: Runner, *, check: Check,
              conversation: Conversation | None = None, options: Mapping[str, Any] | None = None) -> Translation:
    return default_translator().translate(question, context, run, check=check, conversation=conversation,
                                          options=options)


__all__ = ["Candidate", "Conversation", "Translation", "Translator", "configure", "translate", "LLMError"]
