"""Arrays: PostgreSQL's text form '{a,b}' and its array_length() of an empty array."""

from __future__ import annotations

from sqlglot import exp


class ArrayLiteralError(ValueError):
    pass


def parse_array_text(text: str) -> list:
    """Parse PostgreSQL's array input syntax ('{1,2}', '{"a b",NULL}', '{{1},{2}}') into
    nested lists of str or None (a value parser, not SQL)."""
    pos = 0

    def skip_spaces() -> None:
        nonlocal pos
        while pos < len(text) and text[pos].isspace():
            pos += 1

    def parse_list() -> list:
        nonlocal pos
        if text[pos] != "{":
            raise ArrayLiteralError(text)
        pos += 1
        items: list = []
        skip_spaces()
        if pos < len(text) and text[pos] == "}":
            pos += 1
            return items
        while True:
            skip_spaces()
            items.append(parse_item())
            skip_spaces()
            if pos >= len(text):
                raise ArrayLiteralError(text)
            if text[pos] == "}":
                pos += 1
                return items
            if text[pos] != ",":
                raise ArrayLiteralError(text)
            pos += 1

    def parse_item():
        nonlocal pos
        if text[pos] == "{":
            return parse_list()
        if text[pos] == '"':
            pos += 1
            out = []
            while pos < len(text) and text[pos] != '"':
                if text[pos] == "\\":
                    pos += 1
                out.append(text[pos])
                pos += 1
            pos += 1
            return "".join(out)
        start = pos
        while pos < len(text) and text[pos] not in ",}":
            pos += 1
        word = text[start:pos].strip()
        return None if word.upper() == "NULL" else word

    skip_spaces()
    result = parse_list()
    skip_spaces()
    if pos != len(text):
        raise ArrayLiteralError(text)
    return result


def _to_sql_array(items: list) -> exp.Expr:
    return exp.Array(expressions=[
        _to_sql_array(i) if isinstance(i, list) else
        exp.Null() if i is None else exp.Literal.string(i) for i in items])


def array_text_literal_casts(tree: exp.Expr) -> exp.Expr:
    """'{1,2}'::int[] -> CAST(['1', '2'] AS INT[]); DuckDB does not read PostgreSQL's array text."""
    for cast in list(tree.find_all(exp.Cast)):
        if not (cast.to.this == exp.DType.ARRAY or cast.to.args.get("nested")):
            continue
        literal = cast.this
        if not (isinstance(literal, exp.Literal) and literal.is_string):
            continue
        try:
            items = parse_array_text(literal.name)
        except (ArrayLiteralError, IndexError):
            continue
        literal.replace(_to_sql_array(items))
    return tree


def array_length_of_empty_is_null(tree: exp.Expr) -> exp.Expr:
    """array_length(a, 1) is NULL for an empty array in PostgreSQL, 0 in DuckDB."""
    for size in list(tree.find_all(exp.ArraySize)):
        if isinstance(size.parent, exp.Nullif):
            continue
        size.replace(exp.Nullif(this=size.copy(), expression=exp.Literal.number(0)))
    return tree


def _is_array(node: exp.Expr) -> bool:
    return isinstance(node, exp.Array) or (node.type is not None and node.is_type(exp.DType.ARRAY))


def array_concat_operator(tree: exp.Expr) -> exp.Expr:
    """array || element and element || array append and prepend in PostgreSQL; DuckDB's ||
    joins only two lists."""
    for node in list(tree.find_all(exp.DPipe)):
        left, right = node.this, node.expression
        if _is_array(left) and not _is_array(right) and right.type is not None \
                and not right.is_type(exp.DType.UNKNOWN, exp.DType.NULL):
            node.replace(exp.Anonymous(this="LIST_APPEND", expressions=[left.copy(), right.copy()]))
        elif _is_array(right) and not _is_array(left) and left.type is not None \
                and not left.is_type(exp.DType.UNKNOWN, exp.DType.NULL):
            node.replace(exp.Anonymous(this="LIST_PREPEND", expressions=[left.copy(), right.copy()]))
    return tree
