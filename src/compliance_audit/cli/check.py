"""`check`: items about to be published, judged before they go live (a pre-publication gate)."""

from __future__ import annotations

import sys
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
from compliance_audit.errors import InputError
from compliance_audit.report import FORMATS

CHECK_FORMATS = FORMATS
# the formats a draft on standard input can be read in (each is read as a file of that suffix)
STDIN_FORMATS = ("yaml", "json", "jsonl", "csv")


@main.command("check")
@click.argument("drafts", nargs=-1, required=True, type=click.Path(path_type=Path, allow_dash=True))
@click.option(
    "--inventory",
    "published",
    type=click.Path(path_type=Path),
    help="已公开信息的清单：索引号不得重复、发布机构写法一致、解读已发布的不再要求",
)
@click.option(
    "--stdin-format",
    type=click.Choice(STDIN_FORMATS),
    default="yaml",
    show_default=True,
    help="从标准输入（-）读草稿时的格式（yaml 也读 JSON 文档）",
)
@as_of_option
@report_options(*CHECK_FORMATS)
@rules_option
@click.option(
    "--calendar", "calendar_file", type=click.Path(path_type=Path, dir_okay=False), help="补充节假日文件"
)
@bureau_options
def check_command(
    drafts: tuple[Path, ...],
    published: Path | None,
    stdin_format: str,
    as_of: date | None,
    waivers: Path | None,
    baseline: Path | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    rules_dir: Path | None,
    calendar_file: Path | None,
    **options: Any,
) -> None:
    """发布前检查待发布的信息（草稿）。

    草稿的格式同清单（一条或多条，- 为标准输入），可不写公开主体（取自 --inventory）和发布日期
    （按审计日）。检查个人信息、目录元数据、索引号（格式，及与已公开清单是否重复）、日期与有效期、
    引用已修订的条例、规范性文件的解读，逐个草稿报告。"""
    from compliance_audit.audit import check_sector
    from compliance_audit.dates import today_in_china
    from compliance_audit.inventory import load_inventory
    from compliance_audit.prepublish import check_drafts, load_drafts
    from compliance_audit.report.baseline import compare, load_baseline
    from compliance_audit.ruleset.catalogue import CatalogueLibrary
    from compliance_audit.ruleset.loader import load_rulebook
    from compliance_audit.selection import RuleSelection, parse_patterns
    from compliance_audit.waivers import load_waivers
    from compliance_audit.workcalendar import WorkCalendar

    if sum(1 for path in drafts if str(path) == "-") > 1:
        raise InputError("标准输入（-）只能读一次", field="DRAFTS")
    delivery = Delivery.of(options)
    inputs = (*(path for path in drafts if str(path) != "-"), published, waivers, baseline, calendar_file)
    delivery.check(CHECK_FORMATS, inputs)
    day = as_of or today_in_china()
    overrides = bureau_overrides(options)
    book = load_rulebook(rules_dir)
    known = load_inventory(published, overrides) if published is not None else None
    loaded = load_drafts(drafts, overrides, known, day, sys.stdin.buffer, stdin_format)
    library = CatalogueLibrary.bundled()
    check_sector((known or loaded[0].inventory).bureau, book, library)
    calendar = WorkCalendar.bundled()
    if calendar_file is not None:
        calendar = calendar.with_file(calendar_file)
    selection = RuleSelection(parse_patterns(select), parse_patterns(ignore))
    report = check_drafts(
        loaded, known, book, None, calendar, day, load_waivers(waivers) if waivers else (), selection
    )
    report.gate = delivery.gate
    if baseline is not None:
        report = compare(report, load_baseline(baseline))
    deliver(report, delivery, CHECK_FORMATS, inputs)
