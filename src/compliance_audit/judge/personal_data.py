"""personal-data: personal information published without de-identification.

条例第十五条 forbids publishing personal privacy whose disclosure harms a third party; the State
Council's 2018 要点 (国办发〔2018〕23号) requires de-identification of personal information in
published government information except for punitive publicity and mandatory disclosure. What can
be found mechanically: resident identity numbers (with a valid GB 11643 check digit) and mobile
numbers, not masked (local practice masks them as 35*************123 and 138****1234). Messages
show the number masked, so the report never repeats the leak.
"""

from __future__ import annotations

import re

from compliance_audit.findings import CheckResult, Outcome
from compliance_audit.judge.context import Context
from compliance_audit.ruleset.model import Rule

PARAMS_SCHEMA: dict[str, object] = {
    "type": "object",
    "required": ["kind"],
    "additionalProperties": False,
    "properties": {"kind": {"enum": ["id-number", "mobile"]}},
}

_ID_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])"
)
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_LONG_NUMBER = re.compile(r"\d{11}")  # both kinds contain eleven digits in a row
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_LABELS = {"id-number": "居民身份证号码", "mobile": "手机号码"}


def valid_id_number(number: str) -> bool:
    """GB 11643-1999 check digit."""
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17].upper()


def mask(number: str) -> str:
    keep = 4 if len(number) > 11 else 3
    return number[:keep] + "*" * (len(number) - keep - 4) + number[-4:]


def find_numbers(kind: str, text: str) -> list[str]:
    if kind == "id-number":
        return [match.group() for match in _ID_NUMBER.finditer(text) if valid_id_number(match.group())]
    return [match.group() for match in _MOBILE.finditer(text)]


def run(rule: Rule, ctx: Context) -> Outcome:
    applicability = ctx.applies(rule)
    if not applicability.applies:
        return Outcome(
            check=CheckResult(rule.id, rule.title, applicability.status, reason=applicability.reason)
        )
    kind = rule.params["kind"]
    findings = []
    for item in ctx.items:
        if _LONG_NUMBER.search(f"{item.title}\n{item.summary}\n{item.body}") is None:
            continue
        for field, label in (("title", "标题"), ("summary", "内容概述"), ("body", "正文")):
            numbers = find_numbers(kind, getattr(item, field))
            if numbers:
                shown = "、".join(mask(number) for number in dict.fromkeys(numbers))
                findings.append(
                    ctx.finding(
                        rule,
                        "personal-data",
                        f"{label}含未去标识化的{_LABELS[kind]} {shown}（共 {len(numbers)} 处）",
                        item=item,
                        element=field,
                    )
                )
    with_body = sum(1 for item in ctx.items if item.body)
    reason = (
        ""
        if with_body == len(ctx.items)
        else f"{len(ctx.items) - with_body} 条信息未提供正文，只检查了标题和内容概述"
    )
    status = "failed" if findings else "passed"
    return Outcome(
        check=CheckResult(rule.id, rule.title, status, len(ctx.items), reason=reason), findings=findings
    )
