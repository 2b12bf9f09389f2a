"""From rows of cells to a parsed annual report: its year, its format, and tables 二、三、四.

Rows are read in document order, whatever the file format. A row of table 三 is known by its label
(本年新收, 上年结转, （三）不予公开 … 1.属于国家秘密, （七）总计, 结转下年度) followed by seven cells; a
sub-item whose group label sits in a merged cell above it (PDF, plain text) takes the group of the
rows before it. Table 四 is the row of fifteen cells under a 行政复议/行政诉讼 header; table 二's
rows are its printed row names under a 信息内容 header, whose columns say which number is which.
Nothing is guessed: a row that cannot be read is named in `notices`, and the checks that need it
say they could not judge.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from compliance_audit.annual.layout import (
    CARRIED_IN,
    CARRIED_OUT,
    LAYOUT_2019,
    LAYOUT_2021,
    NEW,
    OPENED,
    PARTLY,
    T3_COLUMNS,
    T4_COLUMNS,
    TOTAL,
    Group,
    Layout,
    T2Column,
    T2Row,
    layout_for,
    t2_columns,
)
from compliance_audit.annual.model import Cell, Document, Report, Row, T2Cell
from compliance_audit.errors import InputError
from compliance_audit.textnorm import normalise

_BLANKS = frozenset({"", "-", "—", "——", "–", "/", "无", "・", "·"})
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_UNIT_SUFFIX = re.compile(r"(?:件|个|项|万元)$")
_ITEM_NUMBER = re.compile(r"^\(?(\d{1,2})\)?[.、．]")
_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年度?\s*(?:的)?\s*(?:政府信息公开|政务公开|信息公开)")
_BUREAU_BEFORE_YEAR = re.compile(r"^(.*?)(?:19|20)\d{2}\s*年度?")
_BUREAU_AFTER_YEAR = re.compile(r"^(?:19|20)\d{2}\s*年度?(.*?)(?:政府信息公开|政务公开|信息公开)")
_MAX_LONE_LABEL = 20
T3_WIDTH = len(T3_COLUMNS)
T4_WIDTH = 3 * len(T4_COLUMNS)


def parse_report(
    document: Document, *, year: int | None = None, bureau: str | None = None, title: str | None = None
) -> Report:
    text = "\n".join(row.text for row in document.rows)
    heading = title or document.title or _title_line(document)
    report_year = year or _year(heading) or _year(text)
    if report_year is None:
        raise InputError(
            "无法从标题或正文确定报告所属年度",
            file=document.source,
            expected="用 --year 指定，如 --year 2021",
        )
    layout = layout_for(report_year)
    report = Report(
        source=document.source,
        title=heading,
        bureau=bureau or _bureau(heading),
        year=report_year,
        layout=layout,
        text=text,
        published=document.published,
    )
    _read_tables(document.rows, report)
    return report


def value_of(raw: str) -> tuple[bool, Decimal | None]:
    """(whether the cell holds a value, the value): a number, or a blank or dash meaning none."""
    text = unicodedata.normalize("NFKC", raw).replace(",", "").replace(" ", "").strip()
    if text in _BLANKS:
        return True, None
    text = _UNIT_SUFFIX.sub("", text)
    if not _NUMBER.match(text):
        return False, None
    try:
        return True, Decimal(text)
    except InvalidOperation:
        return False, None


def _title_line(document: Document) -> str:
    for row in document.rows[:15]:
        if "报告" in row.text and _year(row.text) is not None and len(row.text) <= 80:
            return row.text.replace(" ", "")
    return ""


def _year(text: str) -> int | None:
    found = _TITLE_YEAR.search(text)
    return int(found.group(1)) if found else None


def _bureau(title: str) -> str:
    """The organ named in a title: 秦州区司法局2021年政府信息公开工作年度报告, or
    2021年秦州区司法局政府信息公开工作年度报告."""
    compact = title.replace(" ", "")
    before = _BUREAU_BEFORE_YEAR.match(compact)
    if before and before.group(1):
        return before.group(1)
    after = _BUREAU_AFTER_YEAR.match(compact)
    return after.group(1) if after and after.group(1) else ""


class _Reader:
    """Walks the rows once, keeping what a reader keeps in mind: the group of table 三 whose
    sub-items follow, the header of table 二's current block, the header rows of each table."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.layout = report.layout
        self.group: Group | None = None
        self.t2_header: list[tuple[str, str, int]] = []  # (column name, header text, index)
        self.headers: dict[int | None, list[Row]] = {}  # table → rows before its first data row
        self.t2_rows = _t2_row_names(report.layout)
        self.t3_last = -1  # position in the printed order of the last row of table 三 read
        self.t3_disordered: list[str] = []

    def row(self, row: Row) -> None:
        label_cells, values = _split(row)
        label = " ".join(_distinct(label_cells))
        norm = normalise(label)
        if self._t2_header(row, norm):
            return
        if len(values) >= T4_WIDTH and not self._is_t3_label(norm):
            self._t4(row, values)
            return
        if label and self._t2_row(row):
            return
        # prose (本年度不予公开2件…) is no row label and changes no group; a short line of text
        # can be a group label standing alone (（三）不予公开)
        labelish = row.table is not None or bool(values) or len(norm) <= _MAX_LONE_LABEL
        key = self._t3_key(norm) if labelish else None
        if key is not None and len(values) >= T3_WIDTH:
            self._t3(row, key, values)
            return
        if (
            len(values) == T3_WIDTH
            and label
            and NEW in self.report.table3
            and CARRIED_OUT not in self.report.table3
        ):
            self.report.notices.append(f"表三中“{label}”一行（{row.where}）未能识别是格式中的哪一行，未用")
        if not values or not any(value for _, value in values):
            self.headers.setdefault(row.table, []).append(row)

    # -- table 二 -------------------------------------------------------------------------------
    def _t2_header(self, row: Row, norm: str) -> bool:
        first = next((cell for cell in row.cells if cell), "")
        if not normalise(first).startswith("信息内容"):
            return False
        known = t2_columns()
        header: list[tuple[str, str, int]] = []
        if row.aligned:
            previous = ""
            for index, cell in enumerate(row.cells):
                # skip the 信息内容 cell and the repeats a merged header cell leaves
                if not cell or normalise(cell).startswith("信息内容") or cell == previous:
                    continue
                previous = cell
                header.append((_column_name(cell, known) or cell, cell, index))
        else:
            # text: the columns in the order their names stand in the line, the longest name
            # wherever two overlap (本年处理决定数量 holds 处理决定数量)
            found: list[tuple[int, int, str]] = []
            for column in sorted(known.values(), key=lambda column: -len(column.keyword)):
                keyword = normalise(column.keyword)
                start = norm.find(keyword)
                end = start + len(keyword)
                if start >= 0 and not any(s <= start and end <= e for s, e, _ in found):
                    found.append((start, end, column.name))
            header = [(name, _header_text(row.text, name), start) for start, _, name in sorted(found)]
        self.t2_header = header
        return True

    def _t2_row(self, row: Row) -> bool:
        """A row of table 二 is known by its first cell, a row name of the format (规章, 行政许可…)."""
        label = next((cell for cell in row.cells if cell), "")
        name = self.t2_rows.get(normalise(label))
        if name is None or not self.t2_header:
            return False
        if row.aligned:
            by_index = dict(enumerate(row.cells))
            picked = [(column, text, by_index.get(index, "")) for column, text, index in self.t2_header]
        else:
            raws = list(row.cells[row.cells.index(label) + 1 :])
            if len(raws) != len(self.t2_header):
                self.report.notices.append(
                    f"表二“{label}”一行（{row.where}）有 {len(raws)} 个数，表头有 {len(self.t2_header)} 列，"
                    "无法逐列对应，未用"
                )
                return True
            picked = [
                (column, text, raw) for (column, text, _), raw in zip(self.t2_header, raws, strict=True)
            ]
        for column, text, raw in picked:
            is_value, value = value_of(raw)
            if not is_value:
                self.report.notices.append(
                    f"表二“{label}”“{column}”填为“{raw}”（{row.where}），不是数字，未用"
                )
                continue
            self.report.table2.append(T2Cell(name, column, text, Cell(raw, value, row.where)))
        return True

    # -- table 三 -------------------------------------------------------------------------------
    def _is_t3_label(self, norm: str) -> bool:
        return any(word in norm for word in ("本年新收", "上年结转", "结转下年", "予以公开", "部分公开"))

    def _t3_key(self, norm: str) -> str | None:
        if not norm:
            return None
        for word, key in (("本年新收", NEW), ("上年结转", CARRIED_IN), ("结转下年", CARRIED_OUT)):
            if word in norm:
                self.group = None
                return key
        if "总计" in norm and not any(normalise(group.marker) in norm for group in self.layout.groups):
            self.group = None
            return TOTAL
        for named in self.layout.groups:
            marker = normalise(named.marker)
            if marker in norm:
                self.group = named
                norm = norm.split(marker, 1)[1]
                break
        else:
            if "予以公开" in norm:
                self.group = None
                return OPENED
            if "部分公开" in norm:
                self.group = None
                return PARTLY
        group = self.group
        if group is None:
            return None
        if not group.items:
            return group.key
        for number, (_, keyword) in enumerate(group.items, start=1):
            if normalise(keyword) in norm:
                return group.item_key(number)
        numbered = _ITEM_NUMBER.match(norm)
        if numbered and 1 <= int(numbered.group(1)) <= len(group.items):
            return group.item_key(int(numbered.group(1)))
        return None

    def _t3(self, row: Row, key: str, values: list[tuple[str, Decimal | None]]) -> None:
        position = self.layout.t3_keys().index(key)
        if position <= self.t3_last:
            # rows out of the printed order (a table without rules whose labels wrap): which
            # number belongs to which row is no longer certain, and nothing is judged on it
            self.t3_disordered.append(f"“{self.layout.t3_label(key)}”（{row.where}）")
            return
        self.t3_last = position
        cells = [Cell(raw, value, row.where) for raw, value in values[-T3_WIDTH:]]
        order = self._column_order(row, T3_COLUMNS)
        self.report.table3[key] = tuple(cells[position] for position in order)

    # -- table 四 -------------------------------------------------------------------------------
    def _t4(self, row: Row, values: list[tuple[str, Decimal | None]]) -> None:
        if self.report.table4 is not None:
            return
        header = " ".join(header_row.text for header_row in self.headers.get(row.table, [])[-4:])
        if row.aligned and not ("复议" in header and "诉讼" in header):
            return
        cells = [Cell(raw, value, row.where) for raw, value in values[-T4_WIDTH:]]
        self.report.table4 = tuple(cells)

    def _column_order(self, row: Row, names: tuple[str, ...]) -> list[int]:
        """Position of each printed column among the row's last cells: the header's own order when
        the header can be read column by column, else the order the format prints."""
        standard = list(range(len(names)))
        header_rows = self.headers.get(row.table, []) if row.aligned else []
        if not header_rows:
            return standard
        width = max(len(header.cells) for header in header_rows)
        if width != len(row.cells):
            return standard
        deepest = []
        for column in range(width - len(names), width):
            texts = [header.cells[column] for header in header_rows if column < len(header.cells)]
            deepest.append(normalise(next((text for text in reversed(texts) if text), "")))
        wanted = [normalise(name) for name in names]
        if sorted(deepest) != sorted(wanted):
            return standard
        return [deepest.index(name) for name in wanted]


