"""PostgreSQL functions that DuckDB spells differently or lacks, where sqlglot passes them through."""

from __future__ import annotations

from sqlglot import exp

from .annotation import has_type


def _anonymous(tree: exp.Expr, name: str) -> list[exp.Anonymous]:
    return [f for f in tree.find_all(exp.Anonymous) if f.name.lower() == name]


def every_to_bool_and(tree: exp.Expr) -> exp.Expr:
    for f in _anonymous(tree, "every"):
        f.replace(exp.LogicalAnd(this=f.expressions[0].copy()))
    return tree


def octet_length_of_text(tree: exp.Expr) -> exp.Expr:
    """octet_length(text) counts UTF-8 bytes; DuckDB's octet_length takes only BLOB/BIT."""
    for f in _anonymous(tree, "octet_length"):
        if len(f.expressions) != 1:
            continue
        arg = f.expressions[0]
        if has_type(arg, exp.DType.VARBINARY, exp.DType.BINARY, exp.DType.BLOB):
            continue
        f.replace(exp.Anonymous(this="STRLEN", expressions=[
            exp.Cast(this=arg.copy(), to=exp.DataType.build("VARCHAR"))]))
    return tree


def hex_is_lower_case(tree: exp.Expr) -> exp.Expr:
    """to_hex() and encode(x, 'hex') give lower-case digits; DuckDB's hex() upper-case."""
    for node in list(tree.find_all(exp.Hex, exp.Encode)):
        if isinstance(node, exp.Hex):
            if not isinstance(node.parent, exp.Lower):
                node.replace(exp.Lower(this=node.copy()))
            continue
        charset = node.args.get("charset")
        if not isinstance(charset, exp.Literal):
            continue
        if charset.name.lower() == "hex":
            node.replace(exp.Lower(this=exp.Hex(this=node.this.copy())))
        elif charset.name.lower() == "base64":
            node.replace(exp.ToBase64(this=node.this.copy()))
    return tree


def format_to_printf(tree: exp.Expr) -> exp.Expr:
    """format('%s ...', args): PostgreSQL's printf-style format; DuckDB's format() uses {}.
    Only %s and %% are translated; a NULL argument prints as an empty string, as in PostgreSQL."""
    for f in list(tree.find_all(exp.Format)):
        fmt = f.this
        if not (isinstance(fmt, exp.Literal) and fmt.is_string):
            continue
        if fmt.name.replace("%%", "").replace("%s", "").count("%"):
            continue  # %I, %L, positional arguments: left as they are
        args = [exp.Coalesce(this=exp.Cast(this=a.copy(), to=exp.DataType.build("VARCHAR")),
                             expressions=[exp.Literal.string("")]) for a in f.expressions]
        f.replace(exp.Anonymous(this="PRINTF", expressions=[fmt.copy(), *args]))
    return tree


def json_build_object_to_json_object(tree: exp.Expr) -> exp.Expr:
    for f in list(tree.find_all(exp.Anonymous)):
        if f.name.lower() in ("json_build_object", "jsonb_build_object"):
            f.replace(exp.Anonymous(this="JSON_OBJECT", expressions=[a.copy() for a in f.expressions]))
    return tree


def _string(value: str) -> exp.Literal:
    return exp.Literal.string(value)


def quote_literal_function(tree: exp.Expr) -> exp.Expr:
    """quote_literal(), which DuckDB lacks (quote_ident is a catalog macro)."""
    for f in list(tree.find_all(exp.Anonymous)):
        if f.name.lower() != "quote_literal" or len(f.expressions) != 1:
            continue
        text = exp.Cast(this=f.expressions[0].copy(), to=exp.DataType.build("VARCHAR"))
        doubled = exp.Anonymous(this="REPLACE", expressions=[text, _string("'"), _string("''")])
        f.replace(exp.DPipe(this=exp.DPipe(this=_string("'"), expression=doubled),
                            expression=_string("'")))
    return tree


def regexp_match_without_groups(tree: exp.Expr) -> exp.Expr:
    """regexp_match(s, pattern) -> the first match as a one-element array, or NULL;
    only for literal patterns without capture groups (with groups PostgreSQL returns them)."""
    for f in list(tree.find_all(exp.Anonymous)):
        if f.name.lower() != "regexp_match" or len(f.expressions) != 2:
            continue
        subject, pattern = f.expressions
        if not (isinstance(pattern, exp.Literal) and pattern.is_string) or "(" in pattern.name:
            continue
        matched = exp.RegexpLike(this=subject.copy(), expression=pattern.copy())
        first = exp.RegexpExtract(this=subject.copy(), expression=pattern.copy())
        f.replace(exp.If(this=matched, true=exp.Array(expressions=[first]), false=exp.Null()))
    return tree


def width_bucket_formula(tree: exp.Expr) -> exp.Expr:
    """width_bucket(x, low, high, n): bucket 0 below low, n + 1 at or above high."""
    for f in list(tree.find_all(exp.Anonymous, exp.WidthBucket)):
        if isinstance(f, exp.Anonymous) and f.name.lower() != "width_bucket":
            continue
        args = list(f.args.values()) if isinstance(f, exp.WidthBucket) else f.expressions
        args = [a for a in args if isinstance(a, exp.Expr)]
        if len(args) != 4:
            continue
        x, low, high, n = (exp.paren(a.copy()) for a in args)
        share = exp.Div(this=exp.Mul(this=exp.paren(exp.Sub(this=x.copy(), expression=low.copy())),
                                     expression=exp.Cast(this=n.copy(), to=exp.DataType.build("DOUBLE"))),
                        expression=exp.paren(exp.Sub(this=high.copy(), expression=low.copy())))
        inside = exp.Add(this=exp.Cast(this=exp.Floor(this=share), to=exp.DataType.build("INT")),
                         expression=exp.Literal.number(1))
        case = (exp.Case()
                .when(exp.LT(this=x.copy(), expression=low.copy()), exp.Literal.number(0))
                .when(exp.GTE(this=x.copy(), expression=high.copy()),
                      exp.Add(this=n.copy(), expression=exp.Literal.number(1)))
                .else_(inside))
        f.replace(case)
    return tree


def string_to_array_null_string(tree: exp.Expr) -> exp.Expr:
    """string_to_array(s, delim, null_string): elements equal to null_string become NULL;
    DuckDB's string_to_array takes no third argument."""
    for node in list(tree.find_all(exp.StringToArray)):
        null_string = node.args.get("null")
        if null_string is None:
            continue
        split = node.copy()
        split.set("null", None)
        element = exp.to_identifier("_element")
        node.replace(exp.Anonymous(this="list_transform", expressions=[
            split, exp.Lambda(this=exp.Nullif(this=exp.column(element.copy()), expression=null_string.copy()),
                              expressions=[element])]))
    return tree
