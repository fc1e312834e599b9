"""Schema -> prompt text. Data values are rendered as quoted SQL string literals with control
characters removed and length bounded, so text stored in the database can never pose as an
instruction line in the prompt."""

from __future__ import annotations

import math
import re

from sqlglot import exp

from .schema import SchemaContext, Table

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
MAX_VALUE_CHARS = 40


def ident(name: str) -> str:
    return exp.to_identifier(name).sql(dialect="postgres")


def quote_value(value: object) -> str:
    """A data value as an inert literal: numbers as numbers, everything else a bounded string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)) and not (isinstance(value, float) and not math.isfinite(value)):
        return repr(value)
    text = _CONTROL.sub(" ", str(value)).strip()
    if len(text) > MAX_VALUE_CHARS:
        text = text[:MAX_VALUE_CHARS] + "..."
    return exp.Literal.string(text).sql(dialect="postgres")


def _is_textual(type_name: str) -> bool:
    t = type_name.lower()
    return any(k in t for k in ("char", "text", "string", "clob")) or t == ""


def render_table(table: Table, *, samples: int = 3, with_keys: bool = True) -> str:
    lines = []
    for c in table.columns:
        line = f"  {ident(c.name)} {c.type.lower() or 'text'}"
        if with_keys and c.primary_key and sum(x.primary_key for x in table.columns) == 1:
            line += " PRIMARY KEY"
        # Samples show how text values are spelled; numbers and keys would only cost tokens.
        show = samples if _is_textual(c.type) and not c.primary_key else 0
        vals = [quote_value(v) for v in c.samples[:show] if v is not None and str(v).strip() != ""]
        line += ","
        if vals:
            line += " -- e.g. " + ", ".join(vals)
        lines.append(line)
    if with_keys:
        pks = [c.name for c in table.columns if c.primary_key]
        if len(pks) > 1:
            lines.append(f"  PRIMARY KEY ({', '.join(map(ident, pks))}),")
        for fk in table.foreign_keys:
            lines.append(f"  FOREIGN KEY ({', '.join(map(ident, fk.columns))}) REFERENCES "
                         f"{ident(fk.ref_table)}({', '.join(map(ident, fk.ref_columns))}),")
    if lines:
        # The last line carries no trailing comma (before its comment, if any).
        head, sep, tail = lines[-1].partition(", -- e.g.") if ", -- e.g." in lines[-1] else (lines[-1].rstrip(","), "", "")
        lines[-1] = head + (" -- e.g." + tail if sep else "")
    return f"CREATE TABLE {ident(table.name)} (\n" + "\n".join(lines) + "\n);"


def render_schema(context: SchemaContext, tables: list[Table] | None = None, *, samples: int = 3) -> str:
    """Compact DDL with keys and sample values, the form code models read best."""
    return "\n".join(render_table(t, samples=samples) for t in (tables if tables is not None else context.tables))


def render_plain_ddl(context: SchemaContext, tables: list[Table] | None = None) -> str:
    """The zero-shot baseline's schema: plain DDL (columns, types, keys), no samples."""
    return "\n".join(render_table(t, samples=0) for t in (tables if tables is not None else context.tables))
