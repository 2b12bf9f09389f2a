"""Standard catalogues (标准目录): loading, local variants, and turning rows into requirements.

A catalogue file either lists its rows or `extends` another catalogue and changes it: `add` rows,
`drop` rows (with the reason), `override` fields of inherited rows. A row keeps the id of the
catalogue that first defined it (moj-plsd-2019:N1), so waivers and baselines that name it keep
working whichever local variant a bureau's region selects.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

from compliance_audit.errors import InputError
from compliance_audit.inventory.model import LEVEL_LABELS, Bureau
from compliance_audit.matching.derive import (
    derived_element_match,
    derived_row_match,
    domain_words,
    event_evidence,
    event_of,
    inherited_element,
    name_key,
    subject_keywords,
)
from compliance_audit.ruleset import parse
from compliance_audit.ruleset.model import (
    EVENT_PENDING_REASON,
    Applies,
    CatalogueInfo,
    Deadline,
    Element,
    Event,
    MatchSpec,
    Ref,
    Rule,
    Source,
)
from compliance_audit.schemas import validate_document, validate_file
from compliance_audit.yamlsafe import YamlDocument, load_yaml_document


@dataclass(frozen=True)
class Row:
    id: str
    defined_in: str
    level1: str
    level2: str
    level3: str | None
    elements: tuple[Element, ...]
    match: MatchSpec | None
    basis: tuple[str, ...]
    deadline: Deadline
    subject: str
    channels: tuple[str, ...]
    audience: tuple[str, ...]
    audience_note: str
    mode: str | None
    levels: tuple[str, ...]
    sources: tuple[str, ...]
    confidence: str
    inferred: tuple[str, ...]
    severity: str | None
    notes: str
    seq: int | None
    extra: Mapping[str, str]
    aliases: tuple[str, ...] = ()
    event: Event | None = None
    counterpart: str | None = None  # the known row an imported row is (its requirement id)
    match_origin: str = ""

    @property
    def requirement_id(self) -> str:
        return f"{self.defined_in}:{self.id}"

    @property
    def heading(self) -> str:
        return "—".join(part for part in (self.level1, self.level2, self.level3) if part)

    @property
    def required(self) -> bool:
        """Only rows whose 主动 mode was read in a source become requirements."""
        return self.mode == "主动" and "mode" not in self.inferred


@dataclass(frozen=True)
class Catalogue:
    id: str
    title: str
    version: str
    sector: str
    region: str
    extends: str | None
    chain: tuple[str, ...]  # this catalogue and those it extends, most specific first
    covers: Mapping[str, Any] | None
    sources: tuple[str, ...]
    issuer: str
    doc_no: str
    notes: str
    imported_from: str
    rows: tuple[Row, ...]
    files: tuple[tuple[str, str, str], ...]  # (catalogue id, path, sha256) along the chain
    dropped: tuple[tuple[str, str], ...]  # (row id, reason)
    ancestry: tuple[Source, ...]  # this catalogue and those it extends, as sources that refs cite
    selection: tuple[str, ...] = ()  # why the audit uses this catalogue, and what to know about it

    @property
    def coverage_note(self) -> str | None:
        if not self.covers:
            return None
        of = self.covers.get("of")
        count = f"{self.covers['rows']}/{of}" if of else str(self.covers["rows"])
        return f"《{self.title}》收录 {count} 项：{self.covers['note']}"

    @property
    def notices(self) -> list[str]:
        """What a report says about its catalogue: which one and why, and how complete it is. Only
        a bundled catalogue recommends importing the county's own table: an imported one is it."""
        notices = list(self.selection)
        coverage = self.coverage_note
        if coverage and self.imported_from:
            notices.append(coverage)
        elif coverage:
            notices.append(
                coverage + "。要完整覆盖，请用 catalogue import 导入本县公布的标准目录，再以 --catalogue 指定"
            )
        return notices


@contextmanager
def bundled_catalogues_directory() -> Iterator[Path]:
    with as_file(files("compliance_audit").joinpath("catalogues")) as directory:
        yield directory


