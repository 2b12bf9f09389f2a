"""The one table model every reader produces: rows of cell texts with merged cells expanded.

Whatever the format, a merged cell (HTML rowspan/colspan, an xlsx merged range, a docx vMerge or
gridSpan) ends up as the same text in every grid position it covers, so the step that reads the
catalogue out of the table never needs to know where the table came from.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from compliance_audit.errors import InputError

# A published catalogue has a few hundred rows of some twenty columns (a few thousand cells); this
# bound, twenty times that, stops a hostile rowspan/colspan or a sheet formatted down to row
# 1048576 early: an xlsx sheet is counted before it is loaded, and loading costs tens of
# microseconds a cell, so the bound is also what keeps any table within a few seconds.
MAX_GRID_CELLS = 100_000
MAX_SPAN = 1000

_SPACES = re.compile(r"[ \t\f\v\xa0\u3000]+")


@dataclass(frozen=True)
class Table:
    """A rectangular grid; row i of `rows` is the table's row i + 1 in messages."""

    rows: tuple[tuple[str, ...], ...]
    where: str  # which table of the file, for messages: "第 2 个表格", "工作表“目录”"
    caption: str | None = None  # the table's own title: <caption>, the docx heading above it
    page_title: str | None = None  # the catalogue named in the HTML page's <title>
    # (row index, cells missing): rows that ended before the table's last column in the source. A
    # cell merged over rows that the source did not mark as merged (page text, a careless export)
    # shifts the rest of such a row to the left.
    short_rows: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class SpanCell:
    text: str
    rowspan: int = 1
    colspan: int = 1


def clean_text(text: str) -> str:
    """Cell text with spaces collapsed on each line, lines trimmed and blank lines dropped."""
    lines = (
        _SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    )
    return "\n".join(line for line in lines if line)


_SPAN_DIGITS = re.compile(r"\s*\+?([0-9]+)")


def span_attribute(value: str | None, whole: int) -> int:
    """A rowspan/colspan attribute read as a browser reads it: the ASCII digits it starts with
    ("2px" is 2, "²" and "abc" are 1), bounded by MAX_SPAN; 0 (to the end of the table) is `whole`."""
    match = _SPAN_DIGITS.match(value or "")
    if match is None:
        return 1
    digits = match.group(1).lstrip("0") or "0"
    number = int(digits) if len(digits) <= 9 else MAX_SPAN
    return whole if number == 0 else min(number, MAX_SPAN)


def expand_spans(rows: Sequence[Sequence[SpanCell]], where: str) -> list[list[str]]:
    """Place each cell at the first free column of its row and copy it over the rows and columns it
    spans, as a browser lays out an HTML table. A rowspan reaching past the last row stops there.
    Rows keep their own length (up to their last filled column)."""
    occupied: dict[tuple[int, int], str] = {}
    for row_index, cells in enumerate(rows):
        column = 0
        for cell in cells:
            while (row_index, column) in occupied:
                column += 1
            rowspan = min(max(cell.rowspan, 1), len(rows) - row_index)
            colspan = min(max(cell.colspan, 1), MAX_SPAN)
            if len(occupied) + rowspan * colspan > MAX_GRID_CELLS:
                raise InputError(f"{where}过大（超过 {MAX_GRID_CELLS} 个单元格）")
            for down in range(rowspan):
                for across in range(colspan):
                    occupied[(row_index + down, column + across)] = cell.text
            column += colspan
    # each row as far as the source filled it: rectangular() tells the short ones
    last = {row: column for row, column in sorted(occupied)}
    return [
        [occupied.get((row_index, column), "") for column in range(last.get(row_index, -1) + 1)]
        for row_index in range(len(rows))
    ]


def rectangular(
    rows: Sequence[Sequence[str]], where: str, caption: str | None = None, page_title: str | None = None
) -> Table:
    """The Table of these rows, padded to one width, without the columns that are empty throughout
    (spreadsheets and Word tables often carry blank formatting columns at the edge)."""
    width = max((len(row) for row in rows), default=0)
    short = tuple((index, width - len(row)) for index, row in enumerate(rows) if 0 < len(row) < width)
    padded = [[*row, *([""] * (width - len(row)))] for row in rows]
    kept = [column for column in range(width) if any(row[column] for row in padded)]
    return Table(
        tuple(tuple(row[column] for column in kept) for row in padded), where, caption, page_title, short
    )
