"""Realistic 政府信息公开工作年度报告 made from known numbers, written as .txt, .docx, .html (tables
with rowspan/colspan as portals render them) and .pdf (reportlab, built-in CID font STSong-Light).

A report starts correct (`correct_2021`, `correct_2020` for the trial format); the tests change one
number or one heading to make each kind of error, and the checks must find exactly that.
"""

from __future__ import annotations

import copy
import html
from dataclasses import dataclass, field
from pathlib import Path

BUREAU = "天水市秦州区司法局"

T3_HEAD = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANTS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
DENIED = (
    "1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
)
UNABLE = ("1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确")
NOT_HANDLED = (
    "1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
)
OTHER_2021 = (
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
)
SECTIONS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]
SECTION_WORDS = ("总体情况", "主动公开", "收到和处理", "行政复议", "存在的主要问题", "其他需要报告")
PROSE = {
    0: "2021年，秦州区司法局坚持以公开为常态、不公开为例外，认真贯彻落实《中华人民共和国政府信息公开条例》，"
    "在区政府门户网站政府信息公开平台主动公开各类信息。本年度依申请公开办理及时，未发生因公开不当引发的舆情。",
    4: "一是公开内容不够全面，部分栏目更新不及时；二是政策解读形式单一。下一步将完善信息发布审核制度，"
    "加强业务培训，提升公开质量。",
    5: "本机关2021年未收取信息处理费。",
}

Values = list[str]  # seven cells of 表三 (blank allowed), in the printed column order


def row(*numbers: int) -> Values:
    """Six applicant numbers; the 总计 is their sum."""
    return [str(n) for n in numbers] + [str(sum(numbers))]


ZERO = row(0, 0, 0, 0, 0, 0)


@dataclass
class Figures:
    year: int
    trial: bool  # the 2019 trial format (2019 and 2020 reports)
    bureau: str = BUREAU
    sections: list[str] = field(default_factory=lambda: list(SECTIONS))
    table2: list[tuple[str, list[str], list[tuple[str, list[str]]]]] = field(default_factory=list)
    new: Values = field(default_factory=lambda: row(5, 1, 0, 0, 0, 0))
    carried_in: Values = field(default_factory=lambda: row(1, 0, 0, 0, 0, 0))
    opened: Values = field(default_factory=lambda: row(3, 1, 0, 0, 0, 0))
    partly: Values = field(default_factory=lambda: row(1, 0, 0, 0, 0, 0))
    denied: list[Values] = field(default_factory=lambda: [list(ZERO) for _ in DENIED])
    unable: list[Values] = field(default_factory=lambda: [row(1, 0, 0, 0, 0, 0), list(ZERO), list(ZERO)])
    not_handled: list[Values] = field(default_factory=lambda: [list(ZERO) for _ in NOT_HANDLED])
    other: list[Values] = field(default_factory=lambda: [list(ZERO) for _ in OTHER_2021])
    total: Values = field(default_factory=lambda: row(5, 1, 0, 0, 0, 0))
    carried_out: Values = field(default_factory=lambda: row(1, 0, 0, 0, 0, 0))
    table4: list[str] = field(
        default_factory=lambda: [str(n) for n in (1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0)]
    )

    @property
    def title(self) -> str:
        return f"{self.bureau}{self.year}年政府信息公开工作年度报告"

    def copy(self) -> Figures:
        return copy.deepcopy(self)


def correct_2021() -> Figures:
    figures = Figures(2021, trial=False)
    figures.table2 = [
        (
            "第二十条第（一）项",
            ["本年制发件数", "本年废止件数", "现行有效件数"],
            [("规章", ["0", "0", "0"]), ("行政规范性文件", ["2", "0", "5"])],
        ),
        ("第二十条第（五）项", ["本年处理决定数量"], [("行政许可", ["12"])]),
        ("第二十条第（六）项", ["本年处理决定数量"], [("行政处罚", ["30"]), ("行政强制", ["0"])]),
        ("第二十条第（八）项", ["本年收费金额（单位：万元）"], [("行政事业性收费", ["0"])]),
    ]
    return figures


