"""Query shapes over the wire: a dashboard query sent again with other filter values is answered
with its own values (the shape cache reuses the verdict, never the first text's statement), and
what a role may not see stays hidden or refused for every value."""

from __future__ import annotations

import uuid

from guard_wire_support import ANALYST, SALES, leaked, refusal, rule_named


def test_new_filter_values_reach_the_engine(guarded):
    owner, tag = guarded.owner, f"t_{uuid.uuid4().hex[:10]}"
    for bound in (3, 5, 2, 5, 7):
        rows = owner.execute(f"SELECT id AS {tag} FROM orders WHERE id <= {bound} AND id > 0 ORDER BY id").fetchall()
        assert rows == [(i,) for i in range(1, bound + 1)]
    for day in ("2024-01-01", "2024-06-30"):   # a BI tool's date range: each day its own count
        expected = owner.execute(f"SELECT count(*) FROM orders WHERE ordered_at < TIMESTAMP '{day}'").fetchone()
        got = owner.execute(f"SELECT count(*) AS {tag} FROM orders WHERE ordered_at < '{day}'").fetchone()
        assert got == expected


def test_masked_values_stay_masked_for_every_filter_value(guarded, users):
    alice = users[ANALYST]
    for customer in (1, 2, 3):
        (email,) = alice.execute(f"SELECT email FROM customers WHERE id = {customer}").fetchone()
        assert not leaked(str(email), guarded.emails)


def test_refusals_hold_for_every_filter_value(guarded, users):
    sam = users[SALES]
    for customer in (1, 2):
        assert sam.execute(f"SELECT name FROM customers WHERE id = {customer}").fetchone()
        error = refusal(sam, f"SELECT email FROM customers WHERE id = {customer}")
        assert error.sqlstate == "42501" and rule_named(error) == "allow_read_objects"
