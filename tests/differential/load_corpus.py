"""Reads the differential corpus: .sql files in corpus/, each query introduced by a
`-- name: <id>` line and optionally marked `-- xfail: <reason>` (a known gap on every
target) or `-- xfail(<target>): <reason>` (a gap on that target only)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlglot
from sqlglot import exp

HERE = Path(__file__).parent
CORPUS_DIR = HERE / "corpus"
SETUP_SQL = HERE / "setup.sql"


@dataclass(frozen=True)
class CorpusQuery:
    topic: str
    name: str
    sql: str
    xfail: dict[str, str]  # target ("*" for all) -> reason

    @property
    def id(self) -> str:
        return f"{self.topic}:{self.name}"

    def xfail_reason(self, target: str) -> str | None:
        return self.xfail.get(target) or self.xfail.get("*")

    @property
    def ordered(self) -> bool:
        """Rows compare in order only when the outermost query has an ORDER BY."""
        tree = sqlglot.parse_one(self.sql, read="postgres")
        return isinstance(tree, exp.Query) and tree.args.get("order") is not None


def _blocks(text: str, marker: str) -> list[tuple[str, list[str]]]:
    """Split a fixture into (header value, lines) blocks at each `-- <marker>` line."""
    blocks: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(f"-- {marker}"):
            blocks.append((stripped[len(f"-- {marker}"):].lstrip(":").strip(), []))
        elif blocks:
            blocks[-1][1].append(line)
    return blocks


def _body(lines: list[str]) -> str:
    return "\n".join(line for line in lines if not line.strip().startswith("--")).strip().rstrip(";")


def _xfails(lines: list[str]) -> dict[str, str]:
    marks: dict[str, str] = {}
    for line in (raw.strip() for raw in lines):
        if line.startswith("-- xfail:"):
            marks["*"] = line[len("-- xfail:"):].strip()
        elif line.startswith("-- xfail(") and "):" in line:
            target, reason = line[len("-- xfail("):].split("):", 1)
            marks[target.strip()] = reason.strip()
    return marks


def load_corpus() -> list[CorpusQuery]:
    queries: list[CorpusQuery] = []
    for path in sorted(CORPUS_DIR.glob("*.sql")):
        for name, lines in _blocks(path.read_text(), "name"):
            queries.append(CorpusQuery(path.stem, name, _body(lines), _xfails(lines)))
    return queries


def setup_statements() -> list[str]:
    return [_body(lines) for _, lines in _blocks(SETUP_SQL.read_text(), "statement")]
