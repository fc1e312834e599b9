"""The shared warehouse: a directory of Parquet tables, one folder per table, that DuckDB
(read_parquet('dir/*.parquet') views) and Spark (parquet temp views) both read.

askgres writes tables here itself with pyarrow (ingest: synthesize, COPY FROM, Arrow
streams), one file per `file_rows` rows so that Spark reads a large table in parallel;
Spark writes here too (CREATE TABLE AS, INSERT on Spark). Files appear atomically: written
under a hidden name, then renamed.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from pathlib import Path
from typing import Iterable

import pyarrow as pa
import pyarrow.parquet as pq

from .errors import SparkError

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]*$")


def _check_name(name: str) -> str:
    if not _NAME.match(name) or name.startswith("_"):
        raise SparkError(f'invalid warehouse table name "{name}"', "42602")
    return name.lower()


class Warehouse:
    def __init__(self, root: str | Path, file_rows: int = 10_000_000) -> None:
        self.root = Path(root).resolve()
        self.file_rows = file_rows
        self.root.mkdir(parents=True, exist_ok=True)

    def path(self, name: str) -> Path:
        return self.root / _check_name(name)

    @staticmethod
    def files(folder: Path) -> list[Path]:
        try:
            return sorted(p for p in folder.iterdir() if p.suffix == ".parquet" and p.is_file()
                          and not p.name.startswith((".", "_")))
        except OSError:
            return []

    def tables(self) -> dict[str, Path]:
        """{table name: folder} for every folder holding at least one Parquet file."""
        found: dict[str, Path] = {}
        for entry in sorted(self.root.iterdir()):
            if entry.is_dir() and _NAME.match(entry.name) and not entry.name.startswith("_") \
                    and self.files(entry):
                found[entry.name.lower()] = entry
        return found

    def exists(self, name: str) -> bool:
        return bool(self.files(self.path(name)))

    def signature(self, name: str) -> tuple:
        """Changes whenever the table's files change (so cached views get refreshed)."""
        out = []
        for f in self.files(self.path(name)):
            st = f.stat()
            out.append((f.name, st.st_size, st.st_mtime_ns))
        return tuple(out)

    def rows(self, name: str) -> int:
        """Row count from the Parquet footers (no data read)."""
        return sum(pq.ParquetFile(f).metadata.num_rows for f in self.files(self.path(name)))

    def sizes(self) -> dict[str, int]:
        return {name: self.rows(name) for name in self.tables()}

    def schema(self, name: str) -> pa.Schema:
        files = self.files(self.path(name))
        if not files:
            raise SparkError(f'relation "{name}" does not exist', "42P01")
        return pq.read_schema(files[0])

    def write(self, name: str, batches: pa.RecordBatchReader | Iterable[pa.RecordBatch], *,
              schema: pa.Schema | None = None, mode: str = "append") -> int:
        """Write batches as new Parquet files of table `name`; mode 'create' fails if the table
        exists, 'replace' swaps the whole table, 'append' adds files. Returns rows written."""
        folder = self.path(name)
        if mode == "create" and self.exists(name):
            raise SparkError(f'relation "{name}" already exists', "42P07")
        if isinstance(batches, pa.RecordBatchReader):
            schema = batches.schema
        if schema is None:
            raise ValueError("schema is required for an iterable of batches")
        staging = self.root / f".staging-{name}-{uuid.uuid4().hex}"
        staging.mkdir()
        total = 0
        try:
            total = self._write_files(staging, schema, batches)
            if mode == "append" and folder.exists():
                for f in self.files(staging):
                    os.replace(f, folder / f.name)
            else:
                if folder.exists():
                    old = self.root / f".old-{name}-{uuid.uuid4().hex}"
                    os.replace(folder, old)
                    os.replace(staging, folder)
                    shutil.rmtree(old, ignore_errors=True)
                else:
                    os.replace(staging, folder)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return total

    def _write_files(self, staging: Path, schema: pa.Schema,
                     batches: Iterable[pa.RecordBatch]) -> int:
        total, in_file, writer = 0, 0, None
        prefix = uuid.uuid4().hex[:12]
        try:
            for batch in batches:
                while batch.num_rows:
                    if writer is None or in_file >= self.file_rows:
                        if writer is not None:
                            writer.close()
                        index = total // self.file_rows
                        writer = pq.ParquetWriter(staging / f"part-{index:05d}-{prefix}.parquet", schema)
                        in_file = 0
                    take = min(batch.num_rows, self.file_rows - in_file)
                    writer.write_batch(batch.slice(0, take))
                    batch = batch.slice(take)
                    in_file += take
                    total += take
            if writer is None:  # an empty table still has its schema on disk
                pq.write_table(schema.empty_table(), staging / f"part-00000-{prefix}.parquet")
        finally:
            if writer is not None:
                writer.close()
        return total

    def drop(self, name: str) -> bool:
        folder = self.path(name)
        if not folder.exists():
            return False
        gone = self.root / f".dropped-{name}-{uuid.uuid4().hex}"
        os.replace(folder, gone)
        shutil.rmtree(gone, ignore_errors=True)
        return True
