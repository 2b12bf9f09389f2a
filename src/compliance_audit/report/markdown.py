"""--format markdown: the report as a Markdown document (for an issue, a wiki, a CI summary)."""

from __future__ import annotations

from compliance_audit.printable import printable
from compliance_audit.report import views
from compliance_audit.report.model import Report


def render_markdown(report: Report) -> str:
    title, details = views.heading(report)
    lines = [f"# {_cell(title)}", "", _cell(details), ""]
    lines.extend(f"> **注意**：{_cell(notice)}" for notice in report.notices)
    if report.drafts:
        lines.extend(["", "## 草稿", "", *_table(views.DRAFT_HEADERS, views.draft_rows(report))])
    counts = views.rule_count_rows(report)
    if counts:
        lines.extend(["", "## 按规则统计", "", *_table(views.RULE_COUNT_HEADERS, counts)])
    lines.extend(["", "## 问题", ""])
    groups = list(views.finding_groups(report))
    if not groups:
        lines.append("未发现问题。")
    for label, findings in groups:
        rows = [(*finding.cells[:-1], f"`{finding.fingerprint}`") for finding in findings]
        lines.extend([f"### {label}", "", *_table(views.FINDING_HEADERS, rows, code=True), ""])
    waived = views.waived_rows(report)
    if waived:
        lines.extend([f"## 已豁免（{len(waived)}）", "", *_table(views.WAIVED_HEADERS, waived), ""])
    fixed = views.fixed_rows(report)
    if fixed:
        lines.extend([f"## 已修复（{len(fixed)}）", "", *_table(views.FIXED_HEADERS, fixed), ""])
    if report.requirements:
        lines.extend(["## 要求", "", *_table(views.REQUIREMENT_HEADERS, views.requirement_rows(report)), ""])
    if report.checks:
        lines.extend(["## 检查", "", *_table(views.CHECK_HEADERS, views.check_rows(report)), ""])
    for verdict in views.verdict_lines(report):
        lines.append(f"- {_cell(verdict)}")
    lines.extend(["", f"**{_cell(views.summary_line(report))}**"])
    return "\n".join(lines) + "\n"


def _table(headers: tuple[str, ...], rows: list[tuple[str, ...]], code: bool = False) -> list[str]:
    """A Markdown table; with code, the last cell of each row is already a code span (a
    fingerprint: hex digits only, nothing to escape)."""
    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for row in rows:
        cells = [_cell(value) for value in (row[:-1] if code else row)]
        if code:
            cells.append(row[-1])
        out.append("| " + " | ".join(cells) + " |")
    return out


def _cell(text: str) -> str:
    """Portal text is untrusted: keep it from breaking the table or being read as markup, and show
    control characters and bidirectional overrides as codes."""
    escaped = (
        printable(text).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
    )
    for char in "*_`[]#":
        escaped = escaped.replace(char, "\\" + char)
    return " ".join(escaped.split())
