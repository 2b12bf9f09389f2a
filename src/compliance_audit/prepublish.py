"""check: items about to be published, judged before they go live.

Not a second judge: the drafts go through the audit's own pipeline (plan → match → judge → report)
with the rules whose judgement makes sense for an item on its own, before publication:

- personal data in title, summary and body; citations of superseded texts;
- the 第十二条 catalogue fields, the 索引号's form, dates in order, an expired validity;
- against the published inventory too (--inventory), where the drafts alone cannot tell: a 索引号
  already used, the bureau written another way as 发布机构, a 规范性文件 whose 解读 is neither in
  the batch nor already published.

Requirements (what the bureau must have published by now), timeliness and columns are about the
whole site and are left to `audit`. A draft without a 发布日期 is judged as if published on the
check day. Each finding names the draft file it is in, and the report counts them per draft.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from compliance_audit.audit import Judgement, conclude, judge, plan_audit
from compliance_audit.errors import InputError
from compliance_audit.findings import CheckResult, Finding
from compliance_audit.inventory import BureauOverrides, Inventory, load_inventory
from compliance_audit.inventory.model import Bureau, Item
from compliance_audit.report.model import DraftSummary, Report
from compliance_audit.ruleset.catalogue import Catalogue
from compliance_audit.ruleset.loader import RuleBook
from compliance_audit.selection import EVERY_RULE, RuleSelection
from compliance_audit.waivers import Waiver
from compliance_audit.workcalendar import WorkCalendar

# the checks that judge an item on its own (or in its batch)
DRAFT_CHECKS = frozenset(
    {
        "field-required",
        "index-number",
        "unique",
        "date-order",
        "publisher-names",
        "personal-data",
        "superseded-citation",
        "expired",
        "interpretation-pairing",
    }
)
# the checks that also look at what is already published
AGAINST_PUBLISHED = frozenset({"unique", "publisher-names", "interpretation-pairing"})

STDIN = "-"
STDIN_LABEL = "标准输入"
MAX_STDIN_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Draft:
    label: str  # the file as named on the command line ("-" for standard input)
    inventory: Inventory


def load_drafts(
    paths: Sequence[Path],
    overrides: BureauOverrides,
    published: Inventory | None,
    day: date,
    stdin: Any = None,
    stdin_format: str = "yaml",
) -> list[Draft]:
    """Each draft file, read like an inventory. A draft needs no bureau of its own when the
    published inventory (or the command line) gives it, nor a 发布日期 (the check day)."""
    default = _bureau_mapping(published.bureau) if published is not None else None
    drafts = []
    for path in paths:
        try:
            if str(path) == STDIN:
                inventory = _load_stdin(stdin, stdin_format, overrides, default, day)
                drafts.append(Draft(STDIN, replace(inventory, source=Path(STDIN))))
            else:
                inventory = load_inventory(path, overrides, bureau_default=default, published_default=day)
                drafts.append(Draft(str(path), inventory))
        except InputError as error:
            if error.field != "bureau.name":
                raise
            raise InputError(
                error.message,
                file=error.file,
                field=error.field,
                expected="草稿中的 bureau:，或 --inventory 已公开清单（取其公开主体），或 --bureau-name",
            ) from None
    return drafts


def _load_stdin(
    stream: Any, form: str, overrides: BureauOverrides, default: dict[str, Any] | None, day: date
) -> Inventory:
    """Standard input, read through the same readers as a file of that format."""
    data = stream.read(MAX_STDIN_BYTES + 1)
    if len(data) > MAX_STDIN_BYTES:
        raise InputError(f"标准输入过大（上限 {MAX_STDIN_BYTES} 字节）", file=STDIN_LABEL)
    with tempfile.TemporaryDirectory(prefix="compliance-audit-") as directory:
        path = Path(directory) / f"stdin.{form}"
        path.write_bytes(data)
        try:
            return load_inventory(path, overrides, bureau_default=default, published_default=day)
        except InputError as error:
            raise InputError(
                error.message,
                file=f"{STDIN_LABEL}（{form}）",
                location=error.location,
                field=error.field,
                expected=error.expected,
            ) from None


def _bureau_mapping(bureau: Bureau) -> dict[str, Any]:
    data: dict[str, Any] = {"name": bureau.name, "level": bureau.level}
    for key in ("region", "sector", "profile"):
        if getattr(bureau, key):
            data[key] = getattr(bureau, key)
    if bureau.functions:
        data["functions"] = list(bureau.functions)
    if bureau.columns:
        data["columns"] = [{"name": column.name, "kind": column.kind} for column in bureau.columns]
    return data


def check_drafts(
    drafts: Sequence[Draft],
    published: Inventory | None,
    book: RuleBook,
    catalogue: Catalogue | None,
    calendar: WorkCalendar,
    as_of: date,
    waivers: Sequence[Waiver] = (),
    selection: RuleSelection = EVERY_RULE,
) -> Report:
    bureau = published.bureau if published is not None else drafts[0].inventory.bureau
    plan = plan_audit(book, catalogue, bureau)
    rules = [rule for rule in plan.rules if rule.check in DRAFT_CHECKS]
    items: list[Item] = [item for draft in drafts for item in draft.inventory.items]
    labels = [draft.label for draft in drafts for _ in draft.inventory.items]
    files = dict(enumerate(labels))
    present = frozenset().union(*(draft.inventory.fields_present for draft in drafts))
    if published is not None:
        present |= published.fields_present
    label = "、".join(draft.label if draft.label != STDIN else STDIN_LABEL for draft in drafts)
    batch = Inventory.of(Path(drafts[0].label), bureau, items, present)
    judgement = judge(batch, plan, calendar, as_of, rules, files)
    notices = [notice for draft in drafts for notice in draft.inventory.notices]
    if published is not None:
        against = [rule for rule in rules if rule.check in AGAINST_PUBLISHED]
        combined = Inventory(published.source, bureau, published.table.followed_by(batch.table), present)
        shifted = {len(published.table) + position: label for position, label in files.items()}
        judgement = _with_published(judgement, judge(combined, plan, calendar, as_of, against, shifted))
        notices.append(
            f"与已公开清单 {published.source.name}（{len(published.table)} 条）比对了索引号唯一、"
            "发布机构写法和规范性文件的解读"
        )
    else:
        notices.append("未给出已公开清单（--inventory）：索引号唯一等只在本批草稿之间检查")
    report = conclude(
        judgement,
        plan,
        book,
        catalogue,
        calendar,
        as_of,
        notices,
        waivers=waivers,
        selection=selection,
        inventory=batch,
        label=label,
    )
    return replace(report, drafts=_summaries(drafts, report.findings), source=drafts[0].label)


def _with_published(alone: Judgement, together: Judgement) -> Judgement:
    """The drafts' judgement, with the checks that compare against the published inventory taken
    from the judgement of both (only what it finds in the drafts)."""
    compared = {check.rule for check in together.checks}
    findings = [finding for finding in alone.findings if finding.rule not in compared]
    found: dict[str, int] = {}
    for finding in together.findings:
        in_drafts = _in_drafts(finding)
        if in_drafts is not None:
            findings.append(in_drafts)
            found[finding.rule] = found.get(finding.rule, 0) + 1
    checks = [
        _compared(check, found.get(check.rule, 0)) if check.rule in compared else check
        for check in alone.checks
    ]
    return replace(alone, checks=checks, findings=findings)


def _compared(check: CheckResult, found: int) -> CheckResult:
    """A compared check fails on what it finds in the drafts against everything."""
    if found:
        return replace(check, status="failed")
    return replace(check, status="passed") if check.status == "failed" else check


def _in_drafts(finding: Finding) -> Finding | None:
    """The finding as far as it concerns the drafts (items with a file), or None."""
    if finding.items:
        kept = tuple(ref for ref in finding.items if ref.file)
        return replace(finding, items=kept) if kept else None
    if finding.item is not None and finding.item.file:
        return finding
    return None


def _summaries(drafts: Sequence[Draft], findings: Sequence[Finding]) -> list[DraftSummary]:
    """Per draft, the findings that concern it (a grouped finding counts once in each draft)."""
    counts = {draft.label: {"error": 0, "warning": 0, "info": 0} for draft in drafts}
    for finding in findings:
        refs = finding.items or ((finding.item,) if finding.item is not None else ())
        for file in {ref.file for ref in refs} & counts.keys():
            counts[file][finding.severity] += 1
    return [
        DraftSummary(
            draft.label,
            len(draft.inventory.items),
            counts[draft.label]["error"],
            counts[draft.label]["warning"],
            counts[draft.label]["info"],
        )
        for draft in drafts
    ]
