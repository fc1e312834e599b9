"""drop_fanout_joins: a join that repeats the rows a SUM or AVG reads, once per row of a table the
query never reads, is dropped; every other join is left exactly where it was."""

from __future__ import annotations

import duckdb
import pytest
import sqlglot

from askgres.llm.fanout_joins import drop_fanout_joins
from askgres.llm.fixes import apply_fixes
from askgres.llm.schema import SchemaContext

SHOP = SchemaContext.from_dict({"tables": {
    "customers": {"columns": {"id": "int", "name": "text", "city": "text"}, "primary_key": ["id"]},
    "orders": {"columns": {"id": "int", "customer_id": "int", "total": "real", "status": "text"},
               "primary_key": ["id"],
               "foreign_keys": [{"columns": ["customer_id"], "ref_table": "customers", "ref_columns": ["id"]}]},
    "order_items": {"columns": {"order_id": "int", "line": "int", "product": "text", "quantity": "int"},
                    "primary_key": ["order_id", "line"],
                    "foreign_keys": [{"columns": ["order_id"], "ref_table": "orders", "ref_columns": ["id"]}]},
    "invoices": {"columns": {"order_id": "int", "paid": "real"}, "primary_key": ["order_id"],
                 "foreign_keys": [{"columns": ["order_id"], "ref_table": "orders", "ref_columns": ["id"]}]},
}})

QUESTION = "What is the total order value for each customer?"
FANNED = ("SELECT o.customer_id, SUM(o.total) FROM orders AS o JOIN order_items AS i ON i.order_id = o.id "
          "GROUP BY o.customer_id")


def fixed(sql: str, question: str = QUESTION) -> str:
    return drop_fanout_joins(sqlglot.parse_one(sql, read="postgres"), SHOP, question).sql("postgres")


def same(sql: str) -> str:
    return sqlglot.parse_one(sql, read="postgres").sql("postgres")


@pytest.mark.parametrize("sql,expected", [
    (FANNED, "SELECT o.customer_id, SUM(o.total) FROM orders AS o GROUP BY o.customer_id"),
    # AVG, with a MAX beside it, and the key pair written the other way round
    ("SELECT AVG(o.total), MAX(o.total) FROM orders AS o JOIN order_items AS i ON o.id = i.order_id",
     "SELECT AVG(o.total), MAX(o.total) FROM orders AS o"),
    # the child, and a table joined to it that nothing reads either: both go
    ("SELECT c.city, AVG(o.total) FROM customers AS c JOIN orders AS o ON o.customer_id = c.id "
     "JOIN order_items AS i ON i.order_id = o.id JOIN invoices AS v ON v.order_id = i.order_id GROUP BY c.city",
     "SELECT c.city, AVG(o.total) FROM customers AS c JOIN orders AS o ON o.customer_id = c.id GROUP BY c.city"),
    # the child joined after a parent the query does read
    ("SELECT c.city, SUM(o.total) FROM customers AS c JOIN orders AS o ON o.customer_id = c.id "
     "JOIN order_items AS i ON i.order_id = o.id GROUP BY c.city",
     "SELECT c.city, SUM(o.total) FROM customers AS c JOIN orders AS o ON o.customer_id = c.id GROUP BY c.city"),
])
def test_a_join_that_repeats_summed_rows_is_dropped(sql, expected):
    assert fixed(sql) == expected


@pytest.mark.parametrize("sql,question", [
    # COUNT: the joined rows are usually what is counted
    ("SELECT o.id, COUNT(*) FROM orders AS o JOIN order_items AS i ON i.order_id = o.id GROUP BY o.id", QUESTION),
    ("SELECT SUM(o.total), COUNT(i.line) FROM orders AS o JOIN order_items AS i ON i.order_id = o.id", QUESTION),
    # the sum reads the joined table
    ("SELECT o.customer_id, SUM(i.quantity) FROM orders AS o JOIN order_items AS i ON i.order_id = o.id "
     "GROUP BY o.customer_id", QUESTION),
    # the joined table filters
    ("SELECT SUM(o.total) FROM orders AS o JOIN order_items AS i ON i.order_id = o.id WHERE i.product = 'pen'",
     QUESTION),
    # the question names it: orders that have items may be the point
    (FANNED, "What is the total value of orders with items for each customer?"),
    # MIN / MAX only: repeats change nothing
    ("SELECT MAX(o.total) FROM orders AS o JOIN order_items AS i ON i.order_id = o.id", QUESTION),
    # one to one: the ON is the joined table's whole key
    ("SELECT SUM(o.total) FROM orders AS o JOIN invoices AS v ON v.order_id = o.id", QUESTION),
    # the ON does not match the other table's key: not a parent and its children
    ("SELECT SUM(o.total) FROM orders AS o JOIN order_items AS i ON i.quantity = o.customer_id", QUESTION),
    # a join that stays is linked through the one that would go
    ("SELECT c.city, SUM(o.total) FROM orders AS o JOIN order_items AS i ON i.order_id = o.id "
     "JOIN customers AS c ON c.id = i.order_id GROUP BY c.city", QUESTION),
    # outer joins, unqualified columns, no aggregate
    ("SELECT SUM(o.total) FROM orders AS o LEFT JOIN order_items AS i ON i.order_id = o.id", QUESTION),
    ("SELECT SUM(total) FROM orders AS o JOIN order_items AS i ON i.order_id = o.id", QUESTION),
    ("SELECT o.total FROM orders AS o JOIN order_items AS i ON i.order_id = o.id", QUESTION),
])
def test_other_joins_are_left_alone(sql, question):
    assert fixed(sql, question) == same(sql)


def test_the_fixed_query_sums_each_order_once():
    """On data, through apply_fixes as the pipeline runs it: the fanned query counts an order of
    three items three times; the fixed one gives the plain sum."""
    con = duckdb.connect()
    con.execute("CREATE TABLE orders (id INT, customer_id INT, total REAL, status TEXT)")
    con.execute("CREATE TABLE order_items (order_id INT, line INT, product TEXT, quantity INT)")
    con.execute("INSERT INTO orders VALUES (1, 7, 10, 'paid'), (2, 7, 5, 'paid')")
    con.execute("INSERT INTO order_items VALUES (1, 1, 'a', 1), (1, 2, 'b', 1), (1, 3, 'c', 1), (2, 1, 'a', 2)")
    sql = apply_fixes(sqlglot.parse_one(FANNED, read="postgres"), SHOP, question=QUESTION).sql("duckdb")
    assert con.execute(FANNED).fetchall() == [(7, 35.0)]
    assert con.execute(sql).fetchall() == [(7, 15.0)]
