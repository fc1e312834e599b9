"""check(): parse, then hold every statement to the role's policy; verdicts are cached."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable, Mapping

from sqlglot import exp

from .config import Policy
from .context import Catalog, Context
from .errors import GuardError, GuardSyntaxError, LimitExceeded, PolicyViolation
from .parse import parse_with_tokens
from .shapes import ShapeCache, filter_value_starts, has_shape, shape_of, trim

SOURCES = ("typed", "ask", "synthesize", "catalog")
META_KEY = "guard"   # stmt.meta["guard"]: {"notes": [...], "rewrites": [...], "second_opinion": ...}


@dataclass(frozen=True)
class Verdict:
    """A second opinion on generated SQL: ok=False when it does not answer the question or
    does something else. label: the judge's word for it (askgres.llm.judge: OK, WRONG, UNSAFE,
    UNSURE); any object with `ok` and `reason` (and optionally `verdict` or `label`) will do."""

    ok: bool
    reason: str = ""
    label: str = ""


SecondOpinion = Callable[[str, str], Verdict]


def verdict_label(opinion: object) -> str:
    return str(getattr(opinion, "label", "") or getattr(opinion, "verdict", "") or
               ("OK" if getattr(opinion, "ok", False) else "REFUSED"))


class VerdictCache:
    """LRU of verdicts: approved statements (returned as copies) or the GuardError raised; and
    the shapes of approved statements (askgres.guard.shapes), which answer texts that differ
    from an approved one only in the values their filters compare columns with."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._items: OrderedDict[tuple, object] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0
        self.shapes = ShapeCache(size)

    def get(self, key: tuple) -> object | None:
        with self._lock:
            value = self._items.get(key)
            if value is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: tuple, value: object) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            trim(self._items, self.size)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
        self.shapes.clear()


DEFAULT_CACHE = VerdictCache()


def check(sql: str, policy: Policy | None = None, *, source: str = "typed",
          single: bool = False, schema: Catalog | Mapping | None = None,
          user: str | None = None, question: str | None = None,
          second_opinion: SecondOpinion | None = None, hash_salt: str = "",
          cache: VerdictCache | None = DEFAULT_CACHE, copy: bool = False) -> list[exp.Expr]:
    """Parse `sql` and return its approved, possibly rewritten statements ([] when empty).

    source: 'typed' (a client's SQL), 'ask' (generated from `question`: one statement, held to
    reads), 'synthesize' or 'catalog' (askgres' own SQL). single=True refuses more than one
    statement. schema: a Catalog (columns, table_rows, views, detected pii) or a plain mapping
    table -> columns. second_opinion(question, sql) -> Verdict is asked about generated SQL when
    the policy's `second_opinion` is 'log' or 'block'. Each returned statement carries
    stmt.meta['guard'] = {'notes': [...], 'rewrites': [...], 'second_opinion': Verdict|None}.

    The statements come from the verdict cache and are shared between calls: treat them as
    read-only (sqlglot's transforms and .sql() copy or only read), or pass copy=True for
    private copies (a deep copy costs about as much as the cached check itself, x5-x10).

    Raises GuardError: sqlstate 42601 (syntax), 42501 (policy), 54000 (limits).
    """
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, not {source!r}")
    policy = policy or Policy()
    catalog = Catalog.coerce(schema)
    if source == "ask":
        single, policy = True, policy.read_only()
    asks_opinion = source == "ask" and second_opinion is not None and policy.second_opinion != "off"
    context = (policy.fingerprint, source, single, catalog.fingerprint, hash_salt)   # what a verdict depends on
    key = (sql, *context, question if asks_opinion else None)
    cached = cache.get(key) if cache is not None else None
    if cached is None:
        # a second opinion judges the text against its question: no shortcut by shape
        shapes = cache.shapes if cache is not None and not asks_opinion else None
        keep = cache is not None
        try:
            cached, by_shape = _check(sql, policy, source, single, catalog, user, question,
                                      second_opinion if asks_opinion else None, hash_salt, shapes, context)
            keep = keep and not by_shape   # its shape answers it again: no AST kept per filter value
        except GuardError as error:
            cached = error
        if keep:
            cache.put(key, cached)
    if isinstance(cached, GuardError):
        raise _fresh(cached)
    return [_copy(stmt) for stmt in cached] if copy else list(cached)


def _copy(stmt: exp.Expr) -> exp.Expr:
    out = stmt.copy()
    info = stmt.meta.get(META_KEY)
    if info is not None:
        out.meta[META_KEY] = {k: list(v) if isinstance(v, list) else v for k, v in info.items()}
    return out


def _fresh(error: GuardError) -> GuardError:
    # a new exception per raise, so that tracebacks of cached verdicts do not pile up
    return type(error)(error.message, error.sqlstate, rule=error.rule, detail=error.detail,
                       hint=error.hint, position=error.position)


