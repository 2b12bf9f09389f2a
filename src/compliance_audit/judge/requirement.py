"""requirement: something the bureau must have published, and keep current.

Satisfied when matching items exist (and, where the requirement is made of elements, an item for
every element); partial when some elements have none; missing when nothing matches; stale when the
newest matching item is older than the refresh rule allows. Items of a requirement that sets its
own deadline are also judged for lateness here, against that deadline.
"""

from __future__ import annotations

from datetime import date

from compliance_audit.findings import ElementResult, Finding, Outcome, RequirementResult
from compliance_audit.judge.context import Context, period_year
from compliance_audit.judge.late import late_findings
from compliance_audit.matching.matcher import Target
from compliance_audit.ruleset.model import Refresh, Rule

PARAMS_SCHEMA: dict[str, object] = {"type": "object", "additionalProperties": False}


def run(rule: Rule, ctx: Context) -> Outcome:
    applicability = ctx.applies(rule)
    if not applicability.applies:
        return Outcome(RequirementResult(rule.id, rule.title, applicability.status, applicability.reason))
    indexes = ctx.matched_items(rule)
    waiting = ctx.matches.awaiting_event(rule)
    if waiting:
        return Outcome(RequirementResult(rule.id, rule.title, "not-evaluated", waiting))
    labels = tuple(ctx.items[index].label for index in indexes)
    findings: list[Finding] = []
    if rule.deadline is not None:
        findings.extend(late_findings(rule, indexes, ctx)[2])

    if not indexes:
        due = required_due(rule.refresh, ctx.as_of) if rule.refresh else None
        message = f"未发现“{rule.title}”的公开信息"
        if due is not None:
            message += f"（应于 {due.isoformat()} 前公开）"
        findings.append(ctx.finding(rule, "missing", message, due=due))
        elements = tuple(ElementResult(element.name, "missing") for element in rule.elements) or None
        return Outcome(
            RequirementResult(rule.id, rule.title, "missing", items=labels, elements=elements),
            findings=findings,
        )

    element_results: tuple[ElementResult, ...] | None = None
    status = "satisfied"
    if rule.elements:
        results = []
        for position, element in enumerate(rule.elements):
            element_items = ctx.items_of(Target(rule.id, position))
            if element_items:
                results.append(
                    ElementResult(element.name, "satisfied", tuple(ctx.items[i].label for i in element_items))
                )
            else:
                results.append(ElementResult(element.name, "missing"))
                findings.append(
                    ctx.finding(
                        rule,
                        "missing",
                        f"“{rule.title}”缺少要素“{element.name}”"
                        + ("（目录以“等”列举的示例，未列全不属缺项）" if element.illustrative else ""),
                        element=element.name,
                        severity="info" if element.illustrative else None,
                    )
                )
        element_results = tuple(results)
        # an example the catalogue lists with 等 is not owed: the row is met by its 事项
        owed = [
            result for result, element in zip(results, rule.elements, strict=True) if not element.illustrative
        ]
        if any(result.status == "missing" for result in owed):
            status = "partial"

    reason = ""
    if rule.refresh is not None:
        stale = stale_finding(rule, rule.refresh, indexes, ctx)
        if stale is not None:
            findings.append(stale)
            status = "stale"
            reason = stale.message
    return Outcome(
        RequirementResult(rule.id, rule.title, status, reason, labels, element_results), findings=findings
    )


def required_due(refresh: Refresh, as_of: date) -> date | None:
    """For a yearly requirement, the due date of the latest period that is already due."""
    if refresh.annual_due is None:
        return None
    period = required_period(refresh, as_of)
    return _due_of(refresh, period)


def required_period(refresh: Refresh, as_of: date) -> int:
    """The latest calendar year whose instance must exist on as_of (due date already passed)."""
    assert refresh.annual_due is not None
    period = as_of.year
    while _due_of(refresh, period) >= as_of:
        period -= 1
    return period


def _due_of(refresh: Refresh, period: int) -> date:
    assert refresh.annual_due is not None
    month, day = refresh.annual_due
    return date(period + refresh.year_offset, month, day)


def stale_finding(rule: Rule, refresh: Refresh, indexes: list[int], ctx: Context) -> Finding | None:
    items = [ctx.items[index] for index in indexes]
    if refresh.annual_due is not None:
        newest = max(items, key=lambda item: (period_year(item, refresh.year_offset), item.published))
        newest_period = period_year(newest, refresh.year_offset)
        wanted = required_period(refresh, ctx.as_of)
        if newest_period >= wanted:
            return None
        due = _due_of(refresh, wanted)
        message = (
            f"最新一期为 {newest_period} 年度，截至 {ctx.as_of.isoformat()} 应已公开 {wanted} 年度"
            f"（{due.isoformat()} 前；{refresh.reason}）"
        )
        return ctx.finding(rule, "stale", message, item=newest, due=due, identity=f"{wanted}")
    newest = max(items, key=lambda item: item.published)
    if refresh.since is not None:
        if newest.published >= refresh.since:
            return None
        since = refresh.since.isoformat()
        message = f"最新一版发布于 {newest.published.isoformat()}，早于 {since}（{refresh.reason}）"
        return ctx.finding(rule, "stale", message, item=newest, due=refresh.since)
    assert refresh.months is not None
    limit = months_before(ctx.as_of, refresh.months)
    if newest.published >= limit:
        return None
    newest_day = newest.published.isoformat()
    message = f"最新一条发布于 {newest_day}，已超过 {refresh.months} 个月未更新（{refresh.reason}）"
    return ctx.finding(rule, "stale", message, item=newest)


def months_before(day: date, months: int) -> date:
    """The same day of the month `months` earlier (the last day of that month where it is shorter)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    for candidate in range(day.day, 27, -1) if day.day > 28 else (day.day,):
        try:
            return date(year, month + 1, candidate)
        except ValueError:
            continue
    return date(year, month + 1, 28)
