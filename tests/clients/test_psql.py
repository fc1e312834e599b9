"""psql (the real binary) against askgres: queries, meta-commands, \\copy, errors."""

from __future__ import annotations

import csv

import pytest

from clientutil import require_binary, run_psql

pytestmark = pytest.mark.usefixtures("psql_binary")


@pytest.fixture(scope="module")
def psql_binary():
    return require_binary("psql")


def psql_at(server, sql: str) -> list[str]:
    """Unaligned, tuples-only output lines of one -c command."""
    return run_psql(server, "-v", "ON_ERROR_STOP=1", "-At", "-c", sql).stdout.splitlines()


def test_simple_query_matches_table_contents(askgres_server):
    total = int(psql_at(askgres_server, "SELECT count(*) FROM customers")[0])
    ids = psql_at(askgres_server, "SELECT id FROM customers ORDER BY id")
    assert total > 0 and len(ids) == total
    assert [int(i) for i in ids] == sorted({int(i) for i in ids})


def test_aligned_output_has_header_and_row_count(askgres_server):
    out = run_psql(askgres_server, "-v", "ON_ERROR_STOP=1",
                   "-c", "SELECT 1 AS one, 'x'::text AS letter").stdout
    lines = [line.strip() for line in out.splitlines()]
    assert lines[0].replace(" ", "") == "one|letter"
    assert lines[2].replace(" ", "") == "1|x"
    assert "(1 row)" in lines


def test_multi_statement_c_returns_every_result(askgres_server, table_name):
    out = psql_at(askgres_server,
                  f"CREATE TABLE {table_name}(a int); INSERT INTO {table_name} VALUES (1),(2),(39);"
                  f" SELECT sum(a) FROM {table_name}")
    assert out == ["CREATE TABLE", "INSERT 0 3", "42"]  # psql 15 shows each statement's result


def test_several_c_options_each_run(askgres_server, table_name):
    proc = run_psql(askgres_server, "-v", "ON_ERROR_STOP=1", "-At",
                    "-c", f"CREATE TABLE {table_name}(a int, b text)",
                    "-c", f"INSERT INTO {table_name} VALUES (1, 'one'), (2, NULL)",
                    "-c", f"SELECT a, coalesce(b, 'null') FROM {table_name} ORDER BY a")
    assert proc.stdout.splitlines() == ["CREATE TABLE", "INSERT 0 2", "1|one", "2|null"]


def test_error_keeps_the_session_alive(askgres_server):
    script = "SELECT 1/0;\nSELECT * FROM no_such_table_here;\nSELECT 41 + 1 AS answer;\n"
    proc = run_psql(askgres_server, "-At", "-v", "VERBOSITY=verbose", stdin=script)
    assert proc.returncode == 0  # without ON_ERROR_STOP psql carries on
    assert "22012" in proc.stderr and "division by zero" in proc.stderr.lower()
    assert "42P01" in proc.stderr
    assert proc.stdout.splitlines() == ["42"]


def test_on_error_stop_exits_with_error_status(askgres_server):
    proc = run_psql(askgres_server, "-At", "-v", "ON_ERROR_STOP=1", check=False,
                    stdin="SELECT 1;\nSELEC 2;\nSELECT 3;\n")
    assert proc.returncode == 3
    assert "syntax error" in proc.stderr
    assert proc.stdout.splitlines() == ["1"]


def test_transaction_block_and_failed_transaction(askgres_server, table_name):
    script = f"""
CREATE TABLE {table_name}(a int);
BEGIN;
INSERT INTO {table_name} VALUES (1);
SELECT 1/0;
INSERT INTO {table_name} VALUES (2);
ROLLBACK;
SELECT count(*) FROM {table_name};
"""
    proc = run_psql(askgres_server, "-At", stdin=script)
    assert "current transaction is aborted" in proc.stderr
    assert proc.stdout.splitlines()[-1] == "0"


def test_variables_and_gset(askgres_server):
    script = "SELECT 6 * 7 AS v \\gset\nSELECT :v + 1;\n"
    assert run_psql(askgres_server, "-At", "-v", "ON_ERROR_STOP=1", stdin=script).stdout.split() == ["43"]


def test_sql_cursors_declare_fetch_move_close(askgres_server):
    script = """
BEGIN;
DECLARE c CURSOR FOR SELECT i FROM range(100) t(i) ORDER BY i;
FETCH 3 FROM c;
MOVE FORWARD 10 IN c;
FETCH NEXT FROM c;
CLOSE c;
COMMIT;
DECLARE h CURSOR WITH HOLD FOR SELECT id FROM customers ORDER BY id;
FETCH 2 FROM h;
CLOSE h;
"""
    out = run_psql(askgres_server, "-At", "-v", "ON_ERROR_STOP=1", stdin=script).stdout.splitlines()
    assert out == ["BEGIN", "DECLARE CURSOR", "0", "1", "2", "MOVE 10", "13", "CLOSE CURSOR", "COMMIT",
                   "DECLARE CURSOR", "1", "2", "CLOSE CURSOR"]


