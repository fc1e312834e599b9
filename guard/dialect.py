"""AskgresPostgres: sqlglot's Postgres dialect, taught every statement a Postgres client sends.

sqlglot 30 parses several session statements wrongly (`DISCARD ALL` and `CLOSE c` become an
Alias) or gives up with an opaque exp.Command (SHOW, RESET, FETCH, EXPLAIN, ...). The guard and
the proxy need a real AST for each of them, so this dialect parses them into the node classes
below. Overrides are class-level tables, the sqlglot habit: statements that start with a plain
word are dispatched through `KEYWORD_STATEMENT_PARSERS` (keyed by the upper-cased word).

Conventions of the nodes:
- setting names are `exp.Var` holding the lower-cased (possibly dotted) name, e.g.
  Var('askgres.engine'); `setting_name(node)` returns it as a str;
- "ALL" (SHOW ALL, RESET ALL, CLOSE ALL, DEALLOCATE ALL, DISCARD ALL) is `exp.Var('ALL')`;
- cursor, statement, savepoint and channel names are `exp.Identifier`.
"""

from __future__ import annotations

import typing as t

from sqlglot import exp
from sqlglot.dialects.postgres import Postgres
from sqlglot.errors import ErrorLevel, ParseError
from sqlglot.tokens import Token, TokenType

# --------------------------------------------------------------------------- nodes


class Reset(exp.Expression):
    """RESET name | RESET ALL."""
    arg_types = {"this": True}


class Discard(exp.Expression):
    """DISCARD ALL | PLANS | SEQUENCES | TEMP."""
    arg_types = {"this": True}


class Savepoint(exp.Expression):
    """SAVEPOINT name."""
    arg_types = {"this": True}


class ReleaseSavepoint(exp.Expression):
    """RELEASE [SAVEPOINT] name."""
    arg_types = {"this": True}


class DeclareCursor(exp.Expression):
    """DECLARE name [BINARY] [NO] SCROLL CURSOR [WITH|WITHOUT HOLD] FOR query."""
    arg_types = {"this": True, "expression": True, "hold": False, "binary": False,
                 "scroll": False}


class FetchCursor(exp.Expression):
    """FETCH / MOVE, normalised as PostgreSQL does internally.

    direction: 'FORWARD' | 'BACKWARD' | 'ABSOLUTE' | 'RELATIVE'; count: int or 'ALL'.
    NEXT = FORWARD 1, PRIOR = BACKWARD 1, FIRST = ABSOLUTE 1, LAST = ABSOLUTE -1, n = FORWARD n.
    """
    arg_types = {"this": True, "direction": True, "count": True, "move": False}


class CloseCursor(exp.Expression):
    """CLOSE name | CLOSE ALL."""
    arg_types = {"this": True}


class Call(exp.Expression):
    """CALL f(args, name => value): `this` is the function node (exp.Anonymous or a known Func,
    possibly inside exp.Dot for a schema-qualified name)."""
    arg_types = {"this": True}


class Explain(exp.Expression):
    """EXPLAIN [ANALYZE] [VERBOSE] [(options)] statement. `options` are upper-cased strings such
    as 'ANALYZE', 'FORMAT JSON'. With analyze=True the statement is really executed."""
    arg_types = {"this": True, "analyze": False, "options": False}


class PrepareStatement(exp.Expression):
    """PREPARE name [(types)] AS statement."""
    arg_types = {"this": True, "expressions": False, "expression": True}


class ExecuteStatement(exp.Expression):
    """EXECUTE name [(args)]."""
    arg_types = {"this": True, "expressions": False}


class Deallocate(exp.Expression):
    """DEALLOCATE [PREPARE] name | ALL."""
    arg_types = {"this": True}


class Listen(exp.Expression):
    arg_types = {"this": True}


class Unlisten(exp.Expression):
    """UNLISTEN channel | * (`this` is Var('*'))."""
    arg_types = {"this": True}


class Notify(exp.Expression):
    arg_types = {"this": True, "expression": False}


# The brief's name for FetchCursor (exp.Fetch is sqlglot's FETCH FIRST n ROWS modifier).
Fetch = FetchCursor

