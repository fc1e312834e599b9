"""Word-level helpers shared by retrieval, linking and value matching (pure Python)."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[^\W_]+", re.UNICODE)

STOPWORDS = frozenset("""a an the of in on at to for from by with and or is are was were be been what which who whom
whose how many much do does did show list give me find return all each every that this these those their its there
please tell i we you it as than then number""".split())


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def words(text: str) -> list[str]:
    """Words of a text; identifiers are split on '_' and camelCase ("Song_Name" -> song, name)."""
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", text)
    return [w for w in _WORD.findall(fold(text))]


def stem(word: str) -> str:
    # Just enough to match "singers" with singer, "countries" with country.
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("es") and word[-3] in "sxz":
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def terms(text: str, *, drop_stopwords: bool = True) -> list[str]:
    return [stem(w) for w in words(text) if not (drop_stopwords and w in STOPWORDS)]


def normalize_question(question: str) -> str:
    """The cache key's form of a question: case, spacing and final punctuation do not matter."""
    return " ".join(words(question))
