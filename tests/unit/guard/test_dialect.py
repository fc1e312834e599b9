"""AskgresPostgres parses every statement a Postgres client sends into a meaningful node."""

import pytest
from sqlglot import exp

from askgres.guard.parse import parse
from askgres.guard import (
    AskgresPostgres, Call, CloseCursor, Deallocate, DeclareCursor, Discard, ExecuteStatement,
    Explain, FetchCursor, GuardError, Listen, Notify, PrepareStatement, ReleaseSavepoint, Reset,
    Savepoint, Unlisten, check, setting_name,
)


def one(sql):
    statements = parse(sql)
    assert len(statements) == 1, statements
    return statements[0]


@pytest.mark.parametrize("sql,name,value", [
    ("SET search_path TO public, pg_catalog", "search_path", ["public", "pg_catalog"]),
    ("SET search_path = \"$user\", public", "search_path", ["$user", "public"]),
    ("SET application_name = 'psql'", "application_name", "psql"),
    ("SET extra_float_digits = 3", "extra_float_digits", "3"),
    ("SET extra_float_digits TO -3", "extra_float_digits", "-3"),
    ("SET askgres.engine = 'spark'", "askgres.engine", "spark"),
    ("SET Askgres.Engine TO spark", "askgres.engine", "spark"),
    ("SET SESSION client_min_messages = warning", "client_min_messages", "warning"),
    ("SET TIME ZONE 'UTC'", "timezone", "UTC"),
    ("SET TIME ZONE LOCAL", "timezone", "DEFAULT"),
    ("SET statement_timeout TO DEFAULT", "statement_timeout", "DEFAULT"),
    ("SET NAMES 'UTF8'", "client_encoding", "UTF8"),
    ("SET SESSION AUTHORIZATION bob", "session_authorization", "bob"),
    ("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED",
     "default_transaction_isolation", "read committed"),
    ("SET datestyle TO ISO, MDY", "datestyle", ["ISO", "MDY"]),
])
def test_set(sql, name, value):
    stmt = one(sql)
    assert isinstance(stmt, exp.Set)
    item = stmt.expressions[0]
    assert isinstance(item, exp.SetItem) and isinstance(item.this, exp.EQ)
    assert setting_name(item) == name
    rhs = item.this.expression
    got = [v.name for v in rhs.expressions] if isinstance(rhs, exp.Tuple) else rhs.name
    assert got == value
    # the generated text parses back to the same tree
    assert one(stmt.sql(AskgresPostgres)) == stmt


def test_set_local_and_transaction():
    item = one("SET LOCAL statement_timeout = 1000").expressions[0]
    assert item.args.get("local") is True and setting_name(item) == "statement_timeout"
    item = one("SET TRANSACTION READ ONLY").expressions[0]
    assert item.args.get("local") is True and setting_name(item) == "transaction_read_only"


@pytest.mark.parametrize("sql,node,name", [
    ("SHOW search_path", exp.Show, "search_path"),
    ("SHOW ALL", exp.Show, "all"),
    ("SHOW TIME ZONE", exp.Show, "timezone"),
    ("SHOW TRANSACTION ISOLATION LEVEL", exp.Show, "transaction_isolation"),
    ("RESET ALL", Reset, "all"),
    ("RESET askgres.engine", Reset, "askgres.engine"),
    ("DISCARD ALL", Discard, "all"),
    ("DISCARD TEMPORARY", Discard, "temp"),
    ("CLOSE c", CloseCursor, "c"),
    ("CLOSE ALL", CloseCursor, "all"),
    ("SAVEPOINT a", Savepoint, "a"),
    ("RELEASE SAVEPOINT a", ReleaseSavepoint, "a"),
    ("RELEASE a", ReleaseSavepoint, "a"),
    ("DEALLOCATE ALL", Deallocate, "all"),
    ("DEALLOCATE PREPARE p1", Deallocate, "p1"),
    ("LISTEN x", Listen, "x"),
    ("UNLISTEN *", Unlisten, "*"),
    ("NOTIFY ch, 'hi'", Notify, "ch"),
])
def test_named_statements(sql, node, name):
    stmt = one(sql)
    assert type(stmt) is node
    assert stmt.this.name.lower() == name
    assert type(one(stmt.sql(AskgresPostgres))) is node


