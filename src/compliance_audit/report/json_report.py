"""--format json: the report as the contract lays it out (schemas/report.schema.json)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import orjson

from compliance_audit.findings import CheckResult, ElementResult, Finding, ItemRef, RequirementResult, Verdict
from compliance_audit.report.model import Report, WaiverOutcome

SCHEMA_VERSION = 1


def report_data(report: Report) -> dict[str, Any]:
    bureau = report.bureau
    data: dict[str, Any] = {
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
        "findings": [_finding(f, report.baseline_state(f)) for f in report.findings],
        "notices": list(report.notices),
        "waivers": [_waiver(outcome) for outcome in report.waivers],
        "waived": [{"waiver": w.waiver, "finding": _finding(w.finding)} for w in report.waived],
    }
    if report.baseline is not None:
        data["baseline"] = {
            "file": report.baseline.file,
            "new": sum(1 for f in report.findings if report.baseline_state(f) == "new"),
            "open": sum(1 for f in report.findings if report.baseline_state(f) == "open"),
            "fixed": [
                {
                    "fingerprint": f.fingerprint,
                    "rule": f.rule,
                    "message": f.message,
                    "item": _item(f.item) if f.item else None,
                }
                for f in report.baseline.fixed
            ],
        }
    if report.drafts:
        data["drafts"] = [asdict(draft) for draft in report.drafts]
    return data


def render_json(report: Report) -> str:
    """One top-level key per line and one list entry per line, each entry compact: readable,
    diffable, and encoded by orjson (a large audit's report is tens of thousands of findings)."""
    parts = []
    for key, value in report_data(report).items():
        if isinstance(value, list) and value:
            text = b"[\n    " + b",\n    ".join(orjson.dumps(entry) for entry in value) + b"\n  ]"
        else:
            text = orjson.dumps(value)
        parts.append(b"  " + orjson.dumps(key) + b": " + text)
    return (b"{\n" + b",\n".join(parts) + b"\n}\n").decode("utf-8")


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


def _waiver(outcome: WaiverOutcome) -> dict[str, Any]:
    waiver = outcome.waiver
    return {
        "rule": waiver.rule,
        "item": waiver.item or None,
        "fingerprint": waiver.fingerprint or None,
        "reason": waiver.reason,
        "approved_by": waiver.approved_by,
        "doc_no": waiver.doc_no or None,
        "expires": waiver.expires.isoformat() if waiver.expires else None,
        "line": waiver.line,
        "state": outcome.state,
        "matched": outcome.matched,
        "note": outcome.note or None,
    }


def _finding(finding: Finding, baseline: str | None = None) -> dict[str, Any]:
    item = finding.item
    data = {
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
    if baseline is not None:
        data["baseline"] = baseline
    return data


def _item(item: ItemRef) -> dict[str, Any]:
    data: dict[str, Any] = {"index_no": item.index_no, "title": item.title, "url": item.url, "row": item.row}
    if item.file:
        data["file"] = item.file
    return data
