"""to_char(number, template) (engines/duckdb/rewrites/number_templates.py): the template's
layout, and what DuckDB prints with it. The expected strings are what PostgreSQL 15 prints
(the differential corpus, numeric.sql, checks more against a live server)."""

from __future__ import annotations

import duckdb
import pytest
import sqlglot

from askgres.engines.duckdb import dialect
from askgres.engines.duckdb.rewrites.number_templates import parse_number_template


@pytest.fixture(scope="module")
def con():
    c = duckdb.connect()
    dialect.configure(c)  # no catalog: the translation needs only DuckDB's functions
    return c


def test_layout_of_a_template():
    layout = parse_number_template("FM9G990D09S")
    assert (layout.int_digits, layout.frac_digits, layout.forced_zeros) == (4, 2, 1)
    assert layout.group_offsets == [3] and layout.point and layout.fill_mode
    assert layout.trailing_nines == 1 and layout.sign == "S>"
    assert parse_number_template("99V99").shift == 2


@pytest.mark.parametrize("template", ["9.99EEEE", "RN", "999th", "L999", "SG999", "999PL",
                                      '"n="999', "99.9.9", "", "FM", "PR999"])
def test_unsupported_templates_are_left_alone(template):
    assert parse_number_template(template) is None


@pytest.mark.parametrize("value, template, postgres", [
    ("1234.5", "9999.99", " 1234.50"),
    ("-1234.567", "9G999D99", "-1,234.57"),
    ("12345", "9,999", " #,###"),
    ("0.5", "9.99", "  .50"),
    ("0", "9999", "    0"),
    ("0", "FM999.99", "0."),
    ("0.5", "FM990.00", "0.50"),
    ("-12", "999PR", " <12>"),
    ("-12", "MI999", "- 12"),
    ("12", "S9999", "  +12"),
    ("-0.004", "9.99", "  .00"),
    ("0.5", "99V99", "   50"),
    ("12::int8", "0999", " 0012"),
    ("2.5::float8", "FM9.99", "2.5"),
    ("NULL::numeric", "9.99", None),
])
def test_prints_like_postgres(con, value, template, postgres):
    sql = dialect.to_duckdb(sqlglot.parse_one(f"SELECT to_char({value}, '{template}')", read="postgres"))
    assert con.execute(sql).fetchone()[0] == postgres
