"""Writing an inventory (harvested, or an empty template) in a format load_inventory reads back.

YAML carries the bureau itself; CSV and XLSX get Chinese headers (so that Excel and WPS users see
索引号, 标题 …). An XLSX carries the bureau in its 公开主体 sheet, so a filled-in workbook travels as
one file; a CSV has nowhere to put it and gets the .bureau.yaml sidecar, as the contract says. CSV is
UTF-8 with a BOM because Excel takes a BOM-less CSV for the local ANSI code page.

Portal text is untrusted: a cell that begins with = + - @ (or a tab or carriage return) is a
formula to a spreadsheet. In XLSX such a value is stored as text with Excel's quote-prefix flag,
so it reads back unchanged; CSV has no flag, so the value gets a leading apostrophe, which
spreadsheets treat as "this is text" and which load_inventory reads back as part of the text.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, BinaryIO

import yaml
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from compliance_audit.errors import InputError
from compliance_audit.inventory import sidecar_path
from compliance_audit.inventory.fields import (
    BUREAU_ROWS,
    BUREAU_SHEET,
    DATE_FIELDS,
    FIELD_LABELS,
    FORMULA_TRIGGERS,
    ITEM_FIELDS,
    VALIDITY_VALUES,
    neutralise_formula,
)
from compliance_audit.inventory.model import LEVEL_LABELS, Bureau, Item
from compliance_audit.output import atomic_output, write_outputs

FORMATS = {".yaml": "yaml", ".yml": "yaml", ".csv": "csv", ".xlsx": "xlsx"}
REQUIRED_FIELDS = ("title", "published")
SHEET_TITLE = "信息清单"
HELP_SHEET_TITLE = "填写说明"
DATE_FORMAT = "yyyy-mm-dd"
# Rows of a template that get the 有效性 drop-down and date format ready for typing.
TEMPLATE_ROWS = 2000

_Dumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

# What each column means, for the template's explanation sheet and YAML comments.
FIELD_HELP: dict[str, tuple[str, str]] = {
    "index_no": ("政府信息公开目录的索引号，同一机关内不重复", "20230618-164601-120"),
    "title": ("信息名称，与网站上的标题一致", "秦州区司法局关于印发《行政执法公示制度实施办法》的通知"),
    "topic": ("按本机关公开指南的分类体系填写", "政府工作\\行政执法"),
    "publisher": ("负责公开的机关", "天水市秦州区司法局"),
    "formed": ("信息形成或变更的日期（生成日期）", "2021-01-20"),
    "published": ("在网站上公开的日期", "2021-01-25"),
    "column": ("信息所在的网站栏目；栏目及其类型写在 .bureau.yaml 的 columns 中", "文件及解读"),
    "doc_no": ("没有文号的信息留空", "秦司发〔2021〕3号"),
    "validity": ("规范性文件填写 " + "、".join(VALIDITY_VALUES) + " 之一；其他信息留空", "有效"),
    "valid_until": ("规范性文件的有效期截止日", "2026-01-24"),
    "url": ("信息页面的网址", "https://www.example.gov.cn/art/2021/1/25/art_1_1.html"),
    "mirror_file": ("由 harvest 从网站镜像整理时填写：页面在镜像目录中的路径；手工填写时留空", ""),
    "summary": ("一两句话说明内容", "规定行政执法事前、事中、事后公示的内容、时限和责任"),
    "tags": ("本机关认定该条信息满足的要求编号，多个用顿号分隔；可不填", ""),
    "body": ("全文；可不填，填写后可检查是否泄露个人信息", ""),
}
_WIDTHS = {"title": 48, "index_no": 30, "url": 40, "summary": 40, "body": 40, "topic": 20, "publisher": 20}


def output_format(path: Path) -> str:
    """yaml, csv or xlsx, from the file's suffix."""
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise InputError(
            f"不支持的清单输出格式“{path.suffix or '（无后缀）'}”",
            file=path,
            expected="、".join(FORMATS),
        )
    return kind


