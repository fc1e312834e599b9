"""COPY ... TO STDOUT / FROM STDIN payloads in PostgreSQL's text and CSV formats.

Output reuses the column text encoders (text_values) and escapes whole columns with
Arrow string kernels; rows are joined with `binary_join_element_wise`. Input splits
fields with pyarrow.csv (escape sequences of the text format are first turned into
NUL-prefixed placeholders, NUL being impossible in PostgreSQL text) and converts each
column to its Arrow type with Arrow casts, falling back to the Bind parameter parser only
for the values Arrow cannot read.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ..errors import PgError
from . import types as pgt
from .arrow_util import as_binary, binary_from_matrix, join, value_lengths
from .text_values import text_values

# CopyAttributeOutText: these bytes are written as backslash escapes.
_TEXT_ESCAPES = ((b"\\", b"\\\\"), (b"\b", b"\\b"), (b"\f", b"\\f"), (b"\n", b"\\n"),
                 (b"\r", b"\\r"), (b"\t", b"\\t"), (b"\v", b"\\v"))


def _options(fmt: str, delimiter: str | None, null: str | None) -> tuple[bytes, bytes]:
    if fmt not in ("text", "csv"):
        raise PgError(f'COPY format "{fmt}" not recognized', "22023")
    delim = (delimiter if delimiter is not None else ("\t" if fmt == "text" else ",")).encode()
    null_b = (null if null is not None else ("\\N" if fmt == "text" else "")).encode()
    if len(delim) != 1:
        raise PgError("COPY delimiter must be a single one-byte character", "0A000")
    return delim, null_b


def encode_copy_rows(
    batch: pa.RecordBatch | pa.Table,
    *,
    fmt: str = "text",
    delimiter: str | None = None,
    null: str | None = None,
    header: bool = False,
    quote: str = '"',
    escape: str | None = None,
    force_quote: Sequence[str] | bool = (),
    tz: str = "UTC",
    frame: bool = False,
) -> bytes:
    """The COPY TO STDOUT data for `batch`: one line per row, each ending in a newline.
    frame=True wraps every row (and the header) in its own CopyData message."""
    delim, null_b = _options(fmt, delimiter, null)
    quote_b = quote.encode()
    escape_b = escape.encode() if escape is not None else quote_b
    names = list(batch.schema.names)
    forced = set(names) if force_quote is True else set(force_quote or ())
    lines: list[bytes] = []
    if header:
        cells = [pa.array([name.encode()], pa.binary()) for name in names]
        if fmt == "csv":
            cells = [_csv_field(c, null_b, delim, quote_b, escape_b, False, len(names) == 1) for c in cells]
        else:
            cells = [_text_escape(c, delim) for c in cells]
        line = b"".join([delim.join(c[0].as_py() for c in cells), b"\n"]) if cells else b"\n"
        lines.append(b"d" + (len(line) + 4).to_bytes(4, "big") + line if frame else line)
    if batch.num_rows:
        fields = []
        for name, column in zip(names, batch.columns):
            values = text_values(column, tz)
            if fmt == "csv":
                values = _csv_field(values, null_b, delim, quote_b, escape_b, name in forced, len(names) == 1)
            else:
                values = _text_escape(values, delim)
            fields.append(pc.fill_null(values, null_b))
        eol = pa.scalar(b"\n", pa.binary())
        if fields:
            rows = pc.binary_join_element_wise(*fields, delim)
            rows = pc.binary_join_element_wise(rows, eol, b"")
        else:
            rows = pa.array([b"\n"] * batch.num_rows, pa.binary())
        if frame:
            rows = _frame_copy_data(rows)
        offsets = np.frombuffer(rows.buffers()[1], np.int32, count=len(rows) + 1, offset=rows.offset * 4)
        lines.append(memoryview(rows.buffers()[2])[int(offsets[0]) : int(offsets[-1])].tobytes())
    return b"".join(lines)


def _frame_copy_data(rows: pa.Array) -> pa.Array:
    """Each row as its own CopyData message ('d' + int32 length + row), as PostgreSQL sends
    them; psycopg's row reader relies on one row per message."""
    lengths = (value_lengths(rows) + 4).astype(">i4")
    prefix = binary_from_matrix(lengths.view(np.uint8).reshape(-1, 4))
    return join(b"d", prefix, rows)


def _text_escape(values: pa.Array, delim: bytes) -> pa.Array:
    out = as_binary(values)
    if len(out) == 0:
        return out
    escapes = list(_TEXT_ESCAPES)
    if delim not in (b"\\", b"\b", b"\f", b"\n", b"\r", b"\t", b"\v"):
        escapes.append((delim, b"\\" + delim))
    # One scan tells whether the column needs any escaping (numbers, dates... never do).
    special = "[" + "".join(re.escape(raw.decode()) for raw, _ in escapes) + "]"
    if not pc.any(pc.match_substring_regex(out, special)).as_py():
        return out
    for raw, escaped in escapes:
        if pc.any(pc.match_substring(out, raw.decode())).as_py():
            out = pc.replace_substring(out, raw.decode(), escaped.decode())
    return out