def _read_tables(rows: tuple[Row, ...], report: Report) -> None:
    reader = _Reader(report)
    for row in rows:
        reader.row(row)
    layout = report.layout
    missing = [layout.t3_label(key) for key in layout.t3_keys() if key not in report.table3]
    if reader.t3_disordered:
        report.table3.clear()
        report.notices.append(
            f"表三的行与格式的次序不符（{'、'.join(reader.t3_disordered)}重复或错位，常见于无边框表格的折行），"
            "无法确定各数字属于哪一行，未检查表三"
        )
    elif len(missing) == len(layout.t3_keys()):
        report.notices.append("未能读到表三（收到和处理政府信息公开申请情况）；表格若是图片，请提供文字版")
    elif missing:
        report.notices.append(f"表三未能读到这些行：{'、'.join(missing)}")
    if report.table4 is None:
        report.notices.append("未能读到表四（行政复议、行政诉讼情况）的数据行（应为 15 个数）")
    if not report.table2:
        report.notices.append("未能读到表二（主动公开政府信息情况）")


def _split(row: Row) -> tuple[list[str], list[tuple[str, Decimal | None]]]:
    """(label cells, trailing value cells): the values are the longest run of numbers, blanks and
    dashes at the end of the row."""
    values: list[tuple[str, Decimal | None]] = []
    cells = list(row.cells)
    while cells:
        is_value, value = value_of(cells[-1])
        if not is_value:
            break
        values.insert(0, (cells.pop(), value))
    return cells, values


