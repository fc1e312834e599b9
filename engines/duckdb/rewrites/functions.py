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
    """json_build_object / json_build_array -> the text PostgreSQL writes, '{"a" : 1, "b" : "x"}'
    and '[1, "x"]', each value as _json_value_text writes it, typed JSON (DuckDB's
    json_object writes '{"a":1}' and drops a numeric's scale). jsonb_build_object too: the wire
    layer normalises jsonb text (separators, key order, duplicates) from there."""
    for f in reversed(list(tree.find_all(exp.Anonymous))):  # inner calls first: outer ones copy them
        name = f.name.lower()
        if name in ("json_build_object", "jsonb_build_object") and len(f.expressions) % 2 == 0:
            args = f.expressions
            members = [_joined([_json_key_text(k), _string(" : "), _json_value_text(v)])
                       for k, v in zip(args[0::2], args[1::2])]
            f.replace(_json_text("{", members, "}"))
        elif name == "json_build_array":
            f.replace(_json_text("[", [_json_value_text(v) for v in f.expressions], "]"))
    return tree


def _json_value_text(value: exp.Expr) -> exp.Expr:
    """A value's text inside json_build_*, as PostgreSQL writes it: json as it was written,
    numerics with their scale (DuckDB's to_json writes 1.50 as 1.5), anything else as to_json
    writes it, NULL as null. typeof() is settled when DuckDB binds the query."""
    v = exp.paren(value.copy())
    kind = exp.Anonymous(this="TYPEOF", expressions=[v])
    as_is = exp.or_(exp.EQ(this=kind, expression=_string("JSON")),
                    exp.Like(this=kind.copy(), expression=_string("DECIMAL%")))
    to_json = exp.Cast(this=exp.Anonymous(this="TO_JSON", expressions=[v.copy()]),
                       to=exp.DataType.build("VARCHAR"))
    text = exp.Case().when(as_is, exp.Cast(this=v.copy(), to=exp.DataType.build("VARCHAR"))).else_(to_json)
    return exp.Coalesce(this=text, expressions=[_string("null")])


def _json_key_text(key: exp.Expr) -> exp.Expr:
    as_text = exp.Cast(this=key.copy(), to=exp.DataType.build("VARCHAR"))
    return exp.Cast(this=exp.Anonymous(this="TO_JSON", expressions=[as_text]),
                    to=exp.DataType.build("VARCHAR"))


def _joined(parts: list[exp.Expr]) -> exp.Expr:
    result = parts[0]
    for part in parts[1:]:
        result = exp.DPipe(this=result, expression=part)
    return result


def _json_text(opening: str, items: list[exp.Expr], closing: str) -> exp.Expr:
    parts: list[exp.Expr] = [_string(opening)]
    for i, item in enumerate(items):
        if i:
            parts.append(_string(", "))
        parts.append(item)
    parts.append(_string(closing))
    return exp.Cast(this=_joined(parts), to=exp.DataType.build("JSON"))


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
