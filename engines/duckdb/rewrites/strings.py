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
