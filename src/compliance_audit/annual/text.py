"""Plain text as rows: a .txt report, or the body of an inventory item in an audit.

Kept apart from the file readers so that an audit, which only ever reads bodies, does not load
the docx, HTML and PDF machinery.
"""

from __future__ import annotations

import re

from compliance_audit.annual.model import Document, Row

_SEPARATOR = re.compile(r"[\t|｜]")


def text_document(text: str, source: str, title: str = "") -> Document:
    """One row per line, cells split on spaces (str.split() also splits on the full-width and
    no-break spaces of copied pages), so "一、本年新收政府信息公开申请数量 5 1 0 0 0 0 6" is a label
    and seven cells. A line with tabs or "|" (a table copied from a browser, a Markdown table)
    keeps an empty cell between two separators: a blank 总计 stays a blank cell."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        cells = _cells(line.strip())
        if any(cells):
            rows.append(Row(cells, f"第 {number} 行"))
    return Document(source, tuple(rows), title)


def _cells(line: str) -> tuple[str, ...]:
    if not _SEPARATOR.search(line):
        return tuple(line.split())
    parts = _SEPARATOR.split(line)
    if len(parts) > 2 and not parts[0].strip() and not parts[-1].strip():
        parts = parts[1:-1]  # | a | b | (a Markdown row)
    return tuple(token for part in parts for token in (part.split() or [""]))
