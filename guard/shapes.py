"""Query shapes: a statement's tokens with its literals set aside, so that the guard judges a
BI query once per shape instead of once per filter value.

Dashboards and BI tools send the same query again and again with other values in its filters
(`created_at >= '2024-03-01'`, `customer_id = 7`): each text is new to the verdict cache, yet no
rule's verdict can depend on a value compared with a column (the rules look at statement kinds,
names, functions, sizes and structure; the values they do read sit elsewhere: LIMIT, function
arguments such as generate_series bounds or set_config names, COPY targets, INTERVAL strings).

After a full check approves a statement, ShapeCache remembers its shape:
the token texts with every STRING and NUMBER literal masked, plus which of those literals were
compared with a column (parent a comparison, BETWEEN or IN whose other side is a column, through
casts, signs and parentheses). A later text of the same shape whose other literals are the same
(verbatim) gets the same verdict without running the rules: its own parse is returned, so the
engine sees its values, after the rules that rewrote the approved text (masking, a row limit,
a recursion bound) have been applied to it again, which their decisions allow: they too depend
on names, structure and the verbatim literals only. Anything else (a literal not proven
compared, a refusal, a second opinion, COPY) is checked in full, as before.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from sqlglot import exp
from sqlglot.tokens import Token, TokenType

_STRING_MARK, _NUMBER_MARK = "\x00'?'", "\x00?"
# Token types whose text alone does not say what they are (a quoted identifier's text is the
# bare name, a string's its content): their type goes into the shape with the text.
_TAGGED = (TokenType.IDENTIFIER, TokenType.PARAMETER, TokenType.NATIONAL_STRING, TokenType.RAW_STRING,
           TokenType.BIT_STRING, TokenType.HEX_STRING, TokenType.BYTE_STRING, TokenType.HEREDOC_STRING,
           TokenType.UNICODE_STRING)
_MARKS = {TokenType.STRING: _STRING_MARK, TokenType.NUMBER: _NUMBER_MARK,
          **{kind: f"{kind.name}\x00" for kind in _TAGGED}}

_COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.NullSafeEQ, exp.NullSafeNEQ,
                exp.Like, exp.ILike)
_WRAPPERS = (exp.Cast, exp.Neg, exp.Paren)


SEPARATOR = "\x1f"   # between token texts in a shape; a text that contains it has no shape


@dataclass(frozen=True)
class Shape:
    masked: str                  # token texts, literals replaced by a mark of their type
    literals: tuple[Token, ...]  # the masked literal tokens, in order


def shape_of(tokens: list[Token]) -> Shape:
    """The tokens' shape. One string, not a tuple, because hashing and comparing it is what a
    lookup costs; it is unambiguous as long as no token text holds SEPARATOR (has_shape).
    A plain loop: this runs for every new text, and is the shape cache's main cost."""
    parts: list[str] = []
    literals: list[Token] = []
    part, literal, mark_of = parts.append, literals.append, _MARKS.get
    for token in tokens:
        mark = mark_of(token.token_type)
        if mark is None:
            part(token.text)
        elif mark is _STRING_MARK or mark is _NUMBER_MARK:
            part(mark)
            literal(token)
        else:
            part(mark + token.text)
    return Shape(SEPARATOR.join(parts), tuple(literals))


def has_shape(sql: str) -> bool:
    return SEPARATOR not in sql


def _unwrapped(node: exp.Expr) -> exp.Expr:
    while isinstance(node, _WRAPPERS):
        node = node.this
    return node


def compared_with_column(literal: exp.Literal) -> bool:
    """Whether the literal is one side of a comparison (or a BETWEEN bound, or an IN list item)
    whose other side is a column: a filter value, which no rule's verdict depends on."""
    node, parent = literal, literal.parent
    while isinstance(parent, _WRAPPERS):
        node, parent = parent, parent.parent
    if isinstance(parent, _COMPARISONS):
        other = parent.this if node.arg_key == "expression" else parent.expression
        return isinstance(_unwrapped(other), exp.Column)
    if isinstance(parent, exp.Between):
        return node.arg_key in ("low", "high") and isinstance(_unwrapped(parent.this), exp.Column)
    if isinstance(parent, exp.In):
        return node.arg_key == "expressions" and isinstance(_unwrapped(parent.this), exp.Column)
    return False


def filter_value_starts(literals: list[exp.Literal]) -> set[int]:
    """Source offsets of the literals (of an approved statement) that are filter values."""
    return {lit.meta["start"] for lit in literals if "start" in lit.meta and compared_with_column(lit)}


def trim(items: OrderedDict, size: int) -> None:
    """Drop the least recently used entries of an LRU kept as an OrderedDict, down to `size`."""
    while len(items) > size:
        items.popitem(last=False)


Rewrites = tuple[tuple[str, ...], ...]   # per statement, the rewriting rules that changed it, in order


class ShapeCache:
    """LRU: shape key -> (the positions, among the shape's literals, of those that are not filter
    values; per texts those literals had in the approved texts of this shape, the rules that
    rewrote its statements). A few variants per shape (e.g. different LIMITs); bounded like the
    verdict cache."""

    VARIANTS = 64

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple, tuple[tuple[int, ...], OrderedDict]] = OrderedDict()
        self._lock = threading.Lock()   # for remember's read-modify-write; a lookup is one dict get
        self.hits = 0

    def approves(self, key: tuple, shape: Shape) -> Rewrites | None:
        """The rewrites to replay when a text of this shape, with these non-filter literals, was
        approved (no rewriting rule: a tuple of empty tuples); None when it was not. This runs for
        every new text of a known shape: one dict lookup and a tuple."""
        entry = self._items.get(key)
        if entry is None:
            return None
        verbatim_at, variants = entry
        literals = shape.literals
        rewrites = variants.get(tuple([literals[i].text for i in verbatim_at]) if verbatim_at else ())
        if rewrites is None:
            return None
        try:
            self._items.move_to_end(key)
        except KeyError:   # evicted meanwhile by another session's remember
            pass
        self.hits += 1
        return rewrites

    def remember(self, key: tuple, shape: Shape, filter_starts: set[int], rewrites: Rewrites) -> None:
        """An approved text of this shape; filter_starts: offsets of its filter values; rewrites:
        the rules that rewrote each of its statements (replayed on the next text's own parse)."""
        if self.size <= 0:
            return
        verbatim_at = tuple(i for i, t in enumerate(shape.literals) if t.start not in filter_starts)
        with self._lock:
            entry = self._items.get(key)
            if entry is None or entry[0] != verbatim_at:
                entry = self._items[key] = (verbatim_at, OrderedDict())
            variants = entry[1]
            variants[tuple(shape.literals[i].text for i in verbatim_at)] = rewrites
            trim(variants, self.VARIANTS)
            self._items.move_to_end(key)
            trim(self._items, self.size)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
