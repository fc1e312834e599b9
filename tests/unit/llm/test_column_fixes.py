"""The column-placement fixes: they mend a query that names a column its table lacks when the
schema allows one reading, and leave every other query exactly as it was."""

from __future__ import annotations

import pytest
import sqlglot

from askgres.llm.fixes import apply_fixes
from askgres.llm.schema import SchemaContext
from askgres.llm.validate import schema_problems

POKER = SchemaContext.from_dict({"tables": {
    "people": {"columns": {"people_id": "int", "name": "text", "height": "real"}, "primary_key": ["people_id"]},
    "poker_player": {"columns": {"poker_player_id": "int", "people_id": "int", "money_rank": "int",
                                 "earnings": "real"},
                     "foreign_keys": [{"columns": ["people_id"], "ref_table": "people", "ref_columns": ["people_id"]}]},
    "venue": {"columns": {"id": "int", "name": "text"}},
}})


def fixed(sql: str, ctx: SchemaContext = POKER) -> str:
    return apply_fixes(sqlglot.parse_one(sql, read="postgres"), ctx).sql("postgres")


@pytest.mark.parametrize("sql,expected", [
    # aliases of a two-table join swapped
    ("SELECT T1.name FROM poker_player AS T1 JOIN people AS T2 ON T1.people_id = T2.people_id ORDER BY T1.earnings",
     "SELECT T2.name FROM poker_player AS T1 JOIN people AS T2 ON T1.people_id = T2.people_id ORDER BY T1.earnings"),
    # a table name as the qualifier
    ("SELECT people.money_rank FROM poker_player JOIN people ON poker_player.people_id = people.people_id",
     "SELECT poker_player.money_rank FROM poker_player JOIN people ON poker_player.people_id = people.people_id"),
    # the join forgotten: the one neighbour with the column is joined through its foreign key
    ("SELECT money_rank FROM poker_player ORDER BY height DESC LIMIT 1",
     "SELECT poker_player.money_rank FROM poker_player JOIN people ON poker_player.people_id = people.people_id "
     "ORDER BY people.height DESC LIMIT 1"),
    # ... from the other side of the key, with an alias, and a subquery left alone
    ("SELECT p.name FROM people AS p WHERE earnings > (SELECT avg(earnings) FROM poker_player)",
     "SELECT p.name FROM people AS p JOIN poker_player ON p.people_id = poker_player.people_id "
     "WHERE poker_player.earnings > (SELECT AVG(earnings) FROM poker_player)"),
])
def test_misplaced_columns_are_put_where_the_schema_has_them(sql, expected):
    assert schema_problems(sqlglot.parse_one(sql, read="postgres"), POKER)   # as written it would fail
    out = fixed(sql)
    assert out == expected and schema_problems(sqlglot.parse_one(out, read="postgres"), POKER) == []


@pytest.mark.parametrize("sql", [
    # correct queries are never touched
    "SELECT T2.name FROM poker_player AS T1 JOIN people AS T2 ON T1.people_id = T2.people_id",
    "SELECT money_rank, earnings AS e FROM poker_player ORDER BY e",
    "SELECT name FROM people WHERE people_id IN (SELECT people_id FROM poker_player WHERE earnings > 1)",
    # two readings (name is in people and in venue; venue is no neighbour, but two tables have it)
    "SELECT T1.name FROM poker_player AS T1 JOIN people AS T2 ON 1 = 1 JOIN venue AS T3 ON 1 = 1",
    # no foreign key leads to the only table with the column
    "SELECT id FROM people",
    # a correlated reference to the outer query's table is no missing column
    "SELECT name FROM people WHERE EXISTS (SELECT 1 FROM poker_player AS pp WHERE pp.people_id > height)",
    # derived tables are not the schema's: left to the engine
    "SELECT x.height FROM (SELECT money_rank FROM poker_player) AS x",
])
def test_queries_with_no_single_reading_are_left_alone(sql):
    tree = sqlglot.parse_one(sql, read="postgres")
    assert fixed(sql) == tree.sql("postgres")


def test_two_foreign_keys_to_the_same_table_are_ambiguous():
    flights = SchemaContext.from_dict({"tables": {
        "airports": {"columns": {"code": "text", "city": "text"}},
        "flights": {"columns": {"id": "int", "src": "text", "dst": "text"}, "foreign_keys": [
            {"columns": ["src"], "ref_table": "airports", "ref_columns": ["code"]},
            {"columns": ["dst"], "ref_table": "airports", "ref_columns": ["code"]}]},
    }})
    sql = "SELECT count(*) FROM flights WHERE city = 'Aberdeen'"
    assert fixed(sql, flights) == sqlglot.parse_one(sql, read="postgres").sql("postgres")


