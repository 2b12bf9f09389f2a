"""`rules`: browse, validate and self-test the rule files."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from compliance_audit.cli.base import BadInput, Group, format_option, main, output_option, rules_option


@main.group(cls=Group)
def rules() -> None:
    """浏览、校验、自测规则。"""


@rules.command("list")
@rules_option
@format_option("table", "json", default="table")
def rules_list(rules_dir: Path | None, output_format: str) -> None:
    """列出全部规则。"""
    from compliance_audit.report.table import FIXED, grid
    from compliance_audit.ruleset.loader import load_rulebook

    book = load_rulebook(rules_dir)
    if output_format == "json":
        data = [
            {"id": r.id, "title": r.title, "severity": r.severity, "refs": [ref.as_json() for ref in r.refs]}
            for r in book.rules
        ]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    rows = [
        (rule.id, rule.title, rule.severity, "；".join(ref.label(book.sources) for ref in rule.refs))
        for rule in book.rules
    ]
    click.echo(grid(("编号", "名称", "级别", "依据"), rows, (FIXED, (3, 12), FIXED, (2, 12))))


@rules.command("show")
@click.argument("rule_id")
@rules_option
@format_option("yaml", "json", default="yaml")
def rules_show(rule_id: str, rules_dir: Path | None, output_format: str) -> None:
    """显示一条规则（或目录项，如 moj-plsd-2019:N1）的全文、依据与匹配条件，或一个职能档案的各项
    职能及其法律依据（YAML，或 --format json）。"""
    import yaml

    from compliance_audit.rulesdoc import find_rule, profile_data, rule_data
    from compliance_audit.ruleset.catalogue import CatalogueLibrary
    from compliance_audit.ruleset.loader import load_rulebook

    book = load_rulebook(rules_dir)
    profile = book.profiles.get(rule_id)
    if profile is not None:
        data = profile_data(profile, book)
    else:
        rule, sources = find_rule(rule_id, book, CatalogueLibrary.bundled())
        data = rule_data(rule, sources)
    if output_format == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=4096), nl=False)


@rules.command("validate")
@click.argument("path", required=False, type=click.Path(path_type=Path, file_okay=False))
def rules_validate(path: Path | None) -> None:
    """校验规则目录：格式、重复编号、悬空引用。"""
    from compliance_audit.ruleset.loader import load_rulebook

    book = load_rulebook(path, collect=True)
    where = str(path) if path else "内置规则"
    if book.problems:
        for problem in book.problems:
            click.echo(f"✗ {problem}", err=True)
        raise BadInput(f"{where}：发现 {len(book.problems)} 处问题")
    sources = {ref.source for rule in book.rules for ref in rule.refs}
    counts = f"{len(book.rulesets)} 个规则文件，{len(book.rules)} 条规则，引用 {len(sources)} 个来源"
    click.echo(f"✓ {where}：{counts}，均有效")


@rules.command("test")
@rules_option
@click.option(
    "--catalogue",
    "catalogue_ref",
    help="另测一个导入的目录：其中即已知事项的各行沿用已知事项的用例",
)
@click.option("-v", "--verbose", is_flag=True, help="列出每个用例")
def rules_test(rules_dir: Path | None, catalogue_ref: str | None, verbose: bool) -> None:
    """运行规则与目录各项的自测用例。"""
    from compliance_audit.ruleset.catalogue import (
        CatalogueLibrary,
        bundled_catalogues_directory,
        load_catalogue,
    )
    from compliance_audit.ruleset.loader import bundled_rules_directory, load_rulebook
    from compliance_audit.selftest import coverage_gaps, run_cases
    from compliance_audit.workcalendar import WorkCalendar

    book = load_rulebook(rules_dir)
    library = CatalogueLibrary.bundled()
    catalogue = load_catalogue(catalogue_ref, CatalogueLibrary.bundled()) if catalogue_ref else None
    with bundled_rules_directory() as bundled_rules, bundled_catalogues_directory() as bundled_catalogues:
        directories = [rules_dir or bundled_rules, bundled_catalogues]
        results = run_cases(book, library, directories, WorkCalendar.bundled(), catalogue)
    failed = [result for result in results if not result.passed]
    for result in results:
        if verbose or not result.passed:
            mark = "✓" if result.passed else "✗"
            click.echo(f"{mark} {result.rule}：{result.name}")
            for problem in result.problems:
                click.echo(f"    {problem}")
    gaps = coverage_gaps(book, library, results)
    for gap in gaps:
        click.echo(f"✗ {gap}")
    passed = len(results) - len(failed)
    click.echo(f"{len(results)} 个用例，{passed} 个通过，{len(failed)} 个失败；缺少用例 {len(gaps)} 处")
    if failed or gaps:
        sys.exit(1)


@rules.command("coverage")
@output_option("写入文件（默认或 - 为标准输出）")
def rules_coverage(output: Path | None) -> None:
    """生成条文覆盖表：参考资料的每一条、对应的规则编号，或无法从清单判断的原因。"""
    from compliance_audit.output import write_output
    from compliance_audit.rulesdoc import coverage_markdown
    from compliance_audit.ruleset.catalogue import CatalogueLibrary
    from compliance_audit.ruleset.loader import load_rulebook

    book = load_rulebook(None)
    library = CatalogueLibrary.bundled()
    text = coverage_markdown(book, library)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_output(output, text)
