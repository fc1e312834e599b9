"""Shared helpers of the synth unit tests."""

from __future__ import annotations

import pyarrow as pa

from askgres.synth import generate
from askgres.synth.spec import from_dict


def collect(spec, **kw) -> dict[str, pa.Table]:
    out: dict[str, list] = {}
    for name, batch in generate(spec, **kw):
        out.setdefault(name, []).append(batch)
    return {n: pa.Table.from_batches(b) for n, b in out.items()}


def one_table(columns: list[dict], rows: int = 20_000, seed: int = 1, **extra):
    return from_dict({"seed": seed, "tables": [{"name": "t", "rows": rows, "columns": columns, **extra}]})


