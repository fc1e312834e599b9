"""Postgres-dialect ASTs -> Spark SQL: sqlglot's transpiler plus our own rewrites where
sqlglot is silently wrong for Spark.

The rewrites are plain `Expr -> Expr` functions applied to every node, listed in REWRITES
(the sqlglot optimizer's habit). They run on a type-annotated copy of the Postgres tree, so
they can tell `date - date` from `int - int`; `schema` ({table: {column: type}}) gives the
types of table columns.
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

from sqlglot import exp
from sqlglot.dialects.postgres import Postgres
from sqlglot.errors import OptimizeError, SqlglotError
from sqlglot.optimizer.annotate_types import annotate_types
from sqlglot.optimizer.qualify_columns import qualify_columns
from sqlglot.schema import MappingSchema

from ..pg_names import name_output_columns
from .to_char import to_char_parts

Rewrite = Callable[[exp.Expr], exp.Expr]
T = exp.DataType.Type

_INTEGER_TYPES = {T.TINYINT, T.SMALLINT, T.INT, T.BIGINT}
_NARROW_INTEGER_TYPES = {T.TINYINT, T.SMALLINT, T.INT}
_FLOAT_TYPES = {T.FLOAT, T.DOUBLE}
_DECIMAL_TYPES = {T.DECIMAL, T.BIGDECIMAL}
_TIMESTAMP_TYPES = {T.TIMESTAMP, T.TIMESTAMPTZ, T.TIMESTAMPLTZ, T.TIMESTAMPNTZ, T.DATETIME}


def _type(node: exp.Expr) -> T | None:
    t = node.type
    return t.this if t is not None else None


def _fn(name: str, *args: exp.Expr) -> exp.Anonymous:
    return exp.Anonymous(this=name, expressions=list(args))


def strip_public_schema(node: exp.Expr) -> exp.Expr:
    """`public.t` and `db.public.t`: Spark's tables live in its default database."""
    if isinstance(node, exp.Table) and node.db and node.db.lower() == "public":
        node.set("db", None)
        node.set("catalog", None)
    return node


def _guarded_sequence(start: exp.Expr, end: exp.Expr, step: exp.Expr | None) -> exp.Expr:
    """sequence() as generate_series: empty (NULL, exploded to no rows) instead of counting
    backwards or failing when the bounds are the wrong way round for the step."""
    if step is None:
        ok: exp.Expr = exp.LTE(this=start.copy(), expression=end.copy())
        seq = _fn("sequence", start, end, exp.Literal.number(1)) if _type(start) in _INTEGER_TYPES \
            or isinstance(start, exp.Literal) else _fn("sequence", start, end)
    else:
        if isinstance(step, exp.Interval) or _type(step) == T.INTERVAL:
            ok = exp.LTE(this=start.copy(), expression=end.copy())
        else:
            ok = exp.or_(
                exp.and_(exp.GT(this=step.copy(), expression=exp.Literal.number(0)),
                         exp.LTE(this=start.copy(), expression=end.copy())),
                exp.and_(exp.LT(this=step.copy(), expression=exp.Literal.number(0)),
                         exp.GTE(this=start.copy(), expression=end.copy())))
        seq = _fn("sequence", start, end, step)
    return exp.Case(ifs=[exp.If(this=ok, true=seq)])


def _series_args(node: exp.Expr) -> tuple[exp.Expr, exp.Expr, exp.Expr | None]:
    return node.args["start"], node.args["end"], node.args.get("step")


def _integer_value(node: exp.Expr | None) -> int | None:
    """The value of an integer literal (`5`, `-2`), else None."""
    negative = isinstance(node, exp.Neg)
    if negative:
        node = node.this
    if isinstance(node, exp.Literal) and not node.is_string and node.this.lstrip("-").isdigit():
        return -int(node.this) if negative else int(node.this)
    return None


def _range_series(start: exp.Expr, end: exp.Expr, step: exp.Expr | None, column: exp.Identifier
                  ) -> exp.Expr | None:
    """An integer series with constant bounds as Spark's `range()` table function: generated
    lazily in parallel partitions, where explode(sequence()) builds one array in one row (a
    single task, and out of memory for a large series). None when the bounds are not constants."""
    values = [_integer_value(start), _integer_value(end), 1 if step is None else _integer_value(step)]
    if None in values or values[2] == 0:
        return None  # columns, parameters, a zero step: explode(sequence()) and its checks
    first, last, by = values
    stop = last + (1 if by > 0 else -1)  # range() excludes its end; an empty range when reversed
    # PostgreSQL's generate_series is integer when its arguments are, bigint past int4.
    wide = any(not -2**31 <= v < 2**31 for v in values)
    return exp.select(exp.Cast(this=exp.column("id"), to=exp.DataType.build("bigint" if wide else "int"))
                      .as_(column)).from_(exp.Table(this=_fn(
                          "range", *(exp.Literal.number(v) for v in (first, stop, by)))))


