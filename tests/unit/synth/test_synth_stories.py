"""Rule-based story -> spec: domains by keyword, counts from the story, valid and feasible."""

from __future__ import annotations

import pytest

from askgres.synth import SpecError
from askgres.synth.stories import parse_count, story_to_spec
from askgres.synth.validate import validate

from synth_helpers import collect


@pytest.mark.parametrize("text, n", [("50k", 50_000), ("1.5M", 1_500_000), ("10,000", 10_000), ("2 million", 2_000_000),
                                     ("7", 7), ("lots", None)])
def test_parse_count(text, n):
    assert parse_count(text) == n


@pytest.mark.parametrize("story, tables", [
    ("a fitness app with 50k users, their subscriptions and workouts", ["users", "subscriptions", "workouts"]),
    ("an online shop: customers, products, orders and order items", ["customers", "products", "orders", "order_items"]),
    ("a B2B SaaS with accounts, users and product events", ["accounts", "users", "events"]),
    ("HR: employees in departments filling timesheets", ["departments", "employees", "timesheets"]),
])
def test_domains_generate_with_zero_violations(story, tables):
    spec = story_to_spec(story, 30_000)
    assert [t.name for t in spec.tables] == tables
    assert abs(sum(t.rows for t in spec.tables) - 30_000) <= 30_000 * 0.2 or "50k" in story
    if "50k" in story:
        assert spec.table("users").rows == 50_000
        return
    out = collect(spec, batch_rows=5_000)
    assert validate(spec, out).ok


def test_story_counts_are_respected_and_others_scale():
    spec = story_to_spec("an online store with 10,000 customers and 2 million orders", 1_000_000)
    assert spec.table("customers").rows == 10_000 and spec.table("orders").rows == 2_000_000
    assert spec.table("order_items").rows >= 2_000_000  # at least one item per order stays feasible


def test_unknown_story_is_a_clear_error():
    with pytest.raises(SpecError) as e:
        story_to_spec("a poem about the sea", 100)
    assert "fitness" in e.value.hint and e.value.sqlstate == "22023"
