"""--format docx and the batch's 整改通知: a rectification notice to one bureau, in the layout of
党政机关公文格式 (GB/T 9704-2012), built from the official-style blocks of report/docx.py: 标题,
主送机关, 正文 with 一、 and （一） headings, then 发文机关署名 and 成文日期.

The notice lists each error and warning with its legal basis, its statutory date and the fix, and
gives a reply deadline counted in working days from the audit day (as the statute counts: from the
day after, skipping rest days, counting make-up working days). Findings of severity info are only
counted.
"""

from __future__ import annotations

from compliance_audit.findings import KIND_LABELS, Finding
from compliance_audit.report import docx as official
from compliance_audit.report import views
from compliance_audit.report.model import Report
from compliance_audit.ruleset.model import cn_number
from compliance_audit.workcalendar import WorkCalendar

REPLY_WORKING_DAYS = 15
SHOWN_ITEMS = 5
_DEFAULT_ISSUER = "我单位"
_UNSIGNED = "（发文机关署名）"


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
    title = f"关于{bureau}政府信息公开问题整改的通知"
    document = official.official_document(title, report.as_of)
    official.title(document, title)
    official.recipient(document, bureau)
    checker = issuer or _DEFAULT_ISSUER
    yardsticks = "《中华人民共和国政府信息公开条例》" + (
        f"和《{report.catalogue.title}》" if report.catalogue else ""
    )
    scope = (
        f"根据{yardsticks}，{checker}对你单位截至{official.chinese_date(report.as_of)}公开的政府信息"
        f"（共{report.items}条）进行了检查，"
    )
    if not to_fix:
        official.paragraph(document, scope + "未发现需要整改的问题。请继续做好政府信息公开工作。")
    else:
        official.paragraph(document, scope + f"发现需要整改的问题{len(to_fix)}个。现将有关情况通知如下。")
        official.heading(document, "一、存在的问题")
        _findings(document, report, to_fix)
        official.heading(document, "二、整改要求")
        official.paragraph(
            document,
            f"请对照上述问题逐项整改，于{official.chinese_date(reply_by)}前将整改情况（已公开信息的标题、"
            f"发布日期和网址，或不能公开、无需公开的理由）书面报送{checker}。确有困难不能按期完成的，"
            "请书面说明理由和完成时限。",
        )
    infos = len(report.findings) - len(to_fix)
    if infos:
        official.paragraph(document, f"另有提示性问题{infos}个，详见审计报告，请一并核对。")
    if any(finding.provisional for finding in to_fix):
        official.paragraph(
            document,
            "标注“暂定”的问题按仅周末休息计算工作日（日历不含当年的放假安排），请结合当年的放假通知核对。",
        )
    official.signature(document, issuer or _UNSIGNED, report.as_of)
    return official.to_bytes(document)


def _findings(document: object, report: Report, findings: list[Finding]) -> None:
    number = 0
    for position, (kind, label) in enumerate(
        (kind, label) for kind, label in KIND_LABELS.items() if any(f.kind == kind for f in findings)
    ):
        group = [finding for finding in findings if finding.kind == kind]
        official.heading(document, f"（{cn_number(position + 1)}）{label}（{len(group)}个）", level=2)
        for finding in group:
            number += 1
            official.paragraph(document, f"{number}．{_finding_text(report, finding)}")


def _finding_text(report: Report, finding: Finding) -> str:
    severity = views.severity_text(report, finding)
    parts = [f"【{severity}】{_sentence(finding.message)}"]
    subject = _subject(finding)
    if subject:
        parts.append(f"涉及：{subject}。")
    refs = views.refs_text(report, finding)
    if refs:
        parts.append(f"依据：{refs}。")
    if finding.due:
        parts.append(f"期限：{official.chinese_date(finding.due)}。")
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
