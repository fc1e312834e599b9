"""to_char(number, template): PostgreSQL's numeric templates -> a DuckDB string expression.

The template is a constant, so it is read here, once, into a layout (digit positions, group
separators, where the sign goes, fill mode); the expression built from it only has to round the
value and place its digits. It uses only DuckDB's own functions (no catalog macros), so any
configured connection runs it (dialect.configure, arrow_runner).

Supported: 9 0 . D , G S MI PR V and the FM prefix, as PostgreSQL prints them in the C locale
(D is '.', G is ','): blank-padded to the template's width, the sign just left of the first
digit, '#' in every digit position when the integer part does not fit. Templates with anything
else (EEEE, RN, TH, PL, SG, L, quoted text) are left untranslated; DuckDB then refuses them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlglot
from sqlglot import exp

@dataclass
class NumberLayout:
    int_digits: int = 0           # digit positions before the point (V's included)
    frac_digits: int = 0          # after it
    shift: int = 0                # V: the value is multiplied by 10^shift
    forced_zeros: int = 0         # integer positions printed even as leading zeros ('0' onwards)
    group_offsets: list[int] = field(default_factory=list)  # separators: digits to their right
    point: bool = False
    trailing_nines: int = 0       # fraction positions FM may drop when they print zeros
    fill_mode: bool = False
    sign: str = "implicit"        # implicit, S<, S>, MI<, MI>, PR


def parse_number_template(template: str) -> NumberLayout | None:
    """The layout of a numeric template, or None when it uses something unsupported."""
    layout = NumberLayout()
    text = template.upper()
    int_kinds: list[str] = []     # '9' / '0' per integer position, left to right
    frac_kinds: list[str] = []
    separators_after: list[int] = []  # number of integer positions before each separator
    after_v = False
    i = 0
    while i < len(text):
        token = text[i:i + 2]
        digits_seen = bool(int_kinds or frac_kinds)
        if token == "FM":
            layout.fill_mode = True
            i += 2
        elif token in ("MI", "PR"):
            if layout.sign != "implicit" or (token == "PR" and i + 2 != len(text)):
                return None
            layout.sign = "PR" if token == "PR" else ("MI>" if digits_seen else "MI<")
            i += 2
        elif text[i] == "S":
            if layout.sign != "implicit":
                return None
            layout.sign = "S>" if digits_seen else "S<"
            i += 1
        elif text[i] in "90":
            if layout.sign in ("S>", "MI>", "PR"):
                return None
            (frac_kinds if layout.point else int_kinds).append(text[i])
            layout.shift += after_v
            i += 1
        elif text[i] in ".D":
            if layout.point or after_v:
                return None
            layout.point = True
            i += 1
        elif text[i] in ",G":
            if layout.point or not int_kinds:
                return None
            separators_after.append(len(int_kinds))
            i += 1
        elif text[i] == "V":
            if after_v or layout.point:
                return None
            after_v = True
            i += 1
        else:
            return None
    if not int_kinds and not frac_kinds:
        return None
    layout.int_digits, layout.frac_digits = len(int_kinds), len(frac_kinds)
    if "0" in int_kinds:
        layout.forced_zeros = len(int_kinds) - int_kinds.index("0")
    layout.group_offsets = sorted({len(int_kinds) - n for n in separators_after if n < len(int_kinds)})
    while layout.trailing_nines < len(frac_kinds) and frac_kinds[-1 - layout.trailing_nines] == "9":
        layout.trailing_nines += 1
    return layout


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _rounded_text(x: str, nf: int) -> str:
    """|x| rounded to nf places as 'digits[.digits]': numerics exactly (half away from zero),
    floats as C's printf rounds them, which is what PostgreSQL's float to_char does."""
    return (f"CASE WHEN typeof({x}) IN ('FLOAT', 'DOUBLE') THEN printf('%.{nf}f', abs({x})) "
            f"ELSE CAST(round(abs({x}), {nf}) AS VARCHAR) END")


def _grouped(digits: str, offsets: list[int]) -> str:
    """digits with ',' inserted where the offsets (digits to a separator's right) fall inside."""
    listed = "[" + ", ".join(map(str, offsets)) + "]"
    return (f"array_to_string(list_transform(range(length({digits})), lambda i: CASE WHEN i > 0 AND "
            f"list_contains({listed}, length({digits}) - i) THEN ',' ELSE '' END || "
            f"substr({digits}, i + 1, 1)), '')")


def number_to_char_sql(layout: NumberLayout) -> str:
    """DuckDB SQL for to_char(X, template), with the value written as the column X."""
    ni, nf = layout.int_digits, layout.frac_digits
    fm = layout.fill_mode
    value = f"(X * {10 ** layout.shift})" if layout.shift else "X"
    s = _rounded_text(value, nf)
    d = f"ltrim(split_part({s}, '.', 1), '0')"            # '' for a zero integer part
    frac = f"left(rpad(split_part({s}, '.', 2), {nf}, '0'), {nf})"
    negative = f"({value} < 0 AND ltrim(replace({s}, '.', ''), '0') <> '')"
    overflow = f"(length({d}) > {ni})"
    if fm and layout.trailing_nines:
        kept = nf - layout.trailing_nines
        frac_out = (f"left({frac}, {kept}) || " if kept else "") + \
            f"rtrim(right({frac}, {layout.trailing_nines}), '0')"
    else:
        frac_out = frac
    if nf == 0:
        zero_digit = "1"   # a zero value still shows one digit
    elif fm and layout.trailing_nines == nf:
        zero_digit = f"CASE WHEN {frac_out} = '' THEN 1 ELSE 0 END"
    else:
        zero_digit = "0"
    printed = f"CAST(greatest(length({d}), {layout.forced_zeros}, {zero_digit}) AS INTEGER)"
    digits = f"CASE WHEN {overflow} THEN {_q('#' * ni)} ELSE lpad({d}, {printed}, '0') END"
    if layout.group_offsets:
        digits = _grouped(digits, layout.group_offsets)
    blank = "''" if fm else "' '"

    def by_sign(negative_text: str, positive_text: str) -> str:
        return f"CASE WHEN {negative} THEN {_q(negative_text)} ELSE {positive_text} END"

    anchored = {"implicit": by_sign("-", blank), "S<": by_sign("-", "'+'"),
                "PR": by_sign("<", blank)}.get(layout.sign)
    integer = f"{anchored} || {digits}" if anchored else digits
    if not fm:
        width = ni + len(layout.group_offsets) + (1 if anchored else 0)
        integer = f"lpad({integer}, {width}, ' ')"
    parts = []
    if layout.sign == "MI<":
        parts.append(by_sign("-", blank))
    parts.append(integer)
    if layout.point:
        parts.append(f"'.' || CASE WHEN {overflow} THEN {_q('#' * nf)} ELSE {frac_out} END"
                     if nf else "'.'")
    suffix = {"S>": by_sign("-", "'+'"), "MI>": by_sign("-", blank), "PR": by_sign(">", blank)}
    if layout.sign in suffix:
        parts.append(suffix[layout.sign])
    return " || ".join(f"({p})" for p in parts)


def number_to_char(value: exp.Expr, template: str) -> exp.Expr | None:
    """The expression for to_char(value, template), or None for an unsupported template."""
    layout = parse_number_template(template)
    if layout is None:
        return None
    tree = sqlglot.parse_one(number_to_char_sql(layout), read="duckdb")
    for column in list(tree.find_all(exp.Column)):
        if column.name == "X" and not column.table:
            column.replace(exp.paren(value.copy()))
    return exp.paren(tree)