CUSTOM_STATEMENTS: tuple[type[exp.Expression], ...] = (
    Reset, Discard, Savepoint, ReleaseSavepoint, DeclareCursor, FetchCursor, CloseCursor, Call,
    Explain, PrepareStatement, ExecuteStatement, Deallocate, Listen, Unlisten, Notify,
)

# What a parsed statement may be; anything else (a bare expression such as `foo bar`, which
# sqlglot reads as an alias) is a syntax error in PostgreSQL.
STATEMENT_TYPES: tuple[type[exp.Expr], ...] = (
    exp.Query, exp.Values, exp.DML, exp.Create, exp.Drop, exp.Alter, exp.TruncateTable,
    exp.Command, exp.Set, exp.Show, exp.Transaction, exp.Commit, exp.Rollback, exp.Copy,
    exp.Pragma, exp.Grant, exp.Revoke, exp.Comment, exp.Analyze, exp.Use, exp.Describe,
    exp.Merge, exp.Semicolon, exp.Attach, exp.Detach, exp.Install, exp.Declare,
    *CUSTOM_STATEMENTS,
)

# PostgreSQL names for settings spelled with keywords.
_SPECIAL_SETTINGS = {
    ("TIME", "ZONE"): "timezone",
    ("TRANSACTION", "ISOLATION", "LEVEL"): "transaction_isolation",
    ("SESSION", "AUTHORIZATION"): "session_authorization",
    ("ROLE",): "role",
    ("SCHEMA",): "search_path",
    ("NAMES",): "client_encoding",
    ("XML", "OPTION"): "xmloption",
}

_ISOLATION_LEVELS = (
    ("SERIALIZABLE",), ("REPEATABLE", "READ"), ("READ", "COMMITTED"), ("READ", "UNCOMMITTED"),
)

# Statements no client of askgres needs; kept as exp.Command (keyword in `this`) so the guard
# can name and refuse them instead of misparsing them.
_COMMAND_WORDS = (
    "ATTACH", "DETACH", "INSTALL", "FORCE", "LOAD", "VACUUM", "CHECKPOINT", "EXPORT", "IMPORT",
    "DO", "LOCK", "REINDEX", "REFRESH", "CLUSTER", "SECURITY", "REASSIGN", "UNLOAD", "IMPORT",
)


def setting_name(node: exp.Expr | None) -> str:
    """The lower-cased setting name of a SET item's left side, SHOW or RESET target."""
    if node is None:
        return ""
    if isinstance(node, (exp.SetItem, exp.EQ)) and isinstance(node.this, exp.Expr):
        return setting_name(node.this if isinstance(node, exp.EQ) else node.this.this)
    if isinstance(node, (exp.Show, Reset)):
        return setting_name(node.this)
    if isinstance(node, (exp.Column, exp.Dot)):
        return ".".join(p.name for p in node.parts).lower()
    return node.name.lower()


# --------------------------------------------------------------------------- parser


def _word(token: Token | None) -> str:
    if not token or token.token_type in (TokenType.STRING, TokenType.IDENTIFIER):
        return ""
    return token.text.upper()