@dataclass
class _CatalogueFile:
    path: Path
    sha256: str
    data: dict[str, Any]
    document: YamlDocument


class CatalogueLibrary:
    """The catalogue files of a directory (the bundled one by default), by id."""

    def __init__(self, paths: Iterable[Path]) -> None:
        self._files: dict[str, _CatalogueFile] = {}
        self._known: dict[str, list[Row]] | None = None
        for path in sorted(paths):
            loaded = _read(path)
            catalogue_id = loaded.data["catalogue"]["id"]
            if catalogue_id in self._files:
                raise InputError(
                    f"目录编号 {catalogue_id} 与 {self._files[catalogue_id].path.name} 重复",
                    file=path,
                    field="catalogue.id",
                )
            self._files[catalogue_id] = loaded

    @classmethod
    def bundled(cls) -> CatalogueLibrary:
        with bundled_catalogues_directory() as directory:
            return cls.from_directory(directory)

    @classmethod
    def from_directory(cls, directory: Path) -> CatalogueLibrary:
        return cls(path for path in directory.glob("*.yaml"))

    def ids(self) -> list[str]:
        return sorted(self._files)

    def sectors(self) -> set[str]:
        return {loaded.data["catalogue"]["sector"] for loaded in self._files.values()}

    def add_file(self, path: Path) -> str:
        loaded = _read(path)
        catalogue_id: str = loaded.data["catalogue"]["id"]
        known = self._files.get(catalogue_id)
        if known is not None and known.path.resolve() != path.resolve():
            # requirement ids (and so waivers) are named after the catalogue: two catalogues may not share one
            raise InputError(
                f"目录编号 {catalogue_id} 已被 {known.path.name} 使用，请在 catalogue.id 中换一个编号",
                file=path,
                field="catalogue.id",
            )
        self._files[catalogue_id] = loaded
        self._known = None
        return catalogue_id

    def add_document(self, data: dict[str, Any], origin: str, sha256: str) -> str:
        """A catalogue read from somewhere other than a file of its own (the bureau's own table,
        imported as the audit runs); origin names where, for messages and the report."""
        validate_document(data, "ruleset", origin, definition="catalogue_file")
        catalogue_id: str = data["catalogue"]["id"]
        if catalogue_id in self._files:
            raise InputError(f"目录编号 {catalogue_id} 已被 {self._files[catalogue_id].path.name} 使用")
        self._files[catalogue_id] = _CatalogueFile(Path(origin), sha256, data, YamlDocument(data, {}))
        return catalogue_id

    def field_of(self, sector: str) -> str | None:
        """The field a sector's catalogues are for, as their titles name it (公共法律服务 in
        公共法律服务领域基层政务公开标准目录)."""
        for loaded in self._files.values():
            head = loaded.data["catalogue"]
            if head["sector"] == sector and not head.get("extends") and "领域" in head["title"]:
                return str(head["title"]).split("领域", 1)[0]
        return None

    def resolve(self, catalogue_id: str) -> Catalogue:
        if catalogue_id not in self._files:
            raise InputError(
                f"没有编号为 {catalogue_id} 的标准目录", expected="、".join(self.ids()) or "（无）"
            )
        resolved = self._resolve(catalogue_id, ())
        loaded = self._files[catalogue_id]
        head = loaded.data["catalogue"]
        rows = [_row(defined_in, data) for defined_in, data in resolved.rows]
        imported = bool(head.get("imported_from"))
        known = self.known_rows() if imported else {}
        return Catalogue(
            id=catalogue_id,
            title=head["title"],
            version=head["version"],
            sector=head["sector"],
            region=head.get("region", ""),
            extends=head.get("extends"),
            chain=tuple(source.id for source in resolved.ancestry),
            covers=resolved.covers,
            sources=tuple(head["sources"]),
            issuer=head.get("issuer", ""),
            doc_no=head.get("doc_no", ""),
            notes=head.get("notes", ""),
            imported_from=head.get("imported_from", ""),
            rows=tuple(complete_matching(row, known, imported=imported) for row in rows),
            files=resolved.files,
            dropped=resolved.dropped,
            ancestry=resolved.ancestry,
        )

    def known_rows(self) -> dict[str, list[Row]]:
        """Every version of every row of the catalogues written for the tool (not imported), by
        the names it goes by: name_key(一级事项)|name_key(二级事项 or an alias)."""
        if self._known is None:
            self._known = {}
            for catalogue_id, loaded in sorted(self._files.items()):
                if loaded.data["catalogue"].get("imported_from"):
                    continue
                for defined_in, data in self._resolve(catalogue_id, ()).rows:
                    row = _row(defined_in, data)
                    for name in (row.level2, *row.aliases):
                        versions = self._known.setdefault(row_key(row.level1, name), [])
                        if row not in versions:
                            versions.append(row)
        return self._known

    def select(self, bureau: Bureau) -> Catalogue | None:
        """The catalogue of the bureau's sector whose region is the longest prefix of its region."""
        if not bureau.sector:
            return None
        best: tuple[int, str] | None = None
        for catalogue_id, loaded in self._files.items():
            head = loaded.data["catalogue"]
            if head["sector"] != bureau.sector or head.get("imported_from"):
                continue
            region = head.get("region", "")
            if region and not bureau.region.startswith(region):
                continue
            if best is None or len(region) > best[0]:
                best = (len(region), catalogue_id)
        return self.resolve(best[1]) if best else None

    def _resolve(self, catalogue_id: str, seen: tuple[str, ...]) -> _Resolved:
        if catalogue_id in seen:
            raise InputError(f"目录继承关系成环：{' → '.join((*seen, catalogue_id))}")
        loaded = self._files.get(catalogue_id)
        if loaded is None:
            raise InputError(
                f"所继承的目录 {catalogue_id} 不存在",
                file=self._files[seen[-1]].path,
                field="catalogue.extends",
            )
        head = loaded.data["catalogue"]
        source = Source(
            id=catalogue_id,
            title=head["title"],
            status="verified" if head.get("imported_from") else "verified-secondary",
            urls=tuple(head["sources"]),
            short=f"《{head['title']}》",
            issuer=head.get("issuer", ""),
            doc_no=head.get("doc_no", ""),
            kind="standard-catalogue",
        )
        this_file = ((catalogue_id, str(loaded.path), loaded.sha256),)
        parent_id = head.get("extends")
        if parent_id is None:
            rows = [(catalogue_id, dict(row)) for row in loaded.data["rows"]]
            return _Resolved(rows, (), this_file, (source,), head.get("covers"))
        parent = self._resolve(parent_id, (*seen, catalogue_id))
        rows, dropped = _apply_variant(list(parent.rows), loaded, catalogue_id)
        return _Resolved(
            rows,
            (*parent.dropped, *dropped),
            this_file + parent.files,
            (source, *parent.ancestry),
            # a variant that does not restate its coverage is as complete as what it extends
            head.get("covers") or parent.covers,
        )


