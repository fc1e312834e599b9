"""detect_pii: does a column hold personal data? Judged by its name and by sampled values.

The proxy samples a text column (GuardConfig.pii_sample_rows values) and passes the result to
Catalog.pii; policies then mask what is found. Values are data, not SQL, so regular
expressions are the right tool here.
"""

from __future__ import annotations

import re
from typing import Sequence

# Column-name words (split on _ and case changes) that name a kind of PII.
_NAME_KINDS = {
    "email": "email", "e_mail": "email", "mail": "email", "emailaddress": "email",
    "phone": "phone", "telephone": "phone", "mobile": "phone", "cell": "phone", "fax": "phone",
    "msisdn": "phone", "tel": "phone",
    "ssn": "national_id", "sin": "national_id", "nino": "national_id", "passport": "national_id",
    "national_id": "national_id", "nationalid": "national_id", "social_security": "national_id",
    "tax_id": "national_id", "taxid": "national_id", "personnummer": "national_id",
    "card_number": "card", "cardnumber": "card", "credit_card": "card", "creditcard": "card",
    "cc_number": "card", "ccnumber": "card", "pan": "card", "iban": "card",
}

_EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
_PHONE = re.compile(r"^\+?[\d\s().-]{7,20}$")
_SSN = re.compile(r"^(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}$")        # US SSN
_NINO = re.compile(r"^[A-CEGHJ-PR-TW-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]$", re.I)  # UK
_CARD_CHARS = re.compile(r"^[\d -]{13,23}$")

MIN_SHARE = 0.8   # share of non-empty sampled values that must match


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _is_card(value: str) -> bool:
    if not _CARD_CHARS.match(value):
        return False
    digits = value.replace(" ", "").replace("-", "")
    return 13 <= len(digits) <= 19 and luhn_valid(digits)


def _is_phone(value: str) -> bool:
    if not _PHONE.match(value):
        return False
    digits = sum(ch.isdigit() for ch in value)
    # bare digit strings are usually ids or amounts; a phone number shows + or separators
    formatted = value.startswith("+") or not value.isdigit()
    return formatted and 7 <= digits <= 15 and not _is_card(value)


_VALUE_KINDS = (
    ("email", lambda v: bool(_EMAIL.match(v))),
    ("card", _is_card),
    ("national_id", lambda v: bool(_SSN.match(v) or _NINO.match(v))),
    ("phone", _is_phone),
)


def _name_kind(column_name: str) -> str | None:
    name = re.sub(r"([a-z])([A-Z])", r"\1_\2", column_name).lower()
    if name in _NAME_KINDS:
        return _NAME_KINDS[name]
    words = [w for w in re.split(r"[^a-z0-9]+", name) if w]
    for n in (2, 1):
        for i in range(len(words) - n + 1):
            kind = _NAME_KINDS.get("_".join(words[i:i + n]))
            if kind:
                return kind
    return None


def detect_pii(column_name: str, sample: Sequence[str | None] = ()) -> str | None:
    """'email', 'phone', 'card' or 'national_id' when the column's name or most of its sampled
    values say so; None otherwise. Values win over the name when they are conclusive."""
    values = [str(v).strip() for v in sample if v is not None and str(v).strip()]
    if values:
        for kind, test in _VALUE_KINDS:
            if sum(1 for v in values if test(v)) >= MIN_SHARE * len(values):
                return kind
    return _name_kind(column_name)
