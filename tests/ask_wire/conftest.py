"""Fixtures of tests/ask_wire; the helpers live in ask_wire_support.py, a module name no other test folder uses
(`from conftest import ...` resolves to whichever conftest pytest loaded first)."""

from ask_wire_support import *  # noqa: F401,F403 - pytest finds the fixtures here
