"""Plain-language questions: where they are found in what a client sends, and how they are
answered.

Forms (all parsed from the text, never run as SQL themselves):
- a query that is only a comment `-- ask: <question>` or `/* ask: <question> */`;
- `-- ask sql: ...` / `/* ask sql: ... */`: the SQL is returned as one row, not run;
- `SELECT ... FROM ask('<question>')`, which survives psql and BI tools that strip comments
  or wrap statements: the table function is replaced by the generated query.
The generated SQL is always checked by the guard as a single read-only query of the
session's role before it runs.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
from sqlglot import exp

from askgres import guard
from askgres.engines.ast_facts import once_per_ast

ASK_FUNCTION = "ask"


@dataclass(frozen=True)
class Question:
    text: str
    sql_only: bool = False


def _strip_semicolons(text: str) -> str:
    return text.strip().rstrip(";").strip()


def leading_question(sql: str) -> Question | None:
    """A question written as the only content of a query: `-- ask:` line comment(s) or one
    `/* ask: */` block comment, optionally followed by a semicolon."""
    text = sql.strip()
    if text.startswith("/*"):
        body, end, rest = text[2:].partition("*/")
        return _question(body) if end and not _strip_semicolons(rest) else None
    lines = []
    while text.startswith("--"):
        line, _, text = text[2:].partition("\n")
        lines.append(line.strip())
        text = text.strip()
    if not lines or _strip_semicolons(text):
        return None
    return _question(" ".join(lines))


def _question(body: str) -> Question | None:
    head, sep, question = body.strip().partition(":")
    words = head.lower().split()
    if not sep or not words or words[0] != "ask" or len(words) > 2 or (len(words) == 2 and words[1] != "sql"):
        return None
    return Question(question.strip(), sql_only=len(words) == 2)


_HAS_ASK_KEY = "askgres.has_ask_call"


def ask_calls(stmt: exp.Expr) -> list[exp.Table]:
    """Tables of the form ask('question') in a statement."""
    return [table for table in stmt.find_all(exp.Table)
            if isinstance(table.this, exp.Anonymous) and str(table.this.this).lower() == ASK_FUNCTION]


def has_ask_call(stmt: exp.Expr) -> bool:
    """Whether a statement calls ask() (decided once per AST: a walk costs more than encoding a
    small query's result)."""
    return once_per_ast(stmt, _HAS_ASK_KEY, lambda s: bool(ask_calls(s)))


def question_of_call(table: exp.Table) -> str:
    args = table.this.expressions
    if len(args) != 1 or not isinstance(args[0], exp.Literal) or not args[0].is_string:
        raise guard.GuardError("ask() takes one string literal: the question", "22023",
                               hint="SELECT * FROM ask('how many orders per country?')")
    return args[0].this


def sql_row(sql: str) -> pa.Table:
    return pa.table({"sql": pa.array([sql], pa.string())})


class Asker:
    """Answers questions for one session: the translator is shared by the whole server (one
    model per process), the conversation (for follow-ups) belongs to the session."""

    def __init__(self, session, translator) -> None:
        self.session = session
        self.translator = translator
        from askgres.llm.translate import Conversation

        self.conversation = Conversation()
        self.opinion = None  # the model's second opinion on the last answer, for the audit log

    def check(self, sql: str) -> exp.Expr:
        """Generated SQL: one statement, held to the read-only policy of the session's role."""
        gc = self.session.guard_catalog
        (stmt,) = guard.check(sql, self.session.policy.read_only(), source="ask", single=True,
                              schema=gc.get() if gc is not None else None, hash_salt=self.session.hash_salt)
        return stmt

    def run(self, sql: str) -> pa.Table:
        stmt = self.check(sql)
        result = self.session.execute_routed(stmt, (), announce=False)  # Spark tables are asked about on Spark
        if result.reader is None:
            raise guard.GuardError("generated SQL must return rows", "42501")
        batches = []
        while True:
            try:
                batches.append(result.reader.read_next_batch())
            except StopIteration:
                break
        return pa.Table.from_batches(batches, schema=result.reader.schema)

    def translate(self, question: str):
        """Blocking: runs on the session's worker thread."""
        from askgres.llm.schema import SchemaContext

        if self.translator is None:
            raise guard.GuardError("questions are turned off on this server", "0A000")
        context = SchemaContext.from_dict({**self.session.engine.describe_tables(),
                                           "database": self.session.info.database})
        translation = self.translator.translate(question, context, self.run, check=self.check,
                                                conversation=self.conversation)
        self.opinion = self.second_opinion(question, translation)
        return translation

    def second_opinion(self, question: str, translation):
        """The model's verdict on the answer's SQL when the role asks for one (second_opinion =
        "log" or "block"): one model call per new (question, SQL), cached by the guard. It comes
        after the read-only candidate ran; "block" withholds the answer (42501, rule second_opinion)."""
        self.opinion = None
        policy = self.session.policy
        if policy.second_opinion == "off":
            return None
        from askgres.llm.judge import Judge

        cfg = self.translator.config
        judge = Judge(self.translator.model, seed=cfg.seed, timeout=cfg.timeout_s)
        judged = []

        def opinion(q: str, sql: str):
            judged.append(judge(q, sql))   # question and SQL only: measured better than with the schema
            return judged[-1]

        gc = self.session.guard_catalog
        try:
            (stmt,) = guard.check(translation.sql, policy.read_only(), source="ask", single=True,
                                  schema=gc.get() if gc is not None else None, hash_salt=self.session.hash_salt,
                                  question=question, second_opinion=opinion)
        except guard.GuardError as e:
            if e.rule == "second_opinion":  # judged now, or earlier (a cached refusal)
                self.session.record(translation.sql, "denied", source="ask", error=e,
                                    second_opinion=judged[-1] if judged else guard.Verdict(False, e.detail or ""))
            raise
        return stmt.meta[guard.META_KEY]["second_opinion"]
