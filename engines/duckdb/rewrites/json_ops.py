"""JSON operators and functions."""

from __future__ import annotations

from sqlglot import exp
from sqlglot.dialects.postgres import Postgres

from .annotation import has_type

_JSON_TYPES = (exp.DType.JSON, exp.DType.JSONB)


def _path_part(part: str) -> exp.Expr:
    return exp.JSONPathSubscript(this=int(part)) if part.lstrip("-").isdigit() else exp.JSONPathKey(this=part)


def arrow_in_function_args(tree: exp.Expr) -> exp.Expr:
    """sqlglot reads `f(doc -> 'key')` as a lambda; PostgreSQL has no lambdas, so any Lambda
    with one parameter and a literal body is the JSON operator `->`."""
    for lam in list(tree.find_all(exp.Lambda)):
        params, body = lam.expressions, lam.this
        if len(params) != 1 or not isinstance(body, exp.Literal):
            continue
        lam.replace(exp.JSONExtract(this=exp.column(params[0].copy()),
                                    expression=Postgres().to_json_path(body.copy()),
                                    only_json_types=True))
    return tree


def path_operators(tree: exp.Expr) -> exp.Expr:
    """`doc #> '{a,2}'` and `doc #>> '{a,2}'` -> DuckDB JSON paths ('$.a[2]')."""
    for node in list(tree.find_all(exp.JSONBExtract, exp.JSONBExtractScalar)):
        path = node.expression
        if not (isinstance(path, exp.Literal) and path.is_string):
            continue
        text = path.name.strip()
        if not (text.startswith("{") and text.endswith("}")):
            continue
        parts = [p.strip().strip('"') for p in text[1:-1].split(",") if p.strip()]
        json_path = exp.JSONPath(expressions=[exp.JSONPathRoot(), *map(_path_part, parts)])
        cls = exp.JSONExtractScalar if isinstance(node, exp.JSONBExtractScalar) else exp.JSONExtract
        node.replace(cls(this=node.this.copy(), expression=json_path, only_json_types=True))
    return tree


def json_typeof_names(tree: exp.Expr) -> exp.Expr:
    """json_typeof() names: object/array/string/number/boolean/null (DuckDB's json_type()
    answers OBJECT, VARCHAR, BIGINT, DOUBLE, ...)."""
    for f in [f for f in tree.find_all(exp.Anonymous) if f.name.lower() in ("json_typeof", "jsonb_typeof")]:
        duck_type = exp.Anonymous(this="JSON_TYPE", expressions=[f.expressions[0].copy()])
        case = exp.Case(this=duck_type)
        for names, pg_name in ((("OBJECT",), "object"), (("ARRAY",), "array"),
                               (("VARCHAR",), "string"), (("BOOLEAN",), "boolean"),
                               (("NULL",), "null"),
                               (("BIGINT", "UBIGINT", "HUGEINT", "DOUBLE"), "number")):
            for name in names:
                case = case.when(exp.Literal.string(name), exp.Literal.string(pg_name))
        f.replace(case)
    return tree


def jsonb_containment(tree: exp.Expr) -> exp.Expr:
    """`doc @> '{"k": 1}'` on JSON -> json_contains(doc, ...); sqlglot reads @> as array containment."""
    for node in list(tree.find_all(exp.ArrayContainsAll)):
        left = node.this
        is_json = has_type(left, *_JSON_TYPES) or (
            isinstance(left, exp.Cast) and left.to.this in _JSON_TYPES)
        if is_json:
            node.replace(exp.Anonymous(this="JSON_CONTAINS", expressions=[
                left.copy(), exp.Cast(this=node.expression.copy(), to=exp.DataType.build("JSON"))]))
    return tree
