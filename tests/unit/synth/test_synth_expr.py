"""Derived-column expressions: parsed by sqlglot, evaluated on arrays, never eval()'d."""

from __future__ import annotations

import numpy as np
import pytest

from askgres.synth import SpecError
from askgres.synth import expr


def test_arithmetic_functions_case():
    env = {"a": np.array([1.0, 4.0, 9.0]), "b": np.array([2, 0, 1])}
    assert expr.columns(expr.parse("sqrt(a) * b + greatest(a, 5)")) == ["a", "b"]
    assert np.allclose(expr.evaluate(expr.parse("sqrt(a) * b + greatest(a, 5)"), env), [7, 5, 12])
    assert np.allclose(expr.evaluate(expr.parse("CASE WHEN a > 3 AND b = 0 THEN -a ELSE a % 4 END"), env), [1, -4, 1])
    assert np.allclose(expr.evaluate(expr.parse("round(a / 3, 1) + abs(1 - b) + power(b, 2)"), env), [5.3, 2.3, 4])


@pytest.mark.parametrize("text", ["__import__('os')", "(SELECT 1)", "a || 'x'", "current_date", "random()"])
def test_anything_else_is_rejected(text):
    with pytest.raises(SpecError):
        expr.parse(text)
