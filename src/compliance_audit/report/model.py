"""The report of one audit, as every renderer sees it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from compliance_audit.findings import (
    SEVERITY_RANK,
    CheckResult,
    Finding,
    ItemRef,
    RequirementResult,
    Verdict,
)
from compliance_audit.inventory.model import Bureau
from compliance_audit.ruleset.model import Rule, Source
from compliance_audit.waivers import Waiver

JUDGED_STATES = ("satisfied", "partial", "late", "missing", "stale")
FAIL_ON = ("error", "warning", "never")
BASELINE_LABELS = {"new": "新问题", "open": "基线中已有", "fixed": "已修复"}


@dataclass(frozen=True)
class RulesetStamp:
    id: str
    version: str
    sha256: str


@dataclass(frozen=True)
class CalendarStamp:
    source: str
    covers: tuple[int, int]
    fallback_years: tuple[int, ...]


@dataclass(frozen=True)
class CatalogueStamp:
    id: str
    title: str
    chain: tuple[str, ...]
    coverage: str | None


@dataclass(frozen=True)
class Summary:
    requirements: int  # requirements judged (satisfied, partial, missing or stale)
    satisfied: int
    partial: int
    late: int  # published, but after the due date
    missing: int
    stale: int
    waived: int
    not_applicable: int
    not_evaluated: int
    findings: int
    errors: int
    warnings: int
    infos: int
    score: float


@dataclass(frozen=True)
class Gate:
    """Which findings fail the run (exit code 1): those at or above fail_on; with a baseline, only
    the new ones unless existing is set (--fail-on-existing)."""

    fail_on: str = "error"  # error | warning | never
    existing: bool = False


@dataclass(frozen=True)
class FixedFinding:
    """A finding of the baseline that this run no longer makes (and that no waiver hides)."""

    fingerprint: str
    rule: str
    message: str
    item: ItemRef | None


@dataclass(frozen=True)
class BaselineComparison:
    """The findings of this run against a previous report, by fingerprint. A grouped finding is
    new when any of its items is: a gap that spread to another item is news."""

    file: str
    states: Mapping[str, str]  # finding fingerprint → new | open
    fixed: tuple[FixedFinding, ...]

    def state(self, finding: Finding) -> str:
        return self.states.get(finding.fingerprint, "new")


@dataclass(frozen=True)
class WaiverOutcome:
    """What became of one waiver: applied (to how many findings or results), expired or unmatched."""

    waiver: Waiver
    state: str  # applied | expired | unmatched
    matched: int = 0
    note: str = ""


@dataclass(frozen=True)
class WaivedFinding:
    """A finding (or the part of a grouped finding) that a waiver accepted, kept for the record."""

    finding: Finding
    waiver: int  # position in Report.waivers


@dataclass(frozen=True)
class DraftSummary:
    """One file of a pre-publication check: how many items, and what was found in them."""

    file: str
    items: int
    errors: int
    warnings: int
    infos: int


@dataclass
class Report:
    tool_version: str
    as_of: date
    bureau: Bureau
    inventory: str
    items: int
    profile: str | None  # the function profile the bureau was audited with
    profile_source: str  # declared | default | unknown
    functions: tuple[str, ...]
    rulesets: list[RulesetStamp]
    calendar: CalendarStamp
    catalogue: CatalogueStamp | None
    requirements: list[RequirementResult]
    checks: list[CheckResult]
    findings: list[Finding]
    verdicts: list[Verdict]
    notices: list[str]
    rules: Mapping[str, Rule] = field(repr=False)
    sources: Mapping[str, Source] = field(repr=False)
    source: str = ""  # the inventory as named on the command line (for file:row locations)
    waivers: list[WaiverOutcome] = field(default_factory=list)
    waived: list[WaivedFinding] = field(default_factory=list)
    baseline: BaselineComparison | None = None
    drafts: list[DraftSummary] = field(default_factory=list)
    gate: Gate = Gate()

    @property
    def summary(self) -> Summary:
        states = [requirement.status for requirement in self.requirements]
        # a waived requirement stays in the denominator: a waiver must never raise the score
        judged = [r for r in self.requirements if r.judged_status in JUDGED_STATES]
        credit = sum(r.credit for r in judged)
        severities = [finding.severity for finding in self.findings]
        return Summary(
            requirements=len(judged),
            satisfied=states.count("satisfied"),
            partial=states.count("partial"),
            late=states.count("late"),
            missing=states.count("missing"),
            stale=states.count("stale"),
            waived=states.count("waived"),
            not_applicable=states.count("not-applicable"),
            not_evaluated=states.count("not-evaluated"),
            findings=len(self.findings),
            errors=severities.count("error"),
            warnings=severities.count("warning"),
            infos=severities.count("info"),
            score=round(100 * credit / len(judged), 1) if judged else 0.0,
        )

    def worst_severity(self) -> str | None:
        if not self.findings:
            return None
        return min((finding.severity for finding in self.findings), key=SEVERITY_RANK.__getitem__)

    def baseline_state(self, finding: Finding) -> str | None:
        return self.baseline.state(finding) if self.baseline is not None else None

    def blocks(self, finding: Finding) -> bool:
        """Whether this finding fails the run (see Gate)."""
        if self.gate.fail_on == "never":
            return False
        if SEVERITY_RANK[finding.severity] > SEVERITY_RANK[self.gate.fail_on]:
            return False
        return self.gate.existing or self.baseline_state(finding) != "open"

    @property
    def failed(self) -> bool:
        return any(self.blocks(finding) for finding in self.findings)
