"""String matching and slicing where PostgreSQL and DuckDB disagree."""

from __future__ import annotations

from sqlglot import exp

BACKSLASH = "\\"


def like_default_escape(tree: exp.Expr) -> exp.Expr:
    """PostgreSQL's LIKE/ILIKE escape character is backslash unless ESCAPE says otherwise;
    DuckDB's LIKE has no escape character by default."""
    for like in list(tree.find_all(exp.Like, exp.ILike)):
        if isinstance(like.parent, exp.Escape):
            continue
        pattern = like.expression
        if isinstance(pattern, exp.Literal) and BACKSLASH not in pattern.name:
            continue  # nothing to escape: keep the output plain
        if isinstance(pattern, (exp.Any, exp.All)):
            continue
        like.replace(exp.Escape(this=like.copy(), expression=exp.Literal.string(BACKSLASH)))
    return tree


def _int_value(node: exp.Expr | None) -> int | None:
    """The value of an integer literal, negative ones (a Neg node) included."""
    if isinstance(node, exp.Neg):
        inner = _int_value(node.this)
        return None if inner is None else -inner
    if isinstance(node, exp.Paren):
        return _int_value(node.this)
    if isinstance(node, exp.Literal) and node.is_int:
        return int(node.name)
    return None


def _positive_int(node: exp.Expr | None) -> bool:
    value = _int_value(node)
    return value is not None and value >= 1


def substring_start_below_one(tree: exp.Expr) -> exp.Expr:
    """substring(s FROM start FOR n) with start < 1 keeps the characters from 1 to start+n-1
    in PostgreSQL; DuckDB counts a negative start from the end of the string."""
    for sub in list(tree.find_all(exp.Substring)):
        start, length = sub.args.get("start"), sub.args.get("length")
        if start is None or _positive_int(start):
            continue
        one = exp.Literal.number(1)
        first, count = _int_value(start), _int_value(length)
        if first is not None and (length is None or count is not None):
            # literal bounds: clip them here (start <= 0 keeps start+length-1 characters)
            args = {"this": sub.this.copy(), "start": one}
            if count is not None:
                args["length"] = exp.Literal.number(max(first + count - 1, 0))
            sub.replace(exp.Substring(**args))
            continue
        new_start = exp.Greatest(this=start.copy(), expressions=[one])
        args = {"this": sub.this.copy(), "start": new_start}
        if length is not None:
            # characters start .. start+length-1, clipped to begin at 1
            end = exp.Add(this=exp.paren(start.copy()), expression=exp.paren(length.copy()))
            args["length"] = exp.Greatest(
                this=exp.Sub(this=end, expression=new_start.copy()),
                expressions=[exp.Literal.number(0)])
        sub.replace(exp.Substring(**args))
    return tree


def similar_to_regex(pattern: str) -> str:
    """A SQL-standard SIMILAR TO pattern as a regular expression: % and _ are wildcards,
    |, *, +, ?, {m,n}, () and [] keep their meaning, everything else is literal."""
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == BACKSLASH and i + 1 < len(pattern):
            out.append("\\" + pattern[i + 1] if not pattern[i + 1].isalnum() else pattern[i + 1])
            i += 2
            continue
        if ch == "%":
            out.append(".*")
        elif ch == "_":
            out.append(".")
        elif ch in ".^$":
            out.append("\\" + ch)
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def similar_to_as_regex(tree: exp.Expr) -> exp.Expr:
    """SIMILAR TO matches the whole string with % and _ wildcards in PostgreSQL; DuckDB's
    SIMILAR TO takes a plain regular expression."""
    for node in list(tree.find_all(exp.SimilarTo)):
        pattern = node.expression
        if isinstance(pattern, exp.Literal) and pattern.is_string and not isinstance(node.parent, exp.Escape):
            node.replace(exp.Anonymous(this="REGEXP_FULL_MATCH", expressions=[
                node.this.copy(), exp.Literal.string(similar_to_regex(pattern.name))]))
    return tree


def _bytea_input(text: str) -> bytes:
    """PostgreSQL's byteain: '\\x' hex format, else the escape format (\\\\ and \\ooo)."""
    from ...errors import EngineError

    if text.startswith(BACKSLASH + "x"):
        digits = "".join(text[2:].split())  # whitespace between digit pairs is allowed
        try:
            if len(digits) % 2:
                raise ValueError
            return bytes.fromhex(digits)
        except ValueError:
            raise EngineError("invalid hexadecimal data: odd number of digits" if len(digits) % 2
                              else "invalid hexadecimal digit", "22023") from None
    out = bytearray()
    i = 0
    while i < len(text):
        c = text[i]
        if c != BACKSLASH:
            out += c.encode()
            i += 1
        elif text[i + 1 : i + 2] == BACKSLASH:
            out.append(0x5C)
            i += 2
        elif len(text) >= i + 4 and text[i + 1] in "0123" and all(d in "01234567" for d in text[i + 2 : i + 4]):
            out.append(int(text[i + 1 : i + 4], 8))
            i += 4
        else:
            raise EngineError("invalid input syntax for type bytea", "22P02")
    return bytes(out)


def bytea_literal_input(tree: exp.Expr) -> exp.Expr:
    """A string literal cast to bytea is read as PostgreSQL reads it ('\\x41' is one byte A,
    '\\x4142' two); DuckDB's BLOB reads '\\xHH' escapes among plain text ('\\x4142' is A42).
    The bytes are worked out here and written back with every other byte escaped."""
    for cast in list(tree.find_all(exp.Cast)):
        if not (cast.to.is_type(exp.DataType.Type.VARBINARY) and isinstance(cast.this, exp.Literal)
                and cast.this.is_string):
            continue
        data = _bytea_input(cast.this.name)
        text = "".join(chr(b) if 0x20 <= b < 0x7F and b not in (0x5C, 0x27) else f"\\x{b:02X}" for b in data)
        cast.this.replace(exp.Literal.string(text))
    return tree
