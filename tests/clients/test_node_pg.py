"""node-postgres (npm `pg`) against askgres: tests/clients/node/check.js prints what it saw as JSON."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.support.missing import missing

from clientutil import require_binary

NODE_DIR = Path(__file__).parent / "node"


@pytest.fixture(scope="module")
def node_results(askgres_server):
    node = require_binary("node")
    if not (NODE_DIR / "node_modules" / "pg").is_dir():
        missing("node-postgres is not installed (tests/support/install_clients.sh runs npm install)")
    table = f"t_node_{askgres_server.port}"
    proc = subprocess.run([node, "check.js", askgres_server.host, str(askgres_server.port), table],
                          cwd=NODE_DIR, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_simple_query(node_results):
    simple = node_results["simple"]
    assert simple["n"] > 0 and simple["lo"] == 1
    assert simple["command"] == "SELECT" and simple["fields"] == ["n", "lo"]


def test_parameterized_and_prepared_queries(node_results):
    assert node_results["param"] == [2, 4, 6]
    assert node_results["prepared"] == [node_results["prepared_direct"]] * 3
    assert node_results["prepared_direct"] > 0


def test_types(node_results):
    t = node_results["types"]
    assert t["f"] == 1.5 and t["num"] == "12.30" and t["b"] is True  # pg returns numeric as a string
    assert t["ts"] == "2024-05-06T07:08:09.000Z" and t["arr"] == ["a", "b"] and t["nothing"] is None
    assert t["d"] == [2024, 5, 6]


def test_transaction_rollback(node_results):
    assert node_results["tx"] == 2


def test_errors_have_codes_and_connection_survives(node_results):
    codes = [e and e["code"] for e in node_results["errors"]]
    assert codes == ["42601", "42P01", "42703", "22012"]
    assert all(e["severity"] == "ERROR" for e in node_results["errors"])
    assert node_results["errors"][0]["position"] is not None
    assert node_results["after_errors"] == 5


def test_many_rows(node_results):
    assert node_results["many"] == 100000


def test_pool_of_connections(node_results):
    assert node_results["pool"] == [i * 3 for i in range(32)]
    assert 1 <= node_results["pool_total"] <= 8
