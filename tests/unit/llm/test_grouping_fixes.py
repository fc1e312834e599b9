"""group_by_entity_keys: a joined query grouped by a table's name columns is grouped by that
table's key too (homonyms stay apart); every other grouping is left exactly as it was."""

from __future__ import annotations

import duckdb
import pytest
import sqlglot

from askgres.llm.fixes import apply_fixes, group_by_entity_keys
from askgres.llm.schema import SchemaContext

SCHOOL = SchemaContext.from_dict({"tables": {
    "highschooler": {"columns": {"id": "int", "name": "text", "grade": "int", "city": "text"},
                     "primary_key": ["id"]},
    "likes": {"columns": {"student_id": "int", "liked_id": "int"}, "primary_key": ["student_id", "liked_id"],
              "foreign_keys": [{"columns": ["student_id"], "ref_table": "highschooler", "ref_columns": ["id"]}]},
    "tag": {"columns": {"label": "text", "student_id": "int"}},
}})

TWO_LIKES = ("SELECT T1.name FROM highschooler AS T1 JOIN likes AS T2 ON T1.id = T2.student_id "
             "GROUP BY T1.name HAVING COUNT(*) >= 2")


def fixed(sql: str) -> str:
    return group_by_entity_keys(sqlglot.parse_one(sql, read="postgres"), SCHOOL).sql("postgres")


def same(sql: str) -> str:
    return sqlglot.parse_one(sql, read="postgres").sql("postgres")


@pytest.mark.parametrize("sql,expected", [
    (TWO_LIKES, TWO_LIKES.replace("GROUP BY T1.name", "GROUP BY T1.id, T1.name")),
    # unqualified name column, resolved to the one table in FROM that has it
    ("SELECT name, COUNT(*) FROM highschooler JOIN likes ON id = student_id GROUP BY name",
     "SELECT name, COUNT(*) FROM highschooler JOIN likes ON id = student_id GROUP BY highschooler.id, name"),
])
def test_a_joined_query_grouped_by_names_is_grouped_by_the_key(sql, expected):
    assert fixed(sql) == expected


@pytest.mark.parametrize("sql", [
    # no join: "how many students share each name" groups by the name itself
    "SELECT name, COUNT(*) FROM highschooler GROUP BY name",
    # an attribute, not a name: grouping by it is the point
    "SELECT T1.city FROM highschooler AS T1 JOIN likes AS T2 ON T1.id = T2.student_id GROUP BY T1.city",
    # already grouped by the key
    "SELECT T1.name FROM highschooler AS T1 JOIN likes AS T2 ON T1.id = T2.student_id GROUP BY T1.id, T1.name",
    # names of two tables, or of a table without a one-column key
    "SELECT T1.name, T3.label FROM highschooler AS T1 JOIN tag AS T3 ON T1.id = T3.student_id "
    "GROUP BY T1.name, T3.label",
    "SELECT T3.label FROM tag AS T3 JOIN highschooler AS T1 ON T1.id = T3.student_id GROUP BY T3.label",
    # a subquery among the sources: an unqualified name could be its column
    "SELECT name FROM highschooler JOIN (SELECT student_id, 'x' AS name FROM likes) AS l ON id = l.student_id "
    "GROUP BY name",
    # a table the schema does not know
    "SELECT T1.name FROM highschooler AS T1 JOIN other AS T2 ON T1.id = T2.student_id GROUP BY T1.name",
])
def test_other_groupings_are_left_alone(sql):
    assert fixed(sql) == same(sql)


def test_homonyms_are_counted_apart():
    """Two students named Ann with one like each: neither has two likes."""
    con = duckdb.connect()
    con.execute("CREATE TABLE highschooler (id int, name text, grade int, city text)")
    con.execute("CREATE TABLE likes (student_id int, liked_id int)")
    con.execute("INSERT INTO highschooler VALUES (1, 'Ann', 9, 'X'), (2, 'Ann', 10, 'Y'), (3, 'Bo', 9, 'X')")
    con.execute("INSERT INTO likes VALUES (1, 3), (2, 3), (3, 1), (3, 2)")
    assert sorted(con.sql(TWO_LIKES).fetchall()) == [("Ann",), ("Bo",)]   # as the model wrote it
    assert con.sql(apply_fixes(sqlglot.parse_one(TWO_LIKES, read="postgres"), SCHOOL).sql("duckdb")).fetchall() == [("Bo",)]