def generate_series(node: exp.Expr) -> exp.Expr:
    """generate_series in FROM becomes Spark's range() for constant integer bounds, else
    `explode(sequence(...)) AS alias(column)`: sqlglot emits an invalid `EXPLODE(SEQUENCE(..),
    _u(alias))`; in the select list it gets PG's bounds rules."""
    series = (exp.GenerateSeries, exp.ExplodingGenerateSeries)
    if isinstance(node, exp.Table) and isinstance(node.this, series):
        alias = node.args.get("alias")
        name = alias.name if alias is not None and alias.name else "generate_series"
        columns = list(alias.columns) if alias is not None and alias.columns else []
        column = columns[0] if columns else exp.to_identifier(name)
        ranged = _range_series(*_series_args(node.this), column)
        if ranged is not None:
            return exp.Subquery(this=ranged, alias=exp.TableAlias(this=exp.to_identifier(name)))
        call = _fn("explode", _guarded_sequence(*_series_args(node.this)))
        return exp.Table(this=call, alias=exp.TableAlias(this=exp.to_identifier(name), columns=[column]))
    if isinstance(node, exp.ExplodingGenerateSeries) and not isinstance(node.parent, exp.Table):
        return _fn("explode", _guarded_sequence(*_series_args(node)))
    return node


def extract_fields(node: exp.Expr) -> exp.Expr:
    """EXTRACT fields Spark lacks (EPOCH, ISODOW) or numbers differently (DOW: Sunday is 0)."""
    if not isinstance(node, exp.Extract):
        return node
    field = node.name.upper()
    value = node.expression
    if field == "DOW":
        return exp.Paren(this=exp.Sub(this=_fn("dayofweek", value), expression=exp.Literal.number(1)))
    if field == "ISODOW":
        return exp.Paren(this=exp.Add(this=_fn("weekday", value), expression=exp.Literal.number(1)))
    if field == "EPOCH":
        if _type(value) == T.DATE:
            micros: exp.Expr = exp.Mul(this=_fn("unix_date", value), expression=exp.Literal.number(86400000000))
        elif _type(value) == T.INTERVAL:
            return node  # no Spark equivalent for interval epochs; Spark reports the error
        else:
            micros = _fn("unix_micros", exp.Cast(this=value, to=exp.DataType.build("timestamp")))
        return exp.Div(this=exp.Cast(this=micros, to=exp.DataType.build("decimal(38,0)")),
                       expression=exp.Literal.number(1000000))
    return node


def to_char(node: exp.Expr) -> exp.Expr:
    """to_char(timestamp, template) with PostgreSQL's template patterns (see to_char.py)."""
    if isinstance(node, exp.TimeToStr):
        template = Postgres().generator().format_time(node)
        if template and template[0] == "'" and template[-1] == "'":
            return to_char_parts(node.this, template[1:-1].replace("''", "'"))
    return node


def spark_types(node: exp.Expr) -> exp.Expr:
    """Spark has no json/jsonb type: JSON values are strings (its JSON functions take strings).
    `timestamp` is without time zone (TIMESTAMP_NTZ), `timestamptz` an instant (TIMESTAMP_LTZ):
    Spark's bare TIMESTAMP would be the latter."""
    if isinstance(node, exp.DataType):
        if node.this in (T.JSON, T.JSONB):
            return exp.DataType.build("string")
        if node.this == T.TIMESTAMP:
            return exp.DataType.build("timestampntz")
        if node.this == T.TIMESTAMPTZ:
            return exp.DataType.build("timestampltz")
    return node


def case_insensitive_regex(node: exp.Expr) -> exp.Expr:
    """`a ~* b` -> `a RLIKE concat('(?i)', b)` (sqlglot writes an unknown REGEXP_I_LIKE)."""
    if isinstance(node, exp.RegexpILike):
        return exp.RegexpLike(this=node.this, expression=_fn("concat", exp.Literal.string("(?i)"),
                                                            node.expression))
    return node


