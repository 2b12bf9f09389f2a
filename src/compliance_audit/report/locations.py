"""Findings where CI shows problems: one entry per place, for the formats that annotate files
(lines, github, gitlab, sarif, junit, csv).

A grouped finding (one gap over 22 items) becomes one entry per item, each with the fingerprint a
finding about that item alone carries, so that each row is annotated and every entry's fingerprint
is unique and stable. A finding about no item (a missing requirement, a column) is placed on the
inventory file itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from compliance_audit.findings import Finding, ItemRef
from compliance_audit.report.model import Report

# formats whose rows are lines of text (an xlsx row is not a line; a JSON item's row is its position)
LINE_SUFFIXES = frozenset({".yaml", ".yml", ".jsonl", ".csv"})


@dataclass(frozen=True)
class Entry:
    finding: Finding
    fingerprint: str
    item: ItemRef | None
    file: str  # as named on the command line; "" when the input was a folder (a saved portal)
    row: int | None  # the item's row (None: the finding is about no item)
    group: int  # how many items the finding groups (0 for a finding about one item or none)

    @property
    def row_is_line(self) -> bool:
        return self.row is not None and PurePath(self.file).suffix.lower() in LINE_SUFFIXES

    @property
    def message(self) -> str:
        if self.group > 1:
            return f"{self.finding.message}（同一问题共 {self.group} 条信息）"
        return self.finding.message


def entries(report: Report) -> list[Entry]:
    out: list[Entry] = []
    for finding in report.findings:
        if finding.items:
            out.extend(
                Entry(finding, ref.fingerprint, ref, ref.file or report.source, ref.row, len(finding.items))
                for ref in finding.items
            )
        elif finding.item is not None:
            item = finding.item
            out.append(Entry(finding, finding.fingerprint, item, item.file or report.source, item.row, 0))
        else:
            out.append(Entry(finding, finding.fingerprint, None, report.source, None, 0))
    return out


def item_label(item: ItemRef | None) -> str:
    """How an entry names its item: 索引号 and title (masked), or nothing."""
    if item is None:
        return ""
    return " ".join(part for part in (item.index_no, item.title) if part)
