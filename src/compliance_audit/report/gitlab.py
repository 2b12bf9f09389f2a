"""--format gitlab: a GitLab Code Quality report (artifacts:reports:codequality).

A JSON array of issues, each with description, check_name, a fingerprint unique in the report,
a severity (info, minor, major, critical, blocker) and a location (path and begin line). GitLab
compares the fingerprints with the target branch's report itself, so every finding is listed."""

from __future__ import annotations

import json
from typing import Any

from compliance_audit.report.locations import entries, item_label
from compliance_audit.report.model import Report

_SEVERITIES = {"error": "major", "warning": "minor", "info": "info"}


def render_gitlab(report: Report) -> str:
    issues: list[dict[str, Any]] = []
    for entry in entries(report):
        finding = entry.finding
        label = item_label(entry.item)
        issue: dict[str, Any] = {
            "type": "issue",
            "description": f"{finding.rule}：{label + '：' if label else ''}{entry.message}",
            "check_name": finding.rule,
            "fingerprint": entry.fingerprint,
            "severity": _SEVERITIES[finding.severity],
            "categories": ["Compliance"],
            "location": {
                "path": entry.file or report.inventory,
                "lines": {"begin": entry.row if entry.row_is_line and entry.row else 1},
            },
        }
        if finding.fix:
            issue["content"] = {"body": f"整改建议：{finding.fix}"}
        issues.append(issue)
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"