def test_copy_from_and_to_files(askgres_server, table_name, tmp_path):
    source = tmp_path / "in.csv"
    rows = [(i, f"name {i}", None if i % 3 == 0 else i * 1.5) for i in range(1, 501)]
    with source.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "name", "score"])
        for r in rows:
            w.writerow(["" if v is None else v for v in r])
    target = tmp_path / "out.csv"
    script = f"""
CREATE TABLE {table_name}(id int, name text, score double precision);
\\copy {table_name} FROM '{source}' WITH (FORMAT csv, HEADER true)
\\copy (SELECT id, name, score FROM {table_name} ORDER BY id) TO '{target}' WITH (FORMAT csv, HEADER true)
SELECT count(*), count(score), sum(id) FROM {table_name};
"""
    proc = run_psql(askgres_server, "-At", "-v", "ON_ERROR_STOP=1", stdin=script)
    assert "COPY 500" in proc.stdout
    assert proc.stdout.splitlines()[-1] == f"500|{sum(1 for r in rows if r[2] is not None)}|{sum(range(1, 501))}"
    with target.open(newline="") as f:
        back = list(csv.reader(f))
    assert back[0] == ["id", "name", "score"]
    assert len(back) == 501
    assert back[3] == ["3", "name 3", ""]
    assert back[1] == ["1", "name 1", "1.5"]


def test_copy_text_format_round_trip(askgres_server, table_name, tmp_path):
    source = tmp_path / "in.tsv"
    source.write_text("1\ttab\\there\n2\t\\N\n3\tback\\\\slash\n")
    target = tmp_path / "out.tsv"
    script = f"""
CREATE TABLE {table_name}(id int, t text);
\\copy {table_name} FROM '{source}'
\\copy {table_name} TO '{target}'
SELECT id, t IS NULL, length(t) FROM {table_name} ORDER BY id;
"""
    out = run_psql(askgres_server, "-At", "-v", "ON_ERROR_STOP=1", stdin=script).stdout.splitlines()
    assert out[-3:] == ["1|f|8", "2|t|", "3|f|10"]
    assert sorted(target.read_text().splitlines()) == ["1\ttab\\there", "2\t\\N", "3\tback\\\\slash"]


def test_copy_to_server_file_is_refused(askgres_server, tmp_path):
    proc = run_psql(askgres_server, "-At", "-v", "VERBOSITY=verbose",
                    "-c", f"COPY customers TO '{tmp_path / 'x.csv'}'", check=False)
    assert proc.returncode != 0
    assert "42501" in proc.stderr
    assert not (tmp_path / "x.csv").exists()


def test_set_show_and_parameter_status(askgres_server):
    script = "SET application_name = 'psql-test';\nSHOW application_name;\nSHOW server_version;\n"
    out = run_psql(askgres_server, "-At", "-v", "ON_ERROR_STOP=1", stdin=script).stdout.splitlines()
    assert out[-2] == "psql-test"
    assert out[-1].split(".")[0].isdigit()


# ---------------------------------------------------------------- meta-commands (catalog emulation)


def test_dt_lists_demo_tables(askgres_server):
    out = run_psql(askgres_server, "-v", "ON_ERROR_STOP=1", "-c", "\\dt").stdout
    for name in ("customers", "products", "orders", "order_items"):
        assert f" {name} " in out
    assert "List of relations" in out and "table" in out


def test_d_table_describes_columns(askgres_server):
    out = run_psql(askgres_server, "-v", "ON_ERROR_STOP=1", "-c", "\\d products").stdout
    assert 'Table "public.products"' in out
    assert "numeric(10,2)" in out
    for column in ("id", "name", "category", "price"):
        assert f" {column} " in out


def test_dn_lists_public_schema(askgres_server):
    out = run_psql(askgres_server, "-v", "ON_ERROR_STOP=1", "-c", "\\dn").stdout
    assert "List of schemas" in out and " public " in out


def test_l_lists_databases(askgres_server):
    out = run_psql(askgres_server, "-v", "ON_ERROR_STOP=1", "-c", "\\l").stdout
    assert "List of databases" in out and " askgres " in out


def test_df_lists_functions(askgres_server):
    proc = run_psql(askgres_server, "-v", "ON_ERROR_STOP=1", "-c", "\\df")
    assert "List of functions" in proc.stdout


def test_dv_lists_views(askgres_server, table_name):
    view = table_name.replace("t_", "v_", 1)
    run_psql(askgres_server, "-v", "ON_ERROR_STOP=1", "-c", f"CREATE VIEW {view} AS SELECT id FROM customers")
    out = run_psql(askgres_server, "-v", "ON_ERROR_STOP=1", "-c", "\\dv").stdout
    assert "List of relations" in out and f" {view} " in out


def test_du_lists_roles(askgres_server):
    out = run_psql(askgres_server, "-v", "ON_ERROR_STOP=1", "-c", "\\du").stdout
    assert "List of roles" in out and "askgres" in out


def test_conninfo_and_encoding(askgres_server):
    out = run_psql(askgres_server, "-v", "ON_ERROR_STOP=1", "-c", "\\encoding").stdout
    assert out.strip() == "UTF8"
