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
    "--explain", "explain_rule", metavar="RULE", help="说明该规则匹配了哪些信息、为何其他信息未匹配"
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
    bureau_name: str | None,
    level: str | None,
    region: str | None,
    sector: str | None,
    explain_rule: str | None,
) -> None:
    """审计一个公开主体的已公开信息清单。"""
    from compliance_audit.audit import plan_audit, run_audit
    from compliance_audit.findings import SEVERITY_RANK
    from compliance_audit.harvest import load_mirror
    from compliance_audit.inventory import BureauOverrides, load_inventory
    from compliance_audit.matching.explain import explain
    from compliance_audit.matching.matcher import Matcher
    from compliance_audit.output import check_output, is_stdout, write_output
    from compliance_audit.report import RENDERERS
    from compliance_audit.ruleset.loader import load_rulebook
    from compliance_audit.waivers import load_waivers
    from compliance_audit.workcalendar import WorkCalendar

    day = as_of or date.today()
    inputs = _inputs(inventory, waivers, calendar_file, catalogue_ref, rules_dir)
    if output is not None:
        check_output(output, inputs)
    book = load_rulebook(rules_dir)
    overrides = BureauOverrides(bureau_name, level, region, sector)
    # a folder is a saved copy of the portal: harvest it on the fly
    loaded = load_mirror(inventory, overrides) if inventory.is_dir() else load_inventory(inventory, overrides)
    catalogue = _catalogue(catalogue_ref, loaded.bureau)
    calendar = WorkCalendar.bundled()
    if calendar_file is not None:
        calendar = calendar.with_file(calendar_file)
    try:
        # the bureau's profile and functions are checked against the rules: a mistake there is in
        # the file the bureau came from
        plan = plan_audit(book, catalogue, loaded.bureau)
    except InputError as error:
        raise error.located(file=loaded.bureau_source or inventory) from None
    if explain_rule is not None:
        rule = next((r for r in plan.rules if r.id == explain_rule), None)
        if rule is None:
            raise InputError(
                f"没有编号为 {explain_rule} 的规则或目录项",
                expected="rules list 或 catalogue show 列出的编号",
            )
        matcher = Matcher(plan.rules, loaded.bureau)
        click.echo("\n".join(explain(rule, loaded.items, matcher, matcher.match(loaded.items))))
        return
    report = run_audit(loaded, book, catalogue, calendar, day, load_waivers(waivers) if waivers else ())
    text = RENDERERS[output_format](report)
    if output is None:
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


def _inputs(
    inventory: Path, waivers: Path | None, calendar: Path | None, catalogue: str | None, rules: Path | None
) -> list[Path | None]:
    """Every file and folder the audit reads: its output must be none of them, nor inside one."""
    from compliance_audit.harvest import mirror_sidecar_path
    from compliance_audit.inventory import sidecar_path

    sidecar = mirror_sidecar_path(inventory) if inventory.is_dir() else sidecar_path(inventory)
    catalogue_file = Path(catalogue) if catalogue is not None and Path(catalogue).exists() else None
    return [inventory, sidecar, waivers, calendar, catalogue_file, rules]


def _catalogue(reference: str | None, bureau: Any) -> Any:
    from compliance_audit.ruleset.catalogue import CatalogueLibrary, load_catalogue

    library = CatalogueLibrary.bundled()
    if reference is not None:
        return load_catalogue(reference, library)
    return library.select(bureau)
