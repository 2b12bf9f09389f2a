"""Load an inventory from any accepted format: read → validate each record → Item.

Readers (readers.py) only find records; this module turns every record, whatever its format, into
an Item through the same steps: values to text, the item schema, then dates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from sys import intern
from typing import Any

import fastjsonschema

from compliance_audit.dates import ACCEPTED_FORMS, DateFormError, parse_date
from compliance_audit.errors import InputError
from compliance_audit.inventory.fields import FIELD_LABELS, TEXT_FIELDS, validity_value
from compliance_audit.inventory.model import Bureau, Inventory, Item
from compliance_audit.inventory.readers import READERS, RawInventory, RawRecord, split_tags
from compliance_audit.schemas import describe_fast_error, item_validator, validate_document
from compliance_audit.yamlsafe import load_yaml_document

__all__ = ["BureauOverrides", "Inventory", "Item", "load_inventory", "sidecar_path"]

SUPPORTED_SUFFIXES = tuple(READERS)


@dataclass(frozen=True)
class BureauOverrides:
    """Bureau facts given on the command line; they win over the file and the sidecar."""

    name: str | None = None
    level: str | None = None
    region: str | None = None
    sector: str | None = None
    profile: str | None = None
    functions: tuple[str, ...] = ()

    def apply(self, bureau: dict[str, Any]) -> dict[str, Any]:
        merged = dict(bureau)
        for key in ("name", "level", "region", "sector", "profile"):
            value = getattr(self, key)
            if value:
                merged[key] = value
        if self.functions:
            merged["functions"] = list(self.functions)
        return merged


def sidecar_path(inventory: Path) -> Path:
    """inventory.csv → inventory.bureau.yaml"""
    return inventory.with_suffix(".bureau.yaml")


MAX_ROW_ERRORS = 20  # bad rows named one by one; the rest are counted


def load_inventory(
    path: Path,
    overrides: BureauOverrides | None = None,
    *,
    bureau_default: Mapping[str, Any] | None = None,
    published_default: date | None = None,
) -> Inventory:
    """Read, validate and convert an inventory. Every bad row is reported (the first
    MAX_ROW_ERRORS by name, then how many more), not only the first.

    For drafts (check): bureau_default are the bureau facts when neither the file nor a sidecar
    has them (the published inventory's), and published_default the publication day of an item
    that has none yet (the day it would go live)."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise InputError(
            f"不支持的清单格式“{path.suffix or '（无后缀）'}”",
            file=path,
            expected="、".join(SUPPORTED_SUFFIXES),
        )
    raw = reader(path)
    if raw.header is not None and "published" not in raw.fields_present and published_default is None:
        raise InputError(
            "表头缺少必填列 published",
            file=path,
            location=raw.header,
            expected="含“发布日期/发布时间”列的表头",
        )
    bureau, bureau_source = _bureau(raw, path, overrides or BureauOverrides(), bureau_default)
    if path.suffix.lower() == ".jsonl" and published_default is None:
        from compliance_audit.inventory.jsonl_table import read_jsonl_table
        from compliance_audit.inventory.table import ItemTable

        frame = read_jsonl_table(path)
        if frame is not None:
            return Inventory(path, bureau, ItemTable(frame), raw.fields_present, raw.notices, bureau_source)
    items: list[Item] = []
    errors: list[InputError] = []
    try:
        for record in raw.records:
            if published_default is not None and not record.values.get("published"):
                record.values["published"] = published_default.isoformat()
            try:
                items.append(to_item(record, path))
            except InputError as error:
                errors.append(error)
    except InputError as error:  # the file itself stops being readable (a broken JSONL line)
        errors.append(error)
    if errors:
        raise _row_errors(errors, path)
    return Inventory.of(path, bureau, items, raw.fields_present, raw.notices, bureau_source)


def _row_errors(errors: list[InputError], path: Path) -> InputError:
    """One error naming every bad row: the first few in full, then how many more."""
    if len(errors) == 1:
        return errors[0]
    shown = "；".join(_without_file(error) for error in errors[:MAX_ROW_ERRORS])
    more = f"；另有 {len(errors) - MAX_ROW_ERRORS} 处" if len(errors) > MAX_ROW_ERRORS else ""
    return InputError(f"{len(errors)} 处有误：{shown}{more}", file=path)


