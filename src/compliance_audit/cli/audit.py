"""`audit`: one bureau's inventory (or saved portal) against the rules and its catalogue."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import click

from compliance_audit.cli.base import (
    Delivery,
    as_of_option,
    bureau_options,
    bureau_overrides,
    deliver,
    main,
    report_options,
    rules_option,
)
from compliance_audit.cli.harvest import crawl_options, source_path
from compliance_audit.errors import InputError
from compliance_audit.report import FORMATS

AUDIT_FORMATS = FORMATS


@main.command()
@click.argument("source", metavar="INVENTORY|MIRROR_DIR|URL")
@as_of_option
@report_options(*AUDIT_FORMATS)
@rules_option
@click.option(
    "--catalogue", "catalogue_ref", metavar="目录", help="标准目录编号或目录文件（默认按领域、地区自动选择）"
)
@click.option(
    "--calendar", "calendar_file", type=click.Path(path_type=Path, dir_okay=False), help="补充节假日文件"
)
@bureau_options
@click.option(
    "--history",
    "history_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="把本次审计记入历史记录数据库（SQLite），并与该机关上次的记录比较",
)
@click.option(
    "--explain",
    "explain_rule",
    metavar="规则",
    help="说明该规则（或目录编号：该目录的每一项）匹配了哪些信息、依据什么、为何其他信息未匹配"
    "（--format json 给出 JSON）",
)
@crawl_options
def audit(
    source: str,
    as_of: date | None,
    waivers: Path | None,
    baseline: Path | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    rules_dir: Path | None,
    catalogue_ref: str | None,
    calendar_file: Path | None,
    explain_rule: str | None,
    history_path: Path | None,
    **options: Any,
) -> None:
    """审计一个公开主体的已公开信息清单（也可以是保存的网站目录，或栏目网址：即时抓取整理）。"""
    from compliance_audit.audit import check_sector, plan_audit, run_audit
    from compliance_audit.catalogue_import.own import PortalPages, choose_catalogue
    from compliance_audit.dates import today_in_china
    from compliance_audit.harvest import load_mirror
    from compliance_audit.harvest.crawl import is_url
    from compliance_audit.inventory import load_inventory
    from compliance_audit.matching.explain import explain_lines, explained_rules, explanation
    from compliance_audit.matching.matcher import Matcher
    from compliance_audit.report.baseline import compare, load_baseline
    from compliance_audit.ruleset.catalogue import CatalogueLibrary
    from compliance_audit.ruleset.loader import load_rulebook
    from compliance_audit.selection import RuleSelection, parse_patterns
    from compliance_audit.waivers import load_waivers
    from compliance_audit.workcalendar import WorkCalendar

    delivery = Delivery.of(options)
    # checked before a crawl or an audit that may take long: a bad output is known at once
    read = None if is_url(source) else Path(source)
    inputs = (*_inputs(read, waivers, calendar_file, catalogue_ref, rules_dir), baseline)
    if explain_rule is None:
        delivery.check(AUDIT_FORMATS, inputs)
    inventory = source_path(source, options)
    day = as_of or today_in_china()
    book = load_rulebook(rules_dir)
    overrides = bureau_overrides(options)
    # a folder is a saved copy of the portal: harvest it on the fly, looking for the bureau's own
    # standard catalogue among its pages
    portal = PortalPages(inventory) if inventory.is_dir() else None
    loaded = load_mirror(inventory, overrides, portal.see) if portal else load_inventory(inventory, overrides)
    library = CatalogueLibrary.bundled()
    bureau_file = loaded.bureau_source or inventory
    with _about_the_bureau(bureau_file):
        check_sector(loaded.bureau, book, library)
    catalogue = choose_catalogue(catalogue_ref, loaded, library, portal)
    calendar = WorkCalendar.bundled()
    if calendar_file is not None:
        calendar = calendar.with_file(calendar_file)
    with _about_the_bureau(bureau_file):
        plan = plan_audit(book, catalogue, loaded.bureau)
    if explain_rule is not None:
        if delivery.output_format not in (None, "table", "json"):
            raise InputError("--explain 只输出文字或 JSON", field="--format", expected="table 或 json")
        matcher = Matcher(plan.rules, loaded.bureau)
        table = matcher.match(loaded.table)
        explained = [
            explanation(rule, loaded.table, matcher, table)
            for rule in explained_rules(plan.rules, explain_rule)
        ]
        if delivery.output_format == "json":
            click.echo(json.dumps(explained, ensure_ascii=False, indent=2))
        else:
            click.echo("\n\n".join("\n".join(explain_lines(data)) for data in explained))
        return
    selection = RuleSelection(parse_patterns(select), parse_patterns(ignore))
    report = run_audit(
        loaded, book, catalogue, calendar, day, load_waivers(waivers) if waivers else (), selection
    )
    report.gate = delivery.gate
    if baseline is not None:
        report = compare(report, load_baseline(baseline))
    if history_path is not None:
        _record(history_path, report)
    deliver(report, delivery, AUDIT_FORMATS, inputs)


def _record(history_path: Path, report: Any) -> None:
    """--history: the audit joins the bureau's record, and the change since its last one is told."""
    from compliance_audit.batch.history import History

    with History(history_path) as history:
        changes = history.record_audit(report)
    if changes is not None and changes.previous:
        click.echo(
            f"compliance-audit: 与上次（审计日 {changes.previous}）相比：新增 {changes.new} 个，"
            f"仍未整改 {changes.still_open} 个，已整改 {changes.fixed} 个（已记入 {history_path}）",
            err=True,
        )
    else:
        click.echo(f"compliance-audit: 该机关首次记入 {history_path}", err=True)


@contextmanager
def _about_the_bureau(source: Path) -> Iterator[None]:
    """The bureau's sector, profile and functions are checked against the rules: a mistake there
    is in the file the bureau came from (the inventory, its sidecar or its workbook sheet)."""
    try:
        yield
    except InputError as error:
        raise error.located(file=source) from None


def _inputs(
    inventory: Path | None,
    waivers: Path | None,
    calendar: Path | None,
    catalogue: str | None,
    rules: Path | None,
) -> list[Path | None]:
    """Every file and folder the audit reads: its output must be none of them, nor inside one."""
    from compliance_audit.harvest import mirror_sidecar_path
    from compliance_audit.inventory import sidecar_path

    sidecar = None
    if inventory is not None:
        sidecar = mirror_sidecar_path(inventory) if inventory.is_dir() else sidecar_path(inventory)
    catalogue_file = Path(catalogue) if catalogue is not None and Path(catalogue).exists() else None
    return [inventory, sidecar, waivers, calendar, catalogue_file, rules]