def columns_for(fields: Collection[str] | None, items: Iterable[Item]) -> list[str]:
    """The fields to write, in the canonical order: the given ones (a harvest knows which fields the
    portal's catalogue carries), else every field some item fills in; title and published always."""
    if fields is None:
        fields = {name for name in ITEM_FIELDS for item in items if _value(item, name) not in ("", None, ())}
    return [name for name in ITEM_FIELDS if name in fields or name in REQUIRED_FIELDS]


def write_inventory(
    path: Path,
    bureau: Bureau,
    items: Collection[Item],
    fields: Collection[str] | None = None,
    *,
    inputs: Iterable[Path | None] = (),
    force: bool = False,
) -> list[Path]:
    """Write the inventory; return the files written (for CSV also the bureau sidecar; a workbook
    carries the bureau in its 公开主体 sheet), never over one of the run's inputs, nor over a sidecar
    written or edited by hand unless forced. Items are streamed to the file one by one (a harvest
    of many thousand pages hands them over from a spool), so memory does not grow with their number."""
    kind = output_format(path)
    columns = columns_for(fields, items)
    companions: list[tuple[Path, str | bytes]] = []
    if kind == "csv":
        if not force:
            refuse_hand_written_sidecar(path)
        companions.append((sidecar_path(path), _signed(dump_yaml({"bureau": bureau_mapping(bureau)}))))
    with atomic_output(path, inputs, companions) as stream:
        if kind == "yaml":
            stream.write(dump_yaml({"bureau": bureau_mapping(bureau)}).encode("utf-8"))
            stream.write(b"items:\n" if items else b"items: []\n")
            for item in items:
                stream.write(dump_yaml([_yaml_item(item, columns)]).encode("utf-8"))
        elif kind == "xlsx":
            _write_xlsx(stream, columns, items, bureau, template=False)
        else:
            _write_csv(stream, columns, items)
    return [path, *(companion for companion, _ in companions)]


def write_template(path: Path, bureau: Bureau) -> list[Path]:
    """An empty inventory for a bureau to fill in by hand, every field explained."""
    kind = output_format(path)
    columns = list(ITEM_FIELDS)
    if kind == "yaml":
        write_outputs([(path, _yaml_template(bureau))])
        return [path]
    companions: list[tuple[Path, str | bytes]] = []
    if kind == "csv":
        text = _comment(_help_lines(path.name)) + dump_yaml({"bureau": bureau_mapping(bureau)})
        companions.append((sidecar_path(path), _signed(text)))
    with atomic_output(path, (), companions) as stream:
        if kind == "xlsx":
            _write_xlsx(stream, columns, [], bureau, template=True)
        else:
            _write_csv(stream, columns, [])
    return [path, *(companion for companion, _ in companions)]


def refuse_hand_written_sidecar(inventory: Path) -> None:
    """A .bureau.yaml that this tool did not write, or that was changed since, is someone's work."""
    sidecar = sidecar_path(inventory)
    try:
        text = sidecar.read_bytes()
    except FileNotFoundError:
        return
    except OSError:
        text = b""
    body, _, last = text.rstrip(b"\n").rpartition(b"\n")
    mark = _SIGNATURE.fullmatch(last.decode("utf-8", errors="replace"))
    if mark is None or _digest(body + b"\n") != mark.group(1):
        raise InputError(
            "公开主体附属文件已存在，且是手工写的或改过，不会覆盖",
            file=sidecar,
            expected="另选输出文件名，或加 --force 覆盖",
        )


_SIGNATURE_LINE = "# 由 compliance-audit 写出（sha256:{}）；手工改动后，再次写出需加 --force"
_SIGNATURE = re.compile(re.escape(_SIGNATURE_LINE).replace(re.escape("{}"), "([0-9a-f]{16})"))


def _signed(text: str) -> str:
    """The sidecar text with a last line that tells a later run whether anyone has changed it."""
    return text + _SIGNATURE_LINE.format(_digest(text.encode("utf-8"))) + "\n"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def bureau_mapping(bureau: Bureau) -> dict[str, Any]:
    data: dict[str, Any] = {"name": bureau.name, "level": bureau.level}
    for key in ("region", "sector", "profile"):
        value = getattr(bureau, key)
        if value:
            data[key] = value
    if bureau.functions:
        data["functions"] = list(bureau.functions)
    if bureau.columns:
        data["columns"] = [{"name": column.name, "kind": column.kind} for column in bureau.columns]
    return data