class AskgresParser(Postgres.Parser):
    # glob(pattern) is DuckDB's file lister (denied by the guard), not the GLOB operator.
    FUNCTIONS = {k: v for k, v in Postgres.Parser.FUNCTIONS.items() if k != "GLOB"}

    def _parse_file_location(self, *args, **kwargs):
        # COPY t FROM STDIN (FORMAT csv): without WITH, sqlglot reads `STDIN (...)` as a call.
        if self._curr and self._curr.token_type == TokenType.VAR and self._curr.text.upper() in ("STDIN", "STDOUT"):
            self._advance()
            return exp.to_identifier(self._prev.text)
        return super()._parse_file_location(*args, **kwargs)

    def _parse_types(self, *args, **kwargs):
        # `x::oid[]` / `CAST($1 AS regtype[])`: sqlglot reads oid and reg* as an ObjectIdentifier
        # and then the `[]` as a subscript without an index (asyncpg's introspection sends it).
        this = super()._parse_types(*args, **kwargs)
        if isinstance(this, exp.ObjectIdentifier) and self._match_pair(TokenType.L_BRACKET, TokenType.R_BRACKET):
            return exp.DataType(this=exp.DataType.Type.ARRAY, nested=True,
                                expressions=[exp.DataType.build(this.name, udt=True)])
        return this

    # Words that begin statements sqlglot does not know (or knows wrongly) in Postgres.
    KEYWORD_STATEMENT_PARSERS: t.ClassVar[dict[str, t.Callable]] = {
        "ABORT": lambda self: self._parse_rollback_word(),
        "BEGIN": lambda self: self._parse_begin(),
        "START": lambda self: self._parse_begin(start=True),
        "SET": lambda self: self._parse_pg_set(),
        "SHOW": lambda self: self._parse_show_or_reset(exp.Show),
        "RESET": lambda self: self._parse_show_or_reset(Reset),
        "DISCARD": lambda self: self._parse_discard(),
        "SAVEPOINT": lambda self: self.expression(Savepoint(this=self._parse_name())),
        "RELEASE": lambda self: self._parse_after_optional_word(
            "SAVEPOINT", lambda: ReleaseSavepoint(this=self._parse_name())),
        "DECLARE": lambda self: self._parse_declare_cursor(),
        "FETCH": lambda self: self._parse_fetch(move=False),
        "MOVE": lambda self: self._parse_fetch(move=True),
        "CLOSE": lambda self: self.expression(CloseCursor(this=self._parse_name_or_all())),
        "CALL": lambda self: self._parse_call(),
        "EXPLAIN": lambda self: self._parse_explain(),
        "PREPARE": lambda self: self._parse_prepare(),
        "EXECUTE": lambda self: self._parse_execute(),
        "DEALLOCATE": lambda self: self._parse_after_optional_word(
            "PREPARE", lambda: Deallocate(this=self._parse_name_or_all())),
        "LISTEN": lambda self: self.expression(Listen(this=self._parse_name())),
        "UNLISTEN": lambda self: self.expression(Unlisten(
            this=exp.var("*") if self._match(TokenType.STAR) else self._parse_name())),
        "NOTIFY": lambda self: self._parse_notify(),
        **{w: lambda self: self._parse_command_word() for w in _COMMAND_WORDS},
    }

    # ------------------------------------------------------------------ dispatch and errors

    def _parse_statement(self) -> exp.Expr | None:
        if not self._curr:
            return None
        parser = self.KEYWORD_STATEMENT_PARSERS.get(_word(self._curr))
        first = self._curr
        if parser:
            self._advance()
            comments = self._prev_comments
            stmt = parser(self)
            stmt.add_comments(comments, prepend=True)
            return stmt
        if self._curr.token_type == TokenType.COMMAND:
            self._advance()
            return self._parse_command_word()
        if self._curr.token_type == TokenType.CREATE and self._macro_ahead():
            self._advance()
            comments = self._prev_comments
            stmt = self._parse_create_macro()
            stmt.add_comments(comments, prepend=True)
            return stmt
        stmt = super()._parse_statement()
        if stmt is not None and not isinstance(stmt, STATEMENT_TYPES):
            self.raise_error("syntax error", first)
        return stmt

    def raise_error(self, message: str, token: Token | None = None) -> None:
        """Like sqlglot's, and records the 0-based character offset of the offending token
        (or -1 at end of input) so that check() can report PostgreSQL's `position`."""
        at_end = token is None and not self._curr
        token = token or self._curr or self._prev or Token.string("")
        error = ParseError.new(
            f"{message}. Line {token.line}, Col: {token.col}.",
            description=message, line=token.line, col=token.col,
            start_context="", highlight=token.text, end_context="",
        )
        error.errors[0]["start"] = -1 if at_end else token.start
        if self.error_level == ErrorLevel.IMMEDIATE:
            raise error
        self.errors.append(error)

    # ------------------------------------------------------------------ small helpers

    def _parse_command_word(self) -> exp.Command:
        """The rest of the statement as exp.Command(this=<upper-cased first word>), quietly."""
        start = self._prev
        while self._curr:
            self._advance()
        rest = self.sql[start.end + 1: self._prev.end + 1] if self._prev is not start else ""
        return exp.Command(this=start.text.upper(), expression=f" {rest.strip()}" if rest.strip() else "")

    def _parse_after_optional_word(self, word: str, build: t.Callable[[], exp.Expr]) -> exp.Expr:
        self._match_text_seq(word)
        node = self.expression(build())
        if self._curr:
            self.raise_error("syntax error")
        return node

    def _parse_name(self) -> exp.Identifier:
        ident = self._parse_id_var(any_token=True)
        if not isinstance(ident, exp.Identifier):
            self.raise_error("Expecting a name")
        return ident

    def _parse_name_or_all(self) -> exp.Expr:
        if self._match(TokenType.ALL):
            return exp.var("ALL")
        return self._parse_name()

    def _parse_setting_name(self) -> exp.Var:
        for words, name in _SPECIAL_SETTINGS.items():
            if self._match_text_seq(*words):
                return exp.var(name)
        if not self._curr:
            self.raise_error("Expecting a setting name")
        parts = [self._parse_name()]
        while self._match(TokenType.DOT):
            parts.append(self._parse_name())
        return exp.var(".".join(p.this if p.quoted else p.this.lower() for p in parts))

    def _parse_setting_value(self) -> exp.Expr:
        """One value of SET: string, signed number, DEFAULT, or a word (kept as exp.Var)."""
        if self._match_set((TokenType.DASH, TokenType.PLUS)):
            sign = "-" if self._prev.token_type == TokenType.DASH else ""
            if not self._match(TokenType.NUMBER):
                self.raise_error("Expecting a number")
            return exp.Literal(this=sign + self._prev.text, is_string=False)
        if self._match(TokenType.NUMBER):
            return exp.Literal.number(self._prev.text)
        if self._curr and self._curr.token_type == TokenType.STRING:
            return self._parse_string()
        if self._match(TokenType.DEFAULT):
            return exp.var("DEFAULT")
        if self._curr and self._curr.token_type in (TokenType.INTERVAL,):
            return self._parse_bitwise()
        ident = self._parse_id_var(any_token=True)
        if ident is None:
            self.raise_error("Expecting a value")
        return exp.to_identifier(ident.this, quoted=True) if ident.quoted else exp.var(ident.this)

    def _parse_transaction_modes(self) -> list[str]:
        modes: list[str] = []
        while self._curr:
            if self._match_text_seq("ISOLATION", "LEVEL"):
                for level in _ISOLATION_LEVELS:
                    if self._match_text_seq(*level):
                        modes.append("ISOLATION LEVEL " + " ".join(level))
                        break
                else:
                    self.raise_error("Expecting an isolation level")
            elif self._match_text_seq("READ", "ONLY") or self._match_text_seq("READ", "WRITE"):
                modes.append("READ " + self._prev.text.upper())
            elif self._match_text_seq("NOT", "DEFERRABLE"):
                modes.append("NOT DEFERRABLE")
            elif self._match_text_seq("DEFERRABLE"):
                modes.append("DEFERRABLE")
            else:
                self.raise_error("syntax error")
            self._match(TokenType.COMMA)
        return modes

    # ------------------------------------------------------------------ statements

    def _parse_begin(self, start: bool = False) -> exp.Transaction:
        if start and not self._match_text_seq("TRANSACTION"):
            self.raise_error("syntax error")
        self._match_texts(("TRANSACTION", "WORK"))
        return self.expression(exp.Transaction(modes=self._parse_transaction_modes()))

    def _parse_rollback_word(self) -> exp.Rollback:
        self._match_texts(("TRANSACTION", "WORK"))
        if self._match(TokenType.AND):
            self._match_text_seq("NO")
            self._match_text_seq("CHAIN")
        return self.expression(exp.Rollback())

    def _parse_pg_set(self) -> exp.Set:
        local = False
        if self._match_text_seq("LOCAL"):
            local = True
        elif self._curr and _word(self._curr) == "SESSION" and _word(self._next) not in (
                "AUTHORIZATION", "CHARACTERISTICS"):
            self._advance()
        kind = "LOCAL" if local else None

        if self._match_text_seq("SESSION", "CHARACTERISTICS", "AS", "TRANSACTION"):
            items = self._transaction_items(self._parse_transaction_modes(), "default_")
        elif self._match_text_seq("TRANSACTION"):
            if self._match_text_seq("SNAPSHOT"):
                items = [exp.EQ(this=exp.var("transaction_snapshot"),
                                expression=self._parse_setting_value())]
            else:
                items = self._transaction_items(self._parse_transaction_modes(), "")
            local = True
        else:
            name = self._parse_setting_name()
            # keyword-spelled settings (TIME ZONE, ROLE, SCHEMA, ...) take no = / TO
            if not self._match_texts(("=", "TO")) and name.name not in _SPECIAL_SETTINGS.values():
                self.raise_error("Expecting = or TO")
            values = []
            if name.name == "timezone" and self._match_text_seq("LOCAL"):
                values.append(exp.var("DEFAULT"))
            else:
                values.append(self._parse_setting_value())
                while self._match(TokenType.COMMA):
                    values.append(self._parse_setting_value())
            value = values[0] if len(values) == 1 else exp.Tuple(expressions=values)
            items = [exp.EQ(this=name, expression=value)]
        if self._curr:
            self.raise_error("syntax error")
        set_items = []
        for eq in items:
            item = exp.SetItem(this=eq, kind=kind)
            if local:
                item.set("local", True)
            set_items.append(item)
        return exp.Set(expressions=set_items)

    @staticmethod
    def _transaction_items(modes: list[str], prefix: str) -> list[exp.EQ]:
        items = []
        for mode in modes:
            if mode.startswith("ISOLATION LEVEL "):
                name, value = "transaction_isolation", mode[len("ISOLATION LEVEL "):].lower()
            elif mode.startswith("READ "):
                name, value = "transaction_read_only", "on" if mode == "READ ONLY" else "off"
            else:
                name, value = "transaction_deferrable", "on" if mode == "DEFERRABLE" else "off"
            items.append(exp.EQ(this=exp.var(prefix + name), expression=exp.Literal.string(value)))
        return items

    def _parse_show_or_reset(self, node: type[exp.Expression]) -> exp.Expression:
        this = exp.var("ALL") if self._match(TokenType.ALL) else self._parse_setting_name()
        if self._curr:
            self.raise_error("syntax error")
        return self.expression(node(this=this))

    def _parse_discard(self) -> Discard:
        if not self._match_texts(("ALL", "PLANS", "SEQUENCES", "TEMP", "TEMPORARY")):
            self.raise_error("syntax error")
        word = self._prev.text.upper()
        return self.expression(Discard(this=exp.var("TEMP" if word == "TEMPORARY" else word)))

    def _parse_declare_cursor(self) -> DeclareCursor:
        name = self._parse_name()
        binary = scroll = hold = False
        while True:
            if self._match_text_seq("BINARY"):
                binary = True
            elif self._match_texts(("ASENSITIVE", "INSENSITIVE")):
                pass
            elif self._match_text_seq("NO", "SCROLL"):
                scroll = False
            elif self._match_text_seq("SCROLL"):
                scroll = True
            else:
                break
        if not self._match_text_seq("CURSOR"):
            self.raise_error("Expecting CURSOR")
        if self._match_text_seq("WITH", "HOLD"):
            hold = True
        else:
            self._match_text_seq("WITHOUT", "HOLD")
        if not self._match(TokenType.FOR):
            self.raise_error("Expecting FOR")
        # `FOR /*+ engine(spark) */ SELECT ...` (psycopg's named cursors wrap a hinted query so):
        # sqlglot attaches the comment to the FOR token; hand it to the query it precedes.
        comments = self._prev_comments
        query = self._parse_statement()
        if not isinstance(query, (exp.Query, exp.Values)):
            self.raise_error("DECLARE CURSOR needs a SELECT or VALUES query")
        if comments:
            query.add_comments(comments, prepend=True)
        return self.expression(DeclareCursor(this=name, expression=query, hold=hold,
                                             binary=binary, scroll=scroll))

    def _macro_ahead(self) -> bool:
        """CREATE [OR REPLACE] [TEMP|TEMPORARY] MACRO: DuckDB's macros, which sqlglot's Postgres
        parser leaves as an opaque command; their bodies must be seen by the guard's rules."""
        words = [_word(tok) for tok in self._tokens[self._index + 1: self._index + 5]]
        if words[:2] == ["OR", "REPLACE"]:
            words = words[2:]
        if words[:1] in (["TEMP"], ["TEMPORARY"]):
            words = words[1:]
        return words[:1] == ["MACRO"]

    def _parse_create_macro(self) -> exp.Create:
        """CREATE [OR REPLACE] [TEMP] MACRO [IF NOT EXISTS] name(p, q := default) AS [TABLE] body,
        as the exp.Create sqlglot's DuckDB parser builds (kind MACRO), so the body is an AST
        the rules walk and the DuckDB generator writes back. One body only: DuckDB's overloads
        (`AS a, (a, b) AS a + b`) are a syntax error here."""
        replace = self._match_text_seq("OR", "REPLACE")
        temporary = self._match_texts(("TEMP", "TEMPORARY"))
        self._match_text_seq("MACRO")
        exists = self._match_text_seq("IF", "NOT", "EXISTS")
        name = self._parse_table_parts(schema=True)   # schema=True: `f(` is not a table function
        if not self._match(TokenType.L_PAREN):
            self.raise_error("Expecting ( after the macro name")
        params: list[exp.Expr] = []
        while not self._match(TokenType.R_PAREN):
            if params and not self._match(TokenType.COMMA):
                self.raise_error("Expecting , or ) in the macro parameters")
            param = self._parse_id_var(any_token=False)
            if param is None:
                self.raise_error("Expecting a macro parameter name")
            if self._match(TokenType.COLON_EQ):
                param = self.expression(exp.PropertyEQ(this=param, expression=self._parse_assignment()))
            params.append(param)
        if not self._match(TokenType.ALIAS):
            self.raise_error("Expecting AS before the macro body")
        table = self._match(TokenType.TABLE)
        body = self._parse_statement() if table else self._parse_assignment()
        if body is None or (table and not isinstance(body, (exp.Query, exp.Values))):
            self.raise_error("Expecting the macro body: an expression, or TABLE and a query")
        properties = [exp.TemporaryProperty()] if temporary else []
        if table:
            properties.append(exp.ReturnsProperty(this=exp.Schema(this=exp.Var(this="TABLE")), is_table=True))
        return self.expression(exp.Create(
            this=exp.UserDefinedFunction(this=name, expressions=params, wrapped=True), kind="MACRO",
            replace=replace, exists=exists, expression=body,
            properties=exp.Properties(expressions=properties) if properties else None))

    def _parse_count(self) -> int | str | None:
        if self._match(TokenType.ALL):
            return "ALL"
        sign = -1 if self._match(TokenType.DASH) else (1 if self._match(TokenType.PLUS) else 0)
        if self._match(TokenType.NUMBER) and self._prev.text.isdigit():
            return int(self._prev.text) * (sign or 1)
        if sign:
            self.raise_error("Expecting a number")
        return None

    def _parse_fetch(self, move: bool) -> FetchCursor:
        direction, count = "FORWARD", 1
        if self._match_text_seq("NEXT"):
            pass
        elif self._match_text_seq("PRIOR"):
            direction = "BACKWARD"
        elif self._match_text_seq("FIRST"):
            direction = "ABSOLUTE"
        elif self._match_text_seq("LAST"):
            direction, count = "ABSOLUTE", -1
        elif self._match_texts(("ABSOLUTE", "RELATIVE")):
            direction = self._prev.text.upper()
            n = self._parse_count()
            if not isinstance(n, int):
                self.raise_error("Expecting a number")
            count = n
        elif self._match_texts(("FORWARD", "BACKWARD")):
            direction = self._prev.text.upper()
            n = self._parse_count()
            count = 1 if n is None else n
        else:
            n = self._parse_count()
            count = 1 if n is None else n
        self._match_set((TokenType.FROM, TokenType.IN))
        name = self._parse_name()
        if self._curr:
            self.raise_error("syntax error")
        return self.expression(FetchCursor(this=name, direction=direction, count=count,
                                           move=move))

    def _parse_call(self) -> Call:
        func = self._parse_bitwise()
        target = func.expression if isinstance(func, exp.Dot) else func
        if not isinstance(target, exp.Func):
            self.raise_error("Expecting a procedure call")
        return self.expression(Call(this=func))

    def _parse_explain(self) -> Explain:
        options: list[str] = []
        if self._match(TokenType.L_PAREN):
            while not self._match(TokenType.R_PAREN):
                if not self._curr:
                    self.raise_error("syntax error")
                words = []
                while self._curr and self._curr.token_type not in (TokenType.COMMA,
                                                                   TokenType.R_PAREN):
                    words.append(self._curr.text.upper())
                    self._advance()
                options.append(" ".join(words))
                self._match(TokenType.COMMA)
        else:
            while self._match_texts(("ANALYZE", "ANALYSE", "VERBOSE")):
                options.append("ANALYZE" if self._prev.text.upper() != "VERBOSE" else "VERBOSE")
        analyze = any(o.split()[0] in ("ANALYZE", "ANALYSE") and
                      o.split()[-1] not in ("FALSE", "OFF", "0") for o in options if o)
        stmt = self._parse_statement()
        if stmt is None:
            self.raise_error("syntax error")
        return self.expression(Explain(this=stmt, analyze=analyze, options=options))

    def _parse_prepare(self) -> exp.Expr:
        if _word(self._curr) == "TRANSACTION":
            return self._parse_command_word()
        name = self._parse_name()
        types = self._parse_wrapped_csv(self._parse_types) if self._curr and \
            self._curr.token_type == TokenType.L_PAREN else []
        if not self._match(TokenType.ALIAS):
            self.raise_error("Expecting AS")
        stmt = self._parse_statement()
        if stmt is None:
            self.raise_error("syntax error")
        return self.expression(PrepareStatement(this=name, expressions=types, expression=stmt))

    def _parse_execute(self) -> ExecuteStatement:
        name = self._parse_name()
        args = self._parse_wrapped_csv(self._parse_expression) if self._curr and \
            self._curr.token_type == TokenType.L_PAREN else []
        return self.expression(ExecuteStatement(this=name, expressions=args))

    def _parse_notify(self) -> Notify:
        name = self._parse_name()
        payload = self._parse_string() if self._match(TokenType.COMMA) else None
        return self.expression(Notify(this=name, expression=payload))


