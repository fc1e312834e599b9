"""DataRow encoding throughput: askgres's vectorised encoder beside two references measured
in the same run, as ratios.

    .venv/bin/python bench/bench_encode.py [--rows 1000000] [--batch 131072] [--repeat 3]

Shapes: "3col" (int8, float8, text: the issue's streaming benchmark, floats of 17 digits)
and "mixed" (int4, float8, float8 with 2 decimals, text, bool, date, timestamp, timestamptz,
numeric(12,2), with 10% NULLs).
References: a naive per-row encoder (struct.pack per cell, as a per-cell Python server
would do; measured on a slice and scaled) and pyarrow's CSV writer on the same batches
(a 'physical floor': Arrow's own C++ text formatting of the same values, without any
protocol framing).
"""

from __future__ import annotations

import argparse
import io
import os
import struct
import time

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from askgres.proxy.wire.datarow import encode_data_rows


def shape_3col(n: int, rng: np.random.Generator) -> pa.Table:
    return pa.table({
        "id": pa.array(np.arange(n, dtype=np.int64)),
        "value": pa.array(rng.random(n) * 1000),
        "name": pa.array([f"name_{i % 100_000}" for i in range(n)]),
    })


def shape_mixed(n: int, rng: np.random.Generator) -> pa.Table:
    nulls = rng.random(n) < 0.1
    ts = np.datetime64("2020-01-01T00:00:00", "us") + rng.integers(0, 10**14, n).astype("timedelta64[us]")
    return pa.table({
        "i4": pa.array(rng.integers(-(2**31), 2**31, n, dtype=np.int32), mask=nulls),
        "f8": pa.array(rng.normal(size=n) * 1e6, mask=nulls),
        "price": pa.array(np.round(rng.random(n) * 1000, 2)),
        "txt": pa.array([f"item {i % 5000} of the catalogue" for i in range(n)]),
        "flag": pa.array(rng.random(n) < 0.5),
        "day": pa.array(rng.integers(0, 20000, n, dtype=np.int32)).view(pa.date32()),
        "ts": pa.array(ts, pa.timestamp("us")),
        "tstz": pa.array(ts, pa.timestamp("us", "UTC")),
        "amount": pa.array(rng.integers(-(10**9), 10**9, n), pa.int64()).cast(pa.decimal128(19, 0)).cast(pa.decimal128(12, 0)).cast(pa.decimal128(12, 2)),
    })


_I32 = struct.Struct(">i")


def naive_encode(table: pa.Table, binary: bool) -> bytes:
    """One Python call per cell, as a per-cell server encodes rows."""
    out = []
    for row in zip(*(c.to_pylist() for c in table.columns)):
        parts = [b"D", b"", struct.pack(">h", len(row))]
        for v in row:
            if v is None:
                parts.append(b"\xff\xff\xff\xff")
                continue
            if binary and isinstance(v, int):
                payload = struct.pack(">q", v)
            elif binary and isinstance(v, float):
                payload = struct.pack(">d", v)
            else:
                payload = str(v).encode()
            parts.append(_I32.pack(len(payload)))
            parts.append(payload)
        body = b"".join(parts[2:])
        parts[1] = _I32.pack(len(body) + 4)
        out.append(b"".join(parts[:2]) + body)
    return b"".join(out)


def timed(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--batch", type=int, default=131_072, help="rows per record batch")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--naive-rows", type=int, default=100_000, help="rows the naive encoder runs on")
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    load = os.getloadavg()[0]
    print(f"rows={args.rows} batch={args.batch} best of {args.repeat}; "
          f"{os.cpu_count()} cores, load average {load:.1f} (others' work slows every column alike)")
    print(f"{'shape':6} {'format':6} {'askgres rows/s':>15} {'naive rows/s':>13} {'x naive':>8} "
          f"{'csv-writer rows/s':>18} {'vs csv':>7} {'MB/s':>7}")
    for name, make in (("3col", shape_3col), ("mixed", shape_mixed)):
        table = make(args.rows, rng)
        batches = table.to_batches(max_chunksize=args.batch)
        small = table.slice(0, min(args.naive_rows, args.rows))

        def csv_write():
            pacsv.write_csv(table, io.BytesIO())

        t_csv = timed(csv_write, args.repeat)
        for label, fmt in (("text", 0), ("binary", 1)):
            size = 0

            def encode():
                nonlocal size
                size = sum(len(encode_data_rows(b, [fmt])) for b in batches)

            t_ours = timed(encode, args.repeat)
            t_naive = timed(lambda: naive_encode(small, fmt == 1), 1) * args.rows / small.num_rows
            ours, naive, csv = args.rows / t_ours, args.rows / t_naive, args.rows / t_csv
            print(f"{name:6} {label:6} {ours:15,.0f} {naive:13,.0f} {ours / naive:7.1f}x "
                  f"{csv:18,.0f} {ours / csv:6.2f}x {size / t_ours / 1e6:7.0f}")


if __name__ == "__main__":
    main()
