"""--format github: GitHub Actions workflow commands, one annotation per finding and item.

`::error file=清单.csv,line=27,title=ogi-26-timeliness::message`. Severity maps to error,
warning and notice; a finding already in the --baseline report (and not failing the run) is a
notice, so that a pull request shows its new problems as errors. Values are escaped as the runner
expects (% CR LF in messages, and : , too in properties)."""

from __future__ import annotations

from compliance_audit.report.locations import entries, item_label
from compliance_audit.report.model import Report

_LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def render_github(report: Report) -> str:
    out = []
    for entry in entries(report):
        finding = entry.finding
        level = _LEVELS[finding.severity]
        title = finding.rule
        if report.baseline_state(finding) == "open" and not report.blocks(finding):
            level, title = "notice", f"{finding.rule}（基线中已有）"
        properties = [f"file={_property(entry.file)}"] if entry.file else []
        if entry.row_is_line:  # an xlsx row or a JSON item's position is no line of the file
            properties.append(f"line={entry.row}")
        properties.append(f"title={_property(title)}")
        label = item_label(entry.item)
        text = f"{label}：{entry.message}" if label else entry.message
        text += f"\n依据：{'；'.join(ref.label(report.sources) for ref in finding.refs)}"
        if finding.fix:
            text += f"\n整改建议：{finding.fix}"
        text += f"\n指纹：{entry.fingerprint}"
        out.append(f"::{level} {','.join(properties)}::{_data(text)}")
    return "".join(f"{line}\n" for line in out)


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
