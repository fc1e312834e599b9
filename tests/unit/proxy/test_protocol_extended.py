"""The extended and simple query protocols over a plain socket: pipelining, skip-to-Sync after
an error, row-limited Execute with PortalSuspended, Describe that never executes, Flush,
transaction status in ReadyForQuery."""

from __future__ import annotations

import pytest

from askgres.proxy.wire import messages as m
from pgwire_client import connect, errors, rows, start_server, stop_server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = start_server(tmp_path_factory.mktemp("extended"))
    yield s
    stop_server(s)


@pytest.fixture
def client(server):
    c = connect(server)
    yield c
    c.close()


def kinds(msgs) -> list[str]:
    return [type(x).__name__ for x in msgs]


def test_pipeline_of_three_statements_before_one_sync(client):
    client.send(
        m.Parse("", "SELECT $1::int + 1", (23,)), m.Bind("", "", (0,), (b"41",), ()), m.Execute("", 0),
        m.Parse("s2", "SELECT 'b'::text"), m.Bind("p2", "s2"), m.Describe("P", "p2"), m.Execute("p2", 0),
        m.Parse("", "SELECT x FROM (VALUES (1), (2), (3)) t(x) ORDER BY x"), m.Bind("", ""), m.Execute("", 0),
        m.Sync())
    msgs = client.read_until(m.ReadyForQuery)
    assert kinds(msgs) == [
        "ParseComplete", "BindComplete", "DataRow", "CommandComplete",
        "ParseComplete", "BindComplete", "RowDescription", "DataRow", "CommandComplete",
        "ParseComplete", "BindComplete", "DataRow", "DataRow", "DataRow", "CommandComplete",
        "ReadyForQuery"]
    assert rows(msgs) == [("42",), ("b",), ("1",), ("2",), ("3",)]
    assert [x.tag for x in msgs if isinstance(x, m.CommandComplete)] == ["SELECT 1", "SELECT 1", "SELECT 3"]
    assert msgs[-1].status == "I"


def test_error_mid_pipeline_skips_to_sync(client):
    client.send(
        m.Parse("", "SELECT 1"), m.Bind("", ""), m.Execute("", 0),
        m.Parse("", "SELECT 1/0"), m.Bind("", ""), m.Execute("", 0),
        m.Parse("", "SELECT 3"), m.Bind("", ""), m.Execute("", 0),
        m.Sync())
    msgs = client.read_until(m.ReadyForQuery)
    assert kinds(msgs) == ["ParseComplete", "BindComplete", "DataRow", "CommandComplete",
                           "ParseComplete", "BindComplete", "ErrorResponse", "ReadyForQuery"]
    assert errors(msgs)[0].get("C") == "22012"
    assert msgs[-1].status == "I"
    # the next cycle runs normally
    client.send(m.Parse("", "SELECT 4"), m.Bind("", ""), m.Execute("", 0), m.Sync())
    assert rows(client.read_until(m.ReadyForQuery)) == [("4",)]


def test_parse_error_has_position_and_skips(client):
    client.send(m.Parse("", "SELECT 1 FROM WHERE"), m.Bind("", ""), m.Execute("", 0), m.Sync())
    msgs = client.read_until(m.ReadyForQuery)
    assert kinds(msgs) == ["ErrorResponse", "ReadyForQuery"]
    err = errors(msgs)[0]
    assert err.get("C") == "42601" and int(err.get("P")) > 0


def test_row_limited_execute_suspends_portal(client):
    client.send(m.Query("BEGIN"))
    client.read_until(m.ReadyForQuery)
    client.send(m.Parse("", "SELECT i FROM range(10) t(i) ORDER BY i"), m.Bind("cur", ""),
                m.Execute("cur", 4), m.Sync())
    first = client.read_until(m.ReadyForQuery)
    assert kinds(first) == ["ParseComplete", "BindComplete"] + ["DataRow"] * 4 + ["PortalSuspended", "ReadyForQuery"]
    assert first[-1].status == "T"
    client.send(m.Execute("cur", 4), m.Execute("cur", 4), m.Sync())
    rest = client.read_until(m.ReadyForQuery)
    assert rows(rest) == [(str(i),) for i in range(4, 10)]
    assert kinds(rest)[4] == "PortalSuspended"
    assert [x.tag for x in rest if isinstance(x, m.CommandComplete)] == ["SELECT 2"]
    client.send(m.Query("COMMIT"))
    assert client.read_until(m.ReadyForQuery)[-1].status == "I"