def _csv_field(values: pa.Array, null_b: bytes, delim: bytes, quote: bytes, escape: bytes,
               force: bool, single_column: bool) -> pa.Array:
    """CopyAttributeOutCSV: quote values that hold the delimiter, quote, escape, CR or LF,
    that equal the NULL string, or (single column) that are exactly \\. ; inside quotes the
    quote and escape characters are preceded by the escape character."""
    out = as_binary(values)
    if len(out) == 0:
        return out
    if force:
        needs = pa.array(np.ones(len(out), bool))
    else:
        special = "[" + "".join(re.escape(ch.decode()) for ch in {delim, quote, escape, b"\n", b"\r"}) + "]"
        needs = pc.or_(pc.equal(out, pa.scalar(null_b, pa.binary())), pc.match_substring_regex(out, special))
        if single_column:
            needs = pc.or_(needs, pc.equal(out, pa.scalar(b"\\.", pa.binary())))
    needs = pc.fill_null(needs, False)
    if not pc.any(needs).as_py():
        return out
    inner = out
    if escape == quote:
        inner = pc.replace_substring(inner, quote.decode(), (quote + quote).decode())
    else:
        inner = pc.replace_substring(inner, escape.decode(), (escape + escape).decode())
        inner = pc.replace_substring(inner, quote.decode(), (escape + quote).decode())
    quoted = pc.binary_join_element_wise(pa.scalar(quote, pa.binary()), inner, pa.scalar(quote, pa.binary()), b"")
    return pc.if_else(needs, quoted, out)


# -- COPY FROM STDIN ------------------------------------------------------------------------


def decode_copy(
    data: bytes,
    schema: pa.Schema,
    *,
    fmt: str = "text",
    delimiter: str | None = None,
    null: str | None = None,
    header: bool = False,
    quote: str = '"',
    escape: str | None = None,
    tz: str = "UTC",
) -> pa.Table:
    """Parse COPY FROM STDIN data into a table of `schema` (column types are cast from text)."""
    delim, null_b = _options(fmt, delimiter, null)
    data = _strip_end_marker(bytes(data))
    names = schema.names
    if fmt == "text":
        strings = _split_text(data, names, delim, null_b, header)
    else:
        strings = _split_csv(data, names, delim, null_b, header, quote, escape)
    columns = [cast_text_column(strings.column(i).combine_chunks(), f.type, tz) for i, f in enumerate(schema)]
    return pa.Table.from_arrays(columns, schema=schema)


def _strip_end_marker(data: bytes) -> bytes:
    # "\." on a line of its own ends the data (clients of the old protocol still send it).
    if data.startswith(b"\\.\n") or data == b"\\.":
        return b""
    idx = data.find(b"\n\\.\n")
    if idx < 0 and data.endswith(b"\n\\."):
        idx = len(data) - 3
    return data[: idx + 1] if idx >= 0 else data


def _read_strings(data: bytes, names: list[str], parse: pacsv.ParseOptions, null_values: list[str],
                  header: bool) -> pa.Table:
    if not data.strip(b"\n") and not (data and len(names) == 1):
        return pa.table({n: pa.array([], pa.string()) for n in names})
    read = pacsv.ReadOptions(column_names=names, skip_rows=1 if header else 0, block_size=1 << 26)
    convert = pacsv.ConvertOptions(
        column_types={n: pa.string() for n in names},
        null_values=null_values,
        strings_can_be_null=True,
        quoted_strings_can_be_null=False,
    )
    try:
        return pacsv.read_csv(io.BytesIO(data), read_options=read, parse_options=parse, convert_options=convert)
    except pa.ArrowInvalid as e:
        raise PgError(f"invalid COPY data: {e}", "22P04") from None


# Text format: escapes become NUL-led placeholders so that the CSV reader cannot split or
# unescape them; NUL never occurs in PostgreSQL text.
_BS, _BS_DELIM = b"\x00\x01", b"\x00\x02"
_UNESCAPE = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


