"""`audit --explain RULE`: why each item matched a rule, and why the closest others did not."""

from __future__ import annotations

from collections.abc import Sequence

from compliance_audit.errors import InputError
from compliance_audit.inventory.model import Item
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


def explain(rule: Rule, items: Sequence[Item], matcher: Matcher, table: MatchTable) -> list[str]:
    lines = [f"规则 {rule.id}：{rule.title}"]
    info = rule.catalogue
    if info is not None and info.match_origin:
        lines.append(f"匹配条件的来源：{info.match_origin}")
    targets = [(Target(rule.id), "整体", rule.match)] + [
        (Target(rule.id, position), f"要素“{element.name}”", element.match)
        for position, element in enumerate(rule.elements)
    ]
    origins = {f"要素“{element.name}”": element.origin for element in rule.elements}
    for target, label, spec in targets:
        if spec is None:
            continue
        origin = f"（{origins[label]}）" if origins.get(label) else ""
        lines.append(
            f"{label}的匹配条件{origin}：" + "；".join(describe_spec(spec)) + f"；或标签 {target.tag}"
        )
    event = info.event if info is not None else None
    if event is not None:
        shown = "；".join(describe_spec(event.evidence)) if event.evidence else "（仅此项本身匹配的信息）"
        lines.append(f"{event.label}事项，仅在作出相关决定时公开；表明本年度有此类决定的信息：{shown}")
        targets.append((Target(rule.id, evidence=True), "事件证据", event.evidence))
    if not any(spec for _, _, spec in targets):
        lines.append(f"该规则不按标题匹配信息（检查 {rule.check} 适用于全部信息）")
        return lines
    lines.append("")
    matched = False
    for target, label, _ in targets:
        for index, evidence in table.items_of(target):
            matched = True
            item = items[index]
            lines.append(f"  ✓ 第{item.row}行 {mask_text(item.title)} —— {label}：{evidence.describe()}")
    if not matched:
        lines.append("  （没有匹配的信息）")
    misses = matcher.near_misses(rule, items, table)
    if misses:
        lines.extend(["", "最接近但未匹配的信息："])
        for miss in misses:
            item = items[miss.item_index]
            lines.append(f"  ✗ 第{item.row}行 {mask_text(item.title)} —— {miss.reason}")
        lines.append("")
        lines.append(f"若某条信息确属此项，可在其标签（tags）中写 {rule.id}，或按上述条件调整标题、栏目。")
    return lines