def test_row_limit_equal_to_rows_completes(client):
    client.send(m.Parse("", "SELECT i FROM range(3) t(i)"), m.Bind("", ""), m.Execute("", 3), m.Sync())
    msgs = client.read_until(m.ReadyForQuery)
    assert kinds(msgs)[-2:] == ["CommandComplete", "ReadyForQuery"] and len(rows(msgs)) == 3


def test_describe_statement_never_executes(client):
    client.query("CREATE TABLE describe_target (a int, b text)")
    client.send(m.Parse("ins", "INSERT INTO describe_target VALUES ($1, $2)"), m.Describe("S", "ins"),
                m.Parse("sel", "SELECT a, b FROM describe_target WHERE a > $1"), m.Describe("S", "sel"), m.Sync())
    msgs = client.read_until(m.ReadyForQuery)
    params = [x.oids for x in msgs if isinstance(x, m.ParameterDescription)]
    assert params == [(23, 25), (23,)]
    assert kinds(msgs) == ["ParseComplete", "ParameterDescription", "NoData",
                           "ParseComplete", "ParameterDescription", "RowDescription", "ReadyForQuery"]
    desc = next(x for x in msgs if isinstance(x, m.RowDescription))
    assert [(f.name, f.type_oid) for f in desc.fields] == [("a", 23), ("b", 25)]
    assert rows(client.query("SELECT count(*) FROM describe_target")) == [("0",)]
    # executing it does insert
    client.send(m.Bind("", "ins", (), (b"7", b"seven")), m.Execute("", 0), m.Sync())
    assert [x.tag for x in client.read_until(m.ReadyForQuery) if isinstance(x, m.CommandComplete)] == ["INSERT 0 1"]
    assert rows(client.query("SELECT count(*) FROM describe_target")) == [("1",)]


def test_flush_delivers_before_sync(client):
    client.send(m.Parse("f", "SELECT 1"), m.Flush())
    assert isinstance(client.read(), m.ParseComplete)
    client.send(m.Bind("", "f"), m.Execute("", 0), m.Sync())
    assert rows(client.read_until(m.ReadyForQuery)) == [("1",)]


def test_binary_result_format(client):
    client.send(m.Parse("", "SELECT 258::int4, 'x'::text"), m.Bind("", "", (), (), (1,)), m.Execute("", 0), m.Sync())
    msgs = client.read_until(m.ReadyForQuery)
    data = next(x for x in msgs if isinstance(x, m.DataRow))
    assert data.values == (b"\x00\x00\x01\x02", b"x")


def test_close_statement_and_portal(client):
    client.send(m.Parse("c1", "SELECT 1"), m.Close("S", "c1"), m.Bind("", "c1"), m.Sync())
    msgs = client.read_until(m.ReadyForQuery)
    assert kinds(msgs) == ["ParseComplete", "CloseComplete", "ErrorResponse", "ReadyForQuery"]
    assert errors(msgs)[0].get("C") == "26000"


def test_simple_query_multi_statement_and_empty(client):
    msgs = client.query("SELECT 1; SELECT 'two'; ")
    assert rows(msgs) == [("1",), ("two",)]
    assert kinds(client.query("")) == ["EmptyQueryResponse", "ReadyForQuery"]
    assert kinds(client.query(";")) == ["EmptyQueryResponse", "ReadyForQuery"]


def test_transaction_status_in_ready_for_query(client):
    assert client.query("BEGIN")[-1].status == "T"
    failed = client.query("SELECT * FROM no_such_table_q")
    assert errors(failed)[0].get("C") == "42P01" and failed[-1].status == "E"
    again = client.query("SELECT 1")
    assert errors(again)[0].get("C") == "25P02" and again[-1].status == "E"
    assert client.query("ROLLBACK")[-1].status == "I"
    assert rows(client.query("SELECT 5")) == [("5",)]


def test_error_response_fields(client):
    err = errors(client.query("SELECT nope_col FROM (SELECT 1 AS a) t"))[0]
    assert err.get("S") == "ERROR" and err.get("V") == "ERROR" and err.get("C") == "42703" and err.get("M")


def test_multi_statement_query_error_stops_the_rest(client):
    msgs = client.query("SELECT 1; SELECT 1/0; SELECT 3")
    assert rows(msgs) == [("1",)] and errors(msgs)[0].get("C") == "22012"
    assert msgs[-1].status == "I"
