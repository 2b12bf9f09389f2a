"""Reports: the audit's conclusions (model.py) and one renderer per format.

A renderer turns a Report into the text (str) or the file contents (bytes, for binary formats such
as xlsx and docx) of one format; it never judges. FORMAT_SUFFIXES says which format an output file
name implies when --format is not given.
"""

from __future__ import annotations

from collections.abc import Callable

from compliance_audit.report.json_report import render_json
from compliance_audit.report.markdown import render_markdown
from compliance_audit.report.model import Report
from compliance_audit.report.table import render_table

Renderer = Callable[[Report], str | bytes]

RENDERERS: dict[str, Renderer] = {
    "table": render_table,
    "json": render_json,
    "markdown": render_markdown,
}

FORMAT_SUFFIXES: dict[str, str] = {
    ".txt": "table",
    ".json": "json",
    ".md": "markdown",
}
