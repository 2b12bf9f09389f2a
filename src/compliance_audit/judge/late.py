"""late: published more working days after the information was formed than its deadline allows.

条例第二十六条: information within the scope of proactive disclosure is published within 20 working
days from the day it is formed or changed, unless a law or regulation sets another period. Each
item is judged against the one deadline that binds it (Context.binding_due); the finding belongs to
the rule that set that deadline, so it is reported once.
"""

from __future__ import annotations

from collections.abc import Iterable

from compliance_audit.findings import CheckResult, Finding, Outcome
from compliance_audit.judge.context import Context
from compliance_audit.ruleset.model import Rule

PARAMS_SCHEMA: dict[str, object] = {"type": "object", "additionalProperties": False}


def run(rule: Rule, ctx: Context) -> Outcome:
    applicability = ctx.applies(rule)
    if not applicability.applies:
        return Outcome(
            check=CheckResult(rule.id, rule.title, applicability.status, reason=applicability.reason)
        )
    scope: Iterable[int] = ctx.matched_items(rule) if rule.match is not None else range(len(ctx.items))
    evaluated, skipped, findings = late_findings(rule, scope, ctx)
    if evaluated == 0:
        reason = (
            f"{skipped} 条信息缺少成文日期（formed），无法判断是否按期公开"
            if skipped
            else "清单中没有该类信息"
        )
        return Outcome(
            check=CheckResult(rule.id, rule.title, "not-evaluated", 0, skipped, reason), findings=findings
        )
    reason = f"{skipped} 条信息缺少成文日期（formed），未判断时效" if skipped else ""
    status = "failed" if findings else "passed"
    return Outcome(
        check=CheckResult(rule.id, rule.title, status, evaluated, skipped, reason), findings=findings
    )


def late_findings(rule: Rule, scope: Iterable[int], ctx: Context) -> tuple[int, int, list[Finding]]:
    """(evaluated, not evaluated, findings) for the items in scope whose binding deadline is rule's."""
    evaluated = skipped = 0
    findings: list[Finding] = []
    for index in scope:
        due = ctx.binding_due(index)
        if due is None:
            skipped += 1
            continue
        evaluated += 1
        item = ctx.items[index]
        if due.rule.id != rule.id or item.published <= due.day:
            continue
        if due.deadline.annual_due is not None:
            message = (
                f"应于 {due.day.isoformat()} 前公开，实际 {item.published.isoformat()} 公开，"
                f"逾期 {(item.published - due.day).days} 日"
            )
        else:
            assert item.formed is not None
            overdue = (
                f"逾期 {ctx.calendar.working_days_after(due.day, item.published)} 个工作日"
                if due.deadline.working_days is not None
                else f"逾期 {(item.published - due.day).days} 日"
            )
            message = (
                f"成文于 {item.formed.isoformat()}，"
                f"应在{due.deadline.describe()}内即 {due.day.isoformat()} 前公开，"
                f"实际 {item.published.isoformat()} 公开，{overdue}"
            )
        findings.append(ctx.finding(rule, "late", message, item=item, due=due.day))
    return evaluated, skipped, findings
