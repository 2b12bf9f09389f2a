"""What a page reader (html.py, text.py) finds on one page, before it becomes an inventory item."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

# Characters that are spaces on a page but not ASCII spaces (&nbsp;, U+3000 padding in labels such
# as "名　　称", the en/em spaces some CMS editors insert), and invisible ones that split a label.
_SPACE_LIKE = re.compile("[\t\n\x0b\x0c\r\xa0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1f\x7f\u200b-\u200d\u2060\ufeff]")


def inline(text: str) -> str:
    """Page text with every kind of space as " " and invisible characters removed. (Regular
    expressions: str.translate looks every character of CJK text up in a dict, ten times slower.)"""
    text = _SPACE_LIKE.sub(" ", text)
    return _INVISIBLE.sub("", text) if _INVISIBLE.search(text) else text


# The visible text kept of each article body: enough for the personal-data and body-element checks,
# bounded so that a page with a huge table costs no more than this.
BODY_LIMIT = 64 * 1024  # bytes of UTF-8
# The most a spreadsheet cell holds (Excel and WPS): a longer body would not load back from .xlsx.
_CELL_LIMIT = 32_767


def bounded(text: str) -> str:
    """The first BODY_LIMIT bytes of text (whole characters), and no more than a cell holds."""
    if len(text) * 3 > BODY_LIMIT:
        text = text.encode("utf-8")[:BODY_LIMIT].decode("utf-8", errors="ignore")
    return text[:_CELL_LIMIT]


def _no_list_signals() -> tuple[int, int]:
    return 0, 0


@dataclass(slots=True)
class PageData:
    lines: list[str]
    breadcrumb: list[str] = field(default_factory=list)
    # Gov-site meta tags (政府网站发展指引: ArticleTitle, PubDate, ContentSource, ColumnName, Url),
    # by lower-case name.
    meta: dict[str, str] = field(default_factory=dict)
    heading: str = ""  # the article heading a reader sees, when the page has one
    canonical: str = ""
    truncated: bool = False
    # (links with a title-length text, date-like tokens): a list page has many of both. Counted only
    # when a page has no metadata block, so it is a function.
    list_signals: Callable[[], tuple[int, int]] = _no_list_signals
    body: str = ""  # visible text of the article body, bounded
    # HTML shows where a value is (the next cell, <dd>, element); a text dump only by position, so
    # there a value may be the line after its label.
    values_on_next_line: bool = False
