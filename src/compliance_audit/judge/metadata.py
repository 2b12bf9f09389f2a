"""Metadata of each catalogue entry: required fields present, well formed, unique, dates coherent.

条例第十二条 names the fields every 政府信息公开目录 entry carries (索引、名称、内容概述、生成日期);
a bureau's own catalogue usually adds 主题分类 and 发布机构, and once it uses a field an empty value
is a defect. One small judgement per kind of defect.
"""

from __future__ import annotations

import re
from datetime import date

from compliance_audit.findings import CheckResult, Finding, Outcome
from compliance_audit.inventory.fields import FIELD_LABELS
from compliance_audit.inventory.model import Item
from compliance_audit.judge.context import Context
from compliance_audit.ruleset.model import Rule

_ITEM_FIELDS = ["index_no", "title", "topic", "publisher", "formed", "column", "doc_no", "summary", "url"]

FIELD_PARAMS_SCHEMA: dict[str, object] = {
    "type": "object",
    "required": ["field"],
    "additionalProperties": False,
    "properties": {
        "field": {"enum": _ITEM_FIELDS},
        "when": {
            "enum": ["always", "used"],
            "description": "used: only if the bureau's catalogue carries the field",
        },
    },
}
FORMAT_PARAMS_SCHEMA: dict[str, object] = {
    "type": "object",
    "required": ["field", "pattern", "expected"],
    "additionalProperties": False,
    "properties": {
        "field": {"enum": _ITEM_FIELDS},
        "pattern": {"type": "string"},
        "expected": {"type": "string"},
    },
}
UNIQUE_PARAMS_SCHEMA: dict[str, object] = {
    "type": "object",
    "required": ["field"],
    "additionalProperties": False,
    "properties": {"field": {"enum": _ITEM_FIELDS}},
}
NO_PARAMS_SCHEMA: dict[str, object] = {"type": "object", "additionalProperties": False}


def _value(item: Item, field: str) -> str:
    value = getattr(item, field)
    if isinstance(value, date):
        return value.isoformat()
    return value or ""


def _summary(rule: Rule, evaluated: int, findings: list[Finding], reason: str = "") -> Outcome:
    if evaluated == 0:
        return Outcome(
            check=CheckResult(rule.id, rule.title, "not-evaluated", reason=reason or "清单中没有信息")
        )
    status = "failed" if findings else "passed"
    return Outcome(
        check=CheckResult(rule.id, rule.title, status, evaluated, reason=reason), findings=findings
    )


def _not_applicable(rule: Rule, ctx: Context) -> Outcome | None:
    applicability = ctx.applies(rule)
    if applicability.applies:
        return None
    return Outcome(check=CheckResult(rule.id, rule.title, applicability.status, reason=applicability.reason))


def field_required(rule: Rule, ctx: Context) -> Outcome:
    if (skip := _not_applicable(rule, ctx)) is not None:
        return skip
    field = rule.params["field"]
    label = FIELD_LABELS[field]
    if rule.params.get("when") == "used" and field not in ctx.inventory.fields_present:
        return Outcome(
            check=CheckResult(rule.id, rule.title, "not-evaluated", reason=f"本机关目录未使用“{label}”字段")
        )
    findings = [
        ctx.finding(rule, "metadata", f"缺少{label}", item=item, element=field)
        for item in ctx.items
        if not getattr(item, field)  # "" and an absent date (None) are both empty
    ]
    return _summary(rule, len(ctx.items), findings)


def field_format(rule: Rule, ctx: Context) -> Outcome:
    if (skip := _not_applicable(rule, ctx)) is not None:
        return skip
    field = rule.params["field"]
    label = FIELD_LABELS[field]
    pattern = re.compile(rule.params["pattern"])
    evaluated = 0
    findings = []
    for item in ctx.items:
        value = _value(item, field)
        if not value:
            continue
        evaluated += 1
        if pattern.fullmatch(value) is None:
            findings.append(
                ctx.finding(
                    rule,
                    "metadata",
                    f"{label}“{value}”格式异常（应为{rule.params['expected']}）",
                    item=item,
                    element=field,
                )
            )
    return _summary(rule, evaluated, findings, "" if evaluated else f"清单中没有填写{label}的信息")


def unique(rule: Rule, ctx: Context) -> Outcome:
    if (skip := _not_applicable(rule, ctx)) is not None:
        return skip
    field = rule.params["field"]
    label = FIELD_LABELS[field]
    first_of: dict[str, Item] = {}
    evaluated = 0
    findings = []
    for item in ctx.items:
        value = _value(item, field)
        if not value:
            continue
        evaluated += 1
        first = first_of.setdefault(value, item)
        if first is not item:
            findings.append(
                ctx.finding(
                    rule,
                    "metadata",
                    f"{label}“{value}”与“{first.title}”重复",
                    item=item,
                    element=field,
                    identity=f"{value}|{item.title}|{item.published.isoformat()}",
                )
            )
    return _summary(rule, evaluated, findings, "" if evaluated else f"清单中没有填写{label}的信息")


def date_order(rule: Rule, ctx: Context) -> Outcome:
    if (skip := _not_applicable(rule, ctx)) is not None:
        return skip
    evaluated = 0
    findings = []
    for item in ctx.items:
        if item.formed is None:
            continue
        evaluated += 1
        if item.formed > item.published:
            findings.append(
                ctx.finding(
                    rule,
                    "metadata",
                    f"成文日期 {item.formed.isoformat()} 晚于发布日期 {item.published.isoformat()}",
                    item=item,
                    element="formed",
                )
            )
    return _summary(rule, evaluated, findings, "" if evaluated else "清单中没有填写成文日期的信息")


def future_date(rule: Rule, ctx: Context) -> Outcome:
    if (skip := _not_applicable(rule, ctx)) is not None:
        return skip
    findings = []
    for item in ctx.items:
        for field in ("published", "formed"):
            value = getattr(item, field)
            if value is not None and value > ctx.as_of:
                findings.append(
                    ctx.finding(
                        rule,
                        "metadata",
                        f"{FIELD_LABELS[field]} {value.isoformat()} 晚于审计日 {ctx.as_of.isoformat()}",
                        item=item,
                        element=field,
                    )
                )
    return _summary(rule, len(ctx.items), findings)
