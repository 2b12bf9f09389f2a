"""The manifest of a batch: which bureaus, their facts, and where each one's publications are.

Three forms, one result (a Manifest of Entries):
- YAML (`bureaus:` list, optional `title`, `issuer`, `defaults`), validated against
  schemas/manifest.schema.json with the line of each problem;
- an .xlsx sheet people fill in, one bureau a row under Chinese headers, each row validated with the
  same schema and named by its row;
- a folder holding one inventory (plus its sidecar) per bureau: every inventory file is a bureau,
  whose facts come from the file itself.
Paths are relative to the manifest. Whether a source can be read is the bureau's own problem (an
error row in the batch), not the manifest's.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compliance_audit.batch.names import unique_names
from compliance_audit.errors import InputError
from compliance_audit.inventory import BureauOverrides
from compliance_audit.inventory.fields import LIST_SEPARATORS
from compliance_audit.inventory.model import LEVEL_LABELS
from compliance_audit.inventory.readers import READERS
from compliance_audit.schemas import validate_document
from compliance_audit.yamlsafe import YamlDocument, load_yaml_document

MAX_MANIFEST_BYTES = 64 * 1024 * 1024
MAX_SHEET_ROWS = 100_000

# The source kinds a bureau may name: one key each in the schema, one loader each in runner.py.
# A portal address is crawled into a mirror in the output folder, then read as a saved portal.
SOURCE_KINDS = {"inventory": "清单文件", "portal": "网站镜像", "url": "栏目网址"}

SHEET_HEADERS = {
    "名称": "name",
    "机关名称": "name",
    "公开主体": "name",
    "层级": "level",
    "地区": "region",
    "领域": "sector",
    "职能档案": "profile",
    "职能": "functions",
    "清单文件": "inventory",
    "清单": "inventory",
    "网站镜像": "portal",
    "栏目网址": "url",
    "网址": "url",
    "标准目录": "catalogue",
}
FIELD_LABELS = {
    "name": "名称",
    "level": "层级",
    "region": "地区",
    "sector": "领域",
    "profile": "职能档案",
    "functions": "职能",
    "inventory": "清单文件",
    "portal": "网站镜像",
    "url": "栏目网址",
    "catalogue": "标准目录",
}
SHEET_NAME = "机关清单"


@dataclass(frozen=True)
class Entry:
    """One bureau to audit."""

    position: int  # 1-based, in manifest order
    where: str  # how an error names its place: 第 12 行, 工作表“机关清单”第 5 行, the file
    name: str  # as the manifest writes it (a folder's entry: the inventory's file name)
    key: str  # the stem of every output file of this bureau: sanitised, unique in the batch
    kind: str  # inventory | portal | url
    source: Path  # the file or folder; for a url, where its mirror is kept (relative to OUTDIR)
    overrides: BureauOverrides
    catalogue: str | None = None
    url: str | None = None  # a live portal section, crawled into source (under OUTDIR)


@dataclass(frozen=True)
class Manifest:
    path: Path
    title: str
    issuer: str
    entries: list[Entry]


def read_manifest(path: Path) -> Manifest:
    if path.is_dir():
        return _from_folder(path)
    if not path.exists():
        raise InputError("清单列表（manifest）不存在", file=path)
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return _from_yaml(path)
    if suffix == ".xlsx":
        return _from_sheet(path)
    raise InputError(
        f"不支持的 manifest 格式“{suffix or '（无后缀）'}”",
        file=path,
        expected=".yaml、.yml、.xlsx，或每个机关一个清单的目录",
    )


def _from_yaml(path: Path) -> Manifest:
    document = load_yaml_document(path, MAX_MANIFEST_BYTES)
    data = document.data
    if not isinstance(data, dict):
        raise InputError("应为映射，含 bureaus 列表", file=path, expected="bureaus:\n  - name: …")
    validate_document(data, "manifest", path, document)
    defaults = data.get("defaults", {})
    bureaus = [
        (_line(document, index), {**defaults, **bureau}) for index, bureau in enumerate(data["bureaus"])
    ]
    return Manifest(path, data.get("title", ""), data.get("issuer", ""), _entries(bureaus, path))


def _line(document: YamlDocument, index: int) -> str:
    line = document.line("bureaus", index)
    return f"第 {line} 行" if line else f"第 {index + 1} 个机关"


def _from_sheet(path: Path) -> Manifest:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    size = path.stat().st_size
    if size > MAX_MANIFEST_BYTES:
        raise InputError(f"文件过大（{size} 字节，上限 {MAX_MANIFEST_BYTES} 字节）", file=path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        raise InputError(f"不是有效的 xlsx 工作簿（{type(error).__name__}）", file=path) from None
    try:
        sheet = workbook[SHEET_NAME] if SHEET_NAME in workbook.sheetnames else workbook.worksheets[0]
        prefix = f"工作表“{sheet.title}”"
        bureaus = list(_sheet_rows(sheet.iter_rows(values_only=True), path, prefix))
    finally:
        workbook.close()
    if not bureaus:
        raise InputError(f"{prefix}没有机关（表头下没有填写名称的行）", file=path)
    return Manifest(path, "", "", _entries(bureaus, path))


def _sheet_rows(
    rows: Iterator[tuple[Any, ...]], path: Path, prefix: str
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(where, bureau mapping) of each filled-in row under the header row (the first row naming 名称)."""
    header: list[str | None] | None = None
    levels = {label: level for level, label in LEVEL_LABELS.items()}
    for number, row in enumerate(rows, start=1):
        if number > MAX_SHEET_ROWS:
            raise InputError(f"{prefix}超过 {MAX_SHEET_ROWS} 行", file=path)
        cells = ["" if value is None else str(value).strip() for value in row]
        if header is None:
            if any(SHEET_HEADERS.get(cell) == "name" for cell in cells):
                header = [SHEET_HEADERS.get(cell) for cell in cells]
            continue
        values: dict[str, Any] = {key: cell for key, cell in zip(header, cells, strict=False) if key and cell}
        if not values:
            continue
        where = f"{prefix}第 {number} 行"
        if "level" in values:
            values["level"] = levels.get(values["level"], values["level"])
        if "functions" in values:
            parts = re.split(f"[{LIST_SEPARATORS}]", values["functions"])
            values["functions"] = [part.strip() for part in parts if part.strip()]
        try:
            validate_document(values, "manifest", path, definition="bureau")
        except InputError as error:
            raise InputError(
                error.message, file=path, location=where, field=_label(error.field), expected=error.expected
            ) from None
        yield where, values
    if header is None:
        raise InputError(
            f"{prefix}没有表头行", file=path, expected="一行表头：" + "、".join(FIELD_LABELS.values())
        )


