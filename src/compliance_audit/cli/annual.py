"""`report check` (an annual report, checked) and `selfassess` (the year-end self-assessment)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from compliance_audit.cli.base import (
    Group,
    as_of_option,
    bureau_options,
    format_option,
    main,
    output_option,
    rules_option,
)
from compliance_audit.dates import ACCEPTED_FORMS, DateFormError, parse_date


def _day(context: click.Context, parameter: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except DateFormError as error:
        raise click.BadParameter(f"{error}（应为 {ACCEPTED_FORMS}）", context, parameter) from None


_FAIL_ON = click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "never"]),
    default="error",
    show_default=True,
    help="出现该级别及以上的问题时退出码为 1",
)


@main.group(cls=Group)
def report() -> None:
    """政府信息公开工作年度报告。"""


@report.command("check")
@click.argument("reports", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--year", type=click.IntRange(2000, 2100), help="报告所属年度（标题未写明年度时）")
@click.option(
    "--previous",
    "previous",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="上一年度的年度报告（核对上年结转），可重复",
)
@click.option(
    "--inventory",
    type=click.Path(path_type=Path),
    help="本机关的已公开信息清单或保存的网站目录（比对表二的规范性文件件数）",
)
@click.option(
    "--published",
    callback=_day,
    metavar="DATE",
    help="报告的发布日期（文件未写明时；保存的网页读其“发布日期”）",
)
@as_of_option
@format_option("table", "json", "markdown")
@output_option("输出文件（默认或 - 为标准输出）")
@_FAIL_ON
@click.option("--waivers", type=click.Path(path_type=Path, dir_okay=False), help="豁免文件（YAML）")
@rules_option
@bureau_options
def report_check(
    reports: tuple[Path, ...],
    year: int | None,
    previous: tuple[Path, ...],
    inventory: Path | None,
    published: date | None,
    as_of: date | None,
    output_format: str,
    output: Path | None,
    fail_on: str,
    waivers: Path | None,
    rules_dir: Path | None,
    bureau_name: str | None,
    level: str | None,
    region: str | None,
    sector: str | None,
    profile: str | None,
    functions: tuple[str, ...],
) -> None:
    """检查年度报告（.docx、保存的 .html 网页、.pdf、.txt）：六个部分、表二表三表四的数字与勾稽关系、
    与上年报告的结转、与清单中规范性文件的件数、是否按期公布。"""
    from compliance_audit.annual.run import ReportOptions, check_report_files
    from compliance_audit.harvest import load_mirror
    from compliance_audit.inventory import BureauOverrides, load_inventory
    from compliance_audit.output import check_output, write_output
    from compliance_audit.report import RENDERERS
    from compliance_audit.ruleset.loader import load_rulebook
    from compliance_audit.waivers import load_waivers

    inputs = [*reports, *previous, inventory, waivers, rules_dir]
    if output is not None:
        check_output(output, inputs)
    book = load_rulebook(rules_dir)
    overrides = BureauOverrides(bureau_name, level, region, sector, profile, functions)
    loaded = None
    if inventory is not None:
        loaded = (
            load_mirror(inventory, overrides) if inventory.is_dir() else load_inventory(inventory, overrides)
        )
    options = ReportOptions(year, bureau_name, level or "county", published)
    result = check_report_files(
        reports,
        book,
        options=options,
        previous=previous,
        inventory=loaded,
        as_of=as_of or date.today(),
        waivers=load_waivers(waivers) if waivers else (),
    )
    text = RENDERERS[output_format](result)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_output(output, text, inputs)
    _exit_for(result.worst_severity(), fail_on)


@main.command("selfassess")
@click.argument("inventory", type=click.Path(path_type=Path))
@click.option("--year", required=True, type=click.IntRange(2019, 2100), help="自查的年度")
@output_option("自查报告：.docx、.md 或 .html（按后缀）", required=True)
@click.option(
    "--report", "report_file", type=click.Path(path_type=Path, dir_okay=False), help="本年度的年度报告"
)
@click.option(
    "--previous", type=click.Path(path_type=Path, dir_okay=False), help="上一年度的年度报告（核对上年结转）"
)
@click.option(
    "--published", callback=_day, metavar="DATE", help="年度报告的发布日期（判断是否在次年1月31日前公布）"
)
@click.option("--recipient", help="主送机关，如 秦州区人民政府办公室（默认：本级政府信息公开工作主管部门）")
@as_of_option
@rules_option
@click.option("--catalogue", "catalogue_ref", help="标准目录编号或目录文件（默认按领域、地区自动选择）")
@click.option(
    "--calendar", "calendar_file", type=click.Path(path_type=Path, dir_okay=False), help="补充节假日文件"
)
@click.option("--waivers", type=click.Path(path_type=Path, dir_okay=False), help="豁免文件（YAML）")
@bureau_options
def selfassess(
    inventory: Path,
    year: int,
    output: Path,
    report_file: Path | None,
    previous: Path | None,
    published: date | None,
    recipient: str | None,
    as_of: date | None,
    rules_dir: Path | None,
    catalogue_ref: str | None,
    calendar_file: Path | None,
    waivers: Path | None,
    bureau_name: str | None,
    level: str | None,
    region: str | None,
    sector: str | None,
    profile: str | None,
    functions: tuple[str, ...],
) -> None:
    """写出年度政府信息公开工作自查报告（.docx 公文格式，或 .md、.html）：自查范围和方法、总体情况、
    按类别列出的问题及依据和整改建议、年度报告检查、整改计划表，以及按清单起草的年报表二（草稿）。"""
    from compliance_audit.annual.run import ReportOptions, check_report_files
    from compliance_audit.annual.selfassess import build_selfassessment
    from compliance_audit.audit import run_audit
    from compliance_audit.harvest import load_mirror
    from compliance_audit.inventory import BureauOverrides, load_inventory
    from compliance_audit.output import check_output, write_output
    from compliance_audit.report.selfassess import RENDERERS, renderer_for
    from compliance_audit.ruleset.catalogue import CatalogueLibrary, load_catalogue
    from compliance_audit.ruleset.loader import load_rulebook
    from compliance_audit.waivers import load_waivers
    from compliance_audit.workcalendar import WorkCalendar

    render = renderer_for(output)
    catalogue_file = Path(catalogue_ref) if catalogue_ref and Path(catalogue_ref).exists() else None
    inputs = [inventory, report_file, previous, waivers, calendar_file, catalogue_file, rules_dir]
    check_output(output, inputs)
    day = as_of or date.today()
    book = load_rulebook(rules_dir)
    overrides = BureauOverrides(bureau_name, level, region, sector, profile, functions)
    loaded = load_mirror(inventory, overrides) if inventory.is_dir() else load_inventory(inventory, overrides)
    library = CatalogueLibrary.bundled()
    catalogue = load_catalogue(catalogue_ref, library) if catalogue_ref else library.select(loaded.bureau)
    calendar = WorkCalendar.bundled()
    if calendar_file is not None:
        calendar = calendar.with_file(calendar_file)
    accepted = load_waivers(waivers) if waivers else ()
    audit = run_audit(loaded, book, catalogue, calendar, day, accepted)
    annual = None
    if report_file is not None:
        options = ReportOptions(bureau=loaded.bureau.name, level=loaded.bureau.level, published=published)
        annual = check_report_files(
            [report_file],
            book,
            options=options,
            previous=[previous] if previous else [],
            inventory=loaded,
            as_of=day,
            waivers=accepted,
        )
    assessment = build_selfassessment(audit, annual, loaded, book, year=year, recipient=recipient)
    write_output(output, RENDERERS[render](assessment), inputs)
    click.echo(f"已写出 {output}", err=True)


def _exit_for(worst: str | None, fail_on: str) -> None:
    from compliance_audit.findings import SEVERITY_RANK

    if fail_on != "never" and worst is not None and SEVERITY_RANK[worst] <= SEVERITY_RANK[fail_on]:
        sys.exit(1)
