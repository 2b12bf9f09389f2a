"""`catalogue`: browse the standard catalogues, import a county's published table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from compliance_audit.cli.base import Group, format_option, main, output_option, say


@main.group(cls=Group)
def catalogue() -> None:
    """浏览标准目录，导入本地公布的目录。"""


@catalogue.command("list")
@format_option("table", "json", default="table")
def catalogue_list(output_format: str) -> None:
    """列出内置的标准目录及其地方版本。"""
    from compliance_audit.report.table import FIXED, grid, terminal_width
    from compliance_audit.ruleset.catalogue import CatalogueLibrary
    from compliance_audit.textwidth import wrap

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
    rows = [(c.id, c.title, c.extends or "", c.region, str(len(c.rows))) for c in catalogues]
    click.echo(grid(("编号", "名称", "继承", "地区", "行数"), rows, (FIXED, (3, 12), FIXED, (2, 10), FIXED)))
    for c in catalogues:
        if c.coverage_note:
            click.echo("\n" + "\n".join(wrap(f"{c.id}：{c.coverage_note}", terminal_width())))


@catalogue.command("show")
@click.argument("reference", metavar="ID_OR_PATH")
@format_option("table", "json", default="table")
def catalogue_show(reference: str, output_format: str) -> None:
    """显示一个标准目录的各行（事项、要素、依据、时限、方式、层级、来源）。"""
    from compliance_audit.inventory.model import LEVEL_LABELS
    from compliance_audit.report.table import FIXED, grid, terminal_width
    from compliance_audit.rulesdoc import catalogue_data
    from compliance_audit.ruleset.catalogue import CatalogueLibrary, load_catalogue
    from compliance_audit.textwidth import wrap

    resolved = load_catalogue(reference, CatalogueLibrary.bundled())
    data = catalogue_data(resolved)
    if output_format == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(
        f"{resolved.id}：{resolved.title}" + (f"（继承 {resolved.extends}）" if resolved.extends else "")
    )
    if resolved.coverage_note:
        click.echo("\n".join(wrap(resolved.coverage_note, terminal_width())))
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
    headers = ("编号", "事项", "公开内容（要素）", "公开时限", "方式", "层级")
    click.echo(grid(headers, rows, (FIXED, (3, 10), (4, 12), (2, 10), (1, 8), FIXED)))


@catalogue.command("import")
@click.argument("table", type=click.Path(path_type=Path, dir_okay=False))
@output_option("写入的目录文件（.yaml；- 为标准输出）", required=True)
@click.option("--id", "catalogue_id", help="目录编号（默认由表格文件名得出，中文取拼音）")
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
    from compliance_audit.output import is_stdout
    from compliance_audit.ruleset.catalogue import CatalogueLibrary, load_catalogue

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
        say(line)
    if is_stdout(output):
        return
    rows = load_catalogue(str(output), CatalogueLibrary.bundled()).rows
    known = [f"{row.id}={row.counterpart}" for row in rows if row.counterpart]
    say(
        f"其中 {len(known)} 行即已知事项，沿用其匹配条件、事件证据和用例（{'、'.join(known) or '无'}）；"
        f"其余 {len(rows) - len(known)} 行的匹配条件由事项和要素分词得出"
        f"（audit --explain {result.catalogue_id} 逐项列出）"
    )


def _mode_text(row: dict[str, Any]) -> str:
    if row["mode"] is None:
        return "未核实（不作要求）"
    if "mode" in row["inferred"]:
        return f"{row['mode']}（推断，不作要求）"
    return str(row["mode"])
