"""Plain text as rows: a .txt report, or the body of an inventory item in an audit.

Kept apart from the file readers so that an audit, which only ever reads bodies, does not load
the docx, HTML and PDF machinery.
"""

from __future__ import annotations

import re

from compliance_audit.annual.model import Document, Row

_SEPARATORS = re.compile(r"[\t|｜]+")


def text_document(text: str, source: str, title: str = "") -> Document:
    """One row per line, cells split on tabs, "|" and spaces (str.split() also splits on the
    full-width and no-break spaces of copied pages), so "一、本年新收政府信息公开申请数量 5 1 0 0
    0 0 6" is a label and seven cells."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        cells = tuple(token for part in _SEPARATORS.split(line) for token in part.split())
        if cells:
            rows.append(Row(cells, f"第 {number} 行"))
    return Document(source, tuple(rows), title)
