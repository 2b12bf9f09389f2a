"""--format markdown: the report as a Markdown document (for an issue, a wiki, a CI summary)."""

from __future__ import annotations

from compliance_audit.printable import printable
from compliance_audit.report import views
from compliance_audit.report.model import Report


def render_markdown(report: Report) -> str:
    title, details = views.heading(report)
    lines = [f"# {_cell(title)}", "", _cell(details), ""]
    lines.extend(f"> **注意**：{_cell(notice)}" for notice in report.notices)
    lines.extend(["", "## 问题", ""])
    groups = list(views.finding_groups(report))
    if not groups:
        lines.append("未发现问题。")
    for label, rows in groups:
        lines.extend([f"### {label}", "", *_table(views.FINDING_HEADERS, rows), ""])
    lines.extend(["## 要求", "", *_table(views.REQUIREMENT_HEADERS, views.requirement_rows(report)), ""])
    lines.extend(["## 检查", "", *_table(views.CHECK_HEADERS, views.check_rows(report)), ""])
    for verdict in views.verdict_lines(report):
        lines.append(f"- {_cell(verdict)}")
    lines.extend(["", f"**{_cell(views.summary_line(report))}**"])
    return "\n".join(lines) + "\n"


def _table(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    out.extend("| " + " | ".join(_cell(value) for value in row) + " |" for row in rows)
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
