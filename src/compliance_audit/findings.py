"""What an audit concludes: findings, requirement states, check summaries and verdicts.

The judge produces these; the report module only renders them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from compliance_audit.inventory.model import Item
from compliance_audit.personal_info import mask_text
from compliance_audit.ruleset.model import Ref

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}

KIND_LABELS = {
    "missing": "缺失",
    "stale": "未更新",
    "late": "逾期公开",
    "metadata": "元数据缺陷",
    "expired": "已过有效期",
    "personal-data": "个人信息",
    "column-empty": "空白栏目",
    "column-stale": "栏目不更新",
    "inconsistent": "数据不符",  # an annual report's figures that do not add up or do not match
    "format": "格式不符",  # an annual report that departs from the prescribed format
}

REQUIREMENT_STATES = (
    "satisfied",
    "partial",
    "late",
    "missing",
    "stale",
    "waived",
    "not-applicable",
    "not-evaluated",
)
STATE_LABELS = {
    "satisfied": "已满足",
    "partial": "部分满足",
    "late": "逾期公开",
    "missing": "缺失",
    "stale": "未更新",
    "waived": "已豁免",
    "not-applicable": "不适用",
    "not-evaluated": "未评估",
    "passed": "通过",
    "failed": "未通过",
}


@dataclass(slots=True)
class ItemRef:
    """How a report names an item. The title is masked: a report never repeats a leaked number."""

    index_no: str
    title: str
    url: str
    row: int
    fingerprint: str = ""  # in a grouped finding: what a finding about this item alone would carry
    file: str = ""  # the file the item came from, when a run reads several (check's drafts)

    @classmethod
    def of(cls, item: Item, fingerprint: str = "", file: str = "") -> ItemRef:
        return cls(item.index_no, mask_text(item.title), item.url, item.row, fingerprint, file)


@dataclass(slots=True)
class Finding:
    """One gap. A gap that spans several items (a field empty on 22 items) is one finding that lists
    them in `items`; a requirement missing several 要素 is one finding that lists them in `elements`."""

    fingerprint: str
    rule: str
    kind: str
    severity: str
    message: str
    refs: tuple[Ref, ...]
    item: ItemRef | None
    due: date | None
    fix: str
    element: str | None = None  # the field or passage a finding about one item concerns
    subject: str = ""  # what the finding is about when it is not an item (a column, the site)
    elements: tuple[str, ...] = ()
    items: tuple[ItemRef, ...] = ()
    # computed with a calendar that does not know the year's holidays: at most a warning
    provisional: bool = False


def fingerprint(rule: str, kind: str, identity: str, element: str | None = None) -> str:
    """Stable across runs and file formats: no row numbers, no dates of the run."""
    text = "\x1f".join((rule, kind, identity, element or ""))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True)
class ElementResult:
    name: str
    status: str  # satisfied | missing | not-evaluated
    items: tuple[str, ...] = ()
    reason: str = ""  # why a not-evaluated element could not be judged


@dataclass(frozen=True)
class RequirementResult:
    rule: str
    title: str
    status: str
    reason: str = ""
    items: tuple[str, ...] = ()
    elements: tuple[ElementResult, ...] | None = None
    waived_from: str = ""  # a waived requirement: the state it was judged to be in

    @property
    def judged_status(self) -> str:
        """The state the audit found, whether or not a waiver was then applied to it."""
        return self.waived_from or self.status

    @property
    def credit(self) -> float:
        """How much of the requirement is met (for the score): a partial requirement by the share
        of its judged elements that are met, or half when it has no elements (a misnamed column).
        A waiver accepts a gap, it does not fill it: a waived requirement earns what it was judged."""
        status = self.judged_status
        if status == "satisfied":
            return 1.0
        if status != "partial":
            return 0.0
        judged = [element for element in self.elements or () if element.status != "not-evaluated"]
        if not judged:
            return 0.5
        return sum(1 for element in judged if element.status == "satisfied") / len(judged)


@dataclass(frozen=True)
class CheckResult:
    rule: str
    title: str
    status: str
    evaluated: int = 0
    not_evaluated: int = 0
    reason: str = ""


@dataclass(frozen=True)
class Verdict:
    rule: str
    title: str
    passed: bool
    message: str
    counts: tuple[tuple[str, int, int], ...] = ()  # (what, counted, threshold)


@dataclass
class Outcome:
    requirement: RequirementResult | None = None
    check: CheckResult | None = None
    findings: list[Finding] = field(default_factory=list)
    verdicts: list[Verdict] = field(default_factory=list)
