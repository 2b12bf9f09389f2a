"""Reading a published catalogue table (.html page, .xlsx, .csv, .docx) into grid Tables.

Each reader only reads: it returns every table of the file in the one grid model, with merged
cells expanded, and the title it found next to each. Choosing the table that holds the catalogue
and reading the catalogue out of it is the same for every format (header.py, rows.py).
"""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from lxml import etree, html

from compliance_audit.catalogue_import.grid import (
    MAX_GRID_CELLS,
    SpanCell,
    Table,
    clean_text,
    expand_spans,
    rectangular,
    span_attribute,
)
from compliance_audit.errors import InputError
from compliance_audit.inventory.readers import csv_rows, decode_csv
from compliance_audit.officezip import check_package, parsing
from compliance_audit.yamlsafe import read_bounded

MAX_TABLE_BYTES = 64 * 1024 * 1024
MAX_UNPACKED_BYTES = 512 * 1024 * 1024  # an .xlsx/.docx is a zip: bound what it unpacks to
ACCEPTED = ".html（网页）、.xlsx、.csv 或 .docx"

_BINARY_SNIFF = 64 * 1024
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)
_GB_NAMES = frozenset({"gb2312", "gbk", "x-gbk", "gb18030", "cp936"})
# A line break in an HTML cell is a <br> or a block boundary. Line breaks in the page source are
# only wrapping: between two Chinese characters they vanish (as they do on screen for Chinese
# text), elsewhere they are a space. The sentinel keeps the two kinds apart until then.
_BREAK = "\u2028"
_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_WRAP_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])[ \t\r\f]*\n[ \t\r\n\f]*(?=[{_CJK}])")
_SOURCE_SPACE = re.compile(r"[ \t\r\n\f\xa0\u3000]+")
_BLOCK_TAGS = frozenset(
    {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre"}
    | {"section", "article", "blockquote"}
)
_TITLE_PARTS = re.compile(r"\s*[_|｜—－]+\s*|\s+-\s+")


def read_tables(path: Path) -> list[Table]:
    suffix = path.suffix.lower()
    if suffix in _OLD_FORMATS:
        raise InputError(f"不支持旧格式 {suffix}，请另存为 {_OLD_FORMATS[suffix]} 后再导入", file=path)
    reader = READERS.get(suffix)
    if reader is None:
        raise InputError(f"不支持的文件类型“{suffix or '（无扩展名）'}”", file=path, expected=ACCEPTED)
    if not read_bounded(path, MAX_TABLE_BYTES, "目录表格文件").strip():
        raise InputError("文件为空", file=path, expected="公布的标准目录表格")
    return reader(path)


def read_html(path: Path) -> list[Table]:
    text = _decode_html(read_bounded(path, MAX_TABLE_BYTES, "目录表格文件"))
    # no_network: a saved page must never make the parser fetch anything
    parser = html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, encoding="utf-8")
    try:
        document = html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise InputError(f"无法解析网页（{error}）", file=path) from None
    page_title = _catalogue_title(_element_text(document.find(".//title")))
    tables: list[Table] = []
    for number, table in enumerate(document.iter("table"), start=1):
        rows = _children(table, "./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")
        spans = [
            [
                SpanCell(
                    _element_text(cell),
                    span_attribute(cell.get("rowspan"), len(rows)),
                    span_attribute(cell.get("colspan"), 1),
                )
                for cell in _children(row, "./td | ./th")
            ]
            for row in rows
        ]
        where = f"第 {number} 个表格"
        caption = _element_text(table.find("caption")) or None
        tables.append(rectangular(expand_spans(spans, where), where, caption, page_title))
    return tables


