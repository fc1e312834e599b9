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


def _positive_int(node: exp.Expr | None) -> bool:
    return isinstance(node, exp.Literal) and node.is_int and int(node.name) >= 1


def substring_start_below_one(tree: exp.Expr) -> exp.Expr:
    """substring(s FROM start FOR n) with start < 1 keeps the characters from 1 to start+n-1
    in PostgreSQL; DuckDB counts a negative start from the end of the string."""
    for sub in list(tree.find_all(exp.Substring)):
        start, length = sub.args.get("start"), sub.args.get("length")
        if start is None or _positive_int(start):
            continue
        one = exp.Literal.number(1)
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