@dataclass(frozen=True)
class _Resolved:
    rows: list[tuple[str, dict[str, Any]]]  # (id of the catalogue that defined the row, raw row)
    dropped: tuple[tuple[str, str], ...]
    files: tuple[tuple[str, str, str], ...]
    ancestry: tuple[Source, ...]
    covers: Mapping[str, Any] | None


def load_catalogue(reference: str, library: CatalogueLibrary) -> Catalogue:
    """--catalogue: a bundled id, or the path of a catalogue file (e.g. one made by `catalogue import`)."""
    path = Path(reference)
    if reference.endswith((".yaml", ".yml")) or path.exists():
        if not path.is_file():
            raise InputError("目录文件不存在", file=path)
        return library.resolve(library.add_file(path))
    return library.resolve(reference)


def _read(path: Path) -> _CatalogueFile:
    document = load_yaml_document(path)
    validate_file(document, "ruleset", path, definition="catalogue_file")
    return _CatalogueFile(path, document.sha256 or "", document.data, document)


def _apply_variant(
    rows: list[tuple[str, dict[str, Any]]], loaded: _CatalogueFile, catalogue_id: str
) -> tuple[list[tuple[str, dict[str, Any]]], list[tuple[str, str]]]:
    data = loaded.data
    by_id = {row["id"]: position for position, (_, row) in enumerate(rows)}
    dropped = []
    for position, drop in enumerate(data.get("drop", [])):
        if drop["id"] not in by_id:
            raise InputError(
                f"要删除的行 {drop['id']} 不在所继承的目录中",
                file=loaded.path,
                location=_line(loaded, "drop", position),
                field="drop",
            )
        dropped.append((drop["id"], drop["reason"]))
    for position, override in enumerate(data.get("override", [])):
        if override["id"] not in by_id:
            raise InputError(
                f"要修改的行 {override['id']} 不在所继承的目录中",
                file=loaded.path,
                location=_line(loaded, "override", position),
                field="override",
            )
        index = by_id[override["id"]]
        defined_in, row = rows[index]
        merged = {**row, **override}
        validate_document(
            merged,
            "ruleset",
            loaded.path,
            loaded.document,
            definition="row",
            path_prefix=("override", position),
        )
        rows[index] = (defined_in, merged)
    dropped_ids = {row_id for row_id, _ in dropped}
    result = [(defined_in, row) for defined_in, row in rows if row["id"] not in dropped_ids]
    for position, added in enumerate(data.get("add", [])):
        if added["id"] in by_id:
            raise InputError(
                f"新增行编号 {added['id']} 与所继承的行重复",
                file=loaded.path,
                location=_line(loaded, "add", position),
                field="add",
            )
        result.append((catalogue_id, added))
    return result, dropped


