"""SchemaContext: what the model is told about the database (tables, columns, keys, samples).

The caller builds it from its catalog (from_dict is the plain-data form); the evaluation builds it
from a SQLite file. The fingerprint keys the cache: any change in the schema changes it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Mapping


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "TEXT"
    primary_key: bool = False
    samples: tuple[Any, ...] = ()


@dataclass(frozen=True)
class ForeignKey:
    columns: tuple[str, ...]
    ref_table: str
    ref_columns: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    description: str = ""

    def column(self, name: str) -> Column | None:
        low = name.lower()
        return next((c for c in self.columns if c.name.lower() == low), None)


@dataclass(frozen=True)
class SchemaContext:
    tables: tuple[Table, ...]
    database: str = ""
    _fingerprint: str = field(default="", compare=False, repr=False)

    @property
    def fingerprint(self) -> str:
        if not self._fingerprint:
            canon = json.dumps(self.to_dict(), sort_keys=True, default=str).encode()
            object.__setattr__(self, "_fingerprint", hashlib.sha256(canon).hexdigest()[:16])
        return self._fingerprint

    def table(self, name: str) -> Table | None:
        low = name.lower()
        return next((t for t in self.tables if t.name.lower() == low), None)

    @cached_property
    def column_names(self) -> dict[str, frozenset[str]]:
        """Lower-cased table name -> its lower-cased column names (the checks and fixes' lookup)."""
        return {t.name.lower(): frozenset(c.name.lower() for c in t.columns) for t in self.tables}

    def to_dict(self) -> dict:
        return {"database": self.database, "tables": [asdict(t) for t in self.tables]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "SchemaContext":
        """Plain data -> SchemaContext. Accepts either

        {"tables": {"orders": {"columns": {"id": "integer", "customer_id": "integer"},
                               "primary_key": ["id"],
                               "foreign_keys": [{"columns": ["customer_id"], "ref_table": "customers",
                                                 "ref_columns": ["id"]}],
                               "samples": {"status": ["open", "closed"]}}}}
        or the to_dict() form (a list of tables with column dicts).
        """
        tables_in = data.get("tables", {})
        tables: list[Table] = []
        items = tables_in.items() if isinstance(tables_in, Mapping) else ((t["name"], t) for t in tables_in)
        for tname, spec in items:
            pk = {c.lower() for c in spec.get("primary_key", ())}
            samples = spec.get("samples", {})
            cols_in = spec.get("columns", {})
            columns = []
            if isinstance(cols_in, Mapping):
                for cname, ctype in cols_in.items():
                    columns.append(Column(cname, str(ctype), cname.lower() in pk, tuple(samples.get(cname, ()))))
            else:
                for c in cols_in:
                    columns.append(Column(c["name"], c.get("type", "TEXT"),
                                          bool(c.get("primary_key")) or c["name"].lower() in pk,
                                          tuple(c.get("samples", ()))))
            fks = tuple(ForeignKey(tuple(fk["columns"]), fk["ref_table"], tuple(fk["ref_columns"]))
                        for fk in spec.get("foreign_keys", ()))
            tables.append(Table(tname, tuple(columns), fks, spec.get("description", "")))
        return cls(tuple(tables), data.get("database", ""))

    @classmethod
    def from_sqlite(cls, path: str | Path, samples: int = 3) -> "SchemaContext":
        """Read a SQLite file's catalog (tables, columns, keys) and a few distinct sample values."""
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        con.text_factory = lambda b: b.decode("utf-8", "replace")
        try:
            names = [r[0] for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid")]
            tables = []
            for t in names:
                q = '"' + t.replace('"', '""') + '"'
                columns = []
                for _, cname, ctype, _, _, pk in con.execute(f"PRAGMA table_info({q})"):
                    vals: tuple = ()
                    if samples:
                        cq = '"' + cname.replace('"', '""') + '"'
                        vals = tuple(r[0] for r in con.execute(
                            f"SELECT DISTINCT {cq} FROM {q} WHERE {cq} IS NOT NULL LIMIT {int(samples)}"))
                    columns.append(Column(cname, (ctype or "TEXT").upper(), bool(pk), vals))
                fkmap: dict[int, tuple[str, list, list]] = {}
                for row in con.execute(f"PRAGMA foreign_key_list({q})"):
                    fid, _, ref_table, from_col, to_col = row[:5]
                    entry = fkmap.setdefault(fid, (ref_table, [], []))
                    entry[1].append(from_col)
                    entry[2].append(to_col)
                fks = []
                for ref_table, frm, to in fkmap.values():
                    # SQLite allows "REFERENCES t" without columns: that means t's primary key.
                    to = [c for c in to if c] or [c for c in frm]
                    fks.append(ForeignKey(tuple(frm), ref_table, tuple(to)))
                tables.append(Table(t, tuple(columns), tuple(fks)))
            return cls(tuple(tables), Path(path).stem)
        finally:
            con.close()
