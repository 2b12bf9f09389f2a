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

import polars as pl

from compliance_audit.findings import CheckResult, Finding, Outcome
from compliance_audit.inventory.fields import FIELD_LABELS
from compliance_audit.inventory.model import Item
from compliance_audit.inventory.table import per_value
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
        values = ctx.frame[field]
        empty = (values.is_null() if values.dtype == pl.Date else values == "").arg_true().to_list()
        if empty:
            findings.append(
                ctx.finding(rule, "metadata", f"缺少{label}", element=field, items=empty, identity="")
            )
    reason = (
        f"清单没有“{'”“'.join(absent)}”字段（本机关目录未使用，或导出时未带出），无法判断" if absent else ""
    )
    judged = len(rule.params["fields"]) > len(absent)
    return _summary(rule, ctx.count if judged else 0, findings, reason)


def index_number(rule: Rule, ctx: Context) -> Outcome:
    """索引号: well formed, and any date it carries consistent with when the item was formed and
    published (an index is made when the item is catalogued and never changed afterwards). Items
    whose indexes all carry the same contradicting date (a portal that re-indexed everything when
    it moved) are one gap."""
    if (skip := _not_applicable(rule, ctx)) is not None:
        return skip
    numbers = ctx.frame["index_no"]
    given = numbers != ""
    evaluated = int(given.sum())
    malformed = given & ~fullmatches(numbers, rule.params["pattern"])
    findings = []
    for item in ctx.items_at(malformed.arg_true().to_list()):
        message = f"索引号“{item.index_no}”格式异常（应为{rule.params['expected']}）"
        findings.append(ctx.finding(rule, "metadata", message, item=item, element="index_no"))
    contradicting: dict[tuple[str, str], list[tuple[int, Item, str]]] = {}
    candidates = given & ~malformed & ctx.shared("index dates", lambda: index_dates_may_contradict(ctx.frame))
    positions = candidates.arg_true().to_list()
    for position, item in zip(positions, ctx.items_at(positions), strict=True):
        contradiction = index_date_contradiction(item.index_no, item)
        if contradiction is not None:
            embedded, relation, own = contradiction
            contradicting.setdefault((embedded, relation), []).append((position, item, own))
    for (embedded, relation), found in contradicting.items():
        if len(found) == 1:
            _, item, own = found[0]
            message = f"索引号“{item.index_no}”中的{embedded} {relation} {own}：{_INDEX_RULE}"
            findings.append(ctx.finding(rule, "metadata", message, item=item, element="index_no"))
            continue
        message = (
            f"{len(found)} 条信息的索引号中的{embedded} {relation.replace('于', '于其', 1)}：{_INDEX_RULE}，"
            "多半是事后（如网站迁移时）重新生成的"
        )
        findings.append(
            ctx.finding(
                rule,
                "metadata",
                message,
                element="index_no",
                items=[position for position, _, _ in found],
                identity=f"{embedded}{relation}",
            )
        )
    return _summary(rule, evaluated, findings, "" if evaluated else "清单中没有填写索引号的信息")


_INDEX_RULE = "索引号应在信息生成时编制，此后不再改变"


def index_date_contradiction(index_no: str, item: Item) -> tuple[str, str, str] | None:
    """(the date the 索引号 carries, how it contradicts the item, the item's own date) if it does:
    ("日期 2023-06-18", "晚于发布日期", "2021-02-01"). Eight digits that are no day of the calendar
    (20210230) are not a date."""
    earliest = item.formed if item.formed is not None and item.formed <= item.published else item.published
    later = ("晚于发布日期", item.published.isoformat())
    earlier = ("早于成文日期", earliest.isoformat())
    day = _INDEX_DAY.search(index_no)
    embedded = _day(*day.groups()) if day is not None else None
    if embedded is not None:
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


