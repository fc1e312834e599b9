"""[llm] settings: the model and the pipeline's switches (each step can be turned off to measure it)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class LLMConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    model: str = Field("qwen2.5-coder-1.5b", description="Model name from the manifest (askgres.models.manifest.MODELS).")
    model_path: Path | None = Field(None, description="Path of any other GGUF file to use instead of a manifest model.")
    model_cache_dir: Path | None = Field(None, description="Where assembled models live; default ~/.cache/askgres/models.")
    n_ctx: int = Field(4096, ge=512, description="Context window in tokens allocated for prompts (memory grows with it).")
    n_threads: int | None = Field(None, ge=1, description="CPU threads for inference; default: all available cores.")
    n_batch: int = Field(256, ge=16, description="Prompt tokens evaluated per batch.")
    prefix_cache_mb: int = Field(256, ge=0, description="Memory for snapshots of evaluated schema prompts (about 28 KB per token with the 1.5B model), so switching databases or prompts does not evaluate a schema again; 0 turns them off.")
    seed: int = Field(42, description="Sampling seed; with temperature 0 the same question gives the same SQL.")
    max_tokens: int = Field(256, ge=16, description="Most tokens generated for one SQL candidate.")
    max_question_bytes: int = Field(4000, ge=16, description="Longer questions are refused with a clear error.")
    prompt_budget_tokens: int = Field(2600, ge=256, description="Token budget of the schema part of the prompt; schema linking keeps it within.")
    sample_values: int = Field(2, ge=0, le=10, description="Sample values shown per text column in the prompt.")
    candidates: int = Field(1, ge=1, le=7, description="SQL candidates generated and executed; >1 votes on their results.")
    examples: int = Field(1, ge=0, le=10, description="Verified question/SQL examples retrieved into the prompt. Each costs about 1 s of prompt per question on 2 cores; on two Spider dev samples one example answered at least as many questions as two (49 vs 46 of 60, 43 vs 43).")
    examples_other_databases: bool = Field(True, description="Also retrieve examples verified on other databases (matched on query-shape words only). On two Spider dev samples (with two examples) they bought 5 of 120 questions.")
    examples_file: Path | None = Field(None, description="JSON file where taught examples are kept (None: in memory only).")
    value_retrieval: bool = Field(True, description="Match literals of the question to values stored in text columns.")
    schema_linking: bool = Field(True, description="Keep only the tables relevant to the question when the schema exceeds the budget.")
    repair: bool = Field(True, description="When a query fails, ask again with a plain schema prompt, then (if that fails too) feed the error back to the model once.")
    ast_fixes: bool = Field(True, description="Fix known slips on the AST (e.g. a column selected but not grouped).")
    warm_on_start: bool = Field(True, description="`askgres serve` loads the model and evaluates the schema prompt in the background at start-up, so the first question does not wait for them.")
    cache: bool = Field(True, description="Cache translations by question, schema fingerprint and model.")
    cache_size: int = Field(1024, ge=0, description="Translations kept in the in-memory cache.")
    timeout_s: float = Field(120.0, gt=0, description="Most seconds one question may wait for and use the model.")
