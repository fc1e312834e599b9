"""jsonb's text as PostgreSQL 15 prints it (outputs checked on a PostgreSQL 15 server)."""

from __future__ import annotations

import pyarrow as pa
import pytest

from askgres.proxy.wire.jsonb_text import jsonb_text, normalise_jsonb


@pytest.mark.parametrize("given, expected", [
    ('{"b":1,"a":2}', '{"a": 2, "b": 1}'),
    ('{"bb": 1, "a": 1, "c": 1}', '{"a": 1, "c": 1, "bb": 1}'),  # shorter keys first
    ('{"a": 1, "a": 2}', '{"a": 2}'),  # last duplicate wins
    ('[1e2, 1.50, -0, 0.1e1, -12.5e-1]', '[100, 1.50, 0, 1, -1.25]'),
    ('"tab\\there \\u00e9"', '"tab\\there é"'),
    ('{"n": null, "t": true, "f": false, "e": [], "o": {}}', '{"e": [], "f": false, "n": null, "o": {}, "t": true}'),
])
def test_normalise_jsonb(given, expected):
    assert normalise_jsonb(given) == expected


def test_jsonb_text_keeps_nulls():
    assert jsonb_text(pa.array(['{"b":1}', None])).to_pylist() == [b'{"b": 1}', None]