@pytest.mark.parametrize("sql,cls", [
    ("BEGIN", exp.Transaction), ("START TRANSACTION ISOLATION LEVEL READ COMMITTED", exp.Transaction),
    ("BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY", exp.Transaction),
    ("COMMIT", exp.Commit), ("END", exp.Commit), ("ROLLBACK", exp.Rollback),
    ("ABORT", exp.Rollback),
])
def test_transactions(sql, cls):
    assert type(one(sql)) is cls


def test_transaction_modes_kept():
    stmt = one("BEGIN ISOLATION LEVEL SERIALIZABLE, READ ONLY")
    assert stmt.args["modes"] == ["ISOLATION LEVEL SERIALIZABLE", "READ ONLY"]
    rollback = one("ROLLBACK TO SAVEPOINT a")
    assert isinstance(rollback, exp.Rollback) and rollback.args["savepoint"].name == "a"


def test_declare_cursor():
    stmt = one("DECLARE c BINARY SCROLL CURSOR WITH HOLD FOR SELECT a FROM t WHERE b = $1")
    assert isinstance(stmt, DeclareCursor) and stmt.name == "c"
    assert stmt.args["hold"] and stmt.args["binary"] and stmt.args["scroll"]
    assert isinstance(stmt.expression, exp.Select)
    assert not one("DECLARE c CURSOR FOR SELECT 1").args["hold"]


@pytest.mark.parametrize("sql", [
    "DECLARE c CURSOR FOR /*+ engine(spark) */ SELECT a FROM t",
    'DECLARE "lead" NO SCROLL CURSOR WITH HOLD FOR /*+ engine(spark) */ SELECT count(*) FROM w',
])
def test_declare_cursor_keeps_a_hint_before_its_query(sql):
    # psycopg's named cursors wrap the hinted query: the comment follows FOR, not the query
    stmt = one(sql)
    assert stmt.expression.comments == ["+ engine(spark) "]
    again = one(stmt.sql(dialect=AskgresPostgres))  # and survives being written out again
    assert [c.strip() for c in again.expression.comments] == ["+ engine(spark)"]


@pytest.mark.parametrize("sql,direction,count,move", [
    ("FETCH 2048 FROM c", "FORWARD", 2048, False),
    ("FETCH FORWARD 2048 FROM c", "FORWARD", 2048, False),
    ("FETCH NEXT c", "FORWARD", 1, False),
    ("FETCH c", "FORWARD", 1, False),
    ("FETCH PRIOR FROM c", "BACKWARD", 1, False),
    ("FETCH ALL IN c", "FORWARD", "ALL", False),
    ("FETCH BACKWARD ALL FROM c", "BACKWARD", "ALL", False),
    ("FETCH ABSOLUTE -3 FROM c", "ABSOLUTE", -3, False),
    ("FETCH RELATIVE 2 FROM c", "RELATIVE", 2, False),
    ("MOVE 5 IN c", "FORWARD", 5, True),
    ("MOVE LAST IN c", "ABSOLUTE", -1, True),
    ("MOVE FIRST IN c", "ABSOLUTE", 1, True),
])
def test_fetch(sql, direction, count, move):
    stmt = one(sql)
    assert isinstance(stmt, FetchCursor) and stmt.name == "c"
    assert (stmt.args["direction"], stmt.args["count"], bool(stmt.args["move"])) == (direction, count, move)
    assert one(stmt.sql(AskgresPostgres)) == stmt


def test_call_with_named_arguments():
    stmt = one("CALL synthesize('orders', rows => 1000, seed := 7)")
    assert isinstance(stmt, Call) and isinstance(stmt.this, exp.Anonymous)
    assert stmt.this.name.lower() == "synthesize"
    kinds = [type(a) for a in stmt.this.expressions]
    assert kinds == [exp.Literal, exp.Kwarg, exp.PropertyEQ]


def test_explain():
    stmt = one("EXPLAIN SELECT 1")
    assert isinstance(stmt, Explain) and not stmt.args["analyze"] and isinstance(stmt.this, exp.Select)
    assert one("EXPLAIN ANALYZE DELETE FROM t").args["analyze"]
    assert one("EXPLAIN (ANALYZE, FORMAT JSON) SELECT 1").args["analyze"]
    assert not one("EXPLAIN (ANALYZE false) SELECT 1").args["analyze"]


