"""The three forms of CALL synthesize over the wire: result rows, progress NOTICEs, row counts,
and our own SQL checks of the loaded data (keys, foreign keys, dates, group sums)."""

from __future__ import annotations

import json

import pytest
import yaml

from .conftest import FITNESS, FITNESS_ROWS, renamed, scalar, staging_tables, synthesize, user_tables


def _count(conn, table: str) -> int:
    return scalar(conn, f'SELECT count(*) FROM "{table}"')


def _duplicates(conn, table: str, *cols: str) -> int:
    keys = ", ".join(cols)
    return scalar(conn, f'SELECT count(*) FROM (SELECT {keys} FROM "{table}" GROUP BY {keys} HAVING count(*) > 1) d')


def _orphans(conn, child: str, fk: str, parent: str, key: str = "id") -> int:
    return scalar(conn, f'SELECT count(*) FROM "{child}" c LEFT JOIN "{parent}" p ON c.{fk} = p.{key} '
                        f'WHERE p.{key} IS NULL AND c.{fk} IS NOT NULL')


def check_fitness(conn, users: str, subs: str, workouts: str) -> None:
    """The spec's promises, checked by our own SQL rather than the server's validation."""
    assert _duplicates(conn, users, "id") == 0
    assert _duplicates(conn, users, "email") == 0
    assert _duplicates(conn, users, "code") == 0
    assert scalar(conn, f'SELECT count(*) FROM "{users}" WHERE code < 1 OR code > 5000') == 0
    assert _duplicates(conn, subs, "user_id", "plan") == 0
    assert _duplicates(conn, workouts, "id") == 0
    assert _orphans(conn, subs, "user_id", users) == 0
    assert _orphans(conn, workouts, "user_id", users) == 0
    # min_children 1, max_children 5 per user
    lo, hi, parents = conn.execute(
        f'SELECT min(n), max(n), count(*) FROM (SELECT u.id, count(s.id) AS n FROM "{users}" u '
        f'LEFT JOIN "{subs}" s ON s.user_id = u.id GROUP BY u.id) x').fetchone()
    assert parents == _count(conn, users) and lo >= 1 and hi <= 5
    # child dates never before the parent's
    assert scalar(conn, f'SELECT count(*) FROM "{subs}" s JOIN "{users}" u ON s.user_id = u.id '
                        f'WHERE s.started_at < u.signup_at') == 0
    assert scalar(conn, f'SELECT count(*) FROM "{workouts}" w JOIN "{users}" u ON w.user_id = u.id '
                        f'WHERE w.day < CAST(u.signup_at AS DATE)') == 0
    # group sum: minutes per user per day at most 150; range on kcal
    assert scalar(conn, f'SELECT max(s) FROM (SELECT sum(minutes) AS s FROM "{workouts}" '
                        f'GROUP BY user_id, day) g') <= 150
    assert scalar(conn, f'SELECT count(*) FROM "{workouts}" WHERE kcal < 0 OR kcal > 2000') == 0
    # the data is not degenerate: skewed parents, nulls at about the asked rate
    assert scalar(conn, f'SELECT count(DISTINCT user_id) FROM "{workouts}"') > 50
    nulls = scalar(conn, f'SELECT avg(CASE WHEN age IS NULL THEN 1.0 ELSE 0.0 END) FROM "{users}"')
    assert 0.01 < float(nulls) < 0.12


def test_spec_json(conn):
    spec = renamed(FITNESS, "fj")
    result = synthesize(conn, spec)
    assert list(result) == ["users_fj", "subscriptions_fj", "workouts_fj"]  # parents first
    for table, (rows, seconds, rps) in result.items():
        assert rows == FITNESS_ROWS[table.removesuffix("_fj")]
        assert seconds >= 0 and rps > 0
        assert _count(conn, table) == rows
    msgs = conn.notices.messages()
    for table, (rows, _, _) in result.items():
        assert any(m.startswith(f"synthesize: {table}: {rows:,} rows") for m in msgs), msgs
    assert any("validation" in m and "0 violations" in m for m in msgs), msgs
    check_fitness(conn, "users_fj", "subscriptions_fj", "workouts_fj")
    assert not staging_tables(conn)


