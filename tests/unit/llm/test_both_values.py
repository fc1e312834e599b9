""""Both X and Y" asked as `IN (X, Y)` is asked once per value and intersected; every other
query is left exactly as it was."""

from __future__ import annotations

import duckdb
import pytest
import sqlglot

from askgres.llm.both_values import intersect_both_values

PETS = ("SELECT T1.fname FROM student AS T1 JOIN has_pet AS T2 ON T1.stuid = T2.stuid "
        "JOIN pets AS T3 ON T2.petid = T3.petid WHERE T3.pettype {cond}")
BOTH = "What are the first names of students who have both cats and dogs as pets?"


def fixed(sql: str, question: str = BOTH) -> str:
    return intersect_both_values(sqlglot.parse_one(sql, read="postgres"), question).sql("postgres")


def same(sql: str) -> str:
    return sqlglot.parse_one(sql, read="postgres").sql("postgres")


@pytest.mark.parametrize("cond", ["IN ('cat', 'dog')", "= 'cat' OR T3.pettype = 'dog'"])
def test_both_values_are_intersected(cond):
    assert fixed(PETS.format(cond=cond)) == (PETS.format(cond="= 'cat'") + " INTERSECT " +
                                             PETS.format(cond="= 'dog'"))


@pytest.mark.parametrize("sql,question", [
    (PETS.format(cond="IN ('cat', 'dog')"), "Which students have cats or dogs?"),        # no "both"
    (PETS.format(cond="IN ('cat', 'dog')"), "List both the name and the pet type of students"
                                            " with a cat or a dog"),                    # values not after "both"
    ("SELECT COUNT(*) FROM pets WHERE pettype IN ('cat', 'dog')", "How many pets are both cats and dogs?"),
    ("SELECT fname FROM student AS T1 JOIN has_pet AS T2 ON T1.stuid = T2.stuid JOIN pets AS T3 "
     "ON T2.petid = T3.petid WHERE T3.pettype IN ('cat', 'dog') GROUP BY fname "
     "HAVING COUNT(DISTINCT T3.pettype) = 2", BOTH),                                   # already counts
    (PETS.format(cond="IN ('cat', 'dog', 'bird')"), BOTH),                              # not two values
    ("WITH s AS (SELECT 1) " + PETS.format(cond="IN ('cat', 'dog')"), BOTH),             # not a plain query
])
def test_other_queries_are_left_alone(sql, question):
    assert fixed(sql, question) == same(sql)


def test_the_intersection_answers_both():
    con = duckdb.connect()
    con.execute("CREATE TABLE student (stuid int, fname text)")
    con.execute("CREATE TABLE has_pet (stuid int, petid int)")
    con.execute("CREATE TABLE pets (petid int, pettype text)")
    con.execute("INSERT INTO student VALUES (1, 'Ann'), (2, 'Bo')")
    con.execute("INSERT INTO pets VALUES (10, 'cat'), (11, 'dog'), (12, 'cat')")
    con.execute("INSERT INTO has_pet VALUES (1, 10), (1, 11), (2, 12)")   # Ann: cat and dog; Bo: a cat
    written = PETS.format(cond="IN ('cat', 'dog')")
    assert sorted(con.sql(written).fetchall()) == [("Ann",), ("Ann",), ("Bo",)]
    assert con.sql(fixed(written)).fetchall() == [("Ann",)]
