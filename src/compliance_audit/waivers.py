"""Waivers: gaps a bureau has accepted, who approved them, on what document, and until when.

A waiver names a rule (or a catalogue row, moj-plsd-2019:N6) and may narrow it to one finding
(`fingerprint`) or to one item (`item`: its 索引号 or its title, or a column name, as the report
shows them). A waiver with neither accepts the whole requirement or check. A waiver that names an
item inside a grouped finding (a field empty on 22 items) takes that item out of the group and
never waives the others; the finding goes only when no item is left.

A waiver is in force through its `expires` day, Beijing time (the audit day, by default today in
Asia/Shanghai); an expired waiver has no effect. Expired waivers and waivers that match nothing are
reported. Waivers change what is reported, never what was judged: a waived requirement keeps its
place in the score's denominator, so a waiver can never raise a score.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from compliance_audit.dates import ACCEPTED_FORMS, DateFormError, parse_date
from compliance_audit.errors import InputError
from compliance_audit.findings import CheckResult, Finding, ItemRef, RequirementResult
from compliance_audit.schemas import validate_document
from compliance_audit.yamlsafe import load_yaml_document


@dataclass(frozen=True)
class Waiver:
    rule: str
    reason: str
    approved_by: str
    doc_no: str = ""
    fingerprint: str = ""
    item: str = ""
    expires: date | None = None
    line: int | None = None

    @property
    def whole_rule(self) -> bool:
        return not self.fingerprint and not self.item

    def in_force(self, day: date) -> bool:
        return self.expires is None or day <= self.expires

    def describe(self) -> str:
        """第 3 行 ogi-26-timeliness（20230618-164604-828）"""
        target = "、".join(part for part in (self.item, self.fingerprint) if part) or "整条规则"
        where = f"第 {self.line} 行 " if self.line else ""
        return f"{where}{self.rule}（{target}）"

    def names_item(self, ref: ItemRef) -> bool:
        if self.fingerprint and self.fingerprint != ref.fingerprint:
            return False
        return not self.item or self.item in (ref.index_no, ref.title)

    def names_finding(self, finding: Finding) -> bool:
        """Whether the waiver names this finding as a whole (not one item of a group)."""
        if finding.rule != self.rule:
            return False
        if self.fingerprint and self.fingerprint != finding.fingerprint:
            return False
        if not self.item:
            return True
        if finding.item is not None:
            return self.item in (finding.item.index_no, finding.item.title)
        return bool(finding.subject) and self.item == finding.subject


def load_waivers(path: Path) -> list[Waiver]:
    document = load_yaml_document(path)
    validate_document(document.data, "waivers", path, document)
    waivers = []
    for position, data in enumerate(document.data["waivers"]):
        line = document.line("waivers", position)
        waivers.append(
            Waiver(
                rule=data["rule"].strip(),
                reason=data["reason"].strip(),
                approved_by=data["approved_by"].strip(),
                doc_no=data.get("doc_no", "").strip(),
                fingerprint=data.get("fingerprint", ""),
                item=data.get("item", "").strip(),
                expires=_expiry(data.get("expires"), path, document.line("waivers", position, "expires")),
                line=line,
            )
        )
    return waivers


def _expiry(value: str | None, path: Path, line: int | None) -> date | None:
    if value is None:
        return None
    try:
        return parse_date(value, end_date=True)
    except DateFormError as error:
        raise InputError(
            str(error),
            file=path,
            location=f"第 {line} 行" if line else None,
            field="expires",
            expected=f"日期，如 {ACCEPTED_FORMS}（北京时间该日结束时失效）",
        ) from None


@dataclass
class WaiverResult:
    requirements: list[RequirementResult]
    checks: list[CheckResult]
    findings: list[Finding]
    waived: list[tuple[Finding, int]]  # (what was waived, position of the waiver)
    outcomes: list[tuple[str, int, str]]  # per waiver: (applied | expired | unmatched, matched, note)
    notices: list[str] = field(default_factory=list)


def apply_waivers(
    waivers: Sequence[Waiver],
    requirements: list[RequirementResult],
    checks: list[CheckResult],
    findings: list[Finding],
    as_of: date,
    known_rules: Collection[str],
) -> WaiverResult:
    """Take what the waivers in force accept out of the findings, and mark as waived the
    requirements and checks they accept: by a waiver of the whole rule, or because waivers took
    away every finding the requirement or check had."""
    active = [position for position, waiver in enumerate(waivers) if waiver.in_force(as_of)]
    matched = [0] * len(waivers)
    waived: list[tuple[Finding, int]] = []
    kept: list[Finding] = []
    accepting: dict[str, int] = {}  # rule → the first waiver that took one of its findings away
    for finding in findings:
        whole = next((p for p in active if waivers[p].names_finding(finding)), None)
        if whole is not None:
            waived.append((finding, whole))
        elif finding.items:
            remaining: list[ItemRef] = []
            for ref in finding.items:
                position = next((p for p in active if _names_grouped_item(waivers[p], finding, ref)), None)
                if position is None:
                    remaining.append(ref)
                else:
                    # recorded as the finding about that item alone would be
                    alone = replace(
                        finding, fingerprint=ref.fingerprint, item=replace(ref, fingerprint=""), items=()
                    )
                    waived.append((alone, position))
            if remaining:
                kept.append(
                    finding
                    if len(remaining) == len(finding.items)
                    else replace(finding, items=tuple(remaining))
                )
        else:
            kept.append(finding)
    for _, position in waived:
        matched[position] += 1
    for finding, position in waived:
        accepting.setdefault(finding.rule, position)
    failing = {finding.rule for finding in kept}

    def accepted(rule: str) -> Waiver | None:
        whole = next((p for p in active if waivers[p].whole_rule and waivers[p].rule == rule), None)
        if whole is not None:
            matched[whole] += 0 if rule in accepting else 1
            return waivers[whole]
        if rule in accepting and rule not in failing:
            return waivers[accepting[rule]]
        return None

    new_requirements = []
    for requirement in requirements:
        waiver = (
            accepted(requirement.rule) if requirement.status not in ("satisfied", "not-applicable") else None
        )
        new_requirements.append(
            replace(requirement, status="waived", waived_from=requirement.status, reason=_reason(waiver))
            if waiver
            else requirement
        )
    new_checks = []
    for check in checks:
        waiver = accepted(check.rule) if check.status == "failed" else None
        new_checks.append(replace(check, status="waived", reason=_reason(waiver)) if waiver else check)
    outcomes: list[tuple[str, int, str]] = []
    notices: list[str] = []
    for position, waiver in enumerate(waivers):
        if position not in active:
            assert waiver.expires is not None
            outcomes.append(("expired", 0, ""))
            notices.append(
                f"豁免 {waiver.describe()}已于 {waiver.expires.isoformat()}（北京时间）到期，未生效，"
                "相关问题照常报告"
            )
        elif matched[position]:
            outcomes.append(("applied", matched[position], ""))
        else:
            note = (
                f"没有编号为 {waiver.rule} 的规则或目录项（rules list、catalogue show 列出全部编号）"
                if waiver.rule not in known_rules
                else "本次审计没有它所指的问题"
            )
            outcomes.append(("unmatched", 0, note))
            notices.append(f"豁免 {waiver.describe()}没有匹配任何结果：{note}")
    return WaiverResult(new_requirements, new_checks, kept, waived, outcomes, notices)


def _names_grouped_item(waiver: Waiver, finding: Finding, ref: ItemRef) -> bool:
    """Whether a waiver names one item of a grouped finding (a waiver of the whole rule, or of
    the group's own fingerprint, names the finding, not an item)."""
    return waiver.rule == finding.rule and not waiver.whole_rule and waiver.names_item(ref)


def _reason(waiver: Waiver | None) -> str:
    assert waiver is not None
    return f"已豁免：{waiver.reason}（{_approval(waiver)}）"


def _approval(waiver: Waiver) -> str:
    parts = [f"批准：{waiver.approved_by}"]
    if waiver.doc_no:
        parts.append(f"文件：{waiver.doc_no}")
    if waiver.expires is not None:
        parts.append(f"有效至 {waiver.expires.isoformat()}")
    return "；".join(parts)
