"""Read-only shape check applied to every candidate before the caller's own check (defence in depth:
whatever a question or a data value says, only a single read-only query can leave this package)."""

from __future__ import annotations


import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

from .errors import WriteRefused
from .text import words

_WRITES = (exp.Insert, exp.Update, exp.Delete, exp.Create, exp.Drop, exp.Alter, exp.Command, exp.Merge,
           exp.TruncateTable, exp.Into, exp.Copy, exp.Set, exp.Transaction, exp.Commit, exp.Rollback)
_SIDE_EFFECT_FUNCS = {"pg_sleep", "pg_terminate_backend", "pg_cancel_backend", "set_config", "lo_import",
                      "lo_export", "pg_read_file", "pg_read_binary_file", "pg_ls_dir", "dblink", "dblink_exec"}

WRITE_VERBS = frozenset("""delete drop update insert truncate alter create remove erase wipe modify rename
replace grant revoke add change set purge destroy overwrite""".split())
_POLITE = frozenset("please can could would you kindly now just go ahead and".split())


class NotReadOnly(Exception):
    pass


def asks_to_write(question: str) -> bool:
    """The question is an order to change data ("delete all orders", "please drop table x")."""
    toks = [t for t in words(question)]
    while toks and toks[0] in _POLITE:
        toks = toks[1:]
    return bool(toks) and toks[0] in WRITE_VERBS


def parse_single_query(sql: str) -> exp.Expr:
    """Parse Postgres-dialect text; it must be exactly one read-only query."""
    try:
        trees = [t for t in sqlglot.parse(sql, read="postgres") if t is not None]
    except ParseError as e:
        raise ValueError(f"syntax error: {str(e).splitlines()[0][:300]}") from None
    if len(trees) != 1:
        raise NotReadOnly(f"expected one statement, got {len(trees)}")
    tree = trees[0]
    if not isinstance(tree, exp.Query):
        raise NotReadOnly(f"not a query: {type(tree).__name__}")
    for node in tree.walk():
        if isinstance(node, _WRITES):
            raise NotReadOnly(f"not read-only: {type(node).__name__}")
        if isinstance(node, (exp.Anonymous, exp.Func)) and node.name.lower() in _SIDE_EFFECT_FUNCS:
            raise NotReadOnly(f"function {node.name} is not allowed")
        if isinstance(node, exp.Lock):
            raise NotReadOnly("locking clause is not allowed")
    return tree


def refuse_write(question: str) -> None:
    if asks_to_write(question):
        raise WriteRefused("askgres answers questions and never changes data; this question asks for a change",
                           hint="ask a question about the data instead, e.g. 'how many orders are there?'")


