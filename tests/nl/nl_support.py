"""NL tests run the REAL model (the one `python -m askgres.models install` assembles) and a real
DuckDB; they fail, with the install command, when the model or llama-cpp-python is missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from askgres.llm.config import LLMConfig
from askgres.llm.errors import ModelUnavailable
from askgres.llm.model import shared_model

DATASET = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "spider_dev"


@pytest.fixture(scope="session")
def nl_config() -> LLMConfig:
    return LLMConfig()


@pytest.fixture(scope="session")
def real_model(nl_config):
    try:
        return shared_model(nl_config)
    except ModelUnavailable as e:
        pytest.fail(f"{e.message}; install it with: {e.hint}")


@pytest.fixture(scope="session")
def dataset() -> Path:
    if not (DATASET / "dev.json").is_file():
        pytest.fail(f"Spider dev not found at {DATASET}")
    return DATASET
