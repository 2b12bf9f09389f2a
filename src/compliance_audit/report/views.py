"""The rows the text renderers (table, markdown) show: one place decides what a person reads."""

from __future__ import annotations

from collections.abc import Iterator

from compliance_audit.findings import (
    KIND_LABELS,
    SEVERITY_LABELS,
    STATE_LABELS,
    Finding,
    ItemRef,
)
from compliance_audit.inventory.model import LEVEL_LABELS
from compliance_audit.report.model import Report

FINDING_HEADERS = ("严重程度", "规则", "信息", "问题", "依据", "期限")
REQUIREMENT_HEADERS = ("规则", "要求", "状态", "说明")
CHECK_HEADERS = ("规则", "检查", "状态", "说明")


def heading(report: Report) -> list[str]:
    bureau = report.bureau
    place = "，".join(part for part in (LEVEL_LABELS[bureau.level], bureau.region) if part)
    rulesets = "、".join(f"{stamp.id} {stamp.version}" for stamp in report.rulesets)
    return [
        f"合规审计报告：{bureau.name}（{place}）",
        f"审计日 {report.as_of.isoformat()}；清单 {report.inventory}（{report.items} 条）；规则 {rulesets}；"
        f"日历 {report.calendar.source}（{report.calendar.covers[0]}–{report.calendar.covers[1]} 年）",
    ]


SHOWN_ITEMS = 3  # a grouped finding shows its first few items, then "等22条"


def item_text(finding: Finding) -> str:
    if finding.items:
        shown = "；".join(_item_text(item) for item in finding.items[:SHOWN_ITEMS])
        more = len(finding.items) > SHOWN_ITEMS
        return f"{shown}{' ' if more else ''}等{len(finding.items)}条" if more else shown
    if finding.item is None:
        return finding.subject or "—"
    return _item_text(finding.item)


def _item_text(item: ItemRef) -> str:
    label = f"{item.index_no} " if item.index_no else ""
    return f"第{item.row}行 {label}{item.title}"


def severity_text(finding: Finding) -> str:
    label = SEVERITY_LABELS[finding.severity]
    return f"{label}（暂定）" if finding.provisional else label


def refs_text(report: Report, finding: Finding) -> str:
    return "；".join(ref.label(report.sources) for ref in finding.refs)


Row = tuple[str, ...]


def finding_groups(report: Report) -> Iterator[tuple[str, list[Row]]]:
    """(kind label with count, rows) for each kind that has findings, in the contract's kind order."""
    for kind, label in KIND_LABELS.items():
        findings = [finding for finding in report.findings if finding.kind == kind]
        if not findings:
            continue
        rows: list[Row] = [
            (
                severity_text(finding),
                finding.rule,
                item_text(finding),
                finding.message,
                refs_text(report, finding),
                finding.due.isoformat() if finding.due else "",
            )
            for finding in findings
        ]
        yield f"{label}（{len(findings)}）", rows


def requirement_rows(report: Report) -> list[Row]:
    """Every requirement except the not-applicable ones (counted in the summary line; the JSON
    report lists each with its reason)."""
    rows: list[Row] = []
    for requirement in report.requirements:
        if requirement.status == "not-applicable":
            continue
        note = requirement.reason
        if requirement.elements:
            missing = [element.name for element in requirement.elements if element.status == "missing"]
            if missing and requirement.status in ("partial", "missing"):
                note = "缺少要素：" + "、".join(missing) + (f"；{note}" if note else "")
        rows.append((requirement.rule, requirement.title, STATE_LABELS[requirement.status], note))
    return rows


def check_rows(report: Report) -> list[Row]:
    return [
        (
            check.rule,
            check.title,
            STATE_LABELS[check.status],
            check.reason or (f"检查 {check.evaluated} 条" if check.evaluated else ""),
        )
        for check in report.checks
    ]


def verdict_lines(report: Report) -> list[str]:
    return [
        f"{verdict.title}：{'通过' if verdict.passed else '否决'}（{verdict.message}）"
        for verdict in report.verdicts
    ]


def summary_line(report: Report) -> str:
    summary = report.summary
    met = f"要求满足 {summary.satisfied}/{summary.requirements}"
    others = [
        f"{count} 项{label}"
        for count, label in ((summary.partial, "部分满足"), (summary.late, "逾期公开"))
        if count
    ]
    if others:
        met += f"（另有 {'、'.join(others)}）"
    return (
        f"{met}，得分 {summary.score:.1f}；问题 {summary.findings} 个"
        f"（错误 {summary.errors}，警告 {summary.warnings}，提示 {summary.infos}）；"
        f"不适用 {summary.not_applicable} 项（原因见 --format json），未评估 {summary.not_evaluated} 项，"
        f"已豁免 {summary.waived} 项"
    )
