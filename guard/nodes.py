"""One walk per statement: every node of the AST listed once, looked up by type by every rule.

Each rule used to walk the tree itself (find_all), a dozen walks or more per statement; sqlglot's
walk is the costliest part of a cold check. NodeIndex walks once, in the order find_all uses
(breadth first), and answers find_all(*types) from that list, caching each answer.
An index describes the tree as it was when built: a rule that rewrites a statement returns a new
tree, which gets its own index (Context.index keys it by identity).
"""

from __future__ import annotations

from sqlglot import exp


def walk(root: exp.Expr) -> list[exp.Expr]:
    """Every node under root, root first, breadth first, in the order of sqlglot's bfs()."""
    nodes = [root]
    append = nodes.append
    i = 0
    while i < len(nodes):
        for value in nodes[i].args.values():
            if type(value) is list:
                for v in value:
                    if isinstance(v, exp.Expr):
                        append(v)
            elif isinstance(value, exp.Expr):
                append(value)
        i += 1
    return nodes


class NodeIndex:
    __slots__ = ("root", "nodes", "_classes", "_found")

    def __init__(self, root: exp.Expr) -> None:
        self.root = root
        self.nodes = walk(root)
        self._classes: set[type] | None = None
        self._found: dict[tuple[type, ...], list[exp.Expr]] = {}

    def find_all(self, *types: type) -> list:
        """Like root.find_all(*types), as a list (do not change it)."""
        found = self._found.get(types)
        if found is None:
            # match the few classes present once, then filter by exact class (a set lookup
            # instead of an isinstance against every type, for every node)
            if self._classes is None:
                self._classes = set(map(type, self.nodes))
            match = {cls for cls in self._classes if issubclass(cls, types)}
            found = self._found[types] = [n for n in self.nodes if type(n) in match] if match else []
        return found

    def has(self, *types: type) -> bool:
        return bool(self.find_all(*types))


def index_of(stmt: exp.Expr, index: NodeIndex | None) -> NodeIndex:
    """`index` when it describes `stmt`, else a fresh one (helpers called with or without one)."""
    return index if index is not None and index.root is stmt else NodeIndex(stmt)
