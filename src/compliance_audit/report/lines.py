"""--format lines: one finding per line, `file:row: severity rule message`, as ruff and eslint
print them (editors and grep read this). A finding about no item names the file alone; a grouped
finding gives one line per item."""

from __future__ import annotations

from compliance_audit.report.locations import entries, item_label
from compliance_audit.report.model import BASELINE_LABELS, Report


def render_lines(report: Report) -> str:
    out = []
    for entry in entries(report):
        where = f"{entry.file}:{entry.row}:" if entry.row is not None else f"{entry.file}:"
        label = item_label(entry.item)
        text = f"{label}：{entry.message}" if label else entry.message
        state = report.baseline_state(entry.finding)
        if state is not None:
            text += f"（{BASELINE_LABELS[state]}）"
        severity = entry.finding.severity + ("(provisional)" if entry.finding.provisional else "")
        out.append(f"{where} {severity} {entry.finding.rule} {_one_line(text)}")
    return "".join(f"{line}\n" for line in out)


def _one_line(text: str) -> str:
    return " ".join(text.split())
