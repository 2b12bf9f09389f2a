"""Metadata of each catalogue entry: required fields present, well formed, unique, dates coherent,
the publisher written one way.

条例第十二条 names the fields every 政府信息公开目录 entry carries (索引、名称、内容概述、生成日期);
a bureau's own catalogue usually adds 主题分类 and 发布机构. A field the inventory does not carry at
all cannot show a defect of the catalogue (the export may simply have left the column out): it is
not evaluated. A field that is carried and empty on some items is one gap, reported as one finding
that lists them. One small judgement per kind of defect.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from compliance_audit.findings import CheckResult, Finding, Outcome
from compliance_audit.inventory.fields import FIELD_LABELS
from compliance_audit.inventory.model import Item
from compliance_audit.judge.context import Context
from compliance_audit.ruleset.model import Rule
from compliance_audit.textnorm import normalise

_ITEM_FIELDS = ["index_no", "title", "topic", "publisher", "formed", "column", "doc_no", "summary", "url"]

FIELD_PARAMS_SCHEMA: dict[str, object] = {
    "type": "object",
    "required": ["fields"],
    "additionalProperties": False,
    "properties": {"fields": {"type": "array", "items": {"enum": _ITEM_FIELDS}, "minItems": 1}},
}
INDEX_PARAMS_SCHEMA: dict[str, object] = {
    "type": "object",
    "required": ["pattern", "expected"],
    "additionalProperties": False,
    "properties": {"pattern": {"type": "string"}, "expected": {"type": "string"}},
}
UNIQUE_PARAMS_SCHEMA: dict[str, object] = {
    "type": "object",
    "required": ["field"],
    "additionalProperties": False,
    "properties": {"field": {"enum": _ITEM_FIELDS}},
}
NO_PARAMS_SCHEMA: dict[str, object] = {"type": "object", "additionalProperties": False}

# a whole date in an 索引号 (20230618-164604-828), or a year or year-month segment (…/2020-12335,
# …/202301-00012)
_INDEX_DAY = re.compile(r"(?<!\d)((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)")
_INDEX_MONTH = re.compile(r"(?:^|[/_.\-])((?:19|20)\d{2})(0[1-9]|1[0-2])?(?=[/_.\-])")


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
    findings = []
    absent = []
    for field in rule.params["fields"]:
        label = FIELD_LABELS[field]
        if field != "title" and field not in ctx.inventory.fields_present:
            absent.append(label)
            continue
        empty = [item for item in ctx.items if not getattr(item, field)]  # "" and None alike
        if empty:
            findings.append(
                ctx.finding(rule, "metadata", f"缺少{label}", element=field, items=empty, identity="")
            )
    reason = (
        f"清单没有“{'”“'.join(absent)}”字段（本机关目录未使用，或导出时未带出），无法判断" if absent else ""
    )
    judged = len(rule.params["fields"]) > len(absent)
    return _summary(rule, len(ctx.items) if judged else 0, findings, reason)


def index_number(rule: Rule, ctx: Context) -> Outcome:
    """索引号: well formed, and any date it carries consistent with when the item was formed and
    published (an index is made when the item is catalogued and never changed afterwards). Items
    whose indexes all carry the same contradicting date (a portal that re-indexed everything when
    it moved) are one gap."""
    if (skip := _not_applicable(rule, ctx)) is not None:
        return skip
    pattern = re.compile(rule.params["pattern"])
    evaluated = 0
    findings = []
    contradicting: dict[tuple[str, str], list[tuple[Item, str]]] = {}
    for item in ctx.items:
        value = item.index_no
        if not value:
            continue
        evaluated += 1
        if pattern.fullmatch(value) is None:
            message = f"索引号“{value}”格式异常（应为{rule.params['expected']}）"
            findings.append(ctx.finding(rule, "metadata", message, item=item, element="index_no"))
            continue
        contradiction = index_date_contradiction(value, item)
        if contradiction is not None:
            embedded, relation, own = contradiction
            contradicting.setdefault((embedded, relation), []).append((item, own))
    for (embedded, relation), found in contradicting.items():
        if len(found) == 1:
            item, own = found[0]
            message = f"索引号“{item.index_no}”中的{embedded} {relation} {own}：{_INDEX_RULE}"
            findings.append(ctx.finding(rule, "metadata", message, item=item, element="index_no"))
            continue
        message = (
            f"{len(found)} 条信息的索引号中的{embedded} {relation.replace('于', '于其', 1)}：{_INDEX_RULE}，"
            "多半是事后（如网站迁移时）重新生成的"
        )
        items = [item for item, _ in found]
        findings.append(
            ctx.finding(
                rule, "metadata", message, element="index_no", items=items, identity=f"{embedded}{relation}"
            )
        )
    return _summary(rule, evaluated, findings, "" if evaluated else "清单中没有填写索引号的信息")


_INDEX_RULE = "索引号应在信息生成时编制，此后不再改变"


def index_date_contradiction(index_no: str, item: Item) -> tuple[str, str, str] | None:
    """(the date the 索引号 carries, how it contradicts the item, the item's own date) if it does:
    ("日期 2023-06-18", "晚于发布日期", "2021-02-01")."""
    earliest = item.formed if item.formed is not None and item.formed <= item.published else item.published
    later = ("晚于发布日期", item.published.isoformat())
    earlier = ("早于成文日期", earliest.isoformat())
    day = _INDEX_DAY.search(index_no)
    if day is not None:
        embedded = date(int(day.group(1)), int(day.group(2)), int(day.group(3)))
        relation = later if embedded > item.published else earlier if embedded < earliest else None
        return (f"日期 {embedded.isoformat()}", *relation) if relation else None
    month = _INDEX_MONTH.search(index_no)
    if month is None:
        return None
    year = int(month.group(1))
    if month.group(2):
        embedded_month = (year, int(month.group(2)))
        relation = (
            later
            if embedded_month > (item.published.year, item.published.month)
            else earlier
            if embedded_month < (earliest.year, earliest.month)
            else None
        )
        return (f"年月 {year}年{int(month.group(2))}月", *relation) if relation else None
    relation = later if year > item.published.year else earlier if year < earliest.year else None
    return (f"年份 {year}", *relation) if relation else None


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


def publisher_names(rule: Rule, ctx: Context) -> Outcome:
    """The bureau names itself one way as 发布机构: 区司法局 on some items and 秦州区司法局 on
    others is the same body written inconsistently (another body's name is a reprint, not this)."""
    if (skip := _not_applicable(rule, ctx)) is not None:
        return skip
    own = [item for item in ctx.items if item.publisher and ctx.is_own(item)]
    if not own:
        return _summary(rule, 0, [], "清单中没有填写发布机构的信息")
    spellings = Counter(normalise(item.publisher) for item in own)
    if len(spellings) == 1:
        return _summary(rule, len(own), [])
    written = {normalise(item.publisher): item.publisher for item in own}
    full = normalise(ctx.inventory.bureau.name)
    listed = "、".join(f"“{written[name]}” {count} 条" for name, count in spellings.most_common())
    others = [item for item in own if normalise(item.publisher) != full]
    finding = ctx.finding(
        rule,
        "metadata",
        f"本机关的发布机构有 {len(spellings)} 种写法（{listed}），应统一写作“{ctx.inventory.bureau.name}”",
        element="publisher",
        items=others,
        identity="",
    )
    return _summary(rule, len(own), [finding])
