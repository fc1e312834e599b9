"""Dates, timestamps and intervals."""

from __future__ import annotations

from sqlglot import exp

from .annotation import has_type

_MICROSECONDS = exp.Var(this="MICROSECONDS")


def _decimal(node: exp.Expr, scale: int) -> exp.Expr:
    return exp.Cast(this=node, to=exp.DataType.build(f"DECIMAL(38, {scale})"))


def extract_fractional_fields(tree: exp.Expr) -> exp.Expr:
    """EXTRACT(EPOCH|SECOND|MILLISECONDS ...) is numeric with microseconds in PostgreSQL;
    DuckDB's EXTRACT(SECOND) drops the fraction and EXTRACT(EPOCH) is a DOUBLE."""
    for node in list(tree.find_all(exp.Extract)):
        field = node.this.name.upper() if isinstance(node.this, (exp.Var, exp.Identifier)) else ""
        source = node.expression
        if field == "EPOCH":
            node.replace(_decimal(node.copy(), 6))
        elif field in ("SECOND", "SECONDS"):
            micros = exp.Extract(this=_MICROSECONDS.copy(), expression=source.copy())
            node.replace(_decimal(exp.Div(this=micros, expression=exp.Literal.number("1000000.0")), 6))
        elif field in ("MILLISECOND", "MILLISECONDS"):
            micros = exp.Extract(this=_MICROSECONDS.copy(), expression=source.copy())
            node.replace(_decimal(exp.Div(this=micros, expression=exp.Literal.number("1000.0")), 3))
    return tree


def _is_date(node: exp.Expr) -> bool:
    if isinstance(node, exp.Cast):
        return node.to.this == exp.DType.DATE
    return has_type(node, exp.DType.DATE)


def date_trunc_of_date_is_timestamptz(tree: exp.Expr) -> exp.Expr:
    """date_trunc(unit, date) promotes the date to timestamptz in PostgreSQL."""
    for node in list(tree.find_all(exp.TimestampTrunc, exp.DateTrunc)):
        if _is_date(node.this):
            node.this.replace(exp.Cast(this=node.this.copy(), to=exp.DataType.build("TIMESTAMPTZ")))
    return tree


def _signs_attached(text: str) -> str:
    """'1 month - 1 day' -> '1 month -1 day' (DuckDB wants the sign on the number)."""
    out: list[str] = []
    words = text.split()
    i = 0
    while i < len(words):
        if words[i] in ("-", "+") and i + 1 < len(words):
            out.append(words[i] + words[i + 1])
            i += 2
            continue
        out.append(words[i])
        i += 1
    return " ".join(out)


def interval_text_signs(tree: exp.Expr) -> exp.Expr:
    for interval in tree.find_all(exp.Interval):
        value = interval.this
        if isinstance(value, exp.Literal) and value.is_string and interval.args.get("unit") is None:
            fixed = _signs_attached(value.name)
            if fixed != value.name:
                value.replace(exp.Literal.string(fixed))
    return tree


def generate_series_of_dates_is_timestamptz(tree: exp.Expr) -> exp.Expr:
    """generate_series(date, date, interval) runs over timestamptz in PostgreSQL."""
    for node in list(tree.find_all(exp.GenerateSeries)):
        for key in ("start", "end"):
            bound = node.args.get(key)
            if bound is not None and _is_date(bound):
                bound.replace(exp.Cast(this=bound.copy(), to=exp.DataType.build("TIMESTAMPTZ")))
    return tree
