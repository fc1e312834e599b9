"""PostgreSQL interval text input -> (months, days, microseconds).

Accepts the postgres style ('1 year 2 mons -3 days +04:05:06.5', '@ 1 hour ago'), the SQL
standard day-time form ('1 12:00:00'), bare seconds ('90') and ISO 8601 ('P1Y2M3DT4H5M6S').
"""

from __future__ import annotations

import re
from decimal import Decimal

_US = {"second": 1_000_000, "minute": 60_000_000, "hour": 3_600_000_000,
       "millisecond": 1_000, "microsecond": 1}
_UNITS = {
    "millennium": ("month", 12000), "millennia": ("month", 12000), "mil": ("month", 12000),
    "mils": ("month", 12000), "century": ("month", 1200), "centuries": ("month", 1200),
    "c": ("month", 1200), "decade": ("month", 120), "decades": ("month", 120), "dec": ("month", 120),
    "decs": ("month", 120),
    "year": ("month", 12), "years": ("month", 12), "y": ("month", 12), "yr": ("month", 12),
    "yrs": ("month", 12), "month": ("month", 1), "months": ("month", 1), "mon": ("month", 1),
    "mons": ("month", 1), "week": ("day", 7), "weeks": ("day", 7), "w": ("day", 7),
    "day": ("day", 1), "days": ("day", 1), "d": ("day", 1),
    "hour": ("hour", 1), "hours": ("hour", 1), "h": ("hour", 1), "hr": ("hour", 1), "hrs": ("hour", 1),
    "minute": ("minute", 1), "minutes": ("minute", 1), "min": ("minute", 1), "mins": ("minute", 1),
    "m": ("minute", 1), "second": ("second", 1), "seconds": ("second", 1), "sec": ("second", 1),
    "secs": ("second", 1), "s": ("second", 1),
    "millisecond": ("millisecond", 1), "milliseconds": ("millisecond", 1), "ms": ("millisecond", 1),
    "msec": ("millisecond", 1), "msecs": ("millisecond", 1),
    "microsecond": ("microsecond", 1), "microseconds": ("microsecond", 1), "us": ("microsecond", 1),
    "usec": ("microsecond", 1), "usecs": ("microsecond", 1),
}
_TOKEN = re.compile(
    r"\s*(?:(?P<time>[+-]?\d+:\d{1,2}(?::\d{1,2}(?:\.\d*)?)?)"
    r"|(?P<num>[+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(?P<unit>[a-z]+)?)"
)
_ISO = re.compile(
    r"P(?:(?P<Y>[-\d.]+)Y)?(?:(?P<M>[-\d.]+)M)?(?:(?P<W>[-\d.]+)W)?(?:(?P<D>[-\d.]+)D)?"
    r"(?:T(?:(?P<H>[-\d.]+)H)?(?:(?P<TM>[-\d.]+)M)?(?:(?P<S>[-\d.]+)S)?)?"
)


class _Acc:
    def __init__(self) -> None:
        self.months = Decimal(0)
        self.days = Decimal(0)
        self.us = Decimal(0)

    def add(self, value: Decimal, unit: str, factor: int) -> None:
        if unit == "month":
            total = value * factor
            whole = int(total)
            self.months += whole
            self.add(total - whole, "day", 30)  # fractional months spill into days, as in PG
        elif unit == "day":
            total = value * factor
            whole = int(total)
            self.days += whole
            self.us += (total - whole) * 86_400_000_000
        else:
            self.us += value * factor * _US[unit]

    def result(self, sign: int = 1) -> tuple[int, int, int]:
        return (sign * int(self.months), sign * int(self.days),
                sign * int(self.us.to_integral_value()))


def parse_interval(text: str) -> tuple[int, int, int]:
    s = text.strip().lower()
    if not s:
        raise ValueError(text)
    if s.startswith("p"):
        return _parse_iso(text.strip())
    sign = 1
    if s.startswith("@"):
        s = s[1:]
    if s.endswith(" ago"):
        sign, s = -1, s[:-4]
    acc = _Acc()
    pos = 0
    pending_number: Decimal | None = None  # a bare number: days before a time, else seconds
    saw_any = False
    while pos < len(s):
        m = _TOKEN.match(s, pos)
        if not m or m.end() == pos:
            if s[pos:].strip():
                raise ValueError(text)
            break
        pos = m.end()
        saw_any = True
        if m.group("time"):
            if pending_number is not None:
                acc.add(pending_number, "day", 1)
                pending_number = None
            acc.us += _time_us(m.group("time"))
            continue
        if pending_number is not None:
            acc.add(pending_number, "second", 1)
            pending_number = None
        value = Decimal(m.group("num"))
        unit = m.group("unit")
        if unit is None:
            pending_number = value
        elif unit in _UNITS:
            acc.add(value, *_UNITS[unit])
        else:
            raise ValueError(text)
    if pending_number is not None:
        acc.add(pending_number, "second", 1)
    if not saw_any:
        raise ValueError(text)
    return acc.result(sign)


def _time_us(text: str) -> Decimal:
    negative = text.startswith("-")
    parts = text.lstrip("+-").split(":")
    h, m = int(parts[0]), int(parts[1])
    sec = Decimal(parts[2]) if len(parts) > 2 else Decimal(0)
    if m > 59 or sec >= 60:
        raise ValueError(text)
    us = (h * 3600 + m * 60) * 1_000_000 + sec * 1_000_000
    return -us if negative else us


def _parse_iso(text: str) -> tuple[int, int, int]:
    m = _ISO.fullmatch(text.upper())
    if not m or text.upper() in ("P", "PT"):
        raise ValueError(text)
    acc = _Acc()
    for group, unit, factor in (("Y", "month", 12), ("M", "month", 1), ("W", "day", 7),
                                ("D", "day", 1), ("H", "hour", 1), ("TM", "minute", 1),
                                ("S", "second", 1)):
        if m.group(group):
            acc.add(Decimal(m.group(group)), unit, factor)
    return acc.result()
