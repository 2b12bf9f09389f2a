"""interpretation-pairing: each policy document the bureau issues comes with its 政策解读.

The rule's match selects the documents; an interpretation is an item whose title carries one of
params.keywords and names the document (the text inside 《》 of the document's title, or its title
without 关于印发…的通知). 国办 texts require document and interpretation to be organised, signed off
and deployed together (同步); params.lag_working_days is how many working days later the
interpretation may appear (0: the same day).
"""

from __future__ import annotations

import re

from compliance_audit.findings import CheckResult, Outcome
from compliance_audit.inventory.model import Item
from compliance_audit.judge.context import Context
from compliance_audit.ruleset.model import Rule
from compliance_audit.textnorm import normalise, normalise_column

PARAMS_SCHEMA: dict[str, object] = {
    "type": "object",
    "required": ["keywords", "lag_working_days"],
    "additionalProperties": False,
    "properties": {
        "keywords": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
        "lag_working_days": {"type": "integer", "minimum": 0},
    },
}

_QUOTED = re.compile(r"<([^<>]+)>")
# the issuer, 关于 and 印发… before the document's name; 的通知 after it
_WRAPPER = re.compile(r"^(?:.*?关于)?(?:印发|转发|发布|公布)?|的?(?:通知|公告|通告)$")


def subject_of(title: str) -> str:
    """What an interpretation must name to belong to this document (normalised)."""
    normalised = normalise(title)
    quoted: list[str] = _QUOTED.findall(normalised)
    if quoted:
        return max(quoted, key=len)
    return _WRAPPER.sub("", normalised)


def run(rule: Rule, ctx: Context) -> Outcome:
    applicability = ctx.applies(rule)
    if not applicability.applies:
        return Outcome(
            check=CheckResult(rule.id, rule.title, applicability.status, reason=applicability.reason)
        )
    keywords = [normalise(keyword) for keyword in rule.params["keywords"]]
    lag = rule.params["lag_working_days"]
    titles = normalise_column(ctx.frame["title"])
    named = titles.str.contains_any(keywords).arg_true().to_list() if all(keywords) else range(ctx.count)
    interpretations: list[tuple[str, Item]] = [(normalise(item.title), item) for item in ctx.items_at(named)]
    documents = ctx.items_at(ctx.matched_items(rule))
    if not documents:
        return Outcome(
            check=CheckResult(rule.id, rule.title, "not-evaluated", reason="清单中没有需要解读的政策文件")
        )
    findings = []
    for document in documents:
        subject = subject_of(document.title)
        partners = [item for title, item in interpretations if subject and subject in title]
        if not partners:
            findings.append(
                ctx.finding(rule, "missing", f"未见与《{document.title}》配套的政策解读", item=document)
            )
            continue
        first = min(partners, key=lambda item: item.published)
        allowed = ctx.calendar.add_working_days(document.published, lag) if lag else document.published
        if first.published > allowed:
            late_by = ctx.calendar.working_days_after(document.published, first.published)
            findings.append(
                ctx.finding(
                    rule,
                    "late",
                    f"解读“{first.title}”于 {first.published.isoformat()} 发布，"
                    f"晚于文件 {late_by} 个工作日（应同步发布）",
                    item=first,
                    due=allowed,
                )
            )
    status = "failed" if findings else "passed"
    return Outcome(check=CheckResult(rule.id, rule.title, status, len(documents)), findings=findings)
