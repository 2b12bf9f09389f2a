"""The checks of an annual report. Each is a small pure function (rule, context) → outcome, named
by the rule's `check:`; the registry below is where the name is resolved.

Why a registry of its own beside judge.CHECKS: these checks read a parsed report (tables of
numbers), the previous year's report and the inventory's 规范性文件, not an inventory and its
matches. judge/annual_report.py registers each of them in judge.CHECKS too, through one adapter
that finds the annual report in an audited inventory and parses its body, so the rule files, the
rule loader's validation, the YAML cases and the audit all treat them as any other check.

Careful reading: the identities the format prints (一 + 二 = 三（七）+ 四) and those its totals
imply are arithmetic, and a mismatch is an error; the cross-year carry-over and the comparison with
the inventory can have honest explanations and are reported for a person to confirm. A table that
could not be read is never a finding: the check says it was not evaluated, and why.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from compliance_audit.annual.layout import (
    AMOUNT,
    CARRIED_IN,
    CARRIED_OUT,
    CHANGE,
    COUNT,
    NEW,
    NEW_FORMAT_YEAR,
    T3_COLUMNS,
    T4_COLUMNS,
    T4_GROUPS,
    TOTAL,
    TRIAL_ONLY_COLUMNS,
    t2_columns,
)
from compliance_audit.annual.model import Cell, Report
from compliance_audit.findings import CheckResult, Finding, ItemRef, Outcome, fingerprint
from compliance_audit.inventory.model import Item
from compliance_audit.personal_info import mask_text
from compliance_audit.ruleset.model import Rule

TARGET_PARAM: dict[str, object] = {
    "type": "string",
    "description": "the rule that finds the annual report in an audited inventory",
}
PARAMS_SCHEMA: dict[str, object] = {
    "type": "object",
    "required": ["target"],
    "additionalProperties": False,
    "properties": {"target": TARGET_PARAM},
}
DOCUMENTS_PARAMS_SCHEMA: dict[str, object] = {
    "type": "object",
    "required": ["target", "documents"],
    "additionalProperties": False,
    "properties": {
        "target": TARGET_PARAM,
        "documents": {"type": "string", "description": "the rule whose items are the 规范性文件"},
    },
}
_LISTED = 5  # titles named in a message


@dataclass(frozen=True)
class AnnualContext:
    """What an annual-report check sees: the report, and what it can be compared with."""

    report: Report
    identity: str  # stays the same across runs and file formats (fingerprints)
    subject: str  # names the report in findings when it is not an inventory item
    item: Item | None = None  # the inventory item the report is, in an audit
    previous: Report | None = None
    documents: Sequence[Item] | None = None  # the inventory's 规范性文件; None without an inventory
    documents_absent: str = "未提供清单（--inventory），无从比对"  # why documents is None

    def finding(
        self,
        rule: Rule,
        kind: str,
        message: str,
        element: str,
        *,
        elements: tuple[str, ...] = (),
        severity: str | None = None,
        due: date | None = None,
    ) -> Finding:
        return Finding(
            fingerprint=fingerprint(rule.id, kind, self.identity, element),
            rule=rule.id,
            kind=kind,
            severity=severity or rule.severity,
            message=mask_text(message),  # titles quoted from the inventory may carry personal numbers
            refs=rule.refs,
            item=ItemRef.of(self.item) if self.item is not None else None,
            due=due,
            fix=rule.fix,
            element=element,
            subject="" if self.item is not None else self.subject,
            elements=elements,
        )


@dataclass(frozen=True)
class AnnualCheck:
    name: str
    run: Callable[[Rule, AnnualContext], Outcome]
    params_schema: dict[str, object]
    rule_params: tuple[str, ...] = ("target",)


def judged(rule: Rule, findings: list[Finding], evaluated: int, reason: str = "") -> Outcome:
    status = "failed" if findings else "passed"
    return Outcome(check=CheckResult(rule.id, rule.title, status, evaluated, 0, reason), findings=findings)


def not_evaluated(rule: Rule, reason: str) -> Outcome:
    return Outcome(check=CheckResult(rule.id, rule.title, "not-evaluated", 0, 1, reason))


def not_applicable(rule: Rule, reason: str) -> Outcome:
    return Outcome(check=CheckResult(rule.id, rule.title, "not-applicable", reason=reason))


def number(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


# ------------------------------------------------------------------------------------------ sections
_NUMBERED = "[一二三四五六七八九十]{1,2}\\s*[、.,]\\s*[^\\n。;]{0,24}?"
_HEADING_LINE = 40  # a line this short that names a part is its heading, numbered or not


def sections(rule: Rule, ctx: AnnualContext) -> Outcome:
    """The six parts, present and in the printed order. A part is there when its heading is: a
    numbered heading (三、……) anywhere, or a short line naming it. The preamble that lists every
    part (全文包括总体情况、……) proves nothing and is not counted; only a text with no headings at
    all (a summary kept as the item's body) is searched for the words anywhere."""
    text = unicodedata.normalize("NFKC", ctx.report.text)
    if not text.strip():
        return not_evaluated(rule, "报告没有可读的文字")
    lines = [(found.start(), found.group()) for found in re.finditer(r"[^\n]+", text)]
    short = [
        (start, "".join(line.split())) for start, line in lines if len("".join(line.split())) <= _HEADING_LINE
    ]
    headings: list[tuple[int, str]] = []
    unheaded: list[tuple[str, list[str]]] = []
    for element in rule.elements:
        keywords = ["".join(unicodedata.normalize("NFKC", keyword).split()) for keyword in element.any]
        positions = [
            found.start() for k in keywords for found in [re.search(_NUMBERED + re.escape(k), text)] if found
        ]
        positions += [start for start, line in short for k in keywords if k in line]
        if positions:
            headings.append((min(positions), element.name))
        else:
            unheaded.append((element.name, keywords))
    flat = "".join(text.split())
    missing = [
        Part(name, f"“{name}”")
        for name, keywords in unheaded
        if headings or not any(keyword in flat for keyword in keywords)
    ]
    misplaced = []
    furthest = (-1, "")
    for position, name in headings:
        if position < furthest[0]:
            misplaced.append(Part(name, f"“{name}”排在“{furthest[1]}”之前"))
        else:
            furthest = (position, name)
    findings = [
        *_one(rule, ctx, "missing", "未见这些部分", missing, "六个部分", separator="、"),
        *_one(rule, ctx, "format", "各部分的顺序与格式（一至六）不符", misplaced, "六个部分/顺序"),
    ]
    return judged(rule, findings, len(rule.elements))


# ------------------------------------------------------------------------------------------ 表三
def t3_balance(rule: Rule, ctx: AnnualContext) -> Outcome:
    """The identity the format prints over table 三: 一 + 二 = 三（七）总计 + 四, column by column."""
    report = ctx.report
    lacking = _t3_lacking(report, (NEW, CARRIED_IN, TOTAL, CARRIED_OUT))
    if lacking:
        return not_evaluated(rule, lacking)
    t3 = report.table3
    parts = []
    for position, column in enumerate(T3_COLUMNS):
        new, carried_in, total, carried_out = (
            t3[key][position].number for key in (NEW, CARRIED_IN, TOTAL, CARRIED_OUT)
        )
        if new + carried_in != total + carried_out:
            text = (
                f"“{column}”列一、本年新收 {number(new)} + 二、上年结转 {number(carried_in)} = "
                f"{number(new + carried_in)}，而三（七）总计 {number(total)} + 四、结转下年度 "
                f"{number(carried_out)} = {number(total + carried_out)}"
            )
            parts.append(Part(column, text))
    head = "表三的勾稽关系（第一项加第二项之和等于第三项加第四项之和）不成立"
    return judged(rule, _one(rule, ctx, "inconsistent", head, parts, "表三/勾稽"), len(T3_COLUMNS))


def t3_results(rule: Rule, ctx: AnnualContext) -> Outcome:
    """（七）总计 is the sum of the results （一）to（六） with every sub-item, column by column."""
    report = ctx.report
    keys = report.layout.result_keys()
    lacking = _t3_lacking(report, (*keys, TOTAL))
    if lacking:
        return not_evaluated(rule, lacking)
    parts = []
    for position, column in enumerate(T3_COLUMNS):
        results = sum((report.table3[key][position].number for key in keys), Decimal(0))
        total = report.table3[TOTAL][position].number
        if results != total:
            text = f"“{column}”列各项之和为 {number(results)}，（七）总计填为 {number(total)}"
            parts.append(Part(column, text))
    head = "表三办理结果（一）至（六）之和不等于（七）总计"
    return judged(rule, _one(rule, ctx, "inconsistent", head, parts, "表三/办理结果"), len(T3_COLUMNS))


def t3_row_totals(rule: Rule, ctx: AnnualContext) -> Outcome:
    """Each row's 总计 is 自然人 plus the five 法人或其他组织 columns. A blank 总计 beside non-zero
    parts is reported as a warning: the total was left out, not necessarily miscounted."""
    report = ctx.report
    if not report.table3:
        return not_evaluated(rule, "未能读到表三")
    parts = [
        part
        for key in report.layout.t3_keys()
        if key in report.table3
        for part in _row_total(f"“{report.layout.t3_label(key)}”", report.table3[key])
    ]
    return judged(rule, _totals(rule, ctx, "表三", "自然人与五类法人或其他组织", parts), len(report.table3))


# ------------------------------------------------------------------------------------------ 表四
def t4_totals(rule: Rule, ctx: AnnualContext) -> Outcome:
    """行政复议, and 行政诉讼 without and after 复议: 总计 = 维持 + 纠正 + 其他结果 + 尚未审结."""
    cells = ctx.report.table4
    if cells is None:
        return not_evaluated(rule, "未能读到表四的数据行")
    width = len(T4_COLUMNS)
    parts = [
        part
        for position, group in enumerate(T4_GROUPS)
        for part in _row_total(f"“{group}”", cells[position * width : (position + 1) * width])
    ]
    names = "结果维持、结果纠正、其他结果、尚未审结"
    return judged(rule, _totals(rule, ctx, "表四", names, parts), len(T4_GROUPS))


# ------------------------------------------------------------------------------------------ values
def values(rule: Rule, ctx: AnnualContext) -> Outcome:
    """Counts are non-negative whole numbers (表三, 表四, 表二's counts); 本年增/减 may be negative;
    amounts are non-negative, and 表二's fee amount is in 万元 as the format prints it."""
    report = ctx.report
    cells: list[tuple[str, Cell, str]] = []  # (where, cell, kind of value)
    for key, row in report.table3.items():
        label = report.layout.t3_label(key)
        cells.extend(
            (f"表三“{label}”“{column}”", cell, COUNT) for column, cell in zip(T3_COLUMNS, row, strict=True)
        )
    for position, cell in enumerate(report.table4 or ()):
        group, column = T4_GROUPS[position // len(T4_COLUMNS)], T4_COLUMNS[position % len(T4_COLUMNS)]
        cells.append((f"表四“{group}”“{column}”", cell, COUNT))
    known = t2_columns()
    units: list[Part] = []
    for entry in report.table2:
        spec = known.get(entry.column)
        cells.append((f"表二“{entry.row}”“{entry.column}”", entry.cell, spec.kind if spec else COUNT))
        header = unicodedata.normalize("NFKC", entry.header)
        wrong_unit = spec is not None and spec.unit and "元" in header and spec.unit not in header
        if spec is not None and wrong_unit and all(part.name != entry.column for part in units):
            units.append(
                Part(entry.column, f"“{entry.column}”的表头写作“{entry.header}”，格式规定单位为{spec.unit}")
            )
    if not cells:
        return not_evaluated(rule, "未能读到表二、表三、表四中的任何数据")
    bad = [
        Part(where, f"{where}填为“{cell.raw}”（{cell.where}），{why}")
        for where, cell, kind in cells
        for why in _wrong(cell, kind)
    ]
    findings = [
        *_one(rule, ctx, "format", "表格中有不符合格式的数值", bad, "数值"),
        *_one(rule, ctx, "format", "金额单位与格式不符", units, "表二/单位"),
    ]
    return judged(rule, findings, len(cells))


def template(rule: Rule, ctx: AnnualContext) -> Outcome:
    """A report on 2021 or later uses the 2021 format; the trial format's 表二 columns (本年新制作
    数量, 采购总金额…) in such a report mean the superseded template was used."""
    report = ctx.report
    if report.year < NEW_FORMAT_YEAR:
        return not_applicable(rule, f"{report.year} 年度报告按试行格式编制")
    if not report.table2:
        return not_evaluated(rule, "未能读到表二，无从判断所用格式")
    printed = {entry.column for entry in report.table2}
    old = [column for column in TRIAL_ONLY_COLUMNS if column in printed]
    findings = []
    if old:
        message = (
            f"{report.year} 年度报告的表二使用了已停用的试行格式（出现“{'”“'.join(old)}”），"
            "应按2021年格式填报本年制发件数、本年废止件数、现行有效件数等"
        )
        findings.append(ctx.finding(rule, "format", message, "表二/格式"))
    return judged(rule, findings, 1)


# ------------------------------------------------------------------------------------------ cross-checks
def carryover(rule: Rule, ctx: AnnualContext) -> Outcome:
    """This year's 二、上年结转 is last year's 四、结转下年度继续办理, column by column."""
    report, previous = ctx.report, ctx.previous
    if previous is None:
        return not_evaluated(rule, "未提供上一年度的年度报告（--previous）")
    if previous.year != report.year - 1:
        return not_evaluated(
            rule, f"提供的上年报告为 {previous.year} 年度，不是 {report.year - 1} 年度，无从核对结转"
        )
    if CARRIED_IN not in report.table3:
        return not_evaluated(rule, "未能读到本年报告表三“二、上年结转政府信息公开申请数量”")
    if CARRIED_OUT not in previous.table3:
        return not_evaluated(rule, f"未能读到 {previous.year} 年度报告表三“四、结转下年度继续办理”")
    parts = []
    for position, column in enumerate(T3_COLUMNS):
        now = report.table3[CARRIED_IN][position].number
        before = previous.table3[CARRIED_OUT][position].number
        if now != before:
            parts.append(Part(column, f"“{column}”列本年为 {number(now)}，上年报告为 {number(before)}"))
    head = f"表三“二、上年结转”与 {previous.year} 年度报告“四、结转下年度继续办理”不一致"
    return judged(rule, _one(rule, ctx, "inconsistent", head, parts, "结转"), len(T3_COLUMNS))


_NORMATIVE_ROWS = ("行政规范性文件", "规范性文件")
_ISSUED_COLUMNS = ("本年制发件数", "本年新制作数量")


def documents(rule: Rule, ctx: AnnualContext) -> Outcome:
    """表二's 规范性文件 against the inventory's 规范性文件. Issued in the year: those formed (成文)
    that year; items without a 成文日期 but published that year may or may not count, so only a
    figure outside what the inventory allows is reported. In force: every document formed by the
    end of the year and marked 有效 today was in force then, so the inventory gives a floor only
    (it may not list older documents); a figure below it is reported. Both for a person to confirm."""
    report = ctx.report
    if ctx.documents is None:
        return not_evaluated(rule, ctx.documents_absent)
    issued = report.t2_value(_NORMATIVE_ROWS, _ISSUED_COLUMNS)
    in_force = report.t2_value(_NORMATIVE_ROWS, ("现行有效件数",))
    if issued is None and in_force is None:
        return not_evaluated(rule, "未能读到表二“行政规范性文件”的件数")
    year = report.year
    findings = []
    if issued is not None:
        formed = [item for item in ctx.documents if item.formed is not None and item.formed.year == year]
        undated = [item for item in ctx.documents if item.formed is None and item.published.year == year]
        reported = issued.cell.number
        if not len(formed) <= reported <= len(formed) + len(undated):
            message = (
                f"表二填报本年制发行政规范性文件 {number(reported)} 件，清单中 {year} 年成文的规范性文件有 "
                f"{len(formed)} 件{_titles(formed)}"
            )
            if undated:
                message += f"，另有 {len(undated)} 件未填成文日期、于 {year} 年发布{_titles(undated)}"
            message += "；请核对年报数字或清单"
            findings.append(ctx.finding(rule, "inconsistent", message, "表二/规范性文件/清单"))
    if in_force is not None:
        end = date(year, 12, 31)
        valid = [
            item
            for item in ctx.documents
            if (item.formed or item.published) <= end and item.validity == "有效"
        ]
        if in_force.cell.number < len(valid):
            message = (
                f"表二填报现行有效行政规范性文件 {number(in_force.cell.number)} 件，"
                f"清单中 {year} 年底前成文、现标为有效的规范性文件已有 {len(valid)} 件{_titles(valid)}；"
                "请核对年报数字或文件的有效性标注"
            )
            findings.append(ctx.finding(rule, "inconsistent", message, "表二/规范性文件/现行有效"))
    return judged(rule, findings, (issued is not None) + (in_force is not None))


def on_time(rule: Rule, ctx: AnnualContext) -> Outcome:
    """条例第四十九条: published by 31 January of the following year. Judged with the deadline of
    the rule that sets it for the audit (ogi-49-annual-report), when the publication date is known."""
    report = ctx.report
    deadline = rule.deadline
    if deadline is None or deadline.annual_due is None:
        return not_evaluated(rule, "规则没有年度期限")
    month, day = deadline.annual_due
    due = date(report.year + 1, month, day)
    if report.published is None:
        return not_evaluated(
            rule, f"报告的发布日期未知（应于 {due.isoformat()} 前公开；可用 --published 指定）"
        )
    findings = []
    if report.published > due:
        message = (
            f"{report.year} 年度报告应于 {due.isoformat()} 前公开，实际 {report.published.isoformat()} 公开，"
            f"逾期 {(report.published - due).days} 日"
        )
        findings.append(ctx.finding(rule, "late", message, "发布日期", due=due))
    return judged(rule, findings, 1)


# ------------------------------------------------------------------------------------------ helpers
def _t3_lacking(report: Report, keys: Iterable[str]) -> str:
    lacking = [report.layout.t3_label(key) for key in keys if key not in report.table3]
    if not lacking:
        return ""
    if not report.table3:
        return "未能读到表三"
    return "表三未能读到：" + "、".join(lacking)


@dataclass(frozen=True)
class Part:
    """One place a gap shows (a column, a row, a cell): listed in the finding's elements."""

    name: str
    text: str
    blank: bool = False  # a 总计 left blank rather than miscounted


def _one(
    rule: Rule,
    ctx: AnnualContext,
    kind: str,
    head: str,
    parts: Sequence[Part],
    element: str,
    *,
    separator: str = "；",
    severity: str | None = None,
) -> list[Finding]:
    """One finding for a gap, however many places it shows in: the places are its elements."""
    if not parts:
        return []
    message = f"{head}：{separator.join(part.text for part in parts)}"
    names = tuple(part.name for part in parts)
    return [ctx.finding(rule, kind, message, element, elements=names, severity=severity)]


def _row_total(where: str, cells: Sequence[Cell]) -> list[Part]:
    parts = sum((cell.number for cell in cells[:-1]), Decimal(0))
    total = cells[-1]
    if total.value is None and parts > 0:
        return [Part(where, f"{where}合计 {number(parts)}，“总计”栏空白", blank=True)]
    if total.number != parts:
        return [Part(where, f"{where}合计 {number(parts)}，“总计”填为 {number(total.number)}")]
    return []


def _totals(rule: Rule, ctx: AnnualContext, table: str, names: str, parts: list[Part]) -> list[Finding]:
    """Miscounted totals are an error; totals left blank beside non-zero parts a warning (the total
    was left out, not necessarily miscounted)."""
    wrong = [part for part in parts if not part.blank]
    blank = [part for part in parts if part.blank]
    return [
        *_one(rule, ctx, "inconsistent", f"{table}的“总计”不等于{names}之和", wrong, f"{table}/总计"),
        *_one(
            rule,
            ctx,
            "inconsistent",
            f"{table}的“总计”栏空白",
            blank,
            f"{table}/总计空白",
            severity="warning",
        ),
    ]


def _wrong(cell: Cell, kind: str) -> list[str]:
    """Why a value does not fit its kind of column, if it does not."""
    value = cell.value
    if value is None:
        return []
    if kind != CHANGE and value < 0:
        return ["不能为负数"]
    if kind != AMOUNT and value != value.to_integral_value():
        return ["应为整数"]
    return []


def _titles(items: Sequence[Item]) -> str:
    if not items:
        return ""
    shown = "、".join(f"“{item.title}”" for item in items[:_LISTED])
    return f"（{shown}{'等' if len(items) > _LISTED else ''}）"


ANNUAL_CHECKS: dict[str, AnnualCheck] = {
    check.name: check
    for check in (
        AnnualCheck("annual-sections", sections, PARAMS_SCHEMA),
        AnnualCheck("annual-t3-balance", t3_balance, PARAMS_SCHEMA),
        AnnualCheck("annual-t3-results", t3_results, PARAMS_SCHEMA),
        AnnualCheck("annual-t3-row-totals", t3_row_totals, PARAMS_SCHEMA),
        AnnualCheck("annual-t4-totals", t4_totals, PARAMS_SCHEMA),
        AnnualCheck("annual-values", values, PARAMS_SCHEMA),
        AnnualCheck("annual-template", template, PARAMS_SCHEMA),
        AnnualCheck("annual-carryover", carryover, PARAMS_SCHEMA),
        AnnualCheck("annual-documents", documents, DOCUMENTS_PARAMS_SCHEMA, ("target", "documents")),
    )
}
