"""An absent client skips a developer's run but fails CI's (tests/support/missing.py)."""

import pytest

from tests.support.missing import missing


def test_absent_tool_fails_in_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="in CI its absence is a failure"):
        missing("psql is not installed")


def test_absent_tool_skips_outside_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        missing("psql is not installed")
