"""Ties at a gold query's LIMIT: an answer naming another tied row is right when ties count, and
only then; the evaluation's report shows both counts."""

from __future__ import annotations

import sqlite3

import pytest

from askgres.llm.evaluate import EvalReport, Outcome
from askgres.llm.spider_ties import matches_tied_top, tied_top

MOST = "SELECT year FROM concert GROUP BY year ORDER BY count(*) DESC LIMIT 1"


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "concerts.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE concert (id INTEGER PRIMARY KEY, year TEXT, stadium TEXT)")
    rows = [("2014", "a"), ("2014", "b"), ("2014", "c"), ("2015", "a"), ("2015", "a"), ("2015", "b"), ("2016", "c")]
    con.executemany("INSERT INTO concert (year, stadium) VALUES (?, ?)", rows)
    con.commit()
    con.close()
    return path


def test_either_tied_row_answers_the_question(db):
    top = tied_top(db, MOST)
    assert top is not None and top.room == 1 and set(top.tied) == {(2014.0,), (2015.0,)}   # values as compared (numbers as floats)
    assert matches_tied_top([("2015",)], top) and matches_tied_top([("2014",)], top)
    assert not matches_tied_top([("2016",)], top)
    assert not matches_tied_top([("2014",), ("2015",)], top)   # the LIMIT's count still holds


@pytest.mark.parametrize("gold", [
    # an alias and a position stand for the select item they name
    "SELECT year, count(*) AS n FROM concert GROUP BY year ORDER BY n DESC LIMIT 1",
    "SELECT year, count(*) FROM concert GROUP BY year ORDER BY 2 DESC LIMIT 1",
])
def test_order_keys_named_by_alias_or_position(db, gold):
    top = tied_top(db, gold)
    assert top is not None
    assert matches_tied_top([("2014", 3)], top) and matches_tied_top([(3, "2015")], top)   # columns in any order
    assert not matches_tied_top([("2016", 1)], top)


def test_rows_before_the_tie_must_all_be_there(db):
    gold = "SELECT year FROM concert GROUP BY year ORDER BY count(*) ASC LIMIT 2"   # 2016 first, then a tie
    top = tied_top(db, gold)
    assert top is not None and top.sure == ((2016.0,),) and top.room == 1
    assert matches_tied_top([("2016",), ("2015",)], top)
    assert not matches_tied_top([("2014",), ("2015",)], top)


@pytest.mark.parametrize("gold", [
    "SELECT year FROM concert GROUP BY year ORDER BY count(*) DESC LIMIT 2",   # the tie fits inside the LIMIT
    "SELECT year FROM concert GROUP BY year ORDER BY count(*) DESC",           # no LIMIT
    "SELECT DISTINCT year FROM concert ORDER BY year LIMIT 1",                 # DISTINCT: not read
])
def test_no_tie_at_the_limit_means_no_second_reading(db, gold):
    assert tied_top(db, gold) is None


def test_the_report_shows_strict_and_tie_counts():
    outcomes = [Outcome(1, "d", "easy", "q", "g", correct=True, baseline_correct=True),
                Outcome(2, "d", "easy", "q", "g", tied=True),
                Outcome(3, "d", "easy", "q", "g", baseline_tied=True)]
    report = EvalReport("sample", outcomes, {}, 0.0)
    assert report.accuracy()["all"] == (1, 3) and report.accuracy(ties=True)["all"] == (2, 3)
    assert report.accuracy(baseline=True, ties=True)["all"] == (2, 3)
    assert "all, ties         2/3 =  66.7%          2/3 =  66.7%" in report.table()
