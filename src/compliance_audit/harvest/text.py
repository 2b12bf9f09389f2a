"""A plain-text page dump (a browser's "save as text", a copy of the page's words) as lines.

Such dumps keep the metadata block as "- 索引号: …" lines, or a table as "索引号 | … | 组配分类 | …"
cells; a cell holding only a label gets its colon so that it reads like the other forms.
"""

from __future__ import annotations

import re

from compliance_audit.harvest.columns import is_breadcrumb, split_breadcrumb
from compliance_audit.harvest.document import PageData, bounded, inline
from compliance_audit.harvest.metadata import COLONS, label_only

_CELL_SEPARATOR = re.compile(r"[|｜]")
_MAX_BREADCRUMB = 300


def read_text(text: str, *, body: bool = True) -> PageData:
    lines = []
    for raw_line in text.splitlines():
        line = inline(raw_line).strip()
        if line:
            lines.append(_cells(line) if _CELL_SEPARATOR.search(line) else line)
    breadcrumb = next(
        (split_breadcrumb(line) for line in lines if len(line) <= _MAX_BREADCRUMB and is_breadcrumb(line)), []
    )
    return PageData(
        lines=lines,
        breadcrumb=breadcrumb,
        values_on_next_line=True,
        body=bounded("\n".join(lines)) if body else "",
    )


def _cells(line: str) -> str:
    cells = [cell.strip() for cell in _CELL_SEPARATOR.split(line)]
    return "  ".join(
        cell + "：" if label_only(cell) and cell[-1] not in COLONS else cell for cell in cells if cell
    )
