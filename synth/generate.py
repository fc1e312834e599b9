"""Streaming generation: parents before children, one record batch at a time, optionally on a
pool of threads or processes. Batches are pure functions of (spec, seed, table, row range), so
the output is byte-identical for any batch size or worker count."""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing as mp
import threading
from collections import deque
from typing import Iterator

import pyarrow as pa

from .checks import check_feasible
from .errors import GenerationCancelled
from .plan import SpecPlan, arrow_schema
from .spec import Spec


def generate(spec: Spec, *, seed: int | None = None, batch_rows: int = 1 << 18, tables: list[str] | None = None,
             workers: int = 1, cancel: threading.Event | None = None,
             dictionary: bool = True, processes: bool = False) -> Iterator[tuple[str, pa.RecordBatch]]:
    """Yield (table, batch) for every table in dependency order (all of a table, then the next).
    Checks feasibility first, so an impossible spec fails before any row exists.
    dictionary=True emits vocabulary columns (names, cities, categories) as dictionary<int32, string>;
    False casts them to plain strings. workers > 1 generates batches in parallel: threads by
    default (NumPy/pyarrow release the GIL), processes=True for a forkserver process pool."""
    check_feasible(spec)
    sp = SpecPlan(spec, spec.seed if seed is None else seed, dictionary)
    names = [n for n in sp.order if tables is None or n in tables]
    pool = _pool(spec, sp.seed, workers, dictionary, processes) if workers > 1 else None
    try:
        for name in names:
            for batch in _batches(sp, name, batch_rows, pool, workers, cancel):
                yield name, batch
    finally:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


def table_reader(spec: Spec, table: str, *, seed: int | None = None, batch_rows: int = 1 << 18, workers: int = 1,
                 cancel: threading.Event | None = None, dictionary: bool = True,
                 processes: bool = False) -> pa.RecordBatchReader:
    """One table as a RecordBatchReader (for EngineSession.ingest or DuckDB `FROM reader`).
    Feasibility is checked here, eagerly, so the error keeps its SQLSTATE instead of surfacing
    from inside the engine's scan. A cancel (or any error) midway surfaces from the reader."""
    check_feasible(spec)
    it = (b for _, b in generate(spec, seed=seed, batch_rows=batch_rows, tables=[table], workers=workers,
                                 cancel=cancel, dictionary=dictionary, processes=processes))
    return pa.RecordBatchReader.from_batches(arrow_schema(spec, table, dictionary), it)


def table_order(spec: Spec) -> list[str]:
    """Tables in the order they must be created (parents first)."""
    from .checks import table_order as order
    return order(spec)


def _ranges(total: int, batch_rows: int) -> Iterator[tuple[int, int]]:
    for start in range(0, total, batch_rows):
        yield start, min(start + batch_rows, total)


def _batches(sp: SpecPlan, name: str, batch_rows: int, pool, workers: int,
             cancel: threading.Event | None) -> Iterator[pa.RecordBatch]:
    plan = sp.tables[name]
    if plan.t.rows == 0:
        return
    if pool is None:
        for lo, hi in _ranges(plan.t.rows, batch_rows):
            if cancel is not None and cancel.is_set():
                raise GenerationCancelled("synthesize cancelled")
            yield plan.batch(lo, hi)
        return
    pending: deque = deque()
    for lo, hi in _ranges(plan.t.rows, batch_rows):
        if isinstance(pool, _ThreadPool):
            pending.append(pool.submit(plan.batch, lo, hi))
        else:
            pending.append(pool.submit(_worker_batch, name, lo, hi))
        if len(pending) >= 2 * workers:  # bounded memory: a few batches in flight
            yield _take(pending, cancel)
    while pending:
        yield _take(pending, cancel)


def _take(pending: deque, cancel: threading.Event | None) -> pa.RecordBatch:
    if cancel is not None and cancel.is_set():
        for f in pending:
            f.cancel()
        raise GenerationCancelled("synthesize cancelled")
    return pending.popleft().result()


# ---- worker processes -----------------------------------------------------------------------

_PLAN: SpecPlan | None = None


def _init_worker(spec_json: str, seed: int, dictionary: bool) -> None:
    global _PLAN
    _PLAN = SpecPlan(Spec.model_validate_json(spec_json), seed, dictionary)


def _worker_batch(table: str, lo: int, hi: int) -> pa.RecordBatch:
    return _PLAN.tables[table].batch(lo, hi)


def _pool(spec: Spec, seed: int, workers: int, dictionary: bool, processes: bool):
    if not processes:  # NumPy and pyarrow kernels release the GIL: threads share the plan, no IPC
        return _ThreadPool(workers)
    # forkserver: the caller may hold threads (DuckDB, asyncio) that fork would copy mid-flight
    return cf.ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("forkserver"),
                                  initializer=_init_worker, initargs=(spec.model_dump_json(), seed, dictionary))


class _ThreadPool(cf.ThreadPoolExecutor):
    def __init__(self, workers: int) -> None:
        super().__init__(max_workers=workers, thread_name_prefix="synth")
        self.plan: SpecPlan | None = None
