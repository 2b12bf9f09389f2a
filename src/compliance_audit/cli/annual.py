"""`report check` (an annual report, checked) and `selfassess` (the year-end self-assessment)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import click

from compliance_audit.cli.base import (
    Delivery,
    Group,
    as_of_option,
    bureau_options,
    bureau_overrides,
    deliver,
    main,
    output_option,
    report_options,
    rules_option,
)
from compliance_audit.dates import ACCEPTED_FORMS, DateFormError, parse_date
from compliance_audit.report import FORMATS

REPORT_FORMATS = FORMATS


def _day(context: click.Context, parameter: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except DateFormError as error:
        raise click.BadParameter(f"{error}（应为 {ACCEPTED_FORMS}）", context, parameter) from None


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
@report_options(*REPORT_FORMATS)
@rules_option
@bureau_options
def report_check(
    reports: tuple[Path, ...],
    year: int | None,
    previous: tuple[Path, ...],
    inventory: Path | None,
    published: date | None,
    as_of: date | None,
    waivers: Path | None,
    baseline: Path | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    rules_dir: Path | None,
    **options: Any,
) -> None:
    """检查年度报告（.docx、保存的 .html 网页、.pdf、.txt）：六个部分、表二表三表四的数字与勾稽关系、
    与上年报告的结转、与清单中规范性文件的件数、是否按期公布。"""
    from compliance_audit.annual.run import ReportOptions, check_report_files
    from compliance_audit.dates import today_in_china
    from compliance_audit.harvest import load_mirror
    from compliance_audit.inventory import load_inventory
    from compliance_audit.report.baseline import compare, load_baseline
    from compliance_audit.ruleset.loader import load_rulebook
    from compliance_audit.selection import RuleSelection, parse_patterns
    from compliance_audit.waivers import load_waivers

    delivery = Delivery.of(options)
    inputs = (*reports, *previous, inventory, waivers, baseline, rules_dir)
    delivery.check(REPORT_FORMATS, inputs)
    book = load_rulebook(rules_dir)
    overrides = bureau_overrides(options)
    loaded = None
    if inventory is not None:
        loaded = (
            load_mirror(inventory, overrides) if inventory.is_dir() else load_inventory(inventory, overrides)
        )
    checked = ReportOptions(year, overrides.name, overrides.level or "county", published)
    result = check_report_files(
        reports,
        book,
        options=checked,
        previous=previous,
        inventory=loaded,
        as_of=as_of or today_in_china(),
        waivers=load_waivers(waivers) if waivers else (),
        selection=RuleSelection(parse_patterns(select), parse_patterns(ignore)),
    )
    result.gate = delivery.gate
    if baseline is not None:
        result = compare(result, load_baseline(baseline))
    deliver(result, delivery, REPORT_FORMATS, inputs)


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
    **bureau: Any,
) -> None:
    """写出年度政府信息公开工作自查报告（.docx 公文格式，或 .md、.html）：自查范围和方法、总体情况、
    按类别列出的问题及依据和整改建议、年度报告检查、整改计划表，以及按清单起草的年报表二（草稿）。"""
    from compliance_audit.annual.run import ReportOptions, check_report_files
    from compliance_audit.annual.selfassess import build_selfassessment
    from compliance_audit.audit import check_sector, run_audit
    from compliance_audit.catalogue_import.own import PortalPages, choose_catalogue
    from compliance_audit.dates import today_in_china
    from compliance_audit.harvest import load_mirror
    from compliance_audit.inventory import load_inventory
    from compliance_audit.output import check_output, write_output
    from compliance_audit.report.selfassess import RENDERERS, renderer_for
    from compliance_audit.ruleset.catalogue import CatalogueLibrary
    from compliance_audit.ruleset.loader import load_rulebook
    from compliance_audit.waivers import load_waivers
    from compliance_audit.workcalendar import WorkCalendar

    render = renderer_for(output)
    catalogue_file = Path(catalogue_ref) if catalogue_ref and Path(catalogue_ref).exists() else None
    inputs = [inventory, report_file, previous, waivers, calendar_file, catalogue_file, rules_dir]
    check_output(output, inputs)
    day = as_of or today_in_china()
    book = load_rulebook(rules_dir)
    overrides = bureau_overrides(bureau)
    # the same inventory, catalogue choice and sector check as audit
    portal = PortalPages(inventory) if inventory.is_dir() else None
    loaded = load_mirror(inventory, overrides, portal.see) if portal else load_inventory(inventory, overrides)
    library = CatalogueLibrary.bundled()
    check_sector(loaded.bureau, book, library)
    catalogue = choose_catalogue(catalogue_ref, loaded, library, portal)
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
