"""--format table: a Chinese report for a terminal, findings grouped by kind, fitted to its width.

Every line fits the terminal (80 columns when the output is not a terminal). A table whose columns
fit is drawn as columns; when they do not, each row becomes a small block of 名称 | 内容 lines, so
nothing is ever squeezed into unreadable slivers. Identifiers (rule ids, 索引号, fingerprints) are
never broken: an id column is as wide as its longest id.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass

from compliance_audit.printable import printable
from compliance_audit.report import views
from compliance_audit.report.model import Report
from compliance_audit.textwidth import pad, width, wrap

DEFAULT_WIDTH = 80

# how a column shares the width: None = as wide as its widest value (never wrapped), or
# (weight, minimum) = wrapped, sharing what is left in proportion to its weight
Spec = tuple[int, int] | None
FIXED: Spec = None


@dataclass(frozen=True)
class Layout:
    headers: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]
    specs: tuple[Spec, ...]


_FINDING_SPECS: tuple[Spec, ...] = (FIXED, FIXED, (2, 16), (3, 20), (2, 12), FIXED, (3, 16), FIXED)
_STATE_SPECS: tuple[Spec, ...] = (FIXED, (2, 16), FIXED, (3, 20))


def terminal_width() -> int:
    """The terminal's width ($COLUMNS wins); 80 when the output is a file or a pipe."""
    return shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns


def render_table(report: Report, columns: int | None = None) -> str:
    total = max(columns or terminal_width(), 40)
    lines: list[str] = []
    # titles, file names and notices come from the inputs: unsafe characters are shown as codes
    for line in views.heading(report):
        lines.extend(wrap(printable(line), total))
    for notice in report.notices:
        lines.extend(wrap(f"注意：{printable(notice)}", total))

    def section(title: str, *layouts: Layout) -> None:
        lines.extend(["", title, fitted(layouts, total)])

    if report.drafts:
        section("【草稿】", Layout(views.DRAFT_HEADERS, views.draft_rows(report), ((1, 12), *[FIXED] * 5)))
    counts = views.rule_count_rows(report)
    if counts:
        section("【按规则统计】", Layout(views.RULE_COUNT_HEADERS, counts, (FIXED, FIXED, FIXED)))
    for label, findings in views.finding_groups(report):
        section(f"【{label}】", Layout(views.FINDING_HEADERS, [f.cells for f in findings], _FINDING_SPECS))
    if not report.findings:
        lines.extend(["", "未发现问题。"])
    waived = views.waived_rows(report)
    if waived:
        section(
            f"【已豁免（{len(waived)}）】",
            Layout(views.WAIVED_HEADERS, waived, (FIXED, (2, 12), (2, 12), (2, 12))),
        )
    fixed = views.fixed_rows(report)
    if fixed:
        section(
            f"【已修复（{len(fixed)}）】",
            Layout(views.FIXED_HEADERS, fixed, (FIXED, (2, 12), (3, 16), FIXED)),
        )
    if report.requirements:
        section("【要求】", *_state_layouts(views.REQUIREMENT_HEADERS, views.requirement_rows(report)))
    if report.checks:
        section("【检查】", *_state_layouts(views.CHECK_HEADERS, views.check_rows(report)))
    verdicts = views.verdict_lines(report)
    if verdicts:
        lines.append("")
        for verdict in verdicts:
            lines.extend(wrap(printable(verdict), total))
    lines.append("")
    lines.extend(wrap(views.summary_line(report), total))
    return "\n".join(lines) + "\n"


