"""--baseline: this run's findings against a previous JSON report, by fingerprint.

Each finding is new or still open, and each finding of the previous report that is gone is fixed.
A grouped finding (one gap over several items) is compared item by item, through the fingerprint
each item carries: it is new when any of its items is new, and an item that left the group is
fixed. Fingerprints do not depend on rows, dates of the run or the other items, so adding,
removing or reordering unrelated items changes nothing here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from compliance_audit.errors import InputError
from compliance_audit.findings import Finding, ItemRef
from compliance_audit.report.model import BaselineComparison, FixedFinding, Report
from compliance_audit.yamlsafe import decode_utf8, read_bounded

MAX_BASELINE_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True)
class Unit:
    """What a fingerprint stands for: one finding, or one item of a grouped finding."""

    fingerprint: str
    rule: str
    message: str
    item: ItemRef | None


@dataclass(frozen=True)
class Baseline:
    file: str
    units: tuple[Unit, ...]

    @property
    def fingerprints(self) -> frozenset[str]:
        return frozenset(unit.fingerprint for unit in self.units)


def load_baseline(path: Path) -> Baseline:
    text = decode_utf8(read_bounded(path, MAX_BASELINE_BYTES, "基线报告"), path)
    expected = "compliance-audit 以前用 --format json 写出的报告"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            f"不是 JSON：{error.msg}",
            file=path,
            location=f"第 {error.lineno} 行第 {error.colno} 列",
            expected=expected,
        ) from None
    if not isinstance(data, dict) or data.get("tool", {}).get("name") != "compliance-audit":
        raise InputError("不是 compliance-audit 的 JSON 报告", file=path, expected=expected)
    findings = data.get("findings")
    if not isinstance(findings, list):
        raise InputError("报告中没有 findings 列表", file=path, field="findings", expected=expected)
    units: list[Unit] = []
    for position, entry in enumerate(findings):
        units.extend(_units(entry, path, position))
    return Baseline(str(path), tuple(units))


def _units(entry: Any, path: Path, position: int) -> list[Unit]:
    where = f"findings[{position}]"
    if not isinstance(entry, dict) or not isinstance(entry.get("fingerprint"), str):
        raise InputError("问题缺少 fingerprint", file=path, field=where, expected="含 fingerprint 的问题")
    rule, message = str(entry.get("rule", "")), str(entry.get("message", ""))
    items = entry.get("items") or []
    if not isinstance(items, list):
        raise InputError("items 应为列表", file=path, field=f"{where}.items")
    units = []
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("fingerprint"), str):
            raise InputError("信息缺少 fingerprint", file=path, field=f"{where}.items[{index}]")
        units.append(Unit(item["fingerprint"], rule, message, _item_ref(item)))
    if not units:
        item = entry.get("item")
        units.append(
            Unit(entry["fingerprint"], rule, message, _item_ref(item) if isinstance(item, dict) else None)
        )
    return units


def _item_ref(data: dict[str, Any]) -> ItemRef:
    row = data.get("row")
    return ItemRef(
        index_no=str(data.get("index_no", "")),
        title=str(data.get("title", "")),
        url=str(data.get("url", "")),
        row=row if isinstance(row, int) else 0,
    )


def units_of(finding: Finding) -> list[Unit]:
    if finding.items:
        return [Unit(ref.fingerprint, finding.rule, finding.message, ref) for ref in finding.items]
    return [Unit(finding.fingerprint, finding.rule, finding.message, finding.item)]


def compare(report: Report, baseline: Baseline) -> Report:
    """The report with each finding marked new or open, and what the baseline had that is fixed.
    What a waiver now accepts is not fixed: it is still there, accepted."""
    before = baseline.fingerprints
    states = {
        finding.fingerprint: (
            "open" if all(unit.fingerprint in before for unit in units_of(finding)) else "new"
        )
        for finding in report.findings
    }
    present = {unit.fingerprint for finding in report.findings for unit in units_of(finding)}
    present.update(unit.fingerprint for waived in report.waived for unit in units_of(waived.finding))
    present.update(finding.fingerprint for finding in report.findings)
    fixed: list[FixedFinding] = []
    seen: set[str] = set()
    for unit in baseline.units:
        if unit.fingerprint in present or unit.fingerprint in seen:
            continue
        seen.add(unit.fingerprint)
        fixed.append(FixedFinding(unit.fingerprint, unit.rule, unit.message, unit.item))
    return replace(report, baseline=BaselineComparison(baseline.file, states, tuple(fixed)))
