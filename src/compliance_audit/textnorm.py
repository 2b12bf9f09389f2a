"""Normalising titles, column names and keywords so that matching works on real portal text.

Portal titles mix full-width and half-width forms, stray spaces, several bracket styles for
document numbers (〔2021〕, [2021], 【2021】, （2021）) and a leading year. Everything that is compared
is first passed through normalise(), keywords included, so the same rule applies to both sides.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_BRACKETS = str.maketrans(
    {
        "〔": "(",
        "〕": ")",
        "[": "(",
        "]": ")",
        "【": "(",
        "】": ")",
        "﹝": "(",
        "﹞": ")",
        "〖": "(",
        "〗": ")",
        "{": "(",
        "}": ")",
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "《": "<",
        "》": ">",
        "〈": "<",
        "〉": ">",
    }
)

_LEADING_YEAR = re.compile(r"^(?:19|20)\d{2}(?:年度|年)?(?:第[一二三四]季度|上半年|下半年)?")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


def normalise(text: str) -> str:
    """Full-width to half-width, one bracket style, lower case, no whitespace."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return "".join(text.translate(_BRACKETS).lower().split())


@lru_cache(maxsize=8192)
def normalise_label(text: str) -> str:
    """normalise() for the few distinct values a column or topic takes across many items."""
    return normalise(text)


def strip_leading_year(normalised: str) -> str:
    """Drop a leading "2020年度" / "2021年" so that titles of different years compare alike."""
    return _LEADING_YEAR.sub("", normalised, count=1)


def title_year(text: str) -> int | None:
    """The first "YYYY年" in a title (the year the information is about), if any."""
    match = _YEAR.search(text)
    return int(match.group(1)) if match else None
