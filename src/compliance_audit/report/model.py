"""The report of one audit, as every renderer sees it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from compliance_audit.findings import (
    SEVERITY_RANK,
    CheckResult,
    Finding,
    RequirementResult,
    Verdict,
)
from compliance_audit.inventory.model import Bureau
from compliance_audit.ruleset.model import Rule, Source

JUDGED_STATES = ("satisfied", "partial", "late", "missing", "stale")


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

    @property
    def summary(self) -> Summary:
        states = [requirement.status for requirement in self.requirements]
        judged = [r for r in self.requirements if r.status in JUDGED_STATES]
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
