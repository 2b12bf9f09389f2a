"""Which links of a portal section the crawler follows, and how list pages continue.

The section is the start address's host and directory (https://x.gov.cn/col/col1234/index.html →
https://x.gov.cn/col/col1234/); --allow patterns (regular expressions searched in the whole
address) add pages elsewhere, such as the /art/… article pages of a Hanweb jcms column. Every
other link is recorded and left alone: pages outside the section, other hosts, attachments (unless
asked for). Pure functions of the addresses: no network, no state.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal
from urllib.parse import SplitResult, urljoin, urlsplit, urlunsplit

from compliance_audit.errors import InputError
from compliance_audit.harvest.pages import ATTACHMENT_SUFFIXES, RESOURCE_SUFFIXES, suffix_of

Verdict = Literal["page", "attachment", "resource", "outside", "offsite", "ignored"]

_SCHEMES = frozenset({"http", "https"})
# Pagination links: TRS index_1.html, ?page=2 and its spellings, jcms/JSP start rows, the usual
# link texts. A page reached through pagination is as deep as the list page that links to it.
_PAGE_NAME = re.compile(r"(?:^|/)(?:index|default|list|more)_\d+\.s?html?$", re.IGNORECASE)
_PAGE_QUERY = re.compile(
    r"(?:^|&)(?:page|pageno|page_no|pagenum|pageindex|page_index|curpage|currpage|currentpage|pn|p|start"
    r"|startrecord|offset)=\d+(?:&|$)",
    re.IGNORECASE,
)
_PAGE_TEXTS = frozenset(
    {"下一页", "上一页", "下页", "上页", "尾页", "末页", "最后一页", ">", ">>", "<", "<<"}
)
# TRS list pages write their pager with createPageHTML(pages, current, "index", "html") or, in
# later templates, createPageHTML('page_div', pages, current, 'index', 'html', records).
_CREATE_PAGE = re.compile(r"createPageHTML\s*\(([^()]{1,200})\)")
_ARGUMENT = re.compile(r"""\s*(?:(-?\d+)|["']([\w.-]{0,60})["'])\s*(?:,|$)""")
_EXTENSIONS = frozenset({"html", "htm", "shtml", "shtm", "jsp", "php", "asp", "aspx"})
# Hanweb jcms columns keep the first pages of their list inside the page as XML records
# (<record><![CDATA[<li><a href="/art/…">…</a></li>]]></record>) that a script renders.
_JCMS_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.{1,4000}?)\]\]>\s*</record>", re.DOTALL | re.IGNORECASE)
_HREF = re.compile(r"""href\s*=\s*["']([^"'<>\s]{1,2000})["']""", re.IGNORECASE)
MAX_URL_LENGTH = 2000


@dataclass(frozen=True)
class Scope:
    host: str  # host[:port], lower case
    prefix: str  # path directory of the start address, ends with "/"
    allow: tuple[re.Pattern[str], ...] = ()
    attachments: bool = False  # download attachments too (otherwise only recorded)

    @classmethod
    def of(cls, start_url: str, allow: Sequence[str] = (), attachments: bool = False) -> Scope:
        parts = _split(start_url)
        if parts is None or parts.scheme not in _SCHEMES or not parts.hostname:
            raise InputError(
                f"网址“{start_url}”无法识别", field="URL", expected="http:// 或 https:// 开头的栏目网址"
            )
        path = parts.path or "/"
        prefix = path if path.endswith("/") else path[: path.rfind("/") + 1]
        return cls(parts.netloc.lower(), prefix, compile_patterns(allow), attachments)

    def host_allowed(self, url: str) -> bool:
        """May the crawler send any request to this address (the page's own host, or an allowed one)?"""
        parts = _split(url)
        if parts is None or parts.scheme not in _SCHEMES:
            return False
        return parts.netloc.lower() == self.host or self._allowed(url)

    def classify(self, url: str) -> Verdict:
        parts = _split(url)
        if parts is None or parts.scheme not in _SCHEMES or len(url) > MAX_URL_LENGTH:
            return "ignored"  # mailto:, javascript:, tel:, an address too long to be a page
        same_host = parts.netloc.lower() == self.host
        if not (same_host or self._allowed(url)):
            return "offsite"
        suffix = suffix_of(parts.path)
        if suffix in ATTACHMENT_SUFFIXES:
            return "attachment"
        if suffix in RESOURCE_SUFFIXES:
            return "resource"
        if (same_host and (parts.path or "/").startswith(self.prefix)) or self._allowed(url):
            return "page"
        return "outside"

    def _allowed(self, url: str) -> bool:
        return any(pattern.search(url) for pattern in self.allow)


def compile_patterns(patterns: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern))
        except re.error as error:
            raise InputError(
                f"--allow 的正则表达式“{pattern}”有误：{error}", field="--allow", expected="Python 正则表达式"
            ) from None
    return tuple(compiled)


def absolute(base: str, href: str) -> str | None:
    """The link as an absolute address without its #fragment; None for what is not a link."""
    href = href.strip()
    if not href or href.startswith(("#", "javascript:", "JavaScript:", "mailto:", "tel:", "data:")):
        return None
    try:
        joined = urljoin(base, href)
    except ValueError:
        return None
    parts = _split(joined)
    if parts is None:
        return None
    return urlunsplit(parts._replace(fragment=""))


def is_pagination(url: str, text: str) -> bool:
    parts = _split(url)
    if parts is None:
        return False
    text = text.strip()
    return bool(
        _PAGE_NAME.search(parts.path)
        or _PAGE_QUERY.search(parts.query)
        or text in _PAGE_TEXTS
        or (text.isdigit() and len(text) <= 4)
    )


def script_pages(base: str, html: str, limit: int) -> list[str]:
    """The list pages a createPageHTML(...) pager links to: index_1.html … index_{n-1}.html (the
    first page is the page itself), at most `limit`."""
    pages: list[str] = []
    for call in _CREATE_PAGE.finditer(html):
        numbers: list[int] = []
        names: list[str] = []
        for argument in _ARGUMENT.finditer(call.group(1)):
            if argument.group(1) is not None:
                numbers.append(int(argument.group(1)))
            else:
                names.append(argument.group(2))
        if not numbers or len(names) < 2 or names[-1].lower() not in _EXTENSIONS:
            continue
        # The page name is the string before the extension; a leading string is an element id.
        name, extension = names[-2], names[-1]
        count = min(numbers[0], limit + 1)
        pages.extend(urljoin(base, f"{name}_{index}.{extension}") for index in range(1, count))
    return pages


def record_links(html: str) -> list[str]:
    """The links inside Hanweb jcms <record><![CDATA[…]]></record> list data."""
    return [
        href.group(1) for record in _JCMS_RECORD.finditer(html) for href in _HREF.finditer(record.group(1))
    ]


def _split(url: str) -> SplitResult | None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError for a port that is not a number)
    except ValueError:
        return None
    return parts
