"""--format html and the batch's 汇总.html: one self-contained page over the summary model.

Everything is inline (styles, the script that sorts and filters tables, the SVG charts, drawn here
from the data), so the file opens offline and can be mailed; a Content-Security-Policy forbids
the page any request. Every value goes through jinja2's autoescape: portal text is untrusted.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from compliance_audit.findings import REQUIREMENT_STATES, STATE_LABELS
from compliance_audit.inventory.model import LEVEL_LABELS
from compliance_audit.report.model import Report
from compliance_audit.report.overview import BureauRow, Overview, single

STATE_CLASSES = {state: f"s-{state}" for state in REQUIREMENT_STATES}
CHART_WIDTH = 640


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("compliance_audit.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
    )
    environment.globals.update(
        state_label=lambda state: STATE_LABELS.get(state, ""),
        state_class=lambda state: STATE_CLASSES.get(state, "s-none"),
        level_label=lambda level: LEVEL_LABELS.get(level, level),
    )
    return environment


def render_html(report: Report) -> str:
    return "".join(overview_html(single(report)))


def overview_html(overview: Overview) -> Iterator[str]:
    """The page, in pieces (a department's page is written as it is rendered)."""
    template = _environment().get_template("summary.html.j2")
    return template.generate(
        overview=overview,
        ranked=list(overview.ranked()),
        requirements=overview.requirements,
        histogram=score_histogram(overview) if len(overview.audited) > 1 else None,
        gaps=gap_bars(overview),
        states=[(state, STATE_LABELS[state]) for state in REQUIREMENT_STATES],
        single=len(overview.rows) == 1,
        details=overview.details,
        state_bar=state_bar,
        sparkline=sparkline,
    )


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    caption: str


def score_histogram(overview: Overview) -> Chart:
    """How many bureaus scored 0–9, 10–19 … 90–100."""
    counts = [0] * 10
    for row in overview.audited:
        if row.score is not None:
            counts[min(int(row.score // 10), 9)] += 1
    height, top, base = 180, 16, 150
    peak = max(counts) or 1
    slot = CHART_WIDTH / 10
    bars = [
        Bar(
            x=round(index * slot + 6, 1),
            y=round(base - (base - top) * count / peak, 1),
            width=round(slot - 12, 1),
            height=round((base - top) * count / peak, 1),
            label=f"{index * 10}–{index * 10 + 9 if index < 9 else 100}",
            value=count,
        )
        for index, count in enumerate(counts)
    ]
    return Chart(CHART_WIDTH, height, bars, "得分分布（机关数）")


def gap_bars(overview: Overview) -> Chart:
    """The requirements and checks most bureaus fail, longest bar first."""
    gaps = overview.gaps()
    row_height, label_width = 26, 300
    peak = max((gap.bureaus for gap in gaps), default=1)
    bars = [
        Bar(
            x=label_width,
            y=index * row_height + 4,
            width=round((CHART_WIDTH - label_width - 60) * gap.bureaus / peak, 1),
            height=row_height - 8,
            label=_short(gap.title, 22),
            value=gap.bureaus,
        )
        for index, gap in enumerate(gaps)
    ]
    return Chart(
        CHART_WIDTH, max(len(gaps), 1) * row_height + 8, bars, "最常见的问题（有错误或警告的机关数）"
    )


def state_bar(row: BureauRow, width: int = 360) -> list[tuple[str, str, float, float, int]]:
    """(state, label, x, width, count) segments of a bureau's requirement states."""
    counts: dict[str, int] = {}
    for _, state in row.states:
        counts[state] = counts.get(state, 0) + 1
    total = sum(counts.values()) or 1
    segments, x = [], 0.0
    for state in REQUIREMENT_STATES:
        count = counts.get(state, 0)
        if count:
            share = width * count / total
            segments.append((state, STATE_LABELS[state], round(x, 1), round(share, 1), count))
            x += share
    return segments


def sparkline(row: BureauRow, width: int = 120, height: int = 28) -> str:
    """The points of a polyline through the bureau's scores over runs ("" for fewer than two)."""
    if len(row.trend) < 2:
        return ""
    step = (width - 8) / (len(row.trend) - 1)
    return " ".join(
        f"{4 + index * step:.1f},{height - 4 - (height - 8) * score / 100:.1f}"
        for index, (_, score) in enumerate(row.trend)
    )


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
