"""`audit --explain RULE`: why each item matched a rule, and why the closest others did not."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from compliance_audit.errors import InputError
from compliance_audit.inventory.model import Item
from compliance_audit.inventory.table import ItemTable
from compliance_audit.matching.matcher import Matcher, MatchTable, Target
from compliance_audit.personal_info import mask_text
from compliance_audit.ruleset.model import MatchSpec, Rule


def describe_spec(spec: MatchSpec) -> list[str]:
    parts = []
    if spec.columns:
        parts.append("栏目为“" + "”“".join(spec.columns) + "”之一")
    if spec.column_kinds:
        parts.append("栏目类型为 " + "、".join(spec.column_kinds))
    if spec.topics:
        parts.append("主题分类为“" + "”“".join(spec.topics) + "”之一")
    if spec.title:
        title = spec.title
        if title.any:
            parts.append("标题含“" + "”“".join(title.any) + "”中任一")
        if title.all:
            parts.append("标题同时含“" + "”“".join(title.all) + "”")
        if title.regex:
            parts.append("标题符合正则 " + " 或 ".join(title.regex))
        if title.exclude:
            parts.append("但标题含“" + "”“".join(title.exclude) + "”的除外")
    if spec.text:
        parts.append("标题、内容概述或正文含“" + "”“".join(spec.text.any) + "”中任一")
    return parts


def explained_rules(rules: Sequence[Rule], wanted: str) -> list[Rule]:
    """The rule of that id, or every row of the catalogue of that id (an imported catalogue: what
    each of its rows matches on, and why)."""
    chosen = [
        rule for rule in rules if wanted in (rule.id, rule.catalogue.catalogue if rule.catalogue else None)
    ]
    if not chosen:
        raise InputError(
            f"没有编号为 {wanted} 的规则、目录项或目录",
            expected="rules list 或 catalogue show 列出的编号，或所用目录的编号",
        )
    return chosen


def explanation(rule: Rule, items: ItemTable, matcher: Matcher, table: MatchTable) -> dict[str, Any]:
    """Why items matched a rule and why the closest others did not, as data (`--format json`;
    explain_lines says it in words)."""
    info = rule.catalogue
    targets = [(Target(rule.id), "整体", rule.match, None)] + [
        (Target(rule.id, position), f"要素“{element.name}”", element.match, element)
        for position, element in enumerate(rule.elements)
    ]
    conditions = [
        {
            "target": label,
            "element": element.name if element is not None else None,
            "origin": element.origin if element is not None and element.origin else None,
            "conditions": describe_spec(spec),
            "tag": target.tag,
        }
        for target, label, spec, element in targets
        if spec is not None
    ]
    event = info.event if info is not None else None
    if event is not None:
        targets.append((Target(rule.id, evidence=True), "事件证据", event.evidence, None))
    data: dict[str, Any] = {
        "rule": rule.id,
        "title": rule.title,
        "match_origin": info.match_origin if info is not None and info.match_origin else None,
        "matching": conditions,
        "event": (
            {
                "label": event.label,
                "evidence": describe_spec(event.evidence) if event.evidence else [],
            }
            if event is not None
            else None
        ),
        "matches_items": any(spec for _, _, spec, _ in targets),
        "check": rule.check,
        "matched": [],
        "near_misses": [],
    }
    if not data["matches_items"]:
        return data
    for target, label, _, _ in targets:
        for index, evidence in table.items_of(target):
            data["matched"].append(
                {**_item(items.item(index)), "target": label, "evidence": evidence.describe()}
            )
    for miss in matcher.near_misses(rule, items, table):
        data["near_misses"].append({**_item(items.item(miss.item_index)), "reason": miss.reason})
    return data


def _item(item: Item) -> dict[str, Any]:
    return {"row": item.row, "index_no": item.index_no, "title": mask_text(item.title)}


def explain_lines(data: dict[str, Any]) -> list[str]:
    lines = [f"规则 {data['rule']}：{data['title']}"]
    if data["match_origin"]:
        lines.append(f"匹配条件的来源：{data['match_origin']}")
    for condition in data["matching"]:
        origin = f"（{condition['origin']}）" if condition["origin"] else ""
        lines.append(
            f"{condition['target']}的匹配条件{origin}："
            + "；".join(condition["conditions"])
            + f"；或标签 {condition['tag']}"
        )
    event = data["event"]
    if event is not None:
        shown = "；".join(event["evidence"]) or "（仅此项本身匹配的信息）"
        lines.append(f"{event['label']}事项，仅在作出相关决定时公开；表明本年度有此类决定的信息：{shown}")
    if not data["matches_items"]:
        lines.append(f"该规则不按标题匹配信息（检查 {data['check']} 适用于全部信息）")
        return lines
    lines.append("")
    for match in data["matched"]:
        lines.append(f"  ✓ 第{match['row']}行 {match['title']} —— {match['target']}：{match['evidence']}")
    if not data["matched"]:
        lines.append("  （没有匹配的信息）")
    if data["near_misses"]:
        lines.extend(["", "最接近但未匹配的信息："])
        for miss in data["near_misses"]:
            lines.append(f"  ✗ 第{miss['row']}行 {miss['title']} —— {miss['reason']}")
        lines.append("")
        lines.append(
            f"若某条信息确属此项，可在其标签（tags）中写 {data['rule']}，或按上述条件调整标题、栏目。"
        )
    return lines
