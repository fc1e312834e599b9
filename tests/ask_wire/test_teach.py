"""CALL askgres.teach(question, sql): verified examples are stored, writes are refused."""

from __future__ import annotations

import psycopg
import pytest

from ask_wire_support import scalar

# "big order" is this shop's own word: the model cannot know it without the taught example.
BIG_ORDERS_SQL = ("SELECT count(*) FROM (SELECT order_id FROM order_items GROUP BY order_id "
                  "HAVING sum(quantity) >= 8) AS big")


def test_teach_accepts_a_valid_example_and_the_model_uses_it(ask_server, conn):
    truth = scalar(ask_server, BIG_ORDERS_SQL)
    everything = scalar(ask_server, "SELECT count(*) FROM orders")
    assert 0 < truth < everything
    sql = BIG_ORDERS_SQL.replace("'", "''")
    conn.execute(f"CALL askgres.teach('how many big orders are there?', '{sql}')")
    answer = conn.execute("-- ask: how many big orders are there?").fetchall()
    assert [int(r[0]) for r in answer] == [truth], conn.notices.answered_with()


def test_teach_refuses_a_delete_and_deletes_nothing(ask_server, conn):
    before = scalar(ask_server, "SELECT count(*) FROM orders")
    with pytest.raises(psycopg.Error) as e:
        conn.execute("CALL askgres.teach('remove the orders', 'DELETE FROM orders')")
    assert e.value.sqlstate, e.value
    assert scalar(ask_server, "SELECT count(*) FROM orders") == before
    assert conn.execute("SELECT 1").fetchone() == (1,)  # the session survives
