"""A catalogue table written as text: the body of an inventory item, a page saved as text.

Such text has one table row per line with its cells separated by "|" (or tabs, as a table copied
from a spreadsheet). Merged cells are gone: a group header (公开对象) is one cell above the sub-
headers it spans (全社会, 特定群众), and the single headers (序号, 公开内容) have no cell in the
sub-header row. The header is laid out again as the table shows it: each group header over the
run of sub-headers that belong to it. Data rows are read as they are; a row with fewer cells
than the header (an empty cell or a merged one dropped) is one whose cells may have shifted, and
the import says so (catalogue_import/rows.py).
"""

from __future__ import annotations

import re

from compliance_audit.catalogue_import.grid import Table, clean_text, rectangular
from compliance_audit.catalogue_import.header import normalize_label, sub_meaning

_SEPARATOR = re.compile(r"[|｜\t]")
# group headers and the sub-header fields they span
_GROUPS = (
    ("公开事项", ("level1", "level2", "level3")),
    ("公开对象", ("audience",)),
    ("公开方式", ("mode", "levels")),  # 三门 labels its level group 公开方式 a second time
    ("公开层级", ("levels",)),
)


def read_text_tables(text: str, where: str) -> list[Table]:
    """Every block of separated lines in the text, as a Table (a title line just above a block
    that names a 目录 is its caption)."""
    tables: list[Table] = []
    block: list[list[str]] = []
    caption: str | None = None
    previous = ""
    for line in [*text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), ""]:
        cells = _cells(line)
        if cells is None:
            if block:
                name = f"{where}第 {len(tables) + 1} 个表格"
                tables.append(rectangular(_header_laid_out(block), name, caption))
                block = []
            previous = line.strip() or previous
            continue
        if not block:
            caption = previous if "目录" in previous else None
        block.append(cells)
    return tables


def _cells(line: str) -> list[str] | None:
    if not _SEPARATOR.search(line):
        return None
    cells = [clean_text(cell) for cell in _SEPARATOR.split(line.strip())]
    # "| a | b |": the outer separators frame the row, they do not add cells
    if line.strip()[:1] in "|｜" and not cells[0]:
        cells = cells[1:]
    if line.strip()[-1:] in "|｜" and cells and not cells[-1]:
        cells = cells[:-1]
    return cells if len(cells) >= 2 else None


def _header_laid_out(rows: list[list[str]]) -> list[list[str]]:
    """The rows with the two header rows aligned, when the row below the header holds only
    sub-headers; the rows unchanged when it does not."""
    for index in range(len(rows) - 1):
        top, below = rows[index], rows[index + 1]
        labels = [normalize_label(cell) for cell in top]
        if not any(label.startswith("公开事项") for label in labels):
            continue
        aligned = _aligned(top, below)
        if aligned is not None:
            return [*rows[:index], *aligned, *rows[index + 2 :]]
    return rows


def _aligned(top: list[str], below: list[str]) -> tuple[list[str], list[str]] | None:
    meanings = [sub_meaning(normalize_label(cell)) for cell in below]
    if not below or any(meaning is None for meaning in meanings):
        return None
    new_top: list[str] = []
    new_below: list[str] = []
    position = 0
    for cell in top:
        label = normalize_label(cell)
        fields = next((fields for group, fields in _GROUPS if label.startswith(group)), None)
        taken = 0
        if fields is not None:
            following = meanings[position] if position < len(meanings) else None
            first = following[0] if following else None
            wanted = fields if fields[0] == "level1" else ((first,) if first in fields else ())
            while position + taken < len(below):
                meaning = meanings[position + taken]
                if meaning is None or meaning[0] not in wanted:
                    break
                taken += 1
        if taken:
            new_top.extend([cell] * taken)
            new_below.extend(below[position : position + taken])
            position += taken
        else:
            new_top.append(cell)
            new_below.append(cell)
    return (new_top, new_below) if position == len(below) else None
