"""One walk per statement: every node of the AST listed once, looked up by type by every rule.

Each rule used to walk the tree itself (find_all), a dozen walks or more per statement; sqlglot's
walk is the costliest part of a cold check. NodeIndex walks once, in the order find_all uses
(breadth first), and answers find_all(*types) from that list, caching each answer.
An index describes the tree as it was when built: a rule that rewrites a statement returns a new
tree, which gets its own index (Context.index keys it by identity).

`facts` holds what rules derive from the tree and share (a scope's sources, the column
references): it lives and dies with the index, so a rewrite that drops the index drops them too.
"""

from __future__ import annotations

import threading
from typing import Iterable

from sqlglot import exp

_Expr = exp.Expr

# The node classes met so far, and for each tuple of types find_all was asked for, those of
# them that match it (issubclass). A statement whose classes are all known answers find_all by a
# set intersection; a class seen for the first time is added to every set it matches first.
_KNOWN: set[type] = set()
_MATCHING: dict[tuple[type, ...], set[type]] = {}
_LOCK = threading.Lock()


def _learn(classes: Iterable[type]) -> None:
    with _LOCK:
        for cls in set(classes) - _KNOWN:
            for types, matching in _MATCHING.items():
                if issubclass(cls, types):
                    matching.add(cls)
            _KNOWN.add(cls)   # last: a known class is in every set it belongs to


def _matching(types: tuple[type, ...]) -> set[type]:
    with _LOCK:
        matching = _MATCHING.get(types)
        if matching is None:
            matching = _MATCHING[types] = {cls for cls in _KNOWN if issubclass(cls, types)}
        return matching


def walk(root: exp.Expr) -> list[exp.Expr]:
    """Every node under root, root first, breadth first, in the order of sqlglot's bfs()."""
    nodes = [root]
    append = nodes.append
    for node in nodes:   # iterating a list also visits what is appended meanwhile: a queue
        for value in node.args.values():
            if isinstance(value, _Expr):
                append(value)
            elif type(value) is list:
                for v in value:
                    if isinstance(v, _Expr):
                        append(v)
    return nodes


class NodeIndex:
    __slots__ = ("root", "_nodes", "facts", "_by_class", "_found", "_stale")

    def __init__(self, root: exp.Expr) -> None:
        self.root = root
        self._nodes = walk(root)
        self.facts: dict = {}
        self._by_class: dict[type, list[int]] | None = None
        self._found: dict[tuple[type, ...], list[exp.Expr]] = {}
        self._stale: frozenset[type] = frozenset()

    @property
    def nodes(self) -> list[exp.Expr]:
        """Every node, in walk order."""
        if self._stale:
            self._rewalk()
        return self._nodes

    def _rewalk(self) -> None:
        self._nodes = walk(self.root)
        self._by_class = None
        self._found = {}
        self._stale = frozenset()

    def forget(self, classes: Iterable[type]) -> None:
        """The tree was changed in place, and the nodes it gained or lost are all of `classes`
        (say, masking swapped columns for MD5(...) expressions). The nodes of every other class
        are the same, in the same order, so find_all still answers for them from this walk; a
        question about `classes` walks the tree again. What rules derived from it (facts) goes."""
        classes = frozenset(classes)
        if not classes.issubset(_KNOWN):
            _learn(classes)
        self._stale |= classes
        self._found = {types: found for types, found in self._found.items()
                       if _MATCHING[types].isdisjoint(self._stale)}
        self.facts = {}

    def _positions(self) -> dict[type, list[int]]:
        """Node class -> positions of its nodes in walk order (one pass, on first lookup)."""
        by_class: dict[type, list[int]] = {}
        for i, node in enumerate(self._nodes):
            positions = by_class.get(type(node))
            if positions is None:
                by_class[type(node)] = [i]
            else:
                positions.append(i)
        if not by_class.keys() <= _KNOWN:
            _learn(by_class)
        self._by_class = by_class
        return by_class

    def find_all(self, *types: type) -> list:
        """Like root.find_all(*types), as a list (do not change it)."""
        found = self._found.get(types)
        if found is not None:
            return found
        by_class = self._by_class if self._by_class is not None else self._positions()
        matching = _MATCHING.get(types)
        if matching is None:
            matching = _matching(types)
        if self._stale and not matching.isdisjoint(self._stale):
            self._rewalk()   # asks about what a rewrite changed
            by_class = self._positions()
        classes = by_class.keys() & matching
        nodes = self._nodes
        if not classes:
            found = []
        elif len(classes) == 1:
            found = [nodes[i] for i in by_class[classes.pop()]]
        else:   # several classes: back to walk order
            found = [nodes[i] for i in sorted([i for cls in classes for i in by_class[cls]])]
        self._found[types] = found
        return found

    def has(self, *types: type) -> bool:
        return bool(self.find_all(*types))


def index_of(stmt: exp.Expr, index: NodeIndex | None) -> NodeIndex:
    """`index` when it describes `stmt`, else a fresh one (helpers called with or without one)."""
    return index if index is not None and index.root is stmt else NodeIndex(stmt)
