"""--format docx and the batch's 整改通知: a rectification notice to one bureau, in the layout of
党政机关公文格式 (GB/T 9704-2012): 标题 in 2号小标宋 centred, 主送机关, 正文 in 3号仿宋 with
two-character first-line indents and fixed 28-point lines, 一、 headings in 黑体 and （一） in 楷体,
then 发文机关署名 and 成文日期 (Arabic numerals) at the right.

The notice lists each error and warning with its legal basis, its statutory date and the fix, and
gives a reply deadline counted in working days from the audit day (as the statute counts: from the
day after, skipping rest days, counting make-up working days). Findings of severity info are only
counted. Self-contained on purpose: the paragraph and font helpers are the ones a shared official
.docx module would hold.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from compliance_audit.findings import KIND_LABELS, Finding
from compliance_audit.report import views
from compliance_audit.report.model import Report
from compliance_audit.ruleset.model import cn_number
from compliance_audit.workcalendar import WorkCalendar

REPLY_WORKING_DAYS = 15
SHOWN_ITEMS = 5

TITLE_FONT, BODY_FONT, HEADING_FONT, SUBHEADING_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"
TITLE_SIZE, BODY_SIZE = Pt(22), Pt(16)  # 2号, 3号
LINE = Pt(28)
_DEFAULT_ISSUER = "我单位"


def render_notice(
    report: Report,
    issuer: str = "",
    reply_days: int = REPLY_WORKING_DAYS,
    calendar: WorkCalendar | None = None,
) -> bytes:
    calendar = calendar or WorkCalendar.bundled()
    reply_by = calendar.add_working_days(report.as_of, reply_days)
    bureau = report.bureau.name
    to_fix = [finding for finding in report.findings if finding.severity != "info"]
    document = _document(report.as_of, f"关于{bureau}政府信息公开问题整改的通知")
    _title(document, f"关于{bureau}政府信息公开问题整改的通知")
    _paragraph(document, f"{bureau}：", indent=False)
    checker = issuer or _DEFAULT_ISSUER
    yardsticks = "《中华人民共和国政府信息公开条例》" + (
        f"和《{report.catalogue.title}》" if report.catalogue else ""
    )
    if not to_fix:
        _paragraph(
            document,
            f"根据{yardsticks}，{checker}对你单位截至{_day(report.as_of)}公开的政府信息（共{report.items}条）"
            "进行了检查，未发现需要整改的问题。请继续做好政府信息公开工作。",
        )
    else:
        _paragraph(
            document,
            f"根据{yardsticks}，{checker}对你单位截至{_day(report.as_of)}公开的政府信息（共{report.items}条）"
            f"进行了检查，发现需要整改的问题{len(to_fix)}个。现将有关情况通知如下。",
        )
        _heading(document, "一、存在的问题")
        _findings(document, report, to_fix)
        _heading(document, "二、整改要求")
        _paragraph(
            document,
            f"请对照上述问题逐项整改，于{_day(reply_by)}前将整改情况（已公开信息的标题、发布日期和网址，"
            f"或不能公开、无需公开的理由）书面报送{checker}。确有困难不能按期完成的，请书面说明理由和完成时限。",
        )
    infos = len(report.findings) - len(to_fix)
    if infos:
        _paragraph(document, f"另有提示性问题{infos}个，详见审计报告，请一并核对。")
    if any(finding.provisional for finding in to_fix):
        _paragraph(
            document,
            "标注“暂定”的问题按仅周末休息计算工作日（日历不含当年的放假安排），请结合当年的放假通知核对。",
        )
    _signature(document, issuer, report.as_of)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _findings(document: DocxDocument, report: Report, findings: list[Finding]) -> None:
    number = 0
    for position, (kind, label) in enumerate(
        (kind, label) for kind, label in KIND_LABELS.items() if any(f.kind == kind for f in findings)
    ):
        group = [finding for finding in findings if finding.kind == kind]
        _heading(document, f"（{cn_number(position + 1)}）{label}（{len(group)}个）", font=SUBHEADING_FONT)
        for finding in group:
            number += 1
            _paragraph(document, f"{number}．{_finding_text(report, finding)}")


def _finding_text(report: Report, finding: Finding) -> str:
    severity = views.severity_text(finding)
    parts = [f"【{severity}】{_sentence(finding.message)}"]
    subject = _subject(finding)
    if subject:
        parts.append(f"涉及：{subject}。")
    refs = views.refs_text(report, finding)
    if refs:
        parts.append(f"依据：{refs}。")
    if finding.due:
        parts.append(f"期限：{_day(finding.due)}。")
    if finding.fix:
        parts.append(f"整改：{_sentence(finding.fix)}")
    return "".join(parts)


def _subject(finding: Finding) -> str:
    items = finding.items or ((finding.item,) if finding.item else ())
    if not items:
        return finding.subject
    shown = "；".join(
        f"“{item.title}”" + (f"（{item.index_no}）" if item.index_no else "") for item in items[:SHOWN_ITEMS]
    )
    return shown + (f"等{len(items)}条" if len(items) > SHOWN_ITEMS else "")


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith(("。", "！", "？", "；")) else text + "。"


def _day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _document(as_of: date, title: str) -> DocxDocument:
    document = Document()
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    style = document.styles["Normal"]
    _font(style.font, BODY_FONT, BODY_SIZE)
    properties = document.core_properties
    properties.title = title
    properties.author = properties.last_modified_by = "compliance-audit"
    properties.created = properties.modified = datetime.combine(as_of, time())  # reproducible
    return document


def _font(font: object, name: str, size: Pt, bold: bool = False) -> None:
    font.name = name  # type: ignore[attr-defined]
    font.size = size  # type: ignore[attr-defined]
    font.bold = bold  # type: ignore[attr-defined]
    element = font.element  # type: ignore[attr-defined]
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:ascii"), "Times New Roman" if name == BODY_FONT else name)
    fonts.set(qn("w:hAnsi"), "Times New Roman" if name == BODY_FONT else name)


def _layout(paragraph: object, *, align: WD_ALIGN_PARAGRAPH, indent: bool) -> None:
    fmt = paragraph.paragraph_format  # type: ignore[attr-defined]
    fmt.alignment = align
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.first_line_indent = BODY_SIZE * 2 if indent else Pt(0)


def _paragraph(
    document: DocxDocument,
    text: str,
    *,
    indent: bool = True,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY,
) -> None:
    paragraph = document.add_paragraph()
    _layout(paragraph, align=align, indent=indent)
    _font(paragraph.add_run(text).font, BODY_FONT, BODY_SIZE)


def _heading(document: DocxDocument, text: str, font: str = HEADING_FONT) -> None:
    paragraph = document.add_paragraph()
    _layout(paragraph, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)
    _font(paragraph.add_run(text).font, font, BODY_SIZE)


def _title(document: DocxDocument, text: str) -> None:
    paragraph = document.add_paragraph()
    _layout(paragraph, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    paragraph.paragraph_format.line_spacing = Pt(35)
    paragraph.paragraph_format.space_after = LINE  # a blank line between 标题 and 主送机关
    _font(paragraph.add_run(text).font, TITLE_FONT, TITLE_SIZE)


def _signature(document: DocxDocument, issuer: str, day: date) -> None:
    """署名 and 成文日期 at the right, four characters in from the margin as a seal needs, after two
    blank lines."""
    for text in ("", "", issuer or "（发文机关署名）", _day(day)):
        paragraph = document.add_paragraph()
        _layout(paragraph, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
        paragraph.paragraph_format.right_indent = BODY_SIZE * 4
        if text:
            _font(paragraph.add_run(text).font, BODY_FONT, BODY_SIZE)