# --------------------------------------------------------------------------- generator


def _name_or_all(gen, e: exp.Expr) -> str:
    return gen.sql(e, "this")


def _setitem_sql(gen, e: exp.SetItem) -> str:
    eq = e.this
    if not isinstance(eq, exp.EQ):
        return type(gen).__mro__[1].setitem_sql(gen, e)
    local = "LOCAL " if e.args.get("local") else ""
    value = eq.expression
    rendered = (", ".join(gen.sql(v) for v in value.expressions)
                if isinstance(value, exp.Tuple) else gen.sql(value))
    return f"{local}{gen.sql(eq, 'this')} TO {rendered}"


def _fetch_sql(gen, e: FetchCursor) -> str:
    verb = "MOVE" if e.args.get("move") else "FETCH"
    return f"{verb} {e.args['direction']} {e.args['count']} FROM {gen.sql(e, 'this')}"


def _explain_sql(gen, e: Explain) -> str:
    options = e.args.get("options") or []
    opts = f" ({', '.join(options)})" if options else ""
    return f"EXPLAIN{opts} {gen.sql(e, 'this')}"


def _declare_sql(gen, e: DeclareCursor) -> str:
    binary = " BINARY" if e.args.get("binary") else ""
    scroll = " SCROLL" if e.args.get("scroll") else " NO SCROLL"
    hold = " WITH HOLD" if e.args.get("hold") else ""
    return f"DECLARE {gen.sql(e, 'this')}{binary}{scroll} CURSOR{hold} FOR {gen.sql(e, 'expression')}"


