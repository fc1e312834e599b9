"""Each question form through the client a user would type it in, checked against plain SQL."""

from __future__ import annotations

import asyncio
import time
from decimal import Decimal

import asyncpg
import pytest

from ask_wire_support import MODEL_WAIT, connect, parses_as_one_select, rows, run_psql, scalar


def answered_with_from_psql(stderr: str) -> list[str]:
    """The SQL of psql's "[psql:<stdin>:1: ]NOTICE:  askgres answered with: <sql>" lines."""
    marker = "NOTICE:  askgres answered with: "
    return [line.partition(marker)[2] for line in stderr.splitlines() if marker in line]


def test_psql_c_line_comment_question(ask_server, psql_path):
    truth = scalar(ask_server, "SELECT count(*) FROM customers")
    proc = run_psql(ask_server, "-At", "-v", "ON_ERROR_STOP=1", "-c", "-- ask: how many customers are there?")
    assert proc.returncode == 0, proc.stderr
    assert [int(v) for v in proc.stdout.split()] == [truth]
    (sql,) = answered_with_from_psql(proc.stderr)
    assert parses_as_one_select(sql), sql


def ask_timed(server, question: str) -> tuple[list[tuple], list[tuple[str, str | None]], float]:
    """One question on a fresh connection (like `psql -c`): rows, answered-with notices, seconds."""
    conn, notices = connect(server)
    with conn:
        t0 = time.perf_counter()
        answer = conn.execute(f"-- ask: {question}").fetchall()
        return answer, notices.answered_with(), time.perf_counter() - t0


def test_same_question_again_is_a_fast_cache_hit(ask_server):
    truth = scalar(ask_server, "SELECT count(*) FROM customers")
    ask_timed(ask_server, "how many customers are there?")  # cached by now (psql -c above), or here
    answer, notices, seconds = ask_timed(ask_server, "How many customers are there ?")
    assert [tuple(int(v) for v in r) for r in answer] == [(truth,)]
    ((sql, detail),) = notices
    assert "from the cache" in (detail or ""), detail
    assert parses_as_one_select(sql)
    assert seconds < 0.5, f"a cache hit took {seconds:.3f} s through the wire"


def test_same_question_twice_in_one_session_is_a_cache_hit(ask_server, conn):
    truth = scalar(ask_server, "SELECT count(*) FROM products")
    conn.execute("-- ask: how many products are there?").fetchall()
    conn.notices.clear()
    answer = conn.execute("-- ask: how many products are there?").fetchall()
    assert [int(r[0]) for r in answer] == [truth]
    ((_, detail),) = conn.notices.answered_with()
    assert "from the cache" in (detail or ""), detail


def test_psql_stdin_block_comment_question(ask_server, psql_path):
    # psql strips `--` lines from a script; a /* ask: */ block reaches the server intact.
    truth = scalar(ask_server, "SELECT count(*) FROM products")
    proc = run_psql(ask_server, "-At", "-v", "ON_ERROR_STOP=1", "-f", "-",
                    stdin="/* ask: how many products are there? */;\n")
    assert proc.returncode == 0, proc.stderr
    assert [int(v) for v in proc.stdout.split()] == [truth]
    (sql,) = answered_with_from_psql(proc.stderr)
    assert parses_as_one_select(sql), sql


def test_psycopg_extended_protocol_grouped_answer(ask_server, conn):
    truth = set(rows(ask_server, "SELECT status, count(*) FROM orders GROUP BY status"))
    answer = conn.execute("-- ask: how many orders are there per status?").fetchall()
    assert {(str(s), int(n)) for s, n in answer} == truth
    ((sql, _),) = conn.notices.answered_with()
    assert parses_as_one_select(sql), sql


def test_psycopg_table_function_wrapped_like_a_bi_tool(ask_server, conn):
    truth = scalar(ask_server, "SELECT count(*) FROM orders")
    cur = conn.execute("SELECT * FROM (SELECT * FROM ask('how many orders are there?')) AS q LIMIT 10")
    answer = cur.fetchall()
    assert len(cur.description) == 1 and [int(r[0]) for r in answer] == [truth]
    sqls = {sql for sql, _ in conn.notices.answered_with()}
    assert len(sqls) == 1 and parses_as_one_select(sqls.pop())


def test_question_in_another_language(ask_server, conn):
    truth = scalar(ask_server, "SELECT count(*) FROM products")
    answer = conn.execute("-- ask: combien de produits y a-t-il ?").fetchall()
    assert [int(r[0]) for r in answer] == [truth], conn.notices.answered_with()


def test_ask_sql_returns_the_sql_without_running_it(ask_server, conn):
    truth = scalar(ask_server, "SELECT count(*) FROM products")
    cur = conn.execute("-- ask sql: how many products are there?")
    assert [d.name for d in cur.description] == ["sql"]
    ((sql,),) = cur.fetchall()
    assert parses_as_one_select(sql), sql
    assert scalar(ask_server, sql) == truth  # the SQL it gave answers the question


def test_ask_mode_sql_setting_returns_the_sql(ask_server, conn):
    truth = scalar(ask_server, "SELECT count(*) FROM customers")
    conn.execute("SET askgres.ask_mode = 'sql'")
    cur = conn.execute("-- ask: how many customers are there?")
    assert [d.name for d in cur.description] == ["sql"]
    ((sql,),) = cur.fetchall()
    assert parses_as_one_select(sql) and scalar(ask_server, sql) == truth


def test_asyncpg_fetch_of_a_question(ask_server):
    truth = scalar(ask_server, "SELECT max(price) FROM products")
    messages: list[str] = []

    async def go():
        conn = await asyncpg.connect(host=ask_server.host, port=ask_server.port, user="askgres",
                                     database="askgres", timeout=10, command_timeout=MODEL_WAIT)
        conn.add_log_listener(lambda _c, msg: messages.append(msg.message))
        try:
            return await conn.fetch("-- ask: what is the highest price of a product?")
        finally:
            await conn.close()

    answer = asyncio.run(go())
    assert [tuple(r.values()) for r in answer] == [(Decimal(truth),)]
    prefix = "askgres answered with: "
    sqls = [m[len(prefix):] for m in messages if m.startswith(prefix)]
    assert sqls and parses_as_one_select(sqls[0]), messages


def test_follow_up_refers_to_the_previous_question(ask_server, conn):
    everyone = scalar(ask_server, "SELECT count(*) FROM customers")
    germany = scalar(ask_server, "SELECT count(*) FROM customers WHERE country = 'Germany'")
    assert germany != everyone  # the follow-up must change the answer
    assert [int(r[0]) for r in conn.execute("-- ask: how many customers are there?").fetchall()] == [everyone]
    answer = conn.execute("-- ask: and only for Germany?").fetchall()
    assert [int(r[0]) for r in answer] == [germany], conn.notices.answered_with()
