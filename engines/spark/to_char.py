"""PostgreSQL to_char(timestamp, format) as a Spark expression.

sqlglot maps only part of PostgreSQL's template patterns to Java's (Mon, Month, Day, Dy,
FM and the blank padding of Month/Day are lost or wrong), so we tokenise the PostgreSQL
template ourselves and build CONCAT(date_format(x, ...), 'literal', ...).
"""

from __future__ import annotations

from sqlglot import exp

# PostgreSQL pattern -> (Java pattern, Java pattern under FM, case, pad width).
# case: None (as Java prints it), "upper" or "lower"; pad: blank-pad to this width (PG pads
# month and day names to 9 characters unless FM is given).
_PATTERNS: dict[str, tuple[str, str, str | None, int]] = {
    "HH24": ("HH", "H", None, 0),
    "HH12": ("hh", "h", None, 0),
    "HH": ("hh", "h", None, 0),
    "MI": ("mm", "m", None, 0),
    "SS": ("ss", "s", None, 0),
    "MS": ("SSS", "SSS", None, 0),
    "US": ("SSSSSS", "SSSSSS", None, 0),
    "AM": ("a", "a", "upper", 0), "PM": ("a", "a", "upper", 0),
    "am": ("a", "a", "lower", 0), "pm": ("a", "a", "lower", 0),
    "YYYY": ("yyyy", "yyyy", None, 0),
    "YY": ("yy", "yy", None, 0),
    "MONTH": ("MMMM", "MMMM", "upper", 9), "Month": ("MMMM", "MMMM", None, 9),
    "month": ("MMMM", "MMMM", "lower", 9),
    "MON": ("MMM", "MMM", "upper", 0), "Mon": ("MMM", "MMM", None, 0), "mon": ("MMM", "MMM", "lower", 0),
    "MM": ("MM", "M", None, 0),
    "DDD": ("DDD", "D", None, 0),
    "DD": ("dd", "d", None, 0),
    "DAY": ("EEEE", "EEEE", "upper", 9), "Day": ("EEEE", "EEEE", None, 9), "day": ("EEEE", "EEEE", "lower", 9),
    "DY": ("EEE", "EEE", "upper", 0), "Dy": ("EEE", "EEE", None, 0), "dy": ("EEE", "EEE", "lower", 0),
}
# Patterns computed by functions rather than date_format.
_COMPUTED = ("IW", "ID", "D", "Q", "WW")
_TOKENS = sorted([*_PATTERNS, *_COMPUTED], key=len, reverse=True)


def _computed(token: str, value: exp.Expr, fm: bool) -> exp.Expr:
    fn = exp.Anonymous
    if token == "IW":
        num = fn(this="weekofyear", expressions=[value.copy()])
        width = 2
    elif token == "ID":
        num = exp.Add(this=fn(this="weekday", expressions=[value.copy()]), expression=exp.Literal.number(1))
        width = 1
    elif token == "D":
        num = fn(this="dayofweek", expressions=[value.copy()])
        width = 1
    elif token == "Q":
        num = fn(this="quarter", expressions=[value.copy()])
        width = 1
    else:  # WW: week of year counted from January 1st
        num = exp.Add(this=exp.IntDiv(this=exp.Sub(this=fn(this="dayofyear", expressions=[value.copy()]),
                                                   expression=exp.Literal.number(1)),
                                      expression=exp.Literal.number(7)),
                      expression=exp.Literal.number(1))
        width = 2
    text = exp.Cast(this=num, to=exp.DataType.build("string"))
    if fm or width == 1:
        return text
    return fn(this="lpad", expressions=[text, exp.Literal.number(width), exp.Literal.string("0")])


def to_char_parts(value: exp.Expr, template: str) -> exp.Expr:
    """CONCAT of the pieces that print `value` as PostgreSQL's to_char(value, template) does."""
    parts: list[exp.Expr] = []
    literal: list[str] = []

    def flush() -> None:
        if literal:
            parts.append(exp.Literal.string("".join(literal)))
            literal.clear()

    i, fm = 0, False
    while i < len(template):
        if template.startswith("FM", i):
            fm, i = True, i + 2
            continue
        if template[i] == '"':  # quoted literal text
            end = template.find('"', i + 1)
            end = len(template) if end < 0 else end
            literal.append(template[i + 1:end])
            i, fm = end + 1, False
            continue
        if template[i] == "\\" and i + 1 < len(template):
            literal.append(template[i + 1])
            i += 2
            continue
        token = next((t for t in _TOKENS if template.startswith(t, i)), None)
        if token is None:
            literal.append(template[i])
            i += 1
            continue
        flush()
        if token in _COMPUTED:
            parts.append(_computed(token, value, fm))
        else:
            java, java_fm, case, pad = _PATTERNS[token]
            piece: exp.Expr = exp.Anonymous(this="date_format", expressions=[
                value.copy(), exp.Literal.string(java_fm if fm else java)])
            if pad and not fm:
                piece = exp.Anonymous(this="rpad", expressions=[piece, exp.Literal.number(pad),
                                                                exp.Literal.string(" ")])
            if case:
                piece = exp.Anonymous(this=case, expressions=[piece])
            parts.append(piece)
        i += len(token)
        fm = False
    flush()
    if not parts:
        return exp.Literal.string("")
    if len(parts) == 1:
        return parts[0]
    return exp.Anonymous(this="concat", expressions=parts)