def _prepare_sql(gen, e: PrepareStatement) -> str:
    types = e.expressions
    types_sql = f" ({', '.join(gen.sql(x) for x in types)})" if types else ""
    return f"PREPARE {gen.sql(e, 'this')}{types_sql} AS {gen.sql(e, 'expression')}"


def _execute_sql(gen, e: ExecuteStatement) -> str:
    args = e.expressions
    return f"EXECUTE {gen.sql(e, 'this')}" + (f"({', '.join(gen.sql(a) for a in args)})"
                                               if args else "")


def _notify_sql(gen, e: Notify) -> str:
    payload = gen.sql(e, "expression")
    return f"NOTIFY {gen.sql(e, 'this')}" + (f", {payload}" if payload else "")


def _create_sql(gen, e: exp.Create) -> str:
    """DuckDB macros as DuckDB writes them (Postgres would write RETURNS TABLE); the rest as usual."""
    if e.args.get("kind") != "MACRO":
        return gen.create_sql(e)
    props = e.args.get("properties")
    kinds = {type(p) for p in (props.expressions if props else ())}
    return (f"CREATE{' OR REPLACE' if e.args.get('replace') else ''}"
            f"{' TEMPORARY' if exp.TemporaryProperty in kinds else ''} MACRO"
            f"{' IF NOT EXISTS' if e.args.get('exists') else ''} {gen.sql(e, 'this')} AS"
            f"{' TABLE' if exp.ReturnsProperty in kinds else ''} {gen.sql(e, 'expression')}")


