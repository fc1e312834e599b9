"""Apache Superset (its own virtualenv, tests/support/install_superset.sh) against askgres.

tests/clients/superset/superset_check.py runs under that virtualenv's python and goes through
Superset's own objects: a Database model with a postgresql:// URI (psycopg2) and its
PostgresEngineSpec; the connection test (ping), the schema/table/view/column/key listings the
dataset editor shows, a SQL Lab query with Superset's LIMIT applied, and a dataset preview
(select_star -> get_df). Not covered: the web UI, async (Celery) SQL Lab, the metadata
database's migrations.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.support.missing import missing

VENV = Path(os.environ.get("ASKGRES_SUPERSET_VENV", Path.home() / ".cache/askgres/superset-venv"))
SCRIPT = Path(__file__).parent / "superset" / "superset_check.py"


@pytest.fixture(scope="module")
def superset(askgres_server, tmp_path_factory) -> dict:
    python = VENV / "bin" / "python"
    if not python.exists():
        missing(f"Superset is not installed in {VENV} (tests/support/install_superset.sh)")
    uri = f"postgresql://askgres@{askgres_server.host}:{askgres_server.port}/askgres"
    proc = subprocess.run([str(python), str(SCRIPT), uri], capture_output=True, text=True, timeout=240,
                          cwd=tmp_path_factory.mktemp("superset"),
                          env={k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))})
    assert proc.returncode == 0, proc.stderr[-4000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_uses_postgres_engine_spec_and_connects(superset):
    assert superset["engine_spec"] == "PostgresEngineSpec" and superset["is_postgres_spec"]
    assert superset["ping"] is True and superset["server_version"] == [15]


def test_lists_schemas_tables_and_columns(superset):
    assert "public" in superset["schemas"] and "pg_catalog" not in superset["schemas"]
    assert {"customers", "products", "orders", "order_items"} <= set(superset["tables"])
    assert superset["columns"] == [["id", "INTEGER"], ["name", "TEXT"], ["category", "TEXT"],
                                   ["price", "NUMERIC(10, 2)"]]
    assert superset["pk"] == ["id"]
    assert superset["fks"] == [[["customer_id"], "customers"]]


def test_sql_lab_query_with_limit(superset):
    assert superset["limited_sql"].rstrip().endswith("LIMIT 3")
    assert superset["sqllab_columns"] == ["country", "orders"]
    assert superset["sqllab_rows"] == superset["full_rows"][:3]
    assert len(superset["full_rows"]) > 3


def test_dataset_preview(superset):
    assert "FROM public.customers" in superset["select_star"]
    assert superset["select_star_rows"] == 5
    assert superset["select_star_columns"] == ["id", "name", "email", "country", "signed_up"]
