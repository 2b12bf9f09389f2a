"""The rows the text renderers (table, markdown) show: one place decides what a person reads."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from compliance_audit.findings import (
    KIND_LABELS,
    SEVERITY_LABELS,
    SEVERITY_RANK,
    STATE_LABELS,
    Finding,
    ItemRef,
)
from compliance_audit.inventory.model import LEVEL_LABELS
from compliance_audit.report.model import BASELINE_LABELS, Report

FINDING_HEADERS = ("严重程度", "规则", "信息", "问题", "依据", "期限", "整改建议", "指纹")
REQUIREMENT_HEADERS = ("规则", "要求", "状态", "说明")
CHECK_HEADERS = ("规则", "检查", "状态", "说明")
RULE_COUNT_HEADERS = ("规则", "严重程度", "问题数")
WAIVED_HEADERS = ("规则", "信息", "豁免理由", "批准")
FIXED_HEADERS = ("规则", "信息", "问题（基线中）", "指纹")
DRAFT_HEADERS = ("草稿", "条数", "错误", "警告", "提示", "结论")

LONG_REPORT = 10  # a report with more findings than this starts with a count per rule
SHOWN_ITEMS = 3  # a grouped finding shows its first few items, then "等22条"

Row = tuple[str, ...]


def heading(report: Report) -> list[str]:
    bureau = report.bureau
    place = "，".join(part for part in (LEVEL_LABELS[bureau.level], bureau.region) if part)
    rulesets = "、".join(f"{stamp.id} {stamp.version}" for stamp in report.rulesets)
    what = "预发布检查" if report.drafts else "合规审计报告"
    return [
        f"{what}：{bureau.name}（{place}）",
        f"审计日 {report.as_of.isoformat()}；清单 {report.inventory}（{report.items} 条）；规则 {rulesets}；"
        f"日历 {report.calendar.source}（{report.calendar.covers[0]}–{report.calendar.covers[1]} 年）",
    ]


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
    where = f"{item.file} " if item.file else ""
    return f"{where}第{item.row}行 {label}{item.title}"


def severity_text(report: Report, finding: Finding) -> str:
    label = SEVERITY_LABELS[finding.severity]
    if finding.provisional:
        label += "（暂定）"
    state = report.baseline_state(finding)
    if state is not None:
        label += f"（{BASELINE_LABELS[state]}）"
    return label


def refs_text(report: Report, finding: Finding) -> str:
    return "；".join(ref.label(report.sources) for ref in finding.refs)


@dataclass(frozen=True)
class FindingView:
    """One finding as a person reads it, cell by cell (FINDING_HEADERS)."""

    severity: str
    rule: str
    item: str
    message: str
    refs: str
    due: str
    fix: str
    fingerprint: str

    @property
    def cells(self) -> Row:
        return (
            self.severity,
            self.rule,
            self.item,
            self.message,
            self.refs,
            self.due,
            self.fix,
            self.fingerprint,
        )


def finding_view(report: Report, finding: Finding) -> FindingView:
    return FindingView(
        severity=severity_text(report, finding),
        rule=finding.rule,
        item=item_text(finding),
        message=finding.message,
        refs=refs_text(report, finding),
        due=finding.due.isoformat() if finding.due else "",
        fix=finding.fix,
        fingerprint=finding.fingerprint,
    )


def finding_groups(report: Report) -> Iterator[tuple[str, list[FindingView]]]:
    """(kind label with count, findings) for each kind that has findings, in the contract's kind order."""
    for kind, label in KIND_LABELS.items():
        findings = [finding for finding in report.findings if finding.kind == kind]
        if findings:
            yield f"{label}（{len(findings)}）", [finding_view(report, finding) for finding in findings]


def rule_count_rows(report: Report) -> list[Row]:
    """How many findings each rule has, most severe rules first: the head of a long report.
    Empty for a short one (the findings themselves are as quick to read)."""
    if len(report.findings) <= LONG_REPORT:
        return []
    counts = Counter(finding.rule for finding in report.findings)
    worst: dict[str, str] = {}
    for finding in report.findings:
        current = worst.get(finding.rule)
        if current is None or SEVERITY_RANK[finding.severity] < SEVERITY_RANK[current]:
            worst[finding.rule] = finding.severity
    ordered = sorted(counts, key=lambda rule: (SEVERITY_RANK[worst[rule]], -counts[rule], rule))
    return [(rule, SEVERITY_LABELS[worst[rule]], str(counts[rule])) for rule in ordered]


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
            if missing and requirement.judged_status in ("partial", "missing"):
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


def waived_rows(report: Report) -> list[Row]:
    rows: list[Row] = []
    for waived in report.waived:
        waiver = report.waivers[waived.waiver].waiver
        approval = "；".join(
            part
            for part in (
                waiver.approved_by,
                waiver.doc_no,
                f"有效至 {waiver.expires.isoformat()}" if waiver.expires else "长期有效",
            )
            if part
        )
        rows.append((waived.finding.rule, item_text(waived.finding), waiver.reason, approval))
    return rows


def fixed_rows(report: Report) -> list[Row]:
    if report.baseline is None:
        return []
    return [
        (fixed.rule, _item_text(fixed.item) if fixed.item else "—", fixed.message, fixed.fingerprint)
        for fixed in report.baseline.fixed
    ]


def draft_rows(report: Report) -> list[Row]:
    return [
        (
            draft.file,
            str(draft.items),
            str(draft.errors),
            str(draft.warnings),
            str(draft.infos),
            "未通过"
            if any(report.blocks(f) for f in report.findings if _in_draft(f, draft.file))
            else "通过",
        )
        for draft in report.drafts
    ]


def _in_draft(finding: Finding, file: str) -> bool:
    refs = finding.items or ((finding.item,) if finding.item else ())
    return any(ref.file == file for ref in refs)


def verdict_lines(report: Report) -> list[str]:
    return [
        f"{verdict.title}：{'通过' if verdict.passed else '否决'}（{verdict.message}）"
        for verdict in report.verdicts
    ]


def summary_line(report: Report) -> str:
    summary = report.summary
    counts = (
        f"问题 {summary.findings} 个（错误 {summary.errors}，警告 {summary.warnings}，提示 {summary.infos}）"
    )
    if report.baseline is not None:
        new = sum(1 for finding in report.findings if report.baseline_state(finding) == "new")
        counts += (
            f"，其中新问题 {new} 个、基线中已有 {summary.findings - new} 个，"
            f"已修复 {len(report.baseline.fixed)} 个"
        )
    if report.waived:
        counts += f"；另有 {len(report.waived)} 个已豁免"
    if report.drafts:
        return f"草稿 {len(report.drafts)} 个，{report.items} 条；{counts}"
    if not report.requirements:
        # checks only (an annual report checked): there is no requirement to meet or score
        judged = sum(1 for check in report.checks if check.status in ("passed", "failed"))
        return f"检查 {len(report.checks)} 项，其中可判断 {judged} 项；{counts}"
    met = f"要求满足 {summary.satisfied}/{summary.requirements}"
    others = [
        f"{count} 项{label}"
        for count, label in (
            (summary.partial, "部分满足"),
            (summary.late, "逾期公开"),
            (summary.waived, "已豁免"),
        )
        if count
    ]
    if others:
        met += f"（另有 {'、'.join(others)}）"
    return (
        f"{met}，得分 {summary.score:.1f}；{counts}；"
        f"不适用 {summary.not_applicable} 项（原因见 --format json），未评估 {summary.not_evaluated} 项"
    )