def date_arithmetic(node: exp.Expr) -> exp.Expr:
    """date - date is an integer number of days; date +/- interval is a timestamp."""
    if isinstance(node, exp.Sub) and _type(node.this) == T.DATE and _type(node.expression) == T.DATE:
        return _fn("datediff", node.this, node.expression)
    if isinstance(node, (exp.Add, exp.Sub)):
        left, right = node.this, node.expression
        if _type(left) == T.DATE and (isinstance(right, exp.Interval) or _type(right) == T.INTERVAL):
            node.set("this", exp.Cast(this=left, to=exp.DataType.build("timestamp")))
        elif isinstance(node, exp.Add) and _type(right) == T.DATE and (
                isinstance(left, exp.Interval) or _type(left) == T.INTERVAL):
            node.set("expression", exp.Cast(this=right, to=exp.DataType.build("timestamp")))
    return node


def _is_numeric_literal(node: exp.Expr) -> bool:
    """1.5 and 1e3 are NUMERIC constants in PostgreSQL (sqlglot types them DOUBLE)."""
    while isinstance(node, (exp.Paren, exp.Neg)):
        node = node.this
    return isinstance(node, exp.Literal) and not node.is_string and not node.this.isdigit()


def rounding_int_casts(node: exp.Expr) -> exp.Expr:
    """PostgreSQL rounds when casting to an integer type (numeric: half away from zero, float:
    half to even); Spark truncates."""
    if isinstance(node, exp.Cast) and node.to.this in _INTEGER_TYPES:
        source = _type(node.this)
        if source in _DECIMAL_TYPES or _is_numeric_literal(node.this):
            node.set("this", _fn("round", node.this))
        elif source in _FLOAT_TYPES:
            node.set("this", _fn("bround", node.this))
    return node


def integer_division(node: exp.Expr) -> exp.Expr:
    """int / int truncates in PostgreSQL; Spark's `/` always divides exactly."""
    if isinstance(node, exp.Div) and node.args.get("typed"):
        left, right = _type(node.this), _type(node.expression)
        if left in _INTEGER_TYPES and right in _INTEGER_TYPES:
            div: exp.Expr = exp.IntDiv(this=node.this, expression=node.expression)
            if left in _NARROW_INTEGER_TYPES and right in _NARROW_INTEGER_TYPES:
                div = exp.Cast(this=div, to=exp.DataType.build("int"))
            return div
    return node


def unconstrained_numeric(node: exp.Expr) -> exp.Expr:
    """Bare NUMERIC/DECIMAL is arbitrary precision in PostgreSQL, DECIMAL(10,0) in Spark."""
    if isinstance(node, exp.Cast) and node.to.this in _DECIMAL_TYPES and not node.to.expressions:
        source = _type(node.this)
        if (source in _DECIMAL_TYPES and node.this.type.expressions) or _is_numeric_literal(node.this):
            return node.this  # already an exact decimal: keep its precision and scale
        scale = 0 if source in _INTEGER_TYPES else 18
        node.set("to", exp.DataType.build(f"decimal(38,{scale})"))
        return node
    if isinstance(node, exp.DataType) and node.this in _DECIMAL_TYPES and not node.expressions \
            and not isinstance(node.parent, exp.Cast):
        return exp.DataType.build("decimal(38,18)")
    return node


def null_safe_subscripts(node: exp.Expr) -> exp.Expr:
    """An out-of-range array subscript is NULL in PostgreSQL; in ANSI Spark `a[i]` fails.
    `get(a, i)` (0-based, like the parsed Bracket) returns NULL instead."""
    if isinstance(node, exp.Bracket) and len(node.expressions) == 1 \
            and not isinstance(node.expressions[0], exp.Slice):
        return _fn("get", node.this, node.expressions[0])
    if isinstance(node, exp.ArraySize):
        dim = node.expression
        if dim is None or (isinstance(dim, exp.Literal) and dim.this == "1"):
            return _fn("nullif", exp.ArraySize(this=node.this), exp.Literal.number(0))
    return node


def _bytea_value(text: str) -> bytes | None:
    """A bytea literal's bytes as PostgreSQL reads them: hex format `\\x4142`, else escape
    format (`\\\\` a backslash, `\\ooo` an octal byte); None when PostgreSQL would reject it."""
    if text.startswith("\\x"):
        digits = "".join(text[2:].split())
        try:
            return bytes.fromhex(digits)
        except ValueError:
            return None
    out = bytearray()
    i = 0
    while i < len(text):
        if text[i] != "\\":
            out += text[i].encode()
            i += 1
        elif text[i + 1:i + 2] == "\\":
            out += b"\\"
            i += 2
        elif len(text[i + 1:i + 4]) == 3 and all(c in "01234567" for c in text[i + 1:i + 4]) \
                and int(text[i + 1:i + 4], 8) < 256:
            out.append(int(text[i + 1:i + 4], 8))
            i += 4
        else:
            return None
    return bytes(out)