SINGERS = ("SELECT T1.song_name FROM singer AS T1 JOIN singer_in_concert AS T2 ON T1.singer_id = T2.singer_id "
           "JOIN concert AS T3 ON T2.concert_id = T3.concert_id WHERE T1.age > (SELECT AVG(age) FROM singer)")


def shop(products: dict[str, str]) -> SchemaContext:
    return SchemaContext.from_dict({"tables": {
        "customers": {"columns": {"id": "int", "name": "text"}, "primary_key": ["id"]},
        "orders": {"columns": {"id": "int", "customer_id": "int"}, "primary_key": ["id"],
                   "foreign_keys": [{"columns": ["customer_id"], "ref_table": "customers", "ref_columns": ["id"]}]},
        "order_items": {"columns": {"order_id": "int", "product_id": "int"},
                        "foreign_keys": [{"columns": ["order_id"], "ref_table": "orders", "ref_columns": ["id"]},
                                         {"columns": ["product_id"], "ref_table": "products", "ref_columns": ["id"]}]},
        "products": {"columns": products, "primary_key": ["id"]},
    }})


SHOP = shop({"id": "int", "category": "text"})
SHOP_TWO_BRIDGES = shop({"id": "int", "category": "text", "customer_id": "int"})   # products could be meant too


def test_a_skipped_bridge_table_is_joined():
    """customers JOIN order_items ON c.id = oi.customer_id: orders, the one neighbour of
    order_items with customer_id that is not in FROM, is joined in between."""
    sql = ("SELECT DISTINCT c.name FROM customers AS c JOIN order_items AS oi ON c.id = oi.customer_id "
           "WHERE oi.product_id = 7")
    assert schema_problems(sqlglot.parse_one(sql, read="postgres"), SHOP)
    out = fixed(sql, SHOP)
    assert out == ("SELECT DISTINCT c.name FROM customers AS c JOIN orders ON c.id = orders.customer_id "
                   "JOIN order_items AS oi ON oi.order_id = orders.id WHERE oi.product_id = 7")
    assert schema_problems(sqlglot.parse_one(out, read="postgres"), SHOP) == []


@pytest.mark.parametrize("sql,ctx", [
    # runs as written
    ("SELECT c.name FROM customers AS c JOIN orders AS o ON c.id = o.customer_id", SHOP),
    # the ON also reads order_items otherwise: the bridge's join could not take it
    ("SELECT c.name FROM customers AS c JOIN order_items AS oi ON c.id = oi.customer_id AND oi.product_id = 1", SHOP),
    # an outer join keeps its rows as written
    ("SELECT c.name FROM customers AS c LEFT JOIN order_items AS oi ON c.id = oi.customer_id", SHOP),
    # two neighbours of order_items have customer_id (orders, products): no single reading
    ("SELECT c.name FROM customers AS c JOIN order_items AS oi ON c.id = oi.customer_id", SHOP_TWO_BRIDGES),
])
def test_bridges_are_not_guessed(sql, ctx):
    assert fixed(sql, ctx) == sqlglot.parse_one(sql, read="postgres").sql("postgres")


def test_joins_nothing_reads_and_the_question_does_not_name_are_dropped():
    from askgres.llm.unread_joins import drop_unread_joins

    def dropped(sql, question):
        return drop_unread_joins(sqlglot.parse_one(sql, read="postgres"), question).sql("postgres")

    assert dropped(SINGERS, "What are the song names of singers older than average?") == \
        "SELECT T1.song_name FROM singer AS T1 WHERE T1.age > (SELECT AVG(age) FROM singer)"
    # the same query for a question that names concerts keeps its joins
    assert dropped(SINGERS, "Song names of singers older than average who sang in a concert") == \
        sqlglot.parse_one(SINGERS, read="postgres").sql("postgres")
    kept = [
        # counted or grouped: the join is what is counted
        "SELECT T1.name, COUNT(*) FROM singer AS T1 JOIN singer_in_concert AS T2 ON T1.singer_id = T2.singer_id "
        "GROUP BY T1.name",
        # read in WHERE, or through an unqualified column that may be the joined table's
        "SELECT T1.name FROM singer AS T1 JOIN concert AS T3 ON T1.singer_id = T3.singer_id WHERE T3.year = 2014",
        "SELECT T1.name FROM singer AS T1 JOIN concert AS T3 ON T1.singer_id = T3.singer_id WHERE year = 2014",
        # outer joins keep every row: left to the user's intent
        "SELECT T1.name FROM singer AS T1 LEFT JOIN concert AS T3 ON T1.singer_id = T3.singer_id",
        # DISTINCT, IN and EXCEPT: the join is usually the filter ("singers who gave a concert")
        "SELECT DISTINCT T1.name FROM singer AS T1 JOIN concert AS T3 ON T1.singer_id = T3.singer_id",
        "SELECT name FROM singer WHERE singer_id IN "
        "(SELECT T1.singer_id FROM singer AS T1 JOIN concert AS T3 ON T1.singer_id = T3.singer_id)",
        "SELECT T1.name FROM singer AS T1 EXCEPT "
        "SELECT T1.name FROM singer AS T1 JOIN concert AS T3 ON T1.singer_id = T3.singer_id",
    ]
    for sql in kept:
        assert dropped(sql, "names of singers") == sqlglot.parse_one(sql, read="postgres").sql("postgres")