def _transaction_sql(gen, e: exp.Transaction) -> str:
    modes = e.args.get("modes") or []
    return "BEGIN" + (" " + ", ".join(str(m) for m in modes) if modes else "")


class AskgresGenerator(Postgres.Generator):
    TRANSFORMS = {
        **Postgres.Generator.TRANSFORMS,
        exp.Show: lambda gen, e: f"SHOW {_name_or_all(gen, e)}",
        exp.SetItem: _setitem_sql,
        exp.Transaction: _transaction_sql,
        exp.Create: _create_sql,
        Reset: lambda gen, e: f"RESET {_name_or_all(gen, e)}",
        Discard: lambda gen, e: f"DISCARD {_name_or_all(gen, e)}",
        Savepoint: lambda gen, e: f"SAVEPOINT {gen.sql(e, 'this')}",
        ReleaseSavepoint: lambda gen, e: f"RELEASE SAVEPOINT {gen.sql(e, 'this')}",
        DeclareCursor: _declare_sql,
        FetchCursor: _fetch_sql,
        CloseCursor: lambda gen, e: f"CLOSE {_name_or_all(gen, e)}",
        Call: lambda gen, e: f"CALL {gen.sql(e, 'this')}",
        Explain: _explain_sql,
        PrepareStatement: _prepare_sql,
        ExecuteStatement: _execute_sql,
        Deallocate: lambda gen, e: f"DEALLOCATE {_name_or_all(gen, e)}",
        Listen: lambda gen, e: f"LISTEN {gen.sql(e, 'this')}",
        Unlisten: lambda gen, e: f"UNLISTEN {gen.sql(e, 'this')}",
        Notify: _notify_sql,
    }


