"""What the guard knows besides the statement: the catalog (columns, sizes, views, detected PII)
and the request (source, user, question). The proxy fills these from the engine; the guard
never asks an engine itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import cached_property, lru_cache
from typing import Iterable, Mapping, Sequence

from sqlglot import exp

from .nodes import NodeIndex

SYSTEM_SCHEMAS = frozenset({"pg_catalog", "information_schema"})


@dataclass(frozen=True, eq=False)
class Catalog:
    """Names are `schema.table` (and `schema.table.column`), lower-case unless quoted.

    columns:    table -> its column names in order (lets the guard expand `*` and resolve
                unqualified columns; without it the guard is conservative).
    table_rows: table -> estimated row count (for the cross-join limit).
    views:      view -> its defining SELECT (so access is checked through the view).
    pii:        `schema.table.column` -> kind found by detect_pii ('email', 'phone', ...).
    default_schema: where unqualified tables live (the first search_path schema).
    """

    columns: Mapping[str, Sequence[str]] = field(default_factory=dict)
    table_rows: Mapping[str, int] = field(default_factory=dict)
    views: Mapping[str, str] = field(default_factory=dict)
    pii: Mapping[str, str] = field(default_factory=dict)
    default_schema: str = "public"

    @cached_property
    def fingerprint(self) -> int:
        """Identifies the content in verdict cache keys (computed once per Catalog)."""
        return hash((
            tuple(sorted((k, tuple(v)) for k, v in self.columns.items())),
            tuple(sorted(self.table_rows.items())), tuple(sorted(self.views.items())),
            tuple(sorted(self.pii.items())), self.default_schema,
        ))

    def qualify(self, schema: str | None, table: str) -> str:
        return f"{schema or self.default_schema}.{table}"

    def columns_of(self, table: str) -> Sequence[str] | None:
        return self.columns.get(table)

    @cached_property
    def _column_sets(self) -> dict[str, frozenset[str]]:
        return {table: frozenset(c.lower() for c in cols) for table, cols in self.columns.items()}

    def column_set(self, table: str) -> frozenset[str] | None:
        """The table's lower-case column names (None when unknown)."""
        return self._column_sets.get(table)

    def rows_of(self, table: str) -> int | None:
        return self.table_rows.get(table)

    @classmethod
    def coerce(cls, schema: Catalog | Mapping | None) -> Catalog:
        """Accepts a Catalog, or a plain mapping table -> columns (sequence or mapping)."""
        if schema is None:
            return EMPTY_CATALOG
        if isinstance(schema, Catalog):
            return schema
        return cls(columns={k: list(v) for k, v in schema.items()})


EMPTY_CATALOG = Catalog()


@dataclass
class Context:
    """Per-check facts handed to every rule. `notes` collects what rewrites did (for a NOTICE)."""

    catalog: Catalog = EMPTY_CATALOG
    source: str = "typed"
    user: str | None = None
    question: str | None = None
    hash_salt: str = ""
    notes: list[str] = field(default_factory=list)
    rules_applied: list[str] = field(default_factory=list)
    owned: bool = False   # the statement is the check's own parse: rules may rewrite it in place
    # The rules run because they rewrote an approved text of the same shape (guard/shapes.py):
    # what they found of its structure, which that shape fixes, holds here too.
    replay: bool = False
    _index: NodeIndex | None = field(default=None, repr=False)
    _touched: frozenset[type] | None = field(default=None, repr=False)

    def index(self, stmt: exp.Expr) -> NodeIndex:
        """The nodes of `stmt`, walked once and shared by the rules (rebuilt for a rewrite)."""
        if self._index is None or self._index.root is not stmt:
            self._index = NodeIndex(stmt)
        return self._index

    def rewrote_in_place(self, stmt: exp.Expr, classes: Iterable[type]) -> None:
        """For a rule that changed `stmt` itself: every node it added or removed is of `classes`
        (so changed() keeps the index for the other classes instead of a new walk)."""
        if self._index is not None and self._index.root is stmt:
            self._touched = frozenset(classes)

    def changed(self) -> None:
        """A rule rewrote the statement (perhaps in place): its nodes must be walked again, but
        for the classes an in-place rewrite left alone (rewrote_in_place)."""
        if self._touched is not None and self._index is not None:
            self._index.forget(self._touched)
        else:
            self._index = None
        self._touched = None


@lru_cache(maxsize=65536)
def covers(pattern: str, parts: tuple[str, ...]) -> bool:
    """Whether a dotted glob pattern covers the object named by `parts` (schema, table[,
    column]): each pattern part matches the object's part; a shorter pattern covers all below."""
    pat = pattern.lower().split(".")
    if len(pat) > len(parts):
        return False
    return all(fnmatchcase(p.lower(), q) for p, q in zip(parts, pat))


@lru_cache(maxsize=65536)
def touches(pattern: str, parts: tuple[str, ...]) -> bool:
    """Like covers(), but a longer pattern (a column pattern for a table) also counts."""
    pat = pattern.lower().split(".")
    return all(fnmatchcase(p.lower(), q) for p, q in zip(parts, pat))
