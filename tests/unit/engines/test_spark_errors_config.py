"""Spark exceptions map to SQLSTATEs by class and error condition; every setting is documented."""

import grpc
import pytest
from pyspark.errors.exceptions import connect as ce

from askgres.engines.errors import QueryCanceled
from askgres.engines.spark.config import SparkConfig
from askgres.engines.spark.errors import SparkUnavailable, from_spark


def connect_error(cls, condition=None, sql_state=None, status=grpc.StatusCode.INTERNAL):
    return cls(message=f"[{condition}] boom", errorClass=condition, messageParameters={},
               sql_state=sql_state, grpc_status_code=status)


@pytest.mark.parametrize("cls,condition,spark_state,expected", [
    (ce.AnalysisException, "TABLE_OR_VIEW_NOT_FOUND", "42P01", "42P01"),
    (ce.AnalysisException, "UNRESOLVED_COLUMN.WITH_SUGGESTION", "42703", "42703"),
    (ce.AnalysisException, "UNRESOLVED_ROUTINE", "42883", "42883"),
    (ce.ParseException, "PARSE_SYNTAX_ERROR", "42601", "42601"),
    (ce.ParseException, None, None, "42601"),
    (ce.ArithmeticException, "DIVIDE_BY_ZERO", "22012", "22012"),
    (ce.ArithmeticException, None, None, "22003"),
    (ce.NumberFormatException, "CAST_INVALID_INPUT", "22018", "22P02"),
    (ce.ArrayIndexOutOfBoundsException, None, None, "2202E"),
    (ce.DateTimeException, None, None, "22008"),
    (ce.AnalysisException, "SOMETHING_NEW", "42K09", "42K09"),  # Spark's own 42xxx state kept
    (ce.AnalysisException, None, None, "42000"),
    (ce.SparkConnectGrpcException, "OPERATION_CANCELED", None, "57014"),
    (ce.SparkConnectGrpcException, None, None, "XX000"),
])
def test_spark_exceptions_map_by_class_and_condition(cls, condition, spark_state, expected):
    err = from_spark(connect_error(cls, condition, spark_state))
    assert err.sqlstate == expected
    if condition and expected != "57014":
        assert condition in (err.detail or "")


def test_cancel_is_query_canceled():
    assert isinstance(from_spark(connect_error(ce.SparkConnectGrpcException, "OPERATION_CANCELED")),
                      QueryCanceled)


def test_unreachable_server_is_unavailable_not_a_query_error():
    err = from_spark(connect_error(ce.SparkConnectGrpcException, None, None, grpc.StatusCode.UNAVAILABLE))
    assert isinstance(err, SparkUnavailable) and err.sqlstate == "08006"


def test_jvm_stacktrace_never_reaches_the_message():
    exc = ce.AnalysisException(message="[X] bad", errorClass="X", messageParameters={},
                               server_stacktrace="at org.apache.Foo", display_server_stacktrace=True)
    assert "org.apache" not in from_spark(exc).message


def test_every_setting_documented_and_frozen():
    for name, field in SparkConfig.model_fields.items():
        assert field.description and len(field.description) > 20, name
    cfg = SparkConfig()
    with pytest.raises(Exception):
        cfg.master = "local[4]"
    with pytest.raises(Exception):
        SparkConfig(no_such_setting=1)
