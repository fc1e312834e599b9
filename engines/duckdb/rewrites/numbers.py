"""Numbers and casts whose PostgreSQL meaning sqlglot's DuckDB output loses."""

from __future__ import annotations

from sqlglot import exp

from .annotation import has_type, surely_float

# PostgreSQL's bare `numeric` has no fixed precision or scale; DuckDB's bare DECIMAL is
# DECIMAL(18,3) and rounds every value to 3 places. DECIMAL(38,10) keeps 28 integer and
# 10 fractional digits: exact for money-like and measured values, still a decimal (so
# clients see numeric, not float8). Products of two such values carry scale 20 and so
# overflow beyond 10^18; DuckDB divides decimals in DOUBLE anyway.
BARE_NUMERIC = exp.DataType.build("DECIMAL(38, 10)")


def bare_numeric_to_wide_decimal(tree: exp.Expr) -> exp.Expr:
    """`numeric` without typmod (in casts and column definitions) -> DECIMAL(38,10)."""
    for dtype in tree.find_all(exp.DataType):
        if dtype.this == exp.DType.DECIMAL and not dtype.expressions:
            dtype.set("expressions", [p.copy() for p in BARE_NUMERIC.expressions])
    return tree


def plain_division(tree: exp.Expr) -> exp.Expr:
    """Leave `/` as `/`: the session runs with DuckDB's integer_division setting, which gives
    PostgreSQL's integer division exactly where both operand types (known at bind time) are
    integers, and sqlglot would otherwise rewrite typed divisions into CAST(TRUNC(a/b) AS BIGINT)."""
    for div in tree.find_all(exp.Div):
        div.set("typed", None)
    return tree


def varchar_cast_truncates(tree: exp.Expr) -> exp.Expr:
    """An explicit cast to varchar(n) truncates in PostgreSQL; DuckDB ignores the length."""
    for cast in list(tree.find_all(exp.Cast)):
        to = cast.to
        if to.this not in (exp.DType.VARCHAR, exp.DType.NVARCHAR) or len(to.expressions) != 1:
            continue
        length = to.expressions[0].this
        if not (isinstance(length, exp.Literal) and length.is_int):
            continue
        inner = exp.Cast(this=cast.this.copy(), to=exp.DataType.build("VARCHAR"))
        cast.replace(exp.Substring(this=inner, start=exp.Literal.number(1), length=length.copy()))
    return tree


def sign_keeps_argument_type(tree: exp.Expr) -> exp.Expr:
    """PostgreSQL's sign() returns numeric or double precision; DuckDB's returns TINYINT."""
    for sign in list(tree.find_all(exp.Sign)):
        arg = sign.this
        if has_type(arg, *exp.DataType.INTEGER_TYPES) or surely_float(arg):
            to = exp.DataType.build("DOUBLE")
        elif has_type(arg, exp.DType.DECIMAL):
            to = arg.type.copy()
        else:
            continue
        sign.replace(exp.Cast(this=sign.copy(), to=to))
    return tree


def _exact(node: exp.Expr) -> bool:
    return has_type(node, exp.DType.DECIMAL, *exp.DataType.INTEGER_TYPES)


def numeric_division_stays_numeric(tree: exp.Expr) -> exp.Expr:
    """numeric / numeric is numeric in PostgreSQL; DuckDB divides decimals in DOUBLE.
    Cast the quotient back to the wide decimal (exact to 10 places; the quotient itself
    was computed in DOUBLE, so about 15 significant digits)."""
    for div in reversed(list(tree.find_all(exp.Div))):  # innermost first
        left, right = div.left, div.right
        if not (_exact(left) and _exact(right)):
            continue
        if not (has_type(left, exp.DType.DECIMAL) or has_type(right, exp.DType.DECIMAL)):
            continue  # integer / integer: integer division by the session setting
        cast = exp.Cast(this=exp.paren(div.copy()), to=BARE_NUMERIC.copy())
        cast.type = BARE_NUMERIC.copy()
        div.replace(cast)
    return tree


def _whole_call(node: exp.Expr) -> exp.Expr:
    """The aggregate call with its FILTER (...) and OVER (...) clauses, which a cast must wrap."""
    while isinstance(node.parent, (exp.Filter, exp.Window)) and node.arg_key == "this":
        node = node.parent
    return node


def _cast_whole_call(node: exp.Expr, to: exp.DataType) -> None:
    target = _whole_call(node)
    if isinstance(target.parent, exp.Cast):
        return
    cast = exp.Cast(this=target.copy(), to=to.copy())
    cast.type = to.copy()
    target.replace(cast)


def avg_of_exact_is_numeric(tree: exp.Expr) -> exp.Expr:
    """avg() of integers or numerics is numeric in PostgreSQL, DOUBLE in DuckDB."""
    for avg in list(tree.find_all(exp.Avg)):
        if _exact(avg.this):
            _cast_whole_call(avg, BARE_NUMERIC)
    return tree


SMALL_INTEGERS = (exp.DType.TINYINT, exp.DType.SMALLINT, exp.DType.INT)
BIGINT = exp.DataType.build("BIGINT")
NUMERIC_INTEGER = exp.DataType.build("DECIMAL(38, 0)")


def sum_of_integers_keeps_postgres_type(tree: exp.Expr) -> exp.Expr:
    """sum(int2/int4) is bigint and sum(int8) numeric in PostgreSQL; DuckDB's is HUGEINT,
    which the wire can only send as numeric."""
    for node in list(tree.find_all(exp.Sum)):
        if has_type(node.this, *SMALL_INTEGERS):
            _cast_whole_call(node, BIGINT)
        elif has_type(node.this, exp.DType.BIGINT):
            _cast_whole_call(node, NUMERIC_INTEGER)
    return tree


INT = exp.DataType.build("INT")
_UNSIGNED_COUNTS = ("cardinality", "json_array_length", "jsonb_array_length")


def counts_are_int(tree: exp.Expr) -> exp.Expr:
    """cardinality() and json_array_length() are int in PostgreSQL, UBIGINT in DuckDB."""
    for node in list(tree.find_all(exp.Anonymous)):
        if node.name.lower() not in _UNSIGNED_COUNTS:
            continue
        if not isinstance(node.parent, exp.Cast):
            node.replace(exp.Cast(this=node.copy(), to=INT.copy()))
    return tree


def round_double_half_even(tree: exp.Expr) -> exp.Expr:
    """round(double precision) rounds half to even in PostgreSQL (rint); DuckDB's round()
    rounds half away from zero. round(numeric) rounds half away from zero in both."""
    for node in list(tree.find_all(exp.Round)):
        if node.args.get("decimals") is None and surely_float(node.this):
            node.replace(exp.Anonymous(this="ROUND_EVEN", expressions=[
                node.this.copy(), exp.Literal.number(0)]))
    return tree


def interval_division(tree: exp.Expr) -> exp.Expr:
    """interval / n: under the integer_division setting DuckDB reads `/` as `//`, which has
    no interval form; multiply by the reciprocal instead."""
    for div in list(tree.find_all(exp.Div)):
        if has_type(div.left, exp.DType.INTERVAL):
            reciprocal = exp.Div(this=exp.Cast(this=exp.Literal.number(1),
                                               to=exp.DataType.build("DOUBLE")),
                                 expression=exp.paren(div.right.copy()))
            div.replace(exp.Mul(this=div.left.copy(), expression=exp.paren(reciprocal)))
    return tree