def bytea_literals(node: exp.Expr) -> exp.Expr:
    """`'\\x4142'::bytea` is the bytes AB in PostgreSQL; Spark's CAST(string AS BINARY) keeps the
    text's own bytes. A literal becomes Spark's binary literal X'...' with PostgreSQL's bytes."""
    if isinstance(node, exp.Cast) and node.to.is_type(T.VARBINARY, T.BINARY) \
            and isinstance(node.this, exp.Literal) and node.this.is_string:
        value = _bytea_value(node.this.this)
        if value is not None:
            return exp.HexString(this=value.hex())
    return node


REWRITES: tuple[Rewrite, ...] = (
    strip_public_schema,
    generate_series,
    extract_fields,
    to_char,
    case_insensitive_regex,
    date_arithmetic,
    rounding_int_casts,
    integer_division,
    unconstrained_numeric,
    null_safe_subscripts,
    bytea_literals,
    spark_types,  # last: earlier rules build casts to Postgres types too
)


def annotate(tree: exp.Expr, schema: Mapping[str, Mapping[str, str]] | None) -> exp.Expr:
    """Types on every node; with a schema, columns are qualified first so they get theirs."""
    mapping = MappingSchema(dict(schema or {}), dialect="postgres")
    # PostgreSQL's names for unaliased columns, in subqueries too (else qualify says _col_0)
    for select in list(tree.find_all(exp.Select)):
        name_output_columns(select)
    if isinstance(tree, (exp.Query, exp.Create, exp.Insert)):
        try:
            tree = qualify_columns(tree, mapping, expand_stars=False, expand_alias_refs=False)
        except Exception:  # noqa: BLE001 - qualification is best effort (unknown columns,
            pass  # shapes sqlglot cannot qualify): Spark reports real errors; typing falls back: Spark reports them; typing falls back to literals and casts
    try:
        return annotate_types(tree, mapping)
    except (OptimizeError, SqlglotError, KeyError, ValueError):
        return tree


def rewrite(stmt: exp.Expr, schema: Mapping[str, Mapping[str, str]] | None = None) -> exp.Expr:
    """The Postgres tree with every rewrite applied (a copy; `stmt` is left untouched)."""
    tree = annotate(stmt.copy(), schema)
    for rule in REWRITES:
        tree = tree.transform(rule, copy=False)
    return tree


def to_spark(stmt: exp.Expr, schema: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """Render one Postgres-dialect statement as Spark SQL."""
    return rewrite(stmt, schema).sql(dialect="spark")


def bind_params(stmt: exp.Expr, params: Sequence[object]) -> exp.Expr:
    """Replace $1..$n by literals (Spark Connect's own parameters take literals too)."""
    if not params:
        return stmt

    def bind(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Parameter) and isinstance(node.this, exp.Literal) \
                and not node.this.is_string:
            index = int(node.this.this) - 1
            if 0 <= index < len(params):
                return exp.convert(params[index])
        return node

    return stmt.transform(bind)


def parameter_types(stmt: exp.Expr, schema: Mapping[str, Mapping[str, str]] | None = None
                    ) -> dict[int, exp.DataType]:
    """Types of $n found from what they are compared with, added to or cast to."""
    tree = annotate(stmt.copy(), schema)
    found: dict[int, exp.DataType] = {}
    for param in tree.find_all(exp.Parameter):
        if not isinstance(param.this, exp.Literal) or param.this.is_string:
            continue
        parent = param.parent
        while isinstance(parent, exp.Paren):
            parent = parent.parent
        dtype = None
        if isinstance(parent, exp.Cast):
            dtype = parent.to
        elif isinstance(parent, exp.Binary):
            other = parent.expression if parent.this is param else parent.this
            if other.type is not None and other.type.this not in (T.UNKNOWN, T.NULL):
                dtype = other.type
        elif isinstance(parent, exp.In) and parent.this.type is not None \
                and parent.this.type.this != T.UNKNOWN:
            dtype = parent.this.type
        if dtype is not None:
            found.setdefault(int(param.this.this), dtype)
    return found
