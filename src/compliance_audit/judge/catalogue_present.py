"""catalogue-present: the bureau publishes a 政府信息公开目录 (条例第十二条, 第四条第（三）项).

The inventory is the bureau's catalogue as published; it is a 目录 in the regulation's sense when its
entries carry the 目录's 索引 (索引号). Whether each entry carries all four fields is judged entry by
entry by the metadata rules.
"""

from __future__ import annotations

from compliance_audit.findings import Outcome, RequirementResult
from compliance_audit.judge.context import Context
from compliance_audit.ruleset.model import Rule

PARAMS_SCHEMA: dict[str, object] = {"type": "object", "additionalProperties": False}


def run(rule: Rule, ctx: Context) -> Outcome:
    applicability = ctx.applies(rule)
    if not applicability.applies:
        return Outcome(RequirementResult(rule.id, rule.title, applicability.status, applicability.reason))
    indexed = int((ctx.frame["index_no"] != "").sum())
    if indexed:
        reason = f"{indexed}/{ctx.count} 条信息带有索引号"
        return Outcome(RequirementResult(rule.id, rule.title, "satisfied", reason))
    finding = ctx.finding(rule, "missing", "公开的信息均无索引号，未形成政府信息公开目录")
    return Outcome(
        RequirementResult(rule.id, rule.title, "missing", "没有任何信息带有索引号"), findings=[finding]
    )
