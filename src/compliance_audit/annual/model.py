"""An annual report as the readers see it (rows of cells) and as the checks see it (numbers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from compliance_audit.annual.layout import Layout


@dataclass(frozen=True)
class Row:
    """One line of the document: a paragraph is a row of one cell; a table row has its cells.

    `aligned` rows come from a real table (docx, HTML, PDF) whose cells sit in columns, merged
    cells repeated (docx, HTML) or left blank (PDF); rows of plain text are split on spaces and
    only their order tells which number belongs to which column."""

    cells: tuple[str, ...]
    where: str  # for messages: "第 2 个表格第 5 行", "第 37 行"
    aligned: bool = False
    table: int | None = None  # which table of the document the row belongs to

    @property
    def text(self) -> str:
        return " ".join(cell for cell in self.cells if cell)


@dataclass(frozen=True)
class Document:
    """What a reader returns: the rows in reading order and what the file says about itself."""

    source: str  # the file name, or the inventory item the body came from
    rows: tuple[Row, ...]
    title: str = ""  # the page heading or document title when the format has one
    published: date | None = None  # the page's 发布日期 when the saved page shows it


@dataclass(frozen=True)
class Cell:
    raw: str
    value: Decimal | None  # None: the cell is blank or a dash
    where: str

    @property
    def number(self) -> Decimal:
        """A blank cell counts as 0 (many reports leave zero cells empty)."""
        return self.value if self.value is not None else Decimal(0)


@dataclass(frozen=True)
class T2Cell:
    row: str
    column: str
    header: str  # the header cell as printed (its unit, e.g. 单位：万元)
    cell: Cell


@dataclass
class Report:
    """A parsed annual report: its year and format, its text (for the sections) and tables."""

    source: str
    title: str
    bureau: str
    year: int
    layout: Layout
    text: str
    published: date | None = None
    table2: list[T2Cell] = field(default_factory=list)
    table3: dict[str, tuple[Cell, ...]] = field(default_factory=dict)  # row key → 7 cells
    table4: tuple[Cell, ...] | None = None  # 15 cells
    notices: list[str] = field(default_factory=list)  # what could not be read, said plainly

    @property
    def label(self) -> str:
        return self.title or f"{self.bureau}{self.year}年政府信息公开工作年度报告"

    def t2_value(self, rows: tuple[str, ...], columns: tuple[str, ...]) -> T2Cell | None:
        for entry in self.table2:
            if entry.row in rows and entry.column in columns:
                return entry
        return None
