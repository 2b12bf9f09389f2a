"""personal-data: personal information published without de-identification.

条例第十五条 forbids publishing personal privacy whose disclosure harms a third party; the State
Council's 2018 要点 (国办发〔2018〕23号) requires de-identification of personal information in
published government information except for punitive publicity and mandatory disclosure. What can
be found mechanically (personal_info.py): resident identity numbers, bank card numbers and mobile
numbers beside a person's name. A number found is reported whatever else the item holds; an item
without its body (正文) is not declared clean on the strength of its title alone: it is counted as
not evaluated. Messages show numbers masked, so the report never repeats the leak.
"""

from __future__ import annotations

import polars as pl

from compliance_audit.findings import CheckResult, Outcome
from compliance_audit.judge.context import Context
from compliance_audit.personal_info import find_personal_numbers, mask
from compliance_audit.ruleset.model import Rule

PARAMS_SCHEMA: dict[str, object] = {
    "type": "object",
    "required": ["kind"],
    "additionalProperties": False,
    "properties": {"kind": {"enum": ["id-number", "bank-card", "mobile"]}},
}

_WHAT = {
    "id-number": ("居民身份证号码", "疑似居民身份证号码（校验位不符）"),
    "bank-card": ("银行卡号", "银行卡号"),
    "mobile": ("与姓名并列的手机号码", "手机号码"),
}
_FIELDS = (("title", "标题"), ("summary", "内容概述"), ("body", "正文"))


def _holding_digits(ctx: Context) -> pl.Series:
    """Per item, whether a text holds eleven digits in a row: every number looked for does
    (personal_info's own first test)."""
    holds_digits = pl.any_horizontal(
        pl.col(field).str.contains(r"\d(?:[ \-]?\d){10}") for field, _ in _FIELDS
    )
    return ctx.frame.select(holds_digits.alias("found"))["found"]


def run(rule: Rule, ctx: Context) -> Outcome:
    applicability = ctx.applies(rule)
    if not applicability.applies:
        return Outcome(
            check=CheckResult(rule.id, rule.title, applicability.status, reason=applicability.reason)
        )
    kind = rule.params["kind"]
    findings = []
    without_body = int((ctx.frame["body"] == "").sum())
    candidates = ctx.shared("personal-data candidates", lambda: _holding_digits(ctx)).arg_true().to_list()
    for item in ctx.items_at(candidates):
        for field, label in _FIELDS:
            found = [number for number in find_personal_numbers(getattr(item, field)) if number.kind == kind]
            if kind == "mobile":
                found = [number for number in found if number.certain]
            if not found:
                continue
            certain = any(number.certain for number in found)
            what = _WHAT[kind][0 if certain else 1]
            shown = "、".join(dict.fromkeys(mask(number.number) for number in found))
            findings.append(
                ctx.finding(
                    rule,
                    "personal-data",
                    f"{label}含未去标识化的{what} {shown}（共 {len(found)} 处）",
                    item=item,
                    element=field,
                    severity=None if certain else "warning",
                )
            )
    with_body = ctx.count - without_body
    reason = (
        f"{without_body} 条信息未提供正文，只查了标题和内容概述，未发现的不作结论" if without_body else ""
    )
    if findings:
        status = "failed"
    elif with_body:
        status = "passed"
    else:
        status = "not-evaluated"
    return Outcome(
        check=CheckResult(rule.id, rule.title, status, with_body, without_body, reason), findings=findings
    )
