"""Platform columns: not updated within their window, blank, and the website-level veto.

政府网站与政务新媒体检查指标 (国办秘函〔2019〕19号): 动态/要闻 columns are stale after two weeks
without an update and 通知公告/政策文件 columns after six months; a site with 5 or more such stale
columns, 10 or more stale columns in all, or 5 or more blank columns fails outright (单项否决).
The column kinds a bureau declares decide the windows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from compliance_audit.findings import CheckResult, Finding, Outcome, Verdict
from compliance_audit.inventory.model import COLUMN_KINDS, Column
from compliance_audit.judge.context import Context
from compliance_audit.judge.requirement import months_before
from compliance_audit.ruleset.model import Rule
from compliance_audit.textnorm import normalise_label

_KINDS = list(COLUMN_KINDS)

FRESHNESS_PARAMS_SCHEMA: dict[str, object] = {
    "type": "object",
    "required": ["kinds"],
    "additionalProperties": False,
    "properties": {
        "kinds": {"type": "array", "items": {"enum": _KINDS}, "minItems": 1},
        "days": {"type": "integer", "minimum": 1},
        "months": {"type": "integer", "minimum": 1},
    },
    "oneOf": [{"required": ["days"]}, {"required": ["months"]}],
}
EMPTY_PARAMS_SCHEMA: dict[str, object] = {"type": "object", "additionalProperties": False}
VETO_PARAMS_SCHEMA: dict[str, object] = {
    "type": "object",
    "required": ["news_notice_kinds", "stale_news_notice", "stale_all", "blank"],
    "additionalProperties": False,
    "properties": {
        "news_notice_kinds": {"type": "array", "items": {"enum": _KINDS}, "minItems": 1},
        "stale_news_notice": {"type": "integer", "minimum": 1},
        "stale_all": {"type": "integer", "minimum": 1},
        "blank": {"type": "integer", "minimum": 1},
    },
}


@dataclass(frozen=True)
class ColumnState:
    column: Column
    newest: date | None  # None: blank
    window_start: date | None  # items older than this make the column stale; None: no window

    @property
    def blank(self) -> bool:
        return self.newest is None

    @property
    def stale(self) -> bool:
        return self.newest is not None and self.window_start is not None and self.newest < self.window_start


def window_start(rule: Rule, as_of: date) -> date:
    days = rule.params.get("days")
    if days is not None:
        return as_of - timedelta(days=days)
    return months_before(as_of, rule.params["months"])


def column_states(ctx: Context) -> list[ColumnState]:
    """Every declared column with its newest item and the window of the freshness rule for its kind."""
    windows: dict[str, date] = {}
    for rule in ctx.rules.values():
        if rule.check == "column-freshness" and ctx.applies(rule).applies:
            for kind in rule.params["kinds"]:
                windows[kind] = window_start(rule, ctx.as_of)
    newest = ctx.newest_in_column()
    return [
        ColumnState(column, newest.get(normalise_label(column.name)), windows.get(column.kind))
        for column in ctx.inventory.bureau.columns
    ]


def _window_text(rule: Rule) -> str:
    days = rule.params.get("days")
    return f"{days} 日" if days is not None else f"{rule.params['months']} 个月"


def freshness(rule: Rule, ctx: Context) -> Outcome:
    applicability = ctx.applies(rule)
    if not applicability.applies:
        return Outcome(
            check=CheckResult(rule.id, rule.title, applicability.status, reason=applicability.reason)
        )
    columns = [column for column in ctx.inventory.bureau.columns if column.kind in rule.params["kinds"]]
    if not columns:
        return Outcome(
            check=CheckResult(
                rule.id, rule.title, "not-evaluated", reason="未声明该类型的平台栏目（bureau.columns）"
            )
        )
    start = window_start(rule, ctx.as_of)
    newest = ctx.newest_in_column()
    findings: list[Finding] = []
    for column in columns:
        last = newest.get(normalise_label(column.name))
        if last is not None and last < start:
            findings.append(
                ctx.finding(
                    rule,
                    "column-stale",
                    f"栏目“{column.name}”最近一条发布于 {last.isoformat()}，截至 {ctx.as_of.isoformat()} "
                    f"已超过 {_window_text(rule)}未更新",
                    subject=column.name,
                )
            )
    status = "failed" if findings else "passed"
    return Outcome(check=CheckResult(rule.id, rule.title, status, len(columns)), findings=findings)


def empty(rule: Rule, ctx: Context) -> Outcome:
    applicability = ctx.applies(rule)
    if not applicability.applies:
        return Outcome(
            check=CheckResult(rule.id, rule.title, applicability.status, reason=applicability.reason)
        )
    columns = ctx.inventory.bureau.columns
    if not columns:
        return Outcome(
            check=CheckResult(rule.id, rule.title, "not-evaluated", reason="未声明平台栏目（bureau.columns）")
        )
    newest = ctx.newest_in_column()
    findings = [
        ctx.finding(rule, "column-empty", f"栏目“{column.name}”没有任何信息（空白栏目）", subject=column.name)
        for column in columns
        if normalise_label(column.name) not in newest
    ]
    status = "failed" if findings else "passed"
    return Outcome(check=CheckResult(rule.id, rule.title, status, len(columns)), findings=findings)


def site_veto(rule: Rule, ctx: Context) -> Outcome:
    applicability = ctx.applies(rule)
    if not applicability.applies:
        return Outcome(
            check=CheckResult(rule.id, rule.title, applicability.status, reason=applicability.reason)
        )
    if not ctx.inventory.bureau.columns:
        return Outcome(
            check=CheckResult(rule.id, rule.title, "not-evaluated", reason="未声明平台栏目（bureau.columns）")
        )
    states = column_states(ctx)
    params = rule.params
    stale_news_notice = sum(1 for s in states if s.stale and s.column.kind in params["news_notice_kinds"])
    stale_all = sum(1 for s in states if s.stale or s.blank)
    blank = sum(1 for s in states if s.blank)
    counts = (
        ("动态要闻类、通知公告/政策文件类栏目不更新", stale_news_notice, params["stale_news_notice"]),
        ("应更新而长期未更新的栏目（含空白栏目）", stale_all, params["stale_all"]),
        ("空白栏目", blank, params["blank"]),
    )
    triggered = [(what, count, limit) for what, count, limit in counts if count >= limit]
    passed = not triggered
    if passed:
        message = "未达到栏目不更新、空白栏目的单项否决标准"
    else:
        message = "；".join(f"{what} {count} 个（≥{limit} 个即否决）" for what, count, limit in triggered)
    verdict = Verdict(rule.id, rule.title, passed, message, counts)
    findings = []
    if not passed:
        kind = "column-empty" if all(what == "空白栏目" for what, _, _ in triggered) else "column-stale"
        findings.append(ctx.finding(rule, kind, f"按网站检查指标将被单项否决：{message}", subject="网站"))
    status = "passed" if passed else "failed"
    return Outcome(
        check=CheckResult(rule.id, rule.title, status, len(states)), findings=findings, verdicts=[verdict]
    )
