"""`catalogue import`: a county's published 标准目录 table → a catalogue file for `audit --catalogue`.

Readers turn each format into one grid model (readers.py, grid.py); finding the header (header.py),
reading the rows (rows.py) and their cells (cells.py) is the same for every format. The output is
a function of the input bytes and the options only (no import date), so importing the same table
twice gives the same file, byte for byte.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from compliance_audit.catalogue_import.grid import Table
from compliance_audit.catalogue_import.header import find_header
from compliance_audit.catalogue_import.rows import UnparsedCell, read_rows
from compliance_audit.errors import InputError
from compliance_audit.output import check_output, is_stdout, write_output
from compliance_audit.ruleset.catalogue import CatalogueLibrary
from compliance_audit.schemas import validate_document

DEFAULT_TITLE = "公开事项标准目录"
_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
# "(七)", "（一）", "七、", "附件1：" before the title of a catalogue published as part of a series
_TITLE_NUMBERING = re.compile(
    r"^(?:附件\s*\d*\s*[:：]?\s*)?(?:[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d+[.、])\s*"
)
_YAML_WIDTH = 100
_ID_LENGTH = 48
_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")


@dataclass(frozen=True)
class ImportResult:
    catalogue_id: str
    document: dict[str, Any]  # the catalogue file's data, valid against $defs/catalogue_file
    text: str  # the YAML text of the document, as written
    rows_without_mode: tuple[str, ...]  # ids of rows with no readable 主动/依申请 tick
    unparsed: tuple[UnparsedCell, ...]  # cells kept verbatim
    warnings: tuple[str, ...]  # everything above and the rows skipped, in Chinese, one line each

    @property
    def row_count(self) -> int:
        return len(self.document["rows"])


def import_catalogue(
    table_path: Path,
    output: Path,
    *,
    catalogue_id: str | None = None,
    title: str | None = None,
    sector: str = "justice",
    region: str | None = None,
    source_url: str | None = None,
) -> ImportResult:
    """Import the table and write the catalogue file; the id defaults to one made from the table
    file's name."""
    if output.suffix.lower() not in (".yaml", ".yml") and not is_stdout(output):
        raise InputError("目录文件应以 .yaml 为扩展名", file=output)
    check_output(output, [table_path])
    result = import_table(
        table_path,
        catalogue_id=catalogue_id or catalogue_id_for(table_path.stem),
        title=title,
        sector=sector,
        region=region,
        source_url=source_url,
    )
    write_output(output, result.text, [table_path])
    return result


def import_table(
    table_path: Path,
    *,
    catalogue_id: str,
    title: str | None = None,
    sector: str = "justice",
    region: str | None = None,
    source_url: str | None = None,
) -> ImportResult:
    from compliance_audit.catalogue_import.readers import read_tables

    _check_options(catalogue_id, sector)
    origin = Origin(table_path.name, hashlib.sha256(table_path.read_bytes()).hexdigest(), table_path)
    return import_tables(
        read_tables(table_path),
        origin,
        catalogue_id=catalogue_id,
        title=title,
        sector=sector,
        region=region,
        source_url=source_url,
    )


@dataclass(frozen=True)
class Origin:
    """Where a table came from: a file, or a page or item that holds it (the bureau's own catalogue
    found in an inventory or a saved portal)."""

    name: str  # the file name, or a description such as 清单第 12 行“…标准目录”
    digest: str  # sha256 of the bytes or text the tables were read from
    file: Path | None = None


