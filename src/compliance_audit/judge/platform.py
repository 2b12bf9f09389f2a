"""platform-column: the 政府信息公开平台 has a first-level column under its unified name.

国办公开办函〔2019〕61号 asks for unified names; the column is found among the columns the bureau
declares and the columns its items sit in, under any of the names params.labels accepts. A column
that exists under another name (params.variants: words such a name contains, e.g. 公开目录和指南
for the guide) is there but misnamed: reported as such, not as absent.
"""

from __future__ import annotations

from compliance_audit.findings import Outcome, RequirementResult
from compliance_audit.judge.context import Context
from compliance_audit.ruleset.model import Rule
from compliance_audit.textnorm import normalise_label

PARAMS_SCHEMA: dict[str, object] = {
    "type": "object",
    "required": ["labels"],
    "additionalProperties": False,
    "properties": {
        "labels": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
        "variants": {"type": "array", "items": {"type": "string", "minLength": 1}},
    },
}


def run(rule: Rule, ctx: Context) -> Outcome:
    applicability = ctx.applies(rule)
    if not applicability.applies:
        return Outcome(RequirementResult(rule.id, rule.title, applicability.status, applicability.reason))
    names = {normalise_label(column.name): column.name for column in ctx.inventory.bureau.columns}
    names.update(ctx.column_names())
    if not names:
        return Outcome(
            RequirementResult(
                rule.id, rule.title, "not-evaluated", "未声明平台栏目（bureau.columns），清单中也没有栏目信息"
            )
        )
    labels = rule.params["labels"]
    found = sorted({names[normalise_label(label)] for label in labels if normalise_label(label) in names})
    if found:
        return Outcome(RequirementResult(rule.id, rule.title, "satisfied", f"栏目“{'”“'.join(found)}”"))
    variants = [normalise_label(word) for word in rule.params.get("variants", ())]
    misnamed = sorted(name for key, name in names.items() if any(word in key for word in variants))
    if misnamed:
        message = f"栏目“{'”“'.join(misnamed)}”应使用统一名称“{labels[0]}”"
        return Outcome(
            RequirementResult(rule.id, rule.title, "partial", message),
            findings=[ctx.finding(rule, "metadata", message, subject=misnamed[0])],
        )
    message = f"政府信息公开平台未见“{labels[0]}”栏目（统一名称：{'、'.join(labels)}）"
    return Outcome(
        RequirementResult(rule.id, rule.title, "missing", message),
        findings=[ctx.finding(rule, "missing", message)],
    )
