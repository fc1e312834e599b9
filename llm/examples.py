"""Verified question/SQL examples, retrieved by BM25 similarity of the questions.

Users add examples with teach(); each is checked by the caller's read-only check and executed
once before it is stored. The store persists to a JSON file when one is configured.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
import threading
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Iterable

from .errors import ExampleRejected
from .text import stem, terms

# Words that decide the shape of a query rather than its tables (stemmed like terms()).
STRUCTURAL = frozenset(stem(w) for w in """how many number count average mean total sum maximum max minimum min most
least highest lowest largest smallest biggest oldest youngest top each per every different distinct unique not
without never no both also either or and all any more less than greater fewer above below over under between
before after order ordered sort sorted ascending descending alphabetical first last only at least share common
percentage ratio same exist have has do does""".split())


@dataclass(frozen=True)
class Example:
    question: str
    sql: str
    database: str = ""   # where it was verified; retrieval can exclude a database (hold-out)


class ExampleStore:
    def __init__(self, examples: Iterable[Example] = (), path: Path | None = None) -> None:
        self.path = Path(path) if path else None
        self._lock = threading.Lock()
        self._examples: list[Example] = list(examples)
        if self.path and self.path.is_file():
            self._examples += [Example(**e) for e in json.loads(self.path.read_text())]
        self._reindex()

    def __len__(self) -> int:
        return len(self._examples)

    def _reindex(self) -> None:
        self._docs = [Counter(terms(e.question, drop_stopwords=False)) for e in self._examples]
        self._lens = [sum(d.values()) for d in self._docs]
        self._avg = (sum(self._lens) / len(self._lens)) if self._lens else 1.0
        df: Counter = Counter()
        for d in self._docs:
            df.update(d.keys())
        n = len(self._docs)
        self._idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def add(self, example: Example) -> None:
        with self._lock:
            self._examples.append(example)
            self._reindex()
            self._save()

    def _save(self) -> None:
        if not self.path:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
        with os.fdopen(fd, "w") as f:
            json.dump([asdict(e) for e in self._examples], f, indent=1)
        os.replace(tmp, self.path)

    def search(self, question: str, k: int, *, database: str | None = None, exclude_database: str | None = None,
               exclude_question: str | None = None, other_databases: bool = True) -> list[Example]:
        """The k most similar examples (BM25, k1=1.2, b=0.75).

        Examples verified on `database` (or on no named database) match on every word; examples
        from other databases match only on words that shape a query ("how many", "each", "most",
        "not", "both"...), since their table and column words mean other things there; with
        other_databases=False they are not retrieved at all.
        """
        if k <= 0 or not self._examples:
            return []
        q = set(terms(question, drop_stopwords=False))
        q_struct = q & STRUCTURAL
        scored = []
        for i, (e, d, ln) in enumerate(zip(self._examples, self._docs, self._lens)):
            if exclude_database is not None and e.database == exclude_database:
                continue
            if exclude_question is not None and e.question == exclude_question:
                continue
            same = not e.database or e.database == database
            if not same and not other_databases:
                continue
            s = sum(self._idf.get(t, 0) * d[t] * 2.2 / (d[t] + 1.2 * (0.25 + 0.75 * ln / self._avg))
                    for t in (q if same else q_struct) if t in d)
            if s > 0:
                scored.append((-s, i))
        scored.sort()
        out: list[Example] = []
        for _, i in scored:   # paraphrases share their SQL: show k different queries
            if len(out) == k:
                break
            if all(e.sql != self._examples[i].sql for e in out):
                out.append(self._examples[i])
        return out


def teach(store: ExampleStore, question: str, sql: str, *, check: Callable, run: Callable,
          database: str = "") -> Example:
    """Verify (read-only check, then one execution) and store a question/SQL pair."""
    question = question.strip()
    if not question or not sql.strip():
        raise ExampleRejected("teach() needs a question and its SQL")
    try:
        tree = check(sql)
        run(tree.sql(dialect="postgres"))
    except Exception as e:  # noqa: BLE001 - any failure means the example is not verified
        raise ExampleRejected(f"example not stored: {getattr(e, 'message', e)}") from e
    example = Example(question, tree.sql(dialect="postgres"), database)
    store.add(example)
    return example
