"""catalogue-coverage: 条例第二十条第（十五）项 and 第二十二条, through the sector's standard catalogue.

The items that laws, regulations and 上级部署 require on top of 第二十条（一）–（十四） are, for a
grassroots body, the rows of its sector's 基层政务公开标准目录. This requirement stands for them as a
whole: its state summarises the rows' states; each row reports its own findings.
"""

from __future__ import annotations

from compliance_audit.findings import Outcome, RequirementResult
from compliance_audit.judge.context import Context
from compliance_audit.ruleset.model import Rule

PARAMS_SCHEMA: dict[str, object] = {"type": "object", "additionalProperties": False}
_JUDGED = ("satisfied", "partial", "late", "missing", "stale", "waived")


def run(rule: Rule, ctx: Context) -> Outcome:
    applicability = ctx.applies(rule)
    if not applicability.applies:
        return Outcome(RequirementResult(rule.id, rule.title, applicability.status, applicability.reason))
    rows = [result for rule_id, result in ctx.requirement_results.items() if ctx.rules[rule_id].catalogue]
    if not rows:
        return Outcome(
            RequirementResult(
                rule.id,
                rule.title,
                "not-evaluated",
                "未选用标准目录（bureau.sector 未指定或没有该领域的目录）",
            )
        )
    judged = [row for row in rows if row.status in _JUDGED]
    if not judged:
        return Outcome(
            RequirementResult(
                rule.id, rule.title, "not-evaluated", f"标准目录 {len(rows)} 项均无法评估（见各项原因）"
            )
        )
    met = [row for row in judged if row.status in ("satisfied", "waived")]
    unmet = [row for row in judged if row.status not in ("satisfied", "waived")]
    if not unmet:
        status = "satisfied"
    elif not met and not any(row.status == "partial" for row in judged):
        status = "missing"
    else:
        status = "partial"
    reason = f"标准目录应主动公开的 {len(judged)} 项中 {len(met)} 项已满足"
    findings = []
    if unmet:
        unmet_ids = "、".join(row.rule for row in unmet)
        findings.append(ctx.finding(rule, "missing", f"{reason}；未满足的项：{unmet_ids}（问题见各项）"))
    return Outcome(RequirementResult(rule.id, rule.title, status, reason), findings=findings)
