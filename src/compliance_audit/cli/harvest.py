"""`harvest` (a saved portal → an inventory) and `init` (an empty inventory template)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from compliance_audit.cli.base import bureau_options, bureau_overrides, main, output_option, say
from compliance_audit.errors import InputError
from compliance_audit.output import check_output


@main.command("harvest")
@click.argument("mirror_dir", type=click.Path(path_type=Path))
@output_option("写出的清单：.yaml、.csv 或 .xlsx（按后缀）；CSV/XLSX 另写同名 .bureau.yaml", required=True)
@click.option(
    "--bureau", "bureau_file", type=click.Path(path_type=Path, dir_okay=False), help="含 bureau: 映射的 YAML"
)
@bureau_options
@click.option("--column-kind", "column_kinds", multiple=True, metavar="栏目=类型", help="栏目类型，可重复")
@click.option("--base-url", help="页面没有 canonical 链接时，镜像路径前加的网址（默认取镜像中的主机名目录）")
@click.option("-v", "--verbose", is_flag=True, help="列出每个跳过的文件及原因、每条警告")
@click.option("--force", is_flag=True, help="覆盖手工写过或改过的 .bureau.yaml")
def harvest_command(
    mirror_dir: Path,
    output: Path,
    bureau_file: Path | None,
    column_kinds: tuple[str, ...],
    base_url: str | None,
    verbose: bool,
    force: bool,
    **bureau: Any,
) -> None:
    """把保存的门户网站（wget --mirror 或“网页另存为”的网页、文本页面）整理成清单。"""
    from compliance_audit import harvest as harvesting
    from compliance_audit.inventory import sidecar_path
    from compliance_audit.inventory.writer import output_format, refuse_hand_written_sidecar, write_inventory

    kind = output_format(output)
    harvesting.check_mirror(mirror_dir)
    inputs = [mirror_dir, bureau_file, harvesting.mirror_sidecar_path(mirror_dir)]
    for target in [output, sidecar_path(output)] if kind == "csv" else [output]:
        check_output(target, inputs)
    if kind == "csv" and not force:
        refuse_hand_written_sidecar(output)
    facts = harvesting.read_bureau_file(bureau_file) if bureau_file else {}
    overrides = bureau_overrides(bureau)
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
    harvested = harvesting.build_bureau(facts, overrides, result.column_names, kinds, source=source)
    written = write_inventory(output, harvested, result.items, result.fields, inputs=inputs, force=force)
    for note in result.notes if verbose else ():
        say(f"{'跳过' if note.skipped else '警告'} {note.path}：{note.message}")
    for line in result.summary.lines(result.fields):
        say(line)
    if result.notes and not verbose:
        say("用 -v 列出每个跳过的文件及原因、每条警告。")
    say("已写出 " + "、".join(str(path) for path in written))


@main.command("init")
@output_option("模板文件：.xlsx、.csv 或 .yaml（按后缀）；CSV/XLSX 另写同名 .bureau.yaml", required=True)
@bureau_options
@click.option("--force", is_flag=True, help="覆盖已有的文件")
def init_command(output: Path, force: bool, **bureau: Any) -> None:
    """写出空白清单模板，供机关手工填写：表头、日期格式、有效性下拉选项和各列说明。"""
    from compliance_audit.audit import check_sector
    from compliance_audit.harvest import build_bureau
    from compliance_audit.inventory import sidecar_path
    from compliance_audit.inventory.writer import output_format, write_template
    from compliance_audit.ruleset.catalogue import CatalogueLibrary
    from compliance_audit.ruleset.loader import load_rulebook

    targets = [output] if output_format(output) != "csv" else [output, sidecar_path(output)]
    for target in targets:
        check_output(target)
    existing = next((path for path in targets if path.exists()), None)
    if existing is not None and not force:
        raise InputError("文件已存在，不会覆盖", file=existing, expected="另选文件名，或加 --force 覆盖")
    facts = build_bureau({}, bureau_overrides(bureau), require=False)
    check_sector(facts, load_rulebook(), CatalogueLibrary.bundled())
    written = write_template(output, facts)
    say("已写出 " + "、".join(str(path) for path in written))