def _state_layouts(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> tuple[Layout, ...]:
    """Rule | title | state | note; narrower: the title under the rule id, in the id's column."""
    id_width = max([width(row[0]) for row in rows] + [24])
    stacked = [("\n".join([row[0], *wrap(row[1], id_width)]), row[2], row[3]) for row in rows]
    return (
        Layout(headers, rows, _STATE_SPECS),
        Layout((f"{headers[0]} / {headers[1]}", headers[2], headers[3]), stacked, (FIXED, FIXED, (1, 12))),
    )


def grid(
    headers: tuple[str, ...],
    rows: Sequence[tuple[str, ...]],
    specs: tuple[Spec, ...],
    columns: int | None = None,
) -> str:
    """One table fitted to the terminal (for listings: rules list, catalogue show)."""
    return fitted([Layout(headers, rows, specs)], max(columns or terminal_width(), 40))


def fitted(layouts: Sequence[Layout], total: int) -> str:
    """The first layout whose columns fit in `total` columns, else the first one as blocks. Cells
    come from the inputs: unsafe characters are shown as codes."""
    layouts = [
        Layout(layout.headers, [tuple(printable(cell) for cell in row) for row in layout.rows], layout.specs)
        for layout in layouts
    ]
    for layout in layouts:
        widths = _fit(layout, total)
        if widths is not None:
            return _grid(layout.headers, layout.rows, widths)
    return _blocks(layouts[0], total)


def _fit(layout: Layout, total: int) -> list[int] | None:
    count = len(layout.headers)
    natural = [
        max([width(layout.headers[column])] + [_widest(row[column]) for row in layout.rows])
        for column in range(count)
    ]
    available = total - (3 * count + 1)
    widths = [
        natural[column] if spec is None else min(natural[column], spec[1])
        for column, spec in enumerate(layout.specs)
    ]
    if sum(widths) > available:
        return None
    growing = [column for column, spec in enumerate(layout.specs) if spec is not None]
    spare = available - sum(widths)
    while spare > 0:
        open_columns = [column for column in growing if widths[column] < natural[column]]
        if not open_columns:
            break
        # the column furthest below its share grows by one
        column = min(open_columns, key=lambda c: widths[c] / _weight(layout.specs[c]))
        widths[column] += 1
        spare -= 1
    return widths


def _weight(spec: Spec) -> int:
    return spec[0] if spec is not None else 1


def _widest(cell: str) -> int:
    return max((width(line) for line in cell.split("\n")), default=0)


def _border(widths: Sequence[int], left: str, middle: str, right: str) -> str:
    return left + middle.join("─" * (size + 2) for size in widths) + right


def _line(texts: Sequence[str], widths: Sequence[int]) -> str:
    return "│" + "│".join(f" {pad(text, size)} " for text, size in zip(texts, widths, strict=True)) + "│"


def _draw(widths: Sequence[int], head: list[list[str]] | None, bodies: list[list[list[str]]]) -> str:
    """A box-drawn grid: each body is the lines of one row, each line its cells' texts."""
    out = [_border(widths, "┌", "┬", "┐")]
    if head is not None:
        out.extend(_line(texts, widths) for texts in head)
        out.append(_border(widths, "├", "┼", "┤"))
    # rows of one line each read best without a rule between them
    separated = any(len(body) > 1 for body in bodies)
    for position, body in enumerate(bodies):
        if position and separated:
            out.append(_border(widths, "├", "┼", "┤"))
        out.extend(_line(texts, widths) for texts in body)
    out.append(_border(widths, "└", "┴", "┘"))
    return "\n".join(out)


def _row(cells: Sequence[str], widths: Sequence[int]) -> list[list[str]]:
    wrapped = [wrap(cell, size) for cell, size in zip(cells, widths, strict=True)]
    height = max(len(lines) for lines in wrapped)
    return [[lines[line] if line < len(lines) else "" for lines in wrapped] for line in range(height)]


def _grid(headers: Sequence[str], rows: Sequence[Sequence[str]], widths: list[int]) -> str:
    return _draw(widths, _row(headers, widths), [_row(cells, widths) for cells in rows])


def _blocks(layout: Layout, total: int) -> str:
    """Each row as lines of 名称 | 内容, for terminals too narrow for the columns; empty values are
    left out."""
    label_width = max(width(header) for header in layout.headers)
    value_width = max(total - label_width - 7, 10)
    bodies = []
    for row in layout.rows:
        body = []
        for header, cell in zip(layout.headers, row, strict=True):
            for position, text in enumerate(wrap(cell, value_width) if cell else []):
                body.append([header if position == 0 else "", text])
        bodies.append(body)
    return _draw([label_width, value_width], None, bodies)