def test_spec_yaml_positional_and_named(conn):
    spec = renamed(FITNESS, "fy")
    text = yaml.safe_dump(spec, sort_keys=False)
    result = synthesize(conn, text)
    assert {t: r[0] for t, r in result.items()} == {f"{t}_fy": n for t, n in FITNESS_ROWS.items()}
    check_fitness(conn, "users_fy", "subscriptions_fy", "workouts_fy")
    # the same YAML given positionally is recognised as a spec, not a story
    positional = text.replace("_fy", "_fp")
    cur = conn.execute("CALL synthesize(%s)".replace("%s", "'" + positional.replace("'", "''") + "'"))
    assert {r[0]: r[1] for r in cur.fetchall()} == {f"{t}_fp": n for t, n in FITNESS_ROWS.items()}


def test_spec_rows_option_scales_tables(conn):
    spec = renamed(FITNESS, "fr")
    result = synthesize(conn, spec, rows=2300)  # total of 4600 halved
    counts = {t: r[0] for t, r in result.items()}
    assert counts == {"users_fr": 200, "subscriptions_fr": 600, "workouts_fr": 1500}
    for table, n in counts.items():
        assert _count(conn, table) == n
    check_fitness(conn, "users_fr", "subscriptions_fr", "workouts_fr")


def _check_story_fitness(conn) -> None:
    assert _orphans(conn, "subscriptions", "user_id", "users") == 0
    assert _orphans(conn, "workouts", "user_id", "users") == 0
    assert _duplicates(conn, "users", "id") == 0 and _duplicates(conn, "users", "email") == 0
    assert _duplicates(conn, "workouts", "id") == 0
    assert scalar(conn, 'SELECT count(*) FROM subscriptions s JOIN users u ON s.user_id = u.id '
                        'WHERE s.started_at < u.signup_at') == 0
    assert scalar(conn, 'SELECT count(*) FROM workouts w JOIN users u ON w.user_id = u.id '
                        'WHERE w.day < CAST(u.signup_at AS DATE)') == 0
    assert scalar(conn, 'SELECT max(s) FROM (SELECT sum(minutes) AS s FROM workouts GROUP BY user_id, day) g') <= 300


def test_story_counts_from_the_story(conn):
    result = synthesize(conn, story="a fitness app with 2k users, their subscriptions and workouts")
    counts = {t: r[0] for t, r in result.items()}
    # 2k users fixed by the story; the others follow the template's proportions (5 : 15 : 80)
    assert counts == {"users": 2000, "subscriptions": 6000, "workouts": 32000}
    for table, n in counts.items():
        assert _count(conn, table) == n
    _check_story_fitness(conn)
    assert any(m.startswith("synthesize: workouts: 32,000 rows") for m in conn.notices.messages())


def test_story_with_rows(conn):
    result = synthesize(conn, story="a fitness app with members, their subscriptions and workouts",
                        rows=20000, mode="replace")
    counts = {t: r[0] for t, r in result.items()}
    assert counts == {"users": 1000, "subscriptions": 3000, "workouts": 16000}
    assert sum(_count(conn, t) for t in counts) == 20000
    _check_story_fitness(conn)
    assert not staging_tables(conn)


def test_story_count_and_rows_together(conn):
    """The issue's form: the story fixes the users, rows => N the total; the rest share what is left."""
    result = synthesize(conn, story="a fitness app with 5k users, their subscriptions and workouts",
                        rows=100000, mode="replace")
    counts = {t: r[0] for t, r in result.items()}
    assert counts == {"users": 5000, "subscriptions": 15000, "workouts": 80000}
    assert {t: _count(conn, t) for t in counts} == counts
    _check_story_fitness(conn)


