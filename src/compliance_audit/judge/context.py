"""What every judgement sees: the inventory, the day of the audit, the calendar, the matches, and
which rules apply to this bureau. Judgements read it and return findings; they never write."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from compliance_audit.findings import Finding, ItemRef, RequirementResult, fingerprint
from compliance_audit.inventory.model import Inventory, Item
from compliance_audit.matching.matcher import MatchTable, Target
from compliance_audit.ruleset.model import Deadline, Rule, Source
from compliance_audit.textnorm import normalise_label, title_year
from compliance_audit.workcalendar import WorkCalendar


@dataclass(frozen=True)
class Applicability:
    status: str  # applicable | not-applicable | not-evaluated
    reason: str = ""

    @property
    def applies(self) -> bool:
        return self.status == "applicable"


APPLICABLE = Applicability("applicable")


@dataclass(frozen=True)
class Due:
    rule: Rule
    deadline: Deadline
    day: date


@dataclass
class Context:
    inventory: Inventory
    as_of: date
    calendar: WorkCalendar
    matches: MatchTable
    rules: Mapping[str, Rule]
    applicability: Mapping[str, Applicability]
    sources: Mapping[str, Source]
    general_deadline_rule: Rule | None = None
    # filled between the two phases of an audit, for judgements over other requirements
    requirement_results: dict[str, RequirementResult] = field(default_factory=dict)
    _binding: dict[int, Due | None] = field(default_factory=dict, repr=False)
    _columns: tuple[dict[str, date], dict[str, str]] | None = field(default=None, repr=False)

    @property
    def items(self) -> list[Item]:
        return self.inventory.items

    def applies(self, rule: Rule) -> Applicability:
        return self.applicability.get(rule.id, APPLICABLE)

    def finding(
        self,
        rule: Rule,
        kind: str,
        message: str,
        *,
        item: Item | None = None,
        due: date | None = None,
        element: str | None = None,
        subject: str = "",
        severity: str | None = None,
        identity: str | None = None,
    ) -> Finding:
        key = identity if identity is not None else (item.identity if item is not None else subject)
        return Finding(
            fingerprint=fingerprint(rule.id, kind, key, element),
            rule=rule.id,
            kind=kind,
            severity=severity or rule.severity,
            message=message,
            refs=rule.refs,
            item=ItemRef.of(item) if item is not None else None,
            due=due,
            fix=rule.fix,
            element=element,
            subject=subject,
        )

    def newest_in_column(self) -> dict[str, date]:
        """The newest publication day of each column items sit in (by normalised column name)."""
        return self._column_facts()[0]

    def column_names(self) -> dict[str, str]:
        """Each column items sit in: normalised name → the name as first written."""
        return self._column_facts()[1]

    def _column_facts(self) -> tuple[dict[str, date], dict[str, str]]:
        if self._columns is None:
            newest: dict[str, date] = {}
            names: dict[str, str] = {}
            for item in self.items:
                if item.column:
                    key = normalise_label(item.column)
                    names.setdefault(key, item.column)
                    if key not in newest or item.published > newest[key]:
                        newest[key] = item.published
            self._columns = (newest, names)
        return self._columns

    def matched_items(self, rule: Rule) -> list[int]:
        return self.matches.item_indexes_of_rule(rule)

    def items_of(self, target: Target) -> list[int]:
        return [index for index, _ in self.matches.items_of(target)]

    def binding_due(self, index: int) -> Due | None:
        """The deadline that binds an item: 条例第二十六条's general one unless a law or regulation
        replaces it for this kind of item, tightened by any stricter limit a matched catalogue row
        or instrument sets. None when no deadline can be computed (e.g. no formed date)."""
        if index in self._binding:
            return self._binding[index]
        item = self.items[index]
        general = self.general_deadline_rule
        targets = self.matches.by_item.get(index)
        if targets is None and general is not None and general.deadline is not None:
            # most items match no requirement with its own deadline: only 第二十六条 binds, and
            # only the general check asks, once, so there is nothing worth remembering
            day = self.due_day(general.deadline, item)
            return Due(general, general.deadline, day) if day is not None else None
        sources: list[tuple[Rule, Deadline]] = []
        seen: set[str] = set()
        for target in targets or ():
            rule = self.rules.get(target.rule)
            if rule is None or rule.id in seen or rule.deadline is None or not self.applies(rule).applies:
                continue
            seen.add(rule.id)
            sources.append((rule, rule.deadline))
        if (
            general is not None
            and general.deadline is not None
            and not any(deadline.replaces_general for _, deadline in sources)
        ):
            sources.insert(0, (general, general.deadline))
        best: tuple[date, int, Due] | None = None
        for rule, deadline in sources:
            day = self.due_day(deadline, item)
            if day is None:
                continue
            # on a tie the more specific limit names the finding: the bureau's own catalogue row,
            # then another instrument, then the regulation's general rule
            rank = 2 if rule is general else 1 if rule.catalogue is None else 0
            if best is None or (day, rank) < best[:2]:
                best = (day, rank, Due(rule, deadline, day))
        self._binding[index] = best[2] if best else None
        return self._binding[index]

    def due_day(self, deadline: Deadline, item: Item) -> date | None:
        if deadline.annual_due is not None:
            period = period_year(item, 1)
            month, day = deadline.annual_due
            return date(period + 1, month, day)
        if item.formed is None:
            return None
        if deadline.working_days is not None:
            return self.calendar.add_working_days(item.formed, deadline.working_days)
        if deadline.calendar_days is not None:
            return item.formed + timedelta(days=deadline.calendar_days)
        return None


def period_year(item: Item, year_offset: int) -> int:
    """The calendar year an item is about: the year in its title (2020年度…), else the year before
    its publication for reports on a past year (year_offset 1), else its publication year."""
    year = title_year(item.title)
    return year if year is not None else item.published.year - year_offset
