"""Standard catalogues (标准目录): loading, local variants, and turning rows into requirements.

A catalogue file either lists its rows or `extends` another catalogue and changes it: `add` rows,
`drop` rows (with the reason), `override` fields of inherited rows. A row keeps the id of the
catalogue that first defined it (moj-plsd-2019:N1), so waivers and baselines that name it keep
working whichever local variant a bureau's region selects.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

from compliance_audit.errors import InputError
from compliance_audit.inventory.model import LEVEL_LABELS, Bureau
from compliance_audit.ruleset import parse
from compliance_audit.ruleset.model import (
    Applies,
    CatalogueInfo,
    Deadline,
    Element,
    MatchSpec,
    Ref,
    Rule,
    Source,
    TitleMatch,
)
from compliance_audit.schemas import validate_document
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

    @property
    def coverage_note(self) -> str | None:
        if not self.covers:
            return None
        of = self.covers.get("of")
        count = f"{self.covers['rows']}/{of}" if of else str(self.covers["rows"])
        return f"《{self.title}》收录 {count} 项：{self.covers['note']}"


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
        return catalogue_id

    def resolve(self, catalogue_id: str) -> Catalogue:
        if catalogue_id not in self._files:
            raise InputError(
                f"没有编号为 {catalogue_id} 的标准目录", expected="、".join(self.ids()) or "（无）"
            )
        resolved = self._resolve(catalogue_id, ())
        loaded = self._files[catalogue_id]
        head = loaded.data["catalogue"]
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
            rows=tuple(_row(defined_in, data) for defined_in, data in resolved.rows),
            files=resolved.files,
            dropped=resolved.dropped,
            ancestry=resolved.ancestry,
        )

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
    raw = path.read_bytes()
    document = load_yaml_document(path)
    validate_document(document.data, "ruleset", path, document, definition="catalogue_file")
    return _CatalogueFile(path, hashlib.sha256(raw).hexdigest(), document.data, document)


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
    elements = tuple(
        element if element.match is not None else Element(element.name, derived_match(element.name))
        for element in (parse.element(e) for e in data.get("elements", []))
    )
    match = parse.match(data.get("match"))
    if match is None and not elements:
        # a row that lists no 公开内容 can only be recognised by its own name
        match = derived_match(data.get("level3") or data["level2"])
    deadline = parse.deadline(data["deadline"])
    assert deadline is not None
    return Row(
        id=data["id"],
        defined_in=defined_in,
        level1=data["level1"],
        level2=data["level2"],
        level3=data.get("level3"),
        elements=elements,
        match=match,
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
    )


_NUMBERING = re.compile(r"^\s*(?:\d+[.、．]|[（(]\d+[)）]|[①-⑳])\s*")
_PARENTHESES = re.compile(r"[（(][^（）()]*[)）]")
_SUFFIXES = ("信息", "资讯", "情况", "材料", "内容", "等")
_PREFIXES = ("辖区内", "县域内", "本级", "本地")
_SEPARATORS = re.compile(r"[、，,;；/]|或")


def derived_match(name: str) -> MatchSpec:
    """Title keywords for an element that came without any (an imported table's 公开内容 cell):
    the element's name without numbering, brackets, 辖区内…, …信息/等, split at 、 and 或, a short
    tail completed from the head (法治文化作品、产品 → 法治文化作品, 法治文化产品)."""
    text = _PARENTHESES.sub("", _NUMBERING.sub("", name)).strip()
    parts = [part.strip() for part in _SEPARATORS.split(text) if part.strip()]
    keywords: list[str] = []
    for part in parts:
        for prefix in _PREFIXES:
            if part.startswith(prefix) and len(part) > len(prefix) + 1:
                part = part[len(prefix) :]
        changed = True
        while changed:
            changed = False
            for suffix in _SUFFIXES:
                if part.endswith(suffix) and len(part) > len(suffix) + 1:
                    part = part[: -len(suffix)]
                    changed = True
        if keywords and len(part) <= 3 and len(keywords[0]) > len(part):
            part = keywords[0][: len(keywords[0]) - len(part)] + part
        if part not in keywords:
            keywords.append(part)
    return MatchSpec(title=TitleMatch(any=tuple(keywords or (text or name,))))


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
    return Rule(
        id=row.requirement_id,
        title=row.heading,
        check="requirement",
        severity=severity,
        # a county's own published table is the authority itself; the bundled ones are read in copies
        confidence="verified" if catalogue.imported_from else "verified-secondary",
        # the row's own 时限 binds through 第二十条第（十五）项 and 第二十二条, cited as such
        # (not as 第二十六条)
        refs=(Ref(row.defined_in, item=row.id), Ref("ogi-2019", 20, 15), Ref("ogi-2019", 22)),
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
        ),
    )


def row_applicability_reason(row_rule_: Rule, bureau: Bureau) -> tuple[str, str] | None:
    """(status, reason) when a catalogue row is not a requirement for this bureau, else None."""
    info = row_rule_.catalogue
    assert info is not None
    if info.mode == "依申请":
        return "not-applicable", "依申请公开事项，不作主动公开要求"
    if info.mode is None or "mode" in info.inferred:
        if info.imported:
            return "not-evaluated", "导入的目录中此项既未勾选主动也未勾选依申请，请在目录文件中补写 mode"
        return (
            "not-evaluated",
            "公开方式（主动/依申请）未能从公开文本核实；用 catalogue import 导入本县公布的目录即可评估此项",
        )
    if info.levels and bureau.level not in info.levels:
        wanted = "、".join(LEVEL_LABELS[level] for level in info.levels)
        return "not-applicable", f"此项公开层级为{wanted}，本机关为{LEVEL_LABELS[bureau.level]}"
    return None
