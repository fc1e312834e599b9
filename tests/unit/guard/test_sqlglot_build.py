"""askgres refuses, at import, a sqlglot whose compiled build forbids its dialect's subclasses."""

from __future__ import annotations

import pytest

from askgres.guard.dialect import require_interpreted_sqlglot


class _CompiledBase:
    def __init__(self) -> None:   # what mypyc's native classes raise for an interpreted subclass
        raise TypeError("interpreted classes cannot inherit from compiled")


def test_the_installed_sqlglot_allows_the_dialect():
    require_interpreted_sqlglot()   # the classes askgres defines can be made


def test_a_compiled_sqlglot_is_named_with_the_command_that_removes_it():
    with pytest.raises(ImportError, match="pip uninstall sqlglotc"):
        require_interpreted_sqlglot((_CompiledBase,))


def test_other_type_errors_are_not_mistaken_for_it():
    class Broken:
        def __init__(self) -> None:
            raise TypeError("missing argument")

    with pytest.raises(TypeError, match="missing argument"):
        require_interpreted_sqlglot((Broken,))