def correct_2020() -> Figures:
    """A 2020 report in the trial format: （六）其他处理 is one row, 表二 has five blocks."""
    figures = Figures(2020, trial=True)
    figures.sections[4] = "五、政府信息公开工作存在的主要问题及改进情况"
    figures.other = [list(ZERO)]
    figures.new = row(3, 0, 0, 0, 0, 0)
    figures.carried_in = list(ZERO)
    figures.opened = row(2, 0, 0, 0, 0, 0)
    figures.partly = list(ZERO)
    figures.unable = [list(ZERO) for _ in UNABLE]
    figures.total = row(2, 0, 0, 0, 0, 0)
    figures.carried_out = row(1, 0, 0, 0, 0, 0)  # carried into 2021 (correct_2021.carried_in)
    figures.table4 = ["0"] * 15
    figures.table2 = [
        (
            "第二十条第（一）项",
            ["本年新制作数量", "本年新公开数量", "对外公开总数量"],
            [("规章", ["0", "0", "0"]), ("规范性文件", ["1", "1", "4"])],
        ),
        (
            "第二十条第（五）项",
            ["上一年项目数量", "本年增/减", "处理决定数量"],
            [("行政许可", ["6", "0", "10"]), ("其他对外管理服务事项", ["3", "-1", "5"])],
        ),
        (
            "第二十条第（六）项",
            ["上一年项目数量", "本年增/减", "处理决定数量"],
            [("行政处罚", ["40", "2", "25"]), ("行政强制", ["0", "0", "0"])],
        ),
        ("第二十条第（八）项", ["上一年项目数量", "本年增/减"], [("行政事业性收费", ["0", "0"])]),
        ("第二十条第（九）项", ["采购项目数量", "采购总金额"], [("政府集中采购", ["2", "8.6"])]),
    ]
    return figures


# ---------------------------------------------------------------------------------------------
# One table model for every writer: rows of (text, rowspan, colspan), as HTML lays them out.
@dataclass(frozen=True)
class Span:
    text: str
    rowspan: int = 1
    colspan: int = 1


SpanRow = list[Span]


def _cells(values: list[str]) -> list[Span]:
    return [Span(value) for value in values]


def table2(figures: Figures) -> list[SpanRow]:
    rows: list[SpanRow] = []
    for caption, columns, data in figures.table2:
        rows.append([Span(caption, colspan=4)])
        # a block with fewer columns than four stretches its last header (and value) cell
        stretch = 4 - len(columns)
        header = [Span("信息内容"), *(_cells(columns[:-1])), Span(columns[-1], colspan=1 + stretch)]
        rows.append(header)
        for name, values in data:
            rows.append([Span(name), *_cells(values[:-1]), Span(values[-1], colspan=1 + stretch)])
    return rows


