"""Reading an inventory file of any accepted format into raw records with canonical field names.

Each reader only reads: it finds the bureau mapping (if the format carries one) and yields one raw
record per item with the place it came from. Turning values into an Item (validation, dates) is
the same for every format and lives in inventory/__init__.py.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from compliance_audit.errors import InputError
from compliance_audit.inventory.fields import (
    BUREAU_ROWS,
    BUREAU_SHEET,
    FORMULA_TRIGGERS,
    ITEM_FIELDS,
    LIST_SEPARATORS,
    field_for_header,
)
from compliance_audit.inventory.model import LEVEL_LABELS
from compliance_audit.jsonsafe import load_json_text
from compliance_audit.officezip import check_package, guarded, parsing
from compliance_audit.schemas import validate_document
from compliance_audit.yamlsafe import MAX_YAML_BYTES, YamlDocument, load_yaml_text, read_bounded

MAX_INVENTORY_BYTES = 1024 * 1024 * 1024
MAX_JSONL_LINE_BYTES = 16 * 1024 * 1024
# A .json document is parsed whole (some six bytes of memory per byte); JSONL is read line by line.
MAX_JSON_BYTES = 256 * 1024 * 1024
# A CSV field may hold a whole 正文 (the csv module stops at 128 K characters by default).
MAX_CSV_FIELD_CHARS = 16 * 1024 * 1024
MAX_XLSX_ROWS = 1_048_576  # the most rows a worksheet can have
_TAG_SPLIT = re.compile(r"[;,；，、\s]+")
_BINARY_SNIFF = 64 * 1024


@dataclass(frozen=True, slots=True)
class RawRecord:
    row: int
    location: str
    values: dict[str, Any]


@dataclass
class RawInventory:
    bureau: dict[str, Any] | None
    records: Iterator[RawRecord]
    fields_present: frozenset[str]
    document: YamlDocument | None = None
    notices: list[str] = field(default_factory=list)
    header: str | None = None  # where a table's header row is (CSV, XLSX)


def read_yaml(path: Path) -> RawInventory:
    text = _text_utf8(path, MAX_YAML_BYTES, "大的清单请用 .jsonl 或 .csv（逐条读取，内存占用小）")
    document = load_yaml_text(text, path)
    return _from_document(document.data, path, document)


def read_json(path: Path) -> RawInventory:
    text = _text_utf8(path, MAX_JSON_BYTES, "大的清单请用 .jsonl（逐行读取，内存占用小）")
    return _from_document(load_json_text(text, path), path, None)


def read_jsonl(path: Path) -> RawInventory:
    _check_size(path)
    lines = _numbered_lines(path)
    first = next(((number, line) for number, line in lines if line.strip()), None)
    if first is None:
        raise InputError("文件为空", file=path, expected="第一行为公开主体，其后每行一条信息")
    header = load_json_text(first[1], path, line=first[0])
    if not isinstance(header, dict):
        raise InputError("第一行应为公开主体（JSON 对象）", file=path, location=f"第 {first[0]} 行")
    bureau = header.get("bureau", header)

    def records() -> Iterator[RawRecord]:
        for number, line in lines:
            if not line.strip():
                continue
            values = load_json_text(line, path, line=number)
            if not isinstance(values, dict):
                raise InputError("每行应为一条信息（JSON 对象）", file=path, location=f"第 {number} 行")
            yield RawRecord(number, f"第 {number} 行", values)

    # A JSONL file carries each item's keys in the item itself, so every field counts as present.
    return RawInventory(bureau, records(), frozenset(ITEM_FIELDS))


def _numbered_lines(path: Path) -> Iterator[tuple[int, str]]:
    """The lines of a UTF-8 file, numbered, read one at a time (a JSONL inventory can be large);
    decoded line by line so that a bad byte is reported on its own line."""
    with open_regular(path) as handle:
        for number, raw in enumerate(handle, start=1):
            if len(raw) > MAX_JSONL_LINE_BYTES:
                raise InputError("这一行过长", file=path, location=f"第 {number} 行")
            try:
                yield number, raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                raise InputError("不是 UTF-8 编码的文本", file=path, location=f"第 {number} 行") from None


def read_csv(path: Path) -> RawInventory:
    raw = read_bounded(path, MAX_INVENTORY_BYTES, "清单文件")
    if not raw.strip():
        raise InputError("文件为空", file=path, expected="首行为表头（标题、发布日期……），其后每行一条信息")
    if b"\x00" in raw[:_BINARY_SNIFF]:
        raise InputError(
            "这不是文本 CSV 文件（含二进制内容）", file=path, expected="UTF-8 或 GB18030 编码的 CSV"
        )
    text = decode_csv(raw, path)
    sample = text[:4096]
    delimiter = "\t" if "\t" in sample.split("\n", 1)[0] and "," not in sample.split("\n", 1)[0] else ","
    return _from_rows(csv_rows(text, delimiter, path), path, "")


def csv_rows(text: str, delimiter: str, path: Path) -> Iterator[tuple[int, list[str]]]:
    """The rows of a CSV text with the line each starts on; a malformed file is bad input."""
    csv.field_size_limit(MAX_CSV_FIELD_CHARS)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            problem = str(error)
            if "field larger than field limit" in problem:
                problem = f"字段过长（超过 {MAX_CSV_FIELD_CHARS} 字符）"
            raise InputError(f"CSV 格式错误：{problem}", file=path, location=f"第 {line} 行") from None
        yield line, row
        line = reader.line_num + 1


def read_xlsx(path: Path) -> RawInventory:
    from openpyxl import load_workbook

    _check_size(path)
    check_package(path, _XLSX)
    with parsing(path, _XLSX):
        workbook = load_workbook(path, read_only=True, data_only=True)
    if not workbook.worksheets:
        workbook.close()
        raise InputError("工作簿中没有工作表", file=path, expected="第一张工作表为清单")
    sheet = workbook.worksheets[0]
    prefix = f"工作表“{sheet.title}”"
    rows = _sheet_rows(sheet, path, prefix)
    try:
        inventory = _from_rows(rows, path, prefix)
        records = list(inventory.records)
        # a worksheet, not a chart sheet that a damaged or hostile workbook may give the same name
        bureau_sheet = next((sheet for sheet in workbook.worksheets if sheet.title == BUREAU_SHEET), None)
        if bureau_sheet is not None:
            inventory.bureau = _bureau_sheet(bureau_sheet, path)
    finally:
        workbook.close()
    inventory.records = iter(records)
    return inventory


def _bureau_sheet(sheet: Any, path: Path) -> dict[str, Any]:
    """The bureau facts of a workbook's 公开主体 sheet: one fact per row, the label in the first
    cell and the value in the second; facts left empty are simply not given."""
    keys = dict(BUREAU_ROWS)
    levels = {label: level for level, label in LEVEL_LABELS.items()}
    data: dict[str, Any] = {}
    for number, row in _sheet_rows(sheet, path, f"工作表“{BUREAU_SHEET}”"):
        cells = [cell.strip() for cell in row[:2]]
        if len(cells) < 2 or cells[0] not in keys or not cells[1]:
            continue
        key, value = keys[cells[0]], cells[1]
        if key == "level":
            data[key] = levels.get(value, value)
        elif key == "functions":
            data[key] = _listed(value)
        elif key == "columns":
            data[key] = [_column(pair, path, number) for pair in _listed(value)]
        else:
            data[key] = value
    return data


def _listed(text: str) -> list[str]:
    return [part.strip() for part in re.split(f"[{LIST_SEPARATORS}]", text) if part.strip()]


def _column(pair: str, path: Path, row: int) -> dict[str, str]:
    name, separator, kind = pair.partition("=")
    if not separator:
        raise InputError(
            f"栏目“{pair}”缺少类型",
            file=path,
            location=f"工作表“{BUREAU_SHEET}”第 {row} 行",
            field="bureau.columns",
            expected="栏目名=类型，如 工作动态=news",
        )
    return {"name": name.strip(), "kind": kind.strip()}


READERS: dict[str, Callable[[Path], RawInventory]] = {
    ".yaml": read_yaml,
    ".yml": read_yaml,
    ".json": read_json,
    ".jsonl": read_jsonl,
    ".csv": read_csv,
    ".xlsx": read_xlsx,
}


def split_tags(value: str) -> list[str]:
    return [tag for tag in _TAG_SPLIT.split(value) if tag]


def _from_document(data: Any, path: Path, document: YamlDocument | None) -> RawInventory:
    if data is None:
        raise InputError("文件为空", file=path, expected="含 bureau 与 items 两项的映射")
    validate_document(data, "inventory", path, document, definition="document")
    items: list[Any] = data["items"]
    present: set[str] = set()
    for values in items:
        if isinstance(values, dict):
            present.update(key for key in values if key in ITEM_FIELDS)

    def records() -> Iterator[RawRecord]:
        for index, values in enumerate(items):
            line = document.line("items", index) if document else None
            location = (
                f"第 {line} 行（第 {index + 1} 条）" if line else f"items[{index}]（第 {index + 1} 条）"
            )
            if not isinstance(values, dict):
                raise InputError("每条信息应为映射（键: 值）", file=path, location=location)
            yield RawRecord(line or index + 1, location, values)

    return RawInventory(data.get("bureau"), records(), frozenset(present), document)


def _from_rows(rows: Iterator[tuple[int, list[str]]], path: Path, prefix: str) -> RawInventory:
    header: list[str] | None = None
    header_row = 0
    for number, row in rows:
        if any(cell.strip() for cell in row):
            header, header_row = row, number
            break
    if header is None:
        raise InputError("文件为空", file=path, expected="首行为表头（标题、发布日期……），其后每行一条信息")
    columns: dict[int, str] = {}
    ignored: list[str] = []
    for position, cell in enumerate(header):
        name = field_for_header(cell)
        if name is None:
            if cell.strip():
                ignored.append(cell.strip())
            continue
        if name in columns.values():
            first = header[next(p for p, n in columns.items() if n == name)]
            raise InputError(
                f"表头“{first.strip()}”与“{cell.strip()}”指同一字段 {name}，只能保留一列",
                file=path,
                location=f"{prefix}第 {header_row} 行",
            )
        columns[position] = name
    if "title" not in columns.values():
        raise InputError(
            "表头缺少必填列 title",
            file=path,
            location=f"{prefix}第 {header_row} 行",
            expected="含“标题/信息名称/名称”列的表头",
        )
    notices = [f"{path.name}：已忽略不认识的列 {'、'.join(ignored)}"] if ignored else []

    def records() -> Iterator[RawRecord]:
        for number, row in rows:
            if not any(cell.strip() for cell in row):
                continue
            values: dict[str, Any] = {}
            for position, name in columns.items():
                cell = _unguarded(row[position].strip()) if position < len(row) else ""
                if cell:
                    values[name] = split_tags(cell) if name == "tags" else cell
            yield RawRecord(number, f"{prefix}第 {number} 行", values)

    return RawInventory(
        None, records(), frozenset(columns.values()), notices=notices, header=f"{prefix}第 {header_row} 行"
    )


def _unguarded(cell: str) -> str:
    """The text a spreadsheet shows for a cell written as '=… (see FORMULA_TRIGGERS)."""
    return cell[1:] if cell.startswith("'") and cell[1:2] and cell[1:].startswith(FORMULA_TRIGGERS) else cell