def test_an_unread_from_table_is_dropped_like_an_unread_join():
    from askgres.llm.unread_joins import drop_unread_joins

    def dropped(sql, question):
        return drop_unread_joins(sqlglot.parse_one(sql, read="postgres"), question).sql("postgres")

    self_join = ("SELECT T2.episode, T2.rating FROM tv_series AS T1 JOIN tv_series AS T2 ON T1.id = T2.channel "
                 "ORDER BY T2.rating DESC LIMIT 3")
    assert dropped(self_join, "List the top 3 TV series by rating, with episode and rating") == \
        "SELECT T2.episode, T2.rating FROM tv_series AS T2 ORDER BY T2.rating DESC LIMIT 3"
    kept = [
        # the question names the FROM table
        ("SELECT T2.name FROM singer AS T1 JOIN concert AS T2 ON T1.singer_id = T2.singer_id",
         "names of concerts given by singers"),
        # the FROM table is read in another join's ON
        ("SELECT T2.name, T3.name FROM singer AS T1 JOIN concert AS T2 ON T1.singer_id = T2.singer_id "
         "JOIN stadium AS T3 ON T3.owner_id = T1.singer_id", "names of concerts and stadiums"),
    ]
    for sql, question in kept:
        assert dropped(sql, question) == sqlglot.parse_one(sql, read="postgres").sql("postgres")


def test_apply_fixes_reads_the_question_only_when_given_one():
    ctx = SchemaContext.from_dict({"tables": {t: {"columns": {"singer_id": "int", "concert_id": "int", "song_name": "text",
                                                              "age": "int"}}
                                              for t in ("singer", "singer_in_concert", "concert")}})
    tree = sqlglot.parse_one(SINGERS, read="postgres")
    assert apply_fixes(tree, ctx).sql("postgres") == tree.sql("postgres")
    assert "concert" not in apply_fixes(tree, ctx, question="song names of singers older than average").sql("postgres")


CARS = SchemaContext.from_dict({"tables": {
    "continents": {"columns": {"contid": "int", "continent": "text"}, "primary_key": ["contid"]},
    "countries": {"columns": {"countryid": "int", "countryname": "text", "continent": "int"},
                  "primary_key": ["countryid"],
                  "foreign_keys": [{"columns": ["continent"], "ref_table": "continents", "ref_columns": ["contid"]}]},
    "car_makers": {"columns": {"id": "int", "maker": "text", "country": "int"}, "primary_key": ["id"],
                   "foreign_keys": [{"columns": ["country"], "ref_table": "countries", "ref_columns": ["countryid"]}]},
}})


@pytest.mark.parametrize("sql,expected", [
    # the foreign key's table joined to the key's
    ("SELECT c.continent, COUNT(*) FROM continents AS c JOIN car_makers AS m ON c.contid = m.country GROUP BY c.continent",
     "SELECT c.continent, COUNT(*) FROM continents AS c JOIN countries ON countries.continent = c.contid "
     "JOIN car_makers AS m ON m.country = countries.countryid GROUP BY c.continent"),
    # the other way round
    ("SELECT m.maker FROM car_makers AS m JOIN continents AS c ON m.country = c.contid WHERE c.continent = 'europe'",
     "SELECT m.maker FROM car_makers AS m JOIN countries ON m.country = countries.countryid "
     "JOIN continents AS c ON countries.continent = c.contid WHERE c.continent = 'europe'"),
])
def test_a_foreign_key_compared_with_another_tables_key_gets_its_table_between(sql, expected):
    assert fixed(sql, CARS) == expected


@pytest.mark.parametrize("sql", [
    # the foreign key meets its own table
    "SELECT m.maker FROM car_makers AS m JOIN countries AS k ON m.country = k.countryid",
    # the table in between is already joined (the ON is wrong some other way)
    "SELECT m.maker FROM countries AS k JOIN continents AS c ON k.continent = c.contid "
    "JOIN car_makers AS m ON m.country = c.contid",
    # outer joins, and ONs of more than one equality, are left as they are
    "SELECT m.maker FROM continents AS c LEFT JOIN car_makers AS m ON c.contid = m.country",
    "SELECT m.maker FROM continents AS c JOIN car_makers AS m ON c.contid = m.country AND m.id > 0",
])
def test_foreign_key_bridges_are_not_guessed(sql):
    assert fixed(sql, CARS) == sqlglot.parse_one(sql, read="postgres").sql("postgres")