def _day(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def index_dates_may_contradict(frame: pl.DataFrame) -> pl.Series:
    """Per item, whether index_date_contradiction may find a contradiction: computed exactly, on
    the whole column, for 索引号 written in ASCII (the patterns below are _INDEX_DAY and
    _INDEX_MONTH without look-around, which polars' regular expressions lack); true for any other."""
    published, formed = pl.col("published"), pl.col("formed")
    earliest = pl.when(formed.is_not_null() & (formed <= published)).then(formed).otherwise(published)
    number = pl.col("index_no")
    embedded = number.str.extract(
        r"(?:^|[^0-9])((?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01]))(?:[^0-9]|$)", 1
    ).str.to_date("%Y%m%d", strict=False)
    month = number.str.extract_groups(r"(?:^|[/_.\-])((?:19|20)[0-9]{2})(0[1-9]|1[0-2])?[/_.\-]")
    year = month.struct[0].cast(pl.Int32)
    in_month = month.struct[1].cast(pl.Int32)
    as_month = year * 12 + in_month
    by_month = (as_month > published.dt.year() * 12 + published.dt.month()) | (
        as_month < earliest.dt.year() * 12 + earliest.dt.month()
    )
    by_year = (year > published.dt.year()) | (year < earliest.dt.year())
    contradicts = (
        pl.when(embedded.is_not_null())
        .then((embedded > published) | (embedded < earliest))
        .when(in_month.is_not_null())
        .then(by_month)
        .when(year.is_not_null())
        .then(by_year)
        .otherwise(False)
    )
    ascii_only = number.str.len_bytes() == number.str.len_chars()
    return frame.select((~ascii_only | contradicts).alias("may"))["may"]


def fullmatches(values: pl.Series, pattern: str) -> pl.Series:
    """Per value, whether the pattern matches it whole (re.fullmatch): on the whole column when the
    pattern means the same to polars' regular expressions as to Python's (no escapes of letters or
    digits, such as \\d and \\w, whose classes differ; no (?…), anchors or set operations), else
    value by value."""
    if _PORTABLE.search(pattern) is None:
        try:
            return values.str.contains(f"^(?:{pattern})$")
        except pl.exceptions.ComputeError:
            pass
    compiled = re.compile(pattern)
    return pl.Series([compiled.fullmatch(value) is not None for value in values.to_list()], dtype=pl.Boolean)


_PORTABLE = re.compile(r"\\[A-Za-z0-9]|\(\?|[$^]|\[\[|&&|--|~~")


def unique(rule: Rule, ctx: Context) -> Outcome:
    """A value given to several items: each but the earliest published is a finding (the earliest
    keeps it, as the fix says). Which one that is does not depend on the order of the inventory,
    so a re-sorted export keeps its findings and their fingerprints."""
    if (skip := _not_applicable(rule, ctx)) is not None:
        return skip
    field = rule.params["field"]
    label = FIELD_LABELS[field]
    evaluated, groups = ctx.shared(f"repeated {field}", lambda: _repeated(field, ctx))
    findings = [
        ctx.finding(
            rule,
            "metadata",
            f"{label}“{value}”与“{earliest.title}”重复",
            item=item,
            element=field,
            identity=f"{value}|{item.title}|{item.published.isoformat()}",
        )
        for value, earliest, others in groups
        for item in others
    ]
    return _summary(rule, evaluated, findings, "" if evaluated else f"清单中没有填写{label}的信息")


def _repeated(field: str, ctx: Context) -> tuple[int, list[tuple[str, Item, list[Item]]]]:
    """How many items give the field, and each value given to several: the earliest published
    item that gives it and the others."""
    values = ctx.frame[field]
    if values.dtype == pl.Date:
        values = values.dt.to_string("%Y-%m-%d").fill_null("")
    given = values != ""
    groups: dict[str, list[Item]] = {}
    for item in ctx.items_at((given & values.is_duplicated()).arg_true().to_list()):
        groups.setdefault(_value(item, field), []).append(item)
    repeated = []
    for value, items in groups.items():
        earliest, *others = sorted(items, key=lambda each: (each.published, each.title))
        repeated.append((value, earliest, others))
    return int(given.sum()), repeated


def date_order(rule: Rule, ctx: Context) -> Outcome:
    if (skip := _not_applicable(rule, ctx)) is not None:
        return skip
    formed, published = ctx.frame["formed"], ctx.frame["published"]
    evaluated = int(formed.is_not_null().sum())
    findings = [
        ctx.finding(
            rule,
            "metadata",
            f"成文日期 {item.formed.isoformat()} 晚于发布日期 {item.published.isoformat()}",
            item=item,
            element="formed",
        )
        for item in ctx.items_at((formed > published).arg_true().to_list())
        if item.formed is not None
    ]
    return _summary(rule, evaluated, findings, "" if evaluated else "清单中没有填写成文日期的信息")


def publisher_names(rule: Rule, ctx: Context) -> Outcome:
    """The bureau names itself one way as 发布机构: 区司法局 on some items and 秦州区司法局 on
    others is the same body written inconsistently (another body's name is a reprint, not this)."""
    if (skip := _not_applicable(rule, ctx)) is not None:
        return skip
    publishers = ctx.frame["publisher"]
    own = (publishers != "") & ctx.own()
    if not own.any():
        return _summary(rule, 0, [], "清单中没有填写发布机构的信息")
    written = publishers.filter(own)
    names = written.unique(maintain_order=True).to_list()  # in the order they first occur
    normalised = {name: normalise(name) for name in names}
    counts = dict(written.value_counts().iter_rows())
    spellings: Counter[str] = Counter()
    for name in names:
        spellings[normalised[name]] += counts[name]
    if len(spellings) == 1:
        return _summary(rule, len(written), [])
    last_written: dict[str, str] = {}  # each spelling as its last item writes it
    for name in written.reverse().unique(maintain_order=True).to_list():
        last_written.setdefault(normalised[name], name)
    full = normalise(ctx.inventory.bureau.name)
    listed = "、".join(f"“{last_written[name]}” {count} 条" for name, count in spellings.most_common())
    others = (own & (per_value(publishers, normalise, pl.String) != full)).arg_true()
    finding = ctx.finding(
        rule,
        "metadata",
        f"本机关的发布机构有 {len(spellings)} 种写法（{listed}），应统一写作“{ctx.inventory.bureau.name}”",
        element="publisher",
        items=others.to_list(),
        identity="",
    )
    return _summary(rule, len(written), [finding])