def read_xlsx(path: Path) -> list[Table]:
    from openpyxl import load_workbook

    members = check_package(path, "xlsx 工作簿", max_unpacked=MAX_UNPACKED_BYTES)
    _check_cell_count(path, members)
    # not read_only: merged ranges are only known to a fully loaded sheet
    with parsing(path, "xlsx 工作簿"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workbook = load_workbook(path, data_only=True)
    try:
        tables: list[Table] = []
        for sheet in workbook.worksheets:
            where = f"工作表“{sheet.title}”"
            if sheet.max_row * sheet.max_column > MAX_GRID_CELLS:
                raise InputError(f"{where}过大（{sheet.max_row} 行 × {sheet.max_column} 列）", file=path)
            grid = [[_value_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
            for merged in sheet.merged_cells.ranges:
                value = grid[merged.min_row - 1][merged.min_col - 1]
                for row_index in range(merged.min_row - 1, min(merged.max_row, len(grid))):
                    row = grid[row_index]
                    for column in range(merged.min_col - 1, min(merged.max_col, len(row))):
                        row[column] = value
            tables.append(rectangular(grid, where))
        return tables
    finally:
        workbook.close()


def read_csv(path: Path) -> list[Table]:
    raw = read_bounded(path, MAX_TABLE_BYTES, "目录表格文件")
    if b"\x00" in raw[:_BINARY_SNIFF]:
        raise InputError(
            "这不是文本 CSV 文件（含二进制内容）", file=path, expected="UTF-8 或 GB18030 编码的 CSV"
        )
    text = decode_csv(raw, path)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    rows = []
    for _, row in csv_rows(text, delimiter, path):
        rows.append([clean_text(cell) for cell in row])
        if len(rows) * max(len(row), 1) > MAX_GRID_CELLS:
            raise InputError(f"表格过大（超过 {MAX_GRID_CELLS} 个单元格）", file=path)
    return [rectangular(rows, "表格")]


def read_docx(path: Path) -> list[Table]:
    from docx import Document

    check_package(path, "docx 文档", max_unpacked=MAX_UNPACKED_BYTES)
    with parsing(path, "docx 文档"):
        document = Document(str(path))
        if document.element.body is None:
            raise InputError("docx 文档没有正文（w:body）", file=path)
        return _docx_tables(document, path)


def _docx_tables(document: Any, path: Path) -> list[Table]:
    from docx.table import Table as DocxTable

    tables: list[Table] = []
    heading: str | None = None
    for block in document.iter_inner_content():
        if not isinstance(block, DocxTable):
            heading = _catalogue_title(clean_text(block.text)) or heading
            continue
        where = f"第 {len(tables) + 1} 个表格"
        # python-docx repeats a merged cell for every grid position it covers, which is the grid
        # model already; only the positions a row leaves empty before its first cell need filling.
        rows = [
            [""] * row.grid_cols_before + [clean_text(cell.text) for cell in row.cells] for row in block.rows
        ]
        if sum(len(row) for row in rows) > MAX_GRID_CELLS:
            raise InputError(f"{where}过大", file=path)
        tables.append(rectangular(rows, where, heading))
    return tables


READERS: dict[str, Callable[[Path], list[Table]]] = {
    ".html": read_html,
    ".htm": read_html,
    ".shtml": read_html,
    ".xlsx": read_xlsx,
    ".xlsm": read_xlsx,
    ".csv": read_csv,
    ".docx": read_docx,
}
_OLD_FORMATS = {".xls": ".xlsx", ".et": ".xlsx", ".doc": ".docx", ".wps": ".docx"}


def _check_cell_count(path: Path, members: list[zipfile.ZipInfo]) -> None:
    """Count the cells of every worksheet part before openpyxl builds an object for each: a sheet
    formatted down to row 1048576 would otherwise take minutes and gigabytes to refuse."""
    cells = 0
    with zipfile.ZipFile(path) as package:
        for member in members:
            if not (member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml")):
                continue
            with parsing(path, "xlsx 工作簿"), package.open(member) as part:
                cells_of_part = etree.iterparse(
                    part, events=("end",), tag="{*}c", resolve_entities=False, no_network=True
                )
                for _, cell in cells_of_part:
                    cell.clear()
                    cells += 1
                    if cells > MAX_GRID_CELLS:
                        raise InputError(f"工作簿过大（超过 {MAX_GRID_CELLS} 个单元格）", file=path)


def _decode_html(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET.search(raw[:8192])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        try:
            return raw.decode("gb18030" if name in _GB_NAMES else name)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    return str(best) if best is not None else raw.decode("gb18030", errors="replace")


def _element_text(element: Any) -> str:
    if element is None:
        return ""
    parts: list[str] = []
    _collect_text(element, parts)
    text = _SOURCE_SPACE.sub(" ", _WRAP_BETWEEN_CJK.sub("", "".join(parts)))
    lines = (line.strip() for line in text.split(_BREAK))
    return "\n".join(line for line in lines if line)


def _collect_text(element: Any, parts: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in ("script", "style"):
        return
    block = tag in _BLOCK_TAGS
    if tag == "br" or block:
        parts.append(_BREAK)
    if element.text:
        parts.append(element.text)
    for child in element:
        _collect_text(child, parts)
        if child.tail:
            parts.append(child.tail)
    if block:
        parts.append(_BREAK)


def _children(element: Any, path: str) -> list[Any]:
    found: list[Any] = element.xpath(path)
    return found


def _catalogue_title(text: str) -> str | None:
    """The part of a page or paragraph title that names a catalogue (the site name is dropped)."""
    for part in _TITLE_PARTS.split(text.replace("\n", "")):
        if "目录" in part:
            return part.strip()
    return None


def _value_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_text(str(value))
