"""Typed synth spec: tables, columns and their generators, constraints.

A spec is plain data (JSON or YAML); `parse_spec` validates it and reports the first problems
with the field path named by table and column, e.g. `tables.users.columns.age.generator.std`.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any, Literal, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import SpecError

Scalar = Union[bool, int, float, str]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# ---- noise and drift, shared by numeric generators -------------------------------------------

class Outliers(_Model):
    rate: float = Field(ge=0, le=1, description="Fraction of rows turned into outliers.")
    factor: float = Field(10.0, description="Outlier value = value * factor.")


class Drift(_Model):
    column: str = Field(description="Date/timestamp column of the same table that drives the drift.")
    per_year: float = Field(description="Relative change per year after the column's start, e.g. 0.1 = +10%/year.")


class Correlation(_Model):
    column: str = Field(description="Numeric column of the same table this one is correlated with.")
    corr: float = Field(ge=-0.999, le=0.999, description="Target correlation (Gaussian copula).")


class _Numeric(_Model):
    min: float | None = Field(None, description="Values below are clipped to this.")
    max: float | None = Field(None, description="Values above are clipped to this.")
    round: int | None = Field(None, ge=0, le=12, description="Decimals to round to.")
    integer: bool = Field(False, description="Emit BIGINT instead of DOUBLE.")
    correlate: Correlation | None = None
    outliers: Outliers | None = None
    drift: Drift | None = None


# ---- generators --------------------------------------------------------------------------------

class Sequence(_Model):
    kind: Literal["sequence"]
    start: int = 1
    step: int = Field(1, description="Non-zero increment.")


class Uniform(_Numeric):
    kind: Literal["uniform"]
    low: float = Field(0.0, description="Lower bound (inclusive).")
    high: float = Field(1.0, description="Upper bound (exclusive; inclusive for integer).")
    unique: bool = Field(False, description="Integer values drawn without replacement.")


class Normal(_Numeric):
    kind: Literal["normal"]
    mean: float = 0.0
    std: float = Field(1.0, gt=0)


class LogNormal(_Numeric):
    kind: Literal["lognormal"]
    mu: float = Field(0.0, description="Mean of log(value).")
    sigma: float = Field(1.0, gt=0, description="Std of log(value).")


class Exponential(_Numeric):
    kind: Literal["exponential"]
    mean: float = Field(1.0, gt=0)


class Poisson(_Numeric):
    kind: Literal["poisson"]
    mean: float = Field(gt=0, le=1e9)
    integer: bool = True


class Zipf(_Numeric):
    kind: Literal["zipf"]
    n: int = Field(1000, ge=1, description="Largest rank.")
    s: float = Field(1.1, gt=0, description="Exponent: P(k) ~ k**-s.")
    integer: bool = True


class PowerLaw(_Numeric):
    kind: Literal["power_law"]
    xmin: float = Field(1.0, gt=0)
    alpha: float = Field(1.5, gt=0, description="Tail exponent: P(X > x) = (x/xmin)**-alpha.")


class Empirical(_Numeric):
    kind: Literal["empirical"]
    values: list[float] | None = Field(None, description="Discrete values, drawn with `weights`.")
    weights: list[float] | None = None
    quantiles: list[float] | None = Field(None, description="Equally spaced quantiles (min..max), interpolated.")

    @model_validator(mode="after")
    def _one_form(self) -> "Empirical":
        if (self.values is None) == (self.quantiles is None):
            raise ValueError("give either values (with optional weights) or quantiles")
        if self.values is not None and not self.values:
            raise ValueError("values must not be empty")
        if self.weights is not None and (self.values is None or len(self.weights) != len(self.values)):
            raise ValueError("weights must have one entry per value")
        if self.quantiles is not None and (len(self.quantiles) < 2 or any(
                b < a for a, b in zip(self.quantiles, self.quantiles[1:]))):
            raise ValueError("quantiles must be at least 2 non-decreasing numbers")
        return self


class Categorical(_Model):
    kind: Literal["categorical"]
    values: list[Scalar] = Field(min_length=1)
    weights: list[float] | None = None
    unique: bool = Field(False, description="Each value at most once (rows <= len(values)).")

    @model_validator(mode="after")
    def _check(self) -> "Categorical":
        if self.weights is not None:
            if len(self.weights) != len(self.values):
                raise ValueError(f"weights has {len(self.weights)} entries, values has {len(self.values)}")
            if any(w < 0 for w in self.weights) or sum(self.weights) <= 0:
                raise ValueError("weights must be non-negative with a positive sum")
        kinds = {type(v) for v in self.values}
        if len(kinds) > 1 and not kinds <= {int, float}:
            raise ValueError("values must all have one type")
        return self


class Boolean(_Model):
    kind: Literal["boolean"]
    p: float = Field(0.5, ge=0, le=1, description="Probability of true.")


class Seasonality(_Model):
    weekly: float = Field(0.0, ge=0, le=1, description="Amplitude of the weekday cycle (weekends lower).")
    yearly: float = Field(0.0, ge=0, le=1, description="Amplitude of the yearly cycle (peak in December).")
    daily: float = Field(0.0, ge=0, le=1, description="Amplitude of the time-of-day cycle (timestamps; peak mid-afternoon).")


class After(_Model):
    fk: str = Field(description="Foreign-key column of this table.")
    column: str = Field(description="Date/timestamp column of the parent table.")
    lag_days_mean: float | None = Field(None, gt=0, description="Mean of an exponential lag; default uniform up to `end`.")


class _Temporal(_Model):
    start: dt.datetime = Field(description="Earliest value.")
    end: dt.datetime = Field(description="Latest value.")
    trend: float = Field(1.0, gt=0, description="Density at `end` relative to `start` (2.0 = twice as many late events).")
    seasonality: Seasonality | None = None
    after: After | None = Field(None, description="Never before the parent's value (through a foreign key).")
    quantiles: list[dt.datetime] | None = Field(None, description="Equally spaced quantiles to interpolate (from profiling).")

    @field_validator("start", "end", mode="before")
    @classmethod
    def _date_ok(cls, v: Any) -> Any:
        if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
            return dt.datetime(v.year, v.month, v.day)
        return v

    @field_validator("quantiles", mode="before")
    @classmethod
    def _dates_ok(cls, v: Any) -> Any:
        if isinstance(v, list):
            return [dt.datetime(x.year, x.month, x.day) if isinstance(x, dt.date) and not isinstance(x, dt.datetime) else x
                    for x in v]
        return v

    @model_validator(mode="after")
    def _range(self) -> "_Temporal":
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("start/end must be naive (UTC) timestamps")
        if self.end <= self.start:
            raise ValueError(f"end ({self.end}) must be after start ({self.start})")
        return self


class Date(_Temporal):
    kind: Literal["date"]


class Timestamp(_Temporal):
    kind: Literal["timestamp"]


class _Text(_Model):
    pass


class FirstName(_Text):
    kind: Literal["first_name"]


class LastName(_Text):
    kind: Literal["last_name"]


class FullName(_Text):
    kind: Literal["full_name"]
    first: str | None = Field(None, description="first_name column to reuse.")
    last: str | None = Field(None, description="last_name column to reuse.")


class Email(_Text):
    kind: Literal["email"]
    first: str | None = Field(None, description="first_name column to build from.")
    last: str | None = Field(None, description="last_name column to build from.")
    domains: list[str] | None = Field(None, description="Mail domains; default a shipped list.")


class Company(_Text):
    kind: Literal["company"]


class City(_Text):
    kind: Literal["city"]
    country: str | None = Field(None, description="A country column of this table: cities are drawn from that country.")


class Country(_Text):
    kind: Literal["country"]
    weights: Literal["population", "uniform"] = "population"


class Phone(_Text):
    kind: Literal["phone"]
    format: str = Field("+1-###-###-####", description="Each # becomes a digit.")


class StreetAddress(_Text):
    kind: Literal["street_address"]


class Word(_Text):
    kind: Literal["word"]


class Sentence(_Text):
    kind: Literal["sentence"]
    min_words: int = Field(4, ge=1, le=40)
    max_words: int = Field(12, ge=1, le=40)


class Uuid(_Text):
    kind: Literal["uuid"]


class ForeignKey(_Model):
    kind: Literal["foreign_key"]
    table: str = Field(description="Parent table.")
    column: str = Field(description="Parent key column (a sequence or another unique generator).")
    skew: float = Field(0.0, ge=0, le=4, description="Zipf exponent of parent popularity (0 = uniform).")
    min_children: int | None = Field(None, ge=0, description="Every parent has at least this many children.")
    max_children: int | None = Field(None, ge=1, description="No parent has more children than this.")

    @model_validator(mode="after")
    def _bounds(self) -> "ForeignKey":
        if self.min_children is not None and self.max_children is not None and self.min_children > self.max_children:
            raise ValueError(f"min_children ({self.min_children}) > max_children ({self.max_children})")
        return self


class Derived(_Model):
    kind: Literal["derived"]
    expr: str = Field(description="SQL expression over this table's columns, e.g. quantity * unit_price.")
    round: int | None = Field(None, ge=0, le=12)
    integer: bool = False


Generator = Annotated[Union[
    Sequence, Uniform, Normal, LogNormal, Exponential, Poisson, Zipf, PowerLaw, Empirical,
    Categorical, Boolean, Date, Timestamp, FirstName, LastName, FullName, Email, Company, City,
    Country, Phone, StreetAddress, Word, Sentence, Uuid, ForeignKey, Derived,
], Field(discriminator="kind")]

NUMERIC_KINDS = ("uniform", "normal", "lognormal", "exponential", "poisson", "zipf", "power_law", "empirical")
TEXT_KINDS = ("first_name", "last_name", "full_name", "email", "company", "city", "country", "phone",
              "street_address", "word", "sentence", "uuid")


class ColumnSpec(_Model):
    name: str = Field(min_length=1, max_length=63)
    generator: Generator
    nulls: float = Field(0.0, ge=0, le=1, description="Fraction of NULLs (missing values).")


# ---- constraints -------------------------------------------------------------------------------

class Compare(_Model):
    kind: Literal["compare"]
    left: str
    op: Literal["<", "<=", ">", ">="]
    right: str


class GroupSum(_Model):
    kind: Literal["group_sum"]
    column: str = Field(description="Numeric column summed.")
    group_by: list[str] = Field(min_length=1, description="Must include a clustered foreign key (one with min/max children or the only FK).")
    max: float = Field(description="Upper bound of the sum per group; rows of a group over it are scaled down.")


class Range(_Model):
    kind: Literal["range"]
    column: str
    min: float | None = None
    max: float | None = None


Constraint = Annotated[Union[Compare, GroupSum, Range], Field(discriminator="kind")]


class TableSpec(_Model):
    name: str = Field(min_length=1, max_length=63)
    rows: int = Field(ge=0, le=10_000_000_000)
    columns: list[ColumnSpec] = Field(min_length=1)
    unique: list[list[str]] = Field(default_factory=list, description="Column sets whose values must be unique.")
    constraints: list[Constraint] = Field(default_factory=list)

    @field_validator("unique", mode="before")
    @classmethod
    def _one_or_many(cls, v: Any) -> Any:
        if isinstance(v, list):
            return [[x] if isinstance(x, str) else x for x in v]
        return v

    def column(self, name: str) -> ColumnSpec:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


class Spec(_Model):
    tables: list[TableSpec] = Field(min_length=1)
    seed: int = 0

    def table(self, name: str) -> TableSpec:
        for t in self.tables:
            if t.name == name:
                return t
        raise KeyError(name)


# ---- parsing -----------------------------------------------------------------------------------

def _named_path(data: Any, loc: tuple) -> str:
    """`('tables', 1, 'columns', 2, 'generator')` -> `tables.orders.columns.total.generator`."""
    out, node = [], data
    for part in loc:
        if isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node):
            node = node[part]
            name = node.get("name") if isinstance(node, dict) else None
            out.append(str(name) if isinstance(name, str) else str(part))
            continue
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and part not in node:
            node = None  # a discriminated-union tag, e.g. 'normal'
            continue
        else:
            node = None
        out.append(str(part))
    return ".".join(out)


def from_dict(data: Any) -> Spec:
    """Validate a plain dict into a Spec (structure, references, expressions)."""
    if not isinstance(data, dict):
        raise SpecError(f"a spec must be a mapping with a 'tables' list, not {type(data).__name__}")
    try:
        spec = Spec.model_validate(data)
    except ValidationError as e:
        errs = e.errors()
        lines = []
        for err in errs[:5]:
            path = _named_path(data, err["loc"]) or "spec"
            lines.append(f"{path}: {err['msg']}")
        first = lines[0].split(": ", 1)
        raise SpecError(f"invalid spec: {lines[0]}", detail="\n".join(lines) if len(lines) > 1 else None,
                        field=first[0]) from None
    from .checks import check_references
    check_references(spec)
    return spec


def parse_spec(text: str) -> Spec:
    """Parse a JSON or YAML spec (JSON is YAML, but JSON errors read better from json)."""
    text = text.strip()
    try:
        data = json.loads(text) if text.startswith("{") else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as e:
        raise SpecError(f"spec is neither valid JSON nor YAML: {e}") from None
    return from_dict(data)


def spec_json_schema() -> dict:
    """The JSON schema of Spec, for prompting a model to write one."""
    return Spec.model_json_schema()


def validate_model_spec(data: Any) -> Spec:
    """Validate a model-written spec after light coercion of common slips
    (a bare generator name as a string, `type` instead of `kind`, rows as '50k')."""
    return from_dict(_coerce(data))


def _coerce(data: Any) -> Any:
    from .stories import parse_count
    if isinstance(data, str):
        return yaml.safe_load(data)
    if not isinstance(data, dict):
        return data
    data = dict(data)
    tables = data.get("tables")
    if isinstance(tables, dict):  # {"users": {...}} -> [{"name": "users", ...}]
        tables = [{"name": k, **v} if isinstance(v, dict) else v for k, v in tables.items()]
    if isinstance(tables, list):
        fixed = []
        for t in tables:
            if isinstance(t, dict):
                t = dict(t)
                if isinstance(t.get("rows"), str):
                    n = parse_count(t["rows"])
                    t["rows"] = n if n is not None else t["rows"]
                cols = t.get("columns")
                if isinstance(cols, dict):
                    cols = [{"name": k, **v} if isinstance(v, dict) else {"name": k, "generator": v} for k, v in cols.items()]
                if isinstance(cols, list):
                    t["columns"] = [_coerce_column(c) for c in cols]
            fixed.append(t)
        data["tables"] = fixed
    return data


def _coerce_column(c: Any) -> Any:
    if not isinstance(c, dict):
        return c
    c = dict(c)
    g = c.get("generator")
    if isinstance(g, str):
        g = {"kind": g}
    if isinstance(g, dict):
        g = dict(g)
        if "kind" not in g and "type" in g:
            g["kind"] = g.pop("type")
        c["generator"] = g
    elif g is None and ("kind" in c or "type" in c):  # generator fields written on the column itself
        gen = {k: v for k, v in c.items() if k not in ("name", "nulls")}
        if "kind" not in gen:
            gen["kind"] = gen.pop("type")
        c = {k: v for k, v in c.items() if k in ("name", "nulls")} | {"generator": gen}
    return c
