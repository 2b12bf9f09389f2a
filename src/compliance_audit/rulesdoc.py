"""Rules and catalogues as data for `show --format json`, and the coverage page (docs/coverage.md)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from datetime import date
from typing import Any

from compliance_audit.errors import InputError
from compliance_audit.inventory.model import LEVEL_LABELS
from compliance_audit.ruleset.catalogue import Catalogue, CatalogueLibrary, row_rule
from compliance_audit.ruleset.loader import COVERAGE_FILE, RuleBook
from compliance_audit.ruleset.model import Profile, Ref, Rule, Source
from compliance_audit.schemas import validate_document
from compliance_audit.yamlsafe import load_yaml_document


def rule_data(rule: Rule, sources: Mapping[str, Source]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": rule.id,
        "title": rule.title,
        "check": rule.check,
        "severity": rule.severity,
        "confidence": rule.confidence,
        "refs": [
            {**ref.as_json(), "label": ref.label(sources), "source_title": sources[ref.source].title}
            if ref.source in sources
            else ref.as_json()
            for ref in rule.refs
        ],
        "rationale": rule.rationale,
        "fix": rule.fix,
        "applies": {key: list(value) for key, value in asdict(rule.applies).items() if value},
    }
    if rule.match is not None:
        data["match"] = _drop_empty(asdict(rule.match))
    if rule.elements:
        data["elements"] = [_drop_empty(asdict(element)) for element in rule.elements]
    if rule.deadline is not None:
        data["deadline"] = _drop_empty(asdict(rule.deadline))
    if rule.refresh is not None:
        data["refresh"] = _drop_empty(asdict(rule.refresh))
    if rule.params:
        data["params"] = dict(rule.params)
    return data


def profile_data(profile: Profile, book: RuleBook) -> dict[str, Any]:
    """A function profile: what a kind of bureau is held to, and the legal source of each function."""
    return _drop_empty(
        {
            "id": profile.id,
            "label": profile.label,
            "level": profile.level,
            "sector": profile.sector,
            "functions": list(profile.functions),
            "basis": {
                name: {
                    "function": book.functions[name].label,
                    "refs": [{**ref.as_json(), "label": ref.label(book.sources)} for ref in basis.refs],
                    "text": basis.text,
                }
                for name, basis in profile.basis.items()
            },
            "note": profile.note,
        }
    )


def catalogue_data(catalogue: Catalogue) -> dict[str, Any]:
    """The contract's `catalogue show --format json`."""
    return {
        "id": catalogue.id,
        "title": catalogue.title,
        "extends": catalogue.extends,
        "region": catalogue.region or None,
        "coverage": catalogue.coverage_note,
        "dropped": [{"id": row_id, "reason": reason} for row_id, reason in catalogue.dropped],
        "rows": [
            {
                "id": row.id,
                "requirement": row.requirement_id,
                "level1": row.level1,
                "level2": row.level2,
                "level3": row.level3,
                "elements": [element.name for element in row.elements],
                "basis": list(row.basis),
                "deadline": {
                    "working_days": row.deadline.working_days,
                    "from": row.deadline.start,
                    "text": row.deadline.text or row.deadline.describe(),
                },
                "mode": row.mode,
                "audience": list(row.audience),
                "levels": list(row.levels),
                "channels": list(row.channels),
                "sources": list(row.sources),
                "confidence": row.confidence,
                "inferred": list(row.inferred),
                "required": row.required,
                "notes": row.notes or None,
                "elements_illustrative": bool(row.elements) and row.elements[0].illustrative,
                "event": {"kind": row.event.kind, "label": row.event.label} if row.event else None,
                "counterpart": row.counterpart,
                "match_origin": row.match_origin or None,
            }
            for row in catalogue.rows
        ],
    }


def coverage_markdown(book: RuleBook, library: CatalogueLibrary) -> str:
    """Every entry of the reference, with the rules that encode it or why none can."""
    path = book.directory / COVERAGE_FILE
    document = load_yaml_document(path)
    validate_document(document.data, "ruleset", path, document, definition="coverage_file")
    lines = [
        "# 条文覆盖表",
        "",
        "由 `compliance-audit rules coverage -o docs/coverage.md` 生成（测试会检查它与规则一致）。",
        "每一行是参考资料中的一条义务：编码它的规则编号，或它为何无法从已公开信息清单判断。",
        "",
    ]
    for section in document.data["sections"]:
        lines.extend([f"## {section['title']}", "", f"参考资料：{section['reference']}", ""])
        lines.extend(["| 条文 | 内容 | 规则 / 说明 |", "|---|---|---|"])
        for position, entry in enumerate(section["entries"]):
            ref = Ref(entry["source"], entry.get("article"), entry.get("item"), entry.get("section"))
            rules = [rule.id for rule in book.rules if _encodes(rule, ref)]
            if rules and entry.get("not_judged"):
                raise InputError(
                    f"{ref.label(book.sources)} 已有规则 {', '.join(rules)}，却写了 not_judged",
                    file=path,
                    location=f"第 {document.line('sections', 0)} 行",
                )
            if not rules and not entry.get("not_judged"):
                raise InputError(
                    f"{ref.label(book.sources)} 既没有规则引用，也没有写明 not_judged 的原因",
                    file=path,
                    field=f"entries[{position}]",
                )
            cell = "、".join(f"`{rule}`" for rule in rules) if rules else f"不判断：{entry['not_judged']}"
            lines.append(f"| {ref.label(book.sources)} | {entry['text']} | {cell} |")
        lines.append("")
    lines.extend(_catalogue_section(library))
    return "\n".join(lines)


def _catalogue_section(library: CatalogueLibrary) -> list[str]:
    lines = ["## 标准目录", ""]
    for catalogue_id in library.ids():
        catalogue = library.resolve(catalogue_id)
        title = f"### {catalogue.id}：{catalogue.title}"
        if catalogue.extends:
            title += f"（{catalogue.region or '地方'}版本，继承 {catalogue.extends}）"
        lines.extend([title, ""])
        if catalogue.coverage_note:
            lines.extend([catalogue.coverage_note, ""])
        for row_id, reason in catalogue.dropped:
            lines.append(f"- 删除 {row_id}：{reason}")
        lines.extend(["| 要求编号 | 事项 | 方式 | 层级 | 可信度 | 是否要求 |", "|---|---|---|---|---|---|"])
        for row in catalogue.rows:
            rule = row_rule(row, catalogue)
            levels = "、".join(LEVEL_LABELS[level] for level in row.levels)
            required = (
                "是" if row.required else "否（公开方式未核实）" if row.mode != "依申请" else "否（依申请）"
            )
            mode = row.mode or "未核实"
            if "mode" in row.inferred:
                mode += "（推断）"
            lines.append(
                f"| `{rule.id}` | {row.heading} | {mode} | {levels} | {row.confidence} | {required} |"
            )
        lines.append("")
    return lines


def _encodes(rule: Rule, entry: Ref) -> bool:
    for ref in rule.refs:
        if ref.source != entry.source:
            continue
        if entry.article is not None and ref.article != entry.article:
            continue
        if entry.item is not None and ref.item != entry.item:
            continue
        if entry.section is not None and ref.section != entry.section:
            continue
        return True
    return False


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            value = _drop_empty(value)
        if value in (None, "", (), [], {}):
            continue
        if isinstance(value, date):
            value = value.isoformat()
        cleaned[key] = list(value) if isinstance(value, tuple) else value
    return cleaned