def _split_text(data: bytes, names: list[str], delim: bytes, null_b: bytes, header: bool) -> pa.Table:
    has_escapes = b"\\" in data
    if has_escapes:
        data = data.replace(b"\\\\", _BS).replace(b"\\" + delim, _BS_DELIM).replace(b"\\", b"\x00")
        null_b = null_b.replace(b"\\\\", _BS).replace(b"\\", b"\x00")
    parse = pacsv.ParseOptions(delimiter=delim.decode(), quote_char=False, escape_char=False,
                               double_quote=False, newlines_in_values=False, ignore_empty_lines=False)
    table = _read_strings(data, names, parse, [null_b.decode("latin-1") if not has_escapes else null_b.decode()], header)
    if not has_escapes:
        return table
    columns = []
    for col in table.columns:
        col = col.combine_chunks()
        if pc.any(pc.match_substring(col, "\x00")).as_py():
            col = _unescape_text(col, delim.decode())
        columns.append(col)
    return pa.Table.from_arrays(columns, names=names)


def _unescape_text(col: pa.Array, delim: str) -> pa.Array:
    col = pc.replace_substring(col, _BS.decode(), "\\")
    col = pc.replace_substring(col, _BS_DELIM.decode(), delim)
    # Octal and hex escapes (\\101, \\x41) are rare: decoded value by value where present.
    if pc.any(pc.match_substring_regex(col, "\x00([0-7]|x[0-9a-fA-F])")).as_py():
        col = pa.array([None if v is None else _unescape_value(v) for v in col.to_pylist()], pa.string())
        return col
    for letter, char in _UNESCAPE.items():
        col = pc.replace_substring(col, "\x00" + letter, char)
    return pc.replace_substring_regex(col, "\x00(.)", r"\1")


def _unescape_value(v: str) -> str:
    out, i = [], 0
    while i < len(v):
        c = v[i]
        if c != "\x00":
            out.append(c)
            i += 1
        else:
            nxt = v[i + 1 : i + 2]
            if nxt in _UNESCAPE:
                out.append(_UNESCAPE[nxt])
                i += 2
            elif nxt == "x" and i + 2 < len(v) and v[i + 2] in "0123456789abcdefABCDEF":
                j = i + 2
                while j < min(i + 4, len(v)) and v[j] in "0123456789abcdefABCDEF":
                    j += 1
                out.append(chr(int(v[i + 2 : j], 16)))
                i = j
            elif nxt and nxt in "01234567":
                j = i + 1
                while j < min(i + 4, len(v)) and v[j] in "01234567":
                    j += 1
                out.append(chr(int(v[i + 1 : j], 8) & 0xFF))
                i = j
            else:
                out.append(nxt)
                i += 2
    return "".join(out)


def _split_csv(data: bytes, names: list[str], delim: bytes, null_b: bytes, header: bool,
               quote: str, escape: str | None) -> pa.Table:
    same = escape is None or escape == quote
    parse = pacsv.ParseOptions(delimiter=delim.decode(), quote_char=quote, double_quote=same,
                               escape_char=False if same else escape, newlines_in_values=True,
                               ignore_empty_lines=False)
    return _read_strings(data, names, parse, [null_b.decode()], header)


def cast_text_column(strings: pa.Array, target: pa.DataType, tz: str = "UTC") -> pa.Array:
    """PostgreSQL text values -> `target`, with Arrow casts where Arrow reads PostgreSQL's
    text form, else value by value through the Bind parameter parser."""
    if pa.types.is_string(target) or pa.types.is_large_string(target):
        return pc.cast(strings, target)
    pg = pgt.pg_type_for(target)
    if pa.types.is_boolean(target):
        low = pc.utf8_lower(pc.utf8_trim_whitespace(strings))
        true = pc.is_in(low, pa.array(["t", "true", "y", "yes", "on", "1", "tr", "tru", "ye"]))
        false = pc.is_in(low, pa.array(["f", "false", "n", "no", "off", "0", "fa", "fal", "fals", "of"]))
        bad = pc.and_(pc.is_valid(strings), pc.invert(pc.or_(true, false)))
        if pc.any(bad).as_py():
            raise PgError(f'invalid input syntax for type boolean: "{pc.filter(strings, bad)[0].as_py()}"', "22P02")
        return pc.if_else(pc.is_valid(strings), true, pa.scalar(None, pa.bool_()))
    if pa.types.is_integer(target) or pa.types.is_floating(target) or pa.types.is_decimal(target) or pa.types.is_date(target):
        try:
            return pc.cast(pc.utf8_trim_whitespace(strings), target)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass  # e.g. 'Infinity' or an out-of-range value: parse value by value for the error
    if pa.types.is_timestamp(target) and target.tz is None:
        try:
            return pc.cast(strings, target)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass
    from .params import decode_text

    values = [None if v is None else decode_text(v, pg.oid, tz=tz) for v in strings.to_pylist()]
    try:
        return pa.array(values, target)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError) as e:
        raise PgError(f"invalid input for type {pg.name}: {e}", "22P02") from None
