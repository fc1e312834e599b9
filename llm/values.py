"""Value retrieval: words of the question matched to values stored in text columns.

"How many singers are from france?" -> singer.country = 'France'. The distinct values of each
text column are fetched once per schema fingerprint through the caller's run() callback (queries
built as ASTs, bounded by LIMIT), then matched against the question's word n-grams.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable, Sequence

import pyarrow as pa
from sqlglot import exp

from .schema import SchemaContext
from .text import STOPWORDS, words

TEXT_TYPES = ("char", "text", "string", "clob", "varchar")
MAX_NGRAM = 6


@dataclass(frozen=True)
class ValueMatch:
    table: str
    column: str
    value: str


def _is_text(type_name: str) -> bool:
    t = type_name.lower()
    return any(k in t for k in TEXT_TYPES) or t == ""


def distinct_values_sql(table: str, column: str, limit: int) -> str:
    col = exp.column(column, quoted=True)
    q = (exp.select(col).distinct().from_(exp.Table(this=exp.to_identifier(table, quoted=True)))
         .where(exp.Not(this=exp.Is(this=col.copy(), expression=exp.Null()))).limit(limit))
    return q.sql(dialect="postgres")


class ValueIndex:
    """Normalized value text -> where it is stored, for one schema."""

    def __init__(self, context: SchemaContext, run: Callable[[str], pa.Table], *, per_column: int = 2000,
                 max_columns: int = 400) -> None:
        self.by_text: dict[tuple[str, ...], list[ValueMatch]] = {}
        columns = [(t.name, c.name) for t in context.tables for c in t.columns if _is_text(c.type)][:max_columns]
        for table, column in columns:
            try:
                result = run(distinct_values_sql(table, column, per_column))
            except Exception:  # noqa: BLE001 - a column we cannot read just gives no matches
                continue
            if result.num_columns == 0:
                continue
            for v in result.column(0).to_pylist():
                if not isinstance(v, str) or not v.strip() or len(v) > 80:
                    continue
                key = tuple(words(v))
                if not key or len(key) > MAX_NGRAM:
                    continue
                self.by_text.setdefault(key, []).append(ValueMatch(table, column, v))

    def match(self, question: str, limit: int = 8) -> list[ValueMatch]:
        toks = words(question)
        found: list[ValueMatch] = []
        covered: set[int] = set()
        for n in range(min(MAX_NGRAM, len(toks)), 0, -1):  # longest first: "united states" before "states"
            for i in range(len(toks) - n + 1):
                span = set(range(i, i + n))
                if span & covered:
                    continue
                key = tuple(toks[i:i + n])
                if n == 1 and (key[0] in STOPWORDS or len(key[0]) < 3 or key[0].isdigit()):
                    continue
                hits = self.by_text.get(key)
                if hits:
                    covered |= span
                    found.extend(h for h in hits[:3] if h not in found)
        return found[:limit]


def spell_values_as_stored(tree: exp.Expr, matches: Sequence[ValueMatch]) -> exp.Expr:
    """state = 'North Carolina' when the question's value was matched to 'NorthCarolina': the
    model often copies the question's spelling although the prompt shows the stored one. A string
    compared with = / <> / IN whose words are a matched value's takes that value's spelling (only
    when one spelling fits; LIKE patterns are left alone)."""
    by_words: dict[tuple[str, ...], list[ValueMatch]] = {}
    for m in matches:
        by_words.setdefault(tuple(words(m.value)), []).append(m)
    for lit in list(tree.find_all(exp.Literal)):
        compared = lit.parent
        if not lit.is_string or not isinstance(compared, (exp.EQ, exp.NEQ, exp.In)):
            continue
        fits = by_words.get(tuple(words(lit.this)), [])
        column = compared.this if compared.this is not lit else compared.args.get("expression")
        if isinstance(column, exp.Column):
            fits = [m for m in fits if m.column.lower() == column.name.lower()] or fits
        spellings = {m.value for m in fits}
        if len(spellings) == 1 and lit.this not in spellings:
            lit.replace(exp.Literal.string(spellings.pop()))
    return tree


class ValueIndexCache:
    """A few ValueIndex objects, by schema fingerprint (rebuilt when the schema changes)."""

    def __init__(self, capacity: int = 16) -> None:
        self._items: OrderedDict[str, ValueIndex] = OrderedDict()
        self._lock = threading.Lock()
        self.capacity = capacity

    def get(self, context: SchemaContext, run: Callable[[str], pa.Table]) -> ValueIndex:
        key = context.fingerprint
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        index = ValueIndex(context, run)
        with self._lock:
            self._items[key] = index
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)
        return index
