"""`rules test`: run the YAML cases beside the rules (rules/cases, catalogues/cases).

Each case is a small inventory, a day to judge it on and what the rule must conclude: whether it
fires (produces findings), and optionally its state, finding kinds and count, due date, missing
elements and matched items. Every rule and every catalogue row needs at least one case that fires
and one that does not; `coverage_gaps` names those that lack either.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from compliance_audit.audit import run_audit
from compliance_audit.catalogue_import import Origin, import_tables
from compliance_audit.catalogue_import.text import read_text_tables
from compliance_audit.errors import InputError
from compliance_audit.inventory import to_item
from compliance_audit.inventory.model import Bureau, Inventory
from compliance_audit.inventory.readers import RawRecord
from compliance_audit.matching.derive import name_key
from compliance_audit.report.model import Report
from compliance_audit.ruleset.catalogue import Catalogue, CatalogueLibrary
from compliance_audit.ruleset.loader import CASES_DIR, RuleBook
from compliance_audit.schemas import validate_document
from compliance_audit.workcalendar import WorkCalendar, YearDays
from compliance_audit.yamlsafe import load_yaml_document

DEFAULT_BUREAU: dict[str, Any] = {"name": "测试县司法局", "level": "county"}


@dataclass(frozen=True)
class CaseResult:
    file: str
    rule: str
    name: str
    fires: bool
    passed: bool
    problems: tuple[str, ...]


def case_files(directories: Iterable[Path]) -> list[Path]:
    return sorted(path for directory in directories for path in (directory / CASES_DIR).glob("*/*.yaml"))


def run_cases(
    book: RuleBook,
    library: CatalogueLibrary,
    directories: Iterable[Path],
    calendar: WorkCalendar,
    catalogue: Catalogue | None = None,
) -> list[CaseResult]:
    """Every case of the case files; with an imported catalogue, also the cases its rows inherit
    from the known rows they are (inherited_cases)."""
    results = []
    files = case_files(directories)
    for path in files:
        try:
            document = load_yaml_document(path)
            validate_document(document.data, "ruleset", path, document, definition="cases_file")
            data = document.data
            table = _table_catalogue(data, path) if "table" in data else None
        except InputError as error:
            # one broken file fails loudly, and the other files still report
            results.append(
                CaseResult(str(path), path.stem, "（用例文件无法读取）", False, False, (str(error),))
            )
            continue
        for position, case in enumerate(data["cases"]):
            line = document.line("cases", position)
            try:
                results.append(_run_case(book, library, calendar, path, data, case, table))
            except InputError as error:
                located = error.located(file=path, location=f"第 {line} 行（{case['name']}）")
                results.append(
                    CaseResult(str(path), data["rule"], case["name"], False, False, (str(located),))
                )
    if catalogue is not None:
        results.extend(inherited_cases(book, library, files, calendar, catalogue))
    return results


def inherited_cases(
    book: RuleBook,
    library: CatalogueLibrary,
    files: Iterable[Path],
    calendar: WorkCalendar,
    catalogue: Catalogue,
) -> list[CaseResult]:
    """The cases of each known row, run on the imported row that is it (and so inherits its
    matching), where the two list the same elements. The imported row is judged on the known row's
    premises (its mode, audience, levels …): what is tested is that it finds the same items. Cases
    written for another local version of the row (their bureau's region selects it) are left out."""
    by_rule: dict[str, list[tuple[Path, dict[str, Any]]]] = {}
    for path in files:
        data = load_yaml_document(path).data
        by_rule.setdefault(data["rule"], []).append((path, data))
    results = []
    for row in catalogue.rows:
        if row.counterpart is None or row.counterpart not in by_rule:
            continue
        defined_in = row.counterpart.partition(":")[0]
        known = next(r for r in library.resolve(defined_in).rows if r.requirement_id == row.counterpart)
        if [name_key(e.name) for e in row.elements] != [name_key(e.name) for e in known.elements]:
            continue
        premised = replace(
            row,
            elements=tuple(
                replace(mine, name=theirs.name, illustrative=theirs.illustrative)
                for mine, theirs in zip(row.elements, known.elements, strict=True)
            ),
            mode=known.mode,
            inferred=known.inferred,
            audience=known.audience,
            channels=known.channels,
            levels=known.levels,
        )
        fixed = replace(catalogue, rows=tuple(premised if r.id == row.id else r for r in catalogue.rows))
        for path, data in by_rule[row.counterpart]:
            for case in data["cases"]:
                bureau = Bureau.from_mapping(
                    {**DEFAULT_BUREAU, **data.get("bureau", {}), **case.get("bureau", {})}
                )
                chosen = library.select(bureau) if bureau.sector else None
                if chosen is not None and chosen.id != defined_in:
                    continue
                result = _run_case(
                    book, library, calendar, path, {**data, "rule": row.requirement_id}, case, fixed
                )
                results.append(replace(result, name=f"{result.name}（沿用 {row.counterpart} 的用例）"))
    return results


def coverage_gaps(book: RuleBook, library: CatalogueLibrary, results: list[CaseResult]) -> list[str]:
    """Rules and catalogue rows without a case that fires or without one that does not."""
    wanted = [rule.id for rule in book.rules]
    for catalogue_id in library.ids():
        for row in library.resolve(catalogue_id).rows:
            if row.requirement_id not in wanted:
                wanted.append(row.requirement_id)
    gaps = []
    for rule_id in wanted:
        outcomes = {result.fires for result in results if result.rule == rule_id}
        if True not in outcomes:
            gaps.append(f"{rule_id}：没有会触发的用例")
        if False not in outcomes:
            gaps.append(f"{rule_id}：没有不触发的用例")
    return gaps


def _run_case(
    book: RuleBook,
    library: CatalogueLibrary,
    calendar: WorkCalendar,
    path: Path,
    data: dict[str, Any],
    case: dict[str, Any],
    fixed: Catalogue | None = None,
) -> CaseResult:
    """One case; fixed: the catalogue to judge it with (an imported table's), else the one the
    case's rule and bureau select."""
    rule_id: str = data["rule"]
    report = case_report(book, library, calendar, path, data, case, fixed)
    findings = [finding for finding in report.findings if finding.rule == rule_id]
    state = next((r for r in report.requirements if r.rule == rule_id), None)
    check = next((c for c in report.checks if c.rule == rule_id), None)
    problems = []
    if state is None and check is None:
        problems.append(f"规则 {rule_id} 未被评估（编号有误，或不在所选规则/目录中）")
    expect = case["expect"]
    fires = bool(findings)
    if fires != expect["fires"]:
        shown = "；".join(finding.message for finding in findings) or "无"
        problems.append(
            f"应{'触发' if expect['fires'] else '不触发'}，实际{'触发' if fires else '未触发'}（{shown}）"
        )
    status = state.status if state else check.status if check else None
    if "status" in expect and status != expect["status"]:
        reason = state.reason if state else check.reason if check else ""
        problems.append(f"状态应为 {expect['status']}，实际为 {status}（{reason}）")
    kinds = sorted({finding.kind for finding in findings})
    if "kinds" in expect and kinds != sorted(expect["kinds"]):
        problems.append(f"问题类型应为 {sorted(expect['kinds'])}，实际为 {kinds}")
    if "count" in expect and len(findings) != expect["count"]:
        problems.append(f"问题数应为 {expect['count']}，实际为 {len(findings)}")
    if "due" in expect:
        dues = sorted({finding.due.isoformat() for finding in findings if finding.due})
        if expect["due"] not in dues:
            problems.append(f"期限应为 {expect['due']}，实际为 {dues or '无'}")
    if "missing_elements" in expect:
        missing = sorted(
            element for finding in findings if finding.kind == "missing" for element in finding.elements
        )
        if missing != sorted(expect["missing_elements"]):
            problems.append(f"缺少的要素应为 {sorted(expect['missing_elements'])}，实际为 {missing}")
    if "severities" in expect:
        severities = sorted({finding.severity for finding in findings})
        if severities != sorted(expect["severities"]):
            problems.append(f"严重程度应为 {sorted(expect['severities'])}，实际为 {severities}")
    if "provisional" in expect:
        provisional = any(finding.provisional for finding in findings)
        if provisional != expect["provisional"]:
            problems.append(f"问题{'应' if expect['provisional'] else '不应'}标为暂定")
    if "says" in expect:
        reason = state.reason if state else check.reason if check else ""
        text = "\n".join([*(finding.message for finding in findings), reason, *report.notices])
        for phrase in expect["says"]:
            if phrase not in text:
                problems.append(f"结论中应有“{phrase}”：{text}")
    if "items" in expect:
        matched = list(state.items) if state else []
        if matched != expect["items"]:
            problems.append(f"匹配的信息应为 {expect['items']}，实际为 {matched}")
    return CaseResult(str(path), rule_id, case["name"], fires, not problems, tuple(problems))


def case_report(
    book: RuleBook,
    library: CatalogueLibrary,
    calendar: WorkCalendar,
    path: Path,
    data: dict[str, Any],
    case: dict[str, Any],
    fixed: Catalogue | None = None,
) -> Report:
    """The audit of one case's inventory, on its day, with its calendar and catalogue."""
    rule_id: str = data["rule"]
    bureau_data = {**DEFAULT_BUREAU, **data.get("bureau", {}), **case.get("bureau", {})}
    validate_document(bureau_data, "inventory", path, definition="bureau", path_prefix=("bureau",))
    bureau = Bureau.from_mapping(bureau_data)
    items = [
        to_item(RawRecord(number, f"用例“{case['name']}”第 {number} 条", values), path)
        for number, values in enumerate(case["items"], start=1)
    ]
    present = frozenset(key for values in case["items"] for key in values)
    inventory = Inventory.of(path, bureau, items, present)
    catalogue = _assumed(fixed, rule_id, case.get("assume")) if fixed else None
    catalogue = catalogue or _catalogue(library, bureau, rule_id, case.get("assume"))
    as_of = date.fromisoformat(case.get("as_of") or data.get("as_of") or "2021-03-10")
    return run_audit(inventory, book, catalogue, _calendar(calendar, case.get("calendar")), as_of)


def _catalogue(
    library: CatalogueLibrary, bureau: Bureau, rule_id: str, assume: dict[str, Any] | None
) -> Catalogue | None:
    catalogue_id, _, row_id = rule_id.partition(":")
    if row_id and catalogue_id in library.ids():
        catalogue = library.select(bureau) if bureau.sector else None
        if catalogue is None or catalogue_id not in catalogue.chain:
            catalogue = library.resolve(catalogue_id)
    else:
        catalogue = library.select(bureau)
    if catalogue is None:
        return None
    return _assumed(catalogue, rule_id, assume)


def _assumed(catalogue: Catalogue, rule_id: str, assume: dict[str, Any] | None) -> Catalogue:
    """The catalogue with the case's rule read as `assume` says (e.g. ticking 主动)."""
    if not assume:
        return catalogue
    changes: dict[str, Any] = {
        key: tuple(value) if isinstance(value, list) else value for key, value in assume.items()
    }
    rows = tuple(replace(row, **changes) if row.requirement_id == rule_id else row for row in catalogue.rows)
    return replace(catalogue, rows=rows)


def _table_catalogue(data: dict[str, Any], path: Path) -> Catalogue:
    """The catalogue imported from the table a case file carries (as page text), under the id its
    rule names."""
    table_id = data["rule"].partition(":")[0]
    library = CatalogueLibrary.bundled()
    text: str = data["table"]
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    origin = f"{path.name} 的表格"
    result = import_tables(read_text_tables(text, origin), Origin(origin, digest), catalogue_id=table_id)
    return library.resolve(library.add_document(result.document, origin, digest))


def _calendar(calendar: WorkCalendar, extra: dict[str, Any] | None) -> WorkCalendar:
    if not extra:
        return WorkCalendar(dict(calendar.years), list(calendar.sources))
    years = dict(calendar.years)
    for year, days in extra.items():
        years[int(year)] = YearDays(
            frozenset(date.fromisoformat(str(d)) for d in days.get("holidays", [])),
            frozenset(date.fromisoformat(str(d)) for d in days.get("workdays", [])),
        )
    return WorkCalendar(years, [*calendar.sources, "用例"])
