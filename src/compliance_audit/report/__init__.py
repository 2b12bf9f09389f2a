"""Reports: the audit's conclusions (model.py) and one renderer per format."""

from __future__ import annotations

from collections.abc import Callable

from compliance_audit.report.json_report import render_json
from compliance_audit.report.markdown import render_markdown
from compliance_audit.report.model import Report
from compliance_audit.report.table import render_table

RENDERERS: dict[str, Callable[[Report], str]] = {
    "table": render_table,
    "json": render_json,
    "markdown": render_markdown,
}
