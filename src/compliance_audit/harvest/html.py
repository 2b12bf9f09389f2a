"""An HTML page as what the harvest needs from it: the lines of its metadata block(s), its
breadcrumb, meta tags, heading, canonical link, and the visible text of its article body.

Reading every element of a page in Python costs many times what lxml takes to parse it, so the
page is entered only where it matters: the text nodes that hold a label (a colon, or a cell holding
nothing but a known label) lead to their block (the table, list or row around them), and only
those blocks are rendered as lines; the body is the article container portals mark (#zoom,
.TRS_Editor …) or else the element holding most paragraph text, and its text is serialised by lxml.

A block becomes "label：value" lines: block elements end lines, cells are separated by spaces, and
an element holding nothing but a label is joined to the element after it, so the value in the next
cell, <dd> or <div> lands on its line. Hidden elements (display:none, visibility:hidden, the hidden
attribute) are not part of the page a person reads.

The page is untrusted: lxml's HTML parser with no network access, no huge-tree mode, comments and
processing instructions dropped; trees are walked without recursion.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise

from lxml import etree

from compliance_audit.harvest.columns import HOME_SEGMENTS, is_breadcrumb, split_breadcrumb
from compliance_audit.harvest.document import PageData, bounded, inline
from compliance_audit.harvest.metadata import (
    COLONS,
    has_label,
    is_label,
    label_endings,
    label_only,
    source_labels,
)

_PARSER = etree.HTMLParser(
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
_SKIPPED = frozenset(
    {"script", "style", "noscript", "template", "iframe", "object", "svg", "select", "head", "textarea"}
)
# Structures a metadata block is written as; a label inside one brings the whole (small) structure.
_STRUCTURES = frozenset({"table", "dl", "ul", "ol"})
_MAX_STRUCTURE_TEXT = 4000  # a bigger "table" is a page layout, not a metadata block
_MAX_CLIMB = 5
_MIN_TITLE_LINK = 8

_TRAILING = " \t\r\n\u3000\xa0"
_LABEL_ENDINGS = label_endings()
_CRUMB_WORDS = (
    "crumb",
    "position",
    "location",
    "weizhi",
    "dqwz",
    "curpos",
    "navpath",
    "nav_path",
    "mianbao",
    "place",
)
_CRUMB_ATTRIBUTE = re.compile("|".join(_CRUMB_WORDS), re.IGNORECASE)
_TITLE_SEPARATOR = re.compile(r"\s*(?:_|\s[-|—－｜]\s)\s*")
_MAX_HEADING = 300
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# The class or id of the article container in the CMS templates portals run on (TRS, Hanweb jcms,
# gkmlpt, the Anhui and Hunan platforms); the first such element of a page is its body.
_BODY_MARKS = frozenset(
    {
        "TRS_Editor", "TRS_UEDITOR", "Custom_UnionStyle", "article-content", "article_content", "art_con",
        "wzcon", "j-fontContent", "zoom", "Zoom", "UCAP-CONTENT", "zwnr", "news_content", "content_text",
        "detail-content", "xxgk_content", "pages_content", "fontzoom", "vsb_content",
    }
)  # fmt: skip
_DATE_TOKEN = re.compile(r"\d{4}\s*(?:[-/.]|年)\s*\d{1,2}\s*(?:[-/.]|月)\s*\d{1,2}")


def read_html(text: str, *, body: bool = True) -> PageData:
    truncated = _looks_truncated(text)
    try:
        root = etree.fromstring(_marked(_XML_DECLARATION.sub("", text, count=1)), parser=_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        root = None
    if root is None:
        return PageData(lines=[], truncated=truncated)
    head = _Head(root)
    labels, crumbs = _label_nodes(root)
    chosen, alone = _blocks(labels)
    rendered = [(block, _render(block, alone)) for block in chosen]
    lines = [line for _, block_lines in rendered for line in block_lines]
    # blocks that hold a label, not a paragraph of the article with a colon in it
    blocks = [block for block, block_lines in rendered if any(has_label(line) for line in block_lines)]
    return PageData(
        lines=lines,
        breadcrumb=_breadcrumb(crumbs, lines),
        meta=head.meta,
        heading=head.heading(),
        canonical=head.canonical,
        truncated=truncated,
        list_signals=lambda: _list_signals(root),
        body=_body_text(root, blocks) if body else "",
    )


def _looks_truncated(text: str) -> bool:
    """A whole document that never reaches </html>: the download or the save stopped early."""
    if text.find("<html", 0, 4096) < 0 and text.find("<HTML", 0, 4096) < 0:
        return False
    tail = len(text) - 8192
    return text.rfind("</html", tail) < 0 and text.rfind("</HTML", tail) < 0


class _Head:
    """Meta tags, canonical link, <title> and headings, from one pass over those elements."""

    def __init__(self, root: etree._Element) -> None:
        self.meta: dict[str, str] = {}
        self.canonical = ""
        self.title = ""
        self.headings: list[tuple[str, str]] = []
        for element in root.iter("meta", "link", "title", "h1", "h2", "h3"):
            tag = element.tag
            if tag == "meta":
                name = (element.get("name") or element.get("property") or "").strip().lower()
                content = element.get("content")
                if name and content and name not in self.meta:
                    self.meta[name] = inline(content).strip()
            elif tag == "link":
                if not self.canonical and "canonical" in (element.get("rel") or "").lower().split():
                    self.canonical = (element.get("href") or "").strip()
            elif tag == "title":
                self.title = self.title or _text(element).replace(_LABEL_MARK, "").replace(_HOME_MARK, "")
            elif not _hidden(element):
                self.headings.append((tag, _text(element)))

    def heading(self) -> str:
        """The article's heading: the first h1–h3 that the page's <title> repeats (a portal's <title>
        is "文章标题_站点名"), else the first part of <title>, else the first h1."""
        parts = [part for part in _TITLE_SEPARATOR.split(self.title) if part]
        site = parts[-1] if len(parts) >= 2 else ""
        headings = [(tag, text) for tag, text in self.headings if text and len(text) <= _MAX_HEADING]
        for _, heading in headings:
            if heading != site and heading in self.title:
                return heading
        if len(parts) >= 2:
            return parts[0]
        return next((text for tag, text in headings if tag == "h1"), "")


def _marked(text: str) -> str:
    """The page source with an empty <ca-label> element just before each label followed by a colon
    and a <ca-home> before each 首页 of a breadcrumb, found with searches of the source (the
    reversed source for the labels, see metadata.source_labels), so that the parsed tree is
    entered only there. Never inside a tag (an attribute value); in the <title>, which the parser
    keeps as plain text, the marks are taken out again when the title is read."""
    size = len(text)
    backwards = text[::-1]
    positions = [
        (size - match.end(), _LABEL_MARK)
        for pattern in source_labels()
        for match in pattern.finditer(backwards)
    ]
    for home in _HOME.finditer(text):
        # a breadcrumb: separators after it, or a crumb-like class just before it
        position = home.start()
        after = text[position : position + _CRUMB_REACH]
        if any(separator in after for separator in _CRUMB_SEPARATORS) or (
            after[2:3] == "<"
            and any(word in text[max(position - 320, 0) : position].lower() for word in _CRUMB_WORDS)
        ):
            positions.append((position, _HOME_MARK))
    if not positions:
        return text
    pieces: list[str] = []
    last = 0
    for position, mark in sorted(positions):
        if text.rfind("<", 0, position) > text.rfind(">", 0, position):
            continue
        pieces.append(text[last:position])
        pieces.append(mark)
        last = position
    pieces.append(text[last:])
    return "".join(pieces)


_LABEL_TAG, _HOME_TAG = "ca-label", "ca-home"
_LABEL_MARK, _HOME_MARK = f"<{_LABEL_TAG}></{_LABEL_TAG}>", f"<{_HOME_TAG}></{_HOME_TAG}>"
_HOME = re.compile("首[页頁]")
_CRUMB_REACH = 80
_CRUMB_SEPARATORS = ("&gt;", "»", "›", "→", "＞", "&raquo;")
_MAX_CELL = 40
# Elements that hold a label without a colon in the templates seen (a label cell, <dt>, or a span or
# bold text before the value).
_LABEL_CELLS = ("td", "th", "dt", "span", "b", "strong", "label", "font")


def _label_nodes(root: etree._Element) -> tuple[list[etree._Element], list[etree._Element]]:
    """The elements holding a label (marked in the source, or a table cell or <dt> holding nothing
    but a label, which has no colon to find it by), and those holding 首页 (where a breadcrumb may
    be), in document order."""
    holders: list[etree._Element] = []
    crumbs: list[etree._Element] = []
    for element in root.iter(_LABEL_TAG, _HOME_TAG, *_LABEL_CELLS):
        tag = element.tag
        if tag in (_LABEL_TAG, _HOME_TAG):
            holder = element.getparent()
            if holder is not None and holder.tag not in _SKIPPED:
                (holders if tag == _LABEL_TAG else crumbs).append(holder)
        elif len(element) <= 2:
            text = element.text if not len(element) else _text(element)
            if (
                text
                and len(text) <= _MAX_CELL
                and text.rstrip(_TRAILING)[-1:] in _LABEL_ENDINGS
                and is_label(text)
            ):
                holders.append(element)
    return holders, crumbs


def _blocks(holders: Iterable[etree._Element]) -> tuple[list[etree._Element], dict[etree._Element, bool]]:
    """The element to render for each label: the small table/list around it, else the nearest block
    (for a label standing alone in its element, the block around that element, where its value is).
    Also the elements that hold nothing but a label (the outermost of them, with whether the label
    needs its colon added), which the rendering joins to the value after them."""
    chosen: dict[etree._Element, None] = {}
    alone: dict[etree._Element, bool] = {}
    sizes: dict[etree._Element, int] = {}
    hidden: dict[etree._Element, bool] = {}
    for holder in holders:
        if _hidden_on_the_way(holder, hidden):
            continue
        text = _text(holder)
        element = holder
        if label_only(text):
            parent = holder.getparent()
            while parent is not None and parent.tag not in _STRUCTURES and _text(parent) == text:
                element, parent = parent, parent.getparent()
            alone[element] = text[-1] not in COLONS
            element = parent if parent is not None else element
        block = _structure(element, sizes)
        if block is None:
            block = _nearest_block(element)
        if block is not None:
            chosen.setdefault(block, None)
    return list(chosen), alone


def _structure(element: etree._Element, sizes: dict[etree._Element, int]) -> etree._Element | None:
    ancestor: etree._Element | None = element
    for _ in range(_MAX_CLIMB):
        if ancestor is None or ancestor.tag in ("body", "html"):
            return None
        if ancestor.tag in _STRUCTURES:
            size = sizes.get(ancestor)
            if size is None:
                size = sizes[ancestor] = len(
                    etree.tostring(ancestor, method="text", encoding=str, with_tail=False)
                )
            return ancestor if size <= _MAX_STRUCTURE_TEXT else None
        ancestor = ancestor.getparent()
    return None


def _nearest_block(element: etree._Element) -> etree._Element | None:
    ancestor: etree._Element | None = element
    while ancestor is not None and ancestor.tag not in _BLOCKS and ancestor.tag not in _CELLS:
        ancestor = ancestor.getparent()
    if ancestor is not None and ancestor.tag in _CELLS:
        ancestor = ancestor.getparent()  # the row, where the value cell is
    return ancestor


def _hidden(element: etree._Element) -> bool:
    style = element.get("style")
    return element.get("hidden") is not None or (
        style is not None and _HIDDEN_STYLE.search(style) is not None
    )


def _hidden_on_the_way(element: etree._Element, known: dict[etree._Element, bool]) -> bool:
    """Is the element or one of its ancestors hidden? known caches the answer for each element seen."""
    path: list[etree._Element] = []
    ancestor: etree._Element | None = element
    answer = False
    while ancestor is not None:
        cached = known.get(ancestor)
        if cached is not None:
            answer = cached
            break
        if _hidden(ancestor):
            answer = True
            path.append(ancestor)
            break
        path.append(ancestor)
        ancestor = ancestor.getparent()
    for visited in path:
        known[visited] = answer
    return answer


def _render(block: etree._Element, alone: dict[etree._Element, bool]) -> list[str]:
    _pair_columns(block, alone)
    renderer = _Renderer(alone)
    stack: list[tuple[etree._Element, int]] = [(block, -1)]
    while stack:
        element, start = stack.pop()
        if start >= 0:
            renderer.close(element)
        elif renderer.open(element):
            stack.append((element, len(renderer.pieces)))
            if element.text:
                renderer.add(element.text)
            stack.extend((child, -1) for child in reversed(element))
    renderer.pieces.pop()  # the block's own tail: not part of it
    lines = [line.strip() for line in inline("".join(renderer.pieces)).split(_LINE)]
    return [line for line in lines if line]


def _pair_columns(block: etree._Element, alone: dict[etree._Element, bool]) -> None:
    """A table whose row holds only labels and whose next row holds their values (a catalogue shown
    as a header row over a value row) becomes one row of label：value cells."""
    for table in [block] if block.tag == "table" else block.iter("table"):
        rows = list(table.iter("tr"))
        for upper, lower in pairwise(rows):
            labels, values = upper.findall("./*"), lower.findall("./*")
            if len(labels) < 2 or len(labels) != len(values):
                continue
            texts = [_text(cell) for cell in labels]
            if not all(text and label_only(text) for text in texts) or any(
                label_only(_text(v)) for v in values
            ):
                continue
            for cell, text, value in zip(labels, texts, values, strict=True):
                for child in list(cell):
                    cell.remove(child)
                cell.text = f"{text.rstrip(COLONS)}：{_text(value)}"
                alone.pop(cell, None)
            lower.getparent().remove(lower)  # type: ignore[union-attr]


class _Renderer:
    """Lines of text from a block: block elements end lines (marked _LINE until the whole text is
    made inline), cells and spans are separated by spaces, and an element holding nothing but a
    label gets its colon and is joined to the value after it."""

    def __init__(self, alone: dict[etree._Element, bool]) -> None:
        self.alone = alone
        self.pieces: list[str] = []
        # While set: the parent of a label-only element whose value has not started yet. Line
        # breaks inside that parent are dropped so that the value joins its label.
        self.glue: etree._Element | None = None

    def add(self, text: str) -> None:
        self.pieces.append(text)
        if self.glue is not None and not text.isspace():
            self.glue = None

    def open(self, element: etree._Element) -> bool:
        """Start an element; False for one whose content is not page text (scripts, hidden ones)."""
        tag = element.tag
        if not isinstance(tag, str) or tag in _SKIPPED or _hidden(element):
            if element.tail:
                self.add(element.tail)
            return False
        if (tag in _BLOCKS or tag == "br") and self.glue is None:
            self.pieces.append(_LINE)
        return True

    def close(self, element: etree._Element) -> None:
        tag = element.tag
        colon = self.alone.get(element)
        if element is self.glue:
            self.glue = None
        if colon is not None:
            if colon:
                self.pieces.append("：")
            self.glue = element.getparent()
        elif tag in _BLOCKS and self.glue is None:
            self.pieces.append(_LINE)
        elif tag in _CELLS or tag == "span":
            # cells, and spans, which templates put side by side without a space ("来源：县司法局"
            # glued to "文章类型：原创")
            self.pieces.append("  ")
        self.pieces.append(element.tail or "")


def _breadcrumb(crumbs: list[etree._Element], lines: list[str]) -> list[str]:
    for holder in crumbs:
        element: etree._Element | None = holder
        for _ in range(_MAX_CLIMB):
            if element is None or element.tag in ("body", "html"):
                break
            attributes = f"{element.get('class', '')} {element.get('id', '')}"
            if _CRUMB_ATTRIBUTE.search(attributes):
                segments = _crumb_segments(element)
                if len(segments) >= 2 and any(segment in HOME_SEGMENTS for segment in segments):
                    return segments
                break
            element = element.getparent()
        text = _text(holder)
        if len(text) <= _MAX_HEADING and is_breadcrumb(text):
            return split_breadcrumb(text)
    for line in lines:
        if len(line) <= _MAX_HEADING and is_breadcrumb(line):
            return split_breadcrumb(line)
    return []


def _crumb_segments(element: etree._Element) -> list[str]:
    items = [item for item in (_text(li) for li in element.iter("li")) if item]
    if len(items) >= 2:
        return [segment for item in items for segment in split_breadcrumb(item)]
    return split_breadcrumb(_text(element))


def _list_signals(root: etree._Element) -> tuple[int, int]:
    """(links with a title-length text, date-like tokens in the text): a list page has many of both."""
    links = sum(1 for anchor in root.iter("a") if len(_text(anchor)) >= _MIN_TITLE_LINK)
    text = etree.tostring(root, method="text", encoding=str)
    return links, len(_DATE_TOKEN.findall(text))


def _body_text(root: etree._Element, blocks: list[etree._Element]) -> str:
    """The visible text of the article body, a line per paragraph, at most BODY_LIMIT bytes of it."""
    container = _body_container(root, frozenset(blocks))
    if container is None:
        return ""
    return bounded("\n".join(visible_lines(container)))


def visible_lines(container: etree._Element) -> list[str]:
    """The text a reader sees in an element, a line per block (paragraph, heading, row, line break);
    scripts, styles and hidden elements left out. Changes the element: render a copy to keep it."""
    for element in list(container.iter()):
        tag = element.tag
        if not isinstance(tag, str) or tag in _SKIPPED or _hidden(element):
            _drop(element)
        elif tag in _BLOCKS or tag == "br":
            element.tail = _LINE + (element.tail or "")
        elif tag in _CELLS:
            element.tail = " " + (element.tail or "")
    text = inline(etree.tostring(container, method="text", encoding=str, with_tail=False))
    lines = (" ".join(line.split()) for line in text.split(_LINE))
    return [line for line in lines if line]


# Marks the end of a block in serialised text (a newline in HTML source is only a space): a
# private-use character, which lxml accepts in text and pages do not write in running text.
_LINE = "\ue01e"


def _body_container(root: etree._Element, blocks: frozenset[etree._Element]) -> etree._Element | None:
    """The article container a portal template marks, else the element holding most paragraph text
    outside the metadata blocks."""
    for element in root.iter("div", "td", "article", "section"):
        classes, identifier = element.get("class"), element.get("id")
        marked = identifier in _BODY_MARKS or (
            classes is not None and not _BODY_MARKS.isdisjoint(classes.split())
        )
        if marked and not _hidden_on_the_way(element, {}):
            return element
    weights: dict[etree._Element, int] = {}
    for paragraph in root.iter("p"):
        parent = paragraph.getparent()
        if (
            parent is not None
            and paragraph not in blocks
            and not any(a in blocks for a in paragraph.iterancestors())
        ):
            weights[parent] = weights.get(parent, 0) + len(
                etree.tostring(paragraph, method="text", encoding=str, with_tail=False)
            )
    if not weights:
        return None
    return max(weights, key=weights.__getitem__)


def _drop(element: etree._Element) -> None:
    """Remove an element but keep the text after it."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _text(element: etree._Element) -> str:
    text = etree.tostring(element, method="text", encoding=str, with_tail=False)
    return " ".join(inline(text).split())
