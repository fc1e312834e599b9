"""ISO dates, times and timestamps (DateStyle ISO) written with NumPy, for years 1..9999.

Each value is laid out in a fixed-width byte row ('YYYY-MM-DD HH:MM:SS.ffffff' plus room
for a UTC offset), two digits at a time from a lookup table; trailing fraction zeros are
then dropped by keeping only each row's first `length` bytes. Several times faster than
Arrow's cast to string followed by a regex trim. Values outside the range return None and
the caller uses the general (Arrow) path.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

US_PER_DAY = 86_400_000_000
_PAIRS = np.frombuffer(b"".join(f"{i:02d}".encode() for i in range(100)), dtype="V2")
_MIN_DAY = -719_162  # 0001-01-01
_MAX_DAY = 2_932_896  # 9999-12-31


def civil_from_days(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(year, month, day) of days since 1970-01-01 (proleptic Gregorian; H. Hinnant's algorithm)."""
    z = days + 719_468
    era = np.floor_divide(z, 146_097)
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = np.where(mp < 10, mp + 3, mp - 9)
    year = yoe + era * 400 + (month <= 2)
    return year, month, day


_FIELDS = [("y1", "V2"), ("y2", "V2"), ("d1", "u1"), ("mo", "V2"), ("d2", "u1"), ("dd", "V2"),
           ("sp", "u1"), ("hh", "V2"), ("c1", "u1"), ("mi", "V2"), ("c2", "u1"), ("ss", "V2"),
           ("dot", "u1"), ("f1", "V2"), ("f2", "V2"), ("f3", "V2")]
_TS_WIDTH = 26


def _layout(extra: int) -> np.dtype:
    names = [n for n, _ in _FIELDS] + (["tz"] if extra else [])
    formats = [f for _, f in _FIELDS] + ([f"V{extra}"] if extra else [])
    return np.dtype({"names": names, "formats": formats})


def _write_date(rows: np.ndarray, days: np.ndarray) -> None:
    year, month, day = civil_from_days(days)
    rows["y1"] = _PAIRS[year // 100]
    rows["y2"] = _PAIRS[year % 100]
    rows["d1"] = rows["d2"] = ord("-")
    rows["mo"] = _PAIRS[month]
    rows["dd"] = _PAIRS[day]


def _write_time(rows: np.ndarray, time_us: np.ndarray) -> np.ndarray:
    """Fill HH:MM:SS.ffffff; returns the length of the time text (8, or 10..15 with a fraction)."""
    seconds, frac = np.divmod(time_us, 1_000_000)
    minutes, sec = np.divmod(seconds, 60)
    hours, mins = np.divmod(minutes, 60)
    rows["hh"] = _PAIRS[hours]
    rows["mi"] = _PAIRS[mins]
    rows["ss"] = _PAIRS[sec]
    rows["c1"] = rows["c2"] = ord(":")
    rows["dot"] = ord(".")
    rows["f1"] = _PAIRS[frac // 10_000]
    rows["f2"] = _PAIRS[frac // 100 % 100]
    rows["f3"] = _PAIRS[frac % 100]
    trailing = sum((frac % (10**k) == 0).astype(np.int64) for k in range(1, 6))
    return np.where(frac == 0, 8, 9 + 6 - trailing)


def _compact(rows: np.ndarray, width: int, start: int, length: np.ndarray, valid) -> pa.Array:
    """Binary array of bytes [start, start + length) of each row."""
    n = len(rows)
    mat = rows.view(np.uint8).reshape(n, width)[:, start:]
    if valid is not None:
        length = np.where(valid, length, 0)
    if n and (length == length[0]).all():
        data = np.ascontiguousarray(mat[:, : int(length[0])])  # one width: no per-row trimming
    else:
        data = mat[np.arange(mat.shape[1]) < length[:, None]]
    offsets = np.zeros(n + 1, np.int32)
    np.cumsum(length, out=offsets[1:])
    validity = pa.array(valid).buffers()[1] if valid is not None else None
    return pa.Array.from_buffers(pa.binary(), n, [validity, pa.py_buffer(offsets), pa.py_buffer(data)])


def iso_dates(days: np.ndarray, valid) -> pa.Array | None:
    if len(days) and (days.min() < _MIN_DAY or days.max() > _MAX_DAY):
        return None
    rows = np.zeros(len(days), _layout(0))
    _write_date(rows, days)
    return _compact(rows, rows.dtype.itemsize, 0, np.full(len(days), 10), valid)


def iso_times(time_us: np.ndarray, valid) -> pa.Array:
    rows = np.zeros(len(time_us), _layout(0))
    length = _write_time(rows, time_us)
    return _compact(rows, rows.dtype.itemsize, 11, length, valid)


def iso_timestamps(us: np.ndarray, valid, suffixes: list[bytes] | None = None,
                   suffix_index: np.ndarray | None = None) -> pa.Array | None:
    """'YYYY-MM-DD HH:MM:SS[.ffffff]' of microseconds since 1970 (wall clock), followed by
    suffixes[suffix_index[i]] (a UTC offset) when given."""
    days, time_us = np.divmod(us, US_PER_DAY)
    if len(us) and (days.min() < _MIN_DAY or days.max() > _MAX_DAY):
        return None
    extra = max((len(s) for s in suffixes), default=0) if suffixes else 0
    rows = np.zeros(len(us), _layout(extra))
    _write_date(rows, days)
    rows["sp"] = ord(" ")
    length = _write_time(rows, time_us)
    length = length + 11
    if extra:
        # Each row's offset text goes right after its (trimmed) time, byte by byte.
        table = np.frombuffer(b"".join(x.ljust(extra, b"\0") for x in suffixes), np.uint8).reshape(-1, extra)
        mat = rows.view(np.uint8).reshape(len(us), rows.dtype.itemsize)
        picked = table[suffix_index]
        row_ids = np.arange(len(us))
        for j in range(extra):
            mat[row_ids, length + j] = picked[:, j]
        length = length + np.array([len(x) for x in suffixes])[suffix_index]
    return _compact(rows, rows.dtype.itemsize, 0, length, valid)
