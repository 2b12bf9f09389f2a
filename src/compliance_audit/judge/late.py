"""late: published more days after the information was formed than its deadline allows.

条例第二十六条 (第十八条 of the 2007 text before 2019-05-15): information within the scope of
proactive disclosure is published within 20 working days from the day it is formed or changed,
unless a law or regulation sets another period. Each item is judged against the one deadline that
binds it (Context.binding_due), and the finding belongs to the instrument that set that deadline.

What the general deadline does not decide on its own, and how it is read here:
- It binds information 属于主动公开范围. An item that matches no duty of the bureau (a 第二十条、
  第二十一条 rule, a catalogue row, a column of a mandatory kind: params.scope) may be work news
  or an internal summary the bureau chose to publish: its delay is reported as a note, not a breach.
- It is this bureau's duty only for what this bureau published: an item whose 发布机构 is another
  body is a reprint, not judged.
- Information formed before 2008-05-01 was under no disclosure duty: not judged.
- A count that crossed a year the calendar does not know is provisional: at most a warning.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import polars as pl

from compliance_audit.findings import SEVERITY_RANK, CheckResult, Finding, Outcome
from compliance_audit.judge.context import Context
from compliance_audit.ruleset.model import Rule

PARAMS_SCHEMA: dict[str, object] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "scope": {
            "type": "object",
            "description": "what is within the scope of proactive disclosure, for a general deadline",
            "required": ["refs", "column_kinds"],
            "additionalProperties": False,
            "properties": {
                "refs": {
                    "type": "array",
                    "description": "an item matched to an applicable rule citing one of these articles",
                    "items": {
                        "type": "object",
                        "required": ["source", "article"],
                        "additionalProperties": False,
                        "properties": {"source": {"type": "string"}, "article": {"type": "integer"}},
                    },
                },
                "column_kinds": {"type": "array", "items": {"type": "string"}},
            },
        }
    },
}

_OUT_OF_SCOPE = (
    "该信息未对应《条例》第二十条、第二十一条或标准目录规定的主动公开事项，也不在法定公开内容的栏目中；"
    "公开期限只约束属于本机关主动公开范围的信息，请核对该信息是否属于此范围"
)


@dataclass
class Lateness:
    evaluated: int = 0
    by_item: dict[int, Finding] = field(default_factory=dict)
    not_judged: Counter[str] = field(default_factory=Counter)  # why items were not judged, counted


_REPRINT = "发布机构为其他机关（转载），不判断其公开时效"
_NO_FORMED = "缺少成文日期（formed），无法判断是否按期公开"
_BEFORE_DUTY = "成文于2008年5月1日（2007年《条例》施行）之前，当时尚无公开期限"
_OTHER_DEADLINE = "由其他规定的期限判断（见各该规则）"


def late_findings(rule: Rule, scope: Sequence[int] | None, ctx: Context) -> Lateness:
    """The items in scope (None: every item) whose binding deadline is rule's, judged."""
    judged = ctx.shared("lateness", lambda: _lateness(ctx))
    if scope is not None:
        judged = judged[list(scope)]
    own, formed, bound = pl.col("own"), pl.col("formed"), pl.col("rule")
    counts = judged.select(
        reprint=(~own).sum(),
        no_formed=(own & bound.is_null() & ~formed).sum(),
        before_duty=(own & bound.is_null() & formed).sum(),
        other=(own & bound.is_not_null() & (bound != rule.id)).sum(),
        evaluated=(own & (bound == rule.id)).sum(),
    ).row(0, named=True)
    result = Lateness(evaluated=counts["evaluated"])
    for reason, key in ((_REPRINT, "reprint"), (_NO_FORMED, "no_formed"), (_BEFORE_DUTY, "before_duty")):
        if counts[key]:
            result.not_judged[reason] = counts[key]
    if counts["other"]:
        result.not_judged[_OTHER_DEADLINE] = counts["other"]
    late = judged.filter(own & (bound == rule.id) & pl.col("late"))["index"]
    result.by_item = dict(zip(late.to_list(), _findings(rule, late, ctx), strict=True))
    return result


def _lateness(ctx: Context) -> pl.DataFrame:
    """Per item: whether the bureau published it, whether it has a formed date, the rule whose
    deadline binds it and whether it came after that deadline."""
    binding = ctx.binding()
    return pl.DataFrame(
        {
            "own": ctx.own(),
            "formed": ctx.frame["formed"].is_not_null(),
            "rule": binding.rule,
            "late": ctx.frame["published"] > binding.day,
        }
    ).with_row_index("index")


