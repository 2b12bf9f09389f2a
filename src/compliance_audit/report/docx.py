"""Building blocks of a document in the official register (GB/T 9704-2012 党政机关公文格式), for the
self-assessment and, later, the 整改通知: A4 with the standard margins, 方正小标宋 title, 主送机关,
黑体/楷体 headings, 仿宋 三号 body at 28–29 pt fixed line spacing with a two-character first-line
indent, tables, 落款 and 成文日期 four characters from the right, and "— 1 —" page numbers.

Fonts are named as government offices install them; Word falls back to a similar font where one
is missing. Each function only lays out the text it is given; what to say is the caller's job.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONTS = {1: "黑体", 2: "楷体_GB2312"}
NUMBER_FONT = "宋体"
TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
TABLE_SIZE = Pt(12)  # 小四
PAGE_NUMBER_SIZE = Pt(14)  # 四号
LINE = Pt(29)  # 22 lines on the 225 mm type area
CHARACTER = BODY_SIZE  # one character of body text, for indents


def official_document() -> Any:
    """An empty A4 document: 天头 37 mm, 订口 28 mm, type area 156 × 225 mm, 仿宋 三号 body."""
    document = Document()
    for section in document.sections:
        section.page_height, section.page_width = Mm(297), Mm(210)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    _font(normal.font, normal.element, BODY_FONT, BODY_SIZE)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = LINE
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    _page_numbers(document)
    return document


def title(document: Any, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.line_spacing = Pt(35)
    _run(paragraph, text, TITLE_FONT, TITLE_SIZE)
    document.add_paragraph()  # 标题下空一行


def recipient(document: Any, text: str) -> None:
    """主送机关: flush left, ending with a full-width colon."""
    paragraph = document.add_paragraph()
    _run(paragraph, text.rstrip("：:") + "：", BODY_FONT, BODY_SIZE)


def heading(document: Any, text: str, level: int = 1) -> None:
    """一、 in 黑体 (level 1), （一） in 楷体 (level 2), indented like body text."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.first_line_indent = CHARACTER * 2
    _run(paragraph, text, HEADING_FONTS[level], BODY_SIZE)


def paragraph(document: Any, text: str, *, lead: str = "") -> None:
    """A body paragraph, two characters indented; `lead` is set in bold before the text (三级标题)."""
    block = document.add_paragraph()
    block.paragraph_format.first_line_indent = CHARACTER * 2
    if lead:
        _run(block, lead, BODY_FONT, BODY_SIZE).bold = True
    _run(block, text, BODY_FONT, BODY_SIZE)


def table(
    document: Any, headers: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float] = ()
) -> None:
    """A ruled table in 仿宋 小四, headers in 黑体, centred on the page; widths in mm."""
    grid = document.add_table(rows=1 + len(rows), cols=len(headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for position, text in enumerate(headers):
        cell = grid.rows[0].cells[position]
        _cell(cell, text, HEADING_FONTS[1], center=True)
    for row_number, values in enumerate(rows, start=1):
        for position, text in enumerate(values):
            _cell(grid.rows[row_number].cells[position], text, BODY_FONT)
    for position, width in enumerate(widths):
        for grid_row in grid.rows:
            grid_row.cells[position].width = Mm(width)
    document.add_paragraph()


def signature(document: Any, organ: str, day: date) -> None:
    """落款 and 成文日期, right-aligned four characters from the edge, two lines under the text."""
    document.add_paragraph()
    document.add_paragraph()
    for text in (organ, chinese_date(day)):
        line = document.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        line.paragraph_format.right_indent = CHARACTER * 4
        _run(line, text, BODY_FONT, BODY_SIZE)


def chinese_date(day: date) -> str:
    """成文日期 as GB/T 9704-2012 writes it: Arabic numerals, no leading zeros."""
    return f"{day.year}年{day.month}月{day.day}日"


def to_bytes(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _run(paragraph: Any, text: str, font: str, size: Pt) -> Any:
    run = paragraph.add_run(text)
    _font(run.font, run._element, font, size)
    return run


def _font(font: Any, element: Any, name: str, size: Pt) -> None:
    """Word takes Chinese text's font from w:eastAsia, which python-docx's font.name leaves alone."""
    font.name = name
    font.size = size
    element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _cell(cell: Any, text: str, font: str, *, center: bool = False) -> None:
    cell.text = ""
    block = cell.paragraphs[0]
    block.paragraph_format.line_spacing = Pt(20)
    block.paragraph_format.first_line_indent = Pt(0)
    if center:
        block.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(block, text, font, TABLE_SIZE)


def _page_numbers(document: Any) -> None:
    """页码: 宋体 四号 Arabic numerals between two dashes, centred in the footer."""
    footer = document.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(footer, "— ", NUMBER_FONT, PAGE_NUMBER_SIZE)
    run = _run(footer, "", NUMBER_FONT, PAGE_NUMBER_SIZE)
    begin, instruction, end = OxmlElement("w:fldChar"), OxmlElement("w:instrText"), OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = "PAGE"
    end.set(qn("w:fldCharType"), "end")
    run._element.extend((begin, instruction, end))
    _run(footer, " —", NUMBER_FONT, PAGE_NUMBER_SIZE)
