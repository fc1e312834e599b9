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

from sqlglot import exp

_Expr = exp.Expr

# find_all's types -> {node class: whether it matches}, filled as classes are met (the set of
# type tuples the rules ask about and of node classes is small and fixed).
_MATCHES: dict[tuple[type, ...], dict[type, bool]] = {}


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
    __slots__ = ("root", "nodes", "facts", "_by_class", "_found")

    def __init__(self, root: exp.Expr) -> None:
        self.root = root
        self.nodes = walk(root)
        self.facts: dict = {}
        self._by_class: dict[type, list[int]] | None = None
        self._found: dict[tuple[type, ...], list[exp.Expr]] = {}

    def _positions(self) -> dict[type, list[int]]:
        """Node class -> positions of its nodes in walk order (one pass, on first lookup)."""
        by_class: dict[type, list[int]] = {}
        for i, node in enumerate(self.nodes):
            positions = by_class.get(type(node))
            if positions is None:
                by_class[type(node)] = [i]
            else:
                positions.append(i)
        self._by_class = by_class
        return by_class

    def find_all(self, *types: type) -> list:
        """Like root.find_all(*types), as a list (do not change it)."""
        found = self._found.get(types)
        if found is not None:
            return found
        by_class = self._by_class if self._by_class is not None else self._positions()
        matches = _MATCHES.get(types)
        if matches is None:
            matches = _MATCHES[types] = {}
        hits = []
        for cls, positions in by_class.items():
            match = matches.get(cls)
            if match is None:
                match = matches[cls] = issubclass(cls, types)
            if match:
                hits.append(positions)
        nodes = self.nodes
        if not hits:
            found = []
        elif len(hits) == 1:
            found = [nodes[i] for i in hits[0]]
        else:   # several classes: back to walk order
            found = [nodes[i] for i in sorted([i for positions in hits for i in positions])]
        self._found[types] = found
        return found

    def has(self, *types: type) -> bool:
        return bool(self.find_all(*types))


def index_of(stmt: exp.Expr, index: NodeIndex | None) -> NodeIndex:
    """`index` when it describes `stmt`, else a fresh one (helpers called with or without one)."""
    return index if index is not None and index.root is stmt else NodeIndex(stmt)
