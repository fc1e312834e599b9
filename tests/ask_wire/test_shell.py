"""`askgres ask "question" --database FILE.duckdb` from the shell, on a file the test builds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from ask_wire_support import MODEL_WAIT, parses_as_one_select


@pytest.fixture(scope="module")
def shop_file(tmp_path_factory) -> tuple[Path, int]:
    path = tmp_path_factory.mktemp("shell") / "shop.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE products (id INTEGER PRIMARY KEY, name VARCHAR, category VARCHAR, price DECIMAL(10,2))")
    con.execute("INSERT INTO products SELECT i, 'product ' || i, ['Books','Games','Music'][1 + i % 3], 3 + i "
                "FROM range(1, 38) t(i)")
    n = con.execute("SELECT count(*) FROM products").fetchone()[0]
    con.close()
    return path, n


def askgres(*args: str) -> subprocess.CompletedProcess:
    askgres_bin = Path(sys.executable).parent / "askgres"
    cmd = [str(askgres_bin)] if askgres_bin.exists() else [sys.executable, "-m", "askgres.proxy.cli"]
    return subprocess.run([*cmd, *args], capture_output=True, text=True, timeout=MODEL_WAIT, env=os.environ)


def test_shell_ask_prints_the_answer(shop_file):
    path, n = shop_file
    proc = askgres("ask", "how many products are there?", "--database", str(path))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    # header, rule, one value, "(1 row)"
    assert len(lines) == 4 and lines[-1] == "(1 row)", proc.stdout
    assert int(lines[2].strip()) == n


def test_shell_ask_sql_prints_sql_only(shop_file):
    path, n = shop_file
    proc = askgres("ask", "how many products are there?", "--database", str(path), "--sql")
    assert proc.returncode == 0, proc.stderr
    sql = proc.stdout.strip()
    assert parses_as_one_select(sql), proc.stdout
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert con.execute(sql).fetchone()[0] == n
    finally:
        con.close()
