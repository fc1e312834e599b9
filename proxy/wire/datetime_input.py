"""PostgreSQL date/time text input (ISO 8601 and the common DateStyle ISO/MDY forms) ->
Python date/time values. Special words and BC dates are passed on as text for the engine."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import PgError

SyntaxError_ = Callable[[int, str], PgError]

_WORDS = frozenset({"infinity", "-infinity", "+infinity", "epoch", "now", "today", "tomorrow",
                    "yesterday", "allballs"})
_DATE = re.compile(r"(\d{4,})-(\d{1,2})-(\d{1,2})")
_MDY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d*))?)?")
_ZONE = re.compile(r"\s*(?:(Z|z)|([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?|([A-Za-z][\w/+-]*))")


def _special(s: str) -> bool:
    low = s.lower()
    return low in _WORDS or low.endswith(" bc")


def _ymd(m: re.Match, text: str) -> dt.date:
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    try:
        return dt.date(y, mo, d)
    except ValueError:
        raise PgError(f'date/time field value out of range: "{text}"', "22008") from None


def _match_date(s: str, text: str) -> tuple[dt.date, str] | None:
    for pattern, order in ((_DATE, (1, 2, 3)), (_MDY, (3, 1, 2)), (_COMPACT, (1, 2, 3))):
        m = pattern.match(s)
        if m:
            y, mo, d = (int(m.group(i)) for i in order)
            try:
                return dt.date(y, mo, d), s[m.end():]
            except ValueError:
                raise PgError(f'date/time field value out of range: "{text}"', "22008") from None
    return None


def _match_time(s: str, text: str) -> tuple[dt.time, str, bool] | None:
    """(time, rest, is 24:00:00) of a leading HH:MM[:SS[.frac]]."""
    m = _TIME.match(s)
    if not m:
        return None
    h, mi, sec = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    frac = (m.group(4) or "").ljust(7, "0")
    us = int(frac[:6]) + (1 if frac[6] >= "5" else 0)  # PostgreSQL rounds to microseconds
    if h == 24 and mi == 0 and sec == 0 and us == 0:
        return dt.time(0), s[m.end():], True
    if h > 23 or mi > 59 or sec > 60:
        raise PgError(f'date/time field value out of range: "{text}"', "22008")
    base = dt.datetime(2000, 1, 1, h, mi, min(sec, 59)) + dt.timedelta(microseconds=us)
    return base.time(), s[m.end():], False


def _match_zone(rest: str, text: str, syntax: SyntaxError_, oid: int) -> dt.tzinfo | None:
    """The time zone written after a time (offset or name), None when there is none."""
    if not rest.strip():
        return None
    m = _ZONE.fullmatch(rest)
    if not m:
        raise syntax(oid, text)
    if m.group(1):
        return dt.timezone.utc
    if m.group(2):
        seconds = int(m.group(3)) * 3600 + int(m.group(4) or 0) * 60 + int(m.group(5) or 0)
        return dt.timezone(dt.timedelta(seconds=-seconds if m.group(2) == "-" else seconds))
    try:
        return ZoneInfo(m.group(6))
    except (ZoneInfoNotFoundError, ValueError):
        raise PgError(f'time zone "{m.group(6)}" not recognized', "22023") from None


def parse_date(text: str, oid: int, syntax: SyntaxError_) -> dt.date | str:
    s = text.strip()
    if _special(s):
        return s
    found = _match_date(s, text)
    if found is None:
        raise syntax(oid, text)
    date, rest = found
    rest = rest.lstrip(" T")
    if rest and _match_time(rest, text) is None:
        raise syntax(oid, text)
    return date


def parse_time(text: str, oid: int, syntax: SyntaxError_) -> dt.time | str:
    from . import types as pgt

    s = text.strip()
    if s.lower() == "allballs":
        return dt.time(0, tzinfo=dt.timezone.utc if oid == pgt.TIMETZ else None)
    if _special(s):
        return s
    found = _match_time(s, text)
    if found is None:
        raise syntax(oid, text)
    time, rest, is_24 = found
    zone = _match_zone(rest, text, syntax, oid)
    if is_24:
        return s  # 24:00:00 has no Python time; the engine casts the text
    if oid == pgt.TIMETZ and zone is not None:
        if not isinstance(zone, dt.timezone):
            zone = dt.timezone(zone.utcoffset(dt.datetime(2000, 1, 1)))
        return time.replace(tzinfo=zone)
    return time


def parse_timestamp(text: str, oid: int, session_tz: str, syntax: SyntaxError_) -> dt.datetime | str:
    from . import types as pgt

    s = text.strip()
    if _special(s):
        return s
    found = _match_date(s, text)
    if found is None:
        raise syntax(oid, text)
    date, rest = found
    time = dt.time(0)
    next_day = False
    stripped = rest.lstrip(" T")
    if stripped and stripped[0].isdigit():
        found_time = _match_time(stripped, text)
        if found_time is None:
            raise syntax(oid, text)
        time, rest, next_day = found_time
    zone = _match_zone(rest, text, syntax, oid)
    value = dt.datetime.combine(date, time) + (dt.timedelta(days=1) if next_day else dt.timedelta())
    if oid == pgt.TIMESTAMP:
        return value  # timestamp without time zone ignores a written zone, like PostgreSQL
    if zone is None:
        try:
            zone = ZoneInfo(session_tz)
        except (ZoneInfoNotFoundError, ValueError):
            zone = dt.timezone.utc
    return value.replace(tzinfo=zone)