def decode_csv(raw: bytes, path: Path) -> str:
    """A CSV file's text: UTF-8 (with or without BOM), else GB18030, else an error naming the line."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(
            "无法按 UTF-8 或 GB18030 解码",
            file=path,
            location=f"第 {line} 行",
            expected="UTF-8 或 GB18030 编码的 CSV",
        ) from None


def _text_utf8(path: Path, limit: int = MAX_INVENTORY_BYTES, instead: str | None = None) -> str:
    raw = read_bounded(path, limit, "清单文件", instead)
    if not raw.strip():
        raise InputError("文件为空", file=path, expected="含 bureau 与 items 两项的映射")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError("不是 UTF-8 编码的文本", file=path, location=f"第 {line} 行") from None


_XLSX = "xlsx 工作簿"


def _sheet_rows(sheet: Any, path: Path, prefix: str) -> Iterator[tuple[int, list[str]]]:
    """A read-only sheet's rows as text, parsed as they are asked for, each step guarded; the
    sheet's declared size is only a claim, so rows are read as they are, not padded to it."""
    sheet.reset_dimensions()
    for number, row in enumerate(guarded(sheet.iter_rows(values_only=True), path, _XLSX), start=1):
        if number > MAX_XLSX_ROWS:  # a row number no spreadsheet can have: stop before walking to it
            raise InputError(f"{prefix}的行号超出 xlsx 的上限 {MAX_XLSX_ROWS}", file=path)
        yield number, [_cell_text(value) for value in row]


def open_regular(path: Path) -> io.BufferedReader:
    """A regular file opened for reading (a FIFO or device would block or never end)."""
    if not path.is_file():
        raise InputError("不是普通文件", file=path)
    try:
        return path.open("rb")
    except OSError as error:
        raise InputError(f"无法读取（{error.strerror or type(error).__name__}）", file=path) from None


def _check_size(path: Path) -> int:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("文件不存在", file=path) from None
    if size > MAX_INVENTORY_BYTES:
        raise InputError(f"清单文件过大（{size} 字节，上限 {MAX_INVENTORY_BYTES} 字节）", file=path)
    if path.is_dir():
        raise InputError("这是一个目录，不是文件", file=path)
    return size


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.date().isoformat() if isinstance(value, datetime) else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
