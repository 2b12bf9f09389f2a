"""The 政府信息公开工作年度报告: read (readers.py: .docx, .html, .pdf, .txt → rows), parsed (parse.py:
year, format, tables 二、三、四), checked (checks.py) and, for the `report check` command, turned
into the audit's report model (run.py) so that every renderer, waiver and baseline works on it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from compliance_audit.annual.model import Report
from compliance_audit.annual.parse import parse_report
from compliance_audit.annual.text import text_document
from compliance_audit.errors import InputError
from compliance_audit.inventory.model import Item


def read_report(
    path: Path, *, year: int | None = None, bureau: str | None = None, published: date | None = None
) -> Report:
    """A report file, parsed; `published` (the day it went online) wins over the page's own date."""
    from compliance_audit.annual.readers import read_report_file  # docx/HTML/PDF only when needed

    try:
        report = parse_report(read_report_file(path), year=year, bureau=bureau)
    except InputError as error:
        raise error.located(file=path) from None
    if published is not None:
        report.published = published
    return report


def read_item(item: Item, year: int | None = None) -> Report:
    """An inventory item's body as a report (its title and 发布日期 are the item's)."""
    document = text_document(item.body, item.label, item.title)
    report = parse_report(document, year=year, title=item.title)
    report.published = item.published
    return report
