"""The overview model: one row per bureau, what a ranking, a heat map and a findings list need.

A batch keeps only these rows in memory; a bureau's findings and notices (its details) are written
to disk by the worker that audited it and read back one bureau at a time while the summary files
are rendered. A single audit is the same model with one row, so `audit --format html|xlsx` and a
batch share their renderers.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from pathlib import Path
from sys import intern
from typing import Any

from compliance_audit.findings import KIND_LABELS, SEVERITY_RANK, Finding
from compliance_audit.report import views
from compliance_audit.report.model import Report, Summary

WORST_SHOWN = 3


@dataclass(frozen=True)
class FindingRow:
    """A finding as the summary shows it: every part already in words."""

    severity: str
    severity_label: str
    kind_label: str
    rule: str
    subject: str  # the item(s), column or site it is about
    message: str
    refs: str
    due: str
    fix: str
    fingerprint: str

    @classmethod
    def of(cls, report: Report, finding: Finding) -> FindingRow:
        return cls(
            severity=finding.severity,
            severity_label=views.severity_text(report, finding),
            kind_label=KIND_LABELS[finding.kind],
            rule=finding.rule,
            subject=views.item_text(finding),
            message=finding.message,
            refs=views.refs_text(report, finding),
            due=finding.due.isoformat() if finding.due else "",
            fix=finding.fix,
            fingerprint=finding.fingerprint,
        )


@dataclass(frozen=True)
class Details:
    """What a bureau's own page shows beyond its row."""

    findings: list[FindingRow]
    notices: list[str]
    fixed: list[str] = field(default_factory=list)  # messages of findings fixed since the last run
    changes: dict[str, str] = field(default_factory=dict)  # fingerprint → 新增 | 仍未整改

    def dump(self, path: Path) -> None:
        data = {"notices": self.notices, "findings": [asdict(row) for row in self.findings]}
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Details:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls([FindingRow(**row) for row in data["findings"]], data["notices"])


@dataclass(frozen=True)
class Changes:
    """Since the bureau's previous recorded run."""

    previous: str  # its as-of date, "" for a bureau audited for the first time
    new: int
    still_open: int
    fixed: int


@dataclass(frozen=True)
class BureauRow:
    key: str  # unique in the batch; the stem of the bureau's output files
    name: str
    region: str
    level: str
    source: str
    error: str = ""  # why the bureau could not be audited; then everything below is empty
    summary: Summary | None = None
    by_kind: tuple[tuple[str, int], ...] = ()  # (kind label, findings)
    late_items: int = 0  # items published after their statutory deadline
    worst: tuple[str, ...] = ()  # the bureau's worst gaps, in words
    states: tuple[tuple[str, str], ...] = ()  # (requirement rule, status)
    gap_rules: tuple[str, ...] = ()  # rules with an error or a warning
    changes: Changes | None = None
    trend: tuple[tuple[str, float], ...] = ()  # (as-of, score) of each recorded run, oldest first

    @property
    def score(self) -> float | None:
        return self.summary.score if self.summary else None

    def interned(self) -> BureauRow:
        """The same row with its repeating words (rule ids, states, labels) shared with every other
        row's: a row that came from a worker process holds its own copies."""
        return replace(
            self,
            by_kind=tuple((intern(label), count) for label, count in self.by_kind),
            states=tuple((intern(rule), intern(state)) for rule, state in self.states),
            gap_rules=tuple(intern(rule) for rule in self.gap_rules),
        )


@dataclass(frozen=True)
class Digest:
    """What the audit of one bureau leaves for the summary: its row, the titles of its rules (for
    column headers) and its details."""

    row: BureauRow
    titles: dict[str, str]
    details: Details


def digest(report: Report, key: str, source: str) -> Digest:
    findings = report.findings
    kinds = Counter(finding.kind for finding in findings)
    late_items = sum(len(f.items) or 1 for f in findings if f.kind == "late")
    worst = tuple(
        _short(f"{KIND_LABELS[f.kind]}：{f.message}") for f in findings[:WORST_SHOWN] if f.severity != "info"
    )
    gap_rules = tuple(dict.fromkeys(f.rule for f in findings if SEVERITY_RANK[f.severity] <= 1))
    row = BureauRow(
        key=key,
        name=report.bureau.name,
        region=report.bureau.region,
        level=report.bureau.level,
        source=source,
        summary=report.summary,
        by_kind=tuple((label, kinds[kind]) for kind, label in KIND_LABELS.items()),
        late_items=late_items,
        worst=worst,
        states=tuple((r.rule, r.status) for r in report.requirements),
        gap_rules=gap_rules,
    )
    titles = {
        rule: report.rules[rule].title for rule in (*dict(row.states), *gap_rules) if rule in report.rules
    }
    details = Details([FindingRow.of(report, finding) for finding in findings], list(report.notices))
    return Digest(row, titles, details)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def failed_row(key: str, name: str, source: str, message: str, region: str, level: str) -> BureauRow:
    return BureauRow(key=key, name=name, region=region, level=level, source=source, error=message)


@dataclass(frozen=True)
class Gap:
    rule: str
    title: str
    bureaus: int  # how many audited bureaus have an error or a warning on it


@dataclass
class Overview:
    """Everything a summary renderer draws: ranked rows, the requirement columns and each bureau's
    details, read when needed."""

    title: str
    as_of: date
    tool_version: str
    rows: list[BureauRow]
    titles: dict[str, str]  # rule → title, for requirements (matrix columns) and gaps
    details: Callable[[BureauRow], Details]
    with_history: bool = False

    def __post_init__(self) -> None:
        self.rows = sorted(self.rows, key=_rank_order)

    @property
    def audited(self) -> list[BureauRow]:
        return [row for row in self.rows if not row.error]

    @property
    def failed(self) -> list[BureauRow]:
        return [row for row in self.rows if row.error]

    def ranked(self) -> Iterator[tuple[int | None, BureauRow]]:
        rank = 0
        for row in self.rows:
            if row.error:
                yield None, row
            else:
                rank += 1
                yield rank, row

    @property
    def requirements(self) -> list[str]:
        """The matrix columns: every requirement any bureau was judged on, in first-seen order."""
        seen: dict[str, None] = {}
        for row in self.audited:
            for rule, _ in row.states:
                seen.setdefault(rule, None)
        return list(seen)

    def gaps(self, limit: int = 15) -> list[Gap]:
        counts = Counter(rule for row in self.audited for rule in row.gap_rules)
        ordered = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[:limit]
        return [Gap(rule, self.titles.get(rule, rule), count) for rule, count in ordered]

    def mean_score(self) -> float | None:
        scores = [row.score for row in self.audited if row.score is not None]
        return round(sum(scores) / len(scores), 1) if scores else None


def _rank_order(row: BureauRow) -> tuple[Any, ...]:
    if row.summary is None:
        return (1, 0.0, 0, row.name)
    return (0, -row.summary.score, row.summary.errors, row.name)


def single(report: Report) -> Overview:
    """A single audit as a one-bureau overview."""
    made = digest(report, key="", source=report.inventory)
    return Overview(
        title=f"合规审计报告：{report.bureau.name}",
        as_of=report.as_of,
        tool_version=report.tool_version,
        rows=[made.row],
        titles=made.titles,
        details=lambda row: made.details,
    )
