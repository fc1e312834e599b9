"""Small helpers to move between Arrow arrays and NumPy buffers without per-cell Python."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# Hex digits of every byte value, as two ASCII bytes packed in a uint16 (native order).
_HEX_PAIRS = np.frombuffer(
    b"".join(f"{b:02x}".encode() for b in range(256)), dtype=np.uint16
)


def valid_mask(arr: pa.Array) -> np.ndarray | None:
    """Boolean validity per element, or None when the array has no nulls."""
    if arr.null_count == 0:
        return None
    return np.asarray(arr.is_valid())


def numpy_values(arr: pa.Array, dtype=None, fill=0) -> np.ndarray:
    """The values of a primitive array as NumPy (nulls replaced by `fill`)."""
    if arr.null_count:
        arr = pc.fill_null(arr, pa.scalar(fill, arr.type)) if fill is not None else arr
    out = arr.to_numpy(zero_copy_only=False)
    return out.astype(dtype, copy=False) if dtype is not None else out


def fixed_width_bytes(arr: pa.Array) -> np.ndarray:
    """The (n, width) uint8 matrix of a fixed_size_binary array's values (slot bytes of nulls
    included)."""
    width = arr.type.byte_width
    data = np.frombuffer(arr.buffers()[1], dtype=np.uint8)
    start = arr.offset * width
    return data[start : start + len(arr) * width].reshape(len(arr), width)


def binary_from_matrix(mat: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """A binary array whose i-th value is row i of the (n, w) uint8 matrix (NULL where not
    valid: such rows become empty)."""
    n, w = mat.shape
    if valid is None:
        offsets = np.arange(0, (n + 1) * w, w, dtype=np.int32)
        return pa.Array.from_buffers(
            pa.binary(), n, [None, pa.py_buffer(offsets), pa.py_buffer(np.ascontiguousarray(mat))]
        )
    lengths = np.where(valid, w, 0).astype(np.int32)
    offsets = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    data = np.ascontiguousarray(mat[valid])
    validity = pa.array(valid).buffers()[1]
    return pa.Array.from_buffers(
        pa.binary(), n, [validity, pa.py_buffer(offsets), pa.py_buffer(data)]
    )


def as_binary(arr: pa.Array) -> pa.Array:
    """View or cast any string/binary-like array as `binary` (32-bit offsets)."""
    t = arr.type
    if pa.types.is_binary(t):
        return arr
    if pa.types.is_string(t):
        return arr.view(pa.binary())
    if pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return pc.cast(arr, pa.string()).view(pa.binary())
    return pc.cast(arr, pa.binary())


def offsets_and_data(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(int64 offsets of length n+1 starting at 0, uint8 data) of a binary/string array."""
    arr = as_binary(arr)
    n = len(arr)
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int32, count=n + 1, offset=arr.offset * 4)
    data_buf = arr.buffers()[2]
    data = np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None else np.zeros(0, np.uint8)
    start, stop = int(offsets[0]), int(offsets[-1])
    return offsets.astype(np.int64) - start, data[start:stop]


def value_lengths(arr: pa.Array) -> np.ndarray:
    """Byte length of every value (0 for NULL) as int64."""
    offsets, _ = offsets_and_data(arr)
    lengths = np.diff(offsets)
    if arr.null_count:
        lengths = np.where(np.asarray(arr.is_valid()), lengths, 0)
    return lengths


def hex_encode(arr: pa.Array, prefix: bytes = b"") -> pa.Array:
    """Lower-case hex of every binary value, each preceded by `prefix` (NULLs stay NULL)."""
    arr = as_binary(arr)
    offsets, data = offsets_and_data(arr)
    n = len(arr)
    lengths = np.diff(offsets)
    p = len(prefix)
    out_offsets = (offsets * 2 + np.arange(n + 1, dtype=np.int64) * p).astype(np.int32)
    hexed = _HEX_PAIRS[data].view(np.uint8)
    if p:
        out = np.empty(int(out_offsets[-1]), dtype=np.uint8)
        starts = out_offsets[:-1].astype(np.int64)
        for k, byte in enumerate(prefix):
            out[starts + k] = byte
        # Destination of every hex byte: its row's start + prefix + its position in the row.
        row_of_byte = np.repeat(np.arange(n, dtype=np.int64), lengths * 2)
        out[np.arange(len(hexed), dtype=np.int64) + (row_of_byte + 1) * p] = hexed
    else:
        out = hexed
    validity = arr.buffers()[0] if arr.null_count else None
    if validity is not None and arr.offset:
        validity = pa.array(np.asarray(arr.is_valid())).buffers()[1]
    return pa.Array.from_buffers(
        pa.binary(), n, [validity, pa.py_buffer(out_offsets), pa.py_buffer(out)]
    )


def join(*parts: pa.Array | bytes) -> pa.Array:
    """Element-wise concatenation of binary arrays (and bytes constants)."""
    args = [pa.scalar(p, pa.binary()) if isinstance(p, bytes) else as_binary(p) for p in parts]
    return pc.binary_join_element_wise(*args, b"")


def scatter(base: pa.Array, idx: np.ndarray, values: pa.Array) -> pa.Array:
    """`base` with the values at positions `idx` replaced by `values` (in order)."""
    n = len(base)
    where = np.full(n, -1, dtype=np.int64)
    where[idx] = np.arange(len(idx))
    mask = pa.array(where >= 0)
    spread = pc.take(as_binary(values), pa.array(np.where(where >= 0, where, 0)))
    return pc.if_else(mask, spread, as_binary(base))
