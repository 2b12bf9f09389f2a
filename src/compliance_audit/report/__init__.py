"""Reports: the audit's conclusions (model.py) and one renderer per format.

A renderer turns a Report into the text (str) or the file contents (bytes, for binary formats such
as xlsx and docx) of one format, or, for a format whose output can be large (json), into pieces
of its UTF-8 text written one after another; it never judges. FORMAT_SUFFIXES says which format an output file
name implies when --format is not given; FORMAT_HELP is what --format --help says of each;
renderer(name) is the renderer of a format.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from compliance_audit.report.model import Report

Renderer = Callable[["Report"], str | bytes | Iterator[bytes]]

# A format's module is imported when that format is asked for: the modules of some formats bring
# jinja2, openpyxl or python-docx, each heavier than a whole small audit.
_RENDERERS: dict[str, str] = {
    "table": "compliance_audit.report.table:render_table",
    "json": "compliance_audit.report.json_report:json_chunks",
    "markdown": "compliance_audit.report.markdown:render_markdown",
    "lines": "compliance_audit.report.lines:render_lines",
    "junit": "compliance_audit.report.junit:render_junit",
    "sarif": "compliance_audit.report.sarif:render_sarif",
    "github": "compliance_audit.report.github:render_github",
    "gitlab": "compliance_audit.report.gitlab:render_gitlab",
    "csv": "compliance_audit.report.csv:render_csv",
    "html": "compliance_audit.report.html:render_html",
    "xlsx": "compliance_audit.report.xlsx:render_xlsx",
    "docx": "compliance_audit.report.notice:render_notice",  # a 整改通知 to the bureau
}

FORMATS = tuple(_RENDERERS)


def renderer(name: str) -> Renderer:
    module, function = _RENDERERS[name].split(":")
    render: Renderer = getattr(import_module(module), function)
    return render


FORMAT_SUFFIXES: dict[str, str] = {
    ".txt": "table",
    ".json": "json",
    ".md": "markdown",
    ".sarif": "sarif",
    ".xml": "junit",
    ".csv": "csv",
    ".html": "html",
    ".xlsx": "xlsx",
    ".docx": "docx",
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
    "html": "自成一体的网页报告（离线可看，表格可排序筛选）",
    "xlsx": "Excel 工作簿（排名、问题、要求矩阵）",
    "docx": "给本机关的整改通知（公文格式 .docx）",
}
