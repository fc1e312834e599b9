"""left_join_for_missing_rows: an inner join whose WHERE asks for a NULL the join rules out (it
answers nothing, always) becomes the anti-join it means; every other query is left as it was."""

from __future__ import annotations

import duckdb
import pytest
import sqlglot

from askgres.llm.anti_joins import left_join_for_missing_rows
from askgres.llm.schema import SchemaContext

HIRES = SchemaContext.from_dict({"tables": {
    "shop": {"columns": {"shop_id": "int", "name": "text"}, "primary_key": ["shop_id"]},
    "hiring": {"columns": {"shop_id": "int", "employee_id": "int", "bonus": "int"}, "primary_key": ["employee_id"],
               "foreign_keys": [{"columns": ["shop_id"], "ref_table": "shop", "ref_columns": ["shop_id"]}]},
}})

EMPTY = ("SELECT DISTINCT T2.name FROM hiring AS T1 JOIN shop AS T2 ON T1.shop_id = T2.shop_id "
         "WHERE T1.employee_id IS NULL")


def fixed(sql: str) -> str:
    return left_join_for_missing_rows(sqlglot.parse_one(sql, read="postgres"), HIRES).sql("postgres")


def same(sql: str) -> str:
    return sqlglot.parse_one(sql, read="postgres").sql("postgres")


@pytest.mark.parametrize("sql,expected", [
    # the FROM table's key: the other table goes first and keeps its rows
    (EMPTY, "SELECT DISTINCT T2.name FROM shop AS T2 LEFT JOIN hiring AS T1 ON T1.shop_id = T2.shop_id "
            "WHERE T1.employee_id IS NULL"),
    # the joined table's ON column, beside another condition
    ("SELECT s.name FROM shop AS s JOIN hiring AS h ON h.shop_id = s.shop_id WHERE h.shop_id IS NULL AND s.name <> 'x'",
     "SELECT s.name FROM shop AS s LEFT JOIN hiring AS h ON h.shop_id = s.shop_id WHERE h.shop_id IS NULL "
     "AND s.name <> 'x'"),
])
def test_an_impossible_null_becomes_an_anti_join(sql, expected):
    assert fixed(sql) == expected


@pytest.mark.parametrize("sql", [
    # a column that may well be NULL in a joined row
    "SELECT s.name FROM shop AS s JOIN hiring AS h ON h.shop_id = s.shop_id WHERE h.bonus IS NULL",
    # IS NOT NULL, or the NULL test under OR
    "SELECT s.name FROM shop AS s JOIN hiring AS h ON h.shop_id = s.shop_id WHERE NOT h.employee_id IS NULL",
    "SELECT s.name FROM shop AS s JOIN hiring AS h ON h.shop_id = s.shop_id WHERE h.employee_id IS NULL OR s.name = 'x'",
    # already an anti-join, or no join
    "SELECT s.name FROM shop AS s LEFT JOIN hiring AS h ON h.shop_id = s.shop_id WHERE h.employee_id IS NULL",
    "SELECT name FROM shop WHERE shop_id IS NULL",
])
def test_other_queries_are_left_alone(sql):
    assert fixed(sql) == same(sql)


def test_the_fixed_query_finds_the_shops_without_employees():
    con = duckdb.connect()
    con.execute("CREATE TABLE shop (shop_id INT, name TEXT)")
    con.execute("CREATE TABLE hiring (shop_id INT, employee_id INT, bonus INT)")
    con.execute("INSERT INTO shop VALUES (1, 'staffed'), (2, 'empty')")
    con.execute("INSERT INTO hiring VALUES (1, 10, NULL)")
    assert con.execute(EMPTY).fetchall() == []
    assert con.execute(sqlglot.transpile(fixed(EMPTY), read="postgres", write="duckdb")[0]).fetchall() == [("empty",)]