def test_story_other_domain(conn):
    result = synthesize(conn, story="an online shop with customers, products and orders", rows=10000,
                        schema="main")
    assert set(result) == {"customers", "products", "orders", "order_items"}
    assert sum(r[0] for r in result.values()) == pytest.approx(10000, abs=4)
    assert _orphans(conn, "orders", "customer_id", "customers") == 0
    assert _orphans(conn, "order_items", "order_id", "orders") == 0
    assert _orphans(conn, "order_items", "product_id", "products") == 0
    # every order has 1..20 items (min/max children in the template)
    lo, hi = conn.execute('SELECT min(n), max(n) FROM (SELECT o.id, count(i.id) AS n FROM orders o '
                          'LEFT JOIN order_items i ON i.order_id = o.id GROUP BY o.id) x').fetchone()
    assert lo >= 1 and hi <= 20


def test_story_matching_nothing_is_an_error(conn):
    import psycopg

    with pytest.raises(psycopg.Error) as e:
        synthesize(conn, story="the migration patterns of arctic terns")
    assert e.value.sqlstate[:2] in ("22", "42")
    assert e.value.diag.message_hint  # tells which domains exist or to pass a spec


def _make_source(conn, name: str, rows: int) -> None:
    synthesize(conn, {"seed": 3, "tables": [{"name": name, "rows": rows, "columns": [
        {"name": "id", "generator": {"kind": "sequence"}},
        {"name": "status", "generator": {"kind": "categorical", "values": ["new", "paid", "shipped"],
                                         "weights": [0.2, 0.5, 0.3]}},
        {"name": "amount", "generator": {"kind": "lognormal", "mu": 3, "sigma": 0.5, "round": 2}},
        {"name": "ordered_at", "generator": {"kind": "timestamp", "start": "2023-01-01", "end": "2024-01-01"}},
        {"name": "note", "generator": {"kind": "word"}, "nulls": 0.3},
    ]}]})


def test_like_replace_profiles_the_table(conn):
    _make_source(conn, "src_like", 5000)
    before = conn.execute("SELECT min(ordered_at), max(ordered_at), avg(amount) FROM src_like").fetchone()
    result = synthesize(conn, like="src_like", rows=20000, mode="replace")
    assert {t: r[0] for t, r in result.items()} == {"src_like": 20000}
    assert _count(conn, "src_like") == 20000
    assert _duplicates(conn, "src_like", "id") == 0  # a key profiles as a key
    cols = conn.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'src_like' "
                        "ORDER BY ordinal_position").fetchall()
    assert [c[0] for c in cols] == ["id", "status", "amount", "ordered_at", "note"]
    # categories with their frequencies, null rates and ranges resemble the profiled data
    statuses = dict(conn.execute("SELECT status, count(*) FROM src_like GROUP BY status").fetchall())
    assert set(statuses) == {"new", "paid", "shipped"}
    assert statuses["paid"] / 20000 == pytest.approx(0.5, abs=0.05)
    nulls = float(scalar(conn, "SELECT avg(CASE WHEN note IS NULL THEN 1.0 ELSE 0.0 END) FROM src_like"))
    assert nulls == pytest.approx(0.3, abs=0.05)
    lo, hi, avg = conn.execute("SELECT min(ordered_at), max(ordered_at), avg(amount) FROM src_like").fetchone()
    assert lo >= before[0] and hi <= before[1]
    assert float(avg) == pytest.approx(float(before[2]), rel=0.1)
    assert not staging_tables(conn)


def test_like_without_mode_is_an_existing_table(conn):
    import psycopg

    _make_source(conn, "src_like_create", 100)
    with pytest.raises(psycopg.errors.DuplicateTable):
        synthesize(conn, like="src_like_create", rows=1000)
    assert _count(conn, "src_like_create") == 100


def test_parents_come_first_whatever_the_spec_order(conn):
    """A spec listing children first still loads the parent first (result rows and NOTICEs)."""
    spec = renamed(FITNESS, "fo")
    spec["tables"] = list(reversed(spec["tables"]))
    result = synthesize(conn, json.dumps(spec))
    assert list(result)[0] == "users_fo"
    assert set(result) == {"users_fo", "subscriptions_fo", "workouts_fo"}
    progress = [m.split(":")[1].strip() for m in conn.notices.messages() if m.count(":") >= 2]
    assert progress[:3] == list(result)
    assert {"users_fo", "subscriptions_fo", "workouts_fo"} <= user_tables(conn)
    check_fitness(conn, "users_fo", "subscriptions_fo", "workouts_fo")
