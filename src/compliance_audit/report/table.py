"""--format table: a Chinese report for a terminal, findings grouped by kind."""

from __future__ import annotations

from tabulate import tabulate

from compliance_audit.printable import printable
from compliance_audit.report import views
from compliance_audit.report.model import Report

_FINDING_WIDTHS = [None, 26, 30, 46, 24, None]
_STATE_WIDTHS = [30, 34, None, 50]


def render_table(report: Report) -> str:
    # titles, file names and notices come from the inputs: unsafe characters are shown as codes
    lines = [printable(line) for line in views.heading(report)]
    lines.extend(f"注意：{printable(notice)}" for notice in report.notices)
    for label, rows in views.finding_groups(report):
        lines.extend(["", f"【{label}】", _grid(views.FINDING_HEADERS, rows, _FINDING_WIDTHS)])
    if not report.findings:
        lines.extend(["", "未发现问题。"])
    lines.extend(
        ["", "【要求】", _grid(views.REQUIREMENT_HEADERS, views.requirement_rows(report), _STATE_WIDTHS)]
    )
    lines.extend(["", "【检查】", _grid(views.CHECK_HEADERS, views.check_rows(report), _STATE_WIDTHS)])
    verdicts = views.verdict_lines(report)
    if verdicts:
        lines.extend(["", *(printable(verdict) for verdict in verdicts)])
    lines.extend(["", views.summary_line(report)])
    return "\n".join(lines) + "\n"


def _grid(headers: tuple[str, ...], rows: list[tuple[str, ...]], widths: list[int | None]) -> str:
    safe = [tuple(printable(cell) for cell in row) for row in rows]
    return tabulate(safe, headers=headers, tablefmt="simple_grid", maxcolwidths=widths, disable_numparse=True)