def test_prepare_execute():
    stmt = one("PREPARE p (int, text) AS SELECT $1, $2")
    assert isinstance(stmt, PrepareStatement) and stmt.name == "p"
    assert [t.sql() for t in stmt.expressions] == ["INT", "TEXT"] and isinstance(stmt.expression, exp.Select)
    ex = one("EXECUTE p(1, 'a')")
    assert isinstance(ex, ExecuteStatement) and len(ex.expressions) == 2


@pytest.mark.parametrize("sql,kind,files", [
    ("COPY t TO STDOUT", False, ["STDOUT"]),
    ("COPY t (a,b) FROM STDIN WITH (FORMAT csv, HEADER true, DELIMITER ',')", True, ["STDIN"]),
    ("COPY (SELECT 1) TO STDOUT", False, ["STDOUT"]),
    ("COPY t FROM STDIN WITH CSV HEADER", True, ["STDIN"]),
    ("COPY t TO '/tmp/x'", False, ["/tmp/x"]),
])
def test_copy(sql, kind, files):
    stmt = one(sql)
    assert isinstance(stmt, exp.Copy) and bool(stmt.args.get("kind")) == kind
    assert [f.name for f in stmt.args["files"]] == files


@pytest.mark.parametrize("sql,word", [
    ("ATTACH 'x.db' AS y", "ATTACH"), ("INSTALL httpfs", "INSTALL"), ("LOAD httpfs", "LOAD"),
    ("VACUUM", "VACUUM"), ("DO $$ begin drop table t; end $$", "DO"), ("LOCK TABLE t", "LOCK"),
])
def test_commands_keep_their_word(sql, word):
    stmt = one(sql)
    assert isinstance(stmt, exp.Command) and stmt.name == word


def test_comments_are_kept():
    stmt = one("-- ask: how many orders?\nSELECT count(*) FROM orders")
    assert stmt.comments == [" ask: how many orders?"]


@pytest.mark.parametrize("sql,message,position", [
    ("SELEC 1", 'syntax error at or near "SELEC"', 1),
    ("SELECT (1", "syntax error at end of input", 10),
    ("SELECT * FROM t WHERE a = = 1", 'syntax error at or near "="', 27),
    ("SELECT 'abc", "unterminated quoted string", 8),
    ("foo bar", 'syntax error at or near "foo"', 1),
    ("DISCARD everything", 'syntax error at or near "everything"', 9),
    ("FETCH 10 FROM c extra", 'syntax error at or near "extra"', 17),
])
def test_syntax_errors(sql, message, position):
    with pytest.raises(GuardError) as info:
        check(sql)
    assert info.value.sqlstate == "42601"
    assert info.value.message.startswith(message)
    assert info.value.position == position


@pytest.mark.parametrize("sql", ["", "   ", "-- only a comment", "/* c */ ;", ";;"])
def test_empty_query(sql):
    assert check(sql) == []


def test_single_statement():
    assert len(check("SELECT 1; SELECT 2")) == 2
    for kwargs in ({"single": True}, {"source": "ask"}):
        with pytest.raises(GuardError) as info:
            check("SELECT 1; DROP TABLE t", **kwargs)
        assert info.value.sqlstate == "42601" and "only one statement" in info.value.message


@pytest.mark.parametrize("sql,table", [
    ("CREATE MACRO add_tax(price, rate := 0.2) AS price * (1 + rate)", False),
    ("CREATE OR REPLACE TEMP MACRO s.recent(n) AS TABLE SELECT id FROM orders LIMIT n", True),
    ("create temporary macro if not exists \"Q\"() as table values (1)", True),
])
def test_create_macro_is_an_ast_with_its_body(sql, table):
    # DuckDB macros were an opaque exp.Command: the rules could not see into their bodies
    stmt = one(sql)
    assert isinstance(stmt, exp.Create) and stmt.args["kind"] == "MACRO"
    assert isinstance(stmt.expression, (exp.Query, exp.Values) if table else exp.Mul)
    assert one(stmt.sql(dialect=AskgresPostgres)) == stmt   # written back as DuckDB reads it
    assert (" AS TABLE " in stmt.sql(dialect=AskgresPostgres)) == table


@pytest.mark.parametrize("sql", ["CREATE MACRO f(a) AS a, (a, b) AS a + b", "CREATE MACRO f AS 1",
                                 "CREATE MACRO f(a) AS TABLE 1", "CREATE MACRO f(a) AS"])
def test_create_macro_the_guard_cannot_read_is_a_syntax_error(sql):
    with pytest.raises(GuardError) as info:
        check(sql, cache=None)
    assert info.value.sqlstate == "42601"
