"""`askgres serve` gets the model ready for questions while clients already connect."""

from __future__ import annotations

import time

import psycopg

from ask_wire_support import MODEL_WAIT


def test_serve_loads_the_model_and_the_schema_prompt_in_the_background(ask_server):
    with psycopg.connect(ask_server.dsn, autocommit=True, connect_timeout=10) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)   # the server answers SQL whatever the model is doing
    deadline = time.monotonic() + MODEL_WAIT
    while not any("questions" in line for line in ask_server.log) and time.monotonic() < deadline:
        time.sleep(0.5)
    said = [line for line in ask_server.log if "questions" in line]
    assert said and "ready for questions (model loaded, schema prompt evaluated in" in said[0], said
