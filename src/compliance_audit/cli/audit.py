"""`audit`: one bureau's inventory (or saved portal) against the rules and its catalogue."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from compliance_audit.cli.base import (
    as_of_option,
    bureau_options,
    bureau_overrides,
    format_option,
    main,
    rules_option,
)
from compliance_audit.errors import InputError


@main.command()
@click.argument("inventory", type=click.Path(path_type=Path))
@as_of_option
@format_option("table", "json", "markdown", "html", "xlsx", "docx")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="输出文件（默认标准输出）"
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "never"]),
    default="error",
    show_default=True,
    help="出现该级别及以上的问题时退出码为 1",
)
@click.option("--waivers", type=click.Path(path_type=Path, dir_okay=False), help="豁免文件（YAML）")
@rules_option
@click.option("--catalogue", "catalogue_ref", help="标准目录编号或目录文件（默认按领域、地区自动选择）")
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
    metavar="RULE",
    help="说明该规则（或目录编号：该目录的每一项）匹配了哪些信息、依据什么、为何其他信息未匹配",
)
def audit(
    inventory: Path,
    as_of: date | None,
    output_format: str,
    output: Path | None,
    fail_on: str,
    waivers: Path | None,
    rules_dir: Path | None,
    catalogue_ref: str | None,
    calendar_file: Path | None,
    explain_rule: str | None,
    history_path: Path | None,
    **bureau: Any,
) -> None:
    """审计一个公开主体的已公开信息清单。"""
    from compliance_audit.audit import check_sector, plan_audit, run_audit
    from compliance_audit.catalogue_import.own import PortalPages, choose_catalogue
    from compliance_audit.findings import SEVERITY_RANK
    from compliance_audit.harvest import load_mirror
    from compliance_audit.inventory import load_inventory
    from compliance_audit.matching.explain import explain, explained_rules
    from compliance_audit.matching.matcher import Matcher
    from compliance_audit.output import refuse_overwrite, write_atomic
    from compliance_audit.report import RENDERERS
    from compliance_audit.ruleset.catalogue import CatalogueLibrary
    from compliance_audit.ruleset.loader import load_rulebook
    from compliance_audit.waivers import load_waivers
    from compliance_audit.workcalendar import WorkCalendar

    day = as_of or date.today()
    book = load_rulebook(rules_dir)
    overrides = bureau_overrides(bureau)
    # a folder is a saved copy of the portal: harvest it on the fly, looking for the bureau's own
    # standard catalogue among its pages
    portal = PortalPages(inventory) if inventory.is_dir() else None
    loaded = load_mirror(inventory, overrides, portal.see) if portal else load_inventory(inventory, overrides)
    library = CatalogueLibrary.bundled()
    check_sector(loaded.bureau, book, library)
    catalogue = choose_catalogue(catalogue_ref, loaded, library, portal)
    calendar = WorkCalendar.bundled()
    if calendar_file is not None:
        calendar = calendar.with_file(calendar_file)
    if explain_rule is not None:
        plan = plan_audit(book, catalogue, loaded.bureau)
        explained = explained_rules(plan.rules, explain_rule)
        matcher = Matcher(plan.rules, loaded.bureau)
        table = matcher.match(loaded.items)
        click.echo("\n\n".join("\n".join(explain(rule, loaded.items, matcher, table)) for rule in explained))
        return
    report = run_audit(loaded, book, catalogue, calendar, day, load_waivers(waivers) if waivers else ())
    text = RENDERERS[output_format](report)
    if output is None:
        if isinstance(text, bytes):
            raise InputError(f"{output_format} 格式须写入文件", field="--output", expected="-o 报告文件")
        click.echo(text, nl=False)
    else:
        refuse_overwrite(output, inventory)
        write_atomic(output, text)
    if report.calendar.fallback_years and (output is not None or output_format != "table"):
        years = "、".join(str(year) for year in report.calendar.fallback_years)
        click.echo(f"compliance-audit: 警告：{years} 年不在节假日日历内，已按仅周末休息计算工作日", err=True)
    if history_path is not None:
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
    worst = report.worst_severity()
    if fail_on != "never" and worst is not None and SEVERITY_RANK[worst] <= SEVERITY_RANK[fail_on]:
        sys.exit(1)
