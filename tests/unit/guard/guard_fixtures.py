"""Shared fixtures of the guard tests: roles and catalog from fixtures/guard.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from askgres.guard import GuardConfig
from askgres.guard.context import Catalog

FIXTURES = Path(__file__).parent / "fixtures"


def load_setup() -> tuple[GuardConfig, Catalog]:
    data = yaml.safe_load((FIXTURES / "guard.yaml").read_text())
    catalog = Catalog(**data.pop("catalog"))
    return GuardConfig(**data), catalog


CONFIG, CATALOG = load_setup()


def role_of(sql: str, default: str = "analyst") -> str:
    """A fixture file may name its role in a first-line comment `-- role: writer`."""
    first = sql.lstrip().splitlines()[0] if sql.strip() else ""
    if first.startswith("-- role:"):
        return first.split(":", 1)[1].strip()
    return default


@pytest.fixture
def config() -> GuardConfig:
    return CONFIG


@pytest.fixture
def catalog() -> Catalog:
    return CATALOG
