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
