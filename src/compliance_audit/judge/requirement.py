"""requirement: something the bureau must have published, and keep current.

Satisfied when matching items exist (and, where the requirement is made of elements, an item for
every element); partial when some elements have none; missing when nothing matches; stale when the
newest matching item is older than the refresh rule allows; late when the instance that a yearly
requirement needs was published after its due date. The missing elements of a requirement are one
gap, reported as one finding that lists them. An element looked for in what pages state (their
summary and body) is not judged missing while some items came without a body: it is
not-evaluated, with the count. Items of a requirement that sets its own deadline are also judged
for lateness here, against that deadline.
"""

from __future__ import annotations

from datetime import date

from compliance_audit.findings import ElementResult, Finding, Outcome, RequirementResult
from compliance_audit.judge.context import Context, period_year
from compliance_audit.judge.late import late_findings
from compliance_audit.matching.matcher import Target
from compliance_audit.ruleset.model import Element, Refresh, Rule

PARAMS_SCHEMA: dict[str, object] = {"type": "object", "additionalProperties": False}


def run(rule: Rule, ctx: Context) -> Outcome:
    applicability = ctx.applies(rule)
    if not applicability.applies:
        return Outcome(RequirementResult(rule.id, rule.title, applicability.status, applicability.reason))
    indexes = ctx.matched_items(rule)
    waiting = ctx.matches.awaiting_event(rule)
    if waiting:
        return Outcome(RequirementResult(rule.id, rule.title, "not-evaluated", waiting))
    labels = ctx.labels(indexes)
    findings: list[Finding] = []
    late: dict[int, Finding] = {}
    if rule.deadline is not None:
        late = late_findings(rule, indexes, ctx).by_item
        findings.extend(late.values())

    element_results = (
        tuple(_element_result(rule, position, ctx) for position in range(len(rule.elements)))
        if rule.elements
        else None
    )
    if not indexes:
        due = required_due(rule.refresh, ctx.as_of) if rule.refresh else None
        message = f"未发现“{rule.title}”的公开信息"
        if due is not None:
            message += f"（应于 {due.isoformat()} 前公开）"
        findings.append(ctx.finding(rule, "missing", message, due=due))
        return Outcome(
            RequirementResult(rule.id, rule.title, "missing", items=labels, elements=element_results),
            findings=findings,
        )

    status = "satisfied"
    notes: list[str] = []
    if element_results:
        # an example the catalogue lists with 等 is not owed: the row is met by its 事项
        illustrative = {element.name for element in rule.elements if element.illustrative}
        missing = tuple(result.name for result in element_results if result.status == "missing")
        owed = tuple(name for name in missing if name not in illustrative)
        examples = tuple(name for name in missing if name in illustrative)
        undetermined = [result for result in element_results if result.status == "not-evaluated"]
        if examples:
            findings.append(
                ctx.finding(
                    rule,
                    "missing",
                    f"“{rule.title}”未见目录以“等”列举的示例：{'、'.join(examples)}（未列全不属缺项）",
                    elements=examples,
                    severity="info",
                    identity="examples",
                )
            )
        if owed:
            status = "partial"
            findings.append(
                ctx.finding(rule, "missing", f"“{rule.title}”缺少要素：{'、'.join(owed)}", elements=owed)
            )
        elif undetermined:
            status = "not-evaluated"
        notes.extend(result.reason for result in undetermined)

    if rule.refresh is not None:
        stale = stale_finding(rule, rule.refresh, indexes, ctx)
        if stale is not None:
            findings.append(stale)
            status = "stale"
            notes.insert(0, stale.message)
        elif status == "satisfied" and rule.refresh.annual_due is not None:
            current = _current_instance_late(rule.refresh, indexes, late, ctx)
            if current is not None:
                status = "late"
                notes.insert(0, current.message)
    return Outcome(
        RequirementResult(rule.id, rule.title, status, "；".join(notes), labels, element_results),
        findings=findings,
    )


def _element_result(rule: Rule, position: int, ctx: Context) -> ElementResult:
    element = rule.elements[position]
    element_items = ctx.items_of(Target(rule.id, position))
    if element_items:
        return ElementResult(element.name, "satisfied", ctx.labels(element_items))
    without_body = int((ctx.frame["body"] == "").sum()) if _reads_text(element) else 0
    if without_body:
        # the address or hours may well be stated on a page whose text was not given
        reason = f"要素“{element.name}”须在正文中查找，{without_body} 条信息未提供正文，无法判断"
        return ElementResult(element.name, "not-evaluated", reason=reason)
    return ElementResult(element.name, "missing")


def _reads_text(element: Element) -> bool:
    return element.match is not None and element.match.text is not None


def _current_instance_late(
    refresh: Refresh, indexes: list[int], late: dict[int, Finding], ctx: Context
) -> Finding | None:
    """The late finding of the newest instance (the newest period the items cover), if no item
    of that period was published by its due date (e.g. the annual report published in February)."""
    periods = ctx.period_years(refresh.year_offset).gather(indexes)
    newest = periods.max()
    current = [index for index, period in zip(indexes, periods, strict=True) if period == newest]
    if any(index not in late for index in current):
        return None
    published = ctx.frame["published"]
    return late[min(current, key=lambda index: published[index])]


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
    if refresh.annual_due is not None:
        newest = ctx.item(
            ctx.first_of(indexes, ctx.period_years(refresh.year_offset), ctx.frame["published"])
        )
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
    newest = ctx.item(ctx.first_of(indexes, ctx.frame["published"]))
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
