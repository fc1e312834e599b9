"""Helpers for the callers (proxy `CALL synthesize`, `askgres synth` CLI): scaling a spec to a
row count, progress callbacks around a reader, Parquet output."""

from __future__ import annotations

import os
import threading
import time
from typing import Callable, Iterator

import pyarrow as pa

from .checks import table_order
from .generate import table_reader
from .plan import arrow_schema
from .spec import Spec, from_dict

Progress = Callable[[str, int, int, float], None]  # (table, rows done, rows total, seconds so far)


def scale_rows(spec: Spec, total_rows: int) -> Spec:
    """The same spec with every table's rows scaled so they add up to about `total_rows`
    (proportions, and so min/max children per parent, are kept)."""
    now = sum(t.rows for t in spec.tables) or 1
    data = spec.model_dump()
    for t in data["tables"]:
        t["rows"] = max(1, round(t["rows"] * total_rows / now))
    return from_dict(data)


def with_progress(reader: pa.RecordBatchReader, table: str, total: int, progress: Progress,
                  every_s: float = 1.0) -> pa.RecordBatchReader:
    """Wrap a reader so `progress` is called at most every `every_s` seconds and at the end."""
    def batches() -> Iterator[pa.RecordBatch]:
        t0 = last = time.perf_counter()
        done = 0
        for b in reader:
            done += b.num_rows
            yield b
            now = time.perf_counter()
            if now - last >= every_s:
                progress(table, done, total, now - t0)
                last = now
        progress(table, done, total, time.perf_counter() - t0)
    return pa.RecordBatchReader.from_batches(reader.schema, batches())


def write_parquet(spec: Spec, out_dir: str, *, seed: int | None = None, workers: int = 1,
                  batch_rows: int = 1 << 18, progress: Progress | None = None,
                  cancel: threading.Event | None = None) -> dict[str, int]:
    """One Parquet file per table (written to a temporary name, renamed when complete)."""
    import pyarrow.parquet as pq

    os.makedirs(out_dir, exist_ok=True)
    counts = {}
    for name in table_order(spec):
        total = spec.table(name).rows
        reader = table_reader(spec, name, seed=seed, workers=workers, batch_rows=batch_rows, cancel=cancel)
        if progress is not None:
            reader = with_progress(reader, name, total, progress)
        path = os.path.join(out_dir, f"{name}.parquet")
        tmp = path + ".partial"
        try:
            with pq.ParquetWriter(tmp, arrow_schema(spec, name)) as w:
                n = 0
                for b in reader:
                    w.write_batch(b)
                    n += b.num_rows
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.remove(tmp)
        counts[name] = n
    return counts
