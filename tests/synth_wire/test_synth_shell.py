"""`askgres synth spec.yaml --out DIR | --database FILE.duckdb`, and CALL synthesize from psql."""

from __future__ import annotations

import shutil
import subprocess
import sys

import duckdb  # a reference reader for the files the command writes
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
import yaml

from tests.conftest import ROOT

from .conftest import FITNESS, FITNESS_ROWS


def askgres_synth(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "askgres.proxy.cli", "synth", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def spec_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("spec") / "spec.yaml"
    path.write_text(yaml.safe_dump(FITNESS, sort_keys=False))
    return path


@pytest.fixture(scope="module")
def parquet_run(spec_file, tmp_path_factory):
    out = tmp_path_factory.mktemp("parquet") / "out"
    return askgres_synth(str(spec_file), "--out", str(out)), out


@pytest.fixture(scope="module")
def duckdb_run(spec_file, tmp_path_factory):
    db = tmp_path_factory.mktemp("duckdb") / "synth.duckdb"
    return askgres_synth(str(spec_file), "--database", str(db)), db


def test_out_writes_one_parquet_file_per_table(parquet_run):
    done, out = parquet_run
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}.parquet" for t in FITNESS_ROWS)
    tables = {t: pq.read_table(out / f"{t}.parquet") for t in FITNESS_ROWS}
    assert {t: tbl.num_rows for t, tbl in tables.items()} == FITNESS_ROWS
    assert tables["workouts"].column_names == ["id", "user_id", "day", "minutes", "kcal"]
    # foreign keys point at existing users; keys are unique
    user_ids = tables["users"].column("id")
    assert pc.count_distinct(user_ids).as_py() == FITNESS_ROWS["users"]
    for child in ("subscriptions", "workouts"):
        assert pc.all(pc.is_in(tables[child].column("user_id"), value_set=user_ids)).as_py()
    # the progress bar went to stderr and finished every table
    for t, n in FITNESS_ROWS.items():
        assert f"{n:,} rows in" in done.stderr and t in done.stderr


def test_database_loads_a_duckdb_file_like_parquet(duckdb_run, parquet_run):
    done, db = duckdb_run
    assert done.returncode == 0, done.stderr
    assert "validation" in done.stderr and "0 violations" in done.stderr
    for t in FITNESS_ROWS:
        assert t in done.stdout  # the result table: one row per table
    out = parquet_run[1]
    with duckdb.connect(str(db), read_only=True) as con:
        names = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        assert names == set(FITNESS_ROWS)  # no staging table left behind
        for t, n in FITNESS_ROWS.items():
            assert con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] == n
            # the same seed gives the same rows in the DuckDB file and in Parquet
            diff = con.execute(f"SELECT count(*) FROM (SELECT * FROM {t} EXCEPT ALL "
                               f"SELECT * FROM read_parquet('{out / (t + '.parquet')}')) d").fetchone()[0]
            assert diff == 0, t
        assert con.execute("SELECT count(*) FROM workouts w LEFT JOIN users u ON w.user_id = u.id "
                           "WHERE u.id IS NULL").fetchone()[0] == 0
        assert con.execute("SELECT max(s) FROM (SELECT sum(minutes) AS s FROM workouts "
                           "GROUP BY user_id, day) g").fetchone()[0] <= 150


def test_database_modes(spec_file, duckdb_run, tmp_path):
    assert duckdb_run[0].returncode == 0
    db = tmp_path / "modes.duckdb"
    shutil.copy(duckdb_run[1], db)
    again = askgres_synth(str(spec_file), "--database", str(db))
    assert again.returncode != 0
    assert "already exists" in again.stderr
    assert "Traceback" not in again.stderr
    assert askgres_synth(str(spec_file), "--database", str(db), "--mode", "append").returncode == 0
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM users").fetchone()[0] == 2 * FITNESS_ROWS["users"]
    assert askgres_synth(str(spec_file), "--database", str(db), "--mode", "replace", "--seed", "3").returncode == 0
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*), count(DISTINCT id) FROM users").fetchone() == (
            FITNESS_ROWS["users"], FITNESS_ROWS["users"])
        assert {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()} == set(FITNESS_ROWS)


def test_invalid_spec_file_names_the_field(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("tables:\n  - name: t\n    rows: 10\n    columns:\n      - {name: a, generator: {kind: normal, std: big}}\n")
    done = askgres_synth(str(path), "--out", str(tmp_path / "out"))
    assert done.returncode != 0
    assert "tables.t.columns.a.generator.std" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_psql_shows_notices_and_the_result(synth_server):
    call = "CALL synthesize('a fitness app with 300 users, their subscriptions and workouts', seed => 1, mode => 'replace')"
    done = subprocess.run(["psql", "-X", "-v", "ON_ERROR_STOP=1", "-h", synth_server.host, "-p",
                           str(synth_server.port), "-U", "askgres", "-d", "askgres", "-c",
                           call.replace("fitness app", "gym").replace("users", "members"),
                           "-c", "SELECT count(*) FROM workouts"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    # NOTICEs reach psql's stderr as they come, the result table its stdout
    assert "NOTICE:  synthesize: users: 300 rows" in done.stderr
    assert "0 violations" in done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split("|")[0].strip() == "table_name"
    rows = {ln.split("|")[0].strip(): int(ln.split("|")[1]) for ln in lines[2:] if ln.count("|") == 3}
    assert rows == {"users": 300, "subscriptions": 900, "workouts": 4800}
    assert "4800" in done.stdout.split("count")[-1]