def _without_file(error: InputError) -> str:
    return str(InputError(error.message, location=error.location, field=error.field, expected=error.expected))


def to_item(record: RawRecord, source: Path) -> Item:
    values = _as_text(record.values)
    validity = values.get("validity")
    if isinstance(validity, str) and validity:
        values["validity"] = validity_value(validity) or validity  # what is not one is left to the schema
    try:
        item_validator()(values)
    except fastjsonschema.JsonSchemaValueException as error:
        field, message, expected = describe_fast_error(error)
        raise InputError(
            message, file=source, location=record.location, field=_field_label(field), expected=expected
        ) from None
    get = values.get
    formed, valid_until = get("formed"), get("valid_until")
    return Item(
        row=record.row,
        title=values["title"],
        published=_date(values["published"], "published", record, source),
        index_no=get("index_no", ""),
        # a handful of values repeat across every item: one copy each instead of one per item
        topic=intern(get("topic", "")),
        publisher=intern(get("publisher", "")),
        formed=_date(formed, "formed", record, source) if formed else None,
        column=intern(get("column", "")),
        doc_no=get("doc_no", ""),
        validity=intern(get("validity", "")),
        valid_until=_date(valid_until, "valid_until", record, source) if valid_until else None,
        url=get("url", ""),
        mirror_file=get("mirror_file", ""),
        summary=get("summary", ""),
        tags=tuple(get("tags", ())),
        body=get("body", ""),
    )


def _date(text: str, field: str, record: RawRecord, source: Path) -> date:
    try:
        return parse_date(text, end_date=field == "valid_until")
    except DateFormError as error:
        label = _field_label(field)
        raise InputError(
            str(error), file=source, location=record.location, field=label, expected=ACCEPTED_FORMS
        ) from None


def _as_text(values: dict[str, Any]) -> dict[str, Any]:
    """Cell and scalar values as text, so every format meets the same schema (a YAML 2021 or an
    xlsx number is the text the person typed; None is an empty field)."""
    result = {
        name: value.strip() if type(value) is str else _text(value)
        for name, value in values.items()
        if name in _TEXT_FIELDS and value is not None
    }
    tags = values.get("tags")
    if tags is not None:
        result["tags"] = split_tags(tags) if isinstance(tags, str) else tags
    return result


_TEXT_FIELDS = frozenset(TEXT_FIELDS)


def _text(value: Any) -> Any:
    if isinstance(value, bool):
        return value  # left for the schema to reject with the field named
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _field_label(name: str | None) -> str | None:
    if name is None:
        return None
    label = FIELD_LABELS.get(name)
    return f"{name}（{label}）" if label else name


def _bureau(
    raw: RawInventory, path: Path, overrides: BureauOverrides, default: Mapping[str, Any] | None = None
) -> tuple[Bureau, Path]:
    """The bureau and the file it came from: the file itself (a YAML/JSON mapping, a workbook's 公开主体
    sheet), else the sidecar, else the default (a draft's: the published inventory's), with the
    command line's facts winning; validated once, where it was written (so a template written
    without a name is completed by --bureau-name)."""
    data: dict[str, Any] = {}
    source: Path = path
    document = raw.document
    if raw.bureau is not None:
        if not isinstance(raw.bureau, dict):
            raise InputError("bureau 应为映射（键: 值）", file=path, field="bureau")
        data = raw.bureau
    else:
        sidecar = sidecar_path(path)
        if sidecar.exists():
            loaded = load_yaml_document(sidecar)
            if not isinstance(loaded.data, dict) or not isinstance(loaded.data.get("bureau"), dict):
                raise InputError("应含 bureau 映射", file=sidecar, expected="bureau:\n  name: …")
            data, source, document = loaded.data["bureau"], sidecar, loaded
        elif default is not None:
            data = dict(default)
    data = overrides.apply(data)
    if not data.get("name"):
        raise InputError(
            "缺少公开主体名称",
            field="bureau.name",
            file=path,
            expected=f"在 {sidecar_path(path).name} 或工作簿的“公开主体”表中写名称，或用 --bureau-name 指定",
        )
    validate_document(
        data, "inventory", source, document, definition="bureau", path_prefix=("bureau",), remember=True
    )
    return Bureau.from_mapping(data), source