def _line(loaded: _CatalogueFile, *path: str | int) -> str | None:
    line = loaded.document.line(*path)
    return f"第 {line} 行" if line else None


def _row(defined_in: str, data: dict[str, Any]) -> Row:
    """The row as written; matching still to complete (complete_matching) where it has none."""
    illustrative = bool(data.get("elements_illustrative"))
    elements = tuple(
        replace(parse.element(element), illustrative=illustrative) for element in data.get("elements", [])
    )
    deadline = parse.deadline(data["deadline"])
    assert deadline is not None
    written_event = data.get("event")
    event = (
        Event(written_event["kind"], parse.match(written_event.get("evidence")))
        if written_event
        else None
        if written_event is False
        else event_of(data["level1"], data["level2"], data.get("level3"))
    )
    return Row(
        id=data["id"],
        defined_in=defined_in,
        level1=data["level1"],
        level2=data["level2"],
        level3=data.get("level3"),
        elements=elements,
        match=parse.match(data.get("match")),
        basis=parse.texts(data, "basis"),
        deadline=deadline,
        subject=data.get("subject", ""),
        channels=parse.texts(data, "channels"),
        audience=parse.texts(data, "audience"),
        audience_note=data.get("audience_note", ""),
        mode=data.get("mode"),
        levels=parse.texts(data, "levels"),
        sources=parse.texts(data, "sources"),
        confidence=data["confidence"],
        inferred=parse.texts(data, "inferred"),
        severity=data.get("severity"),
        notes=data.get("notes", ""),
        seq=data.get("seq"),
        extra=data.get("extra", {}),
        aliases=parse.texts(data, "aliases"),
        event=event,
    )


def row_key(level1: str, level2: str) -> str:
    return f"{name_key(level1)}|{name_key(level2)}"


