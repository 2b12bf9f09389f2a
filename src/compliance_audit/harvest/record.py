"""One page's findings turned into an inventory item, or the reason it is not one.

Values are taken as the page shows them. A date or 有效性 that cannot be read is left empty and
reported, never guessed; a label that is present with an empty value is recorded as present (for
the audit an empty 文号 in a catalogue that has the field differs from a catalogue without it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from urllib.parse import quote

from compliance_audit.dates import DateFormError, parse_date
from compliance_audit.harvest.columns import column_of
from compliance_audit.harvest.document import PageData
from compliance_audit.harvest.metadata import Block, Pair, pairs_in_lines
from compliance_audit.harvest.pages import Skip
from compliance_audit.inventory.fields import FIELD_LABELS, validity_value
from compliance_audit.inventory.model import Item
from compliance_audit.schemas import schema

_TEXT_FIELDS = ("index_no", "title", "topic", "publisher", "doc_no", "summary")
# Written in place of a value by many CMS templates; they mean "none", so the field is blank.
_PLACEHOLDERS = frozenset({"无", "/", "-", "—", "——", "－", "暂无", "空", "null", "none", "NULL", "None"})
_DATE_TOKEN = re.compile(
    r"\d{4}\s*(?:[-/.]|年)\s*\d{1,2}\s*(?:[-/.]|月)\s*\d{1,2}\s*日?(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?"
)
_LIST_NAME = re.compile(r"(?:index|default|list|more|column|channel|node)(?:_\d+)?\.", re.IGNORECASE)
# A page without a metadata block that links to this many titles is a list of articles.
_LIST_LINKS = 10
_ABSOLUTE_URL = re.compile(r"https?://[^\s\"'<>]+", re.IGNORECASE)
_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}(?::\d{1,5})?", re.IGNORECASE)
_URL_SAFE = "/?=&%:+,;@!$'()*~-._"


@dataclass(slots=True)
class PageRecord:
    item: Item | None
    present: frozenset[str] = frozenset()  # fields the page's catalogue carries, blank or not
    unreadable: tuple[str, ...] = ()  # fields whose value could not be read (left empty)
    warnings: list[str] = field(default_factory=list)
    skip: str = ""  # a Skip reason when item is None
    detail: str = ""


@dataclass(slots=True)
class _Values:
    text: dict[str, str] = field(default_factory=dict)
    present: set[str] = field(default_factory=set)
    unreadable: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def cannot_read(self, name: str, value: str) -> None:
        if name not in self.unreadable:
            self.unreadable.append(name)
        self.warnings.append(f"{FIELD_LABELS[name]}“{_shorten(value)}”无法识别，已留空")


def build_record(page: PageData, relative: str, url: str) -> PageRecord:
    """The page's item, or why it is not one: a list page, a page with neither a metadata block nor
    a title and date, or an article whose title or publication date cannot be read."""
    block = Block.of(pairs_in_lines(page.lines, next_line_values=page.values_on_next_line))
    has_block = block.is_block()
    if not has_block and _LIST_NAME.match(relative.rsplit("/", 1)[-1]):
        return PageRecord(None, skip=Skip.LIST, detail="文件名为列表页/首页")
    values = _Values()
    for key in _TEXT_FIELDS:
        pair = block.best.get(key)
        if pair is not None:
            values.present.add(key)
            values.text[key] = _text(pair.value, key, values)
    title = values.text.get("title") or _text(page.meta.get("articletitle") or page.heading, "title", values)
    published = _published(block, page, values)
    if not has_block and not (title and published):
        return PageRecord(None, skip=Skip.LIST if page.title_links >= _LIST_LINKS else Skip.NO_METADATA)
    if not title:
        return PageRecord(None, skip=Skip.NO_TITLE)
    if published is None:
        shown = block.value("published") or (block.body_date.value if block.body_date else "")
        return PageRecord(None, skip=Skip.NO_DATE, detail=f"“{_shorten(shown)}”" if shown else "")
    if page.truncated:
        values.warnings.append("页面没有结尾（</html>），可能下载不完整；已按能读到的元数据收录")
    item = _item(block, page, values, title, published, url)
    values.present.update(("title", "published", "url"))
    for key in ("publisher", "column"):
        if getattr(item, key):
            values.present.add(key)
    return PageRecord(item, frozenset(values.present), tuple(values.unreadable), values.warnings)


def _item(block: Block, page: PageData, values: _Values, title: str, published: date, url: str) -> Item:
    """The item; the gov-site meta tags fill in a publisher and a column the block does not give."""
    publisher = values.text.get("publisher") or _text(page.meta.get("contentsource", ""), "publisher", values)
    column = column_of(page.breadcrumb, title) or _text(page.meta.get("columnname", ""), "column", values)
    return Item(
        row=0,
        title=title,
        published=published,
        index_no=values.text.get("index_no", ""),
        topic=values.text.get("topic", ""),
        publisher=publisher,
        formed=_date(block.best.get("formed"), "formed", values),
        column=column,
        doc_no=values.text.get("doc_no", ""),
        validity=_validity(block.best.get("validity"), values),
        valid_until=_date(block.best.get("valid_until"), "valid_until", values),
        url=_url(page, url),
        summary=values.text.get("summary", ""),
    )


def mirror_url(relative: str, mirror_name: str, base_url: str | None) -> str:
    """Where a mirrored file was on the web. wget keeps the host as the first directory but not the
    scheme; http:// is used because a site that serves https redirects http to it, not the reverse."""
    if base_url:
        return f"{base_url.rstrip('/')}/{quote(relative, safe=_URL_SAFE)}"
    if _HOST.fullmatch(mirror_name):
        return f"http://{mirror_name}/{quote(relative, safe=_URL_SAFE)}"
    host, _, rest = relative.partition("/")
    if rest and _HOST.fullmatch(host):
        return f"http://{host}/{quote(rest, safe=_URL_SAFE)}"
    return quote(relative, safe=_URL_SAFE)


