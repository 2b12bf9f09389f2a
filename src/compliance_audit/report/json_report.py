"""--format json: the report as the contract lays it out (schemas/report.schema.json)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from compliance_audit.findings import CheckResult, ElementResult, Finding, ItemRef, RequirementResult, Verdict
from compliance_audit.report.model import Report

SCHEMA_VERSION = 1


def report_data(report: Report) -> dict[str, Any]:
    bureau = report.bureau
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "compliance-audit", "version": report.tool_version},
        "as_of": report.as_of.isoformat(),
        "bureau": {
            "name": bureau.name,
            "level": bureau.level,
            "region": bureau.region,
            "sector": bureau.sector,
            "profile": report.profile,
            "profile_source": report.profile_source,
            "functions": list(report.functions),
        },
        "inventory": {"file": report.inventory, "items": report.items},
        "rulesets": [{"id": s.id, "version": s.version, "sha256": s.sha256} for s in report.rulesets],
        "catalogue": (
            {
                "id": report.catalogue.id,
                "title": report.catalogue.title,
                "extends": list(report.catalogue.chain[1:]),
                "coverage": report.catalogue.coverage,
            }
            if report.catalogue
            else None
        ),
        "calendar": {
            "source": report.calendar.source,
            "covers": list(report.calendar.covers),
            "fallback_years": list(report.calendar.fallback_years),
        },
        "summary": asdict(report.summary),
        "requirements": [_requirement(r) for r in report.requirements],
        "checks": [_check(c) for c in report.checks],
        "verdicts": [_verdict(v) for v in report.verdicts],
        "findings": [_finding(f) for f in report.findings],
        "notices": list(report.notices),
    }


def render_json(report: Report) -> str:
    """One top-level key per line and one list entry per line: readable, diffable, and written by
    json's C encoder (an indented dump falls back to pure Python, which dominates large reports)."""
    parts = []
    for key, value in report_data(report).items():
        if isinstance(value, list) and value:
            entries = ",\n    ".join(_compact(entry) for entry in value)
            text = f"[\n    {entries}\n  ]"
        else:
            text = _compact(value)
        parts.append(f"  {_compact(key)}: {text}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _requirement(result: RequirementResult) -> dict[str, Any]:
    data: dict[str, Any] = {
        "rule": result.rule,
        "title": result.title,
        "status": result.status,
        "reason": result.reason,
        "items": list(result.items),
    }
    if result.elements is not None:
        data["elements"] = [_element(element) for element in result.elements]
    return data


def _element(element: ElementResult) -> dict[str, Any]:
    data: dict[str, Any] = {"name": element.name, "status": element.status, "items": list(element.items)}
    if element.reason:
        data["reason"] = element.reason
    return data


def _check(result: CheckResult) -> dict[str, Any]:
    return {
        "rule": result.rule,
        "title": result.title,
        "status": result.status,
        "evaluated": result.evaluated,
        "not_evaluated": result.not_evaluated,
        "reason": result.reason,
    }


def _verdict(verdict: Verdict) -> dict[str, Any]:
    return {
        "rule": verdict.rule,
        "title": verdict.title,
        "passed": verdict.passed,
        "message": verdict.message,
        "counts": [
            {"what": what, "count": count, "threshold": limit} for what, count, limit in verdict.counts
        ],
    }


def _finding(finding: Finding) -> dict[str, Any]:
    item = finding.item
    return {
        "fingerprint": finding.fingerprint,
        "rule": finding.rule,
        "kind": finding.kind,
        "severity": finding.severity,
        "provisional": finding.provisional,
        "message": finding.message,
        "refs": [ref.as_json() for ref in finding.refs],
        "item": _item(item) if item else None,
        "items": [{**_item(each), "fingerprint": each.fingerprint} for each in finding.items],
        "element": finding.element,
        "elements": list(finding.elements),
        "subject": finding.subject or None,
        "due": finding.due.isoformat() if finding.due else None,
        "fix": finding.fix,
    }


def _item(item: ItemRef) -> dict[str, Any]:
    return {"index_no": item.index_no, "title": item.title, "url": item.url, "row": item.row}
