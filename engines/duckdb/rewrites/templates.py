"""PostgreSQL date/time templates (to_char, to_date, to_timestamp) -> DuckDB strftime/strptime.

sqlglot maps the templates through a partial table at parse time (to_char(d, 'Mon DD') becomes
strftime(d, 'Mon %d'), 'Day' becomes '%uay'). We recover the template the user wrote with
sqlglot's own inverse mapping and translate it here with PostgreSQL's full token set,
including blank padding of month and day names and the FM (fill mode) prefix.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlglot import exp
from sqlglot.dialects.postgres import Postgres

from .annotation import has_type
from .number_templates import number_to_char

NAME_WIDTH = 9  # PostgreSQL pads month and day names to the longest English name


@dataclass(frozen=True)
class Token:
    """A template token: a strftime spec, or a function of the value's SQL."""
    spec: str = ""
    fm_spec: str = ""          # spec under the FM prefix (no padding)
    padded_name: str = ""      # strftime spec of a name PostgreSQL blank-pads unless FM
    cased: bool = False        # MONTH / Month / month choose the letter case
    expr: str = ""             # a DuckDB function of the value giving an integer


FORMAT_TOKENS: dict[str, Token] = {
    "HH24": Token("%H", "%-H"), "HH12": Token("%I", "%-I"), "HH": Token("%I", "%-I"),
    "MI": Token("%M", "%-M"), "SS": Token("%S", "%-S"), "MS": Token("%g"), "US": Token("%f"),
    "AM": Token("%p", cased=True), "PM": Token("%p", cased=True),
    "IYYY": Token("%G"), "YYYY": Token("%Y"), "YY": Token("%y"),
    "MONTH": Token(padded_name="%B", cased=True), "MON": Token("%b", cased=True),
    "MM": Token("%m", "%-m"),
    "DAY": Token(padded_name="%A", cased=True), "DY": Token("%a", cased=True),
    "DDD": Token("%j", "%-j"), "DD": Token("%d", "%-d"), "ID": Token("%u"),
    "D": Token(expr="DAYOFWEEK"), "IW": Token("%V", "%-V"), "Q": Token(expr="QUARTER"),
    "TZ": Token("%Z"),
}

PARSE_TOKENS: dict[str, str] = {
    "HH24": "%H", "HH12": "%I", "HH": "%I", "MI": "%M", "SS": "%S", "MS": "%g", "US": "%f",
    "AM": "%p", "PM": "%p", "YYYY": "%Y", "YY": "%y", "MONTH": "%B", "MON": "%b", "MM": "%m",
    "DAY": "%A", "DY": "%a", "DDD": "%j", "DD": "%d",
}


def _original_template(node: exp.Expr) -> str | None:
    fmt = node.args.get("format")
    if not (isinstance(fmt, exp.Literal) and fmt.is_string):
        return None
    quoted = Postgres().generator().format_time(node)  # an SQL string literal
    if not (quoted and quoted.startswith("'") and quoted.endswith("'")):
        return None
    return quoted[1:-1].replace("''", "'")


def _case_of(text: str) -> str:
    if text.isupper():
        return "upper"
    if text[:1].isupper():
        return "title"
    return "lower"


def _scan(template: str, tokens: dict):
    """Yield (kind, payload, fill_mode, original text): kind 'token' or 'text'."""
    names = sorted(tokens, key=len, reverse=True)
    i, fill_mode = 0, False
    while i < len(template):
        if template[i] == '"':
            end = template.find('"', i + 1)
            end = len(template) if end < 0 else end
            yield "text", template[i + 1:end], False, ""
            i = end + 1
            continue
        if template[i:i + 2].upper() == "FM":
            fill_mode, i = True, i + 2
            continue
        if template[i:i + 2].upper() in ("TH", "SP") and i > 0:
            i += 2  # ordinal suffixes: not supported, dropped
            continue
        match = next((n for n in names if template[i:i + len(n)].upper() == n), None)
        if match is None:
            yield "text", template[i], False, ""
            i += 1
            continue
        yield "token", match, fill_mode, template[i:i + len(match)]
        fill_mode = False
        i += len(match)


def _recase(node: exp.Expr, case: str) -> exp.Expr:
    if case == "upper":
        return exp.Upper(this=node)
    if case == "lower":
        return exp.Lower(this=node)
    return node


def _strftime(value: exp.Expr, spec: str) -> exp.Expr:
    return exp.Anonymous(this="STRFTIME", expressions=[value.copy(), exp.Literal.string(spec)])


def to_char_pieces(value: exp.Expr, template: str) -> exp.Expr:
    """The SQL for to_char(value, template): strftime runs joined with ||, NULL in -> NULL out."""
    pieces: list[exp.Expr] = []
    spec = ""

    def flush() -> None:
        nonlocal spec
        if spec:
            pieces.append(_strftime(value, spec))
            spec = ""

    for kind, payload, fill_mode, text in _scan(template, FORMAT_TOKENS):
        if kind == "text":
            spec += payload.replace("%", "%%")
            continue
        token = FORMAT_TOKENS[payload]
        case = _case_of(text) if token.cased else "title"
        if token.padded_name:
            flush()
            name: exp.Expr = _strftime(value, token.padded_name)
            if not fill_mode:
                name = exp.Anonymous(this="RPAD", expressions=[
                    name, exp.Literal.number(NAME_WIDTH), exp.Literal.string(" ")])
            pieces.append(_recase(name, case))
        elif token.expr:
            flush()
            number = exp.Anonymous(this=token.expr, expressions=[value.copy()])
            if payload == "D":  # PostgreSQL counts Sunday as 1, DuckDB's dayofweek as 0
                number = exp.Add(this=number, expression=exp.Literal.number(1))
            pieces.append(exp.Cast(this=number, to=exp.DataType.build("VARCHAR")))
        elif token.cased and case == "lower":
            flush()
            pieces.append(exp.Lower(this=_strftime(value, token.spec)))
        else:
            spec += token.fm_spec if fill_mode and token.fm_spec else token.spec
    flush()
    if not pieces:
        return exp.Literal.string("")
    result = pieces[0]
    for piece in pieces[1:]:
        result = exp.DPipe(this=result, expression=piece)
    return result


def to_parse_spec(template: str) -> str:
    spec = ""
    for kind, payload, _fill_mode, _text in _scan(template, PARSE_TOKENS):
        spec += payload.replace("%", "%%") if kind == "text" else PARSE_TOKENS[payload]
    return spec


def _is_number(node: exp.Expr) -> bool:
    return (isinstance(node, exp.Literal) and not node.is_string) or has_type(
        node, *exp.DataType.NUMERIC_TYPES)


def to_char_templates(tree: exp.Expr) -> exp.Expr:
    for node in list(tree.find_all(exp.TimeToStr)):
        template = _original_template(node)
        if template is None:
            continue
        if _is_number(node.this):
            number = number_to_char(node.this, template)  # None: an unsupported template
            if number is not None:
                node.replace(number)
            continue
        node.replace(to_char_pieces(node.this, template))
    return tree


def to_date_to_timestamp_templates(tree: exp.Expr) -> exp.Expr:
    for node in list(tree.find_all(exp.StrToDate, exp.StrToTime)):
        template = _original_template(node)
        if template is None:
            continue
        parsed = exp.Anonymous(this="STRPTIME", expressions=[
            node.this.copy(), exp.Literal.string(to_parse_spec(template))])
        target = "DATE" if isinstance(node, exp.StrToDate) else "TIMESTAMPTZ"
        node.replace(exp.Cast(this=parsed, to=exp.DataType.build(target)))
    return tree
