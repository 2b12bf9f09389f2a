"""expired: an item still marked 有效 after the day its validity ends (有效期至).

条例第六条 requires accurate information and 第五十三条（二） treats not updating published
information as a violation: a document past its validity must be marked 失效 (or renewed).
"""

from __future__ import annotations

from compliance_audit.findings import CheckResult, Outcome
from compliance_audit.judge.context import Context
from compliance_audit.ruleset.model import Rule

PARAMS_SCHEMA: dict[str, object] = {"type": "object", "additionalProperties": False}


def run(rule: Rule, ctx: Context) -> Outcome:
    applicability = ctx.applies(rule)
    if not applicability.applies:
        return Outcome(
            check=CheckResult(rule.id, rule.title, applicability.status, reason=applicability.reason)
        )
    until = ctx.frame["valid_until"]
    evaluated = int(until.is_not_null().sum())
    still_valid = (ctx.frame["validity"] == "有效") & (until < ctx.as_of)
    findings = [
        ctx.finding(
            rule,
            "expired",
            f"有效期至 {item.valid_until.isoformat()}，截至 {ctx.as_of.isoformat()} 仍标注为“有效”",
            item=item,
            due=item.valid_until,
        )
        for item in ctx.items_at(still_valid.arg_true().to_list())
        if item.valid_until is not None
    ]
    if not evaluated:
        return Outcome(
            check=CheckResult(rule.id, rule.title, "not-evaluated", reason="清单中没有填写有效期至的信息")
        )
    return Outcome(
        check=CheckResult(rule.id, rule.title, "failed" if findings else "passed", evaluated),
        findings=findings,
    )
