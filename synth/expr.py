"""Derived columns: a SQL expression, parsed by sqlglot, evaluated over NumPy arrays.

Only a small whitelist of nodes is understood (arithmetic, comparisons, boolean logic, CASE and
a few math functions); anything else is a SpecError, so nothing is ever eval()'d."""

from __future__ import annotations

from typing import Callable, Mapping

import numpy as np
import sqlglot
from sqlglot import exp

from .errors import SpecError

_BINARY: dict[type, Callable] = {
    exp.Add: np.add, exp.Sub: np.subtract, exp.Mul: np.multiply,
    exp.Div: lambda a, b: np.divide(np.asarray(a, dtype=np.float64), b),
    exp.Mod: np.mod, exp.Pow: np.power,
    exp.GT: np.greater, exp.GTE: np.greater_equal, exp.LT: np.less, exp.LTE: np.less_equal,
    exp.EQ: np.equal, exp.NEQ: np.not_equal, exp.And: np.logical_and, exp.Or: np.logical_or,
}
_UNARY: dict[type, Callable] = {
    exp.Abs: np.abs, exp.Floor: np.floor, exp.Ceil: np.ceil, exp.Sqrt: np.sqrt,
    exp.Ln: np.log, exp.Exp: np.exp,
}


def parse(text: str, field: str = "expr") -> exp.Expr:
    try:
        tree = sqlglot.parse_one(text, read="postgres")
    except sqlglot.errors.ParseError as e:
        raise SpecError(f"{field}: cannot parse expression {text!r}: {e}", field=field) from None
    for node in tree.walk():
        if not isinstance(node, _ALLOWED):
            raise SpecError(f"{field}: {type(node).__name__.lower()} is not allowed in a derived expression "
                            f"(arithmetic, comparisons, AND/OR/NOT, CASE, round/abs/floor/ceil/sqrt/ln/exp/power/least/greatest)",
                            field=field)
    return tree


def columns(tree: exp.Expr) -> list[str]:
    return sorted({c.name for c in tree.find_all(exp.Column)})


def evaluate(tree: exp.Expr, env: Mapping[str, np.ndarray]) -> np.ndarray:
    """Evaluate over arrays of equal length; scalars broadcast."""
    return np.asarray(_eval(tree, env))


def _eval(node: exp.Expr, env: Mapping[str, np.ndarray]):
    if isinstance(node, exp.Paren):
        return _eval(node.this, env)
    if isinstance(node, exp.Column):
        return env[node.name]
    if isinstance(node, exp.Literal):
        if node.is_string:
            return node.this
        v = float(node.this)
        return int(v) if v.is_integer() and "." not in node.this and "e" not in node.this.lower() else v
    if isinstance(node, exp.Boolean):
        return node.this
    if isinstance(node, exp.Neg):
        return np.negative(_eval(node.this, env))
    if isinstance(node, exp.Not):
        return np.logical_not(_eval(node.this, env))
    if type(node) in _BINARY:
        return _BINARY[type(node)](_eval(node.this, env), _eval(node.expression, env))
    if type(node) in _UNARY:
        return _UNARY[type(node)](_eval(node.this, env))
    if isinstance(node, exp.Round):
        d = node.args.get("decimals")
        return np.round(_eval(node.this, env), int(d.this) if d is not None else 0)
    if isinstance(node, (exp.Greatest, exp.Least)):
        fn = np.maximum if isinstance(node, exp.Greatest) else np.minimum
        out = _eval(node.this, env)
        for e in node.expressions:
            out = fn(out, _eval(e, env))
        return out
    if isinstance(node, exp.Case):
        default = node.args.get("default")
        out = _eval(default, env) if default is not None else np.nan
        for when in reversed(node.args.get("ifs") or []):
            out = np.where(_eval(when.this, env), _eval(when.args["true"], env), out)
        return out
    if isinstance(node, exp.If):
        false = node.args.get("false")
        return np.where(_eval(node.this, env), _eval(node.args["true"], env),
                        _eval(false, env) if false is not None else np.nan)
    raise SpecError(f"unsupported expression node {type(node).__name__}")


_ALLOWED = tuple({exp.Paren, exp.Column, exp.Identifier, exp.Literal, exp.Boolean, exp.Neg, exp.Not,
                  exp.Round, exp.Greatest, exp.Least, exp.Case, exp.If, *_BINARY, *_UNARY})
