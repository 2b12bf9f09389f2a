"""--format xlsx and the batch's 汇总.xlsx: one workbook renderer over the summary model.

Sheets: 概况 (what was audited, the colour legend), 排名 (one row a bureau), 问题 (every finding
of every bureau, with its legal basis and fix), 要求矩阵 (bureaus × requirements, coloured by
state) and, when a history is kept, 趋势 (each bureau's score over runs). Every sheet has a frozen
header, an autofilter and set column widths; colours are conditional formats, so they follow when a
person edits or sorts. Portal text is untrusted: a text cell is always stored as text, and one that
starts like a formula also carries Excel's quote-prefix flag.

Written in openpyxl's write-only mode, one row at a time: a department's findings sheet may have
tens of thousands of rows, and the bureaus' details are read from disk one bureau at a time.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime, time
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.formatting.rule import CellIsRule, ColorScaleRule, FormulaRule, Rule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from compliance_audit.findings import KIND_LABELS, STATE_LABELS
from compliance_audit.inventory.fields import FORMULA_TRIGGERS
from compliance_audit.inventory.model import LEVEL_LABELS
from compliance_audit.report.model import Report
from compliance_audit.report.overview import BureauRow, Overview, single

# state label → fill colour (the same palette as the HTML heat map)
STATE_COLOURS = {
    "已满足": "C6EFCE",
    "部分满足": "FFEB9C",
    "逾期公开": "F8CBAD",
    "未更新": "F8CBAD",
    "缺失": "FFC7CE",
    "已豁免": "DDEBF7",
    "不适用": "EDEDED",
    "未评估": "EDEDED",
}
SEVERITY_COLOURS = {"错误": "FFC7CE", "警告": "FFEB9C"}
_HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_WRAP = Alignment(wrap_text=True, vertical="top")

RANKING_SHEET, FINDINGS_SHEET, MATRIX_SHEET, TREND_SHEET, ABOUT_SHEET = (
    "排名",
    "问题",
    "要求矩阵",
    "趋势",
    "概况",
)
CHANGE_LABELS = ("新增", "仍未整改", "已整改")


def render_xlsx(report: Report) -> bytes:
    return overview_xlsx(single(report))


def overview_xlsx(overview: Overview) -> bytes:
    workbook = Workbook(write_only=True)
    stamp = datetime.combine(overview.as_of, time())
    workbook.properties.created = workbook.properties.modified = stamp  # no wall-clock time inside
    workbook.properties.title = overview.title
    _about(workbook.create_sheet(ABOUT_SHEET), overview)
    _ranking(workbook.create_sheet(RANKING_SHEET), overview)
    _findings(workbook.create_sheet(FINDINGS_SHEET), overview)
    _matrix(workbook.create_sheet(MATRIX_SHEET), overview)
    if overview.with_history:
        _trend(workbook.create_sheet(TREND_SHEET), overview)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(sheet: Worksheet, value: Any, *, wrap: bool = False) -> Cell:
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"  # never a formula, whatever the text
        if text.startswith(FORMULA_TRIGGERS):
            cell.quotePrefix = True
    else:
        cell = WriteOnlyCell(sheet, value=value)
    if wrap:
        cell.alignment = _WRAP
    return cell


def _start(sheet: Worksheet, headers: Sequence[str], widths: Sequence[float], freeze: str) -> None:
    """Widths and frozen panes must be set before the first row of a write-only sheet."""
    for position, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = width
    sheet.freeze_panes = freeze
    row = []
    for header in headers:
        cell = _cell(sheet, header, wrap=True)
        cell.fill = _HEADER_FILL
        cell.font = _HEADER_FONT
        row.append(cell)
    sheet.append(row)


def _finish(sheet: Worksheet, columns: int, rows: int) -> None:
    sheet.auto_filter.ref = f"A1:{get_column_letter(columns)}{max(rows, 1) + 1}"


def _about(sheet: Worksheet, overview: Overview) -> None:
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 90
    mean = overview.mean_score()
    facts = [
        ("标题", overview.title),
        ("审计日", overview.as_of.isoformat()),
        (
            "机关",
            f"{len(overview.rows)} 个，审计完成 {len(overview.audited)} 个，失败 {len(overview.failed)} 个",
        ),
        ("平均得分", f"{mean:.1f}" if mean is not None else "—"),
        ("工具", f"compliance-audit {overview.tool_version}"),
        ("得分", "100 × 已满足的要求（部分满足按已公开要素的比例计）÷ 能判断的要求；逾期公开的要求不得分"),
    ]
    for label, value in facts:
        sheet.append([_cell(sheet, label), _cell(sheet, value, wrap=True)])
    sheet.append([])
    sheet.append([_cell(sheet, "颜色"), _cell(sheet, "要求的状态")])
    for label, colour in STATE_COLOURS.items():
        cell = _cell(sheet, label)
        cell.fill = PatternFill("solid", fgColor=colour)
        sheet.append([cell])


def _ranking(sheet: Worksheet, overview: Overview) -> None:
    kinds = list(KIND_LABELS.values())
    changes = list(CHANGE_LABELS) if overview.with_history else []
    headers = [
        "排名", "机关", "地区", "层级", "得分", "已满足/能判断的要求", "部分满足", "逾期公开的要求",
        "缺失", "未更新", "错误", "警告", "提示", *(f"问题：{kind}" for kind in kinds),
        "逾期公开的信息（条）", *changes,
        *(["得分趋势"] if overview.with_history else []), "主要问题", "状态", "说明",
    ]  # fmt: skip
    widths = [6, 26, 22, 6, 8, 12, 8, 8, 6, 8, 6, 6, 6, *([9] * len(kinds)), 10, *([9] * len(changes))]
    widths += [*([24] if overview.with_history else []), 60, 10, 50]
    _start(sheet, headers, widths, "C2")
    for rank, row in overview.ranked():
        values = _ranking_values(rank, row, overview)
        sheet.append(
            [_cell(sheet, value, wrap=index >= len(headers) - 3) for index, value in enumerate(values)]
        )
    rows = len(overview.rows)
    last = rows + 1
    score = f"E2:E{last}"
    sheet.conditional_formatting.add(score, _scale(0, 100, mid=60))
    sheet.conditional_formatting.add(f"K2:K{last}", _when_above(0, "FFC7CE"))
    status = get_column_letter(len(headers) - 1)
    sheet.conditional_formatting.add(
        f"A2:{get_column_letter(len(headers))}{last}", _when(f'${status}2="审计失败"', "D9D9D9")
    )
    _finish(sheet, len(headers), rows)


def _ranking_values(rank: int | None, row: BureauRow, overview: Overview) -> list[Any]:
    level = LEVEL_LABELS.get(row.level, row.level)
    summary = row.summary
    if summary is None:
        blanks = 9 + len(KIND_LABELS) + 1 + (len(CHANGE_LABELS) + 1 if overview.with_history else 0)
        return ["", row.name, row.region, level, *([""] * blanks), "", "审计失败", row.error]
    history: list[Any] = []
    if overview.with_history:
        changes = row.changes
        compared = changes is not None and changes.previous  # a first record has nothing to compare with
        history = [changes.new, changes.still_open, changes.fixed] if changes and compared else ["", "", ""]
        history.append(" → ".join(f"{score:.1f}" for _, score in row.trend))
    return [
        rank, row.name, row.region, level, summary.score, f"{summary.satisfied}/{summary.requirements}",
        summary.partial, summary.late, summary.missing, summary.stale, summary.errors, summary.warnings,
        summary.infos, *(count for _, count in row.by_kind), row.late_items, *history,
        "\n".join(row.worst), "已审计", "",
    ]  # fmt: skip


def _findings(sheet: Worksheet, overview: Overview) -> None:
    headers = ["机关", "严重程度", "类别", "规则", "信息", "问题", "依据", "期限", "整改建议", "指纹"]
    widths = [24, 10, 12, 26, 40, 60, 40, 12, 50, 22]
    if overview.with_history:
        headers.append("与上次相比")
        widths.append(10)
    _start(sheet, headers, widths, "C2")
    count = 0
    for row in overview.rows:
        if row.error:
            continue
        details = overview.details(row)
        for finding in details.findings:
            values = [
                row.name, finding.severity_label, finding.kind_label, finding.rule, finding.subject,
                finding.message, finding.refs, finding.due, finding.fix, finding.fingerprint,
            ]  # fmt: skip
            if overview.with_history:
                values.append(details.changes.get(finding.fingerprint, ""))
            sheet.append([_cell(sheet, value, wrap=4 <= index <= 8) for index, value in enumerate(values)])
            count += 1
    for label, colour in SEVERITY_COLOURS.items() if count else ():
        sheet.conditional_formatting.add(f"B2:B{count + 1}", _when(f'LEFT($B2,2)="{label}"', colour))
    _finish(sheet, len(headers), count)


def _matrix(sheet: Worksheet, overview: Overview) -> None:
    rules = overview.requirements
    headers = ["机关", *(f"{overview.titles.get(rule, rule)}（{rule}）" for rule in rules)]
    _start(sheet, headers, [26, *([14] * len(rules))], "B2")
    for row in overview.audited:
        states = dict(row.states)
        sheet.append(
            [_cell(sheet, row.name), *(_cell(sheet, STATE_LABELS.get(states.get(r, ""), "")) for r in rules)]
        )
    rows = len(overview.audited)
    if rules and rows:
        area = f"B2:{get_column_letter(len(rules) + 1)}{rows + 1}"
        for label, colour in STATE_COLOURS.items():
            sheet.conditional_formatting.add(area, _when_equal(label, colour))
    _finish(sheet, len(headers), rows)


def _trend(sheet: Worksheet, overview: Overview) -> None:
    days = sorted({day for row in overview.audited for day, _ in row.trend})
    headers = ["机关", *days]
    _start(sheet, headers, [26, *([12] * len(days))], "B2")
    for row in overview.audited:
        scores = dict(row.trend)
        sheet.append([_cell(sheet, row.name), *(_cell(sheet, scores.get(day, "")) for day in days)])
    rows = len(overview.audited)
    if days:
        sheet.conditional_formatting.add(f"B2:{get_column_letter(len(days) + 1)}{rows + 1}", _scale(0, 100))
    _finish(sheet, len(headers), rows)


def _fill(colour: str) -> PatternFill:
    return PatternFill("solid", start_color=colour, end_color=colour)


def _scale(low: int, high: int, mid: int | None = None) -> Rule:
    """Red at low, (yellow at mid,) green at high."""
    middle = {} if mid is None else {"mid_type": "num", "mid_value": mid, "mid_color": "FFEB84"}
    rule: Rule = ColorScaleRule(  # type: ignore[no-untyped-call]
        start_type="num", start_value=low, start_color="F8696B",
        end_type="num", end_value=high, end_color="63BE7B", **middle,
    )  # fmt: skip
    return rule


def _when_equal(value: str, colour: str) -> Rule:
    return _compare("equal", f'"{value}"', colour)


def _when_above(value: int, colour: str) -> Rule:
    return _compare("greaterThan", str(value), colour)


def _compare(operator: str, value: str, colour: str) -> Rule:
    rule: Rule = CellIsRule(operator=operator, formula=[value], fill=_fill(colour))  # type: ignore[no-untyped-call]
    return rule


def _when(formula: str, colour: str) -> Rule:
    rule: Rule = FormulaRule(formula=[formula], fill=_fill(colour))  # type: ignore[no-untyped-call]
    return rule