def complete_matching(row: Row, known: Mapping[str, list[Row]], *, imported: bool) -> Row:
    """A row with a match for itself or for each element. An imported row that is a known row
    (known_rows) inherits that row's matching, event and evidence; what is still without
    keywords gets them by segmentation of its 事项 and 要素 (matching/derive.py)."""
    versions = known.get(row_key(row.level1, row.level2), [])
    if versions:
        return _inherit(row, versions)
    # an imported row is also recognised by its 事项, except an event's: an item about the event is
    # evidence of it, the row's own items are its elements (the decision, the list)
    wants_match = row.match is None and (not row.elements or (imported and row.event is None))
    event = row.event
    wants_evidence = event is not None and event.derived and event.evidence is None
    if not (imported or wants_match or wants_evidence or any(e.match is None for e in row.elements)):
        return row  # written by hand: nothing to derive
    domain = domain_words(row.level1, row.level2, row.level3)
    elements = []
    for element in row.elements:
        if element.match is None:
            derived = derived_element_match(element.name, domain, event)
            element = replace(element, match=derived.match, origin=derived.why)
        elements.append(element)
    origin = ""
    match = row.match
    if wants_match:
        derived_row = derived_row_match(subject_keywords(row.level1, row.level2, row.level3), event)
        if derived_row is not None:
            match, origin = derived_row.match, derived_row.why
    if event is not None and wants_evidence and (evidence := event_evidence(event, domain)):
        event = replace(event, evidence=evidence.match)
    if imported:
        origin = "没有对应的已知事项，匹配条件由事项与要素分词得出" + (f"；整体：{origin}" if origin else "")
    return replace(row, elements=tuple(elements), match=match, event=event, match_origin=origin)


def _inherit(row: Row, versions: list[Row]) -> Row:
    canonical = versions[0]
    known_elements = [element for version in versions for element in version.elements]
    domain = domain_words(row.level1, row.level2, row.level3)
    elements = []
    for element in row.elements:
        if element.match is not None:
            elements.append(element)
            continue
        same = inherited_element(element.name, known_elements)
        if same is not None:
            elements.append(
                replace(element, match=same.match, origin=f"沿用 {canonical.requirement_id}“{same.name}”")
            )
        else:
            derived = derived_element_match(element.name, domain, row.event or canonical.event)
            elements.append(replace(element, match=derived.match, origin=derived.why))
    match = row.match or next((version.match for version in versions if version.match), None)
    if match is None and not elements:
        derived_row = derived_row_match(subject_keywords(row.level1, row.level2, row.level3), row.event)
        match = derived_row.match if derived_row else None
    return replace(
        row,
        elements=tuple(elements),
        match=match,
        event=canonical.event if row.event is None or row.event.derived else row.event,
        counterpart=canonical.requirement_id,
        match_origin=(
            f"即已知事项 {canonical.requirement_id}（{canonical.level1}—{canonical.level2}），"
            "沿用其匹配条件、事件证据和用例"
        ),
    )


