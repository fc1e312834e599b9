"""A test whose client or tool is absent: skipped on a developer's machine, failed in CI.

`make test` installs every client, so in CI (CI=true) an absent one means an install step
broke; skipping there would hide it."""

from __future__ import annotations

import os

import pytest


def missing(reason: str):
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{reason} -- `make test` installs it, so in CI its absence is a failure")
    pytest.skip(reason)
