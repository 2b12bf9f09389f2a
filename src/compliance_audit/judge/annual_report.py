"""The annual-report checks (annual/checks.py) inside an audit.

In an audit the report is the newest item the target rule (ogi-49-annual-report) matched; its
body is read as plain text. The previous year's report, when the inventory has it with a body, is
the one its carry-over is compared with, and the items of the `documents` rule are its 规范性文件.
Without a body nothing is judged, and the check says so.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import lru_cache

import polars as pl

from compliance_audit.annual import read_item
from compliance_audit.annual.checks import ANNUAL_CHECKS, AnnualContext, not_evaluated
from compliance_audit.annual.model import Report
from compliance_audit.errors import InputError
from compliance_audit.findings import CheckResult, Outcome
from compliance_audit.inventory.model import Item
from compliance_audit.judge.context import Context, period_year
from compliance_audit.ruleset.model import Rule


def runner(name: str) -> Callable[[Rule, Context], Outcome]:
    check = ANNUAL_CHECKS[name]

    def run(rule: Rule, ctx: Context) -> Outcome:
        applicability = ctx.applies(rule)
        if not applicability.applies:
            return Outcome(
                check=CheckResult(rule.id, rule.title, applicability.status, reason=applicability.reason)
            )
        # every annual-report rule reads the same report: found and read once per audit
        key = f"annual report of {rule.params['target']} with {rule.params.get('documents')}"
        prepared = ctx.shared(key, lambda: _prepare(rule, ctx))
        if isinstance(prepared, str):
            return not_evaluated(rule, prepared)
        return check.run(rule, prepared)

    return run


def _prepare(rule: Rule, ctx: Context) -> AnnualContext | str:
    """What the annual-report checks read: the newest report the target rule matched, read, with
    the year before's and the 规范性文件 to compare with; or why there is nothing to check."""
    target = ctx.rules[rule.params["target"]]
    reports = ctx.matched_items(target)
    if not reports:
        return f"未找到“{target.title}”，无从检查"
    frame = ctx.frame
    newest = ctx.item(ctx.first_of(reports, ctx.period_years(1), frame["published"], frame["row"]))
    if not newest.body.strip():
        return f"“{newest.title}”未提供正文（body），无法检查"
    try:
        report = _read(newest, period_year(newest, 1))
    except InputError as error:
        return f"“{newest.title}”：{error.message}"
    documents, absent = _documents(rule, ctx)
    return AnnualContext(
        report=report,
        identity=newest.identity,
        subject=newest.title,
        item=newest,
        previous=_previous(reports, report.year, ctx),
        documents=documents,
        documents_absent=absent,
    )


@lru_cache(maxsize=8)
def _parsed(body: str, title: str, label: str, published: date, year: int) -> Report:
    """Each annual-report rule reads the same body: parse it once per audit."""
    return read_item(Item(row=0, title=title, published=published, index_no=label, body=body), year)


def _read(item: Item, year: int) -> Report:
    return _parsed(item.body, item.title, item.label, item.published, year)


def _previous(reports: list[int], year: int, ctx: Context) -> Report | None:
    """The report of the year before, newest first, among those with a body."""
    candidates = (
        ctx.frame.with_columns(period=ctx.period_years(1))
        .with_row_index("index")[reports]
        .filter((pl.col("period") == year - 1) & (pl.col("body") != ""))
        .sort(["published", "row"], descending=True, maintain_order=True)["index"]
        .to_list()
    )
    for item in ctx.items_at(candidates):
        if item.body.strip():
            try:
                return _read(item, year - 1)
            except InputError:
                return None
    return None


def _documents(rule: Rule, ctx: Context) -> tuple[list[Item] | None, str]:
    """The inventory's 规范性文件, or why there are none to compare with (e.g. a bureau without the
    function of making them)."""
    documents = rule.params.get("documents")
    if documents is None or documents not in ctx.rules:
        return None, "规则未指明哪些信息是规范性文件"
    documents_rule = ctx.rules[documents]
    applicability = ctx.applies(documents_rule)
    if not applicability.applies:
        return None, f"“{documents_rule.title}”对本机关不适用，无从比对：{applicability.reason}"
    return ctx.items_at(ctx.matched_items(documents_rule)), ""