def import_tables(
    tables: list[Table],
    origin: Origin,
    *,
    catalogue_id: str,
    title: str | None = None,
    sector: str = "justice",
    region: str | None = None,
    source_url: str | None = None,
) -> ImportResult:
    """The catalogue held by the first of these tables that has a catalogue's header."""

    def bad(message: str, **details: str) -> InputError:
        if origin.file is not None:
            return InputError(message, file=origin.file, **details)
        return InputError(f"{origin.name}：{message}", **details)

    found = [(table, header) for table in tables if (header := find_header(table)) is not None]
    if not found:
        from compliance_audit.catalogue_import.readers import ACCEPTED

        raise bad(
            "没有找到标准目录表格：没有哪个表格的表头同时含有“公开事项”（或一级、二级事项）和“公开内容”",
            expected=f"县级公布的标准目录表格（{ACCEPTED}）",
        )
    table, header = found[0]
    missing = [
        label
        for name, label in (("level1", "一级事项"), ("level2", "二级事项"))
        if header.scalar(name) is None
    ]
    if missing:
        raise bad(f"{table.where}的表头中没有“{'”“'.join(missing)}”列")
    source = source_url or origin.name
    read = read_rows(table, header, source)
    if not read.rows:
        raise bad(f"{table.where}在表头之下没有事项行")
    digest = origin.digest
    document = {
        "catalogue": {
            "id": catalogue_id,
            "title": title or _tidy_title(table.caption or read.title or table.page_title) or DEFAULT_TITLE,
            "version": f"sha256:{digest[:12]}",
            "sector": sector,
            **({"region": region} if region else {}),
            "covers": {"rows": len(read.rows), "of": None, "note": f"导入自 {origin.name}"},
            "sources": [source],
            "imported_from": origin.name,
        },
        "rows": list(read.rows),
    }
    validate_document(document, "ruleset", f"{origin.name} 的导入结果", definition="catalogue_file")
    warnings = [*read.notices]
    if len(found) > 1:
        warnings.append(f"文件中有 {len(found)} 个目录表格，只导入了{table.where}")
    warnings.extend(
        f"第 {cell.line} 行（{cell.row_id}）“{cell.column}”无法解析，原文已保留：{cell.text}"
        for cell in read.unparsed
    )
    empty = [row["id"] for row in read.rows if not row["elements"]]
    if empty:
        warnings.append(f"{len(empty)} 行的公开内容为空，审计时按事项名称匹配信息：" + "、".join(empty))
    if read.without_mode:
        warnings.append(
            f"{len(read.without_mode)} 行没有可读的公开方式（主动/依申请）勾选，审计时列为未评估："
            + "、".join(read.without_mode)
        )
    text = _render(document, origin.name, digest)
    return ImportResult(catalogue_id, document, text, read.without_mode, read.unparsed, tuple(warnings))


def catalogue_id_for(name: str) -> str:
    """A catalogue id from the name of the table (its file name without the suffix, or the title
    it was published under): Chinese words in pinyin, letters and digits kept, joined by hyphens
    (dongyang_plsd → dongyang-plsd; 东阳市公共法律服务目录 → dongyangshi-gonggongfalvfuwu-mulu).
    Requirement ids and waivers are named after it, so it stays short and readable."""
    from pypinyin import lazy_pinyin

    from compliance_audit.matching.derive import words

    parts = []
    for word, _ in words(name):
        slug = _NOT_SLUG.sub("-", "".join(lazy_pinyin(word)).lower()).strip("-")
        if slug:
            parts.append(slug)
    slug = "-".join(parts)[:_ID_LENGTH].rstrip("-")
    if not slug:
        raise InputError(
            f"无法由名称“{name}”得出目录编号", field="--id", expected="用 --id 指定，如 dongyang-plsd"
        )
    return slug if slug[:1].isalpha() else f"catalogue-{slug}"


def summary_lines(result: ImportResult, output: Path) -> list[str]:
    """What `catalogue import` prints on stderr."""
    lines = [
        f"已导入 {result.row_count} 行 → {output}（目录编号 {result.catalogue_id}）；"
        f"未勾选公开方式 {len(result.rows_without_mode)} 行；无法解析的单元格 {len(result.unparsed)} 个。"
    ]
    lines.extend(f"提示：{warning}" for warning in result.warnings)
    lines.append(f"用法：compliance-audit audit 清单文件 --catalogue {output}")
    return lines


def _check_options(catalogue_id: str, sector: str) -> None:
    if not _ID.fullmatch(catalogue_id):
        raise InputError(
            f"目录编号“{catalogue_id}”不合格式",
            field="--id",
            expected="小写字母开头，字母、数字和连字符，如 dongyang-plsd",
        )
    if catalogue_id in CatalogueLibrary.bundled().ids():
        raise InputError(f"目录编号 {catalogue_id} 与内置目录重复", field="--id", expected="另取一个编号")
    if not _ID.fullmatch(sector):
        raise InputError(f"领域“{sector}”不合格式", field="--sector", expected="小写字母和连字符，如 justice")


def _tidy_title(title: str | None) -> str | None:
    if not title:
        return None
    return _TITLE_NUMBERING.sub("", title.replace("\n", "")).strip() or None


def _render(document: dict[str, Any], file_name: str, digest: str) -> str:
    safe_name = _LINE_BREAKS.sub("?", file_name)  # a line break in a comment would start YAML
    heading = (
        f"# 由 compliance-audit catalogue import 从 {safe_name}（sha256 {digest[:12]}）导入。\n"
        "# 各行按原表读取；无法解析的单元格原文保留在该行的 notes 或 deadline.text 中。\n"
    )
    # libyaml's emitter writes the same text as PyYAML's, three to four times faster (bounded work)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    body = yaml.dump(
        document,
        Dumper=dumper,
        allow_unicode=True,
        sort_keys=False,
        width=_YAML_WIDTH,
        default_flow_style=False,
    )
    return heading + body


__all__ = [
    "DEFAULT_TITLE",
    "ImportResult",
    "Origin",
    "UnparsedCell",
    "catalogue_id_for",
    "import_catalogue",
    "import_table",
    "import_tables",
    "summary_lines",
]
