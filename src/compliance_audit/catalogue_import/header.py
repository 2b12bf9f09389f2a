"""Finding a catalogue table's header and what each column holds.

Published tables have one or two header rows. Row 1 holds group headers (公开事项, 公开对象, 公开方式,
公开层级) and single headers (序号, 公开内容（要素）, 公开依据 …); row 2 holds the sub-columns
(一级事项/二级事项, 全社会/特定群众, 主动/依申请公开, 县级/乡、村级). With merged cells expanded, a
single header reads the same in both rows. A column is known by its sub-header first and by its
group header only when the sub-header says nothing: 三门 labels the level group 公开方式 a second
time, and its sub-headers 县级 / 乡、村级 are what tell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from compliance_audit.catalogue_import.grid import Table

# The header is near the top; a title, a 附件 line or a note may come before it.
_SEARCH_ROWS = 30
_SPACE = re.compile(r"\s+")

SCALAR_FIELDS = (
    "seq",
    "level1",
    "level2",
    "level3",
    "elements",
    "basis",
    "deadline",
    "subject",
    "channels",
    "notes",
)
TICK_FIELDS = ("audience", "mode", "levels")

_SUB_LABELS = {
    "一级事项": ("level1", None),
    "二级事项": ("level2", None),
    "三级事项": ("level3", None),
    "全社会": ("audience", "全社会"),
    "社会公众": ("audience", "全社会"),
    "特定群众": ("audience", "特定群众"),
    "特定群体": ("audience", "特定群众"),
    "特定对象": ("audience", "特定群众"),
    "特定人群": ("audience", "特定群众"),
    "特定人员": ("audience", "特定群众"),
    "公众": ("audience", "全社会"),
    "主动": ("mode", "主动"),
    "主动公开": ("mode", "主动"),
    "依申请": ("mode", "依申请"),
    "依申请公开": ("mode", "依申请"),
}
_TOWNSHIP_ONLY = frozenset("乡镇街道村社区、，,/（）()")
_BRACKETED = re.compile(r"[（(][^（）()]*[)）]")


@dataclass(frozen=True)
class Column:
    index: int
    field: str  # one of SCALAR_FIELDS or TICK_FIELDS, or "extra"
    value: str | None  # what a tick in this column stands for; None: the cell holds text to read
    label: str  # as the header reads, for messages and `extra` keys: "五公开", "公开层级/镇街乡"
    heading: str  # the sub-header (or single header) without spaces: a cell repeating it is a tick


@dataclass(frozen=True)
class Header:
    first_row: int  # index into Table.rows
    last_row: int  # == first_row for a one-row header
    columns: tuple[Column, ...]

    def scalar(self, field: str) -> Column | None:
        return next((column for column in self.columns if column.field == field), None)

    def ticks(self, field: str) -> tuple[Column, ...]:
        return tuple(column for column in self.columns if column.field == field)

    def extras(self) -> tuple[Column, ...]:
        return tuple(column for column in self.columns if column.field == "extra")


def normalize_label(text: str) -> str:
    return _SPACE.sub("", text)


def find_header(table: Table) -> Header | None:
    """The header of a catalogue table: the first row naming both 公开事项 (or 一级/二级事项) and
    公开内容, with the row below it when that row holds sub-headers."""
    for index, row in enumerate(table.rows[:_SEARCH_ROWS]):
        labels = [normalize_label(cell) for cell in row]
        if not (
            any(_names_items(label) for label in labels)
            and any(label.startswith("公开内容") for label in labels)
        ):
            continue
        below = table.rows[index + 1] if index + 1 < len(table.rows) else None
        if below is not None and _holds_sub_headers(row, below):
            return Header(index, index + 1, _columns(row, below))
        return Header(index, index, _columns(row, row))
    return None


def level_of_label(label: str) -> str | None:
    """county / township / city / province for a level header or value: 县级, 乡、村级, 乡镇级, 镇街乡,
    村, 东阳市级 (the county-level city itself) … ; None when the text names no level."""
    text = normalize_label(label)
    if not text or len(text) > 10 or not (text.endswith("级") or set(text) <= _TOWNSHIP_ONLY):
        return None
    if any(mark in text for mark in ("乡", "镇", "街", "村", "社区")):
        return "township"
    if "省" in text:
        return "province"
    if any(mark in text for mark in ("设区的市", "地市", "市州", "州级")):
        return "city"
    # 市级 in a county's own table is a county-level city (东阳市级), not the prefecture
    if any(mark in text for mark in ("县", "区", "市", "旗")):
        return "county"
    return None


def _names_items(label: str) -> bool:
    return label.startswith("公开事项") or label in ("一级事项", "二级事项")


def _holds_sub_headers(row: tuple[str, ...], below: tuple[str, ...]) -> bool:
    found = sum(
        1
        for top, sub in zip(row, below, strict=True)
        if normalize_label(sub) != normalize_label(top) and sub_meaning(normalize_label(sub)) is not None
    )
    return found >= 2


def _columns(row: tuple[str, ...], below: tuple[str, ...]) -> tuple[Column, ...]:
    columns: list[Column] = []
    taken: set[str] = set()
    for index, (top_text, sub_text) in enumerate(zip(row, below, strict=True)):
        top, sub = normalize_label(top_text), normalize_label(sub_text)
        field, value = sub_meaning(sub) or _top_meaning(top or sub)
        # a second column for a one-value field (a repeated 公开依据 …) is kept verbatim instead
        if field in SCALAR_FIELDS:
            if field in taken:
                field, value = "extra", None
            taken.add(field)
        label = top if not sub or sub == top else (f"{top}/{sub}" if top else sub)
        columns.append(Column(index, field, value, label or f"第 {index + 1} 列", sub or top))
    return tuple(columns)


def sub_meaning(label: str) -> tuple[str, str | None] | None:
    if label in _SUB_LABELS:
        return _SUB_LABELS[label]
    # 主动公开（√）, 依申请公开事项, 特定群众（对象）, 全社会公开: the variants keep the word in front
    plain = _BRACKETED.sub("", label)
    for prefix in sorted(_SUB_LABELS, key=len, reverse=True):
        if (
            plain.startswith(prefix)
            and not _SUB_LABELS[prefix][0].startswith("level")
            and len(plain) <= len(prefix) + 4
        ):
            return _SUB_LABELS[prefix]
    level = level_of_label(label)
    return ("levels", level) if level else None


def _top_meaning(label: str) -> tuple[str, str | None]:
    if "序号" in label or label in ("编号", "序"):
        return "seq", None
    if label.startswith("公开内容") or label in ("内容", "要素", "内容要素"):
        return "elements", None
    # a group header over one column (no sub-columns): the cell holds text such as 主动 or 县级、乡级
    for prefix, field in (("公开对象", "audience"), ("公开方式", "mode"), ("公开层级", "levels")):
        if label.startswith(prefix):
            return field, None
    for word, field in (
        ("依据", "basis"),
        ("时限", "deadline"),
        ("主体", "subject"),
        ("渠道", "channels"),
        ("载体", "channels"),
        ("备注", "notes"),
    ):
        if word in label:
            return field, None
    return "extra", None