def dump_yaml(document: Any) -> str:
    text: str = yaml.dump(
        document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=4096
    )
    return text


def _value(item: Item, name: str) -> Any:
    return getattr(item, name)


def _text(item: Item, name: str) -> str:
    value = _value(item, name)
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return "、".join(value)
    text: str = value
    return text


def _yaml_item(item: Item, columns: Sequence[str]) -> dict[str, Any]:
    return {name: list(item.tags) if name == "tags" else _text(item, name) for name in columns}


def _write_csv(stream: BinaryIO, columns: Sequence[str], items: Iterable[Item]) -> None:
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
    text.write("\ufeff")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([FIELD_LABELS[name] for name in columns])
    for item in items:
        writer.writerow([neutralise_formula(_text(item, name)) for name in columns])
    text.flush()
    text.detach()  # the stream belongs to the caller


def _write_xlsx(
    stream: BinaryIO, columns: Sequence[str], items: Collection[Item], bureau: Bureau, *, template: bool
) -> None:
    # Write-only mode streams rows, so a harvest of many thousand pages stays small in memory.
    workbook = Workbook(write_only=True)
    sheet: Worksheet = workbook.create_sheet(SHEET_TITLE)
    _prepare_sheet(sheet, columns, rows=max(len(items) + 1, TEMPLATE_ROWS if template else 0))
    header = []
    for name in columns:
        cell = WriteOnlyCell(sheet, value=FIELD_LABELS[name])
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        header.append(cell)
    sheet.append(header)
    for item in items:
        sheet.append([_xlsx_cell(sheet, item, name) for name in columns])
    _bureau_sheet(workbook.create_sheet(BUREAU_SHEET), bureau)
    _help_sheet(workbook.create_sheet(HELP_SHEET_TITLE), columns)
    workbook.save(stream)


def _prepare_sheet(sheet: Worksheet, columns: Sequence[str], rows: int) -> None:
    sheet.freeze_panes = "A2"
    for position, name in enumerate(columns, start=1):
        letter = get_column_letter(position)
        dimension = sheet.column_dimensions[letter]
        dimension.width = _WIDTHS.get(name, 14)
        if name in DATE_FIELDS:
            dimension.number_format = DATE_FORMAT
        if name == "validity" and rows > 1:
            choice = DataValidation(
                type="list",
                formula1='"' + ",".join(VALIDITY_VALUES) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="有效性",
                error="请从下拉列表中选择：" + "、".join(VALIDITY_VALUES) + "，或留空",
            )
            choice.add(f"{letter}2:{letter}{rows}")
            sheet.data_validations.append(choice)


def _xlsx_cell(sheet: Worksheet, item: Item, name: str) -> Cell:
    value = _value(item, name)
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=datetime.combine(value, time()))
        cell.number_format = DATE_FORMAT
        return cell
    text = ILLEGAL_CHARACTERS_RE.sub("", _text(item, name))
    cell = WriteOnlyCell(sheet, value=text)
    # openpyxl stores a string that starts with "=" as a formula unless told it is text.
    cell.data_type = "s"
    if text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True
    return cell


_LEVELS_HELP = "、".join(f"{key}（{label}）" for key, label in LEVEL_LABELS.items())
# What each bureau fact means, for the 公开主体 sheet and the YAML/sidecar comments.
BUREAU_HELP = {
    "name": "必填：机关全称，如 天水市秦州区司法局",
    "level": f"{_LEVELS_HELP} 之一，默认 county；工作簿中也可写 县级、乡级、市级、省级",
    "region": "行政区划全称，用于选择地方目录版本，如 甘肃省天水市秦州区",
    "sector": "领域，如 justice（公共法律服务）；决定所用的标准目录和默认职能档案",
    "profile": (
        "职能档案，如 county-justice-bureau；不填则按层级和领域用默认档案（rules show 档案编号 查看依据）"
    ),
    "functions": "本机关另有的职能，多个用顿号分隔，如 normative-documents、licensing",
    "columns": "网站栏目及其类型，栏目名=类型，多个用顿号分隔，如 工作动态=news、通知公告=notice",
}


