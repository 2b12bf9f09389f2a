"""--format junit: JUnit XML, as CI systems show test results.

One testsuite per rule; one testcase per item a finding is about (a grouped finding gives one per
item) or, for a rule with nothing to show item by item, one for the requirement or check itself.
A finding that fails the run (--fail-on, and new against --baseline unless --fail-on-existing) is
a <failure>; a finding below that is a passing testcase whose output says what was found, so the
test results agree with the exit code. Requirements and checks that are waived, not applicable or
not evaluated are skipped, with the reason; so is each waived finding.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections import defaultdict

from compliance_audit.findings import SEVERITY_LABELS, STATE_LABELS
from compliance_audit.report.locations import Entry, entries, item_label
from compliance_audit.report.model import BASELINE_LABELS, Report

# characters XML 1.0 cannot carry at all (portal text may hold them)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SKIPPED_STATES = ("waived", "not-applicable", "not-evaluated")


def render_junit(report: Report) -> str:
    by_rule: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries(report):
        by_rule[entry.finding.rule].append(entry)
    results = [(r.rule, r.title, r.status, r.reason) for r in report.requirements]
    results += [(c.rule, c.title, c.status, c.reason) for c in report.checks]
    waived: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for record in report.waived:
        waiver = report.waivers[record.waiver].waiver
        label = item_label(record.finding.item) or record.finding.subject or record.finding.message
        waived[record.finding.rule].append((label, f"已豁免：{waiver.reason}（批准：{waiver.approved_by}）"))
    root = ElementTree.Element("testsuites", name="compliance-audit")
    totals = [0, 0, 0]
    for rule, title, status, reason in results:
        suite = ElementTree.SubElement(root, "testsuite", name=rule)
        properties = ElementTree.SubElement(suite, "properties")
        _property(properties, "title", title)
        _property(properties, "status", STATE_LABELS[status])
        rule_data = report.rules.get(rule)
        if rule_data is not None:
            _property(properties, "refs", "；".join(ref.label(report.sources) for ref in rule_data.refs))
        counts = [0, 0, 0]  # tests, failures, skipped
        for entry in by_rule.get(rule, []):
            _finding_case(suite, report, entry, counts)
        for label, note in waived.get(rule, []):
            case = _case(suite, rule, label, report.source, None)
            ElementTree.SubElement(case, "skipped", message=_clean(note))
            counts[0] += 1
            counts[2] += 1
        if not by_rule.get(rule) and not waived.get(rule):
            case = _case(suite, rule, title, report.source, None)
            counts[0] += 1
            if status in _SKIPPED_STATES:
                ElementTree.SubElement(case, "skipped", message=_clean(f"{STATE_LABELS[status]}：{reason}"))
                counts[2] += 1
        _counts(suite, counts)
        totals = [total + count for total, count in zip(totals, counts, strict=True)]
    _counts(root, totals)
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"


def _finding_case(suite: ElementTree.Element, report: Report, entry: Entry, counts: list[int]) -> None:
    finding = entry.finding
    rule = report.rules.get(finding.rule)
    name = item_label(entry.item) or finding.subject or (rule.title if rule is not None else finding.message)
    case = _case(suite, finding.rule, name, entry.file, entry.row)
    severity = SEVERITY_LABELS[finding.severity] + ("（暂定）" if finding.provisional else "")
    details = [
        f"{severity}：{entry.message}",
        f"依据：{'；'.join(ref.label(report.sources) for ref in finding.refs)}",
    ]
    if finding.due:
        details.append(f"期限：{finding.due.isoformat()}")
    if finding.fix:
        details.append(f"整改建议：{finding.fix}")
    details.append(f"指纹：{entry.fingerprint}")
    state = report.baseline_state(finding)
    if state is not None:
        details.append(f"基线：{BASELINE_LABELS[state]}")
    counts[0] += 1
    if report.blocks(finding):
        failure = ElementTree.SubElement(
            case, "failure", message=_clean(entry.message), type=finding.severity
        )
        failure.text = _clean("\n".join(details))
        counts[1] += 1
    else:
        output = ElementTree.SubElement(case, "system-out")
        output.text = _clean("\n".join(details))


def _case(
    suite: ElementTree.Element, rule: str, name: str, file: str, row: int | None
) -> ElementTree.Element:
    attributes = {"classname": rule, "name": _clean(name), "time": "0"}
    if file:
        attributes["file"] = _clean(file)
    if row is not None:
        attributes["line"] = str(row)
    return ElementTree.SubElement(suite, "testcase", attributes)


def _property(properties: ElementTree.Element, name: str, value: str) -> None:
    ElementTree.SubElement(properties, "property", name=name, value=_clean(value))


def _counts(element: ElementTree.Element, counts: list[int]) -> None:
    tests, failures, skipped = counts
    element.set("tests", str(tests))
    element.set("failures", str(failures))
    element.set("errors", "0")
    element.set("skipped", str(skipped))
    element.set("time", "0")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
