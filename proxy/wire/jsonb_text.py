"""jsonb's text form as PostgreSQL prints it (jsonb_out).

PostgreSQL stores jsonb parsed, so its text is normalised: ", " and ": " separators, object
keys shorter first then bytewise, the last of duplicate keys kept, numbers as numeric prints
them (1e2 -> 100, 1.50 kept). This is the one per-value encoder on the result path: JSON
has no vectorised normaliser, and jsonb columns are rare and small next to the others.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pyarrow as pa

_STRING = json.encoder.py_encode_basestring  # escapes as PostgreSQL's escape_json does


def _number(value: Decimal) -> str:
    return format(abs(value) if value.is_zero() else value, "f")  # -0 prints as 0


def _out(value, parts: list[str]) -> None:
    if isinstance(value, dict):
        parts.append("{")
        for i, key in enumerate(sorted(value, key=lambda k: (len(k.encode()), k.encode()))):
            if i:
                parts.append(", ")
            parts.append(_STRING(key))
            parts.append(": ")
            _out(value[key], parts)
        parts.append("}")
    elif isinstance(value, list):
        parts.append("[")
        for i, item in enumerate(value):
            if i:
                parts.append(", ")
            _out(item, parts)
        parts.append("]")
    elif isinstance(value, str):
        parts.append(_STRING(value))
    elif isinstance(value, Decimal):
        parts.append(_number(value))
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    else:
        parts.append("null")


def normalise_jsonb(text: str) -> str:
    value = json.loads(text, parse_float=Decimal, parse_int=Decimal, object_pairs_hook=dict)
    parts: list[str] = []
    _out(value, parts)
    return "".join(parts)


def jsonb_text(storage: pa.Array) -> pa.Array:
    """JSON text values -> jsonb text, as a binary array (NULL stays NULL)."""
    values = storage.to_pylist()
    return pa.array([None if v is None else normalise_jsonb(v).encode() for v in values], pa.binary())
