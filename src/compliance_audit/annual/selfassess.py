"""The year-end self-assessment a bureau files (自查报告): what it says, section by section.

Built from the audit's report (and the annual report's check when one was given); the renderers
in report/selfassess.py only lay it out as .docx, Markdown or HTML. The wording is the register
officials write in: it states what was checked and against what, what was found with its legal
basis and fix, and leaves the 整改计划's responsible unit and deadline for the bureau to fill in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from compliance_audit.annual.draft import DraftCell, draft_table2
from compliance_audit.annual.layout import NEW_FORMAT_YEAR
from compliance_audit.findings import KIND_LABELS, SEVERITY_LABELS, STATE_LABELS, Finding
from compliance_audit.inventory.model import Inventory
from compliance_audit.report.docx import chinese_date
from compliance_audit.report.model import Report
from compliance_audit.ruleset.loader import RuleBook

DEFAULT_RECIPIENT = "本级政府信息公开工作主管部门"
CN_ORDINALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Problem:
    number: int
    where: str
    message: str
    severity: str  # 错误 / 警告 / 提示
    basis: str
    fix: str


@dataclass(frozen=True)
class ProblemGroup:
    heading: str  # （一）缺失（3个）
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class PlanRow:
    number: int
    item: str
    measure: str
    responsible: str = ""
    deadline: str = ""


@dataclass(frozen=True)
class SelfAssessment:
    title: str
    recipient: str
    opening: str
    scope: tuple[str, ...]
    method: tuple[str, ...]
    overall: tuple[str, ...]
    groups: tuple[ProblemGroup, ...]
    report_check: tuple[str, ...]
    report_groups: tuple[ProblemGroup, ...]
    plan_intro: str
    plan: tuple[PlanRow, ...]
    draft_intro: str
    draft: tuple[DraftCell, ...]
    organ: str
    day: date

    @property
    def date_text(self) -> str:
        return chinese_date(self.day)

    @property
    def sections(self) -> tuple[str, ...]:
        return (
            "一、自查范围和方法",
            "二、自查总体情况",
            "三、发现的主要问题",
            "四、年度报告检查情况",
            "五、整改计划",
            "六、附：年度报告表二草稿",
        )


def build_selfassessment(
    audit: Report,
    annual: Report | None,
    inventory: Inventory,
    book: RuleBook,
    *,
    year: int,
    recipient: str | None = None,
) -> SelfAssessment:
    bureau = audit.bureau
    summary = audit.summary
    published = inventory.table.frame["published"]
    period = ""
    if len(published):
        first, last = published.min(), published.max()
        assert isinstance(first, date) and isinstance(last, date)
        period = f"，发布日期自{chinese_date(first)}至{chinese_date(last)}"
    rulesets = "、".join(f"{stamp.id}（{stamp.version}）" for stamp in audit.rulesets)
    catalogue = (
        f"标准目录为“{audit.catalogue.title}”（{' → '.join(audit.catalogue.chain)}）"
        if audit.catalogue
        else "未使用标准目录"
    )
    scope = (
        f"本次自查以本机关政府信息公开平台已公开的信息为对象，共 {audit.items} 条"
        f"（清单 {audit.inventory}）{period}。"
        f"自查基准日为{chinese_date(audit.as_of)}，所有期限均按该日判断。",
    )
    method = (
        "对照《中华人民共和国政府信息公开条例》、政府信息公开工作年度报告格式和本领域基层政务公开标准目录，"
        "逐条核对应公开信息是否公开、是否及时更新、是否按期公开，目录信息是否完整，是否泄露个人信息。",
        f"使用的规则包为 {rulesets}；{catalogue}；工作日按 {audit.calendar.source} 计算"
        f"（覆盖 {audit.calendar.covers[0]}—{audit.calendar.covers[1]} 年）。"
        "检查由 compliance-audit 辅助完成，结果须经人工复核。",
        *((f"说明：{audit.catalogue.coverage}。",) if audit.catalogue and audit.catalogue.coverage else ()),
    )
    overall = (
        f"本次自查共评估公开要求 {summary.requirements} 项，已满足 {summary.satisfied} 项"
        + (f"、部分满足 {summary.partial} 项" if summary.partial else "")
        + f"，得分 {summary.score:.1f}；发现问题 {summary.findings} 个，其中错误 {summary.errors} 个、"
        f"警告 {summary.warnings} 个、提示 {summary.infos} 个。另有不适用 {summary.not_applicable} 项、"
        f"因清单缺少相关信息未能评估 {summary.not_evaluated} 项、已豁免 {summary.waived} 项。",
    )
    groups = _groups(audit, audit.findings)
    report_check, report_groups = _report_check(annual)
    plan = _plan(audit, annual)
    draft_year = "" if year >= NEW_FORMAT_YEAR else "（2019、2020年度为试行格式，草稿仍按2021年格式列出）"
    return SelfAssessment(
        title=f"{bureau.name}关于{year}年度政府信息公开工作的自查报告",
        recipient=recipient or DEFAULT_RECIPIENT,
        opening=(
            f"根据《中华人民共和国政府信息公开条例》和上级关于政府信息公开工作的要求，本机关对{year}年度政府信息公开"
            "工作开展了自查。现将自查情况报告如下："
        ),
        scope=scope,
        method=method,
        overall=overall,
        groups=groups,
        report_check=report_check,
        report_groups=report_groups,
        plan_intro=(
            "针对上述问题，制定整改计划如下（责任单位和完成时限由本机关填写）："
            if plan
            else "本次自查未发现需要整改的问题。"
        ),
        plan=plan,
        draft_intro=(
            f"根据清单可以起草{year}年度报告表二的部分数据如下{draft_year}。以下数字仅为草稿，须与业务台账、"
            "执法台账和财务数据核对确认后填报；“待填”为清单无法支持的项目。"
        ),
        draft=tuple(draft_table2(inventory, book, year)),
        organ=bureau.name,
        day=audit.as_of,
    )


def _groups(report: Report, findings: list[Finding]) -> tuple[ProblemGroup, ...]:
    groups: list[ProblemGroup] = []
    for kind, label in KIND_LABELS.items():
        chosen = [finding for finding in findings if finding.kind == kind]
        if not chosen:
            continue
        problems = tuple(
            Problem(
                number,
                _where(finding),
                finding.message,
                SEVERITY_LABELS[finding.severity],
                "；".join(ref.label(report.sources) for ref in finding.refs),
                finding.fix,
            )
            for number, finding in enumerate(chosen, start=1)
        )
        ordinal = CN_ORDINALS[len(groups)] if len(groups) < len(CN_ORDINALS) else str(len(groups) + 1)
        groups.append(ProblemGroup(f"（{ordinal}）{label}（{len(chosen)}个）", problems))
    return tuple(groups)


def _where(finding: Finding) -> str:
    if finding.item is not None:
        return f"“{finding.item.title}”" + (f"（{finding.item.index_no}）" if finding.item.index_no else "")
    return finding.subject or "本机关"


def _report_check(annual: Report | None) -> tuple[tuple[str, ...], tuple[ProblemGroup, ...]]:
    if annual is None:
        return ("本次未提供年度报告文本，未检查年度报告；可用 --report 提供。",), ()
    passed = [check for check in annual.checks if check.status == "passed"]
    failed = [check for check in annual.checks if check.status == "failed"]
    open_checks = [check for check in annual.checks if check.status in ("not-evaluated", "not-applicable")]
    lines = [
        f"对年度报告（{annual.inventory}）逐项检查了六个部分及其顺序、表二表三表四的数字和勾稽关系、与上年报告的"
        f"结转、与已公开规范性文件的件数和公布时间，共 {len(annual.checks)} 项：通过 {len(passed)} 项，"
        f"发现问题 {len(failed)} 项，未能检查或不适用 {len(open_checks)} 项。",
    ]
    lines.extend(f"{check.title}：{STATE_LABELS[check.status]}（{check.reason}）。" for check in open_checks)
    lines.extend(f"说明：{notice}。" for notice in annual.notices)
    return tuple(lines), _groups(annual, annual.findings)


def _plan(audit: Report, annual: Report | None) -> tuple[PlanRow, ...]:
    """One row per rule that found something (in the audit or in the annual report): what to fix
    and how; the bureau fills in who and when."""
    counts: dict[str, int] = {}
    first: dict[str, tuple[Finding, Report]] = {}
    for report in (audit, *([annual] if annual is not None else [])):
        for finding in report.findings:
            counts[finding.rule] = counts.get(finding.rule, 0) + 1
            first.setdefault(finding.rule, (finding, report))
    rows = []
    for number, (rule_id, count) in enumerate(counts.items(), start=1):
        finding, report = first[rule_id]
        rule = report.rules.get(rule_id)
        rows.append(PlanRow(number, f"{rule.title if rule else rule_id}（{count}处）", finding.fix))
    return tuple(rows)