def _bureau_sheet(sheet: Worksheet, bureau: Bureau) -> None:
    """One fact per row: label, value (to fill in), what it means."""
    values = {
        "name": bureau.name,
        "level": bureau.level,
        "region": bureau.region,
        "sector": bureau.sector,
        "profile": bureau.profile,
        "functions": "、".join(bureau.functions),
        "columns": "、".join(f"{column.name}={column.kind}" for column in bureau.columns),
    }
    for letter, width in (("A", 12), ("B", 40), ("C", 90)):
        sheet.column_dimensions[letter].width = width
    header = []
    for text in ("项目", "填写", "说明"):
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        header.append(cell)
    sheet.append(header)
    for label, key in BUREAU_ROWS:
        cells = []
        for value in (label, ILLEGAL_CHARACTERS_RE.sub("", values[key]), BUREAU_HELP[key]):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            if value.startswith(FORMULA_TRIGGERS):
                cell.quotePrefix = True
            cells.append(cell)
        sheet.append(cells)


def _help_sheet(sheet: Worksheet, columns: Sequence[str]) -> None:
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["B"].width = 12
    sheet.column_dimensions["C"].width = 8
    sheet.column_dimensions["D"].width = 70
    sheet.column_dimensions["E"].width = 40
    header = []
    for text in ("列名", "字段", "必填", "说明", "示例"):
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for name in columns:
        meaning, example = FIELD_HELP[name]
        required = "是" if name in REQUIRED_FIELDS else ""
        row = [FIELD_LABELS[name], name, required, meaning, example]
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cells.append(cell)
        sheet.append(cells)
    sheet.append([])
    for line in _general_help():
        sheet.append([line])


def _general_help() -> list[str]:
    return [
        "每条已公开的信息占一行；第一行是表头，请勿改动列名。",
        "日期写作 2021-02-01、2021/2/1 或 2021年2月1日。",
        "不使用的列可以整列删除：删除后不检查该字段；保留的列中留空的单元格会被指出。",
        f"公开主体（名称、层级 {_LEVELS_HELP}、地区、领域、职能档案、职能、栏目）："
        f"xlsx 写在“{BUREAU_SHEET}”表中，csv 写在同名的 .bureau.yaml 文件中。",
    ]


def _bureau_lines() -> list[str]:
    return ["bureau 的各项：", *(f"  {key}：{meaning}" for key, meaning in BUREAU_HELP.items())]


def _help_lines(name: str) -> list[str]:
    lines = [f"{name} 的公开主体信息（bureau）；{name} 的各列：", ""]
    for field in ITEM_FIELDS:
        meaning, _ = FIELD_HELP[field]
        required = "（必填）" if field in REQUIRED_FIELDS else ""
        lines.append(f"  {FIELD_LABELS[field]}{required}：{meaning}")
    lines.append("")
    lines.extend(_general_help())
    lines.extend(["", *_bureau_lines()])
    return lines


def _comment(lines: Sequence[str]) -> str:
    return "".join(f"# {line}".rstrip() + "\n" for line in lines)


def _yaml_template(bureau: Bureau) -> str:
    lines = [
        "政府信息公开清单（compliance-audit init 生成的模板）",
        "每条已公开的信息写成 items 下的一项。字段：",
    ]
    for field in ITEM_FIELDS:
        meaning, _ = FIELD_HELP[field]
        required = "（必填）" if field in REQUIRED_FIELDS else ""
        lines.append(f"  {field}（{FIELD_LABELS[field]}）{required}：{meaning}")
    lines.append("日期写作 2021-02-01、2021/2/1 或 2021年2月1日；不用的字段可以不写。")
    lines.extend(_bureau_lines())
    example = {
        "items": [
            {name: FIELD_HELP[name][1] for name in ITEM_FIELDS if name not in ("tags", "body", "mirror_file")}
        ]
    }
    example_lines = ["示例：", *dump_yaml(example).splitlines()]
    return (
        _comment(lines)
        + dump_yaml({"bureau": bureau_mapping(bureau)})
        + "items: []\n"
        + _comment(example_lines)
    )
