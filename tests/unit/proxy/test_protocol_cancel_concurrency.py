"""CancelRequest interrupts a running query (57014, session still usable); many concurrent
connections are served while one runs a slow query."""

from __future__ import annotations

import threading
import time

import pytest

from askgres.proxy.wire import messages as m
from pgwire_client import SLOW_QUERY, WireClient, connect, errors, rows, start_server, stop_server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = start_server(tmp_path_factory.mktemp("cancel"))
    yield s
    stop_server(s)


def send_cancel(server, pid: int, secret: int) -> bool:
    """Sends a CancelRequest on a new connection; True when the server then closed it."""
    c = WireClient(server.host, server.port)
    c.send(m.CancelRequest(pid, secret))
    return c.is_closed()


def cancel_until_answered(server, client, deadline: float = 20) -> list[m.Message]:
    """A cancel only stops a query that is running, so (as clients do) send it again whenever
    the server has been silent for a moment; returns the messages up to ReadyForQuery."""
    end, msgs = time.monotonic() + deadline, []
    assert send_cancel(server, client.pid, client.secret)
    while time.monotonic() < end:
        client.sock.settimeout(0.5)
        try:
            msgs.append(client.read())
        except TimeoutError:
            assert send_cancel(server, client.pid, client.secret)
            continue
        if isinstance(msgs[-1], m.ReadyForQuery):
            client.sock.settimeout(30)
            return msgs
    raise AssertionError(f"the query was not cancelled: {msgs}")


def test_cancel_request_interrupts_query_and_session_survives(server):
    client = connect(server)
    started = time.monotonic()
    client.send(m.Query(SLOW_QUERY))
    msgs = cancel_until_answered(server, client)
    elapsed = time.monotonic() - started
    assert errors(msgs) and errors(msgs)[0].get("C") == "57014", msgs
    assert elapsed < 10
    assert rows(client.query("SELECT 'still here'")) == [("still here",)]
    client.close()


def test_cancel_in_extended_protocol(server):
    client = connect(server)
    client.send(m.Parse("", SLOW_QUERY), m.Bind("", ""), m.Execute("", 0), m.Sync())
    msgs = cancel_until_answered(server, client)
    assert errors(msgs)[0].get("C") == "57014"
    client.send(m.Parse("", "SELECT 8"), m.Bind("", ""), m.Execute("", 0), m.Sync())
    assert rows(client.read_until(m.ReadyForQuery)) == [("8",)]
    client.close()


def test_cancel_with_wrong_secret_does_nothing(server):
    client = connect(server)
    client.send(m.Query("SELECT count(*) FROM range(3000) a(x), range(3000) b(y) WHERE a.x <> b.y"))
    send_cancel(server, client.pid, (client.secret + 1) & 0x7FFFFFFF)
    msgs = client.read_until(m.ReadyForQuery)
    assert not errors(msgs) and rows(msgs) == [(str(3000 * 3000 - 3000),)]
    client.close()


def test_statement_timeout_cancels_with_57014(server):
    client = connect(server)
    client.query("SET statement_timeout = 300")
    msgs = client.query(SLOW_QUERY)
    assert errors(msgs)[0].get("C") == "57014"
    client.query("RESET statement_timeout")
    assert rows(client.query("SELECT 1")) == [("1",)]
    client.close()


def test_fifty_connections_while_a_slow_query_runs(server):
    slow = connect(server)
    slow.send(m.Query(SLOW_QUERY))
    slow_started = time.monotonic()
    results: dict[int, object] = {}

    def worker(i: int) -> None:
        try:
            c = connect(server)
            got = [rows(c.query(f"SELECT {i} * 2"))[0][0] for _ in range(5)]
            c.close()
            results[i] = (got, time.monotonic() - slow_started)
        except Exception as e:  # noqa: BLE001 - reported below
            results[i] = e

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    fast_done = time.monotonic() - slow_started
    # the slow query is still running when all the others are done: it did not stall them
    slow.sock.settimeout(0.2)
    try:
        still_running = slow.read() is None
    except TimeoutError:
        still_running = True
    except Exception:
        still_running = False
    assert all(not isinstance(r, Exception) for r in results.values()), results
    assert sorted(results) == list(range(50))
    assert all(r[0] == [str(i * 2)] * 5 for i, r in results.items())
    assert still_running, f"the slow query finished within {fast_done:.1f}s; make SLOW_QUERY slower"
    assert errors(cancel_until_answered(server, slow))[0].get("C") == "57014"
    slow.close()
