"""Reading an annual report file (.docx, saved .html page, .pdf, .txt) into rows of cells.

Every reader only reads: paragraphs become rows of one cell and table rows rows of cells, in
reading order, with where each came from. Merged cells are expanded as catalogue import does
(catalogue_import.grid): docx and HTML repeat a merged cell's text over the grid positions it
covers, pdfplumber leaves them blank. What the rows mean is decided once, in parse.py.

Files are untrusted: sizes are bounded, a saved page is parsed without network access, and a
damaged file ends in an InputError naming it, never a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from compliance_audit.annual.model import Document, Row
from compliance_audit.annual.parse import value_of
from compliance_audit.annual.text import text_document
from compliance_audit.catalogue_import.grid import SpanCell, clean_text, expand_spans, span_attribute
from compliance_audit.errors import InputError
from compliance_audit.harvest.document import inline
from compliance_audit.harvest.html import read_html as read_page_html
from compliance_audit.harvest.html import visible_lines
from compliance_audit.harvest.pages import PageSkipped, declared_charset, decode
from compliance_audit.harvest.record import build_record
from compliance_audit.officezip import check_package, parsing
from compliance_audit.yamlsafe import read_bounded

MAX_REPORT_BYTES = 64 * 1024 * 1024
MAX_UNPACKED_BYTES = 256 * 1024 * 1024  # a .docx is a zip: bound what it unpacks to
MAX_PDF_PAGES = 300  # an annual report has a few pages; this only stops a hostile file
_MIN_NUMBERS = 2
ACCEPTED = ".docx、.html（保存的网页）、.pdf 或 .txt"

_OLD_FORMATS = {".doc": ".docx", ".wps": ".docx"}
_TABLE_MARKER = "@@ANNUAL-TABLE-{}@@"
_MARKER = re.compile(r"@@ANNUAL-TABLE-(\d+)@@")


def read_report_file(path: Path) -> Document:
    suffix = path.suffix.lower()
    if suffix in _OLD_FORMATS:
        raise InputError(f"不支持旧格式 {suffix}，请另存为 {_OLD_FORMATS[suffix]} 后再检查", file=path)
    reader = READERS.get(suffix)
    if reader is None:
        raise InputError(f"不支持的文件类型“{suffix or '（无扩展名）'}”", file=path, expected=ACCEPTED)
    raw = read_bounded(path, MAX_REPORT_BYTES, "年度报告文件")
    document = reader(path, raw)
    if not any(row.text for row in document.rows):
        hint = "（可能是扫描件，请提供文字版）" if suffix == ".pdf" else ""
        raise InputError(f"文件中没有可读的文字{hint}", file=path, expected="含文字的年度报告")
    return document


def read_text(path: Path, raw: bytes) -> Document:
    return text_document(_decode(path, raw, html=False), path.name)


def read_docx(path: Path, raw: bytes) -> Document:
    from docx import Document as open_docx

    check_package(path, "docx 文档", max_unpacked=MAX_UNPACKED_BYTES)
    # python-docx parses parts as they are asked for: a damaged part can fail anywhere in the walk
    with parsing(path, "docx 文档"):
        document = open_docx(str(path))
        if document.element.body is None:
            raise InputError("docx 文档没有正文（w:body）", file=path)
        return _docx_document(document, path)


def _docx_document(document: Any, path: Path) -> Document:
    from docx.table import Table as DocxTable

    rows: list[Row] = []
    tables = 0
    title = ""
    for block in document.iter_inner_content():
        if isinstance(block, DocxTable):
            tables += 1
            for number, table_row in enumerate(block.rows, start=1):
                # python-docx repeats a merged cell over the positions it covers: the grid model
                cells = [""] * table_row.grid_cols_before + [
                    clean_text(cell.text) for cell in table_row.cells
                ]
                rows.append(Row(tuple(cells), f"第 {tables} 个表格第 {number} 行", True, tables))
            continue
        text = clean_text(block.text)
        if text:
            rows.append(Row((text,), f"第 {len(rows) + 1} 段"))
            if not title and "报告" in text:
                title = text.replace("\n", "")
    return Document(path.name, tuple(rows), title)


def read_html(path: Path, raw: bytes) -> Document:
    """A saved page: the page reader of harvest gives the lines, the heading and the 发布日期 of
    its metadata block; the data tables are read as grids and put back where they stood."""
    import lxml.html
    from lxml import etree

    text = _decode(path, raw, html=True)
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, recover=True)
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise InputError(f"无法解析网页（{error}）", file=path) from None
    grids: list[list[list[str]]] = []
    for table in list(_data_tables(root)):
        where = f"第 {len(grids) + 1} 个表格"
        table_rows = table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")
        spans = [
            [
                SpanCell(
                    _cell_text(cell),
                    span_attribute(cell.get("rowspan"), len(table_rows)),
                    span_attribute(cell.get("colspan"), 1),
                )
                for cell in row.xpath("./td | ./th")
            ]
            for row in table_rows
        ]
        try:
            grids.append(expand_spans(spans, where))
        except InputError as error:
            raise error.located(file=path) from None
        marker = etree.Element("p")
        marker.text = _TABLE_MARKER.format(len(grids))
        marker.tail = table.tail
        parent = table.getparent()
        if parent is not None:
            parent.replace(table, marker)
    page = read_page_html(lxml.html.tostring(root, encoding="unicode"), body=False)
    record = build_record(page, path.name, "")
    body = root.find("body")
    rows: list[Row] = []
    for line_number, line in enumerate(visible_lines(root if body is None else body), start=1):
        found = _MARKER.fullmatch(line.strip())
        if found is None:
            rows.append(Row((line,), f"第 {line_number} 行"))
            continue
        table_number = int(found.group(1))
        for number, cells in enumerate(grids[table_number - 1], start=1):
            rows.append(Row(tuple(cells), f"第 {table_number} 个表格第 {number} 行", True, table_number))
    title = record.item.title if record.item else page.heading
    published = record.item.published if record.item else None
    return Document(path.name, tuple(rows), title, published)


def read_pdf(path: Path, raw: bytes) -> Document:
    """Text outside the tables line by line, and each table pdfplumber finds from its rulings, in
    the order they stand on each page."""
    import pdfplumber

    rows: list[Row] = []
    tables = 0
    # pdfminer and pdfplumber raise all sorts of errors on a damaged file (found by the fuzz suite:
    # a page box they cannot normalise): any of them is the file's fault
    with parsing(path, "PDF 文件，或文件已损坏"), pdfplumber.open(path) as pdf:
        if len(pdf.pages) > MAX_PDF_PAGES:
            raise InputError(f"PDF 页数过多（{len(pdf.pages)} 页，上限 {MAX_PDF_PAGES} 页）", file=path)
        for page_number, page in enumerate(pdf.pages, start=1):
            found = page.find_tables()
            boxes = [table.bbox for table in found]
            placed: list[tuple[float, list[Row]]] = []
            outside = page.filter(partial(_outside_all, boxes))
            for line in outside.extract_text_lines():
                # a table drawn without rules is only text: its cells are the words of a line
                cells = tuple(str(line["text"]).split())
                if cells:
                    placed.append((float(line["top"]), [Row(cells, f"第 {page_number} 页")]))
            for table in found:
                tables += 1
                table_rows = [
                    Row(
                        tuple(_pdf_cell(cell) for cell in cells),
                        f"第 {page_number} 页第 {tables} 个表格第 {number} 行",
                        True,
                        tables,
                    )
                    for number, cells in enumerate(table.extract(), start=1)
                ]
                placed.append((float(table.bbox[1]), table_rows))
            for _, block in sorted(placed, key=lambda entry: entry[0]):
                rows.extend(block)
    title = next((row.text for row in rows[:10] if "报告" in row.text), "")
    return Document(path.name, tuple(rows), title)


READERS: dict[str, Callable[[Path, bytes], Document]] = {
    ".docx": read_docx,
    ".html": read_html,
    ".htm": read_html,
    ".shtml": read_html,
    ".pdf": read_pdf,
    ".txt": read_text,
}


def _decode(path: Path, raw: bytes, *, html: bool) -> str:
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("这不是文本文件（含二进制内容）", file=path, expected=ACCEPTED)
    try:
        text, _, _ = decode(raw, declared_charset(raw) if html else None)
    except PageSkipped:
        raise InputError("无法识别文件的字符编码", file=path, expected="UTF-8 或 GB18030") from None
    return text


def _data_tables(root: Any) -> Iterator[Any]:
    """Tables that hold figures: no table inside (portal pages lay out with tables) and numbers in
    their cells (the page's metadata block is a table too, and stays page text)."""
    for table in root.iter("table"):
        if table.xpath(".//table"):
            continue
        numbers = sum(1 for cell in table.iter("td", "th") if value_of(_cell_text(cell))[1] is not None)
        if numbers >= _MIN_NUMBERS:
            yield table


def _cell_text(cell: Any) -> str:
    parts = [piece for piece in cell.itertext() if isinstance(piece, str)]
    return clean_text(inline(" ".join(parts)))


def _pdf_cell(cell: str | None) -> str:
    # a wrapped Chinese label is one text: its line breaks are layout, not words
    return clean_text(cell or "").replace("\n", "")


def _outside_all(boxes: list[tuple[float, float, float, float]], obj: dict[str, Any]) -> bool:
    return not any(_inside(obj, box) for box in boxes)


def _inside(obj: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = box
    centre_x = (float(obj.get("x0", 0)) + float(obj.get("x1", 0))) / 2
    centre_y = (float(obj.get("top", 0)) + float(obj.get("bottom", 0))) / 2
    return x0 <= centre_x <= x1 and top <= centre_y <= bottom
