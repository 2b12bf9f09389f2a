"""`audit`: one bureau's inventory (or saved portal) against the rules and its catalogue."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
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
    output_option,
    rules_option,
)
from compliance_audit.errors import InputError


@main.command()
@click.argument("inventory", type=click.Path(path_type=Path))
@as_of_option
@format_option("table", "json", "markdown")
@output_option("输出文件（默认或 - 为标准输出）")
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
    from compliance_audit.output import check_output, is_stdout, write_output
    from compliance_audit.report import RENDERERS
    from compliance_audit.ruleset.catalogue import CatalogueLibrary
    from compliance_audit.ruleset.loader import load_rulebook
    from compliance_audit.waivers import load_waivers
    from compliance_audit.workcalendar import WorkCalendar

    day = as_of or date.today()
    inputs = _inputs(inventory, waivers, calendar_file, catalogue_ref, rules_dir)
    if output is not None:
        check_output(output, inputs)
    book = load_rulebook(rules_dir)
    overrides = bureau_overrides(bureau)
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
        write_output(output, text, inputs)
    if report.calendar.fallback_years and (
        not (output is None or is_stdout(output)) or output_format != "table"
    ):
        years = "、".join(str(year) for year in report.calendar.fallback_years)
        click.echo(f"compliance-audit: 警告：{years} 年不在节假日日历内，已按仅周末休息计算工作日", err=True)
    worst = report.worst_severity()
    if fail_on != "never" and worst is not None and SEVERITY_RANK[worst] <= SEVERITY_RANK[fail_on]:
        sys.exit(1)


@contextmanager
def _about_the_bureau(source: Path) -> Iterator[None]:
    """The bureau's sector, profile and functions are checked against the rules: a mistake there
    is in the file the bureau came from (the inventory, its sidecar or its workbook sheet)."""
    try:
        yield
    except InputError as error:
        raise error.located(file=source) from None


def _inputs(
    inventory: Path, waivers: Path | None, calendar: Path | None, catalogue: str | None, rules: Path | None
) -> list[Path | None]:
    """Every file and folder the audit reads: its output must be none of them, nor inside one."""
    from compliance_audit.harvest import mirror_sidecar_path
    from compliance_audit.inventory import sidecar_path

    sidecar = mirror_sidecar_path(inventory) if inventory.is_dir() else sidecar_path(inventory)
    catalogue_file = Path(catalogue) if catalogue is not None and Path(catalogue).exists() else None
    return [inventory, sidecar, waivers, calendar, catalogue_file, rules]
