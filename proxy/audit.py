"""The audit log: one JSON line per statement (typed, asked, synthesize or catalog), with the
guard's verdict. The guard builds the records (guard.audit_record); writing them is I/O, so it
happens here."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from askgres.guard.audit import audit_record


class AuditLog:
    def __init__(self, path: str | None) -> None:
        self.path = Path(path) if path else None
        self._lock = threading.Lock()
        self._file = None
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = self.path.open("a", encoding="utf-8", buffering=1)  # line buffered

    @property
    def enabled(self) -> bool:
        return self._file is not None

    def write(self, **fields) -> None:
        if self._file is None:
            return
        line = json.dumps(audit_record(**fields), default=str, ensure_ascii=False)
        with self._lock:
            self._file.write(line + "\n")

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
