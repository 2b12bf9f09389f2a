"""`report check`: annual report files → the checks → the audit's report model.

The result is the same Report an audit produces (no requirements, one check per rule, findings
with rule ids, refs, fixes and fingerprints), so every renderer, waiver and baseline works on it.
A finding's fingerprint is made from the bureau and the year the report is about, never from the
file: the same report checked as .docx or as .pdf gives the same fingerprints.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from compliance_audit import __version__
from compliance_audit.annual import read_report
from compliance_audit.annual.checks import ANNUAL_CHECKS, AnnualContext, not_applicable, on_time
from compliance_audit.annual.model import Report as AnnualReport
from compliance_audit.findings import KIND_LABELS, SEVERITY_RANK, CheckResult, Finding, Outcome
from compliance_audit.inventory.model import LEVEL_LABELS, Bureau, Inventory, Item
from compliance_audit.matching.matcher import Matcher
from compliance_audit.report.model import CalendarStamp, Report, RulesetStamp, WaivedFinding, WaiverOutcome
from compliance_audit.ruleset.loader import RuleBook
from compliance_audit.ruleset.model import Rule
from compliance_audit.selection import EVERY_RULE, RuleSelection
from compliance_audit.waivers import Waiver, apply_waivers
from compliance_audit.workcalendar import WorkCalendar

DEADLINE_RULE = "ogi-49-annual-report"  # sets the 1月31日 deadline (第四十九条) in the audit too
_KIND_ORDER = {kind: position for position, kind in enumerate(KIND_LABELS)}


@dataclass(frozen=True)
class ReportOptions:
    year: int | None = None  # the year the reports are about, when their titles do not say
    bureau: str | None = None  # the organ, when the title does not name it
    level: str = "county"
    published: date | None = None  # the day the report went online, when the file does not say


def check_report_files(
    paths: Sequence[Path],
    book: RuleBook,
    *,
    options: ReportOptions = ReportOptions(),
    previous: Sequence[Path] = (),
    inventory: Inventory | None = None,
    as_of: date,
    waivers: Sequence[Waiver] = (),
    selection: RuleSelection = EVERY_RULE,
) -> Report:
    reports = [
        read_report(path, year=options.year, bureau=options.bureau, published=options.published)
        for path in paths
    ]
    earlier = [read_report(path, bureau=options.bureau) for path in previous]
    notices: list[str] = []
    documents = _documents(book, inventory) if inventory is not None else None
    contexts = []
    for report in reports:
        notices.append(f"{report.source}：{report.year} 年度报告，按{report.layout.name}检查")
        notices.extend(f"{report.source}：{notice}" for notice in report.notices)
        last_year = _previous_of(report, earlier, len(reports) == 1, notices)
        own_documents = (
            documents if inventory is not None and _same_bureau(report, inventory, reports) else None
        )
        if inventory is not None and own_documents is None:
            notices.append(f"{report.source}：清单属于“{inventory.bureau.name}”，不是本报告的机关，未比对")
        contexts.append(
            AnnualContext(
                report=report,
                identity=f"{report.bureau or report.title or report.source}|{report.year}",
                subject=f"{report.label}（{report.source}）",
                previous=last_year,
                documents=own_documents,
            )
        )
    rules = [rule for rule in book.rules if rule.check in ANNUAL_CHECKS]
    deadline_rule = next((rule for rule in book.rules if rule.id == DEADLINE_RULE), None)
    judged = [rule.id for rule in rules] + ([deadline_rule.id] if deadline_rule else [])
    selection.check(judged)
    if not selection.everything:
        notices.append(selection.describe(sum(1 for rule_id in judged if not selection.chosen(rule_id))))
        rules = [rule for rule in rules if selection.chosen(rule.id)]
        if deadline_rule is not None and not selection.chosen(deadline_rule.id):
            deadline_rule = None
    checks: list[CheckResult] = []
    findings: list[Finding] = []
    for rule in [*rules, *([deadline_rule] if deadline_rule else [])]:
        outcomes = [_run(rule, context, options.level) for context in contexts]
        checks.append(_merged(rule, outcomes, [context.report for context in contexts]))
        findings.extend(finding for outcome in outcomes for finding in outcome.findings)
    known = [rule.id for rule in book.rules]
    waived = apply_waivers(waivers, [], checks, findings, as_of, known)
    notices.extend(waived.notices)
    used = {rule.ruleset for rule in rules} | ({deadline_rule.ruleset} if deadline_rule else set())
    calendar = WorkCalendar.bundled()
    names = sorted({report.bureau for report in reports if report.bureau})
    return Report(
        tool_version=__version__,
        as_of=as_of,
        bureau=Bureau(name="、".join(names) or "（报告未写明机关）", level=options.level),
        inventory="、".join(report.source for report in reports),
        items=len(reports),
        # a report is checked against its format, whatever functions its organ holds
        profile=None,
        profile_source="unknown",
        functions=(),
        rulesets=[
            RulesetStamp(ruleset.id, ruleset.version, ruleset.sha256)
            for ruleset in book.rulesets
            if ruleset.id in used
        ],
        calendar=CalendarStamp(" + ".join(calendar.sources), calendar.covers, ()),
        catalogue=None,
        requirements=[],
        checks=waived.checks,
        findings=sorted(waived.findings, key=_order),
        verdicts=[],
        notices=notices,
        rules={rule.id: rule for rule in book.rules},
        sources=book.sources,
        waivers=[
            WaiverOutcome(waiver, state, count, note)
            for waiver, (state, count, note) in zip(waivers, waived.outcomes, strict=True)
        ],
        waived=[WaivedFinding(finding, position) for finding, position in waived.waived],
    )


def _run(rule: Rule, context: AnnualContext, level: str) -> Outcome:
    if rule.applies.levels and level not in rule.applies.levels:
        wanted = "、".join(LEVEL_LABELS[name] for name in rule.applies.levels)
        return not_applicable(rule, f"适用于{wanted}机关，本机关为{LEVEL_LABELS[level]}")
    if rule.check in ANNUAL_CHECKS:
        return ANNUAL_CHECKS[rule.check].run(rule, context)
    return on_time(rule, context)


def _merged(rule: Rule, outcomes: list[Outcome], reports: list[AnnualReport]) -> CheckResult:
    """One check line for several reports: failed if any failed, passed if any passed."""
    results = [outcome.check for outcome in outcomes if outcome.check is not None]
    if len(results) == 1:
        return results[0]
    statuses = {result.status for result in results}
    status = next(
        (name for name in ("failed", "passed", "not-evaluated", "not-applicable") if name in statuses),
        "not-evaluated",
    )
    reasons = [
        f"{report.source}：{result.reason}"
        for report, result in zip(reports, results, strict=True)
        if result.reason
    ]
    return CheckResult(
        rule.id,
        rule.title,
        status,
        sum(result.evaluated for result in results),
        sum(result.not_evaluated for result in results),
        "；".join(reasons),
    )


def _previous_of(
    report: AnnualReport, earlier: list[AnnualReport], only: bool, notices: list[str]
) -> AnnualReport | None:
    """The report on the year before by the same organ; with one report and one previous report
    given, that one (its year is still checked by the carry-over check)."""
    if not earlier:
        return None
    same = [
        candidate
        for candidate in earlier
        if candidate.year == report.year - 1 and candidate.bureau == report.bureau
    ]
    if same:
        return same[0]
    if only and len(earlier) == 1:
        if earlier[0].bureau and report.bureau and earlier[0].bureau != report.bureau:
            notices.append(
                f"{report.source}：上年报告的机关为“{earlier[0].bureau}”，与本报告的“{report.bureau}”不同"
            )
        return earlier[0]
    notices.append(f"{report.source}：--previous 中没有 {report.year - 1} 年度、同一机关的报告")
    return None


def _same_bureau(report: AnnualReport, inventory: Inventory, reports: list[AnnualReport]) -> bool:
    return len(reports) == 1 or report.bureau == inventory.bureau.name


def _documents(book: RuleBook, inventory: Inventory) -> list[Item]:
    """The inventory's 规范性文件, as the rule that requires publishing them finds them."""
    names = {
        rule.params["documents"]
        for rule in book.rules
        if rule.check in ANNUAL_CHECKS and "documents" in rule.params
    }
    rules = [book.rule(name) for name in sorted(names)]
    if not rules:
        return []
    table = Matcher(rules, inventory.bureau).match(inventory.table)
    indexes = sorted({index for rule in rules for index in table.item_indexes_of_rule(rule)})
    return inventory.table.items_at(indexes)


def _order(finding: Finding) -> tuple[int, int, str, str, str]:
    return (
        SEVERITY_RANK[finding.severity],
        _KIND_ORDER[finding.kind],
        finding.rule,
        finding.subject,
        finding.fingerprint,
    )
