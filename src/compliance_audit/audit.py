"""One audit, end to end: load → validate → match → judge → report.

Everything read from disk is read before judging starts; the judgements are pure functions of
(rule, context); the report is a value that the renderers turn into text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from compliance_audit import __version__
from compliance_audit.errors import InputError
from compliance_audit.findings import (
    KIND_LABELS,
    SEVERITY_RANK,
    CheckResult,
    Finding,
    Outcome,
    RequirementResult,
    Verdict,
)
from compliance_audit.inventory.model import LEVEL_LABELS, Bureau, Inventory
from compliance_audit.judge import CHECKS
from compliance_audit.judge.context import APPLICABLE, Applicability, Context
from compliance_audit.matching.matcher import Matcher, MatchTable
from compliance_audit.report.model import (
    CalendarStamp,
    CatalogueStamp,
    Report,
    RulesetStamp,
    WaivedFinding,
    WaiverOutcome,
)
from compliance_audit.ruleset.catalogue import (
    Catalogue,
    CatalogueLibrary,
    row_applicability_reason,
    row_rule,
)
from compliance_audit.ruleset.loader import RuleBook
from compliance_audit.ruleset.model import Profile, Rule, Source
from compliance_audit.selection import EVERY_RULE, RuleSelection
from compliance_audit.waivers import Waiver, apply_waivers
from compliance_audit.workcalendar import WorkCalendar

_KIND_ORDER = {kind: position for position, kind in enumerate(KIND_LABELS)}


@dataclass(frozen=True)
class Functions:
    """What the bureau is held to: the functions it has, and where that knowledge came from."""

    held: frozenset[str]
    profile: Profile | None
    source: str  # declared | default | unknown (neither declared nor implied by level and sector)

    def describe(self, book: RuleBook) -> str | None:
        """The notice every format shows when the functions were not declared by the bureau."""
        if self.source == "default" and self.profile is not None:
            labels = "、".join(book.functions[name].label for name in self.profile.functions) or "无"
            return (
                f"按默认职能档案“{self.profile.label}”评估（职能：{labels}；依据见 rules show 的职能档案）；"
                "职能不同的，请在 bureau.profile 或 bureau.functions 中声明"
            )
        if self.source == "unknown":
            return (
                "未声明职能（bureau.profile、bureau.functions），层级和领域也没有默认职能档案："
                "只对具有某项职能的机关才有的要求（如预决算、行政处罚）未评估"
            )
        return None


@dataclass(frozen=True)
class Plan:
    """What an audit of this bureau consists of: the rules, and whether each applies."""

    rules: list[Rule]
    applicability: dict[str, Applicability]
    sources: dict[str, Source]
    functions: Functions


def plan_audit(book: RuleBook, catalogue: Catalogue | None, bureau: Bureau) -> Plan:
    functions = held_functions(book, bureau)
    rules = list(book.rules)
    sources = dict(book.sources)
    if catalogue is not None:
        rules.extend(row_rule(row, catalogue) for row in catalogue.rows)
        sources.update((source.id, source) for source in catalogue.ancestry)
    applicability = {rule.id: assess(rule, bureau, functions, book) for rule in rules}
    return Plan(rules, applicability, sources, functions)


def held_functions(book: RuleBook, bureau: Bureau) -> Functions:
    """The bureau's functions: those it declares (bureau.functions, bureau.profile), else those of
    the default profile for its level and sector."""
    unknown = sorted(name for name in bureau.functions if name not in book.functions)
    if unknown:
        raise InputError(
            f"未定义的职能 {', '.join(unknown)}",
            field="bureau.functions",
            expected="、".join(sorted(book.functions)),
        )
    if bureau.profile:
        profile = book.profiles.get(bureau.profile)
        if profile is None:
            raise InputError(
                f"未定义的职能档案 {bureau.profile}",
                field="bureau.profile",
                expected="、".join(sorted(book.profiles)),
            )
        return Functions(frozenset((*bureau.functions, *profile.functions)), profile, "declared")
    if bureau.functions:
        return Functions(frozenset(bureau.functions), None, "declared")
    default = book.default_profile(bureau.level, bureau.sector)
    if default is not None:
        return Functions(frozenset(default.functions), default, "default")
    return Functions(frozenset(), None, "unknown")


def check_sector(bureau: Bureau, book: RuleBook, library: CatalogueLibrary) -> None:
    """A sector no catalogue or profile knows is a typing mistake, not a bureau without duties."""
    known = library.sectors() | {profile.sector for profile in book.profiles.values() if profile.sector}
    if bureau.sector and bureau.sector not in known:
        raise InputError(
            f"未知的领域 {bureau.sector}", field="bureau.sector", expected="、".join(sorted(known))
        )


def assess(rule: Rule, bureau: Bureau, functions: Functions, book: RuleBook) -> Applicability:
    if rule.catalogue is not None:
        special = row_applicability_reason(rule, bureau)
        if special is not None:
            return Applicability(*special)
    applies = rule.applies
    if applies.levels and bureau.level not in applies.levels:
        wanted = "、".join(LEVEL_LABELS[level] for level in applies.levels)
        return Applicability("not-applicable", f"适用于{wanted}机关，本机关为{LEVEL_LABELS[bureau.level]}")
    if applies.sectors and bureau.sector not in applies.sectors:
        return Applicability("not-applicable", f"适用于 {'、'.join(applies.sectors)} 领域")
    missing = [name for name in applies.functions if name not in functions.held]
    if missing:
        labels = "、".join(f"“{book.functions[name].label}”" for name in missing if name in book.functions)
        if functions.source == "unknown":
            return Applicability(
                "not-evaluated",
                f"只约束具有{labels}职能的机关；本机关未声明职能（bureau.functions 或 bureau.profile）",
            )
        if functions.source == "default" and functions.profile is not None:
            return Applicability(
                "not-applicable",
                f"默认职能档案“{functions.profile.label}”不含{labels}职能；"
                "具有该职能的，请在 bureau.functions 中声明",
            )
        return Applicability(
            "not-applicable", f"本机关未声明具有{labels}职能（bureau.functions 或 bureau.profile）"
        )
    return APPLICABLE


@dataclass
class Judgement:
    """What the judges concluded about an inventory, before waivers and selection."""

    requirements: list[RequirementResult]
    checks: list[CheckResult]
    findings: list[Finding]
    verdicts: list[Verdict]
    ctx: Context


def judge(
    inventory: Inventory,
    plan: Plan,
    calendar: WorkCalendar,
    as_of: date,
    rules: Sequence[Rule] | None = None,
    item_files: Mapping[int, str] | None = None,
) -> Judgement:
    """Match the inventory's items and run the judgements of the plan's rules (or of `rules`, a
    part of them), requirements first and then the judgements over requirements."""
    judged = list(plan.rules if rules is None else rules)
    rules_by_id = {rule.id: rule for rule in plan.rules}
    # rules that do not apply to this bureau need no items matched to them
    matched_rules = [rule for rule in judged if plan.applicability[rule.id].applies]
    ignored = [rule.id for rule in plan.rules if not plan.applicability[rule.id].applies]
    table = Matcher(matched_rules, inventory.bureau, ignored).match(inventory.table)
    ctx = Context(
        inventory=inventory,
        as_of=as_of,
        calendar=calendar,
        matches=table,
        rules=rules_by_id,
        applicability=plan.applicability,
        sources=plan.sources,
        item_files=item_files or {},
    )
    outcomes: dict[str, Outcome] = {}
    for after in (False, True):
        for rule in judged:
            if CHECKS[rule.check].after_requirements is after:
                outcome = CHECKS[rule.check].run(rule, ctx)
                outcomes[rule.id] = outcome
                if outcome.requirement is not None:
                    ctx.requirement_results[rule.id] = outcome.requirement
    ordered = [outcomes[rule.id] for rule in judged]
    return Judgement(
        requirements=[o.requirement for o in ordered if o.requirement is not None],
        checks=[o.check for o in ordered if o.check is not None],
        findings=[finding for o in ordered for finding in o.findings],
        verdicts=[verdict for o in ordered for verdict in o.verdicts],
        ctx=ctx,
    )


def run_audit(
    inventory: Inventory,
    book: RuleBook,
    catalogue: Catalogue | None,
    calendar: WorkCalendar,
    as_of: date,
    waivers: Sequence[Waiver] = (),
    selection: RuleSelection = EVERY_RULE,
) -> Report:
    plan = plan_audit(book, catalogue, inventory.bureau)
    inventory, later = as_published_on(inventory, as_of)
    judgement = judge(inventory, plan, calendar, as_of)
    notices = list(inventory.notices)
    profile_notice = plan.functions.describe(book)
    if profile_notice:
        notices.append(profile_notice)
    if later:
        notices.append(
            f"{later} 条信息的发布日期晚于审计日 {as_of.isoformat()}，按审计日当天的公开状况未纳入本次审计"
            "（如为日期填错，请更正）"
        )
    notices.extend(_publisher_notices(judgement.ctx))
    notices.extend(_unknown_tag_notices(judgement.ctx.matches, inventory))
    if calendar.fallback_years:
        years = "、".join(str(year) for year in sorted(calendar.fallback_years))
        notices.insert(
            0,
            f"日历不含 {years} 年的法定节假日安排，已按仅周末休息计算工作日；"
            f"可用 --calendar 文件提供当年国务院办公厅公布的放假和调休日期",
        )
    if catalogue is not None:
        notices[:0] = catalogue.notices
    return conclude(
        judgement,
        plan,
        book,
        catalogue,
        calendar,
        as_of,
        notices,
        waivers=waivers,
        selection=selection,
        inventory=inventory,
    )


def conclude(
    judgement: Judgement,
    plan: Plan,
    book: RuleBook,
    catalogue: Catalogue | None,
    calendar: WorkCalendar,
    as_of: date,
    notices: list[str],
    *,
    waivers: Sequence[Waiver],
    selection: RuleSelection,
    inventory: Inventory,
    label: str | None = None,
) -> Report:
    """The report of a judgement: only the selected rules, with the waivers applied."""
    known = [rule.id for rule in plan.rules]
    selection.check(known)
    requirements, checks, findings, verdicts = (
        judgement.requirements,
        judgement.checks,
        judgement.findings,
        judgement.verdicts,
    )
    if not selection.everything:
        chosen = selection.chosen
        requirements = [r for r in requirements if chosen(r.rule)]
        checks = [c for c in checks if chosen(c.rule)]
        findings = [f for f in findings if chosen(f.rule)]
        verdicts = [v for v in verdicts if chosen(v.rule)]
        notices.append(selection.describe(sum(1 for rule_id in known if not chosen(rule_id))))
    waived = apply_waivers(waivers, requirements, checks, findings, as_of, known)
    notices.extend(waived.notices)
    return Report(
        tool_version=__version__,
        as_of=as_of,
        bureau=inventory.bureau,
        inventory=label or inventory.source.name,
        items=len(inventory.table),
        profile=plan.functions.profile.id if plan.functions.profile else None,
        profile_source=plan.functions.source,
        functions=tuple(sorted(plan.functions.held)),
        rulesets=_stamps(book, catalogue),
        calendar=CalendarStamp(
            " + ".join(calendar.sources), calendar.covers, tuple(sorted(calendar.fallback_years))
        ),
        catalogue=CatalogueStamp(catalogue.id, catalogue.title, catalogue.chain, catalogue.coverage_note)
        if catalogue
        else None,
        requirements=waived.requirements,
        checks=waived.checks,
        findings=sorted(waived.findings, key=_finding_order),
        verdicts=verdicts,
        notices=notices,
        rules={rule.id: rule for rule in plan.rules},
        sources=plan.sources,
        source=str(inventory.source),
        waivers=[
            WaiverOutcome(waiver, state, count, note)
            for waiver, (state, count, note) in zip(waivers, waived.outcomes, strict=True)
        ],
        waived=[
            WaivedFinding(finding, position)
            for finding, position in sorted(waived.waived, key=lambda pair: _finding_order(pair[0]))
        ],
    )


def as_published_on(inventory: Inventory, as_of: date) -> tuple[Inventory, int]:
    """The inventory as it stood on the audit day: items published later are left out (a
    self-assessment run after the year's end judges the year, in both directions)."""
    kept = inventory.table.where(inventory.table.frame["published"] <= as_of)
    if kept is inventory.table:
        return inventory, 0
    return replace(inventory, table=kept), len(inventory.table) - len(kept)


def _publisher_notices(ctx: Context) -> Iterable[str]:
    reprinted = ctx.frame["publisher"].filter(~ctx.own())
    counts = dict(reprinted.value_counts().iter_rows())
    others = Counter({name: counts[name] for name in reprinted.unique(maintain_order=True).to_list()})
    if others:
        listed = "、".join(
            f"{name} {count} 条" for name, count in sorted(others.items(), key=lambda pair: -pair[1])
        )
        yield (
            f"清单中有 {sum(others.values())} 条信息的发布机构是其他机关（{listed}），视为转载："
            "其公开时效是发布机关的责任，不计为本机关逾期"
        )


def _finding_order(finding: Finding) -> tuple[int, int, str, int, str]:
    row = finding.item.row if finding.item else 0
    return (
        SEVERITY_RANK[finding.severity],
        _KIND_ORDER[finding.kind],
        finding.rule,
        row,
        finding.fingerprint,
    )


def _stamps(book: RuleBook, catalogue: Catalogue | None) -> list[RulesetStamp]:
    stamps = [RulesetStamp(ruleset.id, ruleset.version, ruleset.sha256) for ruleset in book.rulesets]
    if catalogue is not None:
        versions = {catalogue.id: catalogue.version}
        stamps.extend(
            RulesetStamp(catalogue_id, versions.get(catalogue_id, ""), sha256)
            for catalogue_id, _, sha256 in catalogue.files
        )
    return stamps


def _unknown_tag_notices(table: MatchTable, inventory: Inventory) -> Iterable[str]:
    for index, tag in table.unknown_tags:
        item = inventory.table.item(index)
        yield f"第 {item.row} 行“{item.title}”的标签 {tag} 不是已知的要求编号，已忽略"
