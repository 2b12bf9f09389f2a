"""What a page reader (html.py, text.py) finds on one page, before it becomes an inventory item."""

from __future__ import annotations

from dataclasses import dataclass, field

# Characters that are spaces on a page but not ASCII spaces (&nbsp;, U+3000 padding in labels such
# as "名　　称", the en/em spaces some CMS editors insert), and invisible ones that split a label.
_SPACE_LIKE = dict.fromkeys(
    [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0xA0, 0x1680, 0x3000, 0x202F, 0x205F, *range(0x2000, 0x200B)], " "
)
_INVISIBLE = dict.fromkeys(
    [0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, *range(0x00, 0x09), *range(0x0E, 0x20), 0x7F]
)
_INLINE = str.maketrans({**_SPACE_LIKE, **_INVISIBLE})


def inline(text: str) -> str:
    """Page text with every kind of space as " " and invisible characters removed."""
    return text.translate(_INLINE)


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
    title_links: int = 0  # links with a title-length text: a list page has many
    # HTML shows where a value is (the next cell, <dd>, element); a text dump only by position, so
    # there a value may be the line after its label.
    values_on_next_line: bool = False
