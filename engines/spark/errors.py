"""Spark's exceptions as askgres engine errors that carry a PostgreSQL SQLSTATE.

Mapped by class first (pyspark.errors), then refined by the error condition Spark attaches
(TABLE_OR_VIEW_NOT_FOUND, DIVIDE_BY_ZERO, ...): never by matching message text.
"""

from __future__ import annotations

from ..errors import EngineError, EngineUnavailable, QueryCanceled


class SparkError(EngineError):
    """A statement failed inside Spark."""


class SparkUnavailable(EngineUnavailable):
    """The Spark Connect server cannot be reached or would not start (08006)."""


class SparkUnsupported(SparkError):
    """A Postgres construct with no Spark equivalent (0A000 feature_not_supported)."""

    sqlstate = "0A000"


# Spark error conditions whose PostgreSQL SQLSTATE differs from the one Spark reports, or that
# Spark reports without one.
CONDITION_SQLSTATE: dict[str, str] = {
    "TABLE_OR_VIEW_NOT_FOUND": "42P01",
    "UNRESOLVED_COLUMN": "42703",
    "UNRESOLVED_FIELD": "42703",
    "UNRESOLVED_ROUTINE": "42883",
    "WRONG_NUM_ARGS": "42883",
    "DATATYPE_MISMATCH": "42804",
    "PARSE_SYNTAX_ERROR": "42601",
    "PARSE_EMPTY_STATEMENT": "42601",
    "DIVIDE_BY_ZERO": "22012",
    "INTERVAL_DIVIDED_BY_ZERO": "22012",
    "ARITHMETIC_OVERFLOW": "22003",
    "NUMERIC_VALUE_OUT_OF_RANGE": "22003",
    "CAST_OVERFLOW": "22003",
    "CAST_INVALID_INPUT": "22P02",
    "INVALID_ARRAY_INDEX": "2202E",
    "INVALID_ARRAY_INDEX_IN_ELEMENT_AT": "2202E",
    "TABLE_OR_VIEW_ALREADY_EXISTS": "42P07",
    "PATH_ALREADY_EXISTS": "42P07",
    "AMBIGUOUS_REFERENCE": "42702",
    "AMBIGUOUS_COLUMN_OR_FIELD": "42702",
    "MISSING_AGGREGATION": "42803",
    "GROUP_BY_POS_OUT_OF_RANGE": "42P10",
    "OPERATION_CANCELED": "57014",
}

# The SQLSTATE for each exception class when its condition says nothing more precise.
# Looked up along the MRO, so the Connect subclasses find their base class here.
CLASS_SQLSTATE: dict[str, str] = {
    "ParseException": "42601",
    "AnalysisException": "42000",
    "ArithmeticException": "22003",
    "ArrayIndexOutOfBoundsException": "2202E",
    "NumberFormatException": "22P02",
    "DateTimeException": "22008",
    "IllegalArgumentException": "22023",
    "UnsupportedOperationException": "0A000",
    "SparkRuntimeException": "XX000",
    "SparkNoSuchElementException": "42704",
}

_PG_CLASSES_SPARK_SHARES = ("0A", "22", "23", "42", "57")


def _condition(exc: BaseException) -> str | None:
    get = getattr(exc, "getCondition", None)
    try:
        return get() if get else None
    except Exception:  # noqa: BLE001 - a malformed exception must not hide the real error
        return None


def _spark_sqlstate(exc: BaseException) -> str | None:
    get = getattr(exc, "getSqlState", None)
    try:
        state = get() if get else None
    except Exception:  # noqa: BLE001
        return None
    return state if isinstance(state, str) and len(state) == 5 else None


def _message(exc: BaseException) -> str:
    get = getattr(exc, "getMessage", None)
    text = get() if callable(get) else str(exc)
    # Connect appends the JVM stack trace when configured to: it is not for clients.
    return text.split("\n\nJVM stacktrace:", 1)[0].strip()


def _is_unavailable(exc: BaseException) -> bool:
    """gRPC failures that mean the server is gone, not that the statement is wrong."""
    try:
        import grpc
    except ImportError:  # pragma: no cover
        return False
    code = None
    if hasattr(exc, "getGrpcStatusCode"):
        code = exc.getGrpcStatusCode()
    elif isinstance(exc, grpc.RpcError) and hasattr(exc, "code"):
        code = exc.code()
    return code in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED)


def sqlstate_for(exc: BaseException) -> str:
    condition = _condition(exc)
    if condition:
        head = condition.split(".", 1)[0]
        if head in CONDITION_SQLSTATE:
            return CONDITION_SQLSTATE[head]
    for cls in type(exc).__mro__:
        if cls.__name__ in CLASS_SQLSTATE:
            state = CLASS_SQLSTATE[cls.__name__]
            break
    else:
        state = "XX000"
    # Spark's own SQLSTATE is PostgreSQL's for the classes both follow (SQL standard ones).
    spark_state = _spark_sqlstate(exc)
    if spark_state and spark_state[:2] in _PG_CLASSES_SPARK_SHARES and state in ("42000", "XX000"):
        return spark_state
    return state


def from_spark(exc: BaseException) -> EngineError:
    """The askgres error for an exception raised by pyspark or gRPC."""
    if isinstance(exc, EngineError):
        return exc
    if _is_unavailable(exc):
        return SparkUnavailable(f"Spark is unavailable: {_message(exc)}",
                                hint="check the Spark Connect server (spark.remote) or its log")
    state = sqlstate_for(exc)
    condition = _condition(exc)
    if state == "57014":
        return QueryCanceled("canceling statement due to user request")
    detail = f"Spark error condition {condition}" if condition else None
    return SparkError(_message(exc), state, detail=detail)
