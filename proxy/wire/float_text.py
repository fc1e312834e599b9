"""float4/float8 text output as PostgreSQL 12+ writes it (extra_float_digits > 0): the
shortest digits that read back to the same value, laid out like printf's %g with the
precision's positional range. Arrow's cast gives the same shortest digits; only its layout
differs, for magnitudes outside [1e-4, 1e10), which are redone on those rows only.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .arrow_util import as_binary, scatter


def float_text(arr: pa.Array) -> pa.Array:
    """Shortest round-trip digits laid out like PostgreSQL 12+ (float8out/float4out):
    positional for decimal exponents in [-4, 15) (float4: [-4, 6)), else d.ddde+XX."""
    if pa.types.is_float16(arr.type):
        arr = pc.cast(arr, pa.float32())
    is_f4 = pa.types.is_float32(arr.type)
    out = as_binary(pc.cast(arr, pa.string()))
    x = np.asarray(pc.fill_null(arr, 0))
    ax = np.abs(x)
    finite = np.isfinite(x)
    # Arrow prints exponents -6..9 positionally, like PostgreSQL between 1e-4 and 1e15
    # (float4: 1e6), so only values outside [1e-4, 1e10) need their layout redone.
    lo, hi = (np.float32(1e-4), np.float32(1e6)) if is_f4 else (1e-4, 1e10)
    redo = finite & (ax != 0) & ((ax < lo) | (ax >= hi))
    special = ~finite
    if not (redo.any() or special.any()):
        return out
    result = out
    if redo.any():
        idx = np.flatnonzero(redo)
        fixed = _relayout_float(pc.take(out, pa.array(idx)), 6 if is_f4 else 15)
        result = scatter(result, idx, fixed)
    if special.any():
        idx = np.flatnonzero(special)
        names = np.where(np.isnan(x[idx]), 0, np.where(x[idx] > 0, 1, 2))
        fixed = pc.take(pa.array([b"NaN", b"Infinity", b"-Infinity"], pa.binary()), pa.array(names))
        result = scatter(result, idx, fixed)
    return result


def _relayout_float(s: pa.Array, positional_below: int) -> pa.Array:
    """Re-lay out Arrow's shortest float strings as PostgreSQL does (see float_text)."""
    s = pc.cast(s, pa.string())
    sci = pc.extract_regex(s, r"^(?P<sign>-?)(?P<d0>\d)(?:\.(?P<rest>\d+))?e(?P<esign>[-+])(?P<exp>\d+)$")
    pos = pc.extract_regex(s, r"^(?P<sign>-?)(?P<int>\d+)(?:\.(?P<frac>\d+))?$")
    is_sci = np.asarray(sci.is_valid())
    sign = pc.if_else(is_sci, pc.struct_field(sci, ["sign"]), pc.struct_field(pos, ["sign"]))
    # Positional: digits = int + frac without leading zeros; exponent from where they start.
    all_digits = pc.binary_join_element_wise(pc.struct_field(pos, ["int"]), pc.struct_field(pos, ["frac"]), "")
    sig = pc.utf8_ltrim(all_digits, characters="0")
    leading_zeros = pc.subtract(pc.utf8_length(all_digits), pc.utf8_length(sig))
    pos_exp = pc.subtract(pc.subtract(pc.utf8_length(pc.struct_field(pos, ["int"])), 1), leading_zeros)
    sci_digits = pc.binary_join_element_wise(pc.struct_field(sci, ["d0"]), pc.struct_field(sci, ["rest"]), "")
    digits = pc.utf8_rtrim(pc.if_else(is_sci, sci_digits, sig), characters="0")
    sci_exp = pc.cast(pc.struct_field(sci, ["exp"]), pa.int64())
    sci_exp = pc.if_else(pc.equal(pc.struct_field(sci, ["esign"]), "-"), pc.negate(sci_exp), sci_exp)
    exp = np.asarray(pc.if_else(is_sci, sci_exp, pc.cast(pos_exp, pa.int64())))
    ndig = np.asarray(pc.utf8_length(digits))
    # Scientific layout.
    head = pc.utf8_slice_codeunits(digits, 0, 1)
    tail = pc.utf8_slice_codeunits(digits, 1)
    dot = pc.if_else(pa.array(ndig > 1), ".", "")
    exp_sign = pc.if_else(pa.array(exp < 0), "e-", "e+")
    exp_abs = pc.utf8_lpad(pc.cast(pa.array(np.abs(exp)), pa.string()), 2, "0")
    result = pc.binary_join_element_wise(sign, head, dot, tail, exp_sign, exp_abs, "")
    # Positional layout, for exponents Arrow prints in scientific but PostgreSQL does not.
    for e in np.unique(exp[(exp >= 0) & (exp < positional_below)]):
        rows = np.flatnonzero(exp == e)
        d = pc.take(digits, pa.array(rows))
        nd = ndig[rows]
        zeros = pc.binary_repeat("0", pa.array(np.maximum(int(e) + 1 - nd, 0)))
        point = pc.if_else(pa.array(nd > e + 1), ".", "")
        body = pc.binary_join_element_wise(
            pc.utf8_slice_codeunits(d, 0, int(e) + 1),
            zeros,
            point,
            pc.utf8_slice_codeunits(d, int(e) + 1),
            "",
        )
        result = scatter(result, rows, pc.binary_join_element_wise(pc.take(sign, pa.array(rows)), body, ""))
    return as_binary(result)