def _findings(rule: Rule, late: pl.Series, ctx: Context) -> list[Finding]:
    """The findings of the late items at these positions (all bound by rule's deadline), their
    messages written per column."""
    deadline = rule.deadline
    assert deadline is not None
    binding = ctx.binding()
    generals = pl.DataFrame(
        {
            "general": pl.Series(range(len(ctx.general_rules)), dtype=pl.UInt32),
            "general_describe": [
                general.deadline.describe() for general in ctx.general_rules if general.deadline
            ],
        }
    )
    rows = (
        pl.DataFrame(
            {
                "index": late,
                "day": binding.day.gather(late),
                "general": binding.general.gather(late),
                "general_day": binding.general_day.gather(late),
                "scoped": _within_scope(rule, ctx).gather(late),
            }
        )
        .hstack(ctx.frame.select(pl.col("formed", "published").gather(late)))
        .join(generals, on="general", how="left", maintain_order="left")
    )
    scoped, formed, published, day = (pl.col(name) for name in ("scoped", "formed", "published", "day"))
    general_day = pl.col("general_day")
    days_late = (published - day).dt.total_days()
    if deadline.annual_due is not None:
        rows = rows.with_columns(unknown=pl.lit(""))  # a yearly deadline counts no working days
        provisional: pl.Expr = pl.lit(False)
        beyond_general: pl.Expr = pl.lit(False)
        message = pl.format("应于 {} 前公开，实际 {} 公开，逾期 {} 日", day, published, days_late)
    else:
        if deadline.working_days is not None:
            counted = ctx.calendar.working_days_between(rows["day"], rows["published"])
            overdue = pl.format("逾期 {} 个工作日", pl.lit(counted))
        else:
            overdue = pl.format("逾期 {} 日", days_late)
        rows = rows.with_columns(first=formed.dt.year(), last=published.dt.year())
        rows = rows.join(_unknown_years(rows, ctx), on=["first", "last"], how="left", maintain_order="left")
        provisional = pl.col("unknown") != ""
        beyond_general = general_day.is_not_null() & (published > general_day)
        message = pl.concat_str(
            pl.format(
                "成文于 {}，应在{}内即 {} 前公开，实际 {} 公开，",
                formed,
                pl.lit(deadline.describe()),
                day,
                published,
            ),
            overdue,
            pl.when(beyond_general)
            .then(pl.format("；亦超过{}的一般期限（{}）", pl.col("general_describe"), general_day))
            .otherwise(pl.lit("")),
        )
    message = pl.concat_str(
        message,
        pl.when(scoped).then(pl.lit("")).otherwise(pl.lit(f"。{_OUT_OF_SCOPE}")),
        pl.when(provisional)
        .then(pl.format("（暂定：日历不含 {} 年的节假日安排，按仅周末休息计算）", pl.col("unknown")))
        .otherwise(pl.lit("")),
    )
    # citing the general rule too where the item is also past its deadline: refs[0] is the rule's
    # own references, refs[1 + n] adds those of ctx.general_rules[n]
    refs = [rule.refs] + [
        (*rule.refs, *(ref for ref in general.refs if ref not in rule.refs)) for general in ctx.general_rules
    ]
    return ctx.item_findings(
        rule,
        "late",
        rows.select(
            "index",
            message=message,
            severity=pl.when(scoped).then(pl.lit(rule.severity)).otherwise(pl.lit("info")),
            due=day,
            provisional=provisional,
            refs=pl.when(beyond_general).then(pl.col("general") + 1).otherwise(0),
        ),
        refs,
    )


def _unknown_years(rows: pl.DataFrame, ctx: Context) -> pl.DataFrame:
    """Per span of years (first, last) among rows, the years in it the calendar does not know,
    written 2027、2028 ("" when it knows them all): a count across them is provisional."""
    spans = rows.select("first", "last").unique().drop_nulls()
    unknown = [
        "、".join(str(year) for year in range(first, last + 1) if not ctx.calendar.knows(year))
        for first, last in spans.iter_rows()
    ]
    return spans.with_columns(pl.Series("unknown", unknown, dtype=pl.String))


def _within_scope(rule: Rule, ctx: Context) -> pl.Series:
    """Per item, whether it is within the scope of proactive disclosure (params.scope of a general
    deadline; any other deadline is set for a kind of item that is itself a duty): it sits in a
    column of a mandatory kind, or it matched an applicable rule citing one of the articles."""
    scope = rule.params.get("scope")
    if scope is None:
        return pl.repeat(True, ctx.count, eager=True)
    wanted = {(ref["source"], ref["article"]) for ref in scope["refs"]}
    keys = [
        key
        for key in range(len(ctx.matches.found))
        if any(
            (ref.source, ref.article) in wanted
            for target in ctx.matches.targets_of_key(key)
            for ref in ctx.rules[target.rule].refs
        )
    ]
    in_column = ctx.column_kinds().is_in(scope["column_kinds"]).fill_null(False)
    return in_column | ctx.matches.keys.is_in(keys)


def run(rule: Rule, ctx: Context) -> Outcome:
    applicability = ctx.applies(rule)
    if not applicability.applies:
        return Outcome(
            check=CheckResult(rule.id, rule.title, applicability.status, reason=applicability.reason)
        )
    lateness = late_findings(rule, ctx.matched_items(rule) if rule.match is not None else None, ctx)
    findings = list(lateness.by_item.values())
    skipped = sum(lateness.not_judged.values())
    notes = [f"{count} 条信息{reason}" for reason, count in sorted(lateness.not_judged.items())]
    notes_only = sum(1 for finding in findings if finding.severity == "info")
    if notes_only:
        notes.insert(0, f"{notes_only} 条不属于法定主动公开事项的信息晚于期限，仅作提示")
    if lateness.evaluated == 0:
        reason = "；".join(notes) or "清单中没有该类信息"
        return Outcome(
            check=CheckResult(rule.id, rule.title, "not-evaluated", 0, skipped, reason), findings=findings
        )
    breached = any(SEVERITY_RANK[finding.severity] < SEVERITY_RANK["info"] for finding in findings)
    return Outcome(
        check=CheckResult(
            rule.id,
            rule.title,
            "failed" if breached else "passed",
            lateness.evaluated,
            skipped,
            "；".join(notes),
        ),
        findings=findings,
    )
