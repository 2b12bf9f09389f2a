"""--format sarif: SARIF 2.1.0, for code scanning (GitHub) and other SARIF viewers.

Each rule the report covers is a reportingDescriptor with its title, rationale, help text (legal
basis and fix) and its legal references as properties; each finding and item is a result placed
on the inventory file (and its row, for text formats), with its fingerprint in
partialFingerprints and, with --baseline, its baselineState. Waived findings are results with an
external, accepted suppression carrying the waiver's reason and approver. Nothing in the log
depends on the time of the run.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from compliance_audit.findings import KIND_LABELS, Finding
from compliance_audit.report.locations import Entry, entries, item_label
from compliance_audit.report.model import Report
from compliance_audit.ruleset.model import Rule

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "complianceAudit/v1"
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
_BASELINE = {"new": "new", "open": "unchanged"}


def render_sarif(report: Report) -> str:
    rule_ids = list(
        dict.fromkeys(
            [r.rule for r in report.requirements]
            + [c.rule for c in report.checks]
            + [f.rule for f in report.findings]
        )
    )
    index = {rule_id: position for position, rule_id in enumerate(rule_ids)}
    artifacts: dict[str, int] = {}
    results = [_result(report, entry, index, artifacts) for entry in entries(report)]
    for record in report.waived:
        waiver = report.waivers[record.waiver].waiver
        justification = f"{waiver.reason}（批准：{waiver.approved_by}"
        justification += f"；文件：{waiver.doc_no}" if waiver.doc_no else ""
        justification += f"；有效至 {waiver.expires.isoformat()}）" if waiver.expires else "）"
        for entry in _entries_of(report, record.finding):
            result = _result(report, entry, index, artifacts)
            result["suppressions"] = [
                {"kind": "external", "status": "accepted", "justification": justification}
            ]
            results.append(result)
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "compliance-audit",
                "version": report.tool_version,
                "semanticVersion": report.tool_version,
                "language": "zh-CN",
                "rules": [_descriptor(report, rule_id) for rule_id in rule_ids],
            }
        },
        "language": "zh-CN",
        "artifacts": [{"location": {"uri": _uri(path)}} for path in artifacts],
        "results": results,
        "properties": {
            "asOf": report.as_of.isoformat(),
            "bureau": report.bureau.name,
            "summary": asdict(report.summary),
            "notices": list(report.notices),
        },
    }
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def _entries_of(report: Report, finding: Finding) -> list[Entry]:
    item = finding.item
    file = (item.file if item else "") or report.source
    return [Entry(finding, finding.fingerprint, item, file, item.row if item else None, 0)]


def _result(report: Report, entry: Entry, index: dict[str, int], artifacts: dict[str, int]) -> dict[str, Any]:
    finding = entry.finding
    location: dict[str, Any] = {}
    if entry.file:
        artifact = artifacts.setdefault(entry.file, len(artifacts))
        physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(entry.file), "index": artifact}}
        if entry.row_is_line:
            physical["region"] = {"startLine": entry.row}
        location["physicalLocation"] = physical
    label = item_label(entry.item) or finding.subject
    if label or entry.row is not None:
        where = f"第{entry.row}行 " if entry.row is not None else ""
        location["logicalLocations"] = [{"name": f"{where}{label}".strip()}]
    properties: dict[str, Any] = {
        "kind": finding.kind,
        "kindLabel": KIND_LABELS[finding.kind],
        "provisional": finding.provisional,
        "fix": finding.fix,
    }
    if finding.due:
        properties["due"] = finding.due.isoformat()
    if entry.row is not None:
        properties["row"] = entry.row
    if entry.group:
        properties["groupFingerprint"] = finding.fingerprint
        properties["groupSize"] = entry.group
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": index[finding.rule],
        "level": _LEVELS[finding.severity],
        "message": {"text": f"{label}：{entry.message}" if label else entry.message},
        "locations": [location] if location else [],
        "partialFingerprints": {FINGERPRINT_KEY: entry.fingerprint},
        "properties": properties,
    }
    state = report.baseline_state(finding)
    if state is not None:
        result["baselineState"] = _BASELINE[state]
    return result


def _descriptor(report: Report, rule_id: str) -> dict[str, Any]:
    rule: Rule | None = report.rules.get(rule_id)
    if rule is None:
        return {"id": rule_id}
    refs = [{**ref.as_json(), "label": ref.label(report.sources)} for ref in rule.refs]
    basis = "；".join(ref["label"] for ref in refs)
    help_text = f"依据：{basis}\n整改建议：{rule.fix}\n理由：{rule.rationale}"
    help_markdown = f"**依据**：{basis}\n\n**整改建议**：{rule.fix}\n\n**理由**：{rule.rationale}"
    return {
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.rationale or rule.title},
        "help": {"text": help_text, "markdown": help_markdown},
        "defaultConfiguration": {"level": _LEVELS[rule.severity]},
        "properties": {
            "tags": ["compliance", rule.ruleset],
            "legalReferences": refs,
            "confidence": rule.confidence,
            "check": rule.check,
        },
    }


def _uri(path: str) -> str:
    """A relative path as a relative URI reference (percent-encoded: 清单.yaml is a valid file
    name, not a valid URI); an absolute path as a file URI."""
    pure = PurePath(path)
    if pure.is_absolute():
        return "file://" + quote(pure.as_posix(), safe="/")
    return quote(pure.as_posix(), safe="/")
