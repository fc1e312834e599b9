"""Schema linking: when the whole schema does not fit the prompt budget, keep the tables the
question is about (by names, column names and matched values) plus the tables that join them."""

from __future__ import annotations

from typing import Callable

from .render import render_table
from .schema import SchemaContext, Table
from .text import terms
from .values import ValueMatch


def table_scores(context: SchemaContext, question: str, matches: list[ValueMatch]) -> dict[str, float]:
    q = set(terms(question))
    scores: dict[str, float] = {}
    for t in context.tables:
        name_terms = set(terms(t.name, drop_stopwords=False))
        s = 3.0 * len(q & name_terms)
        for c in t.columns:
            s += 1.0 * len(q & set(terms(c.name, drop_stopwords=False)))
        s += 3.0 * sum(1 for m in matches if m.table == t.name)
        scores[t.name] = s
    return scores


def link(context: SchemaContext, question: str, matches: list[ValueMatch], budget_tokens: int,
         count_tokens: Callable[[str], int], samples: int = 3) -> list[Table]:
    """The tables to show, in schema order, within budget_tokens."""
    rendered = {t.name: render_table(t, samples=samples) for t in context.tables}
    sizes = {name: count_tokens(text) for name, text in rendered.items()}
    if sum(sizes.values()) <= budget_tokens:
        return list(context.tables)
    scores = table_scores(context, question, matches)
    # Neighbours along foreign keys share a fraction of a table's score, so join tables come along.
    neighbours: dict[str, set[str]] = {t.name: set() for t in context.tables}
    for t in context.tables:
        for fk in t.foreign_keys:
            if fk.ref_table in neighbours:
                neighbours[t.name].add(fk.ref_table)
                neighbours[fk.ref_table].add(t.name)
    boosted = {n: s + 0.3 * sum(scores.get(m, 0) for m in neighbours[n]) for n, s in scores.items()}
    chosen: set[str] = set()
    used = 0
    for name in sorted(boosted, key=lambda n: (-boosted[n], n)):
        if used + sizes[name] > budget_tokens:
            continue
        chosen.add(name)
        used += sizes[name]
    return [t for t in context.tables if t.name in chosen]
