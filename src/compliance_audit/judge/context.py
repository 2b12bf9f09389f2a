"""What every judgement sees: the inventory (its items as columns), the day of the audit, the
calendar, the matches, and which rules apply to this bureau. Judgements read it and return
findings; they never write. What several judgements ask of every item (is it the bureau's own,
which deadline binds it, which year is it about) is computed here once, per column."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

import polars as pl

from compliance_audit.findings import SEVERITY_RANK, Finding, ItemRef, RequirementResult, fingerprint
from compliance_audit.inventory.model import Inventory, Item, item_identity
from compliance_audit.inventory.table import ItemTable, per_value
from compliance_audit.matching.matcher import MatchTable, Target
from compliance_audit.organs import Organ
from compliance_audit.personal_info import mask_column, mask_text
from compliance_audit.ruleset.model import Ref, Rule, Source
from compliance_audit.textnorm import normalise_label, title_year, title_year_column
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
class Binding:
    """Per item, the deadline that binds it (Context.binding): `rule` the id of the rule that set
    it and `day` its last day (both null when no deadline can be computed, and for a reprint, whose
    timeliness is its publisher's); and where that rule is not the general one, the general
    deadline that also applied: `general`, its position in Context.general_rules, and
    `general_day` (null when none applied)."""

    rule: pl.Series
    day: pl.Series
    general: pl.Series
    general_day: pl.Series


_Shared = TypeVar("_Shared")


@dataclass
class Context:
    inventory: Inventory
    as_of: date
    calendar: WorkCalendar
    matches: MatchTable
    rules: Mapping[str, Rule]
    applicability: Mapping[str, Applicability]
    sources: Mapping[str, Source]
    # when the items come from several files (check's drafts): item position → the file it came from
    item_files: Mapping[int, str] = field(default_factory=dict)
    # filled between the two phases of an audit, for judgements over other requirements
    requirement_results: dict[str, RequirementResult] = field(default_factory=dict)
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

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
    def table(self) -> ItemTable:
        return self.inventory.table

    @property
    def frame(self) -> pl.DataFrame:
        """The items' columns (one row per item, in inventory order)."""
        return self.inventory.table.frame

    @property
    def count(self) -> int:
        return self.inventory.table.frame.height

    def shared(self, key: str, compute: Callable[[], _Shared]) -> _Shared:
        """What several rules ask of the same columns (the same scan for each kind of personal
        number, the same deadlines for each timeliness rule), computed once per audit."""
        if key not in self._cache:
            self._cache[key] = compute()
        value: _Shared = self._cache[key]
        return value

    def item(self, index: int) -> Item:
        return self.inventory.table.item(index)

    def items_at(self, indexes: Iterable[int]) -> list[Item]:
        return self.inventory.table.items_at(indexes)

    def labels(self, indexes: Sequence[int]) -> tuple[str, ...]:
        """Item.label of the items at these positions."""
        if "labels" not in self._cache:
            numbers = self.frame["index_no"]
            unnumbered = (numbers == "").arg_true()
            masked = mask_column(self.frame["title"].gather(unnumbered))
            self._cache["labels"] = numbers.clone().scatter(unnumbered, masked) if len(masked) else numbers
        every: pl.Series = self._cache["labels"]
        return tuple(every.gather(list(indexes)).to_list())

    def first_of(self, indexes: Sequence[int], *by: pl.Series) -> int:
        """The first of these positions (in the order given) where the values `by` are greatest,
        compared in turn: what max() over the items would pick."""
        ranked = pl.DataFrame({f"by{n}": values.gather(indexes) for n, values in enumerate(by)})
        ranked = ranked.with_columns(pl.Series("index", indexes, dtype=pl.Int64))
        best = ranked.sort(
            [f"by{n}" for n in range(len(by))], descending=True, maintain_order=True, nulls_last=True
        )
        return int(best["index"][0])

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
        items: Sequence[int] = (),
        provisional: bool = False,
        refs: tuple[Ref, ...] | None = None,
    ) -> Finding:
        """A finding of rule. With items (their positions), one finding for a gap that spans them
        all (each listed with the fingerprint a finding about it alone would carry); provisional
        caps the severity at warning and says why."""
        if identity is not None:
            key = identity
        elif item is not None:
            key = self.identity_of(item)
        else:
            key = subject
        return Finding(
            fingerprint=fingerprint(rule.id, kind, key, element),
            rule=rule.id,
            kind=kind,
            severity=_capped(severity or rule.severity, provisional),
            message=mask_text(message),
            refs=refs or rule.refs,
            item=ItemRef.of(item, file=self._file_of(item)) if item is not None else None,
            due=due,
            fix=rule.fix,
            element=element,
            subject=subject,
            elements=elements,
            items=self._listed(rule.id, kind, element, items) if items else (),
            provisional=provisional,
        )

    def _listed(self, rule: str, kind: str, element: str | None, items: Sequence[int]) -> tuple[ItemRef, ...]:
        """The items of a grouped finding, each with the fingerprint a finding about it alone would carry."""
        positions = pl.Series(items, dtype=pl.UInt32)
        fingerprints = [fingerprint(rule, kind, each, element) for each in self.identities(positions)]
        return tuple(self.item_refs(positions, fingerprints))

    def item_refs(self, positions: pl.Series, fingerprints: Sequence[str]) -> list[ItemRef]:
        """How a report names the items at these positions (ItemRef.of, per column), each with its
        fingerprint."""
        named = self.frame.select(pl.col("index_no", "title", "url", "row").gather(positions))
        files = (
            [self.item_files.get(position, "") for position in positions.to_list()]
            if self.item_files
            else [""] * len(positions)
        )
        return [
            ItemRef(*fields)
            for fields in zip(
                named["index_no"].to_list(),
                mask_column(named["title"]).to_list(),
                named["url"].to_list(),
                named["row"].to_list(),
                fingerprints,
                files,
                strict=True,
            )
        ]

    def _file_of(self, item: Item) -> str:
        if not self.item_files:
            return ""
        return self.item_files.get(self.inventory.table.position_of(item), "")

    def identity_of(self, item: Item) -> str:
        """What names the item in fingerprints (inventory.model.item_identity)."""
        return item_identity(
            item.index_no, item.title, item.published, number_shared=self._shares_number(item.index_no)
        )

    def identities(self, positions: pl.Series) -> list[str]:
        """identity_of the items at these positions, read from the columns."""
        named = self.frame.select(pl.col("index_no", "title", "published").gather(positions))
        return [
            item_identity(number, title, published, number_shared=self._shares_number(number))
            for number, title, published in zip(
                named["index_no"].to_list(),
                named["title"].to_list(),
                named["published"].to_list(),
                strict=True,
            )
        ]

    def _shares_number(self, index_no: str) -> bool:
        """Whether another item carries the same (non-empty) 索引号."""
        if "shared" not in self._cache:
            numbers = self.frame["index_no"].filter(self.frame["index_no"] != "")
            self._cache["shared"] = frozenset(numbers.filter(numbers.is_duplicated()).unique().to_list())
        shared: frozenset[str] = self._cache["shared"]
        return index_no in shared

    def item_findings(
        self, rule: Rule, kind: str, rows: pl.DataFrame, refs: Sequence[tuple[Ref, ...]]
    ) -> list[Finding]:
        """Findings each about one item, made from columns: what Context.finding makes of one item,
        for many at once. Per finding, `rows` holds the item's position (index), the message, the
        severity, the due day, whether it is provisional and which of `refs` it cites (refs)."""
        positions = rows["index"]
        return [
            Finding(
                fingerprint=fingerprint(rule.id, kind, identity),
                rule=rule.id,
                kind=kind,
                severity=_capped(severity, provisional),
                message=message,
                refs=refs[cited],
                item=item,
                due=due,
                fix=rule.fix,
                provisional=provisional,
            )
            for identity, item, severity, message, due, provisional, cited in zip(
                self.identities(positions),
                self.item_refs(positions, [""] * rows.height),
                rows["severity"].to_list(),
                mask_column(rows["message"]).to_list(),
                rows["due"].to_list(),
                rows["provisional"].to_list(),
                rows["refs"].to_list(),
                strict=True,
            )
        ]

    def own(self) -> pl.Series:
        """Per item, whether the bureau itself published it: no 发布机构 given, or one that names it
        however it is written; otherwise the item is another body's (a reprint, 转载)."""
        if "own" not in self._cache:
            self._cache["own"] = per_value(
                self.frame["publisher"], lambda name: not name or self.organ.names(name), pl.Boolean
            )
        own: pl.Series = self._cache["own"]
        return own

    def column_kinds(self) -> pl.Series:
        """Per item, the declared kind of the column it sits in (null when not declared)."""
        if "kinds" not in self._cache:
            declared = {normalise_label(column.name): column.kind for column in self.inventory.bureau.columns}
            self._cache["kinds"] = per_value(
                self.frame["column"],
                lambda name: declared.get(normalise_label(name)) if name else None,
                pl.String,
            )
        kinds_: pl.Series = self._cache["kinds"]
        return kinds_

    def newest_in_column(self) -> dict[str, date]:
        """The newest publication day of each column items sit in (by normalised column name)."""
        return self._column_facts()[0]

    def column_names(self) -> dict[str, str]:
        """Each column items sit in: normalised name → the name as first written."""
        return self._column_facts()[1]

    def _column_facts(self) -> tuple[dict[str, date], dict[str, str]]:
        if "columns" not in self._cache:
            named = self.frame.select("column", "published").filter(pl.col("column") != "")
            facts = (
                named.with_columns(key=per_value(named["column"], normalise_label, pl.String))
                .group_by("key", maintain_order=True)
                .agg(pl.col("published").max(), pl.col("column").first())
            )
            newest = dict(zip(facts["key"].to_list(), facts["published"].to_list(), strict=True))
            names = dict(zip(facts["key"].to_list(), facts["column"].to_list(), strict=True))
            self._cache["columns"] = (newest, names)
        columns: tuple[dict[str, date], dict[str, str]] = self._cache["columns"]
        return columns

    def matched_items(self, rule: Rule) -> list[int]:
        return self.matches.item_indexes_of_rule(rule)

    def items_of(self, target: Target) -> list[int]:
        return self.matches.rows_of([target])

    def period_years(self, year_offset: int) -> pl.Series:
        """Per item, period_year(item, year_offset)."""
        key = f"period years {year_offset}"
        if key not in self._cache:
            if "title_years" not in self._cache:
                self._cache["title_years"] = title_year_column(self.frame["title"])
            title_years: pl.Series = self._cache["title_years"]
            self._cache[key] = title_years.fill_null(
                self.frame["published"].dt.year().cast(pl.Int32) - year_offset
            )
        years: pl.Series = self._cache[key]
        return years

    def binding(self) -> Binding:
        """The deadline that binds each item: the general one in force when it was formed (the 2019
        条例's 第二十六条 from 2019-05-15, the 2007 条例's 第十八条 from 2008-05-01; none before,
        when no duty existed) unless a law or regulation replaces it for this kind of item,
        tightened by any stricter limit a matched catalogue row or instrument sets; none when no
        deadline can be computed (no formed date, or formed before any duty existed) and for a
        reprint, whose timeliness is its publisher's. It depends only on the item's formed day,
        what it matched and, for a yearly deadline, the year it is about: computed once per
        distinct combination, on columns."""
        if "binding" in self._cache:
            binding: Binding = self._cache["binding"]
            return binding
        # keys that share their deadline rules share their deadlines: one group per list of rules
        groups: dict[tuple[str, ...], int] = {}
        group_rules: list[list[Rule]] = []
        group_of_key: list[int] = []
        for key in range(len(self.matches.found)):
            rules = self._deadline_rules(key)
            signature = tuple(rule.id for rule in rules)
            if signature not in groups:
                groups[signature] = len(group_rules)
                group_rules.append(rules)
            group_of_key.append(groups[signature])
        yearly = [
            group
            for group, rules in enumerate(group_rules)
            if any(rule.deadline and rule.deadline.annual_due for rule in rules)
        ]
        group = pl.Series(group_of_key, dtype=pl.UInt32).gather(self.matches.keys)
        period = self.period_years(1).clone()
        period.scatter((~group.is_in(yearly)).arg_true(), None)
        combos = pl.DataFrame({"formed": self.frame["formed"], "group": group, "period": period})
        # a reprint's timeliness is its publisher's: its deadline is never asked, so never counted
        # (counting it could only bring a calendar year no judgement used into the report)
        own = self.own()
        distinct = combos.filter(own).unique(maintain_order=True).with_row_index("combo")
        chosen = self._deadlines_of(distinct, group_rules)
        bound = combos.with_columns(own=own).join(
            distinct.join(chosen, on="combo", how="left").drop("combo"),
            on=["formed", "group", "period"],
            how="left",
            nulls_equal=True,
            maintain_order="left",
        )
        columns = ("rule", "day", "general", "general_day")
        binding = Binding(*bound.select(pl.when("own").then(name).alias(name) for name in columns))
        self._cache["binding"] = binding
        return binding

    def _deadlines_of(self, distinct: pl.DataFrame, group_rules: list[list[Rule]]) -> pl.DataFrame:
        """Per combination (formed, group, period): the binding rule's id and day, and the general
        deadline that also applied (its position in general_rules and its day).

        Every rule that may bind is a candidate: the group's rules in force when the item was
        formed (all of them when no formed date is known, which only a yearly deadline can then
        use), and the first general rule in force, unless one of the group's replaces it. The
        earliest last day binds; on a tie the more specific limit names the finding (the bureau's
        own catalogue row, then another instrument, then the regulation's general rule), and then
        the one listed first.

        A general rule an item is tagged with stays a candidate even where another of its rules
        replaces the general deadline (the tag says the bureau holds the item to it), and ranks
        as the general rule it is; only the untagged general deadline is the one "also" beyond."""
        general_index = {rule.id: index for index, rule in enumerate(self.general_rules)}
        own_rules = {rule.id: rule for rules in group_rules for rule in rules if rule.id not in general_index}
        rules = [*self.general_rules, *own_rules.values()]
        position = {rule.id: index for index, rule in enumerate(rules)}
        candidates = pl.DataFrame(
            [
                (group, general_index[rule.id], general_index[rule.id], 2, True)
                if rule.id in general_index
                else (group, position[rule.id], order, 1 if rule.catalogue is None else 0, False)
                for group, members in enumerate(group_rules)
                for order, rule in enumerate(members, start=len(self.general_rules))
            ]
            + [
                (group, index, index, 2, False)
                for group in range(len(group_rules))
                for index in range(len(self.general_rules))
            ],
            schema={
                "group": pl.UInt32,
                "candidate": pl.UInt32,
                "order": pl.UInt32,
                "rank": pl.UInt8,
                "tagged": pl.Boolean,
            },
            orient="row",
        )
        facts = pl.DataFrame(
            {
                "candidate": pl.Series(range(len(rules)), dtype=pl.UInt32),
                "id": [rule.id for rule in rules],
                "general": [index < len(self.general_rules) for index in range(len(rules))],
                "from": pl.Series(
                    [rule.deadline.formed_from for rule in rules if rule.deadline], dtype=pl.Date
                ),
                "before": pl.Series(
                    [rule.deadline.formed_before for rule in rules if rule.deadline], dtype=pl.Date
                ),
                "replaces": [bool(rule.deadline and rule.deadline.replaces_general) for rule in rules],
            }
        )
        formed = pl.col("formed")
        in_force = (pl.col("from").is_null() | (formed >= pl.col("from"))) & (
            pl.col("before").is_null() | (formed < pl.col("before"))
        )
        rows = (
            distinct.join(candidates, on="group")
            .join(facts, on="candidate", maintain_order="left")
            .with_columns(in_force=formed.is_null() | in_force)
        )
        own = ~pl.col("general") & pl.col("in_force")
        in_force_general = pl.col("general") & formed.is_not_null() & pl.col("in_force")
        general = in_force_general & ~pl.col("tagged")
        rows = rows.filter(
            own
            | (in_force_general & pl.col("tagged"))
            | (
                general
                & (pl.col("candidate") == pl.col("candidate").filter(general).min().over("combo"))
                & ~(own & pl.col("replaces")).any().over("combo")
            )
        )
        rows = rows.with_columns(day=self._due_days(rows, rules))
        best = (
            rows.filter(pl.col("day").is_not_null())
            .sort("combo", "day", "rank", "order")
            .group_by("combo", maintain_order=True)
            .first()
            .select("combo", rule="id", day="day", bound_general="general")
        )
        generals = rows.filter(pl.col("general") & ~pl.col("tagged")).select(
            "combo", general_position="candidate", general_day_="day"
        )
        return best.join(generals, on="combo", how="left").select(
            "combo",
            "rule",
            "day",
            general=pl.when(pl.col("bound_general") | pl.col("general_day_").is_null())
            .then(None)
            .otherwise(pl.col("general_position")),
            general_day=pl.when(pl.col("bound_general")).then(None).otherwise(pl.col("general_day_")),
        )

    def _due_days(self, rows: pl.DataFrame, rules: list[Rule]) -> pl.Series:
        """The last day of each row's candidate deadline, for an item formed on `formed` about the
        year `period`: a yearly deadline falls in the year after the period; one of working days
        counts them from the day after formed, one of days ends as 民法典 says (WorkCalendar)."""
        # rules that count alike share their days: one computation per way of counting
        alike: dict[tuple[str, int, int], list[int]] = {}
        for index, rule in enumerate(rules):
            deadline = rule.deadline
            assert deadline is not None
            if deadline.annual_due is not None:
                alike.setdefault(("annual", *deadline.annual_due), []).append(index)
            elif deadline.working_days is not None:
                alike.setdefault(("working days", deadline.working_days, 0), []).append(index)
            elif deadline.calendar_days is not None:
                alike.setdefault(("days", deadline.calendar_days, 0), []).append(index)
        days = pl.Series("day", [None] * rows.height, dtype=pl.Date)
        for (counting, amount, day), indexes in alike.items():
            at = rows["candidate"].is_in(pl.Series(indexes, dtype=pl.UInt32).implode()).arg_true()
            if at.is_empty():
                continue
            if counting == "annual":
                due = rows.select(pl.date(pl.col("period").gather(at) + 1, amount, day)).to_series()
            else:
                count = (
                    self.calendar.add_working_days_column
                    if counting == "working days"
                    else self.calendar.end_of_period_column
                )
                due = self._per_formed(rows["formed"].gather(at), count, amount)
            days.scatter(at, due)
        return days

    @staticmethod
    def _per_formed(
        formed: pl.Series, count: Callable[[pl.Series, int], pl.Series], amount: int
    ) -> pl.Series:
        """count (a WorkCalendar column function) over the distinct formed days, given back per row."""
        distinct = formed.unique()
        computed = pl.DataFrame({"formed": distinct, "due": count(distinct, amount)})
        return pl.DataFrame({"formed": formed}).join(
            computed, on="formed", how="left", nulls_equal=True, maintain_order="left"
        )["due"]

    def _deadline_rules(self, key: int) -> list[Rule]:
        """The applicable rules with a deadline that items of this key are the publication of."""
        rules: list[Rule] = []
        for target in self.matches.targets_of_key(key):
            rule = self.rules.get(target.rule)
            if (
                rule is not None
                and rule.deadline is not None
                and rule not in rules
                and self.applies(rule).applies
            ):
                rules.append(rule)
        return rules


def _capped(severity: str, provisional: bool) -> str:
    """A provisional finding is at most a warning: it rests on a calendar that did not know the
    year's holidays."""
    return max(severity, "warning", key=SEVERITY_RANK.__getitem__) if provisional else severity


def period_year(item: Item, year_offset: int) -> int:
    """The calendar year an item is about: the year in its title (2020年度…), else the year before
    its publication for reports on a past year (year_offset 1), else its publication year."""
    year = title_year(item.title)
    return year if year is not None else item.published.year - year_offset
