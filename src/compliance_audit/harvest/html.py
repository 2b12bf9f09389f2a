"""An HTML page as lines of text plus what its markup tells directly (meta tags, breadcrumb,
canonical link, heading).

Metadata blocks come as tables (label and value in one cell or two), definition lists, lists,
labelled spans or bold labels followed by text. All of them become "label：value" lines: block
elements end lines, cells are separated by spaces, and an element holding nothing but a label is
joined to the element after it, so the value in the next cell, <dd> or <div> lands on its line.

The page is untrusted: lxml's HTML parser with no network access, no huge-tree mode, comments and
processing instructions dropped; the tree is walked without recursion so nesting depth cannot
exhaust the stack.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from compliance_audit.harvest.columns import HOME_SEGMENTS, is_breadcrumb, split_breadcrumb
from compliance_audit.harvest.document import PageData, inline
from compliance_audit.harvest.metadata import COLONS, label_only

_PARSER = lxml.html.HTMLParser(
    no_network=True, huge_tree=False, remove_comments=True, remove_pis=True, recover=True
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")

_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "div", "dl", "dt",
        "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "tfoot", "thead",
        "tr", "ul",
    }
)  # fmt: skip
_CELLS = frozenset({"td", "th"})
_SKIPPED = frozenset({"script", "style", "noscript", "template", "iframe", "object", "svg", "select", "head"})
# A label element's text is short; only such small subtrees are examined as possible labels.
_MAX_LABEL_PIECES = 8
_MIN_TITLE_LINK = 8

_CRUMB_ATTRIBUTE = re.compile(
    r"crumb|position|location|weizhi|dqwz|curpos|navpath|nav_path|mianbao|place", re.I
)
_TITLE_SEPARATOR = re.compile(r"\s*(?:_|\s[-|—－｜]\s)\s*")
_MAX_HEADING = 300


def read_html(text: str) -> PageData:
    truncated = _looks_truncated(text)
    try:
        root = lxml.html.document_fromstring(_XML_DECLARATION.sub("", text, count=1), parser=_PARSER)
    except (etree.ParserError, ValueError):
        return PageData(lines=[], truncated=truncated)
    lines, title_links = _render(root)
    return PageData(
        lines=lines,
        breadcrumb=_breadcrumb(root, lines),
        meta=_meta(root),
        heading=_heading(root),
        canonical=_canonical(root),
        truncated=truncated,
        title_links=title_links,
    )


def _looks_truncated(text: str) -> bool:
    """A whole document that never reaches </html>: the download or the save stopped early."""
    if "<html" not in text[:4096].lower():
        return False
    return re.search(r"</html\s*>", text[-8192:], re.IGNORECASE) is None


def _render(root: etree._Element) -> tuple[list[str], int]:
    """The page's lines and how many title-length links it has."""
    renderer = _Renderer()
    stack: list[tuple[etree._Element, int]] = [(root, -1)]
    while stack:
        element, start = stack.pop()
        if start >= 0:
            renderer.close(element, start)
        elif renderer.open(element):
            stack.append((element, len(renderer.pieces)))
            if element.text:
                renderer.add(element.text)
            stack.extend((child, -1) for child in reversed(element))
    lines = [line.strip() for line in "".join(renderer.pieces).split("\n")]
    return [line for line in lines if line], renderer.title_links


class _Renderer:
    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.title_links = 0
        # While set: the parent of a label-only element whose value has not started yet. Line
        # breaks inside that parent are dropped so that the value joins its label.
        self.glue: etree._Element | None = None

    def add(self, text: str) -> None:
        self.pieces.append(inline(text))
        if self.glue is not None and text.strip():
            self.glue = None

    def open(self, element: etree._Element) -> bool:
        """Start an element; False for one whose content is not page text (scripts, comments)."""
        tag = _tag(element)
        if tag in _SKIPPED or not tag:
            if element.tail:
                self.add(element.tail)
            return False
        if (tag in _BLOCKS or tag == "br") and self.glue is None:
            self.pieces.append("\n")
        return True

    def close(self, element: etree._Element, start: int) -> None:
        tag = _tag(element)
        labelled = False
        if len(self.pieces) - start <= _MAX_LABEL_PIECES:
            text = "".join(self.pieces[start:]).strip()
            if text and label_only(text):
                self.pieces[start:] = [text if text[-1] in COLONS else text + "："]
                labelled = True
            elif tag == "a" and len(text) >= _MIN_TITLE_LINK:
                self.title_links += 1
        if element is self.glue:
            self.glue = None
        if labelled:
            self.glue = element.getparent()
        elif tag in _BLOCKS and self.glue is None:
            self.pieces.append("\n")
        elif tag in _CELLS:
            self.pieces.append("  ")
        if element.tail:
            self.add(element.tail)


def _tag(element: etree._Element) -> str:
    """The tag name; "" for comments, processing instructions and entities."""
    return element.tag if isinstance(element.tag, str) else ""


def _meta(root: etree._Element) -> dict[str, str]:
    found: dict[str, str] = {}
    for meta in root.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").strip().lower()
        content = meta.get("content")
        if name and content and name not in found:
            found[name] = inline(content).strip()
    return found


def _canonical(root: etree._Element) -> str:
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            return (link.get("href") or "").strip()
    return ""


def _heading(root: etree._Element) -> str:
    """The article's heading: the first h1–h3 that the page's <title> repeats (a portal's <title>
    is "文章标题_站点名"), else the first part of <title>, else the first h1."""
    title_element = root.find(".//title")
    page_title = _text(title_element) if title_element is not None else ""
    parts = [part for part in _TITLE_SEPARATOR.split(page_title) if part]
    site = parts[-1] if len(parts) >= 2 else ""
    headings = [_text(element) for element in root.iter("h1", "h2", "h3")]
    headings = [heading for heading in headings if heading and len(heading) <= _MAX_HEADING]
    for heading in headings:
        if heading != site and heading in page_title:
            return heading
    if len(parts) >= 2:
        return parts[0]
    first_h1 = next((_text(element) for element in root.iter("h1")), "")
    return first_h1 if len(first_h1) <= _MAX_HEADING else ""


def _breadcrumb(root: etree._Element, lines: list[str]) -> list[str]:
    for element in root.iter("div", "nav", "p", "span", "td", "ol", "ul"):
        attributes = f"{element.get('class', '')} {element.get('id', '')}"
        if not _CRUMB_ATTRIBUTE.search(attributes):
            continue
        items = [_text(item) for item in element.iter("li")]
        items = [item for item in items if item]
        segments = (
            [segment for item in items for segment in split_breadcrumb(item)]
            if len(items) >= 2
            else split_breadcrumb(_text(element))
        )
        if len(segments) >= 2 and any(segment in HOME_SEGMENTS for segment in segments):
            return segments
    for line in lines:
        if len(line) <= _MAX_HEADING and is_breadcrumb(line):
            return split_breadcrumb(line)
    return []


def _text(element: etree._Element) -> str:
    text = "".join(piece for piece in element.itertext() if isinstance(piece, str))
    return " ".join(inline(text).split())
