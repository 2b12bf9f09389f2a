"""body-elements: the parts a document must contain, looked for in its text.

Judged on the newest item another requirement matched (params.target): the 公开指南's nine elements
(条例第十二条), the annual report's five parts (第五十条). Without the text (`body`) the requirement
is not evaluated, and says so.
"""

from __future__ import annotations

from compliance_audit.findings import ElementResult, Outcome, RequirementResult
from compliance_audit.judge.context import Context, period_year
from compliance_audit.ruleset.model import Rule
from compliance_audit.textnorm import normalise

PARAMS_SCHEMA: dict[str, object] = {
    "type": "object",
    "required": ["target"],
    "additionalProperties": False,
    "properties": {
        "target": {"type": "string", "description": "the rule whose newest matched item is read"},
        "min_period": {"type": "integer", "description": "only documents about this year or later"},
    },
}
RULE_PARAMS = ("target",)
_STATE_WORDS = {"not-applicable": "不适用", "not-evaluated": "无法评估"}


def run(rule: Rule, ctx: Context) -> Outcome:
    applicability = ctx.applies(rule)
    if not applicability.applies:
        return Outcome(RequirementResult(rule.id, rule.title, applicability.status, applicability.reason))
    target = ctx.rules[rule.params["target"]]
    target_applies = ctx.applies(target)
    if not target_applies.applies:
        # e.g. a township is not held to 第四十九条: nothing can be "missing" from its report
        reason = (
            f"所检查的“{target.title}”对本机关{_STATE_WORDS[target_applies.status]}：{target_applies.reason}"
        )
        return Outcome(RequirementResult(rule.id, rule.title, target_applies.status, reason))
    indexes = ctx.matched_items(target)
    if not indexes:
        return Outcome(
            RequirementResult(rule.id, rule.title, "not-evaluated", f"未找到“{target.title}”，无从检查其内容")
        )
    year_offset = target.refresh.year_offset if target.refresh else 1
    newest = ctx.item(ctx.first_of(indexes, ctx.frame["published"], ctx.frame["row"]))
    min_period = rule.params.get("min_period")
    if min_period is not None and period_year(newest, year_offset) < min_period:
        return Outcome(
            RequirementResult(
                rule.id,
                rule.title,
                "not-applicable",
                f"最新一份“{newest.title}”所涉年度早于 {min_period} 年，不适用该格式",
                (newest.label,),
            )
        )
    if not newest.body.strip():
        return Outcome(
            RequirementResult(
                rule.id,
                rule.title,
                "not-evaluated",
                f"“{newest.title}”未提供正文（body），无法检查其内容要素",
                (newest.label,),
            )
        )
    text = normalise(newest.body)
    results = [
        ElementResult(element.name, "satisfied", (newest.label,))
        if any(normalise(keyword) in text for keyword in element.any)
        else ElementResult(element.name, "missing")
        for element in rule.elements
    ]
    missing = tuple(result.name for result in results if result.status == "missing")
    findings = (
        [
            ctx.finding(
                rule, "missing", f"“{newest.title}”未见：{'、'.join(missing)}", item=newest, elements=missing
            )
        ]
        if missing
        else []
    )
    met = len(results) - len(missing)
    status = "satisfied" if met == len(results) else "partial" if met else "missing"
    return Outcome(
        RequirementResult(rule.id, rule.title, status, "", (newest.label,), tuple(results)), findings=findings
    )
