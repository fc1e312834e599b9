"""Rule-based story -> spec: the fallback when no model (or an unusable model spec) is at hand.

Keywords pick a domain template; counts in the story ("50k users", "2 million orders") fix
those tables; the other tables share the remaining rows in the template's proportions."""

from __future__ import annotations

import re

from .errors import SpecError
from .spec import Spec, from_dict

_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6, "mn": 1e6, "b": 1e9, "bn": 1e9,
          "billion": 1e9}
_NUMBER = re.compile(r"(\d[\d,_]*(?:\.\d+)?)\s*(k|m|mm|mn|b|bn|thousand|million|billion)?\b", re.I)


def parse_count(text: str) -> int | None:
    """'50k' -> 50000, '1.5M' -> 1500000, '10,000' -> 10000, '2 million' -> 2000000."""
    m = _NUMBER.fullmatch(str(text).strip())
    if not m:
        return None
    return int(float(m.group(1).replace(",", "").replace("_", "")) * _SCALE.get((m.group(2) or "").lower(), 1))


def _counts(story: str, aliases: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """{table: n} for every 'N <table word>' (up to two words in between) in the story."""
    found: dict[str, int] = {}
    words = re.findall(r"[a-z0-9][a-z0-9,._]*", story.lower())
    for i, w in enumerate(words):
        if not w[0].isdigit():
            continue
        n, step = (parse_count(f"{w} {words[i + 1]}"), 2) if i + 1 < len(words) else (None, 1)
        if n is None:
            n, step = parse_count(w), 1
        if n is None:
            continue
        for follow in words[i + step:i + step + 3]:
            table = next((t for t, al in aliases.items() if follow.rstrip(".,;") in al), None)
            if table:
                found.setdefault(table, n)
                break
    return found


def _seq(name: str = "id") -> dict:
    return {"name": name, "generator": {"kind": "sequence"}}


def _fk(name: str, table: str, **kw) -> dict:
    return {"name": name, "generator": {"kind": "foreign_key", "table": table, "column": "id", **kw}}


def _col(name: str, kind: str, nulls: float = 0.0, **kw) -> dict:
    return {"name": name, "generator": {"kind": kind, **kw}, **({"nulls": nulls} if nulls else {})}


def _cat(name: str, values: list, weights: list | None = None) -> dict:
    return _col(name, "categorical", values=values, **({"weights": weights} if weights else {}))


def _people() -> list[dict]:
    return [_col("first_name", "first_name"), _col("last_name", "last_name"),
            _col("email", "email", first="first_name", last="last_name")]


TS = {"start": "2022-01-01", "end": "2025-06-30"}

DOMAINS: dict[str, dict] = {
    "fitness": {
        "keywords": ("fitness", "workout", "workouts", "gym", "exercise", "training", "running", "runners", "runner",
                     "cycling", "yoga", "steps", "strava", "health", "athletes"),
        "aliases": {"users": ("users", "members", "athletes", "people"), "subscriptions": ("subscriptions", "subscribers"),
                    "workouts": ("workouts", "sessions", "activities", "exercises")},
        "share": {"users": 5, "subscriptions": 15, "workouts": 80},
        "tables": lambda: [
            ("users", [_seq(), *_people(), _col("age", "normal", mean=34, std=11, min=16, max=90, round=0),
                       _col("country", "country"),
                       _col("signup_at", "timestamp", trend=3.0, seasonality={"weekly": 0.2, "yearly": 0.3}, **TS)], {}),
            ("subscriptions", [_seq(), _fk("user_id", "users", skew=0.5),
                               _cat("plan", ["monthly", "yearly", "family"], [0.6, 0.3, 0.1]),
                               _col("price", "lognormal", mu=2.7, sigma=0.4, round=2),
                               _col("started_at", "timestamp", after={"fk": "user_id", "column": "signup_at",
                                                                      "lag_days_mean": 30}, **TS),
                               _col("cancelled", "boolean", p=0.2)], {}),
            ("workouts", [_seq(), _fk("user_id", "users", skew=0.8, max_children=2000),
                          _col("day", "date", after={"fk": "user_id", "column": "signup_at"}, **TS),
                          _cat("activity", ["run", "ride", "swim", "strength", "yoga", "walk"],
                               [0.3, 0.2, 0.08, 0.2, 0.1, 0.12]),
                          _col("minutes", "lognormal", mu=3.6, sigma=0.5, min=5, round=0),
                          _col("calories", "normal", mean=350, std=120, min=20, round=0),
                          _col("avg_heart_rate", "normal", mean=135, std=15, min=70, max=200, round=0, nulls=0.1)],
             {"constraints": [{"kind": "group_sum", "column": "minutes", "group_by": ["user_id", "day"], "max": 300}]}),
        ],
    },
    "ecommerce": {
        "keywords": ("shop", "store", "webshop", "ecommerce", "e-commerce", "commerce", "retail", "orders", "order",
                     "products", "cart", "checkout", "marketplace", "customers", "purchases", "sales"),
        "aliases": {"customers": ("customers", "users", "buyers", "shoppers"), "products": ("products", "items", "skus"),
                    "orders": ("orders", "purchases"), "order_items": ("order_items", "lines", "line_items")},
        "share": {"customers": 10, "products": 1, "orders": 30, "order_items": 59},
        "tables": lambda: [
            ("customers", [_seq(), *_people(), _col("country", "country"), _col("city", "city", country="country"),
                           _col("phone", "phone", nulls=0.15),
                           _col("created_at", "timestamp", trend=2.0, seasonality={"weekly": 0.1, "yearly": 0.2}, **TS)], {}),
            ("products", [_seq(), _col("name", "sentence", min_words=2, max_words=4),
                          _cat("category", ["electronics", "home", "clothing", "books", "beauty", "sports", "toys"],
                               [0.2, 0.18, 0.22, 0.1, 0.1, 0.1, 0.1]),
                          _col("price", "lognormal", mu=3.3, sigma=0.8, min=0.99, round=2),
                          _col("in_stock", "boolean", p=0.9)], {}),
            ("orders", [_seq(), _fk("customer_id", "customers", skew=0.7),
                        _col("ordered_at", "timestamp", after={"fk": "customer_id", "column": "created_at",
                                                               "lag_days_mean": 90}, **TS),
                        _cat("status", ["delivered", "shipped", "processing", "cancelled", "returned"],
                             [0.7, 0.1, 0.08, 0.07, 0.05]),
                        _cat("channel", ["web", "ios", "android"], [0.55, 0.25, 0.2])], {}),
            ("order_items", [_seq(), _fk("order_id", "orders", skew=0.3, min_children=1, max_children=20),
                             _fk("product_id", "products", skew=0.9),
                             _col("quantity", "zipf", n=10, s=2.0),
                             _col("unit_price", "lognormal", mu=3.3, sigma=0.8, min=0.99, round=2),
                             _col("discount", "empirical", values=[0, 0.05, 0.1, 0.2], weights=[0.7, 0.1, 0.15, 0.05]),
                             _col("total", "derived", expr="quantity * unit_price * (1 - discount)", round=2)], {}),
        ],
    },
    "saas": {
        "keywords": ("saas", "b2b", "accounts", "tenants", "workspace", "workspaces", "events", "product analytics",
                     "churn", "seats", "software"),
        "aliases": {"accounts": ("accounts", "companies", "customers", "tenants", "organizations", "orgs"),
                    "users": ("users", "seats", "members"), "events": ("events", "actions", "clicks", "pageviews")},
        "share": {"accounts": 1, "users": 9, "events": 90},
        "tables": lambda: [
            ("accounts", [_seq(), _col("company", "company"), _col("country", "country"),
                          _cat("plan", ["free", "starter", "growth", "enterprise"], [0.5, 0.25, 0.18, 0.07]),
                          _col("mrr", "lognormal", mu=5.0, sigma=1.2, round=2),
                          _col("created_at", "timestamp", trend=2.5, **TS)], {}),
            ("users", [_seq(), _fk("account_id", "accounts", skew=0.8, min_children=1, max_children=5000), *_people(),
                       _cat("role", ["admin", "member", "viewer"], [0.1, 0.7, 0.2]),
                       _col("joined_at", "timestamp", after={"fk": "account_id", "column": "created_at",
                                                             "lag_days_mean": 60}, **TS)], {}),
            ("events", [_seq(), _fk("user_id", "users", skew=0.9),
                        _cat("event", ["login", "view", "click", "create", "share", "export", "invite"],
                             [0.2, 0.35, 0.25, 0.1, 0.04, 0.04, 0.02]),
                        _col("at", "timestamp", after={"fk": "user_id", "column": "joined_at", "lag_days_mean": 120},
                             **TS),
                        _col("duration_ms", "lognormal", mu=6.0, sigma=1.0, round=0, outliers={"rate": 0.001, "factor": 50})],
             {}),
        ],
    },
    "hr": {
        "keywords": ("hr", "employees", "employee", "staff", "payroll", "timesheet", "timesheets", "departments",
                     "hours", "workforce", "salaries", "hiring", "shifts"),
        "aliases": {"departments": ("departments", "teams"), "employees": ("employees", "staff", "people", "workers"),
                    "timesheets": ("timesheets", "timesheet", "entries", "shifts")},
        "share": {"departments": 0.02, "employees": 4.98, "timesheets": 95},
        "tables": lambda: [
            ("departments", [_seq(), _cat("name", ["Engineering", "Sales", "Marketing", "Finance", "HR", "Support",
                                                   "Operations", "Legal", "Product", "Design", "Research", "IT"]),
                             _col("budget", "lognormal", mu=13.0, sigma=0.6, round=0)], {}),
            ("employees", [_seq(), _fk("department_id", "departments", skew=0.8), *_people(),
                           _cat("title", ["Associate", "Senior", "Lead", "Manager", "Director"],
                                [0.45, 0.3, 0.12, 0.1, 0.03]),
                           _col("salary", "lognormal", mu=11.1, sigma=0.35, round=0),
                           _col("hired_on", "date", start="2012-01-01", end="2025-01-31", trend=2.0)], {}),
            ("timesheets", [_seq(), _fk("employee_id", "employees", skew=0.3, max_children=300),
                            _col("work_date", "date", **TS),
                            _col("hours", "normal", mean=7.5, std=1.5, min=0.5, max=12, round=2),
                            _cat("project", ["internal", "client-a", "client-b", "client-c", "r&d"])],
             {"unique": [["employee_id", "work_date"]],
              "constraints": [{"kind": "group_sum", "column": "hours", "group_by": ["employee_id", "work_date"],
                               "max": 8}]}),
        ],
    },
}


def match_domain(story: str) -> str:
    text = story.lower()
    words = set(re.findall(r"[a-z][a-z&-]*", text))
    scores = {d: sum((k in words) if " " not in k else (k in text) for k in v["keywords"])
              for d, v in DOMAINS.items()}
    best = max(scores, key=lambda d: scores[d])
    if scores[best] == 0:
        raise SpecError("no rule-based template matches this story",
                        hint=f"mention one of: {', '.join(DOMAINS)} (e.g. 'an online shop with 10k customers'), "
                             "or pass a spec")
    return best


def story_to_spec(story: str, rows: int | None = None, *, seed: int = 0) -> Spec:
    """A multi-table spec for the story; `rows` is the total across tables (default 100,000
    or what the story's counts imply)."""
    domain = match_domain(story)
    d = DOMAINS[domain]
    fixed = _counts(story, d["aliases"])
    share = d["share"]
    if rows is None:
        rows = 100_000 if not fixed else int(sum(fixed.values()) / sum(share[t] for t in fixed) * sum(share.values()))
    free = [t for t in share if t not in fixed]
    left = rows - sum(fixed.values())
    if left <= 0 and fixed:  # the story's counts win; the others follow the template's proportions
        left = int(sum(fixed.values()) / sum(share[t] for t in fixed) * sum(share.values())) - sum(fixed.values())
    counts = dict(fixed)
    for t in free:
        counts[t] = max(1, int(left * share[t] / sum(share[x] for x in free)))
    tables = []
    for name, columns, extra in d["tables"]():
        tables.append({"name": name, "rows": counts[name], "columns": columns, **extra})
    _fit_children(tables)
    return from_dict({"seed": seed, "tables": tables})


def _fit_children(tables: list[dict]) -> None:
    """Keep min/max children feasible when counts were fixed by the story."""
    rows = {t["name"]: t["rows"] for t in tables}
    for t in tables:
        for c in t["columns"]:
            g = c["generator"]
            if g["kind"] != "foreign_key":
                continue
            parents = rows[g["table"]]
            if g.get("min_children") and parents * g["min_children"] > t["rows"]:
                g["min_children"] = t["rows"] // max(parents, 1)
            if g.get("max_children") and parents * g["max_children"] < t["rows"]:
                g["max_children"] = -(-t["rows"] // max(parents, 1)) * 2
            for u in t.get("unique", []):  # distinct days per parent need enough days
                if c["name"] in u and g.get("max_children"):
                    g["max_children"] = min(g["max_children"], 1277)
                    if parents * g["max_children"] < t["rows"]:
                        t["rows"] = parents * g["max_children"]