def _check(sql, policy, source, single, catalog, user, question, second_opinion,
           hash_salt, shapes: ShapeCache | None = None,
           shape_context: tuple = ()) -> tuple[list[exp.Expr], bool]:
    """(the approved statements, whether the shape cache approved them)"""
    if len(sql) > policy.max_statement_bytes:
        raise LimitExceeded(
            f"statement too long: {len(sql)} characters, the limit is "
            f"{policy.max_statement_bytes} (rule max_statement_bytes)", rule="max_statement_bytes",
            hint="Send a shorter statement.")
    statements, tokens = parse_with_tokens(sql)
    if single and len(statements) > 1:
        raise GuardSyntaxError(
            f"cannot run {len(statements)} statements here: only one statement is allowed "
            f"(rule single_statement)", rule="single_statement",
            hint="Send one statement at a time; generated SQL is always a single query.")
    shape = shape_key = None
    if shapes is not None and statements and has_shape(sql):
        shape = shape_of(tokens)
        shape_key = (shape.masked, *shape_context)
        known = shapes.approves(shape_key, shape)
        if known is not None and len(known) == len(statements):
            # this text's own parse, so the engine sees its values; rewritten as the approved text was
            return [_replay(stmt, names, policy, source, catalog, user, question, hash_salt)
                    for stmt, names in zip(statements, known)], True
    from .rules import RULES
    approved = []
    filter_starts: set[int] | None = set() if shape is not None else None
    rewrites = []
    for stmt in statements:
        # owned: this parse is the check's own, so rewriting rules change it instead of copying
        ctx = Context(catalog=catalog, source=source, user=user, question=question,
                      hash_salt=hash_salt, owned=True)
        parsed = stmt
        stmt = _apply_rules(_copy_table_to_query(stmt), RULES, policy, ctx)
        opinion = None
        if second_opinion is not None:
            opinion = second_opinion(question or "", sql)
            if not opinion.ok and policy.second_opinion == "block":
                label = verdict_label(opinion)
                what = ("does something the question did not ask for" if label == "UNSAFE"
                        else "does not answer the question as asked")
                raise PolicyViolation(
                    f"permission denied: the model's second opinion found that the generated SQL {what}"
                    f" (rule second_opinion)", rule="second_opinion",
                    detail=f"verdict {label}: {opinion.reason or 'no reason given'}\nSQL: {sql}",
                    hint="Rephrase the question more precisely, or write the SQL yourself. An "
                         "administrator can set second_opinion = \"log\" for this role to only log "
                         "such verdicts.")
        stmt.meta[META_KEY] = {"notes": ctx.notes, "rewrites": ctx.rules_applied,
                               "second_opinion": opinion}
        approved.append(stmt)
        if filter_starts is not None:
            if opinion is None and not isinstance(parsed, exp.Copy):   # COPY's query form is not replayed
                filter_starts |= filter_value_starts(ctx.index(stmt).find_all(exp.Literal))
                rewrites.append(tuple(ctx.rules_applied))
            else:
                filter_starts = None
    if filter_starts is not None:
        shapes.remember(shape_key, shape, filter_starts, tuple(rewrites))
    return approved, False


def _replay(stmt: exp.Expr, names: tuple[str, ...], policy, source, catalog, user, question,
            hash_salt) -> exp.Expr:
    """`stmt` (a new text of an approved shape) with the rewriting rules `names` applied, in order."""
    from .rules import RULES_BY_NAME
    ctx = Context(catalog=catalog, source=source, user=user, question=question, hash_salt=hash_salt,
                  owned=True, replay=True)
    stmt = _apply_rules(stmt, [RULES_BY_NAME[name] for name in names], policy, ctx)
    stmt.meta[META_KEY] = {"notes": ctx.notes, "rewrites": ctx.rules_applied, "second_opinion": None}
    return stmt


def _apply_rules(stmt: exp.Expr, rules, policy, ctx: Context) -> exp.Expr:
    """`stmt` after `rules` in order: each may refuse it (raise), pass it, or rewrite it."""
    for rule in rules:
        rewritten = rule(stmt, policy, ctx)
        if rewritten is not None:
            stmt = rewritten
            ctx.changed()
            ctx.rules_applied.append(rule.__name__)
    return stmt


def _copy_table_to_query(stmt: exp.Expr) -> exp.Expr:
    """COPY t [(a, b)] TO STDOUT reads like SELECT a, b FROM t: give it that form, so that
    column rules, masking and row limits see a query."""
    if not isinstance(stmt, exp.Copy) or stmt.args.get("kind"):
        return stmt
    target = stmt.this
    columns: list[exp.Expr] = [exp.Star()]
    if isinstance(target, exp.Schema):
        columns = [exp.column(c.name, quoted=getattr(c, "quoted", False)) for c in target.expressions]
        target = target.this
    if not isinstance(target, exp.Table):
        return stmt
    stmt = stmt.copy()
    stmt.set("this", exp.Subquery(this=exp.select(*columns).from_(target.copy())))
    return stmt