def _label(field: str | None) -> str | None:
    if field is None:
        return None
    key = field.split(".")[0]
    return f"{FIELD_LABELS[key]}（{key}）" if key in FIELD_LABELS else field


def _entries(bureaus: list[tuple[str, dict[str, Any]]], path: Path) -> list[Entry]:
    seen: dict[str, str] = {}
    for where, bureau in bureaus:
        name = bureau["name"].strip()
        if name in seen:
            raise InputError(
                f"机关“{name}”重复（首次见于{seen[name]}）", file=path, location=where, field="name"
            )
        seen[name] = where
        kinds = [kind for kind in SOURCE_KINDS if kind in bureau]
        if len(kinds) != 1:
            labels = "、".join(f"{kind}（{label}）" for kind, label in SOURCE_KINDS.items())
            problem = "同时写了" + "、".join(kinds) if kinds else "没有写信息来源"
            raise InputError(f"机关“{name}”{problem}", file=path, location=where, expected=f"{labels}之一")
    keys = unique_names(bureau["name"].strip() for _, bureau in bureaus)
    base = path.parent
    return [
        Entry(
            position=position,
            where=where,
            name=bureau["name"].strip(),
            key=key,
            kind=next(kind for kind in SOURCE_KINDS if kind in bureau),
            source=_source(bureau, base, key),
            url=bureau.get("url"),
            overrides=BureauOverrides(
                name=bureau["name"].strip(),
                level=bureau.get("level"),
                region=bureau.get("region"),
                sector=bureau.get("sector"),
                profile=bureau.get("profile"),
                functions=tuple(bureau.get("functions", ())),
            ),
            catalogue=_catalogue(bureau.get("catalogue"), base),
        )
        for position, ((where, bureau), key) in enumerate(zip(bureaus, keys, strict=True), start=1)
    ]


MIRRORS_DIR = "镜像"


def _source(bureau: dict[str, Any], base: Path, key: str) -> Path:
    """The file or folder to read; a portal address's mirror is OUTDIR/镜像/<key>, kept so the audit
    can be repeated offline and an interrupted crawl continued."""
    if "url" in bureau:
        return Path(MIRRORS_DIR) / key
    return base / str(next(bureau[kind] for kind in SOURCE_KINDS if kind in bureau))


def _catalogue(reference: str | None, base: Path) -> str | None:
    """A catalogue file is relative to the manifest, like every other path in it; an id stays an id."""
    if reference is not None and reference.lower().endswith((".yaml", ".yml")):
        return str(base / reference)
    return reference


def _from_folder(folder: Path) -> Manifest:
    """Every inventory file in the folder is one bureau (a .bureau.yaml is a sidecar, not a bureau);
    its facts come from the file, and its outputs are named after the file."""
    files = sorted(
        path
        for path in folder.iterdir()
        if path.is_file() and path.suffix.lower() in READERS and not path.name.endswith(".bureau.yaml")
    )
    if not files:
        raise InputError(
            "目录中没有清单文件", file=folder, expected="每个机关一个清单（" + "、".join(READERS) + "）"
        )
    keys = unique_names(path.stem for path in files)
    entries = [
        Entry(position, path.name, path.stem, key, "inventory", path, BureauOverrides())
        for position, (path, key) in enumerate(zip(files, keys, strict=True), start=1)
    ]
    return Manifest(folder, "", "", entries)