def _distinct(cells: list[str]) -> list[str]:
    """Label cells without the repeats a merged cell leaves over the columns it covers."""
    out: list[str] = []
    for cell in cells:
        if cell and (not out or out[-1] != cell):
            out.append(cell)
    return out


def _t2_row_names(layout: Layout) -> dict[str, str]:
    """Normalised row label → the name the report's own format gives the row (both formats' rows
    are known, so a report on the wrong template is still read)."""
    names: dict[str, str] = {}
    for own in (layout, LAYOUT_2021 if layout is LAYOUT_2019 else LAYOUT_2019):
        for block in own.table2:
            for row in block.rows:
                _add_row(names, row)
    return names


def _add_row(names: dict[str, str], row: T2Row) -> None:
    for text in (row.name, *row.aliases):
        names.setdefault(normalise(text), row.name)


def _column_name(cell: str, known: dict[str, T2Column]) -> str | None:
    """The column a header cell names: the longest keyword it holds."""
    norm = normalise(cell)
    names = [name for name, column in known.items() if normalise(column.keyword) in norm]
    return max(names, key=lambda name: len(known[name].keyword), default=None)


def _header_text(line: str, name: str) -> str:
    """The header cell of a text row as printed, with its unit when it has one."""
    for token in line.split():
        if normalise(token).startswith(normalise(name)[:4]):
            return token
    return name