def table3(figures: Figures) -> list[SpanRow]:
    other_labels = OTHER_2021 if not figures.trial else ()
    results_rows = 2 + len(DENIED) + len(UNABLE) + len(NOT_HANDLED) + max(len(other_labels), 1) + 1
    rows: list[SpanRow] = [
        [Span(T3_HEAD, rowspan=3, colspan=3), Span("申请人情况", colspan=7)],
        [Span("自然人", rowspan=2), Span("法人或其他组织", colspan=5), Span("总计", rowspan=2)],
        _cells(list(APPLICANTS[1:6])),
        [Span("一、本年新收政府信息公开申请数量", colspan=3), *_cells(figures.new)],
        [Span("二、上年结转政府信息公开申请数量", colspan=3), *_cells(figures.carried_in)],
        [
            Span("三、本年度办理结果", rowspan=results_rows),
            Span("（一）予以公开", colspan=2),
            *_cells(figures.opened),
        ],
        [
            Span("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", colspan=2),
            *_cells(figures.partly),
        ],
    ]
    for group, labels, values in (
        ("（三）不予公开", DENIED, figures.denied),
        ("（四）无法提供", UNABLE, figures.unable),
        ("（五）不予处理", NOT_HANDLED, figures.not_handled),
    ):
        for position, (label, cells) in enumerate(zip(labels, values, strict=True)):
            lead = [Span(group, rowspan=len(labels))] if position == 0 else []
            rows.append([*lead, Span(label), *_cells(cells)])
    if other_labels:
        for position, (label, cells) in enumerate(zip(other_labels, figures.other, strict=True)):
            lead = [Span("（六）其他处理", rowspan=len(other_labels))] if position == 0 else []
            rows.append([*lead, Span(label), *_cells(cells)])
    else:
        rows.append([Span("（六）其他处理", colspan=2), *_cells(figures.other[0])])
    rows.append([Span("（七）总计", colspan=2), *_cells(figures.total)])
    rows.append([Span("四、结转下年度继续办理", colspan=3), *_cells(figures.carried_out)])
    return rows


def table4(figures: Figures) -> list[SpanRow]:
    results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    return [
        [Span("行政复议", colspan=5), Span("行政诉讼", colspan=10)],
        [
            *(Span(name, rowspan=2) for name in results),
            Span("未经复议直接起诉", colspan=5),
            Span("复议后起诉", colspan=5),
        ],
        _cells(results * 2),
        _cells(figures.table4),
    ]


def blocks(figures: Figures) -> list[str | list[SpanRow]]:
    """The report in reading order: paragraphs (str) and tables."""
    out: list[str | list[SpanRow]] = [
        figures.title,
        f"本报告根据《中华人民共和国政府信息公开条例》编制，全文包括总体情况、主动公开政府信息情况、收到和处理政府信息"
        f"公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。"
        f"本报告所列数据的统计期限自{figures.year}年1月1日起至{figures.year}年12月31日止。",
    ]
    tables = {1: table2(figures), 2: table3(figures), 3: table4(figures)}
    for heading in figures.sections:
        out.append(heading)
        number = next((n for n, word in enumerate(SECTION_WORDS) if word in heading), None)
        if number is not None and number in PROSE:
            out.append(PROSE[number].replace("2021年", f"{figures.year}年"))
        if number in tables:
            out.append(tables[number])
    out.extend([figures.bureau, f"{figures.year + 1}年1月20日"])
    return out


def grid(rows: list[SpanRow]) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    """The table as a grid (text at each span's top-left cell) and the spans (row, col, rows, cols)."""
    placed: dict[tuple[int, int], str] = {}
    spans: list[tuple[int, int, int, int]] = []
    occupied: set[tuple[int, int]] = set()
    width = 0
    for r, cells in enumerate(rows):
        c = 0
        for cell in cells:
            while (r, c) in occupied:
                c += 1
            placed[(r, c)] = cell.text
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    occupied.add((r + dr, c + dc))
            if cell.rowspan > 1 or cell.colspan > 1:
                spans.append((r, c, cell.rowspan, cell.colspan))
            c += cell.colspan
            width = max(width, c)
    return [[placed.get((r, c), "") for c in range(width)] for r in range(len(rows))], spans