class _Tokenizer(Postgres.Tokenizer):
    # sqlglot swallows the rest of a "command" statement into one string token; askgres wants
    # every statement tokenized so that it can be parsed (or refused) for what it is.
    COMMANDS: t.ClassVar = set()
    # PostgreSQL has no GLOB operator; `glob(...)` must parse as the (denied) DuckDB function.
    KEYWORDS = {k: v for k, v in Postgres.Tokenizer.KEYWORDS.items() if k != "GLOB"}


class AskgresPostgres(Postgres):
    """PostgreSQL as askgres reads it; registered with sqlglot as 'askgrespostgres'."""
    Tokenizer = _Tokenizer
    Parser = AskgresParser
    Generator = AskgresGenerator


def require_interpreted_sqlglot(classes: tuple[type, ...] = (AskgresParser, AskgresGenerator, _Tokenizer, Reset)) -> None:
    """askgres subclasses sqlglot's parser, generator, tokenizer and nodes. sqlglot's compiled
    build (the sqlglotc package, which `sqlglot[c]` installs) forbids subclassing them and fails
    every parse with "interpreted classes cannot inherit from compiled"; say so, with the fix,
    when askgres is imported instead."""
    for cls in classes:
        try:
            cls()
        except TypeError as e:
            if "compiled" not in str(e):
                raise
            raise ImportError("askgres needs sqlglot's pure-Python build: its compiled build (the sqlglotc "
                              "package) does not allow the dialect askgres adds to sqlglot's Postgres. "
                              "Remove it from this environment: pip uninstall sqlglotc") from e


require_interpreted_sqlglot()
