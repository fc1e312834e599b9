"""Fixtures of tests/nl; the helpers live in nl_support.py, a module name no other test folder uses
(`from conftest import ...` resolves to whichever conftest pytest loaded first)."""

from nl_support import *  # noqa: F401,F403 - pytest finds the fixtures here
