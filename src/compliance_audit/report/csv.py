"""--format csv: one row per finding and item, for a spreadsheet (UTF-8 with BOM, as Excel
expects). Portal text is neutralised: a cell that a spreadsheet would run as a formula (=, +, -,
@ …) starts with an apostrophe, as in inventories the tool writes."""

from __future__ import annotations

import csv
import io

from compliance_audit.findings import KIND_LABELS, SEVERITY_LABELS
from compliance_audit.inventory.fields import neutralise_formula
from compliance_audit.report.locations import entries
from compliance_audit.report.model import BASELINE_LABELS, Report

HEADERS = (
    "指纹",
    "规则",
    "类型",
    "严重程度",
    "文件",
    "行",
    "索引号",
    "标题",
    "链接",
    "问题",
    "依据",
    "期限",
    "整改建议",
    "基线",
)


def render_csv(report: Report) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for entry in entries(report):
        finding, item = entry.finding, entry.item
        severity = SEVERITY_LABELS[finding.severity] + ("（暂定）" if finding.provisional else "")
        state = report.baseline_state(finding)
        row = (
            entry.fingerprint,
            finding.rule,
            KIND_LABELS[finding.kind],
            severity,
            entry.file,
            str(entry.row) if entry.row is not None else "",
            item.index_no if item else "",
            item.title if item else finding.subject,
            item.url if item else "",
            entry.message,
            "；".join(ref.label(report.sources) for ref in finding.refs),
            finding.due.isoformat() if finding.due else "",
            finding.fix,
            BASELINE_LABELS[state] if state else "",
        )
        writer.writerow([neutralise_formula(cell) for cell in row])
    return "\ufeff" + buffer.getvalue()
