"""Normalises result rows fetched by psycopg (PostgreSQL, or askgres over the wire) and by
duckdb (direct) so that equal answers compare equal:

- numbers: PostgreSQL's integer must come back an integer (7/2 = 3, not 3.5; 6/2 = 3, not
  3.0); its numeric or float may come back as any number agreeing to 6 significant digits
  (float4 columns carry about 7);
- aware datetimes compare in UTC, and never equal naive ones;
- intervals compare as psycopg converts them (a year is 365 days, a month 30);
- JSON text from duckdb is parsed, as psycopg parses json columns.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import uuid
from decimal import Decimal
from typing import Any, Sequence

SIGNIFICANT_DIGITS = 6


def interval_as_psycopg(months: int, days: int, nanoseconds: int) -> dt.timedelta:
    """psycopg's interval loader: years of 365 days, months of 30 days."""
    years, months = divmod(months, 12)
    return dt.timedelta(days=days + 30 * months + 365 * years, microseconds=nanoseconds // 1000)


def normalise(value: Any) -> Any:
    """A comparable form; numbers keep their exactness: ("int", v) or ("num", v)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return ("int", value)
    if isinstance(value, (float, Decimal)):
        f = float(value)
        if math.isnan(f) or math.isinf(f):
            return ("num", str(f))
        return ("num", float(f"{f:.{SIGNIFICANT_DIGITS}g}"))
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            return ("timestamptz", value.astimezone(dt.timezone.utc).replace(tzinfo=None))
        return ("timestamp", value)
    if isinstance(value, (memoryview, bytearray)):
        return bytes(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (list, tuple)):
        return tuple(normalise(v) for v in value)
    if isinstance(value, dict):
        return ("json", json.dumps(value, sort_keys=True))
    return value


def _number(value: Any) -> bool:
    return isinstance(value, tuple) and len(value) == 2 and value[0] in ("int", "num")


def sort_key(value: Any) -> Any:
    """Numbers of either kind sort together, so unordered rows pair up before matching."""
    if _number(value):
        return ("n", repr(float(value[1]) if not isinstance(value[1], str) else value[1]))
    if isinstance(value, tuple):
        return tuple(sort_key(v) for v in value)
    return ("v", repr(value))


def values_match(pg: Any, other: Any) -> bool:
    """PostgreSQL's integer must come back an integer; its numeric or float may come back
    as any number of the same value (to SIGNIFICANT_DIGITS)."""
    if _number(pg) and _number(other):
        if pg[0] == "int":
            return other == pg
        a, b = pg[1], other[1]
        if isinstance(a, str) or isinstance(b, str):
            return a == b
        return float(f"{float(b):.{SIGNIFICANT_DIGITS}g}") == a
    if isinstance(pg, tuple) and isinstance(other, tuple) and not _number(pg) and not _number(other):
        return len(pg) == len(other) and all(values_match(a, b) for a, b in zip(pg, other))
    return pg == other


def rows_match(pg_rows: list[tuple], other_rows: list[tuple]) -> bool:
    return len(pg_rows) == len(other_rows) and all(
        values_match(a, b) for a, b in zip(pg_rows, other_rows))


def parse_json_columns(rows: Sequence[Sequence[Any]], json_columns: set[int]) -> list[tuple]:
    """psycopg parses json values; duckdb returns their text. Parse the JSON columns' text."""
    if not json_columns:
        return [tuple(r) for r in rows]
    return [tuple(json.loads(v) if i in json_columns and isinstance(v, str) else v
                  for i, v in enumerate(r)) for r in rows]


def same_answer(pg_rows, other_rows, *, ordered: bool, json_columns: set[int] = frozenset()
                ) -> tuple[bool, list, list]:
    """Whether two results agree; also returns both normalised, for the failure message."""
    pg_norm = [tuple(normalise(v) for v in r) for r in pg_rows]
    other_norm = [tuple(normalise(v) for v in r)
                  for r in parse_json_columns(other_rows, set(json_columns))]
    if not ordered:
        pg_norm.sort(key=sort_key)
        other_norm.sort(key=sort_key)
    return rows_match(pg_norm, other_norm), pg_norm, other_norm
