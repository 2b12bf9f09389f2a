"""Reports: the audit's conclusions (model.py) and one renderer per format.

A renderer turns a Report into the text (str) or the file contents (bytes, for binary formats such
as xlsx and docx) of one format; it never judges. FORMAT_SUFFIXES says which format an output file
name implies when --format is not given; FORMAT_HELP is what --format --help says of each.
"""

from __future__ import annotations

from collections.abc import Callable

from compliance_audit.report.csv import render_csv
from compliance_audit.report.github import render_github
from compliance_audit.report.gitlab import render_gitlab
from compliance_audit.report.json_report import render_json
from compliance_audit.report.junit import render_junit
from compliance_audit.report.lines import render_lines
from compliance_audit.report.markdown import render_markdown
from compliance_audit.report.model import Report
from compliance_audit.report.sarif import render_sarif
from compliance_audit.report.table import render_table

Renderer = Callable[[Report], str | bytes]

RENDERERS: dict[str, Renderer] = {
    "table": render_table,
    "json": render_json,
    "markdown": render_markdown,
    "lines": render_lines,
    "junit": render_junit,
    "sarif": render_sarif,
    "github": render_github,
    "gitlab": render_gitlab,
    "csv": render_csv,
}

FORMAT_SUFFIXES: dict[str, str] = {
    ".txt": "table",
    ".json": "json",
    ".md": "markdown",
    ".sarif": "sarif",
    ".xml": "junit",
    ".csv": "csv",
}

FORMAT_HELP: dict[str, str] = {
    "table": "终端表格（默认）",
    "json": "完整报告（合同规定的结构，可作 --baseline）",
    "markdown": "Markdown 文档",
    "lines": "每行一个问题：文件:行: 级别 规则 说明",
    "junit": "JUnit XML（CI 的测试结果）",
    "sarif": "SARIF 2.1.0（代码扫描）",
    "github": "GitHub Actions 注释",
    "gitlab": "GitLab 代码质量报告",
    "csv": "CSV 表格（每个问题一行）",
}
