"""--format json: the report as the contract lays it out (schemas/report.schema.json)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict
from typing import Any, NamedTuple

import orjson

from compliance_audit.findings import CheckResult, ElementResult, Finding, ItemRef, RequirementResult, Verdict
from compliance_audit.report.model import Report, RulesetStamp, WaiverOutcome

SCHEMA_VERSION = 1


class _Listed(NamedTuple):
    """A top-level list of the report, its entries made one at a time when written."""

    values: Sequence[Any]
    entry: Callable[[Any], Any]


def _sections(report: Report) -> Iterator[tuple[str, Any]]:
    bureau = report.bureau
    yield "schema_version", SCHEMA_VERSION
    yield "tool", {"name": "compliance-audit", "version": report.tool_version}
    yield "as_of", report.as_of.isoformat()
    yield (
        "bureau",
        {
            "name": bureau.name,
            "level": bureau.level,
            "region": bureau.region,
            "sector": bureau.sector,
            "profile": report.profile,
            "profile_source": report.profile_source,
            "functions": list(report.functions),
        },
    )
    yield "inventory", {"file": report.inventory, "items": report.items}
    yield (
        "rulesets",
        _Listed(report.rulesets, lambda s: {"id": s.id, "version": s.version, "sha256": s.sha256}),
    )
    yield (
        "catalogue",
        (
            {
                "id": report.catalogue.id,
                "title": report.catalogue.title,
                "extends": list(report.catalogue.chain[1:]),
                "coverage": report.catalogue.coverage,
            }
            if report.catalogue
            else None
        ),
    )
    yield (
        "calendar",
        {
            "source": report.calendar.source,
            "covers": list(report.calendar.covers),
            "fallback_years": list(report.calendar.fallback_years),
        },
    )
    yield "summary", asdict(report.summary)
    yield "requirements", _Listed(report.requirements, _requirement)
    yield "checks", _Listed(report.checks, _check)
    yield "verdicts", _Listed(report.verdicts, _verdict)
    yield "findings", _Listed(report.findings, lambda f: _finding(f, report.baseline_state(f)))
    yield "notices", _Listed(report.notices, str)
    yield "waivers", _Listed(report.waivers, _waiver)
    yield "waived", _Listed(report.waived, lambda w: {"waiver": w.waiver, "finding": _finding(w.finding)})
    if report.baseline is not None:
        yield (
            "baseline",
            {
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
            },
        )
    if report.drafts:
        yield "drafts", _Listed(report.drafts, asdict)


def report_data(report: Report) -> dict[str, Any]:
    return {
        key: [value.entry(each) for each in value.values] if isinstance(value, _Listed) else value
        for key, value in _sections(report)
    }


_CHUNK_BYTES = 1 << 20


def json_chunks(report: Report) -> Iterator[bytes]:
    """The report as JSON, a piece at a time (a large audit's report is a hundred megabytes): one
    top-level key per line and one list entry per line, each entry compact; readable, diffable,
    encoded by orjson, the same bytes on every run."""
    pending: list[bytes] = [b"{\n"]
    size = 0
    for position, (key, value) in enumerate(_sections(report)):
        pending.append((b",\n  " if position else b"  ") + orjson.dumps(key) + b": ")
        if not isinstance(value, _Listed):
            pending.append(orjson.dumps(value))
        elif not value.values:
            pending.append(b"[]")
        else:
            pending.append(b"[\n    ")
            for index, each in enumerate(value.values):
                encoded = orjson.dumps(value.entry(each))
                pending.append(b",\n    " + encoded if index else encoded)
                size += len(encoded)
                if size >= _CHUNK_BYTES:
                    yield b"".join(pending)
                    pending, size = [], 0
            pending.append(b"\n  ]")
    pending.append(b"\n}\n")
    yield b"".join(pending)


def render_json(report: Report) -> str:
    """The report as JSON text (json_chunks joined)."""
    return b"".join(json_chunks(report)).decode("utf-8")


def _ruleset(ruleset: RulesetStamp) -> dict[str, Any]:
    return {"id": ruleset.id, "version": ruleset.version, "sha256": ruleset.sha256}


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
