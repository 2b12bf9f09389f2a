"""The command line. Each command parses its options, calls the library, and prints; bad input
of any kind ends in one paragraph on stderr and exit code 2, never a traceback."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click
from tabulate import tabulate

from compliance_audit import __version__
from compliance_audit.audit import plan_audit, run_audit
from compliance_audit.dates import ACCEPTED_FORMS, DateFormError, parse_date
from compliance_audit.errors import InputError
from compliance_audit.findings import SEVERITY_RANK
from compliance_audit.harvest import load_mirror
from compliance_audit.inventory import BureauOverrides, load_inventory
from compliance_audit.inventory.model import LEVEL_LABELS, LEVELS
from compliance_audit.matching.explain import explain
from compliance_audit.matching.matcher import Matcher
from compliance_audit.output import refuse_overwrite, write_atomic
from compliance_audit.report import RENDERERS
from compliance_audit.rulesdoc import catalogue_data, coverage_markdown, rule_data
from compliance_audit.ruleset.catalogue import Catalogue, CatalogueLibrary, load_catalogue
from compliance_audit.ruleset.loader import bundled_rules_directory, load_rulebook
from compliance_audit.waivers import load_waivers
from compliance_audit.workcalendar import WorkCalendar

F = TypeVar("F", bound=Callable[..., Any])


class BadInput(click.ClickException):
    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"compliance-audit: {self.message}", err=True)


class Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InputError as error:
            raise BadInput(str(error)) from None


def _as_of(context: click.Context, parameter: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except DateFormError as error:
        raise click.BadParameter(f"{error}（应为 {ACCEPTED_FORMS}）", context, parameter) from None


def rules_option(function: F) -> F:
    return click.option(
        "--rules",
        "rules_dir",
        type=click.Path(path_type=Path, file_okay=False),
        help="规则目录（默认：内置规则）",
    )(function)


def bureau_options(function: F) -> F:
    """The bureau facts a command line can give; they win over the file and its sidecar."""
    for option in reversed(
        (
            click.option("--bureau-name", help="公开主体名称（优先于文件中写的）"),
            click.option("--level", type=click.Choice(LEVELS), help="层级"),
            click.option("--region", help="行政区划，如 甘肃省天水市秦州区"),
            click.option("--sector", help="领域，如 justice"),
        )
    ):
        function = option(function)
    return function


def format_option(*choices: str) -> Callable[[F], F]:
    def decorate(function: F) -> F:
        return click.option(
            "--format", "output_format", type=click.Choice(choices), default=choices[0], show_default=True
        )(function)

    return decorate


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="compliance-audit")
def main() -> None:
    """检查政府信息公开是否完整、及时（《政府信息公开条例》与领域标准目录）。"""


@main.command()
@click.argument("inventory", type=click.Path(path_type=Path))
@click.option("--as-of", callback=_as_of, metavar="DATE", help="审计日（默认今天）；所有日期判断以此日为准")
@format_option("table", "json", "markdown")
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
    day = as_of or date.today()
    book = load_rulebook(rules_dir)
    overrides = BureauOverrides(bureau_name, level, region, sector)
    # a folder is a saved copy of the portal: harvest it on the fly
    loaded = load_mirror(inventory, overrides) if inventory.is_dir() else load_inventory(inventory, overrides)
    catalogue = _catalogue(catalogue_ref, loaded.bureau)
    calendar = WorkCalendar.bundled()
    if calendar_file is not None:
        calendar = calendar.with_file(calendar_file)
    if explain_rule is not None:
        plan = plan_audit(book, catalogue, loaded.bureau)
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
        refuse_overwrite(output, inventory)
        write_atomic(output, text)
    if report.calendar.fallback_years and (output is not None or output_format != "table"):
        years = "、".join(str(year) for year in report.calendar.fallback_years)
        click.echo(f"compliance-audit: 警告：{years} 年不在节假日日历内，已按仅周末休息计算工作日", err=True)
    worst = report.worst_severity()
    if fail_on != "never" and worst is not None and SEVERITY_RANK[worst] <= SEVERITY_RANK[fail_on]:
        sys.exit(1)


def _catalogue(reference: str | None, bureau: Any) -> Catalogue | None:
    library = CatalogueLibrary.bundled()
    if reference is not None:
        return load_catalogue(reference, library)
    selected: Catalogue | None = library.select(bureau)
    return selected


@main.group(cls=Group)
def rules() -> None:
    """浏览、校验、自测规则。"""


@rules.command("list")
@rules_option
@format_option("table", "json")
def rules_list(rules_dir: Path | None, output_format: str) -> None:
    """列出全部规则。"""
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
    click.echo(
        tabulate(
            rows,
            headers=("编号", "名称", "级别", "依据"),
            tablefmt="simple",
            maxcolwidths=[None, 36, None, 40],
        )
    )


@rules.command("show")
@click.argument("rule_id")
@rules_option
@format_option("table", "json")
def rules_show(rule_id: str, rules_dir: Path | None, output_format: str) -> None:
    """显示一条规则的全文、依据与匹配条件。"""
    book = load_rulebook(rules_dir)
    rule = book.rule(rule_id)
    data = rule_data(rule, book.sources)
    if output_format == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(_show_mapping(data))


@rules.command("validate")
@click.argument("path", required=False, type=click.Path(path_type=Path, file_okay=False))
def rules_validate(path: Path | None) -> None:
    """校验规则目录：格式、重复编号、悬空引用。"""
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
@click.option("-v", "--verbose", is_flag=True, help="列出每个用例")
def rules_test(rules_dir: Path | None, verbose: bool) -> None:
    """运行规则与目录各项的自测用例。"""
    from compliance_audit.selftest import coverage_gaps, run_cases

    book = load_rulebook(rules_dir)
    library = CatalogueLibrary.bundled()
    with bundled_rules_directory() as bundled_rules, _bundled_catalogues() as bundled_catalogues:
        directories = [rules_dir or bundled_rules, bundled_catalogues]
        results = run_cases(book, library, directories, WorkCalendar.bundled())
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
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="写入文件（默认标准输出）"
)
def rules_coverage(output: Path | None) -> None:
    """生成条文覆盖表：参考资料的每一条、对应的规则编号，或无法从清单判断的原因。"""
    book = load_rulebook(None)
    library = CatalogueLibrary.bundled()
    text = coverage_markdown(book, library)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomic(output, text)


@main.group(cls=Group)
def catalogue() -> None:
    """浏览标准目录，导入本地公布的目录。"""


@catalogue.command("list")
@format_option("table", "json")
def catalogue_list(output_format: str) -> None:
    """列出内置的标准目录及其地方版本。"""
    library = CatalogueLibrary.bundled()
    catalogues = [library.resolve(catalogue_id) for catalogue_id in library.ids()]
    if output_format == "json":
        data = [
            {
                "id": c.id,
                "title": c.title,
                "extends": c.extends,
                "region": c.region or None,
                "rows": len(c.rows),
                "coverage": c.coverage_note,
            }
            for c in catalogues
        ]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    rows = [(c.id, c.title, c.extends or "", c.region, len(c.rows)) for c in catalogues]
    click.echo(tabulate(rows, headers=("编号", "名称", "继承", "地区", "行数"), tablefmt="simple"))
    for c in catalogues:
        if c.coverage_note:
            click.echo(f"\n{c.id}：{c.coverage_note}")


@catalogue.command("show")
@click.argument("reference", metavar="ID_OR_PATH")
@format_option("table", "json")
def catalogue_show(reference: str, output_format: str) -> None:
    """显示一个标准目录的各行（事项、要素、依据、时限、方式、层级、来源）。"""
    resolved = load_catalogue(reference, CatalogueLibrary.bundled())
    data = catalogue_data(resolved)
    if output_format == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(
        f"{resolved.id}：{resolved.title}" + (f"（继承 {resolved.extends}）" if resolved.extends else "")
    )
    if resolved.coverage_note:
        click.echo(resolved.coverage_note)
    rows = [
        (
            row["id"],
            f"{row['level1']}—{row['level2']}",
            "、".join(row["elements"]),
            row["deadline"]["text"],
            _mode_text(row),
            "、".join(LEVEL_LABELS[level] for level in row["levels"]),
        )
        for row in data["rows"]
    ]
    click.echo(
        tabulate(
            rows,
            headers=("编号", "事项", "公开内容（要素）", "公开时限", "方式", "层级"),
            tablefmt="simple_grid",
            maxcolwidths=[None, 30, 40, 24, None, None],
        )
    )


@catalogue.command("import")
@click.argument("table", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="写入的目录文件（.yaml）",
)
@click.option("--id", "catalogue_id", help="目录编号（默认取自输出文件名）")
@click.option("--title", help="目录名称（默认取表格标题或网页标题）")
@click.option("--sector", default="justice", show_default=True, help="领域")
@click.option("--region", help="地区，如 浙江省金华市东阳市")
@click.option("--source-url", help="表格的发布网址（写入 sources；默认为文件名）")
def catalogue_import(
    table: Path,
    output: Path,
    catalogue_id: str | None,
    title: str | None,
    sector: str,
    region: str | None,
    source_url: str | None,
) -> None:
    """把本县公布的标准目录表格（.html、.xlsx、.csv、.docx）导入为目录文件，供 audit --catalogue 使用。"""
    from compliance_audit.catalogue_import import import_catalogue, summary_lines

    result = import_catalogue(
        table,
        output,
        catalogue_id=catalogue_id,
        title=title,
        sector=sector,
        region=region,
        source_url=source_url,
    )
    for line in summary_lines(result, output):
        click.echo(line, err=True)


@main.command("harvest")
@click.argument("mirror_dir", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="写出的清单：.yaml、.csv 或 .xlsx（按后缀）；CSV/XLSX 另写同名 .bureau.yaml",
)
@click.option(
    "--bureau", "bureau_file", type=click.Path(path_type=Path, dir_okay=False), help="含 bureau: 映射的 YAML"
)
@bureau_options
@click.option("--column-kind", "column_kinds", multiple=True, metavar="栏目=类型", help="栏目类型，可重复")
@click.option("--base-url", help="页面没有 canonical 链接时，镜像路径前加的网址（默认取镜像中的主机名目录）")
@click.option("-v", "--verbose", is_flag=True, help="列出每个跳过的文件及原因、每条警告")
def harvest_command(
    mirror_dir: Path,
    output: Path,
    bureau_file: Path | None,
    bureau_name: str | None,
    level: str | None,
    region: str | None,
    sector: str | None,
    column_kinds: tuple[str, ...],
    base_url: str | None,
    verbose: bool,
) -> None:
    """把保存的门户网站（wget --mirror 或“网页另存为”的网页、文本页面）整理成清单。"""
    from compliance_audit import harvest as harvesting
    from compliance_audit.inventory.writer import output_format, write_inventory

    output_format(output)
    harvesting.check_mirror(mirror_dir)
    facts = harvesting.read_bureau_file(bureau_file) if bureau_file else {}
    overrides = BureauOverrides(bureau_name, level, region, sector)
    harvesting.require_name(facts, overrides, bureau_file)
    kinds = harvesting.parse_column_kinds(column_kinds)
    if sys.stderr.isatty():
        total = harvesting.count_files(mirror_dir)
        with click.progressbar(length=total, label="读取页面", file=sys.stderr) as bar:
            result = harvesting.harvest(
                mirror_dir, base_url=base_url, column_kinds=kinds, on_page=lambda *_: bar.update(1)
            )
    else:
        result = harvesting.harvest(mirror_dir, base_url=base_url, column_kinds=kinds)
    harvesting.require_items(result, mirror_dir)
    source = bureau_file or "命令行"
    bureau = harvesting.build_bureau(facts, overrides, result.column_names, kinds, source=source)
    if bureau_file is not None:
        refuse_overwrite(output, bureau_file)
    written = write_inventory(output, bureau, result.items, result.fields)
    for note in result.notes if verbose else ():
        click.echo(f"{'跳过' if note.skipped else '警告'} {note.path}：{note.message}", err=True)
    for line in result.summary.lines(result.fields):
        click.echo(line, err=True)
    if result.notes and not verbose:
        click.echo("用 -v 列出每个跳过的文件及原因、每条警告。", err=True)
    click.echo("已写出 " + "、".join(str(path) for path in written), err=True)


@main.command("init")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="模板文件：.xlsx、.csv 或 .yaml（按后缀）；CSV/XLSX 另写同名 .bureau.yaml",
)
@bureau_options
@click.option("--force", is_flag=True, help="覆盖已有的文件")
def init_command(
    output: Path,
    bureau_name: str | None,
    level: str | None,
    region: str | None,
    sector: str | None,
    force: bool,
) -> None:
    """写出空白清单模板，供机关手工填写：表头、日期格式、有效性下拉选项和各列说明。"""
    from compliance_audit.harvest import build_bureau
    from compliance_audit.inventory import sidecar_path
    from compliance_audit.inventory.writer import output_format, write_template

    targets = [output] if output_format(output) == "yaml" else [output, sidecar_path(output)]
    existing = next((path for path in targets if path.exists()), None)
    if existing is not None and not force:
        raise InputError("文件已存在，不会覆盖", file=existing, expected="另选文件名，或加 --force 覆盖")
    bureau = build_bureau({}, BureauOverrides(bureau_name, level, region, sector), require=False)
    written = write_template(output, bureau)
    click.echo("已写出 " + "、".join(str(path) for path in written), err=True)


def _mode_text(row: dict[str, Any]) -> str:
    if row["mode"] is None:
        return "未核实（不作要求）"
    if "mode" in row["inferred"]:
        return f"{row['mode']}（推断，不作要求）"
    return str(row["mode"])


def _bundled_catalogues() -> Any:
    from importlib.resources import as_file, files

    return as_file(files("compliance_audit").joinpath("catalogues"))


def _show_mapping(data: dict[str, Any], indent: str = "") -> str:
    lines = []
    for key, value in data.items():
        if isinstance(value, dict):
            lines.append(f"{indent}{key}:")
            lines.append(_show_mapping(value, indent + "  "))
        elif isinstance(value, list):
            lines.append(f"{indent}{key}:")
            for entry in value:
                text = json.dumps(entry, ensure_ascii=False) if isinstance(entry, dict | list) else str(entry)
                lines.append(f"{indent}  - {text}")
        else:
            lines.append(f"{indent}{key}: {value}")
    return "\n".join(lines)
