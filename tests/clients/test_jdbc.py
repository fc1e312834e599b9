"""PgJDBC (Debian libpostgresql-jdbc-java) on Java 17 against askgres.

tests/clients/jdbc/JdbcClientCheck.java is compiled with javac into a temporary folder and run
once per test session; it prints "section.key<TAB>value" lines that these tests assert on.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.missing import missing

from clientutil import require_binary

JAR = Path("/usr/share/java/postgresql.jar")
SOURCE = Path(__file__).parent / "jdbc" / "JdbcClientCheck.java"


@pytest.fixture(scope="module")
def jdbc(askgres_server, tmp_path_factory) -> dict[str, str]:
    javac, java = require_binary("javac"), require_binary("java")
    if not JAR.exists():
        missing(f"{JAR} is missing (tests/support/install_clients.sh installs libpostgresql-jdbc-java)")
    classes = tmp_path_factory.mktemp("jdbc")
    subprocess.run([javac, "-d", str(classes), "-cp", str(JAR), str(SOURCE)], check=True, timeout=120)
    url = f"jdbc:postgresql://{askgres_server.host}:{askgres_server.port}/askgres"
    table = f"t_jdbc_{askgres_server.port}"
    proc = subprocess.run([java, "-cp", f"{classes}:{JAR}", "JdbcClientCheck", url, table],
                          capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    results = dict(line.split("\t", 1) for line in proc.stdout.splitlines() if "\t" in line)
    results["_table"] = table
    return results


def section_ok(results: dict, section: str) -> None:
    assert f"{section}.error" not in results, results[f"{section}.error"]


def test_connects_as_postgresql_15(jdbc):
    assert jdbc["connect.product"] == "PostgreSQL" and jdbc["connect.version"] == "15"


def test_prepared_statement_past_prepare_threshold(jdbc):
    section_ok(jdbc, "prepared")
    assert jdbc["prepared.ids"] == ",".join(f"{i}:true" for i in range(1, 7))


def test_result_types_and_values(jdbc):
    section_ok(jdbc, "types")
    assert jdbc["types.names"].split(",") == ["int2", "int4", "int8", "float4", "float8", "numeric", "text", "bool",
                                              "date", "time", "timestamp", "bytea", "_int4"]
    values = jdbc["types.values"].split("|")
    assert values[:11] == ["1", "2", "3", "1.5", "2.5", "12.34", "txt", "true", "2024-02-29", "13:14:15",
                           "2024-02-29 13:14:15.5"]
    assert values[12] == "{1,2,3}"


def test_bytea_hex_literal(jdbc):
    assert jdbc["types.values"].split("|")[11] == "[1, 2]"


def test_batch_insert(jdbc):
    section_ok(jdbc, "batch")
    assert jdbc["batch.updated"] == "250" and jdbc["batch.count"] == "250"
    assert jdbc["batch.sum"] == f"{sum(range(250)) / 10:.2f}"


def test_parameter_metadata_does_not_execute(jdbc):
    section_ok(jdbc, "parammeta")
    assert jdbc["parammeta.types"].split(",")[0] == "int4"
    assert jdbc["parammeta.types"].split(",")[1] in ("varchar", "text")
    assert jdbc["parammeta.types"].split(",")[2] == "numeric"
    assert jdbc["parammeta.select_columns"] == "name:text,price:numeric"
    assert jdbc["parammeta.select_param"] == "numeric"
    assert jdbc["parammeta.rows_before"] == jdbc["parammeta.rows_after"] == "250"


def test_database_metadata(jdbc):
    section_ok(jdbc, "dbmeta")
    assert {"customers", "products", "orders", "order_items", jdbc["_table"]} <= set(jdbc["dbmeta.tables"].split(","))
    assert jdbc["dbmeta.columns"].split(",") == ["id:int4:4", "name:text:12", "category:text:12", "price:numeric:2"]
    assert jdbc["dbmeta.pk"] == "id:1"
    assert jdbc["dbmeta.imported"] == "customers:id:customer_id"
    assert int(jdbc["dbmeta.typeinfo_count"]) > 20 and jdbc["dbmeta.typeinfo_has"] == "true,true,true"
    assert "public" in jdbc["dbmeta.schemas"].split(",")


def test_fetch_size_streaming_with_autocommit_off(jdbc):
    section_ok(jdbc, "fetchsize")
    assert jdbc["fetchsize.rows"] == "100000" and jdbc["fetchsize.sum"] == str(sum(range(100000)))


def test_errors_have_sqlstates_and_connection_survives(jdbc):
    section_ok(jdbc, "errors")
    assert jdbc["errors.states"] == "42601,42P01,42703,22012"
    assert jdbc["errors.after"] == "7"
