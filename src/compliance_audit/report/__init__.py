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


# jinja2, openpyxl and python-docx are imported only when their format is asked for
def render_html(report: Report) -> str:
    from compliance_audit.report.html import render_html

    return render_html(report)


def render_xlsx(report: Report) -> bytes:
    from compliance_audit.report.xlsx import render_xlsx

    return render_xlsx(report)


def render_notice(report: Report) -> bytes:
    from compliance_audit.report.notice import render_notice

    return render_notice(report)


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
    "html": render_html,
    "xlsx": render_xlsx,
    "docx": render_notice,  # a 整改通知 to the bureau
}

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