def row_rule(row: Row, catalogue: Catalogue) -> Rule:
    elements = "、".join(element.name for element in row.elements) or "（未列要素）"
    channels = "、".join(row.channels)
    basis = "；".join(row.basis) or "（未列）"
    rationale = (
        f"{catalogue.title}：{row.heading}。公开内容（要素）：{elements}；公开依据：{basis}；"
        f"公开时限：{row.deadline.text or row.deadline.describe()}；公开主体：{row.subject or '（未列）'}；"
        f"公开渠道：{channels or '（未列）'}。条例第二十条第（十五）项、第二十二条要求按上级部署主动公开。"
    )
    fix = (
        f"在{channels or '政府信息公开平台'}公开“{row.level2}”的{elements}"
        f"（{row.deadline.text or row.deadline.describe()}）。"
    )
    severity = row.severity or ("error" if row.confidence == "high" else "warning")
    if row.event is not None:
        rationale += f"此项为{row.event.label}事项，{EVENT_PENDING_REASON}。"
    if row.elements and row.elements[0].illustrative:
        rationale += "公开内容以“等”列举，所列为示例：公开了该事项的信息即满足，示例不全只作提示。"
    targeted = _targeted(row.audience, row.inferred, row.channels)
    if targeted:
        rationale += targeted + "。"
    return Rule(
        id=row.requirement_id,
        title=row.heading,
        check="requirement",
        severity=severity,
        # a county's own published table is the authority itself; the bundled ones are read in copies
        confidence="verified" if catalogue.imported_from else "verified-secondary",
        # the row's own 时限 binds through 第二十条第（十五）项 and 第二十二条, cited as such (not as
        # 第二十六条); a row owed only to 特定群众 cites 第十五条, which may forbid putting it online
        refs=(
            Ref(row.defined_in, item=row.id),
            Ref("ogi-2019", 20, 15),
            Ref("ogi-2019", 22),
            *((Ref("ogi-2019", 15),) if targeted else ()),
        ),
        rationale=rationale,
        fix=fix,
        ruleset=catalogue.id,
        applies=Applies(levels=row.levels, sectors=(catalogue.sector,)),
        match=row.match,
        elements=row.elements,
        deadline=row.deadline if row.deadline.counts_days else None,
        catalogue=CatalogueInfo(
            catalogue=catalogue.id,
            row=row.id,
            level1=row.level1,
            level2=row.level2,
            level3=row.level3,
            mode=row.mode,
            audience=row.audience,
            levels=row.levels,
            confidence=row.confidence,
            inferred=row.inferred,
            basis=row.basis,
            channels=row.channels,
            subject=row.subject,
            sources=row.sources,
            imported=bool(catalogue.imported_from),
            event=row.event,
            match_origin=row.match_origin,
        ),
    )


# Channels that reach particular people rather than the public: a row published only through
# them is not owed on the website.
_TARGETED_CHANNELS = ("精准推送", "入户", "现场", "公示栏", "电子屏", "短信", "送达", "告知", "当面")
_ARTICLE_15 = (
    "在政府网站公开涉及特定群众个人信息的内容，可能违反《中华人民共和国政府信息公开条例》第十五条"
    "（涉及个人隐私等公开会损害第三方合法权益的政府信息不得公开）"
)


def _targeted(audience: tuple[str, ...], inferred: tuple[str, ...], channels: tuple[str, ...]) -> str | None:
    """Why a row is not owed on the website, when its audience is 特定群众 only or it is published
    only through channels that reach particular people; None when it is owed there."""
    if audience and "全社会" not in audience and "audience" not in inferred:
        reason = "公开对象为特定群众"
    elif (
        channels
        and "channels" not in inferred
        and all(any(mark in channel for mark in _TARGETED_CHANNELS) for channel in channels)
    ):
        reason = f"公开渠道只有{'、'.join(channels)}"
    else:
        return None
    return (
        f"{reason}，此项向特定对象公开，不要求在政府网站公开（是否已向其公开，清单无从反映）；{_ARTICLE_15}"
    )


def row_applicability_reason(row_rule_: Rule, bureau: Bureau) -> tuple[str, str] | None:
    """(status, reason) when a catalogue row is not a requirement for this bureau, else None."""
    info = row_rule_.catalogue
    assert info is not None
    if info.mode == "依申请":
        return "not-applicable", "依申请公开事项，不作主动公开要求"
    targeted = _targeted(info.audience, info.inferred, info.channels)
    if targeted is not None:
        return "not-applicable", targeted
    if info.mode is None or "mode" in info.inferred:
        if info.imported:
            return (
                "not-evaluated",
                "导入的目录中此项的公开方式（主动/依申请）未能读出（见该行 notes），"
                "请核对原表后在目录文件中补写 mode",
            )
        return (
            "not-evaluated",
            "公开方式（主动/依申请）未能从公开文本核实；用 catalogue import 导入本县公布的目录即可评估此项",
        )
    if info.levels and bureau.level not in info.levels:
        wanted = "、".join(LEVEL_LABELS[level] for level in info.levels)
        return "not-applicable", f"此项公开层级为{wanted}，本机关为{LEVEL_LABELS[bureau.level]}"
    return None
