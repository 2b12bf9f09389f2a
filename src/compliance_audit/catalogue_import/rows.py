"""From a catalogue table to catalogue rows, written down the way a person reading the table would.

一级事项 and 二级事项 left empty under a merged cell (a CSV export keeps only the first) are carried
down from the row above; 同上 takes the previous row's text in its column. Only what the table
ticks is read: a row without a readable 主动/依申请 tick gets mode null, and the audit reports it
not-evaluated. A cell that cannot be read is kept verbatim and listed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from compliance_audit.catalogue_import.cells import (
    checked_items,
    is_same_as_above,
    levels_in_text,
    lists_examples,
    parse_channels,
    parse_deadline,
    split_basis,
    split_elements,
    tick,
)
from compliance_audit.catalogue_import.grid import Table
from compliance_audit.catalogue_import.header import Column, Header, normalize_label

UNFILLED = "（未填写）"
_ROW_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")
_SHORT = 40


@dataclass(frozen=True)
class UnparsedCell:
    line: int  # the row of the table, 1-based
    row_id: str
    column: str
    text: str


@dataclass(frozen=True)
class TableRows:
    rows: tuple[dict[str, Any], ...]
    unparsed: tuple[UnparsedCell, ...]
    without_mode: tuple[str, ...]
    notices: tuple[str, ...]  # rows skipped, 同上 with nothing above, names missing
    title: str | None  # a title row above the header


@dataclass(frozen=True)
class _Line:
    number: int
    cells: tuple[str, ...]  # 同上 resolved, 一级/二级事项 carried down
    missing: int = 0  # cells the source row lacks: a merged cell may have shifted the others


@dataclass
class _Reading:
    """What reading one row collects besides its fields."""

    line: int
    row_id: str
    notes: list[str] = field(default_factory=list)
    unparsed: list[UnparsedCell] = field(default_factory=list)

    def unreadable(self, column: Column, text: str, *, note: bool = True) -> None:
        self.unparsed.append(UnparsedCell(self.line, self.row_id, column.label, text))
        if note:
            self.notes.append(f"{column.label}（原文）：{text}")


def read_rows(table: Table, header: Header, source: str) -> TableRows:
    notices: list[str] = []
    lines = _data_lines(table, header, notices)
    ids, seqs = _row_ids(lines, header)
    rows: list[dict[str, Any]] = []
    unparsed: list[UnparsedCell] = []
    without_mode: list[str] = []
    for line, row_id, seq in zip(lines, ids, seqs, strict=True):
        reading = _Reading(line.number, row_id)
        row = _row(line, row_id, seq, header, source, reading)
        if line.missing:
            notices.append(_unshifted(row, line))
        for name in ("level1", "level2"):
            if row[name] == UNFILLED:
                notices.append(
                    f"第 {line.number} 行（{row_id}）没有{'一级' if name == 'level1' else '二级'}事项"
                )
        rows.append(row)
        unparsed.extend(reading.unparsed)
        if row["mode"] is None:
            without_mode.append(row_id)
    return TableRows(
        tuple(rows), tuple(unparsed), tuple(without_mode), tuple(notices), _title_row(table, header)
    )


def _data_lines(table: Table, header: Header, notices: list[str]) -> list[_Line]:
    header_rows = set(table.rows[header.first_row : header.last_row + 1])
    content = _indexes(header, ("level2", "level3", "elements"))
    carried = _indexes(header, ("level1", "level2"))
    short = dict(table.short_rows)
    lines: list[_Line] = []
    previous: list[str] | None = None
    for index in range(header.last_row + 1, len(table.rows)):
        raw, number = table.rows[index], index + 1
        texts = {cell for cell in raw if cell}
        if not texts or raw in header_rows:  # Word repeats the header on every page
            continue
        if len(texts) == 1:
            notices.append(f"第 {number} 行是通栏文字，未作为事项导入：{_short(texts.pop())}")
            continue
        if not any(raw[column] for column in content):
            notices.append(
                f"第 {number} 行没有事项名称和公开内容，未导入：{_short('｜'.join(c for c in raw if c))}"
            )
            continue
        cells = list(raw)
        for column, text in enumerate(raw):
            if not is_same_as_above(text):
                continue
            if previous is not None and previous[column]:
                cells[column] = previous[column]
            else:
                notices.append(f"第 {number} 行第 {column + 1} 列写“同上”，但上面没有可沿用的内容，原文保留")
        for column in carried:
            if not cells[column] and previous is not None:
                cells[column] = previous[column]
        lines.append(_Line(number, tuple(cells), short.get(index, 0)))
        previous = cells
    return lines


def _unshifted(row: dict[str, Any], line: _Line) -> str:
    """A row that may have been shifted by a merged cell: its ticks are not trusted (the row is not
    judged until a person checks it), what was read is kept in its notes, and a warning names it."""
    read = "；".join(
        f"{label}：{'、'.join(values) if isinstance(values, list) else values}"
        for label, values in (
            ("公开对象", row["audience"]),
            ("公开方式", row["mode"]),
            ("公开层级", row["levels"]),
        )
        if values
    )
    note = f"此行比表头少 {line.missing} 个单元格，合并单元格可能使各栏错位，勾选未采用" + (
        f"（读到的是 {read}）" if read else ""
    )
    row["notes"] = f"{row['notes']}；{note}" if row.get("notes") else note
    row["audience"], row["mode"], row["levels"] = [], None, []
    return (
        f"第 {line.number} 行（{row['id']}“{row['level2']}”）比表头少 {line.missing} 个单元格，"
        "合并单元格可能使此行各栏错位：其公开对象、方式、层级未采用，审计时列为未评估，请对照原表核对后补写"
    )


def _indexes(header: Header, names: tuple[str, ...]) -> list[int]:
    return [column.index for column in (header.scalar(name) for name in names) if column is not None]


def _row_ids(lines: list[_Line], header: Header) -> tuple[list[str], list[int | None]]:
    """序号 as the row id when every row has its own; else R1, R2 … (序号 may number groups of rows,
    or be merged over them)."""
    column = header.scalar("seq")
    if column is not None:
        numbers = [normalize_label(line.cells[column.index]).rstrip(".．、") for line in lines]
        if all(_ROW_ID.fullmatch(number) for number in numbers) and len(set(numbers)) == len(numbers):
            return numbers, [int(number) if number.isdigit() else None for number in numbers]
    return [f"R{position}" for position in range(1, len(lines) + 1)], [None] * len(lines)


def _row(
    line: _Line, row_id: str, seq: int | None, header: Header, source: str, reading: _Reading
) -> dict[str, Any]:
    def cell(name: str) -> str:
        column = header.scalar(name)
        return line.cells[column.index] if column else ""

    row: dict[str, Any] = {"id": row_id}
    if seq is not None:
        row["seq"] = seq
    row["level1"] = _one_line(cell("level1")) or UNFILLED
    row["level2"] = _one_line(cell("level2")) or UNFILLED
    if level3 := _one_line(cell("level3")):
        row["level3"] = level3
    row["elements"] = [{"name": name} for name in split_elements(cell("elements"))]
    if row["elements"] and lists_examples(cell("elements")):
        row["elements_illustrative"] = True
    if basis := split_basis(cell("basis")):
        row["basis"] = basis
    row["deadline"] = _deadline(header, line, reading)
    if subject := "、".join(cell("subject").split("\n")):
        row["subject"] = subject
    channels_column = header.scalar("channels")
    if channels_column is not None:
        channels, note = parse_channels(line.cells[channels_column.index])
        row["channels"] = channels
        if note:
            reading.notes.append(f"{channels_column.label}注：{note}")
    audience, audience_note = _audience(header, line, reading)
    row["audience"] = audience
    if audience_note:
        row["audience_note"] = audience_note
    row["mode"] = _mode(header, line, reading)
    row["levels"] = _levels(header, line, reading)
    row["confidence"] = "high"  # read from the county's own published table
    row["inferred"] = []
    row["sources"] = [source]
    if remark := cell("notes"):
        reading.notes.append(remark)
    if reading.notes:
        row["notes"] = "；".join(reading.notes)
    if extra := _extra(header, line):
        row["extra"] = extra
    return row


def _deadline(header: Header, line: _Line, reading: _Reading) -> dict[str, Any]:
    column = header.scalar("deadline")
    text = _one_line(line.cells[column.index]) if column else ""
    if column is None or not text:
        return {"working_days": None}
    parsed = parse_deadline(text)
    if parsed is None:
        reading.unreadable(column, text, note=False)  # the sentence stays in deadline.text
        return {"working_days": None, "text": text}
    return parsed


def _audience(header: Header, line: _Line, reading: _Reading) -> tuple[list[str], str]:
    audience: list[str] = []
    notes: list[str] = []
    for column in header.ticks("audience"):
        text = line.cells[column.index]
        if column.value is None:
            found, note = _audience_in_text(_selected(text))
            audience.extend(found)
            notes.extend([note] if note else [])
            continue
        ticked = _ticked(column, text)
        # a 特定群众 cell that names the group instead of ticking: ticked, and the name kept
        if ticked is None and column.value == "特定群众":
            ticked = True
            notes.append(_one_line(text))
        if ticked is None:
            reading.unreadable(column, text)
        elif ticked:
            audience.append(column.value)
    return _unique(audience), "；".join(notes)


def _mode(header: Header, line: _Line, reading: _Reading) -> str | None:
    modes = _group_values(header, "mode", line, reading, _modes_in_text)
    if "主动" in modes:
        if "依申请" in modes:
            reading.notes.append("公开方式：主动、依申请公开均勾选，按主动公开导入")
        return "主动"
    return "依申请" if "依申请" in modes else None


def _levels(header: Header, line: _Line, reading: _Reading) -> list[str]:
    return _unique(_group_values(header, "levels", line, reading, levels_in_text))


def _modes_in_text(text: str) -> list[str] | None:
    found = [mode for mode in ("主动", "依申请") if mode in normalize_label(text)]
    return found if found or not text else None


def _group_values(
    header: Header,
    group: str,
    line: _Line,
    reading: _Reading,
    read_text: Callable[[str], list[str] | None],
) -> list[str]:
    """The values a row selects in a tick group: ticked sub-columns, or, for a single column that
    holds text (公开方式：主动), what the text names. None from read_text means unreadable."""
    values: list[str] = []
    for column in header.ticks(group):
        text = line.cells[column.index]
        if column.value is None:
            found = read_text(_selected(text))
            if found is None:
                reading.unreadable(column, text)
            values.extend(found or [])
            continue
        ticked = _ticked(column, text)
        if ticked is None:
            reading.unreadable(column, text)
        elif ticked:
            values.append(column.value)
    return values


def _selected(text: str) -> str:
    """A text cell of a tick group with check boxes (■主动□依申请) as the items it selects."""
    items = checked_items(text)
    return text if items is None else "、".join(items)


def _ticked(column: Column, text: str) -> bool | None:
    """A tick, or the cell repeating its own column's name (主动 under 主动)."""
    ticked = tick(text)
    if ticked is None and normalize_label(text) == column.heading:
        return True
    return ticked


def _audience_in_text(text: str) -> tuple[list[str], str]:
    compact = normalize_label(text)
    found = ["全社会"] if "全社会" in compact or "社会公众" in compact else []
    rest = compact.replace("全社会", "").replace("社会公众", "").strip("、，,;；/和及")
    if not rest:
        return found, ""
    return [*found, "特定群众"], "" if rest in ("特定群众", "特定群体") else _one_line(text)


def _extra(header: Header, line: _Line) -> dict[str, str]:
    extra: dict[str, str] = {}
    for column in header.extras():
        text = line.cells[column.index]
        if not text:
            continue
        key = column.label if column.label not in extra else f"{column.label}（第 {column.index + 1} 列）"
        extra[key] = text
    return extra


def _title_row(table: Table, header: Header) -> str | None:
    for row in table.rows[: header.first_row]:
        texts = {cell for cell in row if cell}
        if len(texts) == 1 and "目录" in (text := texts.pop()):
            return _one_line(text)
    return None


def _one_line(text: str) -> str:
    """A name or sentence wrapped onto several lines of its cell, as one line."""
    return "".join(text.split("\n"))


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _short(text: str) -> str:
    flat = _one_line(text)
    return flat if len(flat) <= _SHORT else flat[:_SHORT] + "…"