def _url(page: PageData, mirrored: str) -> str:
    limit = _max_length("url")
    for candidate in (page.canonical, page.meta.get("og:url", ""), page.meta.get("url", "")):
        if _ABSOLUTE_URL.fullmatch(candidate) and len(candidate) <= limit:
            return candidate
    return mirrored if len(mirrored) <= limit else ""


def _text(value: str, name: str, values: _Values) -> str:
    if value in _PLACEHOLDERS:
        return ""
    if len(value) > _max_length(name):
        values.cannot_read(name, value)
        return ""
    return value


def _published(block: Block, page: PageData, values: _Values) -> date | None:
    """The catalogue's 发布日期 if it can be read, else the date line under the title, else the
    PubDate meta tag. When both the catalogue and the date line give a date, they are compared."""
    catalogue = block.catalogue_date
    body = block.body_date
    catalogue_day = _date(catalogue, "published", values) if catalogue is not None else None
    body_day = _date(body, "published", values, report=catalogue_day is None) if body is not None else None
    if catalogue_day and body_day and catalogue_day != body_day:
        values.warnings.append(
            f"目录的发布日期 {catalogue_day.isoformat()} 与正文的发布时间 {body_day.isoformat()} 不一致，"
            "采用目录的发布日期"
        )
    if catalogue_day or body_day:
        return catalogue_day or body_day
    meta = page.meta.get("pubdate", "")
    return _date(Pair("发布日期", meta), "published", values) if meta else None


def _date(pair: Pair | None, name: str, values: _Values, *, report: bool = True) -> date | None:
    if pair is None:
        return None
    values.present.add(name)
    value = pair.value
    if not value or value in _PLACEHOLDERS:
        return None
    match = _DATE_TOKEN.match(value)
    if match is not None:
        try:
            return parse_date(match.group())
        except DateFormError:
            pass
    # A line taken as the value only because it followed an empty label is not the field's value.
    if report and not pair.next_line:
        values.cannot_read(name, value)
    return None


def _validity(pair: Pair | None, values: _Values) -> str:
    if pair is None:
        return ""
    values.present.add("validity")
    value = "".join(pair.value.split())
    if not value or value in _PLACEHOLDERS:
        return ""
    mapped = validity_value(value)
    if mapped is None and not pair.next_line:
        values.cannot_read("validity", pair.value)
    return mapped or ""


@cache
def _max_length(name: str) -> int:
    """The inventory schema's limit, so that what is written always loads back."""
    properties = schema("inventory")["$defs"]["item"]["properties"]
    limit: int = properties[name].get("maxLength", 100_000)
    return limit


def _shorten(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[:limit] + "…"
