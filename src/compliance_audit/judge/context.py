"""What every judgement sees: the inventory, the day of the audit, the calendar, the matches, and
which rules apply to this bureau. Judgements read it and return findings; they never write."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from compliance_audit.findings import SEVERITY_RANK, Finding, ItemRef, RequirementResult, fingerprint
from compliance_audit.inventory.model import Inventory, Item
from compliance_audit.matching.matcher import MatchTable, Target
from compliance_audit.organs import Organ
from compliance_audit.personal_info import mask_text
from compliance_audit.ruleset.model import Deadline, Ref, Rule, Source
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
    """The deadline that binds an item, and the general one (条例第二十六条, or 第十八条 of the 2007
    text) where a stricter deadline of another instrument names the finding."""

    rule: Rule
    deadline: Deadline
    day: date
    general: tuple[Rule, date] | None = None


@dataclass
class Context:
    inventory: Inventory
    as_of: date
    calendar: WorkCalendar
    matches: MatchTable
    rules: Mapping[str, Rule]
    applicability: Mapping[str, Applicability]
    sources: Mapping[str, Source]
    # filled between the two phases of an audit, for judgements over other requirements
    requirement_results: dict[str, RequirementResult] = field(default_factory=dict)
    _binding: dict[int, Due | None] = field(default_factory=dict, repr=False)
    _columns: tuple[dict[str, date], dict[str, str]] | None = field(default=None, repr=False)
    _own: dict[str, bool] = field(default_factory=dict, repr=False)
    _kinds: dict[str, str] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        bureau = self.inventory.bureau
        self.organ = Organ.of(bureau.name, bureau.region)
        # the general deadlines: rules judged item by item that are not about a kind of item
        self.general_rules = [
            rule
            for rule in self.rules.values()
            if rule.check == "late" and rule.match is None and rule.deadline and self.applies(rule).applies
        ]

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
        elements: tuple[str, ...] = (),
        items: Sequence[Item] = (),
        provisional: bool = False,
        refs: tuple[Ref, ...] | None = None,
    ) -> Finding:
        """A finding of rule. With items, one finding for a gap that spans them all (each listed
        with the fingerprint a finding about it alone would carry); provisional caps the severity
        at warning and says why."""
        key = identity if identity is not None else (item.identity if item is not None else subject)
        severity = severity or rule.severity
        if provisional:
            severity = max(severity, "warning", key=SEVERITY_RANK.__getitem__)
        return Finding(
            fingerprint=fingerprint(rule.id, kind, key, element),
            rule=rule.id,
            kind=kind,
            severity=severity,
            message=mask_text(message),
            refs=refs or rule.refs,
            item=ItemRef.of(item) if item is not None else None,
            due=due,
            fix=rule.fix,
            element=element,
            subject=subject,
            elements=elements,
            items=tuple(
                ItemRef.of(each, fingerprint(rule.id, kind, each.identity, element)) for each in items
            ),
            provisional=provisional,
        )

    def is_own(self, item: Item) -> bool:
        """Whether the bureau itself published the item: no 发布机构 given, or one that names it
        however it is written; otherwise the item is another body's (a reprint, 转载)."""
        publisher = item.publisher
        if not publisher:
            return True
        known = self._own.get(publisher)
        if known is None:
            known = self._own[publisher] = self.organ.names(publisher)
        return known

    def column_kind(self, item: Item) -> str | None:
        """The declared kind of the column the item sits in, if the bureau declared it."""
        if self._kinds is None:
            self._kinds = {
                normalise_label(column.name): column.kind for column in self.inventory.bureau.columns
            }
        return self._kinds.get(normalise_label(item.column)) if item.column else None

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

    def general_rule_for(self, item: Item) -> Rule | None:
        """The general deadline in force when the item was formed: the 2019 条例's 第二十六条 from
        2019-05-15, the 2007 条例's 第十八条 from 2008-05-01; none before (no duty existed)."""
        if item.formed is None:
            return None
        for rule in self.general_rules:
            assert rule.deadline is not None
            if rule.deadline.in_force(item.formed):
                return rule
        return None

    def binding_due(self, index: int) -> Due | None:
        """The deadline that binds an item: the general one unless a law or regulation replaces
        it for this kind of item, tightened by any stricter limit a matched catalogue row or
        instrument sets. None when no deadline can be computed (no formed date, or formed before
        any duty existed)."""
        if index in self._binding:
            return self._binding[index]
        item = self.items[index]
        general = self.general_rule_for(item)
        targets = self.matches.by_item.get(index)
        if targets is None:
            # most items match no requirement with its own deadline: only the general deadline
            # binds, and only the general check asks, once, so there is nothing worth remembering
            if general is None or general.deadline is None:
                return None
            day = self.due_day(general.deadline, item)
            return Due(general, general.deadline, day) if day is not None else None
        sources: list[tuple[Rule, Deadline]] = []
        seen: set[str] = set()
        for target in targets:
            rule = self.rules.get(target.rule)
            if rule is None or rule.id in seen or rule.deadline is None or not self.applies(rule).applies:
                continue
            if item.formed is not None and not rule.deadline.in_force(item.formed):
                continue
            seen.add(rule.id)
            sources.append((rule, rule.deadline))
        replaced = any(deadline.replaces_general for _, deadline in sources)
        general_day = None
        if general is not None and general.deadline is not None and not replaced:
            general_day = self.due_day(general.deadline, item)
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
                also = (
                    (general, general_day)
                    if general is not None and general_day and rule is not general
                    else None
                )
                best = (day, rank, Due(rule, deadline, day, also))
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
            return self.calendar.end_of_period(item.formed, deadline.calendar_days)
        return None

    def provisional(self, start: date, end: date) -> bool:
        """Whether a count of days between start and end depended on a year whose holidays the
        calendar does not know (and so was counted with weekends only)."""
        return not all(self.calendar.knows(year) for year in range(start.year, end.year + 1))


def period_year(item: Item, year_offset: int) -> int:
    """The calendar year an item is about: the year in its title (2020年度…), else the year before
    its publication for reports on a past year (year_offset 1), else its publication year."""
    year = title_year(item.title)
    return year if year is not None else item.published.year - year_offset