# ---------------------------------------------------------------------------------------------
def write_txt(figures: Figures, path: Path) -> Path:
    lines: list[str] = []
    for block in blocks(figures):
        if isinstance(block, str):
            lines.append(block)
            continue
        for cells in block:
            lines.append(" ".join(cell.text for cell in cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_html(figures: Figures, path: Path, published: str = "2022-01-20") -> Path:
    parts = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'>",
        f"<title>{html.escape(figures.title)}_天水市秦州区人民政府</title></head><body>",
        "<div class='position'>当前位置：首页 &gt; 政府信息公开 &gt; 政府信息公开年报</div>",
        "<table class='xxgk'><tr><td>索引号：</td><td>620502-2022-00006</td><td>发布机构：</td>"
        "<td>秦州区司法局</td></tr>",
        f"<tr><td>名称：</td><td colspan='3'>{html.escape(figures.title)}</td></tr>",
        f"<tr><td>发布日期：</td><td>{published}</td><td>主题分类：</td><td>政务公开</td></tr></table>",
        "<div class='article'>",
    ]
    for block in blocks(figures):
        if isinstance(block, str):
            parts.append(f"<p>{html.escape(block)}</p>")
            continue
        parts.append("<table border='1' cellspacing='0'><tbody>")
        for cells in block:
            parts.append("<tr>")
            for cell in cells:
                attributes = ""
                if cell.rowspan > 1:
                    attributes += f" rowspan='{cell.rowspan}'"
                if cell.colspan > 1:
                    attributes += f" colspan='{cell.colspan}'"
                parts.append(f"<td{attributes}><p>{html.escape(cell.text)}</p></td>")
            parts.append("</tr>")
        parts.append("</tbody></table>")
    parts.append("</div></body></html>")
    path.write_text("".join(parts), encoding="utf-8")
    return path


def write_docx(figures: Figures, path: Path) -> Path:
    from docx import Document

    document = Document()
    for block in blocks(figures):
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        cells, spans = grid(block)
        table = document.add_table(rows=len(cells), cols=len(cells[0]))
        table.style = "Table Grid"
        for values, table_row in zip(cells, table.rows, strict=True):
            for text, cell in zip(values, table_row.cells, strict=True):
                if text:
                    cell.text = text
        # a merge keeps the text of the one non-empty cell it covers
        for r, c, rows, cols in spans:
            table.cell(r, c).merge(table.cell(r + rows - 1, c + cols - 1))
    document.save(str(path))
    return path


def write_pdf(figures: Figures, path: Path, *, ruled: bool = True) -> Path:
    """ruled=False draws the tables without rules, as some PDFs do: pdfplumber then sees text only."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=10.5, leading=16, wordWrap="CJK")
    small = ParagraphStyle("cell", fontName="STSong-Light", fontSize=6.5, leading=8, wordWrap="CJK")
    story: list[object] = []
    for block in blocks(figures):
        if isinstance(block, str):
            story.append(Paragraph(html.escape(block), body))
            continue
        cells, spans = grid(block)
        width = len(cells[0])
        data = [[Paragraph(html.escape(text), small) if text else "" for text in values] for values in cells]
        column_widths = [170 * mm / width] * width
        if width == 10:  # 表三: wide label columns
            column_widths = [16 * mm, 24 * mm, 36 * mm] + [13.5 * mm] * 7
        table = Table(data, colWidths=column_widths, repeatRows=0)
        style: list[tuple[object, ...]] = [
            ("FONTNAME", (0, 0), (-1, -1), "STSong-Light"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]
        if ruled:
            style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
        style += [("SPAN", (c, r), (c + cols - 1, r + rows - 1)) for r, c, rows, cols in spans]
        table.setStyle(TableStyle(style))
        story.append(table)
    SimpleDocTemplate(str(path), pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm).build(story)
    return path


WRITERS = {".txt": write_txt, ".html": write_html, ".docx": write_docx, ".pdf": write_pdf}


def write(figures: Figures, path: Path) -> Path:
    return WRITERS[path.suffix](figures, path)


def text_body(figures: Figures) -> str:
    """The report as an inventory item's body: plain text, one table row per line with its cells
    separated by " | " (a blank cell stays a blank cell)."""
    lines: list[str] = []
    for block in blocks(figures):
        if isinstance(block, str):
            lines.append(block)
        else:
            lines.extend(" | ".join(cell.text for cell in cells) for cells in block)
    return "\n".join(lines)
