"""The self-assessment (annual/selfassess.py) as .docx (official register, report/docx.py), Markdown
and HTML (Jinja2 templates under report/templates/, autoescaped: the findings quote portal text)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, Template, select_autoescape
from markupsafe import Markup, escape

from compliance_audit.annual.selfassess import ProblemGroup, SelfAssessment
from compliance_audit.errors import InputError
from compliance_audit.report import docx as official

PLAN_HEADERS = ("序号", "问题", "整改措施", "责任单位（人）", "完成时限")
DRAFT_HEADERS = ("项目", "信息内容", "栏目", "草稿数", "依据")
SUFFIXES = {".docx": "docx", ".md": "markdown", ".html": "html", ".htm": "html"}


def renderer_for(path: Path) -> str:
    name = SUFFIXES.get(path.suffix.lower())
    if name is None:
        raise InputError(
            f"不支持的自查报告格式“{path.suffix or '（无扩展名）'}”",
            file=path,
            expected=".docx、.md 或 .html",
        )
    return name


def render_docx(assessment: SelfAssessment) -> bytes:
    document = official.official_document()
    official.title(document, assessment.title)
    official.recipient(document, assessment.recipient)
    official.paragraph(document, assessment.opening)
    scope, overall, problems, report, plan, draft = assessment.sections
    official.heading(document, scope)
    official.heading(document, "（一）自查范围", 2)
    for text in assessment.scope:
        official.paragraph(document, text)
    official.heading(document, "（二）自查方法", 2)
    for text in assessment.method:
        official.paragraph(document, text)
    official.heading(document, overall)
    for text in assessment.overall:
        official.paragraph(document, text)
    official.heading(document, problems)
    _problems(document, assessment.groups, "本次自查未发现问题。")
    official.heading(document, report)
    for text in assessment.report_check:
        official.paragraph(document, text)
    _problems(document, assessment.report_groups, "")
    official.heading(document, plan)
    official.paragraph(document, assessment.plan_intro)
    if assessment.plan:
        rows = [
            (str(row.number), row.item, row.measure, row.responsible, row.deadline) for row in assessment.plan
        ]
        official.table(document, PLAN_HEADERS, rows, (12, 45, 55, 25, 20))
    official.heading(document, draft)
    official.paragraph(document, assessment.draft_intro)
    rows = [(cell.block, cell.row, cell.column, cell.value, cell.basis) for cell in assessment.draft]
    official.table(document, DRAFT_HEADERS, rows, (24, 26, 28, 16, 62))
    official.signature(document, assessment.organ, assessment.day)
    return official.to_bytes(document)


def render_markdown(assessment: SelfAssessment) -> str:
    return _template("selfassess.md.j2").render(
        a=assessment, plan_headers=PLAN_HEADERS, draft_headers=DRAFT_HEADERS
    )


def render_html(assessment: SelfAssessment) -> str:
    return _template("selfassess.html.j2").render(
        a=assessment, plan_headers=PLAN_HEADERS, draft_headers=DRAFT_HEADERS
    )


RENDERERS: dict[str, Callable[[SelfAssessment], str | bytes]] = {
    "docx": render_docx,
    "markdown": render_markdown,
    "html": render_html,
}


def _problems(document: Any, groups: tuple[ProblemGroup, ...], none: str) -> None:
    if not groups and none:
        official.paragraph(document, none)
    for group in groups:
        official.heading(document, group.heading, 2)
        for problem in group.problems:
            official.paragraph(
                document,
                f"{problem.where}：{problem.message}（{problem.severity}）。依据：{problem.basis}。"
                f"整改建议：{problem.fix}",
                lead=f"{problem.number}. ",
            )


def markdown_text(value: object) -> Markup:
    """Portal text in Markdown: HTML-escaped, and kept from being read as Markdown markup or from
    breaking a table row."""
    text = str(escape(str(value))).replace("\\", "\\\\").replace("|", "\\|")
    for char in "*_`[]#":
        text = text.replace(char, "\\" + char)
    return Markup(" ".join(text.split()))


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("compliance_audit.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["md"] = markdown_text
    return environment


def _template(name: str) -> Template:
    return _environment().get_template(name)
