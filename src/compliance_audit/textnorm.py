"""Normalising titles, column names and keywords so that matching works on real portal text.

Portal titles mix full-width and half-width forms, stray spaces, several bracket styles for
document numbers (〔2021〕, [2021], 【2021】, （2021）) and a leading year. Everything that is compared
is first passed through normalise(), keywords included, so the same rule applies to both sides.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

_BRACKET_FORMS = {
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
_BRACKETS = str.maketrans(_BRACKET_FORMS)
# Characters whose normalisation polars computes exactly as normalise() does (checked for every one
# of them by tests/test_textnorm.py): the Unicode tables of Python and of polars differ only for
# characters assigned after Python's version, and in what counts as a space (U+001C–U+001F).
_COLUMN_SAFE = (
    "\t\n\r\x20-\x7e\u00a0-\u024f\u2000-\u2064\u2100-\u218b\u2460-\u24ff\u3000-\u303f"
    "\u3200-\u33ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufad9\ufe30-\ufe4f\uff00-\uffee"
)

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


def normalise(text: str) -> str:
    """Full-width to half-width, one bracket style, lower case, no whitespace."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return "".join(text.translate(_BRACKETS).lower().split())


def normalise_column(texts: pl.Series) -> pl.Series:
    """normalise() of every text of a column, computed on the whole column at once; a text with a
    character outside _COLUMN_SAFE is normalised on its own by normalise()."""
    normalised = (
        texts.str.normalize("NFKC")
        .str.replace_many(list(_BRACKET_FORMS), list(_BRACKET_FORMS.values()))
        .str.to_lowercase()
        .str.replace_all(r"\s+", "")
    )
    others = (~texts.str.contains(f"^[{_COLUMN_SAFE}]*$")).arg_true()
    if len(others):
        normalised = normalised.scatter(others, [normalise(text) for text in texts.gather(others).to_list()])
    return normalised


@lru_cache(maxsize=8192)
def normalise_label(text: str) -> str:
    """normalise() for the few distinct values a column or topic takes across many items."""
    return normalise(text)


def title_year(text: str) -> int | None:
    """The first "YYYY年" in a title (the year the information is about), if any."""
    match = _YEAR.search(text)
    return int(match.group(1)) if match else None


def title_year_column(titles: pl.Series) -> pl.Series:
    """title_year() of every title of a column (null where none); a title with a digit other than
    0-9 or with U+001C–U+001F (which Python's regular expressions take for spaces) on its own."""
    import polars as pl

    years = titles.str.extract(_YEAR.pattern, 1).cast(pl.Int32)
    others = titles.str.contains(r"[\x1c-\x1f]|[\p{Nd}--[0-9]]").arg_true()
    if len(others):
        years = years.scatter(others, [title_year(title) for title in titles.gather(others).to_list()])
    return years
